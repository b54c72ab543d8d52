"""Issue 3: contributor workflow: scaffolding, reproducible builds, the
report, the field reference and CI workflows that run the Makefile's verbs."""
from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import yaml

from conftest import REPO, build, make_project, run_cli
from resource_library.fieldref import END, START, table


def test_make_new_then_fill_placeholders_builds(tmp_path):
    project = make_project(tmp_path / "p", content={})
    # As `make` runs it: SOURCE_DATE_EPOCH is the last commit's time, 66 days ago.
    old_commit = str(int(time.time()) - 66 * 86400)
    result = run_cli(project, "new", "--type", "webinars", "--title", "Planning for winter: what's next?",
                     epoch=old_commit)
    assert result.returncode == 0, result.stderr
    path = project / "webinars" / "planning-for-winter-what-s-next.md"
    text = path.read_text()
    assert 'title: "Planning for winter: what\'s next?"' in text
    # A new file is dated today, not the day of the last commit.
    today = datetime.now(ZoneInfo("Europe/London")).date().isoformat()
    assert f"published: {today}" in text and f"last_reviewed: {today}" in text
    # Every field has a guidance comment above it.
    assert text.count("\n# ") >= 18
    # A half-finished file that is merged is not published, and the
    # contributor is told how to publish it.
    assert "\nstatus: draft\n" in text
    assert "To publish it, set status: current" in result.stdout
    # Its check refuses it; the site builds without it (drafts are not built).
    failed = run_cli(project, "validate", epoch=str(int(time.time())))
    assert failed.returncode != 0 and "[placeholder]" in failed.stderr
    unfinished = build(project, epoch=str(int(time.time())))
    assert unfinished.returncode == 0 and "[placeholder] warning" in unfinished.stderr
    assert not (project / "site" / "webinars" / "planning-for-winter-what-s-next").exists()
    filled = (text.replace('"TODO: one or two sentences on what this is and who it is for"',
                           '"A webinar on winter planning for health and care planners."')
              .replace("functions: [TODO]", "functions: [spread]").replace("topics: [TODO]", "topics: [housing]")
              .replace('"TODO: a role or team, not a personal email address"', "Test team")
              .replace('"TODO: YYYY-MM-DDTHH:MM"', f'"{int(today[:4]) + 1}-01-20T13:00"')
              .replace('"TODO: speaker name"', "A Speaker").replace('"TODO: role and organisation"', "A role")
              .replace("https://TODO.example/register", "https://events.example.org/winter")
              .replace("status: draft", "status: current"))
    body_start = filled.index("## TODO")
    filled = filled[:body_start] + "## About\n\nThe webinar covers winter planning.\n"
    path.write_text(filled)
    result = build(project, epoch=str(int(time.time())))
    assert result.returncode == 0, result.stderr
    assert "Planning for winter: what&#39;s next?" in (project / "site/webinars/planning-for-winter-what-s-next/index.html").read_text()


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path):
    project = make_project(tmp_path / "p", "basic")
    assert build(project, site_dir="one").returncode == 0
    assert build(project, site_dir="two").returncode == 0
    one, two = digest(project / "one"), digest(project / "two")
    assert len(one) > 30
    assert one == two


