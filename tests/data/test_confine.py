"""Symlinks and special files are refused, named and never read (hooks/kb/data/confine.py):
by the scan, by the YAML reader, by the validator (library and CLI) and by the build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, ROOT, load_script
from kb.contrib import scaffold
from kb.data import confine
from kb.data.load import load_and_validate
from kb.data.yamlsafe import load_yaml

SECRET = "root:x:0:0:SECRET-FIRST-LINE"  # the first line of the file a link points at


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the repository that a hostile link points at."""
    path = tmp_path / "outside" / "passwd"
    path.parent.mkdir()
    path.write_text(SECRET + "\nunit: shi-czj\n", encoding="utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of the example data in tmp/repo/data."""
    target = tmp_path / "repo" / "data"
    shutil.copytree(DATA, target)
    return target


# --------------------------------------------------------------------- scan


def test_scan_finds_links_and_fifos_without_descending(tmp_path: Path, secret: Path) -> None:
    root = tmp_path / "repo"
    (root / "docs" / "assets").mkdir(parents=True)
    (root / "docs" / "ok.md").write_text("ok", encoding="utf-8")
    (root / "docs" / "assets" / "leak.txt").symlink_to(secret)
    (root / "docs" / "etcdir").symlink_to(secret.parent, target_is_directory=True)
    (root / "docs" / "loop").symlink_to(root / "docs", target_is_directory=True)
    os.mkfifo(root / "docs" / "pipe.md")
    problems = confine.scan(root / "docs", root)
    shown = {(p.file, p.rule) for p in problems}
    assert shown == {
        ("docs/assets/leak.txt", "symlink"), ("docs/etcdir", "symlink"), ("docs/loop", "symlink"),
        ("docs/pipe.md", "special-file"),
    }
    assert all(SECRET not in p.full_message() and str(secret) not in p.full_message() for p in problems)


def test_scan_refuses_a_linked_folder_on_the_way(tmp_path: Path, secret: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "data").symlink_to(secret.parent, target_is_directory=True)
    problems = confine.scan(root / "data" / "reports", root)
    assert [(p.file, p.rule) for p in problems] == [("data", "symlink")]


def test_scan_shows_control_characters_escaped(tmp_path: Path, secret: Path) -> None:
    (tmp_path / "a\nb::warning x").symlink_to(secret)
    [problem] = confine.scan(tmp_path, tmp_path)
    assert "\n" not in problem.file and "\\x0a" in problem.file


@pytest.mark.parametrize("kind", ["symlink", "fifo", "large"])
def test_read_regular_refuses(tmp_path: Path, secret: Path, kind: str) -> None:
    path = tmp_path / "f.yml"
    if kind == "symlink":
        path.symlink_to(secret)
        expected: type[Exception] = confine.Refused
    elif kind == "fifo":
        os.mkfifo(path)  # an open() without O_NONBLOCK would wait here for a writer
        expected = confine.Refused
    else:
        path.write_bytes(b"x" * 101)
        expected = ValueError
    with pytest.raises(expected):
        confine.read_regular(path, 100)


def test_yaml_reader_names_the_link_and_never_reads_it(tmp_path: Path, secret: Path) -> None:
    link = tmp_path / "x.yml"
    link.symlink_to(secret)
    doc, problems = load_yaml(link, "data/x.yml")
    assert doc is None
    assert [(p.file, p.rule) for p in problems] == [("data/x.yml", "symlink")]
    assert SECRET not in problems[0].full_message()


# --------------------------------------------------------------- validator


def _link_report(data: Path, secret: Path) -> Path:
    link = data / "reports" / "2023-zhuti" / "qu-abc.yml"
    link.symlink_to(secret)
    return link


@pytest.mark.parametrize("where", ["report", "report-folder", "schema", "data-dir", "fifo"])
def test_validator_refuses_links(data: Path, secret: Path, where: str) -> None:
    if where == "report":
        _link_report(data, secret)
        expected = ("data/reports/2023-zhuti/qu-abc.yml", "symlink")
    elif where == "report-folder":
        (data / "reports" / "2099-x").symlink_to(secret.parent, target_is_directory=True)
        expected = ("data/reports/2099-x", "symlink")
    elif where == "schema":
        (data / "schema" / "units.schema.json").unlink()
        (data / "schema" / "units.schema.json").symlink_to(secret)
        expected = ("data/schema/units.schema.json", "symlink")
    elif where == "data-dir":
        real = data.parent / "real-data"
        data.rename(real)
        data.symlink_to(real, target_is_directory=True)
        expected = ("data", "symlink")
    else:
        os.mkfifo(data / "reports" / "2023-zhuti" / "qu-abc.yml")
        expected = ("data/reports/2023-zhuti/qu-abc.yml", "special-file")
    _raw, problems = load_and_validate(data)
    assert [(p.file, p.rule) for p in problems] == [expected]
    assert problems[0].is_error
    assert "符号链接" in problems[0].message or "不是普通文件" in problems[0].message


def test_validate_cli_does_not_echo_the_target(data: Path, secret: Path, capsys) -> None:
    link = _link_report(data, secret)
    validate = load_script("validate")
    for args in ([str(data)], [str(link)]):
        assert validate.main(args) == 1
        out = capsys.readouterr()
        assert "qu-abc.yml" in out.out
        assert SECRET not in out.out + out.err and str(secret) not in out.out + out.err


# ------------------------------------------------------------------- build


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project (config, docs, hooks, data) that a test may poison."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("docs", "hooks", "data"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


def _build(project: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"KB_DATA_DIR", "KB_ONLY"}}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml"),
         "-d", str(project / "site")],
        cwd=project, env={**env, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True, timeout=300,
    )


