"""Issue 20: whatever the validator accepts, every writer can write.

Hypothesis makes whole front matter from schema/resource.schema.json, for
all three types, with hostile strings mixed in (control characters, bidi
controls, quotes, `<script>`, `]]>`, CR and LF, very long values, other
scripts), writes it as YAML (escapes in double quotes included), and runs
the package's own checks on it, in this process. For each library the
checks accept, every writer runs as the build runs it: the resource
page's header and footer, the generated pages, the finder's data and
index, the Atom feeds, the calendars, JSON-LD and the editorial report.
None may raise, and what they write must read back: the feeds as XML, each
calendar with one event per webinar (vobject), JSON-LD as JSON.

Derandomized, with a fixed number of examples: the same documents every run.
"""
from __future__ import annotations

import collections
import csv
import functools
import io
import json
import shutil
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from conftest import REPO

from resource_library import editorial, indexes, side_outputs
from resource_library.feeds import CALENDAR_PATH, json_ld
from resource_library.load import TYPES
from resource_library.render import Renderer
from resource_library.validate import MAX_TERMS, check_library, load_schema
from resource_library.vocabulary import load_vocabulary

EXAMPLES = 400
SCHEMA = load_schema(REPO / "schema" / "resource.schema.json")
VOCABULARY = load_vocabulary(REPO / "vocabulary")
NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
SITE_URL = "https://example.org/library/"
SITE_NAME = "Strategic Planning Resource Library"
FILES = ("files/a.pdf", "files/b.docx", "files/c.csv")
SLUGS = ("one", "two", "three")

# Pieces of text: words; what is odd but allowed (quotes, `]]>`, other
# scripts, direction marks, a formula); and what has broken writers before
# and must be refused (control characters, bidi overrides, noncharacters,
# lone surrogates, `<script>`, template syntax).
WORDS = st.sampled_from(["planning", "care", "Winter", "HSCP", "a", "the", "and", "Plan 2026", "data", "x"])
ODD = st.sampled_from([
    "\u200e", "\u200f", "\u061c", "\u2028", "\u2029", "\u00a0", "\u200b", "\ufeff", "]]>", "&amp;", "&#0;", "&", "< b", ">", "'", '"', "\\", "\\n", "{", "}", "%s", "%0A",
    "BEGIN:VEVENT", "END:VCALENDAR", ";", ",", ":", ": ", " #", "#", "=HYPERLINK(\"x\")", "+SUM(1)", "-1", "@x",
    "é", "\U0001F600", "שלום", "العربية", "e\u0301", "ǅ", "ﬁ", "İ", "ß", "ſ", "  ", "*", "!", "|", ">-", "---",
    "...", "~", "`", "[x](y)", "\\x01",
])
REFUSED = [
    "\t", "\n", "\u0085", "</", "<![CDATA[", "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b[2J", "\x1b]0;t\x07", "\x7f", "\x85", "\x9b", "\r", "\r\n",
    "\u202e", "\u202a", "\u2066", "\u2069", "\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\ud800", "\udfff",
    "<script>alert(1)</script>", "<!--", "<b>", "{{ x }}", "{%", "{#", "TODO", "javascript:",
]
BENIGN = st.one_of(WORDS, WORDS, WORDS, ODD)
HOSTILE = st.one_of(WORDS, WORDS, ODD, st.sampled_from(REFUSED))


