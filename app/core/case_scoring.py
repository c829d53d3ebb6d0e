"""Grading a coding case: route the learner's codes to key sections, match key lines,
explain every difference, and turn line credits into a score under a policy.

The rules an instructor needs to predict a score are in docs/scoring.md; this module is
their one implementation. It never raises on a response: whatever cannot be read becomes
an `unreadable` finding. Over-coding is never rewarded: every code that matches no key
line makes the answer not correct, under every policy ("Over-coding" in docs/scoring.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.core.case_lines import LineNote, modifier_notes, units_note
from app.core.case_verdicts import Lookups, classify, lookups_for, other_code_set, pair_findings
from app.core.codeset import CodeInfo, CodeSet, CodeSystem
from app.core.models import CodingCase, Finding, GradeResult, KeyLine, KeySection, ScoringPolicy
from app.core.responses import Entry, Parsed, Unreadable, cached_compact, cached_shapes, parse_codes

POSITION_COST = 0.5  # a right code in the wrong place keeps half its line
PAIR_VERDICTS = ("correct", "excludes1_conflict", "sequencing_rule")


@dataclass
class _Section:
    """Working state for one key section while grading."""

    key: KeySection
    flats: list[tuple[str, ...]] = field(default_factory=list)  # each line's codes, compacted
    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    credits: list[float] = field(default_factory=list)  # one per required line
    asks: str = ""  # the code sets the case asks for, in words
    inpatient: bool = False  # "principal" (inpatient) or "first-listed" (outpatient)
    unmatched: int = 0  # codes that matched no key line: each is over-coding, whatever its verdict
    noted: set[int] = field(default_factory=set)  # entries whose reading notes were told


@dataclass
class _Tally:
    """What the policies need besides the line credits."""

    unmatched: int = 0  # codes that matched no key line (near misses, extras, invalid codes)
    unreadable: int = 0


def grade_case(item: CodingCase, response: object, codes: CodeSet,
               policy: ScoringPolicy | None) -> GradeResult:
    """Score and explain a coding-case response (a text, or one text per key section)."""
    rule = item.key.policy or policy or ScoringPolicy.PER_LINE
    look = lookups_for(codes)
    asks = " and ".join(section.code_set.label for section in item.key.sections)
    inpatient = any(s.code_set is CodeSystem.ICD10PCS for s in item.key.sections) or "inpatient" in item.meta.tags
    sections = [_Section(section, [_flats(line) for line in section.lines], asks=asks, inpatient=inpatient)
                for section in item.key.sections]
    stray = _route(sections, response, look, asks)
    for section in sections:
        _grade_section(section, look)
    order = {section.key.code_set.value: index for index, section in enumerate(sections)}
    findings = [*stray, *(finding for section in sections for finding in section.findings)]
    findings.sort(key=lambda f: (f.learner_index is None, f.learner_index or 0, order.get(f.section, -1),
                                 f.key_index or 0))
    stray_codes = sum(1 for f in stray if f.verdict != "unreadable")
    tally = _Tally(unmatched=stray_codes + sum(s.unmatched for s in sections),
                   unreadable=sum(1 for f in findings if f.verdict == "unreadable"))
    credits = [credit for section in sections for credit in section.credits]
    score, max_score = _score(rule, credits, findings, tally)
    correct = abs(score - max_score) < 1e-9 and max_score > 0 and tally.unmatched == 0
    return GradeResult(score, max_score, correct, tuple(findings),
                       extra={"policy": rule.value, "unmatched": tally.unmatched})


def _score(rule: ScoringPolicy, credits: list[float], findings: list[Finding], tally: _Tally) -> tuple[float, float]:
    """Line credits to points: see docs/scoring.md, "Policies" and "Over-coding"."""
    if not credits:  # every line optional: one point for a clean answer
        credits = [0.0 if tally.unmatched or tally.unreadable else 1.0]
    max_score = float(len(credits))
    earned = sum(credits)
    if rule is ScoringPolicy.PER_LINE_DEDUCT:
        earned -= tally.unmatched + tally.unreadable
    elif rule is ScoringPolicy.ALL_OR_NOTHING:
        clean = all(f.verdict in PAIR_VERDICTS for f in findings) and tally.unmatched == 0
        earned = max_score if clean and earned == max_score else 0.0
    else:  # per_line: right x key / (key + unmatched codes); never kinder than Practicode's
        earned *= max_score / (max_score + tally.unmatched)  # right / max(entered, key)
    return round(min(max(earned, 0.0), max_score), 4), max_score


# -- routing -----------------------------------------------------------------------------
def _route(sections: list[_Section], response: object, look: Lookups, asks: str) -> list[Finding]:
    """Put each entry in its section; return findings for what belongs to none."""
    if isinstance(response, str):
        return _route_text(sections, parse_codes(response), look, asks)
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
                stray.extend(_route_text(sections, parsed, look, asks))
                continue
            for item in parsed:
                if isinstance(item, Entry):
                    sections[position].entries.append(item)
                else:
                    stray.append(_unreadable(item, sections[position].key.code_set.value))
        return stray
    shown = type(response).__name__
    return [_unreadable(Unreadable(shown, "a coding-case answer is text, or a list with one text per section"))]


def _route_text(sections: list[_Section], parsed: Sequence[Parsed], look: Lookups, asks: str) -> list[Finding]:
    stray: list[Finding] = []
    for item in parsed:
        if isinstance(item, Unreadable):
            stray.append(_unreadable(item))
            continue
        target = _pick_section(sections, item, look)
        if target is None:
            stray.append(_wrong_set(item, look, asks))
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


def _wrong_set(entry: Entry, look: Lookups, asks: str) -> Finding:
    """A code whose shape fits no section of the case: name the code set it belongs to, if any."""
    found = other_code_set(entry.written or entry.code, entry.code, (), look, asks)
    if found is not None:
        return Finding("extra", found[0], _with_notes(found[1], entry), found[2], entry.index)
    return Finding("invalid_code", entry.text, _with_notes(f"{entry.text} is not a valid {asks} code: no code set "
                                                           "this case uses has it.", entry), "", entry.index)


def _with_notes(message: str, entry: Entry) -> str:
    """The finding's sentence plus how the entry was read ("the words in parentheses ...")."""
    if not entry.notes:
        return message
    return f"{message} Note: {'; '.join(entry.notes)}."


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
            _matched(section, entry, info, by_position[position], by_position[position] in misplaced, look)
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
    if entry.notes and entry.index not in section.noted:  # told once, on the entry's first finding
        section.noted.add(entry.index)
        message = _with_notes(message, entry)
    section.findings.append(Finding(verdict, code, message, section.key.code_set.value, entry.index, line,
                                    related))


