"""Shortcuts the build takes for speed must change nothing a reader sees:
the site built with each is byte-for-byte the site built without it.

- The Markdown worker (hooks/markdown_worker.py) renders resource pages on
  the second core.
- The navigation is rendered once per set of links, not once per page
  (docs/overrides/partials/nav.html and the hook's library_nav_once)."""
from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import BUILD_EPOCH, CONTENT_FOLDERS, REPO, make_project

import markdown_worker

# Links, anchors, images and downloads the worker must resolve as MkDocs does.
EXTRA = {
    "deeper-dives/links-of-every-kind.md": """---
title: Links of every kind
summary: A page that links to resources, anchors and other sites in every way a contributor might.
functions: [curate]
programmes: [mental-health-and-substance-use]
topics: [needs-assessment]
published: 2026-02-01
last_reviewed: 2026-02-01
next_review_due: 2027-02-01
owner: Strategic Planning for Redesign team
status: current
---
## A heading {#custom-id}

See [the needs assessment](whole-system-needs-assessment.md#using-local-knowledge),
[strategic plans](../at-a-glance/strategic-plans-explained.md), [this section](#custom-id),
[the team](https://www.healthcareimprovementscotland.scot/) and [email](mailto:team@example.org).

| Column | Other |
| --- | --- |
| [a cell link](../webinars/needs-assessment-in-practice.md) | text |

!!! note "Admonition"
    Text with *emphasis* and `code <b>`.
""",
}


def site_with(project: Path, worker: str, config: str, site: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env.update(PYTHONPATH=str(project / "hooks"), NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=BUILD_EPOCH,
               RESOURCE_LIBRARY_MARKDOWN_WORKER=worker)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--verbose", "--config-file", config,
                             "--site-dir", str(site)], cwd=project, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def differences(left: Path, right: Path) -> list[str]:
    compared = filecmp.dircmp(left, right)
    found = [f"{left.name}/{name}" for name in compared.left_only + compared.right_only + compared.diff_files]
    for name in compared.common_dirs:
        found += differences(left / name, right / name)
    return found


def test_pages_rendered_by_the_worker_are_byte_identical(tmp_path):
    project = make_project(tmp_path / "project", content=EXTRA)
    for folder in CONTENT_FOLDERS:
        shutil.copytree(REPO / folder, project / folder, dirs_exist_ok=True)
    for config in ("mkdocs.yml", "mkdocs.offline.yml"):  # directory URLs, and .html files
        with_worker = site_with(project, "all", config, tmp_path / f"with-{config}")
        without = site_with(project, "0", config, tmp_path / f"without-{config}")
        used = [line for line in with_worker.splitlines() if "The Markdown worker rendered" in line]
        resources = sum(1 for folder in CONTENT_FOLDERS for path in (project / folder).glob("*.md")
                        if "status: draft" not in path.read_text(encoding="utf-8"))
        assert used and f"rendered {resources} resource pages" in used[0], (used, resources)
        assert "Markdown worker" not in without
        assert differences(tmp_path / f"without-{config}", tmp_path / f"with-{config}") == []
        page = (tmp_path / f"with-{config}" / "deeper-dives" /
                ("links-of-every-kind/index.html" if config == "mkdocs.yml" else "links-of-every-kind.html"))
        html = page.read_text(encoding="utf-8")
        assert 'id="custom-id"' in html and "using-local-knowledge" in html


def test_a_worker_that_fails_leaves_every_page_to_the_main_process(tmp_path):
    helper = markdown_worker.Helper()
    helper.send({"site_name": "x", "docs_dir": str(tmp_path / "no-such-folder"), "site_dir": str(tmp_path / "site"),
                 "use_directory_urls": True, "markdown_extensions": [], "validation": None},
                [("a.md", "a/index.html")], [("a.md", "# A\n")])
    helper._reader.join(timeout=60)
    assert helper.take("a.md") is None
    assert "no-such-folder" in helper.close()


