#!/usr/bin/env python3
"""Before a merge request: ``scripts/submit.py [--base REF] [--branch NAME] [--yes]`` (``make submit``).

Shows in Chinese what the working tree changes compared with the upstream branch (the first
of ``upstream/main``, ``origin/main``, ``main``, ``master`` that exists, or ``--base``): every
file, and in ``data/units.yml`` and the campaign rosters every entry by key
(:mod:`kb.contrib.entries`), so a unit registered earlier and never submitted is named and
left out. Checks the git identity (``git commit`` stops in English without it), validates
the touched reports, and prints the commands that commit only the contributor's own files
and entries on a new branch; ``--yes`` runs them (never ``git push``, which needs a login).
Entries of a shared file are staged by writing the chosen text to the index
(``git hash-object`` + ``git update-index``): the working tree is never changed.

Exit status: 0 ready (or committed), 1 something needs attention first, 2 usage error, git
missing, not a repository or no upstream branch.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

import zh_argparse  # noqa: E402  (scripts/ is on sys.path)
from kb.contrib import entries  # noqa: E402

BASES = ("upstream/main", "origin/main", "main", "master")
MAIN_BRANCHES = frozenset({"main", "master"})
REPORT = re.compile(r"data/reports/([^/]+)/([^/]+)\.yml")
ROSTER = re.compile(r"data/campaigns/([^/]+)\.yml")
STATUS = {"A": "新增", "M": "修改", "D": "删除", "T": "修改", "?": "新增"}


class Refusal(Exception):
    """Something the contributor must fix first; the message is Chinese. Exit status ``code``."""

    def __init__(self, message: str, code: int = 2) -> None:
        super().__init__(message)
        self.code = code


def _parser() -> argparse.ArgumentParser:
    parser = zh_argparse.Parser(prog="submit.py",
                                description="提交合并请求之前：列出改动涉及的文件和单位，检查 Git 身份和数据，给出只提交本单位改动的命令。")
    parser.add_argument("--base", metavar="REF", help="与哪个分支比较（默认：upstream/main、origin/main、main、master 中第一个存在的）")
    parser.add_argument("--branch", metavar="NAME", help="新分支的名字（默认：report/<单位id>）")
    parser.add_argument("--yes", action="store_true", help="直接执行给出的命令：新建分支、暂存、提交（不推送）")
    parser.add_argument("--repo", type=Path, default=REPO, help=argparse.SUPPRESS)  # the tests' scratch repository
    return parser


# --------------------------------------------------------------------------- git


@dataclass
class Git:
    """git run in one repository; output decoded as UTF-8, never a traceback."""

    exe: str
    root: Path

    def run(self, *args: str, check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess:
        try:
            done = subprocess.run([self.exe, "-c", "core.quotepath=false", *args], cwd=self.root, input=stdin,
                                  capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=120)
        except (OSError, subprocess.TimeoutExpired):
            raise Refusal(f"无法运行 git {args[0]}：请确认 Git 已正确安装。") from None
        if check and done.returncode != 0:
            raise Refusal(f"git {' '.join(args[:2])} 没有成功（Git 的提示：{_first_line(done.stderr + done.stdout)}）", 1)
        return done

    def out(self, *args: str) -> str:
        return self.run(*args).stdout

    def ok(self, *args: str) -> bool:
        return self.run(*args, check=False).returncode == 0

    def show(self, rev: str, path: str) -> str | None:
        done = self.run("show", f"{rev}:{path}", check=False)
        return done.stdout if done.returncode == 0 else None


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "没有说明")


def open_git(repo: Path) -> Git:
    exe = shutil.which("git")
    if exe is None:
        raise Refusal("没有找到 git 命令：请先安装 Git（Windows 上安装“Git for Windows”），"
                      "或者不用 Git，按 CONTRIBUTING.md 第 10 节“只用浏览器提交”在代码仓库网页上提交。")
    git = Git(exe, repo)
    done = git.run("rev-parse", "--show-toplevel", check=False)
    if done.returncode != 0:
        raise Refusal(f"{repo} 不是 Git 仓库：请在用 git clone 下载的仓库文件夹中运行。")
    return Git(exe, Path(done.stdout.strip()))


def find_base(git: Git, given: str | None) -> str:
    for ref in [given] if given else BASES:
        if git.ok("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"):
            return ref
    if given:
        raise Refusal(f"找不到要比较的分支 {given}：请用 git branch -a 查看有哪些分支。")
    raise Refusal("找不到上游分支（upstream/main、origin/main、main 都不存在）：请用 --base 指定，例如 --base origin/main。")


# --------------------------------------------------------------------------- what the change touches


@dataclass
class Touched:
    """A changed file: what it is, what of it is the contributor's, and how to stage it."""

    path: str
    status: str
    notes: list[str] = field(default_factory=list)
    include: bool = False
    staged_text: str | None = None  # only some entries: this text goes to the index
    warnings: list[str] = field(default_factory=list)
    blocked: bool = False  # the contributor's own change here cannot be staged as it stands


