"""JSON Schemas of the data files: loading, checking, and Chinese error messages.

The schemas live in ``data/schema/<kind>.schema.json`` (draft 2020-12) and are shared
with editors (the ``yaml-language-server`` modeline) and pre-commit. Each is loaded once
per schema directory and compiled twice:

* a jsonschema validator, with three deliberate tightenings: ``integer`` does not accept
  ``6.0``, ``number`` does not accept infinity or NaN (``.inf``, ``.nan``, ``1.0e+400``,
  an integer too long to read), and a ``pattern`` ending in ``$`` does not accept a
  trailing newline (Python's ``$`` would; JavaScript's, which editors use, does not);
* a small *fast check* for the keywords these schemas use. It only answers "certainly
  valid"; anything else (a failure, or a keyword it does not know) hands the document
  to jsonschema, which produces the errors. Valid files, the common case, are checked
  about ten times faster.

jsonschema errors become :class:`~kb.data.problems.Problem` records with the Chinese field
title from the schema, the expected and found values, and the line/column of the
offending value (or of the unknown key, or of the parent mapping for a missing field).
"""

from __future__ import annotations

import datetime
import difflib
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.data.problems import ERROR, Problem
from kb.data.yamlsafe import (
    BOOL_TAG,
    FLOAT_TAG,
    INT_TAG,
    NULL_TAG,
    ScalarInfo,
    SourceDoc,
    format_path,
)

KINDS = ("groups", "units", "materials", "campaign", "report")
SCHEMA_DIR = Path(__file__).resolve().parents[3] / "data" / "schema"

TYPE_NAMES = {
    "string": "文本",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "array": "列表",
    "object": "若干“字段名: 值”",
    "null": "空值",
}

if TYPE_CHECKING:
    from jsonschema import ValidationError

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ID_PATTERN = "^[a-z0-9][a-z0-9-]{0,63}$"
ID_RE = re.compile(ID_PATTERN[1:-1])


MODELINE_PREFIX = "# yaml-language-server: $schema="


def modeline(kind: str, depth: int) -> str:
    """The first line of a data file of ``kind`` that lies ``depth`` folders below ``data/``
    (0: groups.yml …, 1: campaigns/x.yml, 2: reports/c/u.yml): the editor's JSON Schema link."""
    return f"{MODELINE_PREFIX}{'../' * depth}schema/{kind}.schema.json"


def explain_id(value: str) -> str:
    """Why ``value`` is not a safe id (Chinese), or "" when it is one."""
    if ID_RE.fullmatch(value):
        return ""
    if value == "":
        return "为空"
    if len(value) > 64:
        return f"太长（{len(value)} 个字符，最多 64 个）"
    if any(not c.isprintable() for c in value):
        return "含有换行符或其他看不见的控制字符"
    if ".." in value or "/" in value or "\\" in value:
        return "含有路径字符（/、\\ 或 ..），会指向别的目录"
    if ":" in value:
        return "含有冒号（如 C:\\），在 Windows 上是盘符"
    if value.lower() != value and ID_RE.fullmatch(value.lower()):
        return "含有大写字母：网址和文件名在 Windows/macOS 上不区分大小写，只允许小写"
    return "只能用小写英文字母、数字和“-”，并以字母或数字开头"


# ------------------------------------------------------------------ enums


@cache
def enum(kind: str, path: tuple[str, ...], schema_dir: Path = SCHEMA_DIR) -> tuple[str, ...]:
    """The allowed values of one field, read from ``<schema_dir>/<kind>.schema.json``.

    ``path`` names the field as in the data, with ``"items"`` for "each entry of the list":
    ``enum("report", ("ledger", "items", "status"))``. The schema files are the single
    source of truth for such lists; code reads them from here instead of repeating them.
    """
    return tuple(_node(kind, path, schema_dir)["enum"])


