"""The first stage: is this file a Word package that may be read at all?

Word files come from untrusted contributors, so reading one is bounded (:data:`LIMITS`):
:func:`check_package` refuses, from the zip directory alone, files that are too large,
have too many parts or inflate too much (zip bombs), then verifies every part
decompresses. Every refusal is a :class:`DocxError` with a Chinese message that never
quotes the refused file.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a Word file may cost to read. Real reports stay far below every number."""

    file_bytes: int = 50 * MiB  # the .docx file itself
    parts: int = 2000  # entries in the zip directory
    directory_bytes: int = 1 * MiB  # the zip directory (about 100 bytes a part)
    xml_bytes: int = 20 * MiB  # one XML part (document.xml …), uncompressed
    part_bytes: int = 50 * MiB  # any one part (pictures …), uncompressed
    total_bytes: int = 100 * MiB  # all parts, uncompressed
    ratio: int = 200  # uncompressed / compressed size of one part …
    ratio_from: int = 1 * MiB  # … counted for parts at least this large
    seconds: float = 60.0  # reading and recognising, in the child process
    memory_bytes: int = 2048 * MiB  # extra address space the child may use (where settable)


LIMITS = Limits()
CORRUPT = ("Word 文件已损坏：文件内部的数据无法完整读出（可能下载或拷贝不完整）。"
           "请在 Word/WPS 中打开它，“另存为”新的 Word 文档（*.docx）后再导入")


class DocxError(Exception):
    """Why a Word file cannot be imported, in Chinese (never quoting the file's content)."""


def mib(size: int) -> str:
    """``size`` bytes in MiB with one decimal, for messages."""
    return f"{size / MiB:.1f} MiB"


def _directory_size(data: bytes) -> tuple[int, int] | None:
    """(number of entries, size in bytes) of the zip directory, from its end record."""
    tail_start = max(0, len(data) - 22 - 65535)
    at = data.rfind(b"PK\x05\x06", tail_start)
    if at < 0 or len(data) - at < 22:
        return None
    entries, size = struct.unpack("<HI", data[at + 10:at + 16])
    if entries == 0xFFFF or size == 0xFFFFFFFF:  # zip64: the real numbers are in the zip64 end record
        locator = data.rfind(b"PK\x06\x07", max(0, at - 20), at)
        if locator < 0:
            return None
        (offset,) = struct.unpack("<Q", data[locator + 8:locator + 16])
        record = data[offset:offset + 56]
        if len(record) < 56 or record[:4] != b"PK\x06\x06":
            return None
        entries, size = struct.unpack("<QQ", record[32:48])
    return entries, size


def _part_problem(info: zipfile.ZipInfo, limits: Limits) -> str:
    """Why one part is refused from its directory entry alone, or ""."""
    if info.flag_bits & 0x1:
        return "Word 文件设置了密码（已加密），无法读取：请在 Word 中取消密码保护后另存一份再导入"
    is_xml = info.filename.lower().endswith((".xml", ".rels"))
    limit = limits.xml_bytes if is_xml else limits.part_bytes
    if info.file_size > limit:
        what = "正文等文字部件" if is_xml else "图片等部件"
        return (f"Word 文件中的{what}解压后过大（{mib(info.file_size)}，最多 {mib(limit)}），已拒绝读取："
                "请删去不需要的内容（如图片、修订记录）后另存再导入")
    if info.file_size >= limits.ratio_from and info.file_size > limits.ratio * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        return (f"Word 文件中有部件的压缩比异常（约 {ratio} 倍，正常文件不超过 {limits.ratio} 倍），"
                "可能是恶意构造的“压缩炸弹”，已拒绝读取")
    return ""


def check_package(data: bytes, limits: Limits = LIMITS) -> None:
    """Refuse a .docx by its size and zip directory, then check every part decompresses.

    Raises :class:`DocxError`. Nothing is parsed before the directory passed: sizes and
    counts come from the directory (``zipfile`` never inflates a part beyond the size the
    directory states, so these numbers bound memory), then each part is inflated in
    chunks and its checksum verified, so a truncated or damaged part is found here.
    """
    if len(data) > limits.file_bytes:
        raise _too_large(len(data), limits)
    directory = _directory_size(data)
    if directory is None:
        raise DocxError(CORRUPT)
    entries, size = directory
    if entries > limits.parts:
        raise DocxError(f"Word 文件内部的部件过多（{entries} 个，正常文件最多 {limits.parts} 个），"
                        "不像正常的报告文件，已拒绝读取")
    if size > limits.directory_bytes:
        raise DocxError(f"Word 文件内部的目录异常庞大（{mib(size)}），不像正常的报告文件，已拒绝读取")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            if len(infos) > limits.parts:
                raise DocxError(f"Word 文件内部的部件过多（{len(infos)} 个，正常文件最多 {limits.parts} 个），"
                                "不像正常的报告文件，已拒绝读取")
            for info in infos:
                problem = _part_problem(info, limits)
                if problem:
                    raise DocxError(problem)
            total = sum(info.file_size for info in infos)
            if total > limits.total_bytes:
                raise DocxError(f"Word 文件解压后总共 {mib(total)}，超过上限 {mib(limits.total_bytes)}，"
                                "已拒绝读取：请删去不需要的图片等内容后另存再导入")
            for info in infos:
                with package.open(info) as part:
                    while part.read(MiB):
                        pass
    except (DocxError, MemoryError):
        raise
    except Exception:  # BadZipFile, zlib.error, EOFError, NotImplementedError …: all mean damaged
        raise DocxError(CORRUPT) from None


def _too_large(size: int, limits: Limits) -> DocxError:
    return DocxError(f"Word 文件过大（{mib(size)}），导入工具最多接受 {mib(limits.file_bytes)}："
                     "请删去或压缩其中的图片后另存，再导入")


def read_file(path: Path, limits: Limits) -> bytes:
    """The file's bytes, read only up to the size limit."""
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limits.file_bytes:
                raise _too_large(size, limits)
            data = handle.read(limits.file_bytes + 1)
    except OSError:
        raise DocxError("无法打开这个 Word 文件（没有读取权限，或它不是普通文件）") from None
    if len(data) > limits.file_bytes:
        raise _too_large(len(data), limits)
    return data
