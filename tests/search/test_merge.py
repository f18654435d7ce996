"""kb.search.merge: the shards of several Pagefind runs become one index holding exactly
what one run over the whole site holds (words, their pages and locations, filters, page
lengths), so a query loads one metadata file and one chunk per word."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from search_sites import copy_site

from conftest import DATA
from kb.search import merge
from kb.search.runner import index_site
from kb.site import build


def content(folder: Path, words: dict | None = None, filters: dict | None = None,
            lengths: dict | None = None) -> tuple[dict, dict, dict]:
    """An index by page hash instead of page number: (words, filters, page lengths),
    added to those given (the indexes of one site together)."""
    words, filters, lengths = words or {}, filters or {}, lengths or {}
    index = merge.Shard.open(folder)
    hashes = [page[0] for page in index.pages]
    for entry in index.words():
        number, pages = 0, words.setdefault(entry[0], {})
        for page in entry[1]:
            number += page[0]
            fields = index.meta[5]  # metadata locations by field name, not number
            pages[hashes[number]] = (page[1], [fields[-v - 1] if v < 0 else v for v in page[2]])
    for name, chunk in index.meta[3]:
        value = merge.read(folder / "filter" / f"{chunk}.pf_filter")
        for key, pages in value[1]:
            filters.setdefault(name, {}).setdefault(key, set()).update(hashes[i] for i in pages)
    lengths.update(dict(index.pages))
    return words, filters, lengths


@pytest.fixture(scope="module")
def merged(built_site: Path, tmp_path_factory) -> tuple[Path, int]:
    kb, _ = build.load(DATA)
    site = copy_site(built_site, tmp_path_factory.mktemp("merged") / "site")
    stats = index_site(site, kb, shard_words=20_000)
    return site / "pagefind", stats.shards


def test_shards_merge_into_what_one_run_writes(built_site: Path, merged: tuple[Path, int]) -> None:
    folder, runs = merged
    assert runs >= 4  # the example site in several Pagefind runs
    one = content(built_site / "pagefind")  # the build's index: one run
    assert content(folder) == one


def test_one_index_is_left(merged: tuple[Path, int]) -> None:
    folder, _ = merged
    assert json.loads((folder / "kb-shards.json").read_text()) == {"shards": []}
    assert not list(folder.glob("shard-*"))
    assert len(list(folder.glob("pagefind.*.pf_meta"))) == 1
    index = merge.Shard.open(folder)
    entry = json.loads((folder / "pagefind-entry.json").read_text())
    assert entry["languages"]["und"]["page_count"] == len(index.pages)
    fragments = {p.name for p in (folder / "fragment").iterdir()}
    assert fragments == {f"{page}.pf_fragment" for page, _ in index.pages}
    chunks = {p.stem for p in (folder / "index").iterdir()}
    assert chunks == {name for _, _, name in index.meta[2]}


@pytest.mark.parametrize(("entries", "pages"), [
    # (word entry of a shard, page offset of the shard) → page numbers, delta-coded
    pytest.param([(["w", [[2, [1], []], [3, [2], []]], []], 0)], [2, 3], id="one-shard"),
    pytest.param([(["w", [[2, [1], []]], []], 0), (["w", [[1, [5], []], [4, [6], []]], []], 10)],
                 [2, 9, 4], id="second-shard-offset"),
    pytest.param([(["w", [[0, [1], []]], []], 5), (["w", [[0, [5], []]], []], 6)],
                 [5, 1], id="adjacent-pages"),
])
def test_page_numbers_continue_across_shards(entries: list, pages: list[int]) -> None:
    joined = merge._joined(entries)
    assert [p[0] for p in joined[1]] == pages
    assert [p[1] for p in joined[1]] == [loc for e, _ in entries for p in e[1] for loc in [p[1]]]


def test_word_variants_are_refused() -> None:
    with pytest.raises(merge.PagefindFormatError):
        merge._joined([(["w", [[0, [1], []]], [["v"]]], 0)])


def test_groups_of_shards_merge_into_what_one_run_writes(built_site: Path, tmp_path: Path) -> None:
    kb, _ = build.load(DATA)
    site = copy_site(built_site, tmp_path / "site")
    stats = index_site(site, kb, shard_words=20_000, merge_pages=100)
    folder = site / "pagefind"
    rest = json.loads((folder / "kb-shards.json").read_text())["shards"]
    assert 1 <= len(rest) < stats.shards - 1  # several indexes, fewer than the runs
    together = content(folder)
    for shard in rest:
        together = content(folder / shard, *together)
    assert together == content(built_site / "pagefind")


@pytest.mark.parametrize(("counts", "limit", "expected"), [
    ([40, 40, 40, 40], 100, [[0, 1], [2, 3]]),
    ([40, 70, 20], 100, [[0], [1, 2]]),
    ([150, 10, 10], 100, [[0], [1, 2]]),  # a shard larger than the limit stays alone
    ([10], 100, [[0]]),
])
def test_groups_are_consecutive_and_bounded(counts: list[int], limit: int,
                                            expected: list[list[int]]) -> None:
    assert merge.groups(counts, limit) == expected


def test_merged_indexes_are_byte_for_byte_reproducible(built_site: Path, merged: tuple[Path, int],
                                                       tmp_path: Path) -> None:
    kb, _ = build.load(DATA)
    again = copy_site(built_site, tmp_path / "site")
    index_site(again, kb, shard_words=20_000)

    def files(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    assert files(again / "pagefind") == files(merged[0])
