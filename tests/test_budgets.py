"""Issue 20: budgets that bound one resource's work.

Each budget is a constant in one place. Just over it, the resource is
refused at the line (and column) that goes over, with the limit and what
to do; at it, the site builds. The limits are far above the starter
content (at most 8 headings, 2 thematic breaks, 4 topics, 2 programmes
and files of a few KB in one resource).
"""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, build, make_project, read, run_cli
from test_validate import GOOD, WEBINAR, good

from resource_library import files, render, validate

A = "at-a-glance/case.md"
BODY_LINE = GOOD.split("\n").index("## Method") + 1  # the body's first line, as written in GOOD
PREFIX = GOOD[:GOOD.index("## Method")]  # front matter and the blank line after it
MB = 1024 * 1024


def repeated(unit: str, count: int) -> tuple[str, int]:
    """A resource whose body is `unit` `count` times; and the line where
    the last one starts."""
    lines_per_unit = unit.count("\n")
    return PREFIX + unit * count, BODY_LINE + lines_per_unit * (count - 1)


# (kind, the limit's name in MAX_BLOCK_ELEMENTS, one element as typed, where in the unit the element's line is)
ELEMENTS = [
    ("ATX headings", "headings", "# a\n", 0),
    ("setext headings", "headings", "a\n===\n", 1),
    ("thematic breaks", "thematic breaks", "***\n", 0),
    ("thematic breaks of dashes", "thematic breaks", "\n- - -\n", 1),
    # Among text, 501 in one paragraph are already refused as 501 `[` in a
    # paragraph (MAX_BRACKETS_PER_BLOCK); here in paragraphs of their own.
    ("link reference definitions", "link reference definitions", "b\n[r]: https://x.example/\n\n", 1),
    ("admonitions", "admonitions", "!!! note\n    a\n", 0),
]


@pytest.mark.parametrize("kind, limit_name, unit, offset", ELEMENTS, ids=[e[0] for e in ELEMENTS])
def test_one_over_a_block_element_budget_is_refused_where_it_goes_over(tmp_path, kind, limit_name, unit, offset):
    limit = validate.MAX_BLOCK_ELEMENTS[limit_name]
    text, last = repeated(unit, limit + 1)
    project = make_project(tmp_path / "p", content={A: text})
    result = build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    where = f"{A}:{last + offset}:1 [too-many-elements] the body has {limit + 1:,} {limit_name}; the limit is {limit:,}"
    assert where in result.stderr, result.stderr
    assert validate.BLOCK_ELEMENT_HINTS[limit_name] in result.stderr


def backtick_runs(lengths: int) -> str:
    """One paragraph opening code with runs of 1 to `lengths` backticks, none closed."""
    return "".join("`" * length + " x\n" for length in range(1, lengths + 1))


