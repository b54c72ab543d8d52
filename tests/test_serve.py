"""Issue 2: `make serve` shows drafts and rebuilds when a resource changes."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import make_project


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def wait_for(check, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError("timed out")


def start_serve(project: Path):
    """`mkdocs serve` on a free port, as `make serve` runs it; (process, base URL)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(PYTHONPATH=str(project / "hooks"), NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    base = f"http://127.0.0.1:{port}/strategic-planning-library/"
    wait_for(lambda: get(base)[0] == 200)
    return server, base


def test_serve_shows_drafts_and_reloads_on_change(tmp_path):
    project = make_project(tmp_path / "p", "basic")
    server, base = start_serve(project)
    try:
        status, html = get(base + "at-a-glance/draft-briefing/")
        assert status == 200 and "shown only in a local preview" in html
        assert get(base + "finder/finder-index.js")[0] == 200
        session = children(server.pid)
        assert session, "the finder and feeds are made in a second process"
        page = project / "at-a-glance" / "alpha-briefing.md"
        page.write_text(page.read_text().replace("Alpha briefing on carers", "Alpha briefing, edited"))
        wait_for(lambda: "Alpha briefing, edited" in get(base + "at-a-glance/")[1])
        assert get(base + "at-a-glance/draft-briefing/")[0] == 200  # still shown after a rebuild
        # What the second process makes is up to date too: the finder's data
        # and the feed after a title edit, the finder's body index after a
        # body edit.
        assert "Alpha briefing, edited" in get(base + "finder/finder-data.js")[1]
        assert "Alpha briefing, edited" in get(base + "feed.xml")[1]
        page.write_text(page.read_text() + "\nA zanzibarish sentence.\n")
        wait_for(lambda: "zanzibarish" in get(base + "at-a-glance/alpha-briefing/")[1])
        shards = re.findall(r"finder-body-\d+\.[0-9a-f]+\.js", get(base + "finder/finder-index.js")[1])
        assert shards and any("zanzibarish" in get(base + "finder/" + name)[1] for name in shards)
        # A renamed resource is no longer served at its old address.
        assert get(base + "deeper-dives/beta-dive/")[0] == 200
        (project / "deeper-dives" / "beta-dive.md").rename(project / "deeper-dives" / "gamma-dive.md")
        wait_for(lambda: get(base + "deeper-dives/gamma-dive/")[0] == 200)
        assert get(base + "deeper-dives/beta-dive/")[0] == 404
        # Every page served has the policy, re-rendered or not.
        for path in ("", "at-a-glance/", "at-a-glance/alpha-briefing/", "404.html", "about/"):
            assert 'http-equiv="Content-Security-Policy"' in get(base + path)[1], path
    finally:
        server.terminate()
        server.wait(timeout=20)
    # The finder's and feeds' process does not outlive the server.
    wait_for(lambda: all(not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
                         for pid in session), seconds=20)


def test_the_vocabulary_can_change_while_previewing(tmp_path):
    # Found by a fresh-clone tester: a topic added to the vocabulary and put
    # on a resource while `make serve` ran stopped the rebuild with a
    # traceback, and a renamed topic kept its old name on resource pages.
    project = make_project(tmp_path / "p", "basic")
    server, base = start_serve(project)
    try:
        page = base + "at-a-glance/alpha-briefing/"
        assert "Housing" in get(page)[1]
        topics = project / "vocabulary" / "topics.yml"
        topics.write_text(topics.read_text().replace("name: Housing\n", "name: Housing and homes\n")
                          + "\nwinter-pressures:\n  name: Winter pressures\n"
                            "  description: Planning for the extra demand of the winter months.\n")
        resource = project / "at-a-glance" / "alpha-briefing.md"
        resource.write_text(resource.read_text().replace("topics: [needs-assessment, housing]",
                                                         "topics: [needs-assessment, housing, winter-pressures]"))
        wait_for(lambda: "Winter pressures" in get(page)[1])
        html = get(page)[1]
        assert "Housing and homes" in html and "Problems to fix" not in html
        assert "Winter pressures" in get(base + "topics/winter-pressures/")[1]
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_preview_recovers_from_failed_rebuilds(tmp_path):
    # Found by a fresh-clone tester: a rebuild that failed with an error
    # left the finder's and feeds' process blocked writing a reply nobody
    # read. Later rebuilds were answered with the outputs of the one before
    # (the feed and the finder's data lagged an edit behind), and a second
    # failure hung the server until it was killed.
    project = make_project(tmp_path / "p", "basic")
    server, base = start_serve(project)
    try:
        partial = project / "docs" / "overrides" / "partials" / "report-problem.html"
        good = partial.read_text()
        for attempt in ("one", "two"):  # an editor's slip in a theme template, saved twice
            partial.write_text(good + "{{ nosuch.attribute_" + attempt + " }}\n")
            time.sleep(4)
        partial.write_text(good)
        resource = project / "at-a-glance" / "alpha-briefing.md"
        resource.write_text(resource.read_text().replace("Alpha briefing on carers", "Alpha briefing, recovered"))
        wait_for(lambda: "Alpha briefing, recovered" in get(base + "at-a-glance/alpha-briefing/")[1], seconds=90)
        wait_for(lambda: "Alpha briefing, recovered" in get(base + "feed.xml")[1], seconds=30)
        assert "Alpha briefing, recovered" in get(base + "finder/finder-data.js")[1]
    finally:
        server.terminate()
        server.wait(timeout=20)


def children(pid: int) -> list[int]:
    return [int(child) for task in Path(f"/proc/{pid}/task").glob("*/children")
            for child in task.read_text().split()]


def text_of(page, selector: str) -> str:
    """The element's text, or "" while the page is reloading."""
    try:
        return page.inner_text(selector, timeout=1000)
    except Exception:
        return ""


def wait_in_tab(page, selector: str, wanted: str, seconds: float = 60) -> None:
    """Wait for the open tab to show `wanted`, without reloading it: only
    the page's own live-reload script may do that."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if wanted in text_of(page, selector):
            return
        time.sleep(0.25)
    raise AssertionError(f"the open tab never showed {wanted!r}; it shows {text_of(page, selector)!r}")


def test_the_open_tab_reloads_itself_and_lists_problems_until_they_are_fixed(page, tmp_path):
    project = make_project(tmp_path / "p", "basic")
    server, base = start_serve(project)
    try:
        page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                             " e => window.__csp.push(e.violatedDirective));")
        logs = []
        page.on("console", lambda m: logs.append(m.text))
        page.goto(base + "at-a-glance/alpha-briefing/")
        assert page.inner_text("article h1") == "Alpha briefing on carers"
        wait_for(lambda: "Enabled live reload" in logs, 20)  # the policy lets the reload script run
        source = project / "at-a-glance" / "alpha-briefing.md"
        good = source.read_text()
        source.write_text(good.replace("Alpha briefing on carers", "Alpha briefing, edited"))
        wait_in_tab(page, "article h1", "Alpha briefing, edited")

        # A mistake: the open tab shows the problem, as the terminal does.
        source.write_text(good.replace("topics: [needs-assessment, housing]", "topics: [needs-assessment, housng]"))
        wait_in_tab(page, "article", "Problems to fix")
        article = page.inner_text("article")
        assert "at-a-glance/alpha-briefing.md:6:" in article and "[not-in-vocabulary]" in article
        assert "Did you mean `housing`?" in article
        # Every other page says so too, and the server still answers.
        assert "Problems to fix" in get(base + "topics/")[1]

        # Fixed: the tab comes back by itself.
        source.write_text(good.replace("Alpha briefing on carers", "Alpha briefing, fixed"))
        wait_in_tab(page, "article h1", "Alpha briefing, fixed")
        assert page.evaluate("window.__csp") == []
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_each_rebuild_passes_the_output_gate_and_the_tab_shows_what_it_found(tmp_path):
    """Issue 20: `make serve` is gated too. A webinar named like the
    site-wide calendar would replace it: the preview lists the problem on
    its pages, and fixing it brings the pages back."""
    project = make_project(tmp_path / "p", "basic")
    server, base = start_serve(project)
    try:
        assert "Problems to fix" not in get(base + "webinars/")[1]
        clash = project / "webinars" / "webinars.md"
        # Upcoming by the clock `make serve` reads (no SOURCE_DATE_EPOCH): it gets its own calendar file.
        next_year = time.gmtime().tm_year + 1
        clash.write_text((project / "webinars" / "future-webinar.md").read_text()
                         .replace('starts: "2026-09-01T13:00"', f'starts: "{next_year}-09-01T13:00"'))
        wait_for(lambda: "[duplicate-output]" in get(base + "webinars/")[1]
                 or "duplicate-output" in get(base + "webinars/")[1])
        html = get(base + "webinars/")[1]
        assert "webinars/webinars.md" in html and 'http-equiv="Content-Security-Policy"' in html
        clash.unlink()
        wait_for(lambda: "duplicate-output" not in get(base + "webinars/")[1]
                 and "Webinars" in get(base + "webinars/")[1])
        assert "BEGIN:VCALENDAR" in get(base + "webinars/webinars.ics")[1]
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_rebuild_prints_only_what_a_contributor_can_act_on(tmp_path):
    """Issue 21: every rebuild printed MkDocs' warning about --dirty (which
    `make serve` chose), a WARNING for each redirect to a folder's slash, and
    six lines of macros' set-up."""
    project = make_project(tmp_path / "p", "basic")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(PYTHONPATH=str(project / "hooks"), NO_MKDOCS_2_WARNING="1")
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
                                  cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/strategic-planning-library/"
    try:
        wait_for(lambda: get(base)[0] == 200)
        assert get(base + "at-a-glance")[0] == 200  # redirected to at-a-glance/
        assert get(base + "no-such-page/")[0] == 404
        page = project / "at-a-glance" / "alpha-briefing.md"
        page.write_text(page.read_text().replace("Alpha briefing on carers", "Alpha briefing, edited"))
        wait_for(lambda: "Alpha briefing, edited" in get(base + "at-a-glance/")[1])
    finally:
        server.terminate()
        server.wait(timeout=20)
    printed = log.read_text()
    assert "Reloading browsers" in printed or "Detected file changes" in printed
    assert "'dirty' build" not in printed
    assert "code 302" not in printed and "code 404" in printed
    assert "[macros]" not in printed


