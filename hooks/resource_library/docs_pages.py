"""Checks for the hand-written pages in docs/, which MkDocs itself would
publish without a word: invalid front matter becomes body text there, and
`render_macros: true` runs the page as unsandboxed Jinja at build time.
"""
from __future__ import annotations

import html

import os
import re
from pathlib import Path

import yaml

from . import characters, frontmatter, links, rules
from .files import FILE_TYPES, content_problem, content_work, extension, refusal_kind
from .problems import Problem

# Outside the maintainers' folders (CODEOWNERS), editors publish pages and
# files of a reader format, by allow-list: a deny-list missed `.shtml` and
# `.xht`, which a browser runs as pages on the site's origin.
MAINTAINED = ("assets/", "overrides/")


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !ENV; only plain values are read."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(mkdocs_yml: Path) -> dict | None:
    """mkdocs.yml's plain values, or None if it cannot be read."""
    try:
        config = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_IgnoreTags) or {}
    except (OSError, yaml.YAMLError):
        return None
    return config if isinstance(config, dict) else None


def macro_pages(config: dict | None) -> set[str]:
    """The pages allowed to set `render_macros: true`: `extra.macro_pages`
    in mkdocs.yml, a file maintainers own."""
    if config is None:
        return set()
    pages = (config.get("extra") or {}).get("macro_pages") or []
    return {str(p) for p in pages}


def in_navigation(config: dict | None):
    """Whether a page of docs/ is reached from the navigation, or listed
    in `not_in_nav` (gitignore patterns, as MkDocs reads them): a page in
    neither stops the engine's strict build with a warning of its own."""
    if config is None:
        return lambda rel: True
    listed: set[str] = set()

    def walk(item):
        if isinstance(item, str):
            listed.add(item.lstrip("/"))
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    if config.get("nav") is None:
        return lambda rel: True  # no nav: MkDocs lists every page
    walk(config.get("nav"))
    from pathspec.gitignore import GitIgnoreSpec
    spec = GitIgnoreSpec.from_lines(str(config.get("not_in_nav") or "").splitlines())
    return lambda rel: rel in listed or spec.match_file(rel)


# The checking docs/'s reader files may take together, in files at their
# limits (files.MAX_RESOURCE_CHECK_WORK is a resource's): a hundred 1 MB
# pictures take 5.
DOCS_CHECK_WORK = 6.0


TERM_LINK_RE = re.compile(r"""term_link\(\s*["'](\w+)["']\s*,\s*["']([^"']*)["']""")


def term_problems(docs_dir: Path, macro_pages: set[str], vocabulary) -> list[Problem]:
    """The maintainers' macro pages link to terms by slug: an editor who
    removes or renames a term in the vocabulary is told here, at the page's
    line (the build stopped with a KeyError; fifteenth attacker)."""
    problems = []
    for rel in sorted(macro_pages):
        try:
            lines = (Path(docs_dir) / rel).read_text(encoding="utf-8", errors="replace").split("\n")
        except OSError:
            continue
        for number, line in enumerate(lines, start=1):
            for kind, slug in TERM_LINK_RE.findall(line) if "term_link" in line else ():
                if kind in ("topics", "programmes", "functions", "types") and slug not in vocabulary.terms(kind):
                    problems.append(rules.problem("vocabulary/term-gone", f"docs/{rel}", number, line.find(slug) + 1,
                                                  line, kind=kind, slug=slug))
    return problems


