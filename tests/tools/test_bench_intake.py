"""benchkit.intake_bench: the comparison of an imported report with its original, and a tiny
end-to-end run (synthetic reports → our Word export → scripts/intake.py → compared)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from benchkit import intake_bench as ib

ORIGINAL = {
    "unit": "u", "campaign": "c",
    "opening": "第一句。第二句！",
    "highlights": {"sections": [{"title": "标题", "points": [
        {"lead": "要点", "text": "**加粗开头。**正文一句；正文二句？"}]}]},
    "problems": {"intro": "问题引言。", "points": [{"lead": "问题", "text": "问题正文。"}]},
    "plans": {"intro": "计划。", "sections": [{"title": "计划标题", "text": "计划正文。"}]},
    "figures": {"a": 3, "b": 0},
    "ledger": [{"problem": "p", "measure": "m", "responsible_unit": "科", "responsible_person": "科长",
                "deadline": dt.date(2024, 3, 31), "status": "已完成", "completed": dt.date(2024, 3, 1),
                "deadline_text": "2024年3月底"}],
}


def _imported(**changes: object) -> dict:
    """A copy of ORIGINAL as the intake would write it (strings for dates, the bold opening
    phrase merged into the lead), with ``changes`` applied."""
    out = json.loads(json.dumps(ORIGINAL, default=str))
    out["highlights"]["sections"][0]["points"][0] = {"lead": "要点。加粗开头", "text": "正文一句；正文二句？"}
    out.update(changes)
    return out


@pytest.mark.parametrize(("text", "expected"), [
    ("一。二！三？四；五", ["一", "二", "三", "四", "五"]),
    ("甲\n\n乙。", ["甲", "乙"]),
    ("**粗体。**其后", ["粗体", "其后"]),
    ("  \n。", []),
])
def test_sentences_split_on_chinese_stops_and_lines_without_emphasis(text, expected):
    assert ib.sentences(text) == expected


def test_all_sentences_kept_when_only_formatting_moved():
    assert ib.sentences_kept(ORIGINAL, _imported()) == (13, 13)


@pytest.mark.parametrize(("imported", "kept"), [
    (_imported(opening="第一句。"), 12),  # a sentence lost
    (_imported(opening="第一句。第2句！"), 12),  # a sentence changed
    (None, 0),  # the file was not imported at all
])
def test_lost_or_changed_sentences_are_not_counted(imported, kept):
    assert ib.sentences_kept(ORIGINAL, imported) == (kept, 13)


def test_equal_figures_and_ledger_through_date_types():
    imported = _imported()
    assert ib.figures_equal(ORIGINAL, imported) and ib.ledger_equal(ORIGINAL, imported)


def test_a_wording_that_is_the_date_itself_equals_none():
    original = {"ledger": [{**ORIGINAL["ledger"][0], "deadline_text": "2024-03-31"}]}
    imported = {"ledger": [{k: v for k, v in _imported()["ledger"][0].items() if k != "deadline_text"}]}
    assert ib.ledger_equal(original, imported)


@pytest.mark.parametrize("imported", [
    _imported(figures={"a": 3}),  # a figure missing
    _imported(figures={"a": 3, "b": 1}),  # a figure changed
    _imported(figures={"a": 3, "b": 0, "c": 1}),  # a figure invented
    None,
], ids=["missing", "changed", "extra", "not-imported"])
def test_figures_differ(imported):
    assert not ib.figures_equal(ORIGINAL, imported)


def _ledger_with(**fields: object) -> dict:
    imported = _imported()
    imported["ledger"] = [{**imported["ledger"][0], **fields}]
    return imported


@pytest.mark.parametrize("imported", [
    _ledger_with(status="推进中"),
    _ledger_with(deadline="2024-03-30"),
    _ledger_with(completed=None),
    _ledger_with(measure="m2"),
    _ledger_with(deadline_text=None),
    _ledger_with(deadline_text="2024年3月"),
    _imported(ledger=[]),
    None,
], ids=["status", "deadline", "completed", "measure", "wording-lost", "wording-changed", "no-rows",
        "not-imported"])
def test_ledger_rows_differ(imported):
    assert not ib.ledger_equal(ORIGINAL, imported)


@pytest.mark.parametrize(("date", "said"), [
    ((2024, 3, 31), "2024年3月底"), ((2024, 2, 29), "2024年2月底"), ((2023, 12, 31), "2023年12月底"),
    ((2024, 3, 16), "2024年3月16日前"),
])
def test_wordings_as_reports_write_deadlines(date, said):
    assert ib.wording(*date) == said


def test_every_second_dated_deadline_gets_a_wording(tmp_path):
    report = tmp_path / "reports" / "c" / "u.yml"
    report.parent.mkdir(parents=True)
    report.write_text("ledger:\n- deadline: 2024-03-31\n  status: 推进中\n- deadline: 2024-03-31\n"
                      "  status: 推进中\n- deadline: 长期坚持\n", "utf-8")
    assert ib.with_wordings(tmp_path) == 1
    assert report.read_text("utf-8").split("\n")[3:5] == ["- deadline: 2024-03-31", "  deadline_text: 2024年3月底"]


def test_summary_takes_the_minimum_and_the_overall_share():
    checks = [ib.ReportCheck("c/a", True, True, True, 99, 100), ib.ReportCheck("c/b", True, True, True, 300, 300)]
    s = ib.summarize(checks)
    assert (s.sentence_share_min, s.sentence_share_overall) == (0.99, 399 / 400)
    assert s.met and s.worst == []
    s = ib.summarize([*checks, ib.ReportCheck("c/x", False, False, False, 0, 100)])
    assert not s.met and s.imported == 2 and s.worst[0].startswith("c/x")


def test_tiny_end_to_end_run_computes_the_numbers(tmp_path):
    folder = tmp_path / "results"  # --out may name a folder: the file goes inside it
    folder.mkdir()
    code = ib.main(["--sizes", "4", "--jobs", "2", "--out", str(folder), "--keep", str(tmp_path / "work")])
    out = folder / "intake.json"
    result = json.loads(out.read_text("utf-8"))
    run = result["runs"][0]
    assert run["n"] == 4 and run["returncode"] == 0
    assert run["wall"] > 0 and run["reports_per_second"] == pytest.approx(4 / run["wall"])
    assert run["peak_tree_mib"] > 0
    summary = run["summary"]
    assert summary["reports"] == summary["imported"] == 4
    assert summary["sentences_total"] > 100 and 0 < summary["sentence_share_min"] <= 1
    assert len(list((tmp_path / "work" / "n4" / "inbox").glob("*.docx"))) == 4
    imported = "".join(p.read_text("utf-8") for p in (tmp_path / "work" / "n4" / "imported").rglob("reports/*/*.yml"))
    assert "deadline_text: " in imported  # the wordings came back through the Word export
    assert summary["ledger_equal"] == 4
    assert code == (0 if run["met"] else 1)


def test_a_share_of_the_inbox_goes_in_as_pdf_and_is_reported_apart(tmp_path):
    from conftest import require_tool

    require_tool("soffice", "LibreOffice prints the PDF share of the intake bench")
    code = ib.main(["--sizes", "4", "--jobs", "2", "--pdf-every", "2", "--out", str(tmp_path / "r.json"),
                    "--keep", str(tmp_path / "work")])
    result = json.loads((tmp_path / "r.json").read_text("utf-8"))
    run = result["runs"][0]
    assert result["pdf_every"] == 2 and run["returncode"] == 0
    assert len(list((tmp_path / "work" / "n4" / "inbox").glob("*.pdf"))) == 2
    assert run["summary"]["reports"] == 2 and run["pdf"]["reports"] == 2
    assert run["pdf"]["imported"] == run["pdf"]["figures_equal"] == run["pdf"]["ledger_equal"] == 2
    page = ib.markdown_table(result)
    assert "每 2 份中另有 1 份先由 LibreOffice 打印成 PDF" in page and "| 4 | 2 | 2/2 | 2/2 | 2/2 |" in page
    assert code == (0 if run["met"] else 1)


def test_without_a_pdf_share_the_page_has_one_table():
    assert "PDF" not in ib.markdown_table(INTAKE_RESULT)


def test_too_small_a_size_is_a_usage_error(capsys):
    assert ib.main(["--sizes", "2"]) == 2
    assert "报告数至少为" in capsys.readouterr().err


def _page_json() -> dict:
    from conftest import ROOT

    data = json.loads((ROOT / "docs" / "performance.json").read_text("utf-8"))
    data.pop("intake", None)
    return data


INTAKE_RESULT = {"benchmark": "intake", "started": "2026-12-05", "seed": 2024, "sentence_target": 0.99, "runs": [
    {"n": 200, "jobs": 2, "wall": 22.2, "reports_per_second": 9.01, "peak_tree_mib": 137.4,
     "summary": {"reports": 200, "imported": 200, "figures_equal": 200, "ledger_equal": 199,
                 "sentence_share_min": 0.995, "sentence_share_overall": 0.9991}}]}


def test_page_has_an_intake_section_only_with_intake_results():
    from benchkit import results

    plain = results.results_page(_page_json())
    assert "Word 报告导入" not in plain
    page = results.results_page({**_page_json(), "intake": INTAKE_RESULT})
    assert "## Word 报告导入（intake）" in page and "`--jobs 2`" in page
    assert "| 200 | 22.2 秒 | 9.0 | 137 MiB | 200/200 | 200/200 | 199/200 | 99.50% / 99.91% |" in page
    start = page.index("## Word 报告导入")
    end = page.index("\n## ", start) + 1  # the next section (other benches' may follow)
    assert page[:start] + page[end:] == plain


@pytest.mark.parametrize(("fields", "said"), [
    (None, "Word 导出不含 `deadline_text`"),  # results of the bench before it compared the wording
    (list(ib.LEDGER_FIELDS), "每一列都比较，包括完成时限的原文写法 `deadline_text`"),
], ids=["older-results", "compared"])
def test_the_page_says_whether_the_wording_was_compared(fields, said):
    from benchkit import results

    intake = {**INTAKE_RESULT, **({"ledger_fields": fields} if fields else {})}
    assert said in results.results_page({**_page_json(), "intake": intake})
    assert ib.to_json([], 1)["ledger_fields"] == list(ib.LEDGER_FIELDS)


def test_results_merge_into_the_page_json(tmp_path):
    page_json = tmp_path / "performance.json"
    page_json.write_text(json.dumps({"runs": {}, "seed": 1}), "utf-8")
    ib.add_to_page_json(page_json, INTAKE_RESULT)
    assert json.loads(page_json.read_text("utf-8")) == {"runs": {}, "seed": 1, "intake": INTAKE_RESULT}
