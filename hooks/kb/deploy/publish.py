"""Publish a built site to a static host: releases, an atomic ``current`` switch, rollback.

Layout of a host directory (a local path, or a path on a host reached over SSH)::

    <base>/releases/<id>/             one complete copy of the site per release
    <base>/releases/.partial-<id>/    an upload in progress: never served, removed next time
    <base>/current -> releases/<id>   the live release; nginx serves <base>/current

A release is copied (or rsync'ed) into ``.partial-<id>``, gets its id written to
:data:`RELEASE_FILE`, is flushed to disk (every file and directory fsync'ed), is renamed
to ``<id>``, and only then does ``current`` change: a temporary symlink is renamed over it
(``rename(2)`` — atomic, unlike ``ln -sfn``) and the directory holding ``current`` is
fsync'ed, so a power cut right after "published" cannot leave empty files. A failed
build, a refused site, an interrupted upload, a full disk or a read-only target therefore
leaves the live site as it was; such system errors become one Chinese line saying what
failed and what to do (:func:`describe_os_error`). Old releases beyond the newest ``keep``
are pruned, never the live one.

The local target is Python (``os.replace``); the SSH target runs small POSIX ``sh``
scripts on the host (GNU ``mv -T`` does the rename, ``sync -f`` flushes, or plain
``sync`` on coreutils older than 8.24) and uploads with rsync. This module
only builds those command lines; :class:`SshTarget` runs them through an injectable runner.

It also checks a site against the Content-Security-Policy of the shipped nginx
configuration (every inline script/style must be allowed by a hash); kb.deploy.nginxconf renders
that configuration. It imports nothing from MkDocs.
"""

from __future__ import annotations

import base64
import datetime as dt
import errno
import fcntl
import hashlib
import html
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from kb.site.build import BUILD_MARKER

RELEASES = "releases"
CURRENT = "current"
PARTIAL_PREFIX = ".partial-"
LOCK_FILE = ".publish.lock"
RELEASE_FILE = "release.txt"  # served at /release.txt: the id of the live release
REQUIRED_FILES = ("index.html", "404.html", BUILD_MARKER)
DEFAULT_KEEP = 5

# <UTC time>-<label>: sorts chronologically. Written so that it is also a POSIX ERE (grep -E).
RELEASE_ID_PATTERN = r"^[0-9]{8}T[0-9]{6}Z-[a-z0-9]+(-[a-z0-9]+)*$"
RELEASE_ID_RE = re.compile(RELEASE_ID_PATTERN)
MAX_LABEL = 40
# Host and remote path go into command lines: allow only plain characters.
_HOST_RE = re.compile(r"^(?:[A-Za-z0-9_][A-Za-z0-9._-]*@)?[A-Za-z0-9][A-Za-z0-9.-]*$")
_REMOTE_PATH_RE = re.compile(r"^[A-Za-z0-9_./+-]+$")
MAX_MARKER_BYTES = 64 * 1024  # the build marker is a few lines of JSON
FSYNC_WORKERS = 16  # threads that flush a release to disk


class PublishError(Exception):
    """Publishing was refused or failed; the message is for people (Chinese)."""


# --------------------------------------------------------------------------- system errors

_CHECK_PERMISSIONS = "请检查该路径的属主和权限（ls -ld），用有写权限的用户发布"
_CHECK_LAYOUT = "请检查发布目录的结构（应只有 releases/ 目录和 current 符号链接），必要时手工处理"
# errno -> (what happened, what to do); English strerror never reaches the reader.
_OS_ERRORS: dict[int, tuple[str, str]] = {
    errno.ENOSPC: ("磁盘空间不足",
                   "请清理该磁盘（df -h 查看），或用 --keep 少保留几个旧版本，然后重新发布"),
    errno.EDQUOT: ("超出磁盘配额", "请清理文件或请管理员提高配额，然后重新发布"),
    errno.EROFS: ("文件系统是只读的",
                  "请检查挂载（findmnt 该目录），以读写方式重新挂载或换一个发布目录后重新发布"),
    errno.EACCES: ("没有权限", _CHECK_PERMISSIONS),
    errno.EPERM: ("操作不被允许", _CHECK_PERMISSIONS),
    errno.EIO: ("磁盘读写错误", "请检查磁盘和系统日志（dmesg），修复后重新发布"),
    errno.ENOTDIR: ("路径中应为目录的一项不是目录", _CHECK_LAYOUT),
    errno.EISDIR: ("应为文件的位置是一个目录", _CHECK_LAYOUT),
    errno.EEXIST: ("路径已存在且类型不对", _CHECK_LAYOUT),
    errno.ENOTEMPTY: ("目录不为空", _CHECK_LAYOUT),
    errno.ENOENT: ("文件或目录不存在", "请检查路径是否正确、是否被其他程序删除"),
    errno.EMFILE: ("打开的文件过多", "请稍后重试或提高 ulimit -n"),
}