def _node(kind: str, path: tuple[str, ...], schema_dir: Path) -> dict:
    node = json.loads((schema_dir / f"{kind}.schema.json").read_text(encoding="utf-8"))
    for part in path:
        node = node["items"] if part == "items" and node.get("type") == "array" else node["properties"][part]
    return node


def text_field_titles(kind: str, path: tuple[str, ...], schema_dir: Path = SCHEMA_DIR) -> dict[str, str]:
    """The Chinese titles of the free-text fields of one object (no enum, no date), e.g.
    ``{"problem": "问题", …}`` for ``text_field_titles("report", ("ledger", "items"))``:
    the column labels of the 整改台账."""
    properties = _node(kind, path, schema_dir).get("properties", {})
    return {
        name: str(spec["title"]) for name, spec in properties.items()
        if spec.get("title") and spec.get("type") == "string" and "enum" not in spec and "format" not in spec
    }


def ledger_statuses() -> tuple[str, ...]:
    """整改台账 statuses in their order of progress; the last one (已完成) closes an item."""
    return enum("report", ("ledger", "items", "status"))


def material_categories() -> tuple[str, ...]:
    """Study-material categories (原著, 重要讲话 …) in the order pages list them."""
    return enum("materials", ("materials", "items", "category"))


# ------------------------------------------------------------------ jsonschema


