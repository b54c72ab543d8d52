"""`make validate` and `make site` agree: what validate passes builds, and
what the build would refuse validate refuses first, as path:line:col
[rule] with a hint (fourth attacker's findings 5 to 10 and 12)."""
from __future__ import annotations

import re

import pytest

from conftest import build, make_project, read, run_cli, write_files
from test_validate import GOOD, WEBINAR, good

HEADER = """---
title: A briefing
summary: A briefing for checking that validate and the build agree.
functions: [curate]
programmes: []
topics: [housing]
published: 2026-01-10
owner: Test team
status: current
---

"""
BODY_LINE = HEADER.count("\n") + 1  # the first line of the body


def resource(body: str) -> str:
    return HEADER + body


def webinar(body: str) -> str:
    """A past webinar (no PDF) with `body`."""
    return HEADER.replace("status: current\n", "status: current\nstarts: \"2026-03-01T13:00\"\n"
                          "duration_minutes: 60\nspeakers:\n  - name: A Speaker\n") + body


def agree(tmp_path, content: dict[str, str]):
    """(validate's result, the build's result) for one project."""
    project = make_project(tmp_path / "p", content=content)
    return project, run_cli(project, "validate"), build(project)


def problems(result) -> list[str]:
    """The problem lines (path:line:col [rule] ...) a command printed."""
    return [line for line in (result.stdout + result.stderr).splitlines() if re.match(r"\S+:\d+:\d+ \[", line)]


def assert_no_raw_output(result) -> None:
    text = result.stdout + result.stderr
    assert "Traceback" not in text and "WARNING -" not in text, text


# --- 6 and 8: headings' ids ---------------------------------------------------

HEADINGS = ["2026 plans", "10 things to check", "1. Introduction", "__config", "md-sidebar", "finder-results",
            "lib-notes", "_under", "A very long heading that goes on and on " * 3 + "forever more",
            '<abbr title="Integration Joint Board">IJB</abbr> duties', "A &amp; B", "The `foo_bar` option",
            "Plans", "Plans"]


def test_every_heading_gets_an_id_the_site_keeps_and_validate_knows_it(tmp_path):
    from resource_library import headings, links
    body = "".join(f"## {text}\n\nText.\n\n" for text in HEADINGS)
    ids = headings.ids(body, links.blank_code(body))
    assert ids[:8] == ["h-2026-plans", "h-10-things-to-check", "h-1-introduction", "h-__config", "h-md-sidebar",
                       "h-finder-results", "h-lib-notes", "h-_under"]
    assert ids[9:] == ["ijb-duties", "a-b", "the-foo_bar-option", "plans", "plans_1"]
    assert len(ids[8]) <= headings.MAX_ID and ids[8].startswith("a-very-long-heading") and not ids[8].endswith("-")
    # A link to each, as validate would suggest it, from the same page and another.
    links_here = "".join(f"[to {n}](#{i})\n\n" for n, i in enumerate(ids))
    other = "".join(f"[to {n}](../at-a-glance/headings.md#{i})\n\n" for n, i in enumerate(ids))
    project, validated, built = agree(tmp_path, {"at-a-glance/headings.md": resource(links_here + body),
                                                 "deeper-dives/other.md": resource(other)})
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert built.returncode == 0, built.stdout + built.stderr
    assert_no_raw_output(built)
    page = read(project / "site", "at-a-glance/headings/")
    for anchor in ids:
        assert f'id="{anchor}"' in page and f'href="#{anchor}"' in page


def test_a_link_to_the_id_toc_does_not_give_is_refused_by_validate_with_the_right_one(tmp_path):
    """Validate read `## <abbr ...>IJB</abbr> duties` as its raw text: it
    refused `#ijb-duties` and suggested an id the build does not have."""
    body = ("See [the duties](#abbr-titleintegration-joint-boardijbabbr-duties) and [a](#a-amp-b).\n\n"
            '## <abbr title="Integration Joint Board">IJB</abbr> duties\n\n## A &amp; B\n')
    project, validated, built = agree(tmp_path, {"at-a-glance/zz-anchor.md": resource(body)})
    found = problems(validated)
    assert found and all("[broken-anchor]" in line for line in found), found
    assert found[0].startswith(f"at-a-glance/zz-anchor.md:{BODY_LINE}:")
    assert "#ijb-duties" in validated.stdout + validated.stderr
    assert built.returncode != 0
    assert_no_raw_output(built)


