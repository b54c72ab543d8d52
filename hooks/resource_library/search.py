"""The resource finder's data and its prebuilt index: the site's one search.

Terms are made by lunr.py's pipeline (analysis.py) and looked up in the
browser after lunr.js's pipeline has made the same terms from the reader's
words; finder.js scores them with lunr's BM25. Everything is written as
JavaScript files loaded with <script src>, because fetch() fails from
file:// (the offline bundle).

What the first answer needs is small: titles, summaries, headings, topics,
programmes and speakers (finder-index.js) and what a result card shows
(finder-data.js). Body text is split by term into shards of about
SHARD_BYTES, and the finder loads only the shards that hold the reader's
words, after it has answered from the first index.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter

from . import analysis
from .load import Library
from .memo import remembered
from .synonyms import Group
from .urls import page_url, relative

FINDER_PAGE = "finder/index.md"
# Fields of the first index, with their weights: a word in a title counts
# most, a word in a speaker's role least.
FIELDS = [("title", 10), ("summary", 5), ("topics", 4), ("programmes", 4), ("headings", 3), ("type", 2),
          ("speakers", 2)]
BODY_BOOST = 1
SHARD_BYTES = 96_000
FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
HEADING_RE = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t]*(?:\{[^}]*\})?[ \t#]*$")


def plain_text(markdown: str) -> str:
    """Markdown reduced to the words a reader sees."""
    return remembered(("plain", markdown), lambda: _plain_text(markdown))


def _plain_text(markdown: str) -> str:
    text = re.sub(r"```.*?```", " ", markdown, flags=re.S)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"[#*_`|>\-]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def headings(markdown: str) -> list[str]:
    """The text of each ATX heading (`## Heading`) outside fenced code."""
    return remembered(("headings", markdown), lambda: _headings(markdown))


def _headings(markdown: str) -> list[str]:
    found, fence = [], None
    for line in markdown.splitlines():
        opened = FENCE_RE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        match = HEADING_RE.match(line)
        if match:
            found.append(plain_text(match.group(1)))
    return found


def documents(library: Library, use_directory_urls: bool) -> list[dict]:
    """One record per listed resource: what the finder shows and filters on,
    and under `_text` what it searches."""
    vocab = library.vocabulary
    here = page_url(FINDER_PAGE, use_directory_urls)
    docs = []
    # Numbered newest first (by publication), so the browser sorts by date
    # by number alone.
    for number, r in enumerate(sorted(library.listed, key=lambda r: (-r.published.toordinal(), r.title.lower(), r.src_uri))):
        record = {
            "id": number,
            "url": relative(page_url(r.src_uri, use_directory_urls), here),
            "type": r.type,
            "slug": r.slug,
            "title": r.title,
            "summary": r.meta["summary"],
            # "Newest" means newly published, for webinars too.
            "published": r.published.isoformat(),
            "functions": r.functions,
            "programmes": r.programmes,
            "topics": r.topics,
        }
        if r.starts:
            # `starts` as the organiser wrote it (UK time); `ends` with its
            # offset, so the browser can tell whether it is still to come.
            record["starts"] = r.meta["starts"]
            record["ends"] = r.ends.isoformat()
        speakers = r.meta.get("speakers") or []
        record["_text"] = {
            "title": r.title,
            "summary": r.meta["summary"],
            "topics": " ".join(vocab.topics[t].name for t in r.topics),
            "programmes": " ".join(vocab.programmes[p].name for p in r.programmes),
            "headings": "\n".join(headings(r.body)),
            "type": vocab.types[r.type].name,
            "speakers": " ".join(f"{s.get('name', '')} {s.get('role', '')}" for s in speakers),
            "body": plain_text(r.body),
        }
        docs.append(record)
    return docs


def phrase_table(groups: list[Group]) -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """First term -> [(the phrase's terms, the group's key)], longest first."""
    table: dict[str, list] = {}
    for group in groups:
        for phrase in group.term_phrases:
            if phrase:
                table.setdefault(phrase[0], []).append((phrase, group.key))
    for entries in table.values():
        entries.sort(key=lambda e: -len(e[0]))
    return table


def field_terms(text: str, phrases: dict) -> tuple[Counter, int, list[str]]:
    """(term frequencies, field length, the words as written) for one field.
    Every synonym phrase found adds its group's key as a term too; keys do
    not count towards the field's length."""
    terms, written, stretches = [], [], []
    stretch = 0
    known = _WORDS
    for word in analysis.words(text):
        entry = known.get(word)
        if entry is None:
            entry = known[word] = (analysis.term(word), analysis.breaks_before(word), analysis.breaks_after(word))
        term, before, after = entry
        stretch += before
        if term:
            terms.append(term)
            written.append(word)
            stretches.append(stretch)
        stretch += after
    counts = Counter(terms)
    if phrases:
        for i, first in enumerate(terms):
            for phrase, key in phrases.get(first, ()):
                end = i + len(phrase)
                # A phrase never runs across punctuation: "health and care: a partnership".
                if tuple(terms[i:end]) == phrase and stretches[end - 1] == stretches[i]:
                    counts[key] += 1
    return counts, len(terms), written


