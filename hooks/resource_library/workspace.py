"""Where a build keeps the files it works on, and what a killed build left.

A build that is killed (a closed terminal, a cancelled job) cannot remove
its working folders: they hold a contributor's images and a briefing's
data. Kept in the project's .cache rather than the system's temporary
folder, they are found and removed by the next build.
"""
from __future__ import annotations

import os
from pathlib import Path


def work_folder(parent: Path, prefix: str) -> str | None:
    """Where a build keeps what it works on (a briefing's data and images,
    the side process's pickles): `parent` in the project's .cache, where the
    next build finds and removes what a killed one left, once an hour old.
    None (the system's temporary folder) if it cannot be made."""
    import shutil
    import time
    try:
        parent.mkdir(parents=True, exist_ok=True)
        for entry in os.scandir(parent):
            if entry.name.startswith(prefix) and time.time() - entry.stat().st_mtime > 3_600:
                shutil.rmtree(entry.path, ignore_errors=True)
    except OSError:
        return None
    return str(parent)