def text(pieces, min_size: int = 0, max_size: int = 200, wild: bool = False) -> st.SearchStrategy[str]:
    """Text of `pieces` for a schema's lengths: inside them, up to the
    longest allowed; if `wild`, now and then far over (one piece thousands
    of times)."""

    def fit(s: str) -> str:
        if len(s) < min_size:
            s += " words" * ((min_size - len(s)) // 6 + 1)
        return s[:max_size - 12]  # room for a hostile piece put in afterwards

    inside = st.lists(pieces, min_size=1, max_size=8).map(" ".join).map(fit)
    long = st.tuples(pieces, st.integers(100, 3000)).map(lambda t: (t[0] + " ") * t[1])
    return st.one_of(inside, inside, inside, long.map(fit), *([long] if wild else []))


def day(low=date(2020, 1, 1), high=date(2027, 12, 31)) -> st.SearchStrategy[str]:
    return st.dates(low, high).map(date.isoformat)


def for_schema(schema: dict, pieces, wild: bool, name: str = "") -> st.SearchStrategy:
    """A value for one field of the schema, its text made of `pieces`:
    valid as far as the schema goes, or if `wild`, now and then not."""
    if "$ref" in schema:
        merged = dict(SCHEMA["$defs"][schema["$ref"].split("/")[-1]])
        merged.update({k: v for k, v in schema.items() if k != "$ref"})
        schema = merged
    wrong = (text(pieces, 1, 40, wild),) if wild else ()
    if "enum" in schema:
        return st.one_of(st.sampled_from(schema["enum"]), *wrong)
    if "x-vocabulary" in schema:
        slugs = sorted(VOCABULARY.terms(schema["x-vocabulary"]))
        most = len(slugs) if wild else min(len(slugs), MAX_TERMS.get(schema["x-vocabulary"], len(slugs)))
        return st.one_of(st.lists(st.sampled_from(slugs), min_size=schema.get("minItems", 0), max_size=most,
                                  unique=True), *(st.lists(st.one_of(st.sampled_from(slugs), *wrong)),) * wild)
    if schema.get("format") == "date":
        return st.one_of(day(), *wrong)
    if schema.get("format") == "date-time-local":
        return st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31)).map(lambda d: d.strftime("%Y-%m-%dT%H:%M"))
    if schema.get("x-link"):
        address = text(pieces, 1, 60).map(lambda s: "https://events.example.org/" + s)
        if name == "file":  # a download is a file beside the resource, never an address
            return st.one_of(st.sampled_from(FILES), *wrong)
        return st.one_of(st.sampled_from(FILES), address, *wrong)
    if "pattern" in schema:  # replaced_by
        return st.one_of(st.sampled_from([f"{t}/one" for t in TYPES]), *wrong)
    kind = schema.get("type")
    if kind == "string":
        return text(pieces, schema.get("minLength", 0), schema.get("maxLength", 200), wild)
    if kind == "integer":
        low, high = schema.get("minimum", 0), schema.get("maximum", 100)
        return st.integers(low - 5, high + 5) if wild else st.integers(low, high)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(for_schema(schema["items"], pieces, wild, name), min_size=schema.get("minItems", 0), max_size=3)
    if kind == "object":
        properties = schema["properties"]
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: for_schema(v, pieces, wild, k) for k, v in properties.items() if k in required},
            optional={k: for_schema(v, pieces, wild, k) for k, v in properties.items() if k not in required})
    raise AssertionError(f"the schema has a field this test cannot make: {name} {schema}")


def fields_of(type_slug: str) -> dict:
    parts = SCHEMA["x-types"][type_slug]
    return {"type": "object", "properties": {k: v for part in parts for k, v in SCHEMA["$defs"][part]["properties"].items()},
            "required": [k for part in parts for k in SCHEMA["$defs"][part].get("required", [])]}


# A library is made in one of three moods: benign (words, and odd but
# allowed text); hostile, benign but for one refused piece put into one
# value of each resource, so that a refused character the checks missed is
# what reaches the writers; or wild (hostile text everywhere, and fields of
# the wrong type, length or range).
@functools.lru_cache(maxsize=None)
def fields_in(type_slug: str, mood: str):
    pieces, wild = (HOSTILE, True) if mood == "wild" else (BENIGN, False)
    body = st.lists(st.one_of(st.just("## Method"), st.just("Body text."), text(pieces, 0, 80, wild),
                              text(pieces, 1, 60).map(lambda s: "## " + s), st.just("[A link](https://example.org/)")),
                    max_size=6).map(lambda lines: "\n\n".join(lines) + "\n")
    return for_schema(fields_of(type_slug), pieces, wild), body


@st.composite
def front_matter(draw, type_slug: str, mood: str, piece: str) -> dict:
    data = draw(fields_in(type_slug, mood)[0])
    if mood != "wild" or draw(st.booleans()):
        # Most documents get their dates in order, as the cross-field rules
        # want (published, the changes, updated, the reviews), or few would
        # be accepted and the writers would see little.
        published = draw(st.dates(date(2020, 1, 1), date(2026, 5, 1)))
        data["published"] = published.isoformat()
        if data.get("changes"):
            days = sorted(draw(st.lists(st.dates(published, date(2026, 6, 1)), min_size=len(data["changes"]),
                                        max_size=len(data["changes"]))), reverse=True)
            for change, when in zip(data["changes"], days):
                change["date"] = when.isoformat()
            data["updated"] = days[0].isoformat()
        else:
            data.pop("updated", None)
        if "last_reviewed" in data or "next_review_due" in data:
            reviewed = draw(st.dates(published, date(2026, 6, 1)))
            data["last_reviewed"] = reviewed.isoformat()
            data["next_review_due"] = (reviewed + timedelta(days=draw(st.integers(1, 1000)))).isoformat()
        if data.get("status") == "withdrawn":
            data.setdefault("withdrawn_reason", "Replaced by a newer briefing.")
    if piece:
        put_in_one_value(data, piece, draw)
    return data


def put_in_one_value(data, piece: str, draw) -> None:
    """`piece` put into one string value of `data`, at any place."""
    places = []

    def walk(value):
        for key in (value if isinstance(value, dict) else range(len(value))):
            if isinstance(value[key], str):
                places.append((value, key))
            elif isinstance(value[key], (dict, list)):
                walk(value[key])

    walk(data)
    holder, key = draw(st.sampled_from(places))
    at = draw(st.integers(0, len(holder[key])))
    holder[key] = holder[key][:at] + piece + holder[key][at:]


