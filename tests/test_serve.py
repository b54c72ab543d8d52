"""Issue 2: `make serve` shows drafts and rebuilds when a resource changes."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from conftest import make_project


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
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


def test_serve_shows_drafts_and_reloads_on_change(tmp_path):
    project = make_project(tmp_path / "p", "basic")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(PYTHONPATH=str(project / "hooks"), NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/strategic-planning-library/"
    try:
        wait_for(lambda: get(base)[0] == 200)
        status, html = get(base + "at-a-glance/draft-briefing/")
        assert status == 200 and "shown only in a local preview" in html
        assert get(base + "finder/finder-index.js")[0] == 200
        page = project / "at-a-glance" / "alpha-briefing.md"
        page.write_text(page.read_text().replace("Alpha briefing on carers", "Alpha briefing, edited"))
        wait_for(lambda: "Alpha briefing, edited" in get(base + "at-a-glance/")[1])
        assert get(base + "at-a-glance/draft-briefing/")[0] == 200  # still shown after a rebuild
    finally:
        server.terminate()
        server.wait(timeout=20)
