"""The HTML a contributor's Markdown renders to, cleaned by allow-list.

This is the guarantee that content cannot run script: whatever the
validator's friendlier checks miss (Python-Markdown decides what is code,
not a regex), nh3 (the binding of Rust's ammonia) keeps only the elements,
attributes, classes and URL schemes an article needs.

A build must not quietly publish something other than what was written, so
`clean` also says whether anything was removed, and `explain` names what,
for the contributor's error message.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
    "ul", "var",
}
ATTRIBUTES = {
    "*": {"id", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "ol": {"start", "reversed"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "details": {"open"},
}
# Python-Markdown's tables extension aligns columns with style="text-align".
STYLE_PROPERTIES = {"text-align"}
# Admonitions (`!!! note`) and heading permalinks are the only classes
# Markdown makes; any other class could dress content up as the site's own
# banners and buttons.
ADMONITIONS = {"admonition", "note", "abstract", "info", "tip", "success", "question", "warning", "failure",
               "danger", "bug", "example", "quote"}
CLASSES = {"div": ADMONITIONS, "p": {"admonition-title"}, "a": {"headerlink"}}
URL_SCHEMES = {"https", "http", "mailto", "tel"}
# Ids the theme and the site's own templates use: content that took one
# could hijack them (Material reads its configuration from #__config). The
# site's own section ids start `lib--`, which Markdown's heading ids never do.
RESERVED_ID_RE = re.compile(r"^(__|md-|lib--|finder-)")
ID_RE = re.compile(r"^[A-Za-z][\w-]{0,80}$")
TAG_NAME_RE = re.compile(r"<\s*([a-zA-Z][^\s/>]*)")
# Fenced code blocks name their language as a class: ```python -> language-python.
LANGUAGE_CLASS_RE = re.compile(r"\blanguage-[a-z0-9+#-]{1,30}\b")


def _is_external(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.scheme or parts.netloc)


def _attribute_filter(tag: str, attribute: str, value: str):
    if attribute == "id" and (RESERVED_ID_RE.search(value) or not ID_RE.match(value)):
        return None
    # An image from another site is a third-party request from every reader.
    if tag == "img" and attribute == "src" and _is_external(value):
        return None
    return value


# Editors' pages in docs/ (reviewed by maintainers) may also use any class:
# the home page's macros emit the site's own card markup.
EDITOR_ATTRIBUTES = {**ATTRIBUTES, "*": ATTRIBUTES["*"] | {"class"}}


def _classes(html: str) -> dict[str, set[str]]:
    return {**CLASSES, "code": set(LANGUAGE_CLASS_RE.findall(html))}


def _strict(html: str, editor: bool = False) -> str:
    return nh3.clean(html, tags=TAGS, attributes=EDITOR_ATTRIBUTES if editor else ATTRIBUTES,
                     attribute_filter=_attribute_filter, url_schemes=URL_SCHEMES,
                     allowed_classes=None if editor else _classes(html), filter_style_properties=STYLE_PROPERTIES,
                     strip_comments=True, link_rel=None)


def _permissive(html: str) -> str:
    """The same parser and serializer, removing nothing but comments: what
    `_strict` returns when it had nothing to remove."""
    tags = {name.lower() for name in TAG_NAME_RE.findall(html)}
    return nh3.clean(html, tags=tags, clean_content_tags=set(), generic_attribute_prefixes={""},
                     url_schemes={"https", "http", "mailto", "tel", "javascript", "data", "vbscript", "file", "ftp"},
                     strip_comments=True, link_rel=None)


@dataclass
class Cleaned:
    html: str
    changed: bool  # the allow-list removed something


def clean(html: str, editor: bool = False) -> Cleaned:
    safe = _strict(html, editor)
    return Cleaned(safe, safe != _permissive(html))


class _Explainer(HTMLParser):
    def __init__(self, editor: bool):
        super().__init__(convert_charrefs=True)
        self.editor = editor
        self.removed: list[tuple[str, str]] = []  # (what, text to find it by in the source)

    def handle_starttag(self, tag, attrs):
        if tag not in TAGS:
            self.removed.append((f"has the <{tag}> element", f"<{tag}"))
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            value = value or ""
            if name == "class" and self.editor:
                continue
            if name == "class":
                extra = {c for c in value.split() if not (tag == "code" and LANGUAGE_CLASS_RE.fullmatch(c))}
                extra -= CLASSES.get(tag, set())
                if extra:
                    self.removed.append((f"has the class `{' '.join(sorted(extra))}` on <{tag}>", sorted(extra)[0]))
            elif name not in allowed:
                self.removed.append((f"has the `{name}` attribute on <{tag}>", name))
            elif name in ("href", "src") and urlsplit(value.strip()).scheme.lower() not in URL_SCHEMES | {""}:
                self.removed.append((f"has a `{urlsplit(value.strip()).scheme}:` link on <{tag}>", value[:20]))
            elif _attribute_filter(tag, name, value) is None:
                why = ("loads an image from another website (a request readers did not agree to)" if name == "src"
                       else f"uses the id `{value}`, which the site keeps for its own use")
                self.removed.append((why, value[:40]))


def explain(html: str, editor: bool = False) -> list[tuple[str, str]]:
    """What the allow-list removes from `html`, each with a snippet to find
    it by in the Markdown source. Best effort, for messages only: `clean`
    alone decides what is published."""
    parser = _Explainer(editor)
    parser.feed(html)
    parser.close()
    return parser.removed or [("has markup the allow-list does not accept", "<")]
