"""Shared fixtures: repository paths, one strict build of the example site per session,
and the rule for browser/nginx suites (fail in CI when the tool is missing, skip locally)."""

from __future__ import annotations

import datetime as dt
import gc
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from benchkit.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 - one list for tests and kit

# The reader suites' fixtures (site served over HTTP, one Chromium per module), shared
# by tests/site/test_{accessibility,keyboard,layout}_browser.py.
pytest_plugins = ["reader_pages"]

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
HOOKS = ROOT / "hooks"


def load_script(name: str) -> ModuleType:
    """``scripts/<name>.py`` as a fresh module (registered, so its dataclasses work)."""
    spec = importlib.util.spec_from_file_location(f"script_{name}", ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _plain(node):
    """YAML dates as ISO strings, like the data files mean them."""
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def read_data(path: Path):
    """A data file read directly with PyYAML (independent of the project's loader)."""
    import yaml

    return _plain(yaml.safe_load(path.read_text(encoding="utf-8")))


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_tool(path_or_name: str, why: str) -> str:
    """Path of an external tool; fail in CI, skip locally when it is absent."""
    found = path_or_name if Path(path_or_name).is_file() else shutil.which(path_or_name)
    if found:
        return found
    message = f"{path_or_name} not found: {why}"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)


def run_make(target: str, variable: str, value: str) -> subprocess.CompletedProcess:
    """``make -s <target>`` with ``variable=value`` (left off when ``value`` is empty)."""
    args = ["make", "-s", "--no-print-directory", target] + ([f"{variable}={value}"] if value else [])
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=120)


def run_mkdocs(site_dir: Path, *, env: dict[str, str] | None = None,
               engine: str = "mkdocs", config: Path = ROOT / "mkdocs.yml"):
    """Run a strict build with the venv's engine; return the CompletedProcess."""
    # No --quiet: it would also silence the warnings that --strict counts.
    cmd = [sys.executable, "-m", engine, "build", "--strict", "-f", str(config),
           "-d", str(site_dir)]
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(cmd, cwd=ROOT, env=full_env, capture_output=True, text=True,
                          timeout=900)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The example site, built once per test session in strict mode."""
    site = tmp_path_factory.mktemp("site")
    result = run_mkdocs(site, env={"SOURCE_DATE_EPOCH": "1767225600"})
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return site


@pytest.fixture(scope="session")
def chromium() -> str:
    return require_tool(CHROMIUM, "browser tests need Debian's chromium (apt-get install chromium)")


@pytest.fixture(autouse=True)
def _unfrozen():
    """A serve build in a test freezes the objects alive (kb.site.incremental.settle_memory):
    thaw them, so later tests' garbage is collected as usual."""
    yield
    if gc.get_freeze_count():
        gc.unfreeze()
