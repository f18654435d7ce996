"""benchkit.search_bench: the search measure's builds run as real code in child processes
(``python -m benchkit.search_bench``), and Material's search config is derived from mkdocs.yml;
plus what the kit writes only once (Chromium's arguments, the mkdocs.yml loader)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchkit import search_bench
from conftest import DATA, ROOT


def test_material_config_swaps_our_search_for_materials(tmp_path):
    config = json.loads(search_bench.material_config(tmp_path).read_text("utf-8"))
    assert config["INHERIT"] == str(ROOT / "mkdocs.yml")
    assert config["plugins"] == [{"search": {"lang": "zh"}}]
    assert config["hooks"] == [str(ROOT / "hooks" / "site.py")]
    assert config["theme"] == {"custom_dir": str(tmp_path / "material-theme")}
    assert config["extra_css"] and not any("search" in c for c in config["extra_css"])
    assert config["extra_javascript"] and not any("search" in j for j in config["extra_javascript"])


def test_a_child_that_fails_raises_with_its_error(tmp_path):
    with pytest.raises(RuntimeError, match="build failed"):
        search_bench.build_site(DATA, tmp_path / "site", config=tmp_path / "missing.yml")


@pytest.mark.slow
def test_build_without_post_build_steps_then_index(tmp_path):
    site = tmp_path / "site"
    seconds = search_bench.build_site(DATA, site)
    assert seconds > 0 and (site / "index.html").is_file()
    assert not (site / "pagefind").exists()  # the post-build steps did not run
    stats = search_bench.time_index(DATA, site)
    assert stats["records"] > 0 and stats["seconds"] > 0
    assert (site / "pagefind").is_dir()


def _sources() -> list[Path]:
    this = Path(__file__).resolve()
    files = [*(ROOT / "scripts").rglob("*.py"), *(ROOT / "tests").rglob("*.py"),
             *(ROOT / "hooks").rglob("*.py")]
    return [p for p in files if p.resolve() != this]


@pytest.mark.parametrize(("pattern", "home"), [
    (r'"--no-sandbox"', "scripts/benchkit/chromium.py"),  # Chromium's launch arguments
    (r"add_multi_constructor\(", "scripts/benchkit/configs.py"),  # the tolerant mkdocs.yml loader
    (r"\[sys\.executable, \"-c\"", None),  # no Python source run from strings in the kit
])
def test_written_once(pattern, home):
    found = sorted(str(p.relative_to(ROOT)) for p in _sources()
                   if re.search(pattern, p.read_text("utf-8")))
    kit = [f for f in found if f.startswith("scripts/benchkit/")]
    assert (kit if home is None else found) == ([] if home is None else [home])
