"""Every rule a resource must pass, each with its own rule id.

`check_library` reads every file, collects every problem in every file and
returns them all with the valid resources; the caller decides to fail.
"""
from __future__ import annotations

import hashlib
import html
import json
import numbers
import posixpath
import re
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import jsonschema
import yaml

from . import characters, dates, files, indexes, links
from .frontmatter import ParsedFile, YamlDate
from .load import SLUG_RE, TYPES, Library, Resource, discover, make_resource, read_resource, suggest_slug
from .problems import Problem, field_label
from .sanitize import TAGS as ALLOWED_TAGS
from .suggestions import Catalogue, address_to_file, anchor_hint, catalogue, date_hint, file_hint, \
    impossible_date_hint, link_hint, relative_link, resource_key_hint
from .docs_pages import check_docs, macro_pages
from .synonyms import load_synonyms
from .vocabulary import Vocabulary, check_vocabulary_files, closest

REVIEW_DUE_DAYS = 60
MAX_REVIEW_YEARS = 3
JINJA_RE = re.compile(r"\{\{|\{%|\{#")
SCRIPT_RE = re.compile(r"<\s*script\b", re.I)
# `[^<>]*` stops at the next `<`: each character is scanned from one `<`
# only, so a line of 150,000 `<` costs linear time, not quadratic.
HANDLER_RE = re.compile(r"<[a-zA-Z][^<>]*?[\s/\"'](on[a-z]+)\s*=", re.I)
JS_URL_RE = re.compile(r"javascript\s*:", re.I)
ELEMENT_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(?=[\s/>])")
# Anything a browser could read as the start of a tag or a comment.
TAG_RE = re.compile(r"<[a-zA-Z/!?]")
PLACEHOLDER = "TODO"
# Added to a draft's problems where they are warnings (the site's own build).
DRAFT_NOTE = "(A draft: this stops its preview, not the published site.)"
# Fields shown on one line (titles, names, labels): a line break there
# breaks calendar files and headings.
ONE_LINE_FIELDS = {"title", "owner", "label", "name", "role", "withdrawn_reason", "file", "replaced_by",
                   "registration_url", "recording_url", "slides", "transcript"}
# Fields of sentences, where a tab may stand between words; a tab anywhere
# else is refused with the control characters (see characters.py).
MULTI_LINE_FIELDS = {"summary"}
# Years a date may have: wide enough for any real resource, narrow enough
# that adding a duration or three years never overflows.
YEARS = (1970, 2100)
# Python-Markdown takes quadratic time on some inputs: `[` within one
# paragraph, and tags left open across the document (40,000 `<a ` took
# 190 s). Real resources stay far below these limits.
MAX_LINE_CHARS = 20_000
MAX_INDENT = 48  # columns; Python-Markdown recurses once per level of nested list
MAX_BRACKETS_PER_BLOCK = 500
MAX_BRACKETS = 3_000
MAX_OPEN_TAGS = 100
OPEN_TAG_RE = re.compile(r"<[a-zA-Z][^<>]*(?=<|$)")
# Python-Markdown parses a block (the lines between two blank lines) by
# taking one element off its front and putting the rest back, so elements
# that need no blank line around them cost time in the square of their
# number: 20,000 lines of `# a` took 113 s, 25,000 of `***` 89 s, 20,000
# setext headings 69 s, 4,000 link reference definitions among text 20 s,
# 8,000 admonitions 4 s. Counted outside code, where the converter sees them.
# At these limits the worst such body converts in well under a second.
MAX_BLOCK_ELEMENTS = {"headings": 500, "thematic breaks": 500, "link reference definitions": 500,
                      "admonitions": 500}
