"""The library's controlled vocabulary: functions, programmes, topics, types.

Each is a YAML file in vocabulary/ keyed by slug, each entry with a name and
a description. Templates and the validator look values up here.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import yaml

KINDS = ("functions", "programmes", "topics", "types")


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


def load_vocabulary(folder: str | Path) -> Vocabulary:
    folder = Path(folder)
    loaded = {}
    for kind in KINDS:
        path = folder / f"{kind}.yml"
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            raise VocabularyError(f"{path}: cannot read the {kind} vocabulary: {error}") from None
        if not isinstance(data, dict) or not data:
            raise VocabularyError(f"{path}: expected `slug:` entries, each with a name and a description")
        terms = {}
        for slug, entry in data.items():
            if not isinstance(entry, dict) or not entry.get("name") or not entry.get("description"):
                raise VocabularyError(f"{path}: `{slug}` needs a name and a description")
            terms[str(slug)] = Term(str(slug), str(entry["name"]), str(entry["description"]),
                                    str(entry.get("plural", entry["name"])))
        loaded[kind] = terms
    return Vocabulary(**loaded)


def closest(value: str, allowed) -> str | None:
    """The allowed value nearest to a mistyped one, by slug or by name."""
    value = str(value).lower()
    matches = difflib.get_close_matches(value, list(allowed), n=1, cutoff=0.6)
    if matches:
        return matches[0]
    # A value that is part of a slug (`carers` for `unpaid-carers`).
    contained = [slug for slug in allowed if value and (value in slug or slug in value)]
    return contained[0] if len(contained) == 1 else None