def test_headings_in_raw_html_and_code_are_not_anchors(tmp_path):
    body = ("[a](#inside) [b](#fenced)\n\n<div>\n## Inside\n</div>\n\n```\n## Fenced\n```\n")
    project, validated, built = agree(tmp_path, {"at-a-glance/raw.md": resource(body)})
    assert [line.split(" [")[1][:13] for line in problems(validated)] == ["broken-anchor"] * 2
    assert built.returncode != 0
    assert_no_raw_output(built)


# --- 7: raw HTML attributes the allow-list removes ----------------------------

ATTRIBUTES = [
    ('<span class="md-button">Click</span>', 7, "css-class", "the <span> tag has the class `md-button`"),
    ('<a href="https://example.org" target="_blank">x</a>', 31, "target", "remove target; the site opens links"),
    ('<p data-md-component="announce">hi</p>', 4, "attribute", "the `data-md-component` attribute"),
    ('<abbr title="x" style="color:red">A</abbr>', 17, "style", "a `style` attribute"),
    ('<div markdown="1">**x**</div>', 6, "attribute", "the `markdown` attribute"),
    ('<span id="2026">x</span>', 7, "id-form", "is not an id pages can use"),
]


@pytest.mark.parametrize("line, col, variant, words", ATTRIBUTES, ids=[a[2] + str(a[1]) for a in ATTRIBUTES])
def test_raw_attributes_the_allow_list_removes_are_refused_by_validate_at_the_attribute(tmp_path, line, col,
                                                                                       variant, words):
    project, validated, built = agree(tmp_path, {"at-a-glance/attr.md": resource(f"Text.\n\n{line}\n")})
    found = problems(validated)
    assert len(found) == 1 and found[0].startswith(f"at-a-glance/attr.md:{BODY_LINE + 2}:{col} [unsafe-html]"), found
    assert words.lower() in (validated.stdout + validated.stderr).lower()
    assert built.returncode != 0 and problems(built)[0] == found[0]
    assert_no_raw_output(built)


def test_attributes_the_allow_list_keeps_pass_and_build(tmp_path):
    body = ('<table><tr><th scope="col" style="text-align: center">A</th></tr>'
            '<tr><td colspan="1" style="text-align:right">1</td></tr></table>\n\n'
            '<abbr title="Integration Joint Board" lang="en">IJB</abbr> <ol start="3" reversed><li>x</li></ol>\n')
    project, validated, built = agree(tmp_path, {"at-a-glance/kept.md": resource(body)})
    assert validated.returncode == 0 and built.returncode == 0, built.stdout + built.stderr


# --- 5, 10, 12: what a briefing's PDF can hold ----------------------------------

def grid_table(rows: int) -> str:
    """A table 100 columns wide (a cell of colspan and rowspan 99, and one
    more), `rows` rows high: at 100 rows its grid is exactly the limit."""
    body = ['<table>', '<tr><td colspan="99" rowspan="99">big</td><td>a</td></tr>']
    body += ["<tr><td>z</td></tr>"] * (rows - 1)
    return "\n".join(body + ["</table>"]) + "\n"


def test_a_table_at_the_grid_limit_builds_and_one_over_it_is_refused_by_validate(tmp_path):
    from resource_library import pdf
    assert pdf.MAX_TABLE_COLUMNS * 100 == pdf.MAX_TABLE_CELLS and pdf.MAX_TABLE_COLUMNS < 1024
    project, validated, built = agree(tmp_path / "at", {"at-a-glance/grid.md": resource(grid_table(100))})
    assert validated.returncode == 0 and built.returncode == 0, built.stdout + built.stderr
    assert "could not check" not in built.stdout + built.stderr
    assert (project / "site/at-a-glance/grid/grid.pdf").is_file()
    project, validated, built = agree(tmp_path / "over", {"at-a-glance/grid.md": resource(grid_table(101))})
    found = problems(validated)
    assert found == [f"at-a-glance/grid.md:{BODY_LINE}:1 [too-complex-for-pdf] this table's grid is 100 columns by "
                     "101 rows (10,100 cells); the limit is 100 columns and 10,000 cells"], found
    assert "spreadsheet" in validated.stdout + validated.stderr
    assert built.returncode != 0 and problems(built) == found
    # A webinar has no PDF: the same table is its page's business.
    project, validated, built = agree(tmp_path / "webinar", {"webinars/grid.md": webinar(grid_table(101))})
    assert validated.returncode == 0


