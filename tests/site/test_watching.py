"""kb.site.watching: make serve watches with change notifications, not polling."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from mkdocs.livereload import LiveReloadServer
from watchdog.events import FileSystemEventHandler
from watchdog.observers.polling import PollingObserver

from kb.site import watching

pytestmark = pytest.mark.skipif(not watching.native_available(), reason="no change notifications")


class Seen(FileSystemEventHandler):
    def __init__(self) -> None:
        super().__init__()
        self.events: list = []

    def on_any_event(self, event) -> None:
        self.events.append(event)


def _until(check, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.02)
    return check()


@pytest.fixture
def observer():
    made = watching.ChangesObserver()
    yield made
    if made.is_alive():
        made.stop()
        made.join(5)


def test_a_save_is_reported_and_reading_is_not(tmp_path: Path, observer) -> None:
    report = tmp_path / "reports" / "a.yml"
    report.parent.mkdir()
    report.write_text("opening: 一\n", "utf-8")
    seen = Seen()
    observer.schedule(seen, tmp_path, recursive=True)
    observer.start()
    time.sleep(0.2)
    report.read_text("utf-8")  # what a build does with every data file
    time.sleep(0.5)
    assert [e for e in seen.events if not e.is_directory] == []
    report.write_text("opening: 二\n", "utf-8")
    assert _until(lambda: any(os.fsdecode(e.src_path) == str(report) for e in seen.events))


def test_a_single_watched_file_is_seen_after_a_save_by_rename(tmp_path: Path, observer) -> None:
    config, other = tmp_path / "mkdocs.yml", tmp_path / "other.txt"
    config.write_text("site_name: 一\n", "utf-8")
    seen = Seen()
    observer.schedule(seen, config)
    observer.start()
    time.sleep(0.2)
    other.write_text("不相干", "utf-8")
    time.sleep(0.5)
    assert seen.events == []
    # An editor's save: a new file renamed over the old one (the old inode is gone).
    temp = tmp_path / ".mkdocs.yml.swp"
    temp.write_text("site_name: 二\n", "utf-8")
    os.replace(temp, config)
    assert _until(lambda: seen.events)
    time.sleep(0.5)  # every event of that save has arrived
    count = len(seen.events)
    config.write_text("site_name: 三\n", "utf-8")  # and the next save is seen too
    assert _until(lambda: any(os.fsdecode(e.src_path) == str(config) and e.event_type == "modified"
                              for e in seen.events[count:]))


def _server(tmp_path: Path) -> LiveReloadServer:
    return LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))


def test_the_servers_watches_move_to_the_native_observer(tmp_path: Path) -> None:
    data, config = tmp_path / "data", tmp_path / "mkdocs.yml"
    data.mkdir()
    config.write_text("site_name: 一\n", "utf-8")
    server = _server(tmp_path)
    server.watch(str(data))
    server.watch(str(data))  # counted twice, as MkDocs counts it
    server.watch(str(config))
    before = dict(server._watched_paths)
    assert watching.use_native_observer(server, environ={}) is True
    assert isinstance(server.observer, watching.ChangesObserver)
    assert server._watched_paths == before
    assert set(server._watch_refs) == set(before)
    server.observer.start()
    try:
        time.sleep(0.2)
        (data / "a.yml").write_text("opening: 一\n", "utf-8")
        assert _until(lambda: server._want_rebuild)  # MkDocs' own callback fired
    finally:
        server.observer.stop()
        server.observer.join(5)


@pytest.mark.parametrize("value", ["1", "yes"])
def test_polling_can_be_kept(tmp_path: Path, value: str) -> None:
    server = _server(tmp_path)
    server.watch(str(tmp_path))
    assert watching.use_native_observer(server, environ={watching.POLLING_ENV: value}) is False
    assert isinstance(server.observer, PollingObserver)


def test_polling_stays_when_notifications_cannot_be_set_up(tmp_path: Path, monkeypatch) -> None:
    server = _server(tmp_path)
    server.watch(str(tmp_path))
    polling, refs = server.observer, dict(server._watch_refs)

    def refuse(self, *args, **kwargs):  # where the system refuses: an observer starting
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watching.ChangesObserver, "start", refuse)
    assert watching.use_native_observer(server, environ={}) is False
    assert server.observer is polling and server._watch_refs == refs


def test_a_started_or_unknown_server_is_left_alone(tmp_path: Path) -> None:
    class Other:
        observer = None

    assert watching.use_native_observer(Other(), environ={}) is False
    server = _server(tmp_path)
    server.watch(str(tmp_path))
    server.observer.start()
    try:
        assert watching.use_native_observer(server, environ={}) is False
    finally:
        server.observer.stop()
        server.observer.join(5)
