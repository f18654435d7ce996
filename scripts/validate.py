#!/usr/bin/env python3
"""Check the data files: ``scripts/validate.py [PATH ...] [--format text|github|gitlab]``.

PATH is a data directory (the folder holding ``schema/``), a report file or a folder
of reports; the default is the repository's ``data/``. Problems are printed (or written
to ``--output``), then a Chinese summary line on stderr. Exit status: 0 when there is
no error (warnings allowed), 1 when there is any error, 2 on a usage error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

import zh_argparse  # noqa: E402  (scripts/ is on sys.path)
from kb.data import confine  # noqa: E402
from kb.data.load import load_and_validate  # noqa: E402
from kb.data.problems import format_problems, has_errors, summary  # noqa: E402


def find_data_dir(path: Path) -> Path | None:
    """The nearest folder at or above ``path`` that contains ``schema/``."""
    start = path if path.is_dir() else path.parent
    for folder in (start, *start.parents):
        if (folder / "schema").is_dir():
            return folder
    return None


def plan(paths: list[Path]) -> dict[Path, list[Path] | None]:
    """Data dir → report paths to check (None: the whole tree). Raises ValueError."""
    targets: dict[Path, list[Path] | None] = {}
    for given in paths:
        path = given.absolute()
        if not path.exists():
            raise ValueError(f"路径不存在：{given}")
        data_dir = find_data_dir(path)
        if data_dir is None:
            raise ValueError(f"找不到数据目录：{given} 及其上级目录中都没有 schema/ 文件夹")
        if path == data_dir:
            targets[data_dir] = None
        elif targets.get(data_dir, []) is not None:
            selected = targets.setdefault(data_dir, [])
            if path.is_relative_to(data_dir / "reports"):
                selected.append(path)  # type: ignore[union-attr]
            # Any other file (units.yml, a campaign …) is checked anyway: shared files always are.
    return targets


def printable(text: str) -> str:
    """``text`` with bytes of non-UTF-8 file names shown as �, so printing never fails."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def main(argv: list[str] | None = None) -> int:
    parser = zh_argparse.Parser(
        prog="validate.py",
        description="校验知识库数据文件（YAML），按 文件:行:列 列出全部问题。",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="数据目录、报告文件或报告目录（默认：仓库的 data/）")
    parser.add_argument("--format", choices=("text", "github", "gitlab"), default="text", help="输出格式（默认 text）")
    parser.add_argument("--output", type=Path, metavar="FILE", help="把该格式的结果写入文件（终端仍显示文本格式）")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                        help="报告较多时用 N 个进程并行校验（默认：CPU 核数）")
    args = parser.parse_args(argv)
    try:
        targets = plan(args.paths or [REPO / "data"])
    except ValueError as exc:
        parser.print_usage(sys.stderr)
        print(f"validate.py: 错误：{exc}", file=sys.stderr)
        return 2
    problems = []
    for data_dir, only in targets.items():
        problems += load_and_validate(data_dir, only, jobs=max(1, args.jobs), keep_docs=False)[1]
    rendered = printable(format_problems(problems, args.format))
    if args.output:
        try:  # replaces a link at that path instead of writing through it
            confine.write_atomically(args.output, rendered + "\n")
        except OSError as exc:
            print(f"validate.py: 错误：无法写入 {printable(str(args.output))}（{confine.os_error_text(exc)}）",
                  file=sys.stderr)
            return 2
        rendered = printable(format_problems(problems, "text"))
    if rendered:
        try:
            print(rendered, flush=True)
        except BrokenPipeError:  # e.g. piped into head: the exit code still tells
            sys.stdout = None
    print(summary(problems), file=sys.stderr)
    return 1 if has_errors(problems) else 0


if __name__ == "__main__":
    sys.exit(main())