def test_a_pipe_table_is_counted_by_its_rows_not_its_delimiter_line(tmp_path):
    """A pipe table's `|---|` line is not a row: at 100 columns, a header and
    99 rows are the limit exactly (validate counted the delimiter as a row,
    and refused a table the PDF takes; bench/stress.py builds this one)."""
    from resource_library import pdf
    columns = pdf.MAX_TABLE_COLUMNS

    def table(rows: int) -> str:
        return ("|" + "|".join(f"c{i}" for i in range(columns)) + "|\n|" + "---|" * columns + "\n"
                + ("|" + "x|" * columns + "\n") * rows)

    assert run_cli(make_project(tmp_path / "at", content={"at-a-glance/grid.md": resource(table(99))}),
                   "validate").returncode == 0
    over = run_cli(make_project(tmp_path / "over", content={"at-a-glance/grid.md": resource(table(100))}), "validate")
    assert "100 columns by 101 rows (10,100 cells)" in over.stdout + over.stderr


def test_the_attackers_spans_are_refused_before_any_pdf(tmp_path):
    row = "<table>\n<tr>\n" + '<td colspan="99" rowspan="99">x</td>\n' * 560 + "</tr>\n</table>\n"
    project, validated, built = agree(tmp_path, {"deeper-dives/wide.md": resource(row), })
    found = problems(validated)
    assert len(found) == 1 and found[0].startswith(f"deeper-dives/wide.md:{BODY_LINE}:1 [too-complex-for-pdf] this table's grid is"), found
    assert built.returncode != 0 and problems(built) == found


def test_the_converter_refuses_a_grid_over_the_limit_and_clamps_list_numbers():
    from resource_library import pdf
    converter = pdf.Converter("https://example.org/x/", lambda src: None)
    with pytest.raises(pdf.PdfError, match="100 columns and 10,000 cells"):
        converter.blocks("<table>" + '<tr><td colspan="99">x</td><td colspan="2">y</td></tr>' + "</table>")
    assert converter.blocks('<ol start="99999999999999999999999"><li>a</li></ol>')[0]["start"] == 1
    assert converter.blocks('<ol start="12"><li>a</li></ol>')[0]["start"] == 12


@pytest.mark.parametrize("body, line, col, variant", [
    ('<ol start="99999999999999999999999"><li>a</li></ol>\n', 0, 1, "list-start"),
    ("Text.\n\n99999999999999999999999. a\n", 2, 1, "list-start"),
    ("<p>" + "<b>" * 61 + "x" + "</b>" * 61 + "</p>\n", 0, 4 + 3 * 58, "nesting"),
], ids=["html-start", "markdown-start", "nesting"])
def test_what_the_pdf_step_refused_validate_refuses_at_the_line(tmp_path, body, line, col, variant):
    project, validated, built = agree(tmp_path / "pdf", {"at-a-glance/deep.md": resource(body)})
    found = problems(validated)
    assert len(found) == 1 and found[0].startswith(f"at-a-glance/deep.md:{BODY_LINE + line}:{col} "
                                                   "[too-complex-for-pdf]"), found
    assert built.returncode != 0 and problems(built) == found
    assert "[pdf]" not in built.stdout + built.stderr
    # A webinar has no PDF, and builds.
    project, validated, built = agree(tmp_path / "webinar", {"webinars/deep.md": webinar(body)})
    assert validated.returncode == 0


