#!/usr/bin/env python3
"""Preview your own report: ``scripts/preview.py data/reports/<campaign>/<unit>.yml``.

Serves the site with only the given report(s) plus the shared pages (home, materials,
contributing …), so it starts in seconds however many reports the repository holds:
the build reads ``KB_ONLY`` (see ``kb.site.build.only_reports``) and the validator then loads
just these report files. Reports may be given as file paths, folders, or
``<campaign>/<unit>`` ids. The files are checked first; with errors nothing is served.

While serving, a report saved with errors shows the Chinese list of its problems in the
browser (:mod:`kb.site.preview`) instead of a page that never loads; saved again without
errors, the page reloads itself. ``--build DIR`` writes the preview site to DIR instead of serving it.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

import zh_argparse  # noqa: E402  (scripts/ is on sys.path)
from kb.data.load import load_and_validate  # noqa: E402
from kb.data.problems import Problem, format_text, has_errors, summary  # noqa: E402
from kb.site.build import DATA_DIR_ENV, ONLY_ENV  # noqa: E402
from kb.site.preview import ErrorPages  # noqa: E402


class UsageError(Exception):
    pass


def resolve(items: list[str], data_dir: Path) -> list[Path]:
    """Report files or folders named by path (cwd or repository relative) or by id."""
    found: list[Path] = []
    for item in items:
        given = Path(item)
        candidates = [given, REPO / given, data_dir / "reports" / f"{item.removesuffix('.yml')}.yml",
                      data_dir / "reports" / item]
        path = next((c for c in candidates if c.exists()), None)
        if path is None:
            raise UsageError(f"找不到报告：{item}（可以写文件路径，如 data/reports/2023-zhuti/shi-czj.yml，"
                             "或 学习教育/单位，如 2023-zhuti/shi-czj）")
        path = path.resolve()
        try:
            path.relative_to(data_dir / "reports")
        except ValueError:
            raise UsageError(f"{item} 不在 {data_dir / 'reports'} 下，不是报告文件") from None
        found.append(path)
    return found


def report_urls(paths: list[Path], data_dir: Path) -> list[str]:
    """Site-relative URLs of the report pages among ``paths`` (folders expand to their files)."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.rglob("*.yml")) if path.is_dir() else [path]
    reports = data_dir / "reports"
    return [f"reports/{f.relative_to(reports).parent.as_posix()}/{f.stem}/" for f in files]


def free_port(host: str, port: int) -> int:
    """``port`` when free, else the next free one (up to 50 tries)."""
    for candidate in range(port, port + 50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, candidate))
            except OSError:
                continue
            return candidate
    raise UsageError(f"{host} 上 {port}–{port + 49} 端口都被占用，请用 --port 指定其他端口")


def _parser() -> argparse.ArgumentParser:
    parser = zh_argparse.Parser(
        prog="preview.py",
        description="只用你的报告（加上首页、学习材料等公共页面）启动本地预览，几秒钟即可打开。",
    )
    parser.add_argument("reports", nargs="+", metavar="REPORT",
                        help="报告文件、报告文件夹，或 学习教育/单位（如 2023-zhuti/shi-czj）")
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只有本机能访问）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000，被占用时自动换一个）")
    parser.add_argument("--build", type=Path, metavar="DIR", help="不启动服务，把预览网站生成到 DIR")
    parser.add_argument("--data-dir", type=Path, default=REPO / "data", help="数据目录（默认：仓库的 data/）")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir = args.data_dir.resolve()
    try:
        paths = resolve(args.reports, data_dir)
    except UsageError as err:
        print(f"错误：{err}")
        return 2
    _, problems = load_and_validate(data_dir, only=paths)
    if problems:
        print("\n".join(format_text(p) for p in problems))
        print(summary(problems))
    if has_errors(problems):
        print("报告还有错误，无法预览：请按上面的“文件:行:列”逐条修改后再运行。")
        return 1
    env = {**os.environ, ONLY_ENV: ",".join(str(p) for p in paths), DATA_DIR_ENV: str(data_dir),
           "NO_MKDOCS_2_WARNING": "1"}
    config = str(REPO / "mkdocs.yml")
    urls = report_urls(paths, data_dir)
    if args.build:
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(args.build.resolve())]
        result = subprocess.run(command, env=env, cwd=REPO)
        if result.returncode == 0:
            print(f"预览网站已生成到 {args.build}：" + "、".join(urls))
        return result.returncode
    try:
        port = free_port(args.host, args.port)
    except UsageError as err:
        print(f"错误：{err}")
        return 2
    base = f"http://{args.host}:{port}/"
    print(f"正在启动预览（只包含 {len(urls)} 份报告），几秒后在浏览器中打开：")
    for url in urls:
        print(f"  {base}{url}")
    print("修改并保存报告文件后页面会自动刷新；按 Ctrl+C 停止预览。\n", flush=True)
    os.environ.update(env)
    return serve(config, f"{args.host}:{port}", lambda: load_and_validate(data_dir, only=paths)[1])


def serve(config: str, address: str, check: Callable[[], list[Problem]]) -> int:
    """``mkdocs serve`` in this process, with a server that shows errors in the browser.

    MkDocs' server makes every request wait while a rebuild fails and says so in English;
    this one serves the Chinese error page of :mod:`kb.site.preview` for every page until
    the report is fixed, and live reload brings the report back.
    """
    from mkdocs.__main__ import cli
    from mkdocs.commands import serve as mkdocs_serve
    from mkdocs.livereload import LiveReloadServer

    pages = ErrorPages()

    class ErrorPageServer(LiveReloadServer):
        def __init__(self, builder: Callable[[], None], **kwargs: Any) -> None:
            super().__init__(builder=pages.guard(builder, check), **kwargs)

        def _serve_request(self, environ: dict, start_response: Callable) -> Any:
            page, path = pages.page, environ.get("PATH_INFO", "")
            if page is None or not (path.endswith("/") or path.endswith(".html")):
                return super()._serve_request(environ, start_response)
            with self._epoch_cond:
                content = self._inject_js_into_html(page, self._visible_epoch)
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                      ("Content-Length", str(len(content))), ("Cache-Control", "no-store")])
            return [content]

    mkdocs_serve.LiveReloadServer = ErrorPageServer  # type: ignore[misc] - the one server mkdocs serve makes
    cli(["serve", "-f", config, "-a", address], prog_name="mkdocs")  # exits with mkdocs' status
    return 0  # pragma: no cover - the click command exits


if __name__ == "__main__":
    sys.exit(main())
