"""Outputs that need only the library, not the rendered pages: the finder's
data and prebuilt index, the Atom feed and the webinar calendars.

They are built in a second process, on the second core, while MkDocs
renders pages on the first, and written when the build ends. `make serve`
builds them in-process: a rebuild there is small and frequent.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

import mkdocs.contrib.search

from .feeds import build_feeds
from .load import Library
from .search import finder_assets

LUNR_JS = Path(mkdocs.contrib.search.__file__).parent / "templates" / "search" / "lunr.js"


def build(library: Library, use_directory_urls: bool, site_url: str, site_name: str) -> dict[str, bytes]:
    """Every side output, as {path in the site: bytes}."""
    outputs = finder_assets(library, use_directory_urls)
    outputs["finder/lunr.js"] = LUNR_JS.read_bytes()
    outputs.update(build_feeds(library, site_url, site_name))
    return outputs


class _Done:
    def __init__(self, value):
        self.value = value

    def result(self):
        return self.value


def start(library: Library, use_directory_urls: bool, site_url: str, site_name: str, in_background: bool):
    args = (library, use_directory_urls, site_url, site_name)
    if not in_background:
        return _Done(build(*args))
    # spawn, not fork: MkDocs may have threads, and a forked copy could hang.
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    future: Future = pool.submit(build, *args)
    pool.shutdown(wait=False)
    return future


def finish(pending, site_dir: Path) -> None:
    for rel, content in pending.result().items():
        path = Path(site_dir) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
