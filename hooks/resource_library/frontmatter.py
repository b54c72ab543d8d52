"""Read a resource file: its YAML front matter, with a position for every
value, and its Markdown body.

PyYAML alone is too forgiving for contributor content: duplicate keys keep
the last value, anchors and aliases pass, and a bad date raises ValueError.
This parser composes the YAML node tree first, so each of those becomes a
Problem with a line and column instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from . import characters, rules
from .problems import Problem

import re

MAX_FILE_BYTES = 512 * 1024
MAX_FRONT_MATTER_BYTES = 16 * 1024
MAX_DEPTH = 8  # front matter is fields, lists and small records; deeper is a mistake or an attack
FENCE = "---"
# Control characters other than tab and line breaks (C0, DEL and C1):
# invisible, and fatal to YAML's reader and to calendar and feed writers.
# Also the characters that reorder text (bidirectional embeddings, overrides
# and isolates): a title holding U+202E reads backwards from there, in
# listings and browser tabs. And noncharacters, which are never text. The
# same characters written as escapes in double quotes are found in the
# values once YAML has decoded them (characters.py).
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + characters.BIDI_CONTROLS
                        + characters.NONCHARACTERS + "]")
# The same, for text with no character beyond U+FFFF (almost every file):
# the astral noncharacters, 32 single characters in the class above, make
# that one fifteen times slower (573 against 39 µs a file).
CONTROL_BMP_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f" + characters.BIDI_CONTROLS
                            + "\ufdd0-\ufdef\ufffe\uffff]")

# The tags a plain YAML mapping of text, numbers, dates and lists produces.
PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
INT_TAG = "tag:yaml.org,2002:int"
MAX_NUMBER_DIGITS = 4000  # Python reads ints of up to 4,300 digits


class YamlDate(str):
    """A value YAML would have read as a date, kept as its text.

    Dates are validated by our own rules (so `2026-13-45` is a Problem, not
    a ValueError), and a title that YAML reads as a date can be caught.
    """


class _Refused(Exception):
    def __init__(self, key: str, mark, /, **values):
        self.key, self.mark, self.values = key, mark, values


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused("yaml-alias", event.start_mark, anchor=event.anchor)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise _Refused("yaml-alias/anchor", event.start_mark, anchor=event.anchor)
        return super().compose_node(parent, index)


def compose(text: str):
    """A YAML document's nodes, anchors and aliases refused: an alias is its
    anchor's whole value again wherever it is used, so 256 KB of aliases
    made 4 GB of phrases to check. Raises YamlRefused (a rule's key, a mark
    and the message's values) or yaml.YAMLError."""
    return yaml.compose(text, Loader=_Loader)


YamlRefused = _Refused


def _construct_timestamp(loader, node):
    return YamlDate(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)

# libyaml's parser, where the text can hold no anchor, alias or tag: those
# need a `&`, `*` or `!`, and only _Loader can refuse them with a position.
_FastLoader = None
if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.CSafeLoader):
        pass

    _FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


@dataclass
class Position:
    line: int  # 1-based line in the file
    col: int   # 1-based column
    plain: bool = True   # an unquoted scalar
    end_col: int = 0     # 1-based column just after the value
    text: str = ""       # the value as typed


