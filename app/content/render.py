"""Markdown to the HTML our QTextBrowser shows: tables, nested lists, nothing remote.

Lessons are offline by design: any image or link that points outside the app is replaced
by its text before the HTML reaches Qt, so the renderer can never try to fetch it.
"""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3

_REMOTE_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_LINK = re.compile(r'<a\b[^>]*href="([^"]*)"[^>]*>(.*?)</a>', re.IGNORECASE | re.DOTALL)
_LOCAL_SCHEMES = ("code:", "lesson:", "#")


def _strip_remote(html: str) -> str:
    def keep_local(match: re.Match[str]) -> str:
        href, label = match.group(1), match.group(2)
        return match.group(0) if href.startswith(_LOCAL_SCHEMES) else label

    html = _REMOTE_IMAGE.sub("", html)
    return _LINK.sub(keep_local, html)


_TAGS = set(nh3.ALLOWED_TAGS) - {"img", "picture", "source", "video", "audio", "iframe"}
_CLASSED = {"class"}
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}, "code": _CLASSED,
               "span": _CLASSED, "div": _CLASSED, "p": _CLASSED, "li": _CLASSED}


@lru_cache(maxsize=256)
def markdown_to_html(text: str) -> str:
    """Render Markdown with the `tables` and `sane_lists` extensions, offline-safe.

    Raw HTML in the Markdown is cleaned with nh3 as well: no images or media, no style or
    background attributes, and links only to the app's own `code:`/`lesson:` targets or
    anchors, however the HTML was quoted or cased.
    """
    from app.content.limits import MAX_RENDERED_CHARS, text_problems, too_large_html

    # Text over the limits would block the window while Qt lays it out (docs/data-safety.md).
    for _line, why in text_problems(text):
        return too_large_html(why)
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = _strip_remote(html)
    html = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes={"code", "lesson"}, link_rel=None)
    if len(html) > MAX_RENDERED_CHARS:
        return too_large_html(f"{len(html):,} characters once rendered; at most {MAX_RENDERED_CHARS:,}")
    return html


# A code written as `code` in a lesson becomes a link the lessons page follows into the code
# browser: ICD-10-CM (E11.22), HCPCS (J1885), CPT (99213, 0042T), ICD-10-PCS (0DTJ4ZZ), with any
# modifiers written after a dash (J0897-JZ) kept in the text but not in the link.
_CODE_IN_CODE_TAG = re.compile(
    r"<code>((?:[A-TV-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?|[A-V][0-9]{4}|[0-9]{4}[0-9FTU]|[0-9A-HJ-NP-Z]{7})"
    r"(?:-[A-Z0-9]{2})*)</code>"
)


def link_codes(html: str) -> str:
    """Wrap every `<code>CODE</code>` that has a code's shape in a `code:` link."""

    def link(match: re.Match[str]) -> str:
        text = match.group(1)
        return f'<a href="code:{text.split("-")[0]}"><code>{text}</code></a>'

    return _CODE_IN_CODE_TAG.sub(link, html)


_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&#?\w+;)")


def highlight_terms(html: str, terms: tuple[str, ...]) -> str:
    """Wrap each search word in `<span class="hit">` inside text, never inside a tag.

    Used by the lessons page after a search, so the learner sees why a lesson matched.
    """
    if not terms:
        return html
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    parts = _TAG_OR_ENTITY.split(html)
    marked = [part if part.startswith(("<", "&")) else pattern.sub(lambda m: f'<span class="hit">{m.group(0)}</span>', part)
              for part in parts]
    return "".join(marked)


# Readable in the light and the dark theme: text takes the palette's colour, tints are
# translucent, and the few coloured words are mid-tones that keep contrast on white and on
# the dark background.
LESSON_CSS = """
body { font-family: sans-serif; line-height: 1.45; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 1.1em; }
h3 { font-size: 1.1em; }
table { border-collapse: collapse; margin: 0.6em 0; }
th { background: rgba(90, 130, 180, 0.20); font-weight: 600; }
th, td { border: 1px solid #7f93a8; padding: 4px 8px; }
code { font-family: monospace; background: rgba(120, 140, 160, 0.18); }
blockquote { background: rgba(120, 140, 160, 0.12); margin: 0.5em 1em; padding: 0.3em 0.8em; }
.objectives { background: rgba(100, 160, 90, 0.14); border: 1px solid #7fa873; padding: 6px; }
.meta { color: #7b8794; }
.right { color: #2f9a4c; font-weight: 600; }
.wrong { color: #d0453b; font-weight: 600; }
.partial { color: #b07a00; font-weight: 600; }
.hit { background-color: #fff1a8; color: #000000; }
"""
