"""The nginx configuration of a published site: who may read it, TLS, the audit log.

The reports are internal. An office chooses from documented switches
(``scripts/publish.py --print-nginx-conf``, see deploy/README.md):

* an allow-list of client networks (``allow``/``deny``);
* HTTP basic auth with an htpasswd file (``auth_basic``);
* ``auth_request`` to the office's single sign-on or LDAP gateway, an unauthenticated
  reader sent to its login page (``error_page 401``);
* HTTPS (certificate paths), plain HTTP redirected to it, HSTS;
* an access log that records who read what and when (JSON lines, for the 等级保护 audit).

With access control, a refused reader gets a short Chinese page for 401 and 403 (not
nginx's English one), served inline from internal locations that are exempt from access
control: the status, ``WWW-Authenticate``, the login redirect and the security headers
stay as they are, and the page holds nothing of the site.

:func:`render_nginx_conf` fills the placeholders of deploy/nginx/kb-reports.conf.template:
inline values (``@KB_BASE@`` …) and whole lines (``@KB_HTTP@``, ``@KB_SERVER@``,
``@KB_LOCATIONS@``) that become generated directives, or disappear when empty. Every value
is checked against a narrow character set first: nothing an operator types can end a
directive or open a block. With no switch the output is the plain-HTTP site, open to
anyone who reaches the host (as before). Imports nothing from MkDocs.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

# Plain values (listen, server_name, base directory), as before.
_VALUE_RE = re.compile(r"^[A-Za-z0-9_.:/\[\]*-]+$")
_PATH_RE = re.compile(r"^/[A-Za-z0-9_./+-]*$")  # absolute: nginx would resolve others oddly
_AUTH_URL_RE = re.compile(r"^https?://[A-Za-z0-9.:\[\]-]+(/[A-Za-z0-9_.~/%?=&+-]*)?$")
# The login page may carry nginx variables to come back to: ?rd=$scheme://$http_host$request_uri
_LOGIN_URL_RE = re.compile(r"^https?://[A-Za-z0-9.:\[\]-]+(/[A-Za-z0-9_.~/%?=&+,:@!$*-]*)?$")
_HEADER_RE = re.compile(r"^[A-Za-z0-9-]+$")
_PLACEHOLDER_RE = re.compile(r"@KB_[A-Z_]+@")
_LINE_PLACEHOLDER_RE = re.compile(r"^([ \t]*)(@KB_(?:HTTP|SERVER|LOCATIONS)@)[ \t]*$", re.M)

AUTH_LOCATION = "/_kb_auth"
LOGIN_LOCATION = "@kb_login"
ERRORS_LOCATION = "/_kb_errors/"  # no dot segment: the hidden-path rule lets it through
SSO_USER_VARIABLE = "$kb_sso_user"
LOG_FORMAT = "kb_audit"
DEFAULT_USER_HEADER = "X-Remote-User"
BASIC_REALM = "kb-reports"
HSTS = "max-age=31536000"


class NginxConfigError(Exception):
    """A switch of the nginx configuration is not usable; the message is for people (Chinese)."""


@dataclass(frozen=True)
class NginxOptions:
    """The host's values and the office's access-control choices."""

    base: str = "/srv/kb-reports"
    listen: str | None = None          # default: 80, or 443 with TLS
    server_name: str = "_"
    allow: tuple[str, ...] = ()        # client networks (CIDR or single addresses)
    basic_auth: str | None = None      # htpasswd file
    auth_request: str | None = None    # URL of the SSO/LDAP gateway's check
    login_url: str | None = None       # where a 401 of the gateway sends the reader
    auth_user_header: str = DEFAULT_USER_HEADER  # the gateway's header naming the reader
    tls_cert: str | None = None
    tls_key: str | None = None
    http_listen: str | None = None     # with TLS: plain HTTP that redirects (default 80)
    access_log: str | None = None      # audit log file

    @property
    def tls(self) -> bool:
        return bool(self.tls_cert or self.tls_key)

    @property
    def restricted(self) -> bool:
        """Some reader is turned away (the site is not open to all who reach it)."""
        return bool(self.allow or self.basic_auth or self.auth_request)


# --------------------------------------------------------------------------- checks


def _check(value: str, pattern: re.Pattern[str], switch: str, hint: str) -> str:
    if not pattern.fullmatch(value):
        raise NginxConfigError(f"{switch} 的值不能用：{value!r}（{hint}）")
    return value


def _check_path(value: str, switch: str) -> str:
    return _check(value, _PATH_RE, switch, "应为绝对路径，只含字母、数字和 _ . / + -")


def _network(value: str) -> str:
    """A client network as nginx wants it: ``10.1.0.0/16``, ``192.0.2.7``, ``2001:db8::/32``."""
    try:
        net = ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        raise NginxConfigError(
            f"--allow 的值不是网段或地址：{value!r}（应形如 10.1.0.0/16 或 192.0.2.7）"
        ) from None
    return str(net.network_address) if net.num_addresses == 1 else str(net)


def check_options(options: NginxOptions) -> NginxOptions:
    """Refuse values and combinations nginx would reject or misread."""
    for switch, value in (("--base", options.base.rstrip("/") or "/"),
                          ("--listen", _listen(options)),
                          ("--server-name", options.server_name),
                          ("--http-listen", _http_listen(options))):
        _check(value, _VALUE_RE, switch, "只能包含字母、数字和 _ . : / [ ] * -")
    for switch, path in (("--basic-auth", options.basic_auth), ("--tls-cert", options.tls_cert),
                         ("--tls-key", options.tls_key), ("--access-log", options.access_log)):
        if path is not None:
            _check_path(path, switch)
    for net in options.allow:
        _network(net)
    if options.basic_auth and options.auth_request:
        raise NginxConfigError("--basic-auth 和 --auth-request 只能选一个")
    if options.auth_request:
        _check(options.auth_request, _AUTH_URL_RE, "--auth-request",
               "应为 http(s)://主机[:端口]/路径，如 http://127.0.0.1:9091/auth")
    if options.login_url:
        if not options.auth_request:
            raise NginxConfigError("--login-url 需要和 --auth-request 一起使用")
        _check(options.login_url, _LOGIN_URL_RE, "--login-url",
               "应为 http(s):// 开头的地址，可含 $scheme $http_host $request_uri 等变量")
    _check(options.auth_user_header, _HEADER_RE, "--auth-user-header", "应为响应头名，如 X-Remote-User")
    if bool(options.tls_cert) != bool(options.tls_key):
        raise NginxConfigError("启用 HTTPS 需要同时给出 --tls-cert 和 --tls-key")
    if options.http_listen is not None and not options.tls:
        raise NginxConfigError("--http-listen 只在启用 HTTPS（--tls-cert/--tls-key）时使用")
    return options


# --------------------------------------------------------------------------- snippets


def _https_port(listen: str) -> str:
    """``:8443`` for a non-standard HTTPS port, empty for 443 (the redirect's target)."""
    match = re.search(r"(?:^|:)(\d+)$", listen)
    return f":{match[1]}" if match and match[1] != "443" else ""


def _user_variable(options: NginxOptions) -> str:
    return SSO_USER_VARIABLE if options.auth_request else "$remote_user"


def http_lines(options: NginxOptions) -> list[str]:
    """http-context directives: the audit log format, the HTTP → HTTPS redirect server."""
    lines: list[str] = []
    if options.access_log:
        fields = [("time", "$time_iso8601"), ("client", "$remote_addr"),
                  ("user", _user_variable(options)), ("host", "$host"),
                  ("method", "$request_method"), ("uri", "$request_uri"),
                  ("status", "$status"), ("bytes", "$body_bytes_sent"),
                  ("referer", "$http_referer"), ("agent", "$http_user_agent"),
                  ("request_id", "$request_id")]
        body = ",".join(f'"{key}":"{var}"' for key, var in fields)
        lines += [
            "# Audit log (等级保护): who (user, client address) read what (request, status)",
            "# and when, one JSON object a line (escape=json: nothing a client sends can",
            "# forge a line). Rotation: deploy/README.md (logrotate).",
            f"log_format {LOG_FORMAT} escape=json '{{{body}}}';",
        ]
    if options.tls:
        port = _https_port(_listen(options))
        log = [f"    access_log {options.access_log} {LOG_FORMAT};"] if options.access_log else []
        lines += [""] if lines else []
        lines += [
            "# Plain HTTP only sends readers to HTTPS.",
            "server {",
            f"    listen {_http_listen(options)};",
            f"    server_name {options.server_name};",
            "    server_tokens off;",
            *log,
            f"    return 301 https://$host{port}$request_uri;",
            "}",
        ]
    return lines


def server_lines(options: NginxOptions) -> list[str]:
    """Server-context directives: TLS, who may read, the audit log (groups, blank-separated)."""
    groups: list[list[str]] = []
    if options.tls:
        groups.append([
            "# HTTPS. HSTS: browsers use only HTTPS for this host name for a year.",
            f"ssl_certificate {options.tls_cert};",
            f"ssl_certificate_key {options.tls_key};",
            "ssl_protocols TLSv1.2 TLSv1.3;",
            "ssl_session_cache shared:kb_reports_tls:10m;",
            "ssl_session_timeout 1d;",
            "ssl_session_tickets off;",
            f'add_header Strict-Transport-Security "{HSTS}" always;',
        ])
    if options.allow:
        groups.append(["# Who may read: these client networks only (others get 403).",
                       *(f"allow {_network(net)};" for net in options.allow), "deny all;"])
    if options.basic_auth:
        groups.append([
            "# Who may read: the users of the htpasswd file (others get 401).",
            f'auth_basic "{BASIC_REALM}";',
            f"auth_basic_user_file {options.basic_auth};",
        ])
    if options.auth_request:
        header = options.auth_user_header.lower().replace("-", "_")
        groups.append([
            "# Who may read: whom the single sign-on gateway accepts (2xx); its 401/403",
            "# turn the reader away. Its header names the reader for the audit log.",
            f"auth_request {AUTH_LOCATION};",
            f"auth_request_set {SSO_USER_VARIABLE} $upstream_http_{header};",
            *([f"error_page 401 = {LOGIN_LOCATION};"] if options.login_url else []),
        ])
    if options.restricted:
        groups.append(_error_page_lines(options))
    if options.access_log:
        groups.append([f"access_log {options.access_log} {LOG_FORMAT};"])
    return [line for n, group in enumerate(groups) for line in ([""] if n else []) + group]


# --------------------------------------------------------------------------- error pages

# Status -> (title, text) of the page a refused reader sees. Plain text only: no quote,
# backslash or "$" (the page is an nginx string; a test checks), no other markup.
_ERROR_TEXTS: dict[int, tuple[str, str]] = {
    401: ("需要登录", "本网站的报告是内部资料，请先登录再阅读。"),
    403: ("无权阅读", "你当前所在的网络或使用的账号没有阅读本网站的权限。"),
}
_LOGIN_HINTS = {
    "basic": "浏览器会弹出登录框，请输入本单位分配的用户名和密码；没有弹出时请刷新本页。",
    "sso": "请先在本单位的统一身份认证（单点登录）中登录，再刷新本页。",
}
_CONTACT = "如有疑问，请联系网站管理员。"


def _error_statuses(options: NginxOptions) -> list[int]:
    """The refusals that get a Chinese page: 401 only when no login page takes it."""
    refusals = [403]
    if (options.basic_auth or options.auth_request) and not options.login_url:
        refusals.insert(0, 401)
    return refusals


def error_page_html(status: int, options: NginxOptions) -> str:
    """The page a reader refused with ``status`` sees: Chinese, UTF-8, nothing of the site."""
    title, text = _ERROR_TEXTS[status]
    if status == 401:
        text += _LOGIN_HINTS["basic" if options.basic_auth else "sso"]
    return ("<!doctype html><html lang=zh-CN><head><meta charset=utf-8>"
            "<meta name=viewport content=width=device-width>"
            f"<title>{title}</title></head><body><h1>{title}</h1>"
            f"<p>{text}</p><p>{_CONTACT}</p></body></html>")


def _error_page_lines(options: NginxOptions) -> list[str]:
    return [
        "# Refused readers get a short Chinese page (nothing of the site) from the internal",
        "# locations below, which are exempt from access control. Recursive: the 404 page",
        "# that a hidden path leads to is refused in turn, and that refusal gets its page.",
        *(f"error_page {status} {ERRORS_LOCATION}{status};"
          for status in _error_statuses(options)),
        "recursive_error_pages on;",
    ]


def _error_location_lines(options: NginxOptions) -> list[str]:
    """One internal location a page; ``return`` with a text keeps the status (and the
    ``WWW-Authenticate`` header already set), adds no header of its own."""
    exempt = ((["allow all;"] if options.allow else [])
              + (["auth_basic off;"] if options.basic_auth else [])
              + (["auth_request off;"] if options.auth_request else []))
    lines: list[str] = []
    for status in _error_statuses(options):
        lines += [
            *([""] if lines else []),
            f"location = {ERRORS_LOCATION}{status} {{",
            "    internal;",
            *(f"    {line}" for line in exempt),
            "    default_type text/html;",
            f'    return {status} "{error_page_html(status, options)}";',
            "}",
        ]
    return lines


def location_lines(options: NginxOptions) -> list[str]:
    """The pages for refused readers, the gateway's check (an internal subrequest) and
    the login redirect."""
    lines = _error_location_lines(options) if options.restricted else []
    if not options.auth_request:
        return lines
    lines += [""] if lines else []
    lines += [
        f"location = {AUTH_LOCATION} {{",
        "    internal;",
        f"    proxy_pass {options.auth_request};",
        "    proxy_pass_request_body off;",
        '    proxy_set_header Content-Length "";',
        "    proxy_set_header X-Original-URI $request_uri;",
        "    proxy_set_header X-Original-Method $request_method;",
        "    proxy_set_header X-Forwarded-For $remote_addr;",
        "    proxy_set_header X-Forwarded-Proto $scheme;",
        "    proxy_set_header X-Forwarded-Host $host;",
        "    proxy_ssl_server_name on;",
        "}",
    ]
    if options.login_url:
        lines += [
            "",
            f"location {LOGIN_LOCATION} {{",
            f'    return 302 "{options.login_url}";',
            "}",
        ]
    return lines


def _listen(options: NginxOptions) -> str:
    if options.listen is not None:
        return options.listen
    return "443" if options.tls else "80"


def _http_listen(options: NginxOptions) -> str:
    return "80" if options.http_listen is None else options.http_listen


# --------------------------------------------------------------------------- rendering


def nginx_csp(template: str) -> str:
    """The Content-Security-Policy value of the nginx configuration template."""
    match = re.search(r'add_header\s+Content-Security-Policy\s+"([^"]+)"', template)
    if not match:
        raise NginxConfigError("nginx 配置模板中没有 Content-Security-Policy")
    return " ".join(match[1].split())


def _fill_lines(template: str, blocks: dict[str, list[str]]) -> str:
    """Replace each placeholder line by its block, indented like it; drop it when empty."""

    def block(match: re.Match[str]) -> str:
        indent, name = match[1], match[2]
        return "\n".join(indent + line if line else "" for line in blocks[name])

    text = _LINE_PLACEHOLDER_RE.sub(block, template)
    # A dropped line leaves a blank one; never two in a row.
    return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text)


