"""The SSH target (kb.deploy.remote): ssh and rsync command lines, the host's shell scripts
(flushed with ``sync -f`` or, on old coreutils, plain ``sync``), the host's messages in Chinese."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from releases import emulated_ssh, live, make_site, rid

from kb.deploy import release, remote, targets
from kb.deploy.errors import PublishError
from kb.deploy.remote import SshTarget

SSH = ["ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=20"]


def test_ssh_command_lines():
    target = targets.parse_target("ssh://deploy@web1:2222/srv/kb", identity="/run/key",
                                  known_hosts="/run/known_hosts")
    ssh = [*SSH, "-o", "UserKnownHostsFile=/run/known_hosts", "-o", "IdentitiesOnly=yes",
           "-i", "/run/key", "-p", "2222"]
    assert target.ssh_argv() == ssh
    assert target.remote_argv() == [*ssh, "deploy@web1", "sh -s"]
    assert target.rsync_argv(Path("/b/site/"), rid(1), link_dest=True) == [
        "rsync", "--recursive", "--times", "--checksum", "--delete", "--compress", "--perms",
        "--chmod=D755,F644", "-e",
        "ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=20"
        " -o UserKnownHostsFile=/run/known_hosts -o IdentitiesOnly=yes -i /run/key -p 2222",
        "--link-dest=../../current/", "/b/site/",
        f"deploy@web1:/srv/kb/releases/.partial-{rid(1)}/",
    ]


def test_rsync_without_live_release_has_no_link_dest():
    argv = SshTarget("web1", "/srv/kb").rsync_argv(Path("site"), rid(1), link_dest=False)
    assert not any(a.startswith("--link-dest") for a in argv)
    assert argv[-2:] == ["site/", f"web1:/srv/kb/releases/.partial-{rid(1)}/"]


def test_ssh_key_path_with_spaces_is_quoted_for_rsync():
    target = SshTarget("web1", "/srv/kb", identity="/tmp/my key")
    assert "-i '/tmp/my key'" in target.rsync_argv(Path("s"), rid(1), False)[9]


def test_ssh_target_uses_link_dest_only_with_a_live_release(tmp_path):
    calls: list[list[str]] = []
    target = SshTarget("web1", str(tmp_path / "kb"), runner=emulated_ssh(calls))
    site = make_site(tmp_path / "s")
    target.publish(site, rid(1))
    target.publish(site, rid(2))
    rsyncs = [argv for argv in calls if argv[0] == "rsync"]
    assert ["--link-dest=../../current/" in argv for argv in rsyncs] == [False, True]
    assert [argv[0] for argv in calls] == ["ssh", "rsync", "ssh"] * 2


def test_ssh_failure_is_reported_with_the_host_message():
    def failing(argv, stdin):
        return remote.run_command(["sh", "-c", "echo 'Permission denied (publickey).' >&2; exit 255"])

    target = SshTarget("web1", "/srv/kb", runner=failing)
    with pytest.raises(PublishError, match=r"退出码 255[\s\S]*Permission denied"):
        target.status()


def test_ssh_release_and_switch_are_synced_on_the_host():
    script = remote.finalize_script("/srv/kb", rid(1), 3)
    sync_release = script.index('kb_sync "releases/$id/release.txt"')
    assert script.index('mv -- "releases/.partial-$id"') < script.index("kb_sync()")
    assert script.index("kb_sync()") < sync_release
    assert sync_release < script.index("mv -T --") < script.index("kb_sync .\n")
    rollback = remote.rollback_script("/srv/kb", None)
    assert rollback.index("mv -T --") < rollback.index("kb_sync .\n")


# A host's sync(1), logging each call with where `current` points at that moment.
LOG_SYNC = 'echo "sync $* current=$(readlink current)" >> "$KB_SYNC_LOG"\n'


OLD_SYNC = ("#!/bin/sh\n"  # GNU coreutils < 8.24 (Debian 8, CentOS 7): no -f
            + LOG_SYNC
            + "case \"${1-}\" in -*) echo \"sync: invalid option -- 'f'\" >&2; exit 1;; esac\n")


FAILING_SYNC = ("#!/bin/sh\n"  # has -f; the disk of the release fails
                + LOG_SYNC
                + 'case "$*" in *release.txt*) echo "sync: error syncing \'$3\': '
                  'Input/output error" >&2; exit 1;; esac\n')


def host_with_sync(tmp_path: Path, sync: str) -> tuple[remote.SshTarget, Path]:
    """An SSH target whose host runs ``sync`` as its sync(1); the log of its calls."""
    bin_dir, log = tmp_path / "host-bin", tmp_path / "sync.log"
    bin_dir.mkdir()
    (bin_dir / "sync").write_text(sync, encoding="utf-8")
    (bin_dir / "sync").chmod(0o755)
    copy = emulated_ssh([])

    def run(argv: list[str], stdin: str | None) -> str:
        if argv[0] != "ssh":
            return copy(argv, stdin)
        env = ["env", f"PATH={bin_dir}:{os.environ['PATH']}", f"KB_SYNC_LOG={log}"]
        return remote.run_command([*env, "sh", "-s"], stdin)

    return remote.SshTarget("web1", str(tmp_path / "kb"), runner=run), log


def test_ssh_host_with_an_old_sync_publishes_and_rolls_back(tmp_path):
    """coreutils < 8.24 has no ``sync -f``: plain sync, before and after the switch."""
    target, log = host_with_sync(tmp_path, OLD_SYNC)
    target.publish(make_site(tmp_path / "s1", "v1"), rid(1))
    target.publish(make_site(tmp_path / "s2", "v2"), rid(2))
    assert live(target)[0] == rid(2)
    plain = [line for line in log.read_text().splitlines() if not line.startswith("sync -f")]
    assert plain[-2:] == [f"sync  current=releases/{rid(1)}",  # the release, before the switch
                          f"sync  current=releases/{rid(2)}"]  # the switch itself
    log.write_text("")
    assert target.rollback().current == rid(1)
    assert live(target)[0] == rid(1)
    assert f"sync  current=releases/{rid(1)}" in log.read_text().splitlines()


def test_ssh_sync_error_of_the_release_still_stops_the_publish(tmp_path):
    """Only a sync without -f falls back: an I/O error of ``sync -f`` is not hidden by a
    plain sync, and the live release stays."""
    target, log = host_with_sync(tmp_path, FAILING_SYNC)
    release.LocalTarget(tmp_path / "kb").publish(make_site(tmp_path / "s1", "v1"), rid(1))  # live
    with pytest.raises(PublishError) as caught:
        target.publish(make_site(tmp_path / "s2", "v2"), rid(2))
    assert "磁盘读写错误" in str(caught.value).splitlines()[0]
    assert live(target)[0] == rid(1)
    assert not [line for line in log.read_text().splitlines() if line.startswith("sync  ")]


@pytest.mark.parametrize(("stderr", "words"), [
    ("rsync: write failed on \"/srv/kb/x\": No space left on device (28)", "磁盘空间不足"),
    ("mkdir: cannot create directory 'releases': Read-only file system", "文件系统是只读的"),
    ("deploy@web1: Permission denied (publickey).", "SSH 登录被拒绝"),
    ("Host key verification failed.", "主机指纹校验失败"),
    ("rm: cannot remove 'x': Permission denied", "主机上没有权限"),
    ("something new", "请根据下面主机的输出处理"),
])
def test_host_errors_get_a_chinese_first_line(stderr, words):
    with pytest.raises(PublishError) as caught:
        remote.run_command(["sh", "-c", f"echo {stderr!r} >&2; exit 12"])
    first, _, rest = str(caught.value).partition("\n")
    assert "退出码 12" in first and words in first and "--status" in first
    assert stderr in rest  # the host's own words, for whoever fixes it
