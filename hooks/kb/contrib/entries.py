"""Which entries of a shared list file a change touches, and that file with only some of them.

``data/units.yml`` (list ``units``, keyed by ``id``) and every ``data/campaigns/<id>.yml``
(list ``roster``, keyed by ``unit``) are shared by all contributors: one line per unit. A
contributor who registered a unit weeks ago and now submits another report would take that
old line in with ``git add data/units.yml``. :func:`changes` names every entry a change
adds, alters or removes (by key, from the parsed lists, never from the text layout);
:func:`keep_only` is the file as it was plus only the chosen entries' changes, made line by
line from a diff and checked by parsing (``None`` when the layout defeats that).

Pure functions of two texts: ``scripts/submit.py`` reads them from git.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

import yaml

ADDED, CHANGED, REMOVED = "新增", "修改", "删除"


@dataclass(frozen=True)
class ListFile:
    """A shared list file: the top-level key of its list and the key naming an entry."""

    list_key: str
    id_key: str


UNITS = ListFile("units", "id")
ROSTER = ListFile("roster", "unit")


@dataclass(frozen=True)
class EntryChange:
    """One entry added, changed or removed; ``entry`` is its new value (old when removed)."""

    key: str
    kind: str
    entry: dict


def entries(text: str, kind: ListFile) -> dict[str, dict]:
    """The list's entries by key. Raises ValueError (in Chinese) when the text is not such a file."""
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError:
        raise ValueError("文件不是有效的 YAML，请先运行 make validate 改正") from None
    items = (data or {}).get(kind.list_key, []) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ValueError(f"文件中没有 {kind.list_key} 列表")
    found: dict[str, dict] = {}
    for item in items:
        if isinstance(item, dict) and item.get(kind.id_key) is not None:
            found.setdefault(str(item[kind.id_key]), item)
    return found


def changes(base: str, current: str, kind: ListFile) -> list[EntryChange]:
    """Entries of ``current`` not in ``base`` or different there, then entries gone, in file order."""
    old, new = entries(base, kind), entries(current, kind)
    found = [EntryChange(key, ADDED if key not in old else CHANGED, entry)
             for key, entry in new.items() if old.get(key) != entry]
    return found + [EntryChange(key, REMOVED, entry) for key, entry in old.items() if key not in new]


def _owners(lines: list[str], kind: ListFile) -> list[str | None]:
    """For every line, the key of the list entry it belongs to (None outside the list)."""
    owners: list[str | None] = []
    inside, indent, current = False, -1, None
    for line in lines:
        if re.match(rf"{re.escape(kind.list_key)}\s*:", line):
            inside, indent, current = True, -1, None
        elif inside and line.strip() and not line[0].isspace() and not line.startswith(("-", "#")):
            inside, current = False, None  # the next top-level key
        item = re.match(r"(\s*)-(\s|$)", line) if inside else None
        if item and (indent < 0 or len(item.group(1)) == indent):
            indent, current = len(item.group(1)), _key_of(line[len(item.group(1)):], kind)
        owners.append(current if inside else None)
    return owners


def _key_of(item_text: str, kind: ListFile) -> str | None:
    """The key of an entry from its first line (flow style) or None when it continues below."""
    try:
        value = yaml.safe_load(item_text)
    except yaml.YAMLError:
        match = re.search(rf"\b{re.escape(kind.id_key)}\s*:\s*([\w.-]+)", item_text)
        return match.group(1) if match else None
    if isinstance(value, list) and value and isinstance(value[0], dict) and kind.id_key in value[0]:
        return str(value[0][kind.id_key])
    match = re.search(rf"\b{re.escape(kind.id_key)}\s*:\s*([\w.-]+)", item_text)
    return match.group(1) if match else None


def keep_only(base: str, current: str, kind: ListFile, keep: set[str]) -> str | None:
    """``base`` with the changes of the entries in ``keep`` from ``current``, nothing else.

    Lines outside the list, and every other entry's lines, stay as in ``base``. The result is
    parsed and compared with what it should hold; None when it does not (the caller then asks
    the contributor to pick the lines by hand).
    """
    if base and not base.endswith("\n"):
        base += "\n"
    old, new = base.splitlines(keepends=True), current.splitlines(keepends=True)
    old_owner, new_owner = _owners(old, kind), _owners(new, kind)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out += old[i1:i2]
            continue
        out += [line for line, owner in zip(old[i1:i2], old_owner[i1:i2], strict=True) if owner not in keep]
        out += [line for line, owner in zip(new[j1:j2], new_owner[j1:j2], strict=True) if owner is not None and owner in keep]
    text = "".join(out)
    return text if _holds(text, base, current, kind, keep) else None


def _holds(text: str, base: str, current: str, kind: ListFile, keep: set[str]) -> bool:
    """Does ``text`` hold the base entries with exactly the kept ones as in ``current``?"""
    try:
        got, old, new = entries(text, kind), entries(base, kind), entries(current, kind)
    except ValueError:
        return False
    want = {k: v for k, v in old.items() if k not in keep}
    want.update({k: v for k, v in new.items() if k in keep})
    if got != want:
        return False
    outside = _without_list(text, kind), _without_list(base, kind)
    return outside[0] == outside[1]


def _without_list(text: str, kind: ListFile) -> Any:
    data = yaml.safe_load(text) if text.strip() else {}
    return {k: v for k, v in (data or {}).items() if k != kind.list_key} if isinstance(data, dict) else data
