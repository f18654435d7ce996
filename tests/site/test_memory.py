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


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_settle_collects_then_leaves_what_is_alive_out_of_later_collections() -> None:
    import gc
    import weakref

    gc.unfreeze()
    garbage, kept = _Cycle(), _Cycle()
    gone = weakref.ref(garbage)
    del garbage
    memory.settle()
    assert gone() is None  # collected first
    assert gc.get_freeze_count() > 0  # then everything alive (``kept`` too) is frozen
    stays = weakref.ref(kept)
    del kept
    gc.collect()
    assert stays() is not None  # a frozen cycle is not collected …
    memory.settle(everything=True)
    assert stays() is None  # … until everything is thawed and collected


@pytest.mark.parametrize(("serving", "builds", "frozen"), [
    (False, 0, True),  # mkdocs build
    (True, 0, True),  # the first build of make serve
    (True, 1, False),  # a serve rebuild: settled once it is complete (kb.site.incremental)
])
def test_a_build_freezes_its_model_but_a_serve_rebuild_does_not(monkeypatch, serving, builds, frozen):
    import gc

    from conftest import ROOT
    from kb.site import build, incremental

    monkeypatch.setattr(incremental, "state",
                        incremental.ServeState(serving=serving, dirty=True, builds=builds))
    monkeypatch.setattr(incremental, "LOADS", incremental.LoadCache())
    gc.unfreeze()
    build.load(ROOT / "data", None, incremental.cache_for_build())
    assert (gc.get_freeze_count() > 0) is frozen
