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
from itertools import accumulate, compress

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
HEADING_RE = re.compile(r"^ {0,3}#{1,6}[ \t]++")
LINE_STARTS = frozenset(" `~#")
CODE_RE = re.compile(r"```.*?```", re.S)
# A link, `[text](address)`, or an image when a `!` comes before it.
LINK_RE = re.compile(r"\[([^\[\]]*+)\]\([^()]*+\)")
TAG_RE = re.compile(r"<[^<>]++>")
MARKUP = "#*_`|>-"


def plain_text(markdown: str, memo: dict | None = None) -> str:
    """Markdown reduced to the words a reader sees."""
    return remembered(memo, ("plain", markdown), lambda: _plain_text(markdown))


def _plain_text(markdown: str) -> str:
    text = CODE_RE.sub(" ", markdown)
    text = _link_texts(text)
    text = TAG_RE.sub(" ", text)
    # Markup characters become spaces and runs of white space one space:
    # str.replace and str.split do in C what a regex replacing each run did
    # a match at a time (every space between two words was one).
    for mark in MARKUP:
        text = text.replace(mark, " ")
    return " ".join(text.split())


def _link_texts(text: str) -> str:
    """Each link `[text](address)` and image `![text](address)` as its text
    alone. The same as replacing LINK_RE with a `!` before it allowed, but a
    pattern that must start with `[` is looked for much faster than one
    that could start at any character."""
    if "](" not in text:
        return text
    out, done = [], 0
    for link in LINK_RE.finditer(text):
        start = link.start()
        if start > done and text[start - 1] == "!":
            start -= 1
        out += (text[done:start], link.group(1))
        done = link.end()
    out.append(text[done:])
    return "".join(out)


def headings(markdown: str, memo: dict | None = None) -> list[str]:
    """The text of each ATX heading (`## Heading`) outside fenced code."""
    return remembered(memo, ("headings", markdown), lambda: _headings(markdown, memo))


def _headings(markdown: str, memo: dict | None) -> list[str]:
    found, fence = [], None
    for line in markdown.splitlines():
        # Only a line that starts with one of these can open or close a
        # fence or be a heading: most lines need neither pattern tried.
        if line[:1] not in LINE_STARTS:
            continue
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
            found.append(plain_text(heading_text(line[match.end():]), memo))
    return found


def heading_text(text: str) -> str:
    """An ATX heading's text without its closing `#`s and attribute list
    (`Plans {#plans} ##`), by string methods: a pattern with a lazy text
    and a trailing `[ \t#]*$` read ` # # # ... x` again from each place."""
    text = text.rstrip(" \t#")
    if text.endswith("}") and (opening := text.rfind("{")) >= 0 and "}" not in text[opening:-1]:
        text = text[:opening]
    return text.rstrip(" \t")


def documents(library: Library, use_directory_urls: bool, memo: dict | None = None) -> list[dict]:
    """One record per listed resource: what the finder shows and filters on,
    under `_text` what the first index searches, and under `_body` the
    body's markdown (build_index makes its plain text one resource at a
    time, so every body's plain text is never held at once)."""
    vocab = library.vocabulary
    here = page_url(FINDER_PAGE, use_directory_urls)
    docs = []
    # Numbered in the library's order (newest first by publication, a day's
    # by title), so the browser sorts by date by number alone, and ties fall
    # as on the listings.
    for number, r in enumerate(library.listed):
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
            "headings": "\n".join(headings(r.body, memo)),
            "type": vocab.types[r.type].name,
            "speakers": " ".join(f"{s.get('name', '')} {s.get('role', '')}" for s in speakers),
        }
        record["_body"] = r.body
        docs.append(record)
    return docs


class PhraseTable(dict):
    """First term -> [(the phrase's terms, the group's key)], longest first;
    and `trie`, the phrases of two or more terms as a tree of their terms
    (a node's None holds the keys of the phrases that end there)."""

    def __init__(self, entries):
        super().__init__(entries)
        self.trie: dict = {}
        for phrases in self.values():
            for phrase, key in phrases:
                if len(phrase) > 1:
                    node = self.trie
                    for term in phrase:
                        node = node.setdefault(term, {})
                    node.setdefault(None, []).append(key)


def phrase_table(groups: list[Group]) -> PhraseTable:
    """First term -> [(the phrase's terms, the group's key)], longest first."""
    table: dict[str, list] = {}
    for group in groups:
        for phrase in group.term_phrases:
            if phrase:
                table.setdefault(phrase[0], []).append((phrase, group.key))
    for entries in table.values():
        entries.sort(key=lambda e: -len(e[0]))
    return PhraseTable(table)


