"""The contributors' commands answer a mistyped option in Chinese (scripts/zh_argparse.py):
never argparse's English ``usage:`` / ``error:`` lines (issue 18)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import zh_argparse
from conftest import ROOT

SCRIPTS = ["validate.py", "new_unit.py", "preview.py", "import_docx.py", "publish.py", "intake.py",
           "submit.py"]


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("args", [["--campain", "2023-zhuti"], ["--jobs"]], ids=["typo", "missing-value"])
def test_a_mistyped_option_is_answered_in_chinese(script: str, args: list[str]) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / script), *args],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "usage:" not in result.stderr and "error:" not in result.stderr, result.stderr
    assert "命令行参数不正确" in result.stderr and "--help" in result.stderr
    assert not re.search(r"unrecognized|arguments|expected|required", result.stderr), result.stderr


@pytest.mark.parametrize("script", SCRIPTS)
def test_help_has_chinese_headings(script: str) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / script), "--help"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0
    assert result.stdout.startswith("用法：") and "选项：" in result.stdout
    assert "usage:" not in result.stdout and "options:" not in result.stdout


@pytest.mark.parametrize(("english", "chinese"), [
    ("the following arguments are required: REPORT", "缺少参数 REPORT"),
    ("unrecognized arguments: --campain x", "有无法识别的参数：--campain x"),
    ("argument -j/--jobs: invalid int value: 'two'", "-j/--jobs 须是整数（实际：'two'）"),
    ("argument --format: invalid choice: 'xml' (choose from 'text', 'github', 'gitlab')",
     "--format 只能是 'text', 'github', 'gitlab'（实际：'xml'）"),
    ("argument --unit: expected one argument", "--unit 后面缺少值"),
    ("something argparse has not said before", "请检查参数"),
    ("学习教育 x 不存在", "学习教育 x 不存在"),
], ids=["required", "unrecognized", "int", "choice", "one-argument", "unknown", "chinese-kept"])
def test_reasons_in_chinese(english: str, chinese: str) -> None:
    assert zh_argparse.reason(english).startswith(chinese)
