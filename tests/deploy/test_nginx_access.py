"""Who may read the site: the access-control switches of the nginx configuration against
a real nginx on loopback (marker ``nginx``).

Without credentials every path — pages, ``/pagefind/*``, a ``.docx``, ``release.txt``,
the 404 page, hidden files, the error pages' own locations — is turned away (401/403, or
the login redirect of single sign-on) with a short Chinese page that shows nothing of the
site (``WWW-Authenticate`` kept for basic auth); with them it is served. The security
headers are on both. Basic auth is checked with each htpasswd hash an office may create, the
allow-list with two loopback source addresses, ``auth_request`` with a tiny gateway in
this process, TLS with a self-signed certificate made by ``openssl``. The audit log
records who read what and when. Every combination of switches passes ``nginx -t``.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import itertools
import json
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from nginx_server import (
    SECURITY_HEADERS,
    Response,
    Server,
    check_conf,
    running_nginx,
)

from conftest import require_tool
from kb.deploy import release
from kb.deploy.nginxconf import NginxOptions

pytestmark = pytest.mark.nginx

RELEASE = "20250101T000001Z-test"
MARK = "kb-internal-content"  # in every file of the site: never in a refused response
SITE = {
    "index.html": f"<!doctype html><title>首页</title><p>{MARK} home</p>",
    "404.html": f"<!doctype html><title>页面不存在</title><p>{MARK} kb-404-page</p>",
    "kb-build.json": "{}",
    "reports/a/index.html": f"<p>{MARK} report a</p>",
    "pagefind/pagefind.js": f"/* {MARK} */ export const a = 1;",
    "pagefind/pagefind-entry.json": f'{{"note": "{MARK}"}}',
    "pagefind/pagefind.und_bd11b19c96.pf_meta": f"{MARK} meta",
    "pagefind/fragment/und_b3e323d.pf_fragment": f"{MARK} fragment",
    "downloads/report.docx": f"PK {MARK} docx",
    ".git/HEAD": f"{MARK} ref: refs/heads/main",
}
# path -> (status, body) for a reader who is let in
SERVED = {
    "/": (200, SITE["index.html"]),
    "/reports/a/": (200, SITE["reports/a/index.html"]),
    "/pagefind/pagefind.js": (200, SITE["pagefind/pagefind.js"]),
    "/pagefind/pagefind-entry.json": (200, SITE["pagefind/pagefind-entry.json"]),
    "/pagefind/pagefind.und_bd11b19c96.pf_meta": (
        200, SITE["pagefind/pagefind.und_bd11b19c96.pf_meta"]),
    "/pagefind/fragment/und_b3e323d.pf_fragment": (
        200, SITE["pagefind/fragment/und_b3e323d.pf_fragment"]),
    "/downloads/report.docx": (200, SITE["downloads/report.docx"]),
    "/release.txt": (200, f"{RELEASE}\n"),
    "/404.html": (200, SITE["404.html"]),
    "/missing/": (404, SITE["404.html"]),
    "/.git/HEAD": (404, SITE["404.html"]),
    # the refusal pages' internal locations: never reachable from outside
    "/_kb_errors/401": (404, SITE["404.html"]),
    "/_kb_errors/403": (404, SITE["404.html"]),
}
# status -> the title of the Chinese page a refused reader sees
REFUSAL_TITLES = {401: "需要登录", 403: "无权阅读"}
USERS = {"alice": "plain", "bob": "sha", "carol": "ssha", "dave": "apr1", "eve": "sha512",
         "frank": "bcrypt"}
PASSWORD = "正确的马电池 staple"
# What `htpasswd -B` (apache2-utils) writes for PASSWORD; nginx checks it with crypt(3).
BCRYPT = "$2y$05$kbreportssaltsaltsalt./KVY5j/t.iSfRY7Jiiej8pAmytYO9ei"


def basic(user: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def assert_headers(resp: Response, *, hsts: bool = False) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert resp.headers.get(name) == value, (resp.status, name)
    assert ("strict-transport-security" in resp.headers) is hsts, resp.status


def assert_refused(resp: Response, statuses: set[int], *, hsts: bool = False) -> None:
    assert resp.status in statuses, resp.status
    assert MARK.encode() not in resp.body
    assert_headers(resp, hsts=hsts)
    if resp.status in REFUSAL_TITLES:
        assert_refusal_page(resp)


def assert_refusal_page(resp: Response) -> None:
    """nginx's English page replaced by a short Chinese one, UTF-8, private."""
    assert resp.headers["content-type"] == "text/html; charset=utf-8", resp.status
    page = resp.body.decode("utf-8")
    title = REFUSAL_TITLES[resp.status]
    assert page.startswith("<!doctype html><html lang=zh-CN>"), page
    assert f"<title>{title}</title>" in page and f"<h1>{title}</h1>" in page, page
    assert "nginx" not in page.lower() and "Authorization Required" not in page, page
    assert resp.headers["cache-control"].startswith("private, "), resp.headers