BLOCK_ELEMENT_HINTS = {
    "headings": "A resource with this many sections is several resources: split it, or make the minor "
                "headings bold text or list items.",
    "thematic breaks": "Separate sections with headings; keep `***` and `---` lines for a few real breaks.",
    "link reference definitions": "Write links inline, [text](address), or split the resource.",
    "admonitions": "Keep notes (`!!!`) for the few points a reader must not miss, or split the resource.",
}
ATX_HEADING_RE = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
SETEXT_OR_BREAK_RE = re.compile(r" {0,3}(?:(=+|-+)[ \t]*|([-*_])[ \t]*(?:\2[ \t]*){2,})$")
REFERENCE_DEFINITION_RE = re.compile(r" {0,3}\[[^\]]+\]:")
ADMONITION_RE = re.compile(r" {0,3}(?:!!!|\?\?\?)")
BLOCK_STARTS = frozenset(" #=-*_[!?")  # the first character of every line those match
# White space of more than MAX_INDENT / 4 characters at the start of a line
# (after a newline, or at the start of the body): only such a line can be
# indented past MAX_INDENT columns, a tab being at most 4.
DEEP_INDENT_RE = re.compile(r"[^\S\n]{%d}" % (MAX_INDENT // 4 + 1))
NEXT_LINE_DEEP_INDENT_RE = re.compile(r"\n[^\S\n]{%d}" % (MAX_INDENT // 4 + 1))


def _may_hold_js_url(text: str) -> bool:
    """False when JS_URL_RE cannot match `text`: with re.I it also takes ſ
    for s and ı or İ for i, so a match is "javascript" once those are made
    ASCII and the text lowercased. A substring test is far cheaper than a
    case-blind search."""
    return "javascript" in text.replace("\u017f", "s").replace("\u0131", "i").replace("\u0130", "i").lower()


def load_schema(path: str | Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


class Schema:
    """The JSON Schema for one resource type, with the facts rules need."""

    def __init__(self, schema: dict, type_slug: str):
        parts = schema["x-types"][type_slug]
        self.defs = schema["$defs"]
        self.fields: dict[str, dict] = {}
        self.required: list[str] = []
        for part in parts:
            self.fields.update(self.defs[part]["properties"])
            self.required += self.defs[part].get("required", [])
        self.validator = jsonschema.Draft202012Validator(
            {"$defs": self.defs, "allOf": [{"$ref": f"#/$defs/{p}"} for p in parts]})
        self.all_fields = {name for part in schema["x-types"].values() for p in part
                           for name in self.defs[p]["properties"]}
        self._merged: dict[int, tuple[dict, dict]] = {}

    def surely_valid(self, instance: dict) -> bool:
        """True only when the validator would find no error (see surely_valid)."""
        try:
            return self.validator.format_checker is None and \
                surely_valid(self.validator.schema, instance, self.defs)
        except Exception:  # a schema this reading did not foresee: jsonschema decides
            return False

    def resolve(self, field_schema: dict) -> dict:
        """A field's schema with its `$ref` merged in (merged once: the
        checks ask for every field of every resource). Not to be changed."""
        if "$ref" in field_schema:
            kept = self._merged.get(id(field_schema))
            if kept is None:
                merged = dict(self.defs[field_schema["$ref"].split("/")[-1]])
                merged.update({k: v for k, v in field_schema.items() if k != "$ref"})
                kept = self._merged[id(field_schema)] = (field_schema, merged)  # the schema kept, so its id is too
            return kept[1]
        return field_schema


# Checks that are true only where jsonschema's are (a subset: `integer` is
# also a float like 2.0 to jsonschema, never here).
_SURE_TYPES = {
    "string": lambda v: isinstance(v, str), "integer": lambda v: type(v) is int,
    "number": lambda v: type(v) in (int, float), "boolean": lambda v: type(v) is bool,
    "array": lambda v: type(v) is list, "object": lambda v: type(v) is dict, "null": lambda v: v is None,
}
# Keywords that assert nothing here: annotations, and `format`, which
# jsonschema checks only with a format checker (the validator has none).
_NOT_ASSERTED = {"description", "title", "$comment", "default", "examples", "format", "$defs"}


def surely_valid(schema: dict, instance, defs: dict, depth: int = 0) -> bool:
    """True only when jsonschema would find no error in `instance`: the
    keywords this project's schema uses, read as jsonschema reads them, or
    more strictly. Any other keyword, or any doubt, is False, and then
    jsonschema itself is asked (and writes the messages). Most resources
    are valid, and this is several times cheaper than finding that out
    from jsonschema."""
    if depth > 32 or type(schema) is not dict:
        return False
    for keyword, value in schema.items():
        if keyword in _NOT_ASSERTED or keyword.startswith("x-"):
            continue
        if keyword == "$ref":
            name = value[len("#/$defs/"):] if isinstance(value, str) and value.startswith("#/$defs/") else ""
            if not name or "/" in name or "~" in name or "%" in name or name not in defs or \
                    not surely_valid(defs[name], instance, defs, depth + 1):
                return False
        elif keyword == "allOf":
            if type(value) is not list or not all(surely_valid(s, instance, defs, depth + 1) for s in value):
                return False
        elif keyword == "type":
            if not isinstance(value, str) or value not in _SURE_TYPES or not _SURE_TYPES[value](instance):
                return False
        elif keyword == "enum":
            if not isinstance(instance, str) or not any(isinstance(e, str) and e == instance for e in value):
                return False
        elif keyword in ("minLength", "maxLength", "pattern"):
            if not isinstance(instance, str):
                continue  # jsonschema checks these on strings only
            if keyword == "minLength" and len(instance) < value or keyword == "maxLength" and len(instance) > value \
                    or keyword == "pattern" and not re.search(value, instance):
                return False
        elif keyword in ("minimum", "maximum"):
            if isinstance(instance, bool) or not isinstance(instance, (int, float)):
                if isinstance(instance, numbers.Number) and not isinstance(instance, bool):
                    return False  # a number of another kind: ask jsonschema
                continue  # not a number: jsonschema does not check it
            if keyword == "minimum" and instance < value or keyword == "maximum" and instance > value:
                return False
        elif keyword in ("minItems", "maxItems", "uniqueItems", "items"):
            if type(instance) is not list:
                if isinstance(instance, list):
                    return False
                continue  # not an array: jsonschema does not check it
            if keyword == "minItems" and len(instance) < value or keyword == "maxItems" and len(instance) > value:
                return False
            if keyword == "uniqueItems" and value and not (
                    all(type(item) is str for item in instance) and len(set(instance)) == len(instance)):
                return False
            if keyword == "items" and not all(surely_valid(value, item, defs, depth + 1) for item in instance):
                return False
        elif keyword in ("properties", "required", "additionalProperties"):
            if type(instance) is not dict:
                if isinstance(instance, dict):
                    return False
                continue  # not an object: jsonschema does not check it
            if keyword == "properties":
                if type(value) is not dict or not all(surely_valid(sub, instance[name], defs, depth + 1)
                                                      for name, sub in value.items() if name in instance):
                    return False
            elif keyword == "required":
                if type(value) is not list or not all(name in instance for name in value):
                    return False
            elif value is not True and (value is not False or "patternProperties" in schema
                                        or any(key not in schema.get("properties", {}) for key in instance)):
                return False
        else:
            return False
    return True


class ContentFiles(set):
    """The files a resource may ask for; `refused`, the symbolic links among
    the content, reported once, at the link, not again by each resource
    that points to one as a file "which does not exist"."""

    def __init__(self, files=(), refused=(), sizes=None, root=None):
        super().__init__(files)
        self.refused = set(refused)
        self.sizes = sizes or {}  # bytes, by path
        self.root = root  # the project folder, where their content is read (files.content_problem)


def _root_of(content_files) -> Path:
    return Path(getattr(content_files, "root", None) or ".")


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
    problems += check_docs(Path(docs_dir), macro_pages(root / "mkdocs.yml"))
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


def check_path(parsed: ParsedFile, rel: Path) -> None:
    if len(rel.parts) != 2:
        parsed.problem(1, 1, "file-location", f"resources live directly in {rel.parts[0]}/, not in a subfolder",
                       f"Move it to {rel.parts[0]}/{rel.name}.")
    elif not SLUG_RE.match(rel.stem) or rel.suffix != ".md":
        parsed.problem(1, 1, "file-name", f"`{rel.name}` is not a lowercase slug",
                       f"Rename it {suggest_slug(rel.stem)}.md: lowercase letters, digits and single hyphens.")
    elif rel.stem == "index":
        parsed.problem(1, 1, "file-name", "`index.md` is the type's listing page, not a resource",
                       "Give the resource a name of its own; to replace the listing, add docs/"
                       f"{rel.parts[0]}/index.md instead.")


def walk_strings(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk_strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_strings(item, path + (index,))


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, YamlDate):
        return "a date"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return "empty"


def check_fields(parsed: ParsedFile, type_slug: str, schema: Schema, vocabulary: Vocabulary,
                 now: datetime, content_files: set[str]) -> None:
    data = parsed.data
    # Keys: unknown ones, and the one key that would let a page run code.
    for key in data:
        pos = parsed.key_positions.get(key)
        line, col = (pos.line, pos.col) if pos else (1, 1)
        if key == "render_macros":
            parsed.problem(line, col, "render-macros", "`render_macros` is not allowed in a resource",
                           "Resources are shown as written and never run as templates; remove this line.")
        elif key not in schema.fields:
            if key in schema.all_fields:
                parsed.problem(line, col, "unknown-field", f"`{key}` is only for another type of resource",
                               f"Remove it; `{key}` applies to webinars, and this is in {type_slug}/.")
                continue
            guess = closest(key, schema.fields)
            parsed.problem(line, col, "unknown-field", f"unknown field `{key}`",
                           f"Did you mean `{guess}`?" if guess else
                           "Allowed fields: " + ", ".join(schema.fields) + ".")
    reported: set[tuple] = set()  # paths with a problem already: one problem a value
    for key in schema.required:
        if key not in data:
            parsed.problem(1, 1, "missing-field", f"required field `{key}` is missing",
                           f"Add a line `{key}: ...`; {schema.fields[key].get('description', '')}")
        elif data[key] is None or data[key] == [] and schema.resolve(schema.fields[key]).get("minItems"):
            pos = parsed.at((key,))
            parsed.problem(pos.line, pos.col, "missing-field", f"required field `{key}` has no value",
                           schema.fields[key].get("description", ""))
            reported.add((key,))
    if data.get("status") == "withdrawn" and not data.get("withdrawn_reason"):
        pos = parsed.key_positions["status"]
        parsed.problem(pos.line, pos.col, "missing-field", "a withdrawn resource needs `withdrawn_reason`",
                       "Add withdrawn_reason: one sentence saying why, and replaced_by: if something replaces it.")

    known = {k: v for k, v in data.items() if k in schema.fields and v is not None}
    errors = () if schema.surely_valid(known) else schema.validator.iter_errors(known)
    for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path))):
        path = tuple(error.absolute_path)
        if error.validator == "required" and not path:
            continue  # reported above, with a better message
        if error.schema.get("format") in ("date", "date-time-local"):
            continue  # dates are checked below, with a better message
        if path in reported:
            continue
        reported.add(path)
        pos = parsed.at(path)
        name = field_label(path) if path else "front matter"
        if error.validator == "type":
            expected = error.validator_value
            if expected == "array":
                parsed.problem(pos.line, pos.col, "wrong-type", f"{name} must be a list, not {describe(error.instance)}",
                               f"Write it as a list: {path[0]}: {yaml_list(error.instance)}, or one `- value` per line.")
            elif expected == "string" and len(path) == 2 and isinstance(error.instance, (list, dict)):
                # `topics: [[housing]]`: brackets inside the list.
                parsed.problem(pos.line, pos.col, "wrong-type", f"{name} must be text, not {describe(error.instance)}",
                               f"Write one list, with no brackets inside it: {path[0]}: "
                               f"{yaml_list(data.get(path[0]))}")
            elif expected == "string":
                typed = pos.text or str(error.instance)
                parsed.problem(pos.line, pos.col, "wrong-type",
                               f"{name} must be text, but YAML read `{typed}` as {describe(error.instance)}",
                               f"Put the value in quotes: \"{typed}\"" if isinstance(path[-1], int)
                               else f"Put the value in quotes: {path[-1]}: \"{typed}\"")
            else:
                parsed.problem(pos.line, pos.col, "wrong-type",
                               f"{name} must be {TYPE_WORDS.get(expected, expected)}, not {describe(error.instance)}",
                               _type_hint(path, expected, error.instance)
                               or schema.fields.get(path[0], {}).get("description", ""))
        elif error.validator == "enum":
            allowed = ", ".join(map(str, error.validator_value))
            guess = closest(str(error.instance), error.validator_value)
            parsed.problem(pos.line, pos.col, "not-in-vocabulary", f"{name} cannot be `{error.instance}`",
                           (f"Did you mean `{guess}`? " if guess else "") + f"Allowed: {allowed}.")
        elif error.validator == "required":
            missing = [f for f in error.validator_value if isinstance(error.instance, dict) and f not in error.instance]
            parsed.problem(pos.line, pos.col, "missing-field",
                           f"{name} has no " + " or ".join(f"`{f}`" for f in missing or error.validator_value),
                           f"Each entry in {path[0] if path else 'it'} needs "
                           + ", ".join(f"`{f}`" for f in error.validator_value) + ".")
        elif error.validator == "additionalProperties":
            extra = sorted(str(f) for f in error.instance if f not in error.schema.get("properties", {}))
            allowed = ", ".join(f"`{f}`" for f in error.schema.get("properties", {}))
            parsed.problem(pos.line, pos.col, "unknown-field",
                           f"{name} has an unknown field " + ", ".join(f"`{f}`" for f in extra),
                           f"Remove it, or correct its name; the fields here are {allowed}.")
        elif error.validator == "uniqueItems":
            parsed.problem(pos.line, pos.col, "bad-value", f"{name} lists the same value twice",
                           "List each value once.")
        elif path == ("replaced_by",) and error.validator == "pattern" and isinstance(error.instance, str):
            # Often written as a link; type/slug is what it takes.
            key = re.sub(r"^(\.\./|\./|/)+", "", error.instance.strip()).removesuffix("/").removesuffix(".md")
            parsed.problem(pos.line, pos.col, "bad-value", f"{name}: {_plain_message(error)}",
                           f"Write it as type/slug: replaced_by: {key}" if re.fullmatch(
                               "(" + "|".join(TYPES) + r")/[a-z0-9]+(-[a-z0-9]+)*", key)
                           else schema.fields["replaced_by"].get("description", ""))
        else:
            parsed.problem(pos.line, pos.col, "bad-value", f"{name}: {_plain_message(error)}",
                           schema.fields.get(path[0], {}).get("description", "") if path else "")

    # A string field that YAML read as a date passes the schema (a date is kept as
    # its text) but is still a mistake: the contributor meant words, not a date.
    for key, field_schema in schema.fields.items():
        resolved = schema.resolve(field_schema)
        if resolved.get("type") == "string" and "format" not in resolved and isinstance(data.get(key), YamlDate):
            pos = parsed.at((key,))
            parsed.problem(pos.line, pos.col, "wrong-type", f"`{key}` must be text, but YAML read `{data[key]}` as a date",
                           f"Put the value in quotes: {key}: \"{data[key]}\"")
        # `title: Update #2` loads as "Update": YAML took the rest for a comment.
        if resolved.get("type") == "string" and isinstance(data.get(key), str):
            pos = parsed.at((key,))
            rest = parsed.line(pos.line)[pos.end_col - 1:] if pos.plain and pos.end_col else ""
            if re.match(r"\s+#", rest):
                parsed.problem(pos.line, pos.end_col, "yaml-comment",
                               f"`{key}` is cut short to `{data[key]}`: YAML reads ` #...` as a comment",
                               f"Put the whole value in quotes: {key}: \"{data[key]}{rest.rstrip()}\"")

    check_vocabulary(parsed, schema, vocabulary)
    check_dates(parsed, schema, now)
    check_changes(parsed, now)
    check_strings(parsed, schema, content_files, type_slug, vocabulary)


def _plain_message(error) -> str:
    v, value = error.validator, error.validator_value
    if v == "minLength":
        return f"is too short (at least {value} characters)"
    if v == "maxLength":
        return f"is too long (at most {value} characters)"
    if v == "minItems":
        return f"needs at least {value} entry"
    if v == "pattern":
        return f"`{error.instance}` is not in the expected form"
    if v in ("minimum", "maximum"):
        return f"`{error.instance}` is out of range ({'at least' if v == 'minimum' else 'at most'} {value})"
    return error.message


MAX_VOCABULARY_PROBLEMS = 5  # a field's wrong terms reported one by one; the rest in one problem
# Terms one resource may be tagged with. Planners tag a handful (the starter
# content at most 4 topics and 2 programmes); each term puts the resource
# on that term's page and feed, and a resource with 1,000 topics made a
# 75 MB site.
MAX_TERMS = {"topics": 12, "programmes": 8}


def check_vocabulary(parsed: ParsedFile, schema: Schema, vocabulary: Vocabulary) -> None:
    for key, field_schema in schema.fields.items():
        kind = field_schema.get("x-vocabulary")
        values = parsed.data.get(key)
        if not kind or not isinstance(values, list):
            continue
        allowed = vocabulary.terms(kind)
        # Counted among real terms: a pasted list of wrong values is reported
        # as that, below, not also as too many.
        known = [index for index, value in enumerate(values) if isinstance(value, str) and value in allowed]
        limit = MAX_TERMS.get(key)
        if limit and len(known) > limit:
            pos = parsed.at((key, known[limit]))
            parsed.problem(pos.line, pos.col, "too-many-terms",
                           f"`{key}` lists {len(known):,} {kind}; the limit is {limit} (this is number {limit + 1})",
                           f"Keep the few {kind} the resource is mostly about: a resource tagged with everything is "
                           "related to everything, and is listed on every page (see How tags choose related "
                           "resources in CONTRIBUTING.md).")
        unknown = [index for index, value in enumerate(values)
                   if isinstance(value, str) and value not in allowed and PLACEHOLDER not in value]
        for index in unknown[:MAX_VOCABULARY_PROBLEMS]:
            value = values[index]
            pos = parsed.at((key, index))
            guess = closest(value, allowed)
            parsed.problem(pos.line, pos.col, "not-in-vocabulary", f"`{value}` is not one of the {kind}",
                           (f"Did you mean `{guess}`? " if guess else "")
                           + f"Allowed: {', '.join(allowed)} (from vocabulary/{kind}.yml)."
                           + ("" if guess else f" For a new one, ask an editor to add it to vocabulary/{kind}.yml "
                              "in your pull request (a slug, a name and a description), or choose the nearest above."))
        rest = unknown[MAX_VOCABULARY_PROBLEMS:]
        if rest:
            # Hundreds of wrong values are one mistake (a pasted list), not
            # hundreds of problems each repeating the allowed terms.
            pos = parsed.at((key, rest[0]))
            sample = ", ".join(f"`{values[i][:40]}`" for i in rest[:3]) + (", ..." if len(rest) > 3 else "")
            parsed.problem(pos.line, pos.col, "not-in-vocabulary",
                           f"{len(rest)} more values in `{key}` are not {kind}: {sample}",
                           f"Use only slugs from vocabulary/{kind}.yml, as listed above.")


def check_dates(parsed: ParsedFile, schema: Schema, now: datetime) -> None:
    data, dates = parsed.data, {}
    for key, field_schema in schema.fields.items():
        fmt = schema.resolve(field_schema).get("format")
        if fmt not in ("date", "date-time-local") or data.get(key) is None:
            continue
        value, pos = data[key], parsed.at((key,))
        if isinstance(value, str) and PLACEHOLDER in value:
            continue  # reported once, as a placeholder
        example = "2027-03-05" if fmt == "date" else "\"2027-03-05T13:00\""
        form = "a date as YYYY-MM-DD" if fmt == "date" else "a date and time as YYYY-MM-DDTHH:MM, in quotes"
        if not isinstance(value, str) or not re.fullmatch(schema.resolve(field_schema)["pattern"].strip("^$"), value):
            typed = pos.text or str(value)
            parsed.problem(pos.line, pos.col, "bad-date", f"`{key}` must be {form}, not `{typed}`",
                           date_hint(key, typed, fmt))
            continue
        try:
            dates[key] = date.fromisoformat(value) if fmt == "date" else datetime.fromisoformat(value)
        except ValueError as error:
            real = "a real date" if fmt == "date" else "a real date and time"
            parsed.problem(pos.line, pos.col, "bad-date", f"`{value}` is not {real} ({error})",
                           impossible_date_hint(key, value))
            continue
        if not YEARS[0] <= dates[key].year <= YEARS[1]:
            del dates[key]
            parsed.problem(pos.line, pos.col, "bad-date", f"`{value}` is not a likely date for `{key}`",
                           f"Use a year from {YEARS[0]} to {YEARS[1]}; for example {key}: {example}")
        elif fmt == "date-time-local":
            clock = _clock_change(dates[key])
            if clock:
                parsed.problem(pos.line, pos.col, "clock-change", f"`{value}` {clock} in UK time",
                               "Webinar times are UK time; choose a start outside 1am to 2am on the day the clocks "
                               "change, so the time and the calendar entry mean one moment.")
    if "updated" in dates and "published" in dates and dates["updated"] < dates["published"]:
        pos = parsed.at(("updated",))
        parsed.problem(pos.line, pos.col, "date-order", "`updated` is before `published`",
                       "A resource can only be updated after it was published.")
    reviewed, due = dates.get("last_reviewed"), dates.get("next_review_due")
    if reviewed and due:
        pos = parsed.at(("next_review_due",))
        if due <= reviewed:
            parsed.problem(pos.line, pos.col, "review-dates", "`next_review_due` is not after `last_reviewed`",
                           "Set the next review after the last one, usually one year later.")
        elif due > _add_years(reviewed, MAX_REVIEW_YEARS):
            parsed.problem(pos.line, pos.col, "review-dates",
                           f"`next_review_due` is more than {MAX_REVIEW_YEARS} years after `last_reviewed`",
                           f"Review at least every {MAX_REVIEW_YEARS} years; set it on or before "
                           f"{_add_years(reviewed, MAX_REVIEW_YEARS).isoformat()}.")
    if due and data.get("status") == "current":
        pos = parsed.at(("next_review_due",))
        today = now.date()
        if due < today:
            parsed.problem(pos.line, pos.col, "review-overdue", f"the review was due on {due.isoformat()}",
                           "The owner should review it, then update last_reviewed and next_review_due.",
                           severity="warning")
        elif (due - today).days <= REVIEW_DUE_DAYS:
            parsed.problem(pos.line, pos.col, "review-due", f"a review is due on {due.isoformat()}",
                           "Let the owner know the review is coming up.", severity="warning")


def check_changes(parsed: ParsedFile, now: datetime) -> None:
    """`changes:`: real dates, newest first, none before `published` or
    after the build, one line each, and the newest one is `updated`.
    (The schema has already checked the shape: a list of date and note.)"""
    data = parsed.data
    entries = data.get("changes")
    if not isinstance(entries, list):
        return
    days: list[tuple[int, date]] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        value, pos = entry.get("date"), parsed.at(("changes", index, "date"))
        if isinstance(value, str) and PLACEHOLDER in value or value is None:
            continue
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            parsed.problem(pos.line, pos.col, "bad-date",
                           f"{field_label(('changes', index, 'date'))} must be a date as YYYY-MM-DD, "
                           f"not `{pos.text or value}`", date_hint("date", pos.text or str(value), "date",
                                                                       "- date: "))
            continue
        try:
            days.append((index, date.fromisoformat(value)))
        except ValueError as error:
            parsed.problem(pos.line, pos.col, "bad-date", f"`{value}` is not a real date ({error})",
                           impossible_date_hint("- date", value))
        note = entry.get("note")
        if isinstance(note, str) and ("\n" in note.strip() or "\r" in note):
            npos = parsed.at(("changes", index, "note"))
            parsed.problem(npos.line, npos.col, "change-note",
                           f"{field_label(('changes', index, 'note'))} runs over more than one line",
                           "Keep each note to one line; say what changed for readers, not how.")
    for (before_index, before), (index, day) in zip(days, days[1:]):
        if day > before:
            pos = parsed.at(("changes", index, "date"))
            parsed.problem(pos.line, pos.col, "change-order",
                           f"`changes` must be newest first, but {day.isoformat()} comes after {before.isoformat()}",
                           "Put the newest change at the top of the list.")
            break
    published, updated = data.get("published"), data.get("updated")
    try:
        published = date.fromisoformat(published) if isinstance(published, str) else None
        updated = date.fromisoformat(updated) if isinstance(updated, str) else None
    except ValueError:
        return  # reported by check_dates
    for index, day in days:
        pos = parsed.at(("changes", index, "date"))
        if published and day < published:
            parsed.problem(pos.line, pos.col, "change-dates",
                           f"a change on {day.isoformat()} is before `published` ({published.isoformat()})",
                           "A resource can only change after it was first published; check the date.")
        elif day > now.date():
            parsed.problem(pos.line, pos.col, "change-dates", f"a change on {day.isoformat()} is in the future",
                           "Date a change on the day it is published.", severity="warning")
    if days:
        newest = max(day for _, day in days)
        if updated is None:
            pos = parsed.key_positions.get("changes")
            parsed.problem(pos.line if pos else 1, pos.col if pos else 1, "change-dates",
                           "`changes` is given but `updated` is not",
                           f"Add updated: {newest.isoformat()} (the date of the newest change).")
        elif updated != newest:
            pos = parsed.at(("updated",))
            parsed.problem(pos.line, pos.col, "change-dates",
                           f"`updated` is {updated.isoformat()}, but the newest change is {newest.isoformat()}",
                           f"Set updated: {newest.isoformat()}, or add a note for the change on {updated.isoformat()}.")


def _clock_change(local: datetime) -> str | None:
    """Why a UK wall-clock time is not one moment, or None: skipped when the
    clocks go forward, or met twice when they go back."""
    first, second = local.replace(tzinfo=dates.LONDON, fold=0), local.replace(tzinfo=dates.LONDON, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    back = first.astimezone(timezone.utc).astimezone(dates.LONDON).replace(tzinfo=None)
    return "does not exist: the clocks go forward an hour then" if back != local else \
        "happens twice: the clocks go back an hour then"


def _add_years(value: date, years: int) -> date:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


def check_strings(parsed: ParsedFile, schema: Schema, content_files: set[str], type_slug: str,
                  vocabulary: Vocabulary | None = None) -> None:
    for path, value in walk_strings(parsed.data):
        # After YAML has decoded escapes: `"\x01"` is a control character.
        refused = characters.check_value(parsed, path, field_label(path), value,
                                         multi_line=bool(path) and path[0] in MULTI_LINE_FIELDS)
        if refused:
            parsed.problem(*refused[:2], "control-character", *refused[2:])
        top = schema.fields.get(path[0], {}) if path else {}
        item_schema = top
        if len(path) == 3 and "items" in top:  # downloads.0.file
            item_schema = top["items"]["properties"].get(path[2], {})
        is_link = item_schema.get("$ref") == "#/$defs/link"
        # Most values are plain words: none of the rules below can apply
        # without one of these (each rule's regex needs its character).
        if not (is_link or "{" in value or "<" in value or "\n" in value or PLACEHOLDER in value
                or JS_URL_RE.search(value)):
            continue
        pos = parsed.at(path)
        name = field_label(path)
        if JINJA_RE.search(value):
            parsed.problem(pos.line, pos.col, "jinja", f"{name} contains a template delimiter ({{{{, {{% or {{#)",
                           "Front matter is plain text; remove the braces or reword.")
        if SCRIPT_RE.search(value) or HANDLER_RE.search(value) or JS_URL_RE.search(value):
            parsed.problem(pos.line, pos.col, "unsafe-html", f"{name} contains a script, an event handler or a javascript: URL",
                           "Front matter is plain text; remove the HTML.")
        elif TAG_RE.search(value):
            parsed.problem(pos.line, pos.col, "html-in-text", f"{name} contains HTML (`{TAG_RE.search(value).group()}`)",
                           "Front matter is plain text and is shown exactly as typed: remove the tag, or write "
                           "'less than' instead of `<`.")
        # Any line break, even a first or last one (`title: >` ends in one):
        # a calendar's name and a feed's title are one line, unstripped.
        if path and path[-1] in ONE_LINE_FIELDS and "\n" in value:
            parsed.problem(pos.line, pos.col, "bad-value", f"{name} runs over more than one line",
                           f"Write {path[-1]} on one line, in quotes if it holds a colon.")
        if PLACEHOLDER in value:
            kind = top.get("x-vocabulary")
            parsed.problem(pos.line, pos.col, "placeholder", f"{name} still has the template's {PLACEHOLDER} placeholder",
                           f"Replace it with one or more of: {', '.join(vocabulary.terms(kind))} "
                           f"(from vocabulary/{kind}.yml)." if kind and vocabulary else
                           "Replace the placeholder with the real value.")
        if is_link:
            check_link_value(parsed, pos, name, value, content_files, type_slug, file_only=path[-1] == "file")


# An address written without its scheme: `www.` or a host name and a path.
WEB_ADDRESS_RE = re.compile(r"www\.|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/", re.I)


def _with_value(parsed: ParsedFile, pos, value: str) -> str:
    """The contributor's own line with `value` in place of theirs, quoted,
    ready to paste: `registration_url: "https://..."`."""
    return parsed.line(pos.line)[:pos.col - 1].strip() + " " + json.dumps(value)


# JSON Schema's types, as the message says them.
TYPE_WORDS = {"integer": "a whole number", "number": "a number", "object": "fields (such as name: and role:)",
              "boolean": "true or false"}
DURATION_RE = re.compile(r"(?:(\d+(?:\.\d+)?)\s*(?:hours?|hrs?|h))?\s*(?:(\d+)\s*(?:minutes?|mins?|m))?\s*",
                         re.I)


def flattened(value) -> list:
    """The scalars in a value, in order: the keys of a mapping, the items of
    lists within lists."""
    if isinstance(value, dict):
        return [item for key in value for item in flattened(key)]
    if isinstance(value, list):
        return [item for entry in value for item in flattened(entry)]
    return [] if value is None else [value]


def yaml_list(value) -> str:
    """The scalars in `value` (see flattened) as a YAML list, `[a, b]`,
    quoting only what needs quotes: a hint to paste, never Python's `['a']`."""
    # Exact types only: safe_dump refuses subclasses such as YamlDate.
    plain = [v if type(v) in (str, int, float, bool) else str(v) for v in flattened(value)]
    return yaml.safe_dump(plain, default_flow_style=True, width=1_000_000).strip()


def _type_hint(path: tuple, expected, value) -> str:
    """A line to paste for the commonest wrong types: a duration written
    in words, a speaker written as a name alone."""
    if path == ("duration_minutes",) and isinstance(value, str):
        match = DURATION_RE.fullmatch(value.strip())
        if match and any(match.groups()):
            minutes = round(float(match.group(1) or 0) * 60) + int(match.group(2) or 0)
            return f"Write the minutes as a number: duration_minutes: {minutes}"
    if len(path) == 2 and path[0] == "speakers" and expected == "object" and isinstance(value, str):
        name, _, role = value.partition(",")
        return (f"Write each speaker as a name and a role: - name: {name.strip()}"
                + (f" (and under it, role: {role.strip()})" if role.strip() else ""))
    return ""


def check_link_value(parsed, pos, name, value, content_files: set[str], type_slug: str, file_only: bool) -> None:
    """A link in front matter: an https address, or a file beside the
    resource that may be published. Records the file as asked for."""
    if links.is_external(value):
        if file_only:
            parsed.problem(pos.line, pos.col, "link-scheme", f"{name} must be a file in this folder, not an address",
                           "Put the file in files/ beside the resource and write its path, as in files/checklist.pdf.")
        elif not value.startswith("https://"):
            fixed = "https://" + value[len("http://"):] if value.startswith("http://") else ""
            parsed.problem(pos.line, pos.col, "link-scheme", f"{name} must be an https: link or a relative path",
                           f"Use the https:// address: {_with_value(parsed, pos, fixed)}" if fixed else
                           "Use the https:// address, or a path to a file beside the resource.")
        return
    if not file_only and WEB_ADDRESS_RE.match(value):
        # `www.eventbrite.co.uk/e/1`: an address without its https://.
        parsed.problem(pos.line, pos.col, "link-scheme", f"{name} must be an https: link or a relative path",
                       f"Start the address with https://: {_with_value(parsed, pos, 'https://' + value)}")
        return
    refused = files.path_problem(value)
    if refused:
        parsed.problem(pos.line, pos.col, "file-path", f"{name} {refused}", "Downloads, slides and transcripts are "
                       "files in this type's folder, such as files/checklist.pdf, of a type readers can open.")
        return
    target = f"{type_slug}/{value}"
    if target in getattr(content_files, "refused", ()):
        return  # a symbolic link: reported where it is, with what to do
    if target not in content_files:
        parsed.problem(pos.line, pos.col, "missing-file", f"{name} points to `{value}`, which does not exist",
                       file_hint(value, type_slug, content_files))
        return
    too_large = files.size_problem(getattr(content_files, "sizes", {}).get(target, 0))
    if too_large:
        parsed.problem(pos.line, pos.col, "file-too-large", f"{name}: `{value}` {too_large}", files.MAX_FILE_HINT)
        return
    unsafe = files.content_problem(_root_of(content_files) / target)
    if unsafe:
        parsed.problem(pos.line, pos.col, "unsafe-file", f"{name}: `{value}` {unsafe}", files.FILE_CHECK_HINT)
        return
    parsed.files.append(target)


def check_complexity(parsed: ParsedFile) -> bool:
    """Refuse bodies that would take Python-Markdown minutes or hours, before
    it ever sees them. True when the body is fit to check further."""
    lines = parsed.body.split("\n")
    # Each rule below is first checked on the whole body, cheaply; the line
    # by line search, which says where, runs only when it could find something.
    long_or_deep = max(map(len, lines)) > MAX_LINE_CHARS or DEEP_INDENT_RE.match(parsed.body) or \
        NEXT_LINE_DEEP_INDENT_RE.search(parsed.body)
    for number, line in enumerate(lines if long_or_deep else ()):
        if len(line) > MAX_LINE_CHARS:
            parsed.problem(parsed.body_line + number, 1, "too-complex",
                           f"this line is {len(line):,} characters long; the limit is {MAX_LINE_CHARS:,}",
                           "Break the text into paragraphs, with a blank line between them.")
            return False
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if indent > MAX_INDENT:
            parsed.problem(parsed.body_line + number, 1, "too-complex",
                           f"this line is indented {indent} spaces; the limit is {MAX_INDENT}",
                           "Lists nest at most a few levels deep: move this item further left.")
            return False
    brackets, block_brackets, block_start = 0, 0, 0
    # No paragraph can hold more `[` than the whole body.
    for number, line in enumerate(lines + [""] if parsed.body.count("[") > MAX_BRACKETS_PER_BLOCK else ()):
        if not line.strip():
            if block_brackets > MAX_BRACKETS_PER_BLOCK:
                parsed.problem(parsed.body_line + block_start, 1, "too-complex",
                               f"this paragraph has {block_brackets:,} `[` characters; the limit is {MAX_BRACKETS_PER_BLOCK}",
                               "Split it into shorter paragraphs or lists, with blank lines between them.")
                return False
            block_brackets, block_start = 0, number + 1
            continue
        count = line.count("[")
        block_brackets += count
        brackets += count
    if brackets > MAX_BRACKETS:
        parsed.problem(parsed.body_line, 1, "too-complex",
                       f"the body has {brackets:,} `[` characters; the limit is {MAX_BRACKETS:,}",
                       "A resource this full of links is better split into several resources.")
        return False
    # Each unclosed tag starts at a `<` of its own.
    open_tags = [m for m in OPEN_TAG_RE.finditer(parsed.body)] if parsed.body.count("<") > MAX_OPEN_TAGS else []
    if len(open_tags) > MAX_OPEN_TAGS:
        first = open_tags[0].start()
        line = parsed.body.count("\n", 0, first)
        parsed.problem(parsed.body_line + line, first - (parsed.body.rfind("\n", 0, first) + 1) + 1, "too-complex",
                       f"the body has {len(open_tags):,} HTML tags that are never closed with `>`",
                       "Close each tag with `>`, or write `<` as &lt; when you mean 'less than'.")
        return False
    return True


def count_block_elements(lines: list[str]) -> dict[str, list[int]]:
    """The lines (0-based) of each kind of MAX_BLOCK_ELEMENTS, as Python-
    Markdown reads them: `---` under text is a heading, after a blank
    line a thematic break."""
    found: dict[str, list[int]] = {kind: [] for kind in MAX_BLOCK_ELEMENTS}
    after_text = False
    for number, line in enumerate(lines):
        if line[:1] in BLOCK_STARTS:
            if ATX_HEADING_RE.match(line):
                found["headings"].append(number)
            elif (match := SETEXT_OR_BREAK_RE.match(line)) is not None:
                underline = match.group(1) is not None and after_text
                found["headings" if underline else "thematic breaks"].append(number)
                if not underline and match.group(1) and match.group(1)[0] == "=":
                    found["thematic breaks"].pop()  # `===` after a blank line is text
            elif REFERENCE_DEFINITION_RE.match(line):
                found["link reference definitions"].append(number)
            elif ADMONITION_RE.match(line):
                found["admonitions"].append(number)
        after_text = bool(line.strip())
    return found


def check_block_elements(parsed: ParsedFile) -> bool:
    """Refuse a body with more of any kind of element than Python-Markdown
    parses in reasonable time (MAX_BLOCK_ELEMENTS), at the first one over
    the limit. True when the body is within every limit."""
    for kind, numbers in count_block_elements(parsed.body_lines).items():
        limit = MAX_BLOCK_ELEMENTS[kind]
        if len(numbers) > limit:
            line = numbers[limit]
            parsed.problem(parsed.body_line + line, 1, "too-many-elements",
                           f"the body has {len(numbers):,} {kind}; the limit is {limit:,} (this is number {limit + 1:,})",
                           BLOCK_ELEMENT_HINTS[kind])
            return False
    return True


# An image with no words for those who cannot see it: `![](x.png)`, or an
# <img> with no alt, or an empty one. Its web page fails WCAG 1.1.1, and its
# PDF cannot be PDF/UA.
NO_ALT_RE = re.compile(r"!\[\s*\]\(|<img\b(?![^<>]*\balt\s*=\s*(?:\"[^\"]*[^\s\"][^\"]*\"|'[^']*[^\s'][^']*'|[^\s\"'>]))"
                       r"[^<>]*>", re.I)


def check_body(parsed: ParsedFile) -> None:
    if not check_complexity(parsed):
        parsed.body_lines = []
        return
    parsed.body_lines = links.blank_code(parsed.body)
    if not check_block_elements(parsed):
        parsed.body_lines = []
        return
    # A match within a line is a match in the whole text, so a text without
    # one needs no line by line search (most bodies have none).
    text = "\n".join(parsed.body_lines)
    unsafe = [(regex, what) for regex, what in ((SCRIPT_RE, "a <script> tag"),
                                                (HANDLER_RE, "an event-handler attribute"),
                                                (JS_URL_RE, "a javascript: URL"))
              if (regex is not JS_URL_RE or _may_hold_js_url(text)) and regex.search(text)]
    # Elements the sanitiser would remove in the build (an iframe, a form):
    # said here too, so that `make validate` gives no all-clear for them.
    refused = {name.lower() for name in ELEMENT_RE.findall(text)} - ALLOWED_TAGS - {"script"} if "<" in text else ()
    no_alt = ("![" in text or "<img" in text.lower()) and NO_ALT_RE.search(text)
    if not unsafe and not refused and not no_alt and PLACEHOLDER + ":" not in text:
        return
    for number, line in enumerate(parsed.body_lines):
        file_line = parsed.body_line + number
        for regex, what in unsafe:
            match = regex.search(line)
            if match:
                parsed.problem(file_line, match.start() + 1, "unsafe-html", f"the body contains {what}",
                               "Resources cannot run scripts; remove it, or show it as code in backticks.")
        if refused and "<" in line:
            for match in ELEMENT_RE.finditer(line):
                if match.group(1).lower() in refused:
                    parsed.problem(file_line, match.start() + 1, "unsafe-html",
                                   f"the body contains the <{match.group(1).lower()}> element, which pages cannot show",
                                   "Pages show text, links, images, lists and tables only; remove it. "
                                   "To show HTML as an example, put it in `backticks`.")
        col = line.find(PLACEHOLDER + ":")
        if col >= 0:
            parsed.problem(file_line, col + 1, "placeholder", "the body still has a template placeholder",
                           "Replace the TODO text with the resource's content.")
        for match in NO_ALT_RE.finditer(line) if no_alt else ():
            parsed.problem(file_line, match.start() + 1, "missing-alt", "this image has no alt text",
                           "Say in a few words what the image shows, for readers who cannot see it: "
                           "![Bar chart of referrals by month, 2025](files/referrals.png)")


def check_across(library: Library, root: Path, docs_dir, content_files: set[str],
                 generated: set[str], invalid: set[str] = frozenset(),
                 unpublishable: list[Resource] = (), broken_drafts: set[str] = frozenset()) -> list[Problem]:
    """Rules that need every file: duplicate slugs and URLs, links, replaced_by.
    `invalid`: resources that exist but have errors of their own; links to
    them are not reported, since the error is theirs. `unpublishable`: those
    of them whose bodies could be read, whose links are checked all the same."""
    problems: list[Problem] = []
    seen: dict[str, Resource] = {}
    for resource in sorted(library.resources, key=lambda r: r.src_uri):
        if resource.slug in seen:
            first = seen[resource.slug]
            problems.append(Problem(resource.src_uri, 1, 1, "duplicate-slug",
                                    f"the slug `{resource.slug}` is also used by {first.src_uri}",
                                    "Rename one of the files so that each resource has its own slug."))
        seen.setdefault(resource.slug, resource)

    docs_pages: dict[str, set[str] | None] = {}
    if docs_dir and Path(docs_dir).is_dir():
        for path in Path(docs_dir).rglob("*.md"):
            src = path.relative_to(docs_dir).as_posix()
            docs_pages[src] = links.anchors(path.read_text(encoding="utf-8", errors="replace"))
    for resource in library.resources:
        for clash in (resource.src_uri, f"{resource.type}/{resource.slug}/index.md"):
            if clash in docs_pages:
                problems.append(Problem(resource.src_uri, 1, 1, "duplicate-url",
                                        f"docs/{clash} would be published at the same address",
                                        "Rename the resource or move the page in docs/."))

    pages = catalogue(library, docs_pages, generated, invalid)
    drafts = {r.src_uri for r in library.resources if r.status == "draft"} | set(broken_drafts)
    docs_files = set()
    if docs_dir and Path(docs_dir).is_dir():
        docs_files = {p.relative_to(docs_dir).as_posix() for p in Path(docs_dir).rglob("*") if p.is_file()}
    keys = {r.key: pages.described[r.src_uri] for r in library.resources}
    keys.update({src[:-3]: pages.described[src] for src in invalid})
    for resource in unpublishable:
        problems += check_body_links(resource, pages, content_files, docs_files, drafts, library.include_drafts,
                                     invalid)
    for resource in library.resources:
        problems += check_body_links(resource, pages, content_files, docs_files, drafts, library.include_drafts,
                                     invalid)
        if (resource.type == "webinars" and resource.status == "current" and not resource.meta.get("registration_url")
                and resource.is_upcoming(library.now)):
            # The page says "Registration is not open yet", which is right for
            # a while; a warning makes sure someone meant it.
            line, col, text = _key_position(resource, "starts")
            problems.append(Problem(resource.src_uri, line, col, "no-registration",
                                    "this upcoming webinar has no `registration_url`, so readers cannot sign up",
                                    'Add the link where readers register: registration_url: "https://...". '
                                    "Until then the page says that registration is not open yet.", text,
                                    severity="warning"))
        replaced_by = resource.meta.get("replaced_by")
        if replaced_by and replaced_by not in library.by_key and f"{replaced_by}.md" not in invalid:
            line, col, text = _key_position(resource, "replaced_by")
            problems.append(Problem(resource.src_uri, line, col, "broken-link",
                                    f"`replaced_by` names {replaced_by}, which does not exist",
                                    resource_key_hint(replaced_by, library, keys), text))
    return problems


def _key_position(resource: Resource, key: str) -> tuple[int, int, str]:
    """Where a top-level field's value is, read again from the file: the
    model keeps values, not positions, and this is needed only for errors."""
    try:
        lines = resource.abs_path.read_text(encoding="utf-8").splitlines()[: resource.body_line]
    except OSError:
        return 1, 1, ""
    for number, line in enumerate(lines, start=1):
        match = re.match(rf"{re.escape(key)}\s*:\s*", line)
        if match:
            return number, match.end() + 1, line
    return 1, 1, ""


# `C:\\Users\\...`, `\\\\server\\share\\...`: files readers cannot reach.
WINDOWS_PATH_RE = re.compile(r"[A-Za-z]:[\\/]|\\\\")
# What comes before an image's address: `![alt](` or `src="`.
IMAGE_BEFORE_RE = re.compile(r"""(?:!\[[^\]]*\]\(\s*<?|<img\b[^<>]*\bsrc\s*=\s*["']?)$""", re.I)


def check_body_links(resource: Resource, pages: Catalogue, content_files, docs_files, drafts, include_drafts,
                     invalid: set[str] = frozenset()) -> list[Problem]:
    problems = []
    lines = resource.body.split("\n")
    for link in resource.links if resource.links is not None else links.links_in(resource.body):
        if not link.target:
            continue
        file_line = resource.body_line + link.line - 1
        source_line = lines[link.line - 1] if link.line <= len(lines) else ""

        def report(rule, message, hint):
            problems.append(Problem(resource.src_uri, file_line, link.col, rule, message, hint, source_line))

        if not links.is_address(link.target):
            # MkDocs would stop on it, with a traceback.
            report("broken-link", f"`{link.target}` is not a link address",
                   "Check the address. `[` and `]` belong only around an IPv6 host (https://[::1]/); "
                   "elsewhere write them as %5B and %5D.")
            continue
        # What the browser opens: character references (`&#58;`) decoded,
        # backslashes read as slashes.
        address = html.unescape(link.target) if "&" in link.target else link.target
        encoded = address != link.target
        image = IMAGE_BEFORE_RE.search(source_line[:link.col - 1]) is not None
        if WINDOWS_PATH_RE.match(address):
            name = re.split(r"[\\/]", address)[-1] or "file"
            report("broken-link", f"`{link.target}` is a path on a computer or a shared drive, which readers "
                   "cannot open", f"Add the file to the repository as {resource.type}/files/{name} "
                   f"and link to `files/{name}`.")
            continue
        read = links.as_browser_reads(address)
        scheme = urlsplit(read).scheme.lower() if links.is_address(read) else ""
        if scheme and scheme not in links.SAFE_SCHEMES and (scheme != "javascript" or encoded):
            # A plain `javascript:` is reported by check_body already.
            report("unsafe-html", f"the link `{link.target}` is a `{scheme}:` address"
                   + (", written with character references" if encoded else ""),
                   "Resources cannot run scripts; remove the link." if scheme == "javascript" else
                   "Pages link only to web (https), email (mailto) and phone (tel) addresses; remove it.")
            continue
        if links.is_external(address):
            if image:
                report("unsafe-html", f"the image `{link.target}` is loaded from another website",
                       "Every reader's browser would ask that site for it. Save the image in "
                       f"{resource.type}/files/ and link to it there, for example `files/chart.png`.")
            continue
        if encoded:
            report("broken-link", f"`{link.target}` is written with character references (`&...;`)",
                   f"Write the address as it is: `{address}`")
            continue
        if "\\" in address:
            report("broken-link", f"`{link.target}` is written with backslashes",
                   f"Write paths with forward slashes: `{address.replace(chr(92), '/')}`")
            continue

        if link.target.startswith("/"):
            path = link.target.lstrip("/")
            # `/` and `/#part` are the home page.
            target, anchor = links.resolve("", path if path and path[0] not in "#?" else "index.md" + path)
            meant = next((src for src in [target, *address_to_file(target)] if src in pages), None)
            if meant:
                written = relative_link(meant, resource.src_uri) + (f"#{anchor}" if anchor else "")
                hint = f"Write it relative to this file: `{written}`"
            else:
                hint = "Link relative to this file, for example `../deeper-dives/some-slug.md`."
            report("broken-link", f"`{link.target}` is an absolute link", hint)
            continue
        target, anchor = links.resolve(resource.src_uri, link.target)
        if target.endswith("/"):
            target += "index.md"
        if target in drafts and not include_drafts:
            # A draft may link to another draft: neither is published yet.
            if resource.src_uri not in drafts:
                report("broken-link", f"`{link.target}` links to a draft, which is not published",
                       "Link to it once it is published, or remove the link.")
            continue
        if target in invalid:
            continue  # the resource exists; its own errors are reported in its own file
        if target in pages:
            if anchor and pages.anchors[target] is not None and anchor not in pages.anchors[target]:
                report("broken-anchor", f"`{link.target}`: there is no heading `#{anchor}` in {target}",
                       anchor_hint(link.target.split("#")[0], anchor, pages.anchors[target]))
        elif target in content_files:
            # A file beside a resource: published because this page asks for it.
            refused = files.type_problem(target)
            too_large = files.size_problem(getattr(content_files, "sizes", {}).get(target, 0))
            if refused:
                report("file-path", f"`{link.target}` {refused}",
                       "Link only to files of a type readers can open, in a content folder's files/.")
            elif too_large:
                report("file-too-large", f"`{link.target}` {too_large}", files.MAX_FILE_HINT)
            elif unsafe := files.content_problem(_root_of(content_files) / target):
                report("unsafe-file", f"`{link.target}` {unsafe}", files.FILE_CHECK_HINT)
            elif target not in resource.files:
                resource.files.append(target)
        elif target in docs_files:
            continue
        elif target in getattr(content_files, "refused", ()):
            continue  # a symbolic link: reported where it is, with what to do
        elif target in pages.unbuilt:
            report("broken-link", f"`{link.target}` links to {pages.unbuilt[target]}, which is not built "
                   "until a published resource uses it", "Link to a resource instead, or remove the link for now.")
        else:
            meant = [src for src in address_to_file(target) if src in pages.suggestible]
            if meant:
                written = relative_link(meant[0], resource.src_uri) + (f"#{anchor}" if anchor else "")
                report("broken-link", f"`{link.target}` is a page's address, not its file",
                       f"Link to the file the page is made from: `{written}`")
                continue
            before = source_line[:link.col - 1]
            if not target.endswith(".md") and (posixpath.splitext(target)[1] or IMAGE_BEFORE_RE.search(before)):
                # An image or a file, not a page: files live beside the resources.
                hint = file_hint(posixpath.relpath(target, resource.type), resource.type, content_files)
            else:
                hint = link_hint(target, anchor, resource.src_uri, pages)
            report("broken-link", f"`{link.target}` points to `{target}`, which does not exist", hint)
    return problems
