"""MkDocs hook: adapts MkDocs events to the resource_library package.

Thin by design: each event reads what it needs from MkDocs, calls a plain
function, and hands the result back. The work and its tests live in
hooks/resource_library/.
"""
from __future__ import annotations

import gc
import logging
import os
import posixpath
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import mkdocs.contrib.search
from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

# Imported at the top: MkDocs puts hooks/ on sys.path only while importing us.
import markdown_worker
from resource_library import (build_state, bundle, csp, dates, indexes, memo, pdf, preview, rules, sanitize,
                              side_outputs, signatures)
from resource_library.claims import Claim, Claims
from resource_library.gate import SCRIPT_FOLDERS, Gate
from resource_library.feeds import json_ld
from resource_library.load import TYPES, Resource
from resource_library.problems import Problem, as_html, report
from resource_library.render import CompiledTemplates, Renderer, plain
from resource_library.validate import check_project

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

THEME_SEARCH_FILES = ("assets/javascripts/workers/", "assets/javascripts/lunr/")
# The finder runs lunr.js's pipeline on the reader's words: the copy MkDocs ships.
LUNR_JS = str(Path(mkdocs.contrib.search.__file__).parent / "templates" / "search" / "lunr.js")
_serving = False
_dirty = False                          # `make serve` passes --dirty: re-render only what changed
_generated_html: dict[str, str] = {}   # source path -> HTML of a generated page
_side_outputs = None                   # side_outputs.start(), collected in on_post_build
_side_args: tuple | None = None        # what to start it with, until it is started
_render_problems: list[Problem] = []   # what the sanitiser removed, reported once all pages are built
_with_policy: set[str] = set()         # pages that got the policy in on_post_page
_serve_problems: list[Problem] = []    # `make serve` with errors: every page lists them instead
_preview_pages: dict[str, list] = {}   # `build --drafts` with errors: resource path -> its problems (preview.py)
_outputs: set[str] = set()             # every file the build writes from `files` (on_env)
_claims: Claims | None = None          # who writes each output (on_env, on_post_build): the gate reads it
_generated: dict = {}                  # indexes.generate()'s pages, with their claims
_shadowed: list = []                   # content files at an address a docs/ file also has (on_files)
_script_sources: tuple = ()            # the hosted site's script folders (on_config); () is 'self'
_briefings = None                      # pdf.Briefings: this build's PDFs (on_files); None under `make serve`
_markdown: markdown_worker.Helper | None = None  # renders resources' Markdown on the second core
# Below this many resources, starting a second process costs more than it saves.
MARKDOWN_WORKER_FROM = 100


def project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def resource_of(page) -> Resource | None:
    """The resource a page is built from, if it is one."""
    library, src_uri = build_state.library, page.file.src_uri
    resource = library.by_key.get(src_uri[:-3]) if library else None
    return resource if resource is not None and resource.src_uri == src_uri else None


def on_config(config):
    """The build date for page notes; the hosted site's script folders."""
    global _script_sources
    config.extra["built_on"] = dates.long_date(dates.build_time().date())
    # `build --hosted` (the deploy): pages run scripts only from the site's
    # own script folders under site_url. Elsewhere (file://, a preview on
    # another host) a path source would name nothing: 'self'.
    hosted = os.environ.get("RESOURCE_LIBRARY_HOSTED") == "1" and (config.site_url or "").startswith("https://")
    _script_sources = csp.script_folders(config.site_url, SCRIPT_FOLDERS) if hosted else ()
    return config


def on_startup(command, dirty=False, **kwargs):
    """Drafts are shown only by `mkdocs serve` (`make serve`). There, each
    rebuild printed lines a contributor cannot act on (MkDocs' warning that
    `--dirty` is in use, which `make serve` chose for them, and six lines
    of macros' set-up): they are kept out of the terminal."""
    global _serving, _dirty
    _serving, _dirty = command == "serve", command == "serve" and dirty
    if _serving:
        logging.getLogger("mkdocs.commands.build").addFilter(
            lambda record: not record.getMessage().startswith("A 'dirty' build is being performed"))
        logging.getLogger("mkdocs.plugins.mkdocs_macros.util").setLevel(logging.WARNING)
        # A redirect (a folder's address without its slash) is not a problem; a 404 still is.
        logging.getLogger("mkdocs.livereload").addFilter(
            lambda record: not (record.levelno == logging.WARNING and '" code 30' in record.getMessage()))


