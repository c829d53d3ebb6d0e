"""Code normalising and reference matching: pure string work, shared by every code set.

Learners type "s52521a", "S52.521 A" or "E11.9"; banks cite "S52.-" and "E10-E13".
Everything that compares codes goes through these functions so the rules live in one place.
"""

from __future__ import annotations

import re

from app.core.codeset import CodeSystem

_SPACES = re.compile(r"\s+")

# A letter, then a digit and a letter or digit, or (FY2026: QA0-QA1 and like families) a letter
# and a digit; up to four more. Derived from every code in the FY2026 tabular list
# (tests/codesets: every code fits), kept no looser so that words are not read as codes.
ICD10CM_SHAPE = re.compile(r"^[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(?:[0-9A-Z]{1,4})?$")
ICD10PCS_SHAPE = re.compile(r"^[0-9A-HJ-NP-Z]{7}$")
HCPCS_SHAPE = re.compile(r"^[A-CEGHJ-MP-V][0-9]{4}$")
CPT_SHAPE = re.compile(r"^(?:[0-9]{5}|[0-9]{4}[FTU])$")


def compact(code: str) -> str:
    """Upper case with spaces and dots removed: the form codes are compared in."""
    return _SPACES.sub("", code).replace(".", "").upper()


def icd10cm_display(compact_code: str) -> str:
    """Insert the ICD-10-CM dot after the category: "S52521A" -> "S52.521A"."""
    code = compact(compact_code)
    if len(code) <= 3:
        return code
    return f"{code[:3]}.{code[3:]}"


def canonical(code: str, system: CodeSystem) -> str:
    """The canonical display form of a code in `system` (ICD-10-CM keeps its dot)."""
    if system is CodeSystem.ICD10CM:
        return icd10cm_display(code)
    return compact(code)


def shapes_for(code: str) -> tuple[CodeSystem, ...]:
    """Code systems whose format the (compacted) code fits, most likely first."""
    raw = code.strip()
    flat = compact(raw)
    found: list[CodeSystem] = []
    if "." in raw and ICD10CM_SHAPE.match(flat):
        return (CodeSystem.ICD10CM,)
    if CPT_SHAPE.match(flat):
        found.append(CodeSystem.CPT)
    if HCPCS_SHAPE.match(flat):
        found.append(CodeSystem.HCPCS)
    if ICD10PCS_SHAPE.match(flat) and not CPT_SHAPE.match(flat):
        found.append(CodeSystem.ICD10PCS)
    if ICD10CM_SHAPE.match(flat):
        found.append(CodeSystem.ICD10CM)
    return tuple(found)


_HEAD = r"[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])"
_RANGE = re.compile(rf"^({_HEAD}(?:\.?[0-9A-Z]*)?)-({_HEAD}(?:\.?[0-9A-Z]*)?)$")


def ref_covers(ref: str, code: str) -> bool:
    """Whether a tabular-list reference covers a code.

    - "S52.-" / "S52" / "F01.5-": every code that starts with that stem;
    - "E10-E13": every code whose category falls in the range (inclusive); a range of
      longer codes ("R13.11-R13.19", "I63.3-I63.5-") compares that many characters, so R13.0
      is outside;
    - "E11.9": that code and its descendants.
    """
    target = compact(code)
    text = ref.strip().upper().replace(" ", "")
    if not text or not target:
        return False
    # A range's end may carry the dash of a subcategory: "I63.3-I63.5-" spans I63.3 to I63.5.
    match = _RANGE.match(text.rstrip("-").rstrip("."))
    if match and not text.endswith(".-"):
        low, high = compact(match.group(1)), compact(match.group(2))
        return low <= target[: len(low)] and target[: len(high)] <= high
    stem = compact(text.rstrip("-").rstrip("."))
    return bool(stem) and target.startswith(stem)
