"""data/inbox/ (uploads of the web-only route) is no part of the data: the validator reports
nothing about the files there, whatever they are, and the site build never reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from datacopy import copy_data

from conftest import DATA
from kb.data.load import load_and_validate

UPLOADS = {
    "README.md": "# 收件箱\n",
    "关于报送市林业局自查评估报告的函.docx": "not really a docx",
    "旧格式.wps": "x",
    "intake-report.md": "# 导入结果\n",
    "邮件附件/报告.yaml": "a: [",
    "邮件附件/更深/报告.yml": "unit: [",
}


@pytest.fixture
def data(tmp_path) -> Path:
    return copy_data(tmp_path / "data", reports=True)


def test_the_repository_has_an_inbox_with_its_readme() -> None:
    readme = (DATA / "inbox" / "README.md").read_text(encoding="utf-8")
    assert "不会发布到网站上" in readme and "路线三" in readme


@pytest.mark.parametrize(("name", "content"), UPLOADS.items(), ids=list(UPLOADS))
def test_nothing_in_the_inbox_is_reported(data, name, content) -> None:
    _, before = load_and_validate(data)
    path = data / "inbox" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    _, after = load_and_validate(data)
    assert after == before
    assert not [p for p in after if "inbox" in p.file]
