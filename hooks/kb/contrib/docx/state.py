"""What the stages of one import share: the blocks, what has been found so far, the problems.

:class:`Work` is handed from stage to stage (frame → identify → outline → attachments,
figures, ledger); each stage reads the blocks, marks the ones it consumed in ``used``
and records :class:`~kb.data.problems.Problem` records whose rule ids are registered in
``kb.data.rules.IMPORT`` (``rules.IMPORT_…``). Prose leaves here as inert Markdown with its punctuation tidied
(:meth:`Work.prose_spans`), counted for one summary note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.contrib.docx.normalise import tidy_prose
from kb.contrib.docx.prose import Span, markdown_blocks
from kb.contrib.docx.read import Block, Para, Table
from kb.contrib.reference import Reference
from kb.data.problems import Problem
from kb.data.rules import Rule

UNNAMED = "Word 文件"  # the file a problem names when the importer was not told its name


def finding(rule: Rule, message: str, *, source: str = "", text: str = "", where: int = 0) -> Problem:
    """A problem of the import: a rule of the registry (``kb.data.rules.IMPORT_…``) with its
    level, the Word file's name as the file, the paragraph (第 N 段) as the path and the Word
    text it is about as ``found`` (shown as 原文, kept whole in the data file for a leftover)."""
    return Problem.of(rule, source or UNNAMED, 0, 0, message, path=f"第 {where} 段" if where else "", found=text)


@dataclass
class Work:
    """One document being imported: its blocks, the reference data and everything found."""

    blocks: list[Block]
    ref: Reference
    levels: dict[int, str]  # outline level of a heading style → "part" / "section"
    today: str
    source: str = ""  # the Word file's name
    campaign_id: str = ""
    unit_id: str = ""
    submitted: str = ""
    signature: str = ""
    problems: list[Problem] = field(default_factory=list)
    unmapped: list[Problem] = field(default_factory=list)  # text kept as comments in the data file
    ledger: list[dict] = field(default_factory=list)
    punct_fixes: int = 0
    used: set[int] = field(default_factory=set)  # ids of blocks consumed by title/addressee/trailer/captions
    table_figures: dict[str, int] = field(default_factory=dict)
    table_materials: list[str] = field(default_factory=list)
    pending_figures: list[Table] = field(default_factory=list)

    @property
    def campaign(self) -> dict:
        """The campaign's data, or {} while it is unknown."""
        return self.ref.campaigns.get(self.campaign_id) or {}

    def say(self, rule: Rule, message: str, text: str = "", where: int = 0) -> None:
        """A problem about ``text`` (paragraph number ``where``, 0 = not tied to one)."""
        self.problems.append(finding(rule, message, source=self.source, text=text, where=where))

    def note(self, rule: Rule, message: str, para: Para | None = None) -> None:
        """A problem about the paragraph ``para``, or about the document as a whole."""
        self.say(rule, message, para.text if para else "", para.number if para else 0)

    def keep(self, rule: Rule, message: str, text: str, where: int = 0) -> None:
        """``text`` could not be placed in the outline: it is kept as a comment in the file."""
        self.unmapped.append(finding(rule, message, source=self.source, text=text, where=where))

    def leftover(self, rule: Rule, message: str, block: Block) -> None:
        """The whole ``block`` could not be placed in the outline (see :meth:`keep`)."""
        text = block.text if isinstance(block, Para) else "\n".join(" | ".join(r) for r in block.rows)
        self.keep(rule, message, text, block.number)

    def prose_spans(self, spans: list[Span]) -> str:
        """Markdown prose from paragraphs: text made inert, • / 1. paragraphs as lists."""
        blocks = markdown_blocks(spans)
        out = ""
        previous = ""
        for kind, text in blocks:
            fixed, count = tidy_prose(text) if kind != "table" else (text, 0)
            self.punct_fixes += count
            if out:
                out += "\n" if kind == previous and kind in {"ul", "ol"} else "\n\n"
            out += fixed
            previous = kind
        return out

    def inline(self, text: str) -> str:
        fixed, count = tidy_prose(text)
        self.punct_fixes += count
        return fixed
