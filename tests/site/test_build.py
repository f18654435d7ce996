"""kb.site.build: how the build loads the data (slim reports, worker processes unless serving)."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from kb.markup.cache import BuildCache
from kb.site import build


class _Serving(BuildCache):
    serving = True

    def validated(self, data_dir, validate):  # noqa: ANN001, ANN201 - as LoadCache calls it
        return validate(data_dir, None)


@pytest.mark.parametrize(("cache", "jobs"), [
    (BuildCache(), os.cpu_count() or 1),
    (_Serving(), 1),  # the server's threads are running: no fork
    (None, os.cpu_count() or 1),
])
def test_the_build_validates_slim_and_in_workers_unless_serving(monkeypatch, cache, jobs):
    seen = []

    def fake(data_dir, only=None, **kwargs):
        seen.append(kwargs)
        raise build.DataError([])

    monkeypatch.setattr(build, "load_and_validate", fake)
    with pytest.raises(build.DataError):
        build.load(Path("/nowhere"), None, cache)
    assert seen == [{"slim": True, "jobs": jobs}]


def _linked_site(where: Path) -> Path:
    site = where / "site"
    (site / "assets").mkdir(parents=True)
    (site / "assets" / "old.txt").symlink_to(where / "elsewhere.txt")
    return site


def test_a_site_folder_in_the_repository_is_scanned(tmp_path):
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    with pytest.raises(build.DataError):
        build.check_sources(project, project / "docs", _linked_site(project))


def test_a_site_folder_outside_the_repository_is_not_walked(tmp_path):
    # The server's temporary site: 75,000 files at 10,000 reports, walked on every rebuild.
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    build.check_sources(project, project / "docs", _linked_site(tmp_path / "tmp"))


def test_the_model_is_built_without_the_garbage_collector(monkeypatch):
    seen = []
    monkeypatch.setattr(build, "load_and_validate", lambda *_a, **_k: (object(), []))
    monkeypatch.setattr(build.model, "build", lambda raw, notices: seen.append(gc.isenabled()))
    build.load(Path("/nowhere"))
    assert seen == [False] and gc.isenabled()
