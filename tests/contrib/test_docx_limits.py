"""Hostile Word files and arguments (issue 13, items 2-4): the importer cannot hang, exhaust
memory, leak English library text or write outside data/.

* the site's own Word export of a report with a key-figures table imports with an unknown
  campaign (it used to loop forever);
* packages are refused from the zip directory (size, parts, uncompressed size, ratio) and
  damaged ones with a Chinese message that quotes nothing of the file; the import runs in
  a child process with a time and memory bound;
* nothing is written that the loader would refuse (file size, field lengths);
* ids are checked by the schema's rule before a path is built; make passes file names
  verbatim (no shell or make evaluation).
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from datacopy import copy_data
from tests.fixtures.docx import builders as B

from conftest import DATA, ROOT
from kb.contrib import docx as di
from kb.contrib import reportyaml, scaffold
from kb.official.word import export_report
from kb.site import build

SCRIPT = ROOT / "scripts" / "import_docx.py"
NEW_UNIT = ROOT / "scripts" / "new_unit.py"
MARKER = "SECRET-CONTENT-7f3a"  # written into refused files: must never be echoed
ENGLISH = ("Traceback", "Error", "Exception", "zlib", "lxml", "There is no item", "decompressing")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return copy_data(tmp_path_factory.mktemp("limits") / "data")


@pytest.fixture
def template(tmp_path) -> Path:
    """The filled-in official template as a plain .docx (imports as shi-czj, 2023-zhuti)."""
    return B.build_plain(B.template_paragraphs().paragraphs, tmp_path / "template.docx")


def run_cli(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout, stdin=subprocess.DEVNULL)


def written(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "reports").rglob("*.yml"))


def assert_chinese_only(output: str) -> None:
    for word in ENGLISH + (MARKER,):
        assert word not in output, output


# ------------------------------------------------ item 2: unknown campaign, figure tables


@pytest.fixture(scope="module")
def shi_fgw_export(tmp_path_factory) -> Path:
    """The site's own Word export of shi-fgw's 2023 report: it has a key-figures table."""
    kb, _ = build.load(DATA)
    report = next(r for r in kb.reports if r.unit.id == "shi-fgw" and r.campaign.id == "2023-zhuti")
    assert report.figures
    return export_report(report, tmp_path_factory.mktemp("fgw") / "shi-fgw.docx")


def test_own_export_with_figure_tables_imports_for_an_unknown_campaign(shi_fgw_export, data_dir):
    result = run_cli(shi_fgw_export, "--campaign", "2025-zhuti", "--stdout", "--data-dir", data_dir, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "学习教育 2025-zhuti 不存在" in result.stderr
    # the key-figures rows are kept as leftovers, not dropped
    for label in ("领导班子领题调研课题", "到基层走访", "解决信访问题"):
        assert f"关键数据表中的“{label}”未导入：学习教育 2025-zhuti 不存在" in result.stdout
    assert reportyaml.load(result.stdout)["campaign"] == "2025-zhuti"


# ------------------------------------------------------- item 3: hostile packages

def _rebuild(source: Path, target: Path, *, drop: tuple[str, ...] = (),
             replace: dict[str, bytes] | None = None, add: Callable[[zipfile.ZipFile], None] | None = None) -> Path:
    """``source`` re-zipped with parts dropped, replaced or added."""
    replace = replace or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename not in drop:
                new.writestr(info.filename, replace.get(info.filename, old.read(info)))
        if add is not None:
            add(new)
    return target


def _filled(name: str, size: int, head: bytes = b"", tail: bytes = b"", fill: bytes = b"\0") -> Callable:
    """A part of ``size`` bytes: ``head``, then ``fill`` bytes, then ``tail`` (written in chunks)."""
    def add(package: zipfile.ZipFile) -> None:
        with package.open(name, "w") as part:
            part.write(head)
            chunk = fill * (1024 * 1024)
            for _ in range(size // len(chunk)):
                part.write(chunk)
            part.write(tail)
    return add


def zip_bomb(template: Path, tmp: Path) -> Path:
    """The issue's bomb: a well-formed document part padded with 200 MB of blanks (deflates to ~200 KB)."""
    with zipfile.ZipFile(template) as package:
        head, tail = package.read("word/document.xml").split(b"<w:body>", 1)
    return _rebuild(template, tmp / "bomb.docx", drop=("word/document.xml",),
                    add=_filled("word/document.xml", 200 * 1024 * 1024, head + b"<w:body>", tail, b" "))


def high_ratio(template: Path, tmp: Path) -> Path:
    """A picture of 8 MB of zeros: within the size limits, but inflating 1000-fold."""
    return _rebuild(template, tmp / "ratio.docx", add=_filled("word/media/image1.png", 8 * 1024 * 1024))


