"""The operator's messages of a publish: one Chinese line saying what failed and what to do.

A failed build, a refused site, an interrupted upload, a full disk or a read-only target
leaves the live site as it was; such system errors become one Chinese line saying what
failed and what to do (:func:`describe_os_error`). English strerror never reaches the reader.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager


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


# Messages of ssh, rsync and coreutils on the host -> what it means and what to do.
_HOST_MESSAGES: list[tuple[str, str]] = [
    ("Permission denied (publickey", "SSH 登录被拒绝：请检查 --ssh-key 与主机上 authorized_keys"),
    ("Host key verification failed", "主机指纹校验失败：请核对 --known-hosts 中的指纹"),
    ("Could not resolve hostname", "找不到主机：请检查发布目标中的主机名"),
    ("Connection refused", "连不上主机的 SSH 端口：请检查主机和 --ssh-port"),
    ("Connection timed out", "连接主机超时：请检查网络和防火墙"),
    ("No space left on device", "：".join(_OS_ERRORS[errno.ENOSPC])),
    ("Disk quota exceeded", "：".join(_OS_ERRORS[errno.EDQUOT])),
    ("Read-only file system", "：".join(_OS_ERRORS[errno.EROFS])),
    ("Input/output error", "：".join(_OS_ERRORS[errno.EIO])),
    ("Permission denied", "主机上没有权限：请检查发布目录的属主和权限（ls -ld）"),
    ("rsync: command not found", "主机上没有 rsync：请在主机上安装 rsync"),
]


def host_hint(output: str) -> str:
    """What a known message of ssh, rsync or coreutils on the host means and what to do."""
    return next((text for key, text in _HOST_MESSAGES if key in output),
                "请根据下面主机的输出处理后重新发布")


# --------------------------------------------------------------------------- refusals
# Said alike by the local target (Python) and the SSH target (its sh scripts).

KEEP_AT_LEAST_ONE = "至少保留 1 个版本（--keep）"
NOTHING_TO_ROLL_BACK = "还没有发布过任何版本，无法回滚"


def not_a_symlink(path: object) -> str:
    return f"{path} 不是符号链接，无法原子切换；请先手工处理"


def release_missing(release_id: str) -> str:
    return f"版本不存在：{release_id}"


def release_exists(release_id: str) -> str:
    return f"版本已存在：{release_id}"


def incomplete_release(which: str, problem: str) -> str:
    """A rollback refused: the release it would switch to is not complete."""
    return (f"{which}不完整（{problem}），不能切换到它；"
            "线上版本未改变。请用 --rollback <版本号> 选另一个版本")
