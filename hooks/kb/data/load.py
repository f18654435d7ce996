"""The validator (load and check the data tree) shared by the build, ``scripts/validate.py``, previews and tests.

:func:`load_and_validate` loads every data file safely (:mod:`kb.data.yamlsafe`), checks it
against its JSON Schema (:mod:`kb.data.schema`), then runs the checks a schema cannot
express (:mod:`kb.data.checks`): file names and layout, references between files
(campaign, unit, group, batch, material ids), duplicates, the figures a campaign declares,
template placeholders left in the text, prose, and consistency warnings. Every finding is
a :class:`~kb.data.problems.Problem` with file, line, column and a Chinese message;
nothing raises on bad data. Many reports are checked in forked worker processes.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kb.data import confine, rules
from kb.data import schema as schemas
from kb.data.checks import files, prose, refs, report, text
from kb.data.checks.base import Collector
from kb.data.checks.refs import Index
from kb.data.problems import Problem, sort_problems
from kb.data.raw import RawData
from kb.data.yamlsafe import SourceDoc, load_yaml


class _Validator:
    """Loads single files: safe YAML, modeline, schema, ambiguous integers, prose."""

    def __init__(self, data_dir: Path, schema_dir: Path | None) -> None:
        self.data_dir = data_dir
        self.schema_dir = schema_dir or data_dir / "schema"
        self.out = Collector(data_dir.parent)
        self.compiled, schema_problems = schemas.load_schemas(self.schema_dir)
        self.enums = schemas.enums_of(self.compiled)  # of this data dir's schemas, not the repository's
        self.ledger = report.LedgerTerms.of(self.compiled)
        self.markdown: dict[str, set[tuple]] = {}  # file kind -> Markdown field patterns
        self.out.problems += schema_problems

    def load(self, path: Path, kind: str) -> SourceDoc | None:
        doc, problems = load_yaml(path, self.out.rel(path))
        self.out.problems += problems
        if doc is None:
            return None
        files.check_modeline(self.out, doc, self.schema_dir, kind)
        compiled = self.compiled.get(kind)
        before = len(self.out.problems)
        if compiled is not None:
            self.out.problems += schemas.check(doc, compiled)
        flagged = {p.path for p in self.out.problems[before:]}
        files.check_ambiguous_ints(self.out, doc, flagged)
        prose.check_doc(self.out, doc, self._markdown(kind))
        return doc

    def _markdown(self, kind: str) -> set[tuple]:
        """The Markdown field patterns of a file kind (from its schema, once per run)."""
        if kind not in self.markdown:
            compiled = self.compiled.get(kind)
            self.markdown[kind] = prose.markdown_paths(compiled.schema) if compiled else set()
        return self.markdown[kind]

    def shared(self, kind: str) -> SourceDoc | None:
        path = files.shared_file(self.out, self.data_dir, kind)
        return None if path is None else self.load(path, kind)


PARALLEL_MIN_REPORTS = 200  # below this, starting worker processes costs more than it saves


@dataclass
class _Claim:
    """The (campaign, unit) a report claims, to find two reports for the same unit."""

    campaign: str
    unit: str
    rel: str
    mark: tuple[int, int]


_ReportResult = tuple[SourceDoc | None, list[Problem], _Claim | None]
_WORKER: tuple[_Validator, Index, bool, bool] | None = None  # set before forking workers


def slimmed(doc: SourceDoc) -> SourceDoc:
    """``doc`` without what only the checks use (marks, scalars, source lines): it keeps
    about a quarter of the memory a checked report holds (the build needs its data only)."""
    return SourceDoc(path=doc.path, rel=doc.rel, data=doc.data, marks={})


def _process_report(run: _Validator, index: Index, path: Path, slim: bool = False) -> _ReportResult:
    """Load and check one report: (document, its problems, its claim); ``slim``: the
    document as :func:`slimmed`."""
    start = len(run.out.problems)
    doc = run.load(path, "report")
    claim = None
    if doc is not None:
        cid, unit, info, entry = refs.check_report(run.out, doc, index)
        report.check_report(run.out, doc, info, entry, index, run.ledger)
        text.check_numbering(run.out, doc)
        text.check_placeholders(run.out, doc)
        claim = _Claim(cid, unit, doc.rel, doc.mark(("unit",)))
    problems = run.out.problems[start:]
    del run.out.problems[start:]
    return (slimmed(doc) if slim and doc is not None else doc), problems, claim


def _work(chunk: list[Path]) -> list[_ReportResult]:
    """Worker process: check a chunk of reports with the forked validator and index."""
    assert _WORKER is not None
    run, index, keep_docs, slim = _WORKER
    results = [_process_report(run, index, path, slim) for path in chunk]
    return results if keep_docs else [(None, problems, claim) for _doc, problems, claim in results]


def _process_reports(run: _Validator, index: Index, paths: list[Path], jobs: int, keep_docs: bool,
                     slim: bool = False) -> list[_ReportResult]:
    global _WORKER
    if jobs <= 1 or len(paths) < PARALLEL_MIN_REPORTS or "fork" not in multiprocessing.get_all_start_methods():
        return [_process_report(run, index, path, slim) for path in paths]
    size = max(16, len(paths) // (jobs * 4))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    _WORKER = (run, index, keep_docs, slim)
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            return [result for part in pool.map(_work, chunks) for result in part]
    finally:
        _WORKER = None


def _refused(data_dir: Path, only: Iterable[Path] | None, schema_dir: Path | None) -> list[Problem]:
    """Symlinks and special files in the data tree, the schema folder or the given reports."""
    root = data_dir.parent
    problems = confine.scan(data_dir, root)
    if schema_dir is not None:
        problems += confine.scan(Path(os.path.abspath(schema_dir)), root)
    for path in only or ():
        given = Path(os.path.abspath(path))
        if not given.is_relative_to(data_dir):
            problems += confine.scan(given, root)
    return problems


def load_and_validate(
    data_dir: Path,
    only: Iterable[Path] | None = None,
    schema_dir: Path | None = None,
    *,
    jobs: int = 1,
    keep_docs: bool = True,
    slim: bool = False,
) -> tuple[RawData, list[Problem]]:
    """Load and check the data tree; problems are sorted.

    ``only`` restricts the report files (files or folders under ``data/reports``);
    groups, units, materials and campaigns are always loaded. ``schema_dir`` defaults to
    ``data_dir / "schema"``. ``jobs`` > 1 checks many reports in that many forked worker
    processes; with ``keep_docs=False`` (for checking only) ``RawData.reports`` stays empty
    and the workers send back nothing but problems; with ``slim=True`` (for the build) each
    report is kept as :func:`slimmed` as soon as it is checked.
    """
    data_dir = Path(os.path.abspath(data_dir))
    refused = _refused(data_dir, only, schema_dir)
    if refused:  # nothing is read while a link or a special file is there (kb.data.confine)
        return RawData(data_dir, None, None, None, [], []), sort_problems(refused)
    run = _Validator(data_dir, Path(os.path.abspath(schema_dir)) if schema_dir else None)
    out = run.out
    groups, units, materials = (run.shared(kind) for kind in ("groups", "units", "materials"))
    campaign_paths = files.campaign_files(out, data_dir)
    campaigns = [d for d in (run.load(p, "campaign") for p in campaign_paths) if d is not None]
    report_paths = files.report_files(out, data_dir, only)

    index = refs.build_index(out, groups, units, materials, campaigns)
    refs.check_shared(out, index, data_dir, materials, campaigns)
    for doc in (groups, units, materials, *campaigns):
        if doc is not None:
            text.check_placeholders(out, doc)

    reports: list[SourceDoc] = []
    seen: dict[tuple[str, str], str] = {}
    for doc, problems, claim in _process_reports(run, index, report_paths, jobs, keep_docs, slim):
        out.problems += problems
        if doc is not None:
            reports.append(doc)
        if claim is None:
            continue
        key = (claim.campaign, claim.unit)
        if key in seen:
            out.problems.append(
                Problem.of(
                    rules.DUPLICATE_REPORT, claim.rel, claim.mark[0], claim.mark[1],
                    f"单位 {claim.unit} 在学习教育 {claim.campaign} 中已经有一份报告：{seen[key]}",
                    path="unit", found=claim.unit,
                )
            )
        else:
            seen[key] = claim.rel
    raw = RawData(data_dir, groups, units, materials, campaigns, reports, run.enums)
    return raw, sort_problems(out.problems)
