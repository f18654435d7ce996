"""Byte-for-byte reproducible output where a build tool is not: Pagefind's filter indexes.

Pagefind 1.5 writes the values of each filter, and the list of filters in its metadata
file, from hash maps, so their order — and with it the file names, which are content
hashes — changes from run to run even for identical input (Pagefind issue #638: the
fragments are stable since 1.3, "the filter/metadata indexes" are not).
:func:`stabilize_pagefind` rewrites those files in a canonical order (values and filters
sorted by name) under names derived from their content, then points
``pagefind-entry.json`` at the rewritten metadata. Search results do not change.

Pagefind's files are gzip streams of ``pagefind_dcd`` followed by CBOR (:mod:`kb.search.cbor`).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from kb.search.cbor import PagefindFormatError, Value, cbor_decode, cbor_encode

MAGIC = b"pagefind_dcd"


# --------------------------------------------------------------------------- Pagefind files


def read_chunk(path: Path) -> Value:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(MAGIC):
        raise PagefindFormatError(f"{path.name}: no {MAGIC.decode()} header")
    return cbor_decode(raw[len(MAGIC):])


def chunk_bytes(value: Value) -> bytes:
    """Gzip with a fixed header (no time stamp, no name), as Pagefind writes it."""
    return gzip.compress(MAGIC + cbor_encode(value), compresslevel=9, mtime=0)


def _digest(value: Value) -> str:
    return hashlib.sha256(cbor_encode(value)).hexdigest()


def _pairs(value: Value, what: str) -> list[list]:
    if not isinstance(value, list) or not all(
        isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in value
    ):
        raise PagefindFormatError(f"{what}: expected [name, value] pairs")
    return value


def _replace(old: Path, new: Path, data: bytes) -> None:
    new.write_bytes(data)
    if old != new:
        old.unlink()


def _stable_filter(folder: Path, language: str, chunk_hash: str) -> str:
    """Rewrite one filter file with its values sorted; return its new hash."""
    path = folder / f"{chunk_hash}.pf_filter"
    value = read_chunk(path)
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)):
        raise PagefindFormatError(f"{path.name}: expected [filter, values]")
    values = [[name, sorted(pages)] for name, pages in _pairs(value[1], path.name)]
    stable = [value[0], sorted(values, key=lambda pair: pair[0])]
    new_hash = f"{language}_{_digest(stable)[:7]}"
    _replace(path, folder / f"{new_hash}.pf_filter", chunk_bytes(stable))
    return new_hash


def stabilize_pagefind(output: Path) -> None:
    """Rewrite the order-unstable files of a Pagefind bundle (``<site>/pagefind``)."""
    entry_path = output / "pagefind-entry.json"
    entry_text = entry_path.read_text(encoding="utf-8")
    for language, info in json.loads(entry_text)["languages"].items():
        meta_path = output / f"pagefind.{info['hash']}.pf_meta"
        meta = read_chunk(meta_path)
        # [version, pages, index chunks, filters [[name, hash]], sorts [[name, hash]], fields]
        if not (isinstance(meta, list) and len(meta) >= 5 and isinstance(meta[0], str)):
            raise PagefindFormatError(f"{meta_path.name}: unexpected layout")
        filters = [[name, _stable_filter(output / "filter", language, chunk)]
                   for name, chunk in _pairs(meta[3], "filters")]
        meta[3] = sorted(filters)
        meta[4] = sorted(_pairs(meta[4], "sorts"))
        new_hash = f"{language}_{_digest(meta)[:11]}"
        _replace(meta_path, output / f"pagefind.{new_hash}.pf_meta", chunk_bytes(meta))
        old = f'"hash":"{info["hash"]}"'
        if entry_text.count(old) != 1:
            raise PagefindFormatError(f"pagefind-entry.json: {old} not found once")
        entry_text = entry_text.replace(old, f'"hash":"{new_hash}"')
    entry_path.write_text(entry_text, encoding="utf-8")
