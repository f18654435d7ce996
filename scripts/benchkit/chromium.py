"""The headless Chromium the kit and the browser tests launch: its path and its arguments,
written once (tests/conftest.py imports them from here)."""

from __future__ import annotations

CHROMIUM = "/usr/bin/chromium"  # Debian's package
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
