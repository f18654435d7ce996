"""Tests of kb.deploy.nginxconf: the rendered nginx configuration (no nginx needed; the real
server runs in test_nginx.py and test_nginx_access.py)."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from kb.deploy import csp, nginxconf
from kb.deploy.nginxconf import NginxConfigError, NginxOptions

TEMPLATE = ROOT / "deploy" / "nginx" / "kb-reports.conf.template"
TEXT = TEMPLATE.read_text(encoding="utf-8")
CERT = {"tls_cert": "/etc/ssl/kb.pem", "tls_key": "/etc/ssl/private/kb.key"}


def render(**options) -> str:
    return nginxconf.render_nginx_conf(TEXT, NginxOptions(**options))


def server_block(text: str) -> str:
    """The site's server block (the one with a root), without comments."""
    block = text[text.index("server {\n    listen", text.index("map $uri")):]
    return "\n".join(line for line in block.splitlines() if not line.strip().startswith("#"))


def test_template_csp_has_no_external_source():
    policy = csp.parse_csp(nginxconf.nginx_csp(TEXT))
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'wasm-unsafe-eval'" in policy["script-src"]  # Pagefind compiles WebAssembly
    for directive, sources in policy.items():
        for source in sources:
            assert source in {"'self'", "'none'", "'wasm-unsafe-eval'", "'unsafe-hashes'",
                              "data:"} or source.startswith("'sha256-"), (directive, source)
    for needed in ("script-src", "style-src", "img-src", "connect-src", "worker-src",
                   "base-uri", "form-action", "object-src"):
        assert needed in policy


def test_default_is_todays_open_plain_http_site():
    text = render(base="/srv/kb/", listen="127.0.0.1:8080", server_name="kb.example.internal")
    block = server_block(text)
    assert "root /srv/kb/current;" in block
    assert "listen 127.0.0.1:8080;" in block
    assert "server_name kb.example.internal;" in block
    assert '"public, max-age=31536000, immutable"' in text and '"no-cache"' in text
    for word in ("allow", "deny", "auth_basic", "auth_request", "ssl", "Strict-Transport",
                 "log_format", "access_log", "return 301"):
        assert word not in block, word
    assert "@KB_" not in text
    assert "\n\n\n" not in text  # dropped placeholder lines leave no gap
    assert text.count("server {") == 1


def test_hidden_paths_are_refused_before_any_location():
    """A server-level rule: no location (regex or ^~) can be matched before it."""
    block = server_block(render())
    rule = block.index('if ($uri ~ "/\\.") {\n        return 404;')
    assert rule < block.index("location ")
    assert re.search(r"location ~ /\\\.", block) is None  # the old, order-dependent block


def test_default_listen_follows_tls():
    assert "listen 80;" in render()
    assert "listen 443 ssl;" in render(**CERT)
    assert "listen 8443 ssl;" in render(listen="8443", **CERT)


@pytest.mark.parametrize(("listen", "location"), [
    (None, "return 301 https://$host$request_uri;"),
    ("443", "return 301 https://$host$request_uri;"),
    ("10.0.0.5:443", "return 301 https://$host$request_uri;"),
    ("127.0.0.1:8443", "return 301 https://$host:8443$request_uri;"),
    ("[::1]:8443", "return 301 https://$host:8443$request_uri;"),
])
def test_tls_adds_a_redirecting_http_server_and_hsts(listen, location):
    text = render(listen=listen, http_listen="127.0.0.1:8080", **CERT)
    redirect = text[text.index("server {"):text.index("}\n", text.index("server {"))]
    assert "listen 127.0.0.1:8080;" in redirect and location in redirect
    block = server_block(text)
    assert "ssl_certificate /etc/ssl/kb.pem;" in block
    assert "ssl_certificate_key /etc/ssl/private/kb.key;" in block
    assert 'add_header Strict-Transport-Security "max-age=31536000" always;' in block
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in block


def test_allow_list_normalizes_networks_then_denies_all():
    block = server_block(render(allow=("10.1.2.3/8", "192.0.2.7", "2001:db8::1/32",
                                       "192.0.2.0/32")))
    assert ("allow 10.0.0.0/8;\n    allow 192.0.2.7;\n    allow 2001:db8::/32;\n"
            "    allow 192.0.2.0;\n    deny all;") in block


def test_basic_auth():
    block = server_block(render(basic_auth="/etc/nginx/kb.htpasswd"))
    assert 'auth_basic "kb-reports";' in block
    assert "auth_basic_user_file /etc/nginx/kb.htpasswd;" in block


