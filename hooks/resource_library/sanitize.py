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
from html import escape as html_escape, unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from . import links, rules
from .headings import ID_RE, RESERVED_ID_RE  # noqa: F401 (the ids content may have; headings makes them)

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
    "ul", "var",
}
# No `dir`: nested `dir="rtl"` and `dir="ltr"` spans draw `scot . gov . www`
# as `www . gov . scot` (twentieth round), so what is checked is not what is
# read. Text in Arabic or Hebrew still runs right to left without it.
ATTRIBUTES = {
    "*": {"id", "title", "lang"},
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
URL_SCHEMES = set(links.SAFE_SCHEMES)
TAG_NAME_RE = re.compile(r"<\s*([a-zA-Z][^\s/>]*)")
# Fenced code blocks name their language as a class: ```python -> language-python.
LANGUAGE_CLASS_RE = re.compile(r"\blanguage-[a-z0-9+#-]{1,30}\b")


def _attribute_filter(tag: str, attribute: str, value: str):
    if attribute == "id" and (RESERVED_ID_RE.search(value) or not ID_RE.match(value)):
        return None
    # An image from another site is a third-party request from every reader.
    if tag == "img" and attribute == "src" and links.is_external(value):
        return None
    # `//host/x` and `/\host/x` take the page's scheme: from the offline copy,
    # file://host/x, a Windows share that hands over the reader's login.
    if attribute == "href" and links.is_scheme_relative(value):
        return None
    return value


# The maintainers' macro pages in docs/ (extra.macro_pages) may also use the
# site's own classes on any element: the home page's macros emit the site's
# card markup (`lib-card`), and it shows a button. Not the theme's others:
# `md-consent__overlay` covered a page with a panel linking away. Editors'
# other pages have a resource's classes: the site's banner and button styles
# dressed a link away as the site's own sign-in. (nh3 takes classes as
# `allowed_classes` by element, never as an attribute too.)
EDITOR_CLASS_RE = re.compile(r"lib-[a-z0-9_-]+|md-button(?:--primary)?")
_CLASS_VALUE_RE = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)


def _classes(html: str, editor: bool = False) -> dict[str, set[str]]:
    # The substring test first: the regex alone costs as much as nh3's pass.
    classes = {**CLASSES, "code": set(LANGUAGE_CLASS_RE.findall(html)) if "language-" in html else set()}
    if editor and "class" in html:
        own = {c for m in _CLASS_VALUE_RE.finditer(html) for c in "".join(m.groups("")).split()
               if EDITOR_CLASS_RE.fullmatch(c)}
        if own:
            classes = {tag: classes.get(tag, set()) | own for tag in TAGS}
    return classes


def _strict(html: str, editor: bool = False, classes: dict[str, set[str]] | None = None) -> str:
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES,
                     attribute_filter=_attribute_filter, url_schemes=URL_SCHEMES,
                     allowed_classes=classes or _classes(html, editor),
                     filter_style_properties=STYLE_PROPERTIES, strip_comments=True, link_rel=None)


def _permissive(html: str) -> str:
    """The same parser and serializer, removing nothing but comments: what
    `_strict` returns when it had nothing to remove. Styles are rewritten
    as `_strict` rewrites them (`text-align: center;` becomes
    `text-align:center`), keeping every property named, so that an aligned
    table does not count as changed."""
    tags = {name.lower() for name in TAG_NAME_RE.findall(html)}
    if "table" in tags:
        # Elements the HTML parser puts in itself: a hand-written table's rows
        # get a <tbody>, which _strict keeps and this pass would have dropped,
        # so a plain table counted as changed (third fresh-clone attacker).
        tags |= {"tbody", "colgroup"} & set(TAGS)
    return nh3.clean(html, tags=tags, clean_content_tags=set(), generic_attribute_prefixes={""},
                     url_schemes={"https", "http", "mailto", "tel", "javascript", "data", "vbscript", "file", "ftp"},
                     # nh3 cannot rewrite styles with <style> allowed; `_strict`
                     # removes that element, so the page has changed anyway.
                     filter_style_properties=None if "style" in tags else _style_properties(html),
                     strip_comments=True, link_rel=None)