def check_docs(docs_dir: Path, allowed_macro_pages: set[str], config: dict | None = None) -> list[Problem]:
    problems: list[Problem] = []
    docs_dir = Path(docs_dir)
    if not docs_dir.is_dir():
        return problems
    reached = in_navigation(config)
    work, over = 0.0, False
    for here, dirs, names in os.walk(docs_dir, followlinks=False):
        for name in sorted(dirs + names):
            path = Path(here) / name
            rel = path.relative_to(docs_dir).as_posix()
            shown = f"docs/{rel}"
            if path.is_symlink():
                problems.append(rules.problem("symlink", shown, 1, 1, shown=shown))
                continue
            if (name in names and not rel.startswith(MAINTAINED) and path.suffix != ".md"
                    and extension(name) not in FILE_TYPES):
                problems.append(rules.problem("active-file", shown, 1, 1, shown=shown, kind=path.suffix or name,
                                              types=", ".join(sorted(FILE_TYPES))))
            elif name in names and extension(name) in FILE_TYPES:
                # What the output gate reads in the published copy, read here
                # too, so that validate and the build agree. Within a budget,
                # as a resource's files: eight PDFs near the step limit took 43 s.
                if work > DOCS_CHECK_WORK:
                    if not over:
                        over = True
                        problems.append(rules.problem("file-too-large/docs-work", shown, 1, 1, shown=shown,
                                                      limit=f"{DOCS_CHECK_WORK:g}"))
                    continue
                refused = content_problem(path)
                work += content_work(path)
                if refused:
                    # A CSV's formula, at its row, with the spreadsheet's hint
                    # (thirty-fifth round: said at line 1, with the PDF's).
                    kind = refusal_kind(refused)
                    row = re.search(r"\brow (\d+)", refused) if kind == "formula" and extension(name) == "csv" else None
                    key = {"formula": "unsafe-file/docs-formula", "misleading": "unsafe-file/docs-misleading"}.get(
                        kind, "unsafe-file/docs")
                    problems.append(rules.problem(key, shown,
                                                  int(row.group(1)) if row else 1, 1, shown=shown, refused=refused))
            elif name in names and path.suffix == ".md" and not rel.startswith("overrides/"):
                if "." in rel[:-3]:
                    # docs/webinars/webinars.ics.md is the folder webinars/webinars.ics/,
                    # where the site writes its calendar: the build stopped with a traceback.
                    address = rel[:-3] + "/" if not rel.endswith("index.md") else rel[:-len("index.md")]
                    problems.append(rules.problem("file-name/docs", shown, 1, 1, shown=shown, address=address,
                                                  suggested="docs/" + rel[:-3].replace(".", "-") + ".md"))
                    continue
                problems += check_page(shown, rel, path, allowed_macro_pages)
                if not reached(rel):
                    problems.append(rules.problem("not-in-nav", shown, 1, 1, shown=shown))
        dirs[:] = [d for d in dirs if not (Path(here) / d).is_symlink()]
    return problems


# What an editor's page may set in its front matter: the rest of a page's data
# is the build's (feeds, the finder's scripts, JSON-LD, Open Graph type).
EDITOR_FIELDS = ("title", "description", "render_macros", "hide")
# What Material lets a page hide.
HIDDEN_PARTS = ("navigation", "toc", "footer", "path", "tags", "feedback")


def check_page(shown: str, rel: str, path: Path, allowed_macro_pages: set[str]) -> list[Problem]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        return [rules.problem("unreadable/docs", shown, 1, 1, error=error.strerror)]
    if over := _budget_problems(shown, raw):
        return over
    if not raw.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
        # Front matter is optional on an editor's page; MkDocs then reads
        # `key: value` lines at its top as page data, unchecked (`feed:`
        # reached the page's head, `template:` stopped the build).
        lines = multimarkdown_lines(raw.decode("utf-8", errors="replace").lstrip("\ufeff"))
        if lines:
            return [rules.problem("unknown-field/docs-lines", shown, number, 1, text, key=key,
                                  allowed=", ".join(f"`{k}`" for k in EDITOR_FIELDS)) for number, key, text in lines]
        return _body_problems(shown, raw)
    parsed = frontmatter.read(shown, raw)
    if parsed.data is not None:
        for key in parsed.data:
            if key not in EDITOR_FIELDS:
                # Templates print some page data as it is (the JSON-LD the
                # build writes for resources): an editor's page may not set it.
                pos = parsed.key_positions.get(key) if isinstance(key, str) else None
                parsed.found(pos.line if pos else 1, pos.col if pos else 1, "unknown-field/docs", key=key,
                             allowed=", ".join(f"`{k}`" for k in EDITOR_FIELDS))
        hide = parsed.data.get("hide")
        if "hide" in parsed.data and not (isinstance(hide, list) and all(h in HIDDEN_PARTS for h in hide)):
            # The theme reads it as a list (`"toc" in page.meta.hide`): `hide: 5` stopped the build.
            p = parsed.at(("hide",))
            parsed.found(p.line, p.col, "wrong-type/docs-hide", allowed=", ".join(HIDDEN_PARTS))
        pos = parsed.key_positions.get("render_macros")
        if pos and parsed.data.get("render_macros") and rel not in allowed_macro_pages:
            parsed.found(pos.line, pos.col, "render-macros/docs")
        for key in ("title", "description"):
            value = parsed.data.get(key)
            if value is not None and not isinstance(value, str):
                p = parsed.at((key,))
                parsed.found(p.line, p.col, "wrong-type/docs", key=key)
            elif isinstance(value, str):
                # After YAML has decoded escapes, as in resources: "\x01", "\u202E".
                refused = characters.check_value(parsed, (key,), f"`{key}`", value, multi_line=key == "description")
                if refused:
                    line, col, key, values = refused
                    parsed.found(line, col, key, **values)
                elif key == "title" and (address := links.strong_address(value) or links.strong_number(value)):
                    p = parsed.at((key,))
                    parsed.found(p.line, p.col, links.misleading_key("misleading-link/name", address), name="`title`",
                                 shown=address)
                elif found := next(links.text_address_problems(value), None):
                    # The page's lead and its link preview (twenty-sixth round).
                    address, rule, values = found
                    p = parsed.at((key,))
                    parsed.found(p.line, p.col, rule, target=address[:80], **values)
    if not parsed.problems and not (parsed.data or {}).get("render_macros"):
        return _body_problems(shown, raw)
    return parsed.problems


