"""Renders resources' Markdown on the second core during `mkdocs build`.

Part of the engine's adapter, like library_hook.py: it renders with the
engine's own `Page.render` (MkDocs', or ProperDocs' under that engine: see
engine.py), so a page's HTML, table of contents and anchors are
exactly what the main process would have made. The main process renders
pages from the first resource on; this worker renders from the last one
back, sending each page as it is done. Where they meet, the main process
stops the worker and uses what it sent. If the worker fails, the main
process simply renders every page itself.

Protocol (pickles on stdin and stdout): the main process sends one job,
{"config": {...}, "files": [(src_uri, dest_uri)], "pages": [(src_uri,
markdown)]}; the worker answers with one message per page,
(src_uri, html, toc, anchor ids, links to anchors, [(level, message)]).
"""
from __future__ import annotations

import gc
import logging
import os
import pickle
import subprocess
import sys
import tempfile
import threading

import engine


class Helper:
    """The main process's side: start the worker, send it the job, collect
    its pages in a thread, and stop it once the two have met."""

    def __init__(self, engine_name: str | None = None):
        self._errors = tempfile.TemporaryFile()
        # The worker renders with the engine that runs this process.
        self._process = subprocess.Popen([sys.executable, os.path.abspath(__file__),
                                          engine_name or engine.running()], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=self._errors)
        self._pages: dict[str, tuple] = {}
        self.used = 0  # pages taken from the worker
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def send(self, settings: dict, files: list[tuple[str, str]], pages: list[tuple[str, str]]) -> None:
        try:
            pickle.dump({"config": settings, "files": files, "pages": pages}, self._process.stdin,
                        protocol=pickle.HIGHEST_PROTOCOL)
            self._process.stdin.close()
        except (OSError, pickle.PicklingError):
            self.stop()

    def _read(self) -> None:
        try:
            while True:
                message = pickle.load(self._process.stdout)
                self._pages[message[0]] = message[1:]
        except Exception:  # end of the stream, or the worker was stopped mid-page
            pass

    def take(self, src_uri: str, wait: bool = False):
        """The page as the worker rendered it, or None: render it yourself.
        The worker goes from the last page back, so once a page is here,
        every later one is too, and the worker can stop. `wait` (for tests):
        wait for the page unless the worker has ended."""
        while wait and src_uri not in self._pages and self._reader.is_alive():
            self._reader.join(0.01)
        page = self._pages.pop(src_uri, None)
        if page is not None:
            self.used += 1
            self.stop()
        return page

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()

    def close(self) -> str:
        """Stop, and say what the worker wrote to stderr, if anything."""
        self.stop()
        self._errors.seek(0)
        errors = self._errors.read().decode("utf-8", "replace")
        self._errors.close()
        return errors


class _Collect(logging.Handler):
    """MkDocs' warnings for one page, sent back to be logged by the main
    process, so that `--strict` counts them there."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.records: list[tuple[int, str]] = []

    def emit(self, record):
        self.records.append((record.levelno, record.getMessage()))


def main() -> None:
    engine_name = sys.argv[1] if len(sys.argv) > 1 else "mkdocs"
    engine.use(engine_name)
    # Imported before the job arrives: the main process is still validating.
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    job = pickle.load(sys.stdin.buffer)
    gc.freeze()  # the job lives until the process ends: the collector need not walk it
    settings = job["config"]
    config = MkDocsConfig()
    given = {key: settings[key] for key in ("site_name", "docs_dir", "site_dir", "use_directory_urls",
                                             "markdown_extensions")}
    if settings.get("theme"):
        # The site's theme by name: ProperDocs, unlike MkDocs, bundles no default theme to fall back on.
        given["theme"] = {"name": settings["theme"]}
    config.load_dict(given)
    errors, _ = config.validate()
    if errors:
        raise SystemExit(f"markdown worker: {errors}")
    config["validation"] = settings["validation"]
    use_directory_urls = config["use_directory_urls"]
    files = []
    for src_uri, dest_uri in job["files"]:
        file = File(src_uri, src_dir=None, dest_dir=config["site_dir"], use_directory_urls=use_directory_urls)
        if file.dest_uri != dest_uri:
            file.dest_uri = dest_uri
        files.append(file)
    files = Files(files)
    collect = _Collect()
    engine.logger(engine_name=engine_name).addHandler(collect)
    engine.logger(engine_name=engine_name).setLevel(logging.INFO)
    out = sys.stdout.buffer
    for src_uri, markdown in reversed(job["pages"]):
        file = files.get_file_from_path(src_uri)
        page = Page(None, file, config)
        page.markdown = markdown
        collect.records = []
        page.render(config, files)
        links = {target.src_uri: anchors for target, anchors in (page.links_to_anchors or {}).items()}
        pickle.dump((src_uri, page.content, page.toc, page.present_anchor_ids, links, collect.records), out,
                    protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()


if __name__ == "__main__":
    try:
        main()
    except (BrokenPipeError, KeyboardInterrupt):
        pass  # the main process needs no more pages
