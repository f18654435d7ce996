"""Preview of one contributor's report: only that report plus the shared pages are
served, other reports are never read (thousands of broken ones do not slow or break
it), bad input stops before serving, and report names resolve in every usual form."""

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
from pathlib import Path

import pytest
from scripts import preview

from conftest import DATA, ROOT, run_make

SCRIPT = ROOT / "scripts" / "preview.py"
OTHER_REPORTS = 3000
START_LIMIT = 90  # seconds; about 3 s on an idle 2-core machine, the bound allows a loaded CI box


@pytest.fixture(scope="module")
def big_data(tmp_path_factory) -> Path:
    """The example data plus thousands of report files that would break any build reading them."""
    data = tmp_path_factory.mktemp("big") / "data"
    shutil.copytree(DATA, data)
    junk = data / "reports" / "2023-zhuti"
    for n in range(OTHER_REPORTS):
        (junk / f"junk-{n:04d}.yml").write_text("unit: [这不是\n  合法的 YAML\n", encoding="utf-8")
    return data


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_preview_serves_one_report_fast_among_thousands(big_data):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), "data/reports/2023-zhuti/shi-fgw.yml", "--data-dir", str(big_data),
         "--port", str(port)],
        cwd=big_data.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    try:
        while time.monotonic() - started < START_LIMIT:
            if proc.poll() is not None:
                pytest.fail(f"preview exited with {proc.returncode}: {proc.stdout.read()}")
            try:
                if _get(base + "reports/2023-zhuti/shi-fgw/") == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail(f"preview not ready within {START_LIMIT} s")
        elapsed = time.monotonic() - started
        assert _get(base) == 200  # shared pages are there
        assert _get(base + "materials/") == 200
        assert _get(base + "contributing/") == 200
        assert _get(base + "reports/2023-zhuti/shi-czj/") == 404  # other reports are not
        assert _get(base + "reports/2024-dangji/shi-czj/") == 404
        print(f"preview ready in {elapsed:.1f} s with {OTHER_REPORTS} other report files")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    first_lines = proc.stdout.read().splitlines()[:3]
    assert first_lines[1].strip() == f"{base}reports/2023-zhuti/shi-fgw/"


def test_preview_build_contains_only_the_given_reports(big_data, tmp_path):
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "2023-zhuti/qu-czj", "2024-dangji/shi-czj.yml", "--data-dir", str(big_data),
         "--build", str(site)], capture_output=True, text=True, cwd=ROOT, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    pages = sorted(p.parent.relative_to(site).as_posix() for p in (site / "reports").glob("*/*/index.html"))
    assert pages == ["reports/2023-zhuti/qu-czj", "reports/2024-dangji/shi-czj"]


def test_invalid_report_is_not_served(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("reports"))
    bad = data / "reports" / "2023-zhuti" / "shi-czj.yml"
    bad.parent.mkdir(parents=True)
    text = (DATA / "reports" / "2023-zhuti" / "shi-czj.yml").read_text(encoding="utf-8")
    bad.write_text(text.replace("submitted: 2023-09-08", "submitted: 2023年9月8日"), encoding="utf-8")
    result = subprocess.run([sys.executable, str(SCRIPT), str(bad), "--data-dir", str(data), "--port", "1"],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 1
    assert "data/reports/2023-zhuti/shi-czj.yml:4:" in result.stdout
    assert "无法预览" in result.stdout


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("data/reports/2023-zhuti/shi-czj.yml", "reports/2023-zhuti/shi-czj.yml"),
        ("2023-zhuti/shi-czj", "reports/2023-zhuti/shi-czj.yml"),
        ("2023-zhuti/shi-czj.yml", "reports/2023-zhuti/shi-czj.yml"),
        ("2024-dangji", "reports/2024-dangji"),
    ],
)
def test_report_names_resolve(given, expected):
    assert preview.resolve([given], DATA) == [DATA / expected]


@pytest.mark.parametrize("given", ["2023-zhuti/nobody", "data/units.yml", "mkdocs.yml"])
def test_unknown_or_foreign_files_are_refused(given):
    with pytest.raises(preview.UsageError):
        preview.resolve([given], DATA)


def test_report_urls_expand_folders():
    urls = preview.report_urls([DATA / "reports" / "2024-dangji"], DATA)
    assert "reports/2024-dangji/shi-czj/" in urls
    assert all(u.startswith("reports/2024-dangji/") for u in urls)


def test_busy_port_is_skipped():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        busy = sock.getsockname()[1]
        assert preview.free_port("127.0.0.1", busy) > busy


@pytest.mark.parametrize("unit", ["", " "], ids=["unset", "blank"])
def test_make_preview_without_a_report_explains_in_chinese(unit):
    result = run_make("preview", "UNIT", unit)
    assert result.returncode != 0
    assert "make preview UNIT=data/reports/<学习教育>/<单位>.yml" in result.stdout
    assert "usage:" not in result.stdout + result.stderr
