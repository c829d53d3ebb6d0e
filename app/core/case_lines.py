"""What a matched key line still checks: modifiers (with alternatives and sides) and units.

Separate from `case_scoring` so the rules an instructor reads in docs/scoring.md ("On a
matched line") live in one short module. Each check returns `LineNote`s; the caller turns
them into findings and subtracts their cost from the line's point.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.core.codeset import CodeInfo, CodeSystem

MODIFIER_COST = 0.25  # per missing, extra or wrong-side modifier on a matched line
UNITS_COST = 0.25  # wrong units on a matched line
# Modifiers that name a side or a digit of the body: one given for another is "wrong side".
SIDE_FAMILIES = (frozenset({"RT", "LT"}), frozenset({"E1", "E2", "E3", "E4"}),
                 frozenset({"FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"}),
                 frozenset({"TA", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9"}),
                 frozenset({"LC", "LD", "LM", "RC", "RI"}))
SIDE_NAMES = {"RT": "the right side", "LT": "the left side"}
X_MODIFIERS = {"XE": "separate encounter", "XS": "separate structure", "XP": "separate practitioner",
               "XU": "unusual non-overlapping service"}
DOSE = re.compile(r"(?:,|\bper)\s*(?P<upto>up to\s+)?(?:per\s+)?(?P<amount>[0-9][0-9,]*(?:\.[0-9]+)?)\s*"
                  r"(?P<unit>mg|g|mcg|mL|ml|units?|IU)\s*$")


@dataclass(frozen=True)
class LineNote:
    verdict: str  # modifier_missing, modifier_extra, wrong_side, units_wrong, or "" (a note on a right line)
    message: str
    related: str = ""  # the modifier concerned
    cost: float = 0.0


def alternatives(wanted: str) -> tuple[str, ...]:
    """A key modifier entry: "59" or alternatives written "59|XS"."""
    return tuple(part for part in wanted.split("|") if part)


def modifier_notes(code: str, system: CodeSystem, wanted: tuple[str, ...], given: tuple[str, ...],
                   title_of: Callable[[str], str]) -> list[LineNote]:
    """Compare the key line's modifiers with the learner's; `title_of(modifier)` gives " (wording)"."""
    if not wanted and not given:
        return []
    notes: list[LineNote] = []
    left = list(dict.fromkeys(given))
    missing: list[str] = []
    for entry in wanted:
        choices = alternatives(entry)
        hit = next((modifier for modifier in left if modifier in choices), None)
        if hit is None and "59" in choices and len(choices) == 1:
            hit = next((modifier for modifier in left if modifier in X_MODIFIERS), None)
            if hit is not None:
                notes.append(LineNote("", f"{hit} ({X_MODIFIERS[hit]}) is accepted where the key has 59: the X "
                                          "modifiers are the specific forms of 59. Medicare and many payers "
                                          f"require the X modifier that fits; others still take only 59, so check "
                                          "the payer's policy."))
        if hit is None:
            missing.append(entry)
        else:
            left.remove(hit)
    for entry in missing:
        choices = alternatives(entry)
        swapped = next((modifier for modifier in left for family in SIDE_FAMILIES
                        if modifier in family and set(choices) & family), None)
        shown = " or ".join(f"{choice}{title_of(choice)}" for choice in choices)
        if swapped is not None:
            left.remove(swapped)
            notes.append(LineNote("wrong_side", f"{code} is reported with {swapped}{title_of(swapped)}, but the "
                                  f"record documents {_side(choices)}: the key has {shown}. One wrong side, "
                                  "one correction.", swapped, MODIFIER_COST))
        else:
            notes.append(LineNote("modifier_missing", f"{code} needs modifier {shown}: the record documents "
                                  "what it reports.", choices[0], MODIFIER_COST))
    icd = system in (CodeSystem.ICD10CM, CodeSystem.ICD10PCS)
    reason = ("ICD-10 codes take no modifiers" if icd else
              "add a modifier only when the record supports it, since modifiers change payment")
    for modifier in sorted(left):
        notes.append(LineNote("modifier_extra", f"Modifier {modifier}{title_of(modifier)} on {code} is not called "
                              f"for by the key: {reason}.", modifier, MODIFIER_COST))
    return notes


def _side(choices: tuple[str, ...]) -> str:
    return " or ".join(SIDE_NAMES.get(choice, choice) for choice in choices)


def expected_units(system: CodeSystem, units: int | None) -> int | None:
    """A CPT/HCPCS line with no units in the key means 1 unit; ICD-10 codes have none."""
    if units is not None:
        return units
    return 1 if system in (CodeSystem.CPT, CodeSystem.HCPCS) else None


def units_note(code: str, info: CodeInfo | None, system: CodeSystem, key_units: int | None,
               given: int) -> LineNote | None:
    """`units_wrong` when the learner's units differ from the key's (1 when the key gives none)."""
    wanted = expected_units(system, key_units)
    if wanted is None or given == wanted:
        return None
    given_text = f"{given} unit{'s' if given != 1 else ''}"
    wanted_text = f"{wanted} unit{'s' if wanted != 1 else ''}"
    why = dose_sentence(code, info, wanted) or (
        "units count the doses or times the service was given" if key_units is not None else
        "the key gives no units, so the service was given once")
    return LineNote("units_wrong", f"{code} is reported with {given_text}, but the key requires {wanted_text}: "
                                   f"{why}.", "", UNITS_COST)


def dose_sentence(code: str, info: CodeInfo | None, units: int) -> str:
    """"J1885 is per 15 mg: 30 mg is 2 units", from the dose in the code's label; "" without one."""
    match = DOSE.search(info.title) if info is not None else None
    if match is None:
        return ""
    amount = float(match.group("amount").replace(",", ""))
    unit, upto = match.group("unit"), "up to " if match.group("upto") else ""
    total = amount * units
    shown = f"{total:,.0f}" if total == int(total) else f"{total:,.3f}".rstrip("0")
    return (f"{code} is per {upto}{match.group('amount')} {unit}: {upto}{shown} {unit} is {units} "
            f"unit{'s' if units != 1 else ''}")
