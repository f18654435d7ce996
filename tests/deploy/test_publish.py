"""The command line scripts/publish.py: publish, status, rollback, dry run, the nginx
configuration and the CSP hashes; every failure is one Chinese line and a non-zero exit."""

from __future__ import annotations

import errno

import pytest
from releases import assert_one_chinese_line, cli, empty_site, make_site, rid

from conftest import ROOT, load_script
from kb.deploy import csp, release


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
    result = cli("--site", str(empty_site(tmp_path)), "--target", str(tmp_path / "kb"))
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


def test_page_that_is_not_utf8_is_refused_without_echoing_it(tmp_path):
    site = make_site(tmp_path / "s", extra={"reports/b/index.html": ""})
    (site / "reports/b/index.html").write_bytes(b"<p>\xff\xfe SECRET-BYTES</p>")
    result = cli("--site", str(site), "--target", str(tmp_path / "kb"))
    assert result.returncode == 1
    assert_one_chinese_line(result.stderr, "页面不是 UTF-8 文本", "reports/b/index.html",
                            "make build")
    assert "SECRET-BYTES" not in result.stderr
    assert not (tmp_path / "kb").exists()


def test_cli_turns_any_failure_into_one_line(tmp_path, monkeypatch, capsys):
    """Whatever escapes kb.deploy (an OSError of an unforeseen step, a bug, Ctrl+C)."""
    script = load_script("publish")
    site = make_site(tmp_path / "s")
    args = ["--site", str(site), "--target", str(tmp_path / "kb"), "--no-csp-check"]
    for error, code, words in [
        (OSError(errno.EIO, "Input/output error", "/dev/sdb"), 1, "磁盘读写错误"),
        (RuntimeError("boom"), 1, "意外错误（RuntimeError）"),
        (KeyboardInterrupt(), 130, "发布被中断"),
    ]:
        def fail(*_args, error=error, **_kwargs):
            raise error

        monkeypatch.setattr(release.LocalTarget, "publish", fail)
        assert script.main(args) == code
        captured = capsys.readouterr()
        assert captured.out == ""
        assert_one_chinese_line(captured.err, words, "--status")