def table_of_pipes(pipes: int) -> str:
    """A pipe table of 19 columns holding `pipes` `|` in all (20 a row)."""
    rows = ["| h " * 19 + "|", "|---" * 19 + "|"] + ["| b " * 19 + "|"] * (pipes // 20 - 2)
    return "\n".join(rows) + "\n" + "|" * (pipes % 20) + "\n"


PIPE_WEBINAR = WEBINAR.replace("registration_url: {url}\n", "").replace("2026-09-01", "2026-03-01")


def test_backtick_runs_and_table_pipes_over_their_limits_are_refused_where_they_go_over(tmp_path):
    """Runs of 1 to 1,010 backticks in one paragraph took the build 62 s
    (sixth attacker): the converter reads to the paragraph's end once for
    each length that never closes; a fenced block's runs are code, not
    counted. A webinar's 512 KB of table cells, which no PDF budget bounds,
    took 9 s to convert."""
    limit = validate.MAX_BACKTICK_LENGTHS
    fenced = "```\n" + backtick_runs(limit + 5) + "```\n\n"
    text = PREFIX + fenced + "Text.\n\n" + backtick_runs(limit + 1)
    pipes = PIPE_WEBINAR.replace("Body.\n", table_of_pipes(validate.MAX_PIPES + 1))
    project = make_project(tmp_path / "p", content={A: text, "webinars/table.md": pipes})
    result = build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = BODY_LINE + fenced.count("\n") + 2
    assert (f"{A}:{line}:1 [too-complex] this paragraph has runs of backticks of {limit + 1} different lengths "
            f"(1, 2, 3, 4, 5, ...); the limit is {limit}") in result.stderr, result.stderr
    assert "put code in a fenced block" in result.stderr
    last = pipes.rstrip("\n").count("\n") + 1
    assert (f"webinars/table.md:{last}:1 [too-complex] the body has {validate.MAX_PIPES + 1:,} `|` characters, which "
            f"make table cells; the limit is {validate.MAX_PIPES:,}") in result.stderr, result.stderr


def test_every_block_element_budget_builds_at_its_limit(tmp_path):
    """One resource per kind, each at its limit: built (Python-Markdown
    takes well under a second for each). Backtick runs too."""
    content = {"deeper-dives/backticks.md": PREFIX + "Text.\n" + backtick_runs(validate.MAX_BACKTICK_LENGTHS),
               "webinars/table.md": PIPE_WEBINAR.replace("Body.\n", table_of_pipes(validate.MAX_PIPES))}
    for n, (kind, limit_name, unit, _) in enumerate(ELEMENTS):
        content[f"deeper-dives/case-{n}.md"] = repeated(unit, validate.MAX_BLOCK_ELEMENTS[limit_name])[0]
    project = make_project(tmp_path / "p", content=content)
    result = build(project)
    assert result.returncode == 0, result.stderr
    page = read(project / "site", "deeper-dives/case-0/")
    assert page.count("<h1 id=") == validate.MAX_BLOCK_ELEMENTS["headings"]
    assert read(project / "site", "webinars/table/").count("<tr>") == validate.MAX_PIPES // 20 - 1


def test_heading_ids_are_worked_out_in_linear_time():
    """The link checker's own ids for repeated headings (a, a_1, a_2...):
    it called toc's unique() without the counters toc itself passes, so
    each heading tried every suffix before it (20,000 took 40 s)."""
    import time
    from resource_library.links import anchors
    start = time.perf_counter()
    ids = anchors("# a\n" * 20_000)
    assert time.perf_counter() - start < 2
    assert len(ids) == 20_000 and {"a", "a_1", "a_19999"} <= ids


def with_terms(kind: str, count: int) -> str:
    terms = [f"t{n}" for n in range(count)]
    return good(**{kind: f"{kind}:\n" + "".join(f"  - {t}\n" for t in terms).rstrip("\n")})


def vocabulary_of(project: Path, kind: str, count: int) -> None:
    path = project / "vocabulary" / f"{kind}.yml"
    path.write_text(path.read_text(encoding="utf-8") + "".join(
        f"t{n}:\n  name: Term {n}\n  description: A term.\n" for n in range(count)), encoding="utf-8")


@pytest.mark.parametrize("kind", ["topics", "programmes"])
def test_one_term_over_the_limit_is_refused_at_that_term(tmp_path, kind):
    limit = validate.MAX_TERMS[kind]
    project = make_project(tmp_path / "p", content={A: with_terms(kind, limit + 1)})
    vocabulary_of(project, kind, limit + 1)
    result = build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = with_terms(kind, limit + 1).split("\n").index(f"  - t{limit}") + 1
    assert f"{A}:{line}:5 [too-many-terms] `{kind}` lists {limit + 1} {kind}; the limit is {limit}" \
        in result.stderr, result.stderr


def test_terms_at_the_limit_build(tmp_path):
    text = with_terms("topics", validate.MAX_TERMS["topics"])
    text = text.replace("programmes: [unpaid-carers]", "programmes:\n" + "".join(
        f"  - p{n}\n" for n in range(validate.MAX_TERMS["programmes"])).rstrip("\n"))
    project = make_project(tmp_path / "p", content={A: text})
    vocabulary_of(project, "topics", validate.MAX_TERMS["topics"])
    path = project / "vocabulary" / "programmes.yml"
    path.write_text(path.read_text() + "".join(f"p{n}:\n  name: P {n}\n  description: A programme.\n"
                                               for n in range(validate.MAX_TERMS["programmes"])))
    result = build(project)
    assert result.returncode == 0, result.stderr


def sized(path: Path, size: int) -> None:
    """A text file of `size` bytes (text: a file of NUL bytes is refused as
    not what its name says)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = b"a,b,c\n"
    path.write_bytes((line * (size // len(line) + 1))[:size])


def test_a_file_one_byte_over_the_limit_is_refused_as_a_download_and_as_a_link(tmp_path):
    text = good(status="status: current\ndownloads:\n  - file: files/big.csv\n    label: Big") \
        + "\n[The big file](files/big.csv)\n"
    project = make_project(tmp_path / "p", content={A: text})
    sized(project / "at-a-glance" / "files" / "big.csv", files.MAX_FILE_BYTES + 1)
    result = build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    limit = f"is 20.0 MB; the limit is {files.MAX_FILE_BYTES // MB} MB"
    assert f"{A}:13:11 [file-too-large] downloads, item 1: file: `files/big.csv` {limit}" in result.stderr
    link_line = text.split("\n").index("[The big file](files/big.csv)") + 1
    assert f"{A}:{link_line}:16 [file-too-large] `files/big.csv` {limit}" in result.stderr
    assert "link to it over https" in result.stderr


def test_a_file_at_the_limit_is_published(tmp_path):
    project = make_project(tmp_path / "p", content={
        A: good(status="status: current\ndownloads:\n  - file: files/big.csv\n    label: Big")})
    sized(project / "at-a-glance" / "files" / "big.csv", files.MAX_FILE_BYTES)
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "at-a-glance" / "files" / "big.csv").stat().st_size == files.MAX_FILE_BYTES
    assert "CSV, 20.0 MB" in read(project / "site", "at-a-glance/case/")


def pdf_of(objects: int, lie: bool = False) -> bytes:
    """A one-page PDF padded with `objects` empty objects, with a valid
    cross-reference table (which says it has 10 objects if `lie`)."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    bodies = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>"] + [b"<<>>"] * objects
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj %s endobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (10 if lie else len(offsets) + 1, xref)
    return bytes(out)


