"""Operator errors while publishing (kb.deploy.release, kb.deploy.errors): a full disk, a
read-only target, damaged files, power cuts.

Each ends in one Chinese line saying what failed and what to do, a non-zero exit and no
traceback, and leaves the live release as it was. Errors are injected at each step
(every errno an office meets) and, when the tests run as root, also produced for real
on a 1 MiB tmpfs and a read-only remount. A spy on ``os.fsync`` checks that every file
of a release and the directory of the ``current`` switch reach the disk before the
success message.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from releases import SCRIPT, assert_one_chinese_line, cli, live, make_site, rid

from conftest import load_script
from kb.deploy import errors, release
from kb.deploy.errors import PublishError
from kb.deploy.release import LocalTarget


def published(tmp_path: Path) -> LocalTarget:
    target = LocalTarget(tmp_path / "kb")
    target.publish(make_site(tmp_path / "s1", "v1"), rid(1))
    return target


def assert_untouched(target: LocalTarget, before) -> None:
    """The live release as it was; no upload, temporary link or new release left."""
    assert live(target) == before
    assert sorted(p.name for p in target.releases.iterdir()) == [rid(1)]
    assert sorted(p.name for p in target.base.iterdir()) == [".publish.lock", "current",
                                                             "releases"]


ERRNOS = {
    errno.ENOSPC: ("磁盘空间不足", "df -h"),
    errno.EDQUOT: ("超出磁盘配额", "配额"),
    errno.EROFS: ("文件系统是只读的", "挂载"),
    errno.EACCES: ("没有权限", "ls -ld"),
    errno.EPERM: ("操作不被允许", "ls -ld"),
    errno.EIO: ("磁盘读写错误", "dmesg"),
    errno.ENAMETOOLONG: ("系统错误 ENAMETOOLONG", "报告给维护者"),
}


def _fail_nth(name: str, n: int, err: OSError) -> Callable:
    """A replacement of ``release.<name>`` that fails on its n-th call."""
    real = getattr(release, name) if hasattr(release, name) else getattr(os, name)
    calls = [0]

    def flaky(*args, **kwargs):
        calls[0] += 1
        if calls[0] == n:
            raise err
        return real(*args, **kwargs)

    return flaky


# (where, object patched, name, call that fails, action named in the message)
STEPS = [
    ("copy", release, "_copy_file", 3, "复制站点"),
    ("release-file", release, "_write_file", 1, "复制站点"),
    ("fsync", release, "_fsync", 2, "复制站点"),
    ("rename", release.os, "rename", 1, "启用版本目录"),
    ("switch", release.os, "replace", 1, "切换 current"),
]


@pytest.mark.parametrize(("code", "words"), ERRNOS.items(), ids=errno.errorcode.get)
@pytest.mark.parametrize(("where", "owner", "name", "nth", "action"), STEPS,
                         ids=[s[0] for s in STEPS])
def test_system_error_at_each_step_is_one_line_and_leaves_the_live_site(
        tmp_path, monkeypatch, code, words, where, owner, name, nth, action):
    target = published(tmp_path)
    before = live(target)
    err = OSError(code, os.strerror(code), str(target.releases / "x"))
    monkeypatch.setattr(owner, name, _fail_nth(name, nth, err))
    with pytest.raises(PublishError) as caught:
        target.publish(make_site(tmp_path / "s2", "v2"), rid(2))
    message = str(caught.value)
    outcome = "线上版本可能未改变" if where == "switch" else "线上版本未改变"
    for text in (action, *words, outcome, str(target.releases / "x")):
        assert text in message, (text, message)
    assert "\n" not in message and os.strerror(code) not in message
    monkeypatch.undo()
    assert_untouched(target, before)


def test_a_copy_names_both_files(tmp_path):
    err = OSError(errno.ENOSPC, "No space left on device", "/site/a.html", None, "/kb/a.html")
    assert "（/site/a.html → /kb/a.html）：磁盘空间不足" in errors.describe_os_error("复制站点", err)


def test_failed_prune_says_the_new_release_is_live(tmp_path, monkeypatch):
    target = published(tmp_path)
    real = release._remove

    def remove(path: Path) -> None:
        if path.name == rid(1):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        real(path)

    monkeypatch.setattr(release, "_remove", remove)
    with pytest.raises(PublishError, match=f"清理旧版本.*没有权限；新版本 {rid(2)} 已上线"):
        target.publish(make_site(tmp_path / "s2", "v2"), rid(2), keep=1)
    assert live(target)[0] == rid(2)


@pytest.mark.parametrize(("layout", "words"), [
    (lambda base: (base / "releases").write_text("x"), "路径已存在且类型不对"),
    (lambda base: (base / ".publish.lock").mkdir(), "应为文件的位置是一个目录"),
], ids=["releases-is-a-file", "lock-is-a-directory"])
def test_damaged_layout_is_one_line(tmp_path, layout, words):
    base = tmp_path / "kb"
    base.mkdir()
    layout(base)
    result = cli("--site", str(make_site(tmp_path / "s")), "--target", str(base),
                 "--release-id", rid(1))
    assert result.returncode == 1
    assert_one_chinese_line(result.stderr, "准备发布目录", words, "线上版本未改变")


def test_unreadable_site_directory_is_an_error_not_a_gap(tmp_path, monkeypatch):
    """os.walk skips what it cannot list; a release without it must not go live."""
    target = published(tmp_path)
    before = live(target)
    site = make_site(tmp_path / "s2", "v2")
    real = os.scandir

    def scandir(path="."):
        if isinstance(path, str | os.PathLike) and Path(path).name == "reports":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(PublishError, match="没有权限"):
        target.publish(site, rid(2))
    monkeypatch.undo()
    assert_untouched(target, before)


def _mount(*argv: str) -> None:
    result = subprocess.run(["mount", *argv], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount here (the injected-error tests cover it): {result.stderr}")


@pytest.fixture
def tiny_disk(tmp_path) -> Iterator[Path]:
    """A 1 MiB tmpfs (root only; elsewhere the injected ENOSPC/EROFS tests stand in)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (the injected-error tests cover it)")
    mount = tmp_path / "disk"
    mount.mkdir()
    _mount("-t", "tmpfs", "-o", "size=1m,mode=0755", "kb-test-tmpfs", str(mount))
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def first_release(base: Path, tmp_path: Path) -> tuple[str, dict[str, bytes]]:
    """Publish release 1 with the command line; the live release it leaves."""
    first = cli("--site", str(make_site(tmp_path / "s1", "v1")), "--target", str(base),
                "--release-id", rid(1))
    assert first.returncode == 0, first.stderr
    return live(LocalTarget(base))


