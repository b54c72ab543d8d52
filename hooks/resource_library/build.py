"""What lives for one build (Build) and what lives for a whole `make serve`
session (PreviewSession), with the decisions the build takes along the way.

Engine-free: the engine's adapter (hooks/library_hook.py) reads what the
engine gives, calls a Build, and turns what comes back (files to add,
BuildError) into the engine's own objects. Where a field lives says how long
it lives: on the Build, until the next build starts; on the session, for as
long as the engine's process (one `mkdocs build`, or every rebuild of one
`make serve`).
"""
from __future__ import annotations

import gc
import logging
import os
import posixpath
import secrets
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import unquote, urlsplit, urlunsplit

from markupsafe import Markup

from . import bundle, csp, docs_pages, files, indexes, pdf, preview, rules, sanitize, side_outputs, signatures
from .claims import Claim, Claims
from .feeds import json_ld
from .gate import SCRIPT_FOLDERS, Gate
from .load import TYPES, Resource
from .problems import Problem, as_html, report
from .render import CompiledTemplates, Renderer, plain
from .validate import check_project

# Below this many resources, starting a Markdown worker costs more than it saves.
MARKDOWN_WORKER_FROM = 100
THEME_SEARCH_FILES = ("assets/javascripts/workers/", "assets/javascripts/lunr/")


class BuildError(Exception):
    """The build must stop; the message is for the contributor (the problems
    are already printed above it)."""


@dataclass(frozen=True)
class Site:
    """What a build reads from the engine's configuration."""
    root: Path                # the project folder (with mkdocs.yml)
    docs_dir: str
    site_dir: str
    site_url: str
    site_name: str
    use_directory_urls: bool
    edit_uri: str             # where "edit this page" points, for docs/
    macro_pages: frozenset = frozenset()  # docs/ pages that may run macros (extra.macro_pages)
    lunr_js: str = ""         # the engine's copy of lunr.js, which the finder uses


@dataclass(frozen=True)
class Added:
    """A file the engine must add to the build: from `content`, or read
    from `abs_src_path`; `edit_uri` set when it is not the engine's own."""
    src_uri: str
    content: str | None = None
    abs_src_path: str | None = None
    edit_uri: str | None = None


