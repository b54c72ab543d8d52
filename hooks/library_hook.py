"""MkDocs hook: adapts the engine's events to the resource_library package.

Thin by design: each event reads what it needs from the engine, calls the
build in progress (resource_library.build.Build), and hands the result
back as the engine's own objects. The work and its tests live in
hooks/resource_library/. `mkdocs.*` here is whichever engine loaded this
hook: ProperDocs answers those names with its own modules (engine.py).
"""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urljoin

import mkdocs.contrib.search
from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

# Imported at the top: MkDocs puts hooks/ on sys.path only while importing us.
import engine
import markdown_worker
from resource_library import csp, dates, headings
from resource_library.urls import hosted
from resource_library.build import Build, BuildError, PreviewSession, Site

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

# The finder runs lunr.js's pipeline on the reader's words: the copy the engine ships.
LUNR_JS = str(Path(mkdocs.contrib.search.__file__).parent / "templates" / "search" / "lunr.js")
# Where macros.py finds the build in progress: the engine gives it the config, not us.
BUILD_KEY = "resource_library_build"

# The one thing this module keeps: what outlives a build. The engine loads
# this module once per process (`mkdocs serve` rebuilds included), and each
# build is made in on_config and reached from here.
_session = PreviewSession()


def on_startup(command, dirty=False, **kwargs):
    """Drafts are shown only by `mkdocs serve` (`make serve`). There, each
    rebuild printed lines a contributor cannot act on (MkDocs' warning that
    `--dirty` is in use, which `make serve` chose for them, and six lines
    of macros' set-up): they are kept out of the terminal."""
    _session.start(command, dirty)
    if _session.serving:
        engine.logger("commands.build").addFilter(
            lambda record: not record.getMessage().startswith("A 'dirty' build is being performed"))
        logging.getLogger("mkdocs.plugins.mkdocs_macros.util").setLevel(logging.WARNING)
        # A redirect (a folder's address without its slash) is not a problem; a 404 still is.
        engine.logger("livereload").addFilter(
            lambda record: not (record.levelno == logging.WARNING and '" code 30' in record.getMessage()))


def on_config(config):
    """A new build; the build date for page notes. Headings' ids are made
    by headings.slugify, the function validate's anchor checks use, so
    that every id is one the sanitiser keeps and every `#part` validate
    passes is on the page."""
    if "toc" in config.markdown_extensions:
        config.mdx_configs.setdefault("toc", {})["slugify"] = headings.slugify
    site = Site(root=Path(config.config_file_path).resolve().parent, docs_dir=config.docs_dir,
                site_dir=config.site_dir, site_url=config.site_url or "", site_name=config.site_name,
                use_directory_urls=config.use_directory_urls, edit_uri=config.edit_uri or "",
                macro_pages=frozenset(config.extra.get("macro_pages") or []), lunr_js=LUNR_JS)
    config.extra[BUILD_KEY] = _session.begin(site, log, markdown_worker.Helper)
    config.extra["built_on"] = dates.long_date(dates.build_time().date())
    return config


@event_priority(100)
def on_files(files: Files, config) -> Files:
    """Validate every resource, then add resources, their downloads and the
    generated pages to the build.

    Priority 100: runs before every plugin, so that plugins that work on
    files (tags, meta) see the resources as ordinary pages.
    """
    build = _session.build
    try:
        added = build.read({file.src_uri for file in files})
    except BuildError as error:
        raise PluginError(str(error)) from None
    plugins = list(config.plugins)
    for file in [f for f in files if not f.is_documentation_page() and build.unused_theme_file(f.src_uri, plugins)
                 or build.through_link(f.abs_src_path)]:
        files.remove(file)
    for item in added:
        file = File.generated(config, item.src_uri, content=item.content, abs_src_path=item.abs_src_path)
        if item.edit_uri is not None:
            file.edit_uri = item.edit_uri
        files.append(file)
    if build.dirty:
        pages = [(f.src_uri, f.abs_dest_path, lambda f=f: f.content_string) for f in files.documentation_pages()]
        modified = build.modified(pages)
        for file in files.documentation_pages():
            if file.src_uri in modified:
                file.is_modified = (lambda: True) if modified[file.src_uri] else (lambda: False)
    build.files_ready(markdown_settings(config), [(f.src_uri, f.dest_uri) for f in files])
    return files


def markdown_settings(config) -> dict | None:
    """What the Markdown worker needs of the config; None if an extension is
    an object, which cannot be sent to it."""
    names = config.markdown_extensions
    if not all(isinstance(name, str) for name in names):
        return None
    mdx = config.mdx_configs or {}
    return {"site_name": config.site_name, "theme": config.theme.name, "docs_dir": config.docs_dir,
            "site_dir": config.site_dir,
            "use_directory_urls": config.use_directory_urls, "validation": config.validation,
            "markdown_extensions": [{name: mdx[name]} if name in mdx else name for name in names]}


def on_page_read_source(page, config):
    """A resource's front matter is already parsed (by on_files' validation):
    MkDocs need not read the file and parse its YAML again."""
    return "" if _session.build.resource(page.file.src_uri) is not None else None


