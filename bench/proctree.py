"""Run a command and measure its whole process tree: wall time, CPU time
(user + system, children included) and peak memory summed over every
process alive at once.

CPU comes from os.wait4: the rusage of a reaped process includes every
descendant it waited for, so `resource_library build` -> `mkdocs build` ->
the side process are all counted, as long as each parent waits for its
child (they do: subprocess.run and Popen.communicate). As a check, a
sampler thread also reads each process's own CPU from /proc while it
runs; wait4's total must not be smaller than what the sampler saw.

Memory: the sampler reads the resident set of every process in the tree
every ~20 ms and keeps the largest sum. RSS counts shared pages (the Python
interpreter, shared libraries) once per process, so the sum is an upper
bound on pages in use at that moment, and a spike shorter than the sampling
interval can be missed. The largest single process is the kernel's own
high-water mark (ru_maxrss from wait4), not sampled.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")
PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")
INTERVAL = 0.02


@dataclass
class ProcStat:
    ppid: int
    cpu_seconds: float  # this process's own user + system time
    rss_bytes: int


def parse_stat(text: str) -> ProcStat:
    """One /proc/PID/stat line. The command name (field 2) is in parentheses
    and may hold spaces and parentheses itself: split after the last ')'."""
    rest = text[text.rindex(")") + 2:].split()
    # rest[0] is field 3 (state): field k is rest[k - 3].
    return ProcStat(ppid=int(rest[1]), cpu_seconds=(int(rest[11]) + int(rest[12])) / TICK,
                    rss_bytes=int(rest[21]) * PAGE)


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except (OSError, ValueError):
        return None  # the process ended between listing and reading


def children(pid: int, proc: Path = PROC) -> list[int]:
    """Direct children of `pid`, from /proc/PID/task/*/children (a child is
    listed under the thread that started it); if the kernel lacks those
    files, by scanning every process's parent."""
    tasks = proc / str(pid) / "task"
    try:
        threads = list(tasks.iterdir())
    except OSError:
        return []
    found: list[int] = []
    listed = False
    for thread in threads:
        text = _read(thread / "children")
        if text is not None:
            listed = True
            found += [int(p) for p in text.split()]
    if listed:
        return found
    result = []
    for entry in proc.iterdir():
        if entry.name.isdigit():
            text = _read(entry / "stat")
            if text and parse_stat(text).ppid == pid:
                result.append(int(entry.name))
    return result


def tree(root: int, proc: Path = PROC) -> dict[int, ProcStat]:
    """Every live process in the tree under `root` (itself included)."""
    seen: dict[int, ProcStat] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        text = _read(proc / str(pid) / "stat")
        if text is None:
            continue
        seen[pid] = parse_stat(text)
        todo += children(pid, proc)
    return seen


@dataclass
class TreeSampler:
    """Samples a process tree in a thread until stopped."""
    root: int
    proc: Path = PROC
    interval: float = INTERVAL
    peak_sum: int = 0            # largest RSS summed over the processes alive in one sample
    peak_single: int = 0         # largest RSS of one process in any sample
    most_processes: int = 0      # most processes alive in one sample
    cpu_seen: dict = field(default_factory=dict)  # pid -> its own CPU seconds, last seen
    samples: int = 0

    def __post_init__(self):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        processes = tree(self.root, self.proc)
        if not processes:
            return
        self.samples += 1
        self.peak_sum = max(self.peak_sum, sum(p.rss_bytes for p in processes.values()))
        self.peak_single = max(self.peak_single, max(p.rss_bytes for p in processes.values()))
        self.most_processes = max(self.most_processes, len(processes))
        for pid, p in processes.items():
            self.cpu_seen[pid] = p.cpu_seconds

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def start(self) -> "TreeSampler":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Run:
    wall: float            # seconds
    cpu: float             # user + system seconds, the whole tree (wait4)
    peak_sum: int          # bytes, summed over processes alive at once (sampled)
    peak_single: int       # bytes, the largest single process (kernel high-water mark)
    processes: int         # most processes alive at once
    cpu_sampled: float     # CPU the sampler saw, per process, summed: a check on `cpu`


class BuildFailed(Exception):
    pass


def measure(command: list[str], cwd: Path, env: dict) -> Run:
    """Run `command` to the end and measure its tree."""
    with tempfile.TemporaryFile() as stderr:  # a file, not a pipe: a full pipe would stall the build
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        sampler = TreeSampler(process.pid).start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            elapsed = time.perf_counter() - start
            sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: keep Popen from waiting again
        if process.returncode != 0:
            stderr.seek(0)
            raise BuildFailed(f"{' '.join(command)} failed in {cwd}:\n{stderr.read().decode(errors='replace')}")
    return Run(wall=elapsed, cpu=usage.ru_utime + usage.ru_stime, peak_sum=sampler.peak_sum,
               peak_single=max(usage.ru_maxrss * 1024, sampler.peak_single), processes=sampler.most_processes,
               cpu_sampled=sum(sampler.cpu_seen.values()))
