"""Other office formats: a file is classified by its content (extension second); LibreOffice
converts .doc, .odt and .rtf made from a real report back to a .docx the importer reads to
the same figures, outline and ledger; refusals (LibreOffice missing, encrypted, failed,
timed out) are Chinese reasons, and no file name reaches the converter's command line."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import time
import zipfile
from pathlib import Path

import docx
import pytest
from tests.fixtures.docx import builders as B

from conftest import DATA, require_tool
from kb.contrib import docx as di
from kb.contrib.intake import convert
from kb.contrib.intake.convert import NotImportable

# ------------------------------------------------------------------ inputs made here


def _docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("报告")
    document.save(str(path))
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _ole2(path: Path, *streams: str) -> Path:
    header = convert.OLE2 + b"\0" * 22 + (9).to_bytes(2, "little") + b"\0" * (512 - 32)
    path.write_bytes(header + b"".join(s.encode("utf-16-le") + b"\0\0" for s in streams) + b"\0" * 512)
    return path


INPUTS = {
    "report.docx": (lambda p: _docx(p), "docx"),
    "docx-named.doc": (lambda p: _docx(p), "docx"),
    "docx-named.pdf": (lambda p: _docx(p), "docx"),
    "report.odt": (lambda p: _zip(p, {"mimetype": convert.ODT_MIMETYPE.encode(), "content.xml": b"<x/>"}), "office"),
    "odt-named.docx": (lambda p: _zip(p, {"mimetype": convert.ODT_MIMETYPE.encode()}), "office"),
    "sheet.xlsx": (lambda p: _zip(p, {"xl/workbook.xml": b"<x/>"}), "other"),
    "sheet-named.docx": (lambda p: _zip(p, {"xl/workbook.xml": b"<x/>"}), "other"),
    "broken-zip.docx": (lambda p: (p.write_bytes(convert.ZIP + b"garbage"), p)[1], "other"),
    "report.doc": (lambda p: _ole2(p, "Root Entry", "WordDocument", "1Table"), "office"),
    "report.wps": (lambda p: _ole2(p, "Root Entry", "WordDocument"), "office"),
    "doc-named.docx": (lambda p: _ole2(p, "Root Entry", "WordDocument"), "office"),
    "sheet.xls": (lambda p: _ole2(p, "Root Entry", "Workbook"), "other"),
    "sheet-named.doc": (lambda p: _ole2(p, "Root Entry", "Workbook"), "other"),
    "report.rtf": (lambda p: (p.write_bytes(b"{\\rtf1\\ansi hello}"), p)[1], "office"),
    "rtf-named.doc": (lambda p: (p.write_bytes(b"{\\rtf1\\ansi hello}"), p)[1], "office"),
    "html-saved.doc": (lambda p: (p.write_text("<html><body>报告</body></html>"), p)[1], "office"),
    "html.txt": (lambda p: (p.write_text("<html><body>报告</body></html>"), p)[1], "other"),
    "report.pdf": (lambda p: (p.write_bytes(b"%PDF-1.4\n%\xe2\xe3\n"), p)[1], "pdf"),
    "pdf-named.docx": (lambda p: (p.write_bytes(b"%PDF-1.7\n"), p)[1], "pdf"),
    "notes.txt": (lambda p: (p.write_text("随便写的"), p)[1], "other"),
    "empty.doc": (lambda p: (p.write_bytes(b""), p)[1], "other"),
}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_classify_by_content_then_extension(name: str, tmp_path: Path) -> None:
    make, kind = INPUTS[name]
    assert convert.classify(make(tmp_path / name)) == kind


def test_a_missing_file_is_other(tmp_path: Path) -> None:
    assert convert.classify(tmp_path / "absent.doc") == "other"


# ------------------------------------------------------------------ refusals without LibreOffice


def _fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_libreoffice_missing_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert.shutil, "which", lambda _name: None)
    with pytest.raises(NotImportable) as caught:
        convert.to_docx(_ole2(tmp_path / "a.doc", "WordDocument"), tmp_path / "work")
    assert "apt-get install libreoffice-writer-nogui" in caught.value.reason
    assert "Windows" in caught.value.reason


ENCRYPTED_INPUTS = {
    "encrypted-package.docx": lambda p: _ole2(p, "Root Entry", "EncryptionInfo", "EncryptedPackage"),
    "encrypted.odt": lambda p: _zip(p, {"mimetype": convert.ODT_MIMETYPE.encode(),
                                        "META-INF/manifest.xml": b"<manifest:encryption-data/>"}),
}


@pytest.mark.parametrize("name", sorted(ENCRYPTED_INPUTS))
def test_encrypted_documents_are_refused(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ran = tmp_path / "ran"
    monkeypatch.setattr(convert, "find_soffice", lambda: _fake_soffice(tmp_path, f"touch {ran}"))
    with pytest.raises(NotImportable) as caught:
        convert.to_docx(ENCRYPTED_INPUTS[name](tmp_path / name), tmp_path / "work")
    assert caught.value.reason == convert.ENCRYPTED
    assert not ran.exists()


def test_encrypted_word_97_document_is_refused(tmp_path: Path) -> None:
    data = bytearray(_ole2(tmp_path / "x", "WordDocument").read_bytes()) + bytearray(1024)
    data[1024:1026] = b"\xec\xa5"  # the FIB of the WordDocument stream in sector 1
    data[1024 + 11] = 0x01  # fEncrypted
    (tmp_path / "locked.doc").write_bytes(bytes(data))
    assert convert.encrypted(tmp_path / "locked.doc")
    data[1024 + 11] = 0x00
    (tmp_path / "open.doc").write_bytes(bytes(data))
    assert not convert.encrypted(tmp_path / "open.doc")


@pytest.mark.parametrize("name", ["sheet.xls", "notes.txt", "report.pdf"])
def test_what_is_not_a_word_processing_document_is_refused(name, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(convert, "find_soffice", lambda: _fake_soffice(tmp_path, "exit 0"))
    with pytest.raises(NotImportable) as caught:
        convert.to_docx(INPUTS[name][0](tmp_path / name), tmp_path / "work")
    assert caught.value.reason == convert.NOT_OFFICE


def test_a_failed_conversion_is_a_chinese_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "find_soffice", lambda: _fake_soffice(tmp_path, "echo Error: source file could not be loaded >&2; exit 1"))
    with pytest.raises(NotImportable) as caught:
        convert.to_docx(_ole2(tmp_path / "a.doc", "WordDocument"), tmp_path / "work")
    assert caught.value.reason == convert.FAILED


def test_time_out_kills_the_whole_process_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pids = tmp_path / "pids"
    body = f"sleep 30 & echo $! > {pids}; wait"  # a child like soffice.bin under the soffice script
    monkeypatch.setattr(convert, "find_soffice", lambda: _fake_soffice(tmp_path, body))
    started = time.monotonic()
    with pytest.raises(NotImportable) as caught:
        convert.to_docx(_ole2(tmp_path / "a.doc", "WordDocument"), tmp_path / "work", timeout=1)
    assert time.monotonic() - started < 10
    assert caught.value.reason == convert.TIMED_OUT.format(seconds=1)
    child = int(pids.read_text())
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):  # reaped by init or gone: no stray converter left
        os.kill(child, 0)
        if Path(f"/proc/{child}/stat").read_text().split()[2] == "Z":
            raise ProcessLookupError


def test_untrusted_file_names_never_reach_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    argv = tmp_path / "argv"
    body = (f'for a in "$@"; do echo "$a" >> {argv}; done\n'
            'out=""; while [ $# -gt 0 ]; do [ "$1" = --outdir ] && out="$2"; shift; done\n'
            'echo docx > "$out/source.docx"')
    monkeypatch.setattr(convert, "find_soffice", lambda: _fake_soffice(tmp_path, body))
    name = "-rf ;$(touch pwned) 关于报送市林业局自查评估报告的函.doc"
    result = convert.to_docx(_ole2(tmp_path / name, "WordDocument"), tmp_path / "work")
    assert result == (tmp_path / "work" / "out" / "source.docx").resolve()
    args = argv.read_text(encoding="utf-8").splitlines()
    assert args[-1] == str((tmp_path / "work" / "source.doc").resolve())
    assert not any("林业局" in a or "pwned" in a for a in args)
    assert f"-env:UserInstallation={(tmp_path / 'work' / 'profile').resolve().as_uri()}" in args
    assert not (tmp_path / "pwned").exists()


def test_too_large_files_are_refused_before_conversion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "find_soffice", lambda: _fake_soffice(tmp_path, "exit 0"))
    monkeypatch.setattr(convert, "MAX_BYTES", 100)
    with pytest.raises(NotImportable) as caught:
        convert.to_docx(_ole2(tmp_path / "a.doc", "WordDocument"), tmp_path / "work")
    assert caught.value.reason == convert.TOO_LARGE


# ------------------------------------------------------------------ real LibreOffice round trips


def soffice_convert(source: Path, fmt: str, outdir: Path) -> Path:
    """``source`` saved as ``fmt`` by LibreOffice (a test fixture, its own profile)."""
    soffice = require_tool("soffice", "LibreOffice converts the test reports (apt-get install libreoffice-writer-nogui)")
    outdir.mkdir(exist_ok=True)
    profile = (outdir / "fixture-profile").resolve().as_uri()
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", fmt,
                    "--outdir", str(outdir), str(source)], check=True, capture_output=True, timeout=120)
    return outdir / f"{source.stem}.{fmt.split(':')[0]}"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("office")
    path = B.add_ledger(B.build_bold(B.template_paragraphs().paragraphs, folder / "report.docx"))
    return path, di.import_docx(path, DATA, today="2000-01-01").data


SAME = ("unit", "campaign", "submitted", "opening", "highlights", "problems", "plans", "figures", "ledger")


@pytest.mark.parametrize("fmt,suffix", [("doc", ".doc"), ("odt", ".odt"), ("rtf", ".rtf"), ("doc", ".wps"),
                                        ("odt", ".docx")], ids=["doc", "odt", "rtf", "doc-as-wps", "odt-as-docx"])
def test_libreoffice_round_trip_imports_the_same_report(fmt, suffix, report, tmp_path) -> None:
    original, expected = report
    if fmt == "doc":  # LibreOffice 7.4 writes python-docx's bare table into .doc as text; via .odt it stays a table
        original = soffice_convert(original, "odt", tmp_path / "odt")
    made = soffice_convert(original, fmt, tmp_path)
    named = made.rename(tmp_path / f"报告 {fmt}{suffix}")
    assert convert.classify(named) == "office"
    result = convert.to_docx(named, tmp_path / "work")
    data = di.import_docx(result, DATA, today="2000-01-01").data
    assert {k: data.get(k) for k in SAME} == {k: expected.get(k) for k in SAME}


def test_conversions_run_in_parallel_with_private_profiles(report, tmp_path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    made = soffice_convert(report[0], "odt", tmp_path)
    copies = [shutil.copy(made, tmp_path / f"r{i}.odt") for i in range(3)]
    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(lambda p: convert.to_docx(Path(p), tmp_path / f"w-{Path(p).stem}"), copies))
    assert all(r.is_file() for r in results)
    assert all((tmp_path / f"w-r{i}" / "profile").is_dir() for i in range(3))
