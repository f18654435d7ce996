"""The intake run over an inbox of mixed files: every file gets its outcome, one bad file
never stops the others, written files carry the source's hash, a second run changes
nothing, a hand-edited file is kept without --force, --dry-run writes nothing."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from intake_inbox import EXPECTED, built, data_copy, exported, make_inbox

from conftest import require_tool
from kb.contrib import docx
from kb.contrib.intake import run
from kb.contrib.intake.summary import ATTENTION, FAILED, IMPORTED, WARNED, FileResult


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below ``folder``: its bytes and modification time."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def intake(inbox: Path, data: Path, **options) -> run.Outcome:
    return run.run(run.Options(inbox=inbox, data_dir=data, jobs=2, **options))


def rows(outcome: run.Outcome) -> dict[str, FileResult]:
    return {r.name: r for r in outcome.results}


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> tuple[Path, Path, run.Outcome]:
    """The inbox, the data directory after one run, and that run's outcome."""
    root = tmp_path_factory.mktemp("intake")
    inbox, data = make_inbox(root / "inbox"), data_copy(root / "data")
    return inbox, data, intake(inbox, data)


@pytest.fixture
def again(first, tmp_path) -> tuple[Path, Path]:
    """A private copy of the inbox and the data directory after the first run."""
    inbox, data, _ = first
    shutil.copytree(inbox, tmp_path / "inbox", symlinks=True)
    shutil.copytree(data, tmp_path / "data", symlinks=True)
    return tmp_path / "inbox", tmp_path / "data"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_file_gets_its_outcome_and_unit(first, name) -> None:
    row = rows(first[2])[name]
    assert (row.outcome, row.unit) == EXPECTED[name], row.messages


def test_only_the_inbox_and_its_direct_sub_folders_are_read_hidden_files_skipped(first) -> None:
    assert sorted(rows(first[2])) == sorted(EXPECTED)


@pytest.mark.parametrize(("name", "words"), [
    ("关于报送市财政局自查评估报告的函.docx", ["市财政局（shi-czj）", "以正文为准"]),
    ("关于报送市林业局自查评估报告的函.docx", ["按名单模糊匹配识别"]),
    ("财政局自查报告.docx", ["市财政局（shi-czj）", "区财政局（qu-czj）"]),
    ("损坏的报告.docx", ["已损坏"]),
    ("指向别处.docx", ["符号链接"]),
    ("会议通知.docx", ["不像一份报告"]),
])
def test_the_messages_say_why(first, name, words) -> None:
    text = "\n".join(rows(first[2])[name].messages)
    assert all(w in text for w in words), text
    assert "Traceback" not in text


@pytest.mark.parametrize("name", ["2023-zhuti-shi-fgw.docx", "邮件附件/2023-zhuti-shi-jtj.docx"])
def test_figures_and_ledger_rows_are_counted(first, name) -> None:
    inbox, data, outcome = first
    row = rows(outcome)[name]
    imported = docx.import_docx(inbox / name, data)
    assert row.figures == (len(imported.data["figures"]), len(imported.figures_declared))
    assert row.ledger == len(imported.data.get("ledger") or [])
    assert row.figures[0] > 0


def test_written_files_carry_the_source_hash_and_are_still_as_written(first) -> None:
    inbox, data, outcome = first
    for name, (outcome_name, unit) in EXPECTED.items():
        if outcome_name not in (IMPORTED, WARNED):
            continue
        text = (data / "reports" / "2023-zhuti" / f"{unit}.yml").read_text(encoding="utf-8")
        source = hashlib.sha256((inbox / name).read_bytes()).hexdigest()
        assert run.read_stamp(text) == (source, True)
        assert f"# 导入自：{Path(name).name}，sha256={source}" in text
    assert sorted(p.name for p in (data / "reports" / "2023-zhuti").iterdir()) == [
        "shi-fgw.yml", "shi-jtj.yml", "shi-lcj.yml", "shi-swj.yml"]


def test_a_second_run_changes_nothing(again) -> None:
    inbox, data = again
    before = snapshot(data)
    outcome = intake(inbox, data)
    assert snapshot(data) == before
    assert {r.written for r in outcome.results if r.target} == {"未改变"}
    assert {n: (r.outcome, r.unit) for n, r in rows(outcome).items()} == EXPECTED


