"""Import a self-assessment report written in Word (.docx) into a report data file.

Units write their reports in Word from the official template. The import runs in stages,
one module each:

* :mod:`.package` — is the file a Word package that may be read (size, parts, zip bombs,
  damaged parts)? Every refusal is a :class:`DocxError` in Chinese that quotes nothing
  of the file;
* :mod:`.read` — python-docx → blocks: paragraphs (text, outline level, bold spans, Word's
  automatic numbering resolved, soft line breaks split) and tables;
* :mod:`.attachments` — the rectification-ledger (:mod:`.ledger`), key-figures and
  study-material tables and their captions leave the flow; other tables stay as Markdown;
* :mod:`.frame` — title, addressee ``……第N指导组：``, signature and date lines;
* :mod:`.identify` — which campaign, unit and guidance group (via ``data/units.yml``);
* :mod:`.outline` — 一、二、三、 parts (by keyword, else by position), （一） sections with
  run-in or separate titles, 一是/二是… points with their lead sentence;
* :mod:`.figures` — the campaign's declared figures, from a table or out of template
  sentences such as ``领题调研6个课题``;
* :mod:`.result` — :class:`ImportResult` and the data file's text (:meth:`ImportResult.to_yaml`),
  checked against the loader's hard limits before it is written (:func:`output_problems`);
* :mod:`.importer` — :func:`parse` runs the stages; :func:`import_docx` reads a file;
  :func:`import_docx_limited` does it in a child process with time and memory bounds.

The stages share one :class:`~kb.contrib.docx.state.Work`; :mod:`.normalise` and
:mod:`.prose` hold the text helpers they all use. Anything the importer cannot place is
kept: it is reported with the paragraph's text and written as comments at the end of the
data file. No MkDocs imports here; this package imports kb.data, kb.text and the other
contributors' tools (:mod:`kb.contrib.reportyaml`, :mod:`kb.contrib.scaffold`,
:mod:`kb.contrib.reference`).
"""

from __future__ import annotations

from kb.contrib.docx.importer import (
    import_docx,
    import_docx_limited,
    parse,
    report_path,
    run_limited,
    validate_report,
)
from kb.contrib.docx.package import LIMITS, DocxError, Limits, check_package
from kb.contrib.docx.read import read_docx
from kb.contrib.docx.result import ImportResult, format_problem, output_problems

__all__ = [
    "LIMITS",
    "DocxError",
    "ImportResult",
    "Limits",
    "check_package",
    "format_problem",
    "import_docx",
    "import_docx_limited",
    "output_problems",
    "parse",
    "read_docx",
    "report_path",
    "run_limited",
    "validate_report",
]
