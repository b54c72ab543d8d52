"""`make validate` and `make site` agree: what validate passes builds, and
what the build would refuse validate refuses first, as path:line:col
[rule] with a hint (fourth attacker's findings 5 to 10 and 12)."""
from __future__ import annotations

import re

import pytest

from conftest import build, make_project, read, run_cli

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
