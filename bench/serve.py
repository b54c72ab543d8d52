"""Edit-to-preview time under `mkdocs serve`: seconds from saving a resource
until the server answers with the edited page, the moment the open tab's
live-reload script reloads it. Used by run.py; also runnable alone:

    python bench/serve.py PROJECT_DIR [EDITS]

For the bare mkdocs-material baseline, the edited file is under docs/.
"""
from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def edit_to_preview(project: Path, source: Path, url_path: str, mount: str, edits: int = 5,
                    extra_args: tuple[str, ...] = ()) -> list[float]:
    """Seconds per edit. `source` is the Markdown file edited: its title in
    even-numbered edits, a sentence added to its body in odd ones (a title
    edit changes listings and related lists too; a body edit changes the
    finder's body index). `url_path` is its page under the server's mount
    path."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(PYTHONPATH=str(project / "hooks"), NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *extra_args],
                              cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}{mount}{url_path}"
    original = source.read_text(encoding="utf-8")
    times = []
    try:
        deadline = time.monotonic() + 600
        while "<html" not in fetch(url):
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"mkdocs serve did not start in {project}")
            time.sleep(0.5)
        for n in range(edits):
            lines = original.split("\n")
            if n % 2 == 0:
                marker = f"Edited title number {n} {time.time_ns()}"
                at = next(i for i, line in enumerate(lines) if line.startswith("title:") or line.startswith("# "))
                lines[at] = (f"title: {marker}" if lines[at].startswith("title:") else f"# {marker}")
            else:
                marker = f"Sentence added as edit {n} {time.time_ns()}"
                lines += ["", f"{marker} about housing and unpaid carers.", ""]
            time.sleep(1.0)  # let the watcher settle between edits
            start = time.perf_counter()
            source.write_text("\n".join(lines), encoding="utf-8")
            # The server holds requests while it rebuilds, so a request made
            # now is answered with the new page once it is ready.
            while marker not in fetch(url):
                if time.perf_counter() - start > 120:
                    raise SystemExit("the edit never reached the page")
                time.sleep(0.02)
            times.append(time.perf_counter() - start)
    finally:
        source.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)
    return times


if __name__ == "__main__":
    project = Path(sys.argv[1]).resolve()
    edits = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    source = sorted((project / "at-a-glance").glob("*.md"))[0]
    result = edit_to_preview(project, source, f"at-a-glance/{source.stem}/", "/strategic-planning-library/", edits,
                             extra_args=("--dirty",))  # as `make serve` runs it
    print(f"median {statistics.median(result):.2f} s over {len(result)} edits: {[round(t, 2) for t in result]}")