@event_priority(100)
def on_files(files: Files, config) -> Files:
    """Validate every resource, then add resources, their downloads and the
    generated pages to the build.

    Priority 100: runs before every plugin, so that plugins that work on
    files (tags, meta) see the resources as ordinary pages.
    """
    root = project_root(config)
    global _markdown
    _stop_markdown_worker()
    wanted = os.environ.get("RESOURCE_LIBRARY_MARKDOWN_WORKER")
    if not _serving and wanted != "0" and (wanted == "all" or sum(
            1 for folder in TYPES for _ in (root / folder).glob("*.md")) >= MARKDOWN_WORKER_FROM):
        # Started now, so that it has imported MkDocs by the time we have validated.
        _markdown = markdown_worker.Helper()
    # Drafts: in `make serve`, and in a pull request's preview (`build --drafts`).
    drafts = _serving or os.environ.get("RESOURCE_LIBRARY_DRAFTS") == "1"
    library, problems = check_project(root, config.docs_dir, include_drafts=drafts,
                                      cache=build_state.validated if _serving else None,
                                      drafts_are_warnings=not drafts)
    if problems:
        # Printed, not logged: `path:line:col` must start the line for editors and CI.
        print(report(problems), file=sys.stderr, flush=True)
    _serve_problems.clear()
    _preview_pages.clear()
    if any(p.is_error for p in problems) and drafts and not _serving:
        # The pull request's preview: built whatever the resources' problems.
        published = {r.src_uri for r in library.pages}
        for src_uri, markdown in preview.stand_ins(root, problems, published).items():
            if files.get_file_from_path(src_uri) is None:
                files.append(File.generated(config, src_uri, content=markdown))
                _preview_pages[src_uri] = [p for p in problems if p.path == src_uri]
        if any(p.is_error and p.path not in _preview_pages for p in problems):
            raise PluginError("The preview was not built: fix the problems above (outside the resources) "
                              "and build again.")
    elif any(p.is_error for p in problems):
        if not _serving:
            raise PluginError("The site was not built: fix the problems above and build again.")
        # A failed rebuild would leave `mkdocs serve` waiting forever, and the
        # open tab with it. Build instead, with the problems on every page; a
        # broken resource keeps a page at its own address, so its tab reloads.
        _serve_problems.extend(problems)
        published = {r.src_uri for r in library.pages}
        for src_uri in sorted({p.path for p in problems if p.path.endswith(".md") and not p.path.startswith("docs/")}):
            if src_uri not in published and files.get_file_from_path(src_uri) is None:
                files.append(File.generated(config, src_uri, content="---\ntitle: Problems to fix\n---\n"))

    # The finder's index and the feeds need only the library: built on the
    # second core while MkDocs renders pages, collected in on_post_build.
    global _side_outputs, _side_args
    # Under `make serve`, one process for the whole session keeps its memo.
    if _serving and (build_state.side_session is None or not build_state.side_session.ready()):
        if build_state.side_session is not None:
            build_state.side_session.close()  # it died, or still owes a failed rebuild's reply
        build_state.side_session = side_outputs.Session()
    memo.enable(build_state.side_memo if _serving else None)  # if the session fails, here
    _side_outputs = None
    _side_args = (library, config.use_directory_urls, config.site_url or "", config.site_name,
                  library.synonyms, LUNR_JS)

    # The theme's search worker and its language files: unused without its
    # search plugin (the finder is the site's search), 1.2 MB in every build.
    if not any(name.endswith("search") for name in config.plugins):
        for file in [f for f in files if f.src_uri.startswith(THEME_SEARCH_FILES) and not f.is_documentation_page()]:
            files.remove(file)

    renderer = Renderer(library, config.use_directory_urls, config.site_url or "",
                        memo=build_state.rendered if _serving else None)
    build_state.library, build_state.renderer = library, renderer
    edit_base = config.edit_uri or ""
    for resource in library.pages:
        file = File.generated(config, resource.src_uri, abs_src_path=str(resource.abs_path))
        # Edit links point at the real file, beside docs/, not inside it.
        file.edit_uri = f"../{resource.src_uri}" if edit_base.rstrip("/").endswith("docs") else resource.src_uri
        files.append(file)
    # Only the files a published resource asks for, never the whole folder.
    _shadowed.clear()
    for rel in library.files:
        if files.get_file_from_path(rel) is not None:
            # An editor's file in docs/ at the same address: MkDocs would keep one silently.
            _shadowed.append((rel, Claim("an editor's file", "docs/" + rel), Claim("a resource's file", rel)))
        files.append(File.generated(config, rel, abs_src_path=str(root / rel)))
    _generated_html.clear()
    _render_problems.clear()
    _with_policy.clear()
    global _generated, _briefings
    # Briefings' PDFs: built with the site and the preview, never under `make serve`.
    # RESOURCE_LIBRARY_PDFS=0: none (make bench's build without them).
    _briefings = None if _serving or os.environ.get("RESOURCE_LIBRARY_PDFS") == "0" else pdf.Briefings(
        root, config.site_url or "", config.use_directory_urls, cache_dir=root / ".cache" / "pdf",
        logo=Path(config.docs_dir) / "assets" / "logo.svg")
    # `build --offline-copy ZIP` (the deploy): the offline zip, published
    # with the site and offered on its page for offline readers.
    offline = bundle.offline_copy(os.environ.get("RESOURCE_LIBRARY_OFFLINE_COPY"))
    if offline is not None:
        files.append(File.generated(config, offline["src"], abs_src_path=offline["path"]))
    generated = _generated = indexes.generate(renderer, offline)
    renderer.forget_unused()
    for src_uri, (front_matter, html) in generated.items():
        if files.get_file_from_path(src_uri) is None:  # a hand-written page wins
            files.append(File.generated(config, src_uri, content=front_matter))
            _generated_html[src_uri] = html
    if _dirty:
        mark_modified(files, library, root, config)
    if not _serving:
        # What is loaded now lives until the build ends: keep the cyclic
        # garbage collector from walking it again and again (its passes grow
        # with the library, so per-page work grew faster than the pages).
        # Not under `make serve`, where each rebuild's library must be freed.
        gc.freeze()
    if _markdown is not None:
        _send_markdown_job(files, library, config)
    if _markdown is None:
        # Started as soon as the library is read: the longer it has, the less
        # we wait. With the Markdown worker on the second core, it starts
        # when the worker stops instead: one helper process at a time.
        _start_side_outputs()
    return files