def _matched(section: _Section, entry: Entry, info: CodeInfo | None, line_index: int, misplaced: bool,
             look: Lookups) -> None:
    line = section.key.lines[line_index]
    system = section.key.code_set
    code = next(code for code in line.codes if cached_compact(code) == entry.code)
    credit = 1.0
    if misplaced:
        credit -= POSITION_COST
        lead = "principal (first-listed)" if section.inpatient else "first-listed"
        where = lead if line.first or line_index == 0 else "in the key's order"
        rule = ("as the guidelines do for the principal diagnosis (Section II)" if section.inpatient else
                "as the outpatient guidelines do for the first-listed diagnosis (Section IV.A)")
        _add(section, "wrong_position", code, f"{code} is right, but it must be {where}: the key sets the "
             f"sequence for this section, {rule}.", entry, line_index)
    else:
        note = "optional in this key; it earns nothing but costs nothing" if line.optional else "in the key"
        title = look.title(code, system)
        named = f"{code} ({title})" if title else code
        _add(section, "correct", code, f"{named} is right: it is {note}.", entry, line_index)
    notes = modifier_notes(code, system, line.modifiers, entry.modifiers, look.modifier_title)
    units = units_note(code, info, system, line.units, entry.units)
    costs = 0.0
    for found in [*notes, *([units] if units else [])]:
        costs += found.cost
        _line_note(section, found, code, entry, line_index)
    if not line.optional:
        section.credits.append(max(0.0, credit - costs))


def _line_note(section: _Section, note: LineNote, code: str, entry: Entry, line_index: int) -> None:
    """A modifier or units finding; a note on a right line ("XS is accepted for 59") joins its finding."""
    if note.verdict:
        _add(section, note.verdict, code, note.message, entry, line_index, note.related)
        return
    for position in range(len(section.findings) - 1, -1, -1):
        found = section.findings[position]
        if found.learner_index == entry.index and found.key_index == line_index:
            section.findings[position] = Finding(found.verdict, found.code, f"{found.message} {note.message}",
                                                 found.section, found.learner_index, found.key_index, found.related)
            return


def _unmatched(section: _Section, entry: Entry, info: CodeInfo | None, matched: dict[int, int],
               look: Lookups) -> None:
    """A code that matched no key line: say what it is; it counts against the answer (over-coding)."""
    key = section.key
    section.unmatched += 1
    duplicate = next((index for index, flats in enumerate(section.flats) if entry.code in flats), None)
    if duplicate is not None:
        shown = info.code if info else entry.text
        first = section.entries[matched[duplicate]] if duplicate in matched else None
        if first is not None and first.code != entry.code:
            message = (f"{shown} and {section.entries[matched[duplicate]].text} are alternatives for the same key "
                       f"line: report one of them, the one the record supports, not both.")
        else:
            message = f"{shown} repeats a code already reported: each condition or service is reported once."
        _add(section, "extra", shown, message, entry, duplicate)
        return
    typed = entry.text.split()[0] if entry.text else entry.code
    other = other_code_set(entry.written or entry.code, entry.code, (key.code_set,), look, section.asks) \
        if info is None else None
    if other is not None:
        _add(section, "extra", other[0], other[1], entry, None)
        return
    open_lines = [line for index, line in enumerate(key.lines) if index not in matched]
    done_lines = [line for index, line in enumerate(key.lines) if index in matched]
    candidates = [code for line in (*open_lines, *done_lines) for code in line.codes]
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
