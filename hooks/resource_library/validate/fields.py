"""Rules on a resource's file name and its fields: required and known
fields, their types and values (from the schema), and vocabulary terms."""
from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from ..frontmatter import ParsedFile, YamlDate
from ..load import SLUG_RE, TYPES, suggest_slug
from ..problems import field_label
from ..vocabulary import Vocabulary, closest
from .dated import check_changes, check_dates
from .patterns import PLACEHOLDER
from ..files import WINDOWS_DEVICES
from .schema import Schema
from .strings import check_strings


# A slug is a folder and a file name in the site: `slug/slug.pdf` stays
# within the offline copy's budget for a path (files.MAX_OUTPUT_PATH).
MAX_SLUG = 80


def check_path(parsed: ParsedFile, rel: Path) -> None:
    if len(rel.parts) != 2:
        parsed.found(1, 1, "file-location", folder=rel.parts[0], name=rel.name)
    elif not SLUG_RE.match(rel.stem) or rel.suffix != ".md":
        parsed.found(1, 1, "file-name", name=rel.name, slug=suggest_slug(rel.stem))
    elif rel.stem == "index":
        parsed.found(1, 1, "file-name/index", folder=rel.parts[0])
    elif rel.stem in WINDOWS_DEVICES or len(rel.stem) > MAX_SLUG:
        parsed.found(1, 1, "file-name/portable", name=rel.name, limit=MAX_SLUG)


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


def _written_keys(parsed: ParsedFile, data: dict) -> dict:
    """Keys YAML read as something other than text (`1:`, `null:`, `yes:`),
    to the text they were written as: said as written, at their line."""
    if all(isinstance(key, str) for key in data):
        return {}
    import yaml
    found = {}
    for text in parsed.key_positions:
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError:
            continue
        if not isinstance(value, str):
            found.setdefault(value, text)
    return found


