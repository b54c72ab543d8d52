"""The benchmark's own helpers (bench/proctree.py, bench/floor.py, bench/pages.py):
that a build's whole process tree is counted, and that the floor config
follows the project's mkdocs.yml. No timing assertions."""
import json
import shutil
import subprocess
import sys
import textwrap
import types

import pytest
import yaml

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import floor  # noqa: E402
import pages  # noqa: E402
import proctree  # noqa: E402

# A process that does a fixed amount of work, holds some memory, runs the
# next level (as `resource_library build` runs mkdocs, which runs the side
# process) while holding it, and reports its own CPU time.
LEVEL = textwrap.dedent("""
    import resource, subprocess, sys, time
    depth, report = int(sys.argv[1]), sys.argv[2]
    held = bytearray(30_000_000)
    for i in range(0, len(held), 4096):
        held[i] = 1  # touched, so resident
    total = 0
    for i in range(2_000_000):
        total += i * i
    if depth > 1:
        child = subprocess.Popen([sys.executable, __file__, str(depth - 1), report])
        child.communicate()
    else:
        time.sleep(1.0)  # every level alive at once, for the sampler (20 ms samples; 0.3 s was missed under load)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    with open(report, "a") as out:
        out.write(f"{usage.ru_utime + usage.ru_stime}\\n")
""")


def test_measure_counts_every_process_in_the_tree(tmp_path):
    script = tmp_path / "level.py"
    script.write_text(LEVEL)
    report = tmp_path / "cpu.txt"
    # Measured from a small interpreter of its own: a child's ru_maxrss on
    # Linux counts its parent's pages at fork, and a pytest worker that has
    # run many builds is larger than the whole tree measured here.
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); import proctree; "
            "from pathlib import Path; "
            "run = proctree.measure([sys.executable, sys.argv[2], '3', sys.argv[3]], Path(sys.argv[4]), {}); "
            "print(json.dumps(run.__dict__))")
    out = subprocess.run([sys.executable, "-c", code, str(REPO / "bench"), str(script), str(report), str(tmp_path)],
                         capture_output=True, text=True, check=True).stdout
    run = types.SimpleNamespace(**json.loads(out))
    own = [float(line) for line in report.read_text().split()]
    assert len(own) == 3
    # wait4's total includes the child and grandchild, not only the top process.
    assert run.cpu >= sum(own) - 0.02
    assert run.cpu_sampled <= run.cpu + 0.05
    # Three processes alive at once, each holding 30 MB: the sum sees all three.
    assert run.processes >= 3
    assert run.peak_sum >= 3 * 30_000_000
    assert run.peak_sum > run.peak_single >= 30_000_000


def test_measure_reports_a_failed_build(tmp_path):
    with pytest.raises(proctree.BuildFailed, match="boom"):
        proctree.measure([sys.executable, "-c", "import sys; sys.exit('boom')"], tmp_path, {})


def test_parse_stat_copes_with_parentheses_in_the_name():
    fields = ["S", "41"] + ["0"] * 9 + ["250", "50"] + ["0"] * 8 + ["1000"] + ["0"] * 20
    stat = proctree.parse_stat("1234 (python (x) y) " + " ".join(fields))
    assert stat.ppid == 41
    assert stat.cpu_seconds == pytest.approx(300 / proctree.TICK)
    assert stat.rss_bytes == 1000 * proctree.PAGE


def test_floor_config_removes_only_the_hook_macros_and_watch():
    text = textwrap.dedent("""
        site_name: Library
        theme:
          name: material
          custom_dir: docs/overrides
          features: [navigation.tabs]
        markdown_extensions:
          - toc:
              permalink: true
          - pymdownx.superfences:
              custom_fences:
                - name: mermaid
                  format: !!python/name:pymdownx.superfences.fence_code_format
        extra:
          analytics: !ENV [ANALYTICS, "off"]
        plugins:
          - search
          - macros:
              module_name: hooks/macros
        hooks:
          - hooks/library_hook.py
        watch:
          - hooks
        not_in_nav: |
          /topics/
    """)
    result = floor.floor_config(text)
    config = floor.load_config(result)
    assert "hooks" not in config and "watch" not in config
    assert config["plugins"] == ["search"]
    assert config["theme"] == {"name": "material", "custom_dir": "docs/overrides", "features": ["navigation.tabs"]}
    assert config["not_in_nav"] == "/topics/\n"
    # Tags survive for MkDocs to construct, unexecuted here.
    assert "!!python/name:pymdownx.superfences.fence_code_format" in result
    assert "!ENV" in result and config["extra"]["analytics"] == floor.Tagged("!ENV", ["ANALYTICS", "off"])
    # MkDocs' own (unsafe) loader reads the result as it read the original.
    from mkdocs.utils.yaml import get_yaml_loader
    fence = yaml.load(result, Loader=get_yaml_loader())["markdown_extensions"][1]["pymdownx.superfences"]
    assert callable(fence["custom_fences"][0]["format"])


