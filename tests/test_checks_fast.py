"""The validator's cheaper checks give what the plain ones gave: the same
problems (path, line, column, rule, message, hint, in the same order), the
same blanked lines, links and anchors. The plain versions, as they were
before the shortcuts, are kept here as the reference, and both are run over
bodies made of the constructs each shortcut skips or looks for. The
shortcut past jsonschema is run over front matter, valid and not: it must
never call valid what jsonschema faults."""
from __future__ import annotations

import copy
import html
import random
import re
import sys

import pytest
import markdown

from conftest import FIXTURES, REPO
from resource_library import frontmatter, headings, links, validate
from resource_library.frontmatter import ParsedFile
from resource_library.links import Link

sys.path.insert(0, str(REPO / "bench"))
from generate import Chain, body, corpus_sentences  # noqa: E402


# The reference: the functions as they were, line by line, regex by regex.

def reference_blank_code(body: str) -> list[str]:
    """Body lines with code blocks (fenced or indented) and code spans
    blanked out, so that what a reader sees as code is never taken for a
    link, a tag or a heading."""
    lines, fence_end = [], -1
    # Indented code: four spaces (or a tab) after a blank line, unless the
    # text above is a list item, whose paragraphs are indented too. Blank
    # lines do not end it; the next line that is not indented does.
    in_indented, after_blank, in_list = False, True, False
    written = body.split("\n")
    for number, line in enumerate(written):
        if number <= fence_end:
            lines.append("")
            continue
        # A fence opens only where a line holding just the same fence closes it.
        match = links.FENCE_OPEN_RE.match(line.expandtabs(4))
        if match:
            closing = re.compile(re.escape(match.group(1)) + " *")
            ends = [n for n in range(number + 1, len(written)) if closing.fullmatch(written[n].expandtabs(4))]
            match = match if ends else None
            fence_end = ends[0] if ends else fence_end
        if not line.strip():
            lines.append(line)
            after_blank = True
            continue
        indented = line.startswith(("    ", "\t"))
        if indented and (in_indented or (after_blank and not in_list)):
            in_indented, after_blank = True, False
            lines.append("")
            continue
        in_indented, after_blank = False, False
        if match:
            lines.append("")
            continue
        if not indented:
            in_list = bool(links.LIST_ITEM_RE.match(line))
        lines.append(links.CODE_SPAN_RE.sub(lambda m: " " * len(m.group(0)), line))
    return lines


def rendered_anchors(body: str) -> set[str]:
    """The ids the build's Python-Markdown gives a body (the extensions
    MkDocs and mkdocs.yml load, toc with the site's slugify), and those
    in its raw HTML: what MkDocs counts as a link's anchors."""
    md = markdown.Markdown(extensions=["toc", "tables", "fenced_code", "attr_list", "admonition"],
                           extension_configs={"toc": {"slugify": headings.slugify}})
    return {html.unescape(found) for found in re.findall(r"""\s(?:id|name)\s*=\s*["']([^"']*)["']""",
                                                           md.convert(body))}


def reference_find_links(body: str, lines: list[str] | None = None) -> list[Link]:
    """Links outside comments; a reference definition only if a label names it (the last one given)."""
    lines = lines if lines is not None else reference_blank_code(body)
    if "<!--" in body:
        lines = links.blank_comments(lines)
    found, defined = [], {}
    for number, line in enumerate(lines, start=1):
        for regex in (links.INLINE_LINK_RE, links.HTML_HREF_RE):
            for match in regex.finditer(line):
                found.append(links.Link(match.group(1), number, match.start(1) + 1))
        match = links.REF_DEF_RE.match(line)
        if match:
            label = " ".join(line[line.index("[") + 1:line.index("]")].split()).casefold()
            link = links.Link(match.group(1), number, match.start(1) + 1)
            if label.startswith("^"):
                found.append(link)
            else:
                defined[label] = link
    found = list(dict.fromkeys(found))
    if defined:
        uses = {" ".join(m.group(1).split()).casefold() for line in lines if not links.REF_DEF_RE.match(line)
                for m in re.finditer(r"\[([^\[\]]+)\](?!\()", line)}
        found = sorted(found + [link for label, link in defined.items() if label in uses],
                       key=lambda link: (link.line, link.col))
    return found


