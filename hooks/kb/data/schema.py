"""JSON Schemas of the data files: loading, compiling, checking, and the enumerations.

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

:func:`check` gives the problems of one document; :mod:`kb.data.messages` words them in
Chinese. The enumerations of the schemas (ledger statuses and their synonyms, the ongoing
deadlines, material categories) are read from here too; our own annotations in the schemas
start with ``x-`` (``x-synonyms``, ``x-status``), which validators and editors ignore.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kb.data import rules
from kb.data.messages import translate
from kb.data.problems import Problem
from kb.data.yamlsafe import SourceDoc

KINDS = ("groups", "units", "materials", "campaign", "report")
SCHEMA_DIR = Path(__file__).resolve().parents[3] / "data" / "schema"

if TYPE_CHECKING:
    from jsonschema import ValidationError

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

MODELINE_PREFIX = "# yaml-language-server: $schema="


def modeline(kind: str, depth: int) -> str:
    """The first line of a data file of ``kind`` that lies ``depth`` folders below ``data/``
    (0: groups.yml …, 1: campaigns/x.yml, 2: reports/c/u.yml): the editor's JSON Schema link."""
    return f"{MODELINE_PREFIX}{'../' * depth}schema/{kind}.schema.json"


# ------------------------------------------------------------------ enums


# Where the enumerations the code needs live: (file kind, field path with "items" for
# "each entry of the list").
LEDGER_STATUS = ("report", ("ledger", "items", "status"))
MATERIAL_CATEGORY = ("materials", ("materials", "items", "category"))
LEDGER_ITEM = ("report", ("ledger", "items"))
LEDGER_DEADLINE = ("report", ("ledger", "items", "deadline"))
SYNONYMS = "x-synonyms"  # on an enum field: {"已整改": "已完成", …}, words people write for its values
ONGOING_STATUS = "x-status"  # on the deadline's list of ongoing words: the status they go with


@dataclass(frozen=True)
class Enums:
    """The value lists the code needs from the schemas of one data folder.

    Read with the data (:func:`enums_of` on the compiled schemas the validator used, or
    :func:`enums` for a schema folder), never from the repository's ``data/schema`` at
    import: another data folder may spell them differently. Empty when a schema is
    missing or broken (the validator reports that).
    """

    ledger_statuses: tuple[str, ...] = ()  # 整改台账 statuses in order of progress
    material_categories: tuple[str, ...] = ()  # 原著, 重要讲话 … in the order pages list them
    status_synonyms: tuple[tuple[str, str], ...] = ()  # (已整改, 已完成) …: the status field's x-synonyms
    ongoing_deadlines: tuple[str, ...] = ()  # 长期坚持, 持续推进, 常态化: deadlines that are no date
    ongoing_status: str = ""  # the status an ongoing deadline goes with (长期坚持)

    @property
    def done(self) -> str:
        """The status that closes a ledger item (已完成): the last, in order of progress."""
        return self.ledger_statuses[-1] if self.ledger_statuses else ""

    @property
    def status_table(self) -> dict[str, str]:
        """Every status wording the schema knows → its status: the statuses themselves and
        their synonyms (a synonym of a status the schema does not list is left out)."""
        table = {status: status for status in self.ledger_statuses}
        for word, status in self.status_synonyms:
            if status in table and word not in table:
                table[word] = status
        return table


def node(schema: Any, path: tuple[str, ...]) -> dict:
    """The sub-schema of the field ``path`` (``"items"``: each entry of a list). Raises
    KeyError or TypeError when the schema has no such field."""
    for part in path:
        schema = schema["items"] if part == "items" and schema.get("type") == "array" else schema["properties"][part]
    if not isinstance(schema, dict):
        raise TypeError(path)
    return schema


def enum_of(schema: Any, path: tuple[str, ...]) -> tuple[str, ...]:
    """The allowed values of one field of a loaded schema (KeyError/TypeError: none)."""
    return tuple(str(value) for value in node(schema, path)["enum"])


def text_field_titles(schema: Any, path: tuple[str, ...]) -> dict[str, str]:
    """The Chinese titles of the free-text fields of one object (no enum, no date), e.g.
    ``{"problem": "问题", …}`` for the ledger items of the report schema: the column labels
    of the 整改台账. Empty when the schema has no such object."""
    try:
        properties = node(schema, path).get("properties", {})
    except (KeyError, TypeError, AttributeError):
        return {}
    return {
        name: str(spec["title"]) for name, spec in properties.items()
        if isinstance(spec, dict) and spec.get("title") and spec.get("type") == "string"
        and "enum" not in spec and "format" not in spec
    }