def describe_os_error(action: str, err: OSError, outcome: str = "线上版本未改变") -> str:
    """One line for people: what failed (with the path), what it means, what to do."""
    code = err.errno if isinstance(err.errno, int) else None
    what, todo = _OS_ERRORS.get(code or -1, (
        f"系统错误 {errno.errorcode.get(code or -1, '未知')}",
        "请检查磁盘和目录后重新发布；问题持续请把这一行报告给维护者",
    ))
    paths = [str(name) for name in (err.filename, err.filename2) if name]
    where = f"（{' → '.join(paths)}）" if paths else ""
    return f"{action}失败{where}：{what}；{outcome}。{todo}"


@contextmanager
def os_errors(action: str, outcome: str = "线上版本未改变") -> Iterator[None]:
    """Turn a system error of this step into a :class:`PublishError` (one Chinese line)."""
    try:
        yield
    except OSError as err:
        raise PublishError(describe_os_error(action, err, outcome)) from err


# --------------------------------------------------------------------------- site checks


def check_site(site: Path) -> list[str]:
    """Reasons not to publish ``site`` (empty list: fine). A failed build publishes nothing."""
    if not site.is_dir():
        return [f"站点目录不存在：{site}（构建失败了吗？）"]
    entries = sorted(site.rglob("*"))
    if not entries:
        return [f"站点目录为空：{site}（构建失败了吗？）"]
    problems = [
        f"站点缺少 {name}：{site / name}（构建不完整，拒绝发布）"
        for name in REQUIRED_FILES
        if not (site / name).is_file()
    ]
    for path in entries:
        mode = path.lstat().st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            kind = "符号链接" if stat.S_ISLNK(mode) else "特殊文件"
            problems.append(f"站点中有{kind}，拒绝发布：{path.relative_to(site)}")
    marker = site / BUILD_MARKER
    if marker.is_file() and not stat.S_ISLNK(marker.lstat().st_mode) and not _marker_ok(marker):
        problems.append(f"站点的构建标记已损坏：{marker}（不是构建写下的 JSON；"
                        "构建可能被中断，请重新构建 make build 后再发布）")
    return problems


def _marker_ok(marker: Path) -> bool:
    """The build marker is a JSON object (a build writes it last; garbage: a broken build)."""
    with open(marker, "rb") as handle:
        raw = handle.read(MAX_MARKER_BYTES + 1)
    if len(raw) > MAX_MARKER_BYTES:
        return False
    try:
        return isinstance(json.loads(raw.decode("utf-8")), dict)
    except ValueError:  # also UnicodeDecodeError
        return False


def require_site(site: Path) -> None:
    with os_errors(f"检查站点目录 {site} "):
        problems = check_site(site)
    if problems:
        raise PublishError("\n".join(problems))


# --------------------------------------------------------------------------- release ids