def _start_side_outputs() -> None:
    global _side_outputs, _side_args
    if _side_args is not None:
        _side_outputs = side_outputs.start(*_side_args, in_background=not _serving,
                                           session=build_state.side_session if _serving else None)
        _side_args = None


def _send_markdown_job(files: Files, library, config) -> None:
    names = config.markdown_extensions
    # RESOURCE_LIBRARY_MARKDOWN_WORKER: "0" never (above), "all" for every page (tests).
    few = len(library.pages) < MARKDOWN_WORKER_FROM and os.environ.get("RESOURCE_LIBRARY_MARKDOWN_WORKER") != "all"
    if few or not all(isinstance(name, str) for name in names):
        _stop_markdown_worker()  # few pages, or an extension object that cannot be sent
        return
    mdx = config.mdx_configs or {}
    settings = {"site_name": config.site_name, "docs_dir": config.docs_dir, "site_dir": config.site_dir,
                "use_directory_urls": config.use_directory_urls, "validation": config.validation,
                "markdown_extensions": [{name: mdx[name]} if name in mdx else name for name in names]}
    _markdown.send(settings, [(f.src_uri, f.dest_uri) for f in files],
                   [(r.src_uri, r.body) for r in library.pages])


def _stop_markdown_worker() -> None:
    global _markdown
    if _markdown is not None:
        errors = _markdown.close()
        log.debug(f"The Markdown worker rendered {_markdown.used} resource pages.")
        if errors.strip():
            log.debug(f"The Markdown worker stopped with: {errors}")
        _markdown = None


def _rendered_by_worker(page, rendered) -> None:
    """Give the page what the worker rendered, in place of MkDocs' render."""
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


def on_page_read_source(page, config):
    """A resource's front matter is already parsed (by on_files' validation):
    MkDocs need not read the file and parse its YAML again."""
    return "" if resource_of(page) is not None else None


def escape_title(page) -> None:
    """Material prints `page.title` unescaped in places (its header, its
    navigation): escape it once, at the source. Markup is never escaped
    twice by templates that do escape."""
    title = page.meta.get("title")
    if isinstance(title, str) and not isinstance(title, Markup):
        page.meta["title"] = Markup.escape(title)


