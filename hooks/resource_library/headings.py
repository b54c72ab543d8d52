"""Headings' ids: the one function that makes them, for the build's toc
extension (set by the hook in on_config) and for validate's anchor checks,
so that a link to `#part` is judged by the ids the page will have.

Python-Markdown's own slugify makes ids the sanitiser refuses: `## 2026
plans` gives `2026-plans` (an id starts with a letter), `## md-sidebar`
gives one the theme keeps, and a long heading one longer than ID_RE takes.
`slugify` starts from the same slug, so ordinary headings keep the ids
they always had, and mends only those.
"""
from __future__ import annotations

import functools
import html
import re

from markdown.extensions.toc import slugify as markdown_slugify, strip_tags, unique

# Ids the theme and the site's own templates use: content that took one
# could hijack them (Material reads its configuration from #__config). The
# site's own ids all start `lib--`, which Markdown's heading ids never do (its
# slugs never hold two hyphens together): a heading cannot take one. The
# sanitiser refuses any other id in content by these two.
RESERVED_ID_RE = re.compile(r"^(__|md-|lib--|finder-)")
ID_RE = re.compile(r"^[A-Za-z][\w-]{0,80}$")

# What `slugify` puts before an id that does not start with a letter, or
# starts like an id the site keeps for itself: `## 2026 plans` is `#h-2026-plans`.
PREFIX = "h-"
# Room is left under ID_RE's 81 characters for toc's `_12` of a repeated heading.
MAX_ID = 64
EMPTY = "section"  # a heading with no letter or digit toc can keep (`## ???`, `## 日本`)


