"""Issue 3: every bad input is reported as path:line:col [rule], the build
fails without a traceback, and the previous site/ is left exactly as it was."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import build, make_project, run_cli, write_files

GOOD = """---
title: A good briefing
summary: A valid briefing used as the starting point for each bad case.
functions: [curate]
programmes: [unpaid-carers]
topics: [housing]
published: 2026-01-10
last_reviewed: 2026-01-10
next_review_due: 2027-01-10
owner: Test team
status: current
---

## Method

Body text.
"""


def good(**replace) -> str:
    """GOOD with some lines replaced: key -> new line (or None to drop it)."""
    lines = GOOD.split("\n")
    for key, new in replace.items():
        index = next(i for i, line in enumerate(lines) if line.startswith(key + ":"))
        if new is None:
            del lines[index]
        else:
            lines[index] = new
    return "\n".join(lines)


WEBINAR = """---
title: A webinar
summary: A valid webinar used as the starting point for webinar cases.
functions: [spread]
topics: [housing]
published: 2026-01-10
owner: Test team
status: current
starts: "2026-09-01T13:00"
duration_minutes: 60
speakers:
  - name: A Speaker
registration_url: {url}
---

Body.
"""

A = "at-a-glance/case.md"
# (case id, {file: text or bytes}, expected file, line, rule, text that must be in the message)
CASES = [
    ("missing field", {A: good(summary=None)}, A, 1, "missing-field", "`summary` is missing"),
    ("unknown key, near miss", {A: good(summary="sumary: A valid briefing used as the starting point.")},
     A, 3, "unknown-field", "Did you mean `summary`?"),
    ("topic outside the vocabulary", {A: good(topics="topics: [housng]")}, A, 6, "not-in-vocabulary",
     "Did you mean `housing`?"),
    ("programme outside the vocabulary", {A: good(programmes="programmes: [unpaid-carer]")}, A, 5,
     "not-in-vocabulary", "Did you mean `unpaid-carers`?"),
    ("status outside the allowed values", {A: good(status="status: published")}, A, 11, "not-in-vocabulary",
     "Allowed: current, draft, withdrawn"),
    ("string where a list is needed", {A: good(topics="topics: housing")}, A, 6, "wrong-type", "must be a list"),
    ("title read as a boolean", {A: good(title="title: NO")}, A, 2, "wrong-type", "read `NO` as a yes/no value"),
    ("title read as a number", {A: good(title="title: 2024")}, A, 2, "wrong-type", "as a number"),
    ("title read as a date", {A: good(title="title: 2026-01-01")}, A, 2, "wrong-type", "as a date"),
    ("date in the wrong form", {A: good(published="published: 05/03/2026")}, A, 7, "bad-date", "YYYY-MM-DD"),
    ("impossible date", {A: good(published="published: 2026-13-45")}, A, 7, "bad-date", "is not a real date"),
    ("review due before last review", {A: good(next_review_due="next_review_due: 2025-01-01")}, A, 9,
     "review-dates", "not after `last_reviewed`"),
    ("review more than three years on", {A: good(next_review_due="next_review_due: 2030-01-11")}, A, 9,
     "review-dates", "more than 3 years"),
    ("duplicate key", {A: good(owner="owner: Test team\ntitle: Another title")}, A, 11, "duplicate-key",
     "`title` appears twice (first on line 2)"),
    ("tab in the indentation", {A: good(programmes="programmes:\n\t- unpaid-carers")}, A, 6, "yaml-syntax",
     "Indent with spaces"),
    ("unquoted colon-space in a value", {A: good(summary="summary: Planning: a guide to plans for everyone")},
     A, 3, "yaml-syntax", 'must be in quotes: summary: "Planning: a guide to plans for everyone"'),
    ("front matter not closed", {A: GOOD.replace("status: current\n---", "status: current\n")}, A, 1,
     "front-matter-unclosed", "never closed"),
    ("front matter not a mapping", {A: "---\n- a\n- b\n---\nBody\n"}, A, 2, "front-matter-not-mapping", "not a set"),
    ("front matter missing", {A: "# Just a heading\n\nBody.\n"}, A, 1, "front-matter-missing", "does not start"),
    ("YAML anchor and alias", {A: good(topics="topics: &t [housing]", owner="owner: *t")}, A, 6, "yaml-alias",
     "anchor"),
    ("python tag", {A: good(owner='owner: !!python/object/apply:os.system ["echo hacked"]')}, A, 10, "yaml-tag",
     "python/object/apply:os.system"),
    ("not UTF-8", {A: good(owner="owner: Caf\xe9 team").encode("latin-1")}, A, 10, "encoding", "not UTF-8"),
    ("front matter over 16 KB", {A: good(owner="owner: Test\n# " + "x" * 17000)}, A, 1, "too-large", "16 KB"),
    ("file over 512 KB", {A: GOOD + ("word " * 110_000)}, A, 1, "too-large", "limit is 512 KB"),
    ("file name not a slug", {"at-a-glance/Bad_Name.md": GOOD}, "at-a-glance/Bad_Name.md", 1, "file-name",
     "bad-name.md"),
    ("same slug in two types", {A: GOOD, "deeper-dives/case.md": GOOD}, "deeper-dives/case.md", 1,
     "duplicate-slug", "also used by at-a-glance/case.md"),
    ("same URL as a docs page", {A: GOOD, "docs/at-a-glance/case.md": "# Hand-written\n"}, A, 1,
     "duplicate-url", "docs/at-a-glance/case.md"),
    ("Jinja in front matter", {A: good(title='title: "Plans {{ config.site_name }}"')}, A, 2, "jinja",
     "template delimiter"),
    ("Jinja comment in front matter", {A: good(owner='owner: "Team {# note #}"')}, A, 10, "jinja", "template"),
    ("render_macros key", {A: good(status="status: current\nrender_macros: true")}, A, 12, "render-macros",
     "not allowed"),
    ("event handler in the title", {A: good(title='title: "<img src=x onerror=alert(1)>"')}, A, 2, "unsafe-html",
     "event handler"),
    ("script in the body", {A: GOOD + "\n<script>alert(1)</script>\n"}, A, 18, "unsafe-html", "<script>"),
    ("event handler in the body", {A: GOOD + '\n<img src="x.png" onerror="alert(1)">\n'}, A, 18, "unsafe-html",
     "event-handler"),
    ("javascript URL in the body", {A: GOOD + "\n[click](javascript:alert(1))\n"}, A, 18, "unsafe-html",
     "javascript:"),
    ("http link field", {"webinars/case.md": WEBINAR.format(url="http://events.example.org/x")}, "webinars/case.md",
     13, "link-scheme", "https:"),
    ("javascript link field", {"webinars/case.md": WEBINAR.format(url="javascript:alert(1)")}, "webinars/case.md",
     13, "link-scheme", "https:"),
    ("broken internal link", {A: GOOD + "\nSee [this](../deeper-dives/nothing.md).\n"}, A, 18, "broken-link",
     "does not exist"),
    ("broken anchor", {A: GOOD + "\nSee [this](#no-such-heading).\n"}, A, 18, "broken-anchor",
     "no heading `#no-such-heading`"),
    ("template placeholder left in", {A: good(owner='owner: "TODO: a role or team"')}, A, 10, "placeholder",
     "TODO"),
    ("comment swallows part of a title", {A: good(title="title: Update #2")}, A, 2, "yaml-comment",
     "cut short to `Update`"),
    ("download that does not exist", {A: good(status="status: current\ndownloads:\n  - file: files/none.pdf\n    label: Nothing")},
     A, 13, "missing-file", "does not exist"),
    ("webinar field on a briefing", {A: good(status="status: current\nduration_minutes: 60")}, A, 12,
     "unknown-field", "only for another type"),
    ("withdrawn without a reason", {A: good(status="status: withdrawn")}, A, 11, "missing-field",
     "withdrawn_reason"),
]


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built_project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("valid"), content={"deeper-dives/valid.md": GOOD})
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.mark.parametrize("case, files, path, line, rule, text", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_and_the_site_is_untouched(tmp_path, built_project, case, files, path, line, rule, text):
    project = tmp_path / "p"
    shutil.copytree(built_project, project)
    before = tree_digest(project / "site")
    write_files(project, files)
    result = build(project)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    reported = [l for l in result.stderr.splitlines() if f"[{rule}]" in l and l.startswith(f"{path}:{line}:")]
    assert reported, f"expected {path}:{line}:* [{rule}] in:\n{result.stderr}"
    assert text in result.stderr
    assert "hint:" in result.stderr
    assert tree_digest(project / "site") == before


def test_every_problem_in_every_file_is_reported_at_once(tmp_path):
    project = make_project(tmp_path / "p", content={
        "at-a-glance/one.md": good(summary=None, topics="topics: [housng]"),
        "deeper-dives/two.md": good(published="published: 2026-02-30"),
    })
    result = run_cli(project, "validate")
    assert result.returncode == 1
    assert "at-a-glance/one.md:1:1 [missing-field]" in result.stderr
    assert "at-a-glance/one.md:5:10 [not-in-vocabulary]" in result.stderr
    assert "deeper-dives/two.md:7:12 [bad-date]" in result.stderr
    assert "3 problem(s) in 2 file(s)." in result.stderr


def test_a_bom_is_fine(tmp_path):
    project = make_project(tmp_path / "p", content={})
    (project / "at-a-glance" / "bom.md").write_bytes(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    result = run_cli(project, "validate")
    assert result.returncode == 0, result.stderr


def test_reviews_due_and_overdue_warn_but_never_fail(tmp_path):
    project = make_project(tmp_path / "p", content={
        "at-a-glance/overdue.md": good(next_review_due="next_review_due: 2026-03-01"),
        "at-a-glance/soon.md": good(next_review_due="next_review_due: 2026-07-01"),
    })
    result = build(project)  # fixed build date: 2026-06-01
    assert result.returncode == 0, result.stderr
    assert "at-a-glance/overdue.md:9:18 [review-overdue] warning:" in result.stderr
    assert "at-a-glance/soon.md:9:18 [review-due] warning:" in result.stderr


def test_problems_become_github_annotations_under_actions(tmp_path):
    project = make_project(tmp_path / "p", content={A: good(topics="topics: [housng]")})
    result = run_cli(project, "validate", extra_env={"GITHUB_ACTIONS": "true"})
    assert "::error file=at-a-glance/case.md,line=6,col=10::[not-in-vocabulary]" in result.stderr
