"""scripts/contrib_screenshots.py end to end: the pipeline's intake in a scratch repository,
our pages rendered and photographed by headless Chromium — one PNG per name CONTRIBUTING.md
links, each a real image of the width the script sets."""

from __future__ import annotations

import struct

import pytest

from conftest import CHROMIUM, load_script, require_tool

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_script_writes_every_screenshot(tmp_path) -> None:
    require_tool(CHROMIUM, "headless Chromium takes the screenshots")
    script = load_script("contrib_screenshots")
    assert script.main(["--out", str(tmp_path)]) == 0
    assert sorted(p.stem for p in tmp_path.glob("*.png")) == sorted(script.SHOTS)
    for name in script.SHOTS:
        head = (tmp_path / f"{name}.png").read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", head[16:24])
        assert width == 1100 and height >= 300, (name, width, height)
