"""Synonyms and acronyms for the finder: vocabulary/synonyms.yml.

Each group names one thing several ways ("HSCP", "Health and Social Care
Partnership"). The search index marks every place a group's phrase occurs
with the group's key, and the finder turns a reader's words into that key, so
any of the group's words find all of them, and a phrase matches only as a
phrase.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import characters
from .analysis import terms
from .problems import Problem

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RULE = "synonyms"


@dataclass(frozen=True)
class Group:
    slug: str
    phrases: tuple[str, ...]
    line: int

    @property
    def term_phrases(self) -> list[tuple[str, ...]]:
        """Each phrase as index terms ("Health and Social Care Partnership"
        -> health, social, care, partnership), duplicates dropped."""
        return list(dict.fromkeys(tuple(terms(p)) for p in self.phrases))

    @property
    def key(self) -> str:
        """The term the index uses for the group. `~` never starts a real
        term: lunr's trimmer strips it from every word."""
        return "~" + self.slug


def load_synonyms(path: Path, rel: str = "vocabulary/synonyms.yml") -> tuple[list[Group], list[Problem]]:
    """The groups in the file, and every problem found (a missing file is no
    problem: the finder then has no synonyms)."""
    if not path.is_file():
        return [], []
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()

    def problem(line: int, col: int, message: str, hint: str) -> Problem:
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        return Problem(rel, line, col, RULE, message, hint, source)

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return [], [problem(line, col, f"not valid YAML: {getattr(error, 'problem', error)}",
                            "Each group is `slug:` followed by a list of `- word or phrase` lines.")]
    if root is None:
        return [], []
    if not isinstance(root, yaml.MappingNode):
        return [], [problem(root.start_mark.line + 1, root.start_mark.column + 1, "expected `slug:` entries",
                            "Each group is `slug:` followed by a list of `- word or phrase` lines.")]
    groups, problems, seen = [], [], {}
    for key_node, value_node in root.value:
        line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        slug = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        if not SLUG_RE.match(slug):
            problems.append(problem(line, col, f"`{slug}` is not a lowercase slug",
                                    "Name the group with lowercase letters, digits and single hyphens, e.g. `nhs-board`."))
            continue
        if not isinstance(value_node, yaml.SequenceNode) or not all(
                isinstance(item, yaml.ScalarNode) and item.tag.endswith(":str") and item.value.strip()
                for item in value_node.value):
            problems.append(problem(line, col, f"`{slug}` must be a list of words or phrases",
                                    "Write each word or phrase on its own `- ` line under the slug."))
            continue
        phrases = tuple(item.value.strip() for item in value_node.value)
        if len(phrases) < 2:
            problems.append(problem(line, col, f"`{slug}` has only one word or phrase",
                                    "A group needs two or more ways of saying the same thing."))
            continue
        for number, (item, phrase) in enumerate(zip(value_node.value, phrases), start=1):
            # Compared as index terms: "carers" and "carer" are the same entry.
            folded = tuple(terms(phrase))
            at = (item.start_mark.line + 1, item.start_mark.column + 1)
            refused = characters.find(item.value, multi_line=False)
            if refused:
                # Written as an escape in double quotes: the file itself is clean.
                source = lines[at[0] - 1] if at[0] <= len(lines) else ""
                col = characters.source_col(source, at[1], refused.start()) \
                    if item.end_mark.line == item.start_mark.line else at[1]
                message, hint = characters.problem_text(f"`{slug}`, item {number}",
                                                        item.value, refused, multi_line=False)
                problems.append(Problem(rel, at[0], col, "control-character", message, hint, source))
                continue
            if not folded:
                problems.append(problem(*at, f"`{phrase}` has no words the finder searches for",
                                        "Small words such as \"the\" and \"and\" are not searched: use a fuller phrase."))
            elif seen.get(folded, slug) != slug:
                problems.append(problem(*at, f"`{phrase}` is already in the group `{seen[folded]}`",
                                        "A word or phrase can be in one group only: merge the groups or remove one."))
            seen.setdefault(folded, slug)
        groups.append(Group(slug, phrases, line))
    return groups, problems