STYLE_ATTRIBUTE_RE = re.compile(r"""[\s/"']style\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
CSS_COMMENT_RE = re.compile(r"/\*.*?(?:\*/|$)", re.S)


def _style_properties(html: str) -> set[str] | None:
    """Every property named in the document's style attributes (None: no
    style attribute, nothing to rewrite). A name this misses is removed by
    both passes: a style dropped without a report, which is harmless."""
    if "style" not in html.lower():
        return None
    names = set(STYLE_PROPERTIES)
    for match in STYLE_ATTRIBUTE_RE.finditer(html):
        value = CSS_COMMENT_RE.sub("", unescape(next(g for g in match.groups() if g is not None)))
        names.update(declaration.partition(":")[0].strip().lower() for declaration in value.split(";"))
    return names


@dataclass
class Cleaned:
    html: str
    changed: bool  # the allow-list removed something


# The fast path: a scan of the HTML that proves `_strict` removed nothing,
# so the second, permissive pass of nh3 (half of sanitizing) is not needed.
# It reads tags as html5ever's tokenizer does, but accepts only the plain
# forms Python-Markdown writes: every `<` starts a tag with a lowercase name
# and attributes written name="value" after white space. Anything else (a
# comment, `<!`, `<?`, `<` in text, a single-quoted, unquoted or bare
# attribute, uppercase) sends the page to the full comparison, which stays
# the judge.
_TAG_RE = re.compile(r'<(/[a-z][a-z0-9]*+[ \t\n\f]*+'
                     r'|[a-z][a-z0-9]*+(?:[ \t\n\f]++[a-z]++="[^"<>]*+")*+[ \t\n\f]*+/?)>')
_NAME_RE = re.compile(r"/?[a-z][a-z0-9]*")
_ATTRIBUTE_RE = re.compile(r'(?<![ \t\n\f])[ \t\n\f]++([a-z]++)="([^"]*+)"')
# A URL with no character reference, white space, control character or
# backslash: what html5ever hands the URL parser is then the text itself.
_PLAIN_URL_RE = re.compile(r"[^\x00-\x20\x7f&\\]*")
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # as the WHATWG URL parser reads a scheme
MARKDOWN_ALIGN_RE = re.compile(r"text-align: (?:left|center|right);")
_CLASS_LIST_RE = re.compile(r"[a-z0-9+#-]+(?: [a-z0-9+#-]+)*")  # nh3 rejoins classes with one space
# End tags the parser turns into an element (</br> is <br>) or that close
# nothing: not written by Markdown, so left to the full comparison.
_VOID = {"br", "hr", "img", "col"}
# Per tag, the attributes `_strict` keeps whatever their value, and those
# whose value it reads: URLs (the attributes nh3 checks a scheme in), style
# (rewritten), and what `_attribute_filter` looks at (id, and src on <img>).
_URL_ATTRIBUTES = {"href", "src", "action", "data", "formaction", "ping", "poster"}
_CHECKED = _URL_ATTRIBUTES | {"id", "style"}
_ANY_VALUE = {tag: (ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())) - _CHECKED for tag in TAGS}


def _value_kept(tag: str, name: str, value: str) -> bool:
    """True when `_strict` keeps this attribute, one of _CHECKED, as written."""
    if name not in ATTRIBUTES["*"] and name not in ATTRIBUTES.get(tag, ()):
        return False
    if name == "style":
        # Both passes rewrite `text-align: center;` to `text-align:center`:
        # the form Python-Markdown's tables write is kept. Any other, doubt.
        return MARKDOWN_ALIGN_RE.fullmatch(value) is not None
    if name in _URL_ATTRIBUTES:
        if _PLAIN_URL_RE.fullmatch(value) is None:
            return False
        scheme = _SCHEME_RE.match(value)
        if scheme is not None and scheme.group()[:-1].lower() not in URL_SCHEMES:
            return False
    # The value as written is the value the filter sees: no `&`, and the
    # document has no CR or NUL (checked in _unchanged).
    if "&" in value:
        return False
    try:
        return _attribute_filter(tag, name, value) == value
    except ValueError:  # urlsplit refuses it; nh3 then drops the attribute
        return False


def _classes_kept(tag: str, value: str, classes: dict[str, set[str]]) -> bool:
    """True when `_strict` keeps a class attribute as written: nh3 keeps the
    allowed classes and joins them with one space."""
    allowed = classes.get(tag)
    return allowed is not None and _CLASS_LIST_RE.fullmatch(value) is not None and \
        all(c in allowed for c in value.split(" "))


def _unchanged(html: str, editor: bool, classes: dict[str, set[str]]) -> bool:
    """True only when `_strict(html)` is sure to equal `_permissive(html)`:
    every element the parser makes is allowed, with every attribute as
    written, and is one `_permissive` keeps too. False is doubt, not a
    verdict."""
    tags = _TAG_RE.findall(html)
    if len(tags) != html.count("<") or "\x00" in html or "\r" in html:
        return False  # a `<` that does not start a plain tag
    starts: set[str] = set()
    closes_p = False
    for tag in set(tags):  # each distinct tag once
        if tag in TAGS:
            starts.add(tag)
            continue
        name = _NAME_RE.match(tag).group()
        if name[0] == "/":
            if name[1:] not in TAGS or name[1:] in _VOID:
                return False
            closes_p = closes_p or name == "/p"
            continue
        if name not in TAGS:
            return False
        starts.add(name)
        attributes = _ATTRIBUTE_RE.findall(tag, len(name))
        if len(attributes) > 1 and len({a for a, _ in attributes}) < len(attributes):
            return False  # the parser keeps the first of two; not worth reading further
        any_value = _ANY_VALUE[name]
        for attribute, value in attributes:
            if attribute in any_value:
                continue
            if attribute == "class":
                if _classes_kept(name, value, classes):
                    continue
                return False
            if not _value_kept(name, attribute, value):
                return False
    # `_permissive` keeps the tags named in the document: here, as every `<`
    # starts a tag, exactly `starts`. The parser also makes elements of its
    # own: <tbody> around a table's rows, <tr> around its cells, <colgroup>
    # around <col>, <p> for a stray </p>. `_strict` keeps those, so
    # `_permissive` must have been told of them.
    if starts & {"tr", "td", "th"} and "tbody" not in starts:
        return False
    if starts & {"td", "th"} and "tr" not in starts:
        return False
    if "col" in starts and "colgroup" not in starts:
        return False
    return not closes_p or "p" in starts


def clean(html: str, editor: bool = False) -> Cleaned:
    classes = _classes(html, editor)
    safe = _strict(html, editor, classes)
    if _unchanged(html, editor, classes):
        return Cleaned(safe, _addresses_dropped(html, safe))
    return Cleaned(safe, safe != _permissive(html) or _addresses_dropped(html, safe))


URL_ATTRIBUTE_RE = re.compile(r"""[\s"'/](?:href|src)\s*=""", re.I)
# An HTML comment as a browser ends it: `<!-->` and `<!--->` are whole,
# and one ends at `-->` or `--!>`.
COMMENT_RE = re.compile(r"<!--(?:-?>|.*?(?:--!?>|$))", re.S)


