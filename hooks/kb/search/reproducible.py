"""Byte-for-byte reproducible output where a build tool is not: Pagefind's filter indexes.

Pagefind 1.5 writes the values of each filter, and the list of filters in its metadata
file, from hash maps, so their order — and with it the file names, which are content
hashes — changes from run to run even for identical input (Pagefind issue #638: the
fragments are stable since 1.3, "the filter/metadata indexes" are not).
:func:`stabilize_pagefind` rewrites those files in a canonical order (values and filters
sorted by name) under names derived from their content, then points
``pagefind-entry.json`` at the rewritten metadata. Search results do not change.

Pagefind's files are gzip streams of ``pagefind_dcd`` followed by CBOR made of arrays,
text strings and unsigned integers; the small codec below handles exactly that and
refuses anything else (a newer Pagefind with another format fails loudly, not silently).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path

MAGIC = b"pagefind_dcd"
Value = int | str | list


class PagefindFormatError(Exception):
    """A Pagefind file is not in the format this module knows."""


# --------------------------------------------------------------------------- CBOR subset


def cbor_encode(value: Value) -> bytes:
    """Definite-length, shortest-form CBOR of unsigned ints, text strings and arrays."""
    if isinstance(value, bool) or (isinstance(value, int) and value < 0):
        raise PagefindFormatError(f"unsupported value {value!r}")
    if isinstance(value, int):
        return _head(0, value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(cbor_encode(v) for v in value)
    raise PagefindFormatError(f"unsupported value {value!r}")


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for extra, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        try:
            return bytes([major << 5 | extra]) + struct.pack(fmt, n)
        except struct.error:
            continue
    raise PagefindFormatError(f"integer too large: {n}")


def cbor_decode(data: bytes) -> Value:
    value, end = _decode(data, 0)
    if end != len(data):
        raise PagefindFormatError(f"{len(data) - end} trailing bytes")
    return value


def _decode(data: bytes, pos: int) -> tuple[Value, int]:
    try:
        major, info = data[pos] >> 5, data[pos] & 31
    except IndexError:
        raise PagefindFormatError("truncated") from None
    pos += 1
    if info < 24:
        n = info
    elif info <= 27:
        size = 1 << (info - 24)
        if pos + size > len(data):
            raise PagefindFormatError("truncated")
        n = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    else:
        raise PagefindFormatError(f"indefinite or reserved length (major type {major})")
    if major == 0:
        return n, pos
    if major == 3:
        if pos + n > len(data):
            raise PagefindFormatError("truncated")
        return data[pos:pos + n].decode("utf-8"), pos + n
    if major == 4:
        items = []
        for _ in range(n):
            item, pos = _decode(data, pos)
            items.append(item)
        return items, pos
    raise PagefindFormatError(f"unsupported CBOR major type {major}")


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
