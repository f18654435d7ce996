"""Releases (kb.deploy.release): site checks, release ids, pruning and rollback choices, and
what only the local target does (an interrupted copy, a concurrent publish, file modes)."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import stat
from pathlib import Path

import pytest
from releases import empty_site, live, make_site, rid, site_without_404

from conftest import ROOT
from kb.deploy import release
from kb.deploy.errors import PublishError
from kb.deploy.release import LocalTarget


def _missing(tmp: Path) -> Path:
    return tmp / "nope"


def _no_index(tmp: Path) -> Path:
    site = make_site(tmp / "site")
    (site / "index.html").unlink()
    return site


def _no_marker(tmp: Path) -> Path:
    site = make_site(tmp / "site")
    (site / "kb-build.json").unlink()
    return site


def _symlink(tmp: Path) -> Path:
    site = make_site(tmp / "site")
    (site / "passwd").symlink_to("/etc/passwd")
    return site


def _fifo(tmp: Path) -> Path:
    site = make_site(tmp / "site")
    os.mkfifo(site / "pipe")
    return site


def _marker(content: bytes):
    def make(tmp: Path) -> Path:
        site = make_site(tmp / "site")
        (site / "kb-build.json").write_bytes(content)
        return site
    return make


@pytest.mark.parametrize(("make", "expected"), [
    (_marker(b"\xff\xfe\x00garbage"), "站点的构建标记已损坏"),
    (_marker(b""), "站点的构建标记已损坏"),  # a build cut off while writing it
    (_marker(b'{"build_date": "2025-'), "站点的构建标记已损坏"),
    (_marker(b"[1, 2]"), "站点的构建标记已损坏"),
    (_marker(b"{}" + b" " * (release.MAX_MARKER_BYTES + 1)), "站点的构建标记已损坏"),
    (_missing, "站点目录不存在"),
    (empty_site, "站点目录为空"),
    (_no_index, "站点缺少 index.html"),
    (site_without_404, "站点缺少 404.html"),
    (_no_marker, "站点缺少 kb-build.json"),
    (_symlink, "站点中有符号链接，拒绝发布：passwd"),
    (_fifo, "站点中有特殊文件，拒绝发布：pipe"),
])
def test_check_site_refuses(tmp_path, make, expected):
    problems = release.check_site(make(tmp_path))
    assert len(problems) == 1 and expected in problems[0], problems


def test_check_site_accepts_complete_site(tmp_path):
    assert release.check_site(make_site(tmp_path / "site")) == []


@pytest.mark.parametrize(("label", "expected"), [
    ("1a2b3c4d", "1a2b3c4d"),
    ("Hello World!", "hello-world"),
    ("--x--", "x"),
    ("中文", "local"),
    ("", "local"),
    ("a" * 60, "a" * 40),
])
def test_sanitize_label(label, expected):
    assert release.sanitize_label(label) == expected


def test_make_release_id_is_utc_and_valid():
    moment = dt.datetime(2025, 1, 1, 8, 30, 5, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    release_id = release.make_release_id(moment, "ABC123")
    assert release_id == "20250101T003005Z-abc123"
    assert release.check_release_id(release_id) == release_id


@pytest.mark.parametrize("bad", [
    "", "latest", "../20250101T000000Z-x", "20250101T000000Z-", "20250101T000000Z-A",
    "20250101T000000Z-x;rm", "20250101T000000Z-x y", "2025-01-01T000000Z-x", "20250101T000000Z-x\n",
])
def test_check_release_id_refuses(bad):
    with pytest.raises(PublishError, match="版本号格式不对"):
        release.check_release_id(bad)


@pytest.mark.parametrize(("environ", "expected"), [
    ({"CI_COMMIT_SHORT_SHA": "abcdef12"}, "abcdef12"),
    ({"GITHUB_SHA": "0123456789abcdef"}, "01234567"),
])
def test_default_label_from_ci(environ, expected):
    assert release.default_label(environ) == expected


def test_default_label_from_git_or_local(tmp_path):
    assert release.default_label({}, tmp_path) == "local"  # not a repository
    label = release.default_label({}, ROOT)
    assert label == "local" or len(label) == 8


@pytest.mark.parametrize(("ids", "current", "keep", "pruned"), [
    ([rid(1), rid(2), rid(3)], rid(3), 2, [rid(1)]),
    ([rid(3), rid(1), rid(2)], rid(3), 5, []),
    ([rid(1), rid(2), rid(3)], rid(1), 1, [rid(2)]),       # the live release always stays
    ([rid(1), ".partial-x", "notes", rid(2)], rid(2), 1, [rid(1)]),  # foreign names ignored
])
def test_releases_to_prune(ids, current, keep, pruned):
    assert release.releases_to_prune(ids, current, keep) == pruned


@pytest.mark.parametrize(("ids", "current", "previous"), [
    ([rid(1), rid(2), rid(3)], rid(3), rid(2)),
    ([rid(3), rid(2), rid(1)], rid(2), rid(1)),
    ([rid(1), rid(2)], rid(1), None),
    ([rid(1)], None, None),
])
def test_previous_release(ids, current, previous):
    assert release.previous_release(ids, current) == previous


@pytest.mark.parametrize(("error", "raised"), [(OSError("磁盘已满"), PublishError),
                                               (KeyboardInterrupt(), KeyboardInterrupt)])
def test_interrupted_copy_leaves_the_live_site(tmp_path, monkeypatch, error, raised):
    target = LocalTarget(tmp_path / "kb")
    target.publish(make_site(tmp_path / "s1", "v1"), rid(1))
    before = live(target)
    copied: list[Path] = []
    real_copy = release._copy_file

    def flaky(src: Path, dst: Path) -> None:
        if len(copied) == 2:
            raise error
        copied.append(dst)
        real_copy(src, dst)

    monkeypatch.setattr(release, "_copy_file", flaky)
    with pytest.raises(raised):
        target.publish(make_site(tmp_path / "s2", "v2"), rid(2))
    assert live(target) == before
    assert sorted(p.name for p in target.releases.iterdir()) == [rid(1)]


def test_concurrent_publish_is_refused(tmp_path):
    target = LocalTarget(tmp_path / "kb")
    target.publish(make_site(tmp_path / "s"), rid(1))
    with open(target.base / ".publish.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with pytest.raises(PublishError, match="另一个发布正在进行"):
            target.publish(make_site(tmp_path / "s2"), rid(2))
    assert live(target)[0] == rid(1)


def test_published_files_are_readable_by_the_web_server(tmp_path):
    site = make_site(tmp_path / "s")
    os.chmod(site / "index.html", 0o600)
    old = os.umask(0o077)
    try:
        LocalTarget(tmp_path / "kb").publish(site, rid(1))
    finally:
        os.umask(old)
    release = tmp_path / "kb" / "releases" / rid(1)
    paths = [release.parent, release, *release.rglob("*")]
    assert {stat.S_IMODE(p.stat().st_mode) for p in paths if p.is_dir()} == {0o755}
    assert {stat.S_IMODE(p.stat().st_mode) for p in paths if p.is_file()} == {0o644}
