"""``make preview`` in Chromium (issue 18): the open report page turns into the Chinese error
list by itself when the report is saved with an error, and back into the report when fixed."""

from __future__ import annotations

import pytest
from previewrun import BAD_DATE, GOOD_DATE, URL, running_preview
from search_http import browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_open_page_shows_the_errors_and_then_the_report_without_reloading_by_hand(tmp_path, chromium):
    with running_preview(tmp_path) as preview, browser(chromium) as instance:
        tab = instance.new_page()
        tab.goto(preview.base + URL)
        assert "市财政局" in tab.title()
        preview.edit(GOOD_DATE, BAD_DATE)
        heading = tab.locator("#kb-preview-error")
        heading.wait_for(timeout=60_000)  # live reload, no click
        assert heading.inner_text() == "报告有错误，暂时无法预览"
        assert "shi-czj.yml:4:12" in tab.locator(".kb-preview-problems").inner_text()
        preview.edit(BAD_DATE, GOOD_DATE)
        tab.wait_for_function("document.title.includes('市财政局')", timeout=60_000)
        assert tab.locator("#kb-preview-error").count() == 0