def test_nesting_well_within_the_limit_builds_its_pdf(tmp_path):
    body = "<p>" + "<b>" * 50 + "x" + "</b>" * 50 + "</p>\n\n- a\n    - b\n        - c\n\n> quote\n"
    project, validated, built = agree(tmp_path, {"at-a-glance/nested.md": resource(body)})
    assert validated.returncode == 0 and built.returncode == 0, built.stdout + built.stderr


SHARED = [
    # A past webinar named like the calendar of every webinar: its own
    # calendar is written only while it is upcoming, so yesterday's site
    # built and today's would not. Refused whatever the date.
    ("webinar named like the site's calendar", {"webinars/webinars.md": WEBINAR.format(url="https://e.example/r")},
     "webinars/webinars.md", "`webinars/webinars.ics` would be written twice"),
    ("briefing named files, beside its download", {
        "at-a-glance/files.md": good(status="status: current\ndownloads:\n  - file: files/files.pdf\n    label: Slides"),
        "at-a-glance/files/files.pdf": "PDF"}, "at-a-glance/files.md", "`at-a-glance/files/files.pdf` would be written twice"),
    ("downloads differing in case", {
        "at-a-glance/case.md": good(status="status: current\ndownloads:\n  - file: files/Report.pdf\n    label: One\n"
                                           "  - file: files/report.pdf\n    label: Two"),
        "at-a-glance/files/Report.pdf": "PDF", "at-a-glance/files/report.pdf": "PDF"},
     "at-a-glance/case.md", "differ only in letter case or accents"),
    ("downloads differing in Unicode normalisation", {
        "at-a-glance/case.md": good(status="status: current\ndownloads:\n  - file: files/caf\u00e9.pdf\n    label: One\n"
                                           "  - file: files/cafe\u0301.pdf\n    label: Two"),
        "at-a-glance/files/caf\u00e9.pdf": "PDF", "at-a-glance/files/cafe\u0301.pdf": "PDF"},
     "at-a-glance/case.md", "differ only in letter case or accents"),
    # The fifth attacker: `ΐ` (U+0390) and `Ϊ́` (U+03AA U+0301) are one file on
    # macOS, but NFC then casefold kept them apart.
    ("downloads one file only under canonical caseless matching", {
        "at-a-glance/case.md": good(status="status: current\ndownloads:\n  - file: files/\u0390.pdf\n    label: One\n"
                                           "  - file: files/\u03aa\u0301.pdf\n    label: Two"),
        "at-a-glance/files/\u0390.pdf": "PDF", "at-a-glance/files/\u03aa\u0301.pdf": "PDF"},
     "at-a-glance/case.md", "differ only in letter case or accents"),
]


@pytest.mark.parametrize("case, files, path, says", SHARED, ids=[c[0] for c in SHARED])
def test_two_outputs_at_one_address_are_refused_by_validate_as_by_the_build(tmp_path, case, files, path, says):
    """The fourth attacker: each of these passed validate and only the output
    gate refused them; validate now says the same, at the resource."""
    from conftest import real_pdf
    project = make_project(tmp_path / "p", content={"deeper-dives/valid.md": GOOD})
    write_files(project, {rel: real_pdf() if text == "PDF" else text for rel, text in files.items()})
    for command in ("validate", "build"):
        result = run_cli(project, command) if command == "validate" else build(project)
        output = result.stdout + result.stderr
        assert result.returncode != 0, (command, output[-2000:])
        assert "Traceback" not in output
        assert any(line.startswith(f"{path}:") and "[duplicate-output]" in line and says in line
                   for line in output.splitlines()), (command, output[-3000:])
    assert not (project / "site").exists()


def test_one_file_asked_for_by_two_resources_is_published_once_and_refused_by_neither(tmp_path):
    chart = "\n![A chart of referrals](files/chart.png)\n"
    project = make_project(tmp_path / "p", content={"at-a-glance/one.md": GOOD + chart,
                                                    "at-a-glance/two.md": GOOD.replace("A good briefing", "Another") + chart + chart})
    from conftest import real_png
    write_files(project, {"at-a-glance/files/chart.png": real_png()})
    assert run_cli(project, "validate").returncode == 0
    assert build(project).returncode == 0


