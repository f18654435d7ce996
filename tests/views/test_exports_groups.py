"""A guidance group's own downloads on the built example site: per campaign × group, the
comparison table, the ledger and the submission status hold exactly that group's rows of
the campaign-wide files (same header, same rows in the same order, .xlsx and .csv), and the
group's upward page links them under names such as 2023年主题教育第一指导组整改台账.xlsx."""

from __future__ import annotations

import pytest
from test_exports import page, read_csv, xlsx_rows

from conftest import DATA, read_data

pytestmark = pytest.mark.slow

CAMPAIGNS = {c["id"]: c for c in (read_data(p) for p in sorted((DATA / "campaigns").glob("*.yml")))}
GROUP_NAMES = {g["id"]: g["name"] for g in read_data(DATA / "groups.yml")["groups"]}
CASES = [(cid, gid) for cid, c in CAMPAIGNS.items() for gid in sorted({e["group"] for e in c["roster"]})]
# kind: (campaign-wide file, index of the 指导组 column, title in the saved name)
KINDS = {
    "compare": ("views/{cid}/compare/compare", 1, "对比表"),
    "ledger": ("views/ledger/ledger-{cid}", 1, "整改台账"),
    "submission": ("views/{cid}/submission", 0, "报送情况"),
}


def group_file(cid: str, gid: str, kind: str) -> str:
    return f"views/{cid}/upward/{gid}/{kind}"


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize(("cid", "gid"), CASES)
def test_a_groups_file_holds_its_rows_of_the_campaign_file(built_site, cid: str, gid: str,
                                                           kind: str) -> None:
    whole, column, _ = KINDS[kind]
    whole = built_site / whole.format(cid=cid)
    mine = built_site / group_file(cid, gid, kind)
    header, rows = xlsx_rows(whole.with_suffix(".xlsx"))
    g_header, g_rows = xlsx_rows(mine.with_suffix(".xlsx"))
    assert g_header == header
    assert g_rows == [r for r in rows if r[column] == GROUP_NAMES[gid]]
    assert g_rows or kind == "ledger"  # every group of a roster has units
    csv_whole = read_csv(whole.with_suffix(".csv"))
    assert read_csv(mine.with_suffix(".csv")) == [
        csv_whole[0], *(r for r in csv_whole[1:] if r[column] == GROUP_NAMES[gid])]


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("cid", sorted(CAMPAIGNS))
def test_the_groups_files_together_are_the_campaign_file(built_site, cid: str, kind: str) -> None:
    whole, _, _ = KINDS[kind]
    _, rows = xlsx_rows(built_site / f"{whole.format(cid=cid)}.xlsx")
    parts = [xlsx_rows(built_site / f"{group_file(cid, gid, kind)}.xlsx")[1]
             for c, gid in CASES if c == cid]
    assert sorted(map(repr, (r for part in parts for r in part))) == sorted(map(repr, rows))


@pytest.mark.parametrize(("cid", "gid"), CASES)
def test_the_group_page_links_its_files_under_chinese_names(built_site, cid: str, gid: str) -> None:
    c = CAMPAIGNS[cid]
    prefix = (c.get("short_name") or c["name"]) + GROUP_NAMES[gid]
    links = page(built_site, f"views/{cid}/upward/{gid}").xpath(
        "//div[contains(@class, 'kb-downloads')]//a")
    found = {a.get("href"): a.get("download") for a in links}
    assert found == {f"./{kind}{ext}": f"{prefix}{title}{ext}"
                     for kind, (_, _, title) in KINDS.items() for ext in (".xlsx", ".csv")}
    for href in found:
        assert (built_site / f"views/{cid}/upward/{gid}" / href).is_file()


def test_the_campaign_upward_page_has_no_group_files(built_site) -> None:
    for cid in CAMPAIGNS:
        assert not list((built_site / f"views/{cid}/upward").glob("*.xlsx"))


@pytest.mark.parametrize("cid", sorted(CAMPAIGNS))
def test_the_dashboard_leads_to_each_groups_files(built_site, cid: str) -> None:
    hrefs = page(built_site, f"views/{cid}").xpath("//div[contains(@class, 'kb-group-downloads')]//a/@href")
    assert hrefs == [f"upward/{gid}/#downloads" for c, gid in CASES if c == cid]
    for gid in (gid for c, gid in CASES if c == cid):
        group_page = page(built_site, f"views/{cid}/upward/{gid}")
        assert group_page.get_element_by_id("downloads").xpath("following::div[1]/@class") == ["kb-downloads"]
