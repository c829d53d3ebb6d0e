"""The drill generator on the real code data: replayable, stable ids, ranges, fair stems, scored by the scorer."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.content.glossary import load_glossary
from app.core.codes import compact
from app.core.drills import KINDS, DrillError, generate, is_drill, kind_labels, rebuild
from app.core.models import SingleChoice
from app.core.scoring import grade

GLOSSARY = tuple(load_glossary()[0])
CODE_KEYED = ("find-billable", "seventh-character", "pcs-build")


def test_the_same_seed_gives_the_same_items_and_another_seed_others(codeset) -> None:
    first = generate(codeset, "mixed", 11, 12, glossary=GLOSSARY)
    assert first == generate(codeset, "mixed", 11, 12, glossary=GLOSSARY)
    other = generate(codeset, "mixed", 12, 12, glossary=GLOSSARY)
    assert {i.meta.id for i in first} != {i.meta.id for i in other}
    assert len({i.meta.id for i in first}) == 12  # no item twice in one drill


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_makes_fair_items_that_rebuild_from_their_ids(codeset, kind: str) -> None:
    items = generate(codeset, kind, 5, 6, glossary=GLOSSARY)
    assert len(items) == 6
    for item in items:
        assert isinstance(item, SingleChoice) and is_drill(item.meta.id)
        assert item.meta.id.startswith(f"drill:{kind}:") and item.meta.bank == "drills"
        assert sum(o.correct for o in item.options) == 1 and len(item.options) >= 3
        assert len({o.text.casefold() for o in item.options}) == len(item.options)  # distinct options
        assert item.meta.source_note and item.meta.rationale  # where the key came from, and why
        assert rebuild(item.meta.id, codeset, GLOSSARY) == item
        if kind in CODE_KEYED:  # the key's code never appears in the stem
            key = next(o.text for o in item.options if o.correct)
            assert compact(key) not in compact(item.stem)


def test_code_links_in_rationales_point_at_the_code_browser(codeset) -> None:
    item = generate(codeset, "find-billable", 3, 1)[0]
    key = next(o.text for o in item.options if o.correct)
    assert f"(code:icd10cm/{key})" in item.meta.rationale


def test_a_range_limits_the_sources(codeset) -> None:
    items = generate(codeset, "mixed", 4, 30, "E08-E13")
    assert items and {i.meta.tags[1] for i in items} <= {"find-billable", "seventh-character", "billable", "where",
                                                          "excludes", "code-first"}
    for item in items:
        source = item.meta.id.split(":")[2]
        assert "E08" <= source[:3] <= "E13", item.meta.id
    pcs = generate(codeset, "pcs-build", 4, 5, "0DT")
    assert all(i.meta.id.startswith("drill:pcs-build:0DT") for i in pcs)


def test_requests_that_cannot_be_met_say_why(codeset) -> None:
    with pytest.raises(DrillError, match="unknown drill kind"):
        generate(codeset, "spelling", 1, 5)
    with pytest.raises(DrillError, match="not a code range"):
        generate(codeset, "where", 1, 5, "E08 to E13")
    with pytest.raises(DrillError, match="runs backwards"):
        generate(codeset, "where", 1, 5, "E13-E08")
    with pytest.raises(DrillError, match="nothing to draw"):
        generate(codeset, "modifier", 1, 5, "E08-E13")  # modifiers have no code range
    with pytest.raises(DrillError, match="between 1 and"):
        generate(codeset, "where", 1, 0)
    assert [name for name, _ in kind_labels()][:2] == ["mixed", "find-billable"]


def test_rebuild_refuses_ids_that_are_not_drills_or_not_in_the_data(codeset) -> None:
    assert rebuild("icd10cm-conventions-q1", codeset) is None
    assert rebuild("drill:find-billable:E11", codeset) is None  # a header is never a billable key
    assert rebuild("drill:find-billable:Q99.99", codeset) is None
    assert rebuild("drill:no-such-kind:E11.9", codeset) is None
    assert rebuild("drill:seventh-character:S52.521Z", codeset) is None


def test_seventh_character_items_use_the_placeholder_where_the_code_is_short(codeset) -> None:
    item = rebuild("drill:seventh-character:S01.01XA", codeset)
    assert item is not None
    texts = [o.text for o in item.options]
    assert "S01.01XA" in texts and "S01.01A" in texts  # the key, and the trap without its X
    assert re.search(r"\*\*S01\.01\*\*", item.stem) and "initial encounter" in item.stem


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(sorted(KINDS)), seed=st.integers(0, 10**9))
def test_the_key_scores_full_marks_and_no_distractor_does(codeset, kind: str, seed: int) -> None:
    for item in generate(codeset, kind, seed, 2, glossary=GLOSSARY):
        for index, option in enumerate(item.options):
            result = grade(item, index, codeset)
            assert result.correct is option.correct
            assert (result.score == result.max_score) is option.correct