@cache
def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """Compile a schema pattern; a final ``$`` means the very end (as in JavaScript)."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _is_date(instance: Any) -> bool:
    if not isinstance(instance, str):
        return True
    if not _DATE.fullmatch(instance):
        return False
    try:
        datetime.date.fromisoformat(instance)
    except ValueError:
        return False
    return True


@cache
def strict_validator_class() -> tuple[Any, Any]:
    """(validator class, format checker). jsonschema is imported only when needed:
    valid files never need it, and importing it costs a tenth of a second."""
    from jsonschema import Draft202012Validator, FormatChecker, ValidationError
    from jsonschema.validators import extend

    def pattern(validator: Any, pattern: str, instance: Any, schema: dict) -> Iterator[ValidationError]:
        if validator.is_type(instance, "string") and not _pattern_regex(pattern).search(instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    formats = FormatChecker(formats=())
    formats.checks("date")(_is_date)
    types = Draft202012Validator.TYPE_CHECKER.redefine_many({
        "integer": lambda _checker, value: type(value) is int,
        "number": lambda _checker, value: _is_number(value),
    })
    cls = extend(Draft202012Validator, validators={"pattern": pattern}, type_checker=types)
    return cls, formats


# ------------------------------------------------------------------ fast check

Check = Callable[[Any], bool]

_ANNOTATIONS = {
    "$schema", "$id", "title", "description", "examples", "patternErrorMessage", "default",
    "$comment", "contentMediaType",
}
def _is_number(value: Any) -> bool:
    """An integer or a finite float: infinity and NaN are no data (nor is ``true``)."""
    return type(value) is int or type(value) is float and math.isfinite(value)


_PY_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: type(v) is str,
    "integer": lambda v: type(v) is int,
    "number": _is_number,
    "boolean": lambda v: type(v) is bool,
    "array": lambda v: type(v) is list,
    "object": lambda v: type(v) is dict,
    "null": lambda v: v is None,
}


class Unsupported(Exception):
    """The schema uses a keyword the fast check does not implement."""


_KNOWN = {
    "type", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
    "uniqueItems", "minLength", "maxLength", "pattern", "enum", "minimum", "maximum", "format",
    "propertyNames",
}


def compile_fast(schema: Any) -> Check:
    """A predicate that is True only when ``schema`` certainly accepts the instance."""
    if schema is True:
        return lambda _v: True
    if schema is False or not isinstance(schema, dict):
        return lambda _v: False
    unknown = set(schema) - _ANNOTATIONS - _KNOWN
    if unknown or schema.get("format", "date") != "date":
        raise Unsupported(", ".join(sorted(unknown)) or str(schema["format"]))
    kind = schema.get("type")
    if kind is not None and not isinstance(kind, str):
        raise Unsupported("type list")
    string = _compile_string(schema, typed=kind == "string")
    if kind == "string":
        return string
    number = _compile_number(schema)
    checks = [c for c in (_PY_TYPES[kind] if kind else None, number) if c is not None]
    if kind in (None, "object"):
        checks += _compile_object(schema)
    if kind in (None, "array"):
        checks += _compile_array(schema)
    if kind is None and string is not _ANY:
        checks.append(string)
    if not checks:
        return _ANY
    if len(checks) == 1:
        return checks[0]

    def check(value: Any) -> bool:
        for one in checks:  # noqa: SIM110 - a plain loop is faster than all() here
            if not one(value):
                return False
        return True

    return check


def _ANY(_value: Any) -> bool:
    return True


def _compile_string(schema: dict, typed: bool) -> Check:
    """Checks that apply to text (``typed``: anything else is refused)."""
    allowed = frozenset(schema["enum"]) if "enum" in schema else None
    if allowed is not None and not all(type(v) is str for v in allowed):
        raise Unsupported("enum")
    min_length = schema.get("minLength", 0)
    max_length = schema.get("maxLength")
    search = _pattern_regex(schema["pattern"]).search if "pattern" in schema else None
    date = schema.get("format") == "date"
    if not typed and allowed is None and not min_length and max_length is None and search is None and not date:
        return _ANY

    def check_string(value: Any) -> bool:
        if type(value) is not str:
            return not typed and allowed is None
        if allowed is not None and value not in allowed:
            return False
        if len(value) < min_length or max_length is not None and len(value) > max_length:
            return False
        if search is not None and search(value) is None:
            return False
        return not date or _is_date(value)

    return check_string


def _compile_number(schema: dict) -> Check | None:
    """``minimum`` and ``maximum``; NaN is never certainly valid (it compares false)."""
    if "minimum" not in schema and "maximum" not in schema:
        return None
    low = schema.get("minimum", -math.inf)
    high = schema.get("maximum", math.inf)
    return lambda v: type(v) not in (int, float) or low <= v <= high


def _compile_object(schema: dict) -> list[Check]:
    checks: list[Check] = []
    props = {k: compile_fast(s) for k, s in schema.get("properties", {}).items()}
    required = tuple(schema.get("required", ()))
    extra = schema.get("additionalProperties", True)
    extra_check = compile_fast(extra)
    names = compile_fast(schema["propertyNames"]) if "propertyNames" in schema else None
    if props or required or extra is not True or names:

        def check_object(value: Any) -> bool:
            if type(value) is not dict:
                return True
            for name in required:
                if name not in value:
                    return False
            for key, item in value.items():
                sub = props.get(key)
                if sub is None:
                    if not extra_check(item):
                        return False
                elif not sub(item):
                    return False
                if names is not None and not names(key):
                    return False
            return True

        checks.append(check_object)
    return checks


def _compile_array(schema: dict) -> list[Check]:
    checks: list[Check] = []
    items = compile_fast(schema["items"]) if "items" in schema else None
    min_items = schema.get("minItems", 0)
    max_items = schema.get("maxItems")
    unique = schema.get("uniqueItems", False)
    if items or min_items or max_items is not None or unique:

        def check_array(value: Any) -> bool:
            if type(value) is not list:
                return True
            if len(value) < min_items or max_items is not None and len(value) > max_items:
                return False
            if items is not None and not all(items(v) for v in value):
                return False
            if unique:  # only plain text items are decided here
                return all(type(v) is str for v in value) and len(set(value)) == len(value)
            return True

        checks.append(check_array)
    return checks


# ------------------------------------------------------------------ loading


@dataclass
class CompiledSchema:
    """One file kind's schema, ready to check documents."""

    kind: str
    path: Path
    schema: dict
    fast: Check | None
    _validator: Any = None

    @property
    def validator(self) -> Any:
        """The jsonschema validator (built on first use; raises SchemaError)."""
        if self._validator is None:
            cls, formats = strict_validator_class()
            cls.check_schema(self.schema)
            self._validator = cls(self.schema, format_checker=formats)
        return self._validator

    def errors(self, data: Any) -> list[ValidationError]:
        if self.fast is not None and self.fast(data):
            return []
        return list(self.validator.iter_errors(data))


