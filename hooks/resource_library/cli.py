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
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows without WSL: no stale folders are removed
    fcntl = None

from . import dates
from .vocabulary import VocabularyError

# The module that runs the engine's build (hooks/engine.py).
ENGINE = "engine"

# The checks are imported where they are used: `new` and `fields` need
# neither the validator nor the engine.


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
    from .validate import check_project
    root = Path(args.root)
    library, problems = check_project(root)
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


# A build's staging folder `.site.building-XXXX` (and `.site.old-XXXX`, the
# previous site while it is swapped out) belong to the lock file
# `.site.building-XXXX.lock` beside them, which the build creates first and
# holds an flock on until it ends. The kernel releases the lock when the
# build dies, however it dies: a folder whose lock can be taken, or that has
# none, was left by a build that was stopped.
LOCK_SUFFIX = ".lock"
ORPHAN_LOCK_SECONDS = 3600  # a lock file with no folder, kept that long (its build may be starting)


def _owner_gone(lock: Path):
    """An open file holding the flock of `lock` when its build is gone
    (None when there was no lock file: a folder without one is stale
    too), or False while its build runs."""
    try:
        handle = open(lock, "a+b")
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    return handle


def remove_stale_builds(site: Path) -> list[str]:
    """Remove the staging folders left beside `site` by builds that were
    stopped (killed, or the machine went down), never a running build's.
    Returns the names removed."""
    if fcntl is None:
        return []
    removed = []
    for folder in sorted(site.parent.glob(f".{site.name}.*-*")):
        kind, _, suffix = folder.name[len(site.name) + 2:].partition("-")
        if kind not in ("building", "old") or folder.name.endswith(LOCK_SUFFIX) or folder.is_symlink() \
                or not folder.is_dir():
            continue
        lock = site.parent / f".{site.name}.building-{suffix}{LOCK_SUFFIX}"
        held = _owner_gone(lock)
        if held is False:
            continue  # a build still running
        try:
            if kind == "old" and not site.exists() and (folder / site.name).is_dir():
                # Stopped between moving the old site out and the new one in:
                # the old one goes back, as if that build had failed.
                os.replace(folder / site.name, site)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
            if held is not None and not any(site.parent.glob(f".{site.name}.*-{suffix}")):
                lock.unlink(missing_ok=True)
        finally:
            if held is not None:
                held.close()
    now = time.time()
    for lock in site.parent.glob(f".{site.name}.building-*{LOCK_SUFFIX}"):
        folder = lock.with_name(lock.name[:-len(LOCK_SUFFIX)])
        try:
            orphan = not folder.exists() and now - lock.stat().st_mtime > ORPHAN_LOCK_SECONDS
        except OSError:
            continue
        held = _owner_gone(lock) if orphan else False
        if held:
            lock.unlink(missing_ok=True)
            held.close()
    return removed


def _claim_staging(site: Path):
    """A new staging folder beside `site`, and its lock file, open and
    locked for as long as this build runs."""
    descriptor, lock = tempfile.mkstemp(prefix=f".{site.name}.building-", suffix=LOCK_SUFFIX, dir=site.parent)
    handle = os.fdopen(descriptor, "wb")
    if fcntl is not None:
        fcntl.flock(handle, fcntl.LOCK_EX)
    handle.write(f"{os.getpid()}\n".encode())  # for a person wondering whose folder it is
    handle.flush()
    staging = Path(lock[:-len(LOCK_SUFFIX)])
    staging.mkdir()
    return staging, (Path(lock), handle)


def _release(lock) -> None:
    """Remove this build's lock file, then let go of the lock."""
    path, handle = lock
    path.unlink(missing_ok=True)
    handle.close()


def cmd_build(args) -> int:
    """Build into a folder beside the site folder and swap it in only when
    the whole build succeeded: a failed build leaves the old site as it was."""
    site = Path(args.site_dir).resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    for name in remove_stale_builds(site):
        print(f"Removed {name}, left by a build that was stopped.", file=sys.stderr)
    staging, lock = _claim_staging(site)
    try:
        return _build_and_swap(args, site, staging)
    finally:
        _release(lock)


def _build_and_swap(args, site: Path, staging: Path) -> int:
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
    # hooks/engine.py), so that it can move to another engine.
    engine = importlib.import_module(ENGINE)
    try:
        status = engine.build(args.config_file, str(staging), args.quiet)
    except engine.UnknownEngine as error:
        shutil.rmtree(staging, ignore_errors=True)
        print(error, file=sys.stderr)
        return 2
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
        # Named after the staging folder, so that its lock covers it too.
        old = staging.with_name(staging.name.replace(".building-", ".old-", 1))
        old.mkdir()
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
    commands.add_parser("rules", help="regenerate the list of rules in CONTRIBUTING.md from the catalogue")
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
        if args.command == "rules":
            from .fieldref import update_rules
            changed = update_rules(Path(args.root) / "CONTRIBUTING.md")
            print("CONTRIBUTING.md " + ("updated." if changed else "is up to date."))
            return 0
        if args.command == "report":
            from .editorial import cmd_report
            return cmd_report(args)
    except VocabularyError as error:
        print(error, file=sys.stderr)
        return 1
    return 2
