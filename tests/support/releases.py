"""Helpers of the deploy tests: scripts/publish.py as a command, small sites, release ids,
an SSH host emulated with ``sh``, and the check that an operator's error is one Chinese line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from kb.deploy import remote
from kb.deploy.release import LocalTarget
from kb.deploy.remote import SshTarget

SCRIPT = ROOT / "scripts" / "publish.py"


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run scripts/publish.py (without a target from the environment)."""
    environ = {k: v for k, v in os.environ.items() if k != "KB_PUBLISH_TARGET"}
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          env={**environ, **(env or {})}, timeout=300)


def rid(n: int) -> str:
    return f"20250101T0000{n:02d}Z-test"


def make_site(path: Path, marker: str = "v1", extra: dict[str, str] | None = None) -> Path:
    files = {
        "index.html": f"<!doctype html><title>首页</title><p>{marker}</p>",
        "404.html": "<!doctype html><title>页面不存在</title>",
        "kb-build.json": "{}",
        "reports/a/index.html": f"<p>report {marker}</p>",
        "assets/kb.css": "body{}",
        **(extra or {}),
    }
    return write_site(path, files)


def write_site(path: Path, files: dict[str, str]) -> Path:
    """A folder with these files (relative path → text)."""
    for rel, text in files.items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_text(text, encoding="utf-8")
    return path


def empty_site(tmp: Path) -> Path:
    (tmp / "site").mkdir()
    return tmp / "site"


def site_without_404(tmp: Path) -> Path:
    site = make_site(tmp / "site")
    (site / "404.html").unlink()
    return site


def tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes()
            for p in sorted(path.rglob("*")) if p.is_file()}


def emulated_ssh(calls: list[list[str]]) -> remote.Runner:
    """Run what would run on the host locally: ``sh -s`` for ssh, a copy for rsync."""

    def run(argv: list[str], stdin: str | None) -> str:
        calls.append(argv)
        if argv[0] == "ssh":
            assert argv[-1] == "sh -s" and stdin
            return remote.run_command(["sh", "-s"], stdin)
        assert argv[0] == "rsync" and argv[-1].startswith("web1:")
        dest = Path(argv[-1].split(":", 1)[1])
        assert dest.parent.is_dir() and not dest.exists()
        shutil.copytree(argv[-2], dest)
        return ""

    return run


def base_of(target: LocalTarget | SshTarget) -> Path:
    return target.base if isinstance(target, LocalTarget) else Path(target.path)


def live(target) -> tuple[str, dict[str, bytes]]:
    """The live release id and the files served from ``current``."""
    current = base_of(target) / "current"
    assert current.is_symlink()
    return (current / "release.txt").read_text().strip(), tree(current)


ENGLISH = ("Traceback", "Errno", "No space left", "Read-only file system", "Permission denied",
           "Input/output error")


def assert_one_chinese_line(stderr: str, *expected: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(("发布失败：", "发布被中断")), stderr
    for text in expected:
        assert text in lines[0], (text, stderr)
    for word in ENGLISH:
        assert word not in stderr, (word, stderr)
