"""Outputs that need only the library, not the rendered pages: the finder's
data and prebuilt index, the Atom feed and the webinar calendars.

They are built in a second Python process, on the second core, while MkDocs
renders pages on the first, and written when the build ends. A plain
subprocess rather than multiprocessing: spawn re-imports the parent's
__main__, which breaks when MkDocs is started from a script without a main
guard. `make serve` keeps one such process for the whole session (Session),
with its memo, so after an edit only what changed is made again, and off
the main process's path.
"""
from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

from .claims import Claim, Claimed
from .feeds import build_feeds
from .load import Library, Resource
from .search import finder_assets
from .workspace import work_folder

HOOKS_DIR = Path(__file__).resolve().parent.parent


class SideOutputError(Exception):
    pass


def build(library, use_directory_urls: bool, site_url: str, site_name: str, synonyms=(),
          lunr_js: str | None = None, memo: dict | None = None) -> Claimed:
    """Every side output, as {path in the site: bytes}, each claimed. `lunr_js`: the path
    of lunr.js (the finder uses its stemmer), which the engine ships. `memo`: results
    kept between `make serve` rebuilds (memo.py), or None."""
    outputs = Claimed()
    for path, content in finder_assets(library, use_directory_urls, synonyms, memo).items():
        outputs.claim(path, content, Claim("the finder's data"))
    if lunr_js:
        outputs.claim("finder/lunr.js", Path(lunr_js).read_bytes(), Claim("the finder's copy of lunr.js"))
    outputs.update_claimed(build_feeds(library, site_url, site_name, memo))
    return outputs


def portable(args: tuple) -> tuple:
    """`start`'s arguments as sent to another process: of the library, only
    what the side outputs read (each resource's type, slug, front matter and
    body), not its link checks' findings or its indexes, which `arrived`
    works out again. A third less to pickle, and cheaper per resource."""
    library, *rest = args
    resources = [(r.type, r.slug, r.meta, r.body, r.body_line, r.abs_path) for r in library.resources]
    return ((resources, library.vocabulary, library.now, library.include_drafts, library.synonyms), *rest)


def arrived(sent: tuple) -> tuple:
    """The inverse of `portable`, in the side process."""
    (resources, vocabulary, now, include_drafts, synonyms), *rest = sent
    library = Library([Resource(type=t, slug=slug, meta=meta, body=body, body_line=line, abs_path=path)
                       for t, slug, meta, body, line, path in resources], vocabulary, now, include_drafts, synonyms)
    return (library, *rest)


def _environment() -> dict:
    return dict(os.environ, PYTHONPATH=os.pathsep.join([str(HOOKS_DIR), os.environ.get("PYTHONPATH", "")]))


class Session:
    """One process for a whole `make serve` session: it takes each
    rebuild's library on stdin and answers with the outputs on stdout."""

    def __init__(self):
        self.errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen([sys.executable, "-m", "resource_library.side_outputs", "--session"],
                                        env=_environment(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=self.errors)
        self.owed = 0  # replies submitted for and not yet received

    def alive(self) -> bool:
        return self.process.poll() is None

    def ready(self) -> bool:
        """Alive and owing nothing. A rebuild that failed after submitting
        never read its reply: the process is then blocked writing it, and
        would answer the next rebuild with the last one's outputs."""
        return self.alive() and not self.owed

    def submit(self, args: tuple) -> bool:
        try:
            pickle.dump(args, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.process.stdin.flush()
        except OSError:
            return False
        self.owed += 1
        return True

    def receive(self) -> dict[str, bytes]:
        self.owed -= 1
        try:
            status, value = pickle.load(self.process.stdout)
        except Exception:
            self.errors.seek(0)
            raise SideOutputError("building the finder index and feeds failed:\n"
                                  + self.errors.read().decode("utf-8", "replace")) from None
        if status != "ok":
            raise SideOutputError(f"building the finder index and feeds failed:\n{value}")
        return value

    def close(self) -> None:
        if self.alive() and self.owed:
            self.process.kill()  # blocked writing a reply nobody will read
            self.process.wait()
        elif self.alive():
            self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.errors.close()


class _Pending:
    def __init__(self, outputs=None, process=None, folder=None, session=None, args=None, memo=None):
        self.outputs, self.process, self.folder, self.session, self.args = outputs, process, folder, session, args
        self.memo = memo

    def result(self) -> dict[str, bytes]:
        if self.outputs is None and self.session is not None:
            try:
                self.outputs = self.session.receive()
            except SideOutputError:
                # The session's process failed: stop it (the next rebuild
                # starts another) and make this rebuild's outputs here.
                self.session.process.kill()
                self.outputs = build(*self.args, memo=self.memo)
        elif self.outputs is None:
            _, stderr = self.process.communicate()
            out = Path(self.folder.name) / "out.pickle"
            if self.process.returncode != 0 or not out.exists():
                raise SideOutputError(f"building the finder index and feeds failed:\n{stderr.decode()}")
            self.outputs = pickle.loads(out.read_bytes())
            self.folder.cleanup()
        return self.outputs


def start(library, use_directory_urls: bool, site_url: str, site_name: str, synonyms, lunr_js: str,
          in_background: bool, session: Session | None = None, memo: dict | None = None,
          work_dir: Path | None = None) -> _Pending:
    """Start making the side outputs: in a `session` if given (and alive),
    else in a new process if `in_background`, else here and now (with
    `memo`, the main process's store, if given)."""
    args = (library, use_directory_urls, site_url, site_name, list(synonyms), lunr_js)
    if session is not None and session.alive() and session.submit(portable(args)):
        return _Pending(session=session, args=args, memo=memo)
    if not in_background:
        return _Pending(outputs=build(*args, memo=memo))
    prefix = "library-side-outputs-"
    folder = tempfile.TemporaryDirectory(prefix=prefix, dir=work_folder(work_dir, prefix) if work_dir else None)
    # Streamed to the file: no second copy of every body in memory.
    with open(Path(folder.name) / "in.pickle", "wb") as handle:
        pickle.dump(portable(args), handle, protocol=pickle.HIGHEST_PROTOCOL)
    process = subprocess.Popen([sys.executable, "-m", "resource_library.side_outputs", folder.name],
                               env=_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return _Pending(process=process, folder=folder)


def finish(pending: _Pending, site_dir: Path, written: dict | None = None) -> Claimed:
    """Write the outputs, and return them with their claims. With `written`
    (kept between `make serve` rebuilds), a file whose bytes are those last
    written is left alone."""
    outputs = pending.result()
    for rel, content in outputs.items():
        path = Path(site_dir) / rel
        if written is not None and written.get(rel) == content and path.is_file():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        if written is not None:
            written[rel] = content
    return outputs


def serve_session() -> None:
    store: dict = {}  # this process's memo, for the whole `make serve` session
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            sent = pickle.load(requests)
        except EOFError:
            return
        try:
            reply = ("ok", build(*arrived(sent), memo=store))
        except Exception:
            reply = ("error", traceback.format_exc())
        pickle.dump(reply, replies, protocol=pickle.HIGHEST_PROTOCOL)
        replies.flush()


if __name__ == "__main__" and sys.argv[1:] == ["--session"]:
    serve_session()
elif __name__ == "__main__":
    work = Path(sys.argv[1])
    with open(work / "in.pickle", "rb") as handle:
        args = arrived(pickle.load(handle))
    gc.freeze()  # the library lives until the process ends: the collector need not walk it
    outputs = build(*args)
    (work / "out.pickle").write_bytes(pickle.dumps(outputs, protocol=pickle.HIGHEST_PROTOCOL))