def _addresses_dropped(html: str, safe: str) -> bool:
    """Whether the cleaner dropped an address that is no address (a space or
    a tab in its host: `<https://www.gov .scot/>`), as its permissive pass
    does too: the link was published with no href, and no word said
    (thirty-eighth round)."""
    if "href" not in html and "src" not in html:
        return False
    written = len(URL_ATTRIBUTE_RE.findall(COMMENT_RE.sub("", html) if "<!--" in html else html))
    return len(URL_ATTRIBUTE_RE.findall(safe)) < written


def _goes_nowhere(tag: str, name: str, value: str) -> bool:
    """Whether the cleaner drops this address as one no browser could go to."""
    kept = nh3.clean(f'<{tag} {name}="{html_escape(value)}">', tags={tag}, attributes={tag: {name}},
                     url_schemes=URL_SCHEMES, link_rel=None)
    return f"{name}=" not in kept


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
            if name == "class":
                extra = {c for c in value.split() if not (tag == "code" and LANGUAGE_CLASS_RE.fullmatch(c))
                         and not (self.editor and EDITOR_CLASS_RE.fullmatch(c))}
                extra -= CLASSES.get(tag, set())
                if extra:
                    self.removed.append((f"has the class `{' '.join(sorted(extra))}` on <{tag}>", sorted(extra)[0]))
            elif name not in allowed:
                self.removed.append((f"has the `{name}` attribute on <{tag}>", name))
            elif name in ("href", "src") and urlsplit(value.strip()).scheme.lower() not in URL_SCHEMES | {""}:
                self.removed.append((f"has a `{urlsplit(value.strip()).scheme}:` link on <{tag}>", value[:20]))
            elif name in ("href", "src") and _goes_nowhere(tag, name, value):
                self.removed.append((f"links to `{value[:60]}`, which is no address a browser can go to (a space or "
                                     "a character an address cannot hold)", value[:40]))
            elif _attribute_filter(tag, name, value) is None:
                why = ("loads an image from another website (a request readers did not agree to)" if name == "src"
                       else "links to an address with no scheme (`//host`), which the offline copy opens as a "
                            "Windows share" if name == "href"
                       else f"uses the id `{value}`, which the site keeps for its own use"
                       if RESERVED_ID_RE.search(value) or ID_RE.match(value)
                       else f"uses the id `{value}`, which is not one a page can have (an id starts with a letter)")
                self.removed.append((why, value[:40]))


