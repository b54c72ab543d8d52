"""Briefings as accessible PDFs (PDF/UA-1), from the same cleaned HTML as
their web pages, with Typst.

Content is data here too. The cleaned HTML is turned into a tree of plain
values (`blocks`), written as data.json beside a fixed template
(templates/briefing.typ) that walks it: every piece of a contributor's
text reaches Typst as a string value, never as markup or code, so nothing
a contributor writes can call a Typst function. Typst's root is a folder
of the build's own holding only the template, data.json, the logo and the
images of the briefing being made: it reads nothing else and fetches
nothing.

Each PDF is checked by page-validation (PDF/UA-1) and by a reading of its
structure of our own (pikepdf), in every build; a PDF is made again only when
what it shows changes (a cache keyed by its data, images and template).
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import re
import shutil
import tempfile
import unicodedata
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, time, timezone
from pathlib import Path
from html import unescape
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from .dates import long_date
from .files import href as path_href
from .urls import hosted

TEMPLATE = Path(__file__).resolve().parent / "templates" / "briefing.typ"
TYPES = ("at-a-glance", "deeper-dives")  # what a planner attaches to a board paper
TYPE_NAMES = {"at-a-glance": "At a Glance", "deeper-dives": "Deeper Dive"}
TEAM = "Strategic Planning for Redesign team, Healthcare Improvement Scotland"
CONTACT = "his.strategicplanning@nhs.scot"
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
MISSING_GLYPH_RE = re.compile(r'the text `"(.*?)"` could not be displayed', re.S)
TYPST_ESCAPE_RE = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}|\\(.)", re.S)
MAX_GLYPH_RETRIES = 20
# Emoji and pictographs (and the joiners and selectors that build them):
# no font the PDF embeds has them, so each is named ("[grinning face]").
PICTOGRAPH_RE = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]")


def _named_char(char: str) -> str:
    if char in "\uFE0F\u200D":
        return ""  # a joiner or a variation selector: part of the emoji before it
    return f"[{unicodedata.name(char, f'U+{ord(char):04X}').lower()}]"


def _script(char: str) -> str:
    """A character's script, as the first two words of its Unicode name
    ("CJK UNIFIED", "HANGUL SYLLABLE"); its code point if it has no name."""
    return " ".join(unicodedata.name(char, f"U+{ord(char):04X}").split()[:2])


def ascii_address(url: str) -> str:
    """A link as a PDF holds it: a URI is ASCII (ISO 32000), so the host is
    written in IDNA (`www.xn--bcher-kva.de`, which also shows a look-alike
    host for what it is in the notes) and the rest percent-encoded. Typst
    wrote `bücher` as raw UTF-8, which readers take as Latin-1 (twelfth
    session's attacker: the build's own check then refused the link)."""
    if url.isascii():
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.hostname and not parts.hostname.isascii():
        try:
            host = parts.hostname.encode("idna").decode("ascii")
        except UnicodeError:
            host = quote(parts.hostname, safe="")
        userinfo, _, hostport = netloc.rpartition("@")
        port = hostport[hostport.rfind(":"):] if ":" in hostport.lstrip("[").split("]")[-1] else ""
        netloc = (quote(userinfo, safe=":%") + "@" if userinfo else "") + host + port
    safe = "/:@!$&'()*+,;=%~-._?#[]"
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe=safe), quote(parts.query, safe=safe),
                       quote(parts.fragment, safe=safe)))


# This module's own text, in the cache's key: a PDF made by an older
# converter (another way of naming characters, say) is made again.
CONVERTER = hashlib.sha256(Path(__file__).read_bytes()).digest()
# Runs of characters named in one briefing; later runs are "[?]". Named one
# by one, 255,000 Arabic letters became 20 MB of text for Typst (47 s and
# 8.4 GB of memory, a 4,133-page PDF): a run of one script is now named once,
# and what the PDF is given stays within a few bytes of what was written.
MAX_NAMED_RUNS = 200
JOINERS = "\uFE0F\u200D"
KEYCAP_RE = re.compile("([0-9#*])\uFE0F?\u20E3")


def name_missing(text: str, missing: set[str]) -> str:
    """`text` with each run of characters the PDF's fonts lack (pictographs,
    and `missing`) named: one character, or up to three pictographs, by
    their Unicode names ("[grinning face]"); a longer run by its script
    ("[Arabic text]")."""
    # A keycap (`1️⃣`, a digit, `#` or `*` in a box) is its character: no font
    # of ours draws the box, and Typst then named the digit as missing
    # (thirty-eighth round: an honest `1️⃣ First step` stopped the build).
    text = KEYCAP_RE.sub(r"\1", text) if "\u20e3" in text else text
    escaped = "".join(re.escape(c) for c in sorted(missing))
    runs = re.compile(f"(?:{PICTOGRAPH_RE.pattern}" + (f"|[{escaped}]" if escaped else "") + ")+")
    count = 0

    def named(match: re.Match) -> str:
        nonlocal count
        shown = [c for c in match.group(0) if c not in JOINERS and unicodedata.category(c) != "Cf"]
        if not shown:
            return ""
        count += 1
        if count > MAX_NAMED_RUNS:
            return "[?]"
        if len(shown) == 1 or len(shown) <= 3 and all(PICTOGRAPH_RE.match(c) for c in shown):
            return "".join(map(_named_char, shown))
        if PICTOGRAPH_RE.match(shown[0]):
            return "[symbols]"
        word = unicodedata.name(shown[0], "").split(" ")[0]
        return f"[{word if len(word) <= 3 else word.capitalize()} text]" if word else "[text]"
    return runs.sub(named, text)
IMG_SRC_RE = re.compile(r'<img\b[^>]*?\ssrc="([^"]*)"', re.I)  # in nh3's output, attributes are double-quoted


class PdfError(Exception):
    """A briefing that cannot be made into a PDF: the message names why, and
    `needle` is text that finds the line in the body where it can."""

    def __init__(self, message: str, needle: str = ""):
        super().__init__(message)
        self.needle = needle


def wanted(resource, include_drafts: bool = False) -> bool:
    """Whether a resource gets a PDF: every published (or withdrawn) At a
    Glance and Deeper Dive; drafts only in a preview."""
    return resource.type in TYPES and (resource.status in ("current", "withdrawn")
                                       or (include_drafts and resource.status == "draft"))


def pdf_path(resource) -> str:
    """Where in the site a resource's PDF is: beside its page's folder."""
    return f"{resource.type}/{resource.slug}/{resource.slug}.pdf"


# --- The cleaned HTML as a tree of plain values --------------------------------

INLINE_STYLES = {"strong": "strong", "b": "strong", "em": "emph", "i": "emph", "cite": "emph", "dfn": "emph",
                 "var": "emph", "del": "strike", "s": "strike", "u": "underline", "ins": "underline",
                 "mark": "highlight", "sub": "sub", "sup": "super", "small": "small"}
TRANSPARENT_INLINE = {"span", "abbr", "time", "q", "summary"}
TABLE_PARTS = {"thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col", "figcaption"}
CODE_INLINE = {"code", "kbd", "samp"}
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table", "blockquote", "pre", "hr", "div", "dl",
          "details", "figure"}


def _even_levels(blocks: list[dict]) -> list[dict]:
    """Headings that skip a level (`##` then `####`, or a body that starts
    at `###`) one level below the heading before, in document order: a
    tagged PDF may not skip one, and authors often do (forty-fifth round:
    such honest briefings stopped the build). The web page keeps them."""
    last = [1]  # the title

    def walk(value):
        if isinstance(value, dict):
            if value.get("t") == "h":
                value["level"] = min(value["level"], last[0] + 1)
                last[0] = value["level"]
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(blocks)
    return blocks


class Converter:
    """Turns one page's cleaned HTML into data for the template. Links
    become absolute addresses of the live site (a PDF is read from an email
    attachment), numbered as notes for paper."""

    def __init__(self, page_url: str, image_file, hosted=lambda address: address):
        self.page_url = page_url  # as this build writes it: relative links resolve against it
        self.hosted = hosted      # an address of this build -> the live site's
        self.image_file = image_file  # address in the page -> (source Path) or None
        self.notes: list[str] = []
        self.images: list[tuple[str, Path]] = []  # (name in the Typst root, source file)
        self.pixels = 0  # of the distinct images, as their files declare them

    def blocks(self, html: str) -> list[dict]:
        from selectolax.lexbor import LexborHTMLParser
        body = LexborHTMLParser(f"<body>{html}</body>").body
        if body is not None:
            _flatten_inline(body)
        if body is not None and _depth(body) > MAX_NESTING:
            raise PdfError(f"the body nests elements more than {MAX_NESTING} deep (lists in lists, or HTML "
                           "blocks in blocks); a briefing needs a few levels at most")
        return _even_levels(self._blocks(body)) if body is not None else []

    def _blocks(self, parent, skip=lambda node: False) -> list[dict]:
        out: list[dict] = []
        loose: list = []  # inline content directly in a block container

        def flush():
            inlines = self._inlines_of(loose)
            if _has_text(inlines):
                out.append({"t": "p", "c": inlines})
            loose.clear()

        for node in _children(parent):
            if skip(node):
                continue
            tag = node.tag
            if tag in BLOCKS or tag == "img":
                flush()
                out += self._block(node)
            elif tag in ("li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "col",
                         "colgroup", "figcaption"):
                flush()
                out += self._blocks(node)
            else:
                loose.append(node)
        flush()
        return out

    def _block(self, node) -> list[dict]:
        tag = node.tag
        if tag == "p":
            images = [child for child in _children(node) if child.tag == "img"]
            if images and not (node.text(deep=True) or "").strip():
                return [self._image(image) for image in images]
            inlines = self._inlines(node)
            return [{"t": "p", "c": inlines}] if _has_text(inlines) else []
        if tag[0] == "h" and tag[1:].isdigit():
            return [{"t": "h", "level": max(2, min(int(tag[1:]), 5)), "c": self._inlines(node)}]
        if tag in ("ul", "ol"):
            items = [self._blocks(li) for li in _children(node) if li.tag == "li"]
            start = node.attributes.get("start") or ""
            # Typst's integers are 64-bit (a longer number reached it as a
            # float, and it refused); validate refuses longer starts.
            start = int(start) if start.isascii() and start.isdigit() and len(start) <= MAX_START_DIGITS else 1
            return [{"t": tag, "items": items, "start": start}]
        if tag == "dl":
            items = []
            for child in _children(node):
                if child.tag == "dt":
                    items.append({"term": self._inlines(child), "c": []})
                elif child.tag == "dd" and items:
                    items[-1]["c"] += self._blocks(child)
            return [{"t": "dl", "items": items}]
        if tag == "table":
            return [self._table(node)]
        if tag == "blockquote":
            return [{"t": "quote", "c": self._blocks(node)}]
        if tag == "pre":
            return [{"t": "pre", "v": node.text(deep=True) or ""}]
        if tag == "hr":
            return [{"t": "hr"}]
        if tag == "img":
            return [self._image(node)]
        if tag == "div" and "admonition" in (node.attributes.get("class") or "").split():
            kinds = [c for c in (node.attributes.get("class") or "").split() if c != "admonition"]
            def is_title(child) -> bool:
                return child.tag == "p" and "admonition-title" in (child.attributes.get("class") or "")

            title = next((self._inlines(child) for child in _children(node) if is_title(child)), [])
            # Its text and links loose in it too, as in a page (forty-fifth round:
            # the sentence round a link in a `<details>` was left out of the PDF).
            body = self._blocks(node, skip=is_title)
            return [{"t": "note", "kind": kinds[0] if kinds else "note", "title": title, "c": body}]
        if tag == "details":
            summary = next((c for c in _children(node) if c.tag == "summary"), None)
            out = [{"t": "p", "c": [{"t": "strong", "c": self._inlines(summary)}]}] if summary is not None else []
            return out + self._blocks(node, skip=lambda child: child.tag == "summary")
        # div, figure: their content, as blocks
        return self._blocks(node)

    def _table(self, node) -> dict:
        header, rows = [], []
        # Its own rows only: a table in a cell is that cell's text. Every row
        # of every table inside once went to the outermost, and each cell
        # took its nested tables' text along: 14 tables deep, one text came
        # out 14 times (32 s, 3.5 GB and 1,413 pages; fifteenth attacker).
        for row in _own_rows(node):
            cells = []
            for cell in _children(row):
                if cell.tag not in ("td", "th"):
                    continue
                style = cell.attributes.get("style") or ""
                align = re.search(r"text-align:\s*(left|right|center)", style)
                cells.append({"c": self._inlines(cell), "colspan": _span(cell, "colspan"),
                              "rowspan": _span(cell, "rowspan"), "align": align.group(1) if align else "left"})
            in_head = row.parent is not None and row.parent.tag == "thead"
            if in_head or (not rows and not header and cells and all(c.tag == "th" for c in _children(row)
                                                                     if c.tag in ("td", "th"))):
                header.append(cells)
            else:
                rows.append(cells)
        columns = max([sum(c["colspan"] for c in r) for r in header + rows] or [1])
        grid_rows = max([len(header + rows)] + [n + c["rowspan"] for n, r in enumerate(header + rows) for c in r])
        if columns > MAX_TABLE_COLUMNS or columns * grid_rows > MAX_TABLE_CELLS:
            # Typst allocates the whole grid (560 cells of colspan and rowspan
            # 99 took 1.4 GB), and page-validation checks at most 1,024
            # columns. Validate refuses such a table first (validate/body.py).
            raise PdfError(f"a table's grid is {columns:,} columns by {grid_rows:,} rows; the limit is "
                           f"{MAX_TABLE_COLUMNS} columns and {MAX_TABLE_CELLS:,} cells: split the table")
        caption = next((child for child in _children(node) if child.tag == "caption"), None)
        return {"t": "table", "columns": columns, "header": header, "rows": rows,
                "caption": self._inlines(caption) if caption is not None else []}

    def _image(self, node) -> dict:
        alt = (node.attributes.get("alt") or "").strip()
        src = node.attributes.get("src") or ""
        if not alt:
            raise PdfError(f"the image `{src}` has no alt text; a PDF must say what each image shows",
                           posixpath.basename(src))
        source = self.image_file(src)
        if source is None or Path(source).suffix.lower() not in IMAGE_TYPES:
            raise PdfError(f"the image `{src}` is not a file of this site in a format a PDF can hold "
                           f"({', '.join(sorted(IMAGE_TYPES))})", posixpath.basename(src))
        from .files import content_problem as file_refused  # (a name the rule-id scan does not read as a problem)
        refused = not _is_svg(Path(source)) if Path(source).suffix.lower() == ".svg" else file_refused(source)
        if refused:
            # Not the image its name says, or too big to open (refused by the
            # checks before this): the PDF says what it showed.
            placeholder = [{"t": "text", "v": f"[Image: {alt}]"}]
            return {"t": "p", "c": [{"t": "emph", "c": placeholder}]}
        if Path(source) not in {path for _, path in self.images}:
            from .files import declared_pixels
            self.pixels += declared_pixels(source)
            if self.pixels > MAX_IMAGE_PIXELS_IN_ALL:
                raise PdfError(f"its images have more than {MAX_IMAGE_PIXELS_IN_ALL:,} pixels between them, more "
                               "than a PDF is made with: show fewer, or save them smaller")
        name = f"image-{len(self.images) + 1}{Path(source).suffix.lower()}"
        self.images.append((name, Path(source)))
        return {"t": "img", "src": name, "alt": alt}

    def _inlines(self, node) -> list[dict]:
        return self._inlines_of(list(node.iter(include_text=True))) if node is not None else []

    def _inlines_of(self, nodes) -> list[dict]:
        out: list[dict] = []
        for node in nodes:
            tag = node.tag
            if tag == "-text":
                text = node.text_content or ""
                if text:
                    out.append({"t": "text", "v": re.sub(r"\s+", " ", text)})
            elif tag == "a":
                if "headerlink" in (node.attributes.get("class") or "").split():
                    continue  # the ¶ after a heading
                out += self._link(node)
            elif tag in INLINE_STYLES:
                out.append({"t": INLINE_STYLES[tag], "c": self._inlines(node)})
            elif tag in CODE_INLINE:
                out.append({"t": "code", "v": node.text(deep=True) or ""})
            elif tag == "br":
                out.append({"t": "br"})
            elif tag in TRANSPARENT_INLINE:
                out += self._inlines(node)
            elif tag == "img":
                out.append({"t": "text", "v": f"[{(node.attributes.get('alt') or 'image').strip()}]"})
            elif tag in ("-comment",):
                continue
            elif tag in BLOCKS or tag in ("li", "dt", "dd"):
                out += self._inlines(node)  # block content where only text fits (a table cell's list)
            elif tag in TABLE_PARTS:
                # A table in a table's cell (the allow-list keeps it): its
                # text, a space between cells; `<col>` holds none.
                out += self._inlines(node) + [{"t": "text", "v": " "}]
            else:
                raise PdfError(f"the page's HTML has a `<{tag}>`, which the PDF converter does not know")
        return out

    def _link(self, node) -> list[dict]:
        href = node.attributes.get("href") or ""
        content = self._inlines(node)
        if not href:
            return content
        address = ascii_address(self.hosted(urljoin(self.page_url, href)))
        if href.startswith("#"):
            return content  # within the page: the PDF has the same headings
        if address not in self.notes:
            self.notes.append(address)
        return [{"t": "link", "href": address, "note": self.notes.index(address) + 1, "c": content}]


def _children(node):
    child = node.child
    while child is not None:
        if child.tag != "-comment" and not (child.tag == "-text" and not (child.text_content or "").strip()
                                            and node.tag not in ("p", "li", "td", "th", "dd", "dt")):
            yield child
        child = child.next


def _is_svg(path: Path) -> bool:
    """Whether an .svg file starts as SVG or XML (files.content_problem
    checks every other image type by its first bytes)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    return b"<svg" in head or head.lstrip().startswith(b"<?xml")


