"""Reproducible builds: two strict builds of the same sources are byte-identical.

The working tree (tracked and untracked, not ignored files) is copied once, and that copy
is copied again with files and directories created in the opposite order — on tmpfs
(/dev/shm) directory listings follow creation order, so the builds see different file
orders. The builds also differ in PYTHONHASHSEED, TZ, locale, source and output paths;
both take SOURCE_DATE_EPOCH from the last commit, as CI does. Every output file must
have the same bytes.

Pagefind writes its filter indexes in a random order; kb.search.reproducible rewrites them in a
canonical one (tested here on Pagefind's real output).
"""

from __future__ import annotations

import difflib
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT, require_tool
from kb.search import reproducible
from kb.search.cbor import PagefindFormatError, cbor_decode, cbor_encode

SHM = Path("/dev/shm")
BUILD_A = {"PYTHONHASHSEED": "1", "TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
BUILD_B = {"PYTHONHASHSEED": "4242", "TZ": "Pacific/Kiritimati", "LANG": "zh_CN.UTF-8",
           "LC_ALL": "POSIX", "LANGUAGE": "zh_CN:en"}
DROPPED_ENV = ("KB_DATA_DIR", "KB_ONLY", "PYTHONHASHSEED", "TZ", "LANG", "LC_ALL",
               "LANGUAGE", "SOURCE_DATE_EPOCH")


def git(*args: str) -> str:
    git_bin = require_tool("git", "the reproducibility test reads the commit and file list")
    result = subprocess.run([git_bin, *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def source_files() -> list[str]:
    """Tracked files, and untracked ones that are not ignored (work in progress), except
    in hidden directories (CI caches such as .cache/pip live in the checkout)."""
    tracked = git("ls-files", "-z", "--cached").split("\0")
    untracked = [n for n in git("ls-files", "-z", "--others", "--exclude-standard").split("\0")
                 if not any(part.startswith(".") for part in n.split("/")[:-1])]
    return sorted({n for n in tracked + untracked if n and (ROOT / n).is_file()})


def copy_in_order(src: Path, dest: Path, names: list[str]) -> None:
    """Copy files creating each directory and file in the order of ``names``."""
    for name in names:
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / name, target)


@pytest.fixture
def scratch(tmp_path) -> Iterator[Path]:
    """A directory on tmpfs when there is one (listing order = creation order)."""
    if SHM.is_dir() and os.access(SHM, os.W_OK):
        path = Path(tempfile.mkdtemp(prefix="kb-repro-", dir=SHM))
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)
    else:
        yield tmp_path


def build(src: Path, out: Path, env: dict[str, str]) -> None:
    environ = {k: v for k, v in os.environ.items() if k not in DROPPED_ENV}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
         str(src / "mkdocs.yml"), "-d", str(out)],
        cwd=src, env={**environ, **env}, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, f"build in {src} failed:\n{result.stderr[-4000:]}"


def tree(root: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = b"symlink -> " + os.readlink(path).encode()
        elif path.is_file():
            out[rel] = path.read_bytes()
    return out


def explain(a: dict[str, bytes], b: dict[str, bytes], limit: int = 8) -> str:
    """A short report of how two trees differ, with a diff excerpt of text files."""
    lines = [f"only in build A: {name}" for name in sorted(a.keys() - b.keys())][:limit]
    lines += [f"only in build B: {name}" for name in sorted(b.keys() - a.keys())][:limit]
    changed = sorted(n for n in a.keys() & b.keys() if a[n] != b[n])
    lines.append(f"{len(changed)} file(s) differ: {changed[:30]}")
    for name in changed[:limit]:
        try:
            old, new = a[name].decode().splitlines(), b[name].decode().splitlines()
        except UnicodeDecodeError:
            lines.append(f"--- {name}: binary, {len(a[name])} vs {len(b[name])} bytes")
            continue
        diff = difflib.unified_diff(old, new, f"A/{name}", f"B/{name}", n=0, lineterm="")
        lines += [line[:300] for line in list(diff)[:12]]
    if changed and all(n.startswith("pagefind/") for n in changed):
        lines.append("hint: Pagefind writes filter indexes in random order; the search step must "
                     "call kb.search.reproducible.stabilize_pagefind(<site>/pagefind) after Pagefind ran")
    return "\n".join(lines)


@pytest.mark.slow
def test_two_builds_are_byte_identical(scratch, tmp_path):
    epoch = git("log", "-1", "--format=%ct", "HEAD").strip()
    assert epoch.isdigit()
    names = source_files()
    assert "mkdocs.yml" in names and any(n.startswith("data/reports/") for n in names)
    src_a, src_b = scratch / "a" / "src", scratch / "b" / "source-tree"
    copy_in_order(ROOT, src_a, names)
    copy_in_order(src_a, src_b, list(reversed(names)))  # same snapshot, other order
    if scratch != tmp_path:  # on tmpfs the order really differs; make sure of it
        top = sorted({n.split("/")[0] for n in names})
        assert os.listdir(src_a) != os.listdir(src_b) or len(top) < 2

    out_a, out_b = tmp_path / "site-a", tmp_path / "out" / "site-b"
    build(src_a, out_a, {**BUILD_A, "SOURCE_DATE_EPOCH": epoch})
    build(src_b, out_b, {**BUILD_B, "SOURCE_DATE_EPOCH": epoch})

    a, b = tree(out_a), tree(out_b)
    assert "index.html" in a and len(a) > 20
    identical = a.keys() == b.keys() and all(a[n] == b[n] for n in a)
    assert identical, "builds differ:\n" + explain(a, b)  # (not a == b: its diff is megabytes)


# --------------------------------------------------------------------------- Pagefind


@pytest.mark.parametrize(("value", "encoded"), [
    (0, "00"), (23, "17"), (24, "1818"), (255, "18ff"), (256, "190100"), (65536, "1a00010000"),
    (2**32, "1b0000000100000000"), ("", "60"), ("a", "6161"), ("中", "63e4b8ad"),
    ([], "80"), ([1, ["a"]], "8201816161"), (list(range(24)), "9818" + bytes(range(24)).hex()),
])
def test_cbor_round_trip(value, encoded):
    assert cbor_encode(value).hex() == encoded
    assert cbor_decode(bytes.fromhex(encoded)) == value


@pytest.mark.parametrize(("data", "message"), [
    ("20", "major type 1"),          # negative integer
    ("a0", "major type 5"),          # map
    ("9f", "indefinite"),            # indefinite-length array
    ("1901", "truncated"),
    ("6261", "truncated"),
    ("0000", "trailing"),
    ("", "truncated"),
])
def test_cbor_refuses(data, message):
    with pytest.raises(PagefindFormatError, match=message):
        cbor_decode(bytes.fromhex(data))


@pytest.mark.parametrize("value", [-1, True, 1.5, {"a": 1}, b"x"])
def test_cbor_encode_refuses(value):
    with pytest.raises(PagefindFormatError):
        cbor_encode(value)


FILTER_VALUES = [f"单位{i:02d}" for i in range(25)]


def pagefind_site(root: Path) -> Path:
    """Pages with three filters of many values: Pagefind shuffles those between runs."""
    for n in range(40):
        filters = "".join(
            f'<span data-pagefind-filter="{name}">{FILTER_VALUES[(n * k) % 25]}</span>'
            for k, name in ((1, "单位"), (3, "指导组"), (7, "批次"))
        )
        page = root / f"p{n:02d}" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<!doctype html><html lang="zh"><body data-pagefind-body><h1>第{n}页</h1>'
                        f"<p>整改 台账 第{n}项</p>{filters}</body></html>", encoding="utf-8")
    return root


