#!/usr/bin/env python3
"""Screenshots of our own pages for CONTRIBUTING.md's browser route: ``scripts/contrib_screenshots.py [--out DIR]``.

Reproduces what the pipeline's intake job makes of two uploads, in a scratch repository (the
code, the Makefile and data/ without 市交通运输局's example report): data/inbox/ gets that
report as our Word export writes it and a damaged file; ``.ci/intake gitlab`` runs there as in
CI (``KB_INTAKE_SETUP=0``: no apt-get; the scratch ``.venv`` links to this one's, with its own
stamp, so ``make`` never reinstalls it). Then, rendered with Jinja2
(``scripts/templates/contributing.html.j2``) and photographed with headless Chromium
(Playwright, /usr/bin/chromium) into ``docs/assets/contributing/``:

* ``intake-report.png``       the artifact's intake-report.md as HTML;
* ``intake-annotations.png``  the job's code-quality JSON (gl-intake.json) as a table;
* ``validate-annotations.png`` the validator's code-quality JSON for two typical slips in the
  imported file (a Chinese date, a unit after a number);
* ``report-page.png``         the imported report's page as the preview build renders it.

These are our tools' pages, not the forge's: each image is labelled so. Inputs are the
script's own files (their text goes into the HTML unescaped only as Markdown we wrote).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))
sys.path.insert(0, str(REPO / "scripts"))

from benchkit.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = REPO / "docs" / "assets" / "contributing"
TEMPLATE = REPO / "scripts" / "templates" / "contributing.html.j2"
REPORT_ID, UNIT_NAME = "2023-zhuti/shi-jtj", "市交通运输局"
UPLOAD = "市交通运输局自查评估报告.docx"
DAMAGED = "损坏的报告.docx"
SEVERITIES = {"info": "提示", "minor": "警告", "major": "错误", "critical": "错误", "blocker": "错误"}
OUR_PAGE = "知识库工具生成的页面（不是 GitLab/GitHub 的界面）"
SHOTS = ("intake-report", "intake-annotations", "validate-annotations", "report-page")  # PNG names, in order


def scratch_repo(root: Path) -> Path:
    """The code and data/ without the report the upload brings; ``.venv`` borrowed, stamped."""
    for name in ("hooks", "scripts", ".ci"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("Makefile", "requirements.txt"):
        shutil.copy2(REPO / name, root / name)
    shutil.copytree(REPO / "data", root / "data", ignore=shutil.ignore_patterns("intake-report.md"))
    (root / "data" / "reports" / f"{REPORT_ID}.yml").unlink()
    venv = root / ".venv"
    venv.mkdir()
    for name in ("bin", "lib", "include", "pyvenv.cfg"):
        if (REPO / ".venv" / name).exists():
            (venv / name).symlink_to(REPO / ".venv" / name)
    digest = hashlib.sha1((root / "requirements.txt").read_bytes()).hexdigest()[:12]
    (venv / f".installed-{digest}").touch()  # newer than requirements.txt: make venv has nothing to do
    return root


def uploads(inbox: Path) -> None:
    """The example report as our Word export writes it, and a file that is not a Word document."""
    from kb.official.word import export_report
    from kb.site import build

    kb, _ = build.load(REPO / "data")
    export_report(next(r for r in kb.reports if r.id == REPORT_ID), inbox / UPLOAD)
    (inbox / DAMAGED).write_bytes(b"PK\x03\x04 this archive was cut off while mailing")


def run_intake(repo: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KB_INTAKE_SETUP": "0"}
    return subprocess.run([str(repo / ".ci" / "intake"), "gitlab"], cwd=repo, env=env, capture_output=True,
                          text=True, timeout=600)


def slipped_validation(repo: Path) -> list[dict]:
    """The validator's code quality for the imported file with two typical slips."""
    target = repo / "data" / "reports" / f"{REPORT_ID}.yml"
    text = target.read_text(encoding="utf-8")
    text = re.sub(r"^submitted: \S+", "submitted: 2023年9月6日", text, count=1, flags=re.M)
    text = re.sub(r"^(  research_topics: )(\d+)", r"\g<1>\g<2>个", text, count=1, flags=re.M)
    target.write_text(text, encoding="utf-8")
    output = repo / "gl-slips.json"
    subprocess.run([sys.executable, str(repo / "scripts" / "validate.py"), "--format", "gitlab", "--output",
                    str(output), str(target)], cwd=repo, capture_output=True, text=True, timeout=300)
    return json.loads(output.read_text(encoding="utf-8"))


