"""bank_to_yaml writes the documented format: loading what it wrote gives the same bank."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from app.content.bank import load_bank
from app.content.bank_writer import bank_to_yaml
from app.core.codeset import CodeSystem
from app.core.models import (
    AnswerKey, Bank, BankManifest, CodingCase, ItemMeta, KeyLine, KeySection, MatchPair, Matching, MultipleResponse,
    Numeric, NumericAnswer, Option, ScoringPolicy, ShortAnswer, SingleChoice, SourceRef, TrueFalse,
)

SAMPLE = Path(__file__).parent / "samples" / "all-types.yaml"


def without_sources(value: object) -> object:
    """The same objects with every SourceRef and the bank path blanked (what the writer cannot keep)."""
    if isinstance(value, SourceRef):
        return SourceRef()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: without_sources(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, Bank):
            changes["path"] = ""
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(without_sources(entry) for entry in value)
    return value


def _reload(bank: Bank, tmp_path: Path) -> Bank:
    path = tmp_path / "written.yaml"
    path.write_text(bank_to_yaml(bank), encoding="utf-8")
    loaded, problems = load_bank(path)
    assert problems == [], [str(p) for p in problems]
    assert loaded is not None
    return loaded


def test_sample_bank_round_trips(tmp_path: Path) -> None:
    bank, _ = load_bank(SAMPLE)
    assert bank is not None
    again = _reload(bank, tmp_path)
    assert without_sources(again) == without_sources(bank)
    text = bank_to_yaml(bank)
    assert "code: '99214'" in text  # CPT numbers stay text
    assert "weight: -50" in text and "note: |" in text


# Texts YAML must keep exactly: leading dashes, colons, quotes, "yes"/"no", numbers, multi-line Markdown.
texts = st.one_of(
    st.sampled_from(["-itis", "yes", "no", "1.0", "null", "a: b", "# not a comment", "'quoted'", "\"dq\"", "50 %",
                     "Line one\nLine two\n", "first\n\n- bullet\n- bullet", "ends without newline\nsecond"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30)
    .filter(lambda t: t.strip() == t and t.strip()),
)
ids = st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True)


def _meta(item_id: str, difficulty: int, tags: tuple[str, ...]) -> ItemMeta:
    return ItemMeta(id=item_id, topic="terminology", difficulty=difficulty, tags=tags, rationale="Because.",
                    code_year=2026, author="A", source_note="original", title="T", bank="gen")


@st.composite
def banks(draw: st.DrawFn) -> Bank:
    item_ids = draw(st.lists(ids, min_size=7, max_size=7, unique=True))
    meta = [_meta(i, draw(st.integers(1, 3)), tuple(draw(st.lists(ids, max_size=3)))) for i in item_ids]
    options = draw(st.lists(texts, min_size=3, max_size=5, unique_by=lambda t: " ".join(t.split()).casefold()))
    right = draw(st.integers(0, len(options) - 1))
    feedback = draw(texts)
    items = (
        SingleChoice(meta[0], draw(texts), tuple(Option(t, i == right, draw(st.sampled_from([0.0, 0.25, -0.5])) if i != right else 0.0,
                                                        feedback if i == right else "") for i, t in enumerate(options)),
                     draw(st.booleans())),
        MultipleResponse(meta[1], draw(texts), tuple(Option(t, i == right, (1.0 if i == right else -0.25), "") for i, t in enumerate(options))),
        TrueFalse(meta[2], draw(texts), draw(st.booleans()), draw(texts), ""),
        Numeric(meta[3], draw(texts), (NumericAnswer(draw(st.floats(-1e6, 1e6, allow_nan=False)), 0.5, 1.0, ""),
                                      NumericAnswer(1.0, 0.0, 0.25, feedback)), "$"),
        Matching(meta[4], draw(texts), (MatchPair("a", options[0]), MatchPair("b", options[1])), (options[2],)),
        ShortAnswer(meta[5], draw(texts), (Option(options[0], True, 1.0, ""), Option(options[1], False, 0.5, feedback)),
                    draw(st.booleans())),
        CodingCase(meta[6], draw(texts), draw(texts), AnswerKey((
            KeySection(CodeSystem.ICD10CM, (KeyLine(("E11.9",), first=True, comment=feedback),
                                            KeyLine(("Z79.4", "Z79.84"), optional=True)), label="Dx"),
            KeySection(CodeSystem.CPT, (KeyLine(("00100",), modifiers=("25", "RT"), units=2),), ordered=True, label="Px"),
        ), draw(st.sampled_from([None, *ScoringPolicy])))),
    )
    manifest = BankManifest("gen", draw(texts), "1.2.3", "A", "CC-BY-4.0", 2026, draw(st.sampled_from(list(ScoringPolicy))),
                            draw(texts))
    return Bank(manifest, items)


@settings(max_examples=60, deadline=None)
@given(bank=banks())
def test_any_bank_round_trips(bank: Bank, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    again = _reload(bank, tmp_path_factory.mktemp("rt"))
    assert without_sources(again) == without_sources(bank)