def explain(html: str, editor: bool = False) -> list[tuple[str, str]]:
    """What the allow-list removes from `html`, each with a snippet to find
    it by in the Markdown source. Best effort, for messages only: `clean`
    alone decides what is published."""
    parser = _Explainer(editor)
    parser.feed(html)
    parser.close()
    return parser.removed or [("has markup the allow-list does not accept", "<")]


HEADING_RE = re.compile(r"<h[1-6]\b", re.I)


def heading_texts(html: str) -> dict[str, str]:
    """{heading id: its text} in cleaned HTML, without the permalink's ¶.

    The contents list beside a page is built by Python-Markdown's toc from
    the raw heading, with a regex that `<!--` in an attribute fools, and the
    theme prints it as HTML: its titles come from here instead."""
    if not HEADING_RE.search(html):
        return {}
    from selectolax.lexbor import LexborHTMLParser  # only for pages with headings
    texts = {}
    for heading in LexborHTMLParser(html).css("h1[id], h2[id], h3[id], h4[id], h5[id], h6[id]"):
        for permalink in heading.css("a.headerlink"):
            permalink.decompose()
        texts[heading.attributes.get("id") or ""] = " ".join(heading.text(deep=True).split())
    return texts


def plain_toc(items, texts: dict[str, str], escape) -> None:
    """Give each contents-list item (anything with .id, .title, .children)
    the plain text of its cleaned heading, escaped by `escape`; an item with
    no such heading keeps its title escaped, so it is shown as text."""
    for item in items:
        item.title = escape(texts.get(item.id, item.title))
        plain_toc(item.children, texts, escape)


LINK_TEXT_RE = re.compile(r"<a\b", re.I)
BLOCK_TAGS = frozenset({"p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption",
                        "summary", "blockquote", "div", "body"})
