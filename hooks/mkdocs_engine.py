"""The engine behind `python -m resource_library build`: MkDocs, run in the
command's own process.

Part of the MkDocs adapter, with library_hook.py and markdown_worker.py:
resource_library's command line imports this module by name when it builds,
and never imports MkDocs itself. Another engine would replace this file.

In process rather than as a child process: a second interpreter that only
waits cost about 19 MB of memory and 0.1 s of CPU in every build.
"""
from __future__ import annotations


def build(config_file: str, site_dir: str, quiet: bool) -> int:
    """`mkdocs build --strict` into `site_dir`; the exit status MkDocs
    would have ended with (0: built)."""
    from mkdocs.__main__ import cli

    args = ["build", "--strict", "--quiet" if quiet else "--clean", "--config-file", config_file,
            "--site-dir", site_dir]
    try:
        # Standalone mode: click prints MkDocs' own error messages (an
        # aborted --strict build, a bad config) and ends with SystemExit.
        cli.main(args, prog_name="mkdocs", standalone_mode=True)
    except SystemExit as ended:
        if ended.code is None:
            return 0
        return ended.code if isinstance(ended.code, int) else 1
    return 0