@pytest.mark.parametrize("where", [
    "docs/assets/leak.txt", "docs/etcdir", "docs/overrides/partials/leak.html",
    "hooks/templates/leak.md.j2", "data/reports/2023-zhuti/qu-abc.yml",
])
def test_build_fails_on_a_link_and_publishes_nothing(project: Path, secret: Path, where: str) -> None:
    link = project / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(secret.parent if where == "docs/etcdir" else secret)
    result = _build(project)
    assert result.returncode != 0
    assert where in result.stderr and "符号链接" in result.stderr
    assert SECRET not in result.stderr + result.stdout and str(secret) not in result.stderr
    assert not (project / "site" / "kb-build.json").exists()
    leaked = [p for p in (project / "site").rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
    assert leaked == []


# ------------------------------------------------------------------- writes


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "reports" / "2023-zhuti" / "shi-czj.yml"
    target.parent.mkdir(parents=True)
    target.write_text("old: true\n", encoding="utf-8")

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(confine.os, "replace", refuse)
    with pytest.raises(OSError) as caught:
        confine.write_atomically(target, "new: true\n")
    assert confine.os_error_text(caught.value) == "磁盘空间不足"
    assert target.read_text(encoding="utf-8") == "old: true\n"
    assert [p.name for p in target.parent.iterdir()] == ["shi-czj.yml"]


def test_a_write_replaces_a_link_and_leaves_its_target_alone(tmp_path: Path, secret: Path) -> None:
    link = tmp_path / "gl-code-quality.json"
    link.symlink_to(secret)
    confine.write_atomically(link, "[]\n")
    assert not link.is_symlink() and link.read_text(encoding="utf-8") == "[]\n"
    assert secret.read_text(encoding="utf-8").startswith(SECRET)


def test_validate_output_replaces_a_link_and_reports_a_bad_path(data: Path, secret: Path, capsys) -> None:
    validate = load_script("validate")
    link = data.parent / "gl-code-quality.json"
    link.symlink_to(secret)
    assert validate.main([str(data), "--format", "gitlab", "--output", str(link)]) == 0
    assert secret.read_text(encoding="utf-8").startswith(SECRET)
    assert not link.is_symlink()
    capsys.readouterr()
    assert validate.main([str(data), "--output", str(data.parent / "new" / "dir" / "x.json")]) == 0
    assert (data.parent / "new" / "dir" / "x.json").read_text(encoding="utf-8") == "\n"
    missing_dir = data.parent / "file-not-dir"
    missing_dir.write_text("x", encoding="utf-8")
    assert validate.main([str(data), "--output", str(missing_dir / "x.json")]) == 2
    err = capsys.readouterr().err
    assert "无法写入" in err and "Traceback" not in err and "Errno" not in err


def test_new_unit_refuses_a_linked_units_file(data: Path, secret: Path) -> None:
    (data / "units.yml").unlink()
    (data / "units.yml").symlink_to(secret)
    request = scaffold.Request(unit="shi-sjj", name="市审计局", party_org="市审计局党组", campaign="2023-zhuti",
                               group="1", batch="1")
    with pytest.raises(scaffold.ScaffoldError, match="符号链接"):
        scaffold.create(data, request)
    assert secret.read_text(encoding="utf-8").startswith(SECRET)


def test_build_refuses_a_linked_site_folder(project: Path, tmp_path: Path) -> None:
    precious = tmp_path / "elsewhere"
    precious.mkdir()
    (precious / "precious.txt").write_text("keep", encoding="utf-8")
    (project / "site").symlink_to(precious, target_is_directory=True)
    result = _build(project)
    assert result.returncode != 0 and "site" in result.stderr and "符号链接" in result.stderr
    assert (precious / "precious.txt").read_text(encoding="utf-8") == "keep"
