"""Issue 13: the routes a contributor can take. From a browser only (a pull
request whose check lists every problem on the run's page, with a preview of
the site), from a dev container, or on a laptop; and a README that matches
the repository."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import BUILD_EPOCH, REPO, build, make_project, run_cli
from resource_library.problems import Problem, md_message, summary_markdown
from test_messages import LIBRARY, VALIDATE_PARTS, resource

# --- The pull request's check: the summary on the run's page ---------------

EVENT = {"pull_request": {"head": {"repo": {"full_name": "a-contributor/strategic-planning-library"},
                                   "ref": "add-winter-briefing", "sha": "0123abc"}}}


def git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args], cwd=project,
                   check=True, capture_output=True)


@pytest.fixture
def pull_request(tmp_path) -> Path:
    """A repository whose base already has a problem in one file, and a pull
    request that adds a resource with two problems of its own."""
    project = make_project(tmp_path / "p", content=LIBRARY, parts=VALIDATE_PARTS)
    (project / "deeper-dives" / "older.md").write_text(
        resource("Older", topics="[housing]").replace("published: 2026-01-10", "published: 2026-1-10"))
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    (project / "at-a-glance" / "planning-for-winter.md").write_text(
        resource("Planning for winter", topics="[housng]",
                 body="See [plans](../at-a-glance/strategic-plans-explaind.md).\n"))
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "the pull request")
    return project


def use_this_venv() -> list[str]:
    """make's arguments to run a copied Makefile with the tests' own venv,
    never reinstalling it."""
    venv = REPO / ".venv"
    return [f"VENV={venv}", "-o", f"{venv}/bin/.installed", "-o", f"{venv}/bin/.installed-dev"]


def actions_env(tmp_path: Path, summary: Path) -> dict:
    event = tmp_path / "event.json"
    event.write_text(json.dumps(EVENT))
    return {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "healthcare-improvement-scotland/strategic-planning-library",
            "GITHUB_EVENT_PATH": str(event), "GITHUB_SHA": "fedcba9"}


EXPECTED_SUMMARY = """\
earlier step
## Resource check: 3 problems in 2 files

Nothing is published until every problem is fixed. For each one, open the file, go to the line, and follow the hint; the check runs again when you commit the fix.

### In the files this pull request changes

#### `at-a-glance/planning-for-winter.md` ([edit this file](https://github.com/a-contributor/strategic-planning-library/edit/add-winter-briefing/at-a-glance/planning-for-winter.md))

