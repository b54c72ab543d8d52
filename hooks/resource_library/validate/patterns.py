"""What front matter and bodies are searched for: template syntax, script,
HTML and the template's placeholder (several rules share these)."""
from __future__ import annotations

import re

JINJA_RE = re.compile(r"\{\{|\{%|\{#")
SCRIPT_RE = re.compile(r"<\s*script\b", re.I)
# `[^<>]*` stops at the next `<`: each character is scanned from one `<`
# only, so a line of 150,000 `<` costs linear time, not quadratic.
HANDLER_RE = re.compile(r"<[a-zA-Z][^<>]*?[\s/\"'](on[a-z]+)\s*=", re.I)
JS_URL_RE = re.compile(r"javascript\s*:", re.I)
ELEMENT_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])")
# Anything a browser could read as the start of a tag or a comment.
TAG_RE = re.compile(r"<[a-zA-Z/!?]")
PLACEHOLDER = "TODO"


def _may_hold_js_url(text: str) -> bool:
    """False when JS_URL_RE cannot match `text`: with re.I it also takes ſ
    for s and ı or İ for i, so a match is "javascript" once those are made
    ASCII and the text lowercased. A substring test is far cheaper than a
    case-blind search."""
    return "javascript" in text.replace("\u017f", "s").replace("\u0131", "i").replace("\u0130", "i").lower()
