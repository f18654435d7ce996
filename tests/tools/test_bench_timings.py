"""benchkit.timings, benchkit.timing_hook and benchkit.configs: the per-phase timings of a
timed build, recorded by a second hook in a config derived from mkdocs.yml (nothing in the
project's own build)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from benchkit import configs, timings
from conftest import ROOT, run_mkdocs


@pytest.fixture
def recording(monkeypatch):
    """A clean span list (the module keeps the builds of its process)."""
    monkeypatch.setattr(timings, "_builds", [])


def test_timings_off_without_the_variable():
    def on_config(config):
        return config

    namespace = {"on_config": on_config}
    assert timings.instrument(namespace, environ={}) is False
    assert namespace["on_config"] is on_config


def test_timings_record_handlers_and_registered_steps(tmp_path, recording):
    out = tmp_path / "t.json"
    calls = []

    def step(kb, settings, site_dir):
        calls.append(site_dir)

    steps = [step]
    namespace = {
        "on_config": lambda config: config,
        "on_page_content": lambda html, **kw: html,
        "on_post_build": lambda config: [s(None, None, "site") for s in steps],
    }
    assert timings.instrument(namespace, environ={timings.ENV: str(out)}, step=steps)
    assert namespace["on_page_content"]("x") == "x"  # per-page handlers are left alone
    assert not hasattr(namespace["on_page_content"], "__kb_timed__")
    namespace["on_config"]({})
    namespace["on_post_build"]({})
    builds = json.loads(out.read_text("utf-8"))
    names = [s["name"] for s in builds[-1]]
    assert names[0] == "on_config" and names[2] == "on_post_build"
    assert names[1].startswith("step:") and names[1].endswith(".step")
    assert calls == ["site"]
    # Instrumenting again (a serve rebuild may load the hooks again) does not nest.
    timings.instrument(namespace, environ={timings.ENV: str(out)}, step=steps)
    assert steps[0].__wrapped__ is step


def test_the_registries_timed_are_the_projects():
    """A renamed or removed registry fails here, not silently in the bench's phases."""
    from kb.site import pages, postbuild

    found = timings.registries()
    assert found["step"] is postbuild.STEPS and found["producer"] is pages.PRODUCERS
    assert found["extras"] is pages.REPORT_EXTRAS
    assert all(callable(f) for functions in found.values() for f in functions)


def test_instrument_site_wraps_the_loaded_hook_from_outside(tmp_path, monkeypatch, recording):
    hook_file = tmp_path / "site.py"
    hook_file.write_text("", "utf-8")
    hook = types.ModuleType(str(hook_file))  # MkDocs names a hook module by its path
    hook.__file__ = str(hook_file)
    hook.on_config = lambda config: config
    hook.on_post_page = lambda output, **kw: output
    monkeypatch.setitem(sys.modules, str(hook_file), hook)
    monkeypatch.setattr(timings, "SITE_HOOK", hook_file)
    steps: list = [lambda *args: None]
    monkeypatch.setattr(timings, "registries", lambda: {"step": steps})

    assert timings.instrument_site({timings.ENV: str(tmp_path / "t.json")})
    assert hook.on_config.__kb_timed__ and steps[0].__kb_timed__
    assert not hasattr(hook.on_post_page, "__kb_timed__")
    hook.on_config({})
    assert [s["name"] for s in timings._builds[-1]] == ["on_config"]


def test_a_timing_hook_listed_before_the_site_hook_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(timings, "SITE_HOOK", tmp_path / "site.py")
    with pytest.raises(RuntimeError, match="必须在配置的 hooks 中列在项目的钩子之后"):
        timings.site_hook()


def test_mkdocs_yml_is_read_without_constructing_python_tags():
    config = configs.read()
    assert config["hooks"] == ["hooks/site.py"]
    toc = next(e["toc"] for e in config["markdown_extensions"] if isinstance(e, dict) and "toc" in e)
    assert toc["slugify"] is None  # !!python/object/apply: left out, not run
    assert configs.load("a: !ENV [X, 1]\nb: 2\n") == {"a": None, "b": 2}


def test_derived_config_names_the_project_by_absolute_paths(tmp_path):
    path = configs.derived(tmp_path / "x.yml", strict=False)
    config = json.loads(path.read_text("utf-8"))
    assert config["INHERIT"] == str(ROOT / "mkdocs.yml")
    assert config["docs_dir"] == str(ROOT / "docs")
    assert config["hooks"] == [str(ROOT / "hooks" / "site.py")]
    assert config["theme"] == {"custom_dir": str(ROOT / "docs" / "overrides")}
    assert config["extra"] == {"kb": {"data_dir": str(ROOT / "data")}}
    assert config["strict"] is False
    timed = json.loads(configs.timed(tmp_path).read_text("utf-8"))
    assert timed["hooks"] == [str(ROOT / "hooks" / "site.py"), str(configs.TIMING_HOOK)]


def test_the_project_build_loads_no_timing_code():
    """Only the bench's config names the timing hook; the project's build never sees it."""
    assert "timing" not in (ROOT / "mkdocs.yml").read_text("utf-8")
    code = ("import sys; sys.path.insert(0, 'hooks'); import runpy; "
            "runpy.run_path('hooks/site.py'); "
            "print(sorted(m for m in sys.modules if 'benchkit' in m or 'timings' in m))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, timings.ENV: "/nonexistent/t.json"}, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_timed_build_records_every_phase_and_builds_the_same_site(tmp_path, built_site):
    spans_file = tmp_path / "timings.json"
    site = tmp_path / "site"
    result = run_mkdocs(site, config=configs.timed(tmp_path),
                        env={timings.ENV: str(spans_file), "SOURCE_DATE_EPOCH": "1767225600"})
    assert result.returncode == 0, result.stderr
    names = [s["name"] for s in timings.read_spans(spans_file)]
    for name in ("on_config", "on_files", "on_nav", "on_post_build",
                 "producer:kb.site.pages.core_pages", "step:kb.search.postbuild_step"):
        assert name in names
    assert any(n.startswith("extras:") for n in names)
    assert not any(n.startswith(("on_page", "on_post_page")) for n in names)
    phases = timings.phases(timings.read_spans(spans_file), wall=60.0)
    assert all(phases[p] > 0 for p in ("load", "generate", "render", "search"))
    assert _files(site) == _files(built_site)  # timing changes nothing the build makes


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