def test_report_counts_reviews_and_unused_terms(tmp_path):
    project = make_project(tmp_path / "p", "basic")
    (project / "at-a-glance" / "alpha-briefing.md").write_text(
        (project / "at-a-glance" / "alpha-briefing.md").read_text().replace("2027-01-10", "2026-06-20"))
    result = run_cli(project, "report", "--csv", "report.csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(open(project / "report.csv")))
    by = {(r["section"], r["item"]): r for r in rows}
    assert by[("status", "current")]["value"] == "4"
    assert by[("status", "withdrawn")]["value"] == "1" and by[("status", "draft")]["value"] == "1"
    assert by[("review due", "at-a-glance/alpha-briefing.md")]["value"] == "2026-06-20"
    assert by[("type", "webinars")]["value"] == "2"
    assert by[("programme", "unpaid-carers")]["value"] == "3"
    assert ("unused term", "topics/workforce-planning") in by
    assert ("unused term", "topics/housing") not in by
    assert "REVIEW DUE" in result.stdout


def test_contributor_guide_field_reference_matches_the_schema():
    guide = (REPO / "CONTRIBUTING.md").read_text()
    block = guide.split(START)[1].split(END)[0].strip()
    schema = yaml.safe_load((REPO / "schema" / "resource.schema.json").read_text())
    assert block == table(schema), "run `make fields` to regenerate the field reference"
    for name in ("title", "summary", "next_review_due", "starts", "registration_url"):
        assert f"| `{name}` |" in block


def test_every_rule_the_validator_can_report_is_documented():
    guide = (REPO / "CONTRIBUTING.md").read_text()
    # Problems are raised by catalogue key, `rule-id` or `rule-id/variant` (issue 23: rules.py).
    source = "".join(p.read_text() for p in (REPO / "hooks" / "resource_library").rglob("*.py"))
    rules = set(re.findall(r'found\([^,]+, [^,]+, "([a-z-]+)[/"]', source))
    rules |= set(re.findall(r'(?:_Refused|rules\.problem|report)\("([a-z-]+)[/"]', source))
    assert len(rules) > 20
    missing = sorted(r for r in rules if f"`{r}`" not in guide)
    assert missing == []


def workflow(name: str) -> dict:
    return yaml.safe_load((REPO / ".github" / "workflows" / name).read_text())


def test_workflows_run_the_makefile_targets():
    makefile = (REPO / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.M))
    pr = workflow("pull-request.yml")
    # YAML reads the key `on` as True.
    triggers = pr.get("on", pr.get(True))
    assert "pull_request" in triggers and "pull_request_target" not in triggers
    assert pr["permissions"] == {"contents": "read"}
    steps = [s.get("run", "") for job in pr["jobs"].values() for s in job["steps"]]
    # `make check`'s targets, one step each and in the same order, so that
    # each has its own place (and summary) on the run's page.
    check = re.search(r"^check: (.*)$", makefile, re.M).group(1).split()
    # .ci/run is `make test` after installing what the tests need (Chromium, npm, a JRE).
    assert "make test" in (REPO / ".ci" / "run").read_text()
    steps = [run.replace("bash .ci/run", "make test") for run in steps]
    run_targets = [m for run in steps for m in re.findall(r"\bmake ([a-z-]+)", run)]
    assert [t for t in run_targets if t in check] == check
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for job in pr["jobs"].values() for s in job["steps"])
    deploy = workflow("deploy.yml")
    uses = [s.get("uses", "") for job in deploy["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    links = workflow("external-links.yml")
    assert links["jobs"]["links"]["continue-on-error"] is True
    for name in ("pull-request.yml", "deploy.yml", "external-links.yml"):
        for job in workflow(name)["jobs"].values():
            for step in job.get("steps", []):
                for target in re.findall(r"\bmake ([a-z-]+)", step.get("run", "")):
                    assert target in targets, f"{name} runs `make {target}`, which the Makefile lacks"
    check = re.search(r"^check: (.*)$", makefile, re.M).group(1).split()
    assert {"validate", "site", "test"} <= set(check)
    assert re.search(r"^make test$", (REPO / ".ci" / "run").read_text(), re.M)


def test_a_macro_error_in_a_docs_page_fails_the_build(tmp_path):
    project = make_project(tmp_path / "p", "basic")
    assert build(project).returncode == 0
    before = digest(project / "site")
    page = project / "docs" / "contribute.md"  # a page in the nav
    config = project / "mkdocs.yml"  # only pages listed under extra.macro_pages may run macros
    config.write_text(config.read_text().replace("  macro_pages:\n", "  macro_pages:\n    - contribute.md\n"))
    page.write_text("---\nrender_macros: true\n---\n\n# Notes\n\n{{ no_such_macro() }}\n")
    result = build(project)
    assert result.returncode != 0
    assert "no_such_macro" in result.stderr + result.stdout
    assert digest(project / "site") == before
    # Pages that do not opt in are never rendered as templates.
    page.write_text("# Notes\n\n{{ no_such_macro() }}\n")
    assert build(project).returncode == 0
    assert "{{ no_such_macro() }}" in (project / "site" / "contribute" / "index.html").read_text()
