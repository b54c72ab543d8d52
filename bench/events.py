"""Time each MkDocs event, and named functions of the hook's package, in one
build run in this process.

Usage: python bench/events.py SITE_DIR [--parts], run in a project folder.
Prints JSON on its last line:

    {"total": s, "cpu": s, "events": {name: s},
     "parts": {name: {"seconds": s, "calls": n, "median_call": s}}, "skipped": {name: why}}

Events: every plugin and hook on that event together (our hook and macros
in the full build; the theme's plugins in the baselines). Wall-clock, not a
profiler, so small functions are not inflated.

Parts (--parts): functions of resource_library wrapped here, in this
process only; hooks/ is never edited. They are wrapped before MkDocs loads
the hook, and every module of the package that imported a function by name
(`from .related import related`) gets the wrapper too. A part's time is
inclusive (validation includes everything it calls), parts can nest (the
resource footer calls related()), and a recursive call is counted once, at
its outermost call. A function that no longer exists (renamed by later
work) is skipped and named in "skipped", so the benchmark still runs.

The finder's index and the feeds are built in a side process during a real
build, out of reach of wrappers here: after the build the same call is
made again in this process (`side outputs, replayed`) with the same
arguments, and its parts are timed there. The build's own wait for the
side process is the part `side_outputs.finish`.
"""
from __future__ import annotations

import functools
import importlib
import inspect
import json
import os
import runpy
import statistics
import sys
import time
from collections import Counter

import mkdocs.plugins

# (module in resource_library, attribute path): the hook's work, by part.
PARTS = [
    ("validate", "check_project"),          # validation: all of it
    ("validate", "check_library"),          #   per-file checks
    ("load", "read_resource"),              #   reading and parsing one file
    ("validate", "check_fields"),           #   one file's front matter against the schema
    ("validate", "check_across"),           #   checks across files (links, duplicates)
    ("indexes", "generate"),                # listing, term and finder pages
    ("render", "Renderer.render_page"),     #   their templates
    ("render", "Renderer.resource_header"),
    ("render", "Renderer.resource_footer"),
    ("related", "related"),
    ("sanitize", "clean"),
    ("sanitize", "explain"),
    ("sanitize", "heading_texts"),          # the contents list's titles, from the cleaned headings
    ("gate", "Gate.check"),                 # the output gate: every file in the staging folder
    ("pdf", "Briefings.make"),              # a briefing's PDF, from the cache or made
    ("pdf", "Converter.blocks"),            #   the cleaned HTML as data
    ("pdf", "Briefings._compile"),          #   Typst, when not in the cache
    ("pdf", "check"),                       #   PDF/UA-1 and our own reading, when made
    ("csp", "add_policy"),
    ("csp", "executable_inline_scripts"),
    ("feeds", "json_ld"),
    ("side_outputs", "start"),
    ("side_outputs", "finish"),              # waiting for the side process, and writing its files
    ("search", "finder_assets"),            # in the replay
    ("search", "documents"),
    ("search", "build_index"),
    ("feeds", "build_feeds"),               # in the replay
]
PACKAGE = "resource_library"

totals: Counter = Counter()
part_seconds: Counter = Counter()
part_calls: Counter = Counter()
part_call_seconds: dict[str, list[float]] = {}  # each outermost call, for the median call
skipped: dict[str, str] = {}
run_event = mkdocs.plugins.PluginCollection.run_event


def timed(self, name, item=None, **kwargs):
    start = time.perf_counter()
    try:
        return run_event(self, name, item, **kwargs)
    finally:
        totals[name] += time.perf_counter() - start


def wrap(name: str, function):
    depth = [0]

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        part_calls[name] += 1
        if depth[0]:
            return function(*args, **kwargs)
        depth[0] += 1
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - start
            part_seconds[name] += elapsed
            part_call_seconds.setdefault(name, []).append(elapsed)
            depth[0] -= 1

    wrapper.__bench_original__ = function
    return wrapper