MAX_NESTING = 60  # elements within elements: the converter and Typst recurse once a level


# Styles within styles, past this many, are their text: `*a _a *a ...*`
# 70 deep is Markdown's own nesting, which validate cannot count without
# converting, and the PDF refused it (eighteenth attacker). Emphasis in
# emphasis means nothing past a level or two.
MAX_INLINE_NESTING = 8


def _flatten_inline(root) -> None:
    """Unwrap every inline style or span inside MAX_INLINE_NESTING others,
    keeping its text, without recursion."""
    deep, stack = [], [(root, 0)]
    while stack:
        node, inline = stack.pop()
        child = node.child
        while child is not None:
            tag = child.tag or ""
            if not tag.startswith("-"):
                styled = tag in INLINE_STYLES or tag in TRANSPARENT_INLINE
                if styled and inline >= MAX_INLINE_NESTING:
                    deep.append(child)
                stack.append((child, inline + 1 if styled else inline))
            child = child.next
    for node in reversed(deep):  # innermost first
        node.unwrap()


def _depth(root) -> int:
    """How deep elements nest under `root`, without recursion."""
    deepest, stack = 0, [(root, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_NESTING:
            return deepest
        child = node.child
        while child is not None:
            if child.tag and not child.tag.startswith("-"):
                stack.append((child, depth + 1))
            child = child.next
    return deepest


# The pixels of the distinct images one briefing shows, added up. Typst
# decodes every image of a PDF and holds them all until it is written
# (about 3 bytes a pixel: 20 distinct 49-megapixel PNGs took 3 GB), so a
# budget for each image is not a budget for the PDF. The total is the
# per-image limit: the PDF of a briefing costs at most what one image at
# the limit already did (bench/stress.py), and 50 megapixels is still 30
# charts or photographs saved at 1,600 x 1,000, sharper than a page shows.
# Validate refuses the image that goes over, at its line
# (validate/across.py); the converter checks again.
MAX_IMAGE_PIXELS_IN_ALL = 50_000_000

# A table's grid (columns by rows, spans counted): what Typst allocates.
MAX_TABLE_COLUMNS = 100
MAX_TABLE_CELLS = 10_000
MAX_START_DIGITS = 9  # an ordered list's first number


def _own_rows(table):
    """A table's rows, in its head, bodies and foot or directly in it; not
    the rows of tables in its cells."""
    for child in _children(table):
        if child.tag == "tr":
            yield child
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from (row for row in _children(child) if row.tag == "tr")


def _span(cell, name: str) -> int:
    value = (cell.attributes.get(name) or "1").strip()
    # As browsers read it: not a number is 1; a span is clamped to the table's budget.
    return min(int(value), MAX_TABLE_COLUMNS) if value.isascii() and value.isdigit() and 0 < int(value) < 100 else 1


def _has_text(inlines) -> bool:
    return any(i["t"] != "text" or i["v"].strip() for i in inlines)


# --- Making, checking and keeping PDFs ----------------------------------------

@dataclass(frozen=True)
class Made:
    path: str       # in the site
    content: bytes | None  # None: it is in the cache, at `kept`
    pages: int
    source: str = ""  # the resource's file
    kept: Path | None = None
    length: int = 0

    def __post_init__(self):
        if self.content is not None:
            object.__setattr__(self, "length", len(self.content))  # frozen

    @property
    def size(self) -> str:
        size = self.length
        return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} KB"

    def write(self, target: Path) -> None:
        """Into the staging folder, which is new for every build: a PDF in
        the cache is linked, not read and written again (2,600 PDFs, 150 MB,
        at 4,000 resources). Nothing writes into a published file in place."""
        if self.kept is not None:
            try:
                os.link(self.kept, target)
                return
            except OSError:  # another file system, or links not allowed
                shutil.copyfile(self.kept, target)
                return
        target.write_bytes(self.content)


WORKSPACE_PREFIX = "library-pdf-"
# A PDF in the cache that no build has used for this long is removed.
CACHE_KEEP_DAYS = 14


class Briefings:
    """Makes the PDFs of one build. `cache_dir` (outside the site) keeps
    each PDF by a key of everything it shows, so a rebuild makes again only
    what changed; `site_url` makes links absolute."""

    def __init__(self, root: Path, site_url: str, use_directory_urls: bool, cache_dir: Path | None,
                 logo: Path | None = None):
        self.root, self.site_url = Path(root), site_url or ""
        self.use_directory_urls, self.cache_dir, self.logo = use_directory_urls, cache_dir, logo
        self.template = TEMPLATE.read_bytes()
        self._logo_bytes = logo.read_bytes() if logo else b""
        self.made: dict[str, Made] = {}
        self.compiled = 0  # how many were not in the cache
        import typst
        self._version = getattr(typst, "__version__", "")
        # One Typst compiler for the build, made at the first PDF not in the
        # cache: a new one for each PDF loaded the fonts again (6 of 30 ms).
        self._workspace: tempfile.TemporaryDirectory | None = None
        self._compiler = None
        # One thread compiles and checks, in order, while the build goes on
        # rendering pages: Typst, page-validation and qpdf release the GIL, so
        # the PDFs use the core the build leaves free. One thread, so the
        # compiler and its root are only ever used by one PDF at a time.
        self._thread: ThreadPoolExecutor | None = None
        self._pending: dict[str, Future] = {}
        self._pending_source: dict[str, str] = {}
        self._used: set[str] = set()  # the cache keys of this build's PDFs
        self._missing: set[str] = set()  # characters Typst found no font for, in this build

    def close(self) -> None:
        """Wait for every PDF started (see `finished`), then let the compiler go."""
        try:
            self.finished()
        finally:
            self.stop()

    def stop(self) -> None:
        """Let the compiler go without waiting: a build that failed."""
        if self._thread is not None:
            self._thread.shutdown(wait=True, cancel_futures=True)
            self._thread = None
        if self._workspace is not None:
            self._workspace.cleanup()
            self._workspace = self._compiler = None

    def finished(self) -> list[tuple[str, PdfError]]:
        """Wait for the PDFs still being made; (resource's file, why) for
        each that could not be. Those made are in `made`."""
        failed = []
        for path in list(self._pending):
            try:
                self.result(path)
            except PdfError as error:
                failed.append((self._pending_source.get(path, ""), error))
        return failed

    def result(self, path: str) -> Made:
        """The PDF at `path` in the site, waiting for it if it is still
        being made; raises PdfError when it could not be."""
        future = self._pending.pop(path, None)
        if future is not None:
            made = future.result()
            self.made[made.path] = made
        return self.made[path]

    def page_url(self, resource) -> str:
        """The live page's address: a folder (`…/slug/`), as the hosted site
        has it, whatever this build writes. The offline copy's pages are
        `slug.html`, and a PDF mailed from it linked to addresses that 404."""
        base = self.site_url if self.site_url.endswith("/") else self.site_url + "/"
        return urljoin(base, f"{resource.type}/{path_href(resource.slug + '/')}")

    def _built_url(self, resource) -> str:
        """The page's address as this build writes it: what its relative links are relative to."""
        if self.use_directory_urls:
            return self.page_url(resource)
        base = self.site_url if self.site_url.endswith("/") else self.site_url + "/"
        return urljoin(base, f"{resource.type}/{path_href(resource.slug + '.html')}")

    def _hosted(self, address: str) -> str:
        """A link within the site as the hosted site has it: `x.html` is `x/`."""
        base = self.site_url if self.site_url.endswith("/") else self.site_url + "/"
        if self.use_directory_urls or not address.startswith(base):
            return address
        return base + hosted(address[len(base):])

    def file_url(self, resource, file: str) -> str:
        """A download's address: an https link as given, a file of the site made absolute."""
        if file.startswith("https://"):
            return ascii_address(file)
        base = self.site_url if self.site_url.endswith("/") else self.site_url + "/"
        return ascii_address(urljoin(base, path_href(posixpath.normpath(f"{resource.type}/{file}"))))

    def make(self, resource, cleaned_html: str, library, image_file) -> Made:
        """The resource's PDF, now (see `start`)."""
        return self.result(self.start(resource, cleaned_html, library, image_file))

    def start(self, resource, cleaned_html: str, library, image_file) -> str:
        """Begin the resource's PDF; returns its path in the site, for
        `result`. A PDF in the cache is ready at once; any other is compiled
        and checked on the PDF thread, from data made here (the converter
        needs the GIL). Raises PdfError for a body no PDF can show."""
        meta = self.meta(resource, library)
        # The cache key is what the PDF is made from: the cleaned HTML, the
        # metadata, the bytes of every image the HTML names, the logo and the
        # template. A rebuild that finds it made no conversion at all.
        images_named = sorted(set(IMG_SRC_RE.findall(cleaned_html)))
        image_bytes = b"".join(hashlib.sha256(_read(image_file(unescape(src)))).digest() for src in images_named)
        key = hashlib.sha256(self.template + self._version.encode() + CONVERTER + self._logo_bytes + image_bytes
                             + json.dumps(meta, ensure_ascii=False, sort_keys=True).encode("utf-8")
                             + b"\0" + cleaned_html.encode("utf-8")).hexdigest()
        path = pdf_path(resource)
        self._used.add(key)
        cached = self._cached(key, path, resource.src_uri)
        if cached is not None:
            self.made[path] = cached
            return path
        converter = Converter(self._built_url(resource), image_file, self._hosted)
        try:
            body = converter.blocks(cleaned_html)
        except RecursionError:
            raise PdfError("the body nests elements too deep for a PDF") from None
        data = {"meta": meta, "blocks": body, "notes": converter.notes}
        encoded = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
        images = [(name, source.read_bytes()) for name, source in converter.images]
        allowed = set(converter.notes) | {meta["url"]} | {d["url"] for d in meta["downloads"]}
        day = resource.changed if getattr(resource, "changed", None) else resource.published
        stamp = int(datetime.combine(day, time(12), tzinfo=timezone.utc).timestamp())
        if self._thread is None:
            self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="library-pdf")
        self.made.pop(path, None)
        self._pending[path] = self._thread.submit(self._made, key, path, resource.src_uri, encoded, images,
                                                  stamp, allowed)
        self._pending_source[path] = resource.src_uri
        return path

    def _made(self, key, path, source, encoded, images, stamp, allowed) -> Made:
        """On the PDF thread: compile, check, keep."""
        content = self._compile(encoded, images, stamp)
        self.compiled += 1
        problems, pages = inspect(content, allowed_links=allowed, site_url=self.site_url)
        if problems:
            raise PdfError("its PDF failed the checks: " + "; ".join(problems))
        kept = self._keep(key, content, pages)
        if kept is not None:  # the build need not hold every PDF in memory
            return Made(path, None, pages, source, kept=kept, length=len(content))
        return Made(path, content, pages, source)

    def meta(self, resource, library) -> dict:
        vocabulary = library.vocabulary
        day = resource.changed if getattr(resource, "changed", None) else resource.published
        reviewed = resource.meta.get("last_reviewed")
        due = resource.meta.get("next_review_due")
        return {
            "title": resource.title, "summary": resource.summary, "type": TYPE_NAMES[resource.type],
            "team": TEAM, "contact": CONTACT, "url": ascii_address(self.page_url(resource)),
            "published": long_date(resource.published),
            "updated": long_date(resource.changed) if resource.meta.get("updated") else "",
            "reviewed": long_date(_as_date(reviewed)) if reviewed else "",
            "due": long_date(_as_date(due)) if due else "",
            "programmes": [vocabulary.programmes[s].name for s in resource.meta.get("programmes") or []
                           if s in vocabulary.programmes],
            "topics": [vocabulary.topics[s].name for s in resource.meta.get("topics") or [] if s in vocabulary.topics],
            "owner": resource.meta.get("owner") or "",
            "status": resource.status, "withdrawn_reason": resource.meta.get("withdrawn_reason") or "",
            # What replaces it, and the page's list of updates, as the page
            # shows them (forty-fifth round: a PDF kept with a board paper
            # did not say where the current guidance is).
            "replaced_by": self._replacement(resource, library),
            "changes": [[long_date(day), note] for day, note in resource.changes],
            "example": bool(resource.meta.get("example")),
            "date": [day.year, day.month, day.day],
            "downloads": [{"label": item.get("label") or item.get("file"), "url": self.file_url(resource, item["file"])}
                          for item in resource.meta.get("downloads") or [] if item.get("file")],
            "logo": "logo.svg" if self.logo else "",
        }

    def _replacement(self, resource, library) -> dict:
        wanted = resource.meta.get("replaced_by")
        replacement = next((other for other in library.resources if wanted and other.src_uri == f"{wanted}.md"), None)
        if replacement is None:
            return {"title": "", "url": ""}
        return {"title": replacement.title, "url": ascii_address(self.page_url(replacement))}

    def _compile(self, encoded: bytes, images, stamp: int) -> bytes:
        root = self._root()
        data = root / "data.json"
        # Emoji and pictographs, which no font of ours has, and characters
        # an earlier briefing found missing are named before the first
        # compile: one compile each had cost 20 for 20 emoji, and more failed.
        written = encoded.decode("utf-8")
        if not written.isascii():
            encoded = name_missing(written, self._missing).encode("utf-8")
        data.write_bytes(encoded)
        for name, content in images:
            (root / name).write_bytes(content)
        try:
            for _ in range(MAX_GLYPH_RETRIES):
                try:
                    return self._compiler.compile(pdf_standards=["ua-1"], timestamp=stamp)
                except BaseException as error:  # Typst's errors name the template's line, not the resource's
                    # A panic in Typst's Rust reaches Python as pyo3's
                    # PanicException, which is no Exception (65,534 accents
                    # on one letter): a problem with its file, not a traceback.
                    if isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit)):
                        raise
                    message = str(getattr(error, "message", error))
                    missing = MISSING_GLYPH_RE.search(message)
                    if not missing:
                        raise PdfError(f"Typst could not make its PDF: {message}") from None
                    # A character no font of ours has (an emoji, a script the
                    # fonts lack): PDF/UA-1 refuses a missing glyph, so the PDF
                    # names the character instead, and the web page shows it.
                    # Typst names the first missing character only: every
                    # character of its script goes with it (CJK ideographs,
                    # Hangul, Ethiopic), so twenty languages are a few compiles.
                    # Typst writes what it cannot print as an escape: a
                    # Bengali vowel sign is `\u{9be}` (twenty-fourth round:
                    # read as its letters, it was never named, and honest
                    # Bengali and Punjabi stopped the build).
                    text = TYPST_ESCAPE_RE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2),
                                               missing.group(1))
                    scripts = {_script(c) for c in text if ord(c) > 0x7E}
                    more = {c for c in written if not c.isascii() and _script(c) in scripts} | {
                        c for c in text if ord(c) > 0x7E}
                    if more <= self._missing:
                        raise PdfError("Typst could not make its PDF: it cannot show "
                                       + ", ".join(f"U+{ord(c):04X}" for c in sorted(text)[:5]))
                    self._missing |= more
                    data.write_text(name_missing(written, self._missing), encoding="utf-8")
            raise PdfError("Typst could not make its PDF: too many characters its fonts do not have")
        finally:
            # The next briefing's root holds only its own images.
            data.unlink(missing_ok=True)
            for name, _ in images:
                (root / name).unlink(missing_ok=True)

    def _root(self) -> Path:
        """The compiler's root: the template and the logo; each briefing
        adds its data and images for its own compile and takes them away."""
        if self._workspace is None:
            import typst
            self._workspace = tempfile.TemporaryDirectory(prefix=WORKSPACE_PREFIX, dir=self._workspace_parent())
            root = Path(self._workspace.name)
            (root / "briefing.typ").write_bytes(self.template)
            if self.logo:
                shutil.copyfile(self.logo, root / "logo.svg")
            self._compiler = typst.Compiler(str(root / "briefing.typ"), root=str(root), ignore_system_fonts=True)
        return Path(self._workspace.name)

    def _workspace_parent(self) -> str | None:
        """Beside the cache, where a killed build's workspace (a contributor's
        images, a briefing's data) is found and removed by the next build
        once it is an hour old; without a cache, the system's temporary folder."""
        if self.cache_dir is None:
            return None
        from .workspace import work_folder
        return work_folder(self.cache_dir.parent / "work", WORKSPACE_PREFIX)

    def _cached(self, key: str, path: str, source: str) -> Made | None:
        """A checked PDF kept by an earlier build."""
        if self.cache_dir is None:
            return None
        kept = self.cache_dir / f"{key}.pdf"
        try:
            count = self.cache_dir / f"{key}.pages"
            pages = int(count.read_text())
            os.utime(count)  # when it was last used (not the PDF's own time: the site links to that file)
            return Made(path, None, pages, source, kept=kept, length=kept.stat().st_size)
        except (OSError, ValueError):
            return None

    def prune(self, now: float | None = None) -> int:
        """After a build that published: remove the PDFs in the cache that
        no build has used for CACHE_KEEP_DAYS (every edit of a briefing
        leaves one behind), and what a killed build half-wrote. How many
        files went."""
        if self.cache_dir is None:
            return 0
        now, removed = datetime.now(timezone.utc).timestamp() if now is None else now, 0
        try:
            entries = list(os.scandir(self.cache_dir))
        except OSError:
            return 0
        last_used = {entry.name.removesuffix(".pages"): entry.stat().st_mtime
                     for entry in entries if entry.name.endswith(".pages")}
        for entry in entries:
            key = entry.name.split(".")[1] if entry.name.startswith(".") else entry.name.split(".")[0]
            if entry.name.endswith(".partial"):
                stamp, keep = entry.stat().st_mtime, 3_600  # another build may be writing it now
            else:
                stamp, keep = last_used.get(key, 0), CACHE_KEEP_DAYS * 86_400
            if key in self._used or now - stamp < keep:
                continue
            try:
                os.remove(entry.path)
                removed += 1
            except OSError:
                pass
        return removed

    def _keep(self, key: str, content: bytes, pages: int) -> Path | None:
        """Into the cache, whole or not at all; where it is, or None."""
        if self.cache_dir is None:
            return None
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            for suffix, data in ((".pdf", content), (".pages", str(pages).encode())):
                partial = self.cache_dir / f".{key}.{os.getpid()}{suffix}.partial"
                partial.write_bytes(data)
                partial.replace(self.cache_dir / f"{key}{suffix}")  # only checked PDFs are kept; the count last
        except OSError:  # a full disc or a read-only cache: the build goes on without it
            return None
        return self.cache_dir / f"{key}.pdf"


