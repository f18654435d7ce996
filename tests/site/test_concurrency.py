"""kb.concurrency: jobs run side by side, failures surface, and a stopped process
does not wait for unfinished work."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time

import pytest

from conftest import ROOT
from kb import concurrency


def test_jobs_run_side_by_side_and_are_waited_for():
    meet = threading.Barrier(3, timeout=10)
    done = []
    concurrency.run_all([lambda i=i: (meet.wait(), done.append(i)) for i in range(3)], "t")
    assert sorted(done) == [0, 1, 2]


def test_first_failure_is_raised_after_all_ended_and_the_others_logged(caplog):
    done = []

    def fail(message: str):
        def job():
            time.sleep(0.05)
            raise RuntimeError(message)
        return job

    with caplog.at_level(logging.ERROR), pytest.raises(RuntimeError, match="甲"):
        concurrency.run_all([fail("甲"), lambda: done.append(1), fail("乙")], "t")
    assert done == [1]
    assert "乙" in caplog.text


def test_an_exiting_process_does_not_wait_for_a_running_job():
    code = ("import sys, time; sys.path.insert(0, 'hooks'); from kb import concurrency; "
            "concurrency.Job(lambda: time.sleep(60), 'slow'); print('left')")
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=30)
    assert out.stdout.strip() == "left"
    assert time.monotonic() - started < 10