def check_fields(parsed: ParsedFile, type_slug: str, schema: Schema, vocabulary: Vocabulary,
                 now: datetime, content_files: set[str]) -> None:
    data = parsed.data
    written = _written_keys(parsed, data)
    # Keys: unknown ones, and the one key that would let a page run code.
    for key in data:
        key = written.get(key, key)
        pos = parsed.key_positions.get(key)
        line, col = (pos.line, pos.col) if pos else (1, 1)
        if key == "render_macros":
            parsed.found(line, col, "render-macros")
        elif key not in schema.fields:
            if key in schema.all_fields:
                parsed.found(line, col, "unknown-field/other-type", key=key, type=type_slug)
                continue
            guess = closest(key, schema.fields)
            if guess:
                parsed.found(line, col, "unknown-field/guess", key=key, guess=guess)
            else:
                parsed.found(line, col, "unknown-field", key=key, allowed=", ".join(schema.fields))
    reported: set[tuple] = set()  # paths with a problem already: one problem a value
    for key in schema.required:
        if key not in data:
            parsed.found(1, 1, "missing-field", key=key, description=schema.fields[key].get("description", ""))
        elif data[key] is None or data[key] == [] and schema.resolve(schema.fields[key]).get("minItems"):
            pos = parsed.at((key,))
            parsed.found(pos.line, pos.col, "missing-field/empty", key=key,
                         description=schema.fields[key].get("description", ""))
            reported.add((key,))
    if data.get("status") == "withdrawn" and not data.get("withdrawn_reason"):
        pos = parsed.key_positions["status"]
        parsed.found(pos.line, pos.col, "missing-field/withdrawn")

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
                parsed.found(pos.line, pos.col, "wrong-type/list", name=name, found=describe(error.instance),
                             key=path[0], example=yaml_list(error.instance))
            elif expected == "string" and len(path) == 2 and isinstance(error.instance, (list, dict)):
                # `topics: [[housing]]`: brackets inside the list.
                parsed.found(pos.line, pos.col, "wrong-type/nested", name=name, found=describe(error.instance),
                             key=path[0], example=yaml_list(data.get(path[0])))
            elif expected == "string":
                typed = pos.text or str(error.instance)
                parsed.found(pos.line, pos.col, "wrong-type/text-item" if isinstance(path[-1], int) else "wrong-type/text",
                             name=name, typed=typed, found=describe(error.instance), key=path[-1])
            else:
                parsed.found(pos.line, pos.col, "wrong-type/kind", name=name,
                             expected=TYPE_WORDS.get(expected, expected), found=describe(error.instance),
                             hint=_type_hint(path, expected, error.instance)
                             or schema.fields.get(path[0], {}).get("description", ""))
        elif error.validator == "enum":
            allowed = ", ".join(map(str, error.validator_value))
            guess = closest(str(error.instance), error.validator_value)
            parsed.found(pos.line, pos.col, "not-in-vocabulary/enum-guess" if guess else "not-in-vocabulary/enum",
                         name=name, value=error.instance, guess=guess, allowed=allowed)
        elif error.validator == "required":
            missing = [f for f in error.validator_value if isinstance(error.instance, dict) and f not in error.instance]
            # A field written under another name (forty-sixth round: `path:` for `file:`).
            extra = [str(f) for f in error.instance if f not in error.schema.get("properties", {})] \
                if isinstance(error.instance, dict) else []
            parsed.found(pos.line, pos.col, "missing-field/entry-instead" if extra else "missing-field/entry",
                         name=name, missing=" or ".join(f"`{f}`" for f in missing or error.validator_value),
                         where=path[0] if path else "it", fields=", ".join(f"`{f}`" for f in error.validator_value),
                         extra=", ".join(f"`{f}`" for f in extra))
        elif error.validator == "additionalProperties":
            extra = sorted(str(f) for f in error.instance if f not in error.schema.get("properties", {}))
            allowed = ", ".join(f"`{f}`" for f in error.schema.get("properties", {}))
            parsed.found(pos.line, pos.col, "unknown-field/entry", name=name,
                         extra=", ".join(f"`{f}`" for f in extra), allowed=allowed)
        elif error.validator == "uniqueItems":
            parsed.found(pos.line, pos.col, "bad-value/twice", name=name)
        elif path == ("replaced_by",) and error.validator == "pattern" and isinstance(error.instance, str):
            # Often written as a link; type/slug is what it takes.
            key = re.sub(r"^(\.\./|\./|/)+", "", error.instance.strip()).removesuffix("/").removesuffix(".md")
            if re.fullmatch("(" + "|".join(TYPES) + r")/[a-z0-9]+(-[a-z0-9]+)*", key):
                parsed.found(pos.line, pos.col, "bad-value/replaced-by", name=name, problem=_plain_message(error),
                             key=key)
            else:
                parsed.found(pos.line, pos.col, "bad-value", name=name, problem=_plain_message(error),
                             description=schema.fields["replaced_by"].get("description", ""))
        else:
            parsed.found(pos.line, pos.col, "bad-value", name=name, problem=_plain_message(error),
                         description=schema.fields.get(path[0], {}).get("description", "") if path else "")

    # A string field that YAML read as a date passes the schema (a date is kept as
    # its text) but is still a mistake: the contributor meant words, not a date.
    for key, field_schema in schema.fields.items():
        resolved = schema.resolve(field_schema)
        if resolved.get("type") == "string" and "format" not in resolved and isinstance(data.get(key), YamlDate):
            pos = parsed.at((key,))
            parsed.found(pos.line, pos.col, "wrong-type/date", key=key, value=data[key])
        # `title: Update #2` loads as "Update": YAML took the rest for a comment.
        if resolved.get("type") == "string" and isinstance(data.get(key), str):
            pos = parsed.at((key,))
            rest = parsed.line(pos.line)[pos.end_col - 1:] if pos.plain and pos.end_col else ""
            if re.match(r"\s+#", rest):
                parsed.found(pos.line, pos.end_col, "yaml-comment", key=key, value=data[key], rest=rest.rstrip())

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
            parsed.found(pos.line, pos.col, "too-many-terms", key=key, count=len(known), kind=kind, limit=limit,
                         number=limit + 1)
        unknown = [index for index, value in enumerate(values)
                   if isinstance(value, str) and value not in allowed and PLACEHOLDER not in value]
        for index in unknown[:MAX_VOCABULARY_PROBLEMS]:
            value = values[index]
            pos = parsed.at((key, index))
            guess = closest(value, allowed)
            parsed.found(pos.line, pos.col, "not-in-vocabulary/guess" if guess else "not-in-vocabulary",
                         value=value, kind=kind, guess=guess, allowed=", ".join(allowed))
        rest = unknown[MAX_VOCABULARY_PROBLEMS:]
        if rest:
            # Hundreds of wrong values are one mistake (a pasted list), not
            # hundreds of problems each repeating the allowed terms.
            pos = parsed.at((key, rest[0]))
            sample = ", ".join(f"`{values[i][:40]}`" for i in rest[:3]) + (", ..." if len(rest) > 3 else "")
            parsed.found(pos.line, pos.col, "not-in-vocabulary/more", count=len(rest), key=key, kind=kind,
                         sample=sample)


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
