"""Outputs that need only the library, not the rendered pages: the finder's
data and prebuilt index, the Atom feed and the webinar calendars.

They are built in a second Python process, on the second core, while MkDocs
renders pages on the first, and written when the build ends. A plain
subprocess rather than multiprocessing: spawn re-imports the parent's
__main__, which breaks when MkDocs is started from a script without a main
guard. `make serve` builds them in-process: rebuilds there are small.
"""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import mkdocs.contrib.search

from .feeds import build_feeds
from .search import finder_assets

LUNR_JS = Path(mkdocs.contrib.search.__file__).parent / "templates" / "search" / "lunr.js"
HOOKS_DIR = Path(__file__).resolve().parent.parent


class SideOutputError(Exception):
    pass


def build(library, use_directory_urls: bool, site_url: str, site_name: str, synonyms=()) -> dict[str, bytes]:
    """Every side output, as {path in the site: bytes}."""
    outputs = finder_assets(library, use_directory_urls, synonyms)
    outputs["finder/lunr.js"] = LUNR_JS.read_bytes()
    outputs.update(build_feeds(library, site_url, site_name))
    return outputs


class _Pending:
    def __init__(self, outputs=None, process=None, folder=None):
        self.outputs, self.process, self.folder = outputs, process, folder

    def result(self) -> dict[str, bytes]:
        if self.outputs is None:
            _, stderr = self.process.communicate()
            out = Path(self.folder.name) / "out.pickle"
            if self.process.returncode != 0 or not out.exists():
                raise SideOutputError(f"building the finder index and feeds failed:\n{stderr.decode()}")
            self.outputs = pickle.loads(out.read_bytes())
            self.folder.cleanup()
        return self.outputs


def start(library, use_directory_urls: bool, site_url: str, site_name: str, synonyms, in_background: bool) -> _Pending:
    args = (library, use_directory_urls, site_url, site_name, list(synonyms))
    if not in_background:
        return _Pending(outputs=build(*args))
    folder = tempfile.TemporaryDirectory(prefix="library-side-outputs-")
    (Path(folder.name) / "in.pickle").write_bytes(pickle.dumps(args, protocol=pickle.HIGHEST_PROTOCOL))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HOOKS_DIR), os.environ.get("PYTHONPATH", "")]))
    process = subprocess.Popen([sys.executable, "-m", "resource_library.side_outputs", folder.name],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return _Pending(process=process, folder=folder)


def finish(pending: _Pending, site_dir: Path) -> None:
    for rel, content in pending.result().items():
        path = Path(site_dir) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


if __name__ == "__main__":
    work = Path(sys.argv[1])
    outputs = build(*pickle.loads((work / "in.pickle").read_bytes()))
    (work / "out.pickle").write_bytes(pickle.dumps(outputs, protocol=pickle.HIGHEST_PROTOCOL))