- **[Line 6, column 10](https://github.com/a-contributor/strategic-planning-library/blob/0123abc/at-a-glance/planning-for-winter.md#L6):** `housng` is not one of the topics (`not-in-vocabulary`)

  ```text
  topics: [housng]
           ^
  ```

  **How to fix:** Did you mean `housing`\\? Allowed\\: commissioning\\, community\\-engagement\\, data\\-and\\-intelligence\\, demand\\-and\\-capacity\\, digital\\-and\\-technology\\, equalities\\-and\\-human\\-rights\\, evaluation\\, financial\\-planning\\, governance\\-and\\-accountability\\, housing\\, legislation\\-and\\-policy\\, needs\\-assessment\\, outcomes\\-and\\-performance\\, partnership\\-working\\, prevention\\-and\\-early\\-intervention\\, primary\\-and\\-community\\-care\\, scenario\\-planning\\, strategic\\-commissioning\\-plans\\, systems\\-thinking\\, workforce\\-planning \\(from vocabulary\\/topics\\.yml\\)\\.

- **[Line 12, column 13](https://github.com/a-contributor/strategic-planning-library/blob/0123abc/at-a-glance/planning-for-winter.md#L12):** `../at-a-glance/strategic-plans-explaind.md` points to `at-a-glance/strategic-plans-explaind.md`\\, which does not exist (`broken-link`)

  ```text
  See [plans](../at-a-glance/strategic-plans-explaind.md).
              ^
  ```

  **How to fix:** Did you mean `strategic-plans-explained.md`\\, the At a Glance “Strategic plans explained”\\?

### Elsewhere in the library

#### `deeper-dives/older.md` ([edit this file](https://github.com/a-contributor/strategic-planning-library/edit/add-winter-briefing/deeper-dives/older.md))

- **[Line 7, column 12](https://github.com/a-contributor/strategic-planning-library/blob/0123abc/deeper-dives/older.md#L7):** `published` must be a date as YYYY\\-MM\\-DD\\, not `2026-1-10` (`bad-date`)

  ```text
  published: 2026-1-10
             ^
  ```

  **How to fix:** Write the month and day with two digits\\: published\\: 2026\\-01\\-10

"""


def test_the_check_writes_every_problem_to_the_run_summary(tmp_path, pull_request):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")  # GitHub's file may already hold other steps' text: append
    result = run_cli(pull_request, "validate", "--changed-since", "HEAD^1", extra_env=actions_env(tmp_path, summary))
    assert result.returncode == 1
    assert summary.read_text() == EXPECTED_SUMMARY
    # Annotations: the pull request's own file first, since GitHub shows only 10.
    annotations = [line for line in result.stderr.splitlines() if line.startswith("::error ")]
    assert [re.search(r"file=([^,]+)", a).group(1) for a in annotations] == [
        "at-a-glance/planning-for-winter.md", "at-a-glance/planning-for-winter.md", "deeper-dives/older.md"]
    assert annotations[0] == ("::error file=at-a-glance/planning-for-winter.md,line=6,col=10::[not-in-vocabulary] "
                              "`housng` is not one of the topics Hint: Did you mean `housing`? Allowed: "
                              + annotations[0].split("Allowed: ", 1)[1])


def test_the_make_target_the_workflow_runs_writes_the_summary(tmp_path, pull_request):
    """`make validate CHANGED_SINCE=HEAD^1`, exactly as the workflow's step runs it."""
    workflow = (REPO / ".github" / "workflows" / "pull-request.yml").read_text()
    assert "run: make validate CHANGED_SINCE=HEAD^1" in workflow
    for part in ("Makefile", "requirements.txt"):
        (pull_request / part).write_bytes((REPO / part).read_bytes())
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    env = {**os.environ, **actions_env(tmp_path, summary), "SOURCE_DATE_EPOCH": BUILD_EPOCH}
    result = subprocess.run(["make", "--no-print-directory", *use_this_venv(), "validate", "CHANGED_SINCE=HEAD^1"],
                            cwd=pull_request, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0
    assert summary.read_text() == EXPECTED_SUMMARY


def test_with_no_problems_the_summary_says_so(tmp_path):
    project = make_project(tmp_path / "p", content=LIBRARY, parts=VALIDATE_PARTS)
    summary = tmp_path / "summary.md"
    result = run_cli(project, "validate", extra_env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 0, result.stderr
    assert summary.read_text() == ("## Resource check: no problems\n\n"
                                   "3 resources checked: the site can be built from them.\n\n")


def test_without_github_no_summary_is_written(tmp_path):
    project = make_project(tmp_path / "p", content=LIBRARY, parts=VALIDATE_PARTS)
    result = run_cli(project, "validate")
    assert result.returncode == 0
    assert not list(tmp_path.glob("*.md"))


def test_contributors_text_is_shown_as_text_in_the_summary():
    """Values quoted in messages come from the contributor's file: in the
    summary they are code or escaped text, never a link, image or HTML."""
    assert md_message("`<img src=x onerror=alert(1)>` is not allowed") == "`<img src=x onerror=alert(1)>` is not allowed"
    assert md_message("see [here](https://example.org) ![x](y.png) <b>bold</b> @someone") == (
        "see \\[here\\]\\(https\\:\\/\\/example\\.org\\) \\!\\[x\\]\\(y\\.png\\) \\<b\\>bold\\<\\/b\\> \\@someone")
    # A value holding backticks stays one code span; a lone backtick is text.
    assert md_message("`a``b` and ` alone") == "```a``b``` and \\` alone"
    markdown = summary_markdown([Problem("at-a-glance/x.md", 3, 1, "yaml-syntax", "invalid ```", "use `` ` ``",
                                         "title: ```\n<script>")], 1)
    # A line break in the shown line is written as `\n` (issue 20): it stays one line, inside the block.
    assert "  ````text\n  title: ```\\n<script>\n  ^\n  ````" in markdown


def test_the_summary_stops_short_of_githubs_limit():
    problems = [Problem(f"at-a-glance/f{n:03}.md", 1, 1, "placeholder", "still has TODO " + "x" * 3000, "Replace it.")
                for n in range(400)]
    markdown = summary_markdown(problems, 400)
    assert len(markdown.encode()) < 1024 * 1024
    assert "... and 200 more problems: the log of this step lists them all." in markdown


def test_the_preview_includes_drafts_with_their_banner(tmp_path):
    project = make_project(tmp_path / "p", "basic")
    result = run_cli(project, "build", "--drafts", "--site-dir", "preview")
    assert result.returncode == 0, result.stderr
    page = (project / "preview" / "at-a-glance" / "draft-briefing" / "index.html").read_text()
    assert "lib-banner--draft" in page
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert not (project / "site" / "at-a-glance" / "draft-briefing").exists()


def test_the_pull_request_workflow_stays_locked_down():
    workflow = (REPO / ".github" / "workflows" / "pull-request.yml").read_text()
    import yaml
    data = yaml.safe_load(workflow)
    assert data["permissions"] == {"contents": "read"}
    # No path filter: a required check must never wait, "pending", for a job that was skipped.
    assert data[True] == {"pull_request": None}  # YAML reads `on` as True
    assert set(data["jobs"]) == {"content", "tests"}
    for job in data["jobs"].values():
        assert "permissions" not in job and "needs" not in job  # both start at once, read-only
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
            if step.get("uses", "").startswith("actions/checkout"):
                assert step["with"]["persist-credentials"] is False
            # Values from the event reach scripts through env, never pasted into the script.
            assert "${{" not in step.get("run", "")
    # The contributor's job: no browser, no tests; the preview whatever validation found; red until fixed.
    content = data["jobs"]["content"]["steps"]
    runs = " ".join(step.get("run", "") for step in content)
    assert "make test" not in runs and "chromium" not in runs and ".ci/run" not in runs
    steps = {step.get("id"): step for step in content}
    assert {"validate", "preview", "upload"} <= set(steps)
    assert steps["validate"]["continue-on-error"] is True
    assert "if" not in steps["preview"] and "if" not in steps["upload"]
    assert steps["upload"]["with"]["path"] == "preview/"
    assert content[-1]["if"] == "steps.validate.outcome != 'success'" and "exit 1" in content[-1]["run"]
    tests = " ".join(step.get("run", "") for step in data["jobs"]["tests"]["steps"])
    assert "make site" in tests and ".ci/run" in tests


# --- The dev container -------------------------------------------------------

def test_the_dev_container_has_everything_installed():
    config = json.loads((REPO / ".devcontainer" / "devcontainer.json").read_text())
    dockerfile = (REPO / ".devcontainer" / config["build"]["dockerfile"]).read_text()
    assert re.search(r"^FROM \S*python:\S*3\.11", dockerfile, re.M)
    installed = re.search(r"apt-get install ([^&]*)", dockerfile, re.S).group(1).split()
    assert {"make", "chromium", "npm", "default-jre-headless", "fonts-dejavu-core"} <= set(installed)
    # What .ci/run installs, the container has too.
    ci = (REPO / ".ci" / "run").read_text()
    for package in re.findall(r"need_apt\+=\(([\w-]+)\)", ci):
        assert package in installed, package
    assert "make .venv/bin/.installed-dev" in config["postCreateCommand"]
    assert "node_modules/.installed" in config["postCreateCommand"]
    assert 8000 in config["forwardPorts"]
    assert config["containerEnv"]["ADDR"] == "0.0.0.0:8000"


def make_dry_run(*args: str, env: dict | None = None) -> str:
    return subprocess.run(["make", "-n", "--no-print-directory", *args], cwd=REPO, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, check=True).stdout


def test_make_serve_listens_where_asked():
    plain = {k: v for k, v in os.environ.items() if k != "ADDR"}
    serve = subprocess.run(["make", "-n", "--no-print-directory", "serve"], cwd=REPO, capture_output=True,
                           text=True, env=plain, check=True).stdout
    assert re.search(r"mkdocs serve .*--dev-addr 127\.0\.0\.1:8000", serve)
    assert "--dev-addr 0.0.0.0:8000" in make_dry_run("serve", "ADDR=0.0.0.0:8000")
    # In the container, ADDR comes from the environment.
    assert "--dev-addr 0.0.0.0:8000" in make_dry_run("serve", env={"ADDR": "0.0.0.0:8000"})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_serve_in_a_container_answers_on_every_interface(tmp_path):
    """As in the dev container: ADDR=0.0.0.0:PORT, and the page is served to
    whoever connects (here, this machine's own address)."""
    project = make_project(tmp_path / "p", "basic", parts=VALIDATE_PARTS + ("Makefile", "requirements.txt"))
    port = free_port()
    env = {**os.environ, "ADDR": f"0.0.0.0:{port}", "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(["make", "--no-print-directory", *use_this_venv(), "serve"], cwd=project,
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        # Any 127.x address reaches this machine, but a server bound to
        # 127.0.0.1 alone does not answer on 127.0.0.2.
        address = "127.0.0.2"
        deadline, body = time.monotonic() + 90, ""
        while time.monotonic() < deadline and not body:
            try:
                with urllib.request.urlopen(f"http://{address}:{port}/", timeout=5) as response:
                    body = response.read().decode()
            except OSError:
                time.sleep(0.5)
        assert "Alpha briefing" in body or "<html" in body, "make serve did not answer"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


# --- README ------------------------------------------------------------------

def layout_table() -> list[tuple[list[str], str]]:
    readme = (REPO / "README.md").read_text()
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [(re.findall(r"`([^`]+)`", row.split("|")[1]), row.split("|")[2]) for row in rows]


def test_every_path_in_the_readme_layout_exists():
    rows = layout_table()
    assert len(rows) > 10
    for paths, _ in rows:
        for path in paths:
            assert (REPO / path).exists(), f"README's layout names {path}, which does not exist"


def test_the_readme_layout_names_every_folder_and_module():
    rows = layout_table()
    named = {path.split("/")[0] for paths, _ in rows for path in paths}
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    folders = {path.split("/")[0] for path in tracked if "/" in path}
    assert sorted(folders - named) == [], "add these folders to README's layout table"
    modules = {p.stem for p in (REPO / "hooks" / "resource_library").glob("*.py")} - {"__init__", "__main__"}
    described = next(text for paths, text in rows if "hooks/resource_library/" in paths)
    listed = set(re.findall(r"`([a-z_]+)`", described))
    assert sorted(modules - listed) == [], "describe these modules in README's layout table"
    assert sorted(listed - modules) == [], "README's layout table names modules that do not exist"


# --- CONTRIBUTING's starters for the browser route -----------------------------

def starter(name: str) -> str:
    guide = (REPO / "CONTRIBUTING.md").read_text()
    block = guide.split(f"<!-- starter:{name} -->\n", 1)[1]
    return block.split("```yaml\n", 1)[1].split("\n```\n", 1)[0] + "\n"


FILLED = {
    '"TODO: the title"': '"Planning for winter pressures"',
    '"TODO: what this is and who it is for"': '"What winter planning asks of partnerships, for planners."',
    '"TODO: what the webinar covers and who it is for"': '"A webinar on winter planning, for planners."',
    "functions: [TODO]": "functions: [curate]",
    "topics: [TODO]": "topics: [housing]",
    "published: TODO": "published: 2026-05-01",
    '"TODO: a role or team"': "Test team",
    'starts: "TODO"': 'starts: "2026-10-07T13:00"',
    '"TODO: the speaker\'s name"': "A Speaker",
    '"TODO: their role and organisation"': "Planner, a partnership",
    "https://TODO.example/register": "https://events.example.org/winter",
    "## TODO: the first heading": "## Method",
    "TODO: write the resource here.": "The resource.",
    "TODO: what the webinar covers, in a few short paragraphs.": "The webinar.",
    "status: draft": "status: current",
}


def test_the_starters_in_contributing_are_caught_until_filled_then_publish(tmp_path):
    files = {"at-a-glance/from-the-starter.md": starter("resource"),
             "deeper-dives/dive-from-the-starter.md": starter("resource"),
             "webinars/webinar-from-the-starter.md": starter("webinar")}
    project = make_project(tmp_path / "p", content={**LIBRARY, **files})
    result = run_cli(project, "validate")
    assert result.returncode == 1
    rules = set(re.findall(r"^\S+:\d+:\d+ \[([a-z-]+)\]", result.stderr, re.M))
    assert rules == {"placeholder"}, result.stderr
    for rel, text in files.items():
        for old, new in FILLED.items():
            text = text.replace(old, new)
        assert "TODO" not in text, text
        (project / rel).write_text(text)
    result = build(project)
    assert result.returncode == 0, result.stderr
    page = (project / "site" / "webinars" / "webinar-from-the-starter" / "index.html").read_text()
    assert "7 October 2026" in page


def test_an_unfinished_draft_does_not_stop_the_site_but_stops_its_check_and_preview(tmp_path):
    """Found by the fresh-clone tester: a draft just made by `make new`
    (TODO everywhere), merged by mistake, stopped `make site`, though drafts
    are never published. Its problems are warnings there; the pull
    request's check (`make validate`) and the preview still refuse it."""
    project = make_project(tmp_path / "p", content={**LIBRARY, "at-a-glance/from-the-starter.md": starter("resource")})
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^at-a-glance/from-the-starter\.md:\d+:\d+ \[placeholder\] warning:", result.stderr, re.M)
    assert "this stops its preview, not the published site" in result.stderr
    assert not (project / "site" / "at-a-glance" / "from-the-starter").exists()
    assert run_cli(project, "validate").returncode == 1
    # Issue 21: the preview is built all the same, with the draft's problems
    # above its own text; the check (validate) stays red.
    preview = run_cli(project, "build", "--drafts", "--site-dir", "preview")
    assert preview.returncode == 0, preview.stderr[-2000:]
    assert re.search(r"^at-a-glance/from-the-starter\.md:\d+:\d+ \[placeholder\] ", preview.stderr, re.M)
    assert "[placeholder] warning" not in preview.stderr
    page = (project / "preview" / "at-a-glance" / "from-the-starter" / "index.html").read_text()
    assert "Problems to fix" in page and "[placeholder]" in page


def test_a_pull_request_with_problems_still_gets_its_preview(tmp_path):
    """Issue 21: a draft's TODOs gave a red check and no preview. The preview
    shows every valid page as published, and each resource with problems as
    its own text under its problems; it passes the same output gate, so a
    stranger's hostile body is cleaned there too."""
    draft = resource("Winter draft", topics="[winter-planning]")
    # The second attacker: a title with `<` and `&` showed a stray backslash.
    draft = draft.replace("title: Winter draft", "title: 'Winter draft <img src=x> & more'", 1)
    draft += "\n## What changed this winter\n\nMore people asked for help.\n\n<script>window.__pwned=1</script>\n"
    project = make_project(tmp_path / "p", content={**LIBRARY, "at-a-glance/winter-draft.md": draft})
    assert run_cli(project, "validate").returncode == 1
    preview = run_cli(project, "build", "--drafts", "--config-file", "mkdocs.offline.yml", "--site-dir", "preview")
    assert preview.returncode == 0, preview.stderr[-2000:]
    page = (project / "preview" / "at-a-glance" / "winter-draft.html").read_text()
    article = page.split("<article", 1)[1]
    problems, own_text = article.split('id="what-changed-this-winter"', 1)
    assert "Problems to fix: " in problems
    assert ">Winter draft &lt;img src=x&gt; &amp; more<a class=\"headerlink\"" in page and "\\&" not in page.split("<pre>")[0]
    assert "[not-in-vocabulary]" in problems and "[unsafe-html]" in problems
    assert "More people asked for help." in own_text
    assert "window.__pwned" not in page.split("<pre>")[0] and "<script>window" not in page
    # Every valid page is there as it will be published.
    for rel in LIBRARY:
        if rel.endswith(".md"):
            assert (project / "preview" / rel.replace(".md", ".html")).exists(), rel


def test_the_package_never_imports_mkdocs():
    """Material reached end of life and MkDocs 2 drops plugins: everything
    MkDocs-specific stays in the hook, so the package can move engines. A
    fresh interpreter imports every module and checks sys.modules, which
    also catches imports made indirectly."""
    package = REPO / "hooks" / "resource_library"
    modules = sorted(p.stem for p in package.glob("*.py") if p.stem not in ("__init__", "__main__"))
    assert "side_outputs" in modules and "search" in modules
    code = ("import importlib, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module('resource_library.' + name)\n"
            "print(sorted(m for m in sys.modules if m == 'mkdocs' or m.startswith('mkdocs.')))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, PYTHONPATH=str(REPO / "hooks")))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
