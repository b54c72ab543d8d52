"""The engine: which one builds the site, and the one module that knows.

Part of the engine's adapter, with library_hook.py and markdown_worker.py.
resource_library's command line imports this module by name when it builds
and never imports an engine itself. RESOURCE_LIBRARY_ENGINE names the
engine (default "mkdocs"); each in ENGINES is a package with MkDocs 1.6's
command line and plugin API. ProperDocs, a maintained fork of MkDocs 1.6,
answers `import mkdocs.x` with its own `properdocs.x` once its
`replacement` module is imported (its command line does that first), so
the hook, Material and macros run unchanged under it; a worker process
that imports the engine itself calls `use` first.

In process rather than as a child process: a second interpreter that only
waits cost about 19 MB of memory and 0.1 s of CPU in every build.
"""
from __future__ import annotations

import importlib
import logging
import os
import sys

VARIABLE = "RESOURCE_LIBRARY_ENGINE"
# name -> (its package, the module that makes `mkdocs.*` name that package, if any)
ENGINES = {
    "mkdocs": ("mkdocs", None),
    "properdocs": ("properdocs", "properdocs.replacement"),
}


class UnknownEngine(Exception):
    pass


def chosen() -> str:
    """The engine RESOURCE_LIBRARY_ENGINE names; "mkdocs" when unset."""
    name = os.environ.get(VARIABLE, "").strip() or "mkdocs"
    if name not in ENGINES:
        raise UnknownEngine(f"{VARIABLE}={name}: the engines are {', '.join(ENGINES)}.")
    return name


def running() -> str:
    """The engine whose package answers `import mkdocs` in this process."""
    loaded = sys.modules.get("mkdocs")
    for name, (package, _) in ENGINES.items():
        if loaded is not None and loaded is sys.modules.get(package):
            return name
    return "mkdocs"


def logger(name: str = "", engine_name: str | None = None) -> logging.Logger:
    """The engine's own logger (ProperDocs logs as `properdocs.*`, and
    passes on what plugins log as `mkdocs.*`)."""
    package = ENGINES[engine_name or running()][0]
    return logging.getLogger(f"{package}.{name}" if name else package)


def use(name: str) -> None:
    """Make `import mkdocs.x` reach engine `name` in this process: call it
    before anything imports mkdocs."""
    alias = ENGINES[name][1]
    if alias:
        importlib.import_module(alias)


def build(config_file: str, site_dir: str, quiet: bool) -> int:
    """`<engine> build --strict` into `site_dir`; the exit status the engine
    would have ended with (0: built)."""
    name = chosen()
    use(name)
    cli = importlib.import_module(ENGINES[name][0] + ".__main__").cli
    args = ["build", "--strict", "--quiet" if quiet else "--clean", "--config-file", config_file,
            "--site-dir", site_dir]
    try:
        # Standalone mode: click prints the engine's own error messages (an
        # aborted --strict build, a bad config) and ends with SystemExit.
        cli.main(args, prog_name=name, standalone_mode=True)
    except SystemExit as ended:
        if ended.code is None:
            return 0
        return ended.code if isinstance(ended.code, int) else 1
    return 0
