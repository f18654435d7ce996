"""Word round trip: every example report exported with the official Word exporter
(:func:`kb.official.word.export_report`) imports back to exactly the data it came from,
and the imported file validates."""

from __future__ import annotations

import shutil

import pytest

from conftest import DATA, ROOT
from kb.contrib import docx as di
from kb.contrib import reportyaml
from kb.data.problems import INFO
from kb.official.word import export_report
from kb.site import build

KB, _ = build.load(DATA)
REPORTS = {r.id: r for r in KB.reports}


@pytest.fixture(scope="module")
def empty_data(tmp_path_factory):
    target = tmp_path_factory.mktemp("rt") / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("reports"))
    return target


@pytest.mark.parametrize("report_id", sorted(REPORTS))
def test_exported_report_imports_to_the_same_data(report_id, tmp_path, empty_data):
    report = REPORTS[report_id]
    path = export_report(report, tmp_path / "report.docx")
    result = di.import_docx(path, empty_data, today="2000-01-01")
    original = reportyaml.load((ROOT / report.source).read_text(encoding="utf-8"))
    assert reportyaml.strip_comments(result.data) == original
    assert [p for p in result.all_problems() if p.level != INFO] == []
    text = result.to_yaml()
    assert di.output_problems(text, result.data, empty_data / "schema") == []  # within the loader's limits
    target = di.report_path(empty_data, result)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    try:
        assert [p for p in di.validate_report(empty_data, target) if p.file.endswith(target.name)] == []
    finally:
        target.unlink()
