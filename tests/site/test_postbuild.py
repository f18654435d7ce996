"""kb.site.postbuild: the steps run side by side, and any failure fails the build."""

from __future__ import annotations

import threading

import pytest

from kb.site import incremental, postbuild


@pytest.fixture
def steps(monkeypatch):
    monkeypatch.setattr(incremental, "state", incremental.ServeState())
    registered: list = []
    monkeypatch.setattr(postbuild, "STEPS", registered)
    return registered


def test_steps_run_side_by_side(steps, tmp_path):
    meet = threading.Barrier(2, timeout=10)  # one after the other, the first would wait forever
    done = []
    steps += [lambda kb, s, d, cache: (meet.wait(), done.append("search")),
              lambda kb, s, d, cache: (meet.wait(), done.append("word"))]
    postbuild.run(None, None, tmp_path)
    assert sorted(done) == ["search", "word"]


def test_a_failing_step_fails_the_run_after_the_others_end(steps, tmp_path):
    done = []

    def fail(kb, s, d, cache):
        raise OSError("磁盘已满")

    steps += [fail, lambda kb, s, d, cache: done.append("word")]
    with pytest.raises(OSError, match="磁盘已满"):
        postbuild.run(None, None, tmp_path)
    assert done == ["word"]
