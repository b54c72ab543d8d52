"""HTML fragments for resource pages and generated pages.

A Jinja environment of our own with autoescape on: every front-matter value
is escaped wherever it is shown, whatever the theme's templates do. The
fragments are raw HTML blocks inside Markdown, so links in them are made
relative to the page here rather than by MkDocs.
"""
from __future__ import annotations

import functools
import io
import logging
import re
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote, urljoin

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from . import dates, files
from .feeds import CALENDAR_PATH, CONTACT, feed_path, ics_path, webcal_url
from .load import TYPES, Library, Resource
from .related import related
from .urls import page_url, relative, term_src

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

TEMPLATES = Path(__file__).parent / "templates"


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


file_format = files.file_format


# pypdf's work grows with a PDF's objects: it reads every cross-reference
# entry before the first page, and rebuilds a damaged table by scanning the
# whole file. Two 24 MB PDFs of 1.8 million empty objects took 91 s and
# 550 MB. Real documents have a few thousand objects (a 300-page report
# perhaps 20,000); past MAX_PDF_OBJECTS the page count is not shown. At the
# limit, pypdf takes about half a second.
MAX_PDF_OBJECTS = 100_000
# Where a PDF says how many objects it has: the cross-reference table's rows
# (each ends in n or f and a two-character line end), `obj` (and `endobj`)
# of each object written out, and the counts of cross-reference streams.
XREF_ROW_ENDS = (b" n\r\n", b" n \n", b" n \r", b" f\r\n", b" f \n", b" f \r")
PDF_SIZE_RE = re.compile(rb"/Size\s+(\d{1,12})")
PDF_INDEX_RE = re.compile(rb"/Index\s*\[([\d\s]{0,1000})\]")


def pdf_objects(data: bytes) -> int:
    """An upper bound on the objects pypdf would read in a PDF, from its
    bytes alone: counted in C, about 0.1 s for 20 MB."""
    rows = sum(data.count(end) for end in XREF_ROW_ENDS)
    written = data.count(b"obj") // 2
    declared = max((int(n) for n in PDF_SIZE_RE.findall(data)), default=0)
    indexed = max((sum(map(int, index.split()[1::2])) for index in PDF_INDEX_RE.findall(data)), default=0)
    return max(rows, written, declared, indexed)


@functools.lru_cache(maxsize=None)
def pdf_pages(path: Path, size: int, mtime: float) -> int | None:
    """Pages in a PDF, read with pypdf; None if it cannot be read, or would
    take too long to (the page then shows format and size only). Size and
    mtime key the cache."""
    if size > files.MAX_FILE_BYTES:  # refused by the checks; never read whole
        return None
    try:
        data = path.read_bytes()
    except OSError as error:
        log.info("could not read %s: %s", path, error)
        return None
    objects = pdf_objects(data)
    if objects > MAX_PDF_OBJECTS:
        log.info("not counting the pages of %s: %s objects, over %s", path, f"{objects:,}", f"{MAX_PDF_OBJECTS:,}")
        return None
    import pikepdf  # only pages with PDFs pay for the import
    try:
        # As qpdf reads it, which is how the file is published (files.
        # normalised_pdf); pypdf printed its own repairs to the terminal.
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except Exception as error:  # a damaged PDF must not stop the build
        log.info("could not count the pages of %s: %s", path, error)
        return None


def file_facts(path: Path) -> dict:
    """Format, size and, for a PDF, page count: what a reader needs before
    downloading. `description` reads "PDF, 245 KB, 12 pages"."""
    facts = {"format": file_format(path.name), "size": "", "pages": None}
    if path.is_file():
        stat = path.stat()
        facts["size"] = human_size(stat.st_size)
        if path.suffix.lower() == ".pdf":
            facts["pages"] = pdf_pages(path, stat.st_size, stat.st_mtime)
    pages = facts["pages"]
    facts["description"] = ", ".join(
        [facts["format"]] + ([facts["size"]] if facts["size"] else [])
        + ([f"{pages} page" + ("" if pages == 1 else "s")] if pages else []))
    return facts


