"""Print as a reader would: the built site is served over HTTP, Chromium prints report and
bundle pages to PDF (page.pdf, the print path of Ctrl+P), poppler turns them into text and
images, and the result is checked against the data files: A4 pages, page numbers
"— N —", no site chrome, every paragraph of the report, each report of a bundle starting
on a new page."""

from __future__ import annotations

import functools
import re
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from test_official import expected, squash

from conftest import CHROMIUM_ARGS, DATA, require_tool

pytestmark = [pytest.mark.browser, pytest.mark.slow]

A4_PT = (595.28, 841.89)
REPORTS = ["2023-zhuti/shi-fgw", "2023-zhuti/qu-jyj", "2024-dangji/shi-czj"]
BUNDLE = ("2023-zhuti", "g1")
# Text only the site chrome and the on-screen parts carry.
CHROME_TEXT = ["主题教育自查评估报告知识库", "内部资料", "参与贡献", "指导组视图", "下载Word版",
               "本组报告打印汇编", "数据文件", "编辑此报告", "原创度", "打印说明"]


@pytest.fixture(scope="module")
def poppler() -> None:
    for tool in ("pdftotext", "pdftoppm", "pdfinfo"):
        require_tool(tool, "print tests read the PDF with poppler-utils")


@pytest.fixture(scope="module")
def server(built_site: Path):
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(built_site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser(chromium: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


def print_pdf(browser, url: str, path: Path, **options) -> Path:
    page = browser.new_page()
    try:
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, url
        page.pdf(path=str(path), prefer_css_page_size=True, print_background=True, **options)
    finally:
        page.close()
    return path


def run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = run("pdfinfo", "-f", "1", "-l", "9999", str(pdf))
    return [(float(w), float(h)) for w, h in
            re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]


def page_texts(pdf: Path) -> list[str]:
    """Text of each page in drawing order (-raw keeps a table cell's lines together)."""
    return [run("pdftotext", "-f", str(n), "-l", str(n), "-raw", str(pdf), "-")
            for n in range(1, len(page_sizes(pdf)) + 1)]


PAGE_NUMBER = re.compile(r"—\s*\d+\s*—")


def body_text(texts: list[str]) -> str:
    """The pages' text run together without the page numbers, whitespace removed."""
    return squash("".join(PAGE_NUMBER.sub("", t) for t in texts))


def gray_image(pdf: Path, page: int, dpi: int = 30) -> tuple[int, int, bytes]:
    """Page as 8-bit grey pixels (PGM from pdftoppm): width, height, data."""
    prefix = pdf.parent / f"{pdf.stem}-p{page}"
    run("pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page),
        "-singlefile", str(pdf), str(prefix))
    data = prefix.with_name(prefix.name + ".pgm").read_bytes()
    magic, width, height, depth, pixels = data.split(maxsplit=4)
    assert magic == b"P5" and depth == b"255"
    return int(width), int(height), pixels


def ink(image, left_mm: float, top_mm: float, right_mm: float, bottom_mm: float,
        dpi: int = 30) -> int:
    """Dark pixels in a rectangle of the page (millimetres from the top-left corner)."""
    width, _, pixels = image
    px = lambda mm: int(mm / 25.4 * dpi)  # noqa: E731
    return sum(
        1
        for y in range(px(top_mm), px(bottom_mm))
        for x in range(px(left_mm), px(right_mm))
        if pixels[y * width + x] < 160
    )


def report_url(server: str, report_id: str) -> str:
    return f"{server}reports/{report_id}/"


@pytest.fixture(scope="module")
def report_pdfs(browser, server, poppler, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("print")
    return {rid: print_pdf(browser, report_url(server, rid), out / f"{rid.replace('/', '-')}.pdf")
            for rid in REPORTS}


def data_file(report_id: str) -> Path:
    return DATA / "reports" / f"{report_id}.yml"


@pytest.mark.parametrize("report_id", REPORTS)
def test_report_prints_on_a4_with_page_numbers(report_pdfs, report_id):
    pdf = report_pdfs[report_id]
    sizes = page_sizes(pdf)
    assert len(sizes) >= 2
    for width, height in sizes:
        assert abs(width - A4_PT[0]) < 1.5 and abs(height - A4_PT[1]) < 1.5
    for number, text in enumerate(page_texts(pdf), start=1):
        assert f"—{number}—" in squash(text), (report_id, number)


@pytest.mark.parametrize("report_id", REPORTS)
def test_report_print_has_all_text_and_no_chrome(report_pdfs, report_id):
    text = body_text(page_texts(report_pdfs[report_id]))
    want = expected(data_file(report_id))
    for item in want.all_text():
        for line in item.split("\n"):
            assert squash(re.sub(r"^(• |\d+\. )", "", line)) in text, (report_id, line)
    for chrome in CHROME_TEXT:
        assert chrome not in text, (report_id, chrome)


def test_report_print_starts_with_the_title(report_pdfs):
    """Page 1 begins with the title, then the addressee: no breadcrumbs, no metadata table."""
    want = expected(data_file(REPORTS[0]))
    first = body_text(page_texts(report_pdfs[REPORTS[0]])[:1])
    assert first.startswith(squash(f"市发展和改革委员会：{want.title}{want.addressee}"))


def test_report_print_margins_are_empty(report_pdfs):
    """Nothing in the 37 mm head margin or the 28 mm binding margin (no header, no nav);
    the page number sits in the foot margin, right on odd pages, left on even ones."""
    pdf = report_pdfs[REPORTS[0]]
    for page in (1, 2):
        image = gray_image(pdf, page)
        assert ink(image, 0, 0, 210, 34) == 0, f"page {page}: something in the head margin"
        assert ink(image, 0, 0, 26, 297) == 0, f"page {page}: something in the left margin"
        assert ink(image, 30, 40, 180, 260) > 500, f"page {page}: no body text"
        right, left = ink(image, 150, 265, 190, 290), ink(image, 20, 265, 60, 290)
        assert (right > 0, left > 0) == ((True, False) if page % 2 else (False, True))


def test_print_layout_in_the_dom(browser, server):
    """Computed print styles: chrome hidden, official sizes and fonts, rows kept whole."""
    page = browser.new_page()
    try:
        page.goto(report_url(server, REPORTS[0]), wait_until="load")
        page.emulate_media(media="print")
        hidden = page.evaluate("""() => ['.md-header', '.md-tabs', '.md-sidebar', '.md-footer',
            '.md-search', '.md-top', '.kb-actions', '.kb-meta', '.kb-report-head', '.kb-source']
            .flatMap(s => [...document.querySelectorAll(s)].map(e => [s, getComputedStyle(e).display]))""")
        assert hidden and all(display == "none" for _, display in hidden), hidden
        style = page.evaluate("""() => {
            const css = (sel, prop) => getComputedStyle(document.querySelector(sel))[prop];
            return {
              title: css('h1.kb-report-title', 'fontSize'),
              body: css('.kb-doc > p:not(.kb-addressee)', 'fontSize'),
              indent: css('.kb-doc > p:not(.kb-addressee)', 'textIndent'),
              bodyFont: css('.kb-doc > p:not(.kb-addressee)', 'fontFamily'),
              h1Font: css('.kb-doc > h2', 'fontFamily'),
              h2Font: css('.kb-doc > h3', 'fontFamily'),
              row: css('#ledger ~ * tr, #ledger ~ table tr', 'breakInside'),
            }; }""")
        assert style["title"] == "29.3333px"  # 22 pt
        assert style["body"] == "21.3333px"  # 16 pt
        assert style["indent"] == "42.6667px"  # two characters
        assert style["bodyFont"].split(",")[0].strip('"') == "FangSong_GB2312"
        assert "SimHei" in style["h1Font"].split(",")[0]
        assert "KaiTi" in style["h2Font"].split(",")[0]
        assert style["row"] == "avoid"
    finally:
        page.close()


def test_page_numbers_come_from_the_stylesheet_not_the_browser(browser, server, poppler,
                                                               tmp_path):
    """The numbers "— N —" are the stylesheet's page-margin boxes: they are there with the
    browser's own header/footer switched off (the setting the print help asks for) and stay
    when it is on (Ctrl+P "页眉和页脚", here a header and footer template), in which case the
    browser adds its own lines at the paper edge as well, as the print help warns."""
    plain = page_texts(print_pdf(browser, report_url(server, REPORTS[0]), tmp_path / "a.pdf",
                                 display_header_footer=False))
    with_browser = page_texts(print_pdf(
        browser, report_url(server, REPORTS[0]), tmp_path / "b.pdf",
        display_header_footer=True,
        header_template='<div style="font-size:8px">BROWSERHEADER</div>',
        footer_template='<div style="font-size:8px">BROWSERFOOTER <span class="pageNumber"></span></div>',
    ))
    assert len(plain) == len(with_browser) >= 2
    for number, (a, b) in enumerate(zip(plain, with_browser, strict=True), start=1):
        assert f"—{number}—" in squash(a) and f"—{number}—" in squash(b)
        assert "BROWSERFOOTER" not in a and f"BROWSERFOOTER {number}" in b


def bundle_reports(campaign_id: str, group_id: str) -> list[tuple[str, str]]:
    """(report id, unit name) of a bundle from the data files, in batch then unit order."""
    import yaml

    read = lambda path: yaml.safe_load(path.read_text(encoding="utf-8"))  # noqa: E731
    units = {u["id"]: u["name"] for u in read(DATA / "units.yml")["units"]}
    roster = read(DATA / "campaigns" / f"{campaign_id}.yml")["roster"]
    members = sorted((e["batch"], e["unit"]) for e in roster if e["group"] == group_id
                     and (DATA / "reports" / campaign_id / f"{e['unit']}.yml").is_file())
    return [(f"{campaign_id}/{unit}", units[unit]) for _, unit in members]


def test_bundle_starts_each_report_on_a_new_page(browser, server, poppler, tmp_path):
    campaign, group = BUNDLE
    reports = bundle_reports(campaign, group)
    assert len(reports) >= 2
    pdf = print_pdf(browser, f"{server}print/{campaign}/{group}/", tmp_path / "bundle.pdf")
    texts = page_texts(pdf)
    assert all(abs(w - A4_PT[0]) < 1.5 and abs(h - A4_PT[1]) < 1.5 for w, h in page_sizes(pdf))
    for number, text in enumerate(texts, start=1):
        assert f"—{number}—" in squash(text)
    tops = [next((squash(line) for line in PAGE_NUMBER.sub("", t).splitlines() if line.strip()),
                 "") for t in texts]
    # Each report's first page starts with its unit name (ValueError if it starts mid-page),
    # in bundle order, after the contents page.
    starts = [tops.index(squash(name)) for _, name in reports]
    assert starts == sorted(starts) and starts[0] >= 1
    for (rid, _), start, end in zip(reports, starts, starts[1:] + [len(texts)], strict=True):
        text = body_text(texts[start:end])
        for item in expected(data_file(rid)).all_text():
            for line in item.split("\n"):
                assert squash(re.sub(r"^(• |\d+\. )", "", line)) in text, (rid, line)
    for chrome in CHROME_TEXT:
        assert chrome not in squash("".join(texts))
