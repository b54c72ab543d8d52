"""Who writes each file of the site: one producer an address.

Every producer (a resource's page, a generated listing, the feeds, the
theme, an editor's file) claims the paths it writes. Two claims on one
address would mean one output silently replaces another (a webinar called
`webinars.md` once replaced the calendar readers subscribe to), so the
gate fails the build naming both. Reserved names are therefore whatever
the generators write, never a hand-kept list.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from . import rules
from .problems import Problem


@dataclass(frozen=True)
class Claim:
    """Who writes an output, and from which source file (if any)."""
    producer: str     # in words: "the topics A-Z page", "the resource page"
    path: str = ""    # the source file, relative to the project, if there is one
    line: int = 1
    needle: str = ""  # text that finds the line in the source, when `line` is not known

    def __str__(self) -> str:
        return f"{self.producer} ({self.path})" if self.path else self.producer


class Claimed(dict):
    """{output: what is written there}, remembering who claimed each key.
    A second claim on a key is kept as a conflict, not written over."""

    def __init__(self):
        super().__init__()
        self.claims: dict[str, Claim] = {}
        self.conflicts: list[tuple[str, Claim, Claim]] = []

    def claim(self, key: str, value, claim: Claim) -> None:
        if key in self:
            self.conflicts.append((key, self.claims[key], claim))
            return
        self[key] = value
        self.claims[key] = claim

    def update_claimed(self, other: "Claimed") -> None:
        for key, value in other.items():
            self.claim(key, value, other.claims[key])
        self.conflicts += other.conflicts


def same_address(path: str) -> str:
    """Two paths that differ only in letter case or Unicode normalisation
    are one file once the offline zip is unzipped on Windows or macOS.

    Unicode's canonical caseless match (D145): NFD, casefold, NFD again.
    Casefolding can undo a normalisation (`ΐ`, U+0390, folds to three code
    points that NFC does not recompose), so NFC then casefold left `ΐ.pdf`
    and `Ϊ́.pdf` apart, which macOS's file systems hold as one file."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFD", path).casefold())


class Claims:
    """Every output path of one build and its claim."""

    def __init__(self):
        self.by_path: dict[str, Claim] = {}
        self.conflicts: list[tuple[str, Claim, Claim]] = []

    def add(self, path: str, claim: Claim) -> None:
        held = self.by_path.get(path)
        if held is not None and held != claim:
            self.conflicts.append((path, held, claim))
        elif held is None:
            self.by_path[path] = claim

    def add_claimed(self, claimed: Claimed, to_path=lambda key: key) -> None:
        for key, claim in claimed.claims.items():
            self.add(to_path(key), claim)
        for key, first, second in claimed.conflicts:
            self.conflicts.append((to_path(key), first, second))

    def get(self, path: str) -> Claim | None:
        return self.by_path.get(path)

    def problems(self, locate=None) -> list[Problem]:
        """Two claims on one address. `locate(path, needle, line)` gives
        (line, column, text) in a source file."""
        problems = [_conflict(path, first, second, "", locate) for path, first, second in self.conflicts]
        seen: dict[str, str] = {}
        for path in sorted(self.by_path):
            key = same_address(path)
            if key in seen and seen[key] != path:
                problems.append(_conflict(path, self.by_path[seen[key]], self.by_path[path], seen[key], locate))
            seen.setdefault(key, path)
        return problems


def _conflict(path: str, first: Claim, second: Claim, other_path: str, locate=None) -> Problem:
    # Reported against a source a contributor can change: the later claim
    # is usually the newcomer (a resource or a term), the earlier the site's own.
    # A contributor's own file over a generated output (a briefing's PDF at
    # the address of a file in a resource's folder), either way round.
    # An editor's page named like a generated page or a resource's (thirty-
    # third round: docs/topics/Housing.md was blamed on the topic `housing`).
    blamed = next((claim for claim in (second, first) if claim.path and claim.producer == "a resource's file"),
                  next((claim for claim in (second, first) if claim.path and claim.producer == "an editor's page"),
                       second if second.path else first))
    line, col, text = blamed.line, 1, ""
    if blamed.path and locate is not None:
        line, col, text = locate(blamed.path, blamed.needle, blamed.line)
    return rules.problem("duplicate-output/case" if other_path else "duplicate-output", blamed.path or f"site/{path}",
                         line if blamed.path else 1, col, text, output=path, other=other_path, first=first,
                         second=second)
