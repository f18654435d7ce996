"""The synthetic generator at 10,000 reports: unit ids, names and rosters without
collisions (issue 19: at 10,000 the second round of places repeated ``qinghe2-wjw``).

The naming tests run without writing files; the generate-and-validate run at 10,000 is
marked slow (it writes 10,000 reports, about a minute and a half)."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from benchkit import synth
from benchkit.synth.units import BUREAUS, PLACES, make_unit
from conftest import ROOT
from kb.data.load import load_and_validate

SCALE = 10_000
ID_PATTERN = json.loads((ROOT / "data" / "schema" / "units.schema.json").read_text("utf-8"))[
    "properties"]["units"]["items"]["properties"]["id"]["pattern"]


@pytest.fixture(scope="module")
def units() -> list[synth.SynthUnit]:
    return list({u.id: u for _c, u in synth.plan(SCALE)}.values())


def test_plan_at_10000_has_one_report_per_campaign_and_unit():
    pairs = [(c["id"], u.id) for c, u in synth.plan(SCALE)]
    assert len(pairs) == SCALE
    assert [k for k, n in Counter(pairs).items() if n > 1] == []


@pytest.mark.parametrize("field", ["id", "name", "party_org"])
def test_units_at_10000_are_unique(field):
    # Every index a 10,000-report plan uses, built directly (the plan's own dict would hide repeats).
    count = -(-SCALE // len(synth.CAMPAIGNS))
    values = [getattr(make_unit(i), field) for i in range(count)]
    assert [v for v, n in Counter(values).items() if n > 1] == []


def test_unit_ids_match_the_schema_pattern(units):
    assert [u.id for u in units if not re.fullmatch(ID_PATTERN, u.id)] == []


def test_later_rounds_of_places_name_their_district():
    first_of_round_two = len(BUREAUS) * len(PLACES)
    unit = make_unit(first_of_round_two)
    assert unit.id == f"{PLACES[0][1]}-r2-{BUREAUS[0].abbr}"
    assert unit.name == f"{PLACES[0][0]}第二区{BUREAUS[0].name}"


def test_first_round_ids_are_unchanged():
    # Sizes up to 6,000 reports use the first round only: their data stays what it was.
    assert [make_unit(i).id for i in (0, 1, 20, 1499)] == [
        "linjiang-czj", "linjiang-jyj", "linjiang-jd", "heshan-gaj"]


@pytest.mark.slow
def test_generated_10000_reports_validate_without_problems(tmp_path):
    made = synth.generate(tmp_path / "data", SCALE)
    raw, problems = load_and_validate(made.data_dir, jobs=2, keep_docs=False)
    assert [p.message for p in problems][:5] == []
    rosters = {c["id"]: [e["unit"] for e in c["roster"]] for c in
               (d.data for d in raw.campaigns)}
    assert sum(len(r) for r in rosters.values()) == SCALE
    assert all(len(set(r)) == len(r) for r in rosters.values())
