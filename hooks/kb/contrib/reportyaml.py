"""Write report data files as readable, commented YAML.

Report files are read and edited by people, so they are written the way the examples
are: prose in ``|-`` block scalars, short texts plain, comments where they help.
PyYAML's dumper cannot write comments and folds Chinese prose awkwardly, so the
importer (:mod:`kb.contrib.docx`) and the scaffold (:mod:`kb.contrib.scaffold`) use this
small emitter. :func:`scalar` is also used to append entries to ``units.yml`` and to
campaign rosters without re-dumping those files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from kb.data.schema import modeline

REPORT_MODELINE = modeline("report", 2)  # the first line of data/reports/<campaign>/<unit>.yml

# Fields whose value is contributor Markdown: always written as ``|-`` blocks.
PROSE_KEYS = frozenset({"opening", "intro", "text"})
# Lists written inline as ``[a, b]``.
FLOW_LISTS = frozenset({"materials"})

_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")


class _Loader(yaml.SafeLoader):
    """SafeLoader without timestamps: dates stay text, as in the project loader."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(text: str) -> Any:
    """Parse YAML the way the data files are read (dates as ``YYYY-MM-DD`` strings)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass


class Comment(str):
    """A dictionary value written as comment lines in place of its entry."""


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or "\n" in text or "\r" in text:
        return False
    if flow and _FLOW_UNSAFE.search(text):
        return False
    if any(ord(c) < 0x20 or c in "\x7f\u2028\u2029\ufeff" for c in text):
        return False
    try:
        return load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        return False


def scalar(value: Any, *, flow: bool = False) -> str:
    """One-line YAML for a scalar: plain when that reads back the same, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return text if _plain_ok(text, flow) else json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: int) -> list[str]:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    header = "|2-" if lines and lines[0].startswith(" ") else "|-"
    pad = " " * indent
    return [header] + [pad + line if line else "" for line in lines]


def _wild(path: str) -> str:
    return re.sub(r"\.\d+(?=\.|$)", ".*", path)


class _Emitter:
    def __init__(self, trailing: Mapping[str, str], above: Mapping[str, Sequence[str]]):
        self.trailing = trailing
        self.above = above
        self.out: list[str] = []

    def _lookup(self, table: Mapping, path: str) -> Any:
        return table.get(path) or table.get(_wild(path))

    def _line(self, text: str, path: str) -> None:
        note = self._lookup(self.trailing, path)
        self.out.append(f"{text}  # {note}" if note else text)

    def mapping(self, data: Mapping[str, Any], indent: int, path: str, dash: bool = False) -> None:
        first = True
        for key, value in data.items():
            sub = f"{path}.{key}" if path else str(key)
            prefix = " " * indent
            if dash and first:
                prefix = " " * (indent - 2) + "- "
            first = False
            for comment in self._lookup(self.above, sub) or ():
                self.out.append(" " * indent + f"# {comment}" if comment else "")
            if isinstance(value, Comment):
                self.out.extend(" " * indent + f"# {line}" for line in value.splitlines())
                continue
            self.entry(prefix, str(key), value, indent, sub)

    def entry(self, prefix: str, key: str, value: Any, indent: int, path: str) -> None:
        head = f"{prefix}{key}:"
        if isinstance(value, Mapping):
            if all(isinstance(v, Comment) for v in value.values()):
                self._line(f"{head} {{}}", path)
                self.mapping(value, indent + 2, path)
                return
            self._line(head, path)
            self.mapping(value, indent + 2, path)
        elif isinstance(value, list | tuple):
            self.sequence(head, key, list(value), indent, path)
        elif isinstance(value, str) and (key in PROSE_KEYS or "\n" in value):
            block = _block(value, indent + 2)
            self._line(f"{head} {block[0]}", path)
            self.out.extend(block[1:])
        else:
            self._line(f"{head} {scalar(value)}", path)

    def sequence(self, head: str, key: str, items: list, indent: int, path: str) -> None:
        if not items:
            self._line(f"{head} []", path)
            return
        if key in FLOW_LISTS and not any(isinstance(i, Mapping | list) for i in items):
            self._line(f"{head} [{', '.join(scalar(i, flow=True) for i in items)}]", path)
            return
        self._line(head, path)
        for n, item in enumerate(items):
            sub = f"{path}.{n}"
            if isinstance(item, Mapping):
                self.mapping(item, indent + 4, sub, dash=True)
            else:
                self.out.append(" " * (indent + 2) + "- " + scalar(item))


def dump(
    data: Mapping[str, Any],
    *,
    header: Sequence[str] = (REPORT_MODELINE,),
    trailing: Mapping[str, str] | None = None,
    above: Mapping[str, Sequence[str]] | None = None,
    footer: Sequence[str] = (),
) -> str:
    """YAML text of ``data`` with comment lines before, after and beside entries.

    ``trailing`` maps a dotted path (list positions as numbers or ``*``) to a comment at
    the end of that entry's line; ``above`` maps a path to comment lines written before it.
    """
    emitter = _Emitter(trailing or {}, above or {})
    emitter.mapping(data, 0, "")
    lines = list(header) + emitter.out + list(footer)
    return "\n".join(lines) + "\n"


def strip_comments(data: Any) -> Any:
    """``data`` without :class:`Comment` entries (what the written YAML reads back as)."""
    if isinstance(data, Mapping):
        return {k: strip_comments(v) for k, v in data.items() if not isinstance(v, Comment)}
    if isinstance(data, list | tuple):
        return [strip_comments(v) for v in data]
    return data
