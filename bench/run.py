"""`make bench`: the full pipeline against a bare mkdocs-material baseline.

For N = 250, 1,000 and 4,000 synthetic resources (bench/generate.py), both
builds run in the same session, medians of 3 runs: wall time, peak memory
(largest process) and output size. At 1,000 and 4,000, headless Chromium
measures the finder's first answer over http://127.0.0.1 and from file://
(the offline bundle), and what it downloads before answering. At 1,000 the
pipeline is also built with the theme's search plugin put back, to show
what dropping it saved. Writes bench/RESULTS.md. Works only in bench/work/
(git-ignored). BENCH_SIZES, BENCH_RUNS and BENCH_THEME_SEARCH_SIZES choose
how much to run.
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
from pathlib import Path
from urllib.parse import unquote

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))
from generate import generate  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "250,1000,4000").split(",")]
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
FINDER_SIZES = [n for n in (1000, 4000) if n in SIZES]
THEME_SEARCH_SIZES = [int(n) for n in os.environ.get("BENCH_THEME_SEARCH_SIZES", "1000").split(",") if n.strip()]
# Targets from issue 11.
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


def measure(command: list[str], cwd: Path, environment: dict) -> tuple[float, int]:
    """Wall seconds and peak RSS in bytes (largest process in the tree)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode()
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build failed in {cwd}:\n{stderr}")
    return elapsed, usage.ru_maxrss * 1024


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bench_size(n: int) -> dict:
    project = generate(WORK / f"full-{n}", n)
    baseline = WORK / f"baseline-{n}"
    shutil.rmtree(baseline, ignore_errors=True)
    (baseline / "docs").mkdir(parents=True)
    for folder in ("at-a-glance", "deeper-dives", "webinars"):
        shutil.copytree(project / folder, baseline / "docs" / folder)
    (baseline / "docs" / "index.md").write_text("# Home\n")
    (baseline / "mkdocs.yml").write_text(BASELINE_YML)
    full_runs, base_runs = [], []
    for _ in range(RUNS):
        # Alternate, so both see the same machine state.
        full_runs.append(measure([sys.executable, "-m", "resource_library", "build", "--quiet", "--site-dir", "site"],
                                 project, env(project)))
        base_runs.append(measure([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"],
                                 baseline, env(baseline)))
    resource_pages = [p for t in ("at-a-glance", "deeper-dives", "webinars") for p in (project / "site" / t).glob("*/index.html")]
    return {
        "n": n,
        "full_time": statistics.median(t for t, _ in full_runs), "base_time": statistics.median(t for t, _ in base_runs),
        "full_mem": statistics.median(m for _, m in full_runs), "base_mem": statistics.median(m for _, m in base_runs),
        "full_size": tree_size(project / "site"), "base_size": tree_size(baseline / "site"),
        "max_page": max(p.stat().st_size for p in resource_pages), "project": project,
    }


def gzipped(path: Path) -> int:
    """Bytes on the wire from a server that compresses, as GitHub Pages does."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


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
        for name, (url, folder, base, warm) in cases.items():
            runs = [first_answer(browser, url, folder, base, warm) for _ in range(RUNS)]
            results[f"{name}_ms"] = statistics.median(r[0] for r in runs)
            results[f"{name}_bytes"] = max(r[1] for r in runs)
            results[f"{name}_files"] = runs[0][2]
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
        ours.append(measure([sys.executable, "-m", "resource_library", "build", "--quiet", "--site-dir", "site"],
                            project, env(project)))
        theirs.append(measure([sys.executable, "-m", "resource_library", "build", "--quiet", "--config-file",
                               "mkdocs.theme-search.yml", "--site-dir", "site-theme-search"], project, env(project)))
    with_search, without = project / "site-theme-search", project / "site"
    page = "webinars/synthetic-resource-00002/index.html"
    index = with_search / "search" / "search_index.json"
    worker = next((with_search / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    return {
        "n": n,
        "time_with": statistics.median(t for t, _ in theirs), "time_without": statistics.median(t for t, _ in ours),
        "size_with": tree_size(with_search), "size_without": tree_size(without),
        "page_with": (with_search / page).stat().st_size, "page_without": (without / page).stat().st_size,
        "page_gz_with": gzipped(with_search / page), "page_gz_without": gzipped(without / page),
        "search_download": gzipped(index) + gzipped(worker),
    }


def event_times(project: Path, baseline: Path) -> tuple[dict, dict]:
    """Seconds per MkDocs event for one build of each, N = 1,000."""
    out = []
    for folder in (project, baseline):
        result = subprocess.run([sys.executable, str(HERE / "events.py"), str(folder / "site-events")], cwd=folder,
                                env=env(folder), capture_output=True, text=True, check=True)
        out.append(json.loads(result.stdout.strip().splitlines()[-1]))
    return out[0], out[1]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def mb(n: float) -> str:
    return f"{n / 1_000_000:.1f} MB"


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def main() -> None:
    WORK.mkdir(exist_ok=True)
    rows = []
    for n in SIZES:
        print(f"N = {n}: generating and building {RUNS} times each...", flush=True)
        rows.append(bench_size(n))
        r = rows[-1]
        print(f"  full {r['full_time']:.2f} s, baseline {r['base_time']:.2f} s, ratio {r['full_time'] / r['base_time']:.2f}")
    by_n = {r["n"]: r for r in rows}
    finders = []
    for n in FINDER_SIZES:
        print(f"N = {n}: the finder in Chromium...", flush=True)
        finders.append(finder_timings(by_n[n]["project"], n))
    savings = []
    for n in THEME_SEARCH_SIZES:
        if n in by_n:
            print(f"N = {n}: building with and without the theme's search...", flush=True)
            savings.append(theme_search(by_n[n]["project"], n))
    events = event_times(by_n[1000]["project"], WORK / "baseline-1000") if 1000 in by_n else None
    preview = None
    if 1000 in by_n:
        # Edit-to-preview under `make serve` (mkdocs serve --dirty), and bare
        # mkdocs-material's own `mkdocs serve` on the same Markdown beside it.
        print("N = 1,000: edit-to-preview under mkdocs serve...", flush=True)
        from serve import edit_to_preview
        project, baseline = by_n[1000]["project"], WORK / "baseline-1000"
        source = sorted((project / "at-a-glance").glob("*.md"))[0]
        ours = edit_to_preview(project, source, f"at-a-glance/{source.stem}/", "/strategic-planning-library/",
                               max(RUNS, 5), extra_args=("--dirty",))
        base_source = baseline / "docs" / "at-a-glance" / source.name
        bare = edit_to_preview(baseline, base_source, f"at-a-glance/{source.stem}/", "/", max(RUNS, 5))
        preview = (statistics.median(ours), statistics.median(bare), len(ours))
    lines = ["# Benchmark results", "", f"Machine: {machine()}.", "",
             f"Generated by `make bench` (bench/run.py) on {time.strftime('%Y-%m-%d')}. Each figure is the median of "
             f"{RUNS} runs; the full pipeline and the bare mkdocs-material baseline (search plugin only, resources "
             "not in the nav) build the same generated Markdown, alternately, in the same session.", "",
             "## Builds", "",
             "| N | full build | baseline | ratio | full peak memory | baseline peak memory | full output | baseline output | largest resource page |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['n']:,} | {r['full_time']:.2f} s | {r['base_time']:.2f} s | {r['full_time'] / r['base_time']:.2f} | "
                     f"{mb(r['full_mem'])} | {mb(r['base_mem'])} | {mb(r['full_size'])} | {mb(r['base_size'])} | "
                     f"{r['max_page'] / 1000:.1f} KB |")
    lines += ["", "Peak memory is the largest single process (the MkDocs build; the finder index and feeds are "
              "built in a second process alongside it).", "", "## Targets", ""]
    if 1000 in by_n:
        r = by_n[1000]
        ratio = r["full_time"] / r["base_time"]
        lines.append(f"- Full build at most 1.25 times the baseline at N = 1,000: {ratio:.2f} times, {verdict(ratio <= 1.25)}.")
        lines.append(f"- No resource page over 50 KB: largest {r['max_page'] / 1000:.1f} KB, {verdict(r['max_page'] <= 50_000)}.")
    if 1000 in by_n and 4000 in by_n:
        t = by_n[4000]["full_time"] / by_n[1000]["full_time"]
        m = by_n[4000]["full_mem"] / by_n[1000]["full_mem"]
        lines.append(f"- Build at N = 4,000 at most 4.4 times N = 1,000: {t:.2f} times, {verdict(t <= 4.4)}.")
        lines.append(f"- Memory no faster than linear (at most 4 times from 1,000 to 4,000): {m:.2f} times, {verdict(m <= 4)}.")
    for f in finders:
        worst = max(f["http_ms"], f["file_ms"])
        lines.append(f"- Finder's first answer within {FIRST_ANSWER_MS} ms at N = {f['n']:,}: {f['http_ms']:.0f} ms over "
                     f"http, {f['file_ms']:.0f} ms from file://, {verdict(worst <= FIRST_ANSWER_MS)}.")
        lines.append(f"- Finder downloads at most {FIRST_DOWNLOAD_BYTES / 1e6:.1f} MB gzipped before answering at "
                     f"N = {f['n']:,}: {f['http_bytes'] / 1000:,.0f} KB, {verdict(f['http_bytes'] <= FIRST_DOWNLOAD_BYTES)}.")
    if finders:
        lines += ["", "## The finder's first answer in headless Chromium", "",
                  f"Chromium {finders[0]['chromium']}. Milliseconds from navigation start until the first results "
                  "show, for `finder/?text=planning` (what the header's search box sends), each run in a fresh tab "
                  "with nothing cached. \"From another page\": the same, arriving from the About page in the same "
                  "tab with the browser cache off, as a reader using the header's box does. Downloaded: every file "
                  "fetched before the first answer (page, styles, scripts, data), gzipped as a server such as "
                  "GitHub Pages sends them.", "",
                  "| N | http, with words | http, no words | http, from another page | file:// (offline bundle) "
                  "| downloaded first (gzipped) | body text shards (largest, all; gzipped) | offline bundle |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for f in finders:
            lines.append(f"| {f['n']:,} | {f['http_ms']:.0f} ms | {f['http_all_ms']:.0f} ms | {f['http_warm_ms']:.0f} ms "
                         f"| {f['file_ms']:.0f} ms | {f['http_bytes'] / 1000:,.0f} KB | {f['shards']} shards: "
                         f"{f['shard_gz'] / 1000:,.0f} KB, {f['body_gz'] / 1000:,.0f} KB | {mb(f['bundle_size'])} zipped |")
        lines += ["", "Files fetched before the first answer at N = "
                  f"{finders[-1]['n']:,}: " + ", ".join(f"`{name}`" for name in finders[-1]["http_files"]) + ". "
                  "Body text is fetched afterwards, one shard per word searched for."]
    for t in savings:
        lines += ["", f"## What dropping the theme's search saved, N = {t['n']:,}", "",
                  "The same pipeline built with the theme's search plugin and header search put back "
                  "(`mkdocs.theme-search.yml`, written by the benchmark), alternately with the pipeline as it is.", "",
                  "| | with the theme's search | without (the finder only) | saved |", "| --- | ---: | ---: | ---: |",
                  f"| build time | {t['time_with']:.2f} s | {t['time_without']:.2f} s | {t['time_with'] - t['time_without']:.2f} s |",
                  f"| site output | {mb(t['size_with'])} | {mb(t['size_without'])} | {mb(t['size_with'] - t['size_without'])} |",
                  f"| a resource page (HTML) | {t['page_with'] / 1000:.1f} KB | {t['page_without'] / 1000:.1f} KB | "
                  f"{(t['page_with'] - t['page_without']) / 1000:.1f} KB |",
                  f"| the same, gzipped | {t['page_gz_with'] / 1000:.1f} KB | {t['page_gz_without'] / 1000:.1f} KB | "
                  f"{(t['page_gz_with'] - t['page_gz_without']) / 1000:.1f} KB |",
                  f"| downloaded to search once (gzipped) | {t['search_download'] / 1000:,.0f} KB (index and worker) "
                  f"| the finder's first download, above | |"]
    if events:
        full, base = events
        lines += ["", "## Where the time goes, N = 1,000", "",
                  "One build of each, timed per MkDocs event (plugins and our hook together) by bench/events.py. "
                  "Time outside events is MkDocs itself: reading files, rendering the theme, writing pages.", "",
                  "| event | full | baseline | difference |", "| --- | ---: | ---: | ---: |"]
        names = sorted(set(full["events"]) | set(base["events"]), key=lambda k: -full["events"].get(k, 0))
        for name in names:
            a, b = full["events"].get(name, 0), base["events"].get(name, 0)
            if max(a, b) >= 0.01:
                lines.append(f"| on_{name} | {a:.2f} s | {b:.2f} s | {a - b:+.2f} s |")
        outside_a = full["total"] - sum(full["events"].values())
        outside_b = base["total"] - sum(base["events"].values())
        lines.append(f"| outside events | {outside_a:.2f} s | {outside_b:.2f} s | {outside_a - outside_b:+.2f} s |")
        lines.append(f"| **total** | {full['total']:.2f} s | {base['total']:.2f} s | {full['total'] - base['total']:+.2f} s |")
    if preview:
        ours, bare, edits = preview
        lines += ["", "## Edit to preview, N = 1,000", "",
                  f"Seconds from saving a resource until `mkdocs serve` answers with the edited page (what the open "
                  f"tab's live-reload then shows), median of {edits} edits (bench/serve.py).", "",
                  "| `make serve` (full pipeline, --dirty with page signatures) | bare mkdocs-material `mkdocs serve` |",
                  "| ---: | ---: |", f"| {ours:.2f} s | {bare:.2f} s |", "",
                  f"- Edit to preview at most 1.5 s at N = 1,000: {ours:.2f} s, {verdict(ours <= 1.5)}."]
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
