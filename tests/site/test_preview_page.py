"""kb.site.preview: the Chinese error page ``make preview`` serves while the report has errors,
and the guard that turns a failed rebuild into that page (and a success back into the site)."""

from __future__ import annotations

import pytest

from kb.data import rules
from kb.data.problems import Problem
from kb.site.preview import ErrorPages, error_page

ERROR = Problem.of(rules.SCHEMA_PATTERN, "data/reports/c1/u-a.yml", 4, 12, "“报送日期”格式不对：<script>x</script>",
                   path="submitted", found="2023年9月8日")
WARNING = Problem.of(rules.DATE_ORDER, "data/reports/c1/u-a.yml", 9, 3, "日期先后不合理", level="warning")


def test_error_page_lists_each_problem_with_its_place_escaped():
    page = error_page([ERROR]).decode("utf-8")
    assert "<title>报告有错误，暂时无法预览</title>" in page and 'lang="zh-CN"' in page
    assert "data/reports/c1/u-a.yml:4:12" in page and "共 1 个错误，0 个警告" in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page  # data is text, never markup
    assert "（实际：2023年9月8日）" in page


def test_error_page_without_data_problems_says_where_to_look():
    page = error_page([]).decode("utf-8")
    assert "终端窗口" in page and "<li>" not in page


class Boom(Exception):
    pass


@pytest.mark.parametrize("failure", [Boom("build failed"), SystemExit("Aborted with a BuildError!")],
                         ids=["exception", "mkdocs-abort"])
def test_a_failed_build_becomes_the_page_and_a_good_one_the_site_again(failure):
    pages, said, outcome = ErrorPages(), [], {"fail": True}

    def build() -> None:
        if outcome["fail"]:
            raise failure

    guarded = pages.guard(build, lambda: [ERROR, WARNING], said.append)
    guarded()  # never raises: the server would otherwise hang every request
    assert pages.page is not None and b"u-a.yml:4:12" in pages.page
    assert b"u-a.yml:9:3" not in pages.page  # warnings do not stop the build, so not listed as the cause
    assert said == ["共 1 个错误，0 个警告：浏览器中显示错误列表；改正并保存报告文件后会自动刷新。"]
    outcome["fail"] = False
    guarded()
    assert pages.page is None
    assert said[-1] == "报告已改正，浏览器中的页面会自动刷新。"
