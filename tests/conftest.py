"""Shared test harness: real projects in temporary folders, built for real."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(REPO / "hooks"))

# 2026-06-01 12:00 UTC: the build date for fixture sites, so "upcoming" is fixed.
BUILD_EPOCH = "1780315200"
PROJECT_PARTS = ("mkdocs.yml", "mkdocs.offline.yml", "hooks", "vocabulary", "schema", "docs", "templates")
CONTENT_FOLDERS = ("at-a-glance", "deeper-dives", "webinars")
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
# As the workplace notes advise: no background networking, which this closed
# network would refuse, many times over.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def make_project(dest: Path, fixture: str | None = None, content: dict[str, str] | None = None,
                 parts: tuple[str, ...] = PROJECT_PARTS) -> Path:
    """A project folder: the repo's machinery (`parts` of it), with a
    fixture's content (or none) instead of the repo's own resources."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in parts:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, dest / part, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, dest / part)
    for type_slug in ("at-a-glance", "deeper-dives", "webinars"):
        (dest / type_slug).mkdir(exist_ok=True)
    if fixture:
        shutil.copytree(FIXTURES / fixture, dest, dirs_exist_ok=True)
    for rel, text in (content or {}).items():
        path = dest / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return dest


def write_files(project: Path, files: dict) -> None:
    """Write {relative path: text, bytes, or ("symlink", target)} into a project."""
    for rel, content in files.items():
        target = project / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, tuple):
            if target.exists() or target.is_symlink():
                target.unlink()
            target.symlink_to(content[1])
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def run_cli(project: Path, *args: str, epoch: str = BUILD_EPOCH, extra_env: dict | None = None):
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env.update(PYTHONPATH=str(project / "hooks"), NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=epoch)
    env.update(extra_env or {})  # may replace any of those (PYTHONPATH: tests/test_engines.py)
    command = [sys.executable, "-m", "resource_library", *args]
    if _BUILDS.can_run(project, extra_env or {}):
        return _BUILDS.run(command, project, env, timeout=300)
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)


