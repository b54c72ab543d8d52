"""Characters no text value may hold, checked after YAML has decoded it.

The file's own text is checked for raw control characters when it is read
(frontmatter.CONTROL_RE), but a double-quoted YAML scalar decodes escapes:
`"a\\x01b"`, `"\\e[2J"`, `"\\uFFFE"`, `"\\r"` and `"\\u202E"` are plain ASCII
in the file and control characters in the value. lxml refuses them in the
feeds (a traceback), a bare CR ends a calendar line, and U+202E shows a
speaker's name backwards. So every string value is checked again, here.

Refused everywhere: C0 controls but tab and line feed (CR included: YAML
reads a raw CR as a line break, so a CR in a value was typed as `\\r`), DEL
and C1, the bidirectional embeddings, overrides and isolates (U+202A-202E,
U+2066-2069), lone surrogates and noncharacters (U+FDD0-FDEF and the last
two code points of every plane). Tab is refused too, except in the fields
that hold sentences over several lines (summaries, descriptions).

Allowed on purpose: the left-to-right and right-to-left marks (U+200E,
U+200F, U+061C). They are invisible, but they only settle where neutral
characters such as brackets go in mixed Arabic or Hebrew and English text;
they cannot turn a run of letters round as an override does.
"""
from __future__ import annotations

import functools
import json
import re

NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane + 0xFFFE) + chr(plane + 0xFFFF)
                                          for plane in range(0, 0x110000, 0x10000))
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# As a character class's contents, so that other classes can reuse it.
FORBIDDEN = "\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CONTROLS + "\ud800-\udfff" + NONCHARACTERS
FORBIDDEN_RE = re.compile(f"[{FORBIDDEN}]")
FORBIDDEN_ONE_LINE_RE = re.compile(f"[\t{FORBIDDEN}]")  # line feeds have a rule of their own
# What `escaped` writes as an escape: the above, and tab and line feed.
SHOWN_ESCAPED_RE = re.compile(f"[\t\n{FORBIDDEN}]")
SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\x1b": "\\x1b"}
PASTE_CHARS = 150  # a value up to this long gets a line to paste
HINT_VALUE_CHARS = 60  # of a long value, the hint shows this much around the character


