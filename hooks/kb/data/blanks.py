"""The blanks of a blank report: what ``make new-unit`` and the Word import write where the
contributor still has to write something, so that the validator refuses it until then.

Every blank starts with :data:`SCAFFOLD_MARK` (``【请填写…】``); the placeholder check
(:mod:`kb.data.checks.text`) reports each one with its line, and the schema messages
(:mod:`kb.data.messages`) stay silent about it so that one blank is one error.
"""

from __future__ import annotations

SCAFFOLD_MARK = "【请填写"
# The report date (submitted) a tool cannot know: never "today", which would pass unnoticed.
SUBMITTED_PLACEHOLDER = "【请填写报送日期（落款日期），如 2023-09-08】"


def is_blank(value: object) -> bool:
    """Whether ``value`` is a blank of the blank report (a text starting with 【请填写)."""
    return isinstance(value, str) and value.startswith(SCAFFOLD_MARK)
