"""``make serve`` end to end: an edited report shows quickly, and the complete build that
follows brings the pages it feeds (print bundle) and the build marker back."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from test_incremental import touch_report

from benchkit import synth
from conftest import ROOT
from kb.official.bundle import bundle_src
from kb.site import build

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(url: str, text: str, proc: subprocess.Popen, log: Path, timeout: float) -> float:
    """Seconds until ``url`` serves a body containing ``text``."""
    started = time.monotonic()
    while True:
        body = _get(url)
        if body is not None and text in body:
            return time.monotonic() - started
        assert proc.poll() is None, log.read_text("utf-8", "replace")[-3000:]
        assert time.monotonic() - started < timeout, (url, text, log.read_text("utf-8")[-3000:])
        time.sleep(0.2)


def test_serve_shows_an_edit_then_completes_the_site(tmp_path: Path) -> None:
    made = synth.generate(tmp_path / "data", 30, seed=11)
    index = 7
    rid = made.report_ids[index]
    kb, _ = build.load(made.data_dir)
    report = next(r for r in kb.reports if r.id == rid)
    bundle = bundle_src(report.campaign.id, report.group.id).removesuffix(".md") + "/"
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "KB_DATA_DIR": str(made.data_dir), "SOURCE_DATE_EPOCH": "1767225600",
                 "NO_MKDOCS_2_WARNING": "1"},
        )
    try:
        _wait_for(base + "kb-build.json", '"reports": 30', proc, log, 300)
        touch_report(made.reports[index], "服务中修改的开头")
        _wait_for(base + f"reports/{rid}/", "服务中修改的开头", proc, log, 120)
        _wait_for(base + bundle, "服务中修改的开头", proc, log, 120)  # the complete build
        _wait_for(base + "kb-build.json", '"reports": 30', proc, log, 120)
        text = log.read_text("utf-8", "replace")
        assert text.count("Building documentation") >= 3  # first, quick, complete
        assert "ERROR" not in text and "Traceback" not in text
    finally:
        proc.terminate()
        proc.wait(timeout=30)