def accessible_format_mailto(resource_title: str, item: str, url: str) -> str:
    """A mailto link asking for another format of one file, with the
    resource named, so the request arrives with what the team needs."""
    subject = f"Accessible format request: {resource_title}"
    body = (f"Please send me {item} from \"{resource_title}\" ({url}) in another format.\n\n"
            "The format I need (for example large print, audio, braille, an accessible PDF or Word):\n\n"
            "Assistive technology I use, if any:\n")
    return f"mailto:{CONTACT}?subject={quote(subject)}&body={quote(body)}"


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory, by name and source checksum: each
    `make serve` rebuild gets a new environment (the theme's, and the
    library's own), which would otherwise compile every template again
    (about 0.3 s at each edit for the theme's)."""

    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


_COMPILED = CompiledTemplates()  # the library's own templates, for every build in this process

# Where a card's link goes, until the listing's own link is put in. Front
# matter cannot hold it: control characters are refused.
_HREF_SLOT = "\x00href\x00"


def _at_slot(src_uri: str) -> str:
    return _HREF_SLOT


def environment() -> Environment:
    """A new environment for each build: its globals are that build's
    library and vocabulary. One environment shared by the builds of a
    `make serve` session kept the first build's in every imported template
    (Jinja makes the module of `{% from "macros.html" import ... %}` once,
    from a copy of the globals), so a term added to the vocabulary while
    previewing stopped the rebuild. The compiled templates are shared."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, bytecode_cache=_COMPILED,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["long_date"] = lambda v: dates.long_date(v if isinstance(v, date) else date.fromisoformat(v))
    env.filters["long_datetime"] = dates.long_datetime
    return env


def _freeze(value, resource_key):
    """A hashable stand-in for a template's context: equal when the page
    would render the same."""
    if isinstance(value, Resource):
        return resource_key(value)
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v, resource_key) for v in value)
    if isinstance(value, dict):
        return tuple((k, _freeze(v, resource_key)) for k, v in value.items())
    if isinstance(value, (str, int, float, bool, type(None), date, datetime)):
        return value
    return repr(value)  # terms and other small dataclasses


class Renderer:
    def __init__(self, library: Library, use_directory_urls: bool = True, site_url: str = "",
                 memo: dict | None = None):
        self.library = library
        self.vocabulary = library.vocabulary
        self.use_directory_urls = use_directory_urls
        self.site_url = site_url
        # With a memo (kept between `mkdocs serve` rebuilds), a generated page
        # whose context is unchanged is not rendered again.
        self.memo, self._used, self._keys = memo, set(), {}
        self._cards: dict[tuple, str] = {}
        self._macros = None
        self._vocabulary_key = repr(self.vocabulary) if memo is not None else ""
        self.env = environment()
        self.env.globals.update(vocab=self.vocabulary, library=library, now=library.now,
                                human_size=human_size, file_format=file_format,
                                term_src=term_src, feed_path=feed_path, contact=CONTACT,
                                time_range=dates.time_range)

    def url(self, src_uri: str) -> str:
        return page_url(src_uri, self.use_directory_urls)

    def _resource_key(self, resource: Resource):
        key = self._keys.get(id(resource))
        if key is None:
            key = self._keys[id(resource)] = (resource.src_uri, repr(sorted(resource.meta.items())))
        return key

    def render_page(self, template: str, page_src: str, **context) -> str:
        """`render` for a generated page, through the memo when there is one."""
        if self.memo is None:
            return self.render(template, page_src, **context)
        key = (template, page_src, self.use_directory_urls, self._vocabulary_key,
               _freeze(context, self._resource_key))
        self._used.add(key)
        if key not in self.memo:
            self.memo[key] = self.render(template, page_src, **context)
        return self.memo[key]

    def forget_unused(self) -> None:
        """Drop memo entries this build did not ask for: pages that changed."""
        if self.memo is not None:
            for key in set(self.memo) - self._used:
                del self.memo[key]

    def render(self, template: str, page_src: str, **context) -> str:
        here = self.url(page_src)

        def href(src_uri: str) -> str:
            """Link to a page (a .md source) or a file, from this page. File
            names are percent-encoded: a contributor's `my file #2.pdf` must
            stay one path."""
            target = self.url(src_uri) if src_uri.endswith(".md") else files.href(src_uri)
            return relative(target, here)

        html = self.env.get_template(template).render(
            href=href, page_src=page_src, card=self._card, **context)
        # No blank lines: fragments from macros (the home page) pass through
        # Markdown, which would end a raw HTML block at one.
        return "\n".join(line for line in html.splitlines() if line.strip())

    def _card(self, resource: Resource, href, level: int = 2) -> Markup:
        """A resource's card (macros.html), rendered once per heading level
        and given each listing's link to it: a resource is on six listings
        or so, and the macro was most of their time."""
        key = (id(resource), level)
        card = self._cards.get(key)
        if card is None:
            if self._macros is None:
                self._macros = self.env.get_template("macros.html").make_module()
            card = self._cards[key] = str(self._macros.card(resource, _at_slot, level))
        return Markup(card.replace(_HREF_SLOT, str(escape(href(resource.src_uri)))))

    # Fragments -----------------------------------------------------------
    def page_address(self, src_uri: str) -> str:
        """The page's hosted address, for emails about it."""
        return urljoin(self.site_url, page_url(src_uri, True)) if self.site_url else page_url(src_uri, True)

    def file_link(self, resource: Resource, label: str, what: str, value: str) -> dict:
        """A download, slides or a transcript: a file beside the resource or
        an https link elsewhere, with what a reader needs to know first."""
        external = value.startswith("https:")
        facts = {"format": "", "size": "", "pages": None, "description": ""} if external else \
            file_facts(resource.abs_path.parent / value)
        return {"label": label, "src": value if external else f"{resource.type}/{value}", "external": external,
                "description": facts["description"],
                "request": accessible_format_mailto(resource.title, what, self.page_address(resource.src_uri))}

    def resource_header(self, resource: Resource, briefing: dict | None = None) -> str:
        """`briefing`: the resource's PDF, if one was made ({"src", "size", "pages"})."""
        downloads = [self.file_link(resource, item["label"], f"the file \"{item['label']}\"", item["file"])
                     for item in resource.meta.get("downloads") or []]
        slides = transcript = None
        if resource.meta.get("slides"):
            slides = self.file_link(resource, "Slides", "the slides", resource.meta["slides"])
        if resource.meta.get("transcript"):
            transcript = self.file_link(resource, "Transcript", "the transcript", resource.meta["transcript"])
        replaced_by = self.library.by_key.get(resource.meta.get("replaced_by", ""))
        return self.render("resource_header.html", resource.src_uri, r=resource, downloads=downloads,
                           slides=slides, transcript=transcript, ics=ics_path(resource),
                           replaced_by=replaced_by, upcoming=resource.is_upcoming(self.library.now),
                           briefing=briefing)

    def resource_footer(self, resource: Resource) -> str:
        return self.render("resource_footer.html", resource.src_uri, r=resource,
                           related=related(resource, self.library))

    def calendar_links(self, page_src: str) -> str:
        """Subscribe (webcal://, kept up to date) or download the calendar."""
        return self.render("calendar_links.html", page_src, calendar=CALENDAR_PATH,
                           webcal=webcal_url(self.site_url))

    def cards(self, resources: list[Resource], page_src: str, heading_level: int = 2) -> str:
        return self.render("cards.html", page_src, resources=resources, level=heading_level)

    def newest(self, count: int) -> list[Resource]:
        """Newest by publication date, leaving out upcoming webinars, which
        the home page lists once, in their own section."""
        upcoming = {id(r) for r in self.library.upcoming()}
        return [r for r in self.library.listed if id(r) not in upcoming][:count]

    def browse(self, page_src: str) -> str:
        """Ways in that readers use: by type, by topic, by programme. Only
        terms with resources are linked: an empty page helps nobody."""
        library = self.library
        topics = sorted(((t, len(library.with_term("topics", s))) for s, t in self.vocabulary.topics.items()),
                        key=lambda pair: (-pair[1], pair[0].name.lower()))
        programmes = [(t, len(library.with_term("programmes", s))) for s, t in self.vocabulary.programmes.items()]
        return self.render("browse.html", page_src, types=TYPES,
                           topics=[(t, n) for t, n in topics if n][:8],
                           programmes=[(t, n) for t, n in programmes if n])


def plain(text: str) -> str:
    """Collapse white space, for meta descriptions."""
    return re.sub(r"\s+", " ", text).strip()


# Markdown reads these in running text (emphasis, links, images, code,
# escapes, line breaks); as character references it reads them as text.
_MARKDOWN_PUNCTUATION = re.compile(r"[\\`*_{}\[\]()#+\-.!|~^=:<>&\"']")


def markdown_text(text: str) -> Markup:
    """Text that a macro puts back into a page's Markdown, shown as written:
    HTML-escaped, and every character Markdown acts on as a character
    reference, so a vocabulary name such as `Carers [sign in](https://…)`
    is shown, never made a link."""
    return Markup(_MARKDOWN_PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", str(text)))