@lru_cache(maxsize=8)
def _load_dir(schema_dir: str, _stamp: tuple) -> tuple[dict[str, CompiledSchema], tuple[Problem, ...]]:
    compiled: dict[str, CompiledSchema] = {}
    problems: list[Problem] = []
    root = Path(schema_dir)
    for kind in KINDS:
        path = root / f"{kind}.schema.json"
        shown = f"{root.parent.name}/{root.name}/{path.name}"
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
            try:
                fast: Check | None = compile_fast(schema)
            except (Unsupported, AttributeError, KeyError, TypeError):
                fast = None
            item = CompiledSchema(kind, path, schema, fast)
            if fast is None:
                item.validator  # noqa: B018 - check the schema now, not at first use
        except FileNotFoundError:
            problems.append(Problem(shown, 0, 0, "缺少 JSON Schema 文件", rule="schema-missing"))
            continue
        except Exception as exc:  # invalid JSON or an invalid schema (jsonschema.SchemaError)
            problems.append(
                Problem(shown, 0, 0, "JSON Schema 文件无法使用", found=str(exc).splitlines()[0], rule="schema-broken")
            )
            continue
        compiled[kind] = item
    return compiled, tuple(problems)


def load_schemas(schema_dir: Path) -> tuple[dict[str, CompiledSchema], list[Problem]]:
    """The compiled schemas of ``schema_dir`` (cached) and problems with the schema files."""
    root = Path(schema_dir).absolute()
    stamp = []
    for kind in KINDS:  # an edited schema (under `mkdocs serve`) is compiled again
        try:
            stamp.append((root / f"{kind}.schema.json").stat().st_mtime_ns)
        except OSError:
            stamp.append(None)
    compiled, problems = _load_dir(str(root), tuple(stamp))
    return compiled, list(problems)


# ------------------------------------------------------------------ messages


def describe(value: Any) -> str:
    """A short Chinese description of a value, for the "found" part of a message."""
    if value is None:
        return "空值（没有填写内容）"
    if isinstance(value, bool):
        return f"逻辑值 {'true' if value else 'false'}"
    if isinstance(value, int):
        return f"整数 {number_text(value)}"
    if isinstance(value, float):
        return f"小数 {value}" if math.isfinite(value) else non_finite(value)
    if isinstance(value, str):
        return f"文本 “{shorten(value)}”"
    if isinstance(value, list):
        return f"列表（{len(value)} 项）"
    if isinstance(value, dict):
        return "若干“字段名: 值”"
    return type(value).__name__


SHOWN_DIGITS = 20  # a longer number is shown as its first digits and its length


def shorten(text: str, limit: int = 30) -> str:
    """``text`` cut to ``limit`` characters, with "…" when cut."""
    return text if len(text) <= limit else text[:limit] + "…"


def digits_text(digits: str) -> str:
    """A written integer (sign and digits) as shown in messages: no leading zeros, and
    only its first digits and its length when long. Never converts to ``int``: Python
    refuses to read integers over 4,300 digits."""
    sign = "-" if digits.startswith("-") else ""
    body = digits.lstrip("+-").lstrip("0") or "0"
    sign = "" if body == "0" else sign
    if len(body) <= SHOWN_DIGITS:
        return sign + body
    return f"{sign}{body[:SHOWN_DIGITS]}…（共 {len(body)} 位）"