def mark_modified(files: Files, library, root: Path, config) -> None:
    """`mkdocs serve --dirty` re-renders a page only if its source file is
    newer than its output: a title change would leave listings, related
    lists and term pages stale. Instead, each page gets a signature of what
    it shows, and is re-rendered exactly when that changed."""
    context = signatures.context(root, config.docs_dir)
    macro_pages = set(config.extra.get("macro_pages") or [])
    related_shown = signatures.related_lists(library, build_state.related)
    new: dict[str, int] = {}
    for file in files.documentation_pages():
        src = file.src_uri
        resource = library.by_key.get(src[:-3])
        if _serve_problems or src in macro_pages:
            signature = None  # always
        elif resource is not None and resource.src_uri == src:
            signature = signatures.resource_page(context, resource, library, related_shown.get(src, ()))
        elif src in _generated_html:
            signature = hash((context, _generated_html[src], file.content_string))
        else:
            continue  # an editor's page: MkDocs compares file times
        unchanged = (signature is not None and build_state.page_signatures.get(src) == signature
                     and os.path.isfile(file.abs_dest_path))
        file.is_modified = (lambda: False) if unchanged else (lambda: True)
        new[src] = signature
    build_state.page_signatures = {} if _serve_problems else new


@event_priority(50)
def on_page_markdown(markdown: str, page, config, files) -> str:
    """Resource pages: metadata from our own parse of the front matter, and
    the body exactly as written.

    Priority 50: before mkdocs-macros (0), so it sees `render_macros: false`
    and never runs a resource's body as Jinja.
    """
    resource = resource_of(page)
    if resource is None:
        escape_title(page)
        return markdown
    meta = dict(resource.meta)
    meta.update(render_macros=False, description=plain(resource.summary))
    meta["json_ld"] = json_ld(resource, build_state.library, config.site_url or "")
    meta["og_type"] = "article"
    page.meta = meta
    escape_title(page)
    # RESOURCE_LIBRARY_MARKDOWN_WORKER=all (tests): the worker renders every page.
    rendered = (_markdown.take(page.file.src_uri, wait=os.environ.get("RESOURCE_LIBRARY_MARKDOWN_WORKER") == "all")
                if _markdown is not None else None)
    if rendered is not None:
        _rendered_by_worker(page, rendered)
        # The two have met and the worker has stopped (the later pages are
        # already here): the second core is free for the side outputs.
        _start_side_outputs()
    if page.edit_url:
        # ".../docs/../at-a-glance/x.md" -> ".../at-a-glance/x.md"
        parts = urlsplit(page.edit_url)
        page.edit_url = urlunsplit(parts._replace(path=posixpath.normpath(parts.path)))
    return resource.body


def on_page_content(html: str, page, config, files) -> str:
    """Generated pages get their HTML; resource pages their header and
    footer, rendered with escaping. Added after Markdown, which would
    otherwise parse every raw HTML block again."""
    if _serve_problems:
        return as_html(_serve_problems)
    if page.file.src_uri in _generated_html:
        return _generated_html[page.file.src_uri]
    if page.file.src_uri in _preview_pages:
        # Already reported, with lines; what is shown is cleaned all the same.
        cleaned = sanitize.clean(html).html
        sanitize.plain_toc(page.toc, sanitize.heading_texts(cleaned), Markup.escape)
        return preview.problems_above(_preview_pages[page.file.src_uri]) + cleaned
    resource = resource_of(page)
    if resource is None:
        # An editor's page in docs/: the same allow-list, with any class
        # (macros on the home page emit the site's own card markup).
        # Positions are in the whole file, front matter included.
        cleaned = _sanitised(html, "docs/" + page.file.src_uri, 1, page.file.content_string, editor=True)
        sanitize.plain_toc(page.toc, sanitize.heading_texts(cleaned), Markup.escape)
        return cleaned
    body = _sanitised(html, resource.src_uri, resource.body_line, resource.body)
    sanitize.plain_toc(page.toc, sanitize.heading_texts(body), Markup.escape)
    briefing = _briefing(resource, body, page)
    renderer = build_state.renderer
    return renderer.resource_header(resource, briefing) + "\n" + body + "\n" + renderer.resource_footer(resource)


