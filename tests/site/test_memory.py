"""kb.site.memory: freed memory really goes back to the system (the build's peak depends on it)."""

from __future__ import annotations

import sys

import pytest

from kb.site import memory

MB = 1 << 20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RSS from /proc, malloc_trim of glibc")
def test_release_returns_freed_heap_pages_to_the_system() -> None:
    blocks = [("报告" * 1000) + str(i) for i in range(100_000)]  # ~400 MB in 4 KB strings
    pin = [str(i) * 3 for i in range(1000)]  # allocated last: glibc cannot trim the heap top
    full = memory.resident_bytes()
    del blocks
    before = memory.resident_bytes()  # freed, but still held by the heap
    memory.release()
    after = memory.resident_bytes()
    assert pin
    assert full > 300 * MB
    assert before - after > 250 * MB, (full // MB, before // MB, after // MB)


def test_resident_bytes_reports_this_process() -> None:
    assert memory.resident_bytes() > 10 * MB
