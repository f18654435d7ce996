"""Matching a file to a unit: the text first, then the file name, then a fuzzy match on the
roster (abbreviations included); ambiguous files are listed with their candidates, never guessed."""

from __future__ import annotations

import pytest

from kb.contrib.intake import match as m

UNITS = [
    {"id": "shi-czj", "name": "市财政局", "party_org": "市财政局党组"},
    {"id": "qu-czj", "name": "区财政局", "party_org": "区财政局党组"},
    {"id": "shi-fgw", "name": "市发展和改革委员会", "party_org": "市发展和改革委员会党组"},
    {"id": "shi-wjw", "name": "市卫生健康委员会", "party_org": "市卫生健康委员会党组"},
    {"id": "shi-lcj", "name": "市林业和草原局", "party_org": "市林业和草原局党组"},
    {"id": "qu-scjgj", "name": "区市场监督管理局", "party_org": "区市场监督管理局党组"},
    {"id": "jd-dongcheng", "name": "东城街道", "party_org": "东城街道党工委"},
]


# (case id, unit the importer found in the text, file name, texts, roster) -> (unit, rule)
MATCHED = [
    ("text", "shi-czj", "报告.docx", (), None, "shi-czj", m.TEXT),
    ("text-beats-file-name", "shi-fgw", "关于报送市财政局自查评估报告的函.docx", (), None, "shi-fgw", m.TEXT),
    ("file-name", "", "关于报送市林业和草原局自查评估报告的函.docx", (), None, "shi-lcj", m.FILE_NAME),
    ("file-name-party-org", "", "中共东城街道党工委自查评估报告.docx", (), None, "jd-dongcheng", m.FILE_NAME),
    ("file-name-longest-name", "", "区市场监督管理局报告.docx", (), None, "qu-scjgj", m.FILE_NAME),
    ("unknown-found-id-ignored", "shi-xxx", "市财政局.docx", (), None, "shi-czj", m.FILE_NAME),
    ("fuzzy-short-name", "", "关于报送市林业局自查评估报告的函.docx", (), None, "shi-lcj", m.FUZZY),
    ("fuzzy-abbreviation", "", "2023年市发改委主题教育自查报告（定稿）.docx", (), None, "shi-fgw", m.FUZZY),
    ("fuzzy-from-the-text", "", "报告.docx", ("中共市卫健委党组",), None, "shi-wjw", m.FUZZY),
    ("fuzzy-within-the-roster", "", "财政局自查报告.docx", (), ["shi-czj", "shi-fgw"], "shi-czj", m.FUZZY),
]


@pytest.mark.parametrize(("found", "file_name", "texts", "roster", "unit", "how"),
                         [c[1:] for c in MATCHED], ids=[c[0] for c in MATCHED])
def test_a_clear_match_names_the_unit(found, file_name, texts, roster, unit, how) -> None:
    result = m.match_unit(found, file_name, UNITS, roster=roster, texts=texts)
    assert (result.unit, result.how) == (unit, how)


# (case id, file name, texts, roster) -> candidate ids (the file is never given a unit)
UNMATCHED = [
    ("two-names-in-the-file-name", "市财政局和区财政局联合报告.docx", (), None, ["qu-czj", "shi-czj"]),
    ("fuzzy-tie", "财政局自查报告.docx", (), None, ["qu-czj", "shi-czj"]),
    ("fuzzy-tie-in-the-text", "报告.docx", ("中共财政局党组",), None, ["qu-czj", "shi-czj"]),
    ("nothing-alike", "会议纪要.docx", (), None, []),
    ("below-the-threshold", "市统计局报告.docx", (), None, []),
    ("outside-the-roster", "市林业局报告.docx", (), ["shi-czj", "qu-czj"], []),
]


@pytest.mark.parametrize(("file_name", "texts", "roster", "candidates"),
                         [c[1:] for c in UNMATCHED], ids=[c[0] for c in UNMATCHED])
def test_an_unclear_file_is_listed_not_guessed(file_name, texts, roster, candidates) -> None:
    result = m.match_unit("", file_name, UNITS, roster=roster, texts=texts)
    assert result.unit == ""
    assert sorted(uid for uid, _ in result.candidates) == candidates
    assert result.ambiguous == (len(candidates) > 1)


def test_the_ambiguous_message_names_the_candidates() -> None:
    result = m.match_unit("", "财政局自查报告.docx", UNITS)
    text = m.describe(result, UNITS)
    assert "市财政局（shi-czj）" in text and "区财政局（qu-czj）" in text


def test_a_file_named_after_another_unit_is_noted() -> None:
    result = m.match_unit("shi-fgw", "关于报送市财政局自查评估报告的函.docx", UNITS)
    assert len(result.notes) == 1 and "市财政局（shi-czj）" in result.notes[0] and "以正文为准" in result.notes[0]


@pytest.mark.parametrize(("file_name", "query"), [
    ("关于报送市林业局自查评估报告的函.docx", "市林业局"),
    ("2023年度 市发改委 主题教育自查报告(终稿)-副本.doc", "市发改委"),
    ("中共区财政局党组关于学习贯彻习近平新时代中国特色社会主义思想主题教育的报告.pdf", "区财政局"),
    ("report_final_v2.docx", ""),
])
def test_the_file_name_loses_its_boilerplate(file_name, query) -> None:
    assert m.file_query(file_name) == query


@pytest.mark.parametrize(("query", "name", "abbreviation"), [
    ("市发改委", "市发展和改革委员会", True),
    ("市卫健委", "市卫生健康委员会", True),
    ("市林业局", "市林业和草原局", True),
    ("区发改委", "市发展和改革委员会", False),  # another level of government
    ("市财政", "市财政局", False),  # does not end alike: a prefix, scored by WRatio
    ("财政局", "市财政局", False),
])
def test_abbreviations_score_as_a_match(query, name, abbreviation) -> None:
    assert (m.score(query, name) >= m.ABBREVIATION) == abbreviation
