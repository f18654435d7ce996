"""Few Pagefind indexes from the many shards that bounded the build's memory (issue 19).

Pagefind holds a whole index in memory, so a large site is indexed in several runs
(:mod:`kb.search.runner`, ~1,400 records each). Searched as separate indexes, every shard
costs every query its metadata file and one index chunk (~28 KB, of which the query word
is a few per cent) per query word: 2.17 MB in 185 requests at 5,000 reports, growing with
the number of shards. :func:`merge_shards` rewrites consecutive shards as one index, as
Pagefind would have written it for their records in one run: the pages one after another,
each word's pages (delta-coded page numbers) from every shard in one list, metadata field
numbers renumbered, the filters' page lists offset likewise, the fragments in one folder.
:func:`merge_groups` does so for groups of up to :data:`MERGE_PAGES` records (one index is
smallest but slowest to search, see there).

The merge streams: words arrive in order from every shard (one chunk of each at a time)
and leave in chunks of about :data:`CHUNK_NUMBERS` numbers. Layout of Pagefind 1.5's files (gzip of
``pagefind_dcd`` + CBOR): metadata ``[version, [[page hash, words]], [[first word, last
word, chunk hash]], [[filter, hash]], [[sort, hash]], [field]]``; index chunk
``[[[word, [[page delta, locations, meta locations]], variants]]]``; filter
``[filter, [[value, [page]]]]``. Anything else (sorts, word variants) leaves the shards
as they are (:func:`mergeable` is False) and the browser merges them as before.
"""

from __future__ import annotations

import gzip
import hashlib
import heapq
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cbor2

from kb.search.cbor import PagefindFormatError

MAGIC = b"pagefind_dcd"
# Records per merged index. Pagefind's search takes time growing with the square of the
# results of one index (measured at 5,000 reports: 工作, 17,882 results, 5.3 s in one
# index, 1.2 s in 18 shards; 3,550 results 0.2 s), so the shards are merged into indexes
# of this size (~1,800 reports), not into one: each costs a query one chunk per word.
MERGE_PAGES = 10_000
# Numbers (page numbers and word locations) per index chunk: about 25 KB of CBOR, ~12 KB
# gzipped (Pagefind's own: ~28 KB). Smaller chunks make the chunk list in the metadata
# file (loaded by every query, ~16 bytes a chunk) longer; larger ones make every query
# word load more words it did not ask for. For an index of MERGE_PAGES records (~30 MB)
# and three query words, the sum of the two is least near this size.
CHUNK_NUMBERS = 8_000
GZIP_LEVEL = 6  # level 9 took twice the time for 2 % fewer bytes
ENTRY = "pagefind-entry.json"


def read(path: Path) -> object:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(MAGIC):
        raise PagefindFormatError(f"{path.name}: no {MAGIC.decode()} header")
    return cbor2.loads(raw[len(MAGIC):])


def _encode(value: object) -> bytes:
    return MAGIC + cbor2.dumps(value)


def _write(folder: Path, language: str, suffix: str, raw: bytes, digits: int = 7) -> str:
    """Write gzipped ``raw`` under a content-hash name (longer on a clash); the hash."""
    digest = hashlib.sha256(raw).hexdigest()
    data = gzip.compress(raw, compresslevel=GZIP_LEVEL, mtime=0)
    for n in range(digits, len(digest) + 1):
        name = f"{language}_{digest[:n]}"
        path = folder / f"{name}.{suffix}"
        if not path.exists():
            path.write_bytes(data)
            return name
        if path.read_bytes() == data:
            return name
    raise PagefindFormatError(f"{folder}: no free name for a chunk")


