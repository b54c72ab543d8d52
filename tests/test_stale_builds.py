"""Issue 20: a killed build leaves its `.site.building-*` staging folder; the
next build removes what stopped builds left, and never touches the folder
of a build that is still running. A build holds an flock on a lock file
beside its folder for as long as it runs, which the kernel releases when
the build dies, however it dies."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from conftest import BUILD_EPOCH, build, make_project
from test_validate import GOOD

HOLD_LOCK = """
import fcntl, sys, time
handle = open(sys.argv[1], "a+b")
fcntl.flock(handle, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(120)
"""


def leftovers(project):
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site."))


def test_folders_of_stopped_builds_are_removed_and_a_running_builds_are_not(tmp_path):
    project = make_project(tmp_path / "p", content={"at-a-glance/case.md": GOOD})
    # A build that was killed: its folder, its lock file, nobody holding it.
    dead = project / ".site.building-dead1234"
    (dead / "at-a-glance").mkdir(parents=True)
    (dead / "at-a-glance" / "index.html").write_text("half a site")
    (project / ".site.building-dead1234.lock").write_text("12345\n")
    # One left by a build before lock files: no lock at all.
    (project / ".site.building-legacy99").mkdir()
    # A build still running: its lock is held (here by a process standing in for it).
    live = project / ".site.building-live5678"
    live.mkdir()
    (live / "partial.html").write_text("being written")
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(project / ".site.building-live5678.lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = build(project)
        assert result.returncode == 0, result.stderr
        assert "Removed .site.building-dead1234, left by a build that was stopped." in result.stderr
        assert "Removed .site.building-legacy99" in result.stderr
        assert leftovers(project) == [".site.building-live5678", ".site.building-live5678.lock"]
        assert (live / "partial.html").read_text() == "being written"
    finally:
        holder.kill()  # the stand-in build stops: its lock is released
        holder.wait()
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "Removed .site.building-live5678" in result.stderr
    assert leftovers(project) == []


def test_a_build_killed_midway_leaves_a_folder_that_the_next_build_removes(tmp_path):
    project = make_project(tmp_path / "p", content={"at-a-glance/case.md": GOOD})
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env.update(PYTHONPATH=str(project / "hooks"), NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=BUILD_EPOCH)
    # Its own session, so that the build and the helpers it starts are stopped together.
    running = subprocess.Popen([sys.executable, "-m", "resource_library", "build"], cwd=project, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not any(p.is_dir() for p in project.glob(".site.building-*")) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert any(p.is_dir() for p in project.glob(".site.building-*")), "the build never started"
    finally:
        os.killpg(running.pid, signal.SIGKILL)
        running.wait()
    left = leftovers(project)
    assert any(name.endswith(".lock") for name in left) and len(left) == 2, left
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert f"Removed {left[0]}, left by a build that was stopped." in result.stderr
    assert leftovers(project) == [] and (project / "site" / "index.html").is_file()


def test_a_build_stopped_while_swapping_gets_the_previous_site_back(tmp_path):
    """Killed after the old site was moved aside and before the new one
    was moved in: the next build puts the old one back before it builds,
    so that if that build fails too, site/ is as it was."""
    project = make_project(tmp_path / "p", content={"at-a-glance/case.md": GOOD})
    assert build(project).returncode == 0
    before = (project / "site" / "index.html").read_text()
    aside = project / ".site.old-swap0001"
    aside.mkdir()
    os.replace(project / "site", aside / "site")
    (project / "at-a-glance" / "case.md").write_text(GOOD.replace("topics: [housing]", "topics: [housng]"))
    result = build(project)
    assert result.returncode == 1 and "Removed .site.old-swap0001" in result.stderr
    assert (project / "site" / "index.html").read_text() == before
    assert leftovers(project) == []
