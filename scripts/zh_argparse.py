"""argparse for the contributors' commands, in Chinese.

A contributor who mistypes an option (``make new-unit ARGS="--campain …"``) gets a Chinese
line naming the mistake and the command's ``--help``, never argparse's English ``usage:`` /
``error:`` lines; ``--help`` itself shows Chinese headings. The scripts import it by name
(``scripts/`` is on ``sys.path`` when a script runs).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

_HEADINGS = (("usage: ", "用法："), ("options:", "选项："), ("positional arguments:", "参数："),
             ("optional arguments:", "选项："))
_HAN = re.compile("[\u4e00-\u9fff]")


class Parser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` whose errors and help headings are Chinese (usage errors exit 2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="显示这段帮助后退出")

    def format_usage(self) -> str:
        return _chinese_headings(super().format_usage())

    def format_help(self) -> str:
        return _chinese_headings(super().format_help())

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}：命令行参数不正确：{reason(message)}。运行 {self.prog} --help 查看用法。",
              file=sys.stderr)
        raise SystemExit(2)


def _chinese_headings(text: str) -> str:
    for english, chinese in _HEADINGS:
        text = text.replace(english, chinese)
    return text


def reason(message: str) -> str:
    """argparse's English reason in Chinese (a message already in Chinese is kept)."""
    if _HAN.search(message):
        return message
    rules: list[tuple[str, str]] = [
        (r"the following arguments are required: (.*)", "缺少参数 {0}"),
        (r"unrecognized arguments: (.*)", "有无法识别的参数：{0}（选项名是否拼错？含空格的值要加引号）"),
        (r"argument (\S+): invalid int value: (.*)", "{0} 须是整数（实际：{1}）"),
        (r"argument (\S+): invalid choice: (\S+) \(choose from (.*)\)", "{0} 只能是 {2}（实际：{1}）"),
        (r"argument (\S+): expected one argument", "{0} 后面缺少值"),
        (r"argument (\S+): not allowed with argument (\S+)", "{0} 不能与 {1} 同时使用"),
        (r"argument (\S+): ignored explicit argument (.*)", "{0} 不带值（实际：{1}）"),
        (r"ambiguous option: (\S+) could match (.*)", "选项 {0} 不完整，可能是 {1}"),
    ]
    for pattern, chinese in rules:
        match = re.fullmatch(pattern, message)
        if match:
            return chinese.format(*match.groups())
    return "请检查参数"