def many_parts(template: Path, tmp: Path) -> Path:
    def add(package: zipfile.ZipFile) -> None:
        for n in range(di.LIMITS.parts + 1):
            package.writestr(f"extra/part{n}.xml", b"<a/>")
    return _rebuild(template, tmp / "parts.docx", add=add)


def _part_data_offset(data: bytes, name: str) -> tuple[int, int]:
    """(start, compressed size) of a part's data in the zip bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        info = package.getinfo(name)
    header = info.header_offset
    name_len = int.from_bytes(data[header + 26:header + 28], "little")
    extra_len = int.from_bytes(data[header + 28:header + 30], "little")
    return header + 30 + name_len + extra_len, info.compress_size


def damaged_stream(template: Path, tmp: Path) -> Path:
    """The deflate stream of document.xml overwritten in its middle (zlib: Error -3)."""
    data = bytearray(template.read_bytes())
    start, size = _part_data_offset(bytes(data), "word/document.xml")
    data[start + size // 3:start + size // 3 + 64] = b"\xff" * 64
    path = tmp / "damaged.docx"
    path.write_bytes(bytes(data))
    return path


def _patch_directory(template: Path, target: Path, offset: int, value: bytes) -> Path:
    """``template`` with bytes at ``offset`` of document.xml's zip-directory entry replaced."""
    data = bytearray(template.read_bytes())
    entry = data.find(b"PK\x01\x02")
    while data[entry + 46:entry + 46 + int.from_bytes(data[entry + 28:entry + 30], "little")] != b"word/document.xml":
        entry = data.find(b"PK\x01\x02", entry + 4)
    data[entry + offset:entry + offset + len(value)] = value
    target.write_bytes(bytes(data))
    return target


def lying_directory(template: Path, tmp: Path) -> Path:
    """The zip directory states 100 bytes for document.xml: reading stops there, the checksum fails."""
    return _patch_directory(template, tmp / "lying.docx", 24, (100).to_bytes(4, "little"))


def encrypted(template: Path, tmp: Path) -> Path:
    """document.xml flagged as encrypted (general purpose flag bit 0)."""
    return _patch_directory(template, tmp / "encrypted.docx", 8, (1).to_bytes(2, "little"))


def dangling_relationship(template: Path, tmp: Path) -> Path:
    """styles.xml removed while document.xml.rels still points at it."""
    return _rebuild(template, tmp / "dangling.docx", drop=("word/styles.xml",))


def broken_xml(template: Path, tmp: Path) -> Path:
    return _rebuild(template, tmp / "broken.docx",
                    replace={"word/document.xml": f"<w:document {MARKER}<<".encode()})


def not_a_document(template: Path, tmp: Path) -> Path:
    """A spreadsheet-like package renamed to .docx."""
    path = tmp / "sheet.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"/>')
        package.writestr("xl/workbook.xml", MARKER)
    return path


HOSTILE: list[tuple[Callable[[Path, Path], Path], str]] = [
    (zip_bomb, "解压后过大"),
    (high_ratio, "压缩比异常"),
    (many_parts, "部件过多"),
    (damaged_stream, "Word 文件已损坏"),
    (lying_directory, "Word 文件已损坏"),
    (encrypted, "设置了密码"),
    (dangling_relationship, "引用的部件不存在"),
    (broken_xml, "XML 内容已损坏"),
    (not_a_document, "Word 文件不完整"),
]


@pytest.mark.parametrize(("make", "message"), HOSTILE, ids=[m.__name__ for m, _ in HOSTILE])
def test_hostile_package_is_refused_in_chinese(template, tmp_path, data_dir, make, message):
    path = make(template, tmp_path)
    started = time.monotonic()
    result = run_cli(path, "--data-dir", data_dir, "--force", timeout=60)
    assert time.monotonic() - started < 30
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in result.stdout
    assert "没有写出" in result.stdout or "无法导入" in result.stdout
    assert_chinese_only(result.stdout + result.stderr)
    assert written(data_dir) == []


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ({"file_bytes": 20_000}, "Word 文件过大"),
        ({"xml_bytes": 20_000}, "文字部件解压后过大"),
        ({"total_bytes": 100_000}, "解压后总共"),
        ({"parts": 5}, "部件过多"),
        ({"directory_bytes": 100}, "目录异常庞大"),
        ({"ratio": 2, "ratio_from": 1000}, "压缩比异常"),
    ],
    ids=["file", "xml-part", "total", "parts", "directory", "ratio"],
)
def test_each_limit_is_checked_before_parsing(template, limit, message):
    with pytest.raises(di.DocxError, match=message):
        di.check_package(template.read_bytes(), di.Limits(**limit))


