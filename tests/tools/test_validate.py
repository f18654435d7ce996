"""scripts/validate.py: exit codes, output formats, which paths it checks (the validator
itself is tested in tests/data/)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fixturetree import bad_tree, make_tree

from conftest import ROOT, load_script

SCRIPT = ROOT / "scripts" / "validate.py"


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=120
    )


def test_cli_clean_tree_exits_0(tmp_path: Path) -> None:
    result = run_cli(make_tree(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.strip() == "共 0 个错误，0 个警告"


def test_cli_errors_exit_1_with_file_line_column(tmp_path: Path) -> None:
    result = run_cli(bad_tree(tmp_path, "unknown-field"))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "data/reports/c1/u-a.yml:26:7: 错误 [plans.sections[0].titel] 未知字段 titel，是否想写 title？（应为：title；实际：titel）"
    ]
    assert result.stderr.strip() == "共 1 个错误，0 个警告"


def test_cli_warnings_only_exit_0(tmp_path: Path) -> None:
    result = run_cli(bad_tree(tmp_path, "solved-more-than-collected"))
    assert result.returncode == 0
    assert ": 警告 [figures.problems_solved]" in result.stdout
    assert "共 0 个错误，1 个警告" in result.stderr


@pytest.mark.parametrize(
    "args",
    [["/nonexistent/data"], ["--format", "xml"], ["/"], ["--bogus"]],
    ids=["missing-path", "bad-format", "no-schema-dir", "bad-option"],
)
def test_cli_usage_errors_exit_2(args: list[str]) -> None:
    result = run_cli(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "validate.py" in result.stderr and "usage:" not in result.stderr and "error:" not in result.stderr


def test_cli_github_and_gitlab_formats(tmp_path: Path) -> None:
    data = bad_tree(tmp_path, "unknown-field")
    github = run_cli(data, "--format", "github")
    assert github.stdout.startswith("::error file=data/reports/c1/u-a.yml,line=26,col=7,title=数据校验：plans.sections[0].titel::")
    report = tmp_path / "gl-code-quality.json"
    gitlab = run_cli(data, "--format", "gitlab", "--output", report)
    assert gitlab.returncode == 1
    records = json.loads(report.read_text(encoding="utf-8"))
    assert [(r["location"]["path"], r["location"]["lines"]["begin"]) for r in records] == [("data/reports/c1/u-a.yml", 26)]
    assert gitlab.stdout.startswith("data/reports/c1/u-a.yml:26:7: 错误")  # people still read text


def test_cli_paths_select_reports(tmp_path: Path) -> None:
    data = make_tree(tmp_path)
    other = data / "reports" / "c1" / "u-b.yml"
    other.write_text("unit: [\n", encoding="utf-8")
    good = data / "reports" / "c1" / "u-a.yml"
    assert run_cli(good).returncode == 0
    folder = run_cli(data / "reports" / "c1")
    assert folder.returncode == 1 and folder.stdout.startswith("data/reports/c1/u-b.yml:2:1: 错误")
    both = run_cli(good, data)  # the data dir itself means everything
    assert both.returncode == 1
    shared = run_cli(data / "units.yml", data / "campaigns" / "c1.yml")  # shared files only
    assert shared.returncode == 0, shared.stdout
    (data / "units.yml").write_text("units: [\n", encoding="utf-8")
    assert run_cli(data / "units.yml").stdout.startswith("data/units.yml:2:1: 错误")


def test_cli_default_is_the_repository_data() -> None:
    """Without a path the repository's data/ is checked: the example data is clean."""
    result = run_cli()
    assert (result.returncode, result.stdout, result.stderr.strip()) == (0, "", "共 0 个错误，0 个警告")
    cli = load_script("validate")
    assert cli.plan([ROOT / "data"]) == {ROOT / "data": None}
    seen: list[tuple] = []
    cli.load_and_validate = lambda data_dir, only, **_kw: (seen.append((data_dir, only)), (None, []))[1]
    assert cli.main([]) == 0
    assert seen == [(ROOT / "data", None)]


def test_cli_file_name_not_utf8(tmp_path: Path) -> None:
    data = make_tree(tmp_path)
    good = data / "reports" / "c1" / "u-a.yml"
    try:
        shutil.copy(good, data / "reports" / "c1" / os.fsdecode(b"\xb1\xa8\xb8\xe6.yml"))  # 报告.yml in GBK
        (data / "reports" / os.fsdecode(b"\xb1\xa8")).mkdir()
        shutil.copy(good, data / "reports" / os.fsdecode(b"\xb1\xa8") / "u-a.yml")
    except (OSError, UnicodeError) as exc:  # pragma: no cover - file systems that only store UTF-8
        pytest.skip(f"this file system refuses non-UTF-8 names: {exc}")
    report = tmp_path / "gl-code-quality.json"
    result = run_cli(data, "--format", "gitlab", "--output", report)
    assert result.returncode == 1, result.stderr
    records = json.loads(report.read_text(encoding="utf-8"))
    assert sorted((r["location"]["path"], r["description"]) for r in records) == [
        ("data/reports/c1/\ufffd\ufffd\ufffd\ufffd.yml",
         "文件名不是 UTF-8 编码（可能是在 GBK 系统上起的名字），无法读取：请用小写英文字母和数字重新命名"),
        ("data/reports/\ufffd\ufffd",
         "目录名不是 UTF-8 编码（可能是在 GBK 系统上起的名字），无法读取：请用小写英文字母和数字重新命名"),
    ]
    assert "Traceback" not in result.stderr
    assert "data/reports/c1/\ufffd\ufffd\ufffd\ufffd.yml: 错误 文件名不是 UTF-8 编码" in result.stdout
    assert load_script("validate").printable("data/" + os.fsdecode(b"\xb1\xa8.yml")) == "data/\ufffd\ufffd.yml"  # never unprintable
