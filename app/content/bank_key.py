"""Building a coding case's answer key (sections, lines, alternatives, forbidden codes).

Codes are checked here only for their written form (text, shape of the section's code
set); whether they exist and are billable is the checker's job, because that needs the
code-set database and loading must work without it.
"""

from __future__ import annotations

import re

from app.content.bank_fields import Fields, child, item_line, type_name
from app.core.codes import canonical, compact, shapes_for
from app.core.codeset import CodeSystem
from app.core.models import AnswerKey, ForbiddenCode, KeyLine, KeySection, ScoringPolicy, SourceRef

LINE_FIELDS = ("code", "any_of", "modifiers", "units", "optional", "first", "comment")
SECTION_FIELDS = ("code_set", "label", "ordered", "lines", "forbidden")
MODIFIER = re.compile(r"^[0-9A-Z]{2}$")


def _code_text(fields: Fields, field: str, line: int, value: object, system: CodeSystem | None) -> str | None:
    """One code as canonical text, or None (reported) when it is not usable."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        fields.sink.add(line, field, f"code {value} must be written as text in quotes (\"{value}\"); numbers lose leading zeros")
        return None
    if not isinstance(value, str) or not value.strip():
        fields.sink.add(line, field, f"must be a code as text, not {type_name(value)}")
        return None
    if system is None:
        return value.strip().upper()
    if system not in shapes_for(value):
        fields.sink.add(line, field, f"{value.strip()!r} is not written like a {system.label} code")
        return None
    return canonical(value, system)


def _codes(entry: Fields, system: CodeSystem | None) -> tuple[str, ...] | None:
    has_code, has_any = entry.node.get("code") is not None, entry.node.get("any_of") is not None
    if has_code == has_any:
        entry.sink.add(entry.line, entry.name("code"), "a key line needs either `code` or `any_of` (one of them)")
        return None
    if has_code:
        code = _code_text(entry, entry.name("code"), entry.at("code"), entry.node["code"], system)
        return None if code is None else (code,)
    seq = entry.seq("any_of", minimum=2)
    if seq is None:
        return None
    codes = [_code_text(entry, f"{entry.name('any_of')}[{i}]", item_line(seq, i, entry.at("any_of")), value, system)
             for i, value in enumerate(seq)]
    if None in codes:
        return None
    if len({compact(code) for code in codes}) != len(codes):  # type: ignore[arg-type]
        entry.error("any_of", "lists the same code twice")
        return None
    return tuple(codes)  # type: ignore[arg-type]


def _modifier_entry(value: object) -> str | None:
    """One required modifier, or alternatives: "59", ["59", "XS"] or "59|XS" -> "59|XS"; None if malformed."""
    parts = value if isinstance(value, list) else str(value).split("|") if isinstance(value, (str, int)) else []
    if isinstance(value, bool) or not parts:
        return None
    texts = [str(part).strip().upper() for part in parts if isinstance(part, (str, int)) and not isinstance(part, bool)]
    if len(texts) != len(parts) or not all(MODIFIER.match(text) for text in texts) or len(set(texts)) != len(texts):
        return None
    return "|".join(texts)


def _modifiers(entry: Fields) -> tuple[str, ...] | None:
    seq = entry.seq("modifiers")
    if seq is None:
        return () if entry.node.get("modifiers") is None else None
    found = []
    for index, value in enumerate(seq):
        text = _modifier_entry(value)
        if text is None:
            entry.sink.add(item_line(seq, index, entry.at("modifiers")), f"{entry.name('modifiers')}[{index}]",
                           f"{value!r} is not a modifier (two letters or digits, e.g. \"25\" or RT; "
                           "alternatives as [\"59\", XS])")
            return None
        found.append(text)
    return tuple(found)


def _line(entry: Fields, system: CodeSystem | None) -> KeyLine | None:
    codes = _codes(entry, system)
    values = (_modifiers(entry), entry.number("units", low=1, high=999, whole=True), entry.flag("optional"),
              entry.flag("first"), entry.text("comment"))
    modifiers, units, optional, first, comment = values
    if codes is None or modifiers is None or optional is None or first is None or comment is None:
        return None
    if units is None and entry.node.get("units") is not None:
        return None
    return KeyLine(codes, modifiers, None if units is None else int(units), optional, first, comment,
                   SourceRef(entry.sink.where, entry.line))


def _forbidden(section: Fields, system: CodeSystem | None) -> tuple[ForbiddenCode, ...] | None:
    seq = section.seq("forbidden")
    if seq is None:
        return () if section.node.get("forbidden") is None else None
    rules: list[ForbiddenCode | None] = []
    for index in range(len(seq)):
        rule = child(section, seq, index, ("code", "reason"), "forbidden")
        if rule is None:
            rules.append(None)
            continue
        value = rule.raw("code", required=True)
        code = _code_text(rule, rule.name("code"), rule.at("code"), value, None) if "code" in rule.node else None
        reason = rule.text("reason", required=True)
        ok = code is not None and reason is not None
        rules.append(ForbiddenCode(code, reason, SourceRef(rule.sink.where, rule.line)) if ok else None)  # type: ignore[arg-type]
    return None if None in rules else tuple(rules)  # type: ignore[arg-type]


def _section(section: Fields) -> KeySection | None:
    name = section.choice("code_set", [system.value for system in CodeSystem], required=True)
    system = CodeSystem(name) if name else None
    label, ordered = section.text("label", default=system.label if system else ""), section.flag("ordered")
    seq = section.seq("lines", required=True, minimum=1)
    lines = []
    for index in range(len(seq or [])):
        entry = child(section, seq, index, LINE_FIELDS, "lines")  # type: ignore[arg-type]
        lines.append(_line(entry, system) if entry is not None else None)
    forbidden = _forbidden(section, system)
    if None in lines or seq is None or system is None or label is None or ordered is None or forbidden is None:
        return None
    firsts = [index for index, line in enumerate(lines) if line.first]  # type: ignore[union-attr]
    if len(firsts) > 1:
        section.error("lines", f"only one line may be `first: true`; lines {', '.join(map(str, firsts))} are")
        return None
    return KeySection(system, tuple(lines), ordered, forbidden, label)  # type: ignore[arg-type]


def build_key(key: Fields) -> AnswerKey | None:
    """The answer key of a coding case, or None (with problems recorded)."""
    key.known = ("policy", "sections")
    key.check_unknown()
    policy = key.choice("policy", [p.value for p in ScoringPolicy])
    seq = key.seq("sections", required=True, minimum=1)
    if seq is None or (policy is None and key.node.get("policy") is not None):
        return None
    sections: list[KeySection | None] = []
    seen: dict[CodeSystem, int] = {}
    for index in range(len(seq)):
        fields = child(key, seq, index, SECTION_FIELDS, "sections")
        section = _section(fields) if fields is not None else None
        if section is not None and section.code_set in seen:
            key.sink.add(item_line(seq, index, key.line), f"{key.name('sections')}[{index}].code_set",
                         f"code set {section.code_set.value} already has a section (sections[{seen[section.code_set]}])")
            section = None
        if section is not None:
            seen[section.code_set] = index
        sections.append(section)
    if None in sections:
        return None
    return AnswerKey(tuple(sections), ScoringPolicy(policy) if policy else None)  # type: ignore[arg-type]
