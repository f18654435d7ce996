"""PDF text: layout lines become paragraphs (page numbers, headers and footers dropped, lines
the page width broke joined), headings come back from the numbering so the Word importer
finds parts, sections and figures in a PDF LibreOffice printed from a real report; scanned,
encrypted, oversized, slow or non-PDF files are refused with a Chinese reason."""

from __future__ import annotations

import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from tests.fixtures.docx import builders as B

from conftest import DATA, require_tool
from kb.contrib import docx as di
from kb.contrib.intake import pdftext
from kb.contrib.intake.convert import NotImportable

FULL = "这是一行排满页宽的正文文字共二十个字。"  # 19 characters: the page width in these cases
OTHER = "另一行排满页宽的正文文字也是二十个字。"
SHORT = "段落结束。"
DIGITS = "累计走访基层 32 次，收集各类问题 45 个，好"  # as wide as FULL (19), more characters

LAYOUTS = {
    "wrapped lines join": (f"{FULL}\n{FULL}\n{SHORT}\n", [FULL * 2 + SHORT]),
    "a short line ends the paragraph": (f"{FULL}\n{SHORT}\n{FULL}\n{SHORT}\n", [FULL + SHORT, FULL + SHORT]),
    "a blank line ends the paragraph": (f"{FULL}\n\n{FULL}\n{SHORT}\n", [FULL, FULL + SHORT]),
    "an indented line starts a paragraph": (f"  {FULL}\n{FULL}\n  {FULL}\n{SHORT}\n",
                                            [FULL * 2, FULL + SHORT]),
    "an outline number starts a paragraph": (f"{FULL}\n（二）{FULL}\n{SHORT}\n", [FULL, "（二）" + FULL + SHORT]),
    "page numbers are dropped": (f"{FULL}\n\n           - 1 -\n\f{OTHER}\n{SHORT}\n\n     第 2 页\n\f",
                                 [FULL + OTHER + SHORT]),
    "a page break is no paragraph break": (f"{FULL}\n\n\f{OTHER}\n{SHORT}\n", [FULL + OTHER + SHORT]),
    "repeated headers and footers are dropped": (
        f"某某单位文件\n{FULL}\n共3页\n\f某某单位文件\n{FULL}\n共3页\n\f某某单位文件\n{SHORT}\n共3页\n",
        [FULL * 2 + SHORT]),
    "digits count half a character": (f"{DIGITS}\n{FULL}\n{DIGITS}\n{SHORT}\n",
                                      [(tidy := pdftext.tidy(DIGITS)) + FULL + tidy + SHORT]),
    "a bare number inside the page is text": (
        f"{FULL}\n\n序号    问题        状态\n1       学习不够    已完成\n                    2023\n\n          — 2 —\n",
        [FULL, [["序号", "问题", "状态"], ["1", "学习不够", "已完成2023"]]]),
    "a wrapped line starting with 一， continues": (f"{FULL}\n一，影响群众。\n", [FULL + "一，影响群众。"]),
    "spaces next to Chinese characters go": ("2023 年 9 月 8 日\n", ["2023年9月8日"]),
    "latin words keep their space": ("Word and\nPDF\n", ["Word and PDF"]),
    "columns become a table": (
        f"{FULL}\n\n序号    问题        状态\n1       学习不够    推进中\n        深入\n2       作风不实    已完成\n\n{SHORT}\n",
        [FULL, [["序号", "问题", "状态"], ["1", "学习不够深入", "推进中"], ["2", "作风不实", "已完成"]], SHORT]),
}


@pytest.mark.parametrize("case", sorted(LAYOUTS))
def test_layout_text_becomes_paragraphs(case: str) -> None:
    text, expected = LAYOUTS[case]
    assert pdftext.paragraphs(text) == expected


KINDS = {
    "一、工作开展情况及创新亮点做法": "part",
    "二、存在的问题和不足之处": "part",
    "一、坚持学习。一是读原著，二是学原文，三是悟原理，全面深入系统地学习。": "body",
    "（一）坚持明方向": "section",
    "（二）坚持学方法，强化创新能力。以主题教育为契机，提升思维能力。": "run-in",
    "一是淬炼政治忠诚。坚持示范引领。": "body",
    "1.建立台账": "body",
    "一，影响新就业残疾人1984家。": "body",  # the end of a wrapped sentence, not a part numbered with a comma
    "一，总体情况": "part",
}


@pytest.mark.parametrize("text", sorted(KINDS))
def test_headings_come_from_the_numbering(text: str) -> None:
    assert pdftext._kind(text) == KINDS[text]


def test_the_word_file_carries_the_outline(tmp_path: Path) -> None:
    path = pdftext.write_docx(["报告", "一、工作开展情况", "（一）坚持明方向。正文。", "（二）坚持学方法", "正文"],
                              tmp_path / "out.docx")
    blocks = di.read_docx(path)
    assert [(b.text, b.level) for b in blocks] == [("报告", 0), ("一、工作开展情况", 1), ("（一）坚持明方向。正文。", 0),
                                                   ("（二）坚持学方法", 2), ("正文", 0)]
    assert blocks[2].bold == ((0, len("（一）坚持明方向。")),)


# ------------------------------------------------------------------ real PDFs