def slugify(value: str, separator: str = "-") -> str:
    """toc's slug for a heading's text, made an id the sanitiser keeps."""
    slug = markdown_slugify(value, separator)
    if len(slug) > MAX_ID:
        cut = slug.rfind(separator, 0, MAX_ID + 1)
        slug = slug[:cut if cut > MAX_ID // 2 else MAX_ID].rstrip(separator + "_")
    if not slug:
        return EMPTY
    if not slug[0].isascii() or not slug[0].isalpha() or RESERVED_ID_RE.search(slug) or slug.startswith("lib-"):
        slug = PREFIX + slug
    return slug if ID_RE.match(slug) else EMPTY


# A heading as Python-Markdown reads one (blockparser's HashHeaderProcessor):
# `#` at the start of a line, with or without a space, trailing `#` dropped.
# Inside a quote (`> ## x`) too. Headings inside list items are left out: a
# link to one is refused by validate, never passed and then refused by the build.
# Written so that no `#` is read twice (the lazy `(.*?)#*$` read a run of
# 20,000 `#` again from each of its places: 1.4 s a line; eighth attacker).
ATX_RE = re.compile(r"^(?:>[ ]?)*+(#{1,6})((?:\\.|[^\\#]|#++(?!$))*+)#*+$")
SETEXT_RE = re.compile(r"^(?:=+|-+)[ ]*$")
# Characters after which a heading's text is not its plain text: inline
# Markdown, HTML, entities, escapes, an attribute list. Such headings are
# rendered (`_rendered`); any other is slugified as it stands.
MARKUP = frozenset("<&`*_[]\\{}!")
# An id in an attribute list on a line of its own, which gives it to the
# block above (`{: #part }`): toc counts every id the page holds before it
# numbers repeated headings.
ATTR_ID_RE = re.compile(r"^[ \t]*+\{:?[ \t]*+(?:[^}\n]*?[ \t])?#([\w-]++)[^}\n]*+\}[ \t]*+$")
RENDERED_RE = re.compile(r"<h[1-6](?: id=\"([^\"]*)\")?[^>]*>(.*)</h[1-6]>", re.S)


# The extensions the build renders a body with (MkDocs' own toc, tables and
# fenced_code, and mkdocs.yml's): tests/test_checks_fast.py holds the two together.
EXTENSIONS = ("toc", "tables", "fenced_code", "attr_list", "admonition")
# A line that may open a raw HTML block, which Python-Markdown passes on as
# written to its closing tag: a `## x` inside is no heading. A body with one,
# or with a fence, is rendered whole to find its headings.
HTML_BLOCK_RE = re.compile(r"^ {0,3}<[A-Za-z!?/]")
BUILT_HEADING_RE = re.compile(r"<h[1-6] [^>]*?\bid=\"([^\"]*)\"")


@functools.cache
def _markdown():
    import markdown
    return markdown.Markdown(extensions=["attr_list"])


def _built(body: str) -> list[str]:
    """The ids of a body's headings, from the body rendered as the build renders it."""
    import markdown
    md = markdown.Markdown(extensions=list(EXTENSIONS), extension_configs={"toc": {"slugify": slugify}})
    return [html.unescape(found) for found in BUILT_HEADING_RE.findall(md.convert(body))]


@functools.lru_cache(maxsize=4096)
def _rendered(level: str, text: str) -> tuple[str | None, str]:
    """(the id an attribute list gives, or None; toc's slug) for one heading
    holding markup, rendered by Python-Markdown as the build renders it."""
    md = _markdown()
    md.reset()
    match = RENDERED_RE.search(md.convert(f"{level} {text}"))
    if match is None:
        return None, slugify(text)
    if match.group(1) is not None:
        return html.unescape(match.group(1)), ""
    # As toc does: the heading's inner HTML, tags stripped, entities read.
    return None, slugify(html.unescape(strip_tags(match.group(2))))


def _headings(raw: list[str], lines: list[str]):
    """(level marks, text, line number) of each heading, in order. `lines` has code
    blanked (links.blank_code), so that a `#` in code is no heading; the
    text is read from `raw`, the same line as written (a code span in a
    heading is part of its id)."""
    previous = ""
    for number, (line, written) in enumerate(zip(lines, raw), start=1):
        first = line[:1]
        if first == "#" or first == ">":
            match = ATX_RE.match(written) if ATX_RE.match(line) else None
            if match:
                yield match.group(1), match.group(2).strip(), number
                previous = ""
                continue
        elif (first == "=" or first == "-") and previous.strip() and SETEXT_RE.match(line) \
                and not previous.startswith((" ", "\t", ">", "-", "*", "+", "|", "<")) and not previous[:1].isdigit():
            yield ("#" if first == "=" else "##"), previous.strip(), number - 1
            previous = ""
            continue
        previous = written if line.strip() else ""


# What a heading's text is shown as in the contents list: its markup dropped.
# A tag is read as a browser reads it, quoted attribute values and all
# (`<b title="<!--" lang='-->...'>notes</b>` shows `notes`).
SHOWN_MARKUP_RE = re.compile(r"""\s*\{[^{}]*\}\s*$|<[a-zA-Z/!?][^<>"']*(?:(?:"[^"]*"|'[^']*')[^<>"']*)*>|\]\([^()]*\)|[\[\]`]""")


def shown_texts(body: str, lines: list[str]):
    """(line number, text as the contents list shows it) of each heading."""
    for _, text, number in _headings(body.split("\n"), lines):
        yield number, SHOWN_MARKUP_RE.sub("", text)


def ids(body: str, lines: list[str], checked: bool = False) -> list[str]:
    """The ids of a body's headings, in order, as the build gives them:
    each heading's own id, or toc's slug made unique (`part`, `part_1`)
    among every id the page holds. `checked`: the body is within the
    converter's budgets (validate/body.py), and one with raw HTML blocks is
    rendered to find out; otherwise their headings are read as headings."""
    raw = body.split("\n")
    # Read as written: what looks like code to blank_code may be HTML to
    # Python-Markdown, and its fences are not quite Python-Markdown's.
    if checked and ("```" in body or "~~~" in body
                    or any(line[:4].lstrip(" ")[:1] == "<" and HTML_BLOCK_RE.match(line) for line in raw)):
        return _built(body)
    texts = []
    for level, text, _ in _headings(raw, lines):
        if MARKUP.isdisjoint(text):
            texts.append((None, slugify(text)))
        else:
            texts.append(_rendered(level, text))
    used = {match.group(1) for line in lines if "{" in line and (match := ATTR_ID_RE.search(line))}
    used |= {custom for custom, _ in texts if custom is not None}
    counters: dict[str, int] = {}
    return [custom if custom is not None else unique(slug, used, counters) for custom, slug in texts]