@st.composite
def library_files(draw) -> dict[str, str]:
    """One to three resources (so related lists and shared feeds are made),
    each as its file's text."""
    out = {}
    mood = draw(st.sampled_from(["benign", "benign", "hostile", "hostile", "wild"]))
    piece = draw(st.sampled_from(REFUSED)) if mood == "hostile" else ""
    count = draw(st.integers(1, 3))
    types = [draw(st.sampled_from(TYPES)) for _ in range(count)]
    for n, type_slug in enumerate(types):
        data = draw(front_matter(type_slug, mood, piece))
        if "replaced_by" in data and mood != "wild":
            other = draw(st.integers(0, count - 1))
            data["replaced_by"] = f"{types[other]}/{SLUGS[other]}"
        dumped = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=draw(st.booleans()),
                                width=draw(st.sampled_from([80, 1_000_000])))
        slug = SLUGS[n]
        out[f"{type_slug}/{slug}.md"] = f"---\n{dumped}---\n\n{draw(fields_in(type_slug, mood)[1])}"
    return out


def tiny_docx() -> bytes:
    """The parts a Word file must hold (files are checked for what their
    names say)."""
    import io
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml",
                         '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    return out.getvalue()


def tiny_pdf() -> bytes:
    from pypdf import PdfWriter
    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(72, 72)
    writer.write(out)
    return out.getvalue()


def write_everything(library) -> dict[str, bytes]:
    """Every writer the build runs, in this process, as it runs them."""
    renderer = Renderer(library, True, SITE_URL)
    pages = {}
    for resource in library.pages:
        pages[resource.src_uri] = renderer.resource_header(resource) + renderer.resource_footer(resource)
        json.loads(json_ld(resource, library, SITE_URL))
    pages.update({src: html for src, (_, html) in indexes.generate(renderer).items()})
    outputs = side_outputs.build(library, True, SITE_URL, SITE_NAME, library.synonyms)  # finder, feeds, calendars
    report = io.StringIO()
    writer = csv.writer(report)
    for row in editorial.rows(library):
        writer.writerow([editorial.spreadsheet_safe(cell) for cell in row])
    return outputs


def read_back(library, outputs: dict[str, bytes]) -> None:
    import vobject
    from lxml import etree
    for path, content in outputs.items():
        if path.endswith(".xml"):
            etree.fromstring(content)
        elif path.endswith(".ics"):
            # Every line ends in CRLF, and no CR or LF stands anywhere else:
            # a bare one ends a property early, and what follows is read as
            # a property of its own (an injected event).
            assert b"\r" not in content.replace(b"\r\n", b"") and b"\n" not in content.replace(b"\r\n", b""), \
                (path, content)
            (calendar,) = list(vobject.readComponents(content.decode("utf-8")))
            events = calendar.contents.get("vevent", [])
            expected = len([r for r in library.listed if r.type == "webinars"]) if path == CALENDAR_PATH else 1
            assert len(events) == expected, (path, content)


def test_whatever_validate_accepts_every_writer_writes():
    """EXAMPLES libraries; the count accepted is checked, so that the
    property is not vacuously true of documents all refused."""
    accepted, refused = [], collections.Counter()
    project = Path(tempfile.mkdtemp(prefix="property-"))
    shutil.copytree(REPO / "vocabulary", project / "vocabulary")
    pdf = tiny_pdf()
    docx = tiny_docx()

    # No shrinking: each example writes files and runs every check, and
    # shrinking a failure took over five minutes; the failing example is
    # printed as found.
    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.reuse, Phase.generate],
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(library_files())
    def check(files: dict[str, str]):
        for type_slug in TYPES:
            shutil.rmtree(project / type_slug, ignore_errors=True)
            (project / type_slug / "files").mkdir(parents=True)
            for name in FILES:
                (project / type_slug / name).write_bytes(pdf if name.endswith(".pdf") else docx
                                                         if name.endswith(".docx") else b"a,b\n")
        for rel, content in files.items():
            # A lone surrogate in a body cannot be UTF-8: written as the bytes an
            # editor could leave, which the reader refuses.
            (project / rel).write_bytes(content.encode("utf-8", "surrogatepass"))
        library, problems = check_library(project, VOCABULARY, SCHEMA, NOW, include_drafts=True)
        if any(p.is_error for p in problems):
            refused.update({p.rule + ": " + p.message[:70] for p in problems if p.is_error})
            return
        accepted.append(len(library.resources))
        read_back(library, write_everything(library))

    try:
        check()
    finally:
        shutil.rmtree(project, ignore_errors=True)
    assert len(accepted) >= EXAMPLES // 4, (f"only {len(accepted)} of {EXAMPLES} libraries were accepted; "
                                            f"refused most for {refused.most_common(8)}")
