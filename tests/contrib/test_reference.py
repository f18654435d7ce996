"""The reference data of the contributors' tools (kb.contrib.reference): one reader of the
data directory for the Word importer and the scaffold."""

from __future__ import annotations

from pathlib import Path

import pytest
from datacopy import copy_data

from kb.contrib import scaffold
from kb.contrib.docx import importer
from kb.contrib.reference import Reference


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return copy_data(tmp_path_factory.mktemp("reference") / "data")


def test_the_importer_and_the_scaffold_share_one_reader():
    assert importer.Reference is Reference
    assert issubclass(scaffold.Choices, Reference)
    assert scaffold.Choices.load.__func__ is Reference.load.__func__


def test_both_tools_see_the_same_data(data_dir):
    ref, choices = Reference.load(data_dir), scaffold.Choices.load(data_dir)
    assert (choices.groups, choices.units, choices.campaigns, choices.materials) == \
        (ref.groups, ref.units, ref.campaigns, ref.materials)
    assert ref.unit("shi-czj")["name"] == "市财政局"
    assert ref.roster_entry("2023-zhuti", "shi-czj")["group"] == "g1"
    assert ref.group_by_number(1)["id"] == "g1"


def test_missing_files_read_as_empty(tmp_path):
    ref = Reference.load(tmp_path)
    assert (ref.groups, ref.units, ref.campaigns, ref.materials) == ([], [], {}, [])


def test_load_reuses_the_last_read_until_a_file_changes(tmp_path):
    """An intake asks once per file; the roster is read again only when a file changed."""
    import os
    import shutil

    from conftest import DATA
    from kb.contrib.reference import Reference

    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("reports"))
    first = Reference.load(data)
    assert Reference.load(data) is first
    units = data / "units.yml"
    units.write_text(units.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second = Reference.load(data)
    assert second is not first and second.units == first.units
    info = units.stat()
    os.utime(units, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))
    assert Reference.load(data) is not second
