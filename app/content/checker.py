"""`check_bank_file`: every check of docs/question-bank-format.md ("Checks"), in one list.

The loader already reports syntax, schema and per-item rules. This module adds the checks
that need outside knowledge: lesson ids, the code-set database (valid, billable, the code
year, Excludes1 pairs, manifestation codes keyed first, a missing 7th character), and the
CPT-descriptor wording heuristic. Errors fail `medcode bank check`; warnings are printed
for a person to judge and do not fail it on their own.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from app.content.bank import bank_from_tree
from app.content.bank_fields import Sink, key_line
from app.content.bank_items import item_label
from app.content.bank_yaml import read_yaml
from app.content.wording import bank_texts, descriptor_hits, text_line
from app.core.codes import canonical, compact
from app.core.codeset import CodeInfo, CodeSet, CodeSystem, NoteKind
from app.core.models import Bank, CodingCase, KeySection
from app.core.note_rules import applies_to, group_by_owner, is_optional, note_covers
from app.core.problems import Problem, Severity

YEAR = re.compile(r"\b(20\d\d)\b")
# Code sets the app may hold only in part (CPT is licensed; HCPCS ships as a curated subset):
# a code they do not know may still be real, so that is a warning, with what to import.
PARTIAL = {CodeSystem.CPT: "your licensed CPT file", CodeSystem.HCPCS: "the CMS HCPCS file"}


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.field, p.message))


def check_bank_file(path: Path, codes: CodeSet | None, lesson_ids: set[str] | None,
                    items_out: list | None = None) -> list[Problem]:  # type: ignore[type-arg]
    """All problems of one bank file, sorted by line. `codes`/`lesson_ids` None skip those checks.

    `items_out`, when given, receives the bank's items, for checks across files (near duplicates).
    """
    where = str(path)
    tree, problems = read_yaml(path)
    if problems:
        return problems
    bank, problems = bank_from_tree(tree, where)
    if bank is not None and items_out is not None:
        items_out.extend(bank.items)
    sink = Sink(where)
    if lesson_ids is not None:
        _check_lessons(sink, tree, lesson_ids)
    for field, line, phrases in descriptor_hits(tree):
        shown = ", ".join(f"{phrase.strip()!r}" for phrase in phrases[:3])
        sink.add(line, field, f"text looks like AMA CPT descriptor wording ({shown}); "
                              "describe codes in the bank's own words", Severity.WARNING)
    _check_images(sink, tree, path.parent)
    _check_limits(sink, tree)
    if bank is not None and codes is not None:
        _check_codes(sink, tree, bank, codes)
    return _sorted(problems + sink.problems)


def _check_lessons(sink: Sink, tree: object, lesson_ids: set[str]) -> None:
    items = tree.get("items") if isinstance(tree, dict) else None
    for index, node in enumerate(items if isinstance(items, list) else []):
        lesson = node.get("lesson") if isinstance(node, dict) else None
        if isinstance(lesson, str) and lesson and lesson not in lesson_ids:
            close = difflib.get_close_matches(lesson, sorted(lesson_ids), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            sink.add(key_line(node, "lesson"), f"{item_label(node, index)}.lesson", f"lesson {lesson!r} does not exist{hint}")


IMAGE_REF = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)|<img\b[^>]*\bsrc\s*=\s*[\"']([^\"']+)", re.IGNORECASE)


def _image_problem(ref: str, folder: Path) -> str | None:
    """Why an image reference will not show offline from a package, or None."""
    parts = ref.replace("\\", "/").split("/")
    if ":" in ref or ref.startswith("/") or ".." in parts:
        return f"image {ref!r} must be a file in the images/ folder next to the bank (the app works offline)"
    if parts[0] != "images" or len(parts) < 2:
        return f"image {ref!r} must be in the images/ folder next to the bank (write images/NAME.png)"
    if not (folder / Path(*parts)).is_file():
        return f"image file {ref} does not exist next to the bank"
    return None


def _check_images(sink: Sink, tree: object, folder: Path) -> None:
    for field, line, text in bank_texts(tree):
        for number, part in enumerate(str(text).splitlines()):
            for match in IMAGE_REF.finditer(part):
                problem = _image_problem(match.group(1) or match.group(2), folder)
                if problem:
                    sink.add(text_line(text, line, number), field, problem)


def _check_limits(sink: Sink, tree: object) -> None:
    """Text that would freeze the window (a huge table, deep nesting) is an error, by line."""
    from app.content.limits import MAX_ITEMS, text_problems

    for field, line, text in bank_texts(tree):
        for number, why in text_problems(str(text)):
            sink.add(text_line(text, line, number), field, why)
    items = tree.get("items") if isinstance(tree, dict) else None
    if isinstance(items, list) and len(items) > MAX_ITEMS:
        sink.add(key_line(tree, "items"), "items", f"{len(items):,} items; a bank may hold at most {MAX_ITEMS:,}")


def _item_nodes(tree: object) -> dict[str, object]:
    items = tree.get("items") if isinstance(tree, dict) else None
    return {str(node["id"]): node for node in (items if isinstance(items, list) else [])
            if isinstance(node, dict) and isinstance(node.get("id"), str)}


def _check_codes(sink: Sink, tree: object, bank: Bank, codes: CodeSet) -> None:
    nodes = _item_nodes(tree)
    warned_bank: set[CodeSystem] = set()
    for item in bank.items:
        if not isinstance(item, CodingCase):
            continue
        for number, section in enumerate(item.key.sections):
            prefix = f"{item.meta.id}.key.sections[{number}]"
            _check_year(sink, item, section.code_set, codes, nodes.get(item.meta.id), warned_bank, bank)
            infos = _check_lines(sink, prefix, section, codes)
            if section.code_set is CodeSystem.ICD10CM:
                _check_excludes1(sink, prefix, section, infos, codes)
                _check_code_first(sink, prefix, section, infos, codes)
            _check_forbidden(sink, prefix, section, codes)


def _data_year(codes: CodeSet, system: CodeSystem) -> int | None:
    match = YEAR.search(str(codes.version(system) or ""))
    return int(match.group(1)) if match else None


def _check_year(sink: Sink, item: CodingCase, system: CodeSystem, codes: CodeSet, node: object,
                warned_bank: set[CodeSystem], bank: Bank) -> None:
    year = _data_year(codes, system)
    if year is None or year == item.meta.code_year:
        return
    message = (f"the key is written for code year {item.meta.code_year} but the installed {system.label} "
               f"data is for {year}; check that every code is still valid")
    if isinstance(node, dict) and "code_year" in node:
        sink.add(key_line(node, "code_year", item.meta.source.line), f"{item.meta.id}.code_year", message, Severity.WARNING)
    elif system not in warned_bank:
        warned_bank.add(system)
        sink.add(bank.manifest.source.line, "bank.code_year", message, Severity.WARNING)


def _pcs_unchecked(code: str, system: CodeSystem, codes: CodeSet) -> bool:
    """An ICD-10-PCS code of a section this installation has no data for (imaging B, 4A, 5A, 3E ...)."""
    finder = getattr(codes, "pcs_sections", None)
    flat = compact(code)
    return system is CodeSystem.ICD10PCS and callable(finder) and bool(flat) and flat[0] not in finder()


def _code_problem(code: str, system: CodeSystem, info: CodeInfo | None,
                  unchecked: bool = False) -> tuple[str, Severity] | None:
    """Why a keyed code cannot be reported, or None when it is valid and billable."""
    if info is None and unchecked:
        return (f"{code}: this app has no data for ICD-10-PCS section {compact(code)[0]}; it is not checked "
                "(import the CMS ICD-10-PCS tables with `medcode codes import-pcs` to check it)", Severity.WARNING)
    if info is None:
        if system in PARTIAL:
            return (f"{code} is not among the {system.label} codes this installation knows "
                    f"(import {PARTIAL[system]} to check it)", Severity.WARNING)
        return f"{code} is not a valid {system.label} code", Severity.ERROR
    if info.billable:
        return None
    if _needs_seventh(info):
        example = f" (e.g. {_with_seventh(info)})" if info.seventh_characters or info.children else ""
        return f"{code} needs a 7th character{example}: it is not a complete code without one", Severity.ERROR
    below = ", ".join(info.children[:3]) + (", ..." if len(info.children) > 3 else "")
    more = f"; use a code below it ({below})" if below else ""
    return f"{code} is not billable: it is a heading, not a complete code{more}", Severity.ERROR


def _needs_seventh(info: CodeInfo) -> bool:
    """A non-billable ICD-10-CM code that only a 7th character (after X placeholders) completes."""
    if info.requires_seventh:
        return True
    flat = compact(info.code)
    return bool(info.children) and info.system is CodeSystem.ICD10CM and all(
        len(compact(child)) == 7 and compact(child).startswith(flat) for child in info.children)


def _with_seventh(info: CodeInfo) -> str:
    """The code completed with X placeholders and a 7th character: S52.521 -> S52.521A."""
    if info.seventh_characters:
        return canonical(compact(info.code).ljust(6, "X") + info.seventh_characters[0].char, info.system)
    return canonical(info.children[0], info.system)


def _short(text: str) -> str:
    first = " ".join(text.split())
    return first if len(first) <= 90 else first[:89].rstrip() + "…"


def _check_lines(sink: Sink, prefix: str, section: KeySection, codes: CodeSet) -> list[list[CodeInfo]]:
    """Report invalid/non-billable codes; return the valid CodeInfo of each line (for later rules)."""
    infos: list[list[CodeInfo]] = []
    for index, line in enumerate(section.lines):
        found: list[CodeInfo] = []
        for alternative, code in enumerate(line.codes):
            info = codes.lookup(code, section.code_set)
            problem = _code_problem(code, section.code_set, info, _pcs_unchecked(code, section.code_set, codes))
            field = f"{prefix}.lines[{index}]." + ("code" if len(line.codes) == 1 else f"any_of[{alternative}]")
            if problem is not None:
                sink.add(line.source.line, field, problem[0], problem[1])
            if info is not None:
                found.append(info)
        infos.append(found)
    return infos


def _check_excludes1(sink: Sink, prefix: str, section: KeySection, infos: list[list[CodeInfo]], codes: CodeSet) -> None:
    """Two lines of one section whose codes an Excludes1 note says can never be reported together."""
    reported: set[frozenset[str]] = set()
    for first, first_infos in enumerate(infos):
        for info in first_infos:
            notes = codes.notes_in_scope(info.code, CodeSystem.ICD10CM, NoteKind.EXCLUDES1)
            for second, second_infos in enumerate(infos):
                if second == first:
                    continue
                for other in second_infos:
                    note = next((n for n in notes if note_covers(n, other.code)), None)
                    pair = frozenset((info.code, other.code))
                    if note is None or pair in reported:
                        continue
                    reported.add(pair)
                    later = max(first, second)
                    owner = note.owner or info.code
                    sink.add(section.lines[later].source.line, f"{prefix}.lines[{later}]",
                             f"{info.code} and {other.code} cannot be keyed together: an Excludes1 note at {owner} "
                             f"excludes {other.code} ({_short(note.text)})")


def _check_code_first(sink: Sink, prefix: str, section: KeySection, infos: list[list[CodeInfo]], codes: CodeSet) -> None:
    """"Code first" notes: a manifestation may not be keyed first, and a covered code goes before it.

    An unconditional note ("code first underlying disease") makes the code a manifestation that
    can never lead. An optional one ("code first any associated ...", "if applicable") only
    matters when the code it names is in the same key: then that code must come first. A note
    conditional on the carrying code ("for adverse effects", T36-T50) applies only when the
    condition holds: a poisoning code leads (Guidelines I.C.19.e.5.b); see app.core.note_rules.
    """
    for index, line in enumerate(section.lines):
        leads = line.first or (section.ordered and index == 0)
        for info in infos[index]:
            message = _code_first_problem(info, index, leads, section.ordered, infos, codes)
            if message:
                sink.add(line.source.line, f"{prefix}.lines[{index}]" + (".first" if leads else ""), message)
                break


def _code_first_problem(info: CodeInfo, index: int, leads: bool, ordered: bool, infos: list[list[CodeInfo]],
                        codes: CodeSet) -> str | None:
    """The tabular list prints a note as a heading line plus one line per named condition; the
    heading ("any associated:", ", if applicable, ...", ", for adverse effects, ...") decides
    whether, and when, the whole note applies."""
    notes = codes.notes_in_scope(info.code, CodeSystem.ICD10CM, NoteKind.CODE_FIRST)
    for owner, group in group_by_owner(notes, info.code).items():
        if not applies_to(group, info.code):
            continue
        if leads and not is_optional(group):
            return (f"{info.code} cannot be keyed first: a 'code first' note at {owner} says the underlying "
                    f"condition is listed before it ({_short(group[0].text)})")
        for note in group:
            late = [code.code for other, found in enumerate(infos) if other != index and (leads or (ordered and other > index))
                    for code in found if note_covers(note, code.code)]
            if late:
                return f"{late[0]} must be listed before {info.code}: a 'code first' note at {owner} says so ({_short(note.text)})"
    return None


def _check_forbidden(sink: Sink, prefix: str, section: KeySection, codes: CodeSet) -> None:
    """A forbidden code written in full must at least exist (references such as R73.- are left alone)."""
    for index, rule in enumerate(section.forbidden):
        if "-" in rule.code or codes.lookup(rule.code, section.code_set) is not None:
            continue
        partial = section.code_set in PARTIAL or _pcs_unchecked(rule.code, section.code_set, codes)
        severity = Severity.WARNING if partial else Severity.ERROR
        sink.add(rule.source.line, f"{prefix}.forbidden[{index}].code",
                 f"{rule.code} is not a valid {section.code_set.label} code", severity)