# word -> (its term, whether it starts and ends a stretch): a word's fate,
# worked out once per distinct word.
_WORDS: dict[str, tuple[str, bool, bool]] = {}


def pack(entries: list[tuple[int, int]]) -> list[int]:
    """A posting list [(document, term frequency)], sorted by document, as
    numbers: the gap from the previous document, negated and followed by
    the frequency when that is more than 1. finder.js reads it back."""
    out, previous = [], -1
    for doc, frequency in entries:
        gap = doc - previous
        previous = doc
        if frequency == 1:
            out.append(gap)
        else:
            out += [-gap, frequency]
    return out


def unpack(packed: list[int]) -> list[tuple[int, int]]:
    """The inverse of `pack`."""
    out, previous, i = [], -1, 0
    while i < len(packed):
        gap, frequency = packed[i], 1
        if gap < 0:
            gap, frequency = -gap, packed[i + 1]
            i += 1
        previous += gap
        out.append((previous, frequency))
        i += 1
    return out


def flatten(fields: list[list[int]]) -> list[int]:
    """A term's packed posting lists, one per field, as one list: for each
    field that has the term, its number, the list's length, the list."""
    out = []
    for number, packed in enumerate(fields):
        if packed:
            out += [number, len(packed), *packed]
    return out


def unflatten(flat: list[int], fields: int) -> list[list[int]]:
    """The inverse of `flatten`."""
    out, i = [[] for _ in range(fields)], 0
    while i < len(flat):
        number, length = flat[i], flat[i + 1]
        out[number] = flat[i + 2:i + 2 + length]
        i += 2 + length
    return out


def js_order(term: str) -> bytes:
    """Sort key matching JavaScript's string order (UTF-16 code units), so
    the browser can binary-search the term lists."""
    return term.encode("utf-16-be")


