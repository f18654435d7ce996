"""``make preview`` while the report has errors (issue 18): every page is the Chinese list of
the problems (file:line:col, message) instead of a request that never returns, the terminal
says what to do in Chinese (not MkDocs' "The server will appear stuck"), and once the file
is saved without errors the report is served again."""

from __future__ import annotations

import pytest
from previewrun import BAD_DATE, GOOD_DATE, URL, get, running_preview

pytestmark = pytest.mark.slow

HEADING = "报告有错误，暂时无法预览"


def test_errors_are_served_as_a_chinese_page_until_the_report_is_fixed(tmp_path):
    with running_preview(tmp_path) as preview:
        preview.edit(GOOD_DATE, BAD_DATE)
        preview.wait_for(lambda: HEADING in (get(preview.base + URL) or ""), "the error page")
        page = get(preview.base + URL) or ""
        assert "data/reports/2023-zhuti/shi-czj.yml:4:12" in page
        assert "日期应写成 YYYY-MM-DD" in page
        assert "/livereload/" in page  # the page reloads itself once the report is fixed
        assert HEADING in (get(preview.base) or "")  # every page, not just the report's
        assert "报告有错误" not in (get(preview.base + "assets/kb.css") or "报告有错误")  # a file is still that file
        preview.wait_for(lambda: "浏览器中显示错误列表" in preview.output(), "the Chinese terminal line")

        preview.edit(BAD_DATE, GOOD_DATE)
        preview.wait_for(lambda: _is_report(get(preview.base + URL) or ""), "the report page again")
        output = preview.output()
        assert "appear stuck" not in output and "Aborted with a BuildError" not in output, output
        assert "Traceback" not in output, output


def _is_report(body: str) -> bool:
    return "市财政局" in body and HEADING not in body
