"""Properties of coding-case scoring over a small real key set (hypothesis, real code-set data)."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.core.codeset import CodeSystem
from app.core.models import AnswerKey, CodingCase, ItemMeta, KeyLine, KeySection, ScoringPolicy
from app.core.scoring import grade

DIAGNOSES = ("E11.22", "N18.31", "I10", "S52.521A", "Z79.4", "J45.909", "M54.50", "D63.1")
PROCEDURES = (KeyLine(("99213",), modifiers=("25",)), KeyLine(("27786",), modifiers=("RT",)),
              KeyLine(("J1100",), units=4), KeyLine(("L3260",), modifiers=("RT",)))
EXTRAS = ("R73.9", "E11.9", "S52.522A", "S52.521D", "E11", "E11.99", "K21.9", "99214", "J1200", "G0008",
          "27786-LT", "hello", "x2", "I10-25")
SETTINGS = settings(max_examples=60, deadline=None)
POLICIES = tuple(ScoringPolicy)


@st.composite
def keys(draw: st.DrawFn) -> CodingCase:
    codes = draw(st.lists(st.sampled_from(DIAGNOSES), min_size=1, max_size=4, unique=True))
    ordered = draw(st.booleans())
    first = draw(st.sampled_from([None, 0] if ordered else [None, *range(len(codes))]))
    optional = draw(st.sets(st.sampled_from(range(len(codes)))))
    lines = tuple(KeyLine((code,), first=(index == first), optional=(index in optional and index != first))
                  for index, code in enumerate(codes))
    sections = [KeySection(CodeSystem.ICD10CM, lines, ordered)]
    procedures = draw(st.lists(st.sampled_from(range(len(PROCEDURES))), max_size=3, unique=True))
    if procedures:
        mixed = tuple(PROCEDURES[index] for index in procedures)
        sections.append(KeySection(CodeSystem.HCPCS if mixed[0].codes[0][0].isalpha() else CodeSystem.CPT,
                                   tuple(line for line in mixed if line.codes[0][0].isalpha() ==
                                         mixed[0].codes[0][0].isalpha())))
    return CodingCase(ItemMeta(id="p", topic="icd10cm"), "Code it.", "SYNTHETIC.", AnswerKey(tuple(sections)))


def written(line: KeyLine) -> str:
    text = "-".join((line.codes[0], *line.modifiers))
    return text + (f"x{line.units}" if line.units else "")


def key_answer(item: CodingCase, shuffle: st.DataObject | None = None) -> list[str]:
    """The key's own codes: the `first` line first, the rest in key order or shuffled when order is free."""
    tokens: list[str] = []
    for section in item.key.sections:
        lead = [written(line) for line in section.lines if line.first]
        rest = [written(line) for line in section.lines if not line.first]
        if shuffle is not None and not section.ordered:
            rest = shuffle.draw(st.permutations(rest))
        tokens.extend(lead + list(rest))
    return tokens


def extras_for(item: CodingCase) -> list[str]:
    """Wrong answers for this key: never a key code (with or without modifiers)."""
    in_key = {code for section in item.key.sections for line in section.lines for code in line.codes}
    return [token for token in EXTRAS if token.split("-")[0] not in in_key]


def score(item: CodingCase, tokens: list[str], codes, policy: ScoringPolicy) -> float:
    return grade(item, ", ".join(tokens), codes, policy).score


@SETTINGS
@given(keys(), st.data())
def test_the_key_itself_scores_full_marks_under_every_policy(codeset, item: CodingCase, data: st.DataObject) -> None:
    tokens = key_answer(item, data)
    for policy in POLICIES:
        result = grade(item, " ".join(tokens), codeset, policy)
        assert result.correct and result.score == result.max_score, (policy, tokens, result.findings)


