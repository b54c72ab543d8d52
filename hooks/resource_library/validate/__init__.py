"""Every rule a resource must pass, each with its own rule id.

`check_library` reads every file, collects every problem in every file and
returns them all with the valid resources; the caller decides to fail.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from .. import dates, files, indexes
from ..docs_pages import check_docs, macro_pages, read_config, term_problems
from ..load import TYPES, Library, Resource, discover, make_resource, read_resource
from ..problems import Problem
from ..synonyms import load_synonyms
from ..vocabulary import Vocabulary, check_vocabulary_files
# The rules, by what they check; their names are importable from here too.
from .across import check_across, check_body_links  # noqa: F401
from .body import (BLOCK_ELEMENT_HINTS, MAX_BACKTICK_LENGTHS, MAX_BLOCK_ELEMENTS, MAX_BRACKETS,  # noqa: F401
                   MAX_BRACKETS_PER_BLOCK, MAX_FENCE_LINE, MAX_INDENT, MAX_LINE_CHARS, MAX_OPEN_TAGS, MAX_PIPES,
                   NO_ALT_RE, OPEN_TAG_RE, check_block_elements, check_body, check_complexity, count_block_elements)
from .dated import MAX_REVIEW_YEARS, REVIEW_DUE_DAYS, check_changes, check_dates  # noqa: F401
from .fields import MAX_TERMS, check_fields, check_path, check_vocabulary  # noqa: F401
from .patterns import HANDLER_RE, JINJA_RE, JS_URL_RE, PLACEHOLDER, SCRIPT_RE, _may_hold_js_url  # noqa: F401
from .schema import Schema, load_schema, surely_valid  # noqa: F401
from .strings import ContentFiles, check_link_value, check_strings, walk_strings  # noqa: F401

# Added to a draft's problems where they are warnings (the site's own build).
DRAFT_NOTE = "(A draft: this stops its preview, not the published site.)"


def check_library(root: str | Path, vocabulary: Vocabulary, schema: dict, now: datetime,
                  docs_dir: str | Path | None = None, include_drafts: bool = False,
                  generated: set[str] | None = None, cache: dict | None = None,
                  context: str = "", drafts_are_warnings: bool = False) -> tuple[Library, list[Problem]]:
    """Read and check every resource under `root`.

    With a `cache` (kept between `mkdocs serve` rebuilds), a file whose bytes
    and `context` (vocabulary, schema, date, other files) are unchanged is
    not checked again."""
    root = Path(root)
    schemas = {t: Schema(schema, t) for t in TYPES}
    found = discover(root)
    problems: list[Problem] = list(found.problems)
    resources: list[Resource] = []
    # Resources that exist but have errors of their own: links to them are
    # right, and reporting them as broken would send contributors to fix
    # the wrong file.
    invalid: set[str] = set()
    # Those whose front matter could be read still have their links checked,
    # so that one round of fixes is enough.
    unpublishable: list[Resource] = []
    too_large = sorted(name for name, size in found.sizes.items() if files.size_problem(size))
    context = hashlib.sha256((context + now.date().isoformat() + "\n".join(sorted(found.other))
                              + "\n".join(sorted(found.links)) + "\n".join(too_large)).encode()).hexdigest()
    content_files = ContentFiles(found.other, found.links, found.sizes, root)
    broken_drafts: set[str] = set()  # drafts with errors of their own
    for path in found.markdown:
        rel = path.relative_to(root)
        parsed, key, raw = None, None, None
        if cache is not None:
            try:
                raw = path.read_bytes()
                key = (hashlib.sha256(raw).hexdigest(), context)
                cached = cache.get(rel.as_posix())
                parsed = cached[1] if cached and cached[0] == key else None
            except OSError:
                raw = None
        if parsed is None:
            parsed = read_resource(root, path, raw)
            check_path(parsed, rel)
            if parsed.data is not None:
                check_fields(parsed, rel.parts[0], schemas[rel.parts[0]], vocabulary, now, content_files)
            if parsed.data is not None or parsed.body:
                # Front matter YAML cannot read still leaves a body that the
                # pull request's preview shows: its budgets hold all the same.
                check_body(parsed)
            if key is not None:
                cache[rel.as_posix()] = (key, parsed)
        problems += parsed.problems
        if parsed.data is not None and not any(p.is_error for p in parsed.problems):
            resources.append(make_resource(root, path, parsed))
        else:
            invalid.add(rel.as_posix())
            if isinstance(parsed.data, dict) and parsed.data.get("status") == "draft":
                broken_drafts.add(rel.as_posix())
            if parsed.data is not None and parsed.body_lines and not any(
                    p.rule in ("file-name", "file-location") for p in parsed.problems):
                unpublishable.append(make_resource(root, path, parsed))
    library = Library(resources, vocabulary, now, include_drafts)
    problems += check_across(library, root, docs_dir, content_files, generated or set(), invalid, unpublishable,
                             broken_drafts)
    if drafts_are_warnings and not include_drafts:
        # The site's build does not publish drafts, so their problems do not
        # stop it: a draft merged by mistake leaves the site buildable. They
        # stay errors for `make validate` (the pull request's check) and
        # wherever drafts are built: `make serve` and the preview.
        drafts = {r.src_uri for r in resources if r.status == "draft"} | broken_drafts
        problems = [replace(p, severity="warning", hint=(p.hint + " " if p.hint else "") + DRAFT_NOTE)
                    if p.is_error and p.path in drafts else p for p in problems]
    if cache is None:
        for resource in resources:
            resource.body_lines = []  # needed only for the checks above; no second copy of every body
    return library, problems


def check_project(root: str | Path, docs_dir: str | Path | None = None, include_drafts: bool = False,
                  cache: dict | None = None, drafts_are_warnings: bool = False) -> tuple[Library, list[Problem]]:
    """check_library with the project's own vocabulary, schema and build date:
    what the MkDocs hook and the command line both run. `docs_dir`: the
    project's docs/ unless said."""
    root = Path(root)
    docs_dir = root / "docs" if docs_dir is None else docs_dir
    vocabulary, problems = check_vocabulary_files(root / "vocabulary")
    config = read_config(root / "mkdocs.yml")
    problems += check_docs(Path(docs_dir), macro_pages(config), config)
    if vocabulary is not None:
        problems += term_problems(Path(docs_dir), macro_pages(config), vocabulary)
    if vocabulary is None:
        # Resources are checked against the vocabulary: fix it first.
        return Library([], Vocabulary({}, {}, {}, {}), dates.build_time(), include_drafts), problems
    schema_path = root / "schema" / "resource.schema.json"
    schema = load_schema(schema_path)
    context = repr((vocabulary, schema_path.read_bytes(), include_drafts))
    library, more = check_library(root, vocabulary, schema, dates.build_time(), docs_dir=docs_dir,
                                  include_drafts=include_drafts, generated=indexes.generated_paths(vocabulary),
                                  cache=cache, context=context, drafts_are_warnings=drafts_are_warnings)
    library.synonyms, synonym_problems = load_synonyms(root / "vocabulary" / "synonyms.yml")
    return library, problems + more + synonym_problems
