"""Test helpers for the nginx suites: the shipped configuration, rendered with chosen
switches, run by a real nginx (Debian's /usr/sbin/nginx) on free loopback ports.

Each server has its own main configuration and prefix directory in tmp and serves
``<base>/current`` as deployed by scripts/publish.py.
"""

from __future__ import annotations

import http.client
import os
import socket
import ssl
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, require_tool
from kb.deploy import nginxconf

NGINX = "/usr/sbin/nginx"
TEMPLATE = ROOT / "deploy" / "nginx" / "kb-reports.conf.template"
HOST = "kb.test"
# What every response of the template carries (pages, refusals, errors alike).
CSP = nginxconf.nginx_csp(TEMPLATE.read_text(encoding="utf-8"))
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Server:
    base: Path
    port: int
    log: Path
    ports: tuple[int, ...] = ()
    tls_ca: Path | None = None  # set: ``port`` speaks HTTPS, trusting this certificate

    def get(self, path: str, headers: dict[str, str] | None = None, *,
            port: int | None = None, tls: bool | None = None,
            source: str = "127.0.0.1") -> Response:
        """One HTTP/1.1 request on a fresh connection (no proxy, loopback only), from the
        loopback address ``source`` (any of 127.0.0.0/8 works on Linux)."""
        port = port or self.port
        use_tls = self.tls_ca is not None if tls is None else tls
        if use_tls:
            context = ssl.create_default_context(cafile=str(self.tls_ca))
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                "127.0.0.1", port, timeout=10, context=context, source_address=(source, 0))
        else:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10,
                                              source_address=(source, 0))
        try:
            conn.request("GET", path, headers={"Host": HOST, **(headers or {})})
            resp = conn.getresponse()
            return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()},
                            resp.read())
        finally:
            conn.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main_conf(prefix: Path, site_conf: Path) -> str:
    """A minimal main configuration around the shipped server block (http context)."""
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read pytest's 0700 tmp
    temp = "".join(f"    {kind}_temp_path {prefix}/tmp/{kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (
        f"{user}worker_processes 1;\npid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log warn;\n"
        "events { worker_connections 128; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        f"    access_log {prefix}/access.log;\n"
        "    sendfile on;\n"
        f"{temp}"
        f"    include {site_conf};\n"
        "}\n"
    )


def nginx_binary() -> str:
    return require_tool(NGINX, "nginx tests need Debian's nginx (apt-get install nginx)")


def write_conf(prefix: Path, options: nginxconf.NginxOptions) -> list[str]:
    """Render the site configuration into ``prefix``; the nginx argv that uses it."""
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    site_conf = prefix / "kb-reports.conf"
    site_conf.write_text(nginxconf.render_nginx_conf(TEMPLATE.read_text(encoding="utf-8"),
                                                     options), encoding="utf-8")
    conf = prefix / "nginx.conf"
    conf.write_text(main_conf(prefix, site_conf), encoding="utf-8")
    return [nginx_binary(), "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]


def check_conf(prefix: Path, options: nginxconf.NginxOptions) -> subprocess.CompletedProcess:
    """``nginx -t`` of the configuration rendered with ``options``."""
    return subprocess.run([*write_conf(prefix, options), "-t", "-q"], capture_output=True,
                          text=True, timeout=60)


OptionsFor = Callable[[tuple[int, ...]], nginxconf.NginxOptions]


def plain(base: Path) -> OptionsFor:
    """The default configuration on one loopback port."""
    return lambda ports: nginxconf.NginxOptions(base=str(base), listen=f"127.0.0.1:{ports[0]}",
                                                server_name=HOST)


@contextmanager
def running_nginx(base: Path, prefix: Path, options: OptionsFor | None = None, *,
                  ports: int = 1, tls_ca: Path | None = None) -> Iterator[Server]:
    """nginx serving ``base/current`` on free loopback ports; stopped on exit.

    ``options(ports)`` gives the switches (default: plain HTTP on ``ports[0]``)."""
    options = options or plain(base)
    for _attempt in range(5):
        chosen = tuple(free_port() for _ in range(ports))
        argv = write_conf(prefix, options(chosen))
        check = subprocess.run([*argv, "-t", "-q"], capture_output=True, text=True)
        assert check.returncode == 0, f"nginx -t:\n{check.stderr}"
        proc = subprocess.Popen([*argv, "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        if all(_wait_listening(proc, port) for port in chosen):
            break
        proc.kill()
        stderr = proc.communicate(timeout=10)[1]
        if "Address already in use" not in stderr:
            pytest.fail(f"nginx did not start:\n{stderr}")
    else:
        pytest.fail("nginx found no free port")
    try:
        yield Server(base, chosen[0], prefix / "error.log", chosen, tls_ca)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_listening(proc: subprocess.Popen, port: int) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    proc.kill()
    return False