FIFTH = [
    ("a body link with no scheme", {"at-a-glance/t.md": good(status="status: current").replace(
        "Body text.", "Read [the report](//evil.example/share/report.pdf).")}, "at-a-glance/t.md:16:19 [broken-link]",
     "no scheme"),
    ("a body link with a slash and a backslash", {"at-a-glance/t.md": GOOD.replace(
        "Body text.", "Read [the report](/\\evil.example/share/x).")}, "at-a-glance/t.md:16:19 [broken-link]",
     "no scheme"),
    ("a side note", {"at-a-glance/t.md": GOOD.replace("Body text.", "!!! note inline end\n    Beside.")},
     "at-a-glance/t.md:16:5 [unsafe-html]", "`inline`"),
    ("a note of the theme's class", {"at-a-glance/t.md": GOOD.replace("Body text.", "!!! md-consent__overlay\n    x")},
     "at-a-glance/t.md:16:5 [unsafe-html]", "`md-consent__overlay`"),
    ("a right-to-left override as a reference", {"at-a-glance/t.md": GOOD.replace("Body text.", "report&#x202E;fdp.exe")},
     "at-a-glance/t.md:16:7 [control-character]", "U+202E"),
    ("a bell as a reference", {"at-a-glance/t.md": GOOD.replace("Body text.", "Ding &#7; dong")},
     "at-a-glance/t.md:16:6 [control-character]", "U+0007"),
    ("an editor's page with the theme's class", {"docs/privacy.md": "---\ntitle: Privacy\n---\n\n"
                                                  '<div class="md-consent__overlay">Sign in again</div>\n'},
     "docs/privacy.md:5:13 [unsafe-html]", "md-consent__overlay"),
    ("an editor's page linking with no scheme", {"docs/privacy.md": "---\ntitle: Privacy\n---\n\n[x](//evil.example/x)\n"},
     "docs/privacy.md:5:5 [unsafe-html]", "no scheme"),
    ("an editor's page hiding 5", {"docs/privacy.md": "---\ntitle: Privacy\nhide: 5\n---\n\nText.\n"},
     "docs/privacy.md:3:7 [wrong-type]", "`hide` must be a list"),
    # The reader and contributor review of this session.
    ("a web address with no https", {"at-a-glance/t.md": GOOD.replace("Body text.", "See [the guidance](www.gov.scot).")},
     "at-a-glance/t.md:16:20 [broken-link]", "looks like a web address"),
    ("an id that starts with a digit", {"at-a-glance/t.md": GOOD.replace("Body text.", "## Plans {#2026-plans}")},
     "at-a-glance/t.md:16:10 [unsafe-html]", "an id starts with a letter"),
    ("an editor's page named like a file", {"docs/webinars/webinars.ics.md": "---\ntitle: Calendar\n---\n\nText.\n"},
     "docs/webinars/webinars.ics.md:1:1 [file-name]", "has a dot in its name"),
    # Forty-third round: validate passed each; the build refused it with a message at the wrong line, in the
    # briefing's PDF, or as the engine's bare warning.
    ("a Markdown link inside a tag's attribute", {"at-a-glance/t.md": GOOD.replace(
        "Body text.", '<span title="[x](files/old.csv)">hi</span>'), "at-a-glance/files/old.csv": "a\n"},
     "at-a-glance/t.md:16:7 [unsafe-html]", "Markdown makes into a tag inside the attribute"),
    ("a text file shown as a picture, its alt holding a link", {"at-a-glance/t.md": GOOD.replace(
        "Body text.", "![a [x](files/b.csv)](files/c.csv)"), "at-a-glance/files/b.csv": "a\n",
        "at-a-glance/files/c.csv": "a\n"}, "at-a-glance/t.md:16:", "is shown as a picture, but it is not an image"),
    # Forty-fifth round: headings the lines do not show as such.
    ("a heading in a list item", {"at-a-glance/t.md": GOOD.replace("Body text.", "- ## Ring 0141 555 0100 today")},
     "at-a-glance/t.md:16:6 [misleading-link]", "the heading shows the phone number `0141 555 0100`"),
    ("a heading in a note", {"at-a-glance/t.md": GOOD.replace(
        "Body text.", "!!! note\n    ## Visit https://evil.example/login")},
     "at-a-glance/t.md:17:", "the heading reads as the address `evil.example`"),
    ("a heading written as HTML", {"at-a-glance/t.md": GOOD.replace("Body text.", "<h2>Raw www.evil.example/c</h2>")},
     "at-a-glance/t.md:16:", "the heading reads as the address `evil.example`"),
    ("a comment a browser ends at once", {"at-a-glance/t.md": GOOD.replace(
        "Body text.", "See <!--> [y](files/old.csv) -->"), "at-a-glance/files/old.csv": "a\n"},
     "at-a-glance/t.md:16:5 [unsafe-html]", "is over at once in a browser"),
]


