#!/usr/bin/env python3
"""Start a report from scratch: ``scripts/new_unit.py [--unit ID --campaign ID ...]``.

Registers the unit in ``data/units.yml`` and in the campaign roster when missing, and
writes ``data/reports/<campaign>/<unit>.yml`` with the outline to fill. Values not
given as options are asked for interactively. Then runs the validator on the new file:
what it lists are the ``【请填写…】`` placeholders still to write. ``--print`` only shows
that outline (to copy a part deleted by mistake) and writes nothing.
Exit status: 0 written, 2 nothing written (bad or missing input).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

import zh_argparse  # noqa: E402  (scripts/ is on sys.path)
from kb.contrib import scaffold  # noqa: E402
from kb.data.problems import format_text  # noqa: E402


def _parser() -> argparse.ArgumentParser:
    parser = zh_argparse.Parser(
        prog="new_unit.py",
        description="新建一个单位的自查评估报告文件（带注释的提纲），必要时登记单位并加入名单。缺少的选项会逐项询问。",
    )
    parser.add_argument("--unit", help="单位 id：小写拼音缩写，如 shi-czj（市财政局）")
    parser.add_argument("--name", help="单位名称（新单位才需要），如 市财政局")
    parser.add_argument("--party-org", help="党组织名称（新单位才需要），如 市财政局党组")
    parser.add_argument("--campaign", help="学习教育：id、简称或全称，如 2023-zhuti、2023年主题教育")
    parser.add_argument("--group", help="指导组：id、序号或名称，如 g1、1、第一指导组")
    parser.add_argument("--batch", help="批次：序号或名称，如 1、第一批")
    parser.add_argument("--force", action="store_true", help="报告文件已存在时重新生成（会覆盖已写的内容）")
    parser.add_argument("--register-only", action="store_true",
                        help="只登记单位并加入名单，不生成报告文件（之后用 import_docx.py 导入 Word 报告）")
    parser.add_argument("--print", action="store_true", dest="print_outline",
                        help="只在屏幕上显示空白报告的提纲（可复制缺少的部分），不写入、不登记任何东西")
    parser.add_argument("--data-dir", type=Path, default=REPO / "data", help="数据目录（默认：仓库的 data/）")
    return parser


class Asker:
    """Asks for missing values on the terminal (or reads them from piped input).

    An answer that ``check`` rejects is asked again on a terminal; with piped input the
    error stops the script.
    """

    def __init__(self) -> None:
        self.interactive = sys.stdin.isatty()

    def __call__(self, prompt: str, choices: list[tuple[str, str]] | None = None,
                 check: Callable[[str], object] | None = None) -> str:
        if choices:
            print(f"{prompt}，可选：")
            for value, label in choices:
                print(f"  {value}  {label}")
        for _attempt in range(3):
            try:
                answer = input(f"{prompt}：").strip()
            except EOFError:
                raise scaffold.ScaffoldError(f"缺少“{prompt}”：请用命令行选项给出（见 --help）") from None
            try:
                if not answer:
                    raise scaffold.ScaffoldError(f"“{prompt}”不能为空")
                if check is not None:
                    check(answer)
                return answer
            except scaffold.ScaffoldError as err:
                if not self.interactive:
                    raise
                print(f"  {err}，请重新输入。")
        raise scaffold.ScaffoldError(f"“{prompt}”三次都没有填对")


def complete(args: argparse.Namespace, choices: scaffold.Choices, ask: Asker) -> scaffold.Request:
    """Fill in what the options left out, asking only what this unit still needs."""
    if not args.campaign:
        args.campaign = ask("学习教育", [(cid, str(c.get("short_name") or c.get("name")))
                                       for cid, c in choices.campaigns.items()], choices.campaign)
    campaign = choices.campaign(args.campaign)  # by id, short name or name
    args.campaign = str(campaign["id"])
    scaffold.check_id(args.campaign, "campaign")
    if not args.unit:
        args.unit = ask("单位 id（小写拼音缩写，如 shi-czj）", check=scaffold.check_id)
    scaffold.check_id(args.unit)
    unit = choices.unit(args.unit)
    if unit is None:
        if not (args.name and args.party_org):
            print(f"单位 {args.unit} 还没有登记，需要单位名称和党组织名称。")
        args.name = args.name or ask("单位名称（如 市财政局）")
        args.party_org = args.party_org or ask("党组织名称（如 市财政局党组）")
    if choices.roster_entry(args.campaign, args.unit) is None:
        if not args.group:
            args.group = ask("指导组", [(str(g.get("id")), f"{g.get('name')}  {g.get('note', '')}".rstrip())
                                     for g in choices.groups], choices.group)
        if not args.batch:
            args.batch = ask("批次", [(str(b.get("id")), str(b.get("name"))) for b in campaign.get("batches") or []],
                             lambda value: scaffold.Choices.batch(campaign, value))
    return scaffold.Request(
        unit=args.unit, campaign=args.campaign, group=args.group or "", batch=args.batch or "",
        name=args.name or "", party_org=args.party_org or "",
    )


def outline(args: argparse.Namespace, choices: scaffold.Choices) -> str:
    """The blank report of ``--unit`` in ``--campaign`` as ``make new-unit`` would write it."""
    if not args.campaign:
        raise scaffold.ScaffoldError("请用 --campaign 指定学习教育，如 --campaign 2023-zhuti")
    campaign = choices.campaign(args.campaign)
    unit_id = args.unit or "shi-czj"
    scaffold.check_id(unit_id)
    unit = choices.unit(unit_id) or {"id": unit_id, "name": args.name or unit_id, "party_org": args.party_org or ""}
    return scaffold.report_outline(campaign, unit, choices.materials)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir = args.data_dir.resolve()
    try:
        choices = scaffold.Choices.load(data_dir)
        if args.print_outline:
            print(outline(args, choices), end="")
            return 0
        request = complete(args, choices, Asker())
        outcome = scaffold.create(data_dir, request, force=args.force, write_report=not args.register_only)
    except scaffold.ScaffoldError as err:
        print(f"错误：{err}")
        print("没有写入任何文件。")
        return 2
    for action in outcome.actions:
        print(action)
    if args.register_only:
        print("现在可以导入 Word 报告：make import-docx DOCX=<报告文件.docx>")
        return 0
    from kb.data import rules
    from kb.data.load import load_and_validate

    _, problems = load_and_validate(data_dir, only=[outcome.report])
    placeholders = [p for p in problems if p.rule == rules.PLACEHOLDER.id]
    others = [p for p in problems if p.rule != rules.PLACEHOLDER.id]
    rel = outcome.report.relative_to(data_dir.parent)
    print(f"\n报告文件里有 {len(placeholders)} 处“【请填写……】”等着填写。用文本编辑器（推荐 VS Code）打开：\n  {rel}")
    if others:
        print("另外，校验还发现：")
        for problem in others:
            print("  " + format_text(problem))
    print(f"填好后运行  make validate  检查，再运行  make preview UNIT={rel}  预览。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
