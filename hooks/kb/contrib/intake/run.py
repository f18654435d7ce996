"""The intake run: every file of an inbox becomes a report data file, or a line saying why not.

:func:`run` registers the roster's units first (:mod:`.roster`, :mod:`.register`), lists
the inbox (:func:`scan_inbox`: its files and those of its direct sub-folders, hidden
files skipped, links and special files refused, at most :data:`MAX_FILES`), then takes
the files in a process pool (:func:`prepare`: copy, classify, convert, import in the
bounded child of :func:`kb.contrib.docx.import_docx_limited`, match to a unit with
:mod:`.match`), writes the data files in this process (:func:`decide`: never over a file
edited by hand without ``force``; a second run over the same inbox changes nothing) once
they validate: each is checked in the pool first, in a staging copy of the data directory
(:mod:`.staging`), and a file with errors is held back in the inbox's review folder instead
of reaching ``data/`` (where it would fail the site build). One file's failure is caught and
becomes its row of the summary (:mod:`.summary`).

Each written file carries a stamp line (:func:`stamp`): the source file's sha256 and the
sha256 of the text the import wrote, so a later run knows whether the file is its own,
unchanged work.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kb.contrib import docx, scaffold
from kb.contrib.intake import convert, match, staging
from kb.contrib.intake.summary import (
    ATTENTION,
    FAILED,
    IMPORTED,
    NOT_REPORT,
    REPORT_NAME,
    WARNED,
    FileResult,
)
from kb.contrib.reference import Reference
from kb.data import confine, rules
from kb.data.problems import ERROR, WARNING, Problem

MAX_FILES = 5000  # files one run takes; more is a usage error (split the inbox)
MAX_BYTES = 100 * 1024 * 1024  # one inbox file
DOCUMENT_SUFFIXES = {".docx", ".doc", ".wps", ".odt", ".rtf", ".pdf"}
CONVERT_SECONDS = 120.0
_NOT_A_REPORT = {rules.IMPORT_EMPTY.id, rules.IMPORT_NO_PARTS.id}
_INTERNAL = "处理这个文件时出现意外错误，已跳过（没有写出数据文件）。请把文件交给知识库管理员处理"


class UsageError(Exception):
    """A run that cannot start (the message, in Chinese, says why); exit status 2."""


@dataclass
class Options:
    """What ``scripts/intake.py`` was asked to do."""

    inbox: Path
    data_dir: Path
    roster: Path | None = None
    campaign: str | None = None
    group: str | None = None
    batch: str | None = None
    jobs: int | None = None
    dry_run: bool = False
    force: bool = False
    progress: bool = False  # a tqdm bar (only on a terminal)


@dataclass
class Job:
    """One inbox file for a worker."""

    path: Path
    name: str  # relative to the inbox
    data_dir: Path
    workdir: Path
    campaign: str | None = None


@dataclass
class Prepared:
    """What a worker made of one file: its row, and the data file's text when there is one."""

    row: FileResult
    sha: str = ""
    text: str = ""


# ------------------------------------------------------------------ the stamp

_STAMP = re.compile(r"^# 导入自：(?P<name>.*)，sha256=(?P<source>[0-9a-f]{64})，导入内容 sha256=(?P<text>[0-9a-f]{64})\n",
                    re.MULTILINE)
_IMPORT_NOTE = "# 由 scripts/import_docx.py 从 Word 文件"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stamp(text: str, source_name: str, source_sha: str) -> str:
    """``text`` with the stamp line after the import note: source file, its sha256, the text's sha256."""
    text = text.replace(_IMPORT_NOTE, "# 由 scripts/intake.py 从文件", 1)
    name = "".join(c if c.isprintable() else "?" for c in source_name)
    line = f"# 导入自：{name}，sha256={source_sha}，导入内容 sha256={_sha(text.encode('utf-8'))}\n"
    lines = text.splitlines(keepends=True)
    at = next((i + 1 for i, ln in enumerate(lines) if ln.startswith("# 由 scripts/intake.py")), 1)
    return "".join(lines[:at] + [line] + lines[at:])


