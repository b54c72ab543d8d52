"""The resource finder's data and its prebuilt lunr index.

Built with lunr.py at build time and loaded in the browser by lunr.js 2.3.9
(shipped by MkDocs) with `lunr.Index.load`, so the browser indexes nothing.
Both are written as JavaScript files that set a global, loaded with
<script src>, because fetch() fails from file:// (the offline bundle).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from lunr import lunr

from .load import Library
from .urls import page_url, relative

FINDER_PAGE = "finder/index.md"
# Title ranks highest, then summary, then topics and programmes, then body.
FIELDS = [
    {"field_name": "title", "boost": 10},
    {"field_name": "summary", "boost": 5},
    {"field_name": "topics", "boost": 4},
    {"field_name": "programmes", "boost": 4},
    {"field_name": "body", "boost": 1},
]


def plain_text(markdown: str) -> str:
    """Markdown reduced to the words a reader sees."""
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"[#*_`|>\-]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def documents(library: Library, use_directory_urls: bool) -> list[dict]:
    """One record per listed resource: what the finder shows and filters on."""
    vocab = library.vocabulary
    here = page_url(FINDER_PAGE, use_directory_urls)
    docs = []
    for number, r in enumerate(sorted(library.listed, key=lambda r: r.src_uri)):
        docs.append({
            "id": number,
            "url": relative(page_url(r.src_uri, use_directory_urls), here),
            "type": r.type,
            "title": r.title,
            "summary": r.meta["summary"],
            "date": (r.starts.date() if r.starts else r.published).isoformat(),
            "published": r.published.isoformat(),
            "year": str((r.starts.date() if r.starts else r.published).year),
            "functions": r.functions,
            "programmes": r.programmes,
            "topics": r.topics,
            # For the index only: term names, so "unpaid carers" finds the programme.
            "_text": {
                "topics": " ".join(vocab.topics[t].name for t in r.topics),
                "programmes": " ".join(vocab.programmes[p].name for p in r.programmes),
                "body": plain_text(r.body),
            },
        })
    return docs


def build_index(docs: list[dict]) -> dict:
    records = [{"id": str(d["id"]), "title": d["title"], "summary": d["summary"], **d["_text"]} for d in docs]
    return lunr(ref="id", fields=FIELDS, documents=records).serialize()


def facets(library: Library) -> dict:
    vocab = library.vocabulary
    return {
        "type": {slug: t.name for slug, t in vocab.types.items()},
        "functions": {slug: t.name for slug, t in vocab.functions.items()},
        "programmes": {slug: t.name for slug, t in vocab.programmes.items()},
        "topics": {slug: t.name for slug, t in sorted(vocab.topics.items(), key=lambda kv: kv[1].name)},
    }


def as_script(name: str, value) -> str:
    payload = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # "</" would end the <script> element early if this were ever inlined.
    payload = payload.replace("</", "<\\/")
    return f"window.{name}={payload};\n"


def write_finder_assets(site_dir: Path, library: Library, use_directory_urls: bool, lunr_js: Path) -> None:
    docs = documents(library, use_directory_urls)
    folder = Path(site_dir) / "finder"
    folder.mkdir(parents=True, exist_ok=True)
    public = [{k: v for k, v in d.items() if k != "_text"} for d in docs]
    (folder / "finder-data.js").write_text(
        as_script("LIBRARY_FINDER_DATA", {"docs": public, "facets": facets(library)}), encoding="utf-8")
    (folder / "finder-index.js").write_text(as_script("LIBRARY_FINDER_INDEX", build_index(docs)), encoding="utf-8")
    (folder / "lunr.js").write_bytes(Path(lunr_js).read_bytes())