def run_pagefind(site: Path, output: Path) -> Path:
    from pagefind.service import get_executable

    executable = get_executable()
    assert executable is not None, "pagefind[extended] is in requirements.txt"
    result = subprocess.run([str(executable), "--site", str(site), "--output-path", str(output)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return output


def filters_of(bundle: Path) -> dict[str, dict[str, list[int]]]:
    """What the filter indexes mean, independent of order and file names."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (info,) = entry["languages"].values()
    meta = reproducible.read_chunk(bundle / f"pagefind.{info['hash']}.pf_meta")
    out = {}
    for name, chunk in meta[3]:
        _, values = reproducible.read_chunk(bundle / "filter" / f"{chunk}.pf_filter")
        out[name] = {value: sorted(pages) for value, pages in values}
    return out


def test_pagefind_codec_matches_pagefind_bytes(tmp_path):
    bundle = run_pagefind(pagefind_site(tmp_path / "site"), tmp_path / "pf")
    files = [*bundle.glob("filter/*.pf_filter"), *bundle.glob("*.pf_meta")]
    assert len(files) == 4
    for path in files:
        raw = gzip.decompress(path.read_bytes())
        assert cbor_encode(reproducible.read_chunk(path)) == raw[len(reproducible.MAGIC):]


def test_stabilized_pagefind_bundles_are_identical_and_mean_the_same(tmp_path):
    site = pagefind_site(tmp_path / "site")
    bundles = [run_pagefind(site, tmp_path / f"pf{i}") for i in range(2)]
    meanings = [filters_of(b) for b in bundles]
    for bundle in bundles:
        reproducible.stabilize_pagefind(bundle)
    trees = [tree(b) for b in bundles]
    assert trees[0] == trees[1]
    assert [filters_of(b) for b in bundles] == meanings  # same filters, values, pages
    assert len(meanings[0]["单位"]) == 25
    entry = json.loads(trees[0]["pagefind-entry.json"])
    metas = [n for n in trees[0] if n.endswith(".pf_meta")]
    assert metas == [f"pagefind.{entry['languages']['zh']['hash']}.pf_meta"]
    meta = reproducible.read_chunk(bundles[0] / metas[0])
    assert sorted(f"filter/{h}.pf_filter" for _, h in meta[3]) == sorted(
        n for n in trees[0] if n.startswith("filter/"))  # no orphan, none missing
    assert [name for name, _ in meta[3]] == sorted(name for name, _ in meta[3])
    for name in trees[0]:
        if name.endswith((".pf_filter", ".pf_meta")):
            assert trees[0][name][4:8] == b"\0\0\0\0"  # gzip without a time stamp


def test_stabilize_refuses_an_unknown_format(tmp_path):
    bundle = run_pagefind(pagefind_site(tmp_path / "site"), tmp_path / "pf")
    meta = next(bundle.glob("*.pf_meta"))
    meta.write_bytes(gzip.compress(reproducible.MAGIC + bytes.fromhex("a0")))
    with pytest.raises(PagefindFormatError, match="major type 5"):
        reproducible.stabilize_pagefind(bundle)