def escape_title(page) -> None:
    """Material prints `page.title` unescaped in places (its header, its
    navigation): escape it once, at the source. Markup is never escaped
    twice by templates that do escape."""
    title = page.meta.get("title")
    if isinstance(title, str) and not isinstance(title, Markup):
        page.meta["title"] = Markup.escape(title)


@event_priority(50)
def on_page_markdown(markdown: str, page, config, files) -> str:
    """Resource pages: metadata from our own parse of the front matter, and
    the body exactly as written.

    Priority 50: before mkdocs-macros (0), so it sees `render_macros: false`
    and never runs a resource's body as Jinja.
    """
    build = _session.build
    resource = build.resource(page.file.src_uri)
    if resource is None:
        page.meta = build.editor_meta(page.file.src_uri, page.meta, page.file.abs_src_path)
        escape_title(page)
        return markdown
    page.meta = build.resource_meta(resource)
    escape_title(page)
    rendered = build.rendered_by_worker(page.file.src_uri)
    if rendered is not None:
        _rendered_by_worker(page, rendered)
    page.edit_url = build.edit_url(page.edit_url)
    return resource.body


def _rendered_by_worker(page, rendered) -> None:
    """Give the page what the worker rendered, in place of the engine's render."""
    held = [rendered]

    def render(config, files):
        # Called once. The page keeps what it needs; this closure must not
        # keep the rest (the worker's copy of the HTML: 15 MB at 1,000).
        html, toc, anchors, links, messages = held.pop()
        del page.render
        page.content, page.toc, page.present_anchor_ids = html, toc, anchors
        page.links_to_anchors = {files.get_file_from_path(src): found for src, found in links.items()
                                 if files.get_file_from_path(src) is not None}
        for level, message in messages:  # logged here, so that --strict counts them
            logging.getLogger("mkdocs.structure.pages").log(level, message)

    page.render = render


def on_page_content(html: str, page, config, files) -> str:
    """Generated pages get their HTML; resource pages their header and
    footer, rendered with escaping; every page is cleaned. Added after
    Markdown, which would otherwise parse every raw HTML block again."""
    return _session.build.page_content(html, page.file.src_uri, page.file.dest_uri, page.toc,
                                       lambda: page.file.content_string)


def on_env(env, config, files):
    """The navigation, rendered once for all the pages that show the same
    one (docs/overrides/partials/nav.html). `make serve`: the theme's
    templates are compiled once, not at every edit."""
    build = _session.build
    build.pages_rendered(f.abs_dest_path for f in files)
    env.globals["library_nav_once"] = _nav_once(config.theme.get("logo") or "")
    build.claims_of([(f.src_uri, f.dest_uri, f.abs_src_path, f.is_documentation_page())
                     for f in files if not f.inclusion.is_excluded()], config.theme.static_templates)
    if build.serving:
        env.bytecode_cache = _session.compiled_templates()
    return env


def _nav_once(logo: str):
    """A page outside the navigation marks nothing in it as active, so its
    navigation differs from another's only in its links, which the theme
    makes relative to the page: the key is those links."""
    rendered: dict[tuple, str] = {}

    def nav_once(page, nav, body):
        if page is None or nav is None or any(item.active for item in nav.items):
            return body()
        key = tuple(get_relative_url(target, page.url) for target in [p.url for p in nav.pages] + [logo])
        if key not in rendered:
            rendered[key] = body()
        return rendered[key]

    return nav_once


def on_page_context(context, page, config, nav):
    """The offline copy's pages name their live page (canonical, og:url, the
    report-a-problem email) as the hosted site has it, a folder: `x.html`
    would be an address that 404s."""
    if not config.use_directory_urls and page.canonical_url:
        page.canonical_url = urljoin(config.site_url, hosted(page.url))
    return context


def on_post_page(output: str, page, config) -> str:
    """Every page gets the same Content-Security-Policy (Build.with_page_policy)."""
    return _session.build.with_page_policy(output, page.file.src_uri, page.file.abs_dest_path)


def on_serve(server, config, builder):
    """`mkdocs serve` injects an inline live-reload script into each page as
    it serves it; allow exactly that script by its hash, on that response."""
    inject = getattr(server, "_inject_js_into_html", None)
    if inject is None:
        log.warning("live reload is blocked by the page policy: MkDocs' livereload has changed")
        return server

    def inject_with_policy(content: bytes, epoch):
        html = inject(content, epoch).decode("utf-8")
        scripts = csp.executable_inline_scripts(html)
        if not scripts:
            return html.encode("utf-8")
        return csp.add_policy(html, (csp.script_hash(scripts[-1]),)).encode("utf-8")

    server._inject_js_into_html = inject_with_policy
    return server


def on_post_build(config):
    """The policy on every HTML file, the side outputs, the gate (Build.finish)."""
    try:
        _session.build.finish()
    except BuildError as error:
        raise PluginError(str(error)) from None


def on_build_error(error, **kwargs):
    if _session.build is not None:
        _session.build.stop()


def on_shutdown():
    _session.close()
