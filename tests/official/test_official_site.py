"""The official-format output in the built example site: a Word file next to every report
page and linked from it, the print stylesheet on every page, the bundle pages and their
links (report page → bundle, home → bundle index)."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
import yaml

from conftest import DATA

pytestmark = pytest.mark.slow

REPORT_FILES = sorted(DATA.glob("reports/*/*.yml"))


def report_dir(site: Path, path: Path) -> Path:
    return site / "reports" / path.parent.name / path.stem


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_report_page_links_its_word_file(built_site, path):
    folder = report_dir(built_site, path)
    page = (folder / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a class="md-button" href="([^"]+)" download="([^"]+)"[^>]*>下载Word版</a>',
                       page)
    assert len(links) == 1, "no 下载Word版 link"
    ((href, name),) = links
    assert href == f"{path.stem}.docx"
    assert name.endswith(".docx") and "自查评估报告" in name
    document = docx.Document(str(folder / href))
    assert document.core_properties.identifier == f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("path", REPORT_FILES[:3], ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_report_page_links_its_bundle(built_site, path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    campaign = yaml.safe_load((DATA / "campaigns" / f"{data['campaign']}.yml").read_text(
        encoding="utf-8"))
    group = next(e["group"] for e in campaign["roster"] if e["unit"] == data["unit"])
    page = (report_dir(built_site, path) / "index.html").read_text(encoding="utf-8")
    href = f"../../../print/{data['campaign']}/{group}/#{data['unit']}"
    assert f'href="{href}"' in page
    bundle = (built_site / "print" / data["campaign"] / group / "index.html").read_text(
        encoding="utf-8")
    assert f'id="{data["unit"]}"' in bundle


def test_print_stylesheet_and_script_on_every_page(built_site):
    pages = list(built_site.rglob("index.html"))
    assert len(pages) > len(REPORT_FILES)
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert re.search(r'<link rel="stylesheet" href="[./]*assets/print\.css">', html), page
        assert re.search(r'<script src="[./]*assets/print\.js"></script>', html), page
    assert (built_site / "assets" / "print.css").is_file()


def test_bundle_index_lists_every_bundle_and_home_links_it(built_site):
    index = (built_site / "print" / "index.html").read_text(encoding="utf-8")
    bundles = sorted(p.parent for p in (built_site / "print").glob("*/*/index.html"))
    assert bundles
    for folder in bundles:
        rel = folder.relative_to(built_site / "print").as_posix()
        assert f'href="{rel}/"' in index
        assert 'data-pagefind-ignore="all"' in (folder / "index.html").read_text(
            encoding="utf-8")
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="print/">打印汇编</a>' in home
