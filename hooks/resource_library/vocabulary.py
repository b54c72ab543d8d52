"""The library's controlled vocabulary: functions, programmes, topics, types.

Each is a YAML file in vocabulary/ keyed by slug, each entry with a name and
a description. Templates and the validator look values up here.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from . import characters, links, rules
from .files import WINDOWS_DEVICES
from .frontmatter import MAX_FILE_BYTES, read_yaml
from .problems import Problem, field_label, report

KINDS = ("functions", "programmes", "topics", "types")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A term's page is <kind>/<slug>.md and the page listing every term of a
# kind is <kind>/index.md (indexes.generate): a slug `index` would take its place.
RESERVED_SLUGS = frozenset({"index"})
MAX_VOCABULARY_SLUG = 60  # a folder and a feed's file name in the site
# A term is a name a reader scans in a list, and each has a page and a feed:
# a 4 MB topic name made a 34 MB page and a 759-page briefing PDF
# (fourteenth attacker). The file is at most a resource's size.
MAX_ENTRIES = 500           # terms in one file
MAX_NAME_CHARS = 80         # a name or a plural
MAX_DESCRIPTION_CHARS = 400  # a description, as a resource's summary
# The content folders the build knows, each with its templates and its
# fields in the schema: types.yml names exactly these (a type added there
# alone was half applied: in the menus, with no folder built).
TYPES = ("at-a-glance", "deeper-dives", "webinars")
# Term names become page titles, headings and facet labels: plain text only.
UNSAFE_RE = re.compile(r"<[a-zA-Z/!?]|\{\{|\{%|\{#")


@dataclass(frozen=True)
class Term:
    slug: str
    name: str
    description: str
    plural: str = ""


@dataclass
class Vocabulary:
    functions: dict[str, Term]
    programmes: dict[str, Term]
    topics: dict[str, Term]
    types: dict[str, Term]

    def terms(self, kind: str) -> dict[str, Term]:
        return getattr(self, kind)


class VocabularyError(Exception):
    pass


def check_vocabulary_files(folder: str | Path) -> tuple[Vocabulary | None, list[Problem]]:
    """Read and check the vocabulary like content: every problem with its
    file, line and column. None when any file has an error."""
    folder = Path(folder)
    loaded, problems = {}, []
    for kind in KINDS:
        path = folder / f"{kind}.yml"
        shown = f"{folder.name}/{kind}.yml"
        try:
            raw = path.read_bytes()
            if len(raw) > MAX_FILE_BYTES:
                problems.append(rules.problem("too-large", shown, 1, 1, size=len(raw) / 1024,
                                              limit=MAX_FILE_BYTES // 1024))
                continue
            parsed = read_yaml(shown, raw)
        except OSError as error:
            problems.append(rules.problem("unreadable/vocabulary", shown, 1, 1, kind=kind, error=error.strerror,
                                          shown=shown))
            continue
        problems += parsed.problems
        if parsed.data is None:
            continue
        if not isinstance(parsed.data, dict) or not parsed.data:
            problems.append(rules.problem("vocabulary/not-mapping", shown, 1, 1))
            continue
        terms = {}
        for number, (slug, entry) in enumerate(parsed.data.items(), start=1):
            pos = parsed.at((slug,))
            key_pos = parsed.key_positions.get(slug, pos)

            def problem(key, where=key_pos, /, **values):
                problems.append(rules.problem(key, shown, where.line, where.col, parsed.line(where.line), **values))

            if number > MAX_ENTRIES:
                problem("vocabulary/too-many", kind=kind, limit=MAX_ENTRIES)
                break

            if not isinstance(slug, str) or not SLUG_RE.match(slug):
                problem("vocabulary/slug", slug=slug)
                continue
            if slug in RESERVED_SLUGS:
                problem("vocabulary/reserved", slug=slug, kind=kind)
                continue
            if slug in WINDOWS_DEVICES or len(slug) > MAX_VOCABULARY_SLUG:
                problem("vocabulary/portable", slug=slug, limit=MAX_VOCABULARY_SLUG)
                continue
            if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) \
                    or not isinstance(entry.get("description"), str):
                problem("vocabulary/entry", slug=slug)
                continue
            unknown = set(entry) - {"name", "description", "plural"}
            if unknown:
                problem("vocabulary/unknown", slug=slug, fields=", ".join(sorted(map(str, unknown))))
            bad = False
            for field in ("name", "description", "plural"):
                value = entry.get(field)
                if value is None:
                    continue
                where = parsed.at((slug, field))
                if not isinstance(value, str) or not value.strip():
                    problem("vocabulary/not-text", where, name=field_label((slug, field)))
                    bad = True
                elif refused := characters.check_value(parsed, (slug, field), field_label((slug, field)), value,
                                                       multi_line=field == "description"):
                    line, col, key, values = refused
                    problems.append(rules.problem(key, shown, line, col, parsed.line(line), **values))
                    bad = True
                elif UNSAFE_RE.search(value):
                    problem("vocabulary/markup", where, name=field_label((slug, field)))
                    bad = True
                elif found := next(links.text_address_problems(value), None):
                    # Shown as a page's lead and its link preview (twenty-sixth round).
                    address, key, values = found
                    problems.append(rules.problem(key, shown, where.line, where.col, parsed.line(where.line),
                                                  target=address[:80], **values))
                    bad = True
                elif len(value.strip()) > (limit := MAX_DESCRIPTION_CHARS if field == "description"
                                           else MAX_NAME_CHARS):
                    problem("vocabulary/too-long", where, name=field_label((slug, field)), count=len(value.strip()),
                            limit=limit)
                    bad = True
                elif field != "description" and (shown_address := links.strong_address(value)
                                                 or links.strong_number(value)):
                    problem(links.misleading_key("misleading-link/name", shown_address), where,
                            name=field_label((slug, field)), shown=shown_address)
                    bad = True
                elif field != "description" and "\n" in value.strip():
                    problem("vocabulary/one-line", where, name=field_label((slug, field)))
                    bad = True
            if not bad:
                terms[slug] = Term(slug, entry["name"].strip(), entry["description"].strip(),
                                   str(entry.get("plural", entry["name"])).strip())
        if kind == "types":
            for slug in terms.keys() - set(TYPES):
                where = parsed.key_positions.get(slug, parsed.at((slug,)))
                problems.append(rules.problem("vocabulary/type", shown, where.line, where.col, parsed.line(where.line),
                                              slug=slug, types=", ".join(TYPES)))
            for slug in sorted(set(TYPES) - terms.keys()):
                problems.append(rules.problem("vocabulary/type-missing", shown, 1, 1, slug=slug))
        loaded[kind] = terms
    if any(p.is_error for p in problems) or len(loaded) != len(KINDS):
        return None, problems
    return Vocabulary(**loaded), problems


def load_vocabulary(folder: str | Path) -> Vocabulary:
    vocabulary, problems = check_vocabulary_files(folder)
    if vocabulary is None:
        raise VocabularyError(report(problems))
    return vocabulary


WORD_RE = re.compile(r"[^-_\s]+")


def _same_words(typed: str, candidate: str) -> bool:
    """Every word typed is close to a word of the candidate: `needs-assesment`
    for `needs-assessment`, but not `winter-planning` for `scenario-planning`,
    which shares only its last word, and would mis-tag the resource."""
    words = WORD_RE.findall(candidate)
    return all(any(difflib.SequenceMatcher(None, typed_word, word).ratio() >= 0.75 for word in words)
               for typed_word in WORD_RE.findall(typed))


def closest(value: str, allowed) -> str | None:
    """The allowed value nearest to a mistyped one, by slug or by name; None
    rather than a guess that means something else."""
    value = str(value).lower()
    for match in difflib.get_close_matches(value, list(allowed), n=3, cutoff=0.6):
        if _same_words(value, match) or difflib.SequenceMatcher(None, value, match).ratio() >= 0.85:
            return match
    # A value that is part of a slug (`carers` for `unpaid-carers`).
    contained = [slug for slug in allowed if value and (value in slug or slug in value)]
    return contained[0] if len(contained) == 1 else None
