"""scripts/intake.py with --roster: an unreadable roster says so and why (exit 1, never
"都已登记"); without --campaign the campaign comes from the roster's 学习教育 column, the data
directory's only (or only open) campaign, or a usage error naming the campaigns (exit 2)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from intake_inbox import data_copy

from conftest import ROOT
from kb.contrib.intake import register
from kb.contrib.intake.roster import Roster, RosterRow
from kb.contrib.reference import Reference

SCRIPT = ROOT / "scripts" / "intake.py"
HEADER = "单位名称,党组织名称,指导组,批次"


def cli(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


@pytest.fixture
def data(tmp_path) -> Path:
    return data_copy(tmp_path / "data")


# name -> (file name, content)
UNREADABLE = {
    "binary-csv": ("名单.csv", b"\x00\x01\x02\xff\xfe" * 40),
    "xlsx-not-a-workbook": ("名单.xlsx", "单位名称\n市审计局\n".encode()),
    "no-header": ("名单.csv", "甲,乙\n市审计局,市审计局党组\n".encode()),
    "old-excel": ("名单.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
}


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_an_unreadable_roster_says_why_and_exits_1(tmp_path, data, case) -> None:
    name, content = UNREADABLE[case]
    (tmp_path / "inbox").mkdir()
    roster = tmp_path / name
    roster.write_bytes(content)
    units = (data / "units.yml").read_bytes()
    done = cli(tmp_path / "inbox", "--roster", roster, "--data-dir", data)
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "无需改动" not in out and "Traceback" not in out
    assert "没有登记任何单位：名单文件无法读取（" in out
    assert (data / "units.yml").read_bytes() == units


def test_rows_that_all_fail_do_not_claim_everything_is_registered(tmp_path, data) -> None:
    (tmp_path / "inbox").mkdir()
    roster = tmp_path / "名单.csv"
    roster.write_text(f"{HEADER}\n市审计局,,第一指导组,1\n", encoding="utf-8")  # a new unit without its party org
    done = cli(tmp_path / "inbox", "--roster", roster, "--campaign", "2023-zhuti", "--data-dir", data)
    assert done.returncode == 1
    assert "无需改动" not in done.stdout and register.NOTHING_ADDED in done.stdout


@pytest.mark.parametrize(("column", "campaign"), [
    ("2023-zhuti", "2023-zhuti"),
    ("主题教育", "2023-zhuti"),
    ("2024年党纪学习教育", "2024-dangji"),
    ("党纪学习教育", "2024-dangji"),
])
def test_the_campaign_comes_from_the_rosters_column(tmp_path, data, column, campaign) -> None:
    (tmp_path / "inbox").mkdir()
    roster = tmp_path / "名单.csv"
    roster.write_text(f"{HEADER},学习教育\n市审计局,市审计局党组,第一指导组,1,{column}\n", encoding="utf-8")
    done = cli(tmp_path / "inbox", "--roster", roster, "--data-dir", data)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"data/campaigns/{campaign}.yml 的名单" in done.stdout
    assert "unit: shi-sjj" in (data / "campaigns" / f"{campaign}.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("cells", "needle"), [
    (["", ""], "请用 --campaign 指定学习教育，或在名单中加一列“学习教育”"),
    (["主题教育", "党纪学习教育"], "写了多个学习教育"),
    (["2031年学习教育", "2031年学习教育"], "对应不到唯一的学习教育"),
], ids=["no-column", "two-campaigns", "unknown"])
def test_no_single_campaign_is_a_usage_error_naming_them(tmp_path, data, cells, needle) -> None:
    (tmp_path / "inbox").mkdir()
    roster = tmp_path / "名单.csv"
    rows = "".join(f"{name},{name}党组,1,1,{cell}\n" for name, cell in zip(("市审计局", "市档案局"), cells, strict=True))
    roster.write_text(f"{HEADER},学习教育\n{rows}", encoding="utf-8")
    done = cli(tmp_path / "inbox", "--roster", roster, "--data-dir", data)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("错误：") and needle in done.stderr
    assert "2023-zhuti（2023年主题教育）" in done.stderr or "2024-dangji" in done.stderr
    assert "shi-sjj" not in (data / "units.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("today", "expected"), [
    (date(2024, 5, 1), "2024-dangji"),  # only the 党纪学习教育 runs
    (date(2023, 10, 1), "2023-zhuti"),
    (date(2024, 2, 3), "2023-zhuti"),  # its second batch's deadline has not passed
    (date(2026, 1, 1), None),  # both over: no guess
])
def test_the_only_open_campaign_is_taken(data, today, expected) -> None:
    campaigns = Reference.load(data).campaigns
    roster = Roster("名单.csv", [RosterRow(2, "市审计局", "市审计局党组")])
    if expected is None:
        with pytest.raises(register.NoCampaign, match="--campaign"):
            register.choose_campaign(campaigns, roster, today)
    else:
        assert register.choose_campaign(campaigns, roster, today) == expected


def test_a_data_dir_with_one_campaign_needs_no_choice(data) -> None:
    campaigns = Reference.load(data).campaigns
    only = {"2023-zhuti": campaigns["2023-zhuti"]}
    roster = Roster("名单.csv", [RosterRow(2, "市审计局", "市审计局党组")])
    assert register.choose_campaign(only, roster, date(2030, 1, 1)) == "2023-zhuti"