def changed_files(git: Git, base: str) -> list[tuple[str, str]]:
    """(status letter, path) of every file the working tree changes against ``base``, untracked included."""
    fields = git.out("diff", "--name-status", "--no-renames", "-z", base, "--").split("\0")
    found = [(fields[i][0], fields[i + 1]) for i in range(0, len(fields) - 1, 2) if fields[i]]
    untracked = git.out("ls-files", "--others", "--exclude-standard", "-z").split("\0")
    return sorted(found + [("?", path) for path in untracked if path], key=lambda item: item[1])


def own_units(files: list[tuple[str, str]]) -> dict[str, set[str]]:
    """Campaign -> units of the reports the change touches."""
    units: dict[str, set[str]] = {}
    for _, path in files:
        match = REPORT.fullmatch(path)
        if match:
            units.setdefault(match.group(1), set()).add(match.group(2))
    return units


def _entry_text(change: entries.EntryChange, names: dict[str, str]) -> str:
    entry = change.entry
    if "id" in entry:
        return f"{change.kind}单位 {entry.get('name', '')}（{change.key}）"
    name, group = names.get(change.key, ""), str(entry.get("group", ""))
    shown = f"{name}（{change.key}）" if name else change.key
    return f"名单{change.kind} {shown}：{names.get('group:' + group, group)}，第 {entry.get('batch', '')} 批"


def list_file(git: Git, base: str, touched: Touched, kind: entries.ListFile, own: set[str] | None,
              names: dict[str, str]) -> None:
    """Notes and staging of units.yml or a roster: the contributor's entries only."""
    before = git.show(base, touched.path) or ""
    path = git.root / touched.path
    try:
        now = path.read_text(encoding="utf-8") if path.is_file() else ""
        found = entries.changes(before, now, kind)
    except UnicodeDecodeError:
        touched.warnings.append(f"{touched.path} 不是 UTF-8 编码：请另存为 UTF-8 后再运行")
        touched.blocked = True
        return
    except ValueError as err:
        touched.warnings.append(f"{touched.path}：{err}")
        touched.blocked = True
        return
    mine = [c for c in found if own is None or c.key in own]
    others = [c for c in found if c not in mine]
    touched.notes += [_entry_text(c, names) for c in mine]
    for change in others:
        touched.warnings.append(f"{touched.path} 中还有与本次报告无关的改动：{_entry_text(change, names)}"
                                "（可能是以前登记的），不会提交它")
    if not mine:
        return
    touched.include = True
    if others:
        touched.staged_text = entries.keep_only(before, now, kind, {c.key for c in mine})
        if touched.staged_text is None:
            touched.include, touched.blocked = False, True
            keys = "、".join(c.key for c in mine)
            touched.warnings.append(f"{touched.path} 的写法无法自动分开：请运行 git add -p {touched.path}，"
                                    f"只对 {keys} 所在的行回答 y")


def unit_names(root: Path) -> dict[str, str]:
    """Unit id -> name, and ``group:<id>`` -> the group's name (for the roster lines)."""
    names: dict[str, str] = {}
    for file, kind, prefix in (("units.yml", entries.UNITS, ""), ("groups.yml", entries.ListFile("groups", "id"), "group:")):
        try:
            found = entries.entries((root / "data" / file).read_text(encoding="utf-8"), kind)
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        names.update({prefix + k: str(v.get("name", "")) for k, v in found.items()})
    return names


def campaign_names(root: Path) -> dict[str, str]:
    """Campaign id -> its short name (2023-zhuti -> 2023年主题教育), from the working tree."""
    names = {}
    for path in sorted((root / "data" / "campaigns").glob("*.yml")):
        match = re.search(r"^short_name:\s*(\S+)", path.read_text(encoding="utf-8", errors="replace"), re.M)
        names[path.stem] = match.group(1) if match else path.stem
    return names