def test_auth_request_with_login_redirect():
    block = server_block(render(
        auth_request="http://127.0.0.1:9091/auth", auth_user_header="X-Auth-Request-User",
        login_url="https://sso.example.internal/login?rd=$scheme://$http_host$request_uri"))
    assert "auth_request /_kb_auth;" in block
    assert "auth_request_set $kb_sso_user $upstream_http_x_auth_request_user;" in block
    assert "error_page 401 = @kb_login;" in block
    auth = block[block.index("location = /_kb_auth {"):]
    assert "internal;" in auth and "proxy_pass http://127.0.0.1:9091/auth;" in auth
    assert "proxy_pass_request_body off;" in auth
    assert ('return 302 "https://sso.example.internal/login?rd=$scheme://$http_host'
            '$request_uri";') in block


def test_auth_request_without_login_url_keeps_the_401():
    block = server_block(render(auth_request="http://127.0.0.1:9091/auth"))
    assert "@kb_login" not in block and "return 302" not in block
    assert "error_page 401 /_kb_errors/401;" in block  # the 401 with a Chinese page


BASIC = {"basic_auth": "/etc/nginx/kb.htpasswd"}
SSO = {"auth_request": "http://127.0.0.1:9091/auth"}
SSO_LOGIN = {**SSO, "login_url": "https://sso.example.internal/login"}
ALLOW = {"allow": ("10.0.0.0/8",)}


@pytest.mark.parametrize(("options", "pages", "exempt"), [
    (ALLOW, [403], ["allow all;"]),
    (BASIC, [401, 403], ["auth_basic off;"]),
    (SSO, [401, 403], ["auth_request off;"]),
    (SSO_LOGIN, [403], ["auth_request off;"]),  # the 401 goes to the login page
    ({**ALLOW, **BASIC}, [401, 403], ["allow all;", "auth_basic off;"]),
    ({**ALLOW, **SSO_LOGIN, **CERT}, [403], ["allow all;", "auth_request off;"]),
])
def test_refused_readers_get_chinese_pages_from_exempt_internal_locations(options, pages,
                                                                          exempt):
    block = server_block(render(**options))
    assert re.findall(r"error_page (40[13]) /_kb_errors/\1;", block) == [str(p) for p in pages]
    assert "recursive_error_pages on;" in block  # a hidden path's 404 page refused in turn
    assert ("error_page 401 = @kb_login;" in block) is ("login_url" in options)
    for status in pages:
        location = block[block.index(f"location = /_kb_errors/{status} {{"):]
        location = location[:location.index("\n    }")]
        html = nginxconf.error_page_html(status, NginxOptions(**options))
        assert location.split("\n")[1:] == [
            "        internal;", *(f"        {line}" for line in exempt),
            "        default_type text/html;", f'        return {status} "{html}";']
        assert "add_header" not in location  # the server's security headers stay


@pytest.mark.parametrize(("status", "options", "words"), [
    (401, BASIC, ["需要登录", "用户名和密码", "网站管理员"]),
    (401, SSO, ["需要登录", "统一身份认证", "网站管理员"]),
    (403, ALLOW, ["无权阅读", "网络", "网站管理员"]),
    (403, SSO_LOGIN, ["无权阅读", "账号", "网站管理员"]),
])
def test_refusal_pages_are_chinese_and_safe_as_nginx_strings(status, options, words):
    html = nginxconf.error_page_html(status, NginxOptions(**options))
    assert html.startswith("<!doctype html><html lang=zh-CN><head><meta charset=utf-8>")
    for word in words:
        assert word in html
    assert not set(html) & {'"', "\\", "$"}  # would end or interpolate the string
    assert html.isprintable()  # one line, no control character
    assert "<script" not in html and "style" not in html and "http" not in html


def test_open_site_has_no_refusal_pages():
    text = render()
    assert "_kb_errors" not in text and "recursive_error_pages" not in text


@pytest.mark.parametrize(("options", "words"), [
    (BASIC, ["--basic-auth", "用户名和密码", "明文", "反向代理"]),
    (SSO, ["--auth-request", "Cookie", "明文", "反向代理"]),
    (SSO_LOGIN, ["--auth-request", "Cookie"]),
    ({**ALLOW, **BASIC}, ["--basic-auth"]),
])
def test_login_without_tls_warns_of_cleartext(options, words):
    warning = nginxconf.cleartext_login_warning(NginxOptions(**options))
    assert warning is not None and warning.startswith("提示：")
    for word in words:
        assert word in warning
    assert warning in nginxconf.warnings(NginxOptions(**options))
    assert nginxconf.cleartext_login_warning(NginxOptions(**options, **CERT)) is None


@pytest.mark.parametrize("options", [{}, ALLOW, {"access_log": "/var/log/kb/a.log"}, CERT])
def test_no_cleartext_warning_without_a_login(options):
    assert nginxconf.cleartext_login_warning(NginxOptions(**options)) is None


