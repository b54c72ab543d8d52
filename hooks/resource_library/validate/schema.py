"""The front-matter schema (schema/resource.schema.json) as the rules read it:
the fields of each type, and a quick "surely valid" before jsonschema."""
from __future__ import annotations

import json
import numbers
import re
from pathlib import Path

import jsonschema


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
