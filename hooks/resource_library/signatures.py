"""What each page shows, boiled down to a number, so that `mkdocs serve`
re-renders exactly the pages an edit touches.

Signatures live only inside one serve process (Python's hash of a string is
random per process), and are compared only with the previous build's.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .load import Library, Resource
from .related import related

# Everything a page's look depends on besides its own content: a change to
# any of these re-renders every page.
CONTEXT_PARTS = ("mkdocs.yml", "vocabulary", "schema", "hooks")


def context(root: Path, docs_dir: str) -> str:
    digest = hashlib.sha256()
    paths = [root / part for part in CONTEXT_PARTS] + [Path(docs_dir) / "overrides"]
    for base in paths:
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else []
        for path in files:
            if "__pycache__" in path.parts:
                continue
            digest.update(str(path).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _related_key(r: Resource) -> tuple:
    """What of a resource decides, and shows in, other pages' related lists."""
    return (r.title, r.type, r.status, tuple(r.programmes), tuple(r.topics), r.published)


def related_lists(library: Library, previous: dict) -> dict:
    """Every page's related list as shown, reusing `previous` (the last
    build's, updated in place) for resources that share no programme or
    topic with anything that changed: related() for all 1,000 resources
    took 0.3 s of each rebuild."""
    keys = {r.src_uri: _related_key(r) for r in library.pages}
    old_keys, lists = previous.setdefault("keys", {}), previous.setdefault("lists", {})
    changed = {src for src, key in keys.items() if old_keys.get(src) != key} | (set(old_keys) - set(keys))
    terms = set()
    for src in changed:
        for key in (keys.get(src), old_keys.get(src)):
            if key:
                terms |= {("programmes", t) for t in key[3]} | {("topics", t) for t in key[4]}
    for r in library.pages:
        mine = {("programmes", t) for t in r.programmes} | {("topics", t) for t in r.topics}
        if r.src_uri in changed or r.src_uri not in lists or mine & terms:
            lists[r.src_uri] = tuple((o.src_uri, o.title, o.type) for o in related(r, library))
    for src in set(lists) - set(keys):
        del lists[src]
    previous["keys"] = keys
    return lists


def resource_page(context_key: str, resource: Resource, library: Library, shown_related: tuple) -> int:
    """A resource page shows its own file, its related resources, what
    replaces it and whether it is upcoming; nothing else of the library."""
    replaced = library.by_key.get(resource.meta.get("replaced_by", ""))
    return hash((context_key, repr(sorted(resource.meta.items())), resource.body, shown_related,
                 (replaced.src_uri, replaced.title) if replaced else None, resource.is_upcoming(library.now),
                 resource.status))