def reference_check_complexity(parsed: ParsedFile) -> bool:
    """Refuse bodies that would take Python-Markdown minutes or hours, before
    it ever sees them. True when the body is fit to check further."""
    lines = parsed.body.split("\n")
    for number, line in enumerate(lines):
        if len(line) > validate.MAX_LINE_CHARS:
            parsed.problem(parsed.body_line + number, 1, "too-complex",
                           f"this line is {len(line):,} characters long; the limit is {validate.MAX_LINE_CHARS:,}",
                           "Break the text into paragraphs, with a blank line between them.")
            return False
        indent = len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())
        if indent > validate.MAX_INDENT:
            parsed.problem(parsed.body_line + number, 1, "too-complex",
                           f"this line is indented {indent} spaces; the limit is {validate.MAX_INDENT}",
                           "Lists nest at most a few levels deep: move this item further left.")
            return False
    brackets, block_brackets, block_start = 0, 0, 0
    for number, line in enumerate(lines + [""]):
        if not line.strip():
            if block_brackets > validate.MAX_BRACKETS_PER_BLOCK:
                parsed.problem(parsed.body_line + block_start, 1, "too-complex",
                               f"this paragraph has {block_brackets:,} `[` characters; the limit is {validate.MAX_BRACKETS_PER_BLOCK}",
                               "Split it into shorter paragraphs or lists, with blank lines between them.")
                return False
            block_brackets, block_start = 0, number + 1
            continue
        count = line.count("[")
        block_brackets += count
        brackets += count
    if brackets > validate.MAX_BRACKETS:
        parsed.problem(parsed.body_line, 1, "too-complex",
                       f"the body has {brackets:,} `[` characters; the limit is {validate.MAX_BRACKETS:,}",
                       "A resource this full of links is better split into several resources.")
        return False
    open_tags = [m for m in validate.OPEN_TAG_RE.finditer(parsed.body)]
    if len(open_tags) > validate.MAX_OPEN_TAGS:
        first = open_tags[0].start()
        line = parsed.body.count("\n", 0, first)
        parsed.problem(parsed.body_line + line, first - (parsed.body.rfind("\n", 0, first) + 1) + 1, "too-complex",
                       f"the body has {len(open_tags):,} HTML tags that are never closed with `>`",
                       "Close each tag with `>`, or write `<` as &lt; when you mean 'less than'.")
        return False
    return True


def reference_check_body(parsed: ParsedFile) -> None:
    if not reference_check_complexity(parsed):
        parsed.body_lines = []
        return
    parsed.body_lines = validate.body.joined_tags(reference_blank_code(parsed.body))  # a tag over lines, whole
    for number, line in enumerate(parsed.body_lines):
        file_line = parsed.body_line + number
        for regex, what in ((validate.SCRIPT_RE, "a <script> tag"), (validate.HANDLER_RE, "an event-handler attribute"),
                            (validate.JS_URL_RE, "a javascript: URL")):
            match = regex.search(line)
            if match:
                parsed.problem(file_line, match.start() + 1, "unsafe-html", f"the body contains {what}",
                               "Resources cannot run scripts; remove it, or show it as code in backticks.")
        col = line.find(validate.PLACEHOLDER + ":")
        if col >= 0:
            parsed.problem(file_line, col + 1, "placeholder", "the body still has a template placeholder",
                           "Replace the TODO text with the resource's content.")
        for match in validate.NO_ALT_RE.finditer(line):
            parsed.problem(file_line, match.start() + 1, "missing-alt", "this image has no alt text",
                           "Say in a few words what the image shows, for readers who cannot see it: "
                           "![Bar chart of referrals by month, 2025](files/referrals.png)")