def read_stamp(text: str) -> tuple[str, bool] | None:
    """(the source's sha256, whether the text is still what the import wrote), or None without a stamp."""
    found = _STAMP.search(text)
    if found is None:
        return None
    rest = text[:found.start()] + text[found.end():]
    return found["source"], _sha(rest.encode("utf-8")) == found["text"]


# ------------------------------------------------------------------ the inbox


GUIDE = "README.md"  # the inbox's own explanation (data/inbox/README.md), not an upload


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$")) or name == GUIDE


def _read_error(exc: OSError) -> str:
    """Why a file or folder cannot be read, in Chinese."""
    return "没有读取权限" if exc.errno in (errno.EACCES, errno.EPERM) else confine.os_error_text(exc)


def _entries(folder: Path) -> list[os.DirEntry]:
    """The entries of ``folder`` sorted by name, at most ``4 × MAX_FILES`` of them (hidden ones count)."""
    entries = []
    with os.scandir(folder) as listing:
        for entry in listing:
            entries.append(entry)
            if len(entries) > 4 * MAX_FILES:
                raise UsageError(f"文件夹 {folder.name} 中的条目过多，请分成几个文件夹分批导入")
    return sorted(entries, key=lambda e: e.name)


def scan_inbox(inbox: Path, skip: set[Path]) -> tuple[list[Path], list[FileResult]]:
    """The inbox's files and those of its direct sub-folders, sorted; rows for refused entries.

    Hidden entries (``.x``, Word's ``~$`` lock files), the inbox guide (README.md) and ``skip``
    are left out; symlinks,
    special files and unreadable sub-folders are refused, never opened. Raises
    :class:`UsageError` past :data:`MAX_FILES` or when the inbox cannot be read.
    """
    files: list[Path] = []
    refused: list[FileResult] = []
    try:
        top = _entries(inbox)
    except OSError as exc:
        raise UsageError(f"无法读取收件箱文件夹（{_read_error(exc)}）") from None
    for folder in _take(top, inbox, skip, files, refused):
        try:
            _take(_entries(folder), inbox, skip, files, refused)  # sub-folders of sub-folders are not read
        except OSError as exc:
            why = f"无法读取这个文件夹（{_read_error(exc)}）"
            refused.append(FileResult(folder.relative_to(inbox).as_posix(), FAILED, messages=[why]))
    return files, refused


def _take(entries: list[os.DirEntry], inbox: Path, skip: set[Path], files: list[Path],
          refused: list[FileResult]) -> list[Path]:
    """Sort ``entries`` into ``files`` and ``refused``; the folders among them."""
    folders = []
    for entry in entries:
        path = Path(entry.path)
        if _hidden(entry.name) or path in skip:
            continue
        mode = entry.stat(follow_symlinks=False).st_mode
        name = path.relative_to(inbox).as_posix()
        if stat.S_ISDIR(mode):
            folders.append(path)
        elif not stat.S_ISREG(mode):
            rule = rules.SYMLINK if stat.S_ISLNK(mode) else rules.SPECIAL_FILE
            refused.append(FileResult(name, FAILED, messages=[confine.refused_problem(name, rule).message]))
        else:
            files.append(path)
            if len(files) > MAX_FILES:
                raise UsageError(f"收件箱中的文件超过 {MAX_FILES} 个，请分成几个文件夹分批导入")
    return folders


# ------------------------------------------------------------------ one file (in a worker)


def prepare(job: Job) -> Prepared:
    """Copy, classify, convert, import and match one file; never raises."""
    row = FileResult(job.name)
    try:
        return _prepare(job, row)
    except Exception:  # one bad file never stops the others, and shows no traceback
        row.outcome, row.messages = FAILED, [_INTERNAL]
        return Prepared(row)
    finally:
        shutil.rmtree(job.workdir, ignore_errors=True)


