"""Grading a coding case: route the learner's codes to key sections, match key lines,
explain every difference, and turn line credits into a score under a policy.

The rules an instructor needs to predict a score are in docs/scoring.md; this module is
their one implementation. It never raises on a response: whatever cannot be read becomes
an `unreadable` finding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.core.case_verdicts import Lookups, classify, lookups_for, pair_findings
from app.core.codes import shapes_for
from app.core.codeset import CodeInfo, CodeSet, CodeSystem
from app.core.models import CodingCase, Finding, GradeResult, KeyLine, KeySection, ScoringPolicy
from app.core.responses import Entry, Parsed, Unreadable, cached_compact, cached_shapes, parse_codes

POSITION_COST = 0.5  # a right code in the wrong place keeps half its line
MODIFIER_COST = 0.25  # per missing or extra modifier on a matched line
UNITS_COST = 0.25  # wrong units on a matched line
# per_line_deduct takes a point for each of these findings
PENALISED = frozenset({"extra", "forbidden", "invalid_code", "unreadable"})


@dataclass
class _Section:
    """Working state for one key section while grading."""

    key: KeySection
    flats: list[tuple[str, ...]] = field(default_factory=list)  # each line's codes, compacted
    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    credits: list[float] = field(default_factory=list)  # one per required line


def grade_case(item: CodingCase, response: object, codes: CodeSet,
               policy: ScoringPolicy | None) -> GradeResult:
    """Score and explain a coding-case response (a text, or one text per key section)."""
    rule = item.key.policy or policy or ScoringPolicy.PER_LINE
    look = lookups_for(codes)
    sections = [_Section(section, [_flats(line) for line in section.lines]) for section in item.key.sections]
    stray = _route(sections, response, look)
    for section in sections:
        _grade_section(section, look)
    order = {section.key.code_set.value: index for index, section in enumerate(sections)}
    findings = [*stray, *(finding for section in sections for finding in section.findings)]
    findings.sort(key=lambda f: (f.learner_index is None, f.learner_index or 0, order.get(f.section, -1),
                                 f.key_index or 0))
    credits = [credit for section in sections for credit in section.credits]
    score, max_score = _score(rule, credits, findings)
    return GradeResult(score, max_score, abs(score - max_score) < 1e-9 and max_score > 0, tuple(findings),
                       extra={"policy": rule.value})


def _score(rule: ScoringPolicy, credits: list[float], findings: list[Finding]) -> tuple[float, float]:
    """Line credits to points: see docs/scoring.md, "Policies"."""
    if not credits:  # every line optional: one point for a clean answer
        credits = [0.0 if any(f.verdict in PENALISED for f in findings) else 1.0]
    max_score = float(len(credits))
    earned = sum(credits)
    if rule is ScoringPolicy.PER_LINE_DEDUCT:
        earned -= sum(1 for f in findings if f.verdict in PENALISED)
    elif rule is ScoringPolicy.ALL_OR_NOTHING:
        clean = all(f.verdict in ("correct", "excludes1_conflict", "sequencing_rule") for f in findings)
        earned = max_score if clean and earned == max_score else 0.0
    return round(min(max(earned, 0.0), max_score), 4), max_score


# -- routing -----------------------------------------------------------------------------
def _route(sections: list[_Section], response: object, look: Lookups) -> list[Finding]:
    """Put each entry in its section; return findings for what belongs to none."""
    if isinstance(response, str):
        return _route_text(sections, parse_codes(response), look)
    if isinstance(response, (list, tuple)):
        stray: list[Finding] = []
        start = 0
        for position, text in enumerate(response):
            if not isinstance(text, str):
                stray.append(_unreadable(Unreadable(repr(text)[:40], "an answer for a section must be text")))
                continue
            parsed = parse_codes(text, start)
            start += sum(isinstance(item, Entry) for item in parsed)
            if position >= len(sections):
                stray.extend(_route_text(sections, parsed, look))
                continue
            for item in parsed:
                if isinstance(item, Entry):
                    sections[position].entries.append(item)
                else:
                    stray.append(_unreadable(item, sections[position].key.code_set.value))
        return stray
    shown = type(response).__name__
    return [_unreadable(Unreadable(shown, "a coding-case answer is text, or a list with one text per section"))]


def _route_text(sections: list[_Section], parsed: Sequence[Parsed], look: Lookups) -> list[Finding]:
    stray: list[Finding] = []
    for item in parsed:
        if isinstance(item, Unreadable):
            stray.append(_unreadable(item))
            continue
        target = _pick_section(sections, item, look)
        if target is None:
            stray.append(_wrong_set(item, sections, look))
        else:
            target.entries.append(item)
    return stray


def _pick_section(sections: list[_Section], entry: Entry, look: Lookups) -> _Section | None:
    """The section whose code set fits the code's shape; ties go to a key match, then a valid code."""
    systems = cached_shapes(entry.written or entry.code)
    fitting = [section for section in sections if section.key.code_set in systems]
    if len(fitting) <= 1:
        return fitting[0] if fitting else None
    for section in fitting:
        if any(entry.code in flats for flats in section.flats):
            return section
    for section in fitting:
        if look.info(entry.code, section.key.code_set) is not None:
            return section
    return fitting[0]