# Bodies built from what the shortcuts skip or look for.
PIECES = [
    "## Heading", "### Heading with `code` and [link](x.md)", "# Top {: #custom-id }", "## Same", "## Same",
    "####### seven", "## Trailing ###", "#NoSpace", " # indented heading", "## *Em* _ph_ [l](x.md) ![i](y.png)",
    "Text [a](other.md) and [b](../deeper-dives/valid.md#method) ![i](files/x.png)", "[ref]: ../x/missing.md",
    "  [ref2]: <x.md> \"t\"", "    [indented]: x.md", "<a href=\"x.md\">x</a>", "<img src='files/y.png'>",
    "SRC = 'x.md'", "x = 1", "href=\"a.md\"", "```", "~~~", "```python", "  ```", "~~~~", "``` inline ```",
    "    code line [c](code.md)", "\tcode tab", "- item [l](list.md)", "* item", "+ item", "1. item", "2) item",
    "\u0663. arabic-indic digit item", "\u0663) item", "   - nested", "    - four spaces", "        deep indented <script>",
    "`<script>`", "``code `with` ticks``", "`unclosed", "<script>alert(1)</script>", "<SCRIPT>", "< script>",
    "<img onerror=x>", "<p/onclick = x>", "<div\nonclick=x>", "javascript:alert(1)", "JAVASCRIPT :x",
    "java\tscript:", "javaſcript:x", "javascrıpt:x", "javascrİpt:x", "JavaScript\u00a0:", "TODO: fill", "TODO fill",
    "todo:", "xTODO:y", "text with < and > and <b>", "<<<a", "[[[", "]]]", "\u00a0\u00a0indent", "\u3000\u3000wide",
    "x" * 300, "", "", "", "  ", "\t", "> quote [q](q.md)", "| a | [t](t.md) |", "{{ jinja }}", "<!-- c -->",
    "[self](#heading)", "[up](../)", "[abs](/x.md)", "[ext](https://e.org/x)", "[enc](a%20b.md)",
    "[q](x.md?a=1#frag)", "[sp]( x.md \"t\" )", "[esc\\]](x.md)", "line\u2028sep", "nel\u0085x", "cr\rx",
    "![](files/no-alt.png)", "![ ](x.png)", "<img src=x.png alt=\"\">", "<IMG SRC=x.png ALT='A chart'>",
]


def random_body(rng: random.Random) -> str:
    lines = [rng.choice(PIECES) for _ in range(rng.randint(0, 50))]
    extra = rng.random()
    if extra < 0.03:
        lines.insert(rng.randrange(len(lines) + 1), "x" * rng.choice([20_000, 20_001]))
    elif extra < 0.06:
        lines += rng.choice([["[" * rng.randint(100, 260)] * rng.randint(1, 4) + [""] + ["[" * 600] * rng.randint(0, 6),
                             ["[" * rng.randint(420, 500), ""] * rng.randint(5, 8)])
    elif extra < 0.09:
        lines += ["<a " * rng.randint(20, 60)] * rng.randint(1, 3)
    elif extra < 0.14:
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(EDGES[:10]))
    return "\n".join(lines) + rng.choice(["", "\n", "\n\n"])


EDGES = [" " * 48 + "x", " " * 49 + "x", "\t" * 12 + "x", "\t" * 13 + "x", " \t" * 7 + "x", "\t" * 11 + "   x",
         "\u00a0" * 49 + "x", "\r" + "\t" * 13 + "x", " " * 13 + "x", " " * 200, "x" * 20_000, "x" * 20_001,
         "<a " * 101, "<a " * 100, "[" * 500, "[" * 501, "```", "    code", "\tcode", "`span`", "~~~",
         "```\n<b>in</b>\n```", "``` x y\n<b>in</b>\n```", "````\n```\n````", "  ```\n<b>in</b>\n  ```",
         "~~~{.x}\n<b>in</b>\n~~~  ", "```\t\n<b>in</b>\n```", "`" * 9 + "\n" + "`" * 8]


def bodies() -> list[str]:
    rng = random.Random(2026)
    made = [random_body(rng) for _ in range(1500)]  # and the edges below, each in four places
    # Each edge alone, first, after a paragraph, and after a blank line.
    made += [form.format(edge) for edge in EDGES for form in ("{}", "{}\ntext", "text\n{}", "text\n\n{}\n")]
    chain = Chain(corpus_sentences())
    made += [body(chain, rng, [("A", "../deeper-dives/a.md")]) for _ in range(10)]
    for folder in (REPO, FIXTURES / "basic"):
        for type_slug in ("at-a-glance", "deeper-dives", "webinars"):
            made += [p.read_text(encoding="utf-8").split("---\n", 2)[2] for p in sorted((folder / type_slug).glob("*.md"))]
    return made


