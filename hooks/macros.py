"""Macros for the hand-written pages in docs/ that opt in with
`render_macros: true` (resources never do: the validator refuses it).

Usage in a page: {{ newest_resources(6) }}, {{ upcoming_webinars(3) }},
{{ resource_count() }}, {{ function_cards() }}.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from resource_library import build_state  # noqa: E402


def define_env(env):
    def here() -> str:
        return env.page.file.src_uri

    @env.macro
    def newest_resources(count: int = 6) -> str:
        return build_state.renderer.cards(build_state.library.listed[:count], here(), heading_level=3)

    @env.macro
    def upcoming_webinars(count: int = 3) -> str:
        upcoming = build_state.library.upcoming()[:count]
        if not upcoming:
            return "<p>No webinars are scheduled at the moment.</p>"
        return build_state.renderer.cards(upcoming, here(), heading_level=3)

    @env.macro
    def resource_count(type_slug: str = "") -> int:
        listed = build_state.library.listed
        return len([r for r in listed if not type_slug or r.type == type_slug])

    @env.macro
    def function_cards() -> str:
        return build_state.renderer.render("function_cards.html", here())
