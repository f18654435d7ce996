"""Chinese messages for the errors jsonschema finds in one document.

:func:`translate` turns one ``ValidationError`` into :class:`~kb.data.problems.Problem`
records with the Chinese field title from the schema, the expected and found values, and
the line/column of the offending value (or of the unknown key, or of the parent mapping
for a missing field). How YAML 1.1 read an unquoted value (``NO`` → false, ``010`` → 8)
is explained where it explains the error. Numbers are shown without ever converting a
huge one (Python refuses to print integers over 4,300 digits).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kb.data import rules
from kb.data.blanks import is_blank
from kb.data.deadlines import is_date, ongoing_word, read_deadline
from kb.data.ids import ID_PATTERN, NOT_ID_CHARACTERS, explain_id
from kb.data.problems import Problem
from kb.data.rules import Rule
from kb.data.yamlsafe import (
    BOOL_TAG,
    FLOAT_TAG,
    INT_TAG,
    NULL_TAG,
    ScalarInfo,
    SourceDoc,
    format_path,
)

if TYPE_CHECKING:
    from jsonschema import ValidationError

TYPE_NAMES = {
    "string": "文本",
    "integer": "整数",
    "number": "数字",
    "boolean": "true 或 false",
    "array": "列表",
    "object": "若干“字段名: 值”",
    "null": "空值",
}


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

    def add(self, at: tuple[int, int], path: tuple, message: str, expected: str, found: str, rule: Rule) -> None:
        self.problems.append(
            Problem.of(rule, self.doc.rel, at[0], at[1], message, path=format_path(path), expected=expected, found=found)
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
    out.add(out.doc.mark(path), path, message, expected, _found(value, info), rules.SCHEMA_TYPE)


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
            if path or not instance:
                out.add(out.doc.mark(path), path, f"缺少必填字段 {label}", name, "", rules.SCHEMA_REQUIRED)
                continue
            at, where = _where_missing(out.doc, list(props), name)
            out.add(at, (name,), f"缺少必填字段 {label}：{where}", name, "", rules.SCHEMA_REQUIRED)


def _outline_source(doc: SourceDoc) -> str:
    """How to see the blank outline of this report, to copy a deleted part from it."""
    data = doc.data if isinstance(doc.data, dict) else {}
    unit, campaign = data.get("unit"), data.get("campaign")
    ids = f"--unit {unit} --campaign {campaign} " if isinstance(unit, str) and isinstance(campaign, str) else ""
    return f'整个部分的提纲可以运行 make new-unit ARGS="{ids}--print" 显示出来再复制（不改动任何文件）'


def _where_missing(doc: SourceDoc, order: list[str], name: str) -> tuple[tuple[int, int], str]:
    """Where a missing top-level field belongs: (mark, Chinese "写在第 N 行之后…").

    The schema's property order is the order of the file (unit, campaign … opening,
    highlights, problems, plans …): the field goes after the last line of the field
    present before it, that is before the next field present after it.
    """
    present = {key[0]: mark for key, mark in doc.key_marks.items() if len(key) == 1}
    position = order.index(name) if name in order else len(order)
    after = [key for key in order[position + 1 :] if key in present]
    before = [key for key in order[:position] if key in present]
    nxt = min((present[key][0], key) for key in after) if after else None
    end = (nxt[0] if nxt else len(doc.lines) + 1) - 1
    while end > 1 and (not doc.lines[end - 1].strip() or doc.lines[end - 1].lstrip().startswith("#")):
        end -= 1
    parts = [f"{before[-1]} 的内容之后"] if before else []
    parts += [f"{nxt[1]}: 之前"] if nxt else []
    at = (nxt[0], 1) if nxt else (end, 1)
    outline = f"；{_outline_source(doc)}" if _is_part(doc, name) else ""
    return at, f"应写在第 {end} 行之后（{'、'.join(parts) or '文件末尾'}）{outline}"


def _is_part(doc: SourceDoc, name: str) -> bool:
    """Whether ``name`` is one of the outline's parts (一、二、三、) of a report."""
    return doc.rel.startswith("data/reports/") and name in ("highlights", "problems", "plans")


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
            rules.UNKNOWN_FIELD,
        )


def _enum(out: _Out, error: ValidationError, path: tuple) -> None:
    allowed = [str(v) for v in error.validator_value]
    synonyms = error.schema.get("x-synonyms") if isinstance(error.schema, dict) else None
    meant = synonyms.get(error.instance) if isinstance(synonyms, dict) and isinstance(error.instance, str) else None
    close = suggest(str(error.instance), allowed)
    if isinstance(meant, str) and meant in allowed:
        hint = f"：请写成“{meant}”"
    else:
        hint = f"，是否想写 {close}？" if close else ""
    out.add(
        out.doc.mark(path),
        path,
        f"{_title(error.schema, path)}的取值不在允许范围内{hint}",
        "、".join(allowed),
        describe(error.instance),
        rules.SCHEMA_ENUM,
    )


def _minimum(out: _Out, error: ValidationError, path: tuple) -> None:
    low = error.validator_value
    what = "不能为负数" if low == 0 else f"不能小于 {low}"
    out.add(out.doc.mark(path), path, f"{_title(error.schema, path)}{what}", f"≥ {low}", describe(error.instance), rules.SCHEMA_MINIMUM)


def _maximum(out: _Out, error: ValidationError, path: tuple) -> None:
    high = error.validator_value
    out.add(
        out.doc.mark(path), path, f"{_title(error.schema, path)}太大：不能大于 {high}，请核对数字",
        f"≤ {high}", describe(error.instance), rules.SCHEMA_MAXIMUM,
    )


