"""A problem found in a contributor's file, and how it is shown to them."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str          # relative to the project root, with forward slashes
    line: int          # 1-based
    col: int           # 1-based
    rule: str          # stable id, documented in CONTRIBUTING.md
    message: str
    hint: str = ""
    source_line: str = ""   # the offending line, shown under the message
    severity: str = "error"  # "error" fails the build; "warning" never does

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def sort_key(problem: Problem):
    return (problem.path, problem.line, problem.col, problem.rule)


def format_problem(problem: Problem) -> str:
    """`path:line:col [rule] message`, then the offending line and a hint."""
    prefix = "" if problem.is_error else "warning: "
    lines = [f"{problem.path}:{problem.line}:{problem.col} [{problem.rule}] {prefix}{problem.message}"]
    if problem.source_line.strip():
        lines.append(f"    {problem.source_line.rstrip()}")
        lines.append("    " + " " * (max(problem.col, 1) - 1) + "^")
    if problem.hint:
        lines.append(f"  hint: {problem.hint}")
    return "\n".join(lines)


def github_annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command, so the problem shows on the diff."""
    level = "error" if problem.is_error else "warning"

    def esc(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    message = esc(f"[{problem.rule}] {problem.message}" + (f" Hint: {problem.hint}" if problem.hint else ""))
    return f"::{level} file={problem.path},line={problem.line},col={problem.col}::{message}"


def report(problems: list[Problem]) -> str:
    """Every problem, sorted by file and line, then a one-line summary."""
    problems = sorted(problems, key=sort_key)
    blocks = [format_problem(p) for p in problems]
    if os.environ.get("GITHUB_ACTIONS") == "true":
        blocks += [github_annotation(p) for p in problems]
    errors = [p for p in problems if p.is_error]
    files = {p.path for p in errors}
    if errors:
        blocks.append(f"{len(errors)} problem(s) in {len(files)} file(s).")
    return "\n".join(blocks)



def as_html(problems: list[Problem]) -> str:
    """The problems as a page section, for `make serve`: the same
    `path:line:col [rule]` lines, source line and hint as the terminal."""
    from html import escape
    problems = sorted(problems, key=sort_key)
    errors = [p for p in problems if p.is_error]
    items = []
    for p in problems:
        text = escape(format_problem(p))
        items.append(f'<li class="lib-problem lib-problem--{p.severity}"><pre>{text}</pre></li>')
    files = len({p.path for p in errors})
    return (
        '<div class="lib-problems" role="alert">'
        "<h1>Problems to fix</h1>"
        f"<p>The preview is paused: {len(errors)} problem{'s' if len(errors) != 1 else ''} in "
        f"{files} file{'s' if files != 1 else ''}. Fix them and save: this page reloads by itself.</p>"
        f'<ol class="lib-problems__list">{"".join(items)}</ol>'
        "</div>"
    )
