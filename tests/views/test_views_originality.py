"""Copy detection (原创度): constructed reports with known copied shares, the rules (source
order, own earlier texts, fixed terms, punctuation), determinism across processes, the
vectorised module against the sequential oracle (tests/support/originality_reference.py) on many
random corpora, the shingle hash against its formula, and the example site's numbers
against an independent brute-force count over the data files."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import originality_reference
import pytest
import yaml

from conftest import DATA, HOOKS
from kb.views.originality import (
    FIXED_TERMS,
    SHINGLE,
    TEMPLATE,
    Document,
    _hash_order,
    analyse,
    code_points,
    window_hashes,
)

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


# --- the vectorised module against the sequential oracle ----------------------------------

MARKS = ["，", "。", "、", "；", "：", " ", "\n", "**", "- ", "（", "）", "“", "”", "_", "## ", "😀"]
LETTERS = kept(ORIGINAL) + "𠀋𡈽"  # with two letters beyond the Basic Multilingual Plane
EXTRA_TERMS = ["主题教育", "调查研究、推动发展", "检视整改"]


def disguise(rng: random.Random, text: str) -> str:
    """``text`` with punctuation, spaces and Markdown marks strewn in (they do not count)."""
    out = []
    for ch in text:
        out.append(ch)
        if rng.random() < 0.1:
            out.append(rng.choice(MARKS))
    return "".join(out)


def random_corpus(seed: int, alphabet: str) -> tuple[list[Document], str, list[str]]:
    """Reports in writing order, a template and fixed terms, all drawn from ``seed``.

    Reports mix fresh text, passages of the template and of earlier reports (of the same
    unit or another, with or without new punctuation), whole earlier reports, fixed terms,
    bare punctuation, short and empty texts.
    """
    rng = random.Random(seed)
    template = rng.choice(["", TEMPLATE_TEXT[: rng.randint(0, 2000)],
                           "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))])
    terms = rng.sample([*FIXED_TERMS, *EXTRA_TERMS], rng.randint(0, 6))
    units = [f"unit-{i}" for i in range(rng.randint(1, 4))]
    earlier = [template] if template else []
    docs = []
    for i in range(rng.randint(0, 14)):
        pieces = []
        for _ in range(rng.randint(0, 9)):
            kind = rng.random()
            if kind < 0.35 and earlier:
                source = rng.choice(earlier)
                start = rng.randint(0, len(source))
                passage = source[start: start + rng.randint(1, 150)]
                pieces.append(disguise(rng, passage) if rng.random() < 0.5 else passage)
            elif kind < 0.42 and earlier:
                pieces.append(rng.choice(earlier))
            elif kind < 0.55:
                pieces.append(rng.choice([*terms, *FIXED_TERMS]))
            elif kind < 0.62:
                pieces.append("".join(rng.choices(MARKS, k=rng.randint(1, 5))))
            else:
                pieces.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))))
        text = "".join(pieces)
        if rng.random() < 0.08:
            text = rng.choice(["", "。", text[:SHINGLE - 1], text[:SHINGLE]])
        docs.append(Document(f"c/{i}", rng.choice(units), text))
        earlier.append(text)
    return docs, template, terms


def compare_with_oracle(seeds: range, alphabet: str, **options: int) -> list:
    """Assert the module equals the oracle on every corpus; return all the results."""
    seen = []
    for seed in seeds:
        docs, template, terms = random_corpus(seed, alphabet)
        got = analyse(docs, template, terms, **options)
        want = originality_reference.analyse(docs, template, terms, **options)
        assert list(got) == list(want), seed
        for doc_id, result in want.items():
            assert got[doc_id] == result, (seed, doc_id)
        seen += want.values()
    return seen


def assert_corpora_exercise_the_rules(results: list) -> None:
    """The comparison is only worth something if the corpora hit every case."""
    assert sum(r.from_template for r in results) > 0
    assert sum(r.from_documents for r in results) > 0
    assert any(len(r.sources) >= 2 for r in results)
    assert any(r.from_template and r.from_documents for r in results)
    assert any(r.chars and not r.copied for r in results)
    assert any(r.chars == 0 for r in results)
    assert any(p.text != kept(p.text) for r in results for p in r.passages)


@pytest.mark.parametrize("stride", [1, 4, SHINGLE])
@pytest.mark.parametrize("seeds", [range(0, 40), range(40, 80)], ids=["seeds0-39", "seeds40-79"])
def test_module_equals_the_sequential_oracle(stride: int, seeds: range) -> None:
    results = compare_with_oracle(seeds, LETTERS, stride=stride)
    assert_corpora_exercise_the_rules(results)


@pytest.mark.parametrize("n", [2, 3, 5])
def test_module_equals_the_oracle_with_short_shingles_over_few_letters(n: int) -> None:
    """Two or three letters and short shingles: most shingles have many owners, so the
    first owner and the first owner of another unit are both exercised at every step."""
    for stride in range(1, n + 1):
        results = compare_with_oracle(range(30), "甲乙" if n == 2 else "甲乙丙", n=n,
                                      stride=stride, passages=5)
        assert sum(r.from_documents for r in results) > 0


@pytest.mark.parametrize("stride", [1, 3])
def test_module_equals_the_oracle_in_tiny_batches_and_buckets(monkeypatch: pytest.MonkeyPatch,
                                                              stride: int) -> None:
    """Many batches, hash buckets and picks, as a large corpus would have."""
    module = sys.modules[analyse.__module__]  # kb.views.originality is also a function's name
    monkeypatch.setattr(module, "BATCH", 50)
    monkeypatch.setattr(module, "BUCKET", 16)
    monkeypatch.setattr(module, "PICK", 64)
    results = compare_with_oracle(range(25), LETTERS, stride=stride)
    assert_corpora_exercise_the_rules(results)


# --- the shingle hash --------------------------------------------------------------------

MASK = (1 << 64) - 1


def splitmix(z: int) -> int:
    z ^= z >> 30
    z = z * 0xBF58476D1CE4E5B9 & MASK
    z ^= z >> 27
    z = z * 0x94D049BB133111EB & MASK
    return z ^ z >> 31


def formula(text: str, n: int) -> list[int]:
    """The documented hash, in Python integers: mix(Σ x[j]·B^(n-1-j)), x = mix(c + GAMMA)."""
    x = [splitmix(ord(c) + 0x9E3779B97F4A7C15 & MASK) for c in text]
    out = []
    for i in range(len(text) - n + 1):
        h = 0
        for j in range(n):
            h = h * 0xD6E8FEB86659FD93 + x[i + j] & MASK
        out.append(splitmix(h))
    return out


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, SHINGLE, 16, 31])
def test_window_hashes_follow_the_formula_on_every_platform(n: int) -> None:
    rng = random.Random(n)
    letters = kept(ORIGINAL) + "abcXYZ019\U0002000b\U00030000"  # beyond the BMP too
    for length in [0, n - 1, n, n + 1, 50, 200]:
        text = "".join(rng.choice(letters) for _ in range(max(length, 0)))
        assert window_hashes(code_points(text), n).tolist() == formula(text, n)


PINNED = ["940f82bdbd919ad5", "7bfdd5a084635d14", "a0c543f2181f98fc", "b7a14673fdf0658f"]


def test_window_hashes_are_pinned() -> None:
    """Fixed values: a change of constants or byte order would show here."""
    got = window_hashes(code_points("主题教育自查评估报告知识库原创度"), SHINGLE).tolist()
    assert got == formula("主题教育自查评估报告知识库原创度", SHINGLE)
    assert [f"{h:016x}" for h in got] == PINNED


def test_hash_order_sorts_hashes_that_share_their_high_bits() -> None:
    """The fast order packs each hash's low bits with its index; hashes equal above those
    bits must still come out sorted (a rare case with real hashes, forced here)."""
    rng = np.random.default_rng(3)
    for size in [0, 1, 2, 5, 64, 1000]:
        high = rng.integers(0, 3, size).astype(np.uint64) << np.uint64(40)
        low = rng.integers(0, 1 << 12, size).astype(np.uint64)  # below the index bits
        key = high | low
        order, ordered = _hash_order(key.copy())
        assert ordered.tolist() == sorted(key.tolist())
        assert key[order].tolist() == ordered.tolist()
        assert sorted(order.tolist()) == list(range(size))
