"""HTML fragments for resource pages and generated pages.

A Jinja environment of our own with autoescape on: every front-matter value
is escaped wherever it is shown, whatever the theme's templates do. The
fragments are raw HTML blocks inside Markdown, so links in them are made
relative to the page here rather than by MkDocs.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import dates, files
from .feeds import CALENDAR_PATH, ics_path
from .load import Library, Resource
from .related import related
from .urls import page_url, relative

TEMPLATES = Path(__file__).parent / "templates"
TERM_FOLDERS = {"functions": "functions", "programmes": "programmes", "topics": "topics"}


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


file_format = files.file_format


class Renderer:
    def __init__(self, library: Library, use_directory_urls: bool = True, site_url: str = ""):
        self.library = library
        self.vocabulary = library.vocabulary
        self.use_directory_urls = use_directory_urls
        self.site_url = site_url
        self.env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.filters["long_date"] = lambda v: dates.long_date(v if isinstance(v, date) else date.fromisoformat(v))
        self.env.filters["long_datetime"] = dates.long_datetime
        self.env.globals.update(vocab=self.vocabulary, library=library, now=library.now,
                                human_size=human_size, file_format=file_format,
                                term_src=term_src)

    def url(self, src_uri: str) -> str:
        return page_url(src_uri, self.use_directory_urls)

    def render(self, template: str, page_src: str, **context) -> str:
        here = self.url(page_src)

        def href(src_uri: str) -> str:
            """Link to a page (a .md source) or a file, from this page. File
            names are percent-encoded: a contributor's `my file #2.pdf` must
            stay one path."""
            target = self.url(src_uri) if src_uri.endswith(".md") else files.href(src_uri)
            return relative(target, here)

        html = self.env.get_template(template).render(
            href=href, page_src=page_src, **context)
        # No blank lines: fragments from macros (the home page) pass through
        # Markdown, which would end a raw HTML block at one.
        return "\n".join(line for line in html.splitlines() if line.strip())

    # Fragments -----------------------------------------------------------
    def resource_header(self, resource: Resource) -> str:
        downloads = []
        for item in resource.meta.get("downloads") or []:
            path = resource.abs_path.parent / item["file"]
            downloads.append({"label": item["label"], "src": f"{resource.type}/{item['file']}",
                              "format": file_format(item["file"]),
                              "size": human_size(path.stat().st_size) if path.is_file() else ""})
        replaced_by = self.library.by_key.get(resource.meta.get("replaced_by", ""))
        return self.render("resource_header.html", resource.src_uri, r=resource, downloads=downloads,
                           ics=ics_path(resource), calendar=CALENDAR_PATH,
                           replaced_by=replaced_by, upcoming=resource.is_upcoming(self.library.now))

    def resource_footer(self, resource: Resource) -> str:
        return self.render("resource_footer.html", resource.src_uri, r=resource,
                           related=related(resource, self.library))

    def cards(self, resources: list[Resource], page_src: str, heading_level: int = 2) -> str:
        return self.render("cards.html", page_src, resources=resources, level=heading_level)


def term_src(kind: str, slug: str) -> str:
    """Source path of a function, programme, topic or type page."""
    if kind == "types":
        return f"{slug}/index.md"
    return f"{TERM_FOLDERS[kind]}/{slug}.md"


def plain(text: str) -> str:
    """Collapse white space, for meta descriptions."""
    return re.sub(r"\s+", " ", text).strip()
