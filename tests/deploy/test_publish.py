"""Tests of kb.deploy (release, remote, targets, csp) and scripts/publish.py: site checks,
release ids, the atomic switch, pruning, rollback, interrupted uploads, the SSH/rsync command
lines and the CSP check.

The SSH target's shell scripts run for real with the local ``sh`` (the runner replaces
``ssh host sh -s`` by ``sh -s`` and rsync by a copy), so both targets share one suite.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, load_script
from kb.deploy import csp, nginxconf, release, remote, targets
from kb.deploy.errors import PublishError
from kb.deploy.release import LocalTarget
from kb.deploy.remote import SshTarget

TEMPLATE = ROOT / "deploy" / "nginx" / "kb-reports.conf.template"
SCRIPT = ROOT / "scripts" / "publish.py"


def rid(n: int) -> str:
    return f"20250101T0000{n:02d}Z-test"


def make_site(path: Path, marker: str = "v1", extra: dict[str, str] | None = None) -> Path:
    files = {
        "index.html": f"<!doctype html><title>首页</title><p>{marker}</p>",
        "404.html": "<!doctype html><title>页面不存在</title>",
        "kb-build.json": "{}",
        "reports/a/index.html": f"<p>report {marker}</p>",
        "assets/kb.css": "body{}",
        **(extra or {}),
    }
    for rel, text in files.items():
        (path / rel).parent.mkdir(parents=True, exist_ok=True)
        (path / rel).write_text(text, encoding="utf-8")
    return path


def tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes()
            for p in sorted(path.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- site checks


def _missing(tmp: Path) -> Path:
    return tmp / "nope"


def _empty(tmp: Path) -> Path:
    (tmp / "site").mkdir()
    return tmp / "site"


def _no_index(tmp: Path) -> Path:
    site = make_site(tmp / "site")
    (site / "index.html").unlink()
    return site


def _no_404(tmp: Path) -> Path:
    site = make_site(tmp / "site")
    (site / "404.html").unlink()
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
    (_empty, "站点目录为空"),
    (_no_index, "站点缺少 index.html"),
    (_no_404, "站点缺少 404.html"),
    (_no_marker, "站点缺少 kb-build.json"),
    (_symlink, "站点中有符号链接，拒绝发布：passwd"),
    (_fifo, "站点中有特殊文件，拒绝发布：pipe"),
])
def test_check_site_refuses(tmp_path, make, expected):
    problems = release.check_site(make(tmp_path))
    assert len(problems) == 1 and expected in problems[0], problems


def test_check_site_accepts_complete_site(tmp_path):
    assert release.check_site(make_site(tmp_path / "site")) == []


# --------------------------------------------------------------------------- release ids


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


# --------------------------------------------------------------------------- targets


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


def emulated_ssh(calls: list[list[str]]) -> remote.Runner:
    """Run what would run on the host locally: ``sh -s`` for ssh, a copy for rsync."""

    def run(argv: list[str], stdin: str | None) -> str:
        calls.append(argv)
        if argv[0] == "ssh":
            assert argv[-1] == "sh -s" and stdin
            return remote.run_command(["sh", "-s"], stdin)
        assert argv[0] == "rsync" and argv[-1].startswith("web1:")
        dest = Path(argv[-1].split(":", 1)[1])
        assert dest.parent.is_dir() and not dest.exists()
        shutil.copytree(argv[-2], dest)
        return ""

    return run


@pytest.fixture(params=["local", "ssh"])
def target(request, tmp_path) -> LocalTarget | SshTarget:
    base = tmp_path / "host" / "kb"
    if request.param == "local":
        return LocalTarget(base)
    calls: list[list[str]] = []
    target = SshTarget("web1", str(base), runner=emulated_ssh(calls))
    target.__dict__["calls"] = calls  # frozen dataclass: keep the log for assertions
    return target


def base_of(target: LocalTarget | SshTarget) -> Path:
    return target.base if isinstance(target, LocalTarget) else Path(target.path)


def live(target) -> tuple[str, dict[str, bytes]]:
    """The live release id and the files served from ``current``."""
    current = base_of(target) / "current"
    assert current.is_symlink()
    return (current / "release.txt").read_text().strip(), tree(current)


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
    for broken in (_empty(tmp_path), _no_404(tmp_path / "x")):
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


# --------------------------------------------------------------------------- local specifics


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


# --------------------------------------------------------------------------- CSP


@pytest.mark.parametrize(("html", "field", "value"), [
    ("<script>alert(1)</script>", "scripts", "alert(1)"),
    ('<script type="module">x()</script>', "scripts", "x()"),
    ('<script type="application/json">{"a":1}</script>', "scripts", None),
    ('<script src="a.js"></script>', "scripts", None),
    ("<style>p{color:red}</style>", "styles", "p{color:red}"),
    ('<td style="text-align: right;">1</td>', "style_attrs", "text-align: right;"),
    ('<button onclick="print()">打印</button>', "handlers", "p.html: <button onclick>"),
    ('<a href=" JavaScript:void(0)">x</a>', "handlers", "p.html: <a href=javascript:>"),
    ('<a href="&#106;avascript:x()">x</a>', "handlers", "p.html: <a href=javascript:>"),
    ("<SCRIPT>up()</SCRIPT>", "scripts", "up()"),
    ('<p title="a > b" style="color: red">x</p>', "style_attrs", "color: red"),
    ("<!-- <script>old()</script> -->", "scripts", None),
    ('<script>if (a<b) x("<p style=z>")</script>', "style_attrs", None),
    ('<img src=x.png onerror=alert(1)>', "handlers", "p.html: <img onerror>"),
])
def test_inline_code_is_found(tmp_path, html, field, value):
    (tmp_path / "p.html").write_text(f"<!doctype html><body>{html}</body>", encoding="utf-8")
    found = getattr(csp.inline_code(tmp_path), field)
    assert found == ({value} if value is not None else set())


POLICY = ("default-src 'none'; script-src 'self' " + csp.csp_hash("ok()")
          + "; style-src 'self' 'unsafe-hashes' " + csp.csp_hash("text-align: left;"))


@pytest.mark.parametrize(("code", "problem"), [
    (csp.InlineCode(scripts={"ok()"}, style_attrs={"text-align: left;"}), None),
    (csp.InlineCode(scripts={"evil()"}), "内联脚本未被 CSP 允许"),
    (csp.InlineCode(styles={"p{}"}), "内联 <style> 未被 CSP 允许"),
    (csp.InlineCode(style_attrs={"color: red"}), "style 属性未被 CSP 允许"),
    (csp.InlineCode(handlers={"a.html: <a onclick>"}), "内联事件处理"),
])
def test_csp_problems(code, problem):
    problems = csp.csp_problems(code, POLICY)
    assert (problems == []) if problem is None else (len(problems) == 1 and problem in problems[0])


def test_style_attribute_hash_needs_unsafe_hashes():
    policy = "style-src 'self' " + csp.csp_hash("text-align: left;")
    code = csp.InlineCode(style_attrs={"text-align: left;"})
    assert csp.csp_problems(code, policy)


# --------------------------------------------------------------------------- command line


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k != "KB_PUBLISH_TARGET"}
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          env={**environ, **(env or {})}, timeout=120)


def test_cli_publish_status_rollback(tmp_path):
    base = tmp_path / "kb"
    site = make_site(tmp_path / "s")
    env = {"KB_PUBLISH_TARGET": str(base)}
    first = cli("--site", str(site), "--release-id", rid(1), env=env)
    assert first.returncode == 0, first.stderr
    assert f"已切换到版本 {rid(1)}" in first.stdout
    second = cli("--site", str(site), "--label", "Feature X", env=env)
    assert second.returncode == 0, second.stderr
    assert "-feature-x（原版本：" in second.stdout
    status = cli("--status", env=env)
    assert status.stdout.startswith("当前版本：") and rid(1) in status.stdout
    back = cli("--rollback", env=env)
    assert back.returncode == 0 and f"已切换到版本 {rid(1)}" in back.stdout
    assert (base / "current" / "release.txt").read_text() == f"{rid(1)}\n"


def test_cli_refuses_broken_site_with_exit_code(tmp_path):
    result = cli("--site", str(_empty(tmp_path)), "--target", str(tmp_path / "kb"))
    assert result.returncode == 1
    assert "发布失败：站点目录为空" in result.stderr
    assert not (tmp_path / "kb").exists()


def test_cli_refuses_inline_code_outside_the_csp(tmp_path):
    site = make_site(tmp_path / "s", extra={"x/index.html": "<script>alert(1)</script>"})
    result = cli("--site", str(site), "--target", str(tmp_path / "kb"))
    assert result.returncode == 1
    assert "内联脚本未被 CSP 允许" in result.stderr and "--print-csp" in result.stderr
    assert not (tmp_path / "kb").exists()
    forced = cli("--site", str(site), "--target", str(tmp_path / "kb"), "--no-csp-check")
    assert forced.returncode == 0, forced.stderr


def test_cli_dry_run_over_ssh_shows_commands_and_touches_nothing(tmp_path):
    site = make_site(tmp_path / "s")
    result = cli("--site", str(site), "--target", "deploy@web1:/srv/kb", "--dry-run",
                 "--release-id", rid(1), "--ssh-key", "/run/key")
    assert result.returncode == 0, result.stderr
    assert "rsync --recursive" in result.stdout
    assert f"deploy@web1:/srv/kb/releases/.partial-{rid(1)}/" in result.stdout
    assert "mv -T -- \".current-$id.tmp\" current" in result.stdout


def test_cli_print_nginx_conf_default_is_open_and_says_so():
    result = cli("--print-nginx-conf", "--base", "/srv/kb", "--listen", "8080",
                 "--server-name", "kb")
    assert result.returncode == 0, result.stderr
    assert "root /srv/kb/current;" in result.stdout and result.stdout.endswith("}\n")
    assert "listen 8080;" in result.stdout and "auth_" not in result.stdout
    assert "未设置访问控制" in result.stderr  # a reminder, not part of the configuration


def test_cli_print_nginx_conf_with_access_control():
    result = cli("--print-nginx-conf", "--server-name", "kb.example.internal",
                 "--allow", "10.0.0.0/8", "192.0.2.7", "--allow", "172.16.0.0/12",
                 "--basic-auth", "/etc/nginx/kb-reports.htpasswd",
                 "--tls-cert", "/etc/ssl/kb.pem", "--tls-key", "/etc/ssl/private/kb.key",
                 "--access-log", "/var/log/kb-reports/access.log")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for line in ("allow 10.0.0.0/8;", "allow 192.0.2.7;", "allow 172.16.0.0/12;", "deny all;",
                 "auth_basic_user_file /etc/nginx/kb-reports.htpasswd;", "listen 443 ssl;",
                 "listen 80;", "return 301 https://$host$request_uri;",
                 "access_log /var/log/kb-reports/access.log kb_audit;"):
        assert line in result.stdout, line


@pytest.mark.parametrize(("login", "secret"), [
    (["--basic-auth", "/etc/nginx/kb-reports.htpasswd"], "用户名和密码"),
    (["--auth-request", "http://127.0.0.1:9091/auth"], "Cookie"),
])
def test_cli_print_nginx_conf_warns_of_a_login_without_https(login, secret):
    """Not refused (a front proxy may terminate TLS), but said on stderr, in Chinese."""
    result = cli("--print-nginx-conf", "--allow", "10.0.0.0/8", *login)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("}\n") and "提示" not in result.stdout
    warning, = result.stderr.splitlines()
    assert warning.startswith("提示：") and secret in warning and "明文" in warning
    assert "--tls-cert" in warning and "反向代理" in warning


@pytest.mark.parametrize(("args", "message"), [
    (["--allow", "10.0.0.0/33"], "--allow 的值不是网段"),
    (["--basic-auth", "/etc/x", "--auth-request", "http://127.0.0.1:9091/auth"], "只能选一个"),
    (["--tls-cert", "/etc/ssl/kb.pem"], "同时给出 --tls-cert 和 --tls-key"),
    (["--login-url", "https://sso/login"], "--login-url 需要和 --auth-request"),
])
def test_cli_print_nginx_conf_refuses_in_one_line(args, message):
    result = cli("--print-nginx-conf", *args)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("生成 nginx 配置失败：") and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_every_nginx_switch_is_documented_in_chinese():
    """deploy/README.md explains each switch of --print-nginx-conf an office chooses from."""
    doc = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    group = next(g for g in load_script("publish").parser()._action_groups
                 if g.title.startswith("nginx 配置"))
    switches = [opt for action in group._group_actions for opt in action.option_strings]
    assert len(switches) >= 12
    for switch in switches:
        assert switch in doc, switch
    for needed in ("htpasswd -c", "openssl passwd", "/etc/logrotate.d/kb-reports", "rotate 200",
                   "GitLab Pages", "隐藏文件一律 404"):
        assert needed in doc, needed


def test_cli_print_csp(tmp_path):
    site = make_site(tmp_path / "s", extra={"a/index.html": "<script>go()</script>"})
    result = cli("--print-csp", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert csp.csp_hash("go()") in result.stdout


@pytest.mark.slow
def test_built_site_inline_code_is_allowed_by_the_shipped_csp(built_site):
    """Every inline script/style of the real site has its hash in deploy/nginx (else the
    browser would block it); run ``scripts/publish.py --print-csp`` to update the hashes."""
    code = csp.inline_code(built_site)
    assert code.scripts, "Material's inline scripts not found: is the parser broken?"
    policy = nginxconf.nginx_csp(TEMPLATE.read_text(encoding="utf-8"))
    assert csp.csp_problems(code, policy) == []
