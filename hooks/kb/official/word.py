"""Word (.docx) export of a report in the GB/T 9704-2012 layout, with python-docx.

:func:`export_report` writes one report; the Word importer of the contributors' issue
round-trips against it. What the file holds (see :mod:`kb.official.document` for the order):

* A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; odd/even footers with the
  page number "— N —" (a PAGE field, 四号 宋体, odd pages right, even pages left).
* Paragraph styles: ``Title`` (二号 22 pt, 方正小标宋简体, centred), ``Heading 1`` (一、 黑体
  16 pt), ``Heading 2`` (（一） 楷体 16 pt), ``Normal`` (仿宋 16 pt, first line indented two
  characters, exact line pitch of 22 lines a page), and 主送机关, 附件说明, 落款, 附件标识,
  附件标题, 表格文字. Fonts are set by name for ASCII and East Asian text (``w:eastAsia``);
  the font table names a common fallback for each (``w:altName``).
* Core properties: title, author (unit), subject (campaign name), category (campaign short
  name) and ``identifier`` = report id ``<campaign>/<unit>``; created/modified = the
  report date. Zip entries carry that date too, so the same report gives the same bytes.
* Attachments after the signature, each on a new page: 附件1 关键数据 (项目 | 数量 | 单位),
  then 整改台账 (序号 | 问题 | 整改措施 | 责任单位 | 责任人 | 完成时限 | 状态; a finished
  item's status reads ``已完成``, a line break, ``2023-07-28``; a deadline kept with its original
  wording reads ``2023-12-31``, a line break, ``原文：2023年12月底``), then 学习材料 (序号 | 材料名称
  | 类别 | 要求), each only when the report has any, numbered in that order.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import docx
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from kb.data.model import Report
from kb.official import prose
from kb.official.document import Attachment, Body, Heading, OfficialDocument, official_document

# Fonts by name (what Chinese Windows/WPS machines have), with the fallback Word substitutes.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋"
HEI_FONT = "黑体"
KAI_FONT = "楷体"
PAGE_NUMBER_FONT = "宋体"
FONT_FALLBACKS = {
    TITLE_FONT: "宋体",
    BODY_FONT: "FangSong",
    HEI_FONT: "SimHei",
    KAI_FONT: "KaiTi",
    PAGE_NUMBER_FONT: "SimSun",
}

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}
FOOTER_DISTANCE = Mm(21)
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(12)  # 小四
SMALL_TABLE_SIZE = Pt(10.5)  # 五号, for the seven-column ledger
LINE_PITCH = Pt(28.9)  # 225 mm type area / 22 lines
CHAR = BODY_SIZE  # one character of body text

STYLE_ADDRESSEE = "主送机关"
STYLE_ATTACHMENT_NOTE = "附件说明"
STYLE_SIGNATURE = "落款"
STYLE_ATTACHMENT_LABEL = "附件标识"
STYLE_ATTACHMENT_TITLE = "附件标题"
STYLE_TABLE = "表格文字"
STYLE_TABLE_SMALL = "表格文字（五号）"
STYLE_PAGE_NUMBER = "页码"

# Column widths (mm) of the attachment tables; the type area is 156 mm wide.
COLUMN_WIDTHS = {
    "figures": [96, 30, 30],
    "ledger": [10, 28, 37, 20, 15, 23, 23],
    "materials": [14, 86, 28, 28],
}
TYPE_WIDTH_MM = 156


# ---------------------------------------------------------------- styles


def _set_fonts(rpr, name: str) -> None:
    """One font for ASCII, East Asian and complex text (theme fonts removed)."""
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")
    rpr.insert(0, fonts)


def _reset(style) -> None:
    """Drop the template's look (theme fonts, colours, borders, spacing) from a style."""
    element = style.element
    for tag in ("w:pPr", "w:rPr", "w:link"):
        for old in element.findall(qn(tag)):
            element.remove(old)


def _paragraph_style(doc, name: str, font: str, size: Pt, *, align=None, first_line=None,
                     base: str | None = "Normal", line=LINE_PITCH, keep_next=False,
                     outline: int | None = None):
    try:
        style = doc.styles[name]
        _reset(style)
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if base:
        style.base_style = doc.styles[base]
    style.quick_style = True
    _set_fonts(style.element.get_or_add_rPr(), font)
    style.font.size = size
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = None
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = line
    fmt.first_line_indent = first_line
    fmt.widow_control = True
    if align is not None:
        fmt.alignment = align
    if keep_next:
        fmt.keep_with_next = True
    if outline is not None:
        ppr = style.element.get_or_add_pPr()
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        ppr.append(level)
    return style


