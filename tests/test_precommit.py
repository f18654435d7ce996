"""Checks before review: every data file carries the editor's $schema modeline, the
repository's YAML passes the project's yamllint rules (so do the files the importer and
the scaffold write), and the pre-commit hooks really run offline and stop a bad report."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml
from yamllint import linter
from yamllint.config import YamlLintConfig

from conftest import DATA, ROOT
from datacopy import copy_data
from kb import reportyaml, scaffold
from kb.validate import MODELINE

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


@pytest.mark.parametrize("path", DATA_FILES + [ROOT / "mkdocs.yml", ROOT / ".pre-commit-config.yaml"],
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
        ("a: 1   \n", "trailing-spaces"),
        ("list:\n    - a\n", "indentation"),
    ],
)
def test_yamllint_rules_catch_common_slips(text, rule):
    assert any(f"({rule})" in p for p in lint(text))


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


@pytest.mark.slow
def test_pre_commit_stops_a_bad_report_offline(tmp_path):
    pre_commit = ROOT / ".venv" / "bin" / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed in .venv (make venv)")
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in (".pre-commit-config.yaml", ".yamllint", "pyproject.toml"):
        shutil.copy(ROOT / name, repo / name)
    shutil.copytree(ROOT / "hooks", repo / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    (repo / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "validate.py", repo / "scripts" / "validate.py")
    shutil.copytree(DATA, repo / "data")
    (repo / ".venv").symlink_to(ROOT / ".venv")
    report = repo / "data" / "reports" / "2023-zhuti" / "shi-czj.yml"
    report.write_text(report.read_text(encoding="utf-8").replace("submitted: 2023-09-08", "submitted: 2023年9月8日"),
                      encoding="utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_CONFIG_GLOBAL": "/dev/null",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "add", "."], cwd=repo, check=True, env=env)
    result = subprocess.run([str(pre_commit), "run", "--files", "data/reports/2023-zhuti/shi-czj.yml"],
                            cwd=repo, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout
    assert "data/reports/2023-zhuti/shi-czj.yml:4:12: 错误 [submitted]" in result.stdout
    assert "YAML 格式（yamllint" in result.stdout and "Passed" in result.stdout
