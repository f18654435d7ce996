"""The YAML emitter of the contributors' tools (kb.contrib.reportyaml): report files start
with the editor's schema link, spelled by kb.data.schema.modeline alone."""

from __future__ import annotations

from conftest import ROOT
from kb.contrib import reportyaml
from kb.data.schema import MODELINE_PREFIX, modeline

TOOLS = sorted((ROOT / "hooks" / "kb" / "contrib").rglob("*.py")) + [
    ROOT / "scripts" / f"{name}.py" for name in ("import_docx", "new_unit", "preview")
]


def test_a_report_file_starts_with_the_schema_modeline():
    text = reportyaml.dump({"unit": "shi-czj"})
    assert text.splitlines()[0] == modeline("report", 2)


def test_the_tools_spell_no_modeline_of_their_own():
    for path in TOOLS:
        text = path.read_text(encoding="utf-8")
        assert "yaml-language-server" not in text and MODELINE_PREFIX not in text, path
