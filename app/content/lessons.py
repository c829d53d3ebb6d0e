"""Lessons: Markdown files with YAML front matter, grouped into modules by folder.

A lesson that cannot be read yields a Problem naming its file, line and field; the other
lessons still load, so one bad file never keeps a learner from the rest of the course.
"""

from __future__ import annotations

from pathlib import Path

from typing import TYPE_CHECKING

from app.core.models import Lesson, Module, SourceRef
from app.core.problems import Problem

if TYPE_CHECKING:
    from app.content.cache import ContentCache

REQUIRED = ("id", "title", "module", "objectives", "minutes")
KNOWN = set(REQUIRED) | {"module_title", "order"}
MAX_BYTES = 1_000_000


def _split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line of the body) or None when there is no front matter."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "".join(lines[1:index]), "".join(lines[index + 1 :]), index + 2
    return None


def _line_of(data: object, key: str) -> int:
    """1-based line of `key` in the front matter (which starts on file line 2)."""
    try:
        return int(data.lc.key(key)[0]) + 2  # type: ignore[attr-defined]
    except (AttributeError, KeyError, TypeError):
        return 1


def _read(path: Path, data: bytes | None = None) -> tuple[str | None, list[Problem]]:
    where = str(path)
    try:
        if (len(data) if data is not None else path.stat().st_size) > MAX_BYTES:
            return None, [Problem(where, 0, "file", "lesson is larger than 1 MB")]
        return (data if data is not None else path.read_bytes()).decode("utf-8"), []
    except UnicodeDecodeError as error:
        return None, [Problem(where, 0, "file", f"not UTF-8 text (byte {error.start})")]
    except OSError as error:
        return None, [Problem(where, 0, "file", f"cannot be read: {error.strerror}")]


def _check_fields(path: str, meta: dict) -> list[Problem]:  # type: ignore[type-arg]
    problems = [
        Problem(path, 1, name, "required field is missing") for name in REQUIRED if name not in meta
    ]
    problems += [
        Problem(path, _line_of(meta, name), name, "unknown field")
        for name in meta
        if name not in KNOWN
    ]
    if "objectives" in meta and not (
        isinstance(meta["objectives"], list) and all(isinstance(o, str) for o in meta["objectives"])
    ):
        problems.append(Problem(path, _line_of(meta, "objectives"), "objectives", "must be a list of sentences"))
    if "minutes" in meta and not (isinstance(meta["minutes"], int) and meta["minutes"] > 0):
        problems.append(Problem(path, _line_of(meta, "minutes"), "minutes", "must be a whole number above 0"))
    for name in ("id", "title", "module"):
        if name in meta and not (isinstance(meta[name], str) and meta[name].strip()):
            problems.append(Problem(path, _line_of(meta, name), name, "must be non-empty text"))
    return problems


def _front_matter(front: str, where: str) -> tuple[object, Problem | None]:
    """The front matter's fields; the fast reader first, ruamel for anything it hands on."""
    from app.content.yaml_fast import NeedsReference, parse_fast

    try:
        return parse_fast(front), None
    except NeedsReference:
        pass
    from ruamel.yaml import YAML  # only for front matter the fast reader does not handle
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="rt", pure=True).load(front), None
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        return None, Problem(where, line, "front matter", f"YAML error: {getattr(error, 'problem', error)}")


def load_lesson(path: Path, data: bytes | None = None) -> tuple[Lesson | None, list[Problem]]:
    """One lesson file; `data` is its content when it was read already (by the content cache)."""
    text, problems = _read(path, data)
    if text is None:
        return None, problems
    where = str(path)
    parts = _split_front_matter(text)
    if parts is None:
        return None, [Problem(where, 1, "front matter", "the file must start with a --- block")]
    front, body, _body_line = parts
    meta, problem = _front_matter(front, where)
    if problem is not None:
        return None, [problem]
    if not isinstance(meta, dict):
        return None, [Problem(where, 1, "front matter", "must be a mapping of fields")]
    problems = _check_fields(where, meta)
    if problems:
        return None, problems
    lesson = Lesson(
        id=str(meta["id"]).strip(),
        title=str(meta["title"]).strip(),
        module=str(meta["module"]).strip(),
        module_title=str(meta.get("module_title") or meta["module"]).strip(),
        objectives=tuple(str(item) for item in meta["objectives"]),
        minutes=int(meta["minutes"]),
        body=body,
        order=int(meta.get("order") or 0),
        source=SourceRef(where, 1),
    )
    return lesson, _limit_problems(where, body, _body_line)


def _limit_problems(where: str, body: str, body_line: int) -> list[Problem]:
    """Text over the limits is reported by line; the reader shows a notice in its place."""
    from app.content.limits import text_problems

    return [Problem(where, body_line + number, "body", why) for number, why in text_problems(body)]


def load_lessons(folder: Path, cache: ContentCache | None = None) -> tuple[list[Module], list[Problem]]:
    """Every `*.md` below `folder`, grouped into modules; duplicate ids are problems.

    With a `cache`, a lesson file whose content has not changed is not parsed again.
    """
    lessons: list[Lesson] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        if path.name.lower() == "readme.md":
            continue
        if cache is None:
            lesson, found = load_lesson(path)
        else:
            lesson, found = cache.load(path, "lesson", lambda data, p=path: load_lesson(p, data))
        problems += found
        if lesson is None:
            continue
        if lesson.id in seen:
            problems.append(Problem(str(path), 2, "id", f"duplicate lesson id {lesson.id!r} (also in {seen[lesson.id]})"))
            continue
        seen[lesson.id] = str(path)
        lessons.append(lesson)
    return _group(lessons), problems


def _group(lessons: list[Lesson]) -> list[Module]:
    modules: dict[str, list[Lesson]] = {}
    for lesson in lessons:
        modules.setdefault(lesson.module, []).append(lesson)
    return [
        Module(module_id, members[0].module_title, tuple(sorted(members, key=lambda l: (l.order, l.id))))
        for module_id, members in sorted(modules.items())
    ]