def test_truncated_file_is_refused(template, tmp_path, data_dir):
    data = template.read_bytes()
    with pytest.raises(di.DocxError, match="Word 文件已损坏"):
        di.read_docx(data[: len(data) // 2])


@pytest.mark.parametrize(("kind", "message"), [
    ("truncated", "不完整"), ("fifo", "不是普通文件"), ("folder", "不是普通文件"), ("missing", "找不到文件"),
])
def test_cli_names_what_is_wrong_with_the_file(template, tmp_path, data_dir, kind, message):
    """The reason matches the file (review of issue 13: a cut-off file was called an old .doc)."""
    path = tmp_path / "报告.docx"
    if kind == "truncated":
        data = template.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif kind == "fifo":
        os.mkfifo(path)  # opening it would wait for a writer: the check must not open it
    elif kind == "folder":
        path.mkdir()
    result = run_cli(path, "--data-dir", data_dir, timeout=60)
    assert result.returncode == 2
    assert message in result.stdout, result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_ordinary_reports_pass_the_limits(template, shi_fgw_export):
    for path in (template, shi_fgw_export):
        di.check_package(path.read_bytes())


# ------------------------------------------------------ item 3: time and memory bound


def _slow_document(tmp: Path, paragraphs: int) -> Path:
    """A valid document of many empty paragraphs: cheap to store, slow to walk."""
    base = tmp / "base.docx"
    docx.Document().save(base)
    with zipfile.ZipFile(base) as package:
        xml = package.read("word/document.xml")
    head, rest = xml.split(b"<w:body>", 1)
    return _rebuild(base, tmp / "slow.docx",
                    replace={"word/document.xml": head + b"<w:body>" + b"<w:p/>" * paragraphs + rest})


def test_an_import_that_takes_too_long_is_stopped(tmp_path, data_dir):
    path = _slow_document(tmp_path, 400_000)
    limits = di.Limits(seconds=1, ratio=10**9)
    started = time.monotonic()
    with pytest.raises(di.DocxError, match="超过了 1 秒仍未完成"):
        di.import_docx_limited(path, data_dir, limits=limits)
    assert time.monotonic() - started < 10


def test_a_child_that_needs_too_much_memory_is_stopped():
    if not Path("/proc/self/statm").exists():
        pytest.skip("the address-space cap needs Linux /proc")
    with pytest.raises(di.DocxError, match="内存超过上限"):
        di.run_limited(bytearray, (4 * 1024**3,), {}, di.Limits(memory_bytes=256 * 1024**2))


def test_a_crashing_child_is_reported_in_chinese():
    with pytest.raises(di.DocxError, match="导入工具处理这个 Word 文件时出错"):
        di.run_limited(os._exit, (3,), {})


def test_the_child_returns_the_import(template, data_dir):
    result = di.import_docx_limited(template, data_dir, today="2030-01-01")
    assert (result.unit, result.campaign, result.source_name) == ("shi-czj", "2023-zhuti", "template.docx")


# ------------------------------------------- item 3: nothing the loader would refuse


_CJK = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def _prose(length: int, seed: int) -> str:
    """Chinese-looking text that does not compress much (so the package limits let it through)."""
    rng = random.Random(seed)
    return "".join(rng.choice(_CJK) for _ in range(length - 1)) + "。"


def _with_opening(paragraphs: list[str]) -> list[str]:
    template = B.template_paragraphs().paragraphs
    at = template.index(next(p for p in template if p.startswith("学习贯彻"))) + 1
    return template[:at] + paragraphs + template[at:]


@pytest.mark.parametrize(
    ("extra", "message"),
    [([_prose(21_000, 1)], "太长，请精简到 20000 个字符以内"),
     ([_prose(9_000, n) for n in range(45)], "超过单个数据文件的上限")],
    ids=["field", "file"],
)
def test_result_beyond_the_loader_limits_is_not_written(tmp_path, data_dir, extra, message):
    path = B.build_plain(_with_opening(extra), tmp_path / "long.docx")
    result = run_cli(path, "--data-dir", data_dir)
    assert result.returncode == 2, result.stdout
    assert message in result.stdout and "没有写出数据文件" in result.stdout
    assert written(data_dir) == []
    assert not list((data_dir / "reports").rglob("*.tmp"))


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\x80", "\x9f"],
                         ids=["line-separator", "paragraph-separator", "nel", "c1-80", "c1-9f"])
def test_line_breaks_and_control_characters_from_word_are_normalised(tmp_path, data_dir, char):
    paragraphs = [p.replace("主题教育开展以来", f"主题教育{char}开展以来", 1) for p in B.template_paragraphs().paragraphs]
    result = di.import_docx(B.build_plain(paragraphs, tmp_path / "chars.docx"), data_dir, today="2030-01-01")
    opening = result.data["opening"]
    assert char not in opening and "主题教育" in opening
    assert di.output_problems(result.to_yaml(), result.data, data_dir / "schema") == []


def test_file_name_cannot_break_the_header_comment(template, data_dir):
    result = di.import_docx(template, data_dir, today="2030-01-01")
    result.source_name = "报告\nunit: shi-x\r\u2028.docx"
    text = result.to_yaml()
    assert reportyaml.load(text) == reportyaml.strip_comments(result.data)
    assert di.output_problems(text, result.data, data_dir / "schema") == []


# ----------------------------------------------------- item 4: ids, paths, make


BAD_IDS = [("--unit", "../../../victim"), ("--unit", "{tmp}/victim"), ("--unit", "Shi-CZJ"),
           ("--campaign", "../../victim"), ("--campaign", "{tmp}/victim"), ("--campaign", "C:x")]


@pytest.mark.parametrize(("option", "value"), BAD_IDS, ids=[f"{o[2:]}:{v}" for o, v in BAD_IDS])
def test_bad_ids_are_refused_before_a_path_is_built(template, tmp_path, option, value):
    value = value.replace("{tmp}", str(tmp_path))
    data = copy_data(tmp_path / "data")
    before = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    result = run_cli(template, option, value, "--force", "--data-dir", data)
    assert result.returncode == 2
    with pytest.raises(scaffold.ScaffoldError) as refused:
        scaffold.check_id(value, option[2:])
    assert str(refused.value) in result.stdout
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == before  # victim.yml included


@pytest.mark.parametrize("value", ["../../../victim", "/tmp/victim", "Shi-CZJ", "shi czj"])
def test_import_and_new_unit_share_the_id_rule(template, tmp_path, value):
    data = copy_data(tmp_path / "data")
    imported = run_cli(template, "--unit", value, "--data-dir", data)
    created = subprocess.run([sys.executable, str(NEW_UNIT), "--unit", value, "--campaign", "2023-zhuti",
                              "--data-dir", str(data)], capture_output=True, text=True, cwd=ROOT, timeout=60,
                             stdin=subprocess.DEVNULL)
    with pytest.raises(scaffold.ScaffoldError) as refused:
        scaffold.check_id(value)
    assert (imported.returncode, created.returncode) == (2, 2)
    assert str(refused.value) in imported.stdout and str(refused.value) in created.stdout


def test_default_output_never_follows_a_link_out_of_data(template, tmp_path):
    data = copy_data(tmp_path / "data")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (data / "reports" / "2023-zhuti").symlink_to(elsewhere, target_is_directory=True)
    result = run_cli(template, "--force", "--data-dir", data)
    assert result.returncode == 2
    assert "指向 data/reports/ 之外" in result.stdout
    assert list(elsewhere.iterdir()) == []


PAYLOAD = "`cd;touch PWNED1`$(cd;touch PWNED2);cd;touch PWNED3;$(shell cd;touch PWNED4)"


def make(target: str, home: Path, **variables: str) -> subprocess.CompletedProcess:
    """``make -s target VAR=value …`` with HOME pointing at ``home`` (where payloads would land)."""
    args = ["make", "-s", "--no-print-directory", target] + [f"{k}={v}" for k, v in variables.items()]
    env = {**os.environ, "HOME": str(home)}
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=120, env=env,
                          stdin=subprocess.DEVNULL)


