"""Publish targets (kb.deploy.targets): parsing a target, and one suite run against both
the local target and the SSH target — publish, prune, roll back, refuse.

The SSH target's shell scripts run for real with the local ``sh`` (the runner replaces
``ssh host sh -s`` by ``sh -s`` and rsync by a copy), so both targets share one suite.
"""

from __future__ import annotations

import os

import pytest
from releases import base_of, empty_site, emulated_ssh, live, make_site, rid, site_without_404, tree

from kb.deploy import release, targets
from kb.deploy.errors import PublishError
from kb.deploy.release import LocalTarget
from kb.deploy.remote import SshTarget


@pytest.mark.parametrize(("spec", "expected"), [
    ("deploy@web1:/srv/kb", SshTarget("deploy@web1", "/srv/kb")),
    ("web1:/srv/kb/", SshTarget("web1", "/srv/kb")),
    ("web1:kb-reports", SshTarget("web1", "kb-reports")),
    ("web1:~/kb-reports", SshTarget("web1", "kb-reports")),
    ("ssh://deploy@web1.example.internal:2222/srv/kb", SshTarget(
        "deploy@web1.example.internal", "/srv/kb", port=2222)),
    ("ssh://web1/srv/kb", SshTarget("web1", "/srv/kb")),
])
def test_parse_ssh_target(spec, expected):
    assert targets.parse_target(spec) == expected