def sanitize_label(label: str) -> str:
    """A label usable in a release id: lower-case letters, digits, single dashes."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:MAX_LABEL].strip("-")
    return cleaned or "local"


def make_release_id(now: dt.datetime, label: str) -> str:
    """``20250101T120000Z-<label>`` from an aware datetime (converted to UTC)."""
    return f"{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{sanitize_label(label)}"


def default_label(environ: dict[str, str], repo: Path | None = None) -> str:
    """The commit of the build: from CI variables, else ``git rev-parse``, else ``local``."""
    for name in ("CI_COMMIT_SHORT_SHA", "GITHUB_SHA"):
        if environ.get(name):
            return environ[name][:8]
    if repo is not None and shutil.which("git"):
        result = subprocess.run(
            ["git", "rev-parse", "--short=8", "HEAD"], cwd=repo, capture_output=True,
            text=True, check=False,
        )
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.strip()
    return "local"


def check_release_id(release_id: str) -> str:
    if not RELEASE_ID_RE.fullmatch(release_id):
        raise PublishError(
            f"版本号格式不对：{release_id!r}（应形如 20250101T120000Z-1a2b3c4d）"
        )
    return release_id


def sorted_release_ids(names: list[str]) -> list[str]:
    """Release directory names, oldest first; anything else in releases/ is ignored."""
    return sorted(n for n in names if RELEASE_ID_RE.fullmatch(n))


def releases_to_prune(ids: list[str], current: str | None, keep: int) -> list[str]:
    """All but the newest ``keep`` releases, never the live one."""
    ordered = sorted_release_ids(ids)
    return [r for r in ordered[: max(len(ordered) - keep, 0)] if r != current]


def previous_release(ids: list[str], current: str | None) -> str | None:
    """The release just before ``current`` in time, the target of a rollback."""
    ordered = sorted_release_ids(ids)
    if current not in ordered:
        return None
    index = ordered.index(current)
    return ordered[index - 1] if index > 0 else None


@dataclass(frozen=True)
class Status:
    current: str | None
    releases: list[str]

    def describe(self) -> str:
        lines = [f"当前版本：{self.current or '（无）'}"]
        lines += [f"  {'*' if r == self.current else ' '} {r}" for r in reversed(self.releases)]
        return "\n".join(lines)


@dataclass(frozen=True)
class Outcome:
    """What a publish or rollback did."""

    current: str
    previous: str | None
    pruned: list[str] = field(default_factory=list)

    def describe(self) -> str:
        text = f"已切换到版本 {self.current}（原版本：{self.previous or '无'}）"
        return text + (f"；清理旧版本 {len(self.pruned)} 个" if self.pruned else "")


# --------------------------------------------------------------------------- local target


def _raise(err: OSError) -> None:
    raise err


def _copy_tree(src: Path, dst: Path) -> tuple[list[Path], list[Path]]:
    """Copy a checked site (regular files and directories only) with web-readable modes.

    Returns the files and directories written. An unreadable directory is an error, not
    a gap in the release (``os.walk`` would skip it silently)."""
    files: list[Path] = []
    dirs = [dst]
    dst.mkdir(mode=0o755)
    os.chmod(dst, 0o755)
    for root, subdirs, names in os.walk(src, onerror=_raise):
        subdirs.sort()
        rel = Path(root).relative_to(src)
        for name in subdirs:
            target = dst / rel / name
            target.mkdir(mode=0o755)
            os.chmod(target, 0o755)
            dirs.append(target)
        for name in sorted(names):
            target = dst / rel / name
            _copy_file(Path(root) / name, target)
            os.chmod(target, 0o644)
            files.append(target)
    return files, dirs


def _copy_file(src: Path, dst: Path) -> None:
    shutil.copy2(src, dst)


def _write_file(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o644)


def _fsync(path: Path, *, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    _fsync(path, directory=True)


def _flush(files: list[Path], dirs: list[Path]) -> None:
    """Every file, then every directory (its entries), reaches the disk.

    fsync'ed from :data:`FSYNC_WORKERS` threads: the file system commits concurrent
    fsyncs together, one by one each waits for the disk (3,000 files: 0.2 s, not 5 s)."""
    with ThreadPoolExecutor(max_workers=FSYNC_WORKERS) as pool:
        list(pool.map(_fsync, files))
        list(pool.map(_fsync_dir, dirs))


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path)


def _remove_quietly(path: Path) -> None:
    """Best-effort clean-up after a failure (the next publish removes what is left)."""
    with suppress(OSError):
        _remove(path)


def release_problem(release: Path, release_id: str) -> str | None:
    """Why a release directory is not a complete release (None: it is one)."""
    try:
        with open(release / RELEASE_FILE, "rb") as handle:
            recorded = handle.read(len(release_id) + 2)
    except OSError:
        return f"缺少 {RELEASE_FILE}"
    if recorded != f"{release_id}\n".encode():
        return f"{RELEASE_FILE} 与版本号不符（文件已损坏）"
    missing = [name for name in REQUIRED_FILES if not (release / name).is_file()]
    return f"缺少 {'、'.join(missing)}" if missing else None


@dataclass(frozen=True)
class LocalTarget:
    """A host directory on this machine (or a mounted share)."""

    base: Path

    @property
    def releases(self) -> Path:
        return self.base / RELEASES

    def describe(self) -> str:
        return str(self.base)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with os_errors(f"准备发布目录 {self.base} "):
            if not self.releases.is_dir():
                self.releases.mkdir(parents=True)
                os.chmod(self.releases, 0o755)
            lock = open(self.base / LOCK_FILE, "a", encoding="utf-8")  # noqa: SIM115
        with lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise PublishError(f"另一个发布正在进行：{self.base}") from None
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def current(self) -> str | None:
        link = self.base / CURRENT
        if not link.is_symlink():
            if link.exists():
                raise PublishError(f"{link} 不是符号链接，无法原子切换；请先手工处理")
            return None
        return Path(os.readlink(link)).name

    def status(self) -> Status:
        with os_errors(f"读取发布目录 {self.base} "):
            names = [p.name for p in self.releases.iterdir()] if self.releases.is_dir() else []
            return Status(self.current(), sorted_release_ids(names))

    def _switch(self, release_id: str) -> None:
        """Point ``current`` at a release: a new symlink renamed over the old one, then the
        directory holding ``current`` is flushed (the switch survives a power cut)."""
        if not (self.releases / release_id).is_dir():
            raise PublishError(f"版本不存在：{release_id}")
        self.current()  # refuses a real directory named current
        tmp = self.base / f".{CURRENT}-{release_id}.tmp"
        with os_errors("切换 current ", "线上版本可能未改变，请用 --status 查看"):
            try:
                _remove(tmp)
                os.symlink(f"{RELEASES}/{release_id}", tmp)
                os.replace(tmp, self.base / CURRENT)
            except BaseException:
                _remove_quietly(tmp)
                raise
            _fsync_dir(self.base)

    def _stage(self, site: Path, release_id: str) -> None:
        """Copy ``site`` into a partial release, flush it to disk, rename it into place."""
        staging = self.releases / f"{PARTIAL_PREFIX}{release_id}"
        try:
            with os_errors(f"复制站点到 {staging} "):
                files, dirs = _copy_tree(site, staging)
                _write_file(staging / RELEASE_FILE, release_id + "\n")
                _flush([*files, staging / RELEASE_FILE], dirs)
            with os_errors(f"启用版本目录 {self.releases / release_id} "):
                os.rename(staging, self.releases / release_id)
                _fsync_dir(self.releases)
        except BaseException:
            _remove_quietly(staging)
            raise

    def _drop_unused(self, release_id: str) -> None:
        """After a failed switch: remove the new release unless it went live after all."""
        with suppress(OSError, PublishError):
            if self.current() != release_id:
                _remove(self.releases / release_id)

    def publish(self, site: Path, release_id: str, keep: int = DEFAULT_KEEP) -> Outcome:
        require_site(site)
        check_release_id(release_id)
        if keep < 1:
            raise PublishError("至少保留 1 个版本（--keep）")
        with self._locked():
            with os_errors("清除中断的上传 "):  # left by a killed or failed publish
                for stale in [*self.releases.glob(f"{PARTIAL_PREFIX}*"),
                              *self.base.glob(f".{CURRENT}-*.tmp")]:
                    _remove(stale)
            if (self.releases / release_id).exists():
                raise PublishError(f"版本已存在：{release_id}")
            previous = self.current()
            self._stage(site, release_id)
            try:
                self._switch(release_id)
            except BaseException:
                self._drop_unused(release_id)
                raise
            pruned = releases_to_prune(self.status().releases, release_id, keep)
            with os_errors("清理旧版本 ", f"新版本 {release_id} 已上线"):
                for old in pruned:
                    _remove(self.releases / old)
        return Outcome(release_id, previous, pruned)

    def rollback(self, to: str | None = None) -> Outcome:
        with self._locked():
            status = self.status()
            target = _rollback_target(status, to)
            problem = release_problem(self.releases / target, target)
            if problem:
                raise PublishError(f"版本 {target} 不完整（{problem}），不能切换到它；"
                                   "线上版本未改变。请用 --rollback <版本号> 选另一个版本")
            self._switch(target)
        return Outcome(target, status.current)


def _rollback_target(status: Status, to: str | None) -> str:
    if status.current is None:
        raise PublishError("还没有发布过任何版本，无法回滚")
    if to is not None:
        check_release_id(to)
        if to not in status.releases:
            raise PublishError(f"版本不存在：{to}")
        return to
    target = previous_release(status.releases, status.current)
    if target is None:
        raise PublishError(f"当前版本 {status.current} 之前没有可回滚的版本")
    return target


# --------------------------------------------------------------------------- SSH target

Runner = Callable[[list[str], str | None], str]


# Messages of ssh, rsync and coreutils on the host -> what it means and what to do.
_HOST_MESSAGES: list[tuple[str, str]] = [
    ("Permission denied (publickey", "SSH 登录被拒绝：请检查 --ssh-key 与主机上 authorized_keys"),
    ("Host key verification failed", "主机指纹校验失败：请核对 --known-hosts 中的指纹"),
    ("Could not resolve hostname", "找不到主机：请检查发布目标中的主机名"),
    ("Connection refused", "连不上主机的 SSH 端口：请检查主机和 --ssh-port"),
    ("Connection timed out", "连接主机超时：请检查网络和防火墙"),
    ("No space left on device", _OS_ERRORS[errno.ENOSPC][0] + "：" + _OS_ERRORS[errno.ENOSPC][1]),
    ("Disk quota exceeded", _OS_ERRORS[errno.EDQUOT][0] + "：" + _OS_ERRORS[errno.EDQUOT][1]),
    ("Read-only file system", _OS_ERRORS[errno.EROFS][0] + "：" + _OS_ERRORS[errno.EROFS][1]),
    ("Input/output error", _OS_ERRORS[errno.EIO][0] + "：" + _OS_ERRORS[errno.EIO][1]),
    ("Permission denied", "主机上没有权限：请检查发布目录的属主和权限（ls -ld）"),
    ("rsync: command not found", "主机上没有 rsync：请在主机上安装 rsync"),
]


def run_command(argv: list[str], stdin: str | None = None) -> str:
    """Run a command; return its stdout or raise :class:`PublishError`: a Chinese line
    (what failed, what to do, when the host's message is a known one), then the host's
    own output for reference."""
    result = subprocess.run(argv, input=stdin, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        stderr = result.stderr.strip()
        hint = next((text for key, text in _HOST_MESSAGES if key in stderr),
                    "请根据下面主机的输出处理后重新发布")
        raise PublishError(
            f"命令失败（退出码 {result.returncode}）：{shlex.join(argv[:3])} …；{hint}。"
            "线上版本见 --status。\n主机的输出：" + stderr
        )
    return result.stdout


@dataclass(frozen=True)
class SshTarget:
    """A directory on a host reached over SSH; upload with rsync, switch with ``mv -T``."""

    host: str
    path: str
    port: int | None = None
    identity: str | None = None
    known_hosts: str | None = None
    runner: Runner = field(default=run_command, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not _HOST_RE.match(self.host):
            raise PublishError(f"主机名不合法：{self.host!r}")
        if not _REMOTE_PATH_RE.match(self.path) or ".." in self.path.split("/"):
            raise PublishError(f"远端路径只能包含字母、数字和 _ . / + -：{self.path!r}")

    def describe(self) -> str:
        return f"{self.host}:{self.path}"

    def ssh_argv(self) -> list[str]:
        """The ssh command (also rsync's ``-e``): batch mode, strict host keys."""
        argv = ["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "ConnectTimeout=20"]
        if self.known_hosts:
            argv += ["-o", f"UserKnownHostsFile={self.known_hosts}"]
        if self.identity:
            argv += ["-o", "IdentitiesOnly=yes", "-i", self.identity]
        if self.port:
            argv += ["-p", str(self.port)]
        return argv

    def remote_argv(self) -> list[str]:
        """Run a script read from stdin on the host."""
        return [*self.ssh_argv(), self.host, "sh -s"]

    def rsync_argv(self, site: Path, release_id: str, link_dest: bool) -> list[str]:
        """Upload ``site`` into the release's staging directory."""
        argv = ["rsync", "--recursive", "--times", "--checksum", "--delete", "--compress",
                "--perms", "--chmod=D755,F644", "-e", shlex.join(self.ssh_argv())]
        if link_dest:  # unchanged files become hard links to the live release
            argv.append(f"--link-dest=../../{CURRENT}/")
        dest = f"{self.path}/{RELEASES}/{PARTIAL_PREFIX}{release_id}/"
        return [*argv, f"{str(site).rstrip('/')}/", f"{self.host}:{dest}"]

    def _remote(self, script: str) -> str:
        return self.runner(self.remote_argv(), script)

    def status(self) -> Status:
        out = self._remote(status_script(self.path))
        lines = [line.strip() for line in out.splitlines()]
        link = lines[0].removeprefix("current=") if lines else ""
        return Status(Path(link).name if link else None, sorted_release_ids(lines[1:]))

    def publish(self, site: Path, release_id: str, keep: int = DEFAULT_KEEP) -> Outcome:
        require_site(site)
        check_release_id(release_id)
        if keep < 1:
            raise PublishError("至少保留 1 个版本（--keep）")
        previous = self._remote(prepare_script(self.path)).strip()
        previous_id = Path(previous).name if previous else None
        self.runner(self.rsync_argv(site, release_id, link_dest=bool(previous_id)), None)
        out = self._remote(finalize_script(self.path, release_id, keep))
        pruned = [line.removeprefix("pruned ") for line in out.splitlines()
                  if line.startswith("pruned ")]
        return Outcome(release_id, previous_id, pruned)

    def rollback(self, to: str | None = None) -> Outcome:
        if to is not None:
            check_release_id(to)
        out = self._remote(rollback_script(self.path, to)).strip().split()
        return Outcome(out[-1], out[0] if len(out) > 1 else None)


def _script(path: str, body: str, *, create: bool = False) -> str:
    """A POSIX sh script that stops at the first error, run inside the host directory."""
    quoted = shlex.quote(path)
    make = f"mkdir -p -- {quoted}\n" if create else ""
    return f"set -eu\numask 022\n{make}cd -- {quoted}\n" + body


def _fail(message: str) -> str:
    return f"{{ echo {shlex.quote(message)} >&2; exit 3; }}"


def _switch_lines(release_var: str) -> str:
    """Shell lines that point ``current`` at ``releases/$<var>``: symlink, then rename(2)."""
    tmp = f'".{CURRENT}-${release_var}.tmp"'
    return (
        f"[ ! -e {CURRENT} ] || [ -L {CURRENT} ] || "
        + _fail(f"{CURRENT} 不是符号链接，无法原子切换；请先手工处理")
        + f"\nrm -f {tmp}\n"
        f'ln -s "{RELEASES}/${release_var}" {tmp}\n'
        f"mv -T -- {tmp} {CURRENT}\n"
    )


# Flush to disk on the host. `sync -f` (syncfs(2): the file system holding the path) needs
# GNU coreutils >= 8.24; an older sync(1) refuses -f, and then plain `sync` (sync(2): every
# file system) does it. The probe syncs /dev/null's file system (devtmpfs: nothing to
# write), so only a sync without -f falls back: a failing `sync -f` of the release itself
# (an I/O error) still stops the script before the switch.
_SYNC_FUNCTION = (
    "if sync -f -- /dev/null 2>/dev/null; then kb_sync() { sync -f -- \"$1\"; }\n"
    "else kb_sync() { sync; }; fi\n"
)


def prepare_script(path: str) -> str:
    """Create the layout, drop uploads left by interrupted runs, print the live link."""
    return _script(path, (
        f"mkdir -p {RELEASES}\n"
        f'for d in {RELEASES}/{PARTIAL_PREFIX}*; do [ ! -e "$d" ] || rm -rf -- "$d"; done\n'
        f'for l in .{CURRENT}-*.tmp; do [ ! -L "$l" ] || rm -f -- "$l"; done\n'
        f"[ ! -e {CURRENT} ] || [ -L {CURRENT} ] || "
        + _fail(f"{CURRENT} 不是符号链接，无法原子切换；请先手工处理") + "\n"
        f"if [ -L {CURRENT} ]; then readlink {CURRENT}; fi\n"
    ), create=True)


def _prune_lines(keep: int) -> str:
    return (
        f"cur=$(readlink {CURRENT})\n"
        f"ls -1 {RELEASES} | grep -E {shlex.quote(RELEASE_ID_PATTERN)} | sort -r"
        f" | tail -n +{keep + 1} | while IFS= read -r r; do\n"
        f'  if [ "{RELEASES}/$r" != "$cur" ]; then rm -rf -- "{RELEASES}/$r"; echo "pruned $r"; fi\n'
        "done\n"
    )


def finalize_script(path: str, release_id: str, keep: int) -> str:
    """Seal an uploaded release, switch ``current`` to it, prune old releases."""
    check_release_id(release_id)
    stage = f'"{RELEASES}/{PARTIAL_PREFIX}$id"'
    return _script(path, (
        f"id={shlex.quote(release_id)}\n"
        f"[ -d {stage} ] || " + _fail("上传目录不存在，发布中止") + "\n"
        f'[ ! -e "{RELEASES}/$id" ] || ' + _fail(f"版本已存在：{release_id}") + "\n"
        f"printf '%s\\n' \"$id\" > {stage}/{RELEASE_FILE}\n"
        f"chmod 644 {stage}/{RELEASE_FILE}\n"
        f'mv -- {stage} "{RELEASES}/$id"\n'
        + _SYNC_FUNCTION
        # every file of the release and the rename on disk before the switch
        + f'kb_sync "{RELEASES}/$id/{RELEASE_FILE}"\n'
        + _switch_lines("id")
        + "kb_sync .\n"  # the rename of current on disk
        + _prune_lines(keep)
    ))


def rollback_script(path: str, to: str | None) -> str:
    """Point ``current`` at the release before it (or at ``to``); print ``<from> <to>``."""
    if to is None:
        pick = (
            f"target=$(ls -1 {RELEASES} | grep -E {shlex.quote(RELEASE_ID_PATTERN)} | sort"
            ' | awk -v c="$cur" \'$0 == c { print prev; exit } { prev = $0 }\')\n'
            '[ -n "$target" ] || ' + _fail("当前版本之前没有可回滚的版本") + "\n"
        )
    else:
        check_release_id(to)
        pick = (
            f"target={shlex.quote(to)}\n"
            f'[ -d "{RELEASES}/$target" ] || ' + _fail(f"版本不存在：{to}") + "\n"
        )
    broken = _fail("目标版本不完整（release.txt 或必需文件缺失、已损坏），不能切换到它；"
                   "线上版本未改变。请用 --rollback <版本号> 选另一个版本")
    required = " ".join(f'"{RELEASES}/$target/{name}"' for name in REQUIRED_FILES)
    return _script(path, (
        f"[ -L {CURRENT} ] || " + _fail("还没有发布过任何版本，无法回滚") + "\n"
        f"cur=$(readlink {CURRENT}); cur=${{cur#{RELEASES}/}}\n"
        + pick
        + f'[ "$(head -c 100 "{RELEASES}/$target/{RELEASE_FILE}" 2>/dev/null)" = "$target" ]'
        f" || {broken}\n"
        f"for f in {required}; do [ -f \"$f\" ] || {broken}; done\n"
        + _switch_lines("target")
        + _SYNC_FUNCTION
        + "kb_sync .\n"
        + 'echo "$cur $target"\n'
    ))


def status_script(path: str) -> str:
    return _script(path, (
        f'echo "current=$(readlink {CURRENT} 2>/dev/null || true)"\n'
        f"ls -1 {RELEASES} 2>/dev/null || true\n"
    ))


# --------------------------------------------------------------------------- targets

Target = LocalTarget | SshTarget


def parse_target(spec: str, *, port: int | None = None, identity: str | None = None,
                 known_hosts: str | None = None) -> Target:
    """``ssh://[user@]host[:port]/path``, ``[user@]host:path`` (as rsync) or a local path.

    A local path containing ``:`` before any ``/`` must be written ``./name``.
    """
    spec = spec.strip()
    if not spec:
        raise PublishError("没有指定发布目标（--target 或环境变量 KB_PUBLISH_TARGET）")
    ssh = dict(identity=identity, known_hosts=known_hosts)
    if spec.startswith("ssh://"):
        match = re.match(r"^ssh://([^/:]+)(?::(\d+))?(/.*)$", spec)
        if not match:
            raise PublishError(f"SSH 目标格式不对：{spec}（应为 ssh://用户@主机[:端口]/路径）")
        url_port = int(match[2]) if match[2] else None
        return SshTarget(match[1], match[3].rstrip("/") or "/", port=url_port or port, **ssh)
    head, sep, rest = spec.partition(":")
    if sep and "/" not in head and head:
        rest = rest.removeprefix("~/")  # relative paths are relative to the home directory
        if not rest:
            raise PublishError(f"SSH 目标缺少路径：{spec}")
        return SshTarget(head, rest.rstrip("/") or "/", port=port, **ssh)
    return LocalTarget(Path(spec).expanduser().resolve())


# --------------------------------------------------------------------------- CSP

_JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@dataclass
class InlineCode:
    """Inline code of HTML pages, as CSP sees it."""

    scripts: set[str] = field(default_factory=set)       # inline <script> bodies
    styles: set[str] = field(default_factory=set)        # <style> bodies
    style_attrs: set[str] = field(default_factory=set)   # style="…" values
    handlers: set[str] = field(default_factory=set)      # "file: onclick" / "file: javascript:"


_Q = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""  # tag attributes; quoted values may hold ">"
_SCRIPT = re.compile(rf"<script\b({_Q})>(.*?)</script\s*>", re.I | re.S)
_STYLE = re.compile(rf"<style\b({_Q})>(.*?)</style\s*>", re.I | re.S)
_TAG = re.compile(rf"<([a-zA-Z][^\s/>]*)({_Q})>")
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _attributes(raw: str) -> dict[str, str]:
    return {m[1].lower(): html.unescape(m[2] or m[3] or m[4] or "") for m in _ATTR.finditer(raw)}


def _scan_page(text: str, name: str, code: InlineCode) -> None:
    """Regular expressions, not a full parser: a site has thousands of tags per page."""
    text = _COMMENT.sub("", text)
    for match in _SCRIPT.finditer(text):
        attrs = _attributes(match[1])
        if "src" not in attrs and attrs.get("type", "").strip().lower() in _JS_TYPES:
            code.scripts.add(match[2])
    code.styles.update(m[2] for m in _STYLE.finditer(text))
    # Element bodies are not markup; keep the start tags (their attributes count).
    text = _STYLE.sub(lambda m: f"<style{m[1]}>", _SCRIPT.sub(lambda m: f"<script{m[1]}>", text))
    for tag in _TAG.finditer(text):
        for key, value in _attributes(tag[2]).items():
            if key.startswith("on"):
                code.handlers.add(f"{name}: <{tag[1].lower()} {key}>")
            elif key == "style":
                code.style_attrs.add(value)
            elif key in {"href", "src", "action", "formaction"} and re.match(
                r"\s*javascript:", value, re.I
            ):
                code.handlers.add(f"{name}: <{tag[1].lower()} {key}=javascript:>")


def inline_code(site: Path) -> InlineCode:
    """All inline code in the HTML pages of a built site."""
    code = InlineCode()
    for page in sorted(site.rglob("*.html")):
        name = page.relative_to(site).as_posix()
        try:
            text = page.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise PublishError(f"页面不是 UTF-8 文本，文件可能已损坏：{name}"
                               "（请重新构建 make build 后再发布）") from None
        _scan_page(text, name, code)
    return code


def parse_csp(policy: str) -> dict[str, list[str]]:
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])
    return directives


def _sources(policy: dict[str, list[str]], *names: str) -> list[str]:
    """The sources of the first directive present (CSP fallback order)."""
    for name in names:
        if name in policy:
            return policy[name]
    return policy.get("default-src", [])


def csp_problems(code: InlineCode, policy: str) -> list[str]:
    """Inline code of the site that ``policy`` would block (the browser would refuse it)."""
    csp = parse_csp(policy)
    problems = [f"内联事件处理或 javascript: 链接（CSP 不允许，请改用外部脚本）：{h}"
                for h in sorted(code.handlers)]
    script_src = _sources(csp, "script-src-elem", "script-src")
    style_elem = _sources(csp, "style-src-elem", "style-src")
    style_attr = _sources(csp, "style-src-attr", "style-src")
    for text in sorted(code.scripts):
        if csp_hash(text) not in script_src and "'unsafe-inline'" not in script_src:
            problems.append(f"内联脚本未被 CSP 允许：{csp_hash(text)} {text[:60]!r}…")
    for text in sorted(code.styles):
        if csp_hash(text) not in style_elem and "'unsafe-inline'" not in style_elem:
            problems.append(f"内联 <style> 未被 CSP 允许：{csp_hash(text)} {text[:60]!r}")
    hashes_ok = "'unsafe-hashes'" in style_attr
    for text in sorted(code.style_attrs):
        allowed = "'unsafe-inline'" in style_attr or (hashes_ok and csp_hash(text) in style_attr)
        if not allowed:
            problems.append(f"style 属性未被 CSP 允许：{csp_hash(text)} style={text!r}")
    return problems


def csp_suggestion(code: InlineCode) -> str:
    """The hash sources a policy needs for the site's inline scripts and styles."""
    scripts = " ".join(sorted(csp_hash(t) for t in code.scripts))
    styles = " ".join(sorted(csp_hash(t) for t in code.styles | code.style_attrs))
    return f"script-src 的哈希：{scripts or '（无）'}\nstyle-src 的哈希：{styles or '（无）'}"
