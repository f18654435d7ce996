"""CONTRIBUTING.md stays true: the checker output it quotes for the five most common
mistakes is what the validator prints today for the same slip in a scaffolded report,
and the commands it tells people to run exist."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import DATA, ROOT
from kb.contrib import scaffold

GUIDE = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
SITE_PAGE = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")
REQUEST = scaffold.Request(unit="shi-sjj", campaign="2023-zhuti", group="g2", batch="1",
                           name="市审计局", party_org="市审计局党组")

# (name, the slip as a function of the file text); the validator's words must be quoted in the guide.
SLIPS = [
    ("placeholder", lambda t: t.replace("- title: 小节标题2", "- title: 【请填写小节标题】")),
    ("tab", lambda t: t.replace("        - lead: 领句1-1", "\t- lead: 领句1-1")),
    ("indent", lambda t: t.replace("        - lead: 领句1-1", "      - lead: 领句1-1")),
    ("fullwidth-colon", lambda t: re.sub(r"^submitted: ", "submitted：", t, flags=re.M)),
    ("date", lambda t: re.sub(r"^submitted: \S+", "submitted: 2023年9月6日", t, flags=re.M)),
    ("unit-in-number", lambda t: t.replace("  research_topics: 0", "  research_topics: 5个")),
    ("missing-space", lambda t: t.replace("  field_visits: 0", "  field_visits:28")),
    ("material-typo", lambda t: t.replace("materials: [xjp-zzxd-1,", "materials: [xjp-zzxd1,")),
]


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """A scaffolded report with every placeholder filled: valid, like a finished report."""
    data = tmp_path_factory.mktemp("guide") / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("reports"))
    report = scaffold.create(data, REQUEST, today="2023-09-06").report
    counters = {"小节标题": 0, "领句": 0}

    def fill(m: re.Match) -> str:
        what = m.group(1)
        if what in counters:
            counters[what] += 1
            return f"{what}{counters[what]}" if what == "小节标题" else f"{what}{(counters[what] - 1) // 3 + 1}-{(counters[what] - 1) % 3 + 1}"
        return "已填写的内容"

    lines = report.read_text(encoding="utf-8").split("\n")
    text = "\n".join(line if line.startswith("#") else re.sub(r"【请填写([^】]*)】", fill, line) for line in lines)
    text = text.replace("  research_reports: 0", "  research_reports: 2")  # real figures, not the scaffold's zeros
    report.write_text(text, encoding="utf-8")
    return data, report, text


def _validate(data, report) -> list[str]:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), str(report)],
                            capture_output=True, text=True, cwd=data.parent, timeout=120)
    return [line for line in result.stdout.splitlines() if ": 错误 " in line or ": 警告 " in line]


def test_filled_outline_is_valid(filled):
    data, report, _ = filled
    assert _validate(data, report) == []


@pytest.mark.parametrize(("name", "slip"), SLIPS, ids=[s[0] for s in SLIPS])
def test_guide_quotes_what_the_checker_prints(filled, tmp_path, name, slip):
    data, report, text = filled
    broken = slip(text)
    assert broken != text, f"slip {name} did not apply"
    report.write_text(broken, encoding="utf-8")
    try:
        lines = _validate(data, report)
    finally:
        report.write_text(text, encoding="utf-8")
    assert len(lines) == 1, lines
    message = lines[0].split(": 错误 ", 1)[1]
    assert message in GUIDE, f"CONTRIBUTING.md does not quote the current message: {message}"


@pytest.mark.parametrize("command", sorted(set(re.findall(r"make ([a-z-]+)", GUIDE + SITE_PAGE))))
def test_make_targets_in_the_guides_exist(command):
    assert re.search(rf"^{re.escape(command)}:", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M), command


@pytest.mark.parametrize("script", sorted(set(re.findall(r"scripts/([a-z_]+\.py)", GUIDE + SITE_PAGE))))
def test_scripts_in_the_guides_exist(script):
    assert (ROOT / "scripts" / script).is_file()


# --------------------------------------------------------------------------- the git part and the browser route

def _git_output(tmp_path, scenario: str) -> str:
    """What git prints in the guide's two English situations, run for real."""
    env = {**os.environ, "HOME": str(tmp_path), "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"),
           "GIT_CONFIG_NOSYSTEM": "1", "LANG": "C", "LC_ALL": "C"}
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        env.pop(name, None)

    def git(*args: str, cwd=tmp_path) -> subprocess.CompletedProcess:
        return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)

    me = ("-c", "user.name=a", "-c", "user.email=a@example.org")
    if scenario == "identity":
        git("init", "-q", "-b", "main", "r")
        (tmp_path / "r" / "a").write_text("a", encoding="utf-8")
        git("add", "a", cwd=tmp_path / "r")
        return git("commit", "-m", "x", cwd=tmp_path / "r").stderr
    git("init", "-q", "--bare", "-b", "main", "remote.git")
    git("clone", "-q", "remote.git", "one")
    git(*me, "commit", "-q", "--allow-empty", "-m", "start", cwd=tmp_path / "one")
    git("push", "-q", "origin", "main", cwd=tmp_path / "one")
    git("clone", "-q", "remote.git", "two")  # both start from the same commit
    for clone, name in (("one", "f"), ("two", "g")):
        (tmp_path / clone / name).write_text(name, encoding="utf-8")
        git("add", name, cwd=tmp_path / clone)
        git(*me, "commit", "-q", "-m", name, cwd=tmp_path / clone)
        pushed = git("push", "origin", "main", cwd=tmp_path / clone)
    return pushed.stderr  # the second clone's push, refused


@pytest.mark.parametrize(("scenario", "lines"), [("identity", slice(0, -1)), ("push-refused", slice(1, 5))],
                         ids=["author-identity-unknown", "push-refused"])
def test_guide_quotes_what_git_prints(tmp_path, scenario, lines):
    printed = _git_output(tmp_path, scenario).strip("\n").splitlines()
    quoted = [line for line in printed[lines] if not line.startswith("error: failed to push")]
    missing = [line for line in quoted if line.strip() and f"\n{line}\n" not in GUIDE]
    assert quoted and not missing, missing  # each line verbatim, in a quoted block of its own lines


def test_guide_shows_every_screenshot_the_script_makes():
    from contrib_screenshots import OUT, SHOTS

    linked = re.findall(r"\]\((docs/assets/contributing/[^)]+\.png)\)", GUIDE)
    assert sorted(linked) == sorted(f"docs/assets/contributing/{name}.png" for name in SHOTS)
    assert all((ROOT / path).is_file() and (ROOT / path).parent == OUT for path in linked)
    assert "本项目工具生成的页面" in GUIDE and "GitLab、GitHub 自己的页面没有截图" in GUIDE