def test_a_hand_edited_file_is_kept_without_force(again) -> None:
    inbox, data = again
    target = data / "reports" / "2023-zhuti" / "shi-fgw.yml"
    edited = target.read_text(encoding="utf-8").replace("submitted:", "# 已核对\nsubmitted:", 1)
    target.write_text(edited, encoding="utf-8")
    row = rows(intake(inbox, data))["2023-zhuti-shi-fgw.docx"]  # the same source: the edit is kept
    assert target.read_text(encoding="utf-8") == edited
    assert (row.outcome, row.written) == (WARNED, run.KEPT)  # nothing imported: said, not shown as a clean import
    assert row.messages == [run.KEPT_NOTE]
    built("市发展和改革委员会党组", inbox / "2023-zhuti-shi-fgw.docx")  # a new version of the file
    row = rows(intake(inbox, data))["2023-zhuti-shi-fgw.docx"]
    assert target.read_text(encoding="utf-8") == edited
    assert (row.outcome, row.written) == (ATTENTION, "未写入")
    assert "手工修改" in row.messages[0] and "--force" in row.messages[0]
    row = rows(intake(inbox, data, force=True))["2023-zhuti-shi-fgw.docx"]
    assert row.written == "已覆盖" and run.read_stamp(target.read_text(encoding="utf-8"))[1]


def test_a_new_version_of_an_untouched_file_is_updated(again) -> None:
    inbox, data = again
    built("市发展和改革委员会党组", inbox / "2023-zhuti-shi-fgw.docx")
    row = rows(intake(inbox, data))["2023-zhuti-shi-fgw.docx"]
    assert row.written == "已更新"


def test_a_file_not_written_by_the_intake_is_not_overwritten(again) -> None:
    inbox, data = again
    target = data / "reports" / "2023-zhuti" / "shi-jtj.yml"
    target.write_text(run._STAMP.sub("", target.read_text(encoding="utf-8")), encoding="utf-8")
    row = rows(intake(inbox, data))["邮件附件/2023-zhuti-shi-jtj.docx"]
    assert (row.outcome, row.written) == (ATTENTION, "未写入") and "不是导入工具写出的" in row.messages[0]


def test_two_reports_for_one_unit_are_both_held_back(tmp_path) -> None:
    inbox, data = tmp_path / "inbox", data_copy(tmp_path / "data")
    inbox.mkdir()
    exported("2023-zhuti/shi-czj", inbox / "a.docx")
    built("市财政局党组", inbox / "b.docx")
    shutil.copy(inbox / "a.docx", inbox / "a-副本.docx")
    found = rows(intake(inbox, data))
    assert {n: r.outcome for n, r in found.items()} == {"a.docx": ATTENTION, "a-副本.docx": ATTENTION,
                                                       "b.docx": ATTENTION}
    assert not (data / "reports" / "2023-zhuti" / "shi-czj.yml").exists()
    (inbox / "b.docx").unlink()  # two copies of one file: imported once
    found = rows(intake(inbox, data))
    first, copy = found["a-副本.docx"], found["a.docx"]  # in the order of their names
    assert (first.outcome, first.written, copy.written) == (IMPORTED, "新写入", "未写入")
    assert copy.outcome == WARNED and "与 a-副本.docx 内容相同" in copy.messages[0]


def test_dry_run_writes_nothing_and_still_reports(tmp_path) -> None:
    inbox, data = make_inbox(tmp_path / "inbox"), data_copy(tmp_path / "data")
    before, inbox_before = snapshot(data), snapshot(inbox)
    outcome = intake(inbox, data, dry_run=True)
    assert snapshot(data) == before and snapshot(inbox) == inbox_before
    assert {n: (r.outcome, r.unit) for n, r in rows(outcome).items()} == EXPECTED


