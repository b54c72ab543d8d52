"""`make bench`: the full pipeline against a bare mkdocs-material baseline.

For N = 250, 1,000 and 4,000 synthetic resources (bench/generate.py), both
builds run in the same session, medians of 3 runs: wall time, peak memory
(largest process) and output size. On the 1,000-resource site, headless
Chromium measures the time until the finder and the theme's header search
first answer, over http://127.0.0.1 and from file:// (the offline bundle).
Writes bench/RESULTS.md. Works only in bench/work/ (git-ignored).
"""
from __future__ import annotations

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

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / "work"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))
from generate import generate  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "250,1000,4000").split(",")]
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
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


def browser_timings(project: Path) -> dict:
    """Milliseconds from navigation start until the first results show."""
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS, serve
    subprocess.run([sys.executable, "-m", "resource_library", "bundle", "--quiet", "--dist", "dist"], cwd=project,
                   env=env(project), check=True, stdout=subprocess.DEVNULL)
    (zip_path,) = (project / "dist").glob("*.zip")
    unzipped = WORK / "bundle-1000"
    shutil.rmtree(unzipped, ignore_errors=True)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(unzipped)
    offline = next(unzipped.iterdir())
    base_url = serve(project / "site")
    watch = """
      window.__firstResults = null;
      new MutationObserver(() => {
        if (window.__firstResults === null && document.querySelector(
              '.md-search-result__item, html[data-finder-ready] #finder-results li'))
          window.__firstResults = performance.now();
      }).observe(document, {subtree: true, childList: true, attributes: true});
    """
    results = {"bundle_size": zip_path.stat().st_size}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for where, finder_url, home_url in (
                ("http", base_url + "finder/?text=planning", base_url),
                ("file", (offline / "finder" / "index.html").as_uri() + "?text=planning", (offline / "index.html").as_uri())):
            finder, header = [], []
            for _ in range(RUNS):
                context = browser.new_context()
                context.add_init_script(watch)
                page = context.new_page()
                page.goto(finder_url)
                page.wait_for_function("window.__firstResults !== null", timeout=60_000)
                finder.append(page.evaluate("window.__firstResults"))
                page.goto(home_url, wait_until="domcontentloaded")
                # A reader types at once; Material ignores queries sent before
                # its index is ready, so keep typing as a reader would.
                deadline = time.monotonic() + 60
                while page.evaluate("window.__firstResults") is None and time.monotonic() < deadline:
                    page.fill(".md-search__input", "")
                    page.type(".md-search__input", "planning")
                    page.wait_for_timeout(100)
                header.append(page.evaluate("window.__firstResults"))
                context.close()
            results[f"finder_{where}"] = statistics.median(finder)
            results[f"header_{where}"] = statistics.median(header)
        results["chromium"] = browser.version
        browser.close()
    return results


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
    browser = browser_timings(by_n[1000]["project"]) if 1000 in by_n else {}
    events = event_times(by_n[1000]["project"], WORK / "baseline-1000") if 1000 in by_n else None
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
    if browser:
        f_http, f_file, h_file = browser["finder_http"], browser["finder_file"], browser["header_file"]
        lines.append(f"- Finder answers its first query within 300 ms at N = 1,000: {f_http:.0f} ms over http, "
                     f"{f_file:.0f} ms from file://, {verdict(max(f_http, f_file) <= 300)}.")
        lines.append(f"- Finder at least 5 times sooner than the header search from file://: {h_file / f_file:.1f} times, "
                     f"{verdict(h_file / f_file >= 5)}.")
        lines += ["", "## First answer in headless Chromium, N = 1,000", "",
                  f"Chromium {browser['chromium']}. Milliseconds from navigation start until the first results show; "
                  "the finder is opened with a query in its URL, and the header search is typed into as soon as the "
                  "page's HTML has loaded.", "",
                  "| | http://127.0.0.1 | file:// (offline bundle) |", "| --- | ---: | ---: |",
                  f"| Resource finder (prebuilt lunr index) | {browser['finder_http']:.0f} ms | {browser['finder_file']:.0f} ms |",
                  f"| Theme's header search (index built in the browser) | {browser['header_http']:.0f} ms | {browser['header_file']:.0f} ms |",
                  "", f"Offline bundle for 1,000 resources: {mb(browser['bundle_size'])} zipped."]
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
    notes = HERE / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
