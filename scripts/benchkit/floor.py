"""The floor: the same generated pages as plain Markdown files, built with MkDocs + Material
alone (no hooks, no search, the same nav and theme) — what every time is compared with.

:func:`write_floor_project` writes the scratch project; ``python -m benchkit.floor DATA_DIR
FOLDER`` does it in a child process (see there).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from benchkit import configs
from benchkit.paths import HOOKS, MKDOCS_YML, REPO, SCRIPTS


def floor_nav(config_text: str, campaign_pages: list[str]) -> list:
    """The project's nav with the campaign pages the hook adds (``on_nav``) written in."""
    config = configs.load(config_text)
    nav = json.loads(json.dumps(config.get("nav") or []))

    def visit(items: list) -> bool:
        for item in items:
            if isinstance(item, dict):
                for children in item.values():
                    if isinstance(children, list) and (
                        "reports/index.md" in children or visit(children)
                    ):
                        if "reports/index.md" in children:
                            children.extend(campaign_pages)
                        return True
        return False

    visit(nav)
    return nav


def write_floor_project(data_dir: Path, folder: Path, *, subprocess_: bool = True) -> Path:
    """A plain MkDocs project with the generated pages as files; returns its config path.

    The pages are generated in a child process (not part of the floor's time), so this
    process stays small and does not lend its memory to the builds it measures.
    """
    if subprocess_:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HOOKS), str(SCRIPTS)])}
        subprocess.run([sys.executable, "-m", "benchkit.floor", str(data_dir), str(folder)],
                       cwd=REPO, env=env, check=True)
        return folder / "mkdocs.yml"
    from kb.site import build, pages

    kb, _problems = build.load(data_dir)
    settings = build.settings_from_extra({}, "")
    docs = folder / "docs"
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(REPO / "docs", docs, ignore=shutil.ignore_patterns("overrides"))
    for page in pages.generate_pages(kb, settings):
        target = docs / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.inline(), encoding="utf-8")  # the same page, all in Markdown
    return configs.derived(
        folder / "mkdocs.yml", docs_dir=str(docs), strict=False, hooks=[], plugins=[],
        nav=floor_nav(MKDOCS_YML.read_text("utf-8"), pages.campaign_nav(kb)))


if __name__ == "__main__":  # python -m benchkit.floor DATA_DIR FOLDER (used by the bench)
    if len(sys.argv) == 3:
        write_floor_project(Path(sys.argv[1]), Path(sys.argv[2]), subprocess_=False)
    else:
        sys.exit("usage: python -m benchkit.floor DATA_DIR FOLDER")