def test_pdf_pages_are_counted_up_to_the_object_limit_and_no_further(tmp_path):
    """Counting a PDF's pages is bounded: at the limit they are shown;
    past it (even behind a trailer that lies) the page shows the format
    and size only, and takes no longer to build."""
    import time
    at = render.MAX_PDF_OBJECTS - 4  # the catalogue, the page tree, the page, and object 0
    for name, data, pages in [("at.pdf", pdf_of(at), 1), ("over.pdf", pdf_of(at + 1), None),
                              ("lying.pdf", pdf_of(at * 3, lie=True), None)]:
        path = tmp_path / name
        path.write_bytes(data)
        start = time.perf_counter()
        assert render.pdf_pages(path, len(data), 0.0) == pages, name
        assert time.perf_counter() - start < 5, name
    text = good(status="status: current\ndownloads:\n  - file: files/at.pdf\n    label: At\n"
                       "  - file: files/over.pdf\n    label: Over")
    project = make_project(tmp_path / "p", content={A: text})
    for name in ("at.pdf", "over.pdf"):
        (project / "at-a-glance" / "files").mkdir(exist_ok=True)
        (project / "at-a-glance" / "files" / name).write_bytes((tmp_path / name).read_bytes())
    result = build(project)
    assert result.returncode == 0, result.stderr
    page = read(project / "site", "at-a-glance/case/")
    assert re.search(r"PDF, [\d.]+ MB, 1 page\b", page) and re.search(r"PDF, [\d.]+ MB\)", page), page


def test_contributing_states_each_limit_as_the_code_sets_it():
    rules = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    lines = {rule: next(line for line in rules.splitlines() if f"`{rule}`" in line and line.startswith("|"))
             for rule in ("too-many-elements", "too-many-terms", "file-too-large")}
    for limit in validate.MAX_BLOCK_ELEMENTS.values():
        assert f"{limit:,}" in lines["too-many-elements"]
    assert f"{validate.MAX_TERMS['topics']} topics" in lines["too-many-terms"]
    assert f"{validate.MAX_TERMS['programmes']} programmes" in lines["too-many-terms"]
    assert f"{files.MAX_FILE_BYTES // MB} MB" in lines["file-too-large"]
    assert f"{files.MAX_RESOURCE_FILES_BYTES // MB} MB in all" in lines["file-too-large"]
    unsafe = next(line for line in rules.splitlines() if "`unsafe-file`" in line and line.startswith("|"))
    assert f"{files.MAX_PDF_READS:,} steps" in unsafe
    assert f"{files.MAX_FRAMES:,} frames" in unsafe and f"{files.MAX_PNG_CHUNKS:,} chunks" in unsafe


