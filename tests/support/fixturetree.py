"""The fixture data trees of the validator tests: tests/fixtures/good/ (a small valid tree)
and one file per bad input in tests/fixtures/bad/, described in its cases.yml."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from conftest import ROOT
from kb.data.problems import Problem, format_problems

FIXTURES = ROOT / "tests" / "fixtures"
GOOD, BAD = FIXTURES / "good", FIXTURES / "bad"
CASES = yaml.safe_load((BAD / "cases.yml").read_text(encoding="utf-8"))


def make_tree(tmp_path: Path) -> Path:
    """tmp/data = the good fixture tree + the real JSON Schemas."""
    data = tmp_path / "data"
    shutil.copytree(GOOD, data)
    shutil.copytree(ROOT / "data" / "schema", data / "schema")
    return data


def write_fixture(data: Path, case: dict) -> None:
    """Put the bad file of ``case`` into the tree ``data`` where cases.yml says."""
    text = (BAD / f"{case['case']}.yml").read_text(encoding="utf-8")
    target = data / case["target"]
    target.parent.mkdir(parents=True, exist_ok=True)
    if case["target"].startswith("reports/") and not case.get("keep_good"):
        (data / "reports" / "c1" / "u-a.yml").unlink()  # the fixture replaces the good report
    raw = text.encode(case.get("encoding", "utf-8"))
    if "pad_to" in case:
        line = b"# " + "填充".encode() * 30 + b"\n"
        raw += line * (case["pad_to"] // len(line) + 1)
    target.write_bytes(raw)


def bad_tree(tmp_path: Path, *cases: str) -> Path:
    """The good tree with the bad files of the named cases."""
    data = make_tree(tmp_path)
    for name in cases:
        write_fixture(data, next(c for c in CASES if c["case"] == name))
    return data


def describe(problems: list[Problem]) -> str:
    return format_problems(problems) or "（没有任何问题）"
