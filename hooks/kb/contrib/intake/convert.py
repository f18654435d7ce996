"""Other office formats: what a file really is, and LibreOffice's conversion to .docx.

:func:`classify` looks at a file's content first and its extension second (a ``.doc``
that is really a .docx package is a ``"docx"``): ``"docx"``, ``"office"`` (old Word
``.doc``, WPS ``.wps``, ``.odt``, ``.rtf``), ``"pdf"`` or ``"other"``. :func:`to_docx`
converts an ``"office"`` file with LibreOffice headless in a private profile folder (so
conversions run in parallel; its settings disable macros and the updating of links and fields,
so an INCLUDETEXT field, a linked section or image, an OLE or DDE link fetches nothing),
bounded in time; the input is copied to an ASCII name first
and no file name ever reaches a shell. Every refusal is :class:`NotImportable` with a
reason in Chinese that quotes nothing of the file. :func:`run_bounded` (one external
program, its whole process group killed on time-out) is shared with :mod:`.pdftext`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
OFFICE_EXTENSIONS = {".doc", ".wps", ".odt", ".rtf"}
MAX_BYTES = 50 * 1024 * 1024
HEAD_BYTES = 8192

INSTALL_HINT = ("没有找到 LibreOffice，无法转换 .doc/.wps/.odt/.rtf 文件。请安装它："
                "Debian/Ubuntu 上运行 apt-get install libreoffice-writer-nogui；"
                "Windows 上从 https://zh-cn.libreoffice.org 下载安装 LibreOffice。"
                "也可以在 Word/WPS 中把文件“另存为” Word 文档（*.docx）后再导入")
TOO_LARGE = "文件超过 50 MiB，不予转换。请在 Word/WPS 中删去图片等不需要的内容，另存为 Word 文档（*.docx）后再导入"
TIMED_OUT = ("LibreOffice 转换这个文件超过了 {seconds:g} 秒仍未完成，已停止。"
             "请在 Word/WPS 中打开它，“另存为” Word 文档（*.docx）后再导入")
FAILED = ("LibreOffice 无法转换这个文件（文件可能已损坏、设置了打开密码，或不是文字处理文档）。"
          "请在 Word/WPS 中打开它，“另存为” Word 文档（*.docx）后再导入")
ENCRYPTED = ("这个文件设置了打开密码（已加密），无法读取。"
             "请在 Word/WPS 中取消密码后“另存为” Word 文档（*.docx）再导入")
NOT_OFFICE = "这个文件不是 LibreOffice 可以转换的文字处理文档（.doc、.wps、.odt、.rtf）"
UNREADABLE = "无法读取这个文件（文件不存在或没有读取权限）"


class NotImportable(Exception):
    """A file the intake cannot take in; ``reason`` says why, in Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# ------------------------------------------------------------------ classify


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _zip_kind(path: Path) -> str:
    """"docx" for a Word package, "office" for an OpenDocument text, else "other"."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype.startswith(ODT_MIMETYPE):
                    return "office"
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError, NotImplementedError):
        pass
    return "other"


def _ole2_kind(path: Path) -> str:
    """Word (.doc), WPS and encrypted Word packages are "office"; Excel or PowerPoint files are "other"."""
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_BYTES else b""
    except OSError:
        return "other"
    word = any(_utf16(n) in data for n in ("WordDocument", "EncryptedPackage", "CONTENTS"))
    other = any(_utf16(n) in data for n in ("Workbook", "Book", "PowerPoint Document"))
    return "other" if other and not word else "office"


def _text_kind(head: bytes, suffix: str) -> str:
    """Word's HTML / XML "documents" saved with a .doc extension; LibreOffice reads them."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if suffix in {".doc", ".wps"} and start.startswith((b"<", b"mime-version")):
        return "office"
    return "other"


def classify(path: Path) -> str:
    """``"docx"`` | ``"office"`` | ``"pdf"`` | ``"other"``, by content first, extension second."""
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return "other"
    if head.startswith(ZIP):
        return _zip_kind(path)
    if head.startswith(OLE2):
        return _ole2_kind(path)
    if head.lstrip().startswith(b"{\\rtf"):
        return "office"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    return _text_kind(head, path.suffix.lower())


def encrypted(path: Path) -> bool:
    """An office file that needs a password to open (Word packages, .doc, .odt)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
        if head.startswith(ZIP):
            with zipfile.ZipFile(path) as archive:
                manifest = archive.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in archive.namelist() else b""
            return b"encryption-data" in manifest
        if head.startswith(OLE2):
            data = path.read_bytes() if path.stat().st_size <= MAX_BYTES else b""
            return _utf16("EncryptedPackage") in data or _doc_encrypted(data)
    except (OSError, zipfile.BadZipFile, KeyError, RuntimeError, ValueError, NotImplementedError):
        return False
    return False


def _doc_encrypted(data: bytes) -> bool:
    """Word 97-2003's fEncrypted bit, read from the first sector that starts with the FIB magic."""
    sector = 1 << int.from_bytes(data[30:32], "little") if len(data) > 32 else 512
    if sector not in (512, 4096):
        return False
    for offset in range(sector, min(len(data), sector * 4096), sector):
        if data[offset:offset + 2] == b"\xec\xa5" and len(data) > offset + 12:  # wIdent of the FIB
            return bool(data[offset + 11] & 0x01)
    return False