def test_floor_keeps_an_empty_plugin_list_so_mkdocs_adds_no_search():
    config = floor.load_config(floor.floor_config("site_name: x\nplugins:\n  - macros\n"))
    assert config["plugins"] == []
    assert floor.load_config(floor.floor_config("site_name: x\n"))["plugins"] == []


def test_floor_of_the_project_builds_its_nav(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text())
    (project / "docs").symlink_to(REPO / "docs")
    for folder in floor.RESOURCE_FOLDERS:
        (project / folder).mkdir()
    (project / "at-a-glance" / "one.md").write_text("---\ntitle: One\n---\n\nText.\n")
    dest = floor.make_floor(project, tmp_path / "floor")
    config = floor.load_config((dest / "mkdocs.yml").read_text())
    project_config = floor.load_config((REPO / "mkdocs.yml").read_text())
    for key in ("theme", "nav", "not_in_nav", "markdown_extensions", "extra_css", "extra_javascript", "validation"):
        assert config.get(key) == project_config.get(key), key
    assert "hooks" not in config
    assert all(floor.plugin_name(p) != "macros" for p in config["plugins"])
    for _, path in floor.nav_paths(config["nav"]):
        assert (dest / "docs" / path).is_file(), path
    assert (dest / "docs" / "at-a-glance" / "one.md").is_file()
    assert (dest / "docs" / "overrides" / "main.html").is_file()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(tmp_path / "site")],
                            cwd=dest, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "at-a-glance" / "one" / "index.html").is_file()


@pytest.mark.parametrize("path, kind", [
    ("at-a-glance/index.html", "type listing"),
    ("webinars/page/3/index.html", "type listing"),
    ("at-a-glance/synthetic-resource-00001/index.html", "resource"),
    ("topics/index.html", "term index"),
    ("topics/housing/index.html", "topic page"),
    ("functions/create/page/2/index.html", "function page"),
    ("programmes/some-programme/index.html", "programme page"),
    ("finder/index.html", "finder"),
    ("index.html", "other page"),
    ("about/functions/index.html", "other page"),
])
def test_page_kinds(path, kind):
    assert pages.page_kind(path) == kind


def test_events_wraps_parts_where_the_package_imported_them_by_name():
    # In a fresh process: wrapping changes the package for the whole process.
    code = textwrap.dedent("""
        import sys
        sys.path[:0] = [sys.argv[1], sys.argv[2]]
        import events
        events.install_parts([("related", "related"), ("render", "Renderer.resource_header"),
                              ("related", "no_such_function"), ("no_such_module", "f")])
        from resource_library import related, render
        assert render.related is related.related, "render's own name for related() was not rewrapped"
        assert hasattr(related.related, "__bench_original__")
        assert hasattr(render.Renderer.resource_header, "__bench_original__")
        assert set(events.skipped) == {"related.no_such_function", "no_such_module.f"}, events.skipped
    """)
    result = subprocess.run([sys.executable, "-c", code, str(REPO / "bench"), str(REPO / "hooks")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_stress_shapes_are_at_their_limits(tmp_path):
    """Each shape of bench/stress.py is accepted at its budget's limit, and
    its table renders; one more of its kind is refused (test_budgets.py)."""
    import stress
    from resource_library.validate import check_project
    results = []
    for shape in stress.SHAPES:
        project = stress.project_for(shape, tmp_path)
        # Three PDFs read in just under their steps take validate 16 s (their
        # text, 64 MB of drawing each, some 20 s); that a PDF at exactly its
        # limits passes is test_files.py's to show.
        # In this process: the shapes' own cost, not 22 interpreters'.
        if shape[0] not in ("PDF reads", "PDF text"):
            errors = [p for p in check_project(project)[1] if p.is_error]
            assert errors == [], (shape[0], errors[:3])
        shutil.rmtree(project, ignore_errors=True)
        extra = 1.0 if results else 0.0  # each shape a second over the starter library
        results.append({"name": shape[0], "what": shape[1], "validate": 1.0 + extra, "build": 2.0 + extra,
                        "site_bytes": 3e6})
    lines = stress.table(results, 1)
    assert len(lines) == 6 + len(stress.SHAPES) and lines[-1].count("+1.00 s") == 2