def _briefing(resource, body: str, page) -> dict | None:
    """The resource's PDF, made (or taken from the cache) from its cleaned
    body before its page is written, so that the page can give its size.
    Never under `make serve`, which must not wait for PDFs."""
    briefings = _briefings
    if briefings is None or not pdf.wanted(resource, include_drafts=os.environ.get("RESOURCE_LIBRARY_DRAFTS") == "1"):
        return None
    library = build_state.library
    page_folder = posixpath.dirname(page.file.dest_uri)

    def image_file(src: str):
        target = posixpath.normpath(posixpath.join(page_folder, unquote(urlsplit(src).path)))
        return project_root_path / target if target in library.files else None

    project_root_path = briefings.root
    try:
        made = briefings.make(resource, body, library, image_file)
    except pdf.PdfError as error:
        _render_problems.append(rules.problem("pdf", resource.src_uri, resource.body_line, 1, error=error))
        return None
    return {"src": made.path, "size": made.size, "pages": made.pages}


def _sanitised(html: str, shown_path: str, first_line: int, source: str, editor: bool = False) -> str:
    """The page's HTML through the allow-list; anything removed becomes a
    problem in the contributor's file, reported when the build ends."""
    cleaned = sanitize.clean(html, editor)
    found = []
    if cleaned.changed:
        lines = source.split("\n")
        for what, needle in sanitize.explain(html, editor):
            line, col = next(((n, text.lower().find(needle.lower())) for n, text in enumerate(lines)
                              if needle and needle.lower() in text.lower()), (0, 0))
            found.append(rules.problem("unsafe-html/page", shown_path, first_line + line, col + 1,
                                       lines[line] if line < len(lines) else "", what=what))
    _render_problems.extend(found)
    if found and _serving:
        # The preview shows the page as it would be published, under the list.
        return as_html(found) + cleaned.html
    return cleaned.html


def on_env(env, config, files):
    """The navigation, rendered once for all the pages that show the same
    one (docs/overrides/partials/nav.html). `make serve`: the theme's
    templates are compiled once, not at every edit."""
    # Every page's Markdown is rendered: a worker still running would only
    # repeat what is done.
    _stop_markdown_worker()
    _start_side_outputs()
    if not _serving:
        gc.freeze()  # the pages and their HTML, read and rendered: they live until the build ends
    env.globals["library_nav_once"] = _nav_once(config.theme.get("logo") or "")
    global _outputs, _claims
    _outputs = {os.path.normpath(f.abs_dest_path) for f in files}
    _claims = claims_of(files, config)
    if _serving:
        if build_state.templates is None:
            build_state.templates = CompiledTemplates()
        env.bytecode_cache = build_state.templates
    return env


def claims_of(files: Files, config) -> Claims:
    """Who writes each file MkDocs will write, for the gate."""
    claims = Claims()
    library = build_state.library
    docs_dir = os.path.normpath(config.docs_dir) + os.sep
    content = set(library.files) if library else set()
    dest_of = {}
    for file in files:
        if file.inclusion.is_excluded():
            continue
        src = file.src_uri
        dest_of[src] = file.dest_uri
        resource = library.by_key.get(src[:-3]) if library else None
        if resource is not None and resource.src_uri == src:
            claim = Claim("the resource's page", src)
        elif src in content:
            claim = Claim("a resource's file", src)
        elif src in _generated_html:
            claim = _generated.claims[src]
        elif src.startswith("offline/") and src.endswith(".zip") and file.abs_src_path:
            claim = Claim("the offline copy")
        elif file.abs_src_path and os.path.normpath(file.abs_src_path).startswith(docs_dir):
            claim = (Claim("an editor's page", "docs/" + src) if file.is_documentation_page()
                     else Claim("the site's own assets", "docs/" + src) if src.startswith("assets/")
                     else Claim("an editor's file", "docs/" + src))
        elif file.abs_src_path is None:
            claim = Claim("the preview's list of problems", src)
        else:
            claim = Claim("the theme")
        claims.add(file.dest_uri, claim)
    for src, first, second in _generated.conflicts if _generated else ():
        claims.conflicts.append((dest_of.get(src, src), first, second))
    claims.conflicts += _shadowed
    # What the engine renders from the theme's static templates itself.
    for name in config.theme.static_templates:
        claims.add(name, Claim("the theme's template"))
        if name == "sitemap.xml":
            claims.add("sitemap.xml.gz", Claim("the theme's template"))
    return claims


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