def _enum_in(compiled: dict[str, CompiledSchema], where: tuple[str, tuple[str, ...]]) -> tuple[str, ...]:
    kind, path = where
    if kind not in compiled:
        return ()
    try:
        return enum_of(compiled[kind].schema, path)
    except (KeyError, TypeError, AttributeError):
        return ()


def _synonyms_in(compiled: dict[str, CompiledSchema], where: tuple[str, tuple[str, ...]]) -> tuple[tuple[str, str], ...]:
    kind, path = where
    try:
        table = node(compiled[kind].schema, path).get(SYNONYMS)
    except (KeyError, TypeError, AttributeError):
        return ()
    if not isinstance(table, dict):
        return ()
    return tuple((str(word), str(status)) for word, status in table.items() if isinstance(status, str))


def _ongoing_in(compiled: dict[str, CompiledSchema]) -> tuple[tuple[str, ...], str]:
    """The ongoing words of the deadline (the ``anyOf`` branch with an enum) and their status."""
    kind, path = LEDGER_DEADLINE
    try:
        branches = node(compiled[kind].schema, path).get("anyOf") or []
    except (KeyError, TypeError, AttributeError):
        return (), ""
    for branch in branches:
        if isinstance(branch, dict) and isinstance(branch.get("enum"), list):
            return tuple(str(v) for v in branch["enum"]), str(branch.get(ONGOING_STATUS, ""))
    return (), ""


def enums_of(compiled: dict[str, CompiledSchema]) -> Enums:
    """The enumerations of compiled schemas (those :func:`load_schemas` gave)."""
    ongoing, ongoing_status = _ongoing_in(compiled)
    return Enums(
        _enum_in(compiled, LEDGER_STATUS), _enum_in(compiled, MATERIAL_CATEGORY),
        _synonyms_in(compiled, LEDGER_STATUS), ongoing, ongoing_status,
    )


def enums(schema_dir: Path) -> Enums:
    """The enumerations of the schemas in ``schema_dir`` (``<data dir>/schema``)."""
    return enums_of(load_schemas(schema_dir)[0])


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
}  # and every keyword starting with "x-": our own annotations (x-synonyms, x-status)
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
    "propertyNames", "anyOf",
}


def compile_fast(schema: Any) -> Check:
    """A predicate that is True only when ``schema`` certainly accepts the instance."""
    if schema is True:
        return lambda _v: True
    if schema is False or not isinstance(schema, dict):
        return lambda _v: False
    unknown = {key for key in schema if not key.startswith("x-")} - _ANNOTATIONS - _KNOWN
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
    if "anyOf" in schema:
        checks.append(_compile_any_of(schema["anyOf"]))
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


def _compile_any_of(branches: Any) -> Check:
    """``anyOf``: certainly valid when one branch certainly accepts the value."""
    if not isinstance(branches, list) or not branches:
        raise Unsupported("anyOf")
    checks = [compile_fast(branch) for branch in branches]
    return lambda value: any(one(value) for one in checks)


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
            problems.append(Problem.of(rules.SCHEMA_MISSING, shown, 0, 0, "缺少 JSON Schema 文件"))
            continue
        except Exception as exc:  # invalid JSON or an invalid schema (jsonschema.SchemaError)
            problems.append(
                Problem.of(rules.SCHEMA_BROKEN, shown, 0, 0, "JSON Schema 文件无法使用", found=str(exc).splitlines()[0])
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


# ------------------------------------------------------------------ checking


def check(doc: SourceDoc, compiled: CompiledSchema) -> list[Problem]:
    """Schema problems of one document, in Chinese, with marks."""
    try:
        errors = compiled.errors(doc.data)
    except Exception as exc:  # a schema jsonschema refuses (SchemaError)
        return [
            Problem.of(rules.SCHEMA_BROKEN, doc.rel, 0, 0, f"无法用 {compiled.path.name} 校验：JSON Schema 文件无法使用",
                       found=str(exc).splitlines()[0])
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
    suggested = {(p.path.rsplit(".", 1)[0] if "." in p.path else "", p.expected) for p in problems if p.rule == rules.UNKNOWN_FIELD.id}
    return [p for p in problems if p.rule != rules.SCHEMA_REQUIRED.id or (p.path, p.expected) not in suggested]