def _wrong_set(entry: Entry, sections: list[_Section], look: Lookups) -> Finding:
    wanted = ", ".join(section.key.code_set.label for section in sections)
    for system in shapes_for(entry.written or entry.code):
        info = look.info(entry.code, system)
        if info is not None:
            return Finding("extra", info.code, f"{info.code} is a {system.label} code, but this case asks only for "
                                               f"{wanted} codes.", system.value, entry.index)
    return Finding("invalid_code", entry.text, f"{entry.text} is not a valid {wanted} code: no code set this case "
                                               "uses has it.", "", entry.index)


def _unreadable(item: Unreadable, section: str = "") -> Finding:
    return Finding("unreadable", item.text, f"'{item.text}' could not be read as a code ({item.reason}), "
                                            "so it was not graded.", section)


def _flats(line: KeyLine) -> tuple[str, ...]:
    return tuple(cached_compact(code) for code in line.codes)


# -- one section ---------------------------------------------------------------------------
def _grade_section(section: _Section, look: Lookups) -> None:
    key, system = section.key, section.key.code_set
    matched: dict[int, int] = {}  # key line -> position among the section's entries
    for position, entry in enumerate(section.entries):
        line = next((index for index, flats in enumerate(section.flats)
                     if index not in matched and entry.code in flats), None)
        if line is not None:
            matched[line] = position
    misplaced = _misplaced(key, matched)
    by_position = {position: line for line, position in matched.items()}
    valid: list[tuple[int, CodeInfo]] = []
    for position, entry in enumerate(section.entries):
        info = look.info(entry.code, system)
        if info is not None and info.billable:
            valid.append((entry.index, info))
        if position in by_position:
            _matched(section, entry, by_position[position], by_position[position] in misplaced, look)
        else:
            _unmatched(section, entry, info, matched, look)
    for index, line in enumerate(key.lines):
        if index not in matched and not line.optional:
            section.credits.append(0.0)
            section.findings.append(_missing(line, index, system, look))
    if system is CodeSystem.ICD10CM:
        section.findings.extend(pair_findings(valid, system.value, look))


def _misplaced(key: KeySection, matched: dict[int, int]) -> set[int]:
    """Key lines matched out of place: a `first` line not first, or out of order in an ordered section."""
    wrong = {line for line, position in matched.items()
             if position != 0 and (key.lines[line].first or (key.ordered and line == 0))}
    if key.ordered:
        in_order = sorted(matched, key=matched.__getitem__)
        wrong |= set(in_order) - _longest_increasing(in_order)
    return wrong


def _longest_increasing(values: list[int]) -> set[int]:
    """The largest set of values already in increasing order (the lines that are in place)."""
    best: list[list[int]] = []
    for value in values:
        chains = [chain for chain in best if chain[-1] < value]
        best.append([*max(chains, key=len, default=[]), value])
    return set(max(best, key=len, default=[]))


