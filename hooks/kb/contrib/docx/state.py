"""What the stages of one import share: the blocks, what has been found so far, the notes.

:class:`Work` is handed from stage to stage (frame → identify → outline → attachments,
figures, ledger); each stage reads the blocks, marks the ones it consumed in ``used``
and records notes. Prose leaves here as inert Markdown with its punctuation tidied
(:meth:`Work.prose_spans`), counted for one summary note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kb.contrib.docx.normalise import shorten, tidy_prose
from kb.contrib.docx.prose import Span, markdown_blocks
from kb.contrib.docx.read import Block, Para, Table
from kb.contrib.reference import Reference

ERROR = "error"
WARNING = "warning"
INFO = "info"
LEVEL_ZH = {ERROR: "错误", WARNING: "注意", INFO: "说明"}


@dataclass(frozen=True)
class Note:
    """Something the importer could not map, or had to assume; ``text`` is the paragraph."""

    level: str
    message: str
    text: str = ""
    where: int = 0  # paragraph number (第 N 段), 0 = not tied to one

    def format(self) -> str:
        where = f"第 {self.where} 段：" if self.where else ""
        text = f"\n    原文：{shorten(self.text)}" if self.text else ""
        return f"[{LEVEL_ZH[self.level]}] {where}{self.message}{text}"


@dataclass
class Work:
    """One document being imported: its blocks, the reference data and everything found."""

    blocks: list[Block]
    ref: Reference
    levels: dict[int, str]  # outline level of a heading style → "part" / "section"
    today: str
    campaign_id: str = ""
    unit_id: str = ""
    submitted: str = ""
    signature: str = ""
    notes: list[Note] = field(default_factory=list)
    unmapped: list[Note] = field(default_factory=list)
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

    def say(self, level: str, message: str, text: str = "", where: int = 0) -> None:
        """A note on ``text`` (the paragraph number ``where``, 0 = not tied to one)."""
        self.notes.append(Note(level, message, text, where))

    def note(self, level: str, message: str, para: Para | None = None) -> None:
        """A note on the paragraph ``para``, or on the document as a whole."""
        self.say(level, message, para.text if para else "", para.number if para else 0)

    def keep(self, message: str, text: str, where: int = 0) -> None:
        """``text`` could not be placed in the outline: it is kept as a comment in the file."""
        self.unmapped.append(Note(WARNING, message, text, where))

    def leftover(self, message: str, block: Block) -> None:
        """The whole ``block`` could not be placed in the outline (see :meth:`keep`)."""
        text = block.text if isinstance(block, Para) else "\n".join(" | ".join(r) for r in block.rows)
        self.keep(message, text, block.number)

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