def assert_served(server: Server, path: str, headers: dict[str, str] | None = None, *,
                  hsts: bool = False) -> Response:
    resp = server.get(path, headers)
    status, body = SERVED[path]
    assert (resp.status, resp.body.decode()) == (status, body), path
    assert_headers(resp, hsts=hsts)
    if path != "/release.txt":
        assert resp.headers["cache-control"].startswith("private, "), path
    return resp


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("nginx-access")
    site = tmp / "site"
    for rel, text in SITE.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    release.LocalTarget(tmp / "kb").publish(site, RELEASE)
    return tmp / "kb"


@pytest.fixture(scope="module")
def openssl() -> str:
    return require_tool("openssl", "TLS and apr1 tests need openssl (apt-get install openssl)")


def htpasswd_line(user: str, kind: str, openssl: str) -> str:
    """One user of an htpasswd file, hashed the way an office's tool would do it."""
    raw = PASSWORD.encode()
    if kind == "plain":
        return f"{user}:{{PLAIN}}{PASSWORD}"
    if kind == "sha":  # htpasswd -s
        return f"{user}:{{SHA}}" + base64.b64encode(hashlib.sha1(raw).digest()).decode()
    if kind == "ssha":
        salt = b"kb-salt!"
        digest = hashlib.sha1(raw + salt).digest()
        return f"{user}:{{SSHA}}" + base64.b64encode(digest + salt).decode()
    if kind == "bcrypt":
        return f"{user}:{BCRYPT}"
    # apr1: the same as htpasswd -m; -6: SHA-512 crypt, what deploy/README.md suggests
    flag = "-apr1" if kind == "apr1" else "-6"
    out = subprocess.run([openssl, "passwd", flag, "-stdin"], input=PASSWORD,
                         capture_output=True, text=True, check=True)
    return f"{user}:{out.stdout.strip()}"


@pytest.fixture(scope="module")
def htpasswd(tmp_path_factory, openssl) -> Path:
    path = tmp_path_factory.mktemp("htpasswd") / "kb.htpasswd"
    path.write_text("".join(htpasswd_line(u, k, openssl) + "\n" for u, k in USERS.items()))
    return path