def on_post_page(output: str, page, config) -> str:
    """Every page gets the same Content-Security-Policy: scripts from the
    site's own files only. An inline script in the output means the theme
    changed or something got past the sanitiser: fail the build."""
    if csp.executable_inline_scripts(output):
        log.warning(f"{page.file.src_uri}: the page has an inline script, which its policy blocks")
    _with_policy.add(os.path.normpath(page.file.abs_dest_path))
    return csp.add_policy(output, sources=_script_sources)


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


def on_build_error(error, **kwargs):
    _stop_markdown_worker()


def on_shutdown():
    if build_state.side_session is not None:
        build_state.side_session.close()
        build_state.side_session = None


def remove_stale_outputs(site_dir: str) -> None:
    """`mkdocs serve --dirty` never deletes: a renamed resource, or a topic
    page no longer made, would still be served at its old address. Remove
    what the last rebuild wrote and this one did not."""
    for path in build_state.outputs - _outputs:
        if os.path.isfile(path):
            os.remove(path)
            folder = os.path.dirname(path)
            while folder.startswith(os.path.normpath(site_dir) + os.sep) and not os.listdir(folder):
                os.rmdir(folder)
                folder = os.path.dirname(folder)
    build_state.outputs = set(_outputs)


def on_post_build(config):
    """Report what the sanitiser removed; give every other HTML file (404.html,
    which on_post_page never sees) the policy; write the finder's index and
    data, the feeds and the calendars."""
    _stop_markdown_worker()
    if _render_problems:
        print(report(_render_problems), file=sys.stderr, flush=True)
        if not _serving:
            raise PluginError("The site was not built: fix the problems above and build again.")
    if _serving:
        remove_stale_outputs(config.site_dir)
    # Under `make serve --dirty`, a file unchanged since we last saw it with
    # its policy is left alone: only what this rebuild wrote is read.
    seen = build_state.with_policy if _serving else {}
    for folder, _, names in os.walk(config.site_dir):
        for name in names:
            if not name.endswith(".html"):
                continue
            path = os.path.normpath(os.path.join(folder, name))
            if path not in _with_policy and seen.get(path) != os.path.getmtime(path):
                with open(path, encoding="utf-8") as handle:
                    html = handle.read()
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(csp.add_policy(html, sources=_script_sources))
            if _serving:
                seen[path] = os.path.getmtime(path)
    _start_side_outputs()  # if nothing started it (a build that renders no page)
    try:
        written = side_outputs.finish(_side_outputs, Path(config.site_dir),
                                      build_state.side_written if _serving else None)
    except side_outputs.SideOutputError as error:
        raise PluginError(str(error)) from None
    run_gate(config, written)


def run_gate(config, side_written) -> None:
    """Nothing is published that the gate did not check: every file in the
    staging folder, whatever wrote it. Under `make serve`, what this
    rebuild wrote, and the open tab shows what the gate found."""
    claims = _claims or Claims()
    claims.add_claimed(side_written)
    for path, made in (_briefings.made.items() if _briefings is not None else ()):
        target = Path(config.site_dir) / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(made.content)
        claims.add(path, Claim("the briefing's PDF", made.source))
    site_dir = Path(config.site_dir)
    gate = Gate(project_root(config), claims, {csp.policy(sources=_script_sources)},
                urlsplit(config.site_url or "/").path)
    only = None
    if _serving:
        seen, only = build_state.gated, set()
        for folder, _, names in os.walk(site_dir):
            for name in names:
                path = os.path.join(folder, name)
                stamp = os.path.getmtime(path)
                rel = Path(path).relative_to(site_dir).as_posix()
                if seen.get(rel) != stamp:
                    only.add(rel)
                    seen[rel] = stamp
    problems = gate.check(site_dir, only)
    if not problems:
        return
    print(report(problems), file=sys.stderr, flush=True)
    if not _serving:
        raise PluginError("The site was not built: what it would publish failed the output gate (above).")
    # The preview: each page the gate refused shows its problems instead.
    for folder, _, names in os.walk(site_dir):
        for name in names:
            if name.endswith(".html"):
                path = os.path.join(folder, name)
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(csp.add_policy(problems_page(problems)))
                # Older than any source: the next rebuild (--dirty) writes every page again.
                os.utime(path, (0, 0))
                build_state.gated.pop(Path(path).relative_to(site_dir).as_posix(), None)
    build_state.page_signatures = {}


def problems_page(problems) -> str:
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Problems to fix</title></head>"
            f"<body><main>{as_html(problems)}</main></body></html>")
