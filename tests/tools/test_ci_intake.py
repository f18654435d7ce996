"""The pipeline's intake job end to end: ``.ci/intake`` (what both forges run) on a copy of the
repository whose data/inbox/ holds uploads, without apt-get and make venv (KB_INTAKE_SETUP=0).
It exits 0 when every upload is imported, 1 when one needs attention; intake-result/ holds
the data files written and intake-report.md; gl-intake.json annotates the file to fix."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from intake_inbox import built, data_copy, exported

from conftest import ROOT

CODE = ("hooks", "scripts", ".ci")


def repo_copy(target: Path) -> Path:
    """The code, the Makefile and a data copy without reports; the venv is this one's, linked
    into a .venv of the copy's own whose stamp matches the copy's requirements.txt, so `make`
    never reinstalls (or un-stamps) the shared venv."""
    target.mkdir()
    for name in CODE:
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("Makefile", "requirements.txt"):
        shutil.copy2(ROOT / name, target / name)
    venv = target / ".venv"
    venv.mkdir()
    for name in ("bin", "lib", "include", "pyvenv.cfg"):
        if (ROOT / ".venv" / name).exists():
            (venv / name).symlink_to(ROOT / ".venv" / name)
    digest = hashlib.sha1((target / "requirements.txt").read_bytes()).hexdigest()[:12]
    (venv / f".installed-{digest}").touch()
    data_copy(target / "data")
    return target


def ci_intake(repo: Path, fmt: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KB_INTAKE_SETUP": "0"}
    return subprocess.run([str(repo / ".ci" / "intake"), fmt], capture_output=True, text=True,
                          timeout=600, cwd=repo, env=env)


@pytest.fixture(scope="module")
def upload(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    repo = repo_copy(tmp_path_factory.mktemp("ci") / "repo")
    inbox = repo / "data" / "inbox"
    shutil.copy2(ROOT / "data" / "inbox" / "README.md", inbox / "README.md")
    exported("2023-zhuti/shi-fgw", inbox / "2023-zhuti-shi-fgw.docx")
    return repo, ci_intake(repo, "gitlab")


def test_an_imported_upload_passes_and_is_the_artifact(upload) -> None:
    repo, done = upload
    assert done.returncode == 0, done.stdout + done.stderr
    result = repo / "intake-result"
    assert (result / "data" / "reports" / "2023-zhuti" / "shi-fgw.yml").is_file()
    assert "| 2023-zhuti-shi-fgw.docx | shi-fgw | 已导入 |" in (result / "intake-report.md").read_text(encoding="utf-8")
    assert json.loads((repo / "gl-intake.json").read_text(encoding="utf-8")) == []
    assert json.loads((repo / "gl-intake-validate.json").read_text(encoding="utf-8")) == []


def test_what_both_pipelines_attach_is_what_the_job_wrote(upload) -> None:
    repo, _ = upload
    gitlab = yaml.safe_load((ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8"))["intake"]["artifacts"]
    github = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))["jobs"]["intake"]
    named = gitlab["paths"] + gitlab["reports"]["codequality"]
    named += [step["with"]["path"] for step in github["steps"] if "upload-artifact" in step.get("uses", "")]
    assert named and [path for path in named if not (repo / path).exists()] == []


def test_an_upload_that_needs_attention_fails_with_an_annotation(upload) -> None:
    repo, _ = upload
    built("财政局党组", repo / "data" / "inbox" / "财政局自查报告.docx", layout="headings")
    done = ci_intake(repo, "gitlab")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr and "需要处理" in done.stderr
    issues = json.loads((repo / "gl-intake.json").read_text(encoding="utf-8"))
    assert [(i["location"]["path"], i["check_name"]) for i in issues] == [
        ("data/inbox/财政局自查报告.docx", "intake-file")]
    github = ci_intake(repo, "github")
    assert github.returncode == 1
    assert "::error file=data/inbox/财政局自查报告.docx,title=导入收件箱::需要处理" in github.stdout


# (the unit's report is already in the repository, exit status, what the job log must say)
NEXT_STEPS = [
    (False, 0, "产物中的 intake-result/data/reports/2023-zhuti/shi-jtj.yml → 上传到文件夹 data/reports/2023-zhuti/（文件名 shi-jtj.yml）"),
    (True, 1, "说明中的“--force”是命令行的选项：流水线不会覆盖已有的数据文件"),
]


@pytest.mark.parametrize(("exists", "status", "said"), NEXT_STEPS, ids=["new-report", "report-exists"])
def test_the_job_log_says_where_the_data_file_goes(tmp_path, exists, status, said) -> None:
    repo = repo_copy(tmp_path / "repo")
    if exists:  # the example report, written by hand (not by the intake)
        target = repo / "data" / "reports" / "2023-zhuti" / "shi-jtj.yml"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "data" / "reports" / "2023-zhuti" / "shi-jtj.yml", target)
    exported("2023-zhuti/shi-jtj", repo / "data" / "inbox" / "市交通运输局自查评估报告.docx")
    done = ci_intake(repo, "text")
    assert done.returncode == status, done.stdout + done.stderr
    assert said in done.stdout + done.stderr and "Traceback" not in done.stdout + done.stderr
    assert ("下一步：下载本作业的产物" in done.stdout) is not exists
    if not exists:  # CONTRIBUTING.md quotes this log
        steps = done.stdout[done.stdout.index("下一步："):].strip()
        assert steps in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8"), steps
