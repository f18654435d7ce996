"""scripts/submit.py (``make submit``) on a scratch git repository: what it names, what it
commits with ``--yes`` (only the contributor's own files and entries, on a new branch), and
its Chinese refusals (no identity, no git, not a repository, unknown base) — never a traceback.

The repository's first commit is data/ without the reports and without two units' lines
(市发展和改革委员会 shi-fgw, 市交通运输局 shi-jtj) in units.yml and the 2023 roster. The
contributor then registers shi-fgw and adds its report; in some cases shi-jtj was registered
earlier and never submitted (the slip of issue 18).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from datacopy import copy_data

from conftest import DATA, ROOT, load_script

UNITS, ROSTER = "data/units.yml", "data/campaigns/2023-zhuti.yml"
REPORT = "data/reports/2023-zhuti/shi-fgw.yml"
LATER = ("shi-fgw", "shi-jtj")


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


def without(text: str, units: tuple[str, ...]) -> str:
    return "".join(line for line in text.splitlines(keepends=True)
                   if not any(f"id: {u}," in line or f"unit: {u}," in line for u in units))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch) -> Path:
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    root = tmp_path / "repo"
    copy_data(root / "data")
    for path in (UNITS, ROSTER):
        (root / path).write_text(without((root / path).read_text(encoding="utf-8"), LATER), encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "-c", "user.name=维护者", "-c", "user.email=admin@example.org", "commit", "-q", "-m", "数据")
    return root


def contribute(root: Path, earlier: bool) -> None:
    """Register shi-fgw and add its report; ``earlier``: shi-jtj was registered before, never submitted."""
    for path in (UNITS, ROSTER):
        (root / path).write_text(without((DATA.parent / path).read_text(encoding="utf-8"),
                                         () if earlier else ("shi-jtj",)), encoding="utf-8")
    (root / REPORT).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(DATA.parent / REPORT, root / REPORT)


def run(root: Path, capsys, *args: str) -> tuple[int, str]:
    code = load_script("submit").main(["--repo", str(root), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# (name, shi-jtj registered earlier, identity set, where HEAD is, exit status, words the output must hold,
#  branch after --yes, whether --yes commits)
CASES = [
    ("clean", False, True, "main", 0, ["[提交] 修改 data/units.yml", "新增单位 市发展和改革委员会（shi-fgw）",
                                       "名单新增 市发展和改革委员会（shi-fgw）：第一指导组，第 1 批", "git checkout -b report/shi-fgw",
                                       "git add -- data/campaigns/2023-zhuti.yml data/reports/2023-zhuti/shi-fgw.yml data/units.yml"],
     "report/shi-fgw", True),
    ("unrelated-unit-registered-earlier", True, True, "main", 0,
     ["data/units.yml 中还有与本次报告无关的改动：新增单位 市交通运输局（shi-jtj）（可能是以前登记的），不会提交它",
      "名单新增 市交通运输局（shi-jtj）：第三指导组，第 1 批（可能是以前登记的），不会提交它",
      "data/units.yml 只暂存本单位的行"], "report/shi-fgw", True),
    ("no-identity", False, False, "main", 1, ["Author identity unknown", 'git config --global user.name "你的姓名"'],
     "main", False),
    ("detached-head", False, True, "detached", 0, ["git checkout -b report/shi-fgw"], "report/shi-fgw", True),
    ("own-branch", False, True, "report/mine", 0, ["git push -u origin report/mine"], "report/mine", True),
]


@pytest.mark.parametrize(("name", "earlier", "identity", "head", "status", "said", "branch", "commits"), CASES,
                         ids=[c[0] for c in CASES])
def test_submit_names_the_change_and_commits_only_ones_own(repo, capsys, name, earlier, identity, head, status,
                                                          said, branch, commits) -> None:
    if identity:
        git(repo, "config", "user.name", "张三")
        git(repo, "config", "user.email", "zhangsan@example.gov.cn")
    if head == "detached":
        git(repo, "checkout", "-q", "--detach")
    elif head != "main":
        git(repo, "checkout", "-q", "-b", head)
    contribute(repo, earlier)
    before = git(repo, "rev-parse", "HEAD")
    code, out = run(repo, capsys)
    assert code == status, out
    for words in said:
        assert words in out, out
    assert "Traceback" not in out and git(repo, "rev-parse", "HEAD") == before  # without --yes nothing happens

    code, out = run(repo, capsys, "--yes")
    assert code == status and "Traceback" not in out, out
    assert (git(repo, "rev-parse", "HEAD") != before) is commits
    if head != "detached" or commits:
        assert git(repo, "branch", "--show-current").strip() == branch
    if not commits:
        return
    assert sorted(git(repo, "show", "--name-only", "--format=", "HEAD").split()) == sorted([UNITS, ROSTER, REPORT])
    committed, worktree = git(repo, "show", f"HEAD:{UNITS}"), (repo / UNITS).read_text(encoding="utf-8")
    assert "id: shi-fgw," in committed and "id: shi-jtj," not in committed
    assert ("id: shi-jtj," in worktree) is earlier  # the earlier registration stays, uncommitted
    assert "unit: shi-jtj," not in git(repo, "show", f"HEAD:{ROSTER}")
    assert git(repo, "log", "-1", "--format=%an %s") == "张三 新增市发展和改革委员会2023年主题教育自查评估报告\n"


def test_validation_errors_in_the_report_stop_the_commit(repo, capsys) -> None:
    git(repo, "config", "user.name", "张三")
    git(repo, "config", "user.email", "zhangsan@example.gov.cn")
    contribute(repo, False)
    text = (repo / REPORT).read_text(encoding="utf-8")
    (repo / REPORT).write_text(text.replace("\nsubmitted: ", "\nsubmitted：", 1), encoding="utf-8")
    before = git(repo, "rev-parse", "HEAD")
    code, out = run(repo, capsys, "--yes")
    assert code == 1 and "使用了全角冒号" in out and "没有提交" in out, out
    assert git(repo, "rev-parse", "HEAD") == before


@pytest.mark.parametrize(("name", "args", "path", "said"), [
    ("git-missing", [], "no-git", "没有找到 git 命令"),
    ("not-a-repository", ["--repo", "{tmp}"], None, "不是 Git 仓库"),
    ("unknown-base", ["--base", "upstream/nowhere"], None, "找不到要比较的分支 upstream/nowhere"),
    ("bad-option", ["--yess"], None, "命令行参数不正确"),
], ids=lambda v: v if isinstance(v, str) and v.isascii() and "-" in v else None)
def test_refusals_are_chinese_and_exit_2(repo, tmp_path, name, args, path, said) -> None:
    env = dict(os.environ)
    if path == "no-git":
        (tmp_path / "empty").mkdir()
        env["PATH"] = str(tmp_path / "empty")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "submit.py"), "--repo", str(repo), *args],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert said in done.stderr and "Traceback" not in done.stdout + done.stderr
    assert "unrecognized" not in done.stderr and "arguments" not in done.stderr, done.stderr


def test_the_guide_quotes_what_submit_prints(repo, capsys) -> None:
    """CONTRIBUTING.md section 7: 市档案局 registered earlier, 市审计局's report submitted now."""
    from kb.contrib import scaffold

    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")  # a clone's upstream
    git(repo, "config", "user.name", "张三")
    git(repo, "config", "user.email", "zhangsan@example.gov.cn")
    data = repo / "data"
    scaffold.create(data, scaffold.Request(unit="shi-daj", campaign="2023-zhuti", group="g1", batch="1",
                                           name="市档案局", party_org="市档案局党组"), write_report=False)
    report = scaffold.create(data, scaffold.Request(unit="shi-sjj", campaign="2023-zhuti", group="g2", batch="1",
                                                    name="市审计局", party_org="市审计局党组"), today="2023-09-06").report
    lines = report.read_text(encoding="utf-8").split("\n")
    text = "\n".join(line if line.startswith("#") else re.sub(r"【请填写[^】]*】", "已填写的内容", line) for line in lines)
    report.write_text(text.replace("  research_reports: 0", "  research_reports: 2"), encoding="utf-8")
    code, out = run(repo, capsys)
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    missing = [line for line in out.splitlines() if line.strip() and f"\n{line}\n" not in guide]
    assert code == 0 and not missing, out
    code, out = run(repo, capsys, "--yes")
    missing = [line for line in out.splitlines() if line.strip() and f"\n{line}\n" not in guide]
    assert code == 0 and "已提交到分支 report/shi-sjj" in out and not missing, out


