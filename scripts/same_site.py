#!/usr/bin/env python3
"""Do two commits build the same site? ``scripts/same_site.py REV_A [REV_B]``.

Builds the example site of each revision (``git archive`` into a scratch folder, then
``mkdocs build --strict`` with a fixed ``SOURCE_DATE_EPOCH``) and compares the two sites
byte for byte. ``REV_B`` defaults to the working tree (tracked and new, not ignored files as they are now).
Prints the files that differ; exit 0 when the sites are identical, 1 when they differ,
2 when a build failed. Used to prove that a refactoring changed nothing a reader sees.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EPOCH = "1767225600"  # 2026-01-01: any fixed value, the same for both builds
WORKTREE = "WORKTREE"


def export(rev: str, target: Path) -> None:
    """The tracked files of ``rev`` (or of the working tree) into ``target``."""
    target.mkdir(parents=True)
    if rev == WORKTREE:
        names = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                               cwd=REPO, capture_output=True, check=True).stdout.decode().split("\0")
        for name in filter(None, names):
            source = REPO / name
            if source.is_file() and not source.is_symlink():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target / name)
        return
    archive = subprocess.run(["git", "archive", "--format=tar", rev], cwd=REPO,
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")


def build(source: Path, site: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KB_")}
    env.update(SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(source / "mkdocs.yml"),
         "-d", str(site)],
        cwd=source, env=env, capture_output=True, text=True, timeout=1800)


def digests(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*")) if path.is_file()
    }


def compare(a: dict[str, str], b: dict[str, str]) -> list[str]:
    """Lines naming every file only in one site or different in the two."""
    lines = [f"只在 A 中：{name}" for name in sorted(a.keys() - b.keys())]
    lines += [f"只在 B 中：{name}" for name in sorted(b.keys() - a.keys())]
    lines += [f"内容不同：{name}" for name in sorted(a.keys() & b.keys()) if a[name] != b[name]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="same_site.py", description="比较两个版本构建出的网站是否逐字节相同。")
    parser.add_argument("rev_a", metavar="REV_A", help="第一个版本（提交号、分支或标签）")
    parser.add_argument("rev_b", metavar="REV_B", nargs="?", default=WORKTREE,
                        help=f"第二个版本（默认 {WORKTREE}：当前工作区中的文件，不含被忽略的）")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="把两个网站留在 DIR 中（默认构建后删除）")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kb-same-site-") as tmp:
        work = args.keep or Path(tmp)
        sites = {}
        for label, rev in (("A", args.rev_a), ("B", args.rev_b)):
            source, site = work / f"src-{label}", work / f"site-{label}"
            shutil.rmtree(source, ignore_errors=True)
            shutil.rmtree(site, ignore_errors=True)
            export(rev, source)
            result = build(source, site)
            if result.returncode:
                print(f"{label}（{rev}）构建失败：\n{result.stderr[-3000:]}", file=sys.stderr)
                return 2
            sites[label] = digests(site)
        lines = compare(sites["A"], sites["B"])
    for line in lines:
        print(line)
    count = len(sites["A"])
    print(f"{args.rev_a} 与 {args.rev_b}：{'逐字节相同' if not lines else f'{len(lines)} 处不同'}（{count} 个文件）",
          file=sys.stderr)
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
