"""The Excel and CSV download links of the views in headless Chromium: a click saves the
file under its Chinese name, with the bytes the build wrote."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CID = "2023-zhuti"
# page, label before the links, file in the site, name the browser saves it under
LINKS = [
    (f"views/{CID}/compare/", "本表", f"views/{CID}/compare/compare", "2023年主题教育对比表"),
    (f"views/{CID}/", "各单位报送情况（对照应报单位名单）", f"views/{CID}/submission", "2023年主题教育报送情况"),
    (f"views/{CID}/", "原创度排行", f"views/{CID}/originality", "2023年主题教育原创度排行"),
    (f"views/{CID}/", "本次学习教育的台账明细", f"views/ledger/ledger-{CID}", "2023年主题教育整改台账"),
    ("views/ledger/", "全部事项", "views/ledger/ledger", "整改台账（全部）"),
    (f"views/{CID}/upward/g1/", "本组整改台账", f"views/{CID}/upward/g1/ledger",
     "2023年主题教育第一指导组整改台账"),
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(built_site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(chromium: str):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.mark.parametrize(("suffix", "text"), [(".xlsx", "下载Excel"), (".csv", "CSV")])
@pytest.mark.parametrize(("url", "label", "file", "saved"), LINKS)
def test_a_click_saves_the_file_under_its_chinese_name(
    browser, base_url: str, built_site: Path, tmp_path: Path,
    url: str, label: str, file: str, saved: str, suffix: str, text: str,
) -> None:
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    try:
        tab = context.new_page()
        tab.goto(base_url + url)
        item = tab.locator(".kb-downloads__item", has_text=f"{label}：")
        with tab.expect_download() as info:
            item.get_by_role("link", name=text, exact=True).click()
        download = info.value
        assert download.suggested_filename == saved + suffix
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        assert target.read_bytes() == (built_site / (file + suffix)).read_bytes()
    finally:
        context.close()
