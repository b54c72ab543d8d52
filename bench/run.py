"""`make bench`: the full pipeline against bare mkdocs-material and against
a config-matched floor, on synthetic libraries of N resources.

For each N (BENCH_SIZES, default 1,000 and 4,000; bench/generate.py), three
builds of the same resources, alternately, BENCH_RUNS times each (default
5), the order rotated each round:

- full: `python -m resource_library build`, the pipeline as `make site` runs it;
- floor: the project's own mkdocs.yml without the hook and macros
  (bench/floor.py): what the theme and config cost with no pipeline;
- bare: mkdocs-material with its search plugin, nothing else (BASELINE_YML).

Each run: wall time, CPU time of the whole process tree and peak memory
summed over the processes alive at once (bench/proctree.py). Then: output
sizes, raw and gzipped (bench/pages.py); every page's size; per-event and
per-function times of in-process builds (bench/events.py), for where the
time goes and how each part of the hook grows with N; the finder in
headless Chromium; edit-to-preview under `mkdocs serve` (bench/serve.py);
the starter library with one resource at each budget's limit, against the
starter library alone (bench/stress.py; BENCH_STRESS=0 leaves it out).

Writes BENCH_OUT (default bench/RESULTS.md) and bench/work/results.json.
Works only in bench/work/ (git-ignored). A quick check of the harness:

    BENCH_SIZES=60,120 BENCH_RUNS=2 BENCH_BROWSER=0 BENCH_SERVE=0 \
    BENCH_THEME_SEARCH_SIZES= BENCH_OUT=bench/work/RESULTS.md make bench
"""
from __future__ import annotations

import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import zipfile
from dataclasses import asdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))
from floor import load_config, make_floor  # noqa: E402
from generate import generate  # noqa: E402
from pages import site_report  # noqa: E402
from proctree import measure  # noqa: E402


def sizes_from(name: str, default: str) -> list[int]:
    return [int(n) for n in os.environ.get(name, default).replace("_", "").split(",") if n.strip()]


SIZES = sizes_from("BENCH_SIZES", "1000,4000")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
EVENT_RUNS = int(os.environ.get("BENCH_EVENT_RUNS", str(RUNS)))
# Fresh tabs per finder case: single tabs vary by tens of milliseconds.
FINDER_TABS = int(os.environ.get("BENCH_FINDER_TABS", str(max(RUNS, 5))))
# One untimed build of each first: compiles the copied hooks' bytecode and
# fills the page cache, which the first timed run would otherwise pay alone.
WARMUP = os.environ.get("BENCH_WARMUP", "1") != "0"
BROWSER = os.environ.get("BENCH_BROWSER", "1") != "0"
FINDER_SIZES = [n for n in sizes_from("BENCH_BROWSER_SIZES", "1000,4000") if n in SIZES] if BROWSER else []
SERVE = os.environ.get("BENCH_SERVE", "1") != "0"
SERVE_SIZES = [n for n in sizes_from("BENCH_SERVE_SIZES", "1000,4000") if n in SIZES] if SERVE else []
THEME_SEARCH_SIZES = [n for n in sizes_from("BENCH_THEME_SEARCH_SIZES", "1000") if n in SIZES]
STRESS_RUNS = int(os.environ.get("BENCH_STRESS_RUNS", str(RUNS))) if os.environ.get("BENCH_STRESS", "1") != "0" else 0
OUT = Path(os.environ.get("BENCH_OUT", str(HERE / "RESULTS.md"))).resolve()
BUILDS = ("full", "floor", "bare")
LABELS = {"full": "full pipeline", "floor": "floor (project config, no hook)", "bare": "bare mkdocs-material"}

# Targets: issue 14 (build, memory, pages, linearity), the contributors'
# issue (edit to preview) and issue 11 (the finder).
WALL_RATIO = 1.25
CPU_RATIO = 1.5
MEMORY_RATIO = 2.0
MAX_PAGE = 200_000
LINEAR_SLACK = 1.1            # 4.4 from 1,000 to 4,000: 10 per cent over linear
JUDGE_PART_SECONDS = 0.05     # a part under this at both sizes is too small to judge
PREVIEW_SECONDS = 1.5
FIRST_ANSWER_MS = 300
FIRST_DOWNLOAD_BYTES = 1_500_000
EPOCH = "1780315200"  # fixed build date, so every run does the same work
BASELINE_YML = """site_name: Baseline
theme:
  name: material
plugins:
  - search
nav:
  - Home: index.md
"""


def env(project: Path) -> dict:
    return dict(os.environ, PYTHONPATH=str(project / "hooks"), SOURCE_DATE_EPOCH=EPOCH, NO_MKDOCS_2_WARNING="1")


FULL_COMMAND = [sys.executable, "-m", "resource_library", "build", "--quiet", "--site-dir", "site"]
MKDOCS_COMMAND = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"]
VALIDATE_COMMAND = [sys.executable, "-m", "resource_library", "validate"]