def _min_length(out: _Out, error: ValidationError, path: tuple) -> None:
    out.add(out.doc.mark(path), path, f"{_title(error.schema, path)}不能为空", "非空文本", describe(error.instance), rules.SCHEMA_EMPTY)


def _min_items(out: _Out, error: ValidationError, path: tuple) -> None:
    n = error.validator_value
    count = len(error.instance) if isinstance(error.instance, list) else 0
    out.add(out.doc.mark(path), path, f"{_title(error.schema, path)}至少需要 {n} 项", f"≥ {n} 项", f"{count} 项", rules.SCHEMA_MIN_ITEMS)


def _max_length(out: _Out, error: ValidationError, path: tuple) -> None:
    n = error.validator_value
    count = len(error.instance) if isinstance(error.instance, str) else 0
    out.add(
        out.doc.mark(path), path, f"{_title(error.schema, path)}太长，请精简到 {n} 个字符以内",
        f"≤ {n} 个字符", f"{count} 个字符", rules.SCHEMA_MAX_LENGTH,
    )


def _max_items(out: _Out, error: ValidationError, path: tuple) -> None:
    n = error.validator_value
    count = len(error.instance) if isinstance(error.instance, list) else 0
    out.add(
        out.doc.mark(path), path, f"{_title(error.schema, path)}太多，请合并或精简到 {n} 项以内",
        f"≤ {n} 项", f"{count} 项", rules.SCHEMA_MAX_ITEMS,
    )


def _unique(out: _Out, error: ValidationError, path: tuple) -> None:
    seen: list[Any] = []
    for index, item in enumerate(error.instance):
        if item in seen:
            where = path + (index,)
            out.add(out.doc.mark(where), where, f"{_title(error.schema, path)}中有重复项 {item}", "不重复", str(item), rules.DUPLICATE)
        else:
            seen.append(item)


def _pattern_message(out: _Out, error: ValidationError, path: tuple) -> None:
    if is_blank(error.instance):
        return  # a blank of the blank report: the placeholder check reports it, once
    hint = error.schema.get("patternErrorMessage") or f"应符合格式 {error.validator_value}"
    if error.validator_value == ID_PATTERN and isinstance(error.instance, str):
        why = explain_id(error.instance)
        hint = hint if why == NOT_ID_CHARACTERS else f"{why}；{hint}"  # the hint says it already
    out.add(out.doc.mark(path), path, f"{_title(error.schema, path)}格式不对：{hint}", "", describe(error.instance), rules.SCHEMA_PATTERN)


def _any_of(out: _Out, error: ValidationError, path: tuple) -> None:
    """A value none of the alternatives accepts: the ledger's deadline, a date or an ongoing word."""
    value = error.instance
    types = [e for e in error.context or () if e.validator == "type"]
    digits = str(value) if type(value) is int else ""
    if len(digits) == 8 and is_date(f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"):
        date = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
        out.add(
            out.doc.mark(path), path, f"{_title(error.schema, path)}应为 YYYY-MM-DD 格式的日期：写成 {date}",
            "YYYY-MM-DD", describe(value), rules.SCHEMA_TYPE,
        )
        return
    if not isinstance(value, str) and types:
        _type(out, types[0], path)
        return
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value) and not is_date(value):
        _format(out, error, path)
        return
    name = _title(error.schema, path)
    hint = error.schema.get("patternErrorMessage") or "不符合要求"
    out.add(
        out.doc.mark(path), path, f"{name}格式不对：{_wording_hint(value, error.context or ())}{hint}", "",
        describe(value), rules.SCHEMA_PATTERN,
    )


def _wording_hint(value: Any, context: Any) -> str:
    """How to write a deadline worded as people write it: “2023年12月底”请写成 2023-12-31 …"""
    if not isinstance(value, str):
        return ""
    words = tuple(str(w) for e in context if e.validator == "enum" for w in e.validator_value)
    read = read_deadline(value)
    if read is not None:
        return f"“{shorten(value)}”请写成 {read.date}，原来的写法可以保留在 deadline_text 中；"
    if read_deadline(value, 2000) is not None:
        return f"“{shorten(value)}”没有年份，请写成完整的日期，原来的写法可以保留在 deadline_text 中；"
    word = ongoing_word(value, words) if words else None
    if word:
        return f"持续性的事项请写成“{word}”；"
    return ""


def _format(out: _Out, error: ValidationError, path: tuple) -> None:
    if is_blank(error.instance):
        return
    out.add(out.doc.mark(path), path, f"{_title(error.schema, path)}不是真实存在的日期", "YYYY-MM-DD 格式的有效日期", describe(error.instance), rules.SCHEMA_DATE)


def _property_name(out: _Out, error: ValidationError, path: tuple) -> None:
    key = error.instance
    parent = error.schema if isinstance(error.schema, dict) else {}
    hint = parent.get("patternErrorMessage") or "键名格式不对"
    out.add(out.doc.key_mark(path + (key,)), path + (key,), f"键名 {key} 不合规：{hint}", "", str(key), rules.SCHEMA_KEY)


def _other(out: _Out, error: ValidationError, path: tuple) -> None:
    out.add(
        out.doc.mark(path), path, f"{_title(error.schema, path)}不符合要求（校验器原文：{error.message}）",
        "", "", rules.SCHEMA_OTHER,
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
    "anyOf": _any_of,
}