@pytest.mark.parametrize("marker", ["- ", "1. ", "> - ", "* 2) "])
def test_lists_opened_on_one_line_are_refused_past_their_limit_and_build_at_it(tmp_path, marker):
    """Found by the second fresh-clone attacker: `- ` 600 times on one line
    (1,201 characters) passed validate, then stopped the build and the
    preview with a RecursionError traceback."""
    from resource_library.validate.body import CONTAINER_RE, MAX_NESTED_ON_A_LINE
    per_marker = len(CONTAINER_RE.findall(marker))
    hostile = PREFIX + "Some text.\n\n" + marker * 600 + "x\n"
    project = make_project(tmp_path / "over", content={A: hostile})
    for command in (("validate",), ("build", "--site-dir", "site"), ("build", "--drafts", "--site-dir", "preview")):
        result = run_cli(project, *command)
        # The preview is built whatever the problems, each shown above its page.
        assert (result.returncode == 0) == ("--drafts" in command), (command, result.stderr[-2000:])
        assert "Traceback" not in result.stderr, (command, result.stderr[-2000:])
        where = f"{A}:{BODY_LINE + 2}:1 [too-complex] this line opens {600 * per_marker:,} lists or quotes"
        assert where in result.stdout + result.stderr, (command, result.stdout[-1500:], result.stderr[-1500:])
    at_limit = PREFIX + "Some text.\n\n" + marker * (MAX_NESTED_ON_A_LINE // per_marker) + "x\n"
    project = make_project(tmp_path / "at", content={A: at_limit})
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    # A thematic break of many spaced dashes is not a list.
    result = build(make_project(tmp_path / "hr", content={A: PREFIX + "Text.\n\n" + "- " * 20 + "\n\nMore.\n"}))
    assert result.returncode == 0, result.stderr[-2000:]


def test_line_based_budgets_hold_for_bare_cr_line_ends_and_indentation_inside_quotes(tmp_path):
    """Found by the third fresh-clone attacker: a body whose lines end in a
    bare CR was one line to every budget (the converter reads CR as a line
    break), and indentation after a quote's `>` was not counted; both passed
    validate and crashed the build with a RecursionError traceback."""
    from resource_library.validate.body import MAX_INDENT
    cases = {
        "cr": (PREFIX + "Intro.\r\r" + "- " * 600 + "x\r\rEnd.\n", BODY_LINE + 2, "[too-complex] this line opens 600 lists"),
        "quoted indent": (PREFIX + "Intro.\n\n" + "".join(">" + " " * (4 * k) + "- x\n" for k in range(480)) + "\nEnd.\n",
                          BODY_LINE + 2 + MAX_INDENT // 4 + 1, "[too-complex] this line is indented"),
    }
    for name, (text, line, expected) in cases.items():
        project = make_project(tmp_path / name.replace(" ", "-"), content={A: text})
        for command in (("validate",), ("build", "--site-dir", "site")):
            result = run_cli(project, *command)
            out = result.stdout + result.stderr
            assert result.returncode == 1 and "Traceback" not in out, (name, command, out[-2000:])
            assert f"{A}:{line}:1 {expected}" in out, (name, command, out[-2000:])


def test_budgets_hold_for_a_body_whose_front_matter_is_broken_and_for_editors_pages(tmp_path):
    """Seventh attacker: with `title: "Stall` (an unclosed quote) only the
    YAML was reported, and the pull request's preview then rendered 20,000
    unclosed `<a ` (101 s); an editor's page had no budget at all (108 s).
    Both are refused at the body's line now, and so is a page over 512 KB."""
    broken = GOOD.replace("title: A good briefing", 'title: "Stall') .replace("## Method", "<a " * 101 + "\n\n## Method")
    project = make_project(tmp_path / "p", content={A: broken})
    (project / "docs" / "notes.md").write_text("# Notes\n\n" + "<a " * 101 + "\n")
    (project / "docs" / "big.md").write_text("# Big\n\n" + ("Words. " * 100 + "\n\n") * 800)
    result = run_cli(project, "validate")
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out
    assert re.search(rf"^{A}:\d+:\d+ \[yaml-syntax\]", out, re.M), out
    assert f"{A}:{BODY_LINE}:1 [too-complex] the body has 101 HTML tags that are never closed" in out, out
    assert "docs/notes.md:3:1 [too-complex] the body has 101 HTML tags that are never closed" in out, out
    assert "docs/big.md:1:1 [too-large]" in out, out


def test_a_fence_line_over_its_limit_is_refused_and_one_at_it_passes(tmp_path):
    """Python-Markdown's fenced_code reads a line that starts as a fence once
    for each space on it (eighth attacker: five lines of ``` and 10,000
    spaces took 12 s). A first line at the limit passes."""
    limit = validate.MAX_FENCE_LINE
    at = "```" + " " * (limit - 4) + "\\"
    over = "~~~" + " " * (limit - 3) + "\\"
    project = make_project(tmp_path / "p", content={A: PREFIX + at + "\n\n" + over + "\n"})
    result = run_cli(project, "validate")
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out
    assert (f"{A}:{BODY_LINE + 2}:1 [too-complex] this line starts as a code fence and is {limit + 1} characters "
            f"long; the limit is {limit}") in out, out
    assert f"{A}:{BODY_LINE}:" not in out


def test_a_letter_with_too_many_combining_marks_is_refused_and_one_at_the_limit_passes(tmp_path):
    """Ninth attacker: 13 letters each with 19,000 accents, within every
    other limit, took a briefing's PDF 20 s (Typst shapes a cluster in time
    that grows faster than it). Vietnamese and Devanagari pass."""
    limit = validate.body.MAX_COMBINING_MARKS
    text = PREFIX + "Vi\u1ec7t Nam, \u0928\u092e\u0938\u094d\u0924\u0947, a" + "\u0301" * limit + ".\n\nThen o" \
        + "\u0308" * (limit + 1) + ".\n"
    project = make_project(tmp_path / "p", content={A: text})
    result = run_cli(project, "validate")
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out
    assert (f"{A}:{BODY_LINE + 2}:7 [too-complex] this letter carries {limit + 1} combining marks; the limit is "
            f"{limit}") in out, out
    assert out.count("[too-complex]") == 1


def test_the_files_one_resource_publishes_are_bounded_in_all(tmp_path, monkeypatch):
    """Each file may be 20 MB, and each is read whole by the checks: a
    resource's files together are at most MAX_RESOURCE_FILES_BYTES, said at
    the file that goes over (here with the limit at 10 KB, in process)."""
    from resource_library.validate import check_project
    monkeypatch.setattr(files, "MAX_RESOURCE_FILES_BYTES", 10 * 1024)
    names = ["a.csv", "b.csv", "c.csv"]
    items = "".join(f"\n  - file: files/{name}\n    label: File {name}" for name in names)
    text = GOOD.replace("status: current", "status: current\ndownloads:" + items)
    project = make_project(tmp_path / "p", content={A: text, **{f"at-a-glance/files/{name}": "x,y\n" * 1024
                                                                 for name in names[:2]}})
    (project / "at-a-glance" / "files" / "c.csv").write_text("x,y\n" * 512)  # 4 + 4 + 2 KB: at the limit
    assert not [p for p in check_project(project)[1] if p.rule == "file-too-large"]
    (project / "at-a-glance" / "files" / "c.csv").write_text("x,y\n" * 513)
    found = [p for p in check_project(project)[1] if p.rule == "file-too-large"]
    line = text.splitlines().index("  - file: files/c.csv") + 1
    assert [(p.path, p.line, p.col) for p in found] == [(A, line, 11)], found
    assert found[0].message.startswith("with `at-a-glance/files/c.csv`, the files at-a-glance/case.md publishes "
                                       "come to "), found[0].message
    assert found[0].hint.startswith("Readers on a phone would wait minutes for it")


def tagged_docx(tags: int, salt: int) -> bytes:
    """A Word file of a few KB whose document part holds `tags` tags."""
    import zipfile
    types = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             b'<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
             b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
    rels = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'officeDocument" Target="word/document.xml"/></Relationships>')
    document = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
                b'main"><w:body><w:p>' + b"<w:r/>" * (tags - 4) + b"</w:p><!-- %d --></w:body></w:document>" % salt)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("[Content_Types].xml", types), ("_rels/.rels", rels), ("word/document.xml", document)):
            archive.writestr(name, data)
    return out.getvalue()


