"""The pull request's preview (`build --drafts`) when resources have problems.

A preview exists to show a contributor, and the editor reviewing their pull
request, what the library will look like. A draft's TODOs, a misspelt
topic or a wrong date must not take that away: the preview is built anyway,
every valid page as it will be published, and each resource with problems
as a page of its own text with its problems listed above it. The check
stays red (`make validate` fails) until they are fixed, and the preview
still passes every output check of the published site.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

import yaml

from . import frontmatter
from .problems import Problem, format_problem, sort_key

# Problems that leave no address to put the page at.
NO_ADDRESS_RULES = {"file-name", "file-location", "symlink", "unreadable", "encoding", "too-large"}
# Problems with a body the converter must not be given: the budgets that
# keep it from running for minutes or exhausting its stack.
NO_BODY_RULES = {"too-complex", "too-many-elements"}
NO_BODY = "*The text is not shown here: the converter cannot read it in good time (see the problems above).*"


def stand_ins(root: Path, problems: list[Problem], published: set[str]) -> dict[str, str]:
    """{source path: Markdown} for each resource with errors that is not
    already published: its own title and body, as written."""
    pages = {}
    by_path: dict[str, list[Problem]] = {}
    for problem in problems:
        by_path.setdefault(problem.path, []).append(problem)
    for path, found in sorted(by_path.items()):
        if (not path.endswith(".md") or path.startswith("docs/") or path in published or "/" not in path
                or not any(p.is_error for p in found) or any(p.rule in NO_ADDRESS_RULES for p in found)):
            continue
        try:
            parsed = frontmatter.read(path, (Path(root) / path).read_bytes())
        except OSError:
            continue
        title = parsed.data.get("title") if isinstance(parsed.data, dict) else None
        if not isinstance(title, str) or not title.strip() or "TODO" in title:
            title = Path(path).stem.replace("-", " ").capitalize()
        front = yaml.safe_dump({"title": title, "render_macros": False}, allow_unicode=True)
        body = NO_BODY if any(p.rule in NO_BODY_RULES for p in found) else parsed.body
        pages[path] = f"---\n{front}---\n\n# {_markdown_text(title)}\n\n{body}\n"
    return pages


def _markdown_text(text: str) -> str:
    """A title as Markdown text: nothing in it is markup. Python-Markdown
    takes a backslash before its own punctuation only (`\\&` would show
    the backslash): `<`, `>` and `&` are written as character references."""
    return "".join(MARKDOWN_TEXT.get(c, c) for c in " ".join(text.split()))


MARKDOWN_TEXT = {c: "\\" + c for c in "\\`*_{}[]()#+-.!|"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def problems_above(problems: list[Problem]) -> str:
    """The section above a stand-in page's own text."""
    problems = sorted(problems, key=sort_key)
    errors = [p for p in problems if p.is_error]
    items = "".join(f'<li class="lib-problem lib-problem--{p.severity}"><pre>{escape(format_problem(p))}</pre></li>'
                    for p in problems)
    count = f"{len(errors)} problem{'s' if len(errors) != 1 else ''}"
    return ('<div class="lib-problems" role="alert">'
            f"<h2>Problems to fix: {count}</h2>"
            f"<p>This resource is not published until {'it is' if len(errors) == 1 else 'they are'} fixed, "
            "and the pull request's check stays red. Below the list is the page as written, without its "
            "details (dates, topics, downloads), which need the problems fixed first.</p>"
            f'<ol class="lib-problems__list">{items}</ol></div>')