def test_a_file_the_gate_refuses_is_not_served_and_is_checked_again(tmp_path):
    """Twenty-fifth round: under `make serve` a PDF changed to run a script
    was refused by the gate, yet still served, and after the next edit it
    was not checked again and its page came back."""
    project = make_project(tmp_path / "p", "basic")
    server, base = start_serve(project)
    slides = project / "webinars" / "files" / "past-slides.pdf"
    address = base + "webinars/files/past-slides.pdf"
    try:
        assert get(address)[0] == 200
        hostile = slides.read_bytes().replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /JavaScript "
                                                                  b"/JS (app.alert\\(1\\)) >>", 1)
        assert hostile != slides.read_bytes()
        slides.write_bytes(hostile)
        wait_for(lambda: "OpenAction" in get(base + "webinars/")[1])
        assert get(address)[0] == 404
        other = project / "at-a-glance" / next(p.name for p in (project / "at-a-glance").glob("*.md"))
        other.write_text(other.read_text() + "\nOne more line.\n")
        wait_for(lambda: "One more line" in get(base + "at-a-glance/")[1] or "OpenAction" in get(base + "at-a-glance/")[1])
        time.sleep(1)
        assert "OpenAction" in get(base + "webinars/")[1] and get(address)[0] == 404
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_symbolic_link_in_docs_is_never_followed_by_the_preview(tmp_path):
    """Thirty-ninth round: with `docs/host.txt -> /etc/hostname` the preview said it was paused and still served
    the file's contents, and a linked folder holding a broken link stopped it with a traceback."""
    project = make_project(tmp_path / "p", "basic")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("SECRET-OUTSIDE\n")
    (outside / "gone.txt").symlink_to(tmp_path / "nowhere")
    server, base = start_serve(project)
    try:
        (project / "docs" / "host.txt").symlink_to(outside / "secret.txt")
        (project / "docs" / "d").symlink_to(outside)
        page = project / "docs" / "privacy.md"
        page.write_text(page.read_text() + "\nOne more line.\n")  # a save, as an editor's would be
        wait_for(lambda: "[symlink]" in get(base)[1] or "symlink" in get(base)[1])
        for address in ("host.txt", "d/secret.txt"):
            status, text = get(base + address)
            assert "SECRET-OUTSIDE" not in text and status != 200, (address, status)
        (project / "docs" / "host.txt").unlink()
        (project / "docs" / "d").unlink()
        page.write_text(page.read_text() + "\nAnother line.\n")
        wait_for(lambda: "Another line" in get(base + "privacy/")[1])
        assert "symlink" not in get(base)[1]
    finally:
        server.terminate()
        server.wait(timeout=20)
