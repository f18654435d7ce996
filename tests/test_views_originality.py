"""Copy detection (原创度): constructed reports with known copied shares, the rules (source
order, own earlier texts, fixed terms, punctuation), determinism across processes, and the
example site's numbers against an independent brute-force count over the data files."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import DATA, HOOKS
from kb.views.originality import FIXED_TERMS, SHINGLE, TEMPLATE, Document, analyse

TEMPLATE_TEXT = (DATA / "template" / "report-template-2023.txt").read_text(encoding="utf-8")

# Written for these tests: concrete work with names and numbers, no stock phrases.
ORIGINAL = (
    "今年三月起，我局把老旧小区加装电梯作为为民办实事的头号项目。班子成员分片包干，"
    "走访了东湖、西苑、南岭三个片区的四百一十二户居民，发现低楼层住户担心采光和噪声、"
    "高楼层住户急于动工，意见分歧是项目迟迟不能落地的主要原因。我们没有替群众拍板，"
    "而是请每个单元推选两名居民代表，由街道社工主持楼道协商会，三个月里开了十一次会，"
    "把补偿标准、施工时段、后期维保费用分摊一项一项谈清楚，最终九个单元签字同意并已动工。"
    "针对审批环节多的问题，会同规划、市场监管部门把原来的七个环节压缩为三个，"
    "办理时间由平均六十个工作日缩短到二十五个工作日。下一步将把协商办法整理成操作指引，"
    "在其余十七个小区推广，并建立电梯运行月度回访制度，防止重建设轻管理。"
)


def kept(text: str) -> str:
    return re.sub(r"[\W_]+", "", text)


def share(text: str, *earlier: Document, template: str = TEMPLATE_TEXT) -> float:
    result = analyse([*earlier, Document("x", "unit-x", text)], template)
    return result["x"].share()


# --- constructed reports ----------------------------------------------------------------

def test_pure_copy_of_the_template_is_almost_all_copied() -> None:
    result = analyse([Document("x", "u", TEMPLATE_TEXT)], TEMPLATE_TEXT)["x"]
    assert result.share() >= 0.97
    assert result.from_template == result.copied and result.from_documents == 0
    assert result.passages[0].source == TEMPLATE


def test_original_text_is_not_copied() -> None:
    result = analyse([Document("x", "u", ORIGINAL)], TEMPLATE_TEXT)["x"]
    assert result.chars == len(kept(ORIGINAL))
    assert result.copied == 0 and result.share() == 0.0 and result.passages == ()


@pytest.mark.parametrize("fraction", [0.25, 0.5, 0.75])
def test_partly_copied_text_scores_in_between(fraction: float) -> None:
    original = kept(ORIGINAL) * 2  # repeating itself is not copying
    n_copied = int(len(original) * fraction / (1 - fraction))
    copied = kept(TEMPLATE_TEXT)[500:500 + n_copied]
    text = original[: len(original) // 2] + copied + original[len(original) // 2:]
    result = analyse([Document("x", "u", text)], TEMPLATE_TEXT)["x"]
    assert abs(result.share() - fraction) < 0.03
    assert result.from_template == result.copied
    assert result.passages[0].source == TEMPLATE and result.passages[0].length > 100


def test_copy_of_an_earlier_unit_report_names_that_report() -> None:
    first = Document("c/a", "a", ORIGINAL)
    second = Document("c/b", "b", "我们的做法是：" + ORIGINAL)
    results = analyse([first, second], TEMPLATE_TEXT)
    assert results["c/a"].copied == 0  # the first writer did not copy
    later = results["c/b"]
    assert later.share() > 0.95
    assert list(later.sources) == ["c/a"] and later.from_template == 0
    assert later.passages[0].source == "c/a"
    assert later.passages[0].text.startswith("今年三月起")  # the report's own wording


def test_a_unit_reusing_its_own_earlier_report_is_not_copying() -> None:
    results = analyse([Document("2023/a", "a", ORIGINAL), Document("2024/a", "a", ORIGINAL)])
    assert results["2024/a"].copied == 0


def test_own_earlier_text_does_not_hide_another_unit_as_source() -> None:
    docs = [Document("2023/a", "a", ORIGINAL), Document("2023/b", "b", ORIGINAL),
            Document("2024/a", "a", ORIGINAL)]
    results = analyse(docs)
    assert results["2024/a"].share() > 0.95
    assert list(results["2024/a"].sources) == ["2023/b"]


def test_fixed_terms_count_neither_as_copied_nor_as_text() -> None:
    text = ORIGINAL + "".join(FIXED_TERMS) * 3
    result = analyse([Document("x", "u", text)], TEMPLATE_TEXT)["x"]
    assert result.copied == 0
    assert result.chars == len(kept(ORIGINAL))


def test_punctuation_and_spacing_do_not_hide_a_copy() -> None:
    disguised = TEMPLATE_TEXT.replace("，", "、").replace("。", "；\n").replace("的", "的 ")
    assert share(disguised) >= 0.97


def test_short_common_phrases_are_not_copying() -> None:
    phrase = kept(TEMPLATE_TEXT)[800:800 + SHINGLE - 1]
    text = ORIGINAL[:100] + phrase + ORIGINAL[100:]
    assert share(text) == 0.0


@pytest.mark.parametrize("stride", [1, 4, 8, SHINGLE])
def test_sampled_index_still_finds_long_passages_whole_but_their_ends(stride: int) -> None:
    rng = random.Random(7)
    alphabet = kept(ORIGINAL)
    for _ in range(30):
        source = "".join(rng.choice(alphabet) for _ in range(600))
        length = rng.randint(SHINGLE + stride - 1, 200)
        offset = rng.randint(0, 600 - length)
        passage = source[offset: offset + length]
        text = "甲乙丙丁" * 10 + passage + "戊己庚辛" * 10
        result = analyse([Document("s", "a", source), Document("t", "b", text)],
                         stride=stride)["t"]
        assert length - 2 * (stride - 1) <= result.from_documents <= length
        if stride == 1:
            assert result.from_documents == length


def test_missing_template_compares_reports_only() -> None:
    results = analyse([Document("x", "u", TEMPLATE_TEXT)], "")
    assert results["x"].copied == 0


def test_stride_must_keep_coverage_contiguous() -> None:
    with pytest.raises(ValueError):
        analyse([], "", stride=SHINGLE + 1)


def test_results_are_the_same_in_every_process() -> None:
    """No dependence on Python's per-process string hashing."""
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]);"
        "from kb.views.originality import analyse, Document;"
        "t = open(sys.argv[2], encoding='utf-8').read();"
        "docs = [Document('a', 'a', t[:3000] + 'x' * 40), Document('b', 'b', t[1000:4000]),"
        "        Document('c', 'c', t[2000:] + t[:500])];"
        "r = analyse(docs, t[:2500]);"
        "print(json.dumps({k: [v.chars, v.from_template, v.from_documents, v.sources,"
        "  [[p.text, p.source] for p in v.passages]] for k, v in r.items()}, ensure_ascii=False))"
    )
    outputs = set()
    for seed in ("1", "2", "random"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script, str(HOOKS), str(DATA / "template" / "report-template-2023.txt")],
            env=env, capture_output=True, text=True, check=True,
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop())["b"][2] > 0


