"""HTML for the code browser's detail pane: one code with its notes, links and tables.

Pure rendering: it takes a `CodeInfo` and asks the read-only `CodeSet` for the notes in
scope and the titles of linked codes; it never writes. Links use two private URL
schemes the browser handles itself (`code:SYSTEM/CODE` and `ref:REF`), so nothing is
ever fetched.
"""

from __future__ import annotations

import re
from html import escape

from app.core.codes import compact
from app.core.codeset import CodeInfo, CodeNote, CodeSet, CodeSystem, NoteKind

DETAIL_CSS = """
body { font-family: sans-serif; line-height: 1.4; }
h1 { font-size: 1.7em; color: #1d3b5a; margin: 0; }
h2 { font-size: 1.15em; color: #1d3b5a; margin-top: 1em; margin-bottom: 0.2em; }
h3 { font-size: 1.0em; color: #2b5278; margin-top: 0.6em; margin-bottom: 0.1em; }
p.title { font-size: 1.2em; font-weight: 600; color: #22384f; margin-top: 0.3em; }
table { border-collapse: collapse; margin: 0.3em 0; }
th { background: #e4ecf5; font-weight: 600; text-align: left; }
th, td { border: 1px solid #c9d5e2; padding: 3px 8px; }
td.key { color: #5b6b7b; }
a { color: #1f5f99; text-decoration: none; }
.from { color: #6b7b8b; font-size: 0.9em; }
.meta { color: #5b6b7b; }
.chosen { background: #fff4c2; font-weight: 600; }
.warn { color: #9a6700; }
"""

CPT_CATEGORIES = {
    "I": "Category I: procedures and services",
    "II": "Category II: performance measurement (tracking)",
    "III": "Category III: emerging technology (temporary)",
}

NOTE_HEADINGS: tuple[tuple[NoteKind, str], ...] = (
    (NoteKind.INCLUSION_TERM, "Inclusion terms"),
    (NoteKind.INCLUDES, "Includes"),
    (NoteKind.EXCLUDES1, "Excludes1 (never coded together)"),
    (NoteKind.EXCLUDES2, "Excludes2 (not included here; both may be coded)"),
    (NoteKind.CODE_FIRST, "Code first"),
    (NoteKind.USE_ADDITIONAL, "Use additional code"),
    (NoteKind.CODE_ALSO, "Code also"),
    (NoteKind.NOTE, "Notes"),
)

_CODE = r"[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(?:\.[0-9A-Z]{1,4})?"  # QA0.0 too (FY2026)
# A code, a range ("E10-E13", "E00.0-E03.9") or a dash reference ("S52.-", "O24.4-").
CODE_TOKEN = re.compile(rf"(?<![0-9A-Za-z.])({_CODE}(?:-{_CODE}|\.?-)?)(?![0-9A-Za-z])")


def badge(text: str, colour: str) -> str:
    style = f"background-color:{colour}; color:white; font-weight:600;"
    return f"<span style='{style}'>&nbsp;{escape(text)}&nbsp;</span>"


def code_link(code: str, system: CodeSystem, text: str | None = None) -> str:
    return f"<a href='code:{system.value}/{escape(code)}'>{escape(text or code)}</a>"


def ref_link(ref: str, text: str | None = None) -> str:
    return f"<a href='ref:{escape(ref)}'>{escape(text or ref)}</a>"


def resolve_ref(ref: str, codes: CodeSet) -> str | None:
    """The ICD-10-CM code a tabular reference opens: "S52.-" -> S52, "E10-E13" -> E10."""
    first = ref.strip().upper().split("-")[0].rstrip(".")
    if not first:
        return None
    info = codes.lookup(first, CodeSystem.ICD10CM) or codes.lookup(first[:3], CodeSystem.ICD10CM)
    return info.code if info is not None else None


