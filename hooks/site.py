"""MkDocs event handlers of the knowledge base. Each hands off to the ``kb`` package.

Loaded by path through ``hooks:`` in mkdocs.yml, so no relative imports: the folder
of this file is put on ``sys.path`` to import the domain package.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File  # noqa: E402
from mkdocs.utils.meta import get_data  # noqa: E402

from kb.data.problems import format_text, summary  # noqa: E402
from kb.markup.render import expand_fragments  # noqa: E402
from kb.markup.safety import sanitize_html  # noqa: E402
from kb.site import build, incremental, pages, postbuild, watching  # noqa: E402

log = logging.getLogger("mkdocs.hooks.kb")
_state: dict = {}


class _GeneratedFile(File):
    """A generated page: it carries its finished HTML fragments and whether to sanitise it,
    and a ``serve --dirty`` rebuild skips it when its Markdown is unchanged."""

    unchanged = False
    sanitize = False
    fragments: tuple[str, ...] = ()

    def is_modified(self) -> bool:
        return not (self.unchanged and os.path.isfile(self.abs_dest_path))


def on_startup(command, dirty):
    incremental.start(command, dirty)
    if dirty:
        logging.getLogger("mkdocs.commands.build").addFilter(incremental.drop_dirty_warning)


def on_config(config):
    data_dir = build.resolve_data_dir(Path(config.config_file_path).parent, config.extra)
    try:
        build.check_sources(Path(config.config_file_path).parent, Path(config.docs_dir),
                            Path(config.site_dir))
        cache = incremental.cache_for_build()
        kb, problems = build.load(data_dir, build.only_reports(), cache)
    except build.DataError as err:
        for problem in err.problems:
            (log.error if problem.is_error else log.warning)(format_text(problem))
        raise PluginError(f"数据校验未通过，未生成网站：{summary(err.problems)}") from None
    for problem in problems:  # advisory (warnings): shown, and listed for reviewers on the site
        log.info("数据提示：%s", format_text(problem))
    settings = build.settings_from_extra(config.extra, config.repo_url or "")
    _state.update(data_dir=data_dir, kb=kb, settings=settings, cache=cache)
    return config


def on_files(files, config):
    kb, cache = _state["kb"], _state["cache"]
    generated = pages.generate_pages(kb, _state["settings"], cache)
    nav_key = pages.nav_key(config.nav, kb) if cache.serving else ""
    for page in generated:
        file = _GeneratedFile.generated(config, page.src_uri, content=page.content)
        file.sanitize, file.fragments = page.sanitize, page.fragments
        file.unchanged = cache.page_unchanged(config.site_dir, page.src_uri, page.inline, nav_key)
        files.append(file)
    return files


def _title_only(page):
    """A nav page a dirty rebuild skips still gives the nav its title (front matter)."""
    if getattr(page.file, "unchanged", False) and not page.file.is_modified():
        title = get_data(page.file.content_string)[1].get("title")
        if title:
            page.title = title  # a weak property: assignment overrides it


def on_nav(nav, config, files):
    for page in nav.pages:
        _title_only(page)
    section = next(
        (item for item in nav.items if item.is_section
         and any(getattr(c, "url", None) == pages.REPORTS_URL for c in item.children)),
        None,
    )
    if section is None:
        return nav
    for src_uri in pages.campaign_nav(_state["kb"]):
        page = files.get_file_from_path(src_uri).page
        page.parent = section
        _title_only(page)
        section.children.append(page)
    return nav


def on_page_markdown(markdown, page, config, files):
    if isinstance(page.file, _GeneratedFile):
        page.file.content_string = ""  # read: free it (thousands of generated pages at scale)
    return markdown


def on_page_content(html, page, config, files):
    file = page.file
    if not isinstance(file, _GeneratedFile):
        return html
    html, file.fragments = expand_fragments(html, file.fragments), ()  # used: free them
    return sanitize_html(html) if file.sanitize else html


def on_post_page(output, page, config):
    page.title = page.title  # keep it: MkDocs derives a title from page.markdown on every read
    page.content = page.markdown = None  # written: free them (thousands of pages at scale)
    return output


def on_pre_build(config):
    build.clear_marker(Path(config.site_dir))


def on_post_build(config):
    site_dir, cache = Path(config.site_dir), _state["cache"]
    if cache.quick_pending:  # quick serve build: the complete one follows and does this
        cache.build_done(config.site_dir)
        return
    try:
        postbuild.run(_state["kb"], _state["settings"], site_dir, cache)
    except Exception as exc:
        raise PluginError(f"构建后处理失败，网站不完整、不可发布：{type(exc).__name__}: {exc}") from exc
    cache.build_done(config.site_dir)
    build.write_marker(site_dir, _state["kb"], _state["settings"])


def on_serve(server, config, builder):
    server.watch(str(_state["data_dir"]))
    server.watch(str(Path(__file__).resolve().parent / "templates"))
    server.watch(incremental.QUICK.watch_folder())  # quick builds ask for the complete one
    watching.use_native_observer(server)  # MkDocs polls every file twice a second
    return server