# MkDocs' own patterns for MultiMarkdown page data (mkdocs.utils.meta).
META_LINE_RE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
META_MORE_RE = re.compile(r"^([ ]{4}|\t)(\s*)(?P<value>.*)")


def multimarkdown_lines(text: str) -> list[tuple[int, str, str]]:
    """(line, key, the line) for each line MkDocs reads as page data at the
    top of a page with no `---` front matter, as mkdocs.utils.meta.get_data
    reads them: `key: value` lines, and their indented continuations, up to
    the first blank line or other line."""
    found, key = [], None
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), start=1):
        if line.strip() == "":
            break
        if match := META_LINE_RE.match(line):
            key = match.group("key").lower().strip()
            found.append((number, key, line))
        elif not (META_MORE_RE.match(line) and key):
            break
    return found


def _budget_problems(shown: str, raw: bytes) -> list[Problem]:
    """A resource's budgets, for an editor's page: its size, and a body the
    converter reads in good time (20,000 unclosed `<a ` took 108 s)."""
    from .frontmatter import MAX_FILE_BYTES, ParsedFile
    from .links import blank_code
    from .validate.body import check_block_elements, check_complexity
    if len(raw) > MAX_FILE_BYTES:
        return [rules.problem("too-large", shown, 1, 1, size=len(raw) / 1024, limit=MAX_FILE_BYTES // 1024)]
    body, first_line = _body(raw)
    budget = ParsedFile(shown, body=body, body_line=first_line)
    if check_complexity(budget):
        budget.body_lines = blank_code(body)
        check_block_elements(budget)
    return [problem for problem in budget.problems if problem.is_error]


def _body_problems(shown: str, raw: bytes) -> list[Problem]:
    """Its body as the build renders and cleans it, so that validate says
    what the build would refuse (a class of the site's, a `//host` link).
    Macro pages are maintainers', and their macros run only in the build:
    only they may use the site's own classes."""
    body, first_line = _body(raw)
    # Addresses written as text go where they read, as in a resource's body
    # (thirty-fourth round: `https://www.gov.scot@evil.example/` was published).
    problems = []
    for number, line in enumerate(links.blank_code(body), start=first_line):
        for address, key, values in links.text_address_problems(html.unescape(line) if "&" in line else line):
            problems.append(rules.problem(key, shown, number, line.find(address) + 1 if address in line else 1,
                                          line, target=address[:80], **values))
    # Any link (`[x][1]` with `[1]: https://...` too: twenty-fifth round),
    # tag, admonition, attribute list, character reference or heading (the
    # text of a contents-list link: thirty-fourth round).
    if not any(mark in body for mark in ("<", "[", "!!!", "{", "&", "#", "\n==", "\n--")):
        return problems
    from .sanitize import removed_problems
    return problems + removed_problems(render(body), shown, first_line, body)[1]


def _body(raw: bytes) -> tuple[str, int]:
    """A page's Markdown after its front matter, and the line it starts on."""
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for number, line in enumerate(lines[1:], start=1):
            if line.strip() in ("---", "..."):
                return "\n".join(lines[number + 1:]), number + 2
    return text, 1


def render(body: str) -> str:
    """Markdown as the build renders it (its extensions and heading ids)."""
    import markdown

    from .headings import EXTENSIONS, slugify
    return markdown.Markdown(extensions=list(EXTENSIONS), extension_configs={"toc": {"slugify": slugify}}).convert(body)