def linkify(text: str, codes: CodeSet) -> str:
    """Escape `text` and link every code-looking token that leads somewhere."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(1)
        if "-" in token:
            return ref_link(token) if resolve_ref(token, codes) else token
        info = codes.lookup(token, CodeSystem.ICD10CM)
        return code_link(info.code, CodeSystem.ICD10CM, token) if info is not None else token

    return CODE_TOKEN.sub(replace, escape(text, quote=False))


def note_html(note: CodeNote, codes: CodeSet, current: str) -> str:
    """One note: its linked text, refs the text does not show, and where it comes from."""
    body = linkify(note.text, codes)
    shown = {m.group(1) for m in CODE_TOKEN.finditer(note.text)}
    extra = [ref_link(ref) for ref in note.refs if ref not in shown and resolve_ref(ref, codes)]
    if extra:
        body += " (" + ", ".join(extra) + ")"
    if note.owner and compact(note.owner) != compact(current):
        body += f" <span class='from'>from {owner_html(note.owner, codes)}</span>"
    return f"<li>{body}</li>"


def owner_html(owner: str, codes: CodeSet) -> str:
    if owner.isdigit():
        return f"chapter {escape(owner)}"
    if "-" in owner:
        return "block " + ref_link(owner)
    info = codes.lookup(owner, CodeSystem.ICD10CM)
    return code_link(info.code, CodeSystem.ICD10CM) if info is not None else escape(owner)


def notes_html(info: CodeInfo, codes: CodeSet) -> str:
    """Every note in scope (the code's own and its ancestors'), grouped by kind."""
    parts = []
    for kind, heading in NOTE_HEADINGS:
        notes = codes.notes_in_scope(info.code, info.system, kind) or info.notes_of(kind)
        if notes:
            items = "".join(note_html(note, codes, info.code) for note in notes)
            parts.append(f"<h3>{escape(heading)}</h3><ul>{items}</ul>")
    return "<h2>Instructional notes</h2>" + "".join(parts) if parts else ""


def seventh_html(info: CodeInfo, codes: CodeSet) -> str:
    """The 7th-character table in force, where it is defined, and the X placeholder rule."""
    if not info.seventh_characters:
        return ""
    owner = info.extra.get("seventh_owner", "")
    where = f" <span class='from'>(table defined at {owner_html(owner, codes)})</span>" if owner else ""
    chosen = compact(info.code)[6:7] if len(compact(info.code)) == 7 else ""
    rows = "".join(
        f"<tr{' class=chosen' if s.char == chosen else ''}><td><b>{escape(s.char)}</b></td>"
        f"<td>{escape(s.meaning)}</td></tr>"
        for s in info.seventh_characters
    )
    rule = ("A 7th character is required for a billable code." if info.requires_seventh
            else "This table applies to the codes below this one.")
    if info.requires_placeholder:
        rule += " <b>X placeholders are needed</b> to fill the code out to 6 characters before the 7th."
    elif info.requires_seventh:
        rule += " No X placeholder is needed."
    return (f"<h2>7th characters</h2><p>{rule}{where}</p>"
            f"<table><tr><th>Char</th><th>Meaning</th></tr>{rows}</table>")


def axes_html(info: CodeInfo) -> str:
    if not info.axes:
        return ""
    rows = "".join(
        f"<tr><td>{a.position}</td><td>{escape(a.name)}</td><td><b>{escape(a.value)}</b></td>"
        f"<td>{escape(a.meaning)}</td></tr>"
        for a in info.axes
    )
    return ("<h2>The seven characters</h2><table><tr><th>#</th><th>Axis</th><th>Value</th>"
            f"<th>Meaning</th></tr>{rows}</table>")


def where_html(info: CodeInfo, codes: CodeSet) -> str:
    """Chapter, block, parent and children (as links) in a small key/value table."""
    rows = []
    labels = ("Section", "Subsection") if info.system is CodeSystem.CPT else ("Chapter", "Block")
    kind = info.extra.get("category", "")
    kind_label = "Kind"
    if info.system is CodeSystem.CPT and kind in CPT_CATEGORIES:
        kind_label, kind = "CPT category", CPT_CATEGORIES[kind]  # not a bare "I"
    for label, value in ((labels[0], info.chapter), (labels[1], info.block), (kind_label, kind)):
        if value:
            rows.append(f"<tr><td class=key>{label}</td><td>{escape(value)}</td></tr>")
    if info.parent:
        parent = codes.lookup(info.parent, info.system)
        title = f" {escape(parent.title)}" if parent else ""
        rows.append(f"<tr><td class=key>Parent</td><td>{code_link(info.parent, info.system)}{title}</td></tr>")
    table = f"<table>{''.join(rows)}</table>" if rows else ""
    if not info.children:
        return table
    items = []
    for child in info.children:
        found = codes.lookup(child, info.system)
        mark = " ✓" if found is not None and found.billable else ""
        items.append(f"<li>{code_link(child, info.system)} {escape(found.title if found else '')}{mark}</li>")
    return f"{table}<h2>Codes below this one</h2><ul>{''.join(items)}</ul>"


def other_html(info: CodeInfo, has_user_cpt: bool) -> str:
    """HCPCS and CPT details: the longer wording, and what CPT wording is (not) shipped."""
    parts = []
    long_text = info.extra.get("long", "")
    if long_text and long_text != info.title:
        parts.append(f"<p>{escape(long_text)}</p>")
    if info.system is CodeSystem.CPT:
        if info.extra.get("imported") == "yes":
            parts.append("<p class=meta>Descriptor from the licensed CPT file you imported.</p>")
        else:
            parts.append("<p class=meta>This is our own short wording, not the AMA descriptor.</p>")
        if not has_user_cpt:
            parts.append("<p class=warn>No licensed CPT file is imported, so CPT descriptors are not shown. "
                         "If you own one, import it with <code>medcode codes import-cpt FILE</code>.</p>")
    return "".join(parts)


def status_badge(info: CodeInfo) -> str:
    """The same words in every code set: a code that is reported, or a header that is not."""
    if info.system is CodeSystem.CPT and info.extra.get("category") == "II":
        return badge("Reportable (tracking code, not paid)", "#2b5f8f")
    if info.billable or info.system in (CodeSystem.HCPCS, CodeSystem.CPT):
        return badge("Billable code", "#1e7b34")
    return badge("Not billable (header)", "#b3571e")


def code_html(info: CodeInfo, codes: CodeSet, has_user_cpt: bool = False) -> str:
    """The whole detail page for one code."""
    head = (f"<h1>{escape(info.code)}</h1>"
            f"<p class=meta>{escape(info.system.label)} &nbsp; {status_badge(info)}</p>"
            f"<p class=title>{escape(info.title)}</p>")
    body = (where_html(info, codes) + seventh_html(info, codes) + notes_html(info, codes) + axes_html(info)
            + other_html(info, has_user_cpt))
    source = f"<p class=meta>Source: {escape(info.source)}</p>" if info.source else ""
    return head + body + source
