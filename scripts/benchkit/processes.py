"""Measured child processes: wall and CPU time, and the memory of the whole process tree.

:func:`measure_process` runs one command and returns its wall time, CPU time and
memory (peak resident set of the whole process tree, sampled with psutil, and the
largest single process from ``wait4``'s rusage); :func:`fastest` picks the run of
several that counts.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchkit.paths import REPO


@dataclass
class ProcessRun:
    """One measured child process (with everything it started).

    Memory is sampled with psutil (``wait4``'s ``ru_maxrss`` would count the pages a
    child shares with this process right after the fork).
    """

    wall: float
    cpu: float
    peak_tree_rss: int
    max_process_rss: int
    returncode: int
    started: float
    ended: float
    log_tail: str = ""


def _tree_rss(pid: int) -> tuple[int, int]:
    """(sum, largest) resident set size of a process and its descendants, in bytes."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    sizes = []
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            sizes.append(proc.memory_info().rss)
    return sum(sizes), max(sizes, default=0)


def measure_process(cmd: Sequence[str], *, env: dict[str, str] | None = None,
                    cwd: Path = REPO, log: Path | None = None,
                    interval: float = 0.05) -> ProcessRun:
    """Run ``cmd`` to completion, sampling the memory of its process tree."""
    log = log or Path(os.devnull)
    full_env = {**os.environ, **(env or {})}
    with open(log, "wb") as out:
        started = time.time()
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=full_env, stdout=out, stderr=out)
        peak = largest = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak, largest
            while not done.is_set():
                total, single = _tree_rss(proc.pid)
                peak, largest = max(peak, total), max(largest, single)
                done.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        ended = time.time()
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    tail = ""
    if log != Path(os.devnull) and log.exists():
        tail = log.read_text("utf-8", errors="replace")[-3000:]
    return ProcessRun(
        wall=wall, cpu=usage.ru_utime + usage.ru_stime, peak_tree_rss=peak,
        max_process_rss=largest, returncode=proc.returncode,
        started=started, ended=ended, log_tail=tail,
    )



def fastest(runs: list[ProcessRun]) -> ProcessRun:
    """The fastest successful run of several (the least disturbed on a shared machine);
    a failed run counts only when every run failed."""
    ok = [r for r in runs if r.returncode == 0] or runs
    return min(ok, key=lambda r: r.wall)
