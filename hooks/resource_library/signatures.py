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


def resource_page(context_key: str, resource: Resource, library: Library) -> int:
    """A resource page shows its own file, its related resources, what
    replaces it and whether it is upcoming; nothing else of the library."""
    shown_related = tuple((o.src_uri, o.title, o.type) for o in related(resource, library))
    replaced = library.by_key.get(resource.meta.get("replaced_by", ""))
    return hash((context_key, repr(sorted(resource.meta.items())), resource.body, shown_related,
                 (replaced.src_uri, replaced.title) if replaced else None, resource.is_upcoming(library.now),
                 resource.status))
