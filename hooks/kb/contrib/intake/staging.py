"""Data files are checked before they reach ``data/``; those with errors are held back for review.

:func:`make_staging` copies the data directory without its reports (and without the inbox)
into a temporary folder once per run, after the roster's units are registered. :func:`check`
writes one imported text at its own place in that copy and validates it with the project's
loader (:func:`kb.data.load.load_and_validate`, the checks ``make validate`` and the site
build run), so the errors it finds are those the real data directory would have — but
nothing is written into ``data/`` yet. A text with errors is held back: :func:`hold` writes
it to the inbox's review folder :data:`REVIEW_DIR` (a copy for the contributor to fix, kept
out of the next run's files) and the row says "needs attention" with ``file:line:column``
messages (:func:`messages`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from kb.data import confine
from kb.data.problems import ERROR, WARNING, Problem

REVIEW_DIR = "intake-review"  # in the inbox: data files held back because they do not validate
_LEFT_OUT = {"reports", "inbox"}


def make_staging(data_dir: Path, folder: Path) -> Path:
    """``folder/data``: the data directory without reports and inbox (links copied as links)."""
    target = folder / "data"
    shutil.copytree(data_dir, target, symlinks=True,
                    ignore=lambda where, names: _LEFT_OUT & set(names) if Path(where) == data_dir else set())
    return target


def check(staging: Path, target: str, text: str) -> list[Problem]:
    """The validator's errors and warnings about ``text`` as the data file ``target`` (relative
    to the data directory, ``reports/<campaign>/<unit>.yml``), checked in the staging copy."""
    from kb.data.load import load_and_validate

    path = staging / target
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    try:
        _, problems = load_and_validate(staging, only=[path])
    finally:
        path.unlink(missing_ok=True)
    suffix = target.replace("\\", "/")
    return [p for p in problems if p.level in (ERROR, WARNING) and p.file.replace("\\", "/").endswith(suffix)]


def messages(problems: list[Problem], shown: str) -> list[str]:
    """One Chinese line per problem, errors first: ``校验错误：FILE:LINE:COL [path] message``."""
    out = []
    for problem in sorted(problems, key=lambda p: (p.level != ERROR, p.line, p.column)):
        level = "错误" if problem.level == ERROR else "警告"
        where = f"{shown}:{problem.line}:{problem.column}" if problem.line else shown
        path = f" [{problem.path}]" if problem.path else ""
        out.append(f"校验{level}：{where}{path} {problem.message}")
    return out


def review_name(target: str) -> str:
    """Where a held-back file goes, relative to the inbox: ``intake-review/<campaign>/<unit>.yml``."""
    return f"{REVIEW_DIR}/{target.removeprefix('reports/')}"


def hold(inbox: Path, target: str, text: str) -> str:
    """Write ``text`` to the inbox's review folder; the name relative to the inbox, or "" on failure."""
    name = review_name(target)
    path = inbox / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        confine.write_atomically(path, text)
    except OSError:
        return ""
    return name