@pytest.fixture(scope="module")
def corpus() -> list[str]:
    return bodies()


FENCES = ["``` x\ntext\n\n{}\n", "```\n{}\n```\nafter", "```python\n{}\n```   \nz", "~~~{{.x}}\n{}\n~~~\n",
          "````\n{}\n```\nstill code\n````\n", "```\n```\n{}", "````\n```\n```\n{}", "~~~\n{}\n```\n",
          "```\t\n{}\n```", "> ```\n> {}\n> ```", "```\n```\n```\n{}\n```"]


@pytest.mark.parametrize("form", FENCES)
def test_a_line_blank_code_takes_for_a_fence_is_code_to_the_converter(form):
    """An opening fence with no closing one is text to Python-Markdown: a
    `<script>` after one was passed by validate and refused by the build."""
    text = form.format("<b>mark</b>")
    number = text.split("\n").index("<b>mark</b>") if "<b>mark</b>" in text.split("\n") else None
    blanked = links.blank_code(text)
    rendered = markdown.markdown(text, extensions=list(headings.EXTENSIONS))
    code = number is not None and blanked[number] == ""
    assert ("<b>mark</b>" not in rendered) == (code or number is None), (blanked, rendered)


def test_blank_code_links_and_anchors_are_as_before(corpus):
    for text in corpus:
        lines = links.blank_code(text)
        assert lines == reference_blank_code(text), text
        assert links.find_links(text, lines) == reference_find_links(text, lines), text
        assert links.find_links(text) == reference_find_links(text), text
        # Every id validate knows is one the page has: validate never
        # passes a link to `#part` that the build then refuses.
        known = links.anchors(text, lines)
        if known:
            missing = known - rendered_anchors(text)
            assert not missing, (missing, text)


def parsed_file(text: str) -> ParsedFile:
    parsed = ParsedFile("at-a-glance/case.md", text="---\ntitle: x\n---\n" + text, body=text, body_line=4)
    return parsed


def test_body_checks_report_the_same_problems(corpus):
    reported = set()
    for text in corpus:
        new, old = parsed_file(text), parsed_file(text)
        validate.check_body(new)
        reference_check_body(old)
        # Raw tags' attributes are checked only by the new code (tests in
        # test_agree.py), and now over lines as well: left out of the comparison.
        new.problems = [p for p in new.problems if not (p.rule == "unsafe-html" and p.message.startswith("the <"))]
        assert new.problems == old.problems, text
        assert new.body_lines == old.body_lines, text
        reported.update(re.sub(r"[0-9,]+", "N", p.message) for p in new.problems)
    # The corpus reaches every rule the shortcuts skip.
    assert reported == {
        "this line is N characters long; the limit is N", "this line is indented N spaces; the limit is N",
        "this paragraph has N `[` characters; the limit is N", "the body has N `[` characters; the limit is N",
        "the body has N HTML tags that are never closed with `>`", "the body contains a <script> tag",
        "the body contains an event-handler attribute", "the body contains a javascript: URL",
        "the body still has a template placeholder", "this image has no alt text"}, reported


def test_javascript_prefilter_misses_no_letter_the_regex_takes():
    """validate._may_hold_js_url must be True wherever JS_URL_RE matches:
    every character re.IGNORECASE takes for a letter of "javascript"."""
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for letter in set("javascript"):
        for char in set(re.findall(letter, everything, re.I)):
            word = "javascript".replace(letter, char)
            assert validate.JS_URL_RE.search(word + ":") and validate._may_hold_js_url(word + ":"), char


def test_a_line_is_found_in_the_text_as_split_now():
    text = "a\nb\rc\x0bd\u2028e\x85f\n\ng"
    parsed = ParsedFile("x.md", text=text)
    for number in range(-1, 10):
        lines = text.splitlines()
        assert parsed.line(number) == (lines[number - 1] if 0 < number <= len(lines) else "")
    parsed.text = "other\nlines"
    assert parsed.line(2) == "lines"


