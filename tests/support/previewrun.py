"""``scripts/preview.py`` serving one report of a copy of the example data, for the tests of
what the preview shows while that report has errors (HTTP and browser)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import DATA, ROOT

REPORT = "reports/2023-zhuti/shi-czj.yml"
URL = "reports/2023-zhuti/shi-czj/"
GOOD_DATE, BAD_DATE = "submitted: 2023-09-08", "submitted: 2023年9月8日"


@dataclass
class Preview:
    base: str  # http://127.0.0.1:PORT/
    report: Path
    log: Path
    proc: subprocess.Popen

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace")

    def edit(self, old: str, new: str) -> None:
        text = self.report.read_text(encoding="utf-8")
        assert old in text
        self.report.write_text(text.replace(old, new, 1), encoding="utf-8")

    def wait_for(self, check: Callable[[], bool], what: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            assert self.proc.poll() is None, f"preview exited: {self.output()[-3000:]}"
            assert time.monotonic() < deadline, f"{what}: not within {timeout} s\n{self.output()[-3000:]}"
            time.sleep(0.3)


def get(url: str, timeout: float = 5) -> str | None:
    """The body of ``url``, or None when it does not answer in time (or at all)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8")
    except (OSError, urllib.error.URLError):
        return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_preview(tmp_path: Path) -> Iterator[Preview]:
    """The preview of ``2023-zhuti/shi-czj`` (the only report of a copy of data/), ready."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("reports"))
    report = data / REPORT
    report.parent.mkdir(parents=True)
    shutil.copy(DATA / REPORT, report)
    port, log = _free_port(), tmp_path / "preview.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "preview.py"), str(report), "--data-dir", str(data),
             "--port", str(port)],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    preview = Preview(f"http://127.0.0.1:{port}/", report, log, proc)
    try:
        preview.wait_for(lambda: "市财政局" in (get(preview.base + URL) or ""), "the report page")
        yield preview
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
