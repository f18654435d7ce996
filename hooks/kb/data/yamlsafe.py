"""Safe, position-aware YAML loading for the data files.

:func:`load_yaml` never raises on bad input and never constructs arbitrary objects:

* the raw bytes are checked first (size limit, BOM, UTF-16/32, GBK, control characters);
* a line pre-scan finds what YAML reports badly or not at all (tabs and invisible
  characters in indentation, full-width colons used as key separators); both, and the
  Chinese explanation of a parser error, live in :mod:`kb.data.yamltext`;
* the text is parsed into *events* (the parser of ``yaml.parse``, a state machine, not
  recursive) and the tree is built here, iteratively. That gives a ``(line, column)``
  for every key and value, duplicate-key detection, rejection of anchors/aliases (alias
  bombs) and explicit tags (``!!python/...``), a nesting limit and a one-document rule;
* plain scalars are resolved like PyYAML's YAML 1.1 ``SafeLoader`` (so the validator
  sees what other tools would see), except timestamps, which stay ``YYYY-MM-DD`` strings.
  The raw text and style of every scalar are kept so YAML 1.1 coercions (``NO`` → false,
  ``010`` → 8) can be explained to the contributor.

libyaml's event parser (``CSafeLoader``) is used when PyYAML was built with it: it is
about ten times faster than the pure-Python ``SafeLoader`` parser (0.6 ms instead of
7.8 ms for a 10 KB report), which matters for 1,000 reports. Both produce the same
events and marks (tests compare them); ``pure=True`` forces the pure-Python one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from kb.data import rules
from kb.data.confine import Refused, read_regular, refused_problem
from kb.data.problems import Problem
from kb.data.rules import Rule
from kb.data.yamltext import (
    INVISIBLE,
    LINE_BREAK,
    ODD_BREAKS,
    Mark,
    block_scalar_lines,
    decode,
    inside_scalar,
    prescan,
    translate_yaml_error,
)

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 32
# Longest number text constructed as written. Every integer up to this length (hex, octal,
# sexagesimal included) stays below 10**121: printable (Python refuses to print integers
# over 4,300 digits) and convertible to float. Longer ones are read as ±infinity.
MAX_NUMBER_CHARS = 100

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

_PARSER = yaml.CSafeLoader if getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader
_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()


class ScalarInfo(NamedTuple):
    """How a scalar was written: its raw text, style and source span (1-based marks)."""

    raw: str
    style: str  # "" plain, "'" or '"' quoted, "|" literal, ">" folded
    tag: str  # resolved tag, e.g. tag:yaml.org,2002:int
    start: Mark
    end: Mark

    @property
    def plain(self) -> bool:
        return self.style == ""


@dataclass
class SourceDoc:
    """One parsed data file: the plain data and where every part of it was written."""

    path: Path  # absolute path
    rel: str  # display path relative to the repo root, e.g. "data/units.yml"
    data: Any  # dict/list/str/int/float/bool/None; dates stay "YYYY-MM-DD" strings
    marks: dict[tuple, Mark]  # field path -> (line, col) of its value, 1-based; () -> (1, 1)
    key_marks: dict[tuple, Mark] = field(default_factory=dict)  # mapping entry -> its key
    scalars: dict[tuple, ScalarInfo] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)  # source lines, without line breaks

    def mark(self, path: tuple) -> Mark:
        """The mark of ``path`` or of its nearest recorded ancestor."""
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (1, 1))

    def key_mark(self, path: tuple) -> Mark:
        """The mark of the key of the mapping entry ``path`` (its value mark otherwise)."""
        return self.key_marks.get(path) or self.mark(path)

    def find(self, path: tuple, needle: str) -> Mark | None:
        """The line/column where ``needle`` is written inside the scalar at ``path``, if on one line."""
        info = self.scalars.get(path)
        if info is not None and needle:
            (line, col), (end_line, _) = info.start, info.end
            for number in range(line, min(end_line, len(self.lines)) + 1):
                start = col - 1 if number == line else 0
                found = self.lines[number - 1].find(needle, start)
                if found >= 0:
                    return number, found + 1
        return None

    def locate(self, path: tuple, needle: str) -> Mark:
        """Like :meth:`find`, falling back to the mark of the value at ``path``."""
        return self.find(path, needle) or self.mark(path)

    @property
    def first_line(self) -> str:
        return self.lines[0] if self.lines else ""


# --------------------------------------------------------------------- the tree


class _Discard:
    """Placeholder key whose value is parsed but not stored (duplicates, bad keys)."""


_DISCARD = _Discard()
_NO_KEY = object()
_PLAIN_CACHE: dict[str, tuple[str, Any]] = {}
_CLEAN_KEYS: set[str] = set()  # keys already checked for invisible characters
_new_tuple = tuple.__new__  # builds a ScalarInfo without its Python-level __new__
_INVISIBLE_RE = re.compile("[" + "".join(INVISIBLE) + "]")


class _Frame:
    """An open mapping or sequence while events are consumed."""

    __slots__ = ("container", "path", "is_map", "key", "key_mark", "first_keys", "discard", "is_key")

    def __init__(self, container: Any, path: tuple, discard: bool, is_key: bool = False) -> None:
        self.container = container
        self.path = path
        self.is_map = isinstance(container, dict)
        self.key: Any = _NO_KEY
        self.key_mark: Mark = (1, 1)
        self.first_keys: dict[str, int] = {}
        self.discard = discard
        self.is_key = is_key


def resolve_scalar(value: str, style: str | None) -> tuple[str, Any]:
    """(tag, value) of a scalar as YAML 1.1 SafeLoader reads it; timestamps stay text.

    A number too long to construct safely (see :data:`MAX_NUMBER_CHARS`) is read as
    ±infinity, with its tag kept: the schema then says the number is too large.
    """
    if style:
        return STR_TAG, value
    cached = _PLAIN_CACHE.get(value)
    if cached is not None:
        return cached
    tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
    node = yaml.ScalarNode(tag, value)
    result: tuple[str, Any] = (STR_TAG, value)
    try:
        if tag in (INT_TAG, FLOAT_TAG) and _too_long(value, tag):
            result = (tag, -math.inf if value.startswith("-") else math.inf)
        elif tag == INT_TAG:
            result = (tag, _CONSTRUCTOR.construct_yaml_int(node))
        elif tag == FLOAT_TAG:
            result = (tag, _CONSTRUCTOR.construct_yaml_float(node))
        elif tag == BOOL_TAG:
            result = (tag, _CONSTRUCTOR.construct_yaml_bool(node))
        elif tag == NULL_TAG:
            result = (tag, None)
        elif tag == TIMESTAMP_TAG:
            result = (tag, value)
    except (ValueError, KeyError, OverflowError):  # pragma: no cover - guarded by the resolver and _too_long
        pass
    if len(value) <= 64 and len(_PLAIN_CACHE) < 20000:
        _PLAIN_CACHE[value] = result
    return result


def _too_long(value: str, tag: str) -> bool:
    """Whether a number's text is beyond :data:`MAX_NUMBER_CHARS` and would be costly or
    unsafe to construct: any integer, and sexagesimal floats (``1:00:…:00.5``), whose
    construction multiplies ever larger integers and overflows. A plain float's text is
    always safe: ``float()`` reads any length (too large gives infinity)."""
    return len(value) > MAX_NUMBER_CHARS and (tag == INT_TAG or ":" in value)


TYPE_ZH = {bool: "逻辑值（true/false）", int: "整数", float: "小数", type(None): "空值", str: "文本"}


class _Builder:
    """Builds plain data from parser events, recording marks and problems.

    The loop is iterative: the depth of the data is the length of ``stack``, bounded by
    :data:`MAX_DEPTH`, so no input can exhaust the Python or C stack.
    """

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.problems: list[Problem] = []
        self.marks: dict[tuple, Mark] = {(): (1, 1)}
        self.key_marks: dict[tuple, Mark] = {}
        self.scalars: dict[tuple, ScalarInfo] = {}
        self.spans: list[tuple[int, int, int]] = []
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0
        self.anchors = 0
        self.aborted = False

    def error(self, rule: Rule, at: Mark, message: str, path: tuple = (), found: str = "") -> None:
        self.problems.append(
            Problem.of(rule, self.rel, at[0], at[1], message, path=format_path(path), found=found)
        )

    def run(self, next_event: Any) -> None:
        """Consume events until the stream ends or the input is refused.

        Plain text keys and stored scalar values, nine events in ten, are handled inline;
        everything else (collections, anchors, tags, odd keys) goes through :meth:`_node`.
        """
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
        stack, marks, scalars, key_marks = self.stack, self.marks, self.scalars, self.key_marks
        cache, clean, spans = _PLAIN_CACHE, _CLEAN_KEYS, self.spans
        no_key, discard_key, str_tag, info = _NO_KEY, _DISCARD, STR_TAG, ScalarInfo
        while True:
            event = next_event()
            cls = event.__class__
            if cls is scalar_event:
                if stack and event.anchor is None and event.tag is None:
                    parent = stack[-1]
                    start = event.start_mark
                    at = (start.line + 1, start.column + 1)
                    raw, style = event.value, event.style
                    if style:
                        tag, value = str_tag, raw
                    else:
                        tag, value = cache.get(raw) or resolve_scalar(raw, None)
                    if parent.discard:
                        pass
                    elif parent.is_map:
                        key = parent.key
                        if key is no_key:
                            if value.__class__ is str and value not in parent.first_keys and (
                                value in clean or self._clean_key(value)
                            ):
                                parent.first_keys[value] = at[0]
                                parent.key = value
                                parent.key_mark = at
                                key_marks[parent.path + (value,)] = at
                                continue
                        elif key is not discard_key:
                            path = parent.path + (key,)
                            parent.container[key] = value
                            parent.key = no_key
                            end = event.end_mark
                            end_at = (end.line + 1, end.column + 1)
                            if end_at[0] > at[0]:
                                spans.append((at[0], end_at[0], end_at[1]))
                            marks[path] = at
                            scalars[path] = _new_tuple(info, (raw, style or "", tag, at, end_at))
                            continue
                    else:
                        path = parent.path + (len(parent.container),)
                        parent.container.append(value)
                        end = event.end_mark
                        end_at = (end.line + 1, end.column + 1)
                        if end_at[0] > at[0]:
                            spans.append((at[0], end_at[0], end_at[1]))
                        marks[path] = at
                        scalars[path] = _new_tuple(info, (raw, style or "", tag, at, end_at))
                        continue
                self._node(event, None)
            elif cls is map_start:
                if not self._node(event, {}):
                    return
            elif cls is seq_start:
                if not self._node(event, []):
                    return
            elif cls in ends:
                frame = stack.pop()
                if frame.is_key:
                    stack[-1].key = _DISCARD
                elif stack and stack[-1].is_map:
                    stack[-1].key = _NO_KEY
            elif cls is alias_event:
                self._node(event, None)
            elif cls is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    self.error(
                        rules.YAML_MULTI_DOC,
                        _mark(event.start_mark),
                        "一个文件只能有一个 YAML 文档：请删除“---”及其后的内容",
                    )
                    return
            elif cls is yaml.StreamEndEvent:
                return

    @staticmethod
    def _clean_key(value: str) -> bool:
        """True (and remembered) when a key has no invisible characters."""
        if _INVISIBLE_RE.search(value):
            return False
        if len(_CLEAN_KEYS) < 20000:
            _CLEAN_KEYS.add(value)
        return True

    def _node(self, event: Any, container: dict | list | None) -> bool:
        start = event.start_mark
        at = (start.line + 1, start.column + 1)
        if event.anchor is not None or getattr(event, "tag", None) is not None or event.__class__ is yaml.AliasEvent:
            self._check_node_properties(event, at)
        stack = self.stack
        parent = stack[-1] if stack else None
        if parent is None:
            path: tuple = ()
            discard = False
        elif parent.is_map:
            if parent.key is _NO_KEY:
                return self._key(event, container, parent, at)
            discard = parent.discard or parent.key is _DISCARD
            path = parent.path + (parent.key,)
        else:
            discard = parent.discard
            path = parent.path + (len(parent.container),)
        if container is not None:
            value: Any = container
        elif event.__class__ is yaml.AliasEvent:
            value = None
        else:
            value = self._scalar(event, path, at, discard)
        if not discard:
            if parent is None:
                self.root = value
            elif parent.is_map:
                parent.container[parent.key] = value
                self.marks[path] = (
                    parent.key_mark if container is not None and not event.flow_style else at
                )
            else:
                parent.container.append(value)
                self.marks[path] = at
        if container is None:
            if parent is not None and parent.is_map:
                parent.key = _NO_KEY
            return True
        return self._push(_Frame(container, path, discard), at, path)

    def _push(self, frame: _Frame, at: Mark, path: tuple) -> bool:
        if len(self.stack) >= MAX_DEPTH:
            self.error(rules.YAML_DEPTH, at, f"嵌套层级过深（超过 {MAX_DEPTH} 层），请简化结构", path)
            self.aborted = True
            return False
        self.stack.append(frame)
        return True

    def _key(self, event: Any, container: Any, parent: _Frame, at: Mark) -> bool:
        parent.key_mark = at
        if container is not None:
            self.error(rules.YAML_KEY, at, "字段名必须是简单的文本，不能是列表或“字段名: 值”", parent.path)
            return self._push(_Frame(container, parent.path, True, is_key=True), at, parent.path)
        if event.__class__ is yaml.AliasEvent:
            parent.key = _DISCARD
            return True
        raw = event.value
        style = event.style
        value = raw if event.tag is not None else resolve_scalar(raw, style)[1]
        if value.__class__ is not str:
            # Reported once here; the entry is left out, so no "unknown field" follows.
            kind = TYPE_ZH.get(type(value), "非文本")
            self.error(
                rules.YAML_KEY,
                at,
                f"字段名 {raw or '（空）'} 被 YAML 读成了{kind}，字段名必须是文本：请改用英文字段名，或给它加引号",
                parent.path,
            )
            parent.key = _DISCARD
            return True
        if parent.discard:
            parent.key = _DISCARD
            return True
        invisible = _INVISIBLE_RE.search(value)
        if invisible:
            # Reported once here; the key is read without the character, so the schema
            # does not also call it an unknown field.
            char = invisible.group()
            visible = _INVISIBLE_RE.sub("", value)
            self.error(
                rules.INVISIBLE_CHAR,
                (at[0], at[1] + invisible.start() + (1 if style else 0)),
                f"字段名“{visible}”里有看不见的字符：{INVISIBLE[char]}，请删除" if visible
                else f"字段名只由看不见的字符组成：{INVISIBLE[char]}，请删除",
                parent.path + (visible or value,),
            )
            value = visible or value
        path = parent.path + (value,)
        first = parent.first_keys.get(value)
        if first is not None:
            self.error(
                rules.YAML_DUPLICATE_KEY,
                at,
                f"重复的字段名 {value}（第 {first} 行已经写过），后一个会覆盖前一个：请合并或删除其中一个",
                path,
            )
            parent.key = _DISCARD
            return True
        parent.first_keys[value] = at[0]
        parent.key = value
        self.key_marks[path] = at
        return True

    def _scalar(self, event: Any, path: tuple, at: Mark, discard: bool) -> Any:
        end_mark = event.end_mark
        end = (end_mark.line + 1, end_mark.column + 1)
        if end[0] > at[0]:
            self.spans.append((at[0], end[0], end[1]))
        if event.tag is not None:
            return event.value
        style = event.style or ""
        tag, value = resolve_scalar(event.value, style)
        if not discard:
            self.scalars[path] = ScalarInfo(event.value, style, tag, at, end)
        return value

    def _check_node_properties(self, event: Any, at: Mark) -> None:
        if event.__class__ is yaml.AliasEvent or event.anchor is not None:
            self.anchors += 1
            if self.anchors == 1:
                self.error(rules.YAML_ALIAS, at, "不支持 YAML 锚点/别名（&、*）：请直接写出内容")
            return
        self.error(
            rules.YAML_TAG,
            at,
            "不允许使用 YAML 标签（如 !!python/…、!!str）：请删除标签，需要文本时用引号",
            found=event.tag,
        )


def _mark(mark: Any) -> Mark:
    return mark.line + 1, mark.column + 1


def format_path(path: tuple) -> str:
    """("highlights", "sections", 0, "title") → "highlights.sections[0].title"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# ------------------------------------------------------------------------ entry