@dataclass
class ParsedFile:
    path: str                          # as shown in messages
    text: str = ""                     # the whole file, decoded
    data: dict[str, Any] | None = None
    body: str = ""
    body_line: int = 1                 # line number of the body's first line
    body_lines: list[str] = field(default_factory=list)  # the body with code blanked out
    positions: dict[tuple, Position] = field(default_factory=dict)  # key path -> value position
    key_positions: dict[str, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # content files its fields ask for, from the root
    anchors: set[str] | None = None    # its headings' ids, once worked out (load.make_resource)
    links: tuple | None = None         # the links in its body, likewise

    _lines: tuple = field(default=("", ()), init=False, repr=False, compare=False)  # (text, its lines), kept

    def line(self, number: int) -> str:
        text, lines = self._lines
        if text is not self.text:  # split once per text, not once per call
            lines = self.text.splitlines()
            self._lines = (self.text, lines)
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def found(self, line: int, col: int, key: str, /, **values) -> Problem:
        """Record the problem `key` of the catalogue (rules.py) at line and
        column, with the values its message and hint name."""
        p = rules.problem(key, self.path, line, col, self.line(line), **values)
        self.problems.append(p)
        return p

    def problem(self, line: int, col: int, rule: str, message: str, hint: str = "", severity="error") -> Problem:
        """Record a problem whose words are given: the checks use `found`,
        whose words come from the catalogue; tests build reference problems
        with this, to compare."""
        p = Problem(self.path, line, col, rule, message, hint, self.line(line), severity)
        self.problems.append(p)
        return p

    def at(self, key_path: tuple) -> Position:
        """Where a value is, falling back to its key, then to the top of the file."""
        for n in range(len(key_path), 0, -1):
            if key_path[:n] in self.positions:
                return self.positions[key_path[:n]]
        return Position(1, 1)


SEPARATOR_RE = re.compile("[\u2028\u2029]")


def _control_character(parsed: ParsedFile) -> bool:
    """Report the first raw control character in the file, with its line
    and column; True if there is one."""
    text = parsed.text
    control = (CONTROL_RE if text and max(text) > "\uffff" else CONTROL_BMP_RE).search(text)
    if not control and ("\u2028" in text or "\u2029" in text):
        # A line or paragraph separator, pasted from a PDF, ends a line to
        # YAML, which then said only that it expected a `:` (forty-eighth
        # round). In the front matter, said as itself; a body's is a space.
        end = text.find("\n" + FENCE, len(FENCE)) if text.startswith(FENCE) else -1
        control = SEPARATOR_RE.search(text, 0, end) if end > 0 else None
    if not control:
        return False
    line = parsed.text.count("\n", 0, control.start()) + 1
    col = control.start() - (parsed.text.rfind("\n", 0, control.start()) + 1) + 1
    char = control.group()
    parsed.found(line, col, "control-character", what=characters.what(char), code=ord(char),
                 written=characters.escape(char))
    return True


def read(path: str, raw: bytes) -> ParsedFile:
    """Parse one resource file's bytes. Problems are collected, never raised."""
    parsed = ParsedFile(path)
    if len(raw) > MAX_FILE_BYTES:
        parsed.found(1, 1, "too-large", size=len(raw) / 1024, limit=MAX_FILE_BYTES // 1024)
        return parsed
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        parsed.found(line, col, "encoding", byte=raw[error.start])
        return parsed
    # Line breaks as YAML, Python-Markdown and MkDocs read them: a lone CR
    # is one too. Kept as it was, a body of CR-ended lines was one line to
    # every line-based budget, and 600 nested lists crashed the converter.
    parsed.text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _control_character(parsed):
        return parsed
    lines = parsed.text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        parsed.found(1, 1, "front-matter-missing")
        return parsed
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if closing is None:
        parsed.found(1, 1, "front-matter-unclosed")
        return parsed
    yaml_text = "\n".join(lines[1:closing]) + "\n"
    parsed.body = "\n".join(lines[closing + 1:])
    parsed.body_line = closing + 2
    if len(yaml_text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        parsed.found(1, 1, "too-large/front-matter", limit=MAX_FRONT_MATTER_BYTES // 1024)
        return parsed
    _parse_yaml(parsed, yaml_text, first_line=2)
    return parsed


def _mark(mark, first_line: int) -> tuple[int, int]:
    return mark.line + first_line, mark.column + 1


def _too_deep(yaml_text: str, loader_class):
    """The first event nested deeper than MAX_DEPTH, from the event stream.

    Composing a node tree is recursive in PyYAML, and so is our walk over it:
    a thousand nested lists would end in RecursionError. The event stream is
    flat, so depth is counted before anything recursive runs.
    """
    depth = 0
    for event in yaml.parse(yaml_text, Loader=loader_class):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def _parse_yaml(parsed: ParsedFile, yaml_text: str, first_line: int) -> None:
    careful = _FastLoader is None or any(c in yaml_text for c in "&*!")
    loader_class = _Loader if careful else _FastLoader
    try:
        deep = _too_deep(yaml_text, loader_class)
    except yaml.YAMLError:
        deep = None  # reported below, with its position, by the full parse
    if deep is not None:
        line, col = _mark(deep.start_mark, first_line)
        parsed.found(line, col, "too-deep", limit=MAX_DEPTH)
        return
    loader = loader_class(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None or not isinstance(node, yaml.MappingNode):
            line, col = _mark(node.start_mark, first_line) if node is not None else (1, 1)
            parsed.found(line, col, "front-matter-not-mapping")
            return
        _walk(parsed, node, (), first_line)
        if any(p.is_error for p in parsed.problems):
            return
        parsed.data = loader.construct_document(node)
    except _Refused as refused:
        line, col = _mark(refused.mark, first_line)
        parsed.found(line, col, refused.key, **refused.values)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        unclosed = _unclosed(error)
        if unclosed:
            # A `[` or `{` never closed: YAML notices on a later line; the
            # mistake is where it opened.
            line, col = _mark(error.context_mark, first_line)
            parsed.found(line, col, "yaml-syntax/unclosed", opening=unclosed[0], closing=unclosed[1],
                         example=_closed(parsed.line(line), unclosed))
            return
        line, col = _mark(mark, first_line) if mark else (1, 1)
        key, values = _yaml_hint(error, parsed.line(line))
        parsed.found(line, col, key, error=error.problem or error.context, **values)
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        # Errors without a position (the reader's, or a constructor's).
        parsed.found(1, 1, "yaml-syntax/unread", error=error)
    finally:
        loader.dispose()


def _unclosed(error) -> tuple[str, str] | None:
    """("[", "]") or ("{", "}") when the error is a flow collection left open
    on its own line (the problem is found on a later line)."""
    context = str(error.context or "")
    kind = ("[", "]") if "flow sequence" in context else ("{", "}") if "flow mapping" in context else None
    if kind and error.context_mark and error.problem_mark and error.problem_mark.line > error.context_mark.line:
        return kind
    return None


def _closed(source_line: str, brackets: tuple[str, str]) -> str:
    text = source_line.rstrip().rstrip(",")
    return text + brackets[1] if text.strip() else f"topics: {brackets[0]}housing{brackets[1]}"


def _yaml_hint(error, source_line: str) -> tuple[str, dict]:
    """The catalogue's key for the likeliest mistake, and its values."""
    problem = str(error.problem or "")
    if "\\t" in problem or "\t" in source_line[: len(source_line) - len(source_line.lstrip())]:
        return "yaml-syntax/tabs", {}
    if "mapping values are not allowed" in problem:
        # The contributor's own line, quoted, ready to paste.
        key, _, value = source_line.partition(": ")
        value = value.strip()
        if key.strip() and value and not value.startswith(("'", '"')) and '"' not in value:
            return "yaml-syntax/colon-paste", {"key": key.rstrip(), "value": value}
        return "yaml-syntax/colon", {}
    if "could not find expected ':'" in problem:
        return "yaml-syntax/no-colon", {}
    return "yaml-syntax", {}


def _walk(parsed: ParsedFile, node, path: tuple, first_line: int) -> None:
    """Record positions; refuse non-plain tags and duplicate keys."""
    if node.tag not in PLAIN_TAGS:
        line, col = _mark(node.start_mark, first_line)
        raise _Refused("yaml-tag", node.start_mark, tag=node.tag)
    line, col = _mark(node.start_mark, first_line)
    end_line, end_col = _mark(node.end_mark, first_line)
    is_scalar = isinstance(node, yaml.ScalarNode)
    if is_scalar and node.tag == INT_TAG and len(node.value) > MAX_NUMBER_DIGITS:
        # Python refuses to read an int this long, with a message of its own
        # and no position.
        if path:
            raise _Refused("wrong-type/long-number", node.start_mark, key=path[0], digits=len(node.value))
        raise _Refused("wrong-type/long-number-top", node.start_mark, digits=len(node.value))
    # libyaml gives a plain scalar the style "", PyYAML None.
    parsed.positions[path] = Position(line, col, plain=is_scalar and not node.style,
                                      end_col=end_col if end_line == line else 0,
                                      text=node.value if is_scalar else "")
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag not in PLAIN_TAGS:
                raise _Refused("yaml-tag/key", key_node.start_mark, tag=key_node.tag)
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
            key_line, key_col = _mark(key_node.start_mark, first_line)
            if key in seen:
                parsed.found(key_line, key_col, "duplicate-key", key=key, first=seen[key])
                continue
            seen[key] = key_line
            if not path:
                parsed.key_positions[key] = Position(key_line, key_col)
            _walk(parsed, value_node, path + (key,), first_line)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(parsed, item, path + (index,), first_line)


def read_yaml(path: str, raw: bytes) -> ParsedFile:
    """A whole YAML data file (the vocabulary), parsed as strictly as front
    matter, with a position for every value."""
    parsed = ParsedFile(path)
    try:
        parsed.text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        parsed.found(1, 1, "encoding/yaml")
        return parsed
    if _control_character(parsed):
        return parsed
    _parse_yaml(parsed, parsed.text, first_line=1)
    return parsed
