"""The pipeline's view of an intake: rows that need attention as annotations (GitHub workflow
commands, GitLab code quality) of the rule intake-file, and ``scripts/intake.py --format …
--copy-to DIR`` (kb.contrib.intake.summary.annotations, scripts/intake.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from intake_inbox import built, data_copy, exported

from conftest import ROOT
from kb.contrib.intake import summary
from kb.contrib.intake.summary import ATTENTION, FAILED, IMPORTED, NOT_REPORT, WARNED, FileResult
from kb.data import rules

SCRIPT = ROOT / "scripts" / "intake.py"
AMBIGUOUS = FileResult("财政局自查报告.docx", ATTENTION, messages=["无法确定单位", "可能是：区财政局、市财政局"])


@pytest.mark.parametrize(("outcome", "level"), [
    (ATTENTION, "error"), (FAILED, "error"), (WARNED, "warning"), (IMPORTED, None), (NOT_REPORT, None),
])
def test_rows_that_need_attention_become_intake_problems(outcome, level) -> None:
    found = summary.problems([FileResult("a.docx", outcome, unit="shi-czj", messages=["说明"])], "data/inbox/")
    assert [p.level for p in found] == ([level] if level else [])
    for problem in found:
        assert problem.rule == rules.INTAKE_FILE.id and problem.file == "data/inbox/a.docx"
        assert problem.message == f"{outcome}（单位 shi-czj）：说明"


def test_github_annotation_names_the_uploaded_file() -> None:
    text = summary.annotations([AMBIGUOUS], "data/inbox", "github")
    assert text == ("::error file=data/inbox/财政局自查报告.docx,title=导入收件箱::"
                    "需要处理：无法确定单位；可能是：区财政局、市财政局")


def test_github_annotation_keeps_a_hostile_file_name_on_one_line() -> None:
    row = FileResult("a,b::c\n::error x.docx", FAILED, messages=["坏\n::warning 行"])
    text = summary.annotations([row], "data/inbox", "github")
    assert text.count("\n") == 0 and text.startswith("::error file=data/inbox/a%2Cb%3A%3Ac")


def test_gitlab_code_quality_has_one_issue_per_row_that_needs_attention() -> None:
    rows = [AMBIGUOUS, FileResult("ok.docx", IMPORTED, unit="shi-fgw")]
    issues = json.loads(summary.annotations(rows, "data/inbox", "gitlab"))
    assert len(issues) == 1
    issue = issues[0]
    assert issue["check_name"] == "intake-file" and issue["severity"] == "major"
    assert issue["location"] == {"path": "data/inbox/财政局自查报告.docx", "lines": {"begin": 1}}
    assert issue["description"].startswith("需要处理：无法确定单位")


def cli(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


@pytest.fixture(scope="module")
def taken(tmp_path_factory) -> tuple[Path, Path, subprocess.CompletedProcess, subprocess.CompletedProcess]:
    """One inbox (a good report, an ambiguous one) taken in with GitLab output, once with GitHub's."""
    tmp = tmp_path_factory.mktemp("annotated")
    data = data_copy(tmp / "data")
    inbox = tmp / "inbox"
    exported("2023-zhuti/shi-fgw", inbox / "2023-zhuti-shi-fgw.docx")
    built("财政局党组", inbox / "财政局自查报告.docx", layout="headings")
    gitlab = cli(inbox, "--data-dir", data, "--format", "gitlab", "--output", tmp / "gl.json",
                 "--copy-to", tmp / "result")
    github = cli(inbox, "--data-dir", data, "--format", "github")
    return tmp, inbox, gitlab, github


def test_cli_writes_gitlab_code_quality_for_the_ambiguous_file(taken) -> None:
    tmp, inbox, gitlab, _ = taken
    assert gitlab.returncode == 1, gitlab.stdout + gitlab.stderr
    issues = json.loads((tmp / "gl.json").read_text(encoding="utf-8"))
    assert [i["location"]["path"] for i in issues] == [f"{inbox.as_posix()}/财政局自查报告.docx"]


def test_cli_prints_github_annotations(taken) -> None:
    github = taken[3]
    assert github.returncode == 1
    lines = [line for line in github.stdout.splitlines() if line.startswith("::")]
    assert len(lines) == 1 and lines[0].startswith("::error file=") and "财政局自查报告.docx" in lines[0]


def test_cli_copies_the_written_data_file_and_the_report(taken) -> None:
    tmp, _, _, _ = taken
    result = tmp / "result"
    copied = sorted(p.relative_to(result).as_posix() for p in result.rglob("*") if p.is_file())
    assert copied == ["data/reports/2023-zhuti/shi-fgw.yml", summary.REPORT_NAME]
    report = (result / summary.REPORT_NAME).read_text(encoding="utf-8")  # of the first run
    assert "data/reports/2023-zhuti/shi-fgw.yml（新写入）" in report and "| 财政局自查报告.docx | — | 需要处理 |" in report


def test_gitlab_format_without_output_is_a_usage_error(tmp_path) -> None:
    done = cli(tmp_path, "--format", "gitlab")
    assert done.returncode == 2 and "--output" in done.stderr and "Traceback" not in done.stderr