# --- the example site against an independent count --------------------------------------

def _plain(node):
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node.isoformat() if isinstance(node, dt.date) else node


def _prose(report: dict) -> str:
    """The unit's prose in reading order: opening, intros, titles, leads and texts."""
    def points(items):
        return [f"{p['lead']}。{p.get('text', '')}" if p.get("lead") else p.get("text", "")
                for p in items or []]

    def sections(items):
        return [x for s in items for x in (s["title"], s.get("intro", ""), s.get("text", ""),
                                            *points(s.get("points")))]
    parts = [report["opening"], report["highlights"].get("intro", ""),
             *sections(report["highlights"]["sections"]), report["problems"].get("intro", ""),
             *points(report["problems"]["points"]), report["plans"].get("intro", ""),
             *sections(report["plans"]["sections"])]
    return "\n".join(p for p in parts if p)


def brute_force(docs: list[tuple[str, str, str]], template: str, terms: list[str]) -> dict:
    """Exact count: every n-gram of every earlier text of another unit, as plain sets."""
    pattern = re.compile("|".join(re.escape(t) for t in sorted(
        {kept(t) for t in terms if kept(t)}, key=lambda t: (-len(t), t))))

    def pieces(text: str) -> list[str]:
        return [p for p in pattern.split(kept(text)) if p]

    def grams(text: str) -> set[str]:
        return {p[i:i + SHINGLE] for p in pieces(text) for i in range(len(p) - SHINGLE + 1)}

    from_template = grams(template)
    seen: list[tuple[str, set[str]]] = []
    out = {}
    for doc_id, unit, text in docs:
        others = set().union(*(g for u, g in seen if u != unit))
        total = copied = template_chars = 0
        for piece in pieces(text):
            marks = [""] * len(piece)
            for i in range(len(piece) - SHINGLE + 1):
                gram = piece[i:i + SHINGLE]
                kind = "t" if gram in from_template else "r" if gram in others else ""
                for k in range(i, i + SHINGLE):
                    if kind and marks[k] != "t":
                        marks[k] = kind
            total += len(piece)
            copied += sum(bool(m) for m in marks)
            template_chars += marks.count("t")
        out[doc_id] = (total, copied, template_chars)
        seen.append((unit, grams(text)))
    return out


