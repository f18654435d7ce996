"""The CBOR subset of Pagefind's files: unsigned integers, text strings and arrays.

Pagefind's files are gzip streams of ``pagefind_dcd`` followed by CBOR made of arrays,
text strings and unsigned integers; the small codec below handles exactly that and
refuses anything else (a newer Pagefind with another format fails loudly, not silently).
"""

from __future__ import annotations

import struct

Value = int | str | list


class PagefindFormatError(Exception):
    """A Pagefind file is not in the format this module knows."""


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
