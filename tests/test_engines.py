"""The engine is one named choice (hooks/engine.py): ProperDocs, a maintained
fork of MkDocs 1.6, builds the starter library into the same bytes as MkDocs,
through the project's own build command, with the Markdown worker on.

ProperDocs is pinned in requirements-dev.txt, so `make test` installs it
beside MkDocs (it installs no `mkdocs` module of its own: its command line
aliases `mkdocs.*` to `properdocs.*`). A venv installed before that pin gets
ProperDocs alone, hash-checked, in .cache/, keyed by its pin.
"""
from __future__ import annotations

import filecmp
import hashlib
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, build

# Files allowed to differ between the engines, and why: none. (Material's
# generator tag names the engine's version, but ProperDocs reports itself
# as MkDocs 1.6.1's successor with the same context.)
MAY_DIFFER: dict[str, str] = {}


def properdocs_path() -> str:
    """'' when ProperDocs is installed here; else a folder holding it alone,
    for PYTHONPATH (its dependencies are MkDocs', pinned alike)."""
    if importlib.util.find_spec("properdocs") is not None:
        return ""
    lock = (REPO / "requirements-dev.txt").read_text()
    pin = re.search(r"^properdocs==.*?(?=^\S|\Z)", lock, re.M | re.S)
    assert pin, "properdocs is pinned in requirements-dev.txt"
    target = REPO / ".cache" / f"properdocs-{hashlib.sha256(pin.group(0).encode()).hexdigest()[:12]}"
    if not (target / "properdocs").is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        requirements = target.with_suffix(".txt")
        requirements.write_text(pin.group(0))
        result = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                                 "--require-hashes", "--no-deps", "--target", str(target), "-r", str(requirements)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"ProperDocs is not installed (make test installs it) and pip could not: {result.stderr[-500:]}")
    return str(target)


def tree(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}


def test_properdocs_builds_the_same_site(starter_project, starter_site, tmp_path):
    extra = properdocs_path()
    result = build(starter_project, str(tmp_path / "properdocs-site"),
                   extra_env={"RESOURCE_LIBRARY_ENGINE": "properdocs", "RESOURCE_LIBRARY_MARKDOWN_WORKER": "all",
                              "PYTHONPATH": os.pathsep.join(filter(None, [str(starter_project / "hooks"), extra]))})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    mkdocs_files, properdocs_files = tree(starter_site), tree(tmp_path / "properdocs-site")
    assert sorted(properdocs_files) == sorted(mkdocs_files)
    differ = [rel for rel in mkdocs_files if not filecmp.cmp(mkdocs_files[rel], properdocs_files[rel], shallow=False)]
    assert sorted(differ) == sorted(MAY_DIFFER), differ
    assert len(mkdocs_files) > 100


WORKER_CHECK = """
import sys
import markdown_worker
helper = markdown_worker.Helper("properdocs")
helper.send({"site_name": "x", "theme": "material", "docs_dir": sys.argv[1], "site_dir": sys.argv[1] + "-site", "use_directory_urls": True,
             "validation": {}, "markdown_extensions": ["toc"]},
            [("a.md", "a/index.html")], [("a.md", "# Title\\n\\nSome *text*.\\n")])
html, toc, anchors, links, messages = helper.take("a.md", wait=True)
print(type(toc).__module__, html)
assert not helper.close().strip()
"""


def test_the_markdown_worker_renders_with_properdocs(tmp_path):
    """The worker is a second interpreter: it imports the engine that the
    main process runs (engine.use), not whichever `mkdocs` is installed."""
    extra = properdocs_path()
    (tmp_path / "docs").mkdir()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(REPO / "hooks"), extra])))
    result = subprocess.run([sys.executable, "-c", WORKER_CHECK, str(tmp_path / "docs")], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("properdocs.structure.toc "), result.stdout
    assert "<em>text</em>" in result.stdout


def test_an_unknown_engine_is_named(starter_project, tmp_path):
    result = build(starter_project, str(tmp_path / "site"), extra_env={"RESOURCE_LIBRARY_ENGINE": "hugo"})
    assert result.returncode == 2
    assert "RESOURCE_LIBRARY_ENGINE=hugo: the engines are mkdocs, properdocs." in result.stderr
    assert not (tmp_path / "site").exists()
