"""Data files are validated before they reach data/ (kb.contrib.intake.staging): a report
that does not validate is held back in the inbox's review folder with file:line messages,
never written into data/, so the site build and scripts/validate.py still pass."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pytest
from intake_inbox import built, data_copy, exported

from conftest import ROOT
from kb.contrib.intake import run, staging
from kb.contrib.intake.summary import ATTENTION, IMPORTED, REPORT_NAME, WARNED
from kb.site import build

SCRIPT = ROOT / "scripts" / "intake.py"
HELD = "reports/2023-zhuti/shi-czj.yml"


def broken(path: Path) -> Path:
    """The template filled in for 市财政局, one figure left as the template's ``X个`` (a placeholder)."""
    built("市财政局党组", path)
    document = docx.Document(str(path))
    for paragraph in document.paragraphs:
        for run_ in paragraph.runs:
            run_.text = run_.text.replace("6个", "X个")
    document.save(str(path))
    return path


def inbox_with_one_broken_report(root: Path) -> Path:
    inbox = root / "inbox"
    broken(inbox / "财政局.docx")
    exported("2023-zhuti/shi-fgw", inbox / "发改委.docx")
    return inbox


@pytest.fixture(scope="module")
def taken(tmp_path_factory) -> tuple[Path, Path, run.Outcome]:
    root = tmp_path_factory.mktemp("staging")
    inbox, data = inbox_with_one_broken_report(root), data_copy(root / "data")
    return inbox, data, run.run(run.Options(inbox=inbox, data_dir=data, jobs=2))


def test_the_broken_report_is_held_back_with_file_line_messages(taken) -> None:
    inbox, data, outcome = taken
    row = {r.name: r for r in outcome.results}["财政局.docx"]
    assert (row.outcome, row.written, row.review) == (ATTENTION, "未写入", staging.review_name(HELD))
    assert not (data / HELD).exists()
    assert "没有写入 data/" in row.first_message
    assert any(m.startswith(f"校验错误：{row.review}:") and "X个" in m for m in row.messages), row.messages
    line = int(next(m for m in row.messages if "X个" in m).split(":")[1])
    assert "X个" in (inbox / row.review).read_text(encoding="utf-8").splitlines()[line - 1]


def test_the_good_report_is_written(taken) -> None:
    _, data, outcome = taken
    row = {r.name: r for r in outcome.results}["发改委.docx"]
    assert row.outcome in (IMPORTED, WARNED) and row.written == "新写入"
    assert (data / row.target).is_file()


def test_the_data_dir_still_builds_and_validates(taken) -> None:
    _, data, _ = taken
    kb, _ = build.load(data)  # raises DataError on any error
    assert [r.id for r in kb.reports] == ["2023-zhuti/shi-fgw"]
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), str(data)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_report_names_the_review_file(taken) -> None:
    inbox, _, outcome = taken
    from kb.contrib.intake import summary

    text = summary.markdown(outcome.results)
    assert "待修改的数据文件（没有通过校验）：收件箱中的 intake-review/2023-zhuti/shi-czj.yml" in text


def test_the_review_folder_is_not_taken_in_again(taken, tmp_path) -> None:
    inbox, data, _ = taken
    again = run.run(run.Options(inbox=inbox, data_dir=data, jobs=1, dry_run=True))
    assert sorted(r.name for r in again.results) == ["发改委.docx", "财政局.docx"]


def test_a_dry_run_holds_nothing_back_on_disk(tmp_path) -> None:
    inbox, data = inbox_with_one_broken_report(tmp_path), data_copy(tmp_path / "data")
    outcome = run.run(run.Options(inbox=inbox, data_dir=data, jobs=1, dry_run=True))
    row = {r.name: r for r in outcome.results}["财政局.docx"]
    assert row.outcome == ATTENTION and "试运行，没有另存" in row.first_message
    assert not (inbox / staging.REVIEW_DIR).exists() and not (data / "reports" / "2023-zhuti").exists()


def test_the_pipeline_artifact_gets_the_held_file(tmp_path) -> None:
    inbox, data = inbox_with_one_broken_report(tmp_path), data_copy(tmp_path / "data")
    artifact = tmp_path / "artifact"
    done = subprocess.run([sys.executable, str(SCRIPT), str(inbox), "--data-dir", str(data), "--jobs", "2",
                           "--copy-to", str(artifact)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 1, done.stdout + done.stderr
    assert (artifact / staging.review_name(HELD)).is_file()
    assert (artifact / "data" / "reports" / "2023-zhuti" / "shi-fgw.yml").is_file()
    assert not (artifact / "data" / HELD).exists()
    assert "intake-review/2023-zhuti/shi-czj.yml" in (inbox / REPORT_NAME).read_text(encoding="utf-8")