SHRINKING_RE = re.compile(r"<(?:small|sub|sup)\b", re.I)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def link_problems(html: str) -> list[tuple[str, dict, tuple[str, ...]]]:
    """(rule key, the message's values, texts to find it by in the source)
    for each link in cleaned HTML that misleads: its text or tooltip reads
    as an address it does not go to, or it wears the class of a heading's
    permalink (drawn unseen) away from a heading."""
    if not LINK_TEXT_RE.search(html) and "title=" not in html and not SHRINKING_RE.search(html) and "<h" not in html:
        return []
    from selectolax.lexbor import LexborHTMLParser  # only for pages with links
    found = []
    tree = LexborHTMLParser(html)
    # A tooltip on anything but a link itself (a <span> or a picture in a
    # link, a paragraph round one) is shown over the link: it may not read
    # as an address (sixteenth attacker).
    for element in tree.css("[title]"):
        if element.tag != "a" and (shown := links.shown_addresses(element.attributes.get("title") or "", numbers=True)):
            title = element.attributes.get("title") or ""
            found.append(("misleading-link/tooltip", {"shown": shown[0]}, (f'title="{title}', f"title='{title}", title)))
    # Text a reader cannot see (twenty-third round): shrunk twice over, or
    # folded away in a link.
    for element in tree.css(", ".join(f"{outer} {inner}" for outer in ("small", "sub", "sup")
                                      for inner in ("small", "sub", "sup"))):
        outers = [parent for parent in _ancestors(element) if parent.tag in ("small", "sub", "sup")]
        if len(outers) == 1:  # said once a nest
            found.append(("misleading-link/shrunk", {"tag": element.tag, "outer": outers[0].tag}, (f"<{element.tag}",)))
    for element in tree.css("a details"):
        found.append(("misleading-link/folded", {}, ("<details",)))
    # A heading is the text of its link in the contents list (twentieth round).
    for heading in tree.css("h1, h2, h3, h4, h5, h6"):
        text = "".join(text for text, _ in _segments(heading))
        if shown := links.strong_address(text) or links.strong_number(text):
            found.append((links.misleading_key("misleading-link/heading", shown), {"shown": shown},
                          (" ".join(text.split()),)))
    # Words that run across links, or from text into one, read as one.
    for block in tree.css("p, li, td, th, dt, dd, h1, h2, h3, h4, h5, h6, caption, figcaption, summary"):
        if block.css_first("a[href]") is None:
            continue
        for shown, target in links.misleading_runs(_segments(block)):
            found.append(("misleading-link", {"shown": shown, "target": target[:80]}, (shown, target)))
    for anchor in tree.css("a[href]"):
        href = anchor.attributes.get("href") or ""
        if "headerlink" in (anchor.attributes.get("class") or "").split():
            parent = anchor.parent
            if not href.startswith("#") or parent is None or parent.tag not in HEADING_TAGS:
                found.append(("misleading-link/permalink", {"target": href[:80]}, (href,)))
            continue
        if bad := links.address_problem(href):
            found.append((bad[0], {"target": href[:80], **bad[1]}, (href,)))
            continue
        # Its name, as a screen reader and the PDF give it: its text and the
        # alt text of any picture in it.
        name = " ".join([anchor.text(deep=True)] + [img.attributes.get("alt") or "" for img in anchor.css("img")])
        # Right-to-left beside a number turns its groups, in the link or out
        # of it (thirty-seventh round: a tel: link; thirty-eighth: a link
        # that dials nothing, whose number is drawn in the other order).
        if any(c.isdigit() for c in name) and not links.right_to_left(name):
            block = next((parent for parent in _ancestors(anchor) if parent.tag in BLOCK_TAGS), None)
            if block is not None and links.right_to_left(block.text(deep=True)):
                name += "\u200f"
        for key, text in (("misleading-link", name),
                          ("misleading-link/title", anchor.attributes.get("title") or "")):
            shown = links.misleading(text, href)
            if shown:
                # Found by the line that holds both the text and the target,
                # else the text (a reference's target is on another line),
                # else the target.
                written = " ".join(text.split())
                # (`[text]` first: a reference's text, whose target is on a line of its own; a
                # tooltip by its quotes, beside its target: twenty-seventh round.)
                needles = (f'"{written}"', href) if key == "misleading-link/title" else ("[" + written + "]", written, href)
                found.append((links.misleading_key(key, shown), {"shown": shown, "target": href[:80]}, needles))
                break
    return found


