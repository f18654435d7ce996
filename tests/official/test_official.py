"""Word export (kb.official): each example report is exported, opened again with python-docx
and compared with its data file, read here with yaml.safe_load independently of the model:
page set-up, GB/T 9704 styles and fonts, every paragraph in order, the tables, the footer.
Also: Markdown prose in Word, reproducible bytes, the bundle pages, the post-build step."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from conftest import DATA, read_data
from kb.markup.cache import BuildCache
from kb.markup.render import SiteSettings, expand_fragments
from kb.official import bundle, downloads, prose, word, wordfiles
from kb.official.document import official_document
from kb.site import build, incremental

CN = "一二三四五六七八九十"
SETTINGS = SiteSettings(build_date="2026-01-01")
REPORT_FILES = sorted(DATA.glob("reports/*/*.yml"))


# --- the data, read directly --------------------------------------------------------------


load = read_data


def squash(text: str) -> str:
    """Text without any whitespace (PDF and Word put line breaks in different places)."""
    return re.sub(r"\s+", "", text)


def cn(n: int) -> str:
    return CN[n - 1] if n <= 10 else ("" if n < 20 else CN[n // 10 - 1]) + "十" + (
        CN[n % 10 - 1] if n % 10 else "")


@dataclasses.dataclass
class Expected:
    """What the official document of one report must say, from the data files."""

    report_id: str
    title: str
    addressee: str
    headings: list[tuple[int, str]]
    body: list[str]  # Normal paragraphs in order
    signature: str
    date: str
    figures: list[list[str]]
    ledger: list[list[str]]
    materials: list[list[str]]

    def all_text(self) -> list[str]:
        cells = [c for rows in (self.figures, self.ledger, self.materials) for r in rows for c in r]
        return ([self.title, self.addressee, *[h for _, h in self.headings], *self.body,
                 self.signature, self.date] + cells)


_LIST_ITEM = re.compile(r"^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$")


def _paragraphs(text: str | None) -> list[str]:
    """Paragraphs of plain prose; a block of list lines gives one "• item"/"1. item" each."""
    out = []
    for block in re.split(r"\n\s*\n", text or ""):
        lines = [line for line in block.splitlines() if line.strip()]
        items = [_LIST_ITEM.match(line) for line in lines]
        if lines and all(items):
            out += [("• " if m[1] else f"{m[2]}. ") + m[3] for m in items]
        elif block.strip():
            out.append(block.strip())
    return out


def _points(points: list[dict]) -> list[str]:
    out = []
    for n, p in enumerate(points, start=1):
        paras = _paragraphs(p.get("text"))
        lead = f"{cn(n)}是{p['lead']}。" if p.get("lead") else f"{cn(n)}是"
        out += [lead + (paras[0] if paras else ""), *paras[1:]]
    return out


def expected(path: Path) -> Expected:
    d = load(path)
    campaign = load(DATA / "campaigns" / f"{d['campaign']}.yml")
    groups = {g["id"]: g for g in load(DATA / "groups.yml")["groups"]}
    units = {u["id"]: u for u in load(DATA / "units.yml")["units"]}
    materials = {m["id"]: m for m in load(DATA / "materials.yml")["materials"]}
    entry = next(e for e in campaign["roster"] if e["unit"] == d["unit"])
    headings: list[tuple[int, str]] = []
    body = _paragraphs(d["opening"])
    parts = [("一、工作开展情况及创新亮点做法", d["highlights"], "sections"),
             ("二、存在的问题和不足之处", d["problems"], "points"),
             ("三、下步工作打算", d["plans"], "sections")]
    for heading, part, kind in parts:
        headings.append((1, heading))
        body += _paragraphs(part.get("intro"))
        if kind == "points":
            body += _points(part["points"])
            continue
        for n, s in enumerate(part["sections"], start=1):
            headings.append((2, f"（{cn(n)}）{s['title']}"))
            body += _paragraphs(s.get("intro")) + _paragraphs(s.get("text"))
            body += _points(s.get("points") or [])
    y, m, day = d["submitted"].split("-")
    figures = [[f["label"], str(d["figures"][f["key"]]), f["unit"]]
               for f in campaign["figures"] if f["key"] in (d.get("figures") or {})]
    ledger = [[str(n), i["problem"], i["measure"], i.get("responsible_unit", ""),
               i.get("responsible_person", ""),
               i["deadline"] + (f"\n原文：{i['deadline_text']}" if i.get("deadline_text", i["deadline"]) != i["deadline"]
                                else ""),
               i["status"] + (f"\n{i['completed']}" if i.get("completed") else "")]
              for n, i in enumerate(d.get("ledger") or [], start=1)]
    mats = [[str(n), f"《{materials[m_]['title']}》", materials[m_]["category"],
             "必读" if materials[m_].get("required") else "选读"]
            for n, m_ in enumerate(d.get("materials") or [], start=1)]
    return Expected(
        report_id=f"{d['campaign']}/{d['unit']}",
        title=d.get("title") or campaign["report_title"],
        addressee=f"{campaign.get('addressee_prefix', '')}{groups[entry['group']]['name']}：",
        headings=headings,
        body=body,
        signature=d.get("signature") or f"中共{units[d['unit']]['party_org']}",
        date=f"{int(y)}年{int(m)}月{int(day)}日",
        figures=figures,
        ledger=ledger,
        materials=mats,
    )


# --- the model and the exported files -------------------------------------------------------


@pytest.fixture(scope="module")
def kb():
    knowledge_base, _ = build.load(DATA)
    return knowledge_base


@pytest.fixture(scope="module")
def exported(kb, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("docx")
    return {r.id: word.export_report(r, out / f"{r.campaign.id}-{r.unit.id}.docx")
            for r in kb.reports}


def report_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def test_every_example_report_is_exported(kb, exported):
    assert len(kb.reports) == len(REPORT_FILES) > 0
    assert sorted(exported) == sorted(report_id(p) for p in REPORT_FILES)


@pytest.mark.parametrize("path", REPORT_FILES, ids=report_id)
def test_docx_paragraphs_follow_the_data(path, exported):
    want = expected(path)
    doc = docx.Document(str(exported[want.report_id]))
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    by_style = lambda name: [p.text for p in paragraphs if p.style.name == name]  # noqa: E731
    assert by_style("Title") == [want.title]
    assert by_style("主送机关") == [want.addressee]
    headings = [(int(p.style.name[-1]), p.text) for p in paragraphs
                if p.style.name.startswith("Heading")]
    assert headings == want.headings
    assert [squash(t) for t in by_style("Normal")] == [squash(t) for t in want.body]
    assert by_style("落款") == [want.signature, want.date]
    # Every paragraph is one of the kinds above or the attachment parts: nothing unplaced.
    known = {"Title", "主送机关", "Heading 1", "Heading 2", "Normal", "落款", "附件说明",
             "附件标识", "附件标题"}
    assert {p.style.name for p in paragraphs} <= known


@pytest.mark.parametrize("path", REPORT_FILES, ids=report_id)
def test_docx_attachments_hold_figures_ledger_materials(path, exported):
    want = expected(path)
    doc = docx.Document(str(exported[want.report_id]))
    tables = {}
    labels = [p.text for p in doc.paragraphs if p.style.name == "附件标题"]
    assert len(labels) == len(doc.tables)
    for title, table in zip(labels, doc.tables, strict=True):
        tables[title] = [[c.text for c in row.cells] for row in table.rows]
    wanted = {"关键数据": ([["项目", "数量", "单位"]], want.figures),
              "整改台账": ([["序号", "问题", "整改措施", "责任单位", "责任人", "完成时限", "状态"]],
                       want.ledger),
              "学习材料": ([["序号", "材料名称", "类别", "要求"]], want.materials)}
    for title, (header, rows) in wanted.items():
        if rows:
            assert tables.pop(title) == header + rows
    assert tables == {}
    note = [p.text for p in doc.paragraphs if p.style.name == "附件说明"]
    numbered = [f"{n}．{t}" for n, t in enumerate(labels, start=1)]
    assert note == ([f"附件：{numbered[0]}", *numbered[1:]] if numbered else [])


def _fonts(style) -> dict[str, str]:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return {k: fonts.get(qn(f"w:{k}")) for k in ("ascii", "hAnsi", "eastAsia")}


STYLE_RULES = [
    # style, East Asian font, size, bold, alignment, first-line indent (pt)
    ("Title", "方正小标宋简体", 22, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    ("Heading 1", "黑体", 16, False, None, 32),
    ("Heading 2", "楷体", 16, False, None, 32),
    ("Normal", "仿宋", 16, False, WD_ALIGN_PARAGRAPH.JUSTIFY, 32),
    ("主送机关", "仿宋", 16, False, None, 0),
    ("落款", "仿宋", 16, False, WD_ALIGN_PARAGRAPH.RIGHT, 0),
    ("附件标识", "黑体", 16, False, None, 0),
    ("附件标题", "方正小标宋简体", 22, False, WD_ALIGN_PARAGRAPH.CENTER, 0),
    ("页码", "宋体", 14, False, None, 0),
]


@pytest.mark.parametrize("rule", STYLE_RULES, ids=[r[0] for r in STYLE_RULES])
def test_docx_styles_follow_gb_9704(rule, exported):
    name, font, size, bold, align, indent = rule
    doc = docx.Document(str(next(iter(exported.values()))))
    style = doc.styles[name]
    assert _fonts(style) == {"ascii": font, "hAnsi": font, "eastAsia": font}
    assert style.font.size == Pt(size)
    assert bool(style.font.bold) is bold
    assert style.font.color.rgb is None  # no theme colour left from the template
    fmt = style.paragraph_format
    if align is not None:
        assert fmt.alignment == align
    assert (fmt.first_line_indent or Pt(0)) == Pt(indent)


def test_docx_body_line_pitch_gives_22_lines(exported):
    doc = docx.Document(str(next(iter(exported.values()))))
    normal = doc.styles["Normal"].paragraph_format
    section = doc.sections[0]
    type_height = section.page_height - section.top_margin - section.bottom_margin
    assert normal.line_spacing_rule == 4  # EXACTLY
    assert int(type_height / normal.line_spacing) == 22


def test_docx_page_is_a4_with_official_margins(exported):
    for path in exported.values():
        section = docx.Document(str(path)).sections[0]
        assert (round(section.page_width.mm, 1), round(section.page_height.mm, 1)) == (210, 297)
        margins = (section.top_margin, section.bottom_margin, section.left_margin,
                   section.right_margin)
        assert [round(m.mm) for m in margins] == [37, 35, 28, 26]


def test_docx_footer_numbers_pages_odd_right_even_left(exported):
    doc = docx.Document(str(next(iter(exported.values()))))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        (paragraph,) = footer.paragraphs
        assert paragraph.alignment == align
        assert paragraph.text == "— 1 —"  # the PAGE field's cached result between dashes
        instructions = [e.text.strip() for e in paragraph._p.iter(qn("w:instrText"))]
        assert instructions == ["PAGE"]
        kinds = [e.get(qn("w:fldCharType")) for e in paragraph._p.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]


def test_docx_tables_keep_rows_whole_and_repeat_the_header(exported):
    doc = docx.Document(str(next(iter(exported.values()))))
    assert doc.tables
    for table in doc.tables:
        rows = table._tbl.tr_lst
        assert all(r.trPr is not None and r.trPr.find(qn("w:cantSplit")) is not None
                   for r in rows)
        assert rows[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(r.trPr.find(qn("w:tblHeader")) is None for r in rows[1:])


@pytest.mark.parametrize("signature, date, want", [
    # 13 characters over a date 6 characters wide: the signature 4 characters in, the
    # date centred under it (4 + 7/2).
    ("中共市发展和改革委员会党组", "2023-09-06", (4, 7.5)),
    # a date wider than the signature: the date 4 characters in.
    ("中共某某党组", "2023-12-26", (4.5, 4)),
])
def test_docx_signature_block_is_centred_four_characters_from_the_right(
        kb, tmp_path, signature, date, want):
    report = dataclasses.replace(kb.reports[0], signature=signature, submitted=date)
    doc = docx.Document(str(word.export_report(report, tmp_path / "s.docx")))
    lines = [p for p in doc.paragraphs if p.style.name == "落款"]
    assert [p.text for p in lines] == [signature, official_document(report).date]
    assert [p.paragraph_format.right_indent for p in lines] == [Pt(16 * w) for w in want]


def test_docx_core_properties_identify_the_report(kb, exported):
    for report in kb.reports:
        props = docx.Document(str(exported[report.id])).core_properties
        assert props.identifier == report.id
        assert props.title == report.title
        assert props.author == report.unit.name
        assert props.created.date().isoformat() == report.submitted


def test_docx_bytes_are_reproducible(kb):
    first, second = kb.reports[0], kb.reports[1]
    assert word.report_bytes(first) == word.report_bytes(first)
    assert word.report_bytes(first) != word.report_bytes(second)
    with zipfile.ZipFile(__import__("io").BytesIO(word.report_bytes(first))) as package:
        stamps = {i.date_time[:3] for i in package.infolist()}
        names = package.namelist()
    assert stamps == {tuple(int(x) for x in first.submitted.split("-"))}
    assert "docProps/thumbnail.jpeg" not in names and "word/stylesWithEffects.xml" not in names


def test_docx_without_ledger_figures_materials_has_no_attachments(kb, tmp_path):
    bare = dataclasses.replace(kb.reports[0], ledger=[], materials=[], figures={})
    doc = docx.Document(str(word.export_report(bare, tmp_path / "bare.docx")))
    assert doc.tables == []
    assert not [p for p in doc.paragraphs if p.style.name.startswith("附件")]
    assert [p.text for p in doc.paragraphs if p.style.name == "落款"][-1] == \
        official_document(bare).date


@pytest.mark.parametrize(("deadline", "wording", "cell"), [
    ("2023-12-31", "2023年12月底", "2023-12-31\n原文：2023年12月底"),
    ("长期坚持", "常态化推进、长期坚持", "长期坚持\n原文：常态化推进、长期坚持"),
    ("2024-03-31", "2024-03-31", "2024-03-31"),  # the same as the date: nothing to add
], ids=["approximate-date", "ongoing-word", "same"])
def test_docx_ledger_deadline_keeps_its_original_wording(kb, tmp_path, deadline, wording, cell):
    report = next(r for r in kb.reports if r.ledger)
    first = dataclasses.replace(report.ledger[0], deadline=deadline, deadline_text=wording)
    changed = dataclasses.replace(report, ledger=[first, *report.ledger[1:]])
    doc = docx.Document(str(word.export_report(changed, tmp_path / "ledger.docx")))
    ledger = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][5:6] == ["完成时限"])
    assert ledger.rows[1].cells[5].text == cell
    assert [r.cells[5].text for r in ledger.rows[2:]] == [i.deadline for i in report.ledger[1:]]


def test_docx_text_is_made_xml_safe(kb, tmp_path):
    nasty = dataclasses.replace(kb.reports[0], opening="控制字符\x08与<尖括号>&“引号”\x01。")
    doc = docx.Document(str(word.export_report(nasty, tmp_path / "nasty.docx")))
    normal = [p.text for p in doc.paragraphs if p.style.name == "Normal"]
    assert normal[0] == "控制字符与<尖括号>&“引号”。"


# --- Markdown prose → Word paragraphs (one case per construct) ------------------------------

PROSE_CASES = {
    "plain paragraphs": ("第一段。\n\n第二段。", [("body", "第一段。"), ("body", "第二段。")]),
    "line break inside Chinese joins": ("上一行\n下一行。", [("body", "上一行下一行。")]),
    "line break between Latin words is a space": ("ISO\n9001 认证", [("body", "ISO 9001 认证")]),
    "bold and italic": ("甲**乙**丙*丁*", [("body", "甲乙丙丁")]),
    "raw HTML stays text": ("<script>alert(1)</script>文字", [("body", "<script>alert(1)</script>文字")]),
    "bullet list": ("- 第一项\n- 第二项", [("item", "• 第一项"), ("item", "• 第二项")]),
    "numbered list": ("1. 第一项\n2. 第二项", [("item", "1. 第一项"), ("item", "2. 第二项")]),
    "table": ("| 甲 | 乙 |\n|---|---|\n| 1 | 2 |", [("table", [["甲", "乙"], ["1", "2"]])]),
    "admonition": ('!!! note "注意"\n    提示内容', [("note", "注意"), ("body", "提示内容")]),
    "demoted heading": ("# 小标题\n\n正文", [("heading", "小标题"), ("body", "正文")]),
    "link keeps its text": ("见[通知](https://example.org/a)。", [("body", "见通知。")]),
    "hard line break": ("第一行  \n第二行", [("body", "第一行\n第二行")]),
    "empty": ("  \n ", []),
}


@pytest.mark.parametrize("case", PROSE_CASES, ids=list(PROSE_CASES))
def test_prose_blocks(case):
    text, want = PROSE_CASES[case]
    got = []
    for block in prose.blocks(text):
        if isinstance(block, prose.Table):
            got.append(("table", block.rows))
        else:
            got.append((block.kind, block.text))
    assert got == want


def test_prose_bold_runs_are_kept():
    (block,) = prose.blocks("甲**乙**丙*丁*")
    assert [(r.text, r.bold, r.italic) for r in block.runs] == [
        ("甲", False, False), ("乙", True, False), ("丙", False, False), ("丁", False, True)]


def test_markdown_prose_reaches_word(kb, tmp_path):
    report = dataclasses.replace(
        kb.reports[0], opening="开头**加粗**。\n\n- 要点一\n- 要点二\n\n| 项目 | 数量 |\n|---|---|\n| 课题 | 6 |")
    doc = docx.Document(str(word.export_report(report, tmp_path / "md.docx")))
    normal = [p for p in doc.paragraphs if p.style.name == "Normal"]
    assert [p.text for p in normal[:3]] == ["开头加粗。", "• 要点一", "• 要点二"]
    assert [r.bold for r in normal[0].runs] == [None, True, None]
    assert [[c.text for c in row.cells] for row in doc.tables[0].rows] == [["项目", "数量"], ["课题", "6"]]


# --- site side: extras, post-build step, bundles ---------------------------------------------


def test_report_extras_link_word_file_and_bundle(kb):
    extras = downloads.report_extras(kb, SETTINGS)
    report = kb.report("2023-zhuti", "shi-fgw")
    assert extras[report.id]["official"] == {
        "docx": "shi-fgw.docx",
        "docx_name": "市发展和改革委员会2023年主题教育开展成效自查评估报告.docx",
        "bundle": "print/2023-zhuti/g1.md#shi-fgw",
    }


@pytest.mark.parametrize("name, want", [
    ("市/区:联合*办公室", "市_区_联合_办公室"),
    ('a"b<c>d|e?', "a_b_c_d_e_"),
])
def test_download_name_is_a_safe_file_name(kb, name, want):
    report = kb.reports[0]
    odd = dataclasses.replace(report, unit=dataclasses.replace(report.unit, name=name))
    assert downloads.download_name(odd) == f"{want}{report.title}.docx"


@pytest.mark.parametrize(("title", "want"), [
    ("2023年主题教育开展成效自查评估报告", "市财政局2023年主题教育开展成效自查评估报告.docx"),
    ("市财政局2023年主题教育开展成效自查评估报告", "市财政局2023年主题教育开展成效自查评估报告.docx"),
    ("中共市财政局党组关于主题教育的自查评估报告", "中共市财政局党组关于主题教育的自查评估报告.docx"),
], ids=["campaign-title", "starts-with-unit", "names-unit-inside"])
def test_download_name_names_the_unit_once(kb, title, want):
    report = next(r for r in kb.reports if r.unit.name == "市财政局")
    assert downloads.download_name(dataclasses.replace(report, title=title)) == want


def test_write_word_files_puts_docx_next_to_each_page(kb, tmp_path):
    for r in kb.reports:
        (tmp_path / r.url).mkdir(parents=True)
        (tmp_path / r.url / "index.html").write_text("<html></html>")
    wordfiles.write_word_files(kb, SETTINGS, tmp_path)
    for r in kb.reports:
        data = (tmp_path / r.url / f"{r.unit.id}.docx").read_bytes()
        assert data == word.report_bytes(r)


def test_write_word_files_fails_without_the_report_page(kb, tmp_path):
    with pytest.raises(RuntimeError, match="报告页面"):
        wordfiles.write_word_files(kb, SETTINGS, tmp_path)


def test_word_files_are_cached_by_content_only_while_serving(kb):
    report = kb.reports[0]
    plain = BuildCache()
    assert wordfiles.docx_bytes(report, plain) is not wordfiles.docx_bytes(report, plain)  # a build keeps none
    serve = incremental.ServeCache()
    first = wordfiles.docx_bytes(report, serve)
    assert wordfiles.docx_bytes(report, serve) is first
    changed = dataclasses.replace(report, opening=report.opening + "补充一句。")
    assert wordfiles.docx_bytes(changed, serve) is not first
    serve.sweep(wordfiles.DOCX_SPACE)  # both were used in this build: both kept
    assert wordfiles.docx_bytes(report, serve) is first
    serve.sweep(wordfiles.DOCX_SPACE)  # only the first was used since: the changed one goes
    assert len(serve._kept[wordfiles.DOCX_SPACE]) == 1


def test_one_bundle_per_group_and_campaign_holding_each_report_once(kb):
    pages = {p.src_uri: p.inline() for p in bundle.bundle_pages(kb, SETTINGS)}
    pairs = {(r.campaign.id, r.group.id) for r in kb.reports}
    assert set(pages) == {bundle.bundle_src(c, g) for c, g in pairs} | {bundle.INDEX}
    for r in kb.reports:
        holders = [src for src, text in pages.items()
                   if src.startswith(f"print/{r.campaign.id}/")
                   and f'<h2 class="kb-bundle__unit" id="{r.unit.id}">' in text]
        assert holders == [bundle.bundle_src(r.campaign.id, r.group.id)]
    for c, g in pairs:
        assert f"({bundle.bundle_src(c, g).removeprefix('print/')})" in pages[bundle.INDEX]


def test_bundle_html_escapes_the_data(kb):
    report = dataclasses.replace(kb.reports[0], opening="<b>粗</b> & “引号”",
                                 signature="中共<script>x</script>党组")
    html = bundle.document_html(official_document(report), "u")
    assert "&lt;b&gt;粗&lt;/b&gt; &amp; “引号”" in html
    assert "中共&lt;script&gt;x&lt;/script&gt;党组" in html and "<script>" not in html


@pytest.mark.parametrize("lead, bold, prose_text, want", [
    ("一是学习。", True, "内容。", "<p><strong>一是学习。</strong>内容。</p>"),
    ("一是", False, "内容。\n\n第二段。", "<p>一是内容。</p><p>第二段。</p>"),
    ("二是清单。", True, "- 甲\n- 乙", "<p><strong>二是清单。</strong></p><ul>"),
])
def test_bundle_lead_joins_the_first_paragraph(lead, bold, prose_text, want):
    from kb.official.document import Body

    assert bundle._body_html(Body(prose_text, lead, bold)).startswith(want)


def test_bundle_page_holds_every_paragraph_of_its_reports(kb):
    pages = {p.src_uri: p.inline() for p in bundle.bundle_pages(kb, SETTINGS)}
    for path in REPORT_FILES:
        want = expected(path)
        report = kb.report(*want.report_id.split("/"))
        page = squash(pages[bundle.bundle_src(report.campaign.id, report.group.id)])
        page = re.sub(r"<[^>]+>", "", page)  # text of the HTML
        for text in want.all_text():
            for line in text.split("\n"):
                item = re.sub(r"^(• |\d+\. )", "", line)  # list items are <li>
                assert squash(item) in page, (want.report_id, line)


def test_overlong_titles_are_cut_in_the_document_properties(kb, tmp_path) -> None:
    """python-docx refuses core properties over 255 characters; the export must not fail."""
    import dataclasses

    from kb.official.word import CORE_PROPERTY_LIMIT, export_report

    report = kb.reports[0]
    long = dataclasses.replace(report.unit, name="很长的单位名称" * 60)
    report = dataclasses.replace(report, title="标题" * 200, unit=long)
    path = export_report(report, tmp_path / "long.docx")
    props = docx.Document(str(path)).core_properties
    assert len(props.title) == CORE_PROPERTY_LIMIT and props.title.endswith("…")
    assert len(props.keywords) <= CORE_PROPERTY_LIMIT


def test_bundle_markdown_holds_markers_and_the_hooks_put_the_reports_back(kb):
    page = next(p for p in bundle.bundle_pages(kb, SETTINGS) if p.fragments)
    assert 'class="kb-doc kb-doc--official"' not in page.content  # Markdown never parses them
    assert page.content.count("<!-- kb-fragment ") == len(page.fragments)
    html = page.inline()
    assert html.count('class="kb-doc kb-doc--official"') == len(page.fragments)
    assert "<!-- kb-fragment " not in html
    assert expand_fragments("<p>&lt;!-- kb-fragment 0 --&gt;</p>", ("X",)) == (
        "<p>&lt;!-- kb-fragment 0 --&gt;</p>")  # an escaped marker in text stays text
