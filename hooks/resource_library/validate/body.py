"""Rules on a resource's body: budgets that keep the Markdown converter
fast, then script, elements pages cannot show, placeholders, alt text."""
from __future__ import annotations

import re
from html import unescape

from .. import characters, links, rules
from ..frontmatter import ParsedFile
from ..pdf import MAX_NESTING, MAX_START_DIGITS, MAX_TABLE_CELLS, MAX_TABLE_COLUMNS, TYPES as PDF_TYPES
from ..characters import MAX_COMBINING_MARKS, combining_run_re  # noqa: F401 (validate's names for them)
from ..sanitize import ADMONITIONS, ATTRIBUTES, CLASSES, ID_RE, RESERVED_ID_RE, STYLE_PROPERTIES, TAGS as ALLOWED_TAGS
from .patterns import ELEMENT_RE, HANDLER_RE, JS_URL_RE, PLACEHOLDER, SCRIPT_RE, _may_hold_js_url

# Python-Markdown takes quadratic time on some inputs: `[` within one
# paragraph, and tags left open across the document (40,000 `<a ` took
# 190 s). Real resources stay far below these limits.
MAX_LINE_CHARS = 20_000
MAX_INDENT = 48  # columns; Python-Markdown recurses once per level of nested list
MAX_BRACKETS_PER_BLOCK = 500
MAX_BRACKETS = 3_000
MAX_OPEN_TAGS = 100
# Python-Markdown's tables take about 40 microseconds a cell: a 512 KB
# body of `|b` cells, 250,000 of them, took 9 s to convert. 20,000 `|`
# make tables of some 20,000 cells, under a second; a table that size is
# data, better a spreadsheet in files/.
MAX_PIPES = 20_000
# Python-Markdown's fenced_code reads a line that starts as a fence (```,
# ~~~) once for each space on it: five lines of ``` and 10,000 spaces took
# 12 s; at 200 characters a 512 KB body of them took 3 s, at 60 under one.
MAX_FENCE_LINE = 60
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
# The catalogue's variant of too-many-elements for each kind.
BLOCK_ELEMENT_KEYS = {kind: "too-many-elements/" + kind.replace(" ", "-") for kind in MAX_BLOCK_ELEMENTS}
BLOCK_ELEMENT_HINTS = {kind: rules.message(key).hint for kind, key in BLOCK_ELEMENT_KEYS.items()}
# Python-Markdown looks for a code span's closing run of backticks by
# reading to the paragraph's end, once for each length of run that never
# closes: runs of 1 to 1,010 backticks took the build 62 s. A real
# paragraph has runs of one to three lengths.
MAX_BACKTICK_LENGTHS = 8
BACKTICKS_RE = re.compile(r"`+")
ATX_HEADING_RE = re.compile(r" {0,3}#{1,6}(?:[ \t]|$)")
SETEXT_OR_BREAK_RE = re.compile(r" {0,3}(?:(=+|-+)[ \t]*|([-*_])[ \t]*(?:\2[ \t]*){2,})$")
REFERENCE_DEFINITION_RE = re.compile(r" {0,3}\[[^\]]+\]:")
ADMONITION_RE = re.compile(r" {0,3}(?:!!!|\?\?\?)")
# Its classes as the admonition extension reads them (its RE): `!!! note "Title"`.
ADMONITION_CLASSES_RE = re.compile(r" {0,3}(?:!!!|\?\?\?\+?) ?([\w\-]+(?: +[\w\-]+)*)")
BLOCK_STARTS = frozenset(" #=-*_[!?")  # the first character of every line those match
# White space of more than MAX_INDENT / 4 characters at the start of a line
# (after a newline, or at the start of the body): only such a line can be
# indented past MAX_INDENT columns, a tab being at most 4.
DEEP_INDENT_RE = re.compile(r"[^\S\n]{%d}" % (MAX_INDENT // 4 + 1))
NEXT_LINE_DEEP_INDENT_RE = re.compile(r"\n[^\S\n]{%d}" % (MAX_INDENT // 4 + 1))
# Inside a quote the indentation after its `>` nests lists just the same:
# `>` and 4 spaces more a line took the converter 250 lists deep.
QUOTE_MARKERS_RE = re.compile(r"(?:[ \t]*>[ ]?)+")
DEEP_QUOTED_INDENT_RE = re.compile(r"(?m)^(?:[ \t]*>)+[^\S\n]{%d}" % (MAX_INDENT // 4))
# Lists and quotes opened at the start of one line (`- - - x`, `> 1. > x`)
# nest like indented ones, a level of the converter's recursion each: 600
# `- ` on one line exhausted Python's stack (found by a fresh-clone attacker).
MAX_NESTED_ON_A_LINE = 12
CONTAINER_RE = re.compile(r"[ \t]*+(?:>|(?:[-*+]|\d{1,9}[.)])[ \t])")
NESTED_START_RE = re.compile(r"(?m)^(?:[ \t]*+(?:>|(?:[-*+]|\d{1,9}[.)])[ \t])){%d}" % (MAX_NESTED_ON_A_LINE + 1))


def check_complexity(parsed: ParsedFile) -> bool:
    """Refuse bodies that would take Python-Markdown minutes or hours, before
    it ever sees them. True when the body is fit to check further."""
    lines = parsed.body.split("\n")
    # Each rule below is first checked on the whole body, cheaply; the line
    # by line search, which says where, runs only when it could find something.
    long_or_deep = max(map(len, lines)) > MAX_LINE_CHARS or DEEP_INDENT_RE.match(parsed.body) or \
        NEXT_LINE_DEEP_INDENT_RE.search(parsed.body) or (">" in parsed.body and DEEP_QUOTED_INDENT_RE.search(parsed.body))
    for number, line in enumerate(lines if long_or_deep else ()):
        if len(line) > MAX_LINE_CHARS:
            parsed.found(parsed.body_line + number, 1, "too-complex/line", length=len(line), limit=MAX_LINE_CHARS)
            return False
        quoted = QUOTE_MARKERS_RE.match(line) if ">" in line else None
        rest = line[quoted.end():] if quoted else line
        indent = len(rest.expandtabs(4)) - len(rest.expandtabs(4).lstrip())
        if indent > MAX_INDENT:
            parsed.found(parsed.body_line + number, 1, "too-complex/indent", indent=indent, limit=MAX_INDENT)
            return False
    for match in NESTED_START_RE.finditer(parsed.body):
        start = parsed.body.rfind("\n", 0, match.start()) + 1
        line = parsed.body[start:parsed.body.find("\n", start) % (len(parsed.body) + 1)]
        if SETEXT_OR_BREAK_RE.match(line):
            continue  # `- - - - ...` alone on its line is a thematic break
        at, count = 0, 0
        while (opened := CONTAINER_RE.match(line, at)) is not None:
            at, count = opened.end(), count + 1
        parsed.found(parsed.body_line + parsed.body.count("\n", 0, start), 1, "too-complex/nesting",
                     count=count, limit=MAX_NESTED_ON_A_LINE)
        return False
    brackets, block_brackets, block_start = 0, 0, 0
    # No paragraph can hold more `[` than the whole body.
    for number, line in enumerate(lines + [""] if parsed.body.count("[") > MAX_BRACKETS_PER_BLOCK else ()):
        if not line.strip():
            if block_brackets > MAX_BRACKETS_PER_BLOCK:
                parsed.found(parsed.body_line + block_start, 1, "too-complex/paragraph", count=block_brackets,
                             limit=MAX_BRACKETS_PER_BLOCK)
                return False
            block_brackets, block_start = 0, number + 1
            continue
        count = line.count("[")
        block_brackets += count
        brackets += count
    if brackets > MAX_BRACKETS:
        parsed.found(parsed.body_line, 1, "too-complex/brackets", count=brackets, limit=MAX_BRACKETS)
        return False
    if not parsed.body.isascii() and (marks := combining_run_re().search(parsed.body)):
        start = parsed.body.rfind("\n", 0, marks.start()) + 1
        parsed.found(parsed.body_line + parsed.body.count("\n", 0, start), marks.start() - start + 1,
                     "too-complex/marks", count=len(marks.group(0)), limit=MAX_COMBINING_MARKS)
        return False
    for number, line in enumerate(lines if "```" in parsed.body or "~~~" in parsed.body else ()):
        if len(line) > MAX_FENCE_LINE and line.startswith(("```", "~~~")):
            parsed.found(parsed.body_line + number, 1, "too-complex/fence", length=len(line), limit=MAX_FENCE_LINE)
            return False
    if parsed.body.count("|") > MAX_PIPES:
        seen = 0
        for number, line in enumerate(lines):
            seen += line.count("|")
            if seen > MAX_PIPES:
                parsed.found(parsed.body_line + number, 1, "too-complex/pipes", count=parsed.body.count("|"),
                             limit=MAX_PIPES)
                return False
    # Each unclosed tag starts at a `<` of its own.
    open_tags = [m for m in OPEN_TAG_RE.finditer(parsed.body)] if parsed.body.count("<") > MAX_OPEN_TAGS else []
    if len(open_tags) > MAX_OPEN_TAGS:
        first = open_tags[0].start()
        line = parsed.body.count("\n", 0, first)
        parsed.found(parsed.body_line + line, first - (parsed.body.rfind("\n", 0, first) + 1) + 1,
                     "too-complex/open-tags", count=len(open_tags))
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


def check_backticks(parsed: ParsedFile) -> bool:
    """Refuse a paragraph whose unclosed backtick runs come in more than
    MAX_BACKTICK_LENGTHS lengths, at its first line. True when none does."""
    lengths: set[int] = set()
    start = 0
    # Every run outside code blocks counts, code spans' too: Python-Markdown
    # may pair runs across lines otherwise than a line by line reading does.
    for number, (line, seen) in enumerate(zip(parsed.body.split("\n") + [""], parsed.body_lines + [""])):
        if line.strip() and not seen:
            continue  # a line of a fenced or indented code block
        if not line.strip():
            if len(lengths) > MAX_BACKTICK_LENGTHS:
                shown = sorted(lengths)
                parsed.found(parsed.body_line + start, 1, "too-complex/backticks", count=len(shown),
                             limit=MAX_BACKTICK_LENGTHS,
                             lengths=", ".join(map(str, shown[:5])) + (", ..." if len(shown) > 5 else ""))
                return False
            lengths, start = set(), number + 1
        elif "`" in line:
            lengths.update(len(run) for run in BACKTICKS_RE.findall(line))
    return True


def check_block_elements(parsed: ParsedFile) -> bool:
    """Refuse a body with more of any kind of element than Python-Markdown
    parses in reasonable time (MAX_BLOCK_ELEMENTS), at the first one over
    the limit. True when the body is within every limit."""
    if "`" in parsed.body and not check_backticks(parsed):
        return False
    counted = count_block_elements(parsed.body_lines)
    for kind, numbers in counted.items():
        limit = MAX_BLOCK_ELEMENTS[kind]
        if len(numbers) > limit:
            line = numbers[limit]
            parsed.found(parsed.body_line + line, 1, BLOCK_ELEMENT_KEYS[kind], count=len(numbers), kind=kind,
                         limit=limit, number=limit + 1)
            return False
    for number in counted["admonitions"]:
        # `!!! note inline end` gives the note the classes `inline` and `end`
        # (Material's side notes), which the allow-list removes, as it does a
        # type it does not know: said here, so that validate agrees.
        match = ADMONITION_CLASSES_RE.match(parsed.body_lines[number])
        extra = [c for c in (match.group(1).lower().split() if match else []) if c not in ADMONITIONS]
        if extra:
            parsed.found(parsed.body_line + number, match.start(1) + 1, "unsafe-html/admonition", kind=extra[0],
                         allowed=", ".join(sorted(ADMONITIONS - {"admonition"})))
    return True


# An image with no words for those who cannot see it: `![](x.png)`, or an
# <img> with no alt, or an empty one. Its web page fails WCAG 1.1.1, and its
# PDF cannot be PDF/UA.
NO_ALT_RE = re.compile(r"!\[\s*\]\(|<img\b(?![^<>]*\balt\s*=\s*(?:\"[^\"]*[^\s\"][^\"]*\"|'[^']*[^\s'][^']*'|[^\s\"'>]))"
                       r"[^<>]*>", re.I)


# attr_list's `{: #id .class key="value" }` (or without the colon): the
# sanitiser removes what it gives but an id of our own, a table cell's
# alignment aside; said here too, at the braces, so that validate agrees.
ATTR_TOKEN = r"""(?:[#.][\w-]+|[\w-]+(?:=(?:"[^"\n]*"|'[^'\n]*'|[^\s}"']+))?)"""
# As attr_list reads one (its BASE_RE), to the first `}`: its scanner takes
# names and values that ATTR_TOKEN does not (`x:y=1`, `tabindex=1"2`), which
# then passed validate and were removed in the build (eighteenth attacker).
ATTR_LIST_RE = re.compile(r"\{:?[ ]*+([^}\n ][^}\n]*+)\}")
ATTR_TOKEN_RE = re.compile(ATTR_TOKEN)
PAGE_ATTRIBUTES = frozenset().union(*ATTRIBUTES.values()) - {"style"}


def _refused_attribute(tokens: str) -> str:
    """What in an attribute list the allow-list would remove ('' for nothing),
    its tokens read by attr_list's own scanner."""
    from markdown.extensions.attr_list import get_attrs_and_remainder
    for name, value in get_attrs_and_remainder(tokens)[0]:
        token = f".{value}" if name == "." else (f"#{value}" if name == "id" else name)
        if name == "id":
            ident = value or ""
            if RESERVED_ID_RE.search(ident):
                return f"the id `{ident}`, which the site keeps for its own use"
            if not ID_RE.match(ident):
                return (f"the id `{ident}`, which is not one a page can have (an id starts with a letter, as in "
                        f"`h-{ident}`, and holds at most 81 letters, digits, `-` and `_`)")
        elif token.startswith("."):
            return f"the class `{token[1:]}`, which pages cannot use"
        elif name.lower() not in PAGE_ATTRIBUTES:
            return f"the `{name}` attribute, which pages cannot use"
    return ""


# A raw tag's attributes, as the HTML parser reads them: the sanitiser's
# allow-list (sanitize.ATTRIBUTES, CLASSES) removes the rest in the build,
# which then refuses the page; said here, at the attribute.
RAW_TAG_RE = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*+)((?:\s++[^\s\"'>/=]++(?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'|[^\s\"'=<>`]++))?+)*+)\s*+/?>")
# Markdown the converter reads before raw tags: a link or an image
# (`[x](y)`, `[x][y]`). (A code span there is shown as text.)
MARKDOWN_IN_VALUE_RE = re.compile(r"\[[^\]]*\](?:\(|\[)")
RAW_ATTRIBUTE_RE = re.compile(r"""(?<!\s)\s++([^\s"'>/=]++)(?:\s*+=\s*+(?:"([^"]*+)"|'([^']*+)'|([^\s"'=<>`]++)))?+""")


# Classes a contributor may write: not `headerlink`, which the build gives a
# heading's own permalink and draws unseen (a link away wore it, twelfth attacker).
WRITTEN_CLASSES = {**CLASSES, "a": set()}


def refused_attributes(line: str):
    """(column, catalogue key, values) for each attribute in a line's raw
    tags that the allow-list removes. Event handlers are unsafe-html/handler's."""
    for tag in RAW_TAG_RE.finditer(line) if "<" in line else ():
        name = tag.group(1).lower()
        if name not in ALLOWED_TAGS:
            continue  # unsafe-html/element says so
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(name, set())
        for attribute in RAW_ATTRIBUTE_RE.finditer(tag.group(2)):
            key, col = attribute.group(1).lower(), tag.start(2) + attribute.start(1) + 1
            value = next((v for v in attribute.groups()[1:] if v is not None), "")
            if markdown := MARKDOWN_IN_VALUE_RE.search(value):
                # The converter makes links and code before it keeps raw
                # tags, so they become tags inside the value (forty-third
                # round: `<span title="[x](files/a.txt)">`).
                yield col, "unsafe-html/markdown-attribute", {"tag": name, "name": key, "written": markdown.group(0)}
                continue
            value = unescape(value)
            if key.startswith("on"):
                continue
            if key == "class":
                extra = [c for c in value.split() if c not in WRITTEN_CLASSES.get(name, ())]
                if extra:
                    yield col, "unsafe-html/css-class", {"tag": name, "value": " ".join(extra)}
            elif key == "target" and name == "a":
                yield col, "unsafe-html/target", {}
            elif key == "style":
                # A cell may be aligned (the tables extension writes text-align too).
                properties = {d.partition(":")[0].strip().lower() for d in value.split(";") if d.strip()}
                if "style" not in allowed or not properties <= STYLE_PROPERTIES:
                    yield col, "unsafe-html/style", {"tag": name}
            elif key not in allowed:
                yield col, "unsafe-html/attribute", {"tag": name, "name": key,
                                                    "allowed": ", ".join(f"`{a}`" for a in sorted(allowed))}
            elif key == "id" and RESERVED_ID_RE.search(value):
                yield col, "unsafe-html/id-reserved", {"tag": name, "value": value}
            elif key == "id" and not ID_RE.match(value):
                yield col, "unsafe-html/id-form", {"tag": name, "value": value}


# What a briefing's PDF can hold (pdf.Converter refuses the rest): checked
# here for the types that get one, on the body with code blanked.
TAG_TOKEN_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*+)((?:[^<>\"']++|\"[^\"]*+\"|'[^']*+')*+)>")
SPAN_RE = re.compile(r"""\b(colspan|rowspan)\s*=\s*["']?\s*(\d+)""", re.I)
START_RE = re.compile(r"""\bstart\s*=\s*["']?\s*(\d+)""", re.I)
MARKDOWN_START_RE = re.compile(r"[ ]{0,3}(\d+)\.[ ]+")
MARKDOWN_LONG_START_RE = re.compile(r"(?m)^[ ]{0,3}\d{10,}\.[ ]")
PIPE_DELIMITER_RE = re.compile(r"^[ \t]*+\|?[ \t]*+:?-++:?[ \t]*+(?:\|[ \t]*+:?-++:?[ \t]*+)*+\|?[ \t]*+$")
VOID = {"br", "hr", "img", "col", "wbr", "input", "area", "base", "embed", "link", "meta", "source", "track"}
# An element the HTML parser closes when the next of these opens (`<li>a<li>b`).
CLOSED_BY = {"li": {"li"}, "p": {"p", "div", "ul", "ol", "table", "blockquote", "pre", "dl", "h1", "h2", "h3",
                                 "h4", "h5", "h6", "hr", "details", "figure"},
             "td": {"td", "th", "tr"}, "th": {"td", "th", "tr"}, "tr": {"tr"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}}


def _markdown_depth(line: str) -> int:
    """Elements Markdown opens around a line's content, counted generously:
    a quote each `>`, a list and its item each marker or 4 columns of
    indentation, a table's four, a paragraph."""
    quoted = QUOTE_MARKERS_RE.match(line) if ">" in line[:64] else None
    rest = line[quoted.end():] if quoted else line
    depth = (quoted.group(0).count(">") if quoted else 0) + 1
    indent = len(rest.expandtabs(4)) - len(rest.expandtabs(4).lstrip())
    # Every list or quote opened at the start of the line (`- - - x`), not
    # only the first: twelve markers passed as one list (tenth attacker).
    at, opened = 0, 0
    while (marker := CONTAINER_RE.match(rest, at)) is not None and marker.end() > at:
        at, opened = marker.end(), opened + 1
    depth += 2 * (indent // 4) + 2 * opened + (4 if "|" in rest else 0)
    return depth


LIST_MARKER_RE = re.compile(r"[ \t]*(?:[-*+]|\d+[.)])[ \t]")
# Elements that draw their text smaller: one at a time.
SHRINKING = frozenset({"small", "sub", "sup"})


def check_pdf_budgets(parsed: ParsedFile) -> None:
    """Refuse, where it is, what the PDF converter would: a table whose grid
    is too big for Typst, elements nested too deep, a list number too long."""
    lines = parsed.body_lines
    stack: list[str] = []
    tables: list[dict] = []  # the open raw tables: rows, columns, grid rows, where
    pipe_table = None
    for number, line in enumerate(lines):
        file_line = parsed.body_line + number
        start = MARKDOWN_START_RE.match(line) if line[:4].lstrip(" ")[:1].isdigit() else None
        if start and len(start.group(1)) > MAX_START_DIGITS:
            parsed.found(file_line, 1, "too-complex-for-pdf/list-start", start=start.group(1),
                         digits=MAX_START_DIGITS)
        # A pipe table: its delimiter row says its columns; its rows run to a blank line.
        if pipe_table is not None and (not line.strip() or "|" not in line):
            pipe_table = None
        if pipe_table is not None:
            pipe_table["rows"] += 1
            _table_over(parsed, pipe_table)
        elif "-" in line and PIPE_DELIMITER_RE.match(line) and number and "|" in lines[number - 1] + line:
            columns = max(line.strip().strip("|").count("|"), lines[number - 1].strip().strip("|").count("|")) + 1
            pipe_table = {"columns": columns, "rows": 1, "grid": 1, "line": file_line - 1, "col": 1, "said": False}
            _table_over(parsed, pipe_table)
        if "<" not in line:
            continue
        outer = _markdown_depth(line)
        for match in TAG_TOKEN_RE.finditer(line):
            closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
            if closing:
                if name in stack:
                    while stack.pop() != name:
                        pass
                if name == "table" and tables:
                    tables.pop()
                elif name == "tr" and tables:
                    tables[-1]["in_row"] = False
                continue
            if name == "ol" and (found := START_RE.search(attributes)) and len(found.group(1)) > MAX_START_DIGITS:
                parsed.found(file_line, match.start() + 1, "too-complex-for-pdf/list-start", start=found.group(1),
                             digits=MAX_START_DIGITS)
            while stack and name in CLOSED_BY.get(stack[-1], ()):
                stack.pop()
            if name == "table":
                tables.append({"columns": 0, "rows": 0, "grid": 0, "row_columns": 0, "in_row": False,
                               "line": file_line, "col": match.start() + 1, "said": False})
            elif tables and (name == "tr" or (name in ("td", "th") and not tables[-1]["in_row"])):
                table = tables[-1]
                table["rows"], table["row_columns"], table["in_row"] = table["rows"] + 1, 0, True
                table["grid"] = max(table["grid"], table["rows"])
            if tables and name in ("td", "th"):
                table = tables[-1]
                spans = {key.lower(): int(value) for key, value in SPAN_RE.findall(attributes)}
                colspan = spans.get("colspan", 1) if 0 < spans.get("colspan", 1) < 100 else 1
                rowspan = spans.get("rowspan", 1) if 0 < spans.get("rowspan", 1) < 100 else 1
                table["row_columns"] += colspan
                table["columns"] = max(table["columns"], table["row_columns"])
                table["grid"] = max(table["grid"], table["rows"] - 1 + rowspan)
                _table_over(parsed, table)
            if name in VOID or attributes.rstrip().endswith("/"):
                continue
            # What the HTML parser puts in itself, as the PDF's converter
            # sees it: a row straight in a table gets a <tbody>, a cell a
            # <tr> (fifteenth attacker: 16 tables deep passed validate, and
            # the PDF, counting four elements a table, refused them).
            # Text a reader cannot see, that the link checks would read
            # (twenty-third round: 20 `<small>` deep drew `evil.example/`
            # at 0.18 px before `www.gov.scot`; a closed `<details>` in a
            # link hid what followed).
            if name in SHRINKING and sum(tag in SHRINKING for tag in stack) == 1:  # said once a nest
                outer_tag = next(tag for tag in stack if tag in SHRINKING)
                parsed.found(file_line, match.start() + 1, "misleading-link/shrunk", tag=name, outer=outer_tag)
            elif name == "details" and "a" in stack:
                parsed.found(file_line, match.start() + 1, "misleading-link/folded")
            if name == "tr" and stack and stack[-1] == "table":
                stack.append("tbody")
            elif name in ("td", "th") and stack and stack[-1] in ("table", "tbody", "thead", "tfoot"):
                stack += ["tbody", "tr"] if stack[-1] == "table" else ["tr"]
            stack.append(name)
            if outer + len(stack) > MAX_NESTING:
                parsed.found(file_line, match.start() + 1, "too-complex-for-pdf/nesting", limit=MAX_NESTING)
                return


def _table_over(parsed: ParsedFile, table: dict) -> None:
    """Say once, at the table's start, that its grid is over the budget."""
    grid = max(table["grid"], table["rows"])
    if table["said"] or (table["columns"] <= MAX_TABLE_COLUMNS and table["columns"] * grid <= MAX_TABLE_CELLS):
        return
    table["said"] = True
    parsed.found(table["line"], table["col"], "too-complex-for-pdf/table", columns=table["columns"], rows=grid,
                 cells=table["columns"] * grid, max_columns=MAX_TABLE_COLUMNS, max_cells=MAX_TABLE_CELLS)


CHARACTER_REFERENCE_RE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _referenced(match: re.Match) -> str | None:
    """The character a numeric reference stands for, as an HTML parser
    reads it (C1 references are Windows-1252's, and so harmless)."""
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if 0x80 <= code <= 0x9F:
        return None  # `&#150;` is an en dash to a browser
    try:
        return chr(code)
    except (ValueError, OverflowError):
        return "\ufffd"


# A tag written over several lines (`<td\n>`, `<span\nclass="x">`) is one
# tag to the HTML parser: each is put on its first line, so that the line
# by line checks see it whole (tenth attacker), and what followed it on its
# last line keeps that line.
TAG_OVER_LINES_RE = re.compile(r"<[a-zA-Z/][^<>]*+>")


def joined_tags(lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    if "<" not in text:
        return lines

    def joined(match: re.Match) -> str:
        tag = match.group(0)
        return tag.replace("\n", " ") + "\n" * tag.count("\n") if "\n" in tag else tag
    return TAG_OVER_LINES_RE.sub(joined, text).split("\n")


# What comes before an address in angle brackets: a link's `](` or a definition's `[label]:`.
ANGLE_ADDRESS_BEFORE_RE = re.compile(r"(?:\]\(\s*|^\s{0,3}\[[^\]]+\]:\s*)$")


EMPTY_COMMENT_RE = re.compile(r"<!---?>")


def check_body(parsed: ParsedFile) -> None:
    if not check_complexity(parsed):
        parsed.body_lines = []
        return
    parsed.body_lines = joined_tags(links.blank_code(parsed.body))
    if not check_block_elements(parsed):
        parsed.body_lines = []
        return
    if parsed.path.split("/", 1)[0] in PDF_TYPES and ("<" in parsed.body or "|" in parsed.body
                                                       or MARKDOWN_LONG_START_RE.search(parsed.body)):
        check_pdf_budgets(parsed)
    # A match within a line is a match in the whole text, so a text without
    # one needs no line by line search (most bodies have none).
    text = "\n".join(parsed.body_lines)
    unsafe = [(regex, key) for regex, key in ((SCRIPT_RE, "unsafe-html/script"),
                                              (HANDLER_RE, "unsafe-html/handler"),
                                              (JS_URL_RE, "unsafe-html/javascript"))
              if (regex is not JS_URL_RE or _may_hold_js_url(text)) and regex.search(text)]
    # Elements the sanitiser would remove in the build (an iframe, a form):
    # said here too, so that `make validate` gives no all-clear for them.
    refused = {name.lower() for name in ELEMENT_RE.findall(text)} - ALLOWED_TAGS - {"script"} if "<" in text else ()
    no_alt = ("![" in text or "<img" in text.lower()) and NO_ALT_RE.search(text)
    attr_lists = "{" in text and ATTR_LIST_RE.search(text) is not None
    raw_tags = "<" in text and "=" in text
    references = "&#" in text
    # `<!-->` and `<!--->`: empty, whole comments to a browser; Markdown
    # reads to the next `-->` (forty-third round: a link between them was
    # live on the page, and its address was not made relative).
    empty_comments = "<!--" in text and EMPTY_COMMENT_RE.search(text) is not None
    if (not unsafe and not refused and not no_alt and not attr_lists and not raw_tags and not references
            and not empty_comments and PLACEHOLDER + ":" not in text):
        return
    for number, line in enumerate(parsed.body_lines):
        file_line = parsed.body_line + number
        for match in CHARACTER_REFERENCE_RE.finditer(line) if references and "&#" in line else ():
            # `&#x202E;` is the right-to-left override itself once the page
            # is read (`report&#x202E;fdp.exe` shows "reportexe.pdf"): the same
            # characters as typed ones are refused, written as references.
            char = _referenced(match)
            if char is not None and characters.FORBIDDEN_RE.match(char):
                parsed.found(file_line, match.start() + 1, "control-character", what=characters.what(char),
                             code=ord(char), written=match.group(0))
        for match in EMPTY_COMMENT_RE.finditer(line) if empty_comments else ():
            parsed.found(file_line, match.start() + 1, "unsafe-html/comment", written=match.group(0))
        for regex, key in unsafe:
            match = regex.search(line)
            if match:
                parsed.found(file_line, match.start() + 1, key)
        if refused and "<" in line:
            for match in ELEMENT_RE.finditer(line):
                # `[x](<files/a b.csv>)` and `[r]: <files/x.csv>`: an address in
                # angle brackets, which the converter makes a link (fortieth round).
                if ANGLE_ADDRESS_BEFORE_RE.search(line, 0, match.start()):
                    continue
                if match.group(1).lower() in refused:
                    parsed.found(file_line, match.start() + 1, "unsafe-html/element", element=match.group(1).lower())
        for col, key, values in refused_attributes(line) if raw_tags and "=" in line else ():
            parsed.found(file_line, col, key, **values)
        col = line.find(PLACEHOLDER + ":")
        if col >= 0:
            parsed.found(file_line, col + 1, "placeholder/body")
        for match in NO_ALT_RE.finditer(line) if no_alt else ():
            parsed.found(file_line, match.start() + 1, "missing-alt")
        for match in ATTR_LIST_RE.finditer(line) if attr_lists and "{" in line else ():
            # Where attr_list reads one: ending a line (a block, a heading)
            # or right after an inline element; elsewhere braces are text.
            if line[match.end():].strip() and line[match.start() - 1:match.start()] not in (")", "*", "_", "`", "]"):
                continue
            what = _refused_attribute(match.group(1))
            if what:
                parsed.found(file_line, match.start() + 1, "unsafe-html/attr-list", written=match.group(0),
                             what=what)