def escape(char: str) -> str:
    """One character as it would be typed in a double-quoted YAML value:
    `\\x01`, `\\r`, `\\u202e`."""
    code = ord(char)
    if char in SHORT_ESCAPES:
        return SHORT_ESCAPES[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escaped(text: str) -> str:
    """`text` with every character of SHOWN_ESCAPED_RE written as an escape:
    safe to print to a terminal or to write into a report."""
    return SHOWN_ESCAPED_RE.sub(lambda match: escape(match.group()), text)


def what(char: str) -> str:
    """The character, as a contributor would understand it."""
    code = ord(char)
    if char == "\t":
        return "a tab"
    if char == "\r":
        return "a carriage return"
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return "a character that changes the direction of the text after it"
    if 0xD800 <= code <= 0xDFFF:
        return "half of a surrogate pair, not a character on its own"
    if code >= 0xFDD0:
        return "a noncharacter, a code point that is never text"
    return "an invisible control character"


def find(value: str, multi_line: bool) -> re.Match | None:
    """The first refused character in a value, or None."""
    return (FORBIDDEN_RE if multi_line else FORBIDDEN_ONE_LINE_RE).search(value)


def cleaned(value: str, multi_line: bool) -> str:
    """The value without what `find` refuses: a tab or a carriage return
    between two words becomes a space, anything else is deleted."""
    regex = FORBIDDEN_RE if multi_line else FORBIDDEN_ONE_LINE_RE
    out, done = [], 0
    for match in regex.finditer(value):
        out.append(value[done:match.start()])
        done = match.end()
        before = "".join(out)[-1:]
        if match.group() in "\t\r" and before.strip() and value[done:done + 1].strip():
            out.append(" ")
        elif not before.strip() and value[done:done + 1] == " ":
            done += 1  # `a \x01 b` becomes `a b`, not `a  b`
    return "".join(out) + value[done:]


def source_col(line: str, col: int, index: int) -> int:
    """The column where the `index`th character of a value starting at
    `col` (1-based) is typed, when the whole value is on this line: in a
    double-quoted value an escape such as `\\x01` is one character of the
    value, in a single-quoted one `''` is."""
    start = col - 1
    quote = line[start:start + 1]
    at = start + 1 if quote in ("'", '"') else start
    for _ in range(index):
        if at >= len(line):
            return col
        if quote == '"' and line[at] == "\\":
            at += {"x": 4, "u": 6, "U": 10}.get(line[at + 1:at + 2], 2)
        elif quote == "'" and line[at:at + 2] == "''":
            at += 2
        else:
            at += 1
    return at + 1 if at < len(line) else col


def problem_text(name: str, value: str, match: re.Match, multi_line: bool,
                 key: str | None = None) -> tuple[str, dict]:
    """(the catalogue's key, its values) for a refused character found by
    `find`: the value shown with it escaped, and what to do (rules.py has
    the words). `key`: what is typed before the value on its line
    (`title:`, `- name:`), for a short value's line to paste, without the
    character."""
    char = match.group()
    count = len((FORBIDDEN_RE if multi_line else FORBIDDEN_ONE_LINE_RE).findall(value))
    more = f" (and {count - 1} more)" if count > 1 else ""
    values = dict(name=name, what=what(char), code=ord(char), written=escape(char), more=more)
    start = max(0, match.start() - HINT_VALUE_CHARS // 2)
    shown = ("…" if start else "") + escaped(value[start:start + HINT_VALUE_CHARS]) \
        + ("…" if start + HINT_VALUE_CHARS < len(value) else "")
    values["action"] = "Replace it with a space" if char in "\t\r" else "Delete it"
    fixed = cleaned(value, multi_line)
    if key and len(fixed) <= PASTE_CHARS and "\n" not in fixed.strip():
        paste = f"{key} " + json.dumps(fixed.strip(), ensure_ascii=False)
        return "control-character/paste", dict(values, shown=shown, paste=paste)
    return "control-character/escape", dict(values, shown=shown)


# Typst shapes a letter and its combining marks as one cluster, in time
# that grows faster than the cluster: 13 letters each with 19,000 accents
# took a briefing's PDF 20 s, and 65,534 on a topic's name made Typst panic
# (fourteenth attacker). A script's real clusters hold a few marks. Bodies,
# front matter, the vocabulary and editors' pages alike.
MAX_COMBINING_MARKS = 16


@functools.lru_cache(maxsize=1)
def combining_run_re() -> re.Pattern:
    """More than MAX_COMBINING_MARKS combining marks in a row, of every
    script: the marks (Mn, Me, Mc) of the Basic Multilingual Plane and the
    blocks of marks beyond it, found once, when a body is not ASCII."""
    import unicodedata
    marks = "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.category(chr(c)) in ("Mn", "Me", "Mc")
                    and not 0xD800 <= c <= 0xDFFF)
    beyond = "\U0001D165-\U0001D169\U0001D16D-\U0001D172\U0001D17B-\U0001D182\U0001D185-\U0001D18B" \
             "\U0001D1AA-\U0001D1AD\U000E0100-\U000E01EF"
    return re.compile("[%s%s]{%d,}" % (re.escape(marks), beyond, MAX_COMBINING_MARKS + 1))


def shows_something(value: str) -> bool:
    """Whether a reader sees anything of `value`: a title of Hangul fillers
    (U+3164) or soft hyphens is an empty-looking link in every listing
    (twentieth round)."""
    from .links import IGNORABLE_RE
    return bool("".join(IGNORABLE_RE.sub("", value).replace("\u2800", "").split()))


def check_value(parsed, path: tuple, name: str, value: str, multi_line: bool):
    """(line, col, key, values) for the first refused character in the
    value at `path` of a frontmatter.ParsedFile, or None: a control or
    invisible character, or a letter carrying more than MAX_COMBINING_MARKS
    marks. The column is the character's own when the value is on one line
    (the `\\x01` as typed)."""
    match = find(value, multi_line)
    if match is None:
        marks = combining_run_re().search(value) if not value.isascii() else None
        if marks is None:
            if value.strip() and not value.isascii() and not shows_something(value):
                pos = parsed.at(path)
                return pos.line, pos.col, "bad-value/invisible", {"name": name}
            return None
        pos = parsed.at(path)
        source = parsed.line(pos.line)
        col = source_col(source, pos.col, marks.start()) if pos.end_col else pos.col
        return pos.line, col, "too-complex/marks", {"count": len(marks.group(0)), "limit": MAX_COMBINING_MARKS}
    pos = parsed.at(path)
    source = parsed.line(pos.line)
    on_one_line = bool(pos.end_col)
    col = source_col(source, pos.col, match.start()) if on_one_line else pos.col
    key = source[:pos.col - 1].strip() if on_one_line else ""
    return (pos.line, col) + problem_text(name, value, match, multi_line, key or None)


# What some reader takes for the end of a line: in a calendar, CR or LF ends
# a property, and what follows is read as a property of its own.
LINE_BREAKS_RE = re.compile("[\r\n\x0b\x0c\x85\u2028\u2029]+")
OTHER_BREAK_RE = re.compile("[\r\x0b\x0c\x85\u2028\u2029]")


def for_output(value: str, one_line: bool = True) -> str:
    """A value as a writer puts it out, whatever got past the checks: line
    breaks made one space (one line) or LF (several), and every refused
    character deleted. The checks refuse all of these first; this is the
    writers' own guard, so that no value can end a calendar property or
    stop lxml with a traceback."""
    if one_line:
        value = LINE_BREAKS_RE.sub(" ", value)
    elif LINE_BREAKS_RE.search(value.replace("\n", "")):
        value = OTHER_BREAK_RE.sub("\n", value.replace("\r\n", "\n"))
    return FORBIDDEN_RE.sub("", value) if FORBIDDEN_RE.search(value) else value
