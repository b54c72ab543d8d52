"""Time each MkDocs event (plugins and our hook together) in one build.

Usage: python bench/events.py SITE_DIR, run in a project folder. Prints JSON:
{"total": seconds, "events": {name: seconds}}. Wall-clock, not a profiler,
so small functions are not inflated.
"""
import json
import runpy
import sys
import time
from collections import Counter

import mkdocs.plugins

totals: Counter = Counter()
run_event = mkdocs.plugins.PluginCollection.run_event


def timed(self, name, item=None, **kwargs):
    start = time.perf_counter()
    try:
        return run_event(self, name, item, **kwargs)
    finally:
        totals[name] += time.perf_counter() - start


if __name__ == "__main__":
    mkdocs.plugins.PluginCollection.run_event = timed
    sys.argv = ["mkdocs", "build", "--quiet", "--site-dir", sys.argv[1]]
    began = time.perf_counter()
    try:
        runpy.run_module("mkdocs", run_name="__main__")
    except SystemExit as exit:
        if exit.code:
            raise
    print(json.dumps({"total": time.perf_counter() - began, "events": dict(totals)}))