def field_terms(text: str, phrases: dict, spelled: bool = True) -> tuple[Counter, int, list[str]]:
    """(term frequencies, field length, the words as written) for one field.
    Every synonym phrase found adds its group's key as a term too; keys do
    not count towards the field's length. `spelled` false: no words as
    written ([]), for body text, whose spellings are not kept."""
    words = analysis.words(text)
    # Each word's term, "" for a stop word, through the cache: map() and
    # Counter() run in C, where a loop over the words ran in Python.
    every = list(map(_TERMS.__getitem__, words))
    counts = Counter(every)
    length = len(every) - counts.pop("", 0)
    # Most titles and summaries hold no phrase's first term: skip the search.
    if phrases and not phrases.keys().isdisjoint(counts):
        _count_phrases(counts, every, words, phrases)
    return counts, length, list(compress(words, every)) if spelled else []


def _count_phrases(counts: Counter, every: list[str], words: list[str], phrases: dict) -> None:
    """Add each synonym phrase found (see phrase_table) to `counts`, as its
    group's key, once for each place it starts.

    A phrase of one term counts wherever the term is. Longer ones are walked
    down the table's tree from each word that starts one, stop words
    skipped by an index of the words that are not: the work is bounded by
    the words and the longest phrase, not by how many phrases share a first
    word (3,432 that did, over lines of stop words, took 22 s a resource)."""
    trie = getattr(phrases, "trie", None)
    if trie is None:
        trie = PhraseTable(phrases).trie
    for first in counts.keys() & phrases.keys():
        for phrase, key in phrases[first]:
            if len(phrase) == 1:
                counts[key] += counts[first]
    if not trie or trie.keys().isdisjoint(counts):
        return
    # The positions of the words that are not stop words, in order: a
    # phrase's terms follow one another there.
    content = list(compress(range(len(every)), every))
    breaks = None
    for at, start in enumerate(content):
        node = trie.get(every[start])
        if node is None:
            continue
        for next_at in range(at + 1, len(content)):
            end = content[next_at]
            node = node.get(every[end])
            if node is None:
                break
            if None in node:
                if breaks is None:
                    breaks = _breaks(words)
                if _unbroken(breaks, start, end):
                    for key in node[None]:
                        counts[key] += 1


def _breaks(words: list[str]) -> tuple[list[int], list[int]]:
    """Running counts of the words that punctuation follows, and of those it
    precedes: a phrase never runs across it, as in "health and care: a
    partnership"."""
    return (list(accumulate(map(analysis.breaks_after, words), initial=0)),
            list(accumulate(map(analysis.breaks_before, words), initial=0)))


def _unbroken(breaks: tuple[list[int], list[int]], start: int, end: int) -> bool:
    """No punctuation after words[start:end] or before words[start+1:end+1]."""
    after, before = breaks
    return after[end] == after[start] and before[end + 1] == before[start + 1]


class _Terms(dict):
    """word -> its index term ("" for none): each distinct word's term
    worked out once, on first sight."""

    def __missing__(self, word: str) -> str:
        term = self[word] = analysis.term(word)
        return term


_TERMS = _Terms()


def pack(entries: list[tuple[int, int]]) -> list[int]:
    """A posting list [(document, term frequency)], sorted by document, as
    numbers: the gap from the previous document, negated and followed by
    the frequency when that is more than 1. finder.js reads it back;
    build_index makes the same lists as it goes."""
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