def test_the_checking_one_resources_files_take_is_bounded(tmp_path):
    """An 18 KB Word file at the tag limit takes 0.4 s to check, and 2,700
    fit in 50 MB: a resource's files may take as much checking as
    MAX_RESOURCE_CHECK_WORK files at their limits. The file that goes over
    is refused at its line; the files after it are not read."""
    tags = files.MAX_OFFICE_ELEMENTS * 99 // 100
    names = [f"d{n}.docx" for n in range(5)]  # the fifth is never read
    items = "".join(f"\n  - file: files/{name}\n    label: Document {n}" for n, name in enumerate(names))
    text = GOOD.replace("status: current", "status: current\ndownloads:" + items)
    project = make_project(tmp_path / "p", content={A: text, **{f"at-a-glance/files/{name}": tagged_docx(tags, n)
                                                                 for n, name in enumerate(names)}})
    line = text.splitlines().index("  - file: files/d3.docx") + 1
    for command in (("validate",), ("build", "--site-dir", "site")):
        result = run_cli(project, *command)
        found = [p for p in result.stderr.splitlines() if "[file-too-large]" in p]
        assert result.returncode == 1 and "Traceback" not in result.stderr, (command, result.stderr[-2000:])
        assert found == [f"{A}:{line}:11 [file-too-large] downloads, item 4: file: `files/d3.docx` would make this "
                         "resource's files take more checking than 3 files at their limits"], (command, found)
        assert "hint: Each file is read whole before it is published" in result.stderr
    # Three at their limits are checked, and pass.
    from resource_library.validate import check_project
    (project / A).write_text(text.split("\n  - file: files/d3.docx")[0] + text.split("label: Document 4")[1])
    assert [p for p in check_project(project)[1] if p.is_error] == []