def assert_nothing_ran(home: Path) -> None:
    assert not [p for p in home.iterdir() if p.name.startswith("PWNED")]
    assert not [p for p in ROOT.iterdir() if p.name.startswith("PWNED")]


@pytest.mark.parametrize("name", ["市 统计局 自查评估报告.docx", f"报告 {PAYLOAD}.docx"], ids=["spaces", "payload"])
def test_make_import_docx_passes_the_file_name_verbatim(template, tmp_path, data_dir, name):
    home = tmp_path / "home"
    home.mkdir()
    path = tmp_path / name
    path.write_bytes(template.read_bytes())
    result = make("import-docx", home, DOCX=str(path), ARGS=f"--stdout --data-dir {data_dir}")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "单位：市财政局（shi-czj）" in result.stderr
    assert f"从 Word 文件“{name}”导入" in result.stdout
    assert_nothing_ran(home)


def test_make_preview_passes_the_report_name_verbatim(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    unit = f"data/reports/no-such-campaign/{PAYLOAD}.yml"  # evaluated or not, nothing to serve
    result = make("preview", home, UNIT=unit)
    assert result.returncode != 0
    assert f"找不到报告：{unit}" in result.stdout + result.stderr
    assert_nothing_ran(home)


def test_make_new_unit_splits_args_without_evaluating_them(tmp_path, data_dir):
    home = tmp_path / "home"
    home.mkdir()
    result = make("new-unit", home, ARGS=f"--data-dir {data_dir} --unit x{PAYLOAD}")
    assert result.returncode != 0
    assert_nothing_ran(home)
