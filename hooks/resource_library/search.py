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

from lunr.builder import Builder
from lunr.stemmer import stemmer
from lunr.stop_word_filter import stop_word_filter
from lunr.token import Token
from lunr.trimmer import trimmer

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


# lunr's default separator: white space and hyphens (lunr.js uses /[\s\-]+/).
SEPARATORS = re.compile(r"[ \t\n\r\f\v\xa0\-]+")


class _Builder(Builder):
    """lunr.py's Builder with the same terms, made faster.

    lunr.py runs trimmer, stop-word filter and stemmer on every token, as
    objects; each is a pure function of one word, so each distinct word is
    processed once and remembered. The index is the one lunr.py would build
    (a test compares them), in a fraction of the time.
    """

    def __init__(self):
        super().__init__()
        self.pipeline.add(trimmer, stop_word_filter, stemmer)
        self.search_pipeline.add(stemmer)
        self._terms: dict[str, str] = {}

    def _term(self, word: str) -> str:
        term = self._terms.get(word)
        if term is None:
            token: object = Token(word)
            for step in (trimmer, stop_word_filter, stemmer):
                token = step(token, 0, [token]) if token else token
            term = str(token) if token else ""
            self._terms[word] = term
        return term

    def add(self, doc, attributes=None):
        doc_ref = str(doc[self._ref])
        self._documents[doc_ref] = attributes or {}
        self.document_count += 1
        for field_name in self._fields:
            words = SEPARATORS.split(str(doc[field_name] or "").lower())
            terms = [t for t in (self._term(w) for w in words if w) if t]
            field_terms: dict[str, int] = {}
            self.field_term_frequencies[f"{field_name}/{doc_ref}"] = field_terms
            self.field_lengths[f"{field_name}/{doc_ref}"] = len(terms)
            for term in terms:
                field_terms[term] = field_terms.get(term, 0) + 1
                posting = self.inverted_index.get(term)
                if posting is None:
                    posting = {name: {} for name in self._fields}
                    posting["_index"] = self.term_index
                    self.term_index += 1
                    self.inverted_index[term] = posting
                posting[field_name].setdefault(doc_ref, {})


def build_index(docs: list[dict]) -> dict:
    builder = _Builder()
    builder.ref("id")
    for field in FIELDS:
        builder.field(field["field_name"], boost=field["boost"])
    for d in docs:
        builder.add({"id": str(d["id"]), "title": d["title"], "summary": d["summary"], **d["_text"]})
    return builder.build().serialize()


def compact(serialized: dict) -> dict:
    """lunr's serialized index with each posting list as an array of document
    numbers instead of {"12": {}, ...} objects: a third smaller, with nothing
    lost. finder.js (and `expand`) rebuild lunr's exact form before
    lunr.Index.load."""
    fields = serialized["fields"]
    rows = [[term, posting["_index"], *[sorted(int(ref) for ref in posting[f]) for f in fields]]
            for term, posting in serialized["invertedIndex"]]
    return {**{k: v for k, v in serialized.items() if k != "invertedIndex"}, "postings": rows}


def expand(packed: dict) -> dict:
    """The inverse of `compact`: what lunr.Index.load expects."""
    fields = packed["fields"]
    inverted = [[row[0], {"_index": row[1], **{f: {str(ref): {} for ref in row[2 + i]} for i, f in enumerate(fields)}}]
                for row in packed["postings"]]
    return {**{k: v for k, v in packed.items() if k != "postings"}, "invertedIndex": inverted}


def facets(library: Library) -> dict:
    vocab = library.vocabulary
    return {
        "type": {slug: t.name for slug, t in vocab.types.items()},
        "functions": {slug: t.name for slug, t in vocab.functions.items()},
        "programmes": {slug: t.name for slug, t in vocab.programmes.items()},
        "topics": {slug: t.name for slug, t in sorted(vocab.topics.items(), key=lambda kv: kv[1].name)},
    }


def as_script(name: str, value) -> str:
    """`window.NAME=JSON.parse('...')`: browsers parse a JSON string much
    faster than the same data written as a JavaScript object literal."""
    payload = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    literal = payload.replace("\\", "\\\\").replace("'", "\\'")
    return f"window.{name}=JSON.parse('{literal}');\n"


def from_script(text: str, name: str):
    """The value in a file written by as_script (for tests and tools)."""
    match = re.fullmatch(rf"window\.{name}=JSON\.parse\('(.*)'\);\n", text, re.S)
    if not match:
        raise ValueError(f"not a script written by as_script for {name}")
    return json.loads(re.sub(r"\\(.)", r"\1", match.group(1), flags=re.S))


def finder_assets(library: Library, use_directory_urls: bool) -> dict[str, bytes]:
    """The finder's data and index, as {path in the site: bytes}."""
    docs = documents(library, use_directory_urls)
    public = [{k: v for k, v in d.items() if k != "_text"} for d in docs]
    return {
        "finder/finder-data.js": as_script("LIBRARY_FINDER_DATA", {"docs": public, "facets": facets(library)}).encode(),
        "finder/finder-index.js": as_script("LIBRARY_FINDER_INDEX", compact(build_index(docs))).encode(),
    }