def gzipped(path: Path) -> int:
    """Bytes on the wire from a server that compresses, as GitHub Pages does."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def make_bare(project: Path, dest: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "docs").mkdir(parents=True)
    for folder in ("at-a-glance", "deeper-dives", "webinars"):
        shutil.copytree(project / folder, dest / "docs" / folder)
    (dest / "docs" / "index.md").write_text("# Home\n")
    (dest / "mkdocs.yml").write_text(BASELINE_YML)
    return dest


def prepare(n: int) -> dict[str, Path]:
    project = generate(WORK / f"full-{n}", n)
    return {"full": project, "floor": make_floor(project, WORK / f"floor-{n}"),
            "bare": make_bare(project, WORK / f"baseline-{n}")}


def build_once(build: str, folder: Path):
    return measure(FULL_COMMAND if build == "full" else MKDOCS_COMMAND, folder, env(folder))


def median(values) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def bench_size(n: int) -> dict:
    folders = prepare(n)
    if WARMUP:
        for build in BUILDS:
            build_once(build, folders[build])
    runs: dict[str, list] = {b: [] for b in BUILDS}
    for round_number in range(RUNS):
        # Alternate, so all three see the same machine; rotate the order, so
        # none always follows the same build.
        order = BUILDS[round_number % 3:] + BUILDS[:round_number % 3]
        for build in order:
            runs[build].append(build_once(build, folders[build]))
        print(f"  round {round_number + 1}: " + ", ".join(
            f"{b} {runs[b][-1].wall:.2f} s" for b in BUILDS), flush=True)
    warnings = []
    for build in BUILDS:
        for run in runs[build]:
            # wait4 counts every waited-for descendant; the sampler saw each
            # process's own CPU. Less from wait4 means a process went uncounted.
            if run.cpu < run.cpu_sampled - 0.1:
                warnings.append(f"N = {n:,}, {build}: wait4 counted {run.cpu:.2f} s of CPU, less than the "
                                f"{run.cpu_sampled:.2f} s the sampler saw: a process was not waited for")
    summary = {"n": n, "folders": {b: str(f) for b, f in folders.items()}, "warnings": warnings,
               "runs": {b: [asdict(r) for r in runs[b]] for b in BUILDS}}
    for build in BUILDS:
        summary[build] = {key: median(getattr(r, key) for r in runs[build])
                          for key in ("wall", "cpu", "peak_sum", "peak_single", "processes")}
    # Ratios per round, for the spread beside the ratio of medians.
    summary["round_ratios"] = {
        f"{a}/{b}": {key: [getattr(x, key) / getattr(y, key) for x, y in zip(runs[a], runs[b])] for key in ("wall", "cpu")}
        for a, b in (("full", "bare"), ("full", "floor"), ("floor", "bare"))}
    print(f"  sizes of the output...", flush=True)
    summary["output"] = {"full": site_report(folders["full"] / "site"),
                         "floor": site_report(folders["floor"] / "site", with_kinds=False),
                         "bare": site_report(folders["bare"] / "site", with_kinds=False)}
    return summary


WATCH = """
  window.__firstResults = null;
  new MutationObserver(() => {
    if (window.__firstResults === null && document.querySelector('html[data-finder-ready] #finder-results li'))
      window.__firstResults = performance.now();
  }).observe(document, {subtree: true, childList: true, attributes: true});
