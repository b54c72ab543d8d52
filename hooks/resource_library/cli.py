"""Commands behind the Makefile: build (atomic), validate, new, report.

Run as `python -m resource_library COMMAND` with hooks/ on PYTHONPATH; the
Makefile does that for you.
"""
from __future__ import annotations

import argparse
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import dates
from .vocabulary import VocabularyError

# The module that runs the engine's build (hooks/mkdocs_engine.py).
ENGINE = "mkdocs_engine"

# The checks are imported where they are used: `new` and `fields` need
# neither the validator nor the engine.


def load(root: Path, include_drafts: bool = False):
    from .validate import check_project
    return check_project(root, root / "docs", include_drafts)


def changed_files(root: Path, since: str) -> set[str] | None:
    """Files changed since a commit (a pull request's base), from git; None
    when git cannot say, and then no file is put first."""
    result = subprocess.run(["git", "diff", "--name-only", "-z", since, "--"], cwd=root,
                            capture_output=True, text=True)
    if result.returncode != 0:
        print(f"Could not list the files changed since {since}: {result.stderr.strip()}", file=sys.stderr)
        return None
    return {name for name in result.stdout.split("\0") if name}


def cmd_validate(args) -> int:
    from .problems import report, write_step_summary
    root = Path(args.root)
    library, problems = load(root)
    changed = changed_files(root, args.changed_since) if args.changed_since else None
    if problems:
        print(report(problems, changed), file=sys.stderr)
    errors = [p for p in problems if p.is_error]
    if not errors:
        print(f"{len(library.resources)} resources checked: no problems"
              + (f" ({len(problems)} warning(s))" if problems else "") + ".")
    # On GitHub Actions: the same problems, readable on the run's page.
    write_step_summary(problems, len(library.resources), changed)
    return 1 if errors else 0


def cmd_build(args) -> int:
    """Build into a folder beside the site folder and swap it in only when
    the whole build succeeded: a failed build leaves the old site as it was."""
    site = Path(args.site_dir).resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.building-", dir=site.parent))
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    if getattr(args, "drafts", False):
        os.environ["RESOURCE_LIBRARY_DRAFTS"] = "1"  # read by the hook
    if getattr(args, "offline_copy", None):
        os.environ["RESOURCE_LIBRARY_OFFLINE_COPY"] = str(Path(args.offline_copy).resolve())  # read by the hook
    if getattr(args, "hosted", False):
        os.environ["RESOURCE_LIBRARY_HOSTED"] = "1"  # read by the hook: the policy names site_url's script folders
    if not os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        os.environ.pop("SOURCE_DATE_EPOCH", None)  # MkDocs fails on an empty value
    # The engine, by name: this package never imports MkDocs (see
    # hooks/mkdocs_engine.py), so that it can move to another engine.
    engine = importlib.import_module(ENGINE)
    try:
        status = engine.build(args.config_file, str(staging), args.quiet)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if status != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"Build failed: {site} was left as it was." if site.exists()
              else f"Build failed: nothing was written to {site}.", file=sys.stderr)
        return status
    old = None
    if site.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site.name}.old-", dir=site.parent))
        os.replace(site, old / site.name)
    os.replace(staging, site)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    print(f"Built {site}")
    return 0


def cmd_bundle(args) -> int:
    """The offline bundle: the same pipeline with mkdocs.offline.yml, zipped."""
    from .bundle import zip_site
    root = Path(args.root)
    site = root / args.dist / "offline-site"
    args.site_dir, args.config_file = str(site), args.config_file
    status = cmd_build(args)
    if status:
        return status
    zip_path = zip_site(site, root / args.dist, args.name, dates.build_time())
    size = zip_path.stat().st_size
    print(f"Offline bundle: {zip_path} ({size / 1_000_000:.1f} MB, {size:,} bytes)")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="resource_library")
    parser.add_argument("--root", default=".", help="the project folder (with mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check every resource")
    validate.add_argument("--changed-since", metavar="COMMIT",
                          help="list problems in files changed since this commit first (a pull request's base)")
    build = commands.add_parser("build", help="validate and build the site atomically")
    build.add_argument("--config-file", default="mkdocs.yml")
    build.add_argument("--site-dir", default="site")
    build.add_argument("--quiet", action="store_true")
    build.add_argument("--drafts", action="store_true", help="include drafts, with their banner (a preview)")
    build.add_argument("--offline-copy", metavar="ZIP", help="publish this offline zip (from `bundle`) with the site")
    build.add_argument("--hosted", action="store_true",
                       help="for the host in site_url: scripts run only from the site's script folders there")
    new = commands.add_parser("new", help="start a resource from the template")
    # Checked by cmd_new, which lists the types in words rather than argparse's usage line.
    new.add_argument("--type", required=True, help="at-a-glance, deeper-dives or webinars")
    new.add_argument("--title", required=True)
    rep = commands.add_parser("report", help="editorial report, printed and written as CSV")
    rep.add_argument("--csv", default="report.csv")
    bundle = commands.add_parser("bundle", help="build the offline bundle and zip it")
    bundle.add_argument("--config-file", default="mkdocs.offline.yml")
    bundle.add_argument("--dist", default="dist")
    bundle.add_argument("--name", default="strategic-planning-resource-library")
    bundle.add_argument("--quiet", action="store_true")
    commands.add_parser("fields", help="regenerate the field reference in CONTRIBUTING.md from the schema")
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            return cmd_validate(args)
        if args.command == "build":
            return cmd_build(args)
        if args.command == "bundle":
            return cmd_bundle(args)
        if args.command == "new":
            from .scaffold import cmd_new
            return cmd_new(args)
        if args.command == "fields":
            from .fieldref import update
            root = Path(args.root)
            changed = update(root / "CONTRIBUTING.md", root / "schema" / "resource.schema.json")
            print("CONTRIBUTING.md " + ("updated." if changed else "is up to date."))
            return 0
        if args.command == "report":
            from .editorial import cmd_report
            return cmd_report(args)
    except VocabularyError as error:
        print(error, file=sys.stderr)
        return 1
    return 2