def build_index(docs: list[dict], groups: list[Group], memo: dict | None = None) -> tuple[dict, list[dict]]:
    """(the first index, the body shards). See the module docstring. `memo`:
    the store that `make serve` keeps between rebuilds (memo.py)."""
    phrases = phrase_table(groups)
    phrases_key = repr(sorted(phrases.items()))

    def field_terms_of(text: str):
        return remembered(memo, ("terms", text, phrases_key), lambda: field_terms(text, phrases))

    def body_terms_of(markdown: str):
        # Remembered by the markdown: the plain text is made and dropped, in
        # the memo too. No spellings: "did you mean" offers only words from
        # the first index.
        return remembered(memo, ("body terms", markdown, phrases_key),
                          lambda: field_terms(_plain_text(markdown), phrases, spelled=False))

    names = [name for name, _ in FIELDS]
    # Postings packed as they are made (as `pack` packs them: documents come
    # in order), {term: packed list} for each field and then the body, with
    # each term's last document: no tuple per posting, and there are a few
    # hundred per resource.
    postings: list[dict[str, list[int]]] = [{} for _ in range(len(FIELDS) + 1)]
    lasts: list[dict[str, int]] = [{} for _ in postings]
    lengths = [[0] * len(docs) for _ in postings]
    written: Counter = Counter()  # each word as written in the first index's fields: times
    df: Counter = Counter()  # how many resources have each term, in any field of the first index
    for d in docs:
        doc = d["id"]
        found = [field_terms_of(d["_text"][name]) for name in names]
        df.update(set().union(*(counts for counts, _, _ in found)))
        found.append(body_terms_of(d["_body"]))
        for f, (counts, length, words) in enumerate(found):
            lengths[f][doc] = length
            written.update(words)
            packs, last = postings[f], lasts[f]
            for term, frequency in counts.items():
                packed = packs.get(term)
                if packed is None:
                    packed = packs[term] = []
                    gap = doc + 1
                else:
                    gap = doc - last[term]
                last[term] = doc
                if frequency == 1:
                    packed.append(gap)
                else:
                    packed += (-gap, frequency)
    del lasts  # freed before the index is made
    body, body_lengths = postings.pop(), lengths.pop()

    # term -> {the word trimmed: times}, summed over each distinct word.
    spellings: dict[str, Counter] = {}
    for word, times in written.items():
        spellings.setdefault(_TERMS[word], Counter())[analysis.trimmed(word)] += times

    terms = sorted(set().union(*postings), key=js_order)

    def spelling(term: str) -> str:
        # The commonest way the word was written, when it is not the term
        # itself: "did you mean" shows words, not stems.
        if term not in spellings:
            return ""
        best = min(spellings[term].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        return "" if best == term else best

    shards, current, size = [], None, 0
    for term in sorted(body, key=js_order):
        packed = body[term]
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
        "postings": [flatten([field.get(t, []) for field in postings]) for t in terms],
        # How many resources have each term, in any field: its BM25 weight.
        "df": [df[t] for t in terms],
        "lengths": lengths,
        "synonyms": {g.key: [list(p) for p in g.term_phrases if p] for g in groups},
        "body": {"boost": BODY_BOOST, "lengths": body_lengths, "average": average(body_lengths),
                 "shards": [s["terms"][0] for s in shards]},
    }
    return index, shards


def facets(library: Library) -> dict:
    """Each facet's values as [slug, name] pairs, in the order shown:
    types, functions and programmes as the vocabulary lists them, topics
    A to Z. Only values a listed resource has: a term no resource uses
    could only ever filter to nothing, and has no page (issue 21)."""
    vocab = library.vocabulary
    types = {r.type for r in library.listed}

    def used(kind: str, terms: dict) -> list[list[str]]:
        return [[slug, t.name] for slug, t in terms.items() if library.with_term(kind, slug)]

    return {
        "type": [[slug, t.name] for slug, t in vocab.types.items() if slug in types],
        "functions": used("functions", vocab.functions),
        "programmes": used("programmes", vocab.programmes),
        "topics": used("topics", dict(sorted(vocab.topics.items(), key=lambda kv: kv[1].name.lower()))),
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


def finder_assets(library: Library, use_directory_urls: bool, groups: list[Group] = (),
                  memo: dict | None = None) -> dict[str, bytes]:
    """The finder's data, index and body shards, as {path in the site: bytes}."""
    docs = documents(library, use_directory_urls, memo)
    index, shards = build_index(docs, list(groups), memo)
    # Each shard as bytes once (as_script writes ASCII), not as text and bytes
    # and the text of all of them joined.
    shard_scripts = [as_script(shard_target(n), shard).encode() for n, shard in enumerate(shards)]
    # Shard names carry a hash of what they were built with: a browser that
    # kept yesterday's index never mixes it with today's shards.
    hashed = hashlib.sha256()
    for script in shard_scripts:
        hashed.update(script)
    version = hashed.hexdigest()[:10]
    index["body"]["files"] = [f"finder-body-{n}.{version}.js" for n in range(len(shards))]
    assets = {
        "finder/finder-data.js": as_script(DATA_TARGET, finder_data(library, docs, use_directory_urls)).encode(),
        "finder/finder-index.js": as_script(INDEX_TARGET, index).encode(),
    }
    for name, script in zip(index["body"]["files"], shard_scripts):
        assets[f"finder/{name}"] = script
    return assets
