"""Generated pages: a listing per type, and index and term pages for
functions, programmes and topics.

Each is Markdown (YAML front matter, then raw HTML from the templates),
keyed by the source path it is published from. The hook adds one only where
no hand-written page exists at that path, so an editor can replace any of
them by committing a file.
"""
from __future__ import annotations

import yaml

from .claims import Claim, Claimed
from .feeds import CALENDAR_PATH, feed_path, webcal_url
from .load import TYPES
from .render import Renderer, plain, term_src
from .vocabulary import Vocabulary

TERM_KINDS = ("functions", "programmes", "topics")
FINDER = "finder/index.md"
OFFLINE = "offline/index.md"
INDEX_TITLES = {"functions": "Functions", "programmes": "Programmes", "topics": "Topics"}
INDEX_DESCRIPTIONS = {
    "functions": "Resources by the team's four functions: creating, curating, embedding and spreading good practice in strategic planning.",
    "programmes": "Resources by the national improvement programmes that the team's Strategic Planning Advisors support.",
    "topics": "Every topic in the library, A to Z, with the number of resources on each.",
}


def generated_paths(vocabulary: Vocabulary) -> set[str]:
    paths = {f"{t}/index.md" for t in TYPES} | {FINDER, OFFLINE}
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


# Cards on one listing page: a listing of every resource grew to 806 KB at
# 4,000. Only the finder, with JavaScript, shows every resource on one page.
PAGE_SIZE = 50


def page_src(src: str, number: int) -> str:
    """Page `number` of the list at `src`: at-a-glance/index.md ->
    at-a-glance/page/2.md; topics/housing.md -> topics/housing/page/2.md."""
    if number == 1:
        return src
    base = src[:-len("/index.md")] if src.endswith("/index.md") else src[:-len(".md")]
    return f"{base}/page/{number}.md"


def paged(src: str, items: list) -> list[tuple[str, list, dict]]:
    """[(source path, the items on that page, what pager.html shows)]."""
    count = max(1, -(-len(items) // PAGE_SIZE))
    out = []
    for number in range(1, count + 1):
        part = items[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
        pager = {"number": number, "count": count, "total": len(items),
                 "first": (number - 1) * PAGE_SIZE + 1, "last": (number - 1) * PAGE_SIZE + len(part),
                 "previous": page_src(src, number - 1) if number > 1 else "",
                 "next": page_src(src, number + 1) if number < count else ""}
        out.append((page_src(src, number), part, pager))
    return out


def of_pages(title: str, pager: dict) -> str:
    return title if pager["number"] == 1 else f"{title} (page {pager['number']} of {pager['count']})"


def generate(renderer: Renderer, offline_copy: dict | None = None) -> Claimed:
    """Every generated page, as {source path: (front matter, HTML)}, each
    claimed (a topic slugged `index` would otherwise replace the A-Z page).
    `offline_copy`: the offline zip published with the site, if any
    ({"src", "size", "made"}), offered on the page for offline readers."""
    library, vocab = renderer.library, renderer.vocabulary
    pages = Claimed()
    for type_slug in TYPES:
        term = vocab.types[type_slug]
        src = f"{type_slug}/index.md"
        feed = feed_path("types", type_slug)
        listed = library.past_webinars() if type_slug == "webinars" else library.of_type(type_slug)
        for number, (this_src, part, pager) in enumerate(paged(src, listed), start=1):
            context = dict(term=term, type_slug=type_slug, calendar=CALENDAR_PATH, resources=part,
                           upcoming=library.upcoming() if number == 1 else [], past=part, feed=feed,
                           webcal=webcal_url(renderer.site_url), pager=pager)
            pages.claim(this_src, page(of_pages(term.plural, pager), term.description,
                                       renderer.render_page("type_listing.html", this_src, **context),
                                       feed=feed, feed_title=f"New and updated {term.plural}"),
                        Claim(f"the {term.plural} listing"))
    for kind in TERM_KINDS:
        terms = vocab.terms(kind)
        counts = {slug: len(library.with_term(kind, slug)) for slug in terms}
        src = f"{kind}/index.md"
        used = sorted((t for slug, t in terms.items() if counts[slug]), key=lambda t: t.name.lower())
        pages.claim(src, page(INDEX_TITLES[kind], INDEX_DESCRIPTIONS[kind],
                              renderer.render_page("term_index.html", src, kind=kind, terms=terms, counts=counts,
                                                   used=used, title=INDEX_TITLES[kind],
                                                   description=INDEX_DESCRIPTIONS[kind])),
                    Claim(f"the {kind} A-Z page"))
        for slug, term in terms.items():
            resources = library.with_term(kind, slug)
            if not resources:
                continue  # an empty page helps nobody: not built, not linked, not in the sitemap
            src = term_src(kind, slug)
            feed = feed_path(kind, slug)
            # Programmes group their resources by type, until the list needs pages.
            grouped = kind == "programmes" and len(resources) <= PAGE_SIZE
            for this_src, part, pager in paged(src, resources):
                by_type = {t: [r for r in part if r.type == t] for t in TYPES}
                pages.claim(this_src, page(of_pages(term.name, pager), term.description,
                                           renderer.render_page("term_page.html", this_src, kind=kind, term=term,
                                                                resources=part, by_type=by_type, grouped=grouped,
                                                                feed=feed, pager=pager),
                                           feed=feed, feed_title=f"New and updated resources: {term.name}"),
                            Claim(f"the page of the {kind[:-1]} `{slug}`", f"vocabulary/{kind}.yml",
                                  needle=f"{slug}:"))
    pages.claim(FINDER, page("Find resources", "Search and filter every resource in the library by type, function, "
                             "programme, topic and year.", renderer.render_page("finder.html", FINDER, types=TYPES),
                             hide=["navigation", "toc"], finder_scripts=True), Claim("the finder"))
    pages.claim(OFFLINE, page("Use the library offline", "Download the whole library as a ZIP file of web pages "
                              "that work with no internet connection, search included.",
                              renderer.render_page("offline.html", OFFLINE, copy=offline_copy)),
                Claim("the page for offline readers"))
    return pages