def test_one_failing_file_does_not_stop_the_others(tmp_path, monkeypatch) -> None:
    def broken(*_args, **_kwargs):
        raise RuntimeError("an English message that must not be shown")

    monkeypatch.setattr(docx, "import_docx_limited", broken)
    source = exported("2023-zhuti/shi-fgw", tmp_path / "in" / "a.docx")
    prepared = run.prepare(run.Job(source, "a.docx", data_copy(tmp_path / "data"), tmp_path / "work"))
    assert prepared.row.outcome == FAILED and prepared.row.messages == [run._INTERNAL]
    assert not (tmp_path / "work").exists()  # the job's folder is removed


@pytest.mark.parametrize(("available", "jobs"), [(0, 1), (3 * docx.LIMITS.memory_bytes, 2), (10**15, 2)])
def test_workers_are_bounded_by_cores_and_the_childrens_memory(monkeypatch, available, jobs) -> None:
    import psutil

    monkeypatch.setattr(run.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(psutil, "virtual_memory", lambda: type("M", (), {"available": available})())
    assert run.default_jobs() == min(jobs, max(1, available // docx.LIMITS.memory_bytes))


@pytest.mark.parametrize(("names", "message"), [
    (["a.docx", "b.docx", "c.docx"], "文件超过 2 个"),
    (["sub/a.docx", "sub/b.docx", "c.docx"], "文件超过 2 个"),
    ([f".hidden-{i}" for i in range(9)], "条目过多"),  # hidden entries are skipped, but counted
])
def test_too_many_files_is_a_usage_error(tmp_path, monkeypatch, names, message) -> None:
    monkeypatch.setattr(run, "MAX_FILES", 2)
    for name in names:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    with pytest.raises(run.UsageError, match=message):
        run.scan_inbox(tmp_path, set())


def test_an_unreadable_sub_folder_is_listed_the_rest_taken(tmp_path, monkeypatch) -> None:
    for name in ("a.docx", "locked/b.docx", "open/c.docx"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    entries = run._entries

    def refuse_locked(folder: Path):
        if folder.name == "locked":
            raise PermissionError(13, "Permission denied")
        return entries(folder)

    monkeypatch.setattr(run, "_entries", refuse_locked)
    files, refused = run.scan_inbox(tmp_path, set())
    assert [f.relative_to(tmp_path).as_posix() for f in files] == ["a.docx", "open/c.docx"]
    assert [(r.name, r.outcome, r.messages) for r in refused] == [("locked", FAILED, ["无法读取这个文件夹（没有读取权限）"])]


NOTE = "# 由 scripts/import_docx.py 从 Word 文件“a.docx”导入\n"
NEW = run.stamp(NOTE + "unit: x\nsubmitted: 2030-01-02\n", "a.docx", "1" * 64)
EXISTING = {
    "same": NEW,
    "same-source-other-day": run.stamp(NOTE + "unit: x\nsubmitted: 2030-01-01\n", "a.docx", "1" * 64),
    "same-source-edited": NEW + "# 手工添加\n",
    "other-source": run.stamp(NOTE + "unit: x\n", "a.docx", "2" * 64),
    "other-source-edited": run.stamp(NOTE + "unit: x\n", "a.docx", "2" * 64) + "# 手工添加\n",
    "unstamped": "unit: x\n",
}


@pytest.mark.parametrize(("existing", "force", "expected"), [
    (None, False, (True, "新写入")),
    ("same", False, (False, "未改变")),
    ("same-source-other-day", False, (False, "未改变")),
    ("same-source-edited", False, (False, run.KEPT)),
    ("same-source-edited", True, (True, "已覆盖")),
    ("other-source", False, (True, "已更新")),
    ("other-source-edited", False, (False, "未写入")),
    ("other-source-edited", True, (True, "已覆盖")),
    ("unstamped", False, (False, "未写入")),
    ("unstamped", True, (True, "已覆盖")),
])
def test_decide_when_to_write(tmp_path, existing, force, expected) -> None:
    target = tmp_path / "x.yml"
    if existing:
        target.write_text(EXISTING[existing], encoding="utf-8")
    assert run.decide(target, NEW, "1" * 64, force)[:2] == expected


def test_a_link_in_place_of_the_data_file_is_never_written_through(tmp_path) -> None:
    (tmp_path / "elsewhere.yml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "x.yml").symlink_to(tmp_path / "elsewhere.yml")
    assert run.decide(tmp_path / "x.yml", "y: 2\n", "1" * 64, True)[:2] == (False, "未写入")


ROSTER = "单位名称,党组织名称,指导组,批次\n市审计局,市审计局党组,第一指导组,1\n"


@pytest.mark.parametrize("dry_run", [False, True], ids=["registers", "dry-run"])
def test_the_roster_is_registered_before_matching(tmp_path, dry_run) -> None:
    inbox, data = tmp_path / "inbox", data_copy(tmp_path / "data")
    built("市审计局党组", inbox / "审计局.docx")
    roster = tmp_path / "名单.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    units_before = (data / "units.yml").read_bytes()
    outcome = intake(inbox, data, roster=roster, campaign="2023-zhuti", dry_run=dry_run)
    row = rows(outcome)["审计局.docx"]
    assert row.unit and row.outcome in (IMPORTED, WARNED), row.messages
    assert any(row.unit in line for line in outcome.registered)
    assert ((data / "units.yml").read_bytes() == units_before) == dry_run
    assert (data / row.target).exists() != dry_run


def test_a_roster_without_a_campaign_needs_one_when_there_are_several(tmp_path) -> None:
    inbox, data = tmp_path / "inbox", data_copy(tmp_path / "data")
    inbox.mkdir()
    (tmp_path / "名单.csv").write_text(ROSTER, encoding="utf-8")
    with pytest.raises(run.UsageError, match="--campaign"):
        intake(inbox, data, roster=tmp_path / "名单.csv")


@pytest.fixture(scope="module")
def other_formats(tmp_path_factory) -> Path:
    """An inbox with the example report of 市交通运输局 as .doc, .odt and PDF (LibreOffice makes them)."""
    soffice = require_tool("soffice", "LibreOffice makes the .doc, .odt and PDF files of the intake tests")
    root = tmp_path_factory.mktemp("formats")
    source = exported("2023-zhuti/shi-jtj", root / "src" / "市交通运输局.docx")
    inbox = root / "inbox"
    for target in ("doc", "odt", "pdf"):
        subprocess.run([soffice, f"-env:UserInstallation={(root / 'profile').as_uri()}", "--headless",
                        "--convert-to", target, "--outdir", str(inbox), str(source)],
                       check=True, capture_output=True, timeout=180)
    return inbox


# A PDF's ledger table is rebuilt from its words' positions (pdftables): imported and written like the others.
@pytest.mark.parametrize(("name", "outcomes"), [
    ("市交通运输局.doc", (IMPORTED, WARNED)),
    ("市交通运输局.odt", (IMPORTED, WARNED)),
    ("市交通运输局.pdf", (IMPORTED, WARNED)),
])
def test_other_formats_are_converted_and_imported(other_formats, tmp_path, name, outcomes) -> None:
    inbox, data = tmp_path / "inbox", data_copy(tmp_path / "data")
    inbox.mkdir()
    shutil.copy(other_formats / name, inbox / name)
    row = rows(intake(inbox, data))[name]
    assert row.unit == "shi-jtj" and row.outcome in outcomes, row.messages
    assert row.figures and row.figures[0] > 0
    text = (data / row.target).read_text(encoding="utf-8")
    assert run.read_stamp(text) == (hashlib.sha256((inbox / name).read_bytes()).hexdigest(), True)


def test_the_progress_bar_only_when_asked(tmp_path, capsys) -> None:
    inbox, data = tmp_path / "inbox", data_copy(tmp_path / "data")
    exported("2023-zhuti/shi-fgw", inbox / "a.docx")
    intake(inbox, data, dry_run=True)
    assert capsys.readouterr().err == ""
    intake(inbox, data, dry_run=True, progress=True)
    assert "导入" in capsys.readouterr().err


def test_the_inbox_guide_is_not_taken_for_an_upload(tmp_path) -> None:
    """data/inbox/README.md explains the folder; it is no report and gets no row."""
    from kb.contrib.intake import run

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "README.md").write_text("# 收件箱\n", encoding="utf-8")
    (inbox / "报告.docx").write_bytes(b"x")
    files, refused = run.scan_inbox(inbox, set())
    assert [p.name for p in files] == ["报告.docx"] and refused == []