# ------------------------------------------------------------------ running


def run_bounded(args: list[str], timeout: float, *, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run one program (no shell) in its own process group; on time-out kill the group.

    Raises :class:`subprocess.TimeoutExpired` after killing; output is captured as bytes.
    """
    kwargs: dict = {"cwd": cwd, "stdin": subprocess.DEVNULL, "stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    if sys.platform == "win32":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
    else:
        kwargs["start_new_session"] = True
    with subprocess.Popen(args, **kwargs) as process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.communicate()
            raise
        return subprocess.CompletedProcess(args, process.returncode, out, err)


def _kill_group(process: subprocess.Popen) -> None:
    try:
        if sys.platform == "win32":
            process.kill()
        else:
            os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()


WINDOWS_SOFFICE = (Path(r"C:\Program Files\LibreOffice\program\soffice.exe"),
                   Path(r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"))


def find_soffice() -> str | None:
    """LibreOffice's ``soffice`` program, or None when it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if sys.platform == "win32":
        return next((str(p) for p in WINDOWS_SOFFICE if p.is_file()), None)
    return None


# What every conversion's private profile starts with (``user/registrymodifications.xcu``): no
# macro runs, no link or field fetches anything when a document is loaded. Keys and values as in
# LibreOffice's own schema (share/registry/main.xcd): Security/Scripting, Writer Content/Update
# (Link: 0 never, 1 on request, 2 always — sw's UpdateLinks enum), Calc Content/Update (Link: 1 never).
HARDENING: tuple[tuple[str, str, str], ...] = (
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "3"),  # very high: no macro is trusted
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "0"),  # INCLUDETEXT, linked sections and images, DDE
    ("/org.openoffice.Office.Writer/Content/Update", "Field", "false"),
    ("/org.openoffice.Office.Writer/Content/Update", "Chart", "false"),
    ("/org.openoffice.Office.Calc/Content/Update", "Link", "1"),  # an embedded sheet's external links
)
PROFILE_SETTINGS = "user/registrymodifications.xcu"


def seed_profile(profile: Path) -> Path:
    """Write :data:`HARDENING` as the private profile's settings before LibreOffice first starts."""
    items = "".join(f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse"><value>{value}</value></prop></item>\n'
                    for path, name, value in HARDENING)
    target = profile / PROFILE_SETTINGS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text('<?xml version="1.0" encoding="UTF-8"?>\n'
                      '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
                      'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
                      f"{items}</oor:items>\n", encoding="utf-8")
    return target


SUFFIX = {"docx": ".docx", "office": ".doc"}


def _source_suffix(path: Path, kind: str) -> str:
    """An ASCII extension that tells LibreOffice what the copy is (content decides, name second)."""
    suffix = path.suffix.lower()
    if kind == "office" and suffix in OFFICE_EXTENSIONS:
        return suffix
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.lstrip().startswith(b"{\\rtf"):
        return ".rtf"
    if head.startswith(ZIP):
        return ".odt" if kind == "office" else ".docx"
    return SUFFIX.get(kind, ".doc")


def _checked_copy(path: Path, workdir: Path) -> Path:
    """The input copied into ``workdir`` under an ASCII name; refusals as :class:`NotImportable`."""
    kind = classify(path)
    if kind not in {"office", "docx"}:
        raise NotImportable(NOT_OFFICE)
    try:
        size = path.stat().st_size
    except OSError:
        raise NotImportable(UNREADABLE) from None
    if size > MAX_BYTES:
        raise NotImportable(TOO_LARGE)
    if encrypted(path):
        raise NotImportable(ENCRYPTED)
    workdir.mkdir(parents=True, exist_ok=True)
    source = workdir / ("source" + _source_suffix(path, kind))
    try:
        shutil.copyfile(path, source)
    except OSError:
        raise NotImportable(UNREADABLE) from None
    return source


def to_docx(path: Path, workdir: Path, *, timeout: float = 120) -> Path:
    """``path`` converted to .docx by LibreOffice headless, written under ``workdir``.

    LibreOffice runs with a private profile ``workdir/profile`` seeded with :data:`HARDENING`
    (no macros, no link or field updates on load) and is killed (with its children) after
    ``timeout`` seconds. Raises :class:`NotImportable` when LibreOffice is
    missing, the file is encrypted or not a document, the conversion fails or times out.
    """
    soffice = find_soffice()
    if soffice is None:
        raise NotImportable(INSTALL_HINT)
    workdir = workdir.resolve()
    source = _checked_copy(path, workdir)
    outdir = workdir / "out"
    outdir.mkdir(exist_ok=True)
    seed_profile(workdir / "profile")
    args = [soffice, "--headless", "--norestore", "--nologo", "--nolockcheck",
            f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(source)]
    try:
        done = run_bounded(args, timeout, cwd=workdir)
    except subprocess.TimeoutExpired:
        raise NotImportable(TIMED_OUT.format(seconds=timeout)) from None
    except OSError:
        raise NotImportable(INSTALL_HINT) from None
    result = outdir / "source.docx"
    if done.returncode != 0 or not result.is_file() or result.stat().st_size == 0:
        raise NotImportable(FAILED)
    return result