def number_text(value: int) -> str:
    """An integer as shown in messages (see :func:`digits_text`)."""
    if value.bit_length() > 14000:  # over 4,200 digits: str() would refuse it
        return ("-" if value < 0 else "") + "超过 4000 位的整数"
    return digits_text(str(value))


def non_finite(value: float) -> str:
    """Chinese for infinity and NaN, which are no numbers a data file can mean."""
    if math.isnan(value):
        return "非数 NaN（不是数字）"
    return "无穷大" if value > 0 else "负无穷大"


def too_long_integer(raw: str) -> str:
    """"N 位的整数" for an integer written too long to read (see ``kb.data.yamlsafe``)."""
    body = raw.lstrip("+-").replace("_", "")
    if body.isdigit():
        return f"{len(body.lstrip('0'))} 位的整数"
    return f"{len(raw)} 个字符的{int_reading(raw)}"


def coercion(info: ScalarInfo | None, value: Any, *, text_wanted: bool = True) -> str:
    """How YAML 1.1 read an unquoted scalar, e.g. "NO 没有加引号，被 YAML 1.1 读成了逻辑值 false".

    The missing quotes are mentioned only when the field wants text (quotes would help).
    """
    if info is None or not info.plain or info.tag not in (BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG):
        return ""
    raw = shorten(info.raw)
    how = f"{raw} 没有加引号，被 YAML 1.1 读成了" if text_wanted else f"{raw} 被 YAML 1.1 读成了"
    if info.tag == NULL_TAG:
        return "" if raw in ("", "~") else f"{raw} 被 YAML 1.1 读成了空值"
    if info.tag == BOOL_TAG:
        return f"{how}逻辑值 {'true' if value else 'false'}"
    if info.tag == INT_TAG and type(value) is float:  # too long to read (kb.data.yamlsafe)
        return f"{how} {too_long_integer(info.raw)}，太大，无法使用"
    if info.tag == INT_TAG:
        return f"{how}{int_reading(info.raw)} {number_text(value)}"
    if type(value) is float and not math.isfinite(value):
        return f"{how}{non_finite(value)}"
    return f"{how}小数 {value}"


_NUMBER_WITH_TEXT = re.compile(r"([+-]?[0-9０-９]+)\s*([^0-9０-９\s,，.．][^0-9０-９]*)", re.S)
_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:\.[0-9]*)?[eE][+-]?[0-9]+")
_THOUSANDS = re.compile(r"[+-]?[0-9０-９]{1,3}(?:[,，][0-9０-９]{3})+")


def integer_hint(value: str, info: ScalarInfo | None) -> str:
    """How to turn the text ``value`` into the integer a field wants, or "".

    Mentions quotes only when the value was quoted: ``"5"`` → 请去掉引号，写成 5;
    ``５`` → 数字请用半角：写成 5; ``5个`` → 只写数字，不写单位“个”：写成 5.
    """
    text = value.strip()
    quoted = info is not None and info.style in ("'", '"')
    unquote = "请去掉引号，" if quoted else ""
    half = text.translate(_HALF_WIDTH_DIGITS)
    if _CANONICAL_DIGITS.fullmatch(half):
        fixed = digits_text(half)
        if half != text:
            return f"{unquote}数字请用半角：写成 {fixed}"
        return f"{unquote}写成 {fixed}" if quoted else ""
    if _THOUSANDS.fullmatch(text):
        return f"不要用千位分隔符：写成 {digits_text(re.sub('[,，]', '', half))}"
    if _SCIENTIFIC.fullmatch(half):
        return f"不要用科学计数法（{shorten(text, 12)}），只写阿拉伯数字"
    match = _NUMBER_WITH_TEXT.fullmatch(text)
    if match:
        unit = shorten(match.group(2).strip())
        return f"只写阿拉伯数字，不写单位或文字“{unit}”：写成 {digits_text(match.group(1).translate(_HALF_WIDTH_DIGITS))}"
    return ""