def _copy(job: Job) -> tuple[Path, str]:
    """The file copied into the job's folder (read once, not through a link), and its sha256."""
    try:
        data = confine.read_regular(job.path, MAX_BYTES)
    except confine.Refused as refused:
        raise convert.NotImportable(confine.refused_problem(job.name, refused.rule).message) from None
    except ValueError:
        raise convert.NotImportable("文件超过 100 MiB，不予导入") from None
    except OSError as exc:
        raise convert.NotImportable(f"无法读取这个文件（{_read_error(exc)}）") from None
    job.workdir.mkdir(parents=True, exist_ok=True)
    copy = job.workdir / job.path.name
    copy.write_bytes(data)
    return copy, _sha(data)


def _as_docx(copy: Path, workdir: Path) -> Path | None:
    """The file as a .docx to import (converted if need be), or None when it is no document at all."""
    kind = convert.classify(copy)
    if kind == "office":
        return convert.to_docx(copy, workdir / "convert", timeout=CONVERT_SECONDS)
    if kind == "pdf":
        from kb.contrib.intake import pdftext

        return pdftext.pdf_to_docx(copy, workdir / "pdf")
    if kind == "docx" or copy.suffix.lower() == ".docx":  # a damaged .docx: the importer says how
        return copy
    if copy.suffix.lower() in DOCUMENT_SUFFIXES:
        raise convert.NotImportable("文件已损坏，或不是它的扩展名所说的格式。请在 Word/WPS 中打开它，"
                                    "“另存为” Word 文档（*.docx）后再导入")
    return None


def _prepare(job: Job, row: FileResult) -> Prepared:
    try:
        copy, sha = _copy(job)
        source = _as_docx(copy, job.workdir)
    except convert.NotImportable as err:
        row.outcome, row.messages = FAILED, [err.reason]
        return Prepared(row)
    if source is None:
        row.outcome, row.messages = NOT_REPORT, ["不是 Word、WPS 或 PDF 文件，未导入"]
        return Prepared(row, sha)
    try:
        result = docx.import_docx_limited(source, job.data_dir, campaign=job.campaign)
        if {p.rule for p in result.problems} & _NOT_A_REPORT:
            row.outcome, row.messages = NOT_REPORT, ["文件中没有自查评估报告的“一、”“二、”“三、”各部分，不像一份报告，未导入"]
            return Prepared(row, sha)
        ref = Reference.load(job.data_dir)
        found = _match(result, job.path.name, ref)
        row.messages += list(found.notes)
        if found.unit and found.unit != result.unit:
            result = docx.import_docx_limited(source, job.data_dir, campaign=job.campaign, unit=found.unit)
            row.messages.append(match.describe(found, ref.units))
    except docx.DocxError as err:
        row.outcome, row.messages = FAILED, [str(err)]
        return Prepared(row, sha)
    return _finish(row, result, found, ref, job, sha)


def _match(result: docx.ImportResult, file_name: str, ref: Reference) -> match.Match:
    campaign = ref.campaigns.get(result.campaign) or {}
    roster = [str(r.get("unit")) for r in campaign.get("roster") or [] if isinstance(r, dict)] or None
    data = result.data
    texts = [str(data.get("signature") or ""), str(data.get("title") or ""), str(data.get("opening") or "")[:300]]
    return match.match_unit(result.unit, file_name, ref.units, roster=roster, texts=texts)


def _finish(row: FileResult, result: docx.ImportResult, found: match.Match, ref: Reference, job: Job,
            sha: str) -> Prepared:
    """The row and the stamped text of an imported file whose unit may be known."""
    row.unit = result.unit
    row.figures = (len(result.data.get("figures") or {}), len(result.figures_declared))
    row.ledger = len(result.data.get("ledger") or [])
    if not found.unit:
        row.outcome = ATTENTION
        row.messages.insert(0, match.describe(found, ref.units))
        return Prepared(row, sha)
    problems = [p for p in result.all_problems() if p.level in (ERROR, WARNING)]
    row.messages[:0] = [_problem_text(p) for p in sorted(problems, key=lambda p: p.level != ERROR)]
    if not result.campaign:
        row.outcome = ATTENTION
        return Prepared(row, sha)
    result.source_name = job.path.name
    text = stamp(result.to_yaml(), job.path.name, sha)
    refused = docx.output_problems(text, result.data, job.data_dir / "schema")
    if refused:
        row.outcome, row.messages = ATTENTION, ["导入结果超出数据文件的限制，没有写出：" + refused[0]] + row.messages
        return Prepared(row, sha)
    try:
        target = docx.report_path(job.data_dir, result)
    except scaffold.ScaffoldError as err:
        row.outcome, row.messages = ATTENTION, [str(err)] + row.messages
        return Prepared(row, sha)
    row.target = target.relative_to(job.data_dir).as_posix()
    warned = problems or found.notes
    row.outcome = ATTENTION if any(p.level == ERROR for p in problems) else WARNED if warned else IMPORTED
    return Prepared(row, sha, text)


