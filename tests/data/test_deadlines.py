"""Ledger deadlines and statuses as people write them (kb.data.deadlines): every wording of
issue 15 and more, ongoing words, and statuses through the schema's synonyms table."""

from __future__ import annotations

import pytest

from kb.data import schema as schemas
from kb.data.deadlines import Deadline, is_date, ongoing_word, read_deadline, read_status

ONGOING = ("长期坚持", "持续推进", "常态化")


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        # the wordings
        ("2023年12月底", None, Deadline("2023-12-31", False)),
        ("12月31日前", 2023, Deadline("2023-12-31", False)),
        ("2024年3月", None, Deadline("2024-03-31", False)),
        # exact dates, however written
        ("2023-12-31", None, Deadline("2023-12-31", True)),
        ("2023年12月31日", None, Deadline("2023-12-31", True)),
        ("2023.12.31", None, Deadline("2023-12-31", True)),
        ("2023/1/5", None, Deadline("2023-01-05", True)),
        ("２０２３年１２月３１日", None, Deadline("2023-12-31", True)),
        ("二〇二三年十二月三十一日", None, Deadline("2023-12-31", True)),
        (" 2023 年 12 月 31 日 ", None, Deadline("2023-12-31", True)),
        # approximate: month, year, half-year and quarter ends, 前/之前/完成 after a date
        ("2024年2月", None, Deadline("2024-02-29", False)),
        ("2023年2月底", None, Deadline("2023-02-28", False)),
        ("2024年3月底前", None, Deadline("2024-03-31", False)),
        ("（2024年3月底前）", None, Deadline("2024-03-31", False)),
        ("2024年6月30日前", None, Deadline("2024-06-30", False)),
        ("2024年6月30日之前完成", None, Deadline("2024-06-30", False)),
        ("2024年3月中旬", None, Deadline("2024-03-20", False)),
        ("2024年3月上旬", None, Deadline("2024-03-10", False)),
        ("2024年3月下旬", None, Deadline("2024-03-31", False)),
        ("2023年底", None, Deadline("2023-12-31", False)),
        ("2023年年底前", None, Deadline("2023-12-31", False)),
        ("2023年末", None, Deadline("2023-12-31", False)),
        ("2023年内", None, Deadline("2023-12-31", False)),
        ("2024年上半年", None, Deadline("2024-06-30", False)),
        ("2024年下半年", None, Deadline("2024-12-31", False)),
        ("2024年第一季度", None, Deadline("2024-03-31", False)),
        ("2024年3季度末", None, Deadline("2024-09-30", False)),
        ("二〇二三年十二月底", None, Deadline("2023-12-31", False)),
        # no year: the year given (the report's or the campaign's)
        ("12月31日前", 2024, Deadline("2024-12-31", False)),
        ("12月31日", 2023, Deadline("2023-12-31", False)),  # the year is inferred: keep the wording
        ("6月底前", 2023, Deadline("2023-06-30", False)),
        ("十二月底", 2023, Deadline("2023-12-31", False)),
        ("年底前", 2023, Deadline("2023-12-31", False)),
        ("12月31日前", None, None),
        ("年底", None, None),
        # not a date
        ("长期坚持", 2023, None), ("常态化", 2023, None), ("尽快", 2023, None), ("", 2023, None),
        ("2023年2月30日", None, None), ("2023年13月", None, None), ("2023-02-30", None, None),
        ("12345年1月", None, None),
    ],
)
def test_read_deadline(text: str, year: int | None, expected: Deadline | None) -> None:
    assert read_deadline(text, year) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("长期坚持", "长期坚持"), ("持续推进", "持续推进"), ("常态化", "常态化"), ("常态化推进", "常态化"),
     ("长期", "长期坚持"), ("持续整改", "持续推进"), ("常态长效", "常态化"), (" 长期坚持 ", "长期坚持"),
     ("尽快", None), ("2023年底", None), ("", None)],
)
def test_ongoing_word(text: str, expected: str | None) -> None:
    assert ongoing_word(text, ONGOING) == expected


def test_ongoing_words_come_from_the_caller() -> None:
    assert ongoing_word("长期坚持", ()) is None
    assert ongoing_word("长期", ("久久为功",)) is None


@pytest.fixture(scope="module")
def table() -> dict[str, str]:
    return schemas.enums(schemas.SCHEMA_DIR).status_table


@pytest.mark.parametrize(
    ("text", "expected"),
    [("已完成", "已完成"), ("已整改", "已完成"), ("整改完成", "已完成"), ("已整改到位", "已完成"),
     ("完成（2023.11.28）", "已完成"), ("已销号", "已完成"), ("已办结", "已完成"),
     ("整改中", "推进中"), ("正在推进", "推进中"), ("正在整改中", "推进中"), ("未完成", "推进中"),
     ("未完成整改", "推进中"), ("部分完成", "推进中"), ("进行中", "推进中"),
     ("长期坚持", "长期坚持"), ("常态化推进", "长期坚持"), ("长期", "长期坚持"),
     ("未开始", "未开始"), ("未启动", "未开始"), ("尚未开始", "未开始"), (" 整改 中 ", "推进中"),
     ("研究中", None), ("", None), ("   ", None)],
)
def test_read_status_through_the_schema_synonyms(table: dict[str, str], text: str, expected: str | None) -> None:
    assert read_status(text, table) == expected


def test_read_status_knows_only_the_table_it_is_given() -> None:
    assert read_status("已整改", {"已完成": "已完成"}) is None
    assert read_status("办妥了", {"办妥": "已完成"}) == "已完成"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2023-12-31", True), ("2024-02-29", True), ("2023-02-29", False), ("长期坚持", False), ("2023-1-5", False),
     (None, False), (20231231, False)],
)
def test_is_date(value: object, expected: bool) -> None:
    assert is_date(value) is expected