def render(page: Path, **values) -> Path:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE.parent), autoescape=True)
    html = env.get_template(TEMPLATE.name).render({"severities": SEVERITIES, "label": OUR_PAGE, "issues": None, **values})
    page.write_text(html, encoding="utf-8")
    return page


def pages(repo: Path, work: Path) -> dict[str, tuple[Path, int]]:
    """name -> (HTML file to photograph, viewport height); these are photographed whole."""
    import markdown

    result = repo / "intake-result"
    report = (result / "intake-report.md").read_text(encoding="utf-8")
    found = {"intake-report": (render(work / "report.html", title="导入报告 intake-report.md（流水线产物 intake-result）",
                                      body=markdown.markdown(report, extensions=["tables"])), 560)}
    found["intake-annotations"] = (render(
        work / "intake.html", title="intake 作业的代码质量报告 gl-intake.json",
        intro="合并请求的“代码质量”部分列出的就是这些条目：每个需要处理的上传文件一条。",
        issues=json.loads((repo / "gl-intake.json").read_text(encoding="utf-8"))), 330)
    found["validate-annotations"] = (render(
        work / "validate.html", title="数据校验的代码质量报告（validate 作业）",
        intro="生成的数据文件有两处典型错误时，校验给出的条目（文件、行和中文说明，与 make validate 相同）。",
        issues=slipped_validation(repo)), 360)
    return found


def report_page(repo: Path, work: Path) -> Path:
    """The imported report's page, built by the preview (only this report)."""
    site = work / "site"
    imported = repo / "intake-result" / "data" / "reports" / f"{REPORT_ID}.yml"
    data = repo / "data"
    shutil.copy2(imported, data / "reports" / f"{REPORT_ID}.yml")
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "preview.py"), "--build", str(site),
                           "--data-dir", str(data), str(data / "reports" / f"{REPORT_ID}.yml")],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError("预览构建失败：" + done.stdout[-500:] + done.stderr[-500:])
    return site / "reports" / REPORT_ID / "index.html"


def photograph(shots: dict[str, tuple[Path, int]], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, (page_file, height) in shots.items():
            page = browser.new_page(viewport={"width": 1100, "height": height}, device_scale_factor=1)
            page.goto(page_file.as_uri())
            page.wait_for_load_state("networkidle")
            target = out / f"{name}.png"
            page.screenshot(path=str(target), full_page=name != "report-page")  # the report page: its top
            written.append(target)
            page.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="contrib_screenshots.py", description="生成 CONTRIBUTING.md 中本项目页面的截图。")
    parser.add_argument("--out", type=Path, default=OUT, help="PNG 写到哪个文件夹（默认 docs/assets/contributing/）")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).is_file():
        print(f"错误：没有找到 {CHROMIUM}：请先安装 chromium 和 fonts-noto-cjk。", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="kb-shots-") as tmp:
        work = Path(tmp)
        repo = scratch_repo(work / "repo")
        uploads(repo / "data" / "inbox")
        done = run_intake(repo)
        if done.returncode != 1 or not (repo / "intake-result" / "intake-report.md").is_file():
            print("错误：流水线的导入没有得到预期的结果（应有一个文件需要处理）：\n" + done.stdout[-800:] + done.stderr[-800:],
                  file=sys.stderr)
            return 1
        shots = pages(repo, work)
        try:
            shots["report-page"] = (report_page(repo, work), 900)
        except RuntimeError as err:
            print(f"错误：{err}", file=sys.stderr)
            return 1
        for path in photograph(shots, args.out):
            print(f"已写出 {path.relative_to(REPO) if path.is_relative_to(REPO) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
