"""The shipped nginx configuration against a real nginx (Debian's /usr/sbin/nginx).

Each server runs on a free loopback port with its own main config and prefix directory
in tmp, serving ``<base>/current`` as deployed by scripts/publish.py. Checked: content
types, cache policy, gzip, security headers (errors included), the 404 page, hidden
files; a reader loop that never sees a broken or half-updated site while releases are
published; rollback; and Chromium reporting no CSP violation or failed request on the
home page, a report page and a search.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from nginx_server import CSP, SECURITY_HEADERS, Server, running_nginx
from releases import cli, rid, write_site

from conftest import CHROMIUM_ARGS
from kb.deploy import release

pytestmark = pytest.mark.nginx

IMMUTABLE = "public, max-age=31536000, immutable"


# --------------------------------------------------------------------------- synthetic site

FILLER = "<p>" + "自查评估报告正文。" * 120 + "</p>"  # over gzip_min_length
SYNTHETIC = {
    "index.html": f"<!doctype html><title>首页</title>{FILLER}",
    "404.html": f"<!doctype html><title>页面不存在</title><h1>kb-404-page</h1>{FILLER}",
    "kb-build.json": "{}",
    "reports/a/index.html": f"<!doctype html><title>报告</title>{FILLER}",
    "assets/stylesheets/main.57a0d79d.min.css": "body{color:#000}" * 80,
    "assets/javascripts/bundle.a5f9d56c.min.js": "var a=1;" * 200,
    "assets/kb.css": ".kb{}" * 200,
    "assets/images/favicon.png": "\x89PNG",
    "pagefind/pagefind.js": "export const a=1;" * 100,
    "pagefind/pagefind-worker.js": "self.a=1;" * 100,
    "pagefind/pagefind-entry.json": '{"version":"1.5.2"}' + " " * 800,
    "pagefind/pagefind.und_bd11b19c96.pf_meta": "meta" * 300,
    "pagefind/index/und_4da66d8.pf_index": "index" * 300,
    "pagefind/fragment/und_b3e323d.pf_fragment": "fragment" * 300,
    "pagefind/filter/und_4b7a436.pf_filter": "filter" * 300,
    "pagefind/wasm.unknown.pagefind": "wasm" * 300,
    "sitemap.xml": "<urlset></urlset>" + " " * 800,
    "views/compare/compare.csv": "\ufeff单位,走访\r\n" + "市财政局,12\r\n" * 80,
    "views/compare/compare.xlsx": "PK" * 300,
    "reports/a/report.docx": "PK" * 300,
    ".hidden": "secret",
}


# Hidden files a release could carry by mistake: never served, whatever the extension
# (a Pagefind one included), at any depth. .well-known too: the site has none.
SECRET = "kb-secret-dotfile"
DOTFILES = {
    ".secret.pf_meta": SECRET,
    ".git/HEAD.pagefind": SECRET,
    ".git/HEAD": SECRET,
    ".git/config": SECRET,
    ".env": SECRET,
    "x/.env": SECRET,
    "pagefind/.hidden.pf_meta": SECRET,
    "pagefind/index/.und_4da66d8.pf_index": SECRET,
    "reports/a/.index.html.swp": SECRET,
    "assets/.DS_Store": SECRET,
    ".well-known/security.txt": SECRET,
    "reports/.drafts/b.html": SECRET,
}
ENCODED_DOTFILES = ["/%2egit/HEAD", "/pagefind/%2Ehidden.pf_meta", "/x/%2eenv",
                    "//.git//HEAD", "/reports/a/../../.git/HEAD", "/.git/", "/.git"]


@pytest.fixture(scope="module")
def synthetic_server(tmp_path_factory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("nginx-synthetic")
    site = write_site(tmp / "site", {**SYNTHETIC, **DOTFILES})
    release.LocalTarget(tmp / "kb").publish(site, rid(1))
    with running_nginx(tmp / "kb", tmp / "nginx") as server:
        yield server


HTML, CSS, JS, JSON = "text/html", "text/css", "application/javascript", "application/json"
BINARY = "application/octet-stream"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.parametrize(("path", "status", "ctype", "cache", "compressed"), [
    ("/", 200, HTML, "no-cache", True),
    ("/index.html", 200, HTML, "no-cache", True),
    ("/reports/a/", 200, HTML, "no-cache", True),
    ("/assets/stylesheets/main.57a0d79d.min.css", 200, CSS, IMMUTABLE, True),
    ("/assets/javascripts/bundle.a5f9d56c.min.js", 200, JS, IMMUTABLE, True),
    ("/assets/kb.css", 200, CSS, "no-cache", True),
    ("/assets/images/favicon.png", 200, "image/png", "no-cache", False),
    ("/pagefind/pagefind.js", 200, JS, "no-cache", True),
    ("/pagefind/pagefind-worker.js", 200, JS, "no-cache", True),
    ("/pagefind/pagefind-entry.json", 200, JSON, "no-cache", True),
    ("/pagefind/pagefind.und_bd11b19c96.pf_meta", 200, BINARY, IMMUTABLE, False),
    ("/pagefind/index/und_4da66d8.pf_index", 200, BINARY, IMMUTABLE, False),
    ("/pagefind/fragment/und_b3e323d.pf_fragment", 200, BINARY, IMMUTABLE, False),
    ("/pagefind/filter/und_4b7a436.pf_filter", 200, BINARY, IMMUTABLE, False),
    ("/pagefind/wasm.unknown.pagefind", 200, BINARY, "no-cache", False),
    ("/sitemap.xml", 200, "text/xml", "no-cache", True),
    ("/views/compare/compare.csv", 200, "text/csv", "no-cache", True),
    ("/views/compare/compare.xlsx", 200, XLSX, "no-cache", False),
    ("/reports/a/report.docx", 200, DOCX, "no-cache", False),
    ("/release.txt", 200, "text/plain", "no-store", False),
    ("/missing/", 404, HTML, "no-cache", True),
    ("/assets/javascripts/bundle.0000ffff.min.js", 404, HTML, "no-cache", True),
    ("/pagefind/index/und_0000000.pf_index", 404, HTML, "no-cache", True),
    ("/.hidden", 404, HTML, "no-cache", True),
    ("/releases/", 404, HTML, "no-cache", True),
])
def test_responses(synthetic_server, path, status, ctype, cache, compressed):
    resp = synthetic_server.get(path, {"Accept-Encoding": "gzip"})
    assert resp.status == status
    assert resp.headers["content-type"].split(";")[0] == ctype
    assert resp.headers["cache-control"] == cache
    for name, value in SECURITY_HEADERS.items():
        assert resp.headers.get(name) == value, name
    assert "permissions-policy" in resp.headers
    assert "server" not in resp.headers or "/" not in resp.headers["server"]  # no version
    assert (resp.headers.get("content-encoding") == "gzip") is compressed
    body = gzip.decompress(resp.body) if compressed else resp.body
    if status == 404:
        assert b"kb-404-page" in body
    elif path != "/release.txt":
        rel = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
        assert body == SYNTHETIC[rel].encode()


@pytest.mark.parametrize("path", ["/" + rel for rel in DOTFILES] + ENCODED_DOTFILES)
def test_hidden_paths_are_404_whatever_the_extension(synthetic_server, path):
    resp = synthetic_server.get(path, {"Accept-Encoding": "identity"})
    assert resp.status == 404, path
    assert SECRET.encode() not in resp.body
    assert b"kb-404-page" in resp.body  # the site's own 404 page
    assert resp.headers.get("content-security-policy") == CSP


def test_release_id_is_served(synthetic_server):
    assert synthetic_server.get("/release.txt").body == f"{rid(1)}\n".encode()


def test_directory_without_slash_redirects_relatively(synthetic_server):
    resp = synthetic_server.get("/reports/a")
    assert resp.status == 301
    assert resp.headers["location"] == "/reports/a/"
    assert resp.headers["content-security-policy"] == CSP


# --------------------------------------------------------------------------- releases


def release_site(path: Path, n: int, bulk: int = 600) -> Path:
    """A release whose pages say which release they belong to; many files make the
    copy slow enough for readers to hit it mid-way."""
    files = {
        "index.html": f"<!doctype html><title>release {n}</title>{FILLER}<p>release {n}</p>",
        "404.html": "<!doctype html><title>页面不存在</title>",
        "kb-build.json": "{}",
        "zz/last.html": f"last file of release {n}",
    }
    files.update({f"bulk/{i:04d}.txt": f"{n}/{i} " * 100 for i in range(bulk)})
    return write_site(path, files)


@dataclass
class ReaderLog:
    requests: int = 0
    ids: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def reader_loop(server: Server, pages: dict[str, dict[str, bytes]], stop: threading.Event,
                log: ReaderLog, max_requests: int = 100_000, max_seconds: float = 120) -> None:
    """Fetch the release id and two pages until told to stop; record anything not from
    one complete release. ``pages[path][release_id]`` is the exact expected body."""
    deadline = time.monotonic() + max_seconds
    while not stop.is_set() and log.requests < max_requests and time.monotonic() < deadline:
        for path in ("/release.txt", "/", "/zz/last.html"):
            try:
                resp = server.get(path)
            except OSError as err:
                log.problems.append(f"{path}: {err!r}")
                continue
            log.requests += 1
            if resp.status != 200:
                log.problems.append(f"{path}: HTTP {resp.status}")
            elif path == "/release.txt":
                log.ids.append(resp.body.decode().strip())
            elif resp.body not in pages[path].values():
                log.problems.append(f"{path}: body of no complete release: {resp.body[:80]!r}")
        time.sleep(0.002)  # leave the publisher some CPU on small machines


def test_readers_see_only_complete_releases_while_publishing(tmp_path):
    base = tmp_path / "kb"
    sites = {n: release_site(tmp_path / f"site{n}", n) for n in range(1, 6)}
    pages: dict[str, dict[str, bytes]] = {"/": {}, "/zz/last.html": {}}
    for n, site in sites.items():
        pages["/"][rid(n)] = (site / "index.html").read_bytes()
        pages["/zz/last.html"][rid(n)] = (site / "zz" / "last.html").read_bytes()
    first = cli("--site", str(sites[1]), "--target", str(base), "--release-id", rid(1))
    assert first.returncode == 0, first.stderr
    with running_nginx(base, tmp_path / "nginx") as server:
        log, stop = ReaderLog(), threading.Event()
        reader = threading.Thread(target=reader_loop, args=(server, pages, stop, log))
        reader.start()
        try:
            while log.requests < 30 and reader.is_alive():
                time.sleep(0.01)
            for n in range(2, 6):
                result = cli("--site", str(sites[n]), "--target", str(base), "--release-id",
                             rid(n), "--keep", "2")
                assert result.returncode == 0, result.stderr
            deadline = time.monotonic() + 10
            while (not log.ids or log.ids[-1] != rid(5)) and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            stop.set()
            reader.join(timeout=30)
        errors = server.log.read_text(encoding="utf-8", errors="replace")
    assert log.problems == [], log.problems[:10]
    assert set(log.ids) <= {rid(n) for n in sites}
    assert log.ids == sorted(log.ids), "a reader went back to an older release"
    assert log.ids[0] == rid(1) and log.ids[-1] == rid(5)
    assert len(set(log.ids)) >= 3, f"switches not observed: {sorted(set(log.ids))}"
    assert log.requests >= 100, log.requests
    assert "[error]" not in errors and "[crit]" not in errors, errors[-2000:]
    assert sorted(p.name for p in (base / "releases").iterdir()) == [rid(4), rid(5)]


def test_rollback_and_failed_publish_over_http(tmp_path):
    base = tmp_path / "kb"
    for n in (1, 2):
        result = cli("--site", str(release_site(tmp_path / f"s{n}", n, 0)), "--target", str(base),
                     "--release-id", rid(n))
        assert result.returncode == 0, result.stderr
    with running_nginx(base, tmp_path / "nginx") as server:
        assert server.get("/release.txt").body == f"{rid(2)}\n".encode()
        empty = tmp_path / "empty"
        empty.mkdir()
        failed = cli("--site", str(empty), "--target", str(base))
        assert failed.returncode == 1 and "站点目录为空" in failed.stderr
        assert server.get("/release.txt").body == f"{rid(2)}\n".encode()

        back = cli("--target", str(base), "--rollback")
        assert back.returncode == 0, back.stderr
        assert server.get("/release.txt").body == f"{rid(1)}\n".encode()
        assert b"<p>release 1</p>" in server.get("/").body
        again = cli("--target", str(base), "--rollback", rid(2))
        assert again.returncode == 0, again.stderr
        assert b"<p>release 2</p>" in server.get("/").body


# --------------------------------------------------------------------------- the real site


@pytest.fixture(scope="module")
def site_server(built_site, tmp_path_factory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("nginx-site")
    result = cli("--site", str(built_site), "--target", str(tmp / "kb"), "--release-id", rid(1))
    assert result.returncode == 0, result.stderr  # includes the CSP check of every page
    with running_nginx(tmp / "kb", tmp / "nginx") as server:
        yield server


def report_paths(site: Path) -> list[str]:
    return sorted("/" + p.parent.relative_to(site).as_posix() + "/"
                  for p in site.glob("reports/*/*/index.html"))


def test_real_site_pages(site_server, built_site):
    report = report_paths(built_site)[0]
    for path in ("/", "/reports/", report, "/materials/"):
        resp = site_server.get(path)
        assert resp.status == 200, path
        assert resp.headers["content-security-policy"] == CSP
        assert resp.headers["cache-control"] == "no-cache"
    assert site_server.get("/no/such/page/").status == 404


CSP_RECORDER = """
window.__kbViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__kbViolations.push(
    e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""
SEARCH_QUERY = "整改"


@pytest.mark.browser
def test_chromium_sees_no_csp_violation_nor_failed_request(site_server, built_site, chromium):
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{site_server.port}"
    problems: list[str] = []
    with sync_playwright() as pw:
        # CI containers have a 64 MB /dev/shm: Chromium must not rely on it.
        browser = pw.chromium.launch(executable_path=chromium,
                                     args=[*CHROMIUM_ARGS, "--disable-dev-shm-usage"])
        try:
            page = browser.new_page()
            page.add_init_script(CSP_RECORDER)
            page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                    if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: problems.append(
                f"request failed: {r.url} {r.failure}"))
            page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}")
                    if r.status >= 400 else None)
            visited = []
            for path in ("/", report_paths(built_site)[0]):
                page.goto(base + path, wait_until="networkidle")
                visited.append(path)
                problems += page.evaluate("window.__kbViolations")
            searched = _search(page, base, built_site, problems)
            if searched:
                visited.append(f"search {SEARCH_QUERY!r}")
                problems += page.evaluate("window.__kbViolations")
        finally:
            browser.close()
    assert problems == [], f"on {visited}: {problems}"
    if not searched:
        pytest.skip("the site has no search yet (no pagefind/ in the build): pages checked only")


SEARCH_INPUT = "[data-kb-search-input], input[type=search], .pagefind-ui__search-input"
SEARCH_RESULT = ("[data-kb-search-results] a[href], .md-search-result__link, "
                 ".pagefind-ui__result-link")


def _search(page, base: str, site: Path, problems: list[str]) -> bool:
    """Type a query into the site's search box and wait for results; False when the
    site has no search (no Pagefind index in the build)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if not (site / "pagefind" / "pagefind-entry.json").is_file():
        return False
    page.goto(base + "/", wait_until="networkidle")
    box = page.locator(SEARCH_INPUT).first
    if not box.is_visible():
        page.locator("label[for=__search]").first.click()
    box.fill(SEARCH_QUERY)
    box.press("Enter")
    try:
        page.locator(SEARCH_RESULT).first.wait_for(timeout=20000)
    except PlaywrightTimeout:
        problems.append(f"search {SEARCH_QUERY!r} showed no result within 20 s")
    page.wait_for_load_state("networkidle")
    return True