class _BuildServer:
    """Runs the command line in a child forked from a process that has
    already imported it (tests/build_server.py): a fresh process for each
    build, without a second's imports each time. Only when the project's
    hooks/ are the repository's own, as the server imported them, and the
    engine is the default; otherwise run_cli starts an interpreter.
    TEST_FORK=0 always starts one."""

    def __init__(self):
        self._process = None
        self._lock = threading.Lock()
        self._ours = None

    @staticmethod
    def _package(hooks: Path) -> dict[str, bytes]:
        return {str(p.relative_to(hooks)): p.read_bytes() for p in sorted(hooks.rglob("*"))
                if p.is_file() and "__pycache__" not in p.parts
                and (p.parent == hooks or p.relative_to(hooks).parts[0] == "resource_library")}

    def can_run(self, project: Path, extra_env: dict) -> bool:
        if os.environ.get("TEST_FORK", "1") == "0" or not hasattr(os, "fork"):
            return False
        if {"PYTHONPATH", "RESOURCE_LIBRARY_ENGINE"} & set(extra_env):
            return False
        if self._ours is None:
            self._ours = self._package(REPO / "hooks")
        hooks = project / "hooks"
        if not hooks.is_dir() or hooks.is_symlink():
            return False
        theirs = self._package(hooks)
        # Extra hooks MkDocs loads by path are read from the project anyway;
        # every module the server imported must be as it imported it.
        return all(theirs.get(name) == text for name, text in self._ours.items()) and not any(
            name.startswith("resource_library") and name not in self._ours for name in theirs)

    def _start(self):
        if self._process is None or self._process.poll() is not None:
            env = dict(os.environ, PYTHONPATH=str(REPO / "hooks"), NO_MKDOCS_2_WARNING="1")
            self._process = subprocess.Popen([sys.executable, str(Path(__file__).parent / "build_server.py")],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
            self._pending = b""
        return self._process

    def _answer(self, timeout: float | None) -> dict | None:
        """The server's next line, or None if none came within `timeout`."""
        import json
        import select
        import time
        end = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._pending:
            left = None if end is None else max(0.0, end - time.monotonic())
            ready, _, _ = select.select([self._process.stdout], [], [], left)
            if not ready:
                return None
            chunk = os.read(self._process.stdout.fileno(), 4096)
            if not chunk:
                raise RuntimeError("tests/build_server.py stopped")
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return json.loads(line)

    def run(self, command: list[str], project: Path, env: dict, timeout: float):
        import json
        import signal
        import tempfile
        with self._lock, tempfile.TemporaryDirectory(prefix="run-cli-") as folder:
            out, err = Path(folder, "stdout"), Path(folder, "stderr")
            server = self._start()
            server.stdin.write(json.dumps({"cwd": str(project), "env": env, "args": command[3:],
                                           "hooks": str(project / "hooks"), "stdout": str(out),
                                           "stderr": str(err)}).encode() + b"\n")
            server.stdin.flush()
            pid = self._answer(None)["pid"]
            answer = self._answer(timeout)
            if answer is None:
                os.kill(pid, signal.SIGKILL)
                self._answer(None)
                raise subprocess.TimeoutExpired(command, timeout)
            # Decoded as subprocess.run(text=True) decodes.
            return subprocess.CompletedProcess(command, answer["code"], out.read_text(encoding=None),
                                               err.read_text(encoding=None))


_BUILDS = _BuildServer()


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


def bundle(project: Path, out: Path) -> Path:
    """Build the offline bundle as `make bundle` does, unzip it into `out`;
    returns the bundle's folder."""
    import zipfile
    result = run_cli(project, "bundle", "--dist", "dist")
    assert result.returncode == 0, result.stdout + result.stderr
    (zip_path,) = (project / "dist").glob("*-offline-*.zip")
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(out)
    (folder,) = out.iterdir()
    return folder


@pytest.fixture(scope="session")
def offline_basic(tmp_path_factory) -> Path:
    """The `basic` fixture as an offline bundle, unzipped; returns its folder.
    No npm and no Node.js: the bundle needs nothing beyond Python."""
    project = make_project(tmp_path_factory.mktemp("offline"), "basic")
    return bundle(project, tmp_path_factory.mktemp("unzipped"))


@pytest.fixture(scope="session")
def starter_project(tmp_path_factory) -> Path:
    """A project with the repository's own starter content."""
    project = make_project(tmp_path_factory.mktemp("starter"))
    for folder in CONTENT_FOLDERS:
        shutil.copytree(REPO / folder, project / folder, dirs_exist_ok=True)
    return project


@pytest.fixture(scope="session")
def starter_site(starter_project) -> Path:
    """The starter content built with directory URLs; returns site/."""
    result = build(starter_project)
    assert result.returncode == 0, result.stdout + result.stderr
    return starter_project / "site"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = "Debian's chromium is not installed (apt-get install chromium); browser tests need it"
        if os.environ.get("CI"):
            pytest.fail(message)  # never skip silently in CI
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.errors = []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    context.close()


def serve(folder: Path) -> str:
    """Serve a folder on 127.0.0.1 in a thread; returns the base URL."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            # A tab closed while a file was on its way: not the site's fault.
            if not isinstance(sys.exc_info()[1], ConnectionError):
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def basic_url(basic_site) -> str:
    return serve(basic_site)


def finder_ready(page) -> None:
    page.wait_for_selector("html[data-finder-ready]")


def header_search(page, words: str) -> None:
    """Search from the header's box as a reader does: click, type key by
    key, press Enter; wait for the finder to answer."""
    page.click("#lib--site-search-q")
    page.keyboard.type(words)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    finder_ready(page)


def real_pdf(pages: int = 1) -> bytes:
    """A small, valid PDF (files a resource asks for are read before they
    are published: a fake one is refused)."""
    import io
    from pypdf import PdfWriter
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def real_png(width: int = 40, height: int = 20) -> bytes:
    """A small, valid PNG: a grey box."""
    import struct
    import zlib
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
