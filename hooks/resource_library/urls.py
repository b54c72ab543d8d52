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


def relative(to_url: str, from_url: str) -> str:
    """A link from the page at `from_url` to `to_url`, both site-relative."""
    # The folder the page is in: "a/b/" for "a/b/" and for "a/b/c.html".
    from_dir = from_url if from_url.endswith("/") else posixpath.dirname(from_url)
    rel = posixpath.relpath(to_url or ".", from_dir or ".")
    if to_url.endswith("/") or to_url == "":
        return "./" if rel == "." else rel + "/"
    return rel
