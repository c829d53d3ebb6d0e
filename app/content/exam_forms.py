"""Exam form files (docs/exams.md) -> `app.core.exam_forms.ExamForm`, with file:line:field problems.

A form file is YAML with two top-level keys, `form:` (the rules of the sitting) and
`sections:` (what to draw). Forms ship in `app/exam_forms/` beside `app/question_bank/`, and an
instructor's bank package may carry its own in `forms/`. Reading uses the bank reader's
safe YAML (no tags, no aliases, size limit), and, like a bank, a bad form never raises:
it is reported and skipped.
"""

from __future__ import annotations

from pathlib import Path

from app.content.bank_fields import Fields, Sink, child
from app.content.bank_items import DIFFICULTIES, ID_PATTERN
from app.content.bank_yaml import read_yaml
from app.core.codeset import CodeSystem
from app.core.exam_forms import DrawRule, ExamForm, FormSection, Navigation, PausePolicy
from app.core.models import ItemType
from app.core.problems import Problem
from app.core.topics import TOPICS

FORM_FIELDS = ("id", "title", "exam", "description", "time_limit", "warning", "pass_mark", "navigation",
               "pause", "code_browser")
RULE_FIELDS = ("count", "topics", "areas", "types", "tags", "min_difficulty", "max_difficulty", "code_sets")
SECTION_FIELDS = ("id", "title", "part", "draw") + RULE_FIELDS
PACKAGE_FORMS = "forms"


def is_form_tree(tree: object) -> bool:
    """A parsed YAML document is a form (not a bank) when it has a top-level `form:`."""
    return isinstance(tree, dict) and "form" in tree


def _id(fields: Fields, key: str = "id") -> str | None:
    value = fields.text(key, required=True)
    if value is not None and not ID_PATTERN.match(value):
        fields.error(key, f"{value!r} is not a valid id (lower-case letters, digits and dashes)")
        return None
    return value


def _known(fields: Fields, key: str, allowed: set[str] | dict[str, object], what: str) -> tuple[str, ...] | None:
    words = fields.words(key)
    if words is None:
        return None
    unknown = [w for w in words if w not in allowed]
    if unknown:
        fields.error(key, f"{unknown[0]!r} is not a known {what}; the list is in docs/question-bank-format.md")
        return None
    return words


def _level(fields: Fields, key: str, default: int) -> int | None:
    value = fields.node.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and value in (1, 2, 3):
        return int(value)
    name = fields.choice(key, DIFFICULTIES, default=None)
    return DIFFICULTIES[name] if name else (default if key not in fields.node else None)


def _rule(fields: Fields) -> DrawRule | None:
    values = (fields.number("count", required=True, low=1, high=1000, whole=True),
              _known(fields, "topics", TOPICS, "topic"), fields.words("areas"),
              _known(fields, "types", {t.value for t in ItemType}, "item type"), fields.words("tags"),
              _level(fields, "min_difficulty", 1), _level(fields, "max_difficulty", 3),
              _known(fields, "code_sets", {c.value for c in CodeSystem}, "code set (icd10cm, icd10pcs, cpt, hcpcs)"))
    if None in values:
        return None
    count, topics, areas, types, tags, low, high, code_sets = values
    bad = [a for a in areas if not ID_PATTERN.match(a)]  # type: ignore[union-attr]
    if bad:
        fields.error("areas", f"{bad[0]!r} is not a valid area id (lower-case letters, digits and dashes)")
        return None
    if low > high:  # type: ignore[operator]
        fields.error("min_difficulty", "is harder than max_difficulty")
        return None
    return DrawRule(int(count), topics, areas, types, tags, low, high, code_sets)  # type: ignore[arg-type]


def _section(fields: Fields) -> FormSection | None:
    section_id, title = _id(fields), fields.text("title", required=True)
    part = fields.number("part", low=1, high=20, whole=True, default=1)
    rules: list[DrawRule | None] = []
    draws = fields.seq("draw", minimum=1)
    if draws is not None:
        if any(key in fields.node for key in RULE_FIELDS):
            fields.error("draw", "write the draw rules either in `draw:` or on the section, not both")
            return None
        for index in range(len(draws)):
            rule_fields = child(fields, draws, index, RULE_FIELDS, "draw")
            rules.append(_rule(rule_fields) if rule_fields else None)
    elif "draw" not in fields.node:
        rules.append(_rule(fields))
    if None in (section_id, title, part) or None in rules or not rules:
        return None
    return FormSection(section_id, title, tuple(r for r in rules if r), int(part))  # type: ignore[arg-type]


