"""A problem found in a contributor's file, and how it is shown to them."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import quote

from .characters import escaped

# GitHub shows at most 10 error annotations per step, and at most 1 MiB of
# step summary: the summary lists every problem up to a size that stays well
# inside that limit, and the log always has them all.
ANNOTATIONS_SHOWN = 10
SUMMARY_MAX_PROBLEMS = 200


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


def field_label(path: Iterable) -> str:
    """A place in front matter as a person says it: `title`, or
    downloads, item 1: file (list items counted from 1, not 0)."""
    path = list(path)
    if len(path) == 1:
        return f"`{path[0]}`"
    text = str(path[0])
    for part in path[1:]:
        text += f", item {part + 1}" if isinstance(part, int) else f": {part}"
    return text


def visible(text: str) -> str:
    """`text` with control and reordering characters written as escapes,
    `\\x1b` (see characters.py): a hostile file must not recolour or retitle
    the terminal that shows its problems, nor make a line read differently
    from what it holds. Tabs and line breaks too: a value quoted in a
    message must not start a line of its own, which could pass for another
    problem, or for a workflow command in GitHub's log."""
    return escaped(text)


EXCERPT_WIDTH = 100  # characters of a long line shown, around the column


def excerpt(source_line: str, col: int) -> tuple[str, int]:
    """The offending line as shown, and where its caret goes: control
    characters made visible, and a line longer than EXCERPT_WIDTH cut to
    that many characters around the column, with … where it was cut (a
    list of 500 topics on one line is not printed whole under each of
    its problems)."""
    line = source_line.rstrip()
    at = min(max(col, 1) - 1, len(line))
    start, end = 0, len(line)
    if len(line) > EXCERPT_WIDTH:
        start = max(0, min(at - EXCERPT_WIDTH // 3, len(line) - EXCERPT_WIDTH))
        end = start + EXCERPT_WIDTH
    before = ("…" if start else "") + visible(line[start:at])
    return before + visible(line[at:end]) + ("…" if end < len(line) else ""), len(before)


def format_problem(problem: Problem) -> str:
    """`path:line:col [rule] message`, then the offending line and a hint."""
    prefix = "" if problem.is_error else "warning: "
    lines = [visible(f"{problem.path}:{problem.line}:{problem.col} [{problem.rule}] {prefix}{problem.message}")]
    if problem.source_line.strip():
        shown, caret = excerpt(problem.source_line, problem.col)
        if shown.lstrip().startswith("::"):
            # Never a line GitHub Actions could read as a workflow command.
            shown = shown.replace("::", ": :", 1)
        lines.append(f"    {shown}")
        lines.append("    " + " " * caret + "^")
    if problem.hint:
        lines.append(visible(f"  hint: {problem.hint}"))
    return "\n".join(lines)


def github_annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command, so the problem shows on the diff."""
    level = "error" if problem.is_error else "warning"

    def esc(text: str) -> str:
        return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))

    def esc_property(text: str) -> str:
        # A file name may hold the separators of the command's properties.
        return esc(text).replace(":", "%3A").replace(",", "%2C")

    message = esc(f"[{problem.rule}] {problem.message}" + (f" Hint: {problem.hint}" if problem.hint else ""))
    return f"::{level} file={esc_property(problem.path)},line={problem.line},col={problem.col}::{message}"


def first_in(changed: set[str] | None):
    """A sort key that puts problems in the changed files first: GitHub shows
    only the first few annotations, and those should be the contributor's."""
    return lambda p: (changed is not None and p.path not in changed, sort_key(p))


def report(problems: list[Problem], changed: set[str] | None = None) -> str:
    """Every problem, sorted by file and line, then a one-line summary.
    `changed`: the files a pull request changes, whose problems come first.
    A problem found twice (one link read by two patterns) is said once."""
    problems = sorted(dict.fromkeys(problems), key=first_in(changed))
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
    problems = sorted(dict.fromkeys(problems), key=sort_key)
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
        f"{files} file{'s' if files != 1 else ''}. Fix {'it' if len(errors) == 1 else 'them'} and save: "
        "this page reloads by itself.</p>"
        f'<ol class="lib-problems__list">{"".join(items)}</ol>'
        "</div>"
    )


# Markdown for GitHub's run page. Contributors' text reaches it (file names,
# values quoted in messages), so everything outside a code span is escaped:
# the summary shows text and code, never a link, an image or HTML.
PUNCTUATION_RE = re.compile(r"([!-/:-@\[-`{-~])")
BACKTICKS_RE = re.compile(r"`+")
SPACE_RE = re.compile(r"\s+")


def md_text(text: str) -> str:
    """Plain text, with every ASCII punctuation character escaped."""
    return PUNCTUATION_RE.sub(r"\\\1", SPACE_RE.sub(" ", text))


def md_code(text: str) -> str:
    """Text as one code span, whatever backticks it holds."""
    text = SPACE_RE.sub(" ", text)
    longest = max((len(run) for run in BACKTICKS_RE.findall(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_message(text: str) -> str:
    """A message or hint, its `code` kept as code and the rest escaped.

    Spans are found as CommonMark finds them: a run of backticks closes at
    the next run of the same length; a run that never closes is text."""
    text = SPACE_RE.sub(" ", text).strip()
    out, position = [], 0
    for opening in BACKTICKS_RE.finditer(text):
        if opening.start() < position:
            continue
        closing = next((m for m in BACKTICKS_RE.finditer(text, opening.end())
                        if len(m.group()) == len(opening.group())), None)
        if closing is None:
            continue
        out.append(md_text(text[position:opening.start()]))
        out.append(md_code(text[opening.end():closing.start()]))
        position = closing.end()
    out.append(md_text(text[position:]))
    return "".join(out)


def md_code_block(lines: list[str], indent: str) -> list[str]:
    lines = [part for line in lines for part in (line.splitlines() or [""])]
    text = "\n".join(lines)
    longest = max((len(run) for run in BACKTICKS_RE.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return [indent + fence + "text"] + [indent + line for line in lines] + [indent + fence]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def summary_markdown(problems: list[Problem], checked: int, changed: set[str] | None = None,
                     links: Callable[[str, int], tuple[str, str]] | None = None) -> str:
    """Every problem as Markdown, for the summary on a GitHub Actions run page.

    `checked`: how many resources were read. `changed`: the files the pull
    request changes, listed first. `links(path, line)`: (address of the
    line, address of the file in GitHub's editor), or None."""
    problems = list(dict.fromkeys(problems))
    errors = [p for p in problems if p.is_error]
    warnings = [p for p in problems if not p.is_error]
    lines: list[str] = []
    if errors:
        files = {p.path for p in errors}
        lines += [f"## Resource check: {_plural(len(errors), 'problem')} in {_plural(len(files), 'file')}", "",
                  "Nothing is published until every problem is fixed. For each one, open the file, "
                  "go to the line, and follow the hint; the check runs again when you commit the fix.", ""]
        if len(errors) > ANNOTATIONS_SHOWN:
            lines += [f"GitHub marks only the first {ANNOTATIONS_SHOWN} on the lines of the pull request's "
                      "*Files changed* tab; every one is listed here.", ""]
    else:
        lines += ["## Resource check: no problems", "",
                  f"{_plural(checked, 'resource')} checked: the site can be built from them.", ""]
    groups = [("In the files this pull request changes", [p for p in problems if p.path in changed]),
              ("Elsewhere in the library", [p for p in problems if p.path not in changed])] \
        if changed is not None else [("", problems)]
    shown = 0
    for title, group in groups:
        group_errors = sorted((p for p in group if p.is_error), key=sort_key)
        if not group_errors:
            continue
        if title:
            lines += [f"### {title}", ""]
        for path in sorted({p.path for p in group_errors}):
            here = [p for p in group_errors if p.path == path]
            edit = links(path, 1)[1] if links else ""
            lines += [f"#### {md_code(path)}" + (f" ([edit this file]({edit}))" if edit else ""), ""]
            for problem in here:
                if shown == SUMMARY_MAX_PROBLEMS:
                    break
                shown += 1
                lines += _summary_item(problem, links)
    if shown < len(errors):
        lines += [f"... and {_plural(len(errors) - shown, 'more problem')}: the log of this step lists them all.", ""]
    if warnings:
        lines += [f"### {_plural(len(warnings), 'warning')} (these never block a pull request)", ""]
        for problem in sorted(warnings, key=sort_key)[:SUMMARY_MAX_PROBLEMS]:
            lines.append(f"- {md_code(problem.path)}, line {problem.line}: {md_message(problem.message)}"
                         + (f" {md_message(problem.hint)}" if problem.hint else ""))
        lines.append("")
    return "\n".join(lines)


def _summary_item(problem: Problem, links) -> list[str]:
    place = f"line {problem.line}, column {problem.col}"
    line_url = links(problem.path, problem.line)[0] if links else ""
    place = f"[{place.capitalize()}]({line_url})" if line_url else place.capitalize()
    item = [f"- **{place}:** {md_message(problem.message)} ({md_code(problem.rule)})", ""]
    if problem.source_line.strip():
        shown, caret = excerpt(problem.source_line, problem.col)
        item += md_code_block([shown, " " * caret + "^"], "  ") + [""]
    if problem.hint:
        item += [f"  **How to fix:** {md_message(problem.hint)}", ""]
    return item


def github_links(environ) -> Callable[[str, int], tuple[str, str]] | None:
    """(line, editor) addresses on GitHub for a file in the run's commit.

    In a pull request these point at the contributor's branch (which may be
    in a fork), where their fix belongs, not at the merge commit."""
    server, repository = environ.get("GITHUB_SERVER_URL"), environ.get("GITHUB_REPOSITORY")
    if not server or not repository:
        return None
    sha, branch = environ.get("GITHUB_SHA", ""), environ.get("GITHUB_REF_NAME", "")
    try:
        with open(environ.get("GITHUB_EVENT_PATH", ""), encoding="utf-8") as event_file:
            head = json.load(event_file).get("pull_request", {}).get("head", {})
        repository = head["repo"]["full_name"]
        sha, branch = head["sha"], head["ref"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # not a pull request: the run's own repository and commit
    base = f"{server.rstrip('/')}/{quote(repository)}"

    def links(path: str, line: int) -> tuple[str, str]:
        file = quote(path)
        return (f"{base}/blob/{quote(sha)}/{file}#L{line}" if sha else "",
                f"{base}/edit/{quote(branch)}/{file}" if branch else "")
    return links


def write_step_summary(problems: list[Problem], checked: int, changed: set[str] | None = None,
                       environ=os.environ) -> bool:
    """Append the summary to $GITHUB_STEP_SUMMARY, when GitHub Actions set it."""
    target = environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    text = summary_markdown(problems, checked, changed, github_links(environ))
    with open(target, "a", encoding="utf-8") as out:
        out.write(text + "\n")
    return True
