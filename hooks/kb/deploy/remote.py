"""The SSH target: a host directory reached over SSH, upload with rsync, small ``sh`` scripts.

The SSH target runs small POSIX ``sh`` scripts on the host (GNU ``mv -T`` does the rename,
``sync -f`` flushes, or plain ``sync`` on coreutils older than 8.24) and uploads with
rsync, in the layout of :mod:`kb.deploy.release`. This module only builds those command
lines; :class:`SshTarget` runs them through an injectable runner.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kb.deploy.errors import (
    NOTHING_TO_ROLL_BACK,
    PublishError,
    host_hint,
    incomplete_release,
    not_a_symlink,
    release_exists,
    release_missing,
)
from kb.deploy.release import (
    CURRENT,
    DEFAULT_KEEP,
    PARTIAL_PREFIX,
    RELEASE_FILE,
    RELEASE_ID_PATTERN,
    RELEASES,
    REQUIRED_FILES,
    Outcome,
    Status,
    check_publish,
    check_release_id,
    sorted_release_ids,
)

# Host and remote path go into command lines: allow only plain characters.
_HOST_RE = re.compile(r"^(?:[A-Za-z0-9_][A-Za-z0-9._-]*@)?[A-Za-z0-9][A-Za-z0-9.-]*$")
_REMOTE_PATH_RE = re.compile(r"^[A-Za-z0-9_./+-]+$")


# --------------------------------------------------------------------------- SSH target

Runner = Callable[[list[str], str | None], str]


def run_command(argv: list[str], stdin: str | None = None) -> str:
    """Run a command; return its stdout or raise :class:`PublishError`: a Chinese line
    (what failed, what to do, when the host's message is a known one), then the host's
    own output for reference."""
    result = subprocess.run(argv, input=stdin, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        stderr = result.stderr.strip()
        hint = host_hint(stderr)
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
        check_publish(site, release_id, keep)
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


def _current_is_a_link() -> str:
    """A shell line: stop unless ``current`` is missing or a symlink (a real folder there
    cannot be switched atomically)."""
    return f"[ ! -e {CURRENT} ] || [ -L {CURRENT} ] || " + _fail(not_a_symlink(CURRENT)) + "\n"


def _switch_lines(release_var: str) -> str:
    """Shell lines that point ``current`` at ``releases/$<var>``: symlink, then rename(2)."""
    tmp = f'".{CURRENT}-${release_var}.tmp"'
    return (
        _current_is_a_link()
        + f"rm -f {tmp}\n"
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
        + _current_is_a_link()
        + f"if [ -L {CURRENT} ]; then readlink {CURRENT}; fi\n"
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
        f'[ ! -e "{RELEASES}/$id" ] || ' + _fail(release_exists(release_id)) + "\n"
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
            f'[ -d "{RELEASES}/$target" ] || ' + _fail(release_missing(to)) + "\n"
        )
    broken = _fail(incomplete_release("目标版本", "release.txt 或必需文件缺失、已损坏"))
    required = " ".join(f'"{RELEASES}/$target/{name}"' for name in REQUIRED_FILES)
    return _script(path, (
        f"[ -L {CURRENT} ] || " + _fail(NOTHING_TO_ROLL_BACK) + "\n"
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