def _problem_text(problem: Problem) -> str:
    where = f"[{problem.path}] " if problem.path else ""
    return f"{'错误' if problem.level == ERROR else '警告'}：{where}{problem.message}"


# ------------------------------------------------------------------ writing (in this process)


KEPT = "保留手工修改"
KEPT_NOTE = ("这个文件已经导入过，数据文件导入后又修改过：保留修改，这次没有重新导入，数据文件以修改后的为准；"
             "收件箱中的这个文件可以删除（在命令行中要用它重新导入，请加 --force）")


def decide(target: Path, text: str, sha: str, force: bool) -> tuple[bool, str, str]:
    """(write?, what happens, why it is not written) for the data file ``target`` of a source with ``sha``.

    What happens is 新写入, 已更新 (a new source, the file untouched since its import), 已覆盖
    (``force``), 未改变 (the same source), :data:`KEPT` (the same source, the file edited by
    hand since) or 未写入 (with the reason: a file edited by hand or not written by the intake).
    """
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return True, "新写入", ""
    if not stat.S_ISREG(mode):
        return False, "未写入", f"data/{target.parent.name}/{target.name} 不是普通文件（可能是符号链接），未覆盖"
    try:
        existing = confine.read_regular(target, 4 * MAX_BYTES).decode("utf-8", errors="replace")
    except (OSError, ValueError):
        return False, "未写入", "已有的数据文件无法读取，未覆盖"
    if existing == text:
        return False, "未改变", ""
    found = read_stamp(existing)
    if found is not None and found[0] == sha and (found[1] or not force):
        return False, "未改变" if found[1] else KEPT, ""
    if force:
        return True, "已覆盖", ""
    if found is None:
        return False, "未写入", "数据文件已经存在，且不是导入工具写出的：未覆盖。确认要用这个文件的内容覆盖它，请加 --force"
    if not found[1]:
        return False, "未写入", "数据文件导入后被手工修改过：未覆盖。确认要用这个文件的内容覆盖它，请加 --force"
    return True, "已更新", ""


@dataclass
class _Candidate:
    """A data file the run would write (``write``) or leave as it is; ``text`` is what gets validated."""

    item: Prepared
    path: Path
    write: bool
    text: str


def _plan(prepared: list[Prepared], data_dir: Path, force: bool) -> list[_Candidate]:
    """What to write (two different files for one unit: none of them); nothing is written yet."""
    by_target: dict[str, list[Prepared]] = {}
    for item in prepared:
        if item.text:
            by_target.setdefault(item.row.target, []).append(item)
    planned = []
    for target, items in by_target.items():
        first, *others = items
        if any(o.sha != first.sha for o in others):
            names = "、".join(i.row.name for i in items)
            for item in items:
                item.row.outcome, item.row.written = ATTENTION, "未写入"
                item.row.messages.insert(0, f"多个文件都是这个单位的报告（{names}）：请只保留一个后重新运行")
            continue
        for other in others:
            other.row.written = "未写入"
            other.row.messages.insert(0, f"与 {first.row.name} 内容相同（重复的文件），只导入一次")
            other.row.outcome = WARNED if other.row.outcome == IMPORTED else other.row.outcome
        path = data_dir / target
        write, first.row.written, why = decide(path, first.text, first.sha, force)
        if why:
            first.row.outcome = ATTENTION
            first.row.messages.insert(0, why)
            continue
        text = first.text
        if first.row.written == KEPT:  # the import's findings were about the text before the edit
            first.row.outcome, first.row.messages = WARNED, [KEPT_NOTE]
            text = _existing(path)
        planned.append(_Candidate(first, path, write, text))
    return planned


