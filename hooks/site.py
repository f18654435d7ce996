"""MkDocs event handlers of the knowledge base. Each hands off to the ``kb`` package.

Loaded by path through ``hooks:`` in mkdocs.yml, so no relative imports: the folder
of this file is put on ``sys.path`` to import the domain package.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402

from kb import build, pages, postbuild  # noqa: E402
from kb.problems import format_text, summary  # noqa: E402
from kb.safety import sanitize_html  # noqa: E402

log = logging.getLogger("mkdocs.hooks.kb")
_state: dict = {}


def on_config(config):
    data_dir = build.resolve_data_dir(Path(config.config_file_path).parent, config.extra)
    try:
        kb, problems = build.load(data_dir, build.only_reports())
    except build.DataError as err:
        for problem in err.problems:
            (log.error if problem.is_error else log.warning)(format_text(problem))
        raise PluginError(f"数据校验未通过，未生成网站：{summary(err.problems)}") from None
    for problem in problems:
        log.warning(format_text(problem))
    settings = build.settings_from_extra(config.extra, config.repo_url or "")
    _state.update(data_dir=data_dir, kb=kb, settings=settings)
    return config


def on_files(files, config):
    generated = pages.generate_pages(_state["kb"], _state["settings"])
    _state["sanitize"] = {p.src_uri for p in generated if p.sanitize}
    for page in generated:
        files.append(File.generated(config, page.src_uri, content=page.content))
    return files


def on_nav(nav, config, files):
    section = next(
        (item for item in nav.items if item.is_section
         and any(getattr(c, "url", None) == "reports/" for c in item.children)),
        None,
    )
    if section is None:
        return nav
    for src_uri in pages.campaign_nav(_state["kb"]):
        page = files.get_file_from_path(src_uri).page
        page.parent = section
        section.children.append(page)
    return nav


def on_page_content(html, page, config, files):
    if page.file.src_uri in _state.get("sanitize", ()):
        return sanitize_html(html)
    return html


def on_post_build(config):
    postbuild.run(_state["kb"], _state["settings"], Path(config.site_dir))


def on_serve(server, config, builder):
    server.watch(str(_state["data_dir"]))
    server.watch(str(Path(__file__).resolve().parent / "templates"))
    return server