def split_lines(text: str) -> list[str]:
    """Source lines split at the same line breaks as the YAML parser."""
    lines = LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def parse_text(text: str, path: Path, rel: str, *, pure: bool = False) -> tuple[SourceDoc | None, list[Problem]]:
    """Parse decoded text into a :class:`SourceDoc` (None when unusable)."""
    normalised = text if "\r" not in text and not ODD_BREAKS.search(text) else LINE_BREAK.sub("\n", text)
    lines = normalised.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    control, suspects = prescan(normalised)
    problems = [Problem.of(s.rule, rel, s.line, s.column, s.message, found=s.found) for s in control]
    builder = _Builder(rel)
    syntax: tuple[Mark, str] | None = None
    loader = None
    try:
        loader = (yaml.SafeLoader if pure else _PARSER)(text)
        builder.run(loader.get_event)
    except yaml.YAMLError as exc:
        syntax = translate_yaml_error(exc, text)
    except RecursionError:  # pragma: no cover - the event parser is iterative
        syntax = ((1, 1), "YAML 语法错误：嵌套层级过深")
    finally:
        if loader is not None:
            loader.dispose()
    block_lines = block_scalar_lines(lines) if syntax else set()
    kept = [
        s
        for s in suspects
        if not inside_scalar(s.line, builder.spans) and s.line not in block_lines
    ]
    problems += [Problem.of(s.rule, rel, s.line, s.column, s.message, found=s.found) for s in kept]
    seen = {(s.line, s.column) for s in kept}
    problems += [p for p in builder.problems if (p.line, p.column) not in seen]
    if syntax is not None:
        (line, col), message = syntax
        explained = any(line - 3 <= s.line <= line for s in kept + control)
        if not explained:
            problems.append(Problem.of(rules.YAML_SYNTAX, rel, line, col, message))
        return None, problems
    if builder.aborted or builder.documents > 1:
        return None, problems
    doc = SourceDoc(
        path=path,
        rel=rel,
        data=builder.root,
        marks=builder.marks,
        key_marks=builder.key_marks,
        scalars=builder.scalars,
        lines=lines,
    )
    return doc, problems


def load_yaml(path: Path, rel: str, *, pure: bool = False) -> tuple[SourceDoc | None, list[Problem]]:
    """Load one data file safely. Never raises for bad content; problems say what is wrong.

    ``pure`` forces PyYAML's pure-Python event parser (the default is libyaml when present).
    """
    try:
        raw = read_regular(path, MAX_BYTES)
    except Refused as exc:  # a symlink or a FIFO: named, never followed (kb.data.confine)
        return None, [refused_problem(rel, exc.rule)]
    except ValueError as exc:
        size = exc.args[0]
        return None, [
            Problem.of(
                rules.FILE_SIZE,
                rel,
                0,
                0,
                f"文件过大（{size / 1024 / 1024:.1f} MiB），单个数据文件不能超过 {MAX_BYTES // 1024 // 1024} MiB",
                found=f"{size} 字节",
            )
        ]
    except OSError as exc:
        return None, [Problem.of(rules.FILE_READ, rel, 0, 0, f"无法读取文件：{exc.strerror or '未知原因'}")]
    text, problems = decode(raw, rel)
    if text is None:
        return None, problems
    doc, more = parse_text(text, path, rel, pure=pure)
    return doc, problems + more