def _existing(path: Path) -> str:
    try:
        return confine.read_regular(path, 4 * MAX_BYTES).decode("utf-8", errors="replace")
    except (OSError, ValueError):
        return ""


def check(staging_dir: Path, target: str, text: str) -> list[Problem] | None:
    """The validator's errors and warnings about ``text`` as ``target``; None when checking failed."""
    try:
        return staging.check(staging_dir, target, text)
    except Exception:  # reported on the row (and the file held back), never as a traceback
        return None


HELD = ("数据文件没有通过校验，没有写入 data/（否则网站构建会失败）：{where}。"
        "请按下面的说明修改 Word 文件后重新导入，或改好这个数据文件后交给知识库管理员")
_CHECK_FAILED = "错误：校验这个数据文件时出现意外错误，没有写入 data/。请把文件交给知识库管理员处理"


def _settle(candidate: _Candidate, problems: list[Problem] | None, inbox: Path, dry_run: bool) -> None:
    """Write a candidate that validates; hold back one with errors in the inbox's review folder."""
    row = candidate.item.row
    errors = problems is None or any(p.level == ERROR for p in problems)
    if errors and candidate.write:
        row.outcome, row.written = ATTENTION, "未写入"
        row.review = "" if dry_run or problems is None else staging.hold(inbox, row.target, candidate.text)
        where = f"已另存为收件箱中的 {row.review}" if row.review else "试运行，没有另存" if dry_run else "没有另存"
        shown = row.review or f"data/{row.target}"
        found = [_CHECK_FAILED] if problems is None else staging.messages(problems, shown)
        row.messages = [HELD.format(where=where), *found, *row.messages]
        return
    if candidate.write:
        try:
            confine.write_atomically(candidate.path, candidate.text)
        except OSError as exc:
            row.outcome, row.written = FAILED, "未写入"
            row.messages.insert(0, f"无法写入数据文件（{confine.os_error_text(exc)}）")
            return
    _apply_validation(row, [_CHECK_FAILED] if problems is None else staging.messages(problems, f"data/{row.target}"))


def _apply_validation(row: FileResult, messages: list[str]) -> None:
    if not messages:
        return
    row.messages = messages + row.messages
    if any(m.startswith(("校验错误", "错误")) for m in messages):
        row.outcome = ATTENTION
    elif row.outcome == IMPORTED:
        row.outcome = WARNED


# ------------------------------------------------------------------ the run


@dataclass
class Outcome:
    """What a run did: a row per file, the registration lines, the roster's problems."""

    results: list[FileResult] = field(default_factory=list)
    registered: list[str] = field(default_factory=list)
    roster_problems: list[Problem] = field(default_factory=list)


