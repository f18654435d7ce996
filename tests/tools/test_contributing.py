"""CONTRIBUTING.md stays true: the checker output it quotes for the five most common
mistakes is what the validator prints today for the same slip in a scaffolded report,
and the commands it tells people to run exist."""

from __future__ import annotations

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