@pytest.mark.parametrize(("options", "private"), [
    ({}, False),
    ({"allow": ("10.0.0.0/8",)}, True),
    ({"basic_auth": "/etc/nginx/kb.htpasswd"}, True),
    ({"auth_request": "http://127.0.0.1:9091/auth"}, True),
    ({"access_log": "/var/log/kb/access.log", **CERT}, False),
])
def test_access_control_makes_responses_private(options, private):
    text = render(**options)
    scope = "private" if private else "public"
    assert text.count(f'"{scope}, max-age=31536000, immutable"') == 2
    assert ('"private, no-cache"' in text) is private
    assert '"no-store"' in text  # release.txt
    assert (nginxconf.open_to_all_warning(NginxOptions(**options)) is None) is private


@pytest.mark.parametrize(("options", "user"), [
    ({}, "$remote_user"),
    ({"basic_auth": "/etc/nginx/kb.htpasswd"}, "$remote_user"),
    ({"auth_request": "http://127.0.0.1:9091/auth"}, "$kb_sso_user"),
])
def test_access_log_records_who_what_when(options, user):
    text = render(access_log="/var/log/kb-reports/access.log", **options)
    fmt = re.search(r"log_format kb_audit escape=json '(\{.*\})';", text)
    assert fmt, text
    for field in ('"time":"$time_iso8601"', '"client":"$remote_addr"', f'"user":"{user}"',
                  '"method":"$request_method"', '"uri":"$request_uri"', '"status":"$status"'):
        assert field in fmt[1]
    assert "access_log /var/log/kb-reports/access.log kb_audit;" in server_block(text)


def test_access_log_covers_the_https_redirect():
    text = render(access_log="/var/log/kb/a.log", **CERT)
    assert text.count("access_log /var/log/kb/a.log kb_audit;") == 2


@pytest.mark.parametrize(("options", "message"), [
    ({"base": "/srv/kb; include /etc/passwd"}, "--base 的值不能用"),
    ({"server_name": "a b"}, "--server-name 的值不能用"),
    ({"listen": ""}, "--listen 的值不能用"),
    ({"listen": "80;"}, "--listen 的值不能用"),
    ({"allow": ("any",)}, "--allow 的值不是网段"),
    ({"allow": ("10.0.0.0/33",)}, "--allow 的值不是网段"),
    ({"allow": ("10.0.0.0/8; allow all",)}, "--allow 的值不是网段"),
    ({"basic_auth": "kb.htpasswd"}, "--basic-auth 的值不能用"),
    ({"basic_auth": "/etc/nginx/kb pass"}, "--basic-auth 的值不能用"),
    ({"basic_auth": "/etc/x;\n}"}, "--basic-auth 的值不能用"),
    ({"access_log": "/var/log/$host.log"}, "--access-log 的值不能用"),
    ({"auth_request": "ftp://sso/auth"}, "--auth-request 的值不能用"),
    ({"auth_request": "http://sso/auth?u=$remote_user"}, "--auth-request 的值不能用"),
    ({"auth_request": "http://sso/a;b"}, "--auth-request 的值不能用"),
    ({"auth_request": "http://sso/a", "login_url": 'https://sso/"; return 200 "x'},
     "--login-url 的值不能用"),
    ({"auth_request": "http://sso/a", "login_url": "https://sso/{x}"}, "--login-url 的值不能用"),
    ({"auth_request": "http://sso/a", "login_url": "/login"}, "--login-url 的值不能用"),
    ({"auth_request": "http://sso/a", "auth_user_header": "X User"}, "--auth-user-header"),
    ({"login_url": "https://sso/login"}, "--login-url 需要和 --auth-request"),
    ({"basic_auth": "/etc/kb.htpasswd", "auth_request": "http://sso/a"}, "只能选一个"),
    ({"tls_cert": "/etc/ssl/kb.pem"}, "同时给出 --tls-cert 和 --tls-key"),
    ({"tls_key": "/etc/ssl/kb.key"}, "同时给出 --tls-cert 和 --tls-key"),
    ({"tls_cert": "etc/kb.pem", "tls_key": "/etc/kb.key"}, "--tls-cert 的值不能用"),
    ({"http_listen": "8080"}, "--http-listen 只在启用 HTTPS"),
    ({"http_listen": "8080 default_server", **CERT}, "--http-listen 的值不能用"),
])
def test_refuses_values_nginx_would_misread(options, message):
    with pytest.raises(NginxConfigError, match=re.escape(message)):
        render(**options)


def test_refuses_unknown_placeholder():
    with pytest.raises(NginxConfigError, match="@KB_PORT@"):
        nginxconf.render_nginx_conf("listen @KB_PORT@;", NginxOptions())


def test_template_without_csp_is_refused():
    with pytest.raises(NginxConfigError, match="Content-Security-Policy"):
        nginxconf.nginx_csp("server { }")
