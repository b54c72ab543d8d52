"""Find the resource files, read them, and turn valid ones into Resources."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from . import frontmatter, links, rules
from .dates import LONDON
from .problems import Problem
from .vocabulary import TYPES, Vocabulary  # noqa: F401 (TYPES: imported from here by the rest)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class Resource:
    type: str
    slug: str
    meta: dict[str, Any]
    body: str
    body_line: int
    abs_path: Path
    anchors: set[str] = field(default_factory=set)
    body_lines: list[str] = field(default_factory=list)  # code blanked out, for link checks
    files: list[str] = field(default_factory=list)  # content files it asks to publish, from the root
    links: tuple | None = None  # links.Link found in the body (from the blanked lines), if worked out

    @property
    def src_uri(self) -> str:
        return f"{self.type}/{self.slug}.md"

    @property
    def key(self) -> str:
        """`type/slug`, as used by `replaced_by`."""
        return f"{self.type}/{self.slug}"

    def __getattr__(self, name):
        # Front-matter fields read as attributes: resource.title, resource.owner.
        meta = self.__dict__.get("meta", {})
        if name in meta:
            return meta[name]
        raise AttributeError(name)

    @property
    def title(self) -> str:
        return self.meta["title"]

    @property
    def status(self) -> str:
        return self.meta.get("status", "current")

    @property
    def programmes(self) -> list[str]:
        return self.meta.get("programmes") or []

    @property
    def functions(self) -> list[str]:
        return self.meta["functions"]

    @property
    def topics(self) -> list[str]:
        return self.meta["topics"]

    def date(self, name: str) -> date | None:
        value = self.meta.get(name)
        return date.fromisoformat(value) if value else None

    @property
    def published(self) -> date:
        return self.date("published")

    @property
    def changed(self) -> date:
        """The date a reader would call "last updated"."""
        return self.date("updated") or self.published

    @property
    def changes(self) -> list[tuple[date, str]]:
        """The `changes:` notes, newest first, as (date, note)."""
        return [(date.fromisoformat(str(c["date"])), c["note"]) for c in self.meta.get("changes") or []]

    @property
    def starts(self) -> datetime | None:
        value = self.meta.get("starts")
        return datetime.fromisoformat(value).replace(tzinfo=LONDON) if value else None

    @property
    def ends(self) -> datetime | None:
        # In real time: across a clock change the wall clock gains or loses an hour.
        return ((self.starts.astimezone(timezone.utc) + timedelta(minutes=self.meta["duration_minutes"]))
                .astimezone(self.starts.tzinfo) if self.starts else None)

    def is_upcoming(self, now: datetime) -> bool:
        return self.type == "webinars" and self.ends is not None and self.ends > now

    @property
    def sort_date(self) -> date:
        return self.starts.date() if self.starts else self.published


@dataclass
class Library:
    resources: list[Resource]
    vocabulary: Vocabulary
    now: datetime
    include_drafts: bool = False
    synonyms: list = field(default_factory=list)  # synonyms.Group: what the finder expands a query with

    def __post_init__(self):
        # Worked out once: listings, indexes and related resources ask often.
        self.by_key = {r.key: r for r in self.resources}
        self.pages = [r for r in self.resources if r.status != "draft" or self.include_drafts]
        # Newest first; a day's resources by title, A to Z whatever the case
        # (as readers sort), then by path so that the order never varies.
        self.listed = sorted((r for r in self.pages if r.status != "withdrawn"),
                             key=lambda r: (-r.published.toordinal(), r.title.casefold(), r.src_uri))
        # Position in the same order by the day a resource is about (a
        # webinar's start), for ranking ties.
        ranked = sorted(self.listed, key=lambda r: (-r.sort_date.toordinal(), r.title.casefold(), r.src_uri))
        self.order = {id(r): n for n, r in enumerate(ranked)}
        self._by_term: dict[tuple[str, str], list[Resource]] = {}
        for r in self.listed:  # newest first, so each list is too
            for kind in ("functions", "programmes", "topics"):
                for slug in r.meta.get(kind) or []:
                    self._by_term.setdefault((kind, slug), []).append(r)

    @property
    def files(self) -> list[str]:
        """Content files to publish: only those a published page asks for."""
        return sorted({f for r in self.pages for f in r.files})

    def of_type(self, type_slug: str) -> list[Resource]:
        return [r for r in self.listed if r.type == type_slug]

    def terms(self, kind: str) -> list[str]:
        """Slugs of a kind (functions, programmes, topics) that listed resources use."""
        return [slug for term_kind, slug in self._by_term if term_kind == kind]

    def with_term(self, kind: str, slug: str) -> list[Resource]:
        """Listed resources tagged with a function, programme or topic, newest first."""
        return self._by_term.get((kind, slug), [])

    def upcoming(self) -> list[Resource]:
        return sorted((r for r in self.of_type("webinars") if r.is_upcoming(self.now)), key=lambda r: r.starts)

    def past_webinars(self) -> list[Resource]:
        return sorted((r for r in self.of_type("webinars") if not r.is_upcoming(self.now)),
                      key=lambda r: r.starts, reverse=True)


@dataclass
class Discovery:
    markdown: list[Path]   # resource files
    other: set[str]        # every other file, relative to the root: the only ones a resource may ask for
    problems: list[Problem]
    links: set[str] = field(default_factory=set)  # symbolic links, refused (never followed)
    sizes: dict[str, int] = field(default_factory=dict)  # bytes of each of `other`


def discover(root: Path) -> Discovery:
    """Resource files and other files in the content folders.

    Symbolic links are refused, never followed: a link in files/ to
    /proc/self/environ or .git/config would otherwise be published.
    """
    found = Discovery([], set(), [])

    def refuse_name(path: Path) -> None:
        # A name in bytes no character stands for (git carries one; fortieth
        # round: every build stopped with a traceback naming no file).
        shown = os.fsencode(path.relative_to(root)).decode("utf-8", "backslashreplace")
        found.problems.append(rules.problem("file-name/encoding", shown, 1, 1, name=shown))

    def refuse_link(path: Path) -> None:
        rel = path.relative_to(root).as_posix()
        found.links.add(rel)
        found.problems.append(rules.problem("symlink", rel, 1, 1, shown=rel))

    for type_slug in TYPES:
        folder = root / type_slug
        if folder.is_symlink():
            refuse_link(folder)
            continue
        if not folder.is_dir():
            continue
        for here, dirs, names in os.walk(folder, followlinks=False):
            here_path = Path(here)
            for name in sorted(dirs):
                if (here_path / name).is_symlink():
                    refuse_link(here_path / name)
                elif not_utf8(name):
                    refuse_name(here_path / name)
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (here_path / d).is_symlink()
                             and not not_utf8(d))
            for name in sorted(names):
                path = here_path / name
                if not_utf8(name):
                    refuse_name(path)
                elif path.is_symlink():
                    refuse_link(path)
                elif name.startswith(".") or not path.is_file():
                    continue
                elif path.suffix.lower() == ".md":
                    found.markdown.append(path)
                else:
                    rel = path.relative_to(root).as_posix()
                    found.other.add(rel)
                    found.sizes[rel] = path.stat().st_size
    found.markdown.sort()
    return found


def not_utf8(name: str) -> bool:
    """Whether a file's name, as the system gave it, is not UTF-8 text."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_resource(root: Path, path: Path, raw: bytes | None = None) -> frontmatter.ParsedFile:
    rel = path.relative_to(root).as_posix()
    try:
        raw = path.read_bytes() if raw is None else raw
    except OSError as error:
        parsed = frontmatter.ParsedFile(rel)
        parsed.found(1, 1, "unreadable", error=error.strerror or error)
        return parsed
    return frontmatter.read(rel, raw)


def make_resource(root: Path, path: Path, parsed: frontmatter.ParsedFile) -> Resource:
    rel = path.relative_to(root)
    if parsed.anchors is None:  # once per parse: `make serve` keeps parses of unchanged files
        parsed.anchors = links.anchors(parsed.body, parsed.body_lines or None)
        if parsed.body_lines:
            parsed.links = tuple(links.find_links(parsed.body, parsed.body_lines))
    return Resource(type=rel.parts[0], slug=path.stem, meta=parsed.data, body=parsed.body,
                    body_line=parsed.body_line, abs_path=path, anchors=parsed.anchors, links=parsed.links,
                    body_lines=parsed.body_lines, files=list(parsed.files))


def suggest_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "resource"