def build_index(docs: list[dict], groups: list[Group]) -> tuple[dict, list[dict]]:
    """(the first index, the body shards). See the module docstring."""
    phrases = phrase_table(groups)
    phrases_key = repr(sorted(phrases.items()))

    def field_terms_of(text: str):
        return remembered(("terms", text, phrases_key), lambda: field_terms(text, phrases))

    names = [name for name, _ in FIELDS]
    postings: dict[str, list[list[tuple[int, int]]]] = {}
    # Body postings as flat [doc, frequency, doc, frequency, ...]: a third of
    # the memory of a tuple each, and there are a few hundred per resource.
    body: dict[str, list[int]] = {}
    lengths = [[0] * len(docs) for _ in FIELDS]
    body_lengths = [0] * len(docs)
    spellings: dict[str, Counter] = {}
    for d in docs:
        doc = d["id"]
        for f, name in enumerate(names):
            counts, length, written = field_terms_of(d["_text"][name])
            lengths[f][doc] = length
            for term, frequency in counts.items():
                postings.setdefault(term, [[] for _ in FIELDS])[f].append((doc, frequency))
            for word, times in Counter(written).items():
                spellings.setdefault(analysis.term(word), Counter())[analysis.trimmed(word)] += times
        counts, body_lengths[doc], _ = field_terms_of(d["_text"]["body"])
        for term, frequency in counts.items():
            body.setdefault(term, []).extend((doc, frequency))

    terms = sorted(postings, key=js_order)

    def spelling(term: str) -> str:
        # The commonest way the word was written, when it is not the term
        # itself: "did you mean" shows words, not stems.
        if term not in spellings:
            return ""
        best = min(spellings[term].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        return "" if best == term else best

    shards, current, size = [], None, 0
    for term in sorted(body, key=js_order):
        flat = body[term]
        packed = pack(list(zip(flat[::2], flat[1::2])))
        if current is None or size > SHARD_BYTES:
            current = {"terms": [], "postings": []}
            shards.append(current)
            size = 0
        current["terms"].append(term)
        current["postings"].append(packed)
        # The JSON's length: str() of a list of numbers is the JSON with a
        # space after each comma, and much faster to make.
        size += len(term) + 4 + len(str(packed)) - max(len(packed) - 1, 0)

    def average(values: list[int]) -> float:
        return sum(values) / len(values) if values else 0

    index = {
        "count": len(docs),
        "averages": [average(field) for field in lengths],
        "fields": names,
        "boosts": [boost for _, boost in FIELDS],
        "terms": terms,
        "words": [spelling(t) for t in terms],
        "postings": [flatten([pack(p) for p in postings[t]]) for t in terms],
        # How many resources have each term, in any field: its BM25 weight.
        "df": [len({doc for field in postings[t] for doc, _ in field}) for t in terms],
        "lengths": lengths,
        "synonyms": {g.key: [list(p) for p in g.term_phrases if p] for g in groups},
        "body": {"boost": BODY_BOOST, "lengths": body_lengths, "average": average(body_lengths),
                 "shards": [s["terms"][0] for s in shards]},
    }
    return index, shards


def facets(library: Library) -> dict:
    """Each facet's values as [slug, name] pairs, in the order shown:
    types, functions and programmes as the vocabulary lists them, topics
    A to Z."""
    vocab = library.vocabulary
    return {
        "type": [[slug, t.name] for slug, t in vocab.types.items()],
        "functions": [[slug, t.name] for slug, t in vocab.functions.items()],
        "programmes": [[slug, t.name] for slug, t in vocab.programmes.items()],
        "topics": [[slug, t.name] for slug, t in sorted(vocab.topics.items(), key=lambda kv: kv[1].name.lower())],
    }


# What finder-data.js holds for each resource, in this order: arrays parse
# faster than objects and do not repeat the keys 4,000 times.
DATA_COLUMNS = ("type", "slug", "title", "summary", "published", "functions", "programmes", "topics", "year",
                "starts", "ends")


def finder_data(library: Library, docs: list[dict], use_directory_urls: bool) -> dict:
    """What the finder shows: a row per resource (DATA_COLUMNS), the facets,
    and the pattern of a resource's link from the finder. A row gives its
    type, functions, programmes and topics as positions in the facets'
    lists, ready for counting."""
    here = page_url(FINDER_PAGE, use_directory_urls)
    values = facets(library)
    # The year of publication, newest first: what "Year published" offers.
    years = sorted({d["published"][:4] for d in docs}, reverse=True)
    values["year"] = [[year, year] for year in years]
    number = {key: {slug: n for n, (slug, _) in enumerate(pairs)} for key, pairs in values.items()}

    def cell(d: dict, column: str):
        if column == "type":
            return number["type"][d["type"]]
        if column == "year":
            return number["year"][d["published"][:4]]
        if column in number:
            return [number[column][slug] for slug in d[column]]
        return d.get(column, "")

    return {
        "columns": list(DATA_COLUMNS),
        "docs": [[cell(d, column) for column in DATA_COLUMNS] for d in docs],
        "facets": values,
        "url": relative(page_url("TYPE/SLUG.md", use_directory_urls), here),
    }


def as_script(target: str, value) -> str:
    """`TARGET=JSON.parse('...')`: browsers parse a JSON string much faster
    than the same data written as a JavaScript object literal. ASCII only,
    so the browser keeps the string one byte a character."""
    payload = json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    literal = payload.replace("\\", "\\\\").replace("'", "\\'")
    return f"{target}=JSON.parse('{literal}');\n"


def from_script(text: str, target: str):
    """The value in a file written by as_script (for tests and tools)."""
    match = re.fullmatch(rf"{re.escape(target)}=JSON\.parse\('(.*)'\);\n", text, re.S)
    if not match:
        raise ValueError(f"not a script written by as_script for {target}")
    return json.loads(re.sub(r"\\(.)", r"\1", match.group(1), flags=re.S))


DATA_TARGET = "window.LIBRARY_FINDER_DATA"
INDEX_TARGET = "window.LIBRARY_FINDER_INDEX"


def shard_target(number: int) -> str:
    return f"(window.LIBRARY_FINDER_BODY=window.LIBRARY_FINDER_BODY||{{}})[{number}]"


def finder_assets(library: Library, use_directory_urls: bool, groups: list[Group] = ()) -> dict[str, bytes]:
    """The finder's data, index and body shards, as {path in the site: bytes}."""
    docs = documents(library, use_directory_urls)
    index, shards = build_index(docs, list(groups))
    shard_scripts = [as_script(shard_target(n), shard) for n, shard in enumerate(shards)]
    # Shard names carry a hash of what they were built with: a browser that
    # kept yesterday's index never mixes it with today's shards.
    version = hashlib.sha256("".join(shard_scripts).encode()).hexdigest()[:10]
    index["body"]["files"] = [f"finder-body-{n}.{version}.js" for n in range(len(shards))]
    assets = {
        "finder/finder-data.js": as_script(DATA_TARGET, finder_data(library, docs, use_directory_urls)).encode(),
        "finder/finder-index.js": as_script(INDEX_TARGET, index).encode(),
    }
    for name, script in zip(index["body"]["files"], shard_scripts):
        assets[f"finder/{name}"] = script.encode()
    return assets