def test_full_disk_for_real(tiny_disk, tmp_path):
    base = tiny_disk / "kb"
    before = first_release(base, tmp_path)
    big = make_site(tmp_path / "s2", "v2", extra={"downloads/big.docx": "汇编" * 400_000})
    result = cli("--site", str(big), "--target", str(base), "--release-id", rid(2),
                 "--no-csp-check")
    assert result.returncode == 1
    assert_one_chinese_line(result.stderr, "复制站点", "磁盘空间不足", "线上版本未改变", "--keep")
    assert_untouched(LocalTarget(base), before)  # the partial upload is gone: space freed
    again = cli("--site", str(make_site(tmp_path / "s3", "v3")), "--target", str(base),
                "--release-id", rid(3))
    assert again.returncode == 0, again.stderr


def test_read_only_target_for_real(tiny_disk, tmp_path):
    base = tiny_disk / "kb"
    before = first_release(base, tmp_path)
    _mount("-o", "remount,ro", str(tiny_disk))
    for args in (["--site", str(make_site(tmp_path / "s2", "v2")), "--release-id", rid(2)],
                 ["--rollback"]):
        result = cli(*args, "--target", str(base))
        assert result.returncode == 1
        assert_one_chinese_line(result.stderr, "文件系统是只读的", "线上版本未改变", "挂载")
    status = cli("--status", "--target", str(base))
    assert status.returncode == 0 and rid(1) in status.stdout
    assert live(LocalTarget(base)) == before


def test_every_file_and_the_switch_reach_the_disk_before_success(tmp_path, monkeypatch):
    script = load_script("publish")
    site = make_site(tmp_path / "s", extra={"pagefind/index/und_1.pf_index": "i",
                                            "assets/images/a.png": "p"})
    base = tmp_path / "kb"
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src, dst) -> None:
        real_replace(src, dst)
        events.append(("switch", str(dst)))

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(script, "print", lambda *a, **k: events.append(("print", str(a[0]))),
                        raising=False)
    assert script.main(["--site", str(site), "--target", str(base), "--release-id", rid(1),
                        "--no-csp-check"]) == 0

    release = Path(os.path.realpath(base / "releases" / rid(1)))
    staging = release.parent / f".partial-{rid(1)}"
    synced = [Path(path.replace(str(staging), str(release), 1)) for kind, path in events
              if kind == "fsync"]
    expected = {release, *release.rglob("*")}
    assert expected <= set(synced), sorted(map(str, expected - set(synced)))
    kinds = [kind for kind, _ in events]
    switch = kinds.index("switch")
    assert events[switch][1] == str(base / "current")
    # every file and directory of the release before the switch, then the directory
    # holding current, and only then the success message
    assert expected <= set(synced[:switch])
    assert ("fsync", str(Path(os.path.realpath(base)))) in events[switch:]
    assert kinds[-1] == "print" and "已切换到版本" in events[-1][1]
    assert kinds.count("print") == 1


def test_kill_9_at_any_moment_leaves_a_complete_live_release(tmp_path):
    """SIGKILL while copying, flushing or switching: ``current`` is always one complete
    release, and the next publish clears what the killed one left."""
    base = tmp_path / "kb"
    bulk = {f"bulk/{i:04d}.html": f"<p>{i}</p>" * 50 for i in range(400)}
    sites = {n: make_site(tmp_path / f"s{n}", f"v{n}", extra=bulk) for n in range(1, 9)}
    first = cli("--site", str(sites[1]), "--target", str(base), "--release-id", rid(1))
    assert first.returncode == 0, first.stderr
    environ = {k: v for k, v in os.environ.items() if k != "KB_PUBLISH_TARGET"}
    killed = 0
    for n, delay in zip(range(2, 8), (0.05, 0.1, 0.15, 0.2, 0.3, 0.45), strict=True):
        proc = subprocess.Popen([sys.executable, str(SCRIPT), "--site", str(sites[n]),
                                 "--target", str(base), "--release-id", rid(n),
                                 "--no-csp-check"], env=environ,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.kill()
            killed += 1
        proc.wait(timeout=30)
        release = os.readlink(base / "current").removeprefix("releases/")
        assert (base / "current" / "release.txt").read_text() == f"{release}\n"
        site = sites[int(release[13:15])]
        assert sorted(p.relative_to(base / "current").as_posix()
                      for p in (base / "current").rglob("*") if p.is_file()) == sorted(
            [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
            + ["release.txt"])
    assert killed >= 2, "no publish was killed mid-way: make the site bigger"
    last = cli("--site", str(sites[8]), "--target", str(base), "--release-id", rid(8))
    assert last.returncode == 0, last.stderr
    assert live(LocalTarget(base))[0] == rid(8)
    assert not list((base / "releases").glob(".partial-*"))
    assert not list(base.glob(".current-*"))