def render_nginx_conf(template: str, options: NginxOptions) -> str:
    """The configuration for one host: the template with ``options`` filled in."""
    check_options(options)
    listen = _listen(options) + (" ssl" if options.tls else "")
    private = options.restricted
    text = _fill_lines(template, {
        "@KB_HTTP@": http_lines(options),
        "@KB_SERVER@": server_lines(options),
        "@KB_LOCATIONS@": location_lines(options),
    })
    values = {
        "@KB_BASE@": options.base.rstrip("/") or "/",
        "@KB_LISTEN@": listen,
        "@KB_SERVER_NAME@": options.server_name,
        "@KB_REVALIDATE@": "private, no-cache" if private else "no-cache",
        "@KB_IMMUTABLE@": ("private" if private else "public") + ", max-age=31536000, immutable",
    }
    for key, value in values.items():
        text = text.replace(key, value)
    left = sorted(set(_PLACEHOLDER_RE.findall(text)))
    if left:
        raise NginxConfigError(f"nginx 配置模板中有未知占位符：{', '.join(left)}")
    return text


def open_to_all_warning(options: NginxOptions) -> str | None:
    """A reminder for an office that chose no access control (printed to stderr)."""
    if options.restricted:
        return None
    return ("提示：未设置访问控制（--allow / --basic-auth / --auth-request），"
            "能连到这台主机的人都能阅读全部报告；内部资料请至少选一种，见 deploy/README.md。")


def cleartext_login_warning(options: NginxOptions) -> str | None:
    """A reminder that a login without HTTPS crosses the network in clear (stderr)."""
    if options.tls or not (options.basic_auth or options.auth_request):
        return None
    secret = "用户名和密码" if options.basic_auth else "登录会话（Cookie）"
    switch = "--basic-auth" if options.basic_auth else "--auth-request"
    return (f"提示：{switch} 未与 HTTPS（--tls-cert / --tls-key）一起使用，读者的{secret}"
            "将以明文在网络上传输，可能被截获冒用。请启用 HTTPS；如果 HTTPS 已由前面的反向代理"
            "或负载均衡终止、代理到本机的连接只经过可信网络，可忽略本提示（见 deploy/README.md）。")


def warnings(options: NginxOptions) -> list[str]:
    """The reminders to print with a rendered configuration (never part of it)."""
    found = (open_to_all_warning(options), cleartext_login_warning(options))
    return [text for text in found if text]