def example_reports() -> list[tuple[str, str, str, str]]:
    """(id, unit, submitted, text) of every example report, in writing order."""
    reports = []
    for path in sorted((DATA / "reports").glob("*/*.yml")):
        r = _plain(yaml.safe_load(path.read_text(encoding="utf-8")))
        reports.append((f"{r['campaign']}/{r['unit']}", r["unit"], r["submitted"], _prose(r)))
    return sorted(reports, key=lambda r: (r[2], r[0]))


def fixed_terms_from_data() -> list[str]:
    terms = list(FIXED_TERMS)
    for path in sorted((DATA / "campaigns").glob("*.yml")):
        c = yaml.safe_load(path.read_text(encoding="utf-8"))
        terms += [c["name"], c.get("short_name") or c["name"], c["report_title"]]
    materials = yaml.safe_load((DATA / "materials.yml").read_text(encoding="utf-8"))
    return terms + [m["title"] for m in materials["materials"]]


@pytest.fixture(scope="module")
def expected() -> dict:
    docs = [(i, u, t) for i, u, _, t in example_reports()]
    return brute_force(docs, TEMPLATE_TEXT, fixed_terms_from_data())


def test_module_agrees_with_brute_force_on_the_example_data(expected: dict) -> None:
    docs = [Document(i, u, t) for i, u, _, t in example_reports()]
    results = analyse(docs, TEMPLATE_TEXT, fixed_terms_from_data())
    for doc_id, (total, copied, template_chars) in expected.items():
        r = results[doc_id]
        assert r.chars == total
        assert r.from_template == template_chars, doc_id
        assert r.copied == copied, doc_id


@pytest.mark.slow
def test_dashboard_ranking_shows_the_recomputed_shares(built_site: Path, expected: dict) -> None:
    for cid in sorted({i.split("/")[0] for i in expected}):
        page = (built_site / "views" / cid / "index.html").read_text(encoding="utf-8")
        table = page[page.index('id="originality-table"'):]
        table = table[: table.index("</table>")]
        shown = re.findall(r'href="../../reports/[^/]+/([^/]+)/#originality".*?<td[^>]*>([\d.]+)%',
                           table, flags=re.S)
        ids = [i for i in expected if i.startswith(cid + "/")]
        assert sorted(u for u, _ in shown) == sorted(i.split("/")[1] for i in ids)
        values = []
        for unit, pct in shown:
            total, copied, _ = expected[f"{cid}/{unit}"]
            assert abs(float(pct) - 100 * copied / total) <= 0.05, unit
            values.append(float(pct))
        assert values == sorted(values, reverse=True)  # ranked, most copied first


@pytest.mark.slow
def test_shipped_copy_of_the_template_is_flagged(built_site: Path, expected: dict) -> None:
    """The example data contain a report largely copied from the template."""
    worst = max(expected, key=lambda i: expected[i][1] / expected[i][0])
    cid, unit = worst.split("/")
    page = (built_site / "reports" / cid / unit / "index.html").read_text(encoding="utf-8")
    assert "重复较多" in page[page.index('id="originality"'):][:3000]