def test_parse_local_target(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert targets.parse_target(str(tmp_path / "kb")) == LocalTarget(tmp_path / "kb")
    assert targets.parse_target("./a:b") == LocalTarget(tmp_path / "a:b")


@pytest.mark.parametrize(("spec", "message"), [
    ("", "没有指定发布目标"),
    ("web1:", "SSH 目标缺少路径"),
    ("ssh://web1", "SSH 目标格式不对"),
    ("-oProxyCommand=x:/srv", "主机名不合法"),
    ("-o@web1:/srv", "主机名不合法"),
    ("web1:/srv/kb reports", "远端路径只能包含"),
    ("web1:/srv/$(id)", "远端路径只能包含"),
    ("web1:/srv/'kb'", "远端路径只能包含"),
    ("web1:/srv/../etc", "远端路径只能包含"),
])
def test_parse_target_refuses(spec, message):
    with pytest.raises(PublishError, match=message):
        targets.parse_target(spec)


@pytest.fixture(params=["local", "ssh"])
def target(request, tmp_path) -> LocalTarget | SshTarget:
    base = tmp_path / "host" / "kb"
    if request.param == "local":
        return LocalTarget(base)
    calls: list[list[str]] = []
    target = SshTarget("web1", str(base), runner=emulated_ssh(calls))
    target.__dict__["calls"] = calls  # frozen dataclass: keep the log for assertions
    return target


def test_publish_switches_current_to_a_complete_copy(target, tmp_path):
    site = make_site(tmp_path / "s1", "v1")
    outcome = target.publish(site, rid(1))
    assert (outcome.current, outcome.previous) == (rid(1), None)
    base = base_of(target)
    assert os.readlink(base / "current") == f"releases/{rid(1)}"  # relative link
    live_id, files = live(target)
    assert live_id == rid(1)
    assert files == {**tree(site), "release.txt": f"{rid(1)}\n".encode()}

    outcome = target.publish(make_site(tmp_path / "s2", "v2"), rid(2))
    assert (outcome.current, outcome.previous) == (rid(2), rid(1))
    assert live(target)[1]["index.html"].endswith(b"<p>v2</p>")
    assert target.status() == release.Status(rid(2), [rid(1), rid(2)])
    assert sorted(p.name for p in base.iterdir() if p.name != ".publish.lock") == [
        "current", "releases"]  # no temporary link left behind


def test_publish_keeps_the_newest_releases(target, tmp_path):
    site = make_site(tmp_path / "s")
    for n in range(1, 5):
        target.publish(site, rid(n), keep=2)
    assert target.status() == release.Status(rid(4), [rid(3), rid(4)])
    assert sorted(p.name for p in (base_of(target) / "releases").iterdir()) == [rid(3), rid(4)]


def test_prune_never_removes_the_live_release(target, tmp_path):
    site = make_site(tmp_path / "s")
    target.publish(site, rid(3))
    target.publish(site, rid(4))
    outcome = target.publish(site, rid(1), keep=1)  # a clock that went backwards
    assert outcome.pruned == [rid(3)]
    assert target.status() == release.Status(rid(1), [rid(1), rid(4)])


def test_rollback_goes_back_one_release_at_a_time(target, tmp_path):
    for n in (1, 2, 3):
        target.publish(make_site(tmp_path / f"s{n}", f"v{n}"), rid(n))
    outcome = target.rollback()
    assert (outcome.current, outcome.previous) == (rid(2), rid(3))
    assert live(target)[0] == rid(2)
    assert live(target)[1]["index.html"].endswith(b"<p>v2</p>")
    assert target.rollback().current == rid(1)
    with pytest.raises(PublishError, match="没有可回滚的版本"):
        target.rollback()
    assert target.rollback(rid(3)).current == rid(3)
    assert live(target)[0] == rid(3)


@pytest.mark.parametrize(("to", "message"), [(rid(9), "版本不存在"), ("../x", "版本号格式不对")])
def test_rollback_to_unknown_release_changes_nothing(target, tmp_path, to, message):
    target.publish(make_site(tmp_path / "s"), rid(1))
    with pytest.raises(PublishError, match=message):
        target.rollback(to)
    assert live(target)[0] == rid(1)


@pytest.mark.parametrize("damage", [
    lambda r: (r / "release.txt").write_bytes(b"\x00\xffgarbage"),
    lambda r: (r / "release.txt").write_text(""),  # emptied by a power cut
    lambda r: (r / "release.txt").unlink(),
    lambda r: (r / "index.html").unlink(),
], ids=["garbage", "empty", "no-release-txt", "no-index"])
def test_rollback_refuses_a_damaged_release(target, tmp_path, damage):
    for n in (1, 2):
        target.publish(make_site(tmp_path / f"s{n}", f"v{n}"), rid(n))
    damage(base_of(target) / "releases" / rid(1))
    with pytest.raises(PublishError, match="不完整.*线上版本未改变"):
        target.rollback()
    assert live(target)[0] == rid(2)
    assert target.status().current == rid(2)


def test_rollback_without_any_release(target):
    base_of(target).mkdir(parents=True)
    with pytest.raises(PublishError, match="还没有发布过任何版本"):
        target.rollback()


def test_failed_build_publishes_nothing(target, tmp_path):
    target.publish(make_site(tmp_path / "s1", "v1"), rid(1))
    before = live(target)
    for broken in (empty_site(tmp_path), site_without_404(tmp_path / "x")):
        with pytest.raises(PublishError):
            target.publish(broken, rid(2))
    assert live(target) == before
    assert target.status().releases == [rid(1)]


def test_leftover_of_an_interrupted_upload_is_ignored_then_removed(target, tmp_path):
    target.publish(make_site(tmp_path / "s1"), rid(1))
    partial = base_of(target) / "releases" / f".partial-{rid(5)}"
    make_site(partial, "half")
    (partial / "404.html").unlink()
    assert target.status().releases == [rid(1)]
    with pytest.raises(PublishError, match="没有可回滚的版本"):
        target.rollback()  # the leftover is not a release
    link = base_of(target) / f".current-{rid(5)}.tmp"  # a publish killed while switching
    link.symlink_to(f"releases/.partial-{rid(5)}")
    target.publish(make_site(tmp_path / "s2"), rid(2))
    assert not partial.exists()
    assert not link.is_symlink()
    assert target.status().releases == [rid(1), rid(2)]


def test_current_as_a_real_directory_is_refused(target, tmp_path):
    (base_of(target) / "current").mkdir(parents=True)
    with pytest.raises(PublishError, match="不是符号链接"):
        target.publish(make_site(tmp_path / "s"), rid(1))
    assert (base_of(target) / "current").is_dir()
    assert not (base_of(target) / "current").is_symlink()


def test_existing_release_id_is_refused(target, tmp_path):
    site = make_site(tmp_path / "s")
    target.publish(site, rid(1))
    with pytest.raises(PublishError, match="版本已存在"):
        target.publish(site, rid(1))
    assert live(target)[0] == rid(1)