def test_files_a_body_links_to_count_toward_the_same_checking(tmp_path, monkeypatch):
    from resource_library.validate import check_project
    monkeypatch.setattr(files, "MAX_RESOURCE_CHECK_WORK", 0.00002)  # about 400 bytes of a file at its size limit
    text = GOOD + "\n[One](files/one.csv) and [two](files/two.csv) and [one again](files/one.csv).\n"
    project = make_project(tmp_path / "p", content={A: text, "at-a-glance/files/one.csv": "a,b\n" * 80,
                                                    "at-a-glance/files/two.csv": "c,d\n" * 80})
    found = [p for p in check_project(project)[1] if p.rule == "file-too-large"]
    assert [(p.line, p.message) for p in found] == [(text.count("\n"), "`files/two.csv` would make this resource's "
                                                     "files take more checking than 2e-05 files at their limits")]


def test_the_vocabulary_is_bounded_like_content(tmp_path):
    """Fourteenth attacker: a topic's name with 65,534 accents on one letter
    passed validate and made Typst panic in the build (a traceback); one of
    4 MB made a 34 MB page and a 759-page briefing. Each is refused at its
    line, as are a name that reads as an address to go to, and a file of
    too many entries or bytes."""
    from resource_library import vocabulary
    folder = tmp_path / "vocabulary"
    shutil.copytree(REPO / "vocabulary", folder)
    cases = {
        "accents": ("H" + "\u0301" * 17, "[too-complex] this letter carries 17 combining marks; the limit is 16"),
        "long": ("Housing " * 11, "characters long; the limit is 80"),
        "address": ("Sign in at https://login.nhs.scot", "reads as the address `login.nhs.scot`"),
        # Thirty-first round: a phone number on links that dial nothing; a short one may name a service.
        "number": ("Housing advice, ring 0800 123 4567", "shows the phone number `0800 123 4567`"),
    }
    topics = (folder / "topics.yml").read_text()
    extra = "".join(f'{slug}:\n  name: "{name}"\n  description: A topic that should not be.\n'
                    for slug, (name, _) in cases.items())
    (folder / "topics.yml").write_text(topics + extra + "nhs-24:\n  name: Call 111 first\n  description: A topic.\n")
    vocab, problems = vocabulary.check_vocabulary_files(folder)
    assert len(problems) == len(cases), problems
    shown = [f"{p.path}:{p.line} [{p.rule}] {p.message}" for p in problems]
    first = topics.count("\n") + 2
    for number, (_, says) in enumerate(cases.values()):
        assert any(line.startswith(f"vocabulary/topics.yml:{first + 3 * number} ") and says in line
                   for line in shown), (says, shown)
    (folder / "topics.yml").write_text("".join(f"t{n}:\n  name: T {n}\n  description: A topic.\n"
                                               for n in range(vocabulary.MAX_ENTRIES + 1)))
    _, problems = vocabulary.check_vocabulary_files(folder)
    assert [(p.line, p.message) for p in problems] == [(3 * vocabulary.MAX_ENTRIES + 1,
                                                        "the topics hold more than 500 entries")]
    (folder / "topics.yml").write_text("# padding\n" * 60_000)
    _, problems = vocabulary.check_vocabulary_files(folder)
    assert [p.rule for p in problems] == ["too-large"]