@dataclass
class Shard:
    """One Pagefind run's output: its folder, language, metadata and first page number."""

    folder: Path
    language: str
    meta: list
    offset: int = 0
    fields: list[int] | None = None  # its metadata field numbers in the merged index

    @classmethod
    def open(cls, folder: Path) -> Shard:
        entry = json.loads((folder / ENTRY).read_text(encoding="utf-8"))
        languages = entry["languages"]
        if len(languages) != 1:
            raise PagefindFormatError(f"{folder}: {len(languages)} languages")
        language, info = next(iter(languages.items()))
        meta = read(folder / f"pagefind.{info['hash']}.pf_meta")
        if not (isinstance(meta, list) and len(meta) == 6 and isinstance(meta[1], list)):
            raise PagefindFormatError(f"{folder}: unexpected metadata layout")
        return cls(folder, language, meta)

    @property
    def pages(self) -> list:
        return self.meta[1]

    def words(self) -> Iterator[list]:
        """Every word entry of the index, in order, one chunk in memory at a time."""
        previous = None
        for _first, _last, name in self.meta[2]:
            chunk = read(self.folder / "index" / f"{name}.pf_index")
            for entry in chunk[0]:
                if previous is not None and entry[0] <= previous:
                    raise PagefindFormatError(f"{self.folder}: words out of order at {entry[0]!r}")
                previous = entry[0]
                yield entry


def mergeable(shards: list[Shard]) -> bool:
    """Whether the shards hold only what :func:`merge_shards` knows how to join."""
    return (len({s.language for s in shards}) == 1
            and all(not s.meta[4] for s in shards)  # sorts: none declared here
            and len({s.meta[0] for s in shards}) == 1)


def _renumbered(page: list, fields: list[int]) -> list:
    """A page entry whose metadata locations name fields by their merged numbers
    (a negative number -(n + 1) starts the locations in field n)."""
    return [page[0], page[1], [-(fields[-v - 1] + 1) if v < 0 else v for v in page[2]]]


def _joined(entries: list[tuple]) -> list:
    """One word's entries of several shards, in shard order: ``(entry, page offset)`` or
    ``(entry, page offset, merged field numbers)``."""
    word = entries[0][0][0]
    pages: list = []
    last = 0  # absolute page number of the previous page in the list
    for entry, offset, *rest in entries:
        if entry[2]:
            raise PagefindFormatError(f"word variants of {word!r}")
        own = entry[1]
        fields = rest[0] if rest else None
        if fields is not None and any(page[2] for page in own):
            own = [_renumbered(page, fields) if page[2] else page for page in own]
        first = own[0]
        pages.append([offset + first[0] - last, *first[1:]])
        pages.extend(own[1:])
        last = offset + sum(page[0] for page in own)
    return [word, pages, []]


def _keyed(shard: Shard, number: int) -> Iterator[tuple[str, int, list]]:
    for entry in shard.words():
        yield entry[0], number, entry


def _merged_words(shards: list[Shard]) -> Iterator[list]:
    streams = [_keyed(shard, number) for number, shard in enumerate(shards)]
    group: list[tuple[list, int]] = []
    for word, number, entry in heapq.merge(*streams):  # a word's entries in shard order
        if group and group[0][0][0] != word:
            yield _joined(group)
            group = []
        shard = shards[number]
        group.append((entry, shard.offset, shard.fields))
    if group:
        yield _joined(group)


def _write_index(shards: list[Shard], output: Path, language: str) -> list[list]:
    """The merged words in chunks of about :data:`CHUNK_NUMBERS`; the chunk list."""
    folder = output / "index"
    folder.mkdir(parents=True, exist_ok=True)
    chunks: list[list] = []
    words: list = []
    size = 0

    def flush() -> None:
        name = _write(folder, language, "pf_index", _encode([words]))
        chunks.append([words[0][0], words[-1][0], name])

    for entry in _merged_words(shards):
        words.append(entry)
        size += sum(1 + len(page[1]) + len(page[2]) for page in entry[1])
        if size >= CHUNK_NUMBERS:
            flush()
            words, size = [], 0
    if words:
        flush()
    return chunks


