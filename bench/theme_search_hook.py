"""bench only: with the theme's search put back (mkdocs.theme-search.yml),
leave out of its index what the pipeline left out before issue 11, so the
comparison is with the site as it was: generated listings (which repeat the
resources' summaries) and withdrawn resources."""
from mkdocs.plugins import event_priority

LISTING_FOLDERS = ("topics/", "programmes/", "functions/", "finder/")


@event_priority(-50)
def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if src.endswith("/index.md") and src != "about/index.md" or src.startswith(LISTING_FOLDERS) \
            or (page.meta or {}).get("status") == "withdrawn":
        page.meta["search"] = {"exclude": True}
    return markdown