@pytest.mark.parametrize("case, files, where, says", FIFTH, ids=[c[0] for c in FIFTH])
def test_what_the_fifth_attacker_found_is_refused_by_validate_and_the_build_alike(tmp_path, case, files, where, says):
    """Each of these passed validate, then stopped the build with a traceback,
    a raw warning or a problem validate had not said, or was published."""
    project = make_project(tmp_path / "p", content={"deeper-dives/valid.md": GOOD})
    write_files(project, files)
    for command in ("validate", "build"):
        result = run_cli(project, "validate") if command == "validate" else build(project)
        output = result.stdout + result.stderr
        assert result.returncode != 0 and "Traceback" not in output, (command, output[-2500:])
        assert any(line.startswith(where) and says in line for line in output.splitlines()), (command, output[-2500:])
        assert "WARNING" not in output, (command, output[-2500:])
    assert not (project / "site").exists()


def test_toc_marker_is_text_and_the_sites_own_classes_stay_on_the_macro_pages_only(tmp_path):
    """The maintainers' macro pages keep the site's classes (the home page's
    button); an editor's other page may not dress a link away as the site's
    own banner and sign-in button (twelfth attacker)."""
    project = make_project(tmp_path / "p", content={"at-a-glance/t.md": GOOD.replace("Body text.", "[TOC]\n\nText.")})
    assert run_cli(project, "validate").returncode == 0
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "[TOC]" in read(project / "site", "at-a-glance/t/")
    assert 'class="md-button md-button--primary"' in read(project / "site", "")
    write_files(project, {"docs/privacy.md": "---\ntitle: Privacy\n---\n\n"
                                             '<p class="lib-banner md-button">Sign in</p>\n'})
    for command in ("validate", "build"):
        result = run_cli(project, "validate") if command == "validate" else build(project)
        assert result.returncode == 1 and "Traceback" not in result.stderr, (command, result.stderr[-2000:])
        assert any(line.startswith("docs/privacy.md:5:") and "lib-banner md-button" in line
                   for line in result.stderr.splitlines()), (command, result.stderr[-2000:])