def _write_filters(shards: list[Shard], output: Path, language: str) -> list[list]:
    joined: dict[str, dict[str, list[int]]] = {}
    for shard in shards:
        for name, chunk in shard.meta[3]:
            value = read(shard.folder / "filter" / f"{chunk}.pf_filter")
            values = joined.setdefault(name, {})
            for key, pages in value[1]:
                values.setdefault(key, []).extend(shard.offset + p for p in pages)
    folder = output / "filter"
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in sorted(joined):
        value = [name, [[key, sorted(pages)] for key, pages in sorted(joined[name].items())]]
        out.append([name, _write(folder, language, "pf_filter", _encode(value))])
    return out


def _move_fragments(shards: list[Shard], output: Path) -> None:
    target = output / "fragment"
    target.mkdir(parents=True, exist_ok=True)
    for shard in shards:
        if shard.folder == output:
            continue
        for path in (shard.folder / "fragment").iterdir():
            if not (target / path.name).exists():  # named by content: the same file
                path.rename(target / path.name)


def merge_shards(output: Path, folders: list[Path]) -> bool:
    """Merge the Pagefind runs in ``folders`` (the first is ``output``, holding the
    scripts) into one index in ``output``; the other folders are removed. False (nothing
    changed) when the shards hold something the merge does not know."""
    shards = [Shard.open(f) for f in folders]
    if len(shards) < 2 or not mergeable(shards):
        return False
    offset = 0
    for shard in shards:
        shard.offset = offset
        offset += len(shard.pages)
    language = shards[0].language
    fields = sorted({f for s in shards for f in s.meta[5]})
    for shard in shards:
        numbers = [fields.index(f) for f in shard.meta[5]]
        shard.fields = None if numbers == list(range(len(numbers))) else numbers
    old = {p for p in (output / "index").iterdir()} | {p for p in (output / "filter").iterdir()}
    staging = output / ".merge"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        chunks = _write_index(shards, staging, language)
        filters = _write_filters(shards, staging, language)
    except PagefindFormatError:  # nothing in ``output`` changed yet
        shutil.rmtree(staging, ignore_errors=True)
        return False
    _move_fragments(shards, output)
    meta = [shards[0].meta[0], [p for s in shards for p in s.pages], chunks, filters, [], fields]
    meta_name = _write(staging, language, "pf_meta", _encode(meta), digits=11)
    for path in old:
        path.unlink()
    for kind in ("index", "filter"):
        for path in (staging / kind).iterdir():
            path.rename(output / kind / path.name)
    old_meta = list(output.glob("pagefind.*.pf_meta"))
    (staging / f"{meta_name}.pf_meta").rename(output / f"pagefind.{meta_name}.pf_meta")
    for path in old_meta:
        path.unlink()
    entry_path = output / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    entry["languages"][language].update(hash=meta_name, page_count=offset)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")
    shutil.rmtree(staging)
    for shard in shards[1:]:
        shutil.rmtree(shard.folder)
    return True


def page_count(folder: Path) -> int:
    entry = json.loads((folder / ENTRY).read_text(encoding="utf-8"))
    return sum(info["page_count"] for info in entry["languages"].values())


def groups(counts: list[int], limit: int) -> list[list[int]]:
    """Consecutive shards (by their record counts) in groups of at most ``limit`` records
    (a larger shard alone)."""
    out: list[list[int]] = []
    total = 0
    for number, count in enumerate(counts):
        if out and total + count <= limit:
            out[-1].append(number)
            total += count
        else:
            out.append([number])
            total = count
    return out


def merge_groups(output: Path, shards: list[str], limit: int) -> list[str]:
    """Merge the shards (folders under ``output``: ``""`` is ``output`` itself) in groups of
    at most ``limit`` records, each into its first shard; the folders left, in order."""
    left = []
    for group in groups([page_count(output / s) for s in shards], limit):
        folders = [output / shards[n] for n in group]
        if len(group) > 1 and merge_shards(folders[0], folders):
            left.append(shards[group[0]])
        else:
            left.extend(shards[n] for n in group)
    return left
