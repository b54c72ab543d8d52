"""MkDocs hook: adapts MkDocs events to the resource_library package.

Thin by design: each event reads what it needs from MkDocs, calls a plain
function, and hands the result back. The work and its tests live in
hooks/resource_library/.
"""
from __future__ import annotations

import posixpath
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

# Imported at the top: MkDocs puts hooks/ on sys.path only while importing us.
from resource_library import build_state, dates, indexes, side_outputs
from resource_library.csp import add_policy
from resource_library.feeds import json_ld
from resource_library.load import Resource, discover
from resource_library.problems import report
from resource_library.render import Renderer, plain
from resource_library.synonyms import load_synonyms
from resource_library.validate import check_project
from resource_library.vocabulary import VocabularyError

THEME_SEARCH_FILES = ("assets/javascripts/workers/", "assets/javascripts/lunr/")
_serving = False
_generated_html: dict[str, str] = {}   # source path -> HTML of a generated page
_side_outputs = None                   # side_outputs.start(), collected in on_post_build


def project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def resource_of(page) -> Resource | None:
    """The resource a page is built from, if it is one."""
    library, src_uri = build_state.library, page.file.src_uri
    resource = library.by_key.get(src_uri[:-3]) if library else None
    return resource if resource is not None and resource.src_uri == src_uri else None


def on_config(config):
    """The build date for page notes."""
    config.extra["built_on"] = dates.long_date(dates.build_time().date())
    return config


def on_startup(command, dirty=False, **kwargs):
    """Drafts are shown only by `mkdocs serve` (`make serve`)."""
    global _serving
    _serving = command == "serve"


@event_priority(100)
def on_files(files: Files, config) -> Files:
    """Validate every resource, then add resources, their downloads and the
    generated pages to the build.

    Priority 100: runs before every plugin, so that plugins that work on
    files (tags, meta) see the resources as ordinary pages.
    """
    root = project_root(config)
    try:
        library, problems = check_project(root, config.docs_dir, include_drafts=_serving)
    except VocabularyError as error:
        raise PluginError(str(error)) from None
    synonyms, synonym_problems = load_synonyms(root / "vocabulary" / "synonyms.yml")
    problems = problems + synonym_problems
    if problems:
        # Printed, not logged: `path:line:col` must start the line for editors and CI.
        print(report(problems), file=sys.stderr, flush=True)
    if any(p.is_error for p in problems):
        raise PluginError("The site was not built: fix the problems above and build again.")

    # The theme's search worker and its language files: unused without its
    # search plugin (the finder is the site's search), 1.2 MB in every build.
    if not any(name.endswith("search") for name in config.plugins):
        for file in [f for f in files if f.src_uri.startswith(THEME_SEARCH_FILES) and not f.is_documentation_page()]:
            files.remove(file)

    renderer = Renderer(library, config.use_directory_urls, config.site_url or "")
    build_state.library, build_state.renderer = library, renderer
    edit_base = config.edit_uri or ""
    for resource in library.pages:
        file = File.generated(config, resource.src_uri, abs_src_path=str(resource.abs_path))
        # Edit links point at the real file, beside docs/, not inside it.
        file.edit_uri = f"../{resource.src_uri}" if edit_base.rstrip("/").endswith("docs") else resource.src_uri
        files.append(file)
    for path in discover(root)[1]:
        files.append(File.generated(config, path.relative_to(root).as_posix(), abs_src_path=str(path)))
    _generated_html.clear()
    for src_uri, (front_matter, html) in indexes.generate(renderer).items():
        if files.get_file_from_path(src_uri) is None:  # a hand-written page wins
            files.append(File.generated(config, src_uri, content=front_matter))
            _generated_html[src_uri] = html
    # The finder's index and the feeds need only the library: built on the
    # second core while MkDocs renders pages, collected in on_post_build.
    global _side_outputs
    _side_outputs = side_outputs.start(library, config.use_directory_urls, config.site_url or "",
                                       config.site_name, synonyms, in_background=not _serving)
    return files


@event_priority(50)
def on_page_markdown(markdown: str, page, config, files) -> str:
    """Resource pages: metadata from our own parse of the front matter, and
    the body exactly as written.

    Priority 50: before mkdocs-macros (0), so it sees `render_macros: false`
    and never runs a resource's body as Jinja.
    """
    resource = resource_of(page)
    if resource is None:
        return markdown
    meta = dict(resource.meta)
    meta.update(render_macros=False, description=plain(resource.summary))
    meta["json_ld"] = json_ld(resource, build_state.library, config.site_url or "")
    meta["og_type"] = "article"
    page.meta = meta
    if page.edit_url:
        # ".../docs/../at-a-glance/x.md" -> ".../at-a-glance/x.md"
        parts = urlsplit(page.edit_url)
        page.edit_url = urlunsplit(parts._replace(path=posixpath.normpath(parts.path)))
    return resource.body


def on_page_content(html: str, page, config, files) -> str:
    """Generated pages get their HTML; resource pages their header and
    footer, rendered with escaping. Added after Markdown, which would
    otherwise parse every raw HTML block again."""
    if page.file.src_uri in _generated_html:
        return _generated_html[page.file.src_uri]
    resource = resource_of(page)
    if resource is None:
        return html
    renderer = build_state.renderer
    return renderer.resource_header(resource) + "\n" + html + "\n" + renderer.resource_footer(resource)


def on_post_page(output: str, page, config) -> str:
    """Every page gets a Content-Security-Policy that allows only itself."""
    return add_policy(output, offline=bool(config.extra.get("offline_copy")))


def on_post_build(config):
    """Write the finder's index and data, the feed and the calendars."""
    try:
        side_outputs.finish(_side_outputs, Path(config.site_dir))
    except side_outputs.SideOutputError as error:
        raise PluginError(str(error)) from None
