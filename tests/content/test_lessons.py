"""Lesson loading: front matter, grouping, problems with file and line, offline rendering."""

from __future__ import annotations

from pathlib import Path

from app.content.lessons import load_lessons
from app.content.render import markdown_to_html

GOOD = """---
id: demo-one
title: Demo one
module: demo
module_title: Demo module
order: 2
minutes: 10
objectives:
  - Read a table
---
# Heading

| a | b |
|---|---|
| 1 | 2 |

1. first
    - nested one
    - nested two
2. second
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / "demo" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_good_lessons_load_grouped_and_ordered(tmp_path: Path) -> None:
    _write(tmp_path, "b.md", GOOD)
    _write(tmp_path, "a.md", GOOD.replace("demo-one", "demo-zero").replace("order: 2", "order: 1"))
    modules, problems = load_lessons(tmp_path)
    assert problems == []
    assert [(m.id, m.title) for m in modules] == [("demo", "Demo module")]
    assert [lesson.id for lesson in modules[0].lessons] == ["demo-zero", "demo-one"]
    assert modules[0].lessons[0].objectives == ("Read a table",)


def test_bad_lessons_name_file_line_and_field_and_the_rest_still_load(tmp_path: Path) -> None:
    _write(tmp_path, "good.md", GOOD)
    no_minutes = _write(tmp_path, "no-minutes.md", GOOD.replace("demo-one", "x1").replace("minutes: 10\n", ""))
    broken = _write(tmp_path, "broken.md", GOOD.replace("demo-one", "x2").replace("title: Demo one", "title: [unclosed"))
    typo = _write(tmp_path, "typo.md", GOOD.replace("demo-one", "x3").replace("minutes: 10", "minutes: 10\nminuets: 5"))
    dup = _write(tmp_path, "z-dup.md", GOOD)
    modules, problems = load_lessons(tmp_path)
    assert [lesson.id for m in modules for lesson in m.lessons] == ["demo-one"]
    messages = sorted(str(p) for p in problems)
    assert f"{no_minutes}:1: minutes: required field is missing" in messages
    assert f"{typo}:8: minuets: unknown field" in messages
    assert any(m.startswith(f"{broken}:") and "front matter: YAML error" in m for m in messages)
    assert f"{dup}:2: id: duplicate lesson id 'demo-one' (also in {tmp_path / 'demo' / 'good.md'})" in messages


def test_rendering_keeps_tables_and_nested_lists_and_drops_remote_things() -> None:
    html = markdown_to_html(GOOD.split("---\n", 2)[2])
    assert "<table>" in html and "<td>2</td>" in html
    assert html.count("<ul>") == 1 and "<ol>" in html
    remote = markdown_to_html("![x](https://example.org/x.png) [site](http://example.org) [S52](code:S52)")
    assert "<img" not in remote and "example.org" not in remote
    assert 'href="code:S52"' in remote and "site" in remote


def test_every_lesson_in_the_repository_loads() -> None:
    folder = Path(__file__).resolve().parents[2] / "app" / "lessons"
    modules, problems = load_lessons(folder)
    assert problems == []
    lessons = [lesson for module in modules for lesson in module.lessons]
    assert len(lessons) >= 4
    for lesson in lessons:
        html = markdown_to_html(lesson.body)
        assert "http://" not in html and "https://" not in html and "<img" not in html


def test_raw_html_in_a_lesson_cannot_point_outside_the_app() -> None:
    from app.content.render import markdown_to_html

    html = markdown_to_html(
        "<a href='https://a.example'>a</a> <A HREF=https://b.example>b</A> "
        "<table background='https://c.example'><tr><td>t</td></tr></table> "
        "<img src=http://d.example/x.png> ![e](https://e.example/e.png) [code](code:E11.9) [lesson](lesson:x)")
    assert "example" not in html and "<img" not in html.lower()
    assert 'href="code:E11.9"' in html and 'href="lesson:x"' in html