@pytest.mark.parametrize("committed_on", ["report/shi-fgw", "main"], ids=["second-run-on-its-branch", "committed-on-main"])
def test_a_change_already_committed_is_not_committed_again(repo, capsys, committed_on) -> None:
    git(repo, "config", "user.name", "张三")
    git(repo, "config", "user.email", "zhangsan@example.gov.cn")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    contribute(repo, True)
    if committed_on == "main":  # by hand, straight on main (the push will be refused: protected)
        git(repo, "add", REPORT)
        git(repo, "commit", "-q", "-m", "报告")
    else:
        assert run(repo, capsys, "--yes")[0] == 0
    head = git(repo, "rev-parse", "HEAD")
    code, out = run(repo, capsys, "--yes")
    assert code == 0 and ("这些改动已经提交过了" in out) is (committed_on != "main"), out
    assert "Traceback" not in out and "git push -u origin report/shi-fgw" in out
    assert git(repo, "branch", "--show-current").strip() == "report/shi-fgw"
    if committed_on != "main":
        assert git(repo, "rev-parse", "HEAD") == head


def test_a_broken_units_file_is_named_and_nothing_is_committed(repo, capsys) -> None:
    git(repo, "config", "user.name", "张三")
    git(repo, "config", "user.email", "zhangsan@example.gov.cn")
    contribute(repo, False)
    (repo / UNITS).write_text((repo / UNITS).read_text(encoding="utf-8") + "  - {id: shi-x, name: [\n", encoding="utf-8")
    before = git(repo, "rev-parse", "HEAD")
    code, out = run(repo, capsys, "--yes")
    assert code == 1 and "data/units.yml：文件不是有效的 YAML" in out and "Traceback" not in out, out
    assert git(repo, "rev-parse", "HEAD") == before