def _read(path) -> bytes:
    try:
        return Path(path).read_bytes() if path else b""
    except OSError:
        return b""


def _as_date(value):
    from datetime import date
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def check(content: bytes, allowed_links: set[str], site_url: str) -> list[str]:
    """What is wrong with a PDF we made (see `inspect`)."""
    return inspect(content, allowed_links, site_url)[0]


# Structure elements that hold text, not blocks: a table cannot be inside
# one, so the walk for table header cells need not resolve what they hold
# (most of a briefing's structure: it halved the walk's time).
INLINE_STRUCTURE = frozenset({"/P", "/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/Lbl", "/Span", "/Link",
                              "/Quote", "/Reference", "/BibEntry", "/Code", "/Annot", "/Ruby", "/Warichu",
                              "/Formula", "/Figure"})


def inspect(content: bytes, allowed_links: set[str], site_url: str) -> tuple[list[str], int]:
    """What is wrong with a PDF we made, and its page count: PDF/UA-1 by
    page-validation, then a reading of our own (pikepdf, which is qpdf) that
    agrees on what matters most: a tagged structure in which every table
    header cell has its scope, a title shown in the window, en-GB, no
    JavaScript, launch action or embedded file, and links only to the site
    and to addresses the resource gives. Both release the GIL while they
    parse, so the build's own thread runs on beside them."""
    import page as page_validation
    import pikepdf
    from pikepdf import Array, Dictionary
    problems = []
    try:
        report = page_validation.validate_pdf_bytes(content, profile="ua1")
    except Exception as error:
        # The checker's own safety limits (a structure nested hundreds
        # deep, as a body at its budgets makes): our reading below still runs.
        report = None
        import sys
        print(f"warning: page-validation could not check a PDF ({error}); checked by our own reading only",
              file=sys.stderr)
    if report is not None and not report.is_compliant:
        problems += [f"PDF/UA-1 rule {f.rule_id}: {f.message}" for f in list(report.failures)[:5]]
    try:
        document = pikepdf.open(io.BytesIO(content))
    except pikepdf.PdfError as error:
        return problems + [f"it cannot be read ({error})"], 0
    with document:
        catalog = document.Root
        if "/StructTreeRoot" not in catalog:
            problems.append("it is not tagged")
        if str(catalog.get("/Lang", "")) != "en-GB":
            problems.append(f"its language is {str(catalog.get('/Lang', ''))!r}, not en-GB")
        preferences = catalog.get("/ViewerPreferences")
        if not (isinstance(preferences, Dictionary) and bool(preferences.get("/DisplayDocTitle", False))):
            problems.append("its title is not shown in the window")
        names = catalog.get("/Names")
        for forbidden in ("/JavaScript", "/EmbeddedFiles"):
            if isinstance(names, Dictionary) and forbidden in names:
                problems.append(f"it holds {forbidden[1:]}")
        if "/OpenAction" in catalog or "/AA" in catalog:
            problems.append("it runs an action when opened")
        site = site_url if site_url.endswith("/") else site_url + "/"
        for number, page in enumerate(document.pages, start=1):
            for annotation in page.get("/Annots", ()):
                action = annotation.get("/A") if isinstance(annotation, Dictionary) else None
                if not isinstance(action, Dictionary):
                    continue
                kind = str(action.get("/S", ""))
                if kind == "/URI":
                    # A URI is ASCII; read as UTF-8 all the same, so that one
                    # that is not is named as written, not as Latin-1.
                    uri = bytes(action.get("/URI", b"")).decode("utf-8", errors="replace")
                    if not (uri in allowed_links or uri.startswith(site) or uri.startswith("mailto:")):
                        problems.append(f"page {number} links to {uri}, which the resource does not give")
                    if not str(annotation.get("/Contents", "")):
                        problems.append(f"a link on page {number} has no description (/Contents)")
                elif kind != "/GoTo":
                    problems.append(f"page {number} has a {kind} action")

        def walk(element, depth=0):
            if depth > 200:
                return
            if isinstance(element, Array):
                for child in element:
                    walk(child, depth + 1)
                return
            if not isinstance(element, Dictionary):
                return
            kind = element.get("/S")
            kind = str(kind) if kind is not None else None
            if kind == "/TH":
                attributes = element.get("/A")
                listed = list(attributes) if isinstance(attributes, Array) else [attributes]
                if not any(isinstance(a, Dictionary) and "/Scope" in a for a in listed):
                    problems.append("a table header cell has no scope")
            if kind not in INLINE_STRUCTURE and "/K" in element:
                walk(element.get("/K"), depth + 1)

        tree = catalog.get("/StructTreeRoot")
        if isinstance(tree, Dictionary):
            walk(tree.get("/K"))
        return problems, len(document.pages)