@SETTINGS
@given(keys(), st.data())
def test_case_space_and_dot_variants_score_the_same(codeset, item: CodingCase, data: st.DataObject) -> None:
    tokens = data.draw(st.lists(st.sampled_from(key_answer(item) + list(EXTRAS)), max_size=6))
    variants = [data.draw(st.sampled_from([token, token.lower(), token.replace(".", "")])) for token in tokens]
    separators = data.draw(st.lists(st.sampled_from([",", ";", " ", "\n", " ,  ", ";\n"]),
                                    min_size=len(tokens), max_size=len(tokens)))
    text = "  " + "".join(f"{token}{sep}" for token, sep in zip(variants, separators, strict=True))
    for policy in POLICIES:
        assert grade(item, text, codeset, policy).score == score(item, tokens, codeset, policy)


@SETTINGS
@given(keys(), st.data())
def test_adding_an_extra_code_never_raises_the_score(codeset, item: CodingCase, data: st.DataObject) -> None:
    key = key_answer(item)
    tokens = data.draw(st.lists(st.sampled_from(key), unique=True, max_size=len(key)))
    extra = data.draw(st.sampled_from(extras_for(item)))
    at = data.draw(st.integers(0, len(tokens)))
    for policy in POLICIES:
        assert score(item, [*tokens[:at], extra, *tokens[at:]], codeset, policy) <= score(item, tokens, codeset, policy)


@SETTINGS
@given(keys(), st.data())
def test_dropping_a_required_code_never_raises_the_score(codeset, item: CodingCase, data: st.DataObject) -> None:
    extras = data.draw(st.lists(st.sampled_from(extras_for(item)), max_size=2))
    tokens = data.draw(st.permutations(key_answer(item) + extras))
    required = [line.codes[0] for section in item.key.sections for line in section.lines if not line.optional]
    assume(required)
    dropped = data.draw(st.sampled_from(required))
    fewer = [token for token in tokens if not token.startswith(dropped)]
    for policy in POLICIES:
        before, after = score(item, tokens, codeset, policy), score(item, fewer, codeset, policy)
        assert after <= before


@SETTINGS
@given(keys(), st.lists(st.sampled_from(list(DIAGNOSES) + list(EXTRAS) + [written(p) for p in PROCEDURES]),
                        max_size=8), st.sampled_from(POLICIES))
def test_score_stays_between_zero_and_max(codeset, item: CodingCase, tokens: list[str], policy: ScoringPolicy) -> None:
    result = grade(item, " ".join(tokens), codeset, policy)
    assert 0.0 <= result.score <= result.max_score
    assert result.correct == (result.score == result.max_score)


@settings(max_examples=100, deadline=None)
@given(keys(), st.one_of(st.text(), st.lists(st.text(), max_size=3)), st.sampled_from(POLICIES))
def test_no_input_makes_the_scorer_raise(codeset, item: CodingCase, response: object, policy: ScoringPolicy) -> None:
    result = grade(item, response, codeset, policy)
    assert 0.0 <= result.score <= result.max_score
    assert all(finding.message for finding in result.findings)


@SETTINGS
@given(keys(), st.data())
def test_any_code_beyond_the_key_makes_a_full_answer_not_correct(codeset, item: CodingCase, data: st.DataObject) -> None:
    """Over-coding is never rewarded (issue 10, point 2): a code that is neither a key line nor an optional
    line, added anywhere to a full-credit answer, makes it not correct under every policy, and lowers the
    score under the default policy."""
    tokens = key_answer(item, data)
    codes_only = [token for token in extras_for(item) if token not in ("hello", "x2")]
    extra = data.draw(st.sampled_from(codes_only))
    at = data.draw(st.integers(0, len(tokens)))
    for policy in POLICIES:
        full = grade(item, ", ".join(tokens), codeset, policy)
        over = grade(item, ", ".join([*tokens[:at], extra, *tokens[at:]]), codeset, policy)
        assert full.correct and not over.correct, (policy, extra, over.findings)
        if policy is ScoringPolicy.PER_LINE:
            assert over.score < full.score
