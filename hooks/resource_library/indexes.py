"""Generated pages: a listing per type, and index and term pages for
functions, programmes and topics.

Each is Markdown (YAML front matter, then raw HTML from the templates),
keyed by the source path it is published from. The hook adds one only where
no hand-written page exists at that path, so an editor can replace any of
them by committing a file.
"""
from __future__ import annotations

import yaml

from .feeds import CALENDAR_PATH, feed_path, webcal_url
from .load import TYPES
from .render import Renderer, plain, term_src
from .vocabulary import Vocabulary

TERM_KINDS = ("functions", "programmes", "topics")
FINDER = "finder/index.md"
INDEX_TITLES = {"functions": "Functions", "programmes": "Programmes", "topics": "Topics"}
INDEX_DESCRIPTIONS = {
    "functions": "Resources by the team's four functions: creating, curating, embedding and spreading good practice in strategic planning.",
    "programmes": "Resources by the national improvement programmes that the team's Strategic Planning Advisors support.",
    "topics": "Every topic in the library, A to Z, with the number of resources on each.",
}


def generated_paths(vocabulary: Vocabulary) -> set[str]:
    paths = {f"{t}/index.md" for t in TYPES} | {FINDER}
    for kind in TERM_KINDS:
        paths.add(f"{kind}/index.md")
        paths |= {term_src(kind, slug) for slug in vocabulary.terms(kind)}
    return paths


def page(title: str, description: str, html: str, **meta) -> tuple[str, str]:
    """(Markdown with only front matter, the page's HTML). The HTML is put in
    after Markdown has run, so Markdown never parses it."""
    front = yaml.safe_dump({"title": title, "description": plain(description), **meta},
                           allow_unicode=True, sort_keys=False)
    return f"---\n{front}---\n", html


def generate(renderer: Renderer) -> dict[str, tuple[str, str]]:
    """Every generated page, as {source path: (front matter, HTML)}."""
    library, vocab = renderer.library, renderer.vocabulary
    pages: dict[str, str] = {}
    for type_slug in TYPES:
        term = vocab.types[type_slug]
        src = f"{type_slug}/index.md"
        feed = feed_path("types", type_slug)
        context = dict(term=term, type_slug=type_slug, calendar=CALENDAR_PATH, resources=library.of_type(type_slug),
                       upcoming=library.upcoming(), past=library.past_webinars(), feed=feed,
                       webcal=webcal_url(renderer.site_url))
        pages[src] = page(term.plural, term.description, renderer.render_page("type_listing.html", src, **context),
                          feed=feed, feed_title=f"New and updated {term.plural}")
    for kind in TERM_KINDS:
        terms = vocab.terms(kind)
        counts = {slug: len(library.with_term(kind, slug)) for slug in terms}
        src = f"{kind}/index.md"
        used = sorted((t for slug, t in terms.items() if counts[slug]), key=lambda t: t.name.lower())
        pages[src] = page(INDEX_TITLES[kind], INDEX_DESCRIPTIONS[kind],
                          renderer.render_page("term_index.html", src, kind=kind, terms=terms, counts=counts, used=used,
                                          title=INDEX_TITLES[kind], description=INDEX_DESCRIPTIONS[kind]))
        for slug, term in terms.items():
            resources = library.with_term(kind, slug)
            if not resources:
                continue  # an empty page helps nobody: not built, not linked, not in the sitemap
            src = term_src(kind, slug)
            by_type = {t: [r for r in resources if r.type == t] for t in TYPES}
            feed = feed_path(kind, slug)
            pages[src] = page(term.name, term.description,
                              renderer.render_page("term_page.html", src, kind=kind, term=term, resources=resources,
                                              by_type=by_type, grouped=(kind == "programmes"), feed=feed),
                              feed=feed, feed_title=f"New and updated resources: {term.name}")
    a_to_z = sorted(library.listed, key=lambda r: r.title.lower())
    pages[FINDER] = page("Find resources", "Search and filter every resource in the library by type, function, "
                         "programme, topic and year.", renderer.render_page("finder.html", FINDER, resources=a_to_z),
                         hide=["navigation", "toc"], finder_scripts=True)
    return pages