def install_parts(parts=PARTS) -> dict:
    """Wrap each part; returns {id(original): (original, wrapper)}."""
    swapped = {}
    for module_name, attribute in parts:
        name = f"{module_name}.{attribute}"
        try:
            module = importlib.import_module(f"{PACKAGE}.{module_name}")
        except ImportError as error:
            skipped[name] = f"module not found ({error})"
            continue
        owner, *path = [module] + attribute.split(".")
        for step in path[:-1]:
            owner = getattr(owner, step, None)
        original = inspect.getattr_static(owner, path[-1], None) if owner is not None else None
        kind = type(original) if isinstance(original, (staticmethod, classmethod)) else None
        function = original.__func__ if kind else original
        if not inspect.isfunction(function):
            skipped[name] = "no such function (renamed or removed?)"
            continue
        wrapper = wrap(name, function)
        part_calls[name] += 0  # listed even if never called
        setattr(owner, path[-1], kind(wrapper) if kind else wrapper)
        swapped[id(function)] = (function, wrapper)
    # `from .related import related` made a second name for the function in
    # the importing module: point those names at the wrapper too.
    for module_name, module in list(sys.modules.items()):
        if module_name == PACKAGE or module_name.startswith(PACKAGE + "."):
            for key, value in list(vars(module).items()):
                if id(value) in swapped and swapped[id(value)][0] is value:
                    setattr(module, key, swapped[id(value)][1])
    return swapped


captured_side_args: dict = {}


def capture_side_outputs() -> None:
    """Remember the arguments the hook gives side_outputs.start, to replay
    the side process's work here after the build."""
    try:
        side_outputs = importlib.import_module(f"{PACKAGE}.side_outputs")
    except ImportError as error:
        skipped["side outputs, replayed"] = f"no side_outputs module ({error})"
        return
    start = side_outputs.start

    @functools.wraps(start)
    def recording(*args, **kwargs):
        try:
            captured_side_args.update(inspect.signature(start).bind(*args, **kwargs).arguments)
        except TypeError:
            pass
        return start(*args, **kwargs)

    side_outputs.start = recording
    for module_name, module in list(sys.modules.items()):
        if module_name.startswith(PACKAGE) and getattr(module, "start", None) is start:
            module.start = recording


def replay_side_outputs() -> None:
    side_outputs = sys.modules.get(f"{PACKAGE}.side_outputs")
    build = getattr(side_outputs, "build", None)
    if build is None or not captured_side_args:
        skipped.setdefault("side outputs, replayed", "side_outputs.build or its arguments not found")
        return
    parameters = inspect.signature(build).parameters
    try:
        arguments = {k: v for k, v in captured_side_args.items() if k in parameters}
        inspect.signature(build).bind(**arguments)
    except TypeError as error:
        skipped["side outputs, replayed"] = f"side_outputs.build's arguments changed ({error})"
        return
    start = time.perf_counter()
    build(**arguments)
    part_seconds["side outputs, replayed"] += time.perf_counter() - start
    part_calls["side outputs, replayed"] += 1


def main() -> None:
    args = sys.argv[1:]
    with_parts = "--parts" in args
    site_dir = [a for a in args if not a.startswith("--")][0]
    if with_parts:
        sys.path.insert(0, os.path.join(os.getcwd(), "hooks"))
        install_parts()
        capture_side_outputs()
    mkdocs.plugins.PluginCollection.run_event = timed
    sys.argv = ["mkdocs", "build", "--quiet", "--site-dir", site_dir]
    began, cpu_began = time.perf_counter(), os.times()
    try:
        runpy.run_module("mkdocs", run_name="__main__")
    except SystemExit as exit:
        if exit.code:
            raise
    total = time.perf_counter() - began
    cpu_end = os.times()
    if with_parts:
        replay_side_outputs()
    print(json.dumps({
        "total": total,
        # This process only; the side process runs on the other core.
        "cpu": (cpu_end.user - cpu_began.user) + (cpu_end.system - cpu_began.system),
        "events": dict(totals),
        "parts": {name: {"seconds": part_seconds[name], "calls": part_calls[name],
                         "median_call": statistics.median(part_call_seconds[name]) if part_call_seconds.get(name) else 0.0}
                  for name in part_calls},
        "skipped": skipped,
    }))


if __name__ == "__main__":
    main()
