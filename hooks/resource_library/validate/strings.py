"""Rules on every text value in front matter (after YAML has decoded it):
characters, template syntax, HTML, line breaks, placeholders, and the
links and files a field names."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterator

from .. import characters, files, links
from ..frontmatter import ParsedFile
from ..problems import field_label
from ..suggestions import file_hint
from ..vocabulary import Vocabulary
from .patterns import HANDLER_RE, JINJA_RE, JS_URL_RE, PLACEHOLDER, SCRIPT_RE, TAG_RE
from .schema import Schema

# Fields shown on one line (titles, names, labels): a line break there
# breaks calendar files and headings.
ONE_LINE_FIELDS = {"title", "owner", "label", "name", "role", "withdrawn_reason", "file", "replaced_by",
                   "registration_url", "recording_url", "slides", "transcript"}
# Fields of sentences, where a tab may stand between words; a tab anywhere
# else is refused with the control characters (see characters.py).
MULTI_LINE_FIELDS = {"summary"}


class ContentFiles(set):
    """The files a resource may ask for; `refused`, the symbolic links among
    the content, reported once, at the link, not again by each resource
    that points to one as a file "which does not exist"."""

    def __init__(self, files=(), refused=(), sizes=None, root=None):
        super().__init__(files)
        self.refused = set(refused)
        self.sizes = sizes or {}  # bytes, by path
        self.root = root  # the project folder, where their content is read (files.content_problem)
        self.work: dict[str, dict[str, float]] = {}  # resource -> {file: its checks' share}

    def checked(self, resource: str, target: str) -> tuple[str | None, bool]:
        """(why `target` may not be published, whether checking it took the
        files of `resource` past MAX_RESOURCE_CHECK_WORK). Once past it, a
        file the resource has not asked for yet is not read at all (None,
        False): the resource is refused already."""
        spent = self.work.setdefault(resource, {})
        path = _root_of(self) / target
        if target in spent:
            return files.content_problem(path), False
        before = sum(spent.values())
        if before > files.MAX_RESOURCE_CHECK_WORK:
            return None, False
        refused = files.content_problem(path)
        spent[target] = files.content_work(path)
        return refused, before + spent[target] > files.MAX_RESOURCE_CHECK_WORK


def _root_of(content_files) -> Path:
    return Path(getattr(content_files, "root", None) or ".")


def walk_strings(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk_strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk_strings(item, path + (index,))


def check_strings(parsed: ParsedFile, schema: Schema, content_files: set[str], type_slug: str,
                  vocabulary: Vocabulary | None = None) -> None:
    for path, value in walk_strings(parsed.data):
        # After YAML has decoded escapes: `"\x01"` is a control character.
        refused = characters.check_value(parsed, path, field_label(path), value,
                                         multi_line=bool(path) and path[0] in MULTI_LINE_FIELDS)
        if refused:
            line, col, key, values = refused
            parsed.found(line, col, key, **values)

        top = schema.fields.get(path[0], {}) if path else {}
        item_schema = top
        if len(path) == 3 and "items" in top:  # downloads.0.file
            item_schema = top["items"]["properties"].get(path[2], {})
        is_link = item_schema.get("$ref") == "#/$defs/link"
        if not is_link and not refused:
            for address, key, values in links.text_address_problems(value):
                pos = parsed.at(path)
                parsed.found(pos.line, pos.col, key, target=address[:80], **values)
                break
        # Most values are plain words: none of the rules below can apply
        # without one of these (each rule's regex needs its character).
        if not (is_link or "{" in value or "<" in value or "\n" in value or PLACEHOLDER in value
                or JS_URL_RE.search(value)):
            continue
        pos = parsed.at(path)
        name = field_label(path)
        if JINJA_RE.search(value):
            parsed.found(pos.line, pos.col, "jinja", name=name)
        if SCRIPT_RE.search(value) or HANDLER_RE.search(value) or JS_URL_RE.search(value):
            parsed.found(pos.line, pos.col, "unsafe-html/front-matter", name=name)
        elif TAG_RE.search(value):
            parsed.found(pos.line, pos.col, "html-in-text", name=name, tag=TAG_RE.search(value).group())
        # Any line break, even a first or last one (`title: >` ends in one):
        # a calendar's name and a feed's title are one line, unstripped.
        if path and path[-1] in ONE_LINE_FIELDS and "\n" in value:
            parsed.found(pos.line, pos.col, "bad-value/one-line", name=name, key=path[-1])
        if PLACEHOLDER in value:
            kind = top.get("x-vocabulary")
            if kind and vocabulary:
                parsed.found(pos.line, pos.col, "placeholder/terms", name=name, placeholder=PLACEHOLDER,
                             terms=", ".join(vocabulary.terms(kind)), kind=kind)
            else:
                parsed.found(pos.line, pos.col, "placeholder", name=name, placeholder=PLACEHOLDER)
        if is_link:
            check_link_value(parsed, pos, name, value, content_files, type_slug, file_only=path[-1] == "file")


# An address written without its scheme: `www.` or a host name and a path.
WEB_ADDRESS_RE = re.compile(r"www\.|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/", re.I)


def _with_value(parsed: ParsedFile, pos, value: str) -> str:
    """The contributor's own line with `value` in place of theirs, quoted,
    ready to paste: `registration_url: "https://..."`."""
    return parsed.line(pos.line)[:pos.col - 1].strip() + " " + json.dumps(value)


def check_link_value(parsed, pos, name, value, content_files: set[str], type_slug: str, file_only: bool) -> None:
    """A link in front matter: an https address, or a file beside the
    resource that may be published. Records the file as asked for."""
    if links.is_external(value):
        if file_only:
            parsed.found(pos.line, pos.col, "link-scheme/file", name=name)
        elif not value.startswith("https://"):
            fixed = "https://" + value[len("http://"):] if value.startswith("http://") else ""
            if fixed:
                parsed.found(pos.line, pos.col, "link-scheme/http", name=name, line=_with_value(parsed, pos, fixed))
            else:
                parsed.found(pos.line, pos.col, "link-scheme", name=name)
        elif bad := links.address_problem(value):
            parsed.found(pos.line, pos.col, bad[0], name=name, target=value[:80], **bad[1])
        return
    if not file_only and WEB_ADDRESS_RE.match(value):
        # `www.eventbrite.co.uk/e/1`: an address without its https://.
        parsed.found(pos.line, pos.col, "link-scheme/no-scheme", name=name,
                     line=_with_value(parsed, pos, "https://" + value))
        return
    refused = files.path_problem(value)
    if refused:
        parsed.found(pos.line, pos.col, "file-path", name=name, refused=refused)
        return
    target = f"{type_slug}/{value}"
    if target in getattr(content_files, "refused", ()):
        return  # a symbolic link: reported where it is, with what to do
    if target not in content_files:
        parsed.found(pos.line, pos.col, "missing-file", name=name, value=value,
                     hint=file_hint(value, type_slug, content_files))
        return
    too_large = files.size_problem(getattr(content_files, "sizes", {}).get(target, 0))
    if too_large:
        parsed.found(pos.line, pos.col, "file-too-large", name=name, value=value, refused=too_large)
        return
    if hasattr(content_files, "checked"):
        unsafe, over = content_files.checked(parsed.path, target)
    else:
        unsafe, over = files.content_problem(_root_of(content_files) / target), False
    if over:
        parsed.found(pos.line, pos.col, "file-too-large/work", name=name, value=value,
                     limit=f"{files.MAX_RESOURCE_CHECK_WORK:g}")
        return
    if unsafe:
        key = {"formula": "unsafe-file/formula", "misleading": "unsafe-file/misleading"}.get(
            files.refusal_kind(unsafe), "unsafe-file")
        parsed.found(pos.line, pos.col, key,
                     name=name, value=value, refused=unsafe)
        return
    parsed.files.append(target)
