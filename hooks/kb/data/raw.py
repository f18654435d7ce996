"""The loaded data tree, as the validator (:mod:`kb.data.load`) hands it to the model
(:mod:`kb.data.model`): one small module both import, so neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kb.data.schema import Enums
from kb.data.yamlsafe import SourceDoc


@dataclass
class RawData:
    """Every loaded data file (None or absent when it could not be loaded)."""

    data_dir: Path
    groups: SourceDoc | None
    units: SourceDoc | None
    materials: SourceDoc | None
    campaigns: list[SourceDoc] = field(default_factory=list)  # data/campaigns/*.yml, by file name
    reports: list[SourceDoc] = field(default_factory=list)  # data/reports/<campaign>/<unit>.yml, by path
    enums: Enums = field(default_factory=Enums)  # of the schemas the data was validated with