def test_the_navigation_rendered_once_is_materials_own(tmp_path):
    project = make_project(tmp_path / "project", content=EXTRA)
    for folder in CONTENT_FOLDERS:
        shutil.copytree(REPO / folder, project / folder, dirs_exist_ok=True)
    site_with(project, "0", "mkdocs.yml", tmp_path / "once")
    (project / "docs" / "overrides" / "partials" / "nav.html").unlink()  # Material renders it for every page
    site_with(project, "0", "mkdocs.yml", tmp_path / "material")
    assert differences(tmp_path / "material", tmp_path / "once") == []
    page = (tmp_path / "once" / "deeper-dives" / "links-of-every-kind" / "index.html").read_text(encoding="utf-8")
    assert 'class="md-nav md-nav--primary md-nav--lifted"' in page and 'href="../../finder/"' in page


def test_side_outputs_made_in_another_process_are_those_made_here(tmp_path):
    """The side process gets a slimmer copy of the library (side_outputs.portable):
    the finder's files, feeds and calendars it makes from that copy are the
    ones the whole library makes, draft, withdrawn and webinar alike."""
    import pickle

    from resource_library import side_outputs
    from resource_library.validate import check_project

    project = make_project(tmp_path / "project", content=EXTRA)
    for folder in CONTENT_FOLDERS:
        shutil.copytree(REPO / folder, project / folder, dirs_exist_ok=True)
    for drafts in (False, True):
        library, problems = check_project(project, project / "docs", include_drafts=drafts)
        assert not [p for p in problems if p.is_error]
        args = (library, True, "https://example.org/library/", "Library", list(library.synonyms), None)
        here = side_outputs.build(*args)
        sent = pickle.loads(pickle.dumps(side_outputs.portable(args)))
        there = side_outputs.build(*side_outputs.arrived(sent))
        assert there == here
        assert "feed.xml" in here and "webinars/webinars.ics" in here


def test_the_tests_forked_builds_are_the_builds_a_fresh_interpreter_makes(tmp_path, monkeypatch):
    """conftest.run_cli forks builds from a process that has imported the
    command line (tests/build_server.py). What it returns must be what
    `python -m resource_library` returns: the same site, the same code,
    the same messages; and a project whose hooks differ runs in a fresh
    interpreter."""
    from conftest import _BUILDS, build, write_files
    project = make_project(tmp_path / "p", "basic")
    assert _BUILDS.can_run(project, {})
    forked = build(project, "s1")
    monkeypatch.setenv("TEST_FORK", "0")
    fresh = build(project, "s2")
    monkeypatch.delenv("TEST_FORK")
    assert forked.returncode == fresh.returncode == 0, forked.stderr + fresh.stderr
    compared = filecmp.dircmp(project / "s1", project / "s2")
    assert _same_trees(compared), "the forked build differs from a fresh one"
    write_files(project, {"at-a-glance/bad.md": "---\ntitle: [unclosed\n---\n<script>alert(1)</script>\n"})
    refused = build(project, "s1")
    monkeypatch.setenv("TEST_FORK", "0")
    refused_fresh = build(project, "s2")
    assert refused.returncode == refused_fresh.returncode == 1
    staging = re.compile(r"\.?s[12](\.building-\w+)?")  # the site folder; a random name each build
    assert staging.sub("", refused.stderr) == staging.sub("", refused_fresh.stderr)
    assert "at-a-glance/bad.md:2:" in refused.stderr
    monkeypatch.delenv("TEST_FORK")
    (project / "hooks" / "resource_library" / "dates.py").write_text("raise SystemExit('changed')\n")
    assert not _BUILDS.can_run(project, {})
    assert "changed" in build(project, "s1").stderr


def _same_trees(compared: filecmp.dircmp) -> bool:
    _, mismatch, errors = filecmp.cmpfiles(compared.left, compared.right, compared.common_files, shallow=False)
    return (not compared.left_only and not compared.right_only and not mismatch and not errors
            and all(_same_trees(sub) for sub in compared.subdirs.values()))