@pytest.fixture(scope="module")
def certificate(tmp_path_factory, openssl) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (and kb.test), valid for a day."""
    tmp = tmp_path_factory.mktemp("tls")
    cert, key = tmp / "kb.pem", tmp / "kb.key"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=kb.test",
                    "-addext", "subjectAltName=DNS:kb.test,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], capture_output=True, check=True)
    return cert, key


class Gateway(http.server.BaseHTTPRequestHandler):
    """A single sign-on check: 200 (naming the reader) for a known session cookie, 403
    for a banned one, 401 otherwise."""

    sessions = {"kb_session=alice-token": "alice"}
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.seen.append(self.headers.get("X-Original-URI", ""))
        cookie = self.headers.get("Cookie", "")
        user = self.sessions.get(cookie)
        self.send_response(200 if user else 403 if "banned" in cookie else 401)
        if user:
            self.send_header("X-Remote-User", user)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def gateway() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/auth"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serving(base: Path, prefix: Path, ports: int = 1, tls_ca: Path | None = None,
            **switches) -> Iterator[Server]:
    """nginx with ``switches`` (NginxOptions fields); the HTTPS port first when TLS."""

    def options(chosen: tuple[int, ...]) -> NginxOptions:
        extra = {"http_listen": f"127.0.0.1:{chosen[1]}"} if ports > 1 else {}
        return NginxOptions(base=str(base), listen=f"127.0.0.1:{chosen[0]}",
                            server_name="kb.test", **extra, **switches)

    with running_nginx(base, prefix, options, ports=ports, tls_ca=tls_ca) as server:
        yield server


def audit_log(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --------------------------------------------------------------------------- basic auth


@pytest.fixture(scope="module")
def basic_server(base, htpasswd, tmp_path_factory) -> Iterator[Server]:
    prefix = tmp_path_factory.mktemp("nginx-basic")
    with serving(base, prefix, basic_auth=str(htpasswd),
                 access_log=str(prefix / "audit.log")) as server:
        yield server


@pytest.mark.parametrize("path", SERVED)
@pytest.mark.parametrize("headers", [{}, basic("alice", "wrong"), basic("nobody")],
                         ids=["none", "wrong-password", "unknown-user"])
def test_basic_auth_refuses_without_credentials(basic_server, path, headers):
    resp = basic_server.get(path, headers)
    assert_refused(resp, {401})
    assert resp.headers["www-authenticate"] == 'Basic realm="kb-reports"'


@pytest.mark.parametrize("user", USERS, ids=[f"{u}-{k}" for u, k in USERS.items()])
@pytest.mark.parametrize("path", SERVED)
def test_basic_auth_serves_with_credentials(basic_server, user, path):
    assert_served(basic_server, path, basic(user))


def test_audit_log_records_who_read_what_and_when(basic_server):
    log = basic_server.log.parent / "audit.log"
    basic_server.get("/reports/a/?q=1", basic("carol"))
    basic_server.get("/downloads/report.docx")
    entries = audit_log(log)
    read = [e for e in entries if e["uri"] == "/reports/a/?q=1" and e["user"] == "carol"]
    assert read and read[-1]["status"] == "200" and read[-1]["client"] == "127.0.0.1"
    assert read[-1]["method"] == "GET" and read[-1]["time"][:2] == "20"
    refused = [e for e in entries if e["uri"] == "/downloads/report.docx" and not e["user"]]
    assert refused and refused[-1]["status"] == "401"


def test_audit_log_cannot_be_forged_by_a_client(basic_server):
    log = basic_server.log.parent / "audit.log"
    forged = '", "user":"admin", "status":"200\\'
    basic_server.get("/", {**basic("bob"), "User-Agent": forged})
    last = audit_log(log)[-1]  # still one JSON object a line
    assert last["agent"] == forged and last["user"] == "bob"


# --------------------------------------------------------------------------- allow-list


@pytest.fixture(scope="module")
def allow_server(base, tmp_path_factory) -> Iterator[Server]:
    with serving(base, tmp_path_factory.mktemp("nginx-allow"), allow=("127.0.0.1",)) as server:
        yield server


@pytest.mark.parametrize("path", SERVED)
def test_allow_list_refuses_other_networks(allow_server, path):
    assert_refused(allow_server.get(path, source="127.0.0.2"), {403})


@pytest.mark.parametrize("path", SERVED)
def test_allow_list_serves_listed_networks(allow_server, path):
    assert_served(allow_server, path)


def test_allow_list_and_basic_auth_both_needed(base, htpasswd, tmp_path):
    with serving(base, tmp_path, allow=("127.0.0.1",), basic_auth=str(htpasswd)) as server:
        assert_refused(server.get("/", basic("alice"), source="127.0.0.2"), {403})
        assert_refused(server.get("/"), {401})
        assert_served(server, "/", basic("alice"))


# --------------------------------------------------------------------------- single sign-on


@pytest.fixture(scope="module")
def sso_server(base, gateway, tmp_path_factory) -> Iterator[Server]:
    prefix = tmp_path_factory.mktemp("nginx-sso")
    login = "https://sso.example.internal/login?rd=$scheme://$http_host$request_uri"
    with serving(base, prefix, auth_request=gateway, login_url=login,
                 access_log=str(prefix / "audit.log")) as server:
        yield server


@pytest.mark.parametrize("path", [p for p in SERVED if p != "/.git/HEAD"])
def test_sso_sends_readers_without_a_session_to_the_login_page(sso_server, path):
    resp = sso_server.get(path, {"Cookie": "kb_session=expired"})
    assert_refused(resp, {302})
    assert resp.headers["location"] == (
        f"https://sso.example.internal/login?rd=http://kb.test{path}")


def test_sso_hidden_paths_show_nothing_without_a_session(sso_server):
    # The hidden-path 404 leads to the 404 page, which the gateway refuses too: the
    # refusal of the error page is handled in turn (recursive_error_pages), to the login.
    resp = sso_server.get("/.git/HEAD")
    assert_refused(resp, {302})
    assert resp.headers["location"] == "https://sso.example.internal/login?rd=http://kb.test/.git/HEAD"


def test_sso_refused_reader_gets_403(sso_server):
    assert_refused(sso_server.get("/reports/a/", {"Cookie": "kb_session=banned"}), {403})


@pytest.mark.parametrize("path", SERVED)
def test_sso_serves_a_signed_in_reader(sso_server, path):
    assert_served(sso_server, path, {"Cookie": "kb_session=alice-token"})


def test_sso_gateway_sees_the_original_uri_and_the_log_names_the_reader(sso_server):
    Gateway.seen.clear()
    sso_server.get("/reports/a/?from=sso", {"Cookie": "kb_session=alice-token"})
    # Checked again after the index redirect to /reports/a/index.html, with the same URI.
    assert Gateway.seen and set(Gateway.seen) == {"/reports/a/?from=sso"}
    entry = audit_log(sso_server.log.parent / "audit.log")[-1]
    assert (entry["uri"], entry["user"], entry["status"]) == ("/reports/a/?from=sso", "alice",
                                                              "200")


def test_sso_without_login_page_answers_401(base, gateway, tmp_path):
    with serving(base, tmp_path, auth_request=gateway) as server:
        for path in SERVED:
            assert_refused(server.get(path), {401})
        assert_served(server, "/", {"Cookie": "kb_session=alice-token"})


# --------------------------------------------------------------------------- TLS


@pytest.fixture(scope="module")
def tls_server(base, certificate, htpasswd, tmp_path_factory) -> Iterator[Server]:
    cert, key = certificate
    with serving(base, tmp_path_factory.mktemp("nginx-tls"), ports=2, tls_ca=cert,
                 tls_cert=str(cert), tls_key=str(key), basic_auth=str(htpasswd)) as server:
        yield server


@pytest.mark.parametrize("path", ["/", "/reports/a/?x=1", "/release.txt", "/.git/HEAD"])
def test_http_redirects_to_https(tls_server, path):
    resp = tls_server.get(path, port=tls_server.ports[1], tls=False)
    assert resp.status == 301
    assert resp.headers["location"] == f"https://kb.test:{tls_server.port}{path}"
    assert MARK.encode() not in resp.body


@pytest.mark.parametrize("path", SERVED)
def test_https_with_hsts_refuses_then_serves(tls_server, path):
    assert_refused(tls_server.get(path), {401}, hsts=True)
    resp = assert_served(tls_server, path, basic("dave"), hsts=True)
    assert resp.headers["strict-transport-security"] == "max-age=31536000"


# --------------------------------------------------------------------------- nginx -t

ALLOW = {"open": {}, "allow": {"allow": ("10.0.0.0/8", "192.0.2.7", "2001:db8::/32")}}
AUTH = {
    "no-auth": {},
    "basic": {"basic_auth": "/etc/nginx/kb-reports.htpasswd"},
    "sso": {"auth_request": "http://127.0.0.1:9091/auth"},
    "sso-login": {"auth_request": "https://127.0.0.1:9443/oauth2/auth",
                  "login_url": "https://sso.example.internal/login?rd=$scheme://$http_host"
                               "$request_uri", "auth_user_header": "X-Auth-Request-User"},
}
COMBINATIONS = list(itertools.product(ALLOW, AUTH, ["http", "https"], ["no-log", "log"]))


@pytest.mark.parametrize(("allow", "auth", "scheme", "log"), COMBINATIONS,
                         ids=["-".join(c) for c in COMBINATIONS])
def test_nginx_accepts_every_combination(tmp_path, certificate, allow, auth, scheme, log):
    cert, key = certificate
    switches = {**ALLOW[allow], **AUTH[auth]}
    if scheme == "https":
        switches.update(tls_cert=str(cert), tls_key=str(key), http_listen="127.0.0.1:8080",
                        listen="127.0.0.1:8443")
    if log == "log":
        switches["access_log"] = str(tmp_path / "audit.log")
    result = check_conf(tmp_path, NginxOptions(base=str(tmp_path / "kb"), **switches))
    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr and "[emerg]" not in result.stderr, result.stderr