_HALF_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９＋－", "0123456789+-")
_CANONICAL_DIGITS = re.compile(r"[+-]?[0-9]+")


def int_reading(raw: str) -> str:
    """Which YAML 1.1 integer notation ``raw`` uses (八进制, 六十进制 …)."""
    body = raw.lstrip("+-").replace("_", "")
    if ":" in body:
        return "六十进制整数"
    if body.startswith("0x"):
        return "十六进制整数"
    if body.startswith("0b"):
        return "二进制整数"
    if len(body) > 1 and body.startswith("0"):
        return "八进制整数"
    return "整数"


def _title(schema: Any, path: tuple) -> str:
    name = schema.get("title") if isinstance(schema, dict) else None
    if name:
        return f"“{name}”"
    return f"字段 {format_path(path)}" if path else "文件内容"


def suggest(word: str, choices: list[str]) -> str:
    """The closest known word, or ""."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else ""


@dataclass
class _Out:
    doc: SourceDoc
    problems: list[Problem]

    def add(self, at: tuple[int, int], path: tuple, message: str, expected: str = "", found: str = "", rule: str = "") -> None:
        self.problems.append(
            Problem(self.doc.rel, at[0], at[1], message, format_path(path), ERROR, expected, found, rule)
        )


def translate(error: ValidationError, doc: SourceDoc) -> list[Problem]:
    """Chinese problems for one jsonschema error, placed at the right line and column."""
    out = _Out(doc, [])
    path = tuple(error.absolute_path)
    handler = _HANDLERS.get(str(error.validator), _other)
    if "propertyNames" in error.relative_schema_path:
        handler = _property_name
    handler(out, error, path)
    return out.problems


MAX_SHOWN_FLOAT = 1e15  # "写成 N" is suggested for 6.0, never for 1.0e+300


def _type(out: _Out, error: ValidationError, path: tuple) -> None:
    wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    expected = "、".join(TYPE_NAMES.get(t, t) for t in wanted)
    value = error.instance
    info = out.doc.scalars.get(path)
    name = _title(error.schema, path)
    explained = coercion(info, value, text_wanted="string" in wanted)
    if not path and value is None:
        message = "文件是空的，没有任何内容"
    elif explained and "string" in wanted:
        message = f"{name}应为文本：{explained}；请加引号，写成 \"{shorten(info.raw)}\""
    elif type(value) is float and not math.isfinite(value):
        message = _non_finite_message(name, expected, error.schema, info, value)
    elif "integer" in wanted and isinstance(value, float) and value.is_integer() and abs(value) <= MAX_SHOWN_FLOAT:
        message = f"{name}应为整数，不能带小数点：写成 {int(value)}"
    elif explained and "integer" in wanted and isinstance(value, float):
        message = f"{name}应为整数，不能带小数点：{explained}"
    elif value is None:
        message = f"{name}没有填写内容，应为{expected}"
    elif "integer" in wanted and isinstance(value, str) and integer_hint(value, info):
        message = f"{name}应为整数：{integer_hint(value, info)}"
    elif "integer" in wanted and isinstance(value, float):
        message = f"{name}应为整数，不能带小数"
    elif explained and {"integer", "number"} & set(wanted):
        message = f"{name}的类型不对，应为{expected}：{explained}"
    else:
        message = f"{name}的类型不对，应为{expected}"
    out.add(out.doc.mark(path), path, message, expected, _found(value, info), "schema-type")


def _found(value: Any, info: ScalarInfo | None) -> str:
    """:func:`describe`, except for an integer too long to read: its first digits."""
    if info is not None and info.tag == INT_TAG and type(value) is float:
        body = info.raw.replace("_", "")
        return f"整数 {digits_text(body)}" if body.lstrip("+-").isdigit() else shorten(info.raw)
    return describe(value)


def _non_finite_message(name: str, expected: str, schema: Any, info: ScalarInfo | None, value: float) -> str:
    """Infinity or NaN where a number is wanted: an integer too long to read (kb.data.yamlsafe
    reads it as infinity), or ``.inf``, ``.nan``, ``1.0e+400``."""
    if info is not None and info.tag == INT_TAG:
        keyword, what, relation = ("maximum", "太大", "大于") if value > 0 else ("minimum", "太小", "小于")
        bound = schema.get(keyword) if isinstance(schema, dict) else None
        limit = f"，不能{relation} {bound}" if type(bound) in (int, float) else "，无法使用"
        return f"{name}{what}：写了 {too_long_integer(info.raw)}{limit}"
    how = coercion(info, value, text_wanted=False) or f"读成了{non_finite(value)}"
    return f"{name}应为{expected}，不能是无穷大或 NaN：{how}"


def _required(out: _Out, error: ValidationError, path: tuple) -> None:
    instance = error.instance if isinstance(error.instance, dict) else {}
    props = error.schema.get("properties", {})
    for name in error.validator_value:
        if name not in instance:
            title = props.get(name, {}).get("title", "")
            label = f"{name}（{title}）" if title else name
            out.add(out.doc.mark(path), path, f"缺少必填字段 {label}", name, "", "schema-required")


def _additional(out: _Out, error: ValidationError, path: tuple) -> None:
    instance = error.instance if isinstance(error.instance, dict) else {}
    known = list(error.schema.get("properties", {}))
    for key in instance:
        if key in known:
            continue
        close = suggest(str(key), known)
        hint = f"，是否想写 {close}？" if close else f"（允许的字段：{'、'.join(known)}）"
        out.add(
            out.doc.key_mark(path + (key,)),
            path + (key,),
            f"未知字段 {key}{hint}",
            close or "、".join(known),
            str(key),
            "unknown-field",
        )


def _enum(out: _Out, error: ValidationError, path: tuple) -> None:
    allowed = [str(v) for v in error.validator_value]
    close = suggest(str(error.instance), allowed)
    hint = f"，是否想写 {close}？" if close else ""
    out.add(
        out.doc.mark(path),
        path,
        f"{_title(error.schema, path)}的取值不在允许范围内{hint}",
        "、".join(allowed),
        describe(error.instance),
        "schema-enum",
    )


def _minimum(out: _Out, error: ValidationError, path: tuple) -> None:
    low = error.validator_value
    what = "不能为负数" if low == 0 else f"不能小于 {low}"
    out.add(out.doc.mark(path), path, f"{_title(error.schema, path)}{what}", f"≥ {low}", describe(error.instance), "schema-minimum")


def _maximum(out: _Out, error: ValidationError, path: tuple) -> None:
    high = error.validator_value
    out.add(
        out.doc.mark(path), path, f"{_title(error.schema, path)}太大：不能大于 {high}，请核对数字",
        f"≤ {high}", describe(error.instance), "schema-maximum",
    )


def _min_length(out: _Out, error: ValidationError, path: tuple) -> None:
    out.add(out.doc.mark(path), path, f"{_title(error.schema, path)}不能为空", "非空文本", describe(error.instance), "schema-empty")


def _min_items(out: _Out, error: ValidationError, path: tuple) -> None:
    n = error.validator_value
    count = len(error.instance) if isinstance(error.instance, list) else 0
    out.add(out.doc.mark(path), path, f"{_title(error.schema, path)}至少需要 {n} 项", f"≥ {n} 项", f"{count} 项", "schema-min-items")


def _max_length(out: _Out, error: ValidationError, path: tuple) -> None:
    n = error.validator_value
    count = len(error.instance) if isinstance(error.instance, str) else 0
    out.add(
        out.doc.mark(path), path, f"{_title(error.schema, path)}太长，请精简到 {n} 个字符以内",
        f"≤ {n} 个字符", f"{count} 个字符", "schema-max-length",
    )


def _max_items(out: _Out, error: ValidationError, path: tuple) -> None:
    n = error.validator_value
    count = len(error.instance) if isinstance(error.instance, list) else 0
    out.add(
        out.doc.mark(path), path, f"{_title(error.schema, path)}太多，请合并或精简到 {n} 项以内",
        f"≤ {n} 项", f"{count} 项", "schema-max-items",
    )


def _unique(out: _Out, error: ValidationError, path: tuple) -> None:
    seen: list[Any] = []
    for index, item in enumerate(error.instance):
        if item in seen:
            where = path + (index,)
            out.add(out.doc.mark(where), where, f"{_title(error.schema, path)}中有重复项 {item}", "不重复", str(item), "duplicate")
        else:
            seen.append(item)


def _pattern_message(out: _Out, error: ValidationError, path: tuple) -> None:
    hint = error.schema.get("patternErrorMessage") or f"应符合格式 {error.validator_value}"
    if error.validator_value == ID_PATTERN and isinstance(error.instance, str):
        hint = f"{explain_id(error.instance)}；{hint}"
    out.add(out.doc.mark(path), path, f"{_title(error.schema, path)}格式不对：{hint}", "", describe(error.instance), "schema-pattern")


def _format(out: _Out, error: ValidationError, path: tuple) -> None:
    out.add(out.doc.mark(path), path, f"{_title(error.schema, path)}不是真实存在的日期", "YYYY-MM-DD 格式的有效日期", describe(error.instance), "schema-date")


def _property_name(out: _Out, error: ValidationError, path: tuple) -> None:
    key = error.instance
    parent = error.schema if isinstance(error.schema, dict) else {}
    hint = parent.get("patternErrorMessage") or "键名格式不对"
    out.add(out.doc.key_mark(path + (key,)), path + (key,), f"键名 {key} 不合规：{hint}", "", str(key), "schema-key")


def _other(out: _Out, error: ValidationError, path: tuple) -> None:
    out.add(
        out.doc.mark(path), path, f"{_title(error.schema, path)}不符合要求（校验器原文：{error.message}）",
        "", "", f"schema-{error.validator}",
    )


_HANDLERS: dict[str, Callable[[_Out, ValidationError, tuple], None]] = {
    "type": _type,
    "required": _required,
    "additionalProperties": _additional,
    "enum": _enum,
    "minimum": _minimum,
    "maximum": _maximum,
    "minLength": _min_length,
    "minItems": _min_items,
    "maxLength": _max_length,
    "maxItems": _max_items,
    "uniqueItems": _unique,
    "pattern": _pattern_message,
    "format": _format,
}


def check(doc: SourceDoc, compiled: CompiledSchema) -> list[Problem]:
    """Schema problems of one document, in Chinese, with marks."""
    try:
        errors = compiled.errors(doc.data)
    except Exception as exc:  # a schema jsonschema refuses (SchemaError)
        return [
            Problem(doc.rel, 0, 0, f"无法用 {compiled.path.name} 校验：JSON Schema 文件无法使用",
                    found=str(exc).splitlines()[0], rule="schema-broken")
        ]
    by_kind: dict[str, set[tuple]] = {}
    for error in errors:
        by_kind.setdefault(str(error.validator), set()).add(tuple(error.absolute_path))
    problems: list[Problem] = []
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator != "type" and path in by_kind.get("type", ()):
            continue  # `status: on`: the type message explains it; "not in the enum" adds nothing
        if error.validator == "format" and path in by_kind.get("pattern", ()):
            continue  # "2023-9-8": the pattern message already says how to write it
        problems += translate(error, doc)
    # `titel:` is reported once, as an unknown field suggesting title, not also as missing title.
    suggested = {(p.path.rsplit(".", 1)[0] if "." in p.path else "", p.expected) for p in problems if p.rule == "unknown-field"}
    return [p for p in problems if p.rule != "schema-required" or (p.path, p.expected) not in suggested]
