"""Model helpers: Chinese outline numbering and cross references built from the data."""

from __future__ import annotations

import pytest

from kb.model import chinese_number


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "一"), (3, "三"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"),
     (23, "二十三"), (99, "九十九")],
)
def test_chinese_number(n: int, expected: str) -> None:
    assert chinese_number(n) == expected


def test_chinese_number_rejects_zero() -> None:
    with pytest.raises(ValueError):
        chinese_number(0)
