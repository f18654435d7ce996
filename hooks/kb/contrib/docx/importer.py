"""The importer: runs the stages over one Word file, in this process or a bounded child.

:func:`parse` runs the stages over the blocks :func:`~kb.contrib.docx.read.read_docx`
produced: attached tables (:mod:`.attachments`), the frame (:mod:`.frame`), which unit
and campaign (:mod:`.identify`), the outline (:mod:`.outline`), figures and materials.
:func:`import_docx` reads and parses a file; :func:`import_docx_limited` does the same in
a child process that is stopped after a time limit (and, where the OS allows, has its
memory capped), so a hostile file can neither hang nor exhaust the contributor's machine.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kb.contrib import scaffold
from kb.contrib.docx import attachments, figures, frame, outline
from kb.contrib.docx.identify import identify
from kb.contrib.docx.ledger import settle_deadlines
from kb.contrib.docx.normalise import squash
from kb.contrib.docx.package import LIMITS, DocxError, Limits
from kb.contrib.docx.read import Block, Para, read_docx
from kb.contrib.docx.result import ImportResult
from kb.contrib.docx.state import Work
from kb.contrib.reference import Reference
from kb.data import rules
from kb.data.blanks import SUBMITTED_PLACEHOLDER

# ----------------------------------------------------------------------- parse


def parse(blocks: list[Block], ref: Reference, *, campaign: str | None = None, unit: str | None = None,
          submitted: str | None = None, today: str | None = None, source_name: str = "") -> ImportResult:
    """The report data found in ``blocks``, with a problem for everything not mapped.

    ``source_name`` (the Word file's name) is the file the problems name.
    """
    work = Work(blocks, ref, outline.heading_levels(blocks), today or dt.date.today().isoformat(),
                source=source_name, campaign_id=campaign or "", unit_id=unit or "", submitted=submitted or "")
    result = _run(work)
    result.source_name = source_name
    signature = result.data.get("signature")
    unit_rec = ref.unit(result.unit) if result.unit else None
    if signature and unit_rec and squash(signature) == squash(f"中共{unit_rec.get('party_org', '')}"):
        del result.data["signature"]  # the default
    return result


def _run(work: Work) -> ImportResult:
    """The stages in order: attached tables, frame, identification, outline, figures, materials."""
    if not any(isinstance(b, Para) for b in work.blocks):
        work.note(rules.IMPORT_EMPTY, "Word 文件中没有任何文字段落")
        return ImportResult({}, problems=work.problems)
    attachments.attachments(work)
    title, addressee, body_start = frame.head(work)
    heads = [(i, outline.classify(b, work.levels)) for i, b in enumerate(work.blocks)
             if i >= body_start and isinstance(b, Para) and id(b) not in work.used]
    parts_at = [(i, h) for i, h in heads if h is not None and h.kind == "part"]
    end = frame.trailer(work, parts_at[0][0] if parts_at else body_start)
    opening = outline.plain_spans(work, body_start, parts_at[0][0] if parts_at else end)
    identify(work, title, addressee, opening)
    settle_deadlines(work)  # a ledger deadline without a year (12月31日前) takes the report's
    data: dict[str, Any] = {
        "unit": work.unit_id or "【请填写单位id】",
        "campaign": work.campaign_id or "【请填写学习教育id】",
        "submitted": work.submitted or SUBMITTED_PLACEHOLDER,  # never today's date: it would pass unnoticed
    }
    if not work.submitted:
        work.note(rules.IMPORT_NO_DATE, "没有找到落款日期：报告日期（submitted）留作“【请填写报送日期…】”，请填写报告落款的日期")
    campaign = work.campaign
    if title and campaign and squash(title.text) != squash(str(campaign.get("report_title", ""))):
        data["title"] = work.inline(title.text)
    data["opening"] = work.prose_spans(opening)
    if not opening:
        work.note(rules.IMPORT_NO_OPENING, "没有找到开头段（指导组称谓之后、“一、”之前的段落）")
    data.update(outline.parts(work, parts_at, end))
    data["figures"], missing, declared = figures.collect(work, data)
    if work.ledger:
        data["ledger"] = work.ledger
    data["materials"] = attachments.materials(work, data)
    if work.signature:
        data["signature"] = work.signature
    if work.punct_fixes:
        work.note(rules.IMPORT_PUNCTUATION, f"已把 {work.punct_fixes} 处中文里的半角标点或全角数字/字母统一为规范写法")
    return ImportResult(data, work.campaign_id, work.unit_id, work.problems, work.unmapped, missing, declared)


# ---------------------------------------------------------------------- import


def import_docx(path: Path, data_dir: Path, *, limits: Limits = LIMITS, **options: Any) -> ImportResult:
    """Read and parse a Word report against the reference data in ``data_dir`` (in this process).

    The file passes :func:`check_package` first; :class:`DocxError` says why it cannot be read.
    """
    return parse(read_docx(path, limits), Reference.load(data_dir), source_name=path.name, **options)


def import_docx_limited(path: Path, data_dir: Path, *, limits: Limits = LIMITS, **options: Any) -> ImportResult:
    """:func:`import_docx` in a child process stopped after ``limits.seconds``.

    Raises :class:`DocxError` for a refused file, a time-out or a child that failed.
    """
    return run_limited(import_docx, (path, data_dir), {"limits": limits, **options}, limits)


_TIMEOUT = ("读取和识别这个 Word 文件超过了 {seconds:g} 秒仍未完成，已停止（没有写出任何文件）："
            "文件可能过于复杂或是恶意构造的（如大量修订记录、超长段落）。"
            "请在 Word/WPS 中“另存为”新的 Word 文档，删去不需要的内容后再导入")
_NO_MEMORY = "读取这个 Word 文件所需的内存超过上限，已停止（没有写出任何文件）：文件可能是恶意构造的"
_INTERNAL = "导入工具处理这个 Word 文件时出错，已停止（没有写出任何文件）。请把 Word 文件交给知识库管理员处理"


def _start_method() -> str:
    """fork where it is safe and fast (Linux, a single thread), spawn elsewhere."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _cap_memory(extra: int) -> None:
    """Let this (child) process grow by at most ``extra`` bytes of address space, where the OS allows."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as handle:
            used = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = used + extra
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ImportError, OSError, ValueError):  # not Linux: the size limits still bound memory
        pass


def _child(conn: Any, func: Callable[..., Any], args: tuple, kwargs: dict, memory: int, seconds: float) -> None:
    # The parent stops this process after `seconds`; should the parent itself be killed
    # first, the watchdog ends it shortly after.
    watchdog = threading.Timer(seconds + 5, os._exit, (3,))
    watchdog.daemon = True
    watchdog.start()
    _cap_memory(memory)
    try:
        outcome: tuple[str, Any] = ("ok", func(*args, **kwargs))
    except DocxError as err:
        outcome = ("error", str(err))
    except MemoryError:
        outcome = ("error", _NO_MEMORY)
    except Exception:  # a bug must not show a traceback to the contributor
        outcome = ("error", _INTERNAL)
    try:
        conn.send(outcome)
    except Exception:  # the result cannot be sent (too large for the memory cap …)
        conn.send(("error", _INTERNAL))
    finally:
        conn.close()


def run_limited(func: Callable[..., Any], args: tuple, kwargs: dict, limits: Limits = LIMITS) -> Any:
    """``func(*args, **kwargs)`` in a child process, stopped after ``limits.seconds``.

    ``func`` must be a module-level function (it may be started with ``spawn``). Its
    :class:`DocxError` is raised here; a time-out, lack of memory or any other failure
    raises :class:`DocxError` with a Chinese message.
    """
    context = multiprocessing.get_context(_start_method())
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, func, args, kwargs, limits.memory_bytes, limits.seconds),
                              daemon=True)
    try:
        process.start()
    except OSError:
        raise DocxError("无法启动导入进程（系统资源不足），请稍后重试") from None
    send.close()
    outcome: tuple | None = None
    try:
        if receive.poll(limits.seconds):
            outcome = receive.recv()
    except (EOFError, OSError):  # the child ended without answering
        outcome = ()
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receive.close()
    if outcome is None:
        raise DocxError(_TIMEOUT.format(seconds=limits.seconds))
    if not outcome:  # killed (the kernel's out-of-memory killer sends SIGKILL) or crashed
        raise DocxError(_NO_MEMORY if process.exitcode == -getattr(signal, "SIGKILL", 9) else _INTERNAL)
    status, value = outcome
    if status != "ok":
        raise DocxError(value)
    return value


def report_path(data_dir: Path, result: ImportResult) -> Path:
    """Where the imported report belongs: ``data/reports/<campaign>/<unit>.yml``.

    Built by :func:`kb.contrib.scaffold.report_file` (the ids must follow the schema's id rule and
    the path must stay inside ``data_dir/reports``); raises :class:`kb.contrib.scaffold.ScaffoldError`.
    """
    return scaffold.report_file(data_dir, result.campaign, result.unit)



def validate_report(data_dir: Path, path: Path) -> list[Any]:
    """Problems the project validator finds in one report file (``kb.data.load``)."""
    from kb.data.load import load_and_validate

    _, problems = load_and_validate(data_dir, only=[path.resolve()])
    return list(problems)
