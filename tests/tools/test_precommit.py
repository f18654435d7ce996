"""Checks before review: every data file carries the editor's $schema modeline, the
repository's YAML passes the project's yamllint rules (so do the files the importer and
the scaffold write), and the pre-commit hooks really run offline and stop a bad report."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from datacopy import copy_data
from yamllint import linter
from yamllint.config import YamlLintConfig

from conftest import DATA, ROOT
from kb.contrib import reportyaml, scaffold
from kb.data.schema import MODELINE_PREFIX as MODELINE

YAMLLINT = YamlLintConfig(file=str(ROOT / ".yamllint"))
DATA_FILES = sorted(DATA.rglob("*.yml"))


def lint(text: str, name: str = "x.yml") -> list[str]:
    return [f"{p.line}:{p.column} {p.desc} ({p.rule})" for p in linter.run(text, YAMLLINT, name)]


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p.relative_to(DATA)))
def test_data_file_starts_with_a_working_schema_modeline(path):
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first.startswith(MODELINE), f"{path} has no yaml-language-server modeline"
    target = path.parent / first[len(MODELINE):]
    assert target.is_file(), f"{path}: modeline points to a missing schema {target}"
    assert target.parent.resolve() == (DATA / "schema").resolve()


@pytest.mark.parametrize("path", [ROOT / "mkdocs.yml", ROOT / ".pre-commit-config.yaml", ROOT / ".yamllint"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_repository_yaml_passes_yamllint(path):
    assert lint(path.read_text(encoding="utf-8"), str(path)) == []


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("unit: a\ntitle:\n", "empty-values"),
        ("required: yes\n", "truthy"),
        ("n: 010\n", "octal-values"),
        ("a: 1\na: 2\n", "key-duplicates"),
        ("list:\n    - a\n", "indentation"),
    ],
)
def test_yamllint_rules_catch_common_slips(text, rule):
    assert any(f"({rule})" in p for p in lint(text))


@pytest.mark.parametrize(
    "text",
    ["a: 1   \nb: 2\n", "a: 1\n\n\n\n", "a: |-\n  第一段。  \n"],
    ids=["trailing-spaces", "blank-lines-at-end", "trailing-spaces-in-prose"],
)
def test_yamllint_accepts_what_the_validator_accepts(text):
    """Text pasted from Word: the project validator accepts it, so yamllint must too."""
    assert lint(text) == []


def test_yamllint_hook_leaves_data_to_the_validator():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = next(h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "yamllint")
    assert re.search(hook["exclude"], "data/reports/2023-zhuti/shi-czj.yml")
    assert not re.search(hook["exclude"], "mkdocs.yml")


def test_generated_files_pass_yamllint(tmp_path):
    data = copy_data(tmp_path / "data")
    outcome = scaffold.create(data, scaffold.Request(unit="shi-sjj", campaign="2023-zhuti", group="g1", batch="1",
                                                     name="市审计局", party_org="市审计局党组"))
    for path in (outcome.report, data / "units.yml", data / "campaigns" / "2023-zhuti.yml"):
        assert lint(path.read_text(encoding="utf-8")) == [], path
    imported = reportyaml.dump(reportyaml.load((DATA / "reports" / "2023-zhuti" / "shi-czj.yml").read_text("utf-8")))
    assert lint(imported) == []


def test_hooks_are_local_and_use_the_venv():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {repo["repo"] for repo in config["repos"]} == {"local"}
    assert {h["id"] for h in hooks} >= {"yamllint", "kb-validate-reports", "kb-validate-all"}
    for hook in hooks:
        assert hook["language"] == "system"
        executable = hook["entry"].split()[0]
        assert executable.startswith(".venv/bin/"), hook
        assert (ROOT / executable).exists() or not (ROOT / ".venv").exists(), executable


REPORT = "data/reports/2023-zhuti/shi-czj.yml"


@pytest.fixture
def repo(tmp_path) -> tuple[Path, dict[str, str]]:
    """A throw-away git repository with the hooks, the validator and the data, committed."""
    if not (ROOT / ".venv" / "bin" / "pre-commit").exists():
        pytest.skip("pre-commit is not installed in .venv (make venv)")
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in (".pre-commit-config.yaml", ".yamllint", "pyproject.toml"):
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "hooks", repo / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    (repo / "scripts").mkdir()
    for name in ("validate.py", "precommit_data.py", "zh_argparse.py"):
        shutil.copy(ROOT / "scripts" / name, repo / "scripts" / name)
    shutil.copytree(DATA, repo / "data")
    (repo / ".venv").symlink_to(ROOT / ".venv")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_CONFIG_GLOBAL": "/dev/null",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    for cmd in (["init", "-q"], ["add", "."], ["commit", "-q", "--no-verify", "-m", "start"]):
        subprocess.run(["git", *cmd], cwd=repo, check=True, env=env)
    return repo, env


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def pre_commit(repo: Path, env: dict[str, str], *staged: str) -> subprocess.CompletedProcess:
    """``pre-commit run`` on what is staged, as ``git commit`` would run it."""
    subprocess.run(["git", "add", "--", *staged], cwd=repo, check=True, env=env)
    return subprocess.run([str(ROOT / ".venv" / "bin" / "pre-commit"), "run"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_pre_commit_stops_a_bad_report_offline(repo):
    path, env = repo
    edit(path / REPORT, "submitted: 2023-09-08", "submitted: 2023年9月8日")
    result = pre_commit(path, env, REPORT)
    assert result.returncode == 1, result.stdout
    assert f"{REPORT}:4:12: 错误 [submitted]" in result.stdout


@pytest.mark.slow
def test_pre_commit_accepts_what_the_validator_accepts_and_ignores_drafts(repo):
    """Word's whitespace in a staged report, a shared file changed, a broken untracked draft
    and a broken unstaged edit of another report: only what is committed is checked."""
    path, env = repo
    report = path / REPORT
    edit(report, "submitted: 2023-09-08", "submitted:\t2023-09-08   ")
    report.write_text(report.read_text(encoding="utf-8") + "\n\n\n", encoding="utf-8")
    edit(path / "data" / "units.yml", "units:", "units:  # 单位名录")
    (path / "data" / "reports" / "2023-zhuti" / "draft.yml").write_text("unit: shi-xx\nsubmitted: [\n", "utf-8")
    edit(path / "data" / "reports" / "2023-zhuti" / "shi-fgw.yml", "unit: shi-fgw", "unit: [")
    result = pre_commit(path, env, REPORT, "data/units.yml")
    assert result.returncode == 0, result.stdout
    assert "报告数据校验" in result.stdout and "共用文件改动时" in result.stdout
    assert "Failed" not in result.stdout