def test_what_the_sixth_attacker_found_is_a_problem_at_a_line(tmp_path):
    """A PDF download whose /OpenAction opens a web address as it opens (https
    links were allowed anywhere); vocabulary/synonyms.yml with bytes that are
    not UTF-8, or nested 3,000 deep, stopped validate with a traceback."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("https://attacker.example/opened")})
    opened = io.BytesIO()
    writer.write(opened)
    cases = {
        "open action": ({"at-a-glance/t.md": good(status="status: current\ndownloads:\n  - file: files/o.pdf\n    label: O"),
                         "at-a-glance/files/o.pdf": opened.getvalue()}, "at-a-glance/t.md:13:", "[unsafe-file]"),
        "synonyms not UTF-8": ({"vocabulary/synonyms.yml": b"ijb: [\xff\xfe integration joint board]\n"},
                               "vocabulary/synonyms.yml:1:1", "[encoding]"),
        "synonyms nested deep": ({"vocabulary/synonyms.yml": "a: " + "[" * 3000 + "x" + "]" * 3000 + "\n"},
                                 "vocabulary/synonyms.yml:1:1", "[synonyms]"),
    }
    for case, (files, where, rule) in cases.items():
        project = make_project(tmp_path / case.replace(" ", "-"), content={"deeper-dives/valid.md": GOOD})
        write_files(project, files)
        for result in (run_cli(project, "validate"), build(project)):
            output = result.stdout + result.stderr
            assert result.returncode != 0 and "Traceback" not in output, (case, output[-2000:])
            assert any(line.startswith(where) and rule in line for line in output.splitlines()), (case, output[-2000:])


def test_what_the_ninth_attacker_found_is_a_problem_at_a_line(tmp_path):
    """Validate passed each and the build refused it, or published it broken:
    an <img> or <a> with a relative address (MkDocs never adjusts a tag's,
    so it 404ed on the page's own address); two files that differ only in
    letter case, asked for only by body links; a file in a resource's folder
    at the address of another briefing's PDF (blamed on that briefing); a
    file name with a direction override or a zero-width space."""
    png = __import__("conftest").real_png()
    body = ('<img src="files/chart.png" alt="A chart">\n\n<a href="../deeper-dives/valid.md">More</a>\n\n'
            "[One](files/ZZ.csv) and [two](files/zz.csv).\n\n[The PDF](valid/valid.pdf)\n\n"
            "[Budget](files/budget-%E2%80%AEslx.csv) and [zero](files/zero%E2%80%8B.csv)\n")
    content = {"at-a-glance/t.md": GOOD.replace("A good briefing", "Links") + "\n" + body,
               "at-a-glance/files/chart.png": png, "at-a-glance/files/ZZ.csv": b"a,b\n", "at-a-glance/files/zz.csv":
               b"a,b\n", "at-a-glance/valid/valid.pdf": __import__("conftest").real_pdf(),
               "at-a-glance/files/budget-\u202eslx.csv": b"a,b\n", "at-a-glance/files/zero\u200b.csv": b"a,b\n",
               "at-a-glance/valid.md": GOOD}
    project = make_project(tmp_path / "p", content={"deeper-dives/valid.md": GOOD})
    write_files(project, content)
    first = GOOD.count("\n") + 2
    expected = [(f"at-a-glance/t.md:{first}:11", "[broken-link]", "relative address in an HTML tag"),
                (f"at-a-glance/t.md:{first + 2}:10", "[broken-link]", "relative address in an HTML tag"),
                (f"at-a-glance/t.md:{first + 4}:", "[duplicate-output]", "differ"),
                (f"at-a-glance/t.md:{first + 6}:", "[duplicate-output]", "valid/valid.pdf"),
                (f"at-a-glance/t.md:{first + 8}:", "[file-path]", "changes the direction of the text"),
                (f"at-a-glance/t.md:{first + 8}:", "[file-path]", "an invisible character (U+200B)")]
    for result in (run_cli(project, "validate"), build(project)):
        output = result.stdout + result.stderr
        assert result.returncode != 0 and "Traceback" not in output, output[-2000:]
        for where, rule, says in expected:
            assert any(line.startswith(where) and rule in line and says in line for line in output.splitlines()), (
                where, rule, says, output[-4000:])


def test_a_tag_written_over_several_lines_is_checked_whole(tmp_path):
    """Tenth attacker: `<td\\n>` 101 times, `<div\\n>` 70 deep and
    `<span\\nclass="md-header">` passed validate, and the build refused each."""
    cases = {"at-a-glance/td.md": "<table><tr>" + "<td\n>x</td>" * 101 + "</tr></table>\n",
             "at-a-glance/div.md": "<div\n>" * 70 + "x" + "</div>" * 70 + "\n",
             "deeper-dives/span.md": 'Text <span\nclass="md-header">x</span>.\n'}
    project = make_project(tmp_path / "p", content={path: resource(body) for path, body in cases.items()})
    result = run_cli(project, "validate")
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output
    for path, rule, says in [("at-a-glance/td.md", "[too-complex-for-pdf]", "101 columns"),
                             ("at-a-glance/div.md", "[too-complex-for-pdf]", "nested more than 60 deep"),
                             ("deeper-dives/span.md", "[unsafe-html]", "the class `md-header`")]:
        assert any(line.startswith(path + ":") and rule in line and says in line for line in output.splitlines()), (
            path, output[-3000:])


MULTIMARKDOWN = ('feed: https://evil.example/feed.xml?`">x\ntemplate: nope.html\n    more\njson_ld: {}\n\n'
                 "# Privacy\n\nText.\n")


def test_page_data_written_without_front_matter_lines_is_refused(tmp_path):
    """Fourteenth attacker: MkDocs reads `key: value` lines at the top of a
    page with no `---` as its data, which validate never read: `feed:`
    reached the page's head unescaped, `template: nope.html` stopped the
    build with a traceback, `json_ld:` spoofed the page's structured data.
    Validate and the build refuse each line; with validate's reading
    switched off, the build's own check of what the engine read still does."""
    project = make_project(tmp_path / "p", content={"deeper-dives/valid.md": GOOD})
    write_files(project, {"docs/privacy.md": MULTIMARKDOWN})
    expected = [f"docs/privacy.md:{n}:1 [unknown-field] `{key}:` at the top of the page is read by MkDocs as page data"
                for n, key in ((1, "feed"), (2, "template"), (4, "json_ld"))]
    for command in ("validate", "build", "build alone"):
        if command == "build alone":
            pages = project / "hooks" / "resource_library" / "docs_pages.py"
            text = pages.read_text()
            assert "        if lines:\n            return [rules.problem(" in text
            pages.write_text(text.replace("        if lines:\n            return [rules.problem(",
                                          "        if False:\n            return [rules.problem("))
        result = run_cli(project, "validate") if command == "validate" else build(project)
        assert result.returncode == 1 and "Traceback" not in result.stderr, (command, result.stderr[-2000:])
        for line in expected:
            assert line in result.stderr, (command, line, result.stderr[-2000:])
        assert not (project / "site").exists()


def test_a_term_a_maintainers_page_links_to_cannot_go_quietly(tmp_path):
    """Fifteenth attacker: an editor removed a programme from the vocabulary
    (and from the resources that used it); validate passed and the build
    stopped with a KeyError from the maintainers' page that links to it.
    Both now name the page's line; the build's macro says so by itself too."""
    project = make_project(tmp_path / "p", content={"deeper-dives/valid.md": GOOD})
    programmes = project / "vocabulary" / "programmes.yml"
    text = programmes.read_text(encoding="utf-8")
    start = text.index("unpaid-carers:")
    end = text.find("\n", text.find("description:", start))
    programmes.write_text(text[:start] + text[end + 1:], encoding="utf-8")
    for folder in ("at-a-glance", "deeper-dives", "webinars"):
        for page in (project / folder).glob("*.md"):
            page.write_text(re.sub(r"\bunpaid-carers\b,? ?", "", page.read_text(encoding="utf-8")), encoding="utf-8")
    line = next(n for n, l in enumerate((project / "docs/about/programmes.md").read_text().splitlines(), 1)
                if '"unpaid-carers"' in l)
    where = f"docs/about/programmes.md:{line}:"
    for command in ("validate", "build", "build alone"):
        if command == "build alone":
            init = project / "hooks" / "resource_library" / "validate" / "__init__.py"
            init.write_text(init.read_text().replace("problems += term_problems(", "problems += [] if True else term_problems("))
        result = run_cli(project, "validate") if command == "validate" else build(project)
        assert result.returncode == 1 and "Traceback" not in result.stderr, (command, result.stderr[-2000:])
        assert any(l.startswith(where) and "[vocabulary] this page links to `unpaid-carers`" in l
                   for l in result.stderr.splitlines()), (command, result.stderr[-2000:])


def test_attribute_lists_are_read_as_attr_list_reads_them(tmp_path):
    """Eighteenth attacker: `{: x:y=1 }` and `{: tabindex=1"2 }` fell outside
    validate's pattern for an attribute list, passed it, and the build then
    refused the attributes; validate now reads them with attr_list's scanner."""
    from resource_library.validate import check_project
    text = GOOD.replace("Body text.", 'Body text.\n{: x:y=1 }\n\nMore text.\n{: tabindex=1"2 }\n\n*x*{: x:y=1}')
    project = make_project(tmp_path / "p", content={"at-a-glance/a.md": text})
    found = [p.message for p in check_project(project)[1] if p.rule == "unsafe-html"]
    assert len(found) == 3 and any("`x:y` attribute" in m for m in found) and any("`tabindex`" in m for m in found), found