"""


def first_answer(browser, url: str, site: Path, base: str, warm_from: str | None) -> tuple[float, int, list[str]]:
    """(ms from navigation start to the first results, bytes gzipped
    fetched before them, their names). A fresh tab each time, so nothing is
    cached; `warm_from`, another page of the library opened first in the
    same tab (as the header's search box is used), with the cache off."""
    context = browser.new_context()
    page = context.new_page()
    if warm_from:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        page.goto(warm_from)
    context.add_init_script(WATCH)
    page.goto(url)
    # Polled slowly: polling every frame would compete with the page it times.
    page.wait_for_function("() => window.__firstResults !== null", timeout=60_000, polling=250)
    at = page.evaluate("window.__firstResults")
    # Whatever had arrived by then: body text asked for while answering
    # arrives later, and is counted apart.
    fetched = page.evaluate("t => [location.href.split('?')[0]].concat(performance.getEntriesByType('resource')"
                            ".filter(e => e.responseEnd <= t).map(e => e.name.split('?')[0]))", at)
    context.close()
    total, names = 0, []
    for address in fetched:
        if not address.startswith(base):
            continue
        rel = unquote(address[len(base):])
        path = site / rel
        if rel == "" or rel.endswith("/"):
            path = path / "index.html"
        if path.is_file():
            total += gzipped(path)
            names.append(rel or "index.html")
    return at, total, names


def finder_timings(project: Path, n: int) -> dict:
    """The finder's first answer (median of RUNS, each in a fresh tab) over
    http and from file:// (the offline bundle), for a query in the address,
    as the header's box sends it; and what it downloaded first."""
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS, serve
    subprocess.run([sys.executable, "-m", "resource_library", "bundle", "--quiet", "--dist", "dist"], cwd=project,
                   env=env(project), check=True, stdout=subprocess.DEVNULL)
    (zip_path,) = (project / "dist").glob("*.zip")
    unzipped = WORK / f"bundle-{n}"
    shutil.rmtree(unzipped, ignore_errors=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(unzipped)
    offline = next(unzipped.iterdir())
    site = project / "site"
    base_url = serve(site)
    finder = site / "finder"
    results = {"n": n, "bundle_size": zip_path.stat().st_size,
               "shards": len(list(finder.glob("finder-body-*.js"))),
               "shard_gz": max(gzipped(p) for p in finder.glob("finder-body-*.js")),
               "body_gz": sum(gzipped(p) for p in finder.glob("finder-body-*.js"))}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        cases = {
            "http": (base_url + "finder/?text=planning", site, base_url, None),
            "http_all": (base_url + "finder/", site, base_url, None),
            "http_warm": (base_url + "finder/?text=planning", site, base_url, base_url + "about/"),
            "file": ((offline / "finder" / "index.html").as_uri() + "?text=planning", offline,
                     offline.as_uri() + "/", None),
        }
        # The very first tab of a newly started browser also pays for the
        # browser starting its renderer: reported apart, as "browser just
        # started". Then the cases take turns, FINDER_TABS fresh tabs each,
        # so that a slow moment of the machine falls on all of them.
        url, folder, base, warm = cases["http"]
        results["http_browser_start_ms"] = first_answer(browser, url, folder, base, warm)[0]
        runs = {name: [] for name in cases}
        for _ in range(FINDER_TABS):
            for name, (url, folder, base, warm) in cases.items():
                runs[name].append(first_answer(browser, url, folder, base, warm))
        for name, tabs in runs.items():
            results[f"{name}_ms"] = statistics.median(r[0] for r in tabs)
            results[f"{name}_ms_all"] = [round(r[0]) for r in tabs]
            results[f"{name}_bytes"] = max(r[1] for r in tabs)
            results[f"{name}_files"] = tabs[0][2]
        results["chromium"] = browser.version
        browser.close()
    return results


THEME_SEARCH_YML = """# bench only: the pipeline as it was, with the theme's search plugin.
INHERIT: mkdocs.yml
theme:
  custom_dir: {overrides}
hooks:
  - hooks/library_hook.py
  - theme_search_hook.py
plugins:
  - search
  - macros:
      module_name: hooks/macros
      render_by_default: false
      on_undefined: strict
      on_error_fail: true
"""


def theme_search(project: Path, n: int) -> dict:
    """The same pipeline built with and without the theme's search plugin
    (and its header search box), alternately, medians of RUNS: what dropping
    it saved in build time, output and page weight."""
    overrides = project / "overrides-theme-search"
    shutil.rmtree(overrides, ignore_errors=True)
    shutil.copytree(project / "docs" / "overrides", overrides)
    for name in ("header.html", "search.html"):
        (overrides / "partials" / name).unlink()
    (project / "mkdocs.theme-search.yml").write_text(THEME_SEARCH_YML.format(overrides=overrides.name))
    shutil.copy2(HERE / "theme_search_hook.py", project / "theme_search_hook.py")
    ours, theirs = [], []
    for _ in range(RUNS):
        ours.append(measure(FULL_COMMAND, project, env(project)))
        theirs.append(measure([sys.executable, "-m", "resource_library", "build", "--quiet", "--config-file",
                               "mkdocs.theme-search.yml", "--site-dir", "site-theme-search"], project, env(project)))
    with_search, without = project / "site-theme-search", project / "site"
    page = "webinars/synthetic-resource-00002/index.html"
    index = with_search / "search" / "search_index.json"
    worker = next((with_search / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    return {
        "n": n,
        "time_with": median(r.wall for r in theirs), "time_without": median(r.wall for r in ours),
        "size_with": tree_size(with_search), "size_without": tree_size(without),
        "page_with": (with_search / page).stat().st_size, "page_without": (without / page).stat().st_size,
        "page_gz_with": gzipped(with_search / page), "page_gz_without": gzipped(without / page),
        "search_download": gzipped(index) + gzipped(worker),
    }


def events_once(folder: Path, with_parts: bool) -> dict:
    command = [sys.executable, str(HERE / "events.py"), str(folder / "site-events")] + (["--parts"] if with_parts else [])
    result = subprocess.run(command, cwd=folder, env=env(folder), capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"bench/events.py failed in {folder}:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def event_times(folders_by_n: dict[int, dict[str, Path]]) -> dict[int, dict]:
    """In-process builds timed per event (all three builds) and per part of
    the hook (the full build), EVENT_RUNS rounds, the sizes and builds
    alternating; medians per event and per part."""
    raw = {n: {b: [] for b in BUILDS} for n in folders_by_n}
    for round_number in range(EVENT_RUNS):
        for n, folders in folders_by_n.items():
            for build in BUILDS:
                raw[n][build].append(events_once(folders[build], with_parts=build == "full"))
        print(f"  events round {round_number + 1} done", flush=True)
    result = {}
    for n, by_build in raw.items():
        result[n] = {}
        for build, runs in by_build.items():
            names = sorted({k for r in runs for k in r["events"]})
            parts = sorted({k for r in runs for k in r["parts"]})
            result[n][build] = {
                "total": median(r["total"] for r in runs), "cpu": median(r["cpu"] for r in runs),
                "events": {k: median(r["events"].get(k, 0.0) for r in runs) for k in names},
                "parts": {k: {"seconds": median(r["parts"].get(k, {}).get("seconds", 0.0) for r in runs),
                              "calls": max(r["parts"].get(k, {}).get("calls", 0) for r in runs),
                              "median_call": median(r["parts"].get(k, {}).get("median_call", 0.0) for r in runs),
                              # each round's, in order: rounds at the two sizes ran alternately
                              "rounds": [r["parts"].get(k, {}).get("seconds", 0.0) for r in runs]}
                          for k in parts},
                "skipped": {k: v for r in runs for k, v in r.get("skipped", {}).items()},
                "runs": len(runs),
            }
    return result


def linearity(events: dict[int, dict], small: int, large: int) -> list[dict]:
    """Each part of the hook, and each event of the full build, at two sizes:
    seconds and the ratio, judged against LINEAR_SLACK times linear."""
    limit = LINEAR_SLACK * large / small
    a, b = events[small]["full"], events[large]["full"]
    rows = []
    for name in sorted(set(a["events"]) | set(b["events"])):
        if max(a["events"].get(name, 0.0), b["events"].get(name, 0.0)) < 0.001:
            continue  # events nobody does anything on
        rows.append({"name": f"on_{name} (event: the hook and macros)", "small": a["events"].get(name, 0.0),
                     "large": b["events"].get(name, 0.0)})
    for name in sorted(set(a["parts"]) | set(b["parts"])):
        pa, pb = a["parts"].get(name, {}), b["parts"].get(name, {})
        rows.append({"name": name, "small": pa.get("seconds", 0.0), "large": pb.get("seconds", 0.0),
                     "calls": (pa.get("calls", 0), pb.get("calls", 0)),
                     "median_call": (pa.get("median_call", 0.0), pb.get("median_call", 0.0)),
                     "round_ratios": [large / small for small, large in zip(pa.get("rounds", []), pb.get("rounds", []))
                                      if small > 0]})
    for row in rows:
        row["ratio"] = row["large"] / row["small"] if row["small"] > 0 else float("inf")
        row["judged"] = max(row["small"], row["large"]) >= JUDGE_PART_SECONDS
        row["met"] = row["ratio"] <= limit if row["judged"] else None
    return [r for r in rows if r["small"] > 0 or r["large"] > 0 or r.get("calls")]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def commit() -> str:
    def git(*args):
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout.strip()
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--", "hooks", "docs", "mkdocs.yml", "vocabulary", "schema")
    return head + (" with uncommitted changes to the pipeline" if dirty else "")


def mb(n: float) -> str:
    return f"{n / 1_000_000:.1f} MB"


def kb(n: float) -> str:
    return f"{n / 1000:,.1f} KB"


def verdict(ok: bool | None) -> str:
    return "too small to judge" if ok is None else ("met" if ok else "**not met**")


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f}" if values else ""


def cell(value: str, ok: bool | None) -> str:
    return f"{value}, {verdict(ok)}"


def targets_table(rows: list[dict], by_n: dict, finders: dict, previews: dict, linear: list[dict],
                  pair: tuple[int, int] | None) -> list[str]:
    head = "| Target | " + " | ".join(f"N = {r['n']:,}" for r in rows) + " |"
    lines = [head, "| --- | " + " | ".join("---" for _ in rows) + " |"]

    def row(label: str, make) -> None:
        lines.append(f"| {label} | " + " | ".join(make(r) for r in rows) + " |")

    row(f"Full build wall time at most {WALL_RATIO}× bare mkdocs-material",
        lambda r: cell(f"{r['full']['wall'] / r['bare']['wall']:.2f}×", r['full']['wall'] / r['bare']['wall'] <= WALL_RATIO))
    row(f"Full build CPU time at most {CPU_RATIO}× bare",
        lambda r: cell(f"{r['full']['cpu'] / r['bare']['cpu']:.2f}×", r['full']['cpu'] / r['bare']['cpu'] <= CPU_RATIO))
    row(f"Whole-build peak memory (summed over processes) at most {MEMORY_RATIO:g}× bare",
        lambda r: cell(f"{r['full']['peak_sum'] / r['bare']['peak_sum']:.2f}×",
                       r['full']['peak_sum'] / r['bare']['peak_sum'] <= MEMORY_RATIO))

    def largest(r):
        page = r["output"]["full"]["largest_pages"][0]
        return cell(f"largest {kb(page['bytes'])} (`{page['path']}`)", page["bytes"] <= MAX_PAGE)
    row(f"No page over {MAX_PAGE // 1000} KB", largest)
    if pair:
        small, large = pair
        judged = [p for p in linear if p["judged"]]
        worst = max(judged, key=lambda p: p["ratio"], default=None)
        failing = [p for p in judged if not p["met"]]
        limit = LINEAR_SLACK * large / small
        if worst is None:
            text = "every part too small to judge"
        else:
            text = cell(f"worst {worst['ratio']:.2f}× (`{worst['name']}`)"
                        + (f"; {len(failing)} of {len(judged)} parts over" if failing else f"; {len(judged)} parts judged"),
                        not failing)
        lines.append(f"| Every part of the hook at most {limit:.1f}× from N = {small:,} to {large:,} | "
                     + " | ".join(text if r["n"] == large else "(see N = " + f"{large:,})" if r["n"] == small else ""
                                  for r in rows) + " |")
    else:
        lines.append("| Every part of the hook at most 4.4× from N = 1,000 to 4,000 | "
                     + " | ".join("not measured (one size only)" for _ in rows) + " |")
    # Issue 13 sets the target at 1,000 resources; at other sizes the figure is reported, not judged.
    row(f"Edit to preview at most {PREVIEW_SECONDS} s (the target is at N = 1,000)",
        lambda r: (cell(f"{previews[r['n']]['ours']:.2f} s", previews[r['n']]['ours'] <= PREVIEW_SECONDS)
                   if r["n"] == 1000 else f"{previews[r['n']]['ours']:.2f} s (no target)")
        if r["n"] in previews else "not measured")
    row(f"Finder's first answer within {FIRST_ANSWER_MS} ms (http and file://)",
        lambda r: cell(f"{finders[r['n']]['http_ms']:.0f} ms / {finders[r['n']]['file_ms']:.0f} ms",
                       max(finders[r['n']]['http_ms'], finders[r['n']]['file_ms']) <= FIRST_ANSWER_MS)
        if r["n"] in finders else "not measured")
    row(f"Finder downloads at most {FIRST_DOWNLOAD_BYTES / 1e6:.1f} MB gzipped before answering",
        lambda r: cell(f"{finders[r['n']]['http_bytes'] / 1000:,.0f} KB",
                       finders[r['n']]['http_bytes'] <= FIRST_DOWNLOAD_BYTES)
        if r["n"] in finders else "not measured")
    return lines


def report(rows, events, finders, savings, previews, started: dict, stress: list[dict] = ()) -> str:
    by_n = {r["n"]: r for r in rows}
    pair = (1000, 4000) if {1000, 4000} <= set(by_n) else ((min(by_n), max(by_n)) if len(by_n) > 1 else None)
    linear = linearity(events, *pair) if pair and events else []
    lines = ["# Benchmark results", "",
             f"Machine: {machine()}. Load average {started['load']} when the benchmark started, "
             f"{load_average()} when it ended.", "",
             f"Generated by `make bench` (bench/run.py) on {started['date']}, at commit {started['commit']}, in "
             f"{max(1, round((time.time() - started['time']) / 60))} min. Each build figure is the median of {RUNS} runs; "
             "the three builds (the full pipeline; the floor, which is the project's own mkdocs.yml without the hook "
             "and macros; bare mkdocs-material with its search plugin and the resources out of the nav) build the "
             "same generated Markdown, alternately, in the same session. How each figure is measured is under "
             "\"How the builds are measured\" below.", "", "## Targets", ""]
    lines += targets_table(rows, by_n, finders, previews, linear, pair)
    warnings = [w for r in rows for w in r["warnings"]]
    if warnings:
        lines += ["", "**Warnings:** " + "; ".join(warnings) + "."]

    lines += ["", "## Builds", "",
              "Medians. CPU is user plus system time of the whole process tree (the pipeline's `build` command, "
              "which runs MkDocs in itself, its Markdown worker and its side process). Peak memory summed: the largest total resident memory of the "
              "processes alive at one moment; largest process: the kernel's high-water mark for one process.", "",
              "| N | build | wall | CPU | peak memory, summed | largest process | processes at once |",
              "| ---: | --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        for b in BUILDS:
            m = r[b]
            lines.append(f"| {r['n']:,} | {LABELS[b]} | {m['wall']:.2f} s | {m['cpu']:.2f} s | {mb(m['peak_sum'])} | "
                         f"{mb(m['peak_single'])} | {m['processes']:.0f} |")
    lines += ["", "### Ratios", "",
              f"Ratio of the medians, and in brackets the lowest and highest ratio of single rounds ({RUNS} rounds).", "",
              "| N | full / bare, wall | full / bare, CPU | full / floor, wall | full / floor, CPU | floor / bare, wall "
              "| floor / bare, CPU | full / bare, peak memory |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        cells = []
        for a, b in (("full", "bare"), ("full", "floor"), ("floor", "bare")):
            for key in ("wall", "cpu"):
                cells.append(f"{r[a][key] / r[b][key]:.2f} ({spread(r['round_ratios'][f'{a}/{b}'][key])})")
        cells.append(f"{r['full']['peak_sum'] / r['bare']['peak_sum']:.2f}")
        lines.append(f"| {r['n']:,} | " + " | ".join(cells) + " |")
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        lines += ["", f"From N = {first['n']:,} to {last['n']:,} ({last['n'] / first['n']:.1f} times the resources) the "
                  "full build's wall time grew " f"{last['full']['wall'] / first['full']['wall']:.2f} times, its CPU "
                  f"{last['full']['cpu'] / first['full']['cpu']:.2f} times and its summed peak memory "
                  f"{last['full']['peak_sum'] / first['full']['peak_sum']:.2f} times; bare mkdocs-material's wall "
                  f"time {last['bare']['wall'] / first['bare']['wall']:.2f} times."]

    lines += ["", "## Output", "",
              "Every file of each site, summed, raw and gzipped (level 6, as a server such as GitHub Pages sends "
              "them).", "",
              "| N | full pipeline | gzipped | floor | gzipped | bare mkdocs-material | gzipped |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        o = r["output"]
        lines.append(f"| {r['n']:,} | {mb(o['full']['bytes'])} | {mb(o['full']['gzip'])} | {mb(o['floor']['bytes'])} "
                     f"| {mb(o['floor']['gzip'])} | {mb(o['bare']['bytes'])} | {mb(o['bare']['gzip'])} |")
    lines += ["", "The full pipeline's pages: the largest of each kind, and a typical resource page (the median "
              "size).", "", "| N | page | path | HTML | gzipped |", "| ---: | --- | --- | ---: | ---: |"]
    for r in rows:
        o = r["output"]["full"]
        for kind, page in o["largest_by_kind"].items():
            lines.append(f"| {r['n']:,} | largest {kind} | `{page['path']}` | {kb(page['bytes'])} | {kb(page['gzip'])} |")
        if "typical_resource" in o:
            t = o["typical_resource"]
            lines.append(f"| {r['n']:,} | typical resource | `{t['path']}` | {kb(t['bytes'])} | {kb(t['gzip'])} |")
    lines += ["", f"### No page over {MAX_PAGE // 1000} KB", "",
              "Every `.html` file of the full build's site, scanned; the five largest.", "",
              "| N | HTML pages | largest pages |", "| ---: | ---: | --- |"]
    for r in rows:
        o = r["output"]["full"]
        lines.append(f"| {r['n']:,} | {o['html_pages']:,} | "
                     + "; ".join(f"`{p['path']}` {kb(p['bytes'])}" for p in o["largest_pages"]) + " |")

    if linear:
        small, large = pair
        limit = LINEAR_SLACK * large / small
        lines += ["", f"## How each part of the hook grows, N = {small:,} to {large:,}", "",
                  f"Medians of {EVENT_RUNS} in-process builds at each size (bench/events.py), the sizes alternating. "
                  "Events are every plugin and hook on that event in the full build (our hook and macros). Named "
                  "functions of `resource_library` are wrapped in the benchmark's process only; a function's time "
                  "includes what it calls, so parts nest (validation includes reading files; the resource footer "
                  "includes `related()`). The finder's index and the feeds are built in a side process during the "
                  "build; `side outputs, replayed` and the functions under it are the same work done again in the "
                  "benchmark's process after the build, to time it. "
                  f"Target: at most {limit:.1f}× ({LINEAR_SLACK:g} times linear); a part under "
                  f"{JUDGE_PART_SECONDS * 1000:.0f} ms at both sizes is too small to judge. Beside each ratio of "
                  "medians, in brackets, the lowest and highest ratio of single rounds (round i at each size). For a "
                  "function called once a page, its median call at each size: flat when the work per page does not "
                  "grow, so a ratio over the target with a flat median call comes from the build around the part "
                  "(more pages in memory, other work on the machine), not from the part's own work.", "",
                  f"| part | N = {small:,} | N = {large:,} | calls | median call | ratio (single rounds) | |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | --- |"]
        for p in sorted(linear, key=lambda p: -p["large"]):
            calls = f"{p['calls'][0]:,} / {p['calls'][1]:,}" if "calls" in p else ""
            ratio = f"{p['ratio']:.2f}×" if p["ratio"] != float("inf") else "—"
            if p.get("round_ratios"):
                ratio += f" ({min(p['round_ratios']):.2f}–{max(p['round_ratios']):.2f})"
            per_call = ""
            if "calls" in p and min(p["calls"]) > 1 and min(p["median_call"]) > 0:
                per_call = f"{p['median_call'][0] * 1e6:,.0f} → {p['median_call'][1] * 1e6:,.0f} µs"
            lines.append(f"| `{p['name']}` | {p['small']:.3f} s | {p['large']:.3f} s | {calls} | {per_call} | {ratio} "
                         f"| {verdict(p['met'])} |")
        if any(p["met"] is False for p in linear):
            lines += ["", "What was measured about each part over the target, outside the benchmark, and why it "
                      "grows faster: bench/NOTES.md, \"Parts that grew faster than 4.4×, and what was done\"."]
        skipped = {k: v for n in events for k, v in events[n]["full"]["skipped"].items()}
        if skipped:
            lines += ["", "Not timed, because the function was not found: "
                      + "; ".join(f"`{k}`: {v}" for k, v in sorted(skipped.items())) + "."]

    for n, by_build in sorted(events.items()):
        full, floor_, bare = by_build["full"], by_build["floor"], by_build["bare"]
        lines += ["", f"## Where the time goes, N = {n:,}", "",
                  f"In-process builds (`mkdocs build`, not the `build` command), median of {full['runs']}, timed per "
                  "MkDocs event (plugins and hooks together). Time outside events is MkDocs and the theme: reading "
                  "files, Markdown, rendering templates, writing pages. CPU is the MkDocs process alone; the full "
                  "build's side process runs beside it.", "",
                  "| event | full | floor | bare | full − floor |", "| --- | ---: | ---: | ---: | ---: |"]
        names = sorted(set(full["events"]) | set(floor_["events"]) | set(bare["events"]),
                       key=lambda k: -full["events"].get(k, 0))
        for name in names:
            a, f, b = (x["events"].get(name, 0.0) for x in (full, floor_, bare))
            if max(a, f, b) >= 0.01:
                lines.append(f"| on_{name} | {a:.2f} s | {f:.2f} s | {b:.2f} s | {a - f:+.2f} s |")
        outside = [x["total"] - sum(x["events"].values()) for x in (full, floor_, bare)]
        lines.append(f"| outside events | {outside[0]:.2f} s | {outside[1]:.2f} s | {outside[2]:.2f} s | "
                     f"{outside[0] - outside[1]:+.2f} s |")
        lines.append(f"| **total** | {full['total']:.2f} s | {floor_['total']:.2f} s | {bare['total']:.2f} s | "
                     f"{full['total'] - floor_['total']:+.2f} s |")
        lines.append(f"| CPU of the MkDocs process | {full['cpu']:.2f} s | {floor_['cpu']:.2f} s | {bare['cpu']:.2f} s "
                     f"| {full['cpu'] - floor_['cpu']:+.2f} s |")

    if finders:
        first = next(iter(finders.values()))
        last = list(finders.values())[-1]
        lines += ["", "## The finder's first answer in headless Chromium", "",
                  f"Chromium {first['chromium']}. Milliseconds from navigation start until the first results "
                  "show, for `finder/?text=planning` (what the header's search box sends), each run in a fresh tab "
                  f"with nothing cached, median of {FINDER_TABS} tabs a case, the cases taking turns (every tab's "
                  "time is in results.json). \"Browser just started\": the first tab of a newly launched "
                  "Chromium, which also waits for the browser to start its first renderer; it is not counted in "
                  "the medians. \"From another page\": the same, arriving from the About "
                  "page in the same tab with the browser cache off, as a reader using the header's box does. "
                  "Downloaded: every file fetched before the first answer (page, styles, scripts, data), gzipped as "
                  "a server such as GitHub Pages sends them.", "",
                  "| N | http, with words | http, no words | http, from another page | file:// (offline bundle) "
                  "| browser just started (http, with words) "
                  "| downloaded first (gzipped) | body text shards (largest, all; gzipped) | offline bundle |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for n, f in finders.items():
            lines.append(f"| {n:,} | {f['http_ms']:.0f} ms | {f['http_all_ms']:.0f} ms | {f['http_warm_ms']:.0f} ms "
                         f"| {f['file_ms']:.0f} ms | {f['http_browser_start_ms']:.0f} ms "
                         f"| {f['http_bytes'] / 1000:,.0f} KB | {f['shards']} shards: "
                         f"{f['shard_gz'] / 1000:,.0f} KB, {f['body_gz'] / 1000:,.0f} KB | {mb(f['bundle_size'])} zipped |")
        lines += ["", "Files fetched before the first answer at N = "
                  f"{last['n']:,}: " + ", ".join(f"`{name}`" for name in last["http_files"]) + ". "
                  "Body text is fetched afterwards, one shard per word searched for."]
    for t in savings:
        lines += ["", f"## The pipeline with the theme's search put back, N = {t['n']:,}", "",
                  "The same pipeline built with the theme's search plugin and header search put back "
                  "(`mkdocs.theme-search.yml`, written by the benchmark), alternately with the pipeline as it is, "
                  f"medians of {RUNS}.", "",
                  "| | with the theme's search | without (the finder only) | difference |", "| --- | ---: | ---: | ---: |",
                  f"| build time | {t['time_with']:.2f} s | {t['time_without']:.2f} s | {t['time_with'] - t['time_without']:.2f} s |",
                  f"| site output | {mb(t['size_with'])} | {mb(t['size_without'])} | {mb(t['size_with'] - t['size_without'])} |",
                  f"| a resource page (HTML) | {t['page_with'] / 1000:.1f} KB | {t['page_without'] / 1000:.1f} KB | "
                  f"{(t['page_with'] - t['page_without']) / 1000:.1f} KB |",
                  f"| the same, gzipped | {t['page_gz_with'] / 1000:.1f} KB | {t['page_gz_without'] / 1000:.1f} KB | "
                  f"{(t['page_gz_with'] - t['page_gz_without']) / 1000:.1f} KB |",
                  f"| downloaded to search once (gzipped) | {t['search_download'] / 1000:,.0f} KB (index and worker) "
                  f"| the finder's first download, above | |"]
    for n, p in previews.items():
        lines += ["", f"## Edit to preview, N = {n:,}", "",
                  f"Seconds from saving a resource until `mkdocs serve` answers with the edited page (what the open "
                  f"tab's live-reload then shows), median of {p['edits']} edits (bench/serve.py), each server on its "
                  "own, one after the other.", "",
                  "| `make serve` (full pipeline, --dirty with page signatures) | bare mkdocs-material `mkdocs serve` |",
                  "| ---: | ---: |", f"| {p['ours']:.2f} s ({spread(p['ours_all'])}) | {p['bare']:.2f} s ({spread(p['bare_all'])}) |"]
    if stress:
        from stress import table
        lines += [""] + table(stress, STRESS_RUNS)
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    return "\n".join(lines) + "\n"


def edit_to_preview_at(n: int, folders: dict[str, Path]) -> dict:
    """Edit-to-preview under `make serve` (mkdocs serve --dirty), and bare
    mkdocs-material's own `mkdocs serve` on the same Markdown beside it."""
    from serve import edit_to_preview
    project, baseline = folders["full"], folders["bare"]
    mount = urlsplit(load_config((project / "mkdocs.yml").read_text()).get("site_url") or "/").path or "/"
    source = sorted((project / "at-a-glance").glob("*.md"))[0]
    edits = max(RUNS, 5)
    ours = edit_to_preview(project, source, f"at-a-glance/{source.stem}/", mount, edits, extra_args=("--dirty",))
    bare = edit_to_preview(baseline, baseline / "docs" / "at-a-glance" / source.name, f"at-a-glance/{source.stem}/",
                           "/", edits)
    return {"ours": median(ours), "bare": median(bare), "edits": edits, "ours_all": ours, "bare_all": bare}


PDF_RUNS = int(os.environ.get("BENCH_PDF_RUNS", str(RUNS))) if os.environ.get("BENCH_PDF", "1") != "0" else 0


def pdf_costs(n: int, folders: dict[str, Path], bare: dict) -> dict:
    """The briefings' PDFs (issue 22): the full build without them, warm
    (every PDF in the cache, as on a rebuild) and cold (the cache emptied
    first), alternately; the cold cost per PDF, and each to bare Material."""
    project = folders["full"]
    kinds = ("none", "warm", "cold")
    runs = {k: [] for k in kinds}
    for round_number in range(PDF_RUNS):
        for kind in kinds[round_number % 3:] + kinds[:round_number % 3]:
            if kind == "cold":
                shutil.rmtree(project / ".cache" / "pdf", ignore_errors=True)
            extra = {"RESOURCE_LIBRARY_PDFS": "0"} if kind == "none" else {}
            runs[kind].append(measure(FULL_COMMAND, project, dict(env(project), **extra)))
    # The cache after the last cold build holds exactly this library's PDFs
    # (site/ may be from a build without them, depending on the order).
    count = len(list((project / ".cache" / "pdf").glob("*.pdf")))
    medians = {k: {key: median(getattr(r, key) for r in runs[k]) for key in ("wall", "cpu", "peak_sum")} for k in kinds}
    return {"n": n, "pdfs": count, "medians": medians,
            "cold_cpu_per_pdf_ms": 1000 * (medians["cold"]["cpu"] - medians["none"]["cpu"]) / max(count, 1),
            "warm_over_none": medians["warm"]["cpu"] / medians["none"]["cpu"] - 1,
            "to_bare": {k: {"wall": medians[k]["wall"] / bare["wall"], "cpu": medians[k]["cpu"] / bare["cpu"]}
                        for k in kinds},
            "rounds": {k: [r.cpu for r in runs[k]] for k in kinds}}


def pdf_report(costs: list[dict]) -> str:
    if not costs:
        return ""
    lines = ["", "## Briefings' PDFs (issue 22)", "",
             f"The full build without PDFs (`RESOURCE_LIBRARY_PDFS=0`), warm (every PDF in `.cache/pdf`) and cold "
             f"(the cache emptied first), alternately, {PDF_RUNS} runs each; medians. Targets: warm adds at most 5 % "
             "to the build; cold, at most 50 ms of CPU per PDF.", "",
             "| N | PDFs | CPU without / warm / cold (s) | warm adds | cold CPU per PDF | full/bare CPU without, warm, cold |",
             "| ---: | ---: | --- | ---: | ---: | --- |"]
    for c in costs:
        m, b = c["medians"], c["to_bare"]
        lines.append(f"| {c['n']:,} | {c['pdfs']:,} | {m['none']['cpu']:.2f} / {m['warm']['cpu']:.2f} / "
                     f"{m['cold']['cpu']:.2f} | {100 * c['warm_over_none']:+.1f} % "
                     f"({'met' if c['warm_over_none'] <= 0.05 else 'not met'}) | {c['cold_cpu_per_pdf_ms']:.0f} ms "
                     f"({'met' if c['cold_cpu_per_pdf_ms'] <= 50 else 'not met'}) | "
                     f"{b['none']['cpu']:.2f}x, {b['warm']['cpu']:.2f}x, {b['cold']['cpu']:.2f}x |")
    return "\n".join(lines) + "\n"


def main() -> None:
    WORK.mkdir(exist_ok=True)
    started = {"time": time.time(), "date": time.strftime("%Y-%m-%d"), "load": load_average(), "commit": commit()}
    rows = []
    for n in SIZES:
        print(f"N = {n:,}: generating, then building {RUNS} times each, alternately...", flush=True)
        rows.append(bench_size(n))
        r = rows[-1]
        print(f"  medians: " + ", ".join(f"{b} {r[b]['wall']:.2f} s ({r[b]['cpu']:.2f} s CPU)" for b in BUILDS)
              + f"; full/bare {r['full']['wall'] / r['bare']['wall']:.2f} wall", flush=True)
    folders_by_n = {r["n"]: {b: Path(f) for b, f in r["folders"].items()} for r in rows}
    events = {}
    if EVENT_RUNS > 0:
        print(f"Timing events and parts of the hook, {EVENT_RUNS} rounds...", flush=True)
        events = event_times(folders_by_n)
    finders = {}
    for n in FINDER_SIZES:
        print(f"N = {n:,}: the finder in Chromium...", flush=True)
        finders[n] = finder_timings(folders_by_n[n]["full"], n)
    savings = []
    for n in THEME_SEARCH_SIZES:
        print(f"N = {n:,}: building with and without the theme's search...", flush=True)
        savings.append(theme_search(folders_by_n[n]["full"], n))
    previews = {}
    for n in SERVE_SIZES:
        print(f"N = {n:,}: edit-to-preview under mkdocs serve...", flush=True)
        previews[n] = edit_to_preview_at(n, folders_by_n[n])
    stress = []
    if STRESS_RUNS:
        from stress import run_shapes
        print(f"Stress shapes: the starter library with one resource at each budget's limit, {STRESS_RUNS} runs...",
              flush=True)
        stress = run_shapes(WORK, STRESS_RUNS, measure, {"validate": VALIDATE_COMMAND, "build": FULL_COMMAND}, env)
    pdfs = []
    for r in rows if PDF_RUNS else ():
        print(f"N = {r['n']:,}: briefings' PDFs, without, warm and cold...", flush=True)
        pdfs.append(pdf_costs(r["n"], folders_by_n[r["n"]], r["bare"]))
    text = report(rows, events, finders, savings, previews, started, stress) + pdf_report(pdfs)
    (WORK / "results.json").write_text(json.dumps(
        {"rows": rows, "events": events, "finders": finders, "savings": savings, "previews": previews,
         "started": started, "stress": stress, "pdfs": pdfs}, indent=1, default=str))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    print(text)
    print(f"Written to {OUT} (raw figures in {WORK / 'results.json'}).")


if __name__ == "__main__":
    main()
