"""Guidance-group views on the built example site: every number on the dashboards, the
comparison table and the ledger is recomputed here from the data files (read with
yaml.safe_load, independently of ``kb.views``) and compared with the published HTML."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import statistics
from collections import Counter
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import DATA, read_data
from kb.data import yamlsafe
from kb.views import charts

pytestmark = pytest.mark.slow

BUILD_DATE = "2026-01-01"  # SOURCE_DATE_EPOCH=1767225600 of the built_site fixture
OPEN = {"推进中", "未开始"}


# --- the data, read directly ------------------------------------------------------------

load = read_data


GROUPS = {g["id"]: g for g in load(DATA / "groups.yml")["groups"]}
UNITS = {u["id"]: u for u in load(DATA / "units.yml")["units"]}
CAMPAIGNS = {c["id"]: c for c in (load(p) for p in sorted((DATA / "campaigns").glob("*.yml")))}
REPORTS = {cid: {p.stem: load(p) for p in sorted((DATA / "reports" / cid).glob("*.yml"))}
           for cid in CAMPAIGNS}
CAMPAIGN_IDS = sorted(CAMPAIGNS, key=lambda c: (CAMPAIGNS[c]["start"], c))


def roster(cid: str) -> dict[str, dict]:
    return {e["unit"]: e for e in CAMPAIGNS[cid]["roster"]}


def groups_of(cid: str) -> list[dict]:
    ids = {e["group"] for e in CAMPAIGNS[cid]["roster"]}
    return sorted((GROUPS[g] for g in ids), key=lambda g: g["number"])


def deadline(cid: str, unit: str) -> str:
    batch = roster(cid)[unit]["batch"]
    return next(b["deadline"] for b in CAMPAIGNS[cid]["batches"] if b["id"] == batch)


def num(value) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def days(a: str, b: str) -> int:
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def ledger_items() -> list[tuple[str, str, dict]]:
    return [(cid, unit, item) for cid in CAMPAIGN_IDS for unit, r in REPORTS[cid].items()
            for item in r.get("ledger") or []]


def overdue(item: dict) -> bool:
    """Open, and its deadline is a date (not 长期坚持, 常态化 …) before the build date."""
    dated = re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", item["deadline"]) is not None
    return item["status"] in OPEN and dated and item["deadline"] < BUILD_DATE


def deadline_cell(item: dict) -> str:
    """The deadline as the ledger shows it: the date or ongoing word, then the original wording."""
    return item["deadline"] + (f"原文：{item['deadline_text']}" if item.get("deadline_text") else "")


# --- the published pages ----------------------------------------------------------------

class Tables(HTMLParser):
    """Rows (tr attributes, cell texts, cell links) of the tables inside each element with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.tables: dict[str, list[tuple[dict, list[str], list[list[str]]]]] = {}
        self.row: tuple[dict, list[str], list[list[str]]] | None = None
        self.cell: list[str] | None = None

    def owner(self) -> str | None:
        return next((i for _, i in reversed(self.stack) if i), None)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in {"br", "img", "input", "meta", "link", "hr", "col"}:
            self.stack.append((tag, a.get("id")))
        if tag == "tr":
            self.row = (a, [], [])
        elif tag in {"td", "th"} and self.row is not None:
            self.cell = []
            self.row[2].append([])
        elif tag == "a" and self.cell is not None and self.row is not None:
            self.row[2][-1].append(a.get("href", ""))

    def handle_endtag(self, tag):
        if tag in {"td", "th"} and self.row is not None and self.cell is not None:
            self.row[1].append(re.sub(r"\s+", " ", "".join(self.cell)).strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            owner = self.owner()
            if owner:
                self.tables.setdefault(owner, []).append(self.row)
            self.row = None
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def tables(site: Path, url: str) -> dict[str, list[tuple[dict, list[str], list[list[str]]]]]:
    parser = Tables()
    parser.feed(html(site, url))
    return parser.tables


def body_rows(site: Path, url: str, table: str) -> list[list[str]]:
    return [cells for _, cells, _ in tables(site, url)[table][1:]]


def cards(site: Path, url: str) -> dict[str, int]:
    page = html(site, url)
    block = page[page.index('id="summary"'): page.index('id="totals"')]
    found = re.findall(r'kb-figure__value">(\d+)</span>.*?kb-figure__label">([^<]+)<', block)
    return {label: int(value) for value, label in found}


# --- dashboard --------------------------------------------------------------------------

@pytest.mark.parametrize("cid", CAMPAIGN_IDS)
def test_dashboard_totals_equal_the_data(built_site: Path, cid: str) -> None:
    reports = REPORTS[cid]
    groups = groups_of(cid)
    batches = CAMPAIGNS[cid]["batches"]
    rows = body_rows(built_site, f"views/{cid}", "totals-table")
    assert len(rows) == len(CAMPAIGNS[cid]["figures"])
    for figure, row in zip(CAMPAIGNS[cid]["figures"], rows, strict=True):
        key = figure["key"]
        given = {u: r["figures"][key] for u, r in reports.items() if key in (r.get("figures") or {})}

        def total(units, given=given):
            values = [given[u] for u in units if u in given]
            return sum(values) if values else None

        expected = [f"{figure['label']}（{figure['unit']}）", num(total(given)), str(len(given))]
        expected += [num(total([u for u in given if roster(cid)[u]["group"] == g["id"]]))
                     for g in groups]
        expected += [num(total([u for u in given if roster(cid)[u]["batch"] == b["id"]]))
                     for b in batches]
        assert row == expected


@pytest.mark.parametrize("cid", CAMPAIGN_IDS)
def test_dashboard_cards(built_site: Path, cid: str) -> None:
    reports = REPORTS[cid]
    items = [item for c, _, item in ledger_items() if c == cid]
    late = [u for u, r in reports.items() if r["submitted"] > deadline(cid, u)]
    assert cards(built_site, f"views/{cid}") == {
        "应报单位": len(CAMPAIGNS[cid]["roster"]),
        "已报送": len(reports),
        "迟报": len(late),
        "未报送单位": len(set(roster(cid)) - set(reports)),
        "整改台账事项": len(items),
        "逾期未完成": sum(overdue(i) for i in items),
    }


class Svg(HTMLParser):
    """Per figure element inside one chart list: drawn marks (class, data-value, tooltip)."""

    def __init__(self, container: str) -> None:
        super().__init__()
        self.container = container
        self.depth = 0
        self.figures: list[list[dict]] = []
        self.mark: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id") == self.container:
            self.depth = 1
            return
        if not self.depth:
            return
        if tag == "div":
            self.depth += 1
        if tag == "figure":
            self.figures.append([])
        if "data-value" in a:
            self.mark = {"class": a.get("class"), "value": a["data-value"], "title": ""}
            self.figures[-1].append(self.mark)

    def handle_endtag(self, tag):
        if self.depth and tag == "div":
            self.depth -= 1
        if tag in {"rect", "circle", "line"}:
            self.mark = None

    def handle_data(self, data):
        if self.mark is not None:
            self.mark["title"] += data


def chart_marks(site: Path, cid: str, container: str) -> list[list[dict]]:
    parser = Svg(container)
    parser.feed(html(site, f"views/{cid}"))
    return parser.figures


@pytest.mark.parametrize("cid", CAMPAIGN_IDS)
def test_group_bar_charts_draw_the_group_totals(built_site: Path, cid: str) -> None:
    figures = chart_marks(built_site, cid, "charts-groups-list")
    assert len(figures) == len(CAMPAIGNS[cid]["figures"])
    for figure, marks in zip(CAMPAIGNS[cid]["figures"], figures, strict=True):
        expected = {}
        for unit, r in REPORTS[cid].items():
            if figure["key"] in (r.get("figures") or {}):
                name = GROUPS[roster(cid)[unit]["group"]]["name"]
                expected[name] = expected.get(name, 0) + r["figures"][figure["key"]]
        drawn = {m["title"].split("：")[0]: int(m["value"]) for m in marks}
        assert drawn == expected
        assert all(m["title"].endswith(f"{m['value']}{figure['unit']}") for m in marks)


@pytest.mark.parametrize("cid", CAMPAIGN_IDS)
def test_unit_distribution_charts_draw_every_unit_and_the_group_medians(
    built_site: Path, cid: str
) -> None:
    figures = chart_marks(built_site, cid, "charts-units-list")
    for figure, marks in zip(CAMPAIGNS[cid]["figures"], figures, strict=True):
        key = figure["key"]
        dots = sorted((m["title"].split("：")[0], int(m["value"]))
                      for m in marks if m["class"] == "kb-chart__dot")
        given = {u: r["figures"][key] for u, r in REPORTS[cid].items()
                 if key in (r.get("figures") or {})}
        assert dots == sorted((UNITS[u]["name"], v) for u, v in given.items())
        medians = {m["title"].split("中位数")[0]: m["value"]
                   for m in marks if m["class"] == "kb-chart__median"}
        expected = {}
        for g in groups_of(cid):
            values = [v for u, v in given.items() if roster(cid)[u]["group"] == g["id"]]
            if values:
                expected[g["name"]] = num(statistics.median(values))
        assert medians == expected


@pytest.mark.parametrize("cid", CAMPAIGN_IDS)
def test_submission_status_per_group(built_site: Path, cid: str) -> None:
    reports = REPORTS[cid]
    expected = []
    for g in groups_of(cid):
        units = [u for u, e in roster(cid).items() if e["group"] == g["id"]]
        done = [u for u in units if u in reports]
        late = [u for u in done if reports[u]["submitted"] > deadline(cid, u)]
        expected.append([g["name"], str(len(units)), str(len(done)), str(len(done) - len(late)),
                         str(len(late)), str(len(units) - len(done))])
    late_all = sum(int(r[4]) for r in expected)
    expected.append(["合计", str(len(roster(cid))), str(len(reports)),
                     str(len(reports) - late_all), str(late_all),
                     str(len(roster(cid)) - len(reports))])
    assert body_rows(built_site, f"views/{cid}", "submission-table") == expected


def _batch_name(cid: str, unit: str) -> str:
    batch = roster(cid)[unit]["batch"]
    return next(b["name"] for b in CAMPAIGNS[cid]["batches"] if b["id"] == batch)


@pytest.mark.parametrize("cid", CAMPAIGN_IDS)
def test_missing_and_late_units_are_listed(built_site: Path, cid: str) -> None:
    page = tables(built_site, f"views/{cid}")
    missing = sorted(
        [GROUPS[e["group"]]["name"], _batch_name(cid, u), UNITS[u]["name"], deadline(cid, u),
         f"逾期未报 {days(deadline(cid, u), BUILD_DATE)} 天"
         if deadline(cid, u) < BUILD_DATE else "未到截止日期"]
        for u, e in roster(cid).items() if u not in REPORTS[cid]
    )
    late = sorted(
        [GROUPS[roster(cid)[u]["group"]]["name"], _batch_name(cid, u), UNITS[u]["name"],
         r["submitted"], deadline(cid, u), str(days(deadline(cid, u), r["submitted"]))]
        for u, r in REPORTS[cid].items() if r["submitted"] > deadline(cid, u)
    )
    assert sorted(cells for _, cells, _ in page.get("missing-table", [])[1:]) == missing
    assert sorted(cells for _, cells, _ in page.get("late-table", [])[1:]) == late


@pytest.mark.parametrize("cid", CAMPAIGN_IDS)
def test_dashboard_ledger_summary(built_site: Path, cid: str) -> None:
    rows = tables(built_site, f"views/{cid}")["ledger-table"]
    header, body = rows[0][1], [cells for _, cells, _ in rows[1:]]
    statuses = header[2:-1]
    items = [(u, i) for c, u, i in ledger_items() if c == cid]
    assert set(statuses) == {i["status"] for _, _, i in ledger_items()}
    expected = []
    for label, members in [
        *((g["name"], [i for u, i in items if roster(cid)[u]["group"] == g["id"]])
          for g in groups_of(cid)),
        ("合计", [i for _, i in items]),
    ]:
        counts = Counter(i["status"] for i in members)
        expected.append([label, str(len(members)), *(str(counts[s]) for s in statuses),
                         str(sum(overdue(i) for i in members))])
    assert body == expected


# --- comparison table -------------------------------------------------------------------

@pytest.mark.parametrize("cid", CAMPAIGN_IDS)
def test_comparison_table_values_and_group_medians(built_site: Path, cid: str) -> None:
    figures = CAMPAIGNS[cid]["figures"]
    page = tables(built_site, f"views/{cid}/compare")
    rows = {cells[0]: cells for _, cells, _ in page["compare-table"][1:]}
    assert set(rows) == {UNITS[u]["name"] for u in REPORTS[cid]}
    for unit, r in REPORTS[cid].items():
        given = r.get("figures") or {}
        assert rows[UNITS[unit]["name"]][1:] == [
            GROUPS[roster(cid)[unit]["group"]]["name"], _batch_name(cid, unit),
            *(num(given.get(f["key"])) for f in figures)]
    expected = []
    for label, units in [
        *((g["name"], [u for u in REPORTS[cid] if roster(cid)[u]["group"] == g["id"]])
          for g in groups_of(cid)),
        ("全部单位", list(REPORTS[cid])),
    ]:
        cells = [label, str(len(units))]
        for f in figures:
            values = [REPORTS[cid][u]["figures"][f["key"]] for u in units
                      if f["key"] in (REPORTS[cid][u].get("figures") or {})]
            cells.append(num(statistics.median(values)) if values else "—")
        expected.append(cells)
    assert [cells for _, cells, _ in page["medians-table"][1:]] == expected


# --- ledger across units ----------------------------------------------------------------

def test_ledger_lists_every_item_with_its_overdue_flag(built_site: Path) -> None:
    rows = tables(built_site, "views/ledger")["ledger-items"][1:]
    items = ledger_items()
    assert len(rows) == len(items)
    seen = Counter()
    for attrs, cells, _ in rows:
        seen[(attrs["data-kb-campaign"], cells[2], cells[3], cells[6], attrs["data-kb-status"],
              attrs["data-kb-overdue"])] += 1
    expected = Counter(
        (cid, UNITS[unit]["name"], item["problem"], deadline_cell(item), item["status"],
         "yes" if overdue(item) else "no")
        for cid, unit, item in items
    )
    assert seen == expected
    for attrs, cells, _ in rows:
        unit = next(u for u in UNITS.values() if u["name"] == cells[2])
        assert attrs["data-kb-group"] == roster(attrs["data-kb-campaign"])[unit["id"]]["group"]
        item = next(i for c, u, i in items if u == unit["id"] and i["problem"] == cells[3]
                    and c == attrs["data-kb-campaign"])
        if overdue(item):
            assert cells[8] == f"逾期 {days(item['deadline'], BUILD_DATE)} 天"
        else:
            assert cells[8] == "—"


def test_ledger_shows_ongoing_deadlines_and_original_wordings(built_site: Path) -> None:
    """The example data has an ongoing deadline (常态化): shown on the ledger page and on the
    report's page, never overdue; a kept wording (deadline_text) is shown next to its date."""
    items = ledger_items()
    ongoing = [(c, u, i) for c, u, i in items if not re.fullmatch(r"[0-9-]{10}", i["deadline"])]
    worded = [(c, u, i) for c, u, i in items if i.get("deadline_text")]
    assert ongoing
    rows = {(cells[2], cells[3]): (attrs, cells) for attrs, cells, _ in tables(built_site, "views/ledger")["ledger-items"][1:]}
    for cid, unit, item in ongoing + worded:
        attrs, cells = rows[(UNITS[unit]["name"], item["problem"])]
        assert cells[6] == deadline_cell(item)
        page = html(built_site, f"reports/{cid}/{unit}")
        assert item["deadline"] in page
        if item.get("deadline_text"):
            assert f"原文：{item['deadline_text']}" in page
    for _c, unit, item in ongoing:
        attrs, cells = rows[(UNITS[unit]["name"], item["problem"])]
        assert attrs["data-kb-overdue"] == "no" and cells[8] == "—"


def test_ledger_summary_per_campaign(built_site: Path) -> None:
    rows = tables(built_site, "views/ledger")["ledger-summary"]
    statuses = rows[0][1][2:-1]
    items = ledger_items()
    expected = []
    for label, members in [
        *((CAMPAIGNS[c]["short_name"], [i for cc, _, i in items if cc == c]) for c in CAMPAIGN_IDS),
        ("合计", [i for _, _, i in items]),
    ]:
        counts = Counter(i["status"] for i in members)
        expected.append([label, str(len(members)), *(str(counts[s]) for s in statuses),
                         str(sum(overdue(i) for i in members))])
    assert [cells for _, cells, _ in rows[1:]] == expected


def test_ledger_page_is_a_complete_table_without_script(built_site: Path) -> None:
    page = html(built_site, "views/ledger")
    body = page[page.index('id="ledger-items"'):]
    assert " hidden" not in body[: body.index("</table>")]
    assert "<select" not in page  # the filter controls are made by the script


# --- overview, home page, nav, links ----------------------------------------------------

def test_overview_numbers(built_site: Path) -> None:
    rows = {cells[0]: cells for _, cells, _ in tables(built_site, "views")["overview"][1:]}
    for cid in CAMPAIGN_IDS:
        reports = REPORTS[cid]
        items = [i for c, _, i in ledger_items() if c == cid]
        late = [u for u, r in reports.items() if r["submitted"] > deadline(cid, u)]
        assert rows[CAMPAIGNS[cid]["short_name"]][1:7] == [
            str(len(roster(cid))), str(len(reports)), str(len(late)),
            str(len(set(roster(cid)) - set(reports))), str(len(items)),
            str(sum(overdue(i) for i in items))]


def test_views_are_linked_from_home_and_nav(built_site: Path) -> None:
    home = html(built_site, "")
    article = home[home.index("<article"):]
    assert 'href="views/"' in article and 'href="views/ledger/"' in article
    nav = home[home.index('<nav class="md-tabs"'):]
    nav = nav[: nav.index("</nav>")]
    assert re.search(r'href="views/"[^>]*>\s*指导组视图', nav)
    ledger = html(built_site, "views/ledger")
    primary = ledger[ledger.index('<nav class="md-nav md-nav--primary'): ledger.index("<article")]
    assert re.search(r'md-nav__link[^>]*>[^<]*<span[^>]*>\s*整改台账', primary)


VIEW_PAGES = ["views", "views/ledger", *(f"views/{c}" for c in CAMPAIGN_IDS),
              *(f"views/{c}/compare" for c in CAMPAIGN_IDS)]


@pytest.mark.parametrize("url", VIEW_PAGES)
def test_links_on_view_pages_resolve(built_site: Path, url: str) -> None:
    """Links inside raw HTML are not checked by MkDocs: check them here."""
    page = html(built_site, url)
    article = page[page.index("<article"): page.index("</article>")]
    for href in re.findall(r'href="([^"#?]*)[^"]*"', article):
        if not href or href.startswith(("http:", "https:", "mailto:")):
            continue
        target = posixpath.normpath(posixpath.join(url, href))
        path = built_site / target
        assert (path / "index.html").exists() or path.is_file(), (url, href)


@pytest.mark.parametrize("url", VIEW_PAGES)
def test_view_pages_have_no_script_or_handler_from_data(built_site: Path, url: str) -> None:
    page = html(built_site, url)
    article = page[page.index("<article"): page.index("</article>")]
    assert "<script" not in article
    assert not re.search(r"\son[a-z]+\s*=", article)


def test_report_pages_show_copy_detection(built_site: Path) -> None:
    for cid in CAMPAIGN_IDS:
        for unit in REPORTS[cid]:
            page = html(built_site, f"reports/{cid}/{unit}")
            block = page[page.index('id="originality"'):]
            assert re.search(r"正文中有 <strong>\d+\.\d%</strong> 的文字", block[:2000]), unit
            assert f"在本次学习教育 {len(REPORTS[cid])} 份报告中" in block[:3000]


# --- charts at the largest accepted values (drawn directly, no site needed) --------------

FIGURE_MAX = read_data(DATA / "schema" / "report.schema.json")["properties"]["figures"][
    "additionalProperties"]["maximum"]
LOADER_MAX = int("9" * yamlsafe.MAX_NUMBER_CHARS)  # the largest integer YAML is read as, bound or not
SVG_ELEMENT = re.compile(r"<(rect|circle|line|text)\b([^>]*)>(?:([^<]*)</text>)?")


def glyphs_width(text: str, size: float) -> float:
    """A generous estimate of a label's width: CJK one em, anything else 0.62 em."""
    return sum(size if "\u3000" <= ch <= "\u9fff" else 0.62 * size for ch in text)


def outside(svg: str) -> list[str]:
    """Marks and labels that would be drawn outside the chart's width (0…WIDTH)."""
    bad = []
    for tag, attrs, text in SVG_ELEMENT.findall(svg):
        a = dict(re.findall(r'([a-z-]+\d?)="([^"]*)"', attrs))
        xs = [float(a[k]) for k in ("x", "cx", "x1", "x2") if k in a]
        if tag == "rect":
            xs.append(float(a["x"]) + float(a["width"]))
        if tag == "text":
            width = glyphs_width(html_unescape(text), float(a.get("font-size", 12)))
            x = float(a["x"])
            xs += {"end": [x - width], "middle": [x - width / 2, x + width / 2]}.get(
                a.get("text-anchor", "start"), [x + width])
        if any(not 0 <= x <= charts.WIDTH for x in xs):
            bad.append(f"<{tag} {attrs}>{text}")
    return bad


def drawn_values(svg: str) -> list[str]:
    return re.findall(r'data-value="([^"]*)"', svg)


SERIES = [charts.Series("按时报送", "#000"), charts.Series("迟报", "#111"), charts.Series("未报送", "#222")]
LARGEST = {
    # a unit's figure at the maximum, next to a small one
    "bar-unit-max": lambda: (charts.bar_chart("数字", [("甲局", FIGURE_MAX), ("乙局", 1), ("丙局", None)], "个"),
                             [FIGURE_MAX, 1]),
    # group totals of 5,000 units each at the maximum
    "bar-group-totals": lambda: (charts.bar_chart("合计", [(f"第{i}组", 5000 * FIGURE_MAX) for i in range(8)], "次"),
                                 [5000 * FIGURE_MAX] * 8),
    "strip-max": lambda: (charts.strip_chart("分布", [("第一组", [("甲局", FIGURE_MAX), ("乙局", 0)], FIGURE_MAX / 2),
                                                    ("第二组", [("丙局", FIGURE_MAX)], FIGURE_MAX)], "个"),
                          [FIGURE_MAX, 0, FIGURE_MAX / 2, FIGURE_MAX, FIGURE_MAX]),
    "strip-many-at-max": lambda: (charts.strip_chart("分布", [("第一组", [(f"单位{i}", FIGURE_MAX - i) for i in range(500)],
                                                                FIGURE_MAX - 249.5)], "个"),
                                  [FIGURE_MAX - i for i in range(500)] + [FIGURE_MAX - 249.5]),
    "stacked-many-units": lambda: (charts.stacked_chart("报送", [("第一组", [100_000, 2_000_000, 0])], SERIES),
                                   [100_000, 2_000_000]),
    # should a schema lack its bound: the largest integer the loader reads
    "bar-loader-max": lambda: (charts.bar_chart("数字", [("甲局", LOADER_MAX), ("乙局", 7)], "个"), [LOADER_MAX, 7]),
    "strip-loader-max": lambda: (charts.strip_chart("分布", [("第一组", [("甲局", LOADER_MAX), ("乙局", 7)], None)], "个"),
                                 [LOADER_MAX, 7]),
}


@pytest.mark.parametrize("case", LARGEST.values(), ids=LARGEST.keys())
def test_charts_draw_the_largest_values_inside_the_chart(case) -> None:
    svg, values = case()
    assert not outside(svg), outside(svg)
    assert drawn_values(svg) == [num(v) for v in values]  # exact in data-value and tooltips
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    assert all(any(re.search(f"：{num(v)}\\D", t + ".") for t in titles) for v in values), titles


@pytest.mark.parametrize(
    ("value", "label"),
    [(0, "0"), (99_999, "99999"), (100_000, "10万"), (123_456, "12.3万"), (9_999_999, "1000万"),
     (FIGURE_MAX, "1000万"), (99_999_999, "1亿"), (95_000_000, "9500万"), (5000 * FIGURE_MAX, "500亿"),
     (10**13, "10万亿"), (2.5, "2.5"), (10**16, "1.0e+16"), pytest.param(LOADER_MAX, "1.0e+100", id="loader-max"),
     pytest.param(10**5000, "1.0e+5000", id="10**5000")],
)
def test_chart_labels_shorten_large_numbers(value: float, label: str) -> None:
    assert charts.short_number(value) == label