def survey(git: Git, base: str) -> list[Touched]:
    """Every changed file with what of it is the contributor's."""
    files = changed_files(git, base)
    reports = own_units(files)
    everyone = set().union(*reports.values()) if reports else None
    names, campaigns = unit_names(git.root), campaign_names(git.root)
    found = []
    for letter, path in files:
        touched = Touched(path, STATUS.get(letter, "修改"))
        report, roster = REPORT.fullmatch(path), ROSTER.fullmatch(path)
        if report:
            unit = report.group(2)
            touched.include = True
            touched.notes.append(f"报告：{names.get(unit, unit)}（{unit}），{campaigns.get(report.group(1), report.group(1))}")
        elif path == "data/units.yml":
            list_file(git, base, touched, entries.UNITS, everyone, names)
        elif roster and git.show(base, path) is not None:
            own = None if not reports else reports.get(roster.group(1), set())
            list_file(git, base, touched, entries.ROSTER, own, names)
        # Anything else (code, other data files) is listed, not committed: show() says so once.
        found.append(touched)
    return found


# --------------------------------------------------------------------------- identity, validation, branch


IDENTITY_HELP = ("还没有设置 Git 身份（姓名和邮箱）。不设置时 git commit 会停下，显示英文 “Author identity unknown”。\n"
                 "请先运行（换成你的姓名和单位邮箱，只需一次）：\n"
                 '  git config --global user.name "你的姓名"\n'
                 '  git config --global user.email "you@example.gov.cn"')


def identity(git: Git) -> str | None:
    name = git.run("config", "user.name", check=False).stdout.strip() or os.environ.get("GIT_AUTHOR_NAME", "")
    email = git.run("config", "user.email", check=False).stdout.strip() or os.environ.get("GIT_AUTHOR_EMAIL", "")
    return f"{name} <{email}>" if name and email else None


def validate(git: Git, touched: list[Touched]) -> tuple[bool, list[str]]:
    """Run scripts/validate.py on the touched reports (or the data when only shared files changed)."""
    reports = [git.root / t.path for t in touched if t.include and REPORT.fullmatch(t.path) and t.status != "删除"]
    if not reports and not any(t.include for t in touched):
        return True, []
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "validate.py"),
                           *[str(p) for p in reports or [git.root / "data"]]],
                          capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=600)
    lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
    return done.returncode == 0, lines


def current_branch(git: Git) -> str | None:
    done = git.run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def new_branch_name(git: Git, touched: list[Touched], given: str | None) -> str:
    if given:
        if not git.ok("check-ref-format", "--branch", given):
            raise Refusal(f"分支名 {given} 不能用：只用字母、数字、短横线和斜线，例如 report/shi-lcj。")
        return given
    units = sorted({m.group(2) for t in touched if t.include and (m := REPORT.fullmatch(t.path))})
    stem = "report/" + (units[0] if units else "units")
    name, n = stem, 2
    while git.ok("rev-parse", "--verify", "--quiet", f"refs/heads/{name}"):
        name, n = f"{stem}-{n}", n + 1
    return name


def commit_message(touched: list[Touched], names: dict[str, str], campaigns: dict[str, str]) -> str:
    parts = []
    for t in touched:
        match = REPORT.fullmatch(t.path) if t.include else None
        if match:
            unit = match.group(2)
            parts.append(f"{t.status}{names.get(unit, unit)}{campaigns.get(match.group(1), match.group(1))}自查评估报告")
    if not parts:
        parts = [n for t in touched if t.include for n in t.notes]
    return "；".join(parts)[:200] or "更新数据"


# --------------------------------------------------------------------------- plan and output


@dataclass
class Plan:
    branch: str | None  # a new branch to create, or None to stay
    unstage: list[str]
    whole: list[str]
    partial: list[Touched]
    message: str
    push_branch: str
    pending: bool  # something of the contributor's is not in HEAD yet


def pending(git: Git, touched: list[Touched]) -> bool:
    """Is any included change not committed yet (a second run after committing finds none)?"""
    for t in touched:
        if not t.include:
            continue
        head = git.show("HEAD", t.path)
        if t.staged_text is not None:
            if head != t.staged_text:
                return True
        elif head is None:
            if (git.root / t.path).exists():
                return True
        elif not git.ok("diff", "--quiet", "HEAD", "--", t.path):
            return True
    return False


def make_plan(git: Git, touched: list[Touched], branch_arg: str | None, base: str) -> Plan:
    current = current_branch(git)
    base_name = base.rsplit("/", 1)[-1]
    needs_new = current is None or current in MAIN_BRANCHES or current == base_name or branch_arg is not None
    branch = new_branch_name(git, touched, branch_arg) if needs_new else None
    included = {t.path for t in touched if t.include}
    staged = [p for p in git.out("diff", "--cached", "--name-only", "-z").split("\0") if p]
    return Plan(branch=branch, unstage=sorted(p for p in staged if p not in included),
                whole=[t.path for t in touched if t.include and t.staged_text is None],
                partial=[t for t in touched if t.include and t.staged_text is not None],
                message=commit_message(touched, unit_names(git.root), campaign_names(git.root)), push_branch=branch or current or "",
                pending=pending(git, touched))


