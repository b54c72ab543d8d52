"""Shared test harness: real projects in temporary folders, built for real."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(REPO / "hooks"))

# 2026-06-01 12:00 UTC: the build date for fixture sites, so "upcoming" is fixed.
BUILD_EPOCH = "1780315200"
PROJECT_PARTS = ("mkdocs.yml", "hooks", "vocabulary", "schema", "docs", "templates")


def make_project(dest: Path, fixture: str | None = None, content: dict[str, str] | None = None) -> Path:
    """A project folder: the repo's machinery, with a fixture's content (or
    none) instead of the repo's own resources."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, dest / part)
    for type_slug in ("at-a-glance", "deeper-dives", "webinars"):
        (dest / type_slug).mkdir(exist_ok=True)
    if fixture:
        shutil.copytree(FIXTURES / fixture, dest, dirs_exist_ok=True)
    for rel, text in (content or {}).items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return dest


def run_cli(project: Path, *args: str, epoch: str = BUILD_EPOCH, extra_env: dict | None = None):
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env.update(PYTHONPATH=str(project / "hooks"), NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=epoch,
               **(extra_env or {}))
    return subprocess.run([sys.executable, "-m", "resource_library", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def build(project: Path, site_dir: str = "site", **kwargs):
    return run_cli(project, "build", "--site-dir", site_dir, **kwargs)


def read(site: Path, url_path: str) -> str:
    path = site / url_path
    if url_path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def basic_site(tmp_path_factory) -> Path:
    """The `basic` fixture built once with directory URLs; returns site/."""
    project = make_project(tmp_path_factory.mktemp("basic"), "basic")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"
