"""Test only: runs `python -m resource_library ARGS` for conftest.run_cli
without paying for the imports each time.

Started once per pytest worker, it imports the engine, the theme's
dependencies and the package, then for each request forks a child that
does what a fresh interpreter would: change to the project, take the
request's environment, write to the request's files, run the command's
`__main__`, exit with its code. Forking gives each build its own process,
so no state passes from one build to the next; nothing here builds
before the fork. About 0.6 s of the 0.9 s a refused build takes is
imports, and the suite runs hundreds of builds.

Protocol, one JSON line each way: {cwd, env, args, hooks, stdout, stderr}
in; {"pid": N} at once, then {"code": N} when the child ends.
"""
from __future__ import annotations

import atexit
import importlib
import io
import json
import locale
import os
import runpy
import sys

# What a build imports that costs most (python -X importtime). Only
# libraries and the package itself: nothing here reads the project.
PRELOAD = (
    "resource_library.cli", "resource_library.build", "resource_library.validate",
    "resource_library.validate.across", "resource_library.files", "resource_library.feeds",
    "resource_library.indexes", "resource_library.sanitize", "resource_library.links",
    "resource_library.pdf", "resource_library.gate", "engine",
    "mkdocs.__main__", "mkdocs.commands.build", "mkdocs.config.defaults", "mkdocs.theme",
    "mkdocs.structure.files", "mkdocs.structure.pages", "mkdocs.plugins",
    "material", "mkdocs_macros.plugin", "markdown", "markdown.extensions.toc",
    "markdown.extensions.tables", "markdown.extensions.attr_list", "markdown.extensions.admonition",
    "jinja2", "jsonschema", "yaml", "nh3", "lxml.html", "pypdf",
)


def _stream(fd: int, errors: str, line_buffering: bool) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.FileIO(fd, "w", closefd=False), encoding=locale.getpreferredencoding(False),
                            errors=errors, line_buffering=line_buffering)


def _child(request: dict) -> None:
    code = 1
    try:
        for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
            target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
        # As a fresh interpreter with stdout and stderr on pipes has them.
        sys.stdout = sys.__stdout__ = _stream(1, "strict", False)
        sys.stderr = sys.__stderr__ = _stream(2, "backslashreplace", True)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.path[0:0] = [request["cwd"], request["hooks"]]  # as `python -m` with PYTHONPATH
        sys.argv = ["-m", *request["args"]]
        try:
            runpy.run_module("resource_library", run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
            if stop.code is not None and not isinstance(stop.code, int):
                print(stop.code, file=sys.stderr)
        atexit._run_exitfuncs()
    except BaseException:  # as the interpreter would: print it, exit 1
        import traceback
        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def main() -> None:
    protocol = sys.stdout
    sys.stdout = sys.stderr  # an import that prints must not break the protocol
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass  # the child imports it, as a fresh interpreter would
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(request)
        protocol.write(json.dumps({"pid": pid}) + "\n")
        protocol.flush()
        _, status = os.waitpid(pid, 0)
        protocol.write(json.dumps({"code": os.waitstatus_to_exitcode(status)}) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main()