def commands(plan: Plan) -> list[str]:
    lines = [f"git checkout -b {plan.branch}"] if plan.branch else []
    lines += [f"git restore --staged -- {shlex.quote(p)}" for p in plan.unstage]
    if not plan.pending:
        return lines + [f"git push -u origin {plan.push_branch}"]
    if plan.whole:
        lines.append("git add -- " + " ".join(shlex.quote(p) for p in plan.whole))
    lines += [f"（{t.path} 只暂存本单位的行：make submit ARGS=--yes 会自动完成；手工做请运行 git add -p {t.path}）"
              for t in plan.partial]
    lines.append(f"git commit -m {shlex.quote(plan.message)}")
    lines.append(f"git push -u origin {plan.push_branch}")
    return lines


def show(base: str, touched: list[Touched]) -> None:
    print(f"与 {base} 相比，你的改动涉及 {len(touched)} 个文件：")
    for t in touched:
        mark = "提交" if t.include else "不提交"
        print(f"  [{mark}] {t.status} {t.path}")
        for note in t.notes:
            print(f"         {note}")
    for warning in (w for t in touched for w in t.warnings):
        print(f"注意：{warning}")
    others = [t for t in touched if not t.include and not t.warnings]
    if others:
        print(f"注意：另有 {len(others)} 个文件不是本单位的报告或登记（标为“不提交”），不会提交它们；需要时请在合并请求中另行说明。")


def execute(git: Git, plan: Plan) -> None:
    if plan.branch:
        git.run("checkout", "-b", plan.branch)
    if plan.unstage:
        git.run("restore", "--staged", "--", *plan.unstage)
    if plan.whole:
        git.run("add", "--", *plan.whole)
    for t in plan.partial:
        blob = git.run("hash-object", "-w", "--stdin", stdin=t.staged_text).stdout.strip()
        git.run("update-index", "--add", "--cacheinfo", f"100644,{blob},{t.path}")
    if plan.pending:
        git.run("commit", "-q", "-m", plan.message)


def submit(args: argparse.Namespace) -> int:
    git = open_git(args.repo)
    base = find_base(git, args.base)
    merge_base = git.run("merge-base", base, "HEAD", check=False).stdout.strip() or base
    touched = survey(git, merge_base)
    if not touched:
        print(f"与 {base} 相比没有任何改动：没有需要提交的内容。")
        return 0
    show(base, touched)
    if not any(t.include for t in touched):
        print("\n没有可以提交的报告或本单位的登记：请确认改的是 data/reports/ 下本单位的报告文件。")
        return 1
    who = identity(git)
    print(f"\nGit 身份：{who}" if who else "\n" + IDENTITY_HELP)
    valid, lines = validate(git, touched)
    print("\n校验本次涉及的数据：")
    print("\n".join("  " + line for line in lines) or "  （没有需要校验的报告）")
    plan = make_plan(git, touched, args.branch, base)
    ready = bool(who) and valid and not any(t.blocked for t in touched)
    if not plan.pending:
        print("\n这些改动已经提交过了（在当前分支的提交中），没有新的内容需要提交。")
    if not args.yes:
        print("\n只提交上面标为“提交”的内容，依次运行：" if plan.pending else "\n接着运行：")
        print("\n".join("  " + line for line in commands(plan)))
        print("或者运行 make submit ARGS=--yes 自动完成新建分支、暂存和提交（推送仍需自己运行最后一条命令）。")
        return 0 if ready else 1
    if not ready:
        print("\n有上面说明的问题，没有提交：请先处理，再运行一次。")
        return 1
    execute(git, plan)
    print(f"\n已提交到分支 {plan.push_branch}：{plan.message}" if plan.pending else f"\n当前分支：{plan.push_branch}")
    print(f"下一步推送（需要登录，见 CONTRIBUTING.md“第一次使用 Git”）：\n  git push -u origin {plan.push_branch}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return submit(args)
    except Refusal as err:
        print(f"错误：{err}", file=sys.stderr)
        return err.code
    except OSError as err:
        print(f"错误：无法读取或写入文件（{err.strerror or '系统错误'}）。", file=sys.stderr)
        return 1
    except Exception as err:  # the last resort: a contributor never sees a traceback
        print(f"错误：遇到意外的问题（{type(err).__name__}）。请运行 git status 查看当前状态，并把这段说明发给维护者。",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
