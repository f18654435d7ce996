"""scripts/same_site.py: the comparison that proves a refactoring left the site unchanged."""

from __future__ import annotations

from pathlib import Path

from conftest import load_script

same_site = load_script("same_site")


def _site(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_identical_sites_compare_equal(tmp_path: Path) -> None:
    files = {"index.html": b"<p>a</p>", "reports/x/index.html": b"x", "pagefind/a.pf": b"\0"}
    a, b = _site(tmp_path / "a", files), _site(tmp_path / "b", files)
    assert same_site.compare(same_site.digests(a), same_site.digests(b)) == []


def test_every_kind_of_difference_is_named(tmp_path: Path) -> None:
    a = _site(tmp_path / "a", {"same.html": b"s", "changed.html": b"1", "gone.html": b"g"})
    b = _site(tmp_path / "b", {"same.html": b"s", "changed.html": b"2", "new/page.html": b"n"})
    assert same_site.compare(same_site.digests(a), same_site.digests(b)) == [
        "只在 A 中：gone.html", "只在 B 中：new/page.html", "内容不同：changed.html",
    ]


def test_worktree_export_holds_the_tracked_files(tmp_path: Path) -> None:
    same_site.export(same_site.WORKTREE, tmp_path / "src")
    assert (tmp_path / "src" / "mkdocs.yml").is_file()
    assert (tmp_path / "src" / "hooks" / "site.py").is_file()
    assert not (tmp_path / "src" / ".venv").exists()