def _settings(top: Fields) -> dict[str, object] | None:
    node = top.mapping("form", required=True)
    if node is None:
        return None
    fields = Fields(top.sink, node, "form", FORM_FIELDS, top.at("form"))
    fields.check_unknown()
    values = {
        "id": _id(fields), "title": fields.text("title", required=True), "exam": fields.text("exam"),
        "description": fields.text("description"),
        "minutes": fields.number("time_limit", required=True, low=1, high=24 * 60, whole=True),
        "warning_minutes": fields.number("warning", low=0, high=24 * 60, whole=True, default=30),
        "pass_mark": fields.number("pass_mark", low=0, high=100, default=70.0),
        "navigation": fields.choice("navigation", [n.value for n in Navigation], default=Navigation.FREE.value),
        "pause": fields.choice("pause", [p.value for p in PausePolicy], default=PausePolicy.NONE.value),
        "code_browser": fields.flag("code_browser", default=True),
    }
    if None in values.values():
        return None
    values["navigation"] = Navigation(values["navigation"])
    values["pause"] = PausePolicy(values["pause"])
    if values["warning_minutes"] >= values["minutes"]:  # type: ignore[operator]
        fields.error("warning", f"the warning ({values['warning_minutes']} min) must come before the end "
                                f"(time_limit {values['minutes']} min)")
        return None
    return values


def form_from_tree(tree: object, where: str) -> tuple[ExamForm | None, list[Problem]]:
    sink = Sink(where)
    if not isinstance(tree, dict):
        sink.add(1, "form", "a form file must be a mapping with `form:` and `sections:`")
        return None, sink.problems
    top = Fields(sink, tree, "", ("form", "sections"), 1)
    top.check_unknown()
    settings = _settings(top)
    sections: list[FormSection | None] = []
    seq = top.seq("sections", required=True, minimum=1)
    seen: dict[str, int] = {}
    for index in range(len(seq or [])):
        fields = child(top, seq, index, SECTION_FIELDS, "sections")  # type: ignore[arg-type]
        section = _section(fields) if fields else None
        if section is not None and section.id in seen:
            fields.error("id", f"duplicate section id {section.id!r} (first on line {seen[section.id]})")  # type: ignore[union-attr]
            section = None
        if section is not None:
            seen[section.id] = fields.line  # type: ignore[union-attr]
        sections.append(section)
    if settings is None or seq is None or None in sections:
        return None, sink.problems
    form = ExamForm(sections=tuple(s for s in sections if s), source=where, **settings)  # type: ignore[arg-type]
    if form.navigation is Navigation.LOCKED_PARTS and len(form.parts) < 2:
        top.sink.add(top.at("form"), "form.navigation", "locked_parts needs sections in at least two parts "
                                                       "(give sections `part: 1`, `part: 2`)")
        return None, sink.problems
    return form, sink.problems


def load_form(path: Path) -> tuple[ExamForm | None, list[Problem]]:
    tree, problems = read_yaml(path)
    if problems:
        return None, problems
    return form_from_tree(tree, str(path))


def is_form_file(path: Path) -> bool:
    """True when the file's YAML has `form:` at the top (bank check then checks it as a form)."""
    tree, problems = read_yaml(path)
    return not problems and is_form_tree(tree)


def check_form_file(path: Path) -> list[Problem]:
    """Every problem of one form file, sorted by line (what `medcode bank check` prints)."""
    _form, problems = load_form(path)
    return sorted(problems, key=lambda p: (p.line, p.field, p.message))


def shipped_forms_folder() -> Path:
    """The forms that ship with the app: `app/exam_forms/` beside `app/question_bank/`."""
    from app.resources import PACKAGE_DIR

    return PACKAGE_DIR / "exam_forms"


def form_files(folder: Path) -> list[Path]:
    """Form files in a folder of forms, or in the `forms/` folder of each installed bank package."""
    if not folder.is_dir():
        return []
    found = sorted(p for p in folder.glob("*.yaml") if p.is_file())
    found += sorted(p for package in sorted(folder.iterdir()) if package.is_dir() and not package.name.startswith(".")
                    for p in (package / PACKAGE_FORMS).glob("*.yaml") if p.is_file())
    return found


def load_forms(folders: list[Path]) -> tuple[list[ExamForm], list[Problem]]:
    """Every form in the folders; a form whose id is taken is reported and skipped."""
    forms: list[ExamForm] = []
    problems: list[Problem] = []
    for folder in folders:
        for path in form_files(folder):
            form, found = load_form(path)
            problems += found
            if form is None:
                continue
            if any(f.id == form.id for f in forms):
                problems.append(Problem(str(path), 0, "form.id", f"a form with id {form.id!r} is already loaded; skipped"))
                continue
            forms.append(form)
    return forms, problems