def _doc_defaults(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, BODY_FONT)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(int(BODY_SIZE.pt * 2)))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    theme_lang = doc.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")


def _styles(doc) -> None:
    _doc_defaults(doc)
    two_chars = Pt(CHAR.pt * 2)
    normal = _paragraph_style(doc, "Normal", BODY_FONT, BODY_SIZE, base=None,
                              align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line=two_chars)
    # Indent by characters as well (Word keeps two characters if the size changes).
    normal.element.get_or_add_pPr().get_or_add_ind().set(qn("w:firstLineChars"), "200")
    _paragraph_style(doc, "Title", TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER,
                     first_line=Pt(0), line=Pt(36), keep_next=True)
    doc.styles["Title"].paragraph_format.space_after = LINE_PITCH
    _paragraph_style(doc, "Heading 1", HEI_FONT, BODY_SIZE, first_line=two_chars,
                     keep_next=True, outline=0)
    _paragraph_style(doc, "Heading 2", KAI_FONT, BODY_SIZE, first_line=two_chars,
                     keep_next=True, outline=1)
    _paragraph_style(doc, STYLE_ADDRESSEE, BODY_FONT, BODY_SIZE, first_line=Pt(0))
    note = _paragraph_style(doc, STYLE_ATTACHMENT_NOTE, BODY_FONT, BODY_SIZE, first_line=Pt(0))
    note.paragraph_format.left_indent = Pt(CHAR.pt * 5)  # "附件：" hangs out of it
    _paragraph_style(doc, STYLE_SIGNATURE, BODY_FONT, BODY_SIZE, first_line=Pt(0),
                     align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph_style(doc, STYLE_ATTACHMENT_LABEL, HEI_FONT, BODY_SIZE, first_line=Pt(0),
                     keep_next=True)
    title = _paragraph_style(doc, STYLE_ATTACHMENT_TITLE, TITLE_FONT, TITLE_SIZE,
                             align=WD_ALIGN_PARAGRAPH.CENTER, first_line=Pt(0), line=Pt(36),
                             keep_next=True)
    title.paragraph_format.space_before = LINE_PITCH
    title.paragraph_format.space_after = LINE_PITCH
    _paragraph_style(doc, STYLE_TABLE, BODY_FONT, TABLE_SIZE, first_line=Pt(0), line=Pt(18),
                     align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph_style(doc, STYLE_TABLE_SMALL, BODY_FONT, SMALL_TABLE_SIZE, first_line=Pt(0),
                     line=Pt(15), align=WD_ALIGN_PARAGRAPH.LEFT, base=STYLE_TABLE)
    _paragraph_style(doc, STYLE_PAGE_NUMBER, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE,
                     first_line=Pt(0), line=Pt(20), base="Footer")


def _font_table(doc) -> None:
    """Declare the Chinese fonts with the font Word substitutes when one is missing."""
    font_part = next(
        (p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"),
        None,
    )
    if font_part is None:
        return
    root = etree.fromstring(font_part.blob)
    known = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, alt in FONT_FALLBACKS.items():
        if name in known:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, val in (("w:altName", alt), ("w:charset", "86"), ("w:family", "auto"),
                         ("w:pitch", "variable")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), val)
    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                     standalone=True)


# ---------------------------------------------------------------- page and footer


def _page(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin = MARGINS["top"]
    section.bottom_margin = MARGINS["bottom"]
    section.left_margin = MARGINS["left"]
    section.right_margin = MARGINS["right"]
    section.footer_distance = FOOTER_DISTANCE
    section.header_distance = Mm(15)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str) -> None:
    """A complex field (begin, instruction, separate, cached result, end)."""

    def char(kind: str):
        run = paragraph.add_run()
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        run._r.append(fld)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _page_number(paragraph: DocxParagraph, align) -> None:
    """"— N —", one character in from the outer edge (GB/T 9704 7.5)."""
    paragraph.style = STYLE_PAGE_NUMBER
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = PAGE_NUMBER_SIZE
    else:
        fmt.left_indent = PAGE_NUMBER_SIZE
    paragraph.add_run("— ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" —")


DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
# Parts of the python-docx default template no current Word reads (Word 2010 effects,
# customXml of the template's author) and its preview picture of an empty page.
_DROPPED_RELS = ("/stylesWithEffects", "/customXml", "/thumbnail")


KEPT_STYLES = {"Normal", "Title", "Heading 1", "Heading 2", "Footer", "Table Grid"}


def _prune_styles(doc) -> None:
    """Keep the styles the export uses (and what they are based on) and the defaults.

    The default template carries ~160 styles (350 KB of XML) that every file would repeat;
    Word still offers its built-in styles through the latent style list.
    """
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    names = {s.get(qn("w:styleId")): s.find(qn("w:name")).get(qn("w:val"))
             for s in by_id.values()}
    ui = {"heading 1": "Heading 1", "heading 2": "Heading 2", "footer": "Footer"}
    keep = {sid for sid, s in by_id.items()
            if s.get(qn("w:default")) == "1" or ui.get(names[sid], names[sid]) in KEPT_STYLES
            or not names[sid].isascii()}
    pending = list(keep)
    while pending:
        element = by_id[pending.pop()]
        for ref in ("w:basedOn", "w:next"):
            target = element.find(qn(ref))
            if target is not None and target.get(qn("w:val")) not in keep:
                keep.add(target.get(qn("w:val")))
                pending.append(target.get(qn("w:val")))
    for sid, element in by_id.items():
        if sid not in keep:
            styles.remove(element)


@dataclass(frozen=True)
class _Template:
    """The python-docx package with the GB/T 9704 styles, page and footers, as zip members.

    Every report shares all members but the body (document.xml) and the core properties.
    """

    members: tuple[tuple[str, bytes], ...]
    style_ids: dict[str, str]

    def member(self, name: str) -> bytes:
        return dict(self.members)[name]


@cache
def _template() -> _Template:
    doc = docx.Document()
    for owner in (doc.part.package, doc.part):
        for rid in [k for k, r in owner.rels.items() if r.reltype.endswith(_DROPPED_RELS)]:
            owner.rels.pop(rid)
    _styles(doc)
    _font_table(doc)
    _page(doc)
    _prune_styles(doc)
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        members = tuple((i.filename, package.read(i.filename)) for i in package.infolist())
    return _Template(members, {s.name: s.style_id for s in doc.styles})


def _style_ids() -> dict[str, str]:
    return _template().style_ids


# ---------------------------------------------------------------- content
# The body is written as WordprocessingML text into the template's document.xml:
# python-docx's object API costs ~60 ms a report in look-ups, lxml elements of its
# custom classes ~20 ms, text a few.

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return xml_escape(_XML_INVALID.sub("", text))


def _attrs(**attrs: str) -> str:
    return "".join(f' w:{k}="{xml_escape(v, {chr(34): "&quot;"})}"' for k, v in attrs.items())


def _twips(length) -> str:
    return str(int(round(length.pt * 20)))


def _runs_xml(runs: list[prose.Run]) -> str:
    out = []
    for run in runs:
        props = ("<w:b/><w:bCs/>" if run.bold else "") + ("<w:i/>" if run.italic else "")
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        for i, text in enumerate(run.text.split("\n")):
            br = "<w:br/>" if i else ""
            t = f'<w:t xml:space="preserve">{_xml_text(text)}</w:t>' if text else ""
            out.append(f"<w:r>{rpr}{br}{t}</w:r>")
    return "".join(out)


class _Body:
    """Collects the paragraphs and tables of the body as WordprocessingML text."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.ids = _style_ids()

    def paragraph_xml(self, style: str, runs: list[prose.Run], **fmt) -> str:
        ppr = [f'<w:pStyle w:val="{self.ids[style]}"/>']
        if fmt.get("page_break"):
            ppr.append("<w:pageBreakBefore/>")
        if "before" in fmt:
            ppr.append(f"<w:spacing{_attrs(before=_twips(fmt['before']))}/>")
        ind = {k: _twips(fmt[k]) for k in ("right", "left") if k in fmt}
        if "first_line" in fmt:
            key = "firstLine" if fmt["first_line"].pt >= 0 else "hanging"
            ind[key] = _twips(Pt(abs(fmt["first_line"].pt)))
        if ind:
            ppr.append(f"<w:ind{_attrs(**ind)}/>")
        return f"<w:p><w:pPr>{''.join(ppr)}</w:pPr>{_runs_xml(runs)}</w:p>"

    def paragraph(self, style: str, runs: list[prose.Run], **fmt) -> None:
        self.parts.append(self.paragraph_xml(style, runs, **fmt))

    def text(self, style: str, text: str, **fmt) -> None:
        self.paragraph(style, [prose.Run(text)], **fmt)

    def table(self, header: list[str] | None, rows: list[list[str]],
              widths_mm: list[float] | None = None, small: bool = False) -> None:
        """A bordered table; rows never split across pages, the header repeats on each page."""
        style = STYLE_TABLE_SMALL if small else STYLE_TABLE
        margin = 57 if small else 108  # twips left and right in a cell
        columns = max([len(header or [])] + [len(r) for r in rows] or [1])
        widths = [_twips(Mm(w)) for w in (widths_mm or [TYPE_WIDTH_MM / columns] * columns)]
        out = [
            "<w:tbl><w:tblPr>",
            f'<w:tblStyle w:val="{self.ids["Table Grid"]}"/>',
            f'<w:tblW w:w="{sum(int(w) for w in widths)}" w:type="dxa"/>',
            '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>',
            f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/>'
            f'<w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>',
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
            'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
            *(f'<w:gridCol w:w="{w}"/>' for w in widths),
            "</w:tblGrid>",
        ]
        for index, values in enumerate(([header] if header else []) + rows):
            is_header = bool(header) and index == 0
            out.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if is_header else "")
                       + "</w:trPr>")
            for value, width in zip(values + [""] * columns, widths, strict=False):
                cell = self.paragraph_xml(style, [prose.Run(value, is_header)])
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
                           f"{cell}</w:tc>")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.parts.append("".join(out))

    def prose(self, part: Body) -> None:
        blocks = prose.blocks(part.prose)
        lead = [prose.Run(part.lead, part.lead_bold)] if part.lead else []
        if lead and not (blocks and isinstance(blocks[0], prose.Paragraph)):
            blocks.insert(0, prose.Paragraph([]))
        for n, block in enumerate(blocks):
            if isinstance(block, prose.Table):
                header = block.rows[0] if block.header and block.rows else None
                self.table(header, block.rows[1:] if header else block.rows)
                continue
            runs = block.runs
            if block.kind in {"heading", "note"}:
                runs = [prose.Run(r.text, True, r.italic) for r in runs]
            self.paragraph("Normal", (lead if n == 0 else []) + runs)


def _width(text: str) -> float:
    """Width in characters: full-width 1, half-width (digits, Latin) ½."""
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def _signature(out: _Body, signature: str, date: str) -> None:
    """落款 and date, right-aligned four characters in, each centred on the wider of the two."""
    wider = max(_width(signature), _width(date))
    for n, text in enumerate((signature, date)):
        fmt = {"right": Pt(CHAR.pt * (4 + (wider - _width(text)) / 2))}
        if n == 0:
            fmt["before"] = Pt(LINE_PITCH.pt * 2)
        out.text(STYLE_SIGNATURE, text, **fmt)


def _attachment_note(out: _Body, official: OfficialDocument) -> None:
    """附件：1．关键数据 — two characters in; later lines align under "1．"."""
    for n, line in enumerate(official.attachment_note):
        if n == 0:
            out.text(STYLE_ATTACHMENT_NOTE, f"附件：{line}", first_line=Pt(-CHAR.pt * 3),
                     before=LINE_PITCH)
        else:
            out.text(STYLE_ATTACHMENT_NOTE, line)


DEADLINE_COLUMN = 5  # 完成时限 in the ledger's rows
DEADLINE_WORDING = "原文："  # before a deadline's original wording (deadline_text); the importer reads it back


def _with_wording(rows: list[list[str]], report: Report) -> list[list[str]]:
    """Ledger rows whose deadline keeps its original wording on a second line: ``原文：2023年12月底``."""
    return [row[:DEADLINE_COLUMN] + [f"{row[DEADLINE_COLUMN]}\n{DEADLINE_WORDING}{item.deadline_note}"]
            + row[DEADLINE_COLUMN + 1:] if item.deadline_note else row
            for row, item in zip(rows, report.ledger, strict=True)]


def _attachment(out: _Body, attachment: Attachment, report: Report) -> None:
    ledger = attachment.anchor == "ledger"
    out.text(STYLE_ATTACHMENT_LABEL, attachment.label, page_break=True)
    out.text(STYLE_ATTACHMENT_TITLE, attachment.title)
    out.table(attachment.header, _with_wording(attachment.rows, report) if ledger else attachment.rows,
              COLUMN_WIDTHS.get(attachment.anchor), small=ledger)


CORE_PROPERTY_LIMIT = 255  # python-docx refuses longer core properties


def _fit(text: str) -> str:
    return text if len(text) <= CORE_PROPERTY_LIMIT else text[: CORE_PROPERTY_LIMIT - 1] + "…"


def _core_properties(props: CoreProperties, report: Report) -> None:
    moment = dt.datetime.fromisoformat(report.submitted[:10]).replace(tzinfo=dt.UTC)
    props.title = _fit(report.title)
    props.author = _fit(report.unit.name)
    props.last_modified_by = _fit(report.unit.name)
    props.subject = _fit(report.campaign.name)
    props.category = _fit(report.campaign.short_name)
    props.identifier = _fit(report.id)
    props.keywords = _fit(f"{report.campaign.short_name} {report.group.name} {report.unit.name}")
    props.comments = "由主题教育自查评估报告知识库生成"
    props.language = "zh-CN"
    props.created = props.modified = moment
    props.revision = 1


def _body_xml(official: OfficialDocument) -> bytes:
    out = _Body()
    out.text("Title", official.title)
    out.text(STYLE_ADDRESSEE, official.addressee)
    for part in official.body:
        if isinstance(part, Heading):
            out.text(f"Heading {part.level}", part.text)
        else:
            out.prose(part)
    _attachment_note(out, official)
    _signature(out, official.signature, official.date)
    for attachment in official.attachments:
        _attachment(out, attachment, official.report)
    head, sect, tail = _template().member(DOCUMENT_PART).decode("utf-8").partition("<w:sectPr")
    return (head + "".join(out.parts) + sect + tail).encode("utf-8")


def _core_xml(report: Report) -> bytes:
    element = parse_xml(_template().member(CORE_PART))
    _core_properties(CoreProperties(element), report)
    return serialize_part_xml(element)


def report_bytes(report: Report) -> bytes:
    """The .docx file of one report. Only the body and the core properties are made per
    report; every zip entry is dated with the report date, so the bytes are reproducible."""
    replaced = {DOCUMENT_PART: _body_xml(official_document(report)), CORE_PART: _core_xml(report)}
    return _package(replaced, report.submitted)


# Other features write their documents in the same layout (kb.upward's drafted summaries):
# a Writer collects the body, write_signature puts the 落款, document_bytes packs the file.
Writer = _Body
write_signature = _signature


def document_bytes(body: _Body, core: Callable[[CoreProperties], None], iso_date: str) -> bytes:
    """A .docx of the template with ``body``; ``core`` sets its core properties (created and
    modified are ``iso_date``, which also dates every zip entry)."""
    head, sect, tail = _template().member(DOCUMENT_PART).decode("utf-8").partition("<w:sectPr")
    element = parse_xml(_template().member(CORE_PART))
    props = CoreProperties(element)
    core(props)
    props.created = props.modified = dt.datetime.fromisoformat(iso_date[:10]).replace(tzinfo=dt.UTC)
    props.revision = 1
    replaced = {DOCUMENT_PART: (head + "".join(body.parts) + sect + tail).encode("utf-8"),
                CORE_PART: serialize_part_xml(element)}
    return _package(replaced, iso_date)


def _package(replaced: dict[str, bytes], iso_date: str) -> bytes:
    moment = dt.date.fromisoformat(iso_date[:10])
    stamp = (max(moment.year, 1980), moment.month, moment.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in _template().members:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            package.writestr(entry, replaced.get(name, data))
    return out.getvalue()


def build_document(report: Report):
    """The report as a python-docx Document (opened from :func:`report_bytes`)."""
    return docx.Document(io.BytesIO(report_bytes(report)))


def export_report(report: Report, path: Path | str) -> Path:
    """Write the report as a .docx file at ``path``; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(report_bytes(report))
    return path
