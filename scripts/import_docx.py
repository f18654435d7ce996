#!/usr/bin/env python3
"""Import a report written in Word: ``scripts/import_docx.py REPORT.docx [options]``.

Writes ``data/reports/<campaign>/<unit>.yml`` (unit and campaign are recognised from the
document, or given with ``--unit``/``--campaign``), lists everything it could not map,
then runs the project validator on the new file. Exit status: 0 valid, 1 written but the
validator found errors, 2 nothing written (unreadable or refused file, unit/campaign
unknown or not a valid id, file exists without ``--force``, result beyond the loader's
limits).

The Word file is read in a child process with size and time limits
(:func:`kb.contrib.docx.import_docx_limited`); the data file is written to a temporary
file in the target folder and renamed into place only after it passed
:func:`kb.contrib.docx.output_problems`.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

import zh_argparse  # noqa: E402  (scripts/ is on sys.path)
from kb.contrib import docx, scaffold  # noqa: E402
from kb.contrib.reference import Reference  # noqa: E402
from kb.data import confine  # noqa: E402
from kb.data.problems import format_text, has_errors, summary  # noqa: E402


def _parser() -> argparse.ArgumentParser:
    parser = zh_argparse.Parser(
        prog="import_docx.py",
        description="把用 Word 写的自查评估报告（.docx）导入为数据文件 data/reports/<学习教育>/<单位>.yml。",
    )
    parser.add_argument("docx", type=Path, metavar="REPORT.docx", help="Word 报告文件（.docx）")
    parser.add_argument("--unit", help="单位 id（默认按正文中的党组织名称识别），如 shi-czj")
    parser.add_argument("--campaign", help="学习教育 id（默认按报告标题识别），如 2023-zhuti")
    parser.add_argument("--submitted", help="报告日期 YYYY-MM-DD（默认取落款日期）")
    parser.add_argument("--output", type=Path, metavar="FILE", help="写到这个文件，而不是 data/reports/ 下的默认位置")
    parser.add_argument("--stdout", action="store_true", help="只把结果打印出来，不写文件")
    parser.add_argument("--force", action="store_true", help="数据文件已存在时覆盖")
    parser.add_argument("--data-dir", type=Path, default=REPO / "data", help="数据目录（默认：仓库的 data/）")
    return parser


Say = Callable[..., None]


def _check_source(source: Path, say: Say) -> bool:
    """Whether ``source`` looks like a .docx at all (says why not)."""
    if not source.exists():
        say(f"错误：找不到文件 {source}")
        return False
    if not source.is_file():
        say(f"错误：{source.name} 不是普通文件（可能是文件夹、设备或管道），无法导入。")
        return False
    if source.suffix.lower() != ".docx":
        say("错误：只能导入 .docx 文件。旧版 .doc 或 WPS 文件请先在 Word/WPS 中“另存为” Word 文档（*.docx）。")
        return False
    if not zipfile.is_zipfile(source):  # a .doc or WPS file renamed to .docx, a cut-off file …
        with source.open("rb") as handle:
            head = handle.read(8)
        if head.startswith(b"PK"):  # a zip whose end was cut off (an interrupted copy or download)
            say(f"错误：{source.name} 不完整（文件末尾缺失，可能复制或下载中断）。请重新获取这个文件后再导入。")
        else:
            say(f"错误：{source.name} 不是 Word 的 .docx 文件（可能是旧版 .doc 或 WPS 文件改了扩展名）。"
                "请在 Word/WPS 中打开它，“另存为” Word 文档（*.docx）后再导入。")
        return False
    return True


def _check_ids(args: argparse.Namespace, say: Say) -> bool:
    """--unit and --campaign follow the schema's id rule (the same rule as new_unit.py)."""
    try:
        if args.unit is not None:
            scaffold.check_id(args.unit, "unit")
        if args.campaign is not None:
            scaffold.check_id(args.campaign, "campaign")
    except scaffold.ScaffoldError as err:
        say(f"错误：{err}\n没有写出数据文件。")
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    say = print if not args.stdout else (lambda *a: print(*a, file=sys.stderr))
    source: Path = args.docx
    if not _check_ids(args, say) or not _check_source(source, say):
        return 2
    data_dir = args.data_dir.resolve()
    try:
        result = docx.import_docx_limited(
            source, data_dir, campaign=args.campaign, unit=args.unit, submitted=args.submitted
        )
    except docx.DocxError as err:
        say(f"错误：无法导入 Word 文件 {source.name}：{err}")
        return 2
    ref = Reference.load(data_dir)
    say(f"识别结果：{result.summary(ref)}")
    problems = result.all_problems()
    if problems:
        say(f"\n需要注意的地方（{len(problems)} 条）：")
        for problem in problems:
            say("  " + docx.format_problem(problem).replace("\n", "\n  "))
    text = result.to_yaml()
    refused = docx.output_problems(text, result.data, data_dir / "schema")
    if refused:
        say("\n没有写出数据文件：导入结果超出了数据文件的限制，写出后也会被拒绝读取：")
        for line in refused:
            say(f"  {line}")
        return 2
    if args.stdout:
        sys.stdout.write(text)
        return 0 if result.ok else 1
    if not (result.campaign and result.unit):
        say("\n没有写出数据文件：请按上面的提示用 --unit / --campaign 指定，或先登记单位。")
        return 2
    try:
        target = args.output or docx.report_path(data_dir, result)
    except scaffold.ScaffoldError as err:
        say(f"\n没有写出数据文件：{err}")
        return 2
    if target.exists() and not args.force:
        say(f"\n没有写出数据文件：{target} 已经存在。确认要用 Word 的内容覆盖它，请加 --force（用 make 时写 make import-docx DOCX=… ARGS=\"--force\"）。")
        return 2
    try:
        confine.write_atomically(target, text)
    except OSError as exc:
        why = confine.os_error_text(exc)
        say(f"\n没有写出数据文件：无法写入 {target}（{why}）。")
        return 2
    say(f"\n已写出：{_display(target)}")
    inside = target.resolve().parent.parent == (data_dir / "reports")
    if not inside:
        say("（文件不在 data/reports/<学习教育>/ 下，未做校验）")
        return 0 if result.ok else 1
    problems = docx.validate_report(data_dir, target)
    suffix = f"reports/{target.resolve().parent.name}/{target.name}"
    mine = [p for p in problems if p.file.replace("\\", "/").endswith(suffix)]
    if mine:
        say("\n校验结果：")
        for problem in mine:
            say("  " + format_text(problem))
    say(f"校验：{summary(mine)}")
    if has_errors(mine):
        say("数据文件已写出，但还有错误：请按上面的 文件:行:列 修改后运行 make validate。")
        return 1
    say(f"下一步：核对文件内容，然后运行 make preview UNIT={_display(target)} 预览网页。")
    return 0


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