class PreviewSession:
    """What lives as long as the engine's process. Under `make serve`, kept
    between rebuilds, so that an edit revalidates one file and re-renders
    only the pages it touches; under `mkdocs build`, a session of one build
    that keeps nothing."""

    def __init__(self):
        self.serving = False   # `mkdocs serve`: drafts shown, problems on the pages, no PDFs
        self.dirty = False     # `make serve` passes --dirty: re-render only what changed
        self.build: Build | None = None  # the build in progress, or the last one
        self.validated: dict = {}        # relative path -> (content key, checked ParsedFile)
        self.page_signatures: dict = {}  # source path -> signature of everything its page shows
        self.rendered: dict = {}         # generated page context -> its HTML (render.Renderer)
        self.side_memo: dict = {}        # the finder's analysis and the feeds, by what they show (memo.py)
        self.related: dict = {}          # related lists as shown, by source path (signatures.related_lists)
        self.templates: CompiledTemplates | None = None  # the theme's compiled templates
        self.side_process: side_outputs.Session | None = None  # the finder index and feeds' process
        self.with_policy: dict = {}      # HTML file -> its time when last seen with the page policy
        self.side_written: dict = {}     # side output path -> the bytes last written there
        self.gated: dict = {}            # output path -> its time when the gate last checked it
        self.outputs: set = set()        # files the last rebuild wrote from the engine's files

    def start(self, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = self.serving and dirty

    def begin(self, site: Site, log: logging.Logger, markdown_worker: Callable | None = None) -> Build:
        """A new build; the last one's Markdown worker, if still running, is stopped."""
        if self.build is not None:
            self.build.stop()
        self.build = Build(self, site, log, markdown_worker)
        return self.build

    def side_session(self) -> side_outputs.Session:
        """The session's side process, started again if it died, or if it
        still owes a failed rebuild's reply."""
        if self.side_process is None or not self.side_process.ready():
            if self.side_process is not None:
                self.side_process.close()
            self.side_process = side_outputs.Session()
        return self.side_process

    def compiled_templates(self) -> CompiledTemplates:
        if self.templates is None:
            self.templates = CompiledTemplates()
        return self.templates

    def close(self) -> None:
        if self.side_process is not None:
            self.side_process.close()
            self.side_process = None


def normalise_pdfs(site_dir: Path, claims: Claims) -> None:
    """Each PDF a contributor gave, published as qpdf read it (files.
    normalised_pdf), before the gate checks it. Written only when it
    changes: under `make serve` a file written once is left alone."""
    for rel, claim in list(claims.by_path.items()):
        if claim.producer in ("a resource's file", "an editor's file") and rel.lower().endswith(".pdf"):
            path = site_dir / rel
            try:
                data = path.read_bytes()
            except OSError:
                continue
            rewritten = files.normalised_pdf(data)
            if rewritten is not None and rewritten != data:
                path.write_bytes(rewritten)


def pdf_problem(resource, error) -> Problem:
    """Why a briefing's PDF cannot be made, at the line that holds what the
    error names (an image's file), else at the body's first line."""
    lines = resource.body.split("\n")
    number = next((n for n, text in enumerate(lines) if error.needle and error.needle in text), 0)
    return rules.problem("pdf", resource.src_uri, resource.body_line + number, 1,
                         lines[number] if number < len(lines) else "", error=error)


class Build:
    """Everything one build makes and decides, from the library it reads to
    the gate it runs over the staging folder."""

    def __init__(self, session: PreviewSession, site: Site, log: logging.Logger,
                 markdown_worker: Callable | None = None):
        self.session, self.site, self.log = session, site, log
        self.serving, self.dirty = session.serving, session.dirty
        self._markdown_worker = markdown_worker  # starts the Markdown worker (markdown_worker.Helper)
        self.markdown = None            # that worker, while it runs
        self.library = None             # load.Library
        self.renderer: Renderer | None = None
        self.generated = None           # indexes.generate()'s pages, with their claims
        self.generated_html: dict[str, str] = {}   # source path -> HTML of a generated page
        self.render_problems: list[Problem] = []   # what the sanitiser removed, reported at the end
        self.preview_pages: dict[str, list] = {}   # `build --drafts` with errors: resource path -> its problems
        self.serve_problems: list[Problem] = []    # `make serve` with errors: every page lists them
        self.shadowed: list = []        # content files at an address a docs/ file also has
        self.briefings: pdf.Briefings | None = None  # this build's PDFs; None under `make serve`
        self.pdf_marks: dict[str, tuple] = {}  # resource's page -> (mark for its PDF's size, PDF, resource)
        self.pdf_nonce = secrets.token_hex(8)
        self.with_policy: set[str] = set()  # pages that got the policy as they were written
        self.outputs: set[str] = set()  # every file the engine writes from its files
        self.claims: Claims | None = None  # who writes each output: the gate reads it
        self.side_outputs = None        # side_outputs.start(), collected in finish()
        self._side_args: tuple | None = None  # what to start them with, until they are started
        # `build --hosted` (the deploy): pages run scripts only from the site's
        # own script folders under site_url. Elsewhere (file://, a preview on
        # another host) a path source would name nothing: 'self'.
        hosted = os.environ.get("RESOURCE_LIBRARY_HOSTED") == "1" and site.site_url.startswith("https://")
        self.script_sources = csp.script_folders(site.site_url, SCRIPT_FOLDERS) if hosted else ()

    # --- Reading the library: the files the engine must add -----------------

    def read(self, present: set[str]) -> list[Added]:
        """Validate every resource, then say which files to add to the
        engine's (`present`: the source paths it has): resources, their
        downloads, the generated pages, stand-ins for broken resources.
        Raises BuildError when the build must stop."""
        root, site = self.site.root, self.site
        self._maybe_start_markdown_worker()
        # Drafts: in `make serve`, and in a pull request's preview (`build --drafts`).
        drafts = self.serving or os.environ.get("RESOURCE_LIBRARY_DRAFTS") == "1"
        library, problems = check_project(root, site.docs_dir, include_drafts=drafts,
                                          cache=self.session.validated if self.serving else None,
                                          drafts_are_warnings=not drafts)
        if problems:
            # Printed, not logged: `path:line:col` must start the line for editors and CI.
            print(report(problems), file=sys.stderr, flush=True)
        added: list[Added] = []
        present = set(present)

        def add(item: Added) -> None:
            added.append(item)
            present.add(item.src_uri)

        if any(p.is_error for p in problems) and drafts and not self.serving:
            # The pull request's preview: built whatever the resources' problems.
            published = {r.src_uri for r in library.pages}
            for src_uri, markdown in preview.stand_ins(root, problems, published).items():
                if src_uri not in present:
                    add(Added(src_uri, content=markdown))
                    self.preview_pages[src_uri] = [p for p in problems if p.path == src_uri]
            if any(p.is_error and p.path not in self.preview_pages for p in problems):
                raise BuildError("The preview was not built: fix the problems above (outside the resources) "
                                 "and build again.")
        elif any(p.is_error for p in problems):
            if not self.serving:
                raise BuildError("The site was not built: fix the problems above and build again.")
            # A failed rebuild would leave `mkdocs serve` waiting forever, and the
            # open tab with it. Build instead, with the problems on every page; a
            # broken resource keeps a page at its own address, so its tab reloads.
            self.serve_problems.extend(problems)
            published = {r.src_uri for r in library.pages}
            for src_uri in sorted({p.path for p in problems
                                   if p.path.endswith(".md") and not p.path.startswith("docs/")}):
                if src_uri not in published and src_uri not in present:
                    add(Added(src_uri, content="---\ntitle: Problems to fix\n---\n"))

        # The finder's index and the feeds need only the library: built on the
        # second core while the engine renders pages, collected in finish().
        self._side_args = (library, site.use_directory_urls, site.site_url, site.site_name,
                           library.synonyms, site.lunr_js)
        if self.serving:
            self.session.side_session()  # one process for the whole session keeps its memo

        renderer = Renderer(library, site.use_directory_urls, site.site_url,
                            memo=self.session.rendered if self.serving else None)
        self.library, self.renderer = library, renderer
        for resource in library.pages:
            # Edit links point at the real file, beside docs/, not inside it.
            edit_uri = (f"../{resource.src_uri}" if site.edit_uri.rstrip("/").endswith("docs")
                        else resource.src_uri)
            add(Added(resource.src_uri, abs_src_path=str(resource.abs_path), edit_uri=edit_uri))
        # Only the files a published resource asks for, never the whole folder.
        for rel in library.files:
            if rel in present:
                # An editor's file in docs/ at the same address: the engine would keep one silently.
                self.shadowed.append((rel, Claim("an editor's file", "docs/" + rel), Claim("a resource's file", rel)))
            add(Added(rel, abs_src_path=str(root / rel)))
        # Briefings' PDFs: built with the site and the preview, never under `make serve`.
        # RESOURCE_LIBRARY_PDFS=0: none (make bench's build without them).
        if not self.serving and os.environ.get("RESOURCE_LIBRARY_PDFS") != "0":
            self.briefings = pdf.Briefings(root, site.site_url, site.use_directory_urls,
                                           cache_dir=root / ".cache" / "pdf",
                                           logo=Path(site.docs_dir) / "assets" / "logo.svg")
        # `build --offline-copy ZIP` (the deploy): the offline zip, published
        # with the site and offered on its page for offline readers.
        offline = bundle.offline_copy(os.environ.get("RESOURCE_LIBRARY_OFFLINE_COPY"))
        if offline is not None:
            add(Added(offline["src"], abs_src_path=offline["path"]))
        self.generated = indexes.generate(renderer, offline)
        renderer.forget_unused()
        for src_uri, (front_matter, html) in self.generated.items():
            if src_uri not in present:  # a hand-written page wins
                add(Added(src_uri, content=front_matter))
                self.generated_html[src_uri] = html
            else:
                # Said, so that a maintainer sees it in the log (round 20: an
                # editor's docs/finder/index.md replaced the site's search).
                self.log.info(f"docs/{src_uri} replaces {self.generated.claims[src_uri].producer}")
        return added

    def through_link(self, abs_src_path: str | None) -> bool:
        """Whether a file the engine found in docs/ is, or lies under, a
        symbolic link: the engine follows links, and `make serve` served
        /etc/hostname through `docs/host.txt` while saying the preview was
        paused (thirty-ninth round). Validate says where the link is; the
        file it reaches is never read or published."""
        if not abs_src_path:
            return False
        docs = Path(self.site.docs_dir).absolute()
        path = Path(abs_src_path).absolute()
        try:
            parts = path.relative_to(docs).parts
        except ValueError:
            return False  # a resource's own file, checked where it is read (load.py)
        return any((docs.joinpath(*parts[:depth])).is_symlink() for depth in range(1, len(parts) + 1))

    @staticmethod
    def unused_theme_file(src_uri: str, plugin_names: Iterable[str]) -> bool:
        """The theme's search worker and its language files: unused without its
        search plugin (the finder is the site's search), 1.2 MB in every build."""
        return src_uri.startswith(THEME_SEARCH_FILES) and not any(name.endswith("search") for name in plugin_names)

    def modified(self, pages: Iterable[tuple[str, str, Callable[[], str]]]) -> dict[str, bool]:
        """`mkdocs serve --dirty` re-renders a page only if its source file is
        newer than its output: a title change would leave listings, related
        lists and term pages stale. Instead, each page gets a signature of what
        it shows, and is re-rendered exactly when that changed. `pages`: (source
        path, output path, its text); returns {source path: re-render?} for the
        pages decided here (an editor's page is left to the engine's file times)."""
        library = self.library
        context = signatures.context(self.site.root, self.site.docs_dir)
        related_shown = signatures.related_lists(library, self.session.related)
        decided, new = {}, {}
        for src, dest_path, text in pages:
            if self.serve_problems or src in self.site.macro_pages:
                signature = None  # always
            elif self.resource(src) is not None:
                signature = signatures.resource_page(context, self.resource(src), library,
                                                     related_shown.get(src, ()))
            elif src in self.generated_html:
                signature = hash((context, self.generated_html[src], text()))
            else:
                continue
            unchanged = (signature is not None and self.session.page_signatures.get(src) == signature
                         and os.path.isfile(dest_path))
            decided[src] = not unchanged
            new[src] = signature
        self.session.page_signatures = {} if self.serve_problems else new
        return decided

    def files_ready(self, markdown_settings: dict | None, files: list[tuple[str, str]]) -> None:
        """The engine has every file: freeze what is loaded, then put the
        second core to work (the Markdown worker, else the side outputs)."""
        if not self.serving:
            # What is loaded now lives until the build ends: keep the cyclic
            # garbage collector from walking it again and again (its passes grow
            # with the library, so per-page work grew faster than the pages).
            # Not under `make serve`, where each rebuild's library must be freed.
            gc.freeze()
        if self.markdown is not None:
            self._send_markdown_job(markdown_settings, files)
        if self.markdown is None:
            # Started as soon as the library is read: the longer it has, the less
            # we wait. With the Markdown worker on the second core, it starts
            # when the worker stops instead: one helper process at a time.
            self.start_side_outputs()

    # --- The second core: the Markdown worker, then the side outputs --------

    def _maybe_start_markdown_worker(self) -> None:
        self.stop_markdown_worker()
        wanted = os.environ.get("RESOURCE_LIBRARY_MARKDOWN_WORKER")
        if self._markdown_worker is None or self.serving or wanted == "0":
            return
        if wanted == "all" or sum(1 for folder in TYPES
                                  for _ in (self.site.root / folder).glob("*.md")) >= MARKDOWN_WORKER_FROM:
            # Started now, so that it has imported the engine by the time we have validated.
            self.markdown = self._markdown_worker()

    def _send_markdown_job(self, settings: dict | None, files: list[tuple[str, str]]) -> None:
        # RESOURCE_LIBRARY_MARKDOWN_WORKER: "0" never, "all" for every page (tests).
        few = (len(self.library.pages) < MARKDOWN_WORKER_FROM
               and os.environ.get("RESOURCE_LIBRARY_MARKDOWN_WORKER") != "all")
        if few or settings is None:
            self.stop_markdown_worker()  # few pages, or an extension object that cannot be sent
            return
        self.markdown.send(settings, files, [(r.src_uri, r.body) for r in self.library.pages])

    def stop(self) -> None:
        """A build that failed, or that a new one replaces: its helpers go."""
        self.stop_markdown_worker()
        if self.briefings is not None:
            self.briefings.stop()

    def stop_markdown_worker(self) -> None:
        if self.markdown is not None:
            errors = self.markdown.close()
            self.log.debug(f"The Markdown worker rendered {self.markdown.used} resource pages.")
            if errors.strip() and os.environ.get("RESOURCE_LIBRARY_MARKDOWN_WORKER") == "all":
                # Asked to render every page (tests): its failure must not pass unseen.
                self.log.warning(f"The Markdown worker stopped with: {errors}")
            elif errors.strip():
                self.log.debug(f"The Markdown worker stopped with: {errors}")
            self.markdown = None

    def rendered_by_worker(self, src_uri: str):
        """What the worker rendered for this page, or None: the engine renders it."""
        if self.markdown is None:
            return None
        # RESOURCE_LIBRARY_MARKDOWN_WORKER=all (tests): the worker renders every page.
        rendered = self.markdown.take(src_uri, wait=os.environ.get("RESOURCE_LIBRARY_MARKDOWN_WORKER") == "all")
        if rendered is not None:
            # The two have met and the worker has stopped (the later pages are
            # already here): the second core is free for the side outputs.
            self.start_side_outputs()
        return rendered

    def start_side_outputs(self) -> None:
        if self._side_args is not None:
            self.side_outputs = side_outputs.start(
                *self._side_args, in_background=not self.serving,
                session=self.session.side_process if self.serving else None,
                memo=self.session.side_memo if self.serving else None,
                work_dir=Path(self.site.root) / ".cache" / "work")
            self._side_args = None

    # --- Pages ---------------------------------------------------------------

    def resource(self, src_uri: str) -> Resource | None:
        """The resource a page is built from, if it is one."""
        resource = self.library.by_key.get(src_uri[:-3]) if self.library else None
        return resource if resource is not None and resource.src_uri == src_uri else None

    def unknown_term(self, src_uri: str, kind: str, slug: str) -> None:
        """A maintainer's page links to a term the vocabulary no longer has:
        a problem at the page's line (docs_pages.term_problems says it first)."""
        path = Path(self.site.docs_dir) / src_uri
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        except OSError:
            lines = []
        number = next((n for n, line in enumerate(lines, start=1) if slug in line), 1)
        self.render_problems.append(rules.problem("vocabulary/term-gone", "docs/" + src_uri, number, 1,
                                                  lines[number - 1] if lines else "", kind=kind, slug=slug))

    def editor_meta(self, src_uri: str, meta: dict, abs_path: str | None) -> dict:
        """An editor's page's data as the engine read it, checked again: only
        the fields an editor may set (docs_pages.EDITOR_FIELDS), and none
        from `key: value` lines at the top of a page without `---` (MkDocs
        reads those too: `feed:` reached the page's head). Anything else is
        a problem at its line, and dropped. Generated pages are the build's."""
        if src_uri in self.generated_html or not abs_path or not meta:
            return meta
        try:
            text = Path(abs_path).read_text(encoding="utf-8", errors="replace").lstrip("\ufeff")
        except OSError:
            return meta
        shown, allowed = "docs/" + src_uri, ", ".join(f"`{k}`" for k in docs_pages.EDITOR_FIELDS)
        if not text.startswith("---"):
            for number, key, line in docs_pages.multimarkdown_lines(text):
                self.render_problems.append(rules.problem("unknown-field/docs-lines", shown, number, 1, line,
                                                          key=key, allowed=allowed))
            return {}
        kept = {}
        for key, value in meta.items():
            if key in docs_pages.EDITOR_FIELDS:
                kept[key] = value
                continue
            number = next((n for n, line in enumerate(text.split("\n"), start=1) if line.startswith(f"{key}:")), 1)
            self.render_problems.append(rules.problem("unknown-field/docs", shown, number, 1, key=str(key),
                                                      allowed=allowed))
        return kept

    def resource_meta(self, resource: Resource) -> dict:
        """A resource page's metadata, from our own parse of its front matter."""
        meta = dict(resource.meta)
        meta.update(render_macros=False, description=plain(resource.summary))
        meta["json_ld"] = json_ld(resource, self.library, self.site.site_url)
        meta["og_type"] = "article"
        return meta

    @staticmethod
    def edit_url(url: str | None) -> str | None:
        """".../docs/../at-a-glance/x.md" -> ".../at-a-glance/x.md\""""
        if not url:
            return url
        parts = urlsplit(url)
        return urlunsplit(parts._replace(path=posixpath.normpath(parts.path)))

    def page_content(self, html: str, src_uri: str, dest_uri: str, toc, source: Callable[[], str]) -> str:
        """Generated pages get their HTML; resource pages their header and
        footer, rendered with escaping. Every other page's HTML is cleaned,
        and its contents list (`toc`) rebuilt from the cleaned headings.
        `source`: the page's file as written (an editor's page)."""
        if self.serve_problems:
            return as_html(self.serve_problems)
        if src_uri in self.generated_html:
            return self.generated_html[src_uri]
        if src_uri in self.preview_pages:
            # Already reported, with lines; what is shown is cleaned all the same.
            cleaned = sanitize.clean(html).html
            sanitize.plain_toc(toc, sanitize.heading_texts(cleaned), Markup.escape)
            return preview.problems_above(self.preview_pages[src_uri]) + cleaned
        resource = self.resource(src_uri)
        if resource is None:
            # An editor's page in docs/: the same allow-list. The site's own
            # classes only on the maintainers' macro pages (the home page's
            # macros emit its card markup): on any other, a banner and button
            # dressed as the site's sent readers to another site (twelfth
            # attacker). Positions are in the whole file, front matter included.
            cleaned = self._sanitised(html, "docs/" + src_uri, 1, source(),
                                      editor=src_uri in self.site.macro_pages)
            sanitize.plain_toc(toc, sanitize.heading_texts(cleaned), Markup.escape)
            return cleaned
        body = self._sanitised(html, resource.src_uri, resource.body_line, resource.body)
        sanitize.plain_toc(toc, sanitize.heading_texts(body), Markup.escape)
        briefing = self._briefing(resource, body, dest_uri)
        renderer = self.renderer
        return renderer.resource_header(resource, briefing) + "\n" + body + "\n" + renderer.resource_footer(resource)

    def _briefing(self, resource: Resource, body: str, dest_uri: str) -> dict | None:
        """The resource's PDF, made (or taken from the cache) from its cleaned
        body before its page is written, so that the page can give its size.
        Never under `make serve`, which must not wait for PDFs."""
        briefings = self.briefings
        if briefings is None or not pdf.wanted(resource, include_drafts=os.environ.get("RESOURCE_LIBRARY_DRAFTS") == "1"):
            return None
        library = self.library
        page_folder = posixpath.dirname(dest_uri)

        def image_file(src: str):
            target = posixpath.normpath(posixpath.join(page_folder, unquote(urlsplit(src).path)))
            return briefings.root / target if target in library.files else None

        try:
            path = briefings.start(resource, body, library, image_file)
        except pdf.PdfError as error:
            self.render_problems.append(pdf_problem(resource, error))
            return None
        # The PDF is made on its own thread while other pages render; its size
        # and page count go in when the page is written (`with_briefing`), in
        # place of a mark no contributor can know.
        mark = f"lib-pdf-{self.pdf_nonce}-{len(self.pdf_marks)}"
        self.pdf_marks[resource.src_uri] = (mark, path, resource)
        return {"src": path, "info": mark}

    def with_briefing(self, output: str, src_uri: str) -> str:
        """The page with its PDF's size and page count, waiting for the PDF
        if it is still being made."""
        entry = self.pdf_marks.pop(src_uri, None)
        if entry is None:
            return output
        mark, path, resource = entry
        try:
            made = self.briefings.result(path)
            info = f"PDF, {made.size}, {made.pages} page{'' if made.pages == 1 else 's'}"
        except pdf.PdfError as error:
            self.render_problems.append(pdf_problem(resource, error))
            info = "PDF, not made"
        return output.replace(mark, str(Markup.escape(info)))

    def _sanitised(self, html: str, shown_path: str, first_line: int, source: str, editor: bool = False) -> str:
        """The page's HTML through the allow-list; anything removed becomes a
        problem in the contributor's file (at the line where it is found),
        reported when the build ends."""
        cleaned, found = sanitize.removed_problems(html, shown_path, first_line, source, editor)
        self.render_problems.extend(found)
        if found and self.serving:
            # The preview shows the page as it would be published, under the list.
            return as_html(found) + cleaned
        return cleaned

    def pages_rendered(self, outputs: Iterable[str]) -> None:
        """Every page's Markdown is rendered: a worker still running would only
        repeat what is done. `outputs`: every file the engine will write."""
        self.stop_markdown_worker()
        self.start_side_outputs()
        if not self.serving:
            gc.freeze()  # the pages and their HTML, read and rendered: they live until the build ends
        self.outputs = {os.path.normpath(path) for path in outputs}

    def with_page_policy(self, output: str, src_uri: str, abs_dest_path: str) -> str:
        """Every page gets the same Content-Security-Policy: scripts from the
        site's own files only. An inline script in the output means the theme
        changed or something got past the sanitiser: a warning, which fails
        the strict build. A briefing's page gets its PDF's size here too."""
        output = self.with_briefing(output, src_uri)
        if csp.executable_inline_scripts(output):
            self.log.warning(f"{src_uri}: the page has an inline script, which its policy blocks")
        self.with_policy.add(os.path.normpath(abs_dest_path))
        return csp.add_policy(output, sources=self.script_sources)

    # --- Claims and the end of the build ----------------------------------------

    def claims_of(self, files: Iterable[tuple[str, str, str | None, bool]], static_templates: Iterable[str]) -> Claims:
        """Who writes each file the engine will write, for the gate. `files`:
        (source path, output path, file it is read from or None, is a page),
        excluded files left out; `static_templates`: what the theme renders itself."""
        claims = Claims()
        library = self.library
        docs_dir = os.path.normpath(self.site.docs_dir) + os.sep
        content = set(library.files) if library else set()
        dest_of = {}
        for src, dest, abs_src_path, is_page in files:
            dest_of[src] = dest
            if self.resource(src) is not None:
                claim = Claim("the resource's page", src)
            elif src in content:
                claim = Claim("a resource's file", src)
            elif src in self.generated_html:
                claim = self.generated.claims[src]
            elif src.startswith("offline/") and src.endswith(".zip") and abs_src_path:
                claim = Claim("the offline copy")
            elif abs_src_path and os.path.normpath(abs_src_path).startswith(docs_dir):
                claim = (Claim("an editor's page", "docs/" + src) if is_page
                         else Claim("the site's own assets", "docs/" + src) if src.startswith("assets/")
                         else Claim("an editor's file", "docs/" + src))
            elif abs_src_path is None:
                claim = Claim("the preview's list of problems", src)
            else:
                claim = Claim("the theme")
            claims.add(dest, claim)
        for src, first, second in self.generated.conflicts if self.generated else ():
            claims.conflicts.append((dest_of.get(src, src), first, second))
        claims.conflicts += self.shadowed
        for name in static_templates:
            claims.add(name, Claim("the theme's template"))
            if name == "sitemap.xml":
                claims.add("sitemap.xml.gz", Claim("the theme's template"))
        self.claims = claims
        return claims

    def finish(self) -> None:
        """Report what the sanitiser removed; give every other HTML file (404.html,
        which the engine's page events never see) the policy; write the finder's
        index and data, the feeds and the calendars; run the gate. Raises
        BuildError when the site must not be published."""
        self.stop_markdown_worker()
        site_dir = self.site.site_dir
        if self.briefings is not None:
            # Every page asked for its PDF when it was written; this is what no page did.
            for source, error in self.briefings.finished():
                resource = self.resource(source)
                self.render_problems.append(rules.problem("pdf", source, resource.body_line if resource else 1, 1,
                                                          error=error))
        if self.render_problems:
            print(report(self.render_problems), file=sys.stderr, flush=True)
            if not self.serving:
                raise BuildError("The site was not built: fix the problems above and build again.")
        if self.serving:
            self.remove_stale_outputs()
        # Under `make serve --dirty`, a file unchanged since we last saw it with
        # its policy is left alone: only what this rebuild wrote is read.
        seen = self.session.with_policy if self.serving else {}
        for folder, _, names in os.walk(site_dir):
            for name in names:
                if not name.endswith(".html"):
                    continue
                path = os.path.normpath(os.path.join(folder, name))
                if path not in self.with_policy and seen.get(path) != os.path.getmtime(path):
                    with open(path, encoding="utf-8") as handle:
                        html = handle.read()
                    with open(path, "w", encoding="utf-8") as handle:
                        handle.write(csp.add_policy(html, sources=self.script_sources))
                if self.serving:
                    seen[path] = os.path.getmtime(path)
        self.start_side_outputs()  # if nothing started it (a build that renders no page)
        try:
            written = side_outputs.finish(self.side_outputs, Path(site_dir),
                                          self.session.side_written if self.serving else None)
        except side_outputs.SideOutputError as error:
            raise BuildError(str(error)) from None
        self.run_gate(written)

    def remove_stale_outputs(self) -> None:
        """`mkdocs serve --dirty` never deletes: a renamed resource, or a topic
        page no longer made, would still be served at its old address. Remove
        what the last rebuild wrote and this one did not."""
        site_dir = os.path.normpath(self.site.site_dir)
        for path in self.session.outputs - self.outputs:
            if os.path.isfile(path):
                os.remove(path)
                folder = os.path.dirname(path)
                while folder.startswith(site_dir + os.sep) and not os.listdir(folder):
                    os.rmdir(folder)
                    folder = os.path.dirname(folder)
        self.session.outputs = set(self.outputs)

    def run_gate(self, side_written) -> None:
        """Nothing is published that the gate did not check: every file in the
        staging folder, whatever wrote it. Under `make serve`, what this
        rebuild wrote, and the open tab shows what the gate found."""
        claims = self.claims or Claims()
        claims.add_claimed(side_written)
        site_dir = Path(self.site.site_dir)
        if self.briefings is not None:
            self.briefings.close()  # every page, and so every PDF, is made
        for path, made in (self.briefings.made.items() if self.briefings is not None else ()):
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            made.write(target)
            claims.add(path, Claim("the briefing's PDF", made.source))
        normalise_pdfs(site_dir, claims)
        gate = Gate(self.site.root, claims, {csp.policy(sources=self.script_sources)},
                    urlsplit(self.site.site_url or "/").path, self.site.site_url or "")
        only = None
        if self.serving:
            seen, only = self.session.gated, set()
            for folder, _, names in os.walk(site_dir):
                for name in names:
                    path = os.path.join(folder, name)
                    stamp = os.path.getmtime(path)
                    rel = Path(path).relative_to(site_dir).as_posix()
                    if seen.get(rel) != stamp:
                        only.add(rel)
                        seen[rel] = stamp
        problems = gate.check(site_dir, only)
        if self.serving:
            # Under `make serve` the tab shows the problems, and nothing the
            # gate refused is served meanwhile: a refused file is taken away
            # (a page is replaced by the problems), and checked again when
            # the next rebuild writes it (twenty-fifth round: a PDF with a
            # script was still served, and unchecked after the next edit).
            for rel in gate.refused:
                self.session.gated.pop(rel, None)
                if not rel.endswith(".html"):
                    (site_dir / rel).unlink(missing_ok=True)
        if not problems:
            if self.briefings is not None and not self.serving:
                self.briefings.prune()
            return
        print(report(problems), file=sys.stderr, flush=True)
        if not self.serving:
            raise BuildError("The site was not built: what it would publish failed the output gate (above).")
        # The preview: each page the gate refused shows its problems instead.
        for folder, _, names in os.walk(site_dir):
            for name in names:
                if name.endswith(".html"):
                    path = os.path.join(folder, name)
                    with open(path, "w", encoding="utf-8") as handle:
                        handle.write(csp.add_policy(problems_page(problems)))
                    # Older than any source: the next rebuild (--dirty) writes every page again.
                    os.utime(path, (0, 0))
                    self.session.gated.pop(Path(path).relative_to(site_dir).as_posix(), None)
        self.session.page_signatures = {}


def problems_page(problems) -> str:
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Problems to fix</title></head>"
            f"<body><main>{as_html(problems)}</main></body></html>")
