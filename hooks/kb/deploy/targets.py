"""Where to publish: a local path or a host reached over SSH, from one command-line value."""

from __future__ import annotations

import re
from pathlib import Path

from kb.deploy.errors import PublishError
from kb.deploy.release import LocalTarget
from kb.deploy.remote import SshTarget

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
