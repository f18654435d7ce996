"""Keep every read inside the repository: no symlinks, no special files.

Contributors are untrusted and git keeps symlinks, so a pull request can add
``docs/assets/leak.txt -> /etc/passwd`` or ``data/reports/x/y.yml -> /etc/shadow``.
Before a build or a validation reads anything, :func:`scan` walks the folders it will
read (``docs/``, ``data/``, the templates) without following links and returns a
:class:`~kb.data.problems.Problem` for every symlink and every entry that is neither a plain
file nor a folder (a FIFO would block the reader forever). Refused entries are named,
never opened: their target is not read, resolved or shown. :func:`read_regular` is the
second layer for single files: it opens with ``O_NOFOLLOW`` and reads only a regular file,
and :func:`write_atomically` the one for writes: it replaces a link instead of following it.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from kb.data import rules
from kb.data.problems import Problem
from kb.data.rules import Rule


class Refused(OSError):
    """A file that is not read: a symlink or a special file (``rule`` says which)."""

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule.id)
        self.rule = rule


def display(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` (the repository), with control characters made visible."""
    try:
        shown = path.relative_to(root).as_posix()
    except ValueError:
        shown = Path(os.path.relpath(path, root)).as_posix()
    shown = os.fsencode(shown).decode("utf-8", errors="replace")
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in shown)


def refused_problem(shown: str, rule: Rule) -> Problem:
    """The problem for a refused entry shown as ``shown`` (``rule``: symlink or special file)."""
    if rule is rules.SYMLINK:
        return Problem.of(
            rules.SYMLINK, shown, 0, 0,
            "这是符号链接（快捷方式），出于安全考虑不读取、不发布：请提交文件本身，并删除这个链接",
        )
    return Problem.of(
        rules.SPECIAL_FILE, shown, 0, 0,
        "这不是普通文件（设备、管道或套接字），出于安全考虑不读取：请删除它",
    )


def _problem(entry: Path, root: Path, mode: int) -> Problem:
    return refused_problem(display(entry, root), rules.SYMLINK if stat.S_ISLNK(mode) else rules.SPECIAL_FILE)


def scan(folder: Path, root: Path) -> list[Problem]:
    """Problems for every symlink or special file at or below ``folder`` (links not followed).

    ``root`` is where shown paths start (the repository). The path from ``root`` down to
    ``folder`` is checked too when ``folder`` lies inside ``root``: a linked ``data/`` is refused.
    A missing ``folder`` gives no problem (the caller reports missing files itself).
    """
    problems = path_problems(folder, root)
    if problems:
        return problems
    try:
        mode = folder.lstat().st_mode
    except FileNotFoundError:
        return []
    if stat.S_ISREG(mode):
        return []
    if not stat.S_ISDIR(mode):
        return [_problem(folder, root, mode)]
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = list(os.scandir(current))
        except FileNotFoundError:
            continue
        except OSError:
            problems.append(Problem.of(rules.FILE_READ, display(current, root), 0, 0, "无法读取这个目录，请检查权限"))
            continue
        for entry in sorted(entries, key=lambda e: e.name):
            # The entry's type from the directory listing (no system call per file on
            # Linux): 10,000 reports are scanned on every serve rebuild.
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.is_symlink() or not entry.is_file(follow_symlinks=False):
                problems.append(_problem(Path(entry.path), root, entry.stat(follow_symlinks=False).st_mode))
    return problems


def path_problems(path: Path, root: Path) -> list[Problem]:
    """A problem for the first symlink or special file on the way from ``root`` to ``path``.

    Paths outside ``root`` are not walked (an operator may point the build at any folder).
    """
    try:
        parts = Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(root))).parts
    except ValueError:
        return []
    current = Path(os.path.abspath(root))
    for part in parts:
        current = current / part
        try:
            mode = current.lstat().st_mode
        except FileNotFoundError:
            return []
        if stat.S_ISLNK(mode) or not (stat.S_ISDIR(mode) or stat.S_ISREG(mode)):
            return [_problem(current, root, mode)]
    return []


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Opened with ``O_NOFOLLOW`` (a symlink is refused, not followed) and non-blocking (a
    FIFO is refused, not waited on). Raises :class:`Refused` (a symlink or special file),
    ``ValueError`` with the size when too large, or ``OSError``.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if path.is_symlink():
            raise Refused(rules.SYMLINK) from None
        raise exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise Refused(rules.SPECIAL_FILE)
        if info.st_size > limit:
            raise ValueError(info.st_size)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(len(data))
    return data


_OS_ERRORS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EISDIR: "同名的文件夹已经存在",
    errno.ENOTDIR: "路径中的某一级不是文件夹",
    errno.ENOENT: "所在的文件夹不存在",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EROFS: "磁盘是只读的",
    errno.EIO: "磁盘读写出错",
}


def os_error_text(exc: OSError) -> str:
    """A short Chinese reason for an operating-system error (no English library text)."""
    return _OS_ERRORS.get(exc.errno or 0, "操作系统拒绝了这次操作")


def write_atomically(target: Path, text: str) -> None:
    """Write ``text`` to a temporary file next to ``target``, then rename it into place.

    The rename replaces ``target`` itself: a symlink there is replaced, never followed, so
    a committed link cannot make a tool overwrite a file elsewhere. A failure leaves
    ``target`` as it was, and no temporary file. Raises OSError.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