def test_a_title_that_reads_as_an_address_is_refused(tmp_path):
    """Fourteenth attacker: a title is the text of every link to its page
    (lists, related, the finder, feeds): 'Sign in again at
    https://login.nhs.scot' read as a link to go there."""
    from resource_library.validate import check_project
    text = GOOD.replace("title: A good briefing", "title: Sign in again at https://login.nhs.scot to keep reading")
    project = make_project(tmp_path / "p", content={A: text})
    found = [p for p in check_project(project)[1] if p.rule == "misleading-link"]
    assert [(p.line, p.message) for p in found] == [(2, "`title` reads as the address `login.nhs.scot`, but it is the "
                                                       "text of links to the site's own pages")]
    # Fifteenth attacker: a host with a path, behind a character drawn as nothing; an organisation's name is fine.
    for title, refused in (("\u034flogin.nhs.scot/sign-in", True), ("What gov.scot says about carers", False)):
        (project / A).write_text(GOOD.replace("title: A good briefing", f'title: "{title}"'))
        assert bool([p for p in check_project(project)[1] if p.rule == "misleading-link"]) is refused, title


def test_the_files_in_docs_are_checked_within_a_budget_too(tmp_path, monkeypatch):
    """Fourteenth attacker: eight PDFs near the step limit in docs/about/
    took validate 43 s. Past DOCS_CHECK_WORK (here made small), the files
    left are not read, and the first of them says why."""
    from resource_library import docs_pages
    monkeypatch.setattr(docs_pages, "DOCS_CHECK_WORK", 0.00001)  # about 210 bytes of a file at its size limit
    folder = tmp_path / "docs" / "about"
    folder.mkdir(parents=True)
    for name in ("a.csv", "b.csv", "c.csv"):
        (folder / name).write_text("x,y\n" * 40)  # 160 bytes each
    problems = docs_pages.check_docs(tmp_path / "docs", set())
    found = [p for p in problems if p.rule == "file-too-large"]
    assert [(p.path, p.message.split(" and ")[0]) for p in found] == [("docs/about/c.csv", "docs/about/c.csv")], found


def test_nesting_counts_the_rows_and_bodies_the_html_parser_adds(tmp_path):
    """Fifteenth attacker: `<table><tr><td>` 16 deep passed validate, which
    counted three elements a table, and the PDF refused it, the parser having
    put a <tbody> in each. Validate counts what the parser adds."""
    from resource_library.validate import check_project
    for depth, refused in ((14, False), (16, True)):
        inner = "Deep"
        for _ in range(depth):
            inner = f"<table><tr><td>{inner}</td></tr></table>"
        project = make_project(tmp_path / f"p{depth}", content={A: GOOD + "\n" + inner + "\n"})
        found = [p.rule for p in check_project(project)[1] if p.is_error]
        assert (found == ["too-complex-for-pdf"]) is refused and (found == []) is not refused, (depth, found)
