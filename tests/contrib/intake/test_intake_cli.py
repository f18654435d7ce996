"""scripts/intake.py and make intake: exit status 0 when every report was imported, 1 when
some need attention, 2 on usage errors (in Chinese, nothing done); the table on the
terminal and intake-report.md in the inbox; --dry-run writes neither."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from intake_inbox import EXPECTED, built, data_copy, exported, make_inbox

from conftest import ROOT
from kb.contrib.intake.summary import REPORT_NAME

SCRIPT = ROOT / "scripts" / "intake.py"


def cli(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


@pytest.fixture
def data(tmp_path) -> Path:
    return data_copy(tmp_path / "data")


def test_all_imported_exits_0_and_writes_the_report(tmp_path, data) -> None:
    inbox = tmp_path / "收件箱"
    exported("2023-zhuti/shi-fgw", inbox / "2023-zhuti-shi-fgw.docx")
    done = cli(inbox, "--data-dir", data)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "shi-fgw" in done.stdout and "共 1 个文件：已导入 1" in done.stdout
    report = (inbox / REPORT_NAME).read_text(encoding="utf-8")
    assert "| 2023-zhuti-shi-fgw.docx | shi-fgw | 已导入 | 7/9 | 3 | — |" in report
    assert "data/reports/2023-zhuti/shi-fgw.yml（新写入）" in report
    again = cli(inbox, "--data-dir", data)  # the report itself is not taken as a file
    assert again.returncode == 0 and "共 1 个文件" in again.stdout


def test_the_mixed_inbox_exits_1_and_reports_every_file(tmp_path, data) -> None:
    inbox = make_inbox(tmp_path / "inbox")
    done = cli(inbox, "--data-dir", data, "--jobs", "2")
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    report = (inbox / REPORT_NAME).read_text(encoding="utf-8")
    for name, (outcome, unit) in EXPECTED.items():
        assert f"| {name} | {unit or '—'} | {outcome} |" in report
    assert "共 9 个文件：已导入 2，已导入（有警告） 2，需要处理 1，不是报告 2，失败 2" in report
    assert "可能是：区财政局（qu-czj）、市财政局（shi-czj）" in report  # a tie: in the order of their ids


def test_dry_run_writes_neither_data_nor_the_report(tmp_path, data) -> None:
    inbox = tmp_path / "inbox"
    exported("2023-zhuti/shi-fgw", inbox / "a.docx")
    done = cli(inbox, "--data-dir", data, "--dry-run")
    assert done.returncode == 0 and "试运行" in done.stdout and "shi-fgw" in done.stdout
    assert not (inbox / REPORT_NAME).exists() and not (data / "reports" / "2023-zhuti").exists()


def test_a_file_name_with_markdown_is_escaped_in_the_report(tmp_path, data) -> None:
    inbox = tmp_path / "inbox"
    built("市财政局党组", inbox / "a|b <i>x</i>.docx")
    cli(inbox, "--data-dir", data)
    report = (inbox / REPORT_NAME).read_text(encoding="utf-8")
    assert "a\\|b \\<i\\>x\\</i\\>.docx" in report and "<i>" not in report


@pytest.mark.parametrize("args", [
    [],
    ["{missing}"],
    ["{inbox}", "--jobs", "0"],
    ["{inbox}", "--jobs", "many"],
    ["{inbox}", "--campaign", "../2023-zhuti"],
    ["{inbox}", "--campaign", "2031-none"],
    ["{inbox}", "--roster", "{missing}"],
    ["{inbox}", "--unknown"],
], ids=["no-inbox", "missing-inbox", "jobs-0", "jobs-text", "campaign-bad-id", "campaign-unknown",
        "roster-missing", "unknown-option"])
def test_usage_errors_exit_2_in_chinese(tmp_path, data, args) -> None:
    inbox = tmp_path / "inbox"
    exported("2023-zhuti/shi-fgw", inbox / "a.docx")
    done = cli(*[a.format(inbox=inbox, missing=tmp_path / "nope") for a in args], "--data-dir", data)
    assert done.returncode == 2
    assert done.stderr.startswith(("错误：", "intake.py：命令行参数不正确：")), done.stderr
    assert "Traceback" not in done.stderr and "usage:" not in done.stderr
    assert not re.search(r"unrecognized|arguments|invalid|required", done.stderr), done.stderr
    assert not (inbox / REPORT_NAME).exists() and not (data / "reports" / "2023-zhuti").exists()


def test_an_empty_inbox_is_not_an_error(tmp_path, data) -> None:
    (tmp_path / "inbox").mkdir()
    done = cli(tmp_path / "inbox", "--data-dir", data)
    assert done.returncode == 0 and "没有需要导入的文件" in done.stdout


def test_make_intake_passes_the_folder_verbatim(tmp_path) -> None:
    inbox = tmp_path / "收件 $(touch pwned) `x`;箱"
    inbox.mkdir()
    done = subprocess.run(["make", "-s", "--no-print-directory", "intake", f"DIR={inbox}", "CAMPAIGN=2023-zhuti",
                           "ARGS=--dry-run"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "没有需要导入的文件" in done.stdout
    assert not (ROOT / "pwned").exists() and not (tmp_path / "pwned").exists()


def test_make_intake_without_a_folder_says_how(tmp_path) -> None:
    done = subprocess.run(["make", "-s", "--no-print-directory", "intake"], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode != 0 and "请用 DIR= 指定收件箱文件夹" in done.stdout