def front_matters() -> tuple[list[tuple[str, dict]], list[tuple[str, dict]]]:
    """Front matter of every resource here, and variants of it made wrong in
    each way the schema knows (or nearly right)."""
    found = []
    for folder in (REPO, FIXTURES / "basic"):
        for type_slug in ("at-a-glance", "deeper-dives", "webinars"):
            for path in sorted((folder / type_slug).glob("*.md")):
                parsed = frontmatter.read(path.name, path.read_bytes())
                if parsed.data is not None:
                    found.append((type_slug, parsed.data))
    rng = random.Random(11)
    odd = [None, True, False, 0, 1, 2.0, 2.5, -1, 10, 480, 481, 9, "", "x", "ab", "abc", "a" * 151, "a" * 401,
           "2026-01-01", frontmatter.YamlDate("2026-01-01"), "2026-1-1", "2026-01-01T13:00", "current", "draft",
           "withdrawn", "published", "at-a-glance/x", "at-a-glance/X", [], ["housing"], ["housing", "housing"],
           ["a", 1], [1, 1], [True, 1], [None], [[]], {}, {"date": "2026-01-01", "note": "A note"},
           {"date": "2026-01-01"}, {"note": "A note here"}, {"date": "2026-01-01", "note": "A note", "x": 1},
           [{"date": "2026-01-01", "note": "Short"}], [{"date": "2026-01-01", "note": "x"}],
           [{"file": "files/a.pdf", "label": "A file"}], [{"file": "", "label": "A"}], [{"name": "A Speaker"}],
           [{"name": "A", "role": "R"}], [{"name": "A Speaker", "role": 1}], [{"role": "R"}], [{"name": "N", 1: 2}],
           [{"date": "2026-01-01", "note": "A note", "x": 1}], [{"file": "f.pdf", "label": "A file", "size": 1}],
           [{"name": "A Speaker", "x": "y"}], "files/a.pdf", "https://e.org/x", 60, 5, 500, 61.5, True]
    variants = []
    # Each field of one resource of each type given each odd value,
    bases = {type_slug: data for type_slug, data in found}
    fields = ["title", "summary", "functions", "programmes", "topics", "published", "updated", "changes",
              "last_reviewed", "next_review_due", "owner", "status", "withdrawn_reason", "replaced_by", "downloads",
              "example", "starts", "duration_minutes", "speakers", "registration_url", "recording_url", "slides",
              "transcript"]
    for type_slug, data in bases.items():
        for key in fields:
            for value in odd:
                variants.append((type_slug, {**data, key: copy.deepcopy(value)}))
            variants.append((type_slug, {k: v for k, v in data.items() if k != key}))
    # and some with several fields changed at once.
    for _ in range(1500):
        type_slug, data = rng.choice(found)
        data = copy.deepcopy(data)
        for _ in range(rng.randint(1, 3)):
            key = rng.choice(list(data) + ["changes", "downloads", "speakers", "duration_minutes", "replaced_by",
                                           "updated", "example", "withdrawn_reason", "starts", "slides"])
            if rng.random() < 0.15:
                data.pop(key, None)
            else:
                data[key] = copy.deepcopy(rng.choice(odd))
        variants.append((type_slug, data))
    return found, variants


def test_a_resource_jsonschema_would_fault_is_never_called_valid():
    schema_json = validate.load_schema(REPO / "schema" / "resource.schema.json")
    schemas = {t: validate.Schema(schema_json, t) for t in ("at-a-glance", "deeper-dives", "webinars")}
    found, variants = front_matters()
    sure = 0
    for type_slug, data in found + variants:
        schema = schemas[type_slug]
        known = {k: v for k, v in data.items() if k in schema.fields and v is not None}
        if schema.surely_valid(known):
            sure += 1
            assert list(schema.validator.iter_errors(known)) == [], data
    assert sure > 400
    # Every resource here is valid, and recognised as such without jsonschema.
    assert len(found) > 20
    for type_slug, data in found:
        schema = schemas[type_slug]
        known = {k: v for k, v in data.items() if k in schema.fields and v is not None}
        assert schema.surely_valid(known) and list(schema.validator.iter_errors(known)) == [], data
