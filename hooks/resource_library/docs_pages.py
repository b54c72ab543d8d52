"""Checks for the hand-written pages in docs/, which MkDocs itself would
publish without a word: invalid front matter becomes body text there, and
`render_macros: true` runs the page as unsandboxed Jinja at build time.
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml

from . import characters, frontmatter
from .files import FILE_TYPES, extension
from .problems import Problem

# Outside the maintainers' folders (CODEOWNERS), editors publish pages and
# files of a reader format, by allow-list: a deny-list missed `.shtml` and
# `.xht`, which a browser runs as pages on the site's origin.
MAINTAINED = ("assets/", "overrides/")


class _IgnoreTags(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !ENV; only plain values are read."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


def macro_pages(mkdocs_yml: Path) -> set[str]:
    """The pages allowed to set `render_macros: true`: `extra.macro_pages`
    in mkdocs.yml, a file maintainers own."""
    try:
        config = yaml.load(mkdocs_yml.read_text(encoding="utf-8"), Loader=_IgnoreTags) or {}
    except (OSError, yaml.YAMLError):
        return set()
    pages = (config.get("extra") or {}).get("macro_pages") or []
    return {str(p) for p in pages}


def check_docs(docs_dir: Path, allowed_macro_pages: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    docs_dir = Path(docs_dir)
    if not docs_dir.is_dir():
        return problems
    for here, dirs, names in os.walk(docs_dir, followlinks=False):
        for name in sorted(dirs + names):
            path = Path(here) / name
            rel = path.relative_to(docs_dir).as_posix()
            shown = f"docs/{rel}"
            if path.is_symlink():
                problems.append(Problem(shown, 1, 1, "symlink", f"{shown} is a symbolic link",
                                        "Commit the file itself, not a link to it: links are never followed."))
                continue
            if (name in names and not rel.startswith(MAINTAINED) and path.suffix != ".md"
                    and extension(name) not in FILE_TYPES):
                problems.append(Problem(shown, 1, 1, "active-file",
                                        f"{shown} is a `{path.suffix or name}` file, which the site does not publish "
                                        "from docs/",
                                        "Pages are Markdown (.md); downloads and images are "
                                        + ", ".join(sorted(FILE_TYPES)) + ". "
                                        "Site code lives in docs/assets/, which maintainers review."))
            elif name in names and path.suffix == ".md" and not rel.startswith("overrides/"):
                problems += check_page(shown, rel, path, allowed_macro_pages)
        dirs[:] = [d for d in dirs if not (Path(here) / d).is_symlink()]
    return problems


def check_page(shown: str, rel: str, path: Path, allowed_macro_pages: set[str]) -> list[Problem]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        return [Problem(shown, 1, 1, "unreadable", f"the file cannot be read ({error.strerror})",
                        "Check the file's permissions.")]
    if not raw.lstrip(b"\xef\xbb\xbf").startswith(b"---"):
        return []  # front matter is optional on an editor's page
    parsed = frontmatter.read(shown, raw)
    if parsed.data is not None:
        pos = parsed.key_positions.get("render_macros")
        if pos and parsed.data.get("render_macros") and rel not in allowed_macro_pages:
            parsed.problem(pos.line, pos.col, "render-macros",
                           "only the pages listed under `extra.macro_pages` in mkdocs.yml may set `render_macros`",
                           "Macros run as code when the site is built; ask a maintainer to list the page, or remove the line.")
        for key in ("title", "description"):
            value = parsed.data.get(key)
            if value is not None and not isinstance(value, str):
                p = parsed.at((key,))
                parsed.problem(p.line, p.col, "wrong-type", f"`{key}` must be text", f'Put it in quotes: {key}: "..."')
            elif isinstance(value, str):
                # After YAML has decoded escapes, as in resources: "\x01", "\u202E".
                refused = characters.check_value(parsed, (key,), f"`{key}`", value, multi_line=key == "description")
                if refused:
                    parsed.problem(*refused[:2], "control-character", *refused[2:])
    return parsed.problems