def _pdf_tools() -> None:
    require_tool("pdftotext", "poppler reads the PDF's text (apt-get install poppler-utils)")
    require_tool("pdfinfo", "poppler reads the PDF's page count (apt-get install poppler-utils)")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The filled template with a ledger, printed to PDF by LibreOffice, and its import from Word."""
    soffice = require_tool("soffice", "LibreOffice prints the test report to PDF (apt-get install libreoffice-writer-nogui)")
    folder = tmp_path_factory.mktemp("pdf")
    original = B.add_ledger(B.build_bold(B.template_paragraphs().paragraphs, folder / "report.docx"))
    profile = (folder / "profile").resolve().as_uri()
    subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                    "--outdir", str(folder), str(original)], check=True, capture_output=True, timeout=120)
    return folder / "report.pdf", di.import_docx(original, DATA, today="2000-01-01").data


def _titles(part: dict) -> list[str]:
    return [s.get("title") for s in part.get("sections", [])]


def test_a_printed_report_imports_with_its_outline_and_figures(report, tmp_path) -> None:
    _pdf_tools()
    pdf, expected = report
    renamed = Path(shutil.copy(pdf, tmp_path / "关于报送市财政局自查评估报告的函.docx"))  # wrong extension: content decides
    data = di.import_docx(pdftext.pdf_to_docx(renamed, tmp_path / "work"), DATA, today="2000-01-01").data
    for key in ("unit", "campaign", "submitted", "figures", "opening"):
        assert data.get(key) == expected.get(key), key
    for part in ("highlights", "problems", "plans"):
        assert _titles(data[part]) == _titles(expected[part]), part
    points = [len(s.get("points", [])) for p in ("highlights", "plans") for s in data[p].get("sections", [])]
    assert points == [len(s.get("points", [])) for p in ("highlights", "plans") for s in expected[p].get("sections", [])]


def _blank_pdf(path: Path, pages: int) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def _encrypted_pdf(source: Path, path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_a_scan_without_a_text_layer_is_refused(tmp_path: Path) -> None:
    _pdf_tools()
    with pytest.raises(NotImportable) as caught:
        pdftext.pdf_to_docx(_blank_pdf(tmp_path / "扫描件.pdf", 3), tmp_path / "work")
    assert caught.value.reason == pdftext.SCANNED


def _image_pdf(path: Path) -> Path:
    """One page that only draws a grey 64×64 image (a scan has nothing else), written by hand."""
    pixels = bytes((x * 4) % 256 for x in range(64 * 64))
    content = b"q 500 0 0 700 50 70 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8"
        b" /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_an_image_only_pdf_is_refused(tmp_path: Path) -> None:
    _pdf_tools()
    pdf = _image_pdf(tmp_path / "scan.pdf")
    assert subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True).stdout.count("gray") == 1
    with pytest.raises(NotImportable) as caught:
        pdftext.pdf_to_docx(pdf, tmp_path / "work")
    assert caught.value.reason == pdftext.SCANNED


def test_an_encrypted_pdf_is_refused(report, tmp_path) -> None:
    _pdf_tools()
    locked = _encrypted_pdf(report[0], tmp_path / "locked.pdf")
    with pytest.raises(NotImportable) as caught:
        pdftext.pdf_to_docx(locked, tmp_path / "work")
    assert caught.value.reason == pdftext.ENCRYPTED


def test_too_many_pages_are_refused(tmp_path: Path) -> None:
    _pdf_tools()
    with pytest.raises(NotImportable) as caught:
        pdftext.pdf_to_docx(_blank_pdf(tmp_path / "thick.pdf", pdftext.MAX_PAGES + 1), tmp_path / "work")
    assert caught.value.reason == pdftext.TOO_MANY_PAGES.format(pages=pdftext.MAX_PAGES)


def test_too_large_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdftext, "MAX_BYTES", 10)
    with pytest.raises(NotImportable) as caught:
        pdftext.pdf_to_docx(_blank_pdf(tmp_path / "big.pdf", 1), tmp_path / "work")
    assert caught.value.reason == pdftext.TOO_LARGE


@pytest.mark.parametrize("content", [b"PK\x03\x04 not a pdf", b"plain text", b""], ids=["zip", "text", "empty"])
def test_what_is_not_a_pdf_is_refused(content: bytes, tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(content)
    with pytest.raises(NotImportable) as caught:
        pdftext.pdf_to_docx(tmp_path / "report.pdf", tmp_path / "work")
    assert caught.value.reason == pdftext.NOT_PDF


def test_a_damaged_pdf_is_refused(tmp_path: Path) -> None:
    _pdf_tools()
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"\0garbage" * 100)
    with pytest.raises(NotImportable) as caught:
        pdftext.pdf_to_docx(tmp_path / "broken.pdf", tmp_path / "work")
    assert caught.value.reason in {pdftext.DAMAGED, pdftext.SCANNED}


def test_poppler_missing_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdftext.shutil, "which", lambda _name: None)
    with pytest.raises(NotImportable) as caught:
        pdftext.pdf_to_docx(_blank_pdf(tmp_path / "a.pdf", 1), tmp_path / "work")
    assert "apt-get install poppler-utils" in caught.value.reason


def test_a_slow_reader_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "slow"
    script.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(pdftext, "_tool", lambda _name: str(script))
    with pytest.raises(NotImportable) as caught:
        pdftext.pdf_to_docx(_blank_pdf(tmp_path / "a.pdf", 1), tmp_path / "work", timeout=1)
    assert caught.value.reason == pdftext.TIMED_OUT.format(seconds=1)