def _ancestors(element):
    parent = element.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _segments(block) -> list[tuple[str, str | None]]:
    """A block's visible text in order, each piece with the link it is in.
    A heading's own permalink (`¶`, shown on hover) is not part of it."""
    segments, stack = [], [(block, None)]
    while stack:
        node, href = stack.pop()
        if node.tag == "a" and "headerlink" in (node.attributes.get("class") or "").split():
            continue
        if node.tag == "-text":
            segments.append((node.text_content or "", href))
            continue
        if node.tag == "img":
            segments.append((node.attributes.get("alt") or "", href))
            continue
        if node.tag == "a":
            href = node.attributes.get("href") or href
        children, child = [], node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack += [(child, href) for child in reversed(children)]
    return segments


def removed_problems(html: str, shown_path: str, first_line: int, source: str, editor: bool = False) -> tuple[str, list]:
    """The page's HTML through the allow-list, and a problem for each thing
    removed, in the source file at the line where it is found: the build's
    and validate's one reading of a page (validate renders editors' pages
    to read them as the build does)."""
    cleaned = clean(html, editor)
    found = []
    lines = source.split("\n")
    if cleaned.changed:
        for what, needle in explain(html, editor):
            line, col = find_written(lines, (needle,))
            found.append(rules.problem("unsafe-html/page", shown_path, first_line + line, col + 1,
                                       lines[line] if line < len(lines) else "", what=what))
    for key, values, needles in link_problems(cleaned.html):
        line, col = find_written(lines, needles)
        found.append(rules.problem(key, shown_path, first_line + line, col + 1,
                                   lines[line] if line < len(lines) else "", **values))
    return cleaned.html, found


def find_written(lines: list[str], needles: tuple[str, ...]) -> tuple[int, int]:
    """The first line (0-based) holding all of `needles` (case aside), and
    the column of the last; else the last two; else the first holding the
    first, and so on."""
    folded = [text.lower() for text in lines]
    # And as read, tags dropped: `nhs<span>.</span>scot` is written, `nhs.scot` read.
    untagged = [links.EMPHASIS_RE.sub("", links.INLINE_TAG_RE.sub("", text) if "<" in text else text)
                for text in folded]
    # Character references read as what they stand for (thirty-first round:
    # `www&#46;nhs&#46;scot` was placed at the body's first line).
    # (A no-break space, written `&nbsp;`, reads as a space: forty-fifth round.)
    untagged = [unescape(text).replace("\xa0", " ") if "&" in text else text for text in untagged]
    wanted = [needle.lower().replace("\xa0", " ") for needle in needles if needle]
    # All of them, then the last two (a link's text and target), then each.
    groups = ([wanted] if len(wanted) > 1 else []) + ([wanted[1:]] if len(wanted) > 2 else [])
    # And with links' own markup dropped, as their text runs on into what is
    # around them (thirty-seventh round: `**[gov](https://e1.example/)**.scot`
    # was placed at another line holding `gov.scot`).
    unlinked = [LINK_MARKUP_RE.sub("", text) if "](" in text else text for text in untagged]
    for group in groups + [[needle] for needle in wanted]:
        for number, (text, read, bare) in enumerate(zip(folded, untagged, unlinked)):
            if all(needle in text for needle in group):
                return number, _last_in_order(text, group)
            if all(needle in read for needle in group):
                return number, 0
            if len(group) > 1 and all(needle in text or needle in bare for needle in group):
                return number, text.find(group[-1]) if group[-1] in text else 0
    return 0, 0


def _last_in_order(text: str, needles: list[str]) -> int:
    """Where the last needle is, read after the ones before it: the link
    whose text holds them, not the first link to the same address
    (forty-fourth round: `| [NHS 24](tel:111) | [Call 0800 22 44 88](tel:111) |`
    was placed at the honest first link)."""
    at = 0
    for needle in needles:
        found = text.find(needle, at)
        at = found if found != -1 else text.find(needle)
    return at


LINK_MARKUP_RE = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|\[")
