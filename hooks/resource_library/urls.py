"""Where a source file is published, and links between published pages.

Mirrors MkDocs' own rules so that generated HTML can link correctly both
with directory URLs (hosted) and without them (the offline bundle, where a
link to a folder would show a file listing).
"""
from __future__ import annotations

import posixpath


def page_url(src_uri: str, use_directory_urls: bool) -> str:
    """`topics/housing.md` -> `topics/housing/` or `topics/housing.html`."""
    stem, _ = posixpath.splitext(src_uri)
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):
        url = (folder + "/") if folder else ""
        return url if use_directory_urls else url + "index.html"
    if use_directory_urls:
        return stem + "/"
    return stem + ".html"


def hosted(url: str) -> str:
    """A page's address in a build without directory URLs (the offline
    copy) as the hosted site has it: `a/b.html` -> `a/b/`, `a/index.html` -> `a/`."""
    path, hash_, fragment = url.partition("#")
    if path == "index.html" or path.endswith("/index.html"):
        path = path[:-len("index.html")]
    elif path.endswith(".html"):
        path = path[:-len(".html")] + "/"
    return path + hash_ + fragment


def _relpath(path: str, start: str) -> str:
    """posixpath.relpath for site-relative paths, without its abspath calls
    (most of a resource page's header and footer time went there)."""
    to_parts = [part for part in path.split("/") if part]
    from_parts = [part for part in start.split("/") if part]
    if "." in to_parts or ".." in to_parts or "." in from_parts or ".." in from_parts:
        return posixpath.relpath(path or ".", start or ".")
    common = 0
    for a, b in zip(to_parts, from_parts):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(from_parts) - common) + to_parts[common:]
    return "/".join(parts) or "."


def relative(to_url: str, from_url: str) -> str:
    """A link from the page at `from_url` to `to_url`, both site-relative."""
    # The folder the page is in: "a/b/" for "a/b/" and for "a/b/c.html".
    from_dir = from_url if from_url.endswith("/") else posixpath.dirname(from_url)
    rel = _relpath(to_url, from_dir)
    if to_url.endswith("/") or to_url == "":
        return "./" if rel == "." else rel + "/"
    return rel


TERM_FOLDERS = {"functions": "functions", "programmes": "programmes", "topics": "topics"}


def term_src(kind: str, slug: str) -> str:
    """Source path of a function, programme, topic or type page."""
    if kind == "types":
        return f"{slug}/index.md"
    return f"{TERM_FOLDERS[kind]}/{slug}.md"
