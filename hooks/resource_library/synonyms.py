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

from . import characters, rules
from .analysis import terms
from .frontmatter import YamlRefused, compose
from .problems import Problem

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


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


MAX_BYTES = 256 * 1024  # a list of words: far more than a library needs
# Every phrase is looked for in every field of every resource: the starter
# library has 14 groups. Counted as the file is read, so the file's size,
# not what it claims, bounds the work.
MAX_GROUPS = 300
MAX_PHRASES = 12
MAX_PHRASE_CHARS = 100


def load_synonyms(path: Path, rel: str = "vocabulary/synonyms.yml") -> tuple[list[Group], list[Problem]]:
    """The groups in the file, and every problem found (a missing file is no
    problem: the finder then has no synonyms)."""
    if not path.is_file():
        return [], []
    raw = path.read_bytes()
    try:
        # Read as the other vocabulary files are: bad bytes, a file too large
        # to be a list of words, or nesting deep enough to exhaust the parser
        # are problems at a line, not tracebacks (sixth fresh-clone attacker).
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return [], [rules.problem("encoding/yaml", rel, 1, 1, "")]
    lines = text.splitlines()

    def problem(line: int, col: int, key: str, /, **values) -> Problem:
        source = lines[line - 1] if 0 < line <= len(lines) else ""
        return rules.problem(key, rel, line, col, source, **values)

    if len(raw) > MAX_BYTES:
        return [], [problem(1, 1, "synonyms/yaml", error=f"the file is over {MAX_BYTES // 1024} KB")]
    try:
        root = compose(text)
    except YamlRefused as refused:
        return [], [problem(refused.mark.line + 1, refused.mark.column + 1, refused.key, **refused.values)]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return [], [problem(line, col, "synonyms/yaml", error=getattr(error, 'problem', error))]
    except RecursionError:
        line = next((n for n, text_line in enumerate(lines, start=1) if "[[[" in text_line or "{{{" in text_line), 1)
        return [], [problem(line, 1, "synonyms/yaml", error="lists or mappings nested too deep")]
    if root is None:
        return [], []
    if not isinstance(root, yaml.MappingNode):
        return [], [problem(root.start_mark.line + 1, root.start_mark.column + 1, "synonyms/not-mapping")]
    groups, problems, seen = [], [], {}
    if len(root.value) > MAX_GROUPS:
        over = root.value[MAX_GROUPS][0].start_mark
        return [], [problem(over.line + 1, over.column + 1, "synonyms/groups", limit=MAX_GROUPS)]
    for key_node, value_node in root.value:
        line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        slug = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        if not SLUG_RE.match(slug):
            problems.append(problem(line, col, "synonyms/slug", slug=slug))
            continue
        if not isinstance(value_node, yaml.SequenceNode) or not all(
                isinstance(item, yaml.ScalarNode) and item.tag.endswith(":str") and item.value.strip()
                for item in value_node.value):
            problems.append(problem(line, col, "synonyms/not-list", slug=slug))
            continue
        phrases = tuple(item.value.strip() for item in value_node.value)
        if len(phrases) > MAX_PHRASES:
            problems.append(problem(line, col, "synonyms/phrases", slug=slug, count=len(phrases), limit=MAX_PHRASES))
            continue
        long = next((n for n, phrase in enumerate(phrases, 1) if len(phrase) > MAX_PHRASE_CHARS), None)
        if long:
            item = value_node.value[long - 1]
            problems.append(problem(item.start_mark.line + 1, item.start_mark.column + 1, "synonyms/long", slug=slug,
                                    number=long, count=len(phrases[long - 1]), limit=MAX_PHRASE_CHARS))
            continue
        if len(phrases) < 2:
            problems.append(problem(line, col, "synonyms/one", slug=slug))
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
                key, values = characters.problem_text(f"`{slug}`, item {number}", item.value, refused, multi_line=False)
                problems.append(rules.problem(key, rel, at[0], col, source, **values))
                continue
            if not folded:
                problems.append(problem(*at, "synonyms/no-words", phrase=phrase))
            elif seen.get(folded, slug) != slug:
                problems.append(problem(*at, "synonyms/twice", phrase=phrase, group=seen[folded]))
            seen.setdefault(folded, slug)
        groups.append(Group(slug, phrases, line))
    return groups, problems