def default_jobs() -> int:
    """Workers: one per core, but no more than the memory allows each import's bounded child."""
    cores = os.cpu_count() or 1
    try:
        import psutil

        available = psutil.virtual_memory().available
    except Exception:  # no psutil or no figure: the cores decide
        return cores
    return max(1, min(cores, available // docx.LIMITS.memory_bytes))


def _check_options(options: Options) -> None:
    if not options.inbox.is_dir() or options.inbox.is_symlink():
        raise UsageError(f"找不到收件箱文件夹 {options.inbox}（须是文件夹，不能是符号链接）")
    if options.jobs is not None and options.jobs < 1:
        raise UsageError("--jobs 须是正整数")
    if options.campaign is not None:
        try:
            scaffold.check_id(options.campaign, "campaign")
        except scaffold.ScaffoldError as err:
            raise UsageError(str(err)) from None
        if options.campaign not in Reference.load(options.data_dir).campaigns:
            raise UsageError(f"学习教育 {options.campaign} 不存在（data/campaigns/ 中没有这个文件）")
    if options.roster is not None and not options.roster.is_file():
        raise UsageError(f"找不到名单文件 {options.roster}")


@contextmanager
def _working_copy(options: Options) -> Iterator[Path]:
    """The data directory to work in: the real one, or for a dry run a copy (links copied as links)."""
    if not options.dry_run:
        yield options.data_dir
        return
    with tempfile.TemporaryDirectory(prefix="kb-intake-dry-") as temp:
        copy = Path(temp) / "data"
        shutil.copytree(options.data_dir, copy, symlinks=True)
        yield copy


def _register(options: Options, data_dir: Path, outcome: Outcome) -> None:
    """Read the roster, plan and apply the registration of its units (before any matching)."""
    from kb.contrib.intake import register, roster

    assert options.roster is not None
    read = roster.read_roster(options.roster)
    outcome.roster_problems += read.problems
    if not read.rows and any(p.level == ERROR for p in read.problems):
        why = next(p.message for p in read.problems if p.level == ERROR)
        outcome.registered = [register.UNREAD.format(why=why)]
        return
    campaign = options.campaign
    if campaign is None:
        try:
            campaign = register.choose_campaign(Reference.load(data_dir).campaigns, read)
        except register.NoCampaign as err:
            raise UsageError(str(err)) from None
    plan = register.plan(data_dir, read, campaign, group=options.group, batch=options.batch)
    outcome.roster_problems += plan.problems
    try:
        outcome.registered = register.apply(data_dir, plan)
    except scaffold.ScaffoldError as err:
        raise UsageError(f"登记名单中的单位失败：{err}") from None


def run(options: Options, executor: Callable[[int], Executor] | None = None) -> Outcome:
    """Take in every file of ``options.inbox``. Raises :class:`UsageError` when the run cannot start."""
    _check_options(options)
    inbox = options.inbox.resolve()
    skip = {inbox / REPORT_NAME, inbox / staging.REVIEW_DIR} | ({options.roster.resolve()} if options.roster else set())
    files, refused = scan_inbox(inbox, skip)
    outcome = Outcome()
    with _working_copy(options) as data_dir, tempfile.TemporaryDirectory(prefix="kb-intake-") as temp:
        if options.roster is not None:
            _register(options, data_dir, outcome)
        jobs = [Job(path, path.relative_to(inbox).as_posix(), data_dir, Path(temp) / str(i), options.campaign)
                for i, path in enumerate(files)]
        workers = max(1, min(options.jobs or default_jobs(), len(jobs) or 1))
        make = executor or (lambda n: ProcessPoolExecutor(max_workers=n))
        with make(workers) as pool, _progress(options.progress, 2 * len(jobs)) as tick:
            prepared = _gather([pool.submit(prepare, job) for job in jobs], jobs, tick)
            planned = _plan(prepared, data_dir, options.force)
            stage = staging.make_staging(data_dir, Path(temp) / "staging") if planned else Path(temp)
            checks = {pool.submit(check, stage, c.item.row.target, c.text): c for c in planned}
            for future in as_completed(checks):
                _settle(checks[future], future.result(), inbox, options.dry_run)
                tick()
    outcome.results = sorted([p.row for p in prepared] + refused, key=lambda r: r.name)
    return outcome


def _gather(futures: list[Future], jobs: list[Job], tick: Callable[[], None]) -> list[Prepared]:
    """The workers' results in the order of ``jobs``; a worker that died fails its file only."""
    for _ in as_completed(futures):
        tick()
    prepared = []
    for future, job in zip(futures, jobs, strict=True):
        try:
            prepared.append(future.result())
        except Exception:  # the worker process died (killed, out of memory …)
            prepared.append(Prepared(FileResult(job.name, FAILED, messages=[_INTERNAL])))
    return prepared


@contextmanager
def _progress(shown: bool, total: int) -> Iterator[Callable[[], None]]:
    """A tqdm bar on the terminal when ``shown``; a no-op otherwise."""
    if not shown or not total:
        yield lambda: None
        return
    from tqdm import tqdm

    with tqdm(total=total, unit="步", desc="导入", leave=False) as bar:
        yield lambda: bar.update(1)
