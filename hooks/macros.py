"""Macros for the hand-written pages in docs/ that opt in with
`render_macros: true` (resources never do: the validator refuses it).

Usage in a page: {{ newest_resources(4) }}, {{ upcoming_webinars(3) }},
{{ resource_count() }}, {{ browse() }}, {{ function_cards() }},
{{ calendar_links() }}, {{ term_link("programmes", "focus-on-frailty") }}.
"""
import os
import sys

from markupsafe import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resource_library.render import markdown_text, term_src  # noqa: E402
from resource_library.urls import relative  # noqa: E402


def define_env(env):
    def here() -> str:
        return env.page.file.src_uri

    def build():
        # The build in progress, which the hook puts in the config it is given (library_hook.BUILD_KEY).
        return env.conf.extra["resource_library_build"]

    @env.macro
    def newest_resources(count: int = 4) -> str:
        """Newest by publication date; upcoming webinars have their own list."""
        renderer = build().renderer
        return renderer.cards(renderer.newest(count), here(), heading_level=3)

    @env.macro
    def upcoming_webinars(count: int = 3) -> str:
        upcoming = build().library.upcoming()[:count]
        if not upcoming:
            return "<p>No webinars are scheduled at the moment.</p>"
        return build().renderer.cards(upcoming, here(), heading_level=3)

    @env.macro
    def resource_count(type_slug: str = "") -> int:
        listed = build().library.listed
        return len([r for r in listed if not type_slug or r.type == type_slug])

    @env.macro
    def browse() -> str:
        return build().renderer.browse(here())

    @env.macro
    def function_cards() -> str:
        return build().renderer.render("function_cards.html", here())

    @env.macro
    def calendar_links() -> str:
        return build().renderer.calendar_links(here())

    @env.macro
    def term_link(kind: str, slug: str, text: str = "") -> str:
        """A link to a term's page, or its name alone while it has no
        resources (its page is not built until then)."""
        renderer = build().renderer
        term = renderer.vocabulary.terms(kind).get(slug)
        if term is None:
            # Validate says so first, at the page's line; should the build
            # get here all the same, the page says so rather than a KeyError.
            build().unknown_term(here(), kind, slug)
            return markdown_text(text or slug)
        name = text or term.name
        if not build().library.with_term(kind, slug):
            return f"{markdown_text(name)} (no resources yet)"
        href = relative(renderer.url(term_src(kind, slug)), renderer.url(here()))
        return f'<a href="{escape(href)}">{markdown_text(name)}</a>'