def _add(section: _Section, verdict: str, code: str, message: str, entry: Entry, line: int | None,
         related: str = "") -> None:
    section.findings.append(Finding(verdict, code, message, section.key.code_set.value, entry.index, line,
                                    related))


def _matched(section: _Section, entry: Entry, line_index: int, misplaced: bool, look: Lookups) -> None:
    line = section.key.lines[line_index]
    code = next(code for code in line.codes if cached_compact(code) == entry.code)
    credit = 1.0
    if misplaced:
        credit -= POSITION_COST
        where = "first-listed (principal)" if line.first or line_index == 0 else "in the key's order"
        _add(section, "wrong_position", code, f"{code} is right, but it must be {where}: the key sets the "
             "sequence for this section, as the guidelines do for the principal code.", entry, line_index)
    else:
        note = "optional in this key; it earns nothing but costs nothing" if line.optional else "in the key"
        title = look.title(code, section.key.code_set)
        _add(section, "correct", code, f"{code} ({title}) is right: it is {note}.", entry, line_index)
    costs = _modifier_findings(section, entry, code, line, line_index, look)
    if not line.optional:
        section.credits.append(max(0.0, credit - costs))


def _modifier_findings(section: _Section, entry: Entry, code: str, line: KeyLine, line_index: int,
                       look: Lookups) -> float:
    """modifier_missing / modifier_extra / units_wrong on a matched line; returns what they cost."""
    cost = 0.0
    wanted, given = set(line.modifiers), set(entry.modifiers)
    icd = section.key.code_set in (CodeSystem.ICD10CM, CodeSystem.ICD10PCS)
    for modifier in sorted(wanted - given):
        cost += MODIFIER_COST
        named = f"{modifier}{look.modifier_title(modifier)}"
        _add(section, "modifier_missing", code, f"{code} needs modifier {named}: the record documents "
             "what it reports.", entry, line_index, modifier)
    for modifier in sorted(given - wanted):
        cost += MODIFIER_COST
        named = f"{modifier}{look.modifier_title(modifier)}"
        reason = ("ICD-10 codes take no modifiers" if icd else
                  "add a modifier only when the record supports it, since modifiers change payment")
        _add(section, "modifier_extra", code, f"Modifier {named} on {code} is not called for by the key: "
             f"{reason}.", entry, line_index, modifier)
    if line.units is not None and entry.units != line.units:
        cost += UNITS_COST
        given_units = f"{entry.units} unit{'s' if entry.units != 1 else ''}"
        _add(section, "units_wrong", code, f"{code} is reported with {given_units}, but the key requires "
             f"{line.units}: units count the doses or times the service was given.", entry, line_index)
    return cost


def _unmatched(section: _Section, entry: Entry, info: CodeInfo | None, matched: dict[int, int],
               look: Lookups) -> None:
    key = section.key
    duplicate = next((index for index, flats in enumerate(section.flats) if entry.code in flats), None)
    if duplicate is not None:
        shown = info.code if info else entry.text
        _add(section, "extra", shown, f"{shown} repeats a code already reported for the same key line: "
             "each condition or service is reported once.", entry, duplicate)
        return
    open_lines = [line for index, line in enumerate(key.lines) if index not in matched]
    done_lines = [line for index, line in enumerate(key.lines) if index in matched]
    candidates = [code for line in (*open_lines, *done_lines) for code in line.codes]
    typed = entry.text.split()[0] if entry.text else entry.code
    verdict = classify(info, typed, key, candidates, look)
    related_index = next((index for index, line in enumerate(key.lines) if verdict.related in line.codes),
                         None)
    _add(section, verdict.verdict, info.code if info else typed, verdict.message, entry, related_index,
         verdict.related)


def _missing(line: KeyLine, index: int, system: CodeSystem, look: Lookups) -> Finding:
    code = line.codes[0]
    wanted = code if len(line.codes) == 1 else " or ".join(line.codes)
    title = look.title(code, system)
    why = f": {line.comment.strip().rstrip('.')}." if line.comment.strip() else "; the record supports it."
    return Finding("missing", code, f"The key's {wanted}{f' ({title})' if title else ''} is missing{why}",
                   system.value, None, index)
