"""The reference data contributors' tools read from a data directory.

Groups, units, campaigns (with their rosters and declared figures) and study materials,
as the Word importer and the scaffold need them: read leniently (a missing file is an
empty list) with :func:`kb.contrib.reportyaml.load`, because the tools run before the
data is validated. Enumerations come from the same directory's ``schema/``
(:func:`kb.data.schema.enums`), so a tool and the validator never disagree about them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from kb.contrib import reportyaml
from kb.data.schema import Enums, enums


def _stamp(data_dir: Path) -> tuple:
    """(path, mtime_ns, size) of every file :meth:`Reference.load` reads."""
    paths = [data_dir / name for name in ("groups.yml", "units.yml", "materials.yml")]
    paths += sorted((data_dir / "campaigns").glob("*.yml")) + sorted((data_dir / "schema").glob("*.json"))
    out = [str(data_dir.absolute())]
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        out.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(out)


_LAST: dict[type, tuple[tuple, Any]] = {}  # the last load per class (Reference, scaffold.Choices)


@dataclass
class Reference:
    """What the tools need from the data directory: groups, units, campaigns, materials,
    and the value lists of its own schemas (ledger statuses …)."""

    groups: list[dict]
    units: list[dict]
    campaigns: dict[str, dict]
    materials: list[dict] = field(default_factory=list)
    enums: Enums = field(default_factory=Enums)  # from <data_dir>/schema, not the repository's

    @classmethod
    def load(cls, data_dir: Path) -> Self:
        """Read ``data_dir``: groups.yml, units.yml, materials.yml, campaigns/*.yml and schema/.

        The last result is reused while none of those files changed (their size and mtime):
        an intake of many files asks for it once per file, and reading grows with the roster.
        """
        stamp = _stamp(data_dir)
        cached = _LAST.get(cls)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        loaded = cls._read(data_dir)
        _LAST[cls] = (stamp, loaded)
        return loaded

    @classmethod
    def _read(cls, data_dir: Path) -> Self:
        def read(path: Path, key: str) -> list[dict]:
            if not path.is_file():
                return []
            data = reportyaml.load(path.read_text(encoding="utf-8")) or {}
            return [d for d in data.get(key) or [] if isinstance(d, dict)]

        campaigns = {}
        for path in sorted((data_dir / "campaigns").glob("*.yml")):
            data = reportyaml.load(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("id"):
                campaigns[str(data["id"])] = data
        return cls(
            groups=read(data_dir / "groups.yml", "groups"),
            units=read(data_dir / "units.yml", "units"),
            campaigns=campaigns,
            materials=read(data_dir / "materials.yml", "materials"),
            enums=enums(data_dir / "schema"),
        )

    def unit(self, unit_id: str) -> dict | None:
        """The unit with id ``unit_id``, or None when it is not registered."""
        return next((u for u in self.units if u.get("id") == unit_id), None)

    def group_by_number(self, number: int) -> dict | None:
        return next((g for g in self.groups if g.get("number") == number), None)

    def roster_entry(self, campaign_id: str, unit_id: str) -> dict | None:
        """The unit's line in the campaign's roster (group and batch), or None."""
        campaign = self.campaigns.get(campaign_id) or {}
        return next((r for r in campaign.get("roster") or [] if r.get("unit") == unit_id), None)
