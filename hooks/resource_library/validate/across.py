"""Rules that need the whole library: duplicate slugs and addresses, links
in bodies, `replaced_by`, and upcoming webinars' registration."""
from __future__ import annotations

import functools
import html
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import files, headings, links, rules
from ..load import Library, Resource
from ..problems import Problem
from ..suggestions import Catalogue, address_to_file, anchor_hint, catalogue, file_hint, link_hint, relative_link, \
    resource_key_hint
from .patterns import JS_URL_RE
from .strings import _root_of


def check_across(library: Library, root: Path, docs_dir, content_files: set[str],
                 generated: set[str], invalid: set[str] = frozenset(),
                 unpublishable: list[Resource] = (), broken_drafts: set[str] = frozenset()) -> list[Problem]:
    """Rules that need every file: duplicate slugs and URLs, links, replaced_by.
    `invalid`: resources that exist but have errors of their own; links to
    them are not reported, since the error is theirs. `unpublishable`: those
    of them whose bodies could be read, whose links are checked all the same."""
    problems: list[Problem] = []
    seen: dict[str, Resource] = {}
    for resource in sorted(library.resources, key=lambda r: r.src_uri):
        if resource.slug in seen:
            first = seen[resource.slug]
            problems.append(rules.problem("duplicate-slug", resource.src_uri, 1, 1, slug=resource.slug,
                                          other=first.src_uri))
        seen.setdefault(resource.slug, resource)

    docs_pages: dict[str, set[str] | None] = {}
    if docs_dir and Path(docs_dir).is_dir():
        for path in Path(docs_dir).rglob("*.md"):
            src = path.relative_to(docs_dir).as_posix()
            docs_pages[src] = links.anchors(path.read_text(encoding="utf-8", errors="replace"))
    for resource in library.resources:
        for clash in (resource.src_uri, f"{resource.type}/{resource.slug}/index.md"):
            if clash in docs_pages:
                problems.append(rules.problem("duplicate-url", resource.src_uri, 1, 1, page=clash))

    pages = catalogue(library, docs_pages, generated, invalid)
    drafts = {r.src_uri for r in library.resources if r.status == "draft"} | set(broken_drafts)
    docs_files = set()
    if docs_dir and Path(docs_dir).is_dir():
        docs_files = {p.relative_to(docs_dir).as_posix() for p in Path(docs_dir).rglob("*") if p.is_file()}
    keys = {r.key: pages.described[r.src_uri] for r in library.resources}
    keys.update({src[:-3]: pages.described[src] for src in invalid})
    if docs_dir and Path(docs_dir).is_dir():
        problems += _docs_page_links(Path(docs_dir), pages, docs_files, content_files)
    for resource in unpublishable:
        problems += check_body_links(resource, pages, content_files, docs_files, drafts, library.include_drafts,
                                     invalid)
    for resource in library.resources:
        problems += check_body_links(resource, pages, content_files, docs_files, drafts, library.include_drafts,
                                     invalid)
        if (resource.type == "webinars" and resource.status == "current" and not resource.meta.get("registration_url")
                and resource.is_upcoming(library.now)):
            # The page says "Registration is not open yet", which is right for
            # a while; a warning makes sure someone meant it.
            line, col, text = _key_position(resource, "starts")
            problems.append(rules.problem("no-registration", resource.src_uri, line, col, text))
        replaced_by = resource.meta.get("replaced_by")
        if replaced_by and replaced_by not in library.by_key and f"{replaced_by}.md" not in invalid:
            line, col, text = _key_position(resource, "replaced_by")
            problems.append(rules.problem("broken-link/replaced-by", resource.src_uri, line, col, text, key=replaced_by,
                                          hint=resource_key_hint(replaced_by, library, keys)))
    # After the bodies' links, which add the files they ask for: a file that
    # only a body links is published too (two that differ in case passed).
    problems += _shared_addresses(library, docs_files, generated)
    problems += _files_in_all(library, root)
    # A resource with errors of its own is read too: every problem is said at once.
    for resource in [*library.resources, *unpublishable]:
        problems += _misleading_links(resource)
    return problems


def _shared_addresses(library: Library, docs_files: set[str] = frozenset(),
                      generated: set[str] = frozenset()) -> list[Problem]:
    """What the output gate would find, said first and whatever the date:
    two outputs at one address, or at two that differ only in letter case or
    accents (one file on Windows). A webinar's calendar is reserved whether
    or not it is still to come, so a site that builds today builds tomorrow.
    An editor's file in docs/ is published at its own path, and holds it:
    the resource that asks for the same address is the one to rename."""
    from ..claims import same_address
    from ..feeds import CALENDAR_PATH, ics_path
    from ..pdf import TYPES as PDF_TYPES, pdf_path
    problems = []
    claimed: dict[str, tuple[str, str, Resource | None]] = {same_address(CALENDAR_PATH): (
        CALENDAR_PATH, "the calendar of every webinar", None)}

    def claim(output: str, by: str, resource: Resource, key: str) -> None:
        address = same_address(output)
        first = claimed.get(address)
        if first is None:
            claimed[address] = (output, by, resource)
            return
        if first[0] == output and by.startswith("`") and first[1].startswith("`"):
            return  # one file that several resources (or one, twice) ask for: published once
        line, col, text = _file_position(resource, key) if key else (1, 1, "")
        values = dict(output=output, first=first[1], second=by)
        if first[0] == output:
            problems.append(rules.problem("duplicate-output", resource.src_uri, line, col, text, **values))
        else:
            problems.append(rules.problem("duplicate-output/case", resource.src_uri, line, col, text,
                                          other=first[0], **values))

    for rel in sorted(docs_files):
        if not rel.endswith(".md") and not rel.startswith("overrides/") and not any(
                part.startswith(".") for part in rel.split("/")):
            claimed.setdefault(same_address(rel), (rel, f"the editor's file docs/{rel}", None))
    for resource in sorted(library.resources, key=lambda r: r.src_uri):
        if resource.type == "webinars":
            claim(ics_path(resource), f"the calendar of {resource.src_uri}", resource, "")
        if resource.type in PDF_TYPES:
            claim(pdf_path(resource), f"the PDF of {resource.src_uri}", resource, "")
    for resource in sorted(library.resources, key=lambda r: r.src_uri):
        for file in resource.files:
            claim(file, f"`{file}`, which {resource.src_uri} publishes", resource,
                  posixpath.relpath(file, resource.type))
    problems += _folders_over_files(library, docs_files, generated, claimed)
    return problems


def _page_outputs(src: str) -> tuple[str, ...]:
    """Where a page's HTML is written: with directory addresses (the site)
    and without (the offline copy and the preview)."""
    stem = src[:-3]
    if stem == "index" or stem.endswith("/index"):
        return (stem + ".html",)
    return (stem + "/index.html", stem + ".html")


def _folders_over_files(library: Library, docs_files: set[str], generated: set[str], claimed: dict) -> list[Problem]:
    """A file whose path makes a folder of something the site writes as a
    file: a download `slug/index.html/c.csv` made the page's address a
    folder, and the build stopped with IsADirectoryError (sixteenth
    attacker); so did `webinars.ics/t.txt`, `slug/slug.pdf/c.csv`, and
    `slug.html/c.csv` in the offline copy. Compared as one file on Windows."""
    from ..claims import same_address
    from ..gate import OUTPUT_TYPES
    files_at = {address: first[:2] for address, first in claimed.items()}
    editors = sorted(rel for rel in docs_files if rel.endswith(".md") and not rel.startswith("overrides/"))
    pages = [r.src_uri for r in library.resources] + sorted(generated)
    for src in pages:
        for output in _page_outputs(src):
            files_at.setdefault(same_address(output), (output, f"the page of {src}"))
    problems = []
    # An editor's page at a generated page's address replaces it; at one
    # that differs only in case or accents, the two are one file on
    # Windows (thirty-third round: docs/topics/Housing.md passed validate).
    for rel in editors:
        for output in _page_outputs(rel):
            first = files_at.get(same_address(output))
            if first is not None and first[0] != output:
                problems.append(rules.problem("duplicate-output/case", f"docs/{rel}", 1, 1, output=output,
                                              other=first[0], first=first[1], second=f"the editor's page docs/{rel}"))
                break
        for output in _page_outputs(rel):
            files_at.setdefault(same_address(output), (output, f"the page of {rel}"))

    def folders(path: str):
        parts = path.split("/")
        return ("/".join(parts[:n]) for n in range(1, len(parts)))

    def clash_of(path: str):
        """The output a folder of `path` is, or a folder named like a file of
        a kind the site writes (`feed.xml/`, `404.html/`, `lunr.js/`: the
        feeds, the theme's and the finder's files, which this check does
        not list; seventeenth attacker)."""
        for folder in folders(path):
            if same_address(folder) in files_at:
                return files_at[same_address(folder)]
            if "." in (name := folder.rsplit("/", 1)[-1]) and name.rsplit(".", 1)[-1].lower() in OUTPUT_TYPES:
                return folder, "the site may (it writes files of that kind)"
        return None

    for resource in sorted(library.resources, key=lambda r: r.src_uri):
        for file in dict.fromkeys(resource.files):
            clash = clash_of(file)
            if clash:
                line, col, text = _file_position(resource, posixpath.relpath(file, resource.type))
                problems.append(rules.problem("duplicate-output/folder", resource.src_uri, line, col, text,
                                              output=file, folder=clash[0], first=clash[1]))
    for rel in sorted(docs_files):
        clash = clash_of(rel) if not rel.startswith("overrides/") else None
        if clash:
            problems.append(rules.problem("duplicate-output/folder", f"docs/{rel}", 1, 1, output=rel,
                                          folder=clash[0], first=clash[1]))
    return problems


MB = 1024 * 1024


def _files_in_all(library: Library, root: Path) -> list[Problem]:
    """Each resource's files, in the order it asks for them, within
    MAX_RESOURCE_FILES_BYTES together: said at the file that goes over."""
    problems = []
    for resource in sorted(library.resources, key=lambda r: r.src_uri):
        total = 0
        for file in dict.fromkeys(resource.files):
            try:
                total += (Path(root) / file).stat().st_size
            except OSError:
                continue  # a missing file is its own problem
            if total > files.MAX_RESOURCE_FILES_BYTES:
                line, col, text = _file_position(resource, posixpath.relpath(file, resource.type))
                problems.append(rules.problem("file-too-large/total", resource.src_uri, line, col, text, file=file,
                                              resource=resource.src_uri, size=f"{total / MB:.1f} MB",
                                              limit=f"{files.MAX_RESOURCE_FILES_BYTES // MB} MB"))
                break
    return problems


def _misleading_links(resource: Resource) -> list[Problem]:
    """Links whose text or tooltip reads as an address they do not go to,
    and download labels that read as an address: said as validate reads the
    body (the build reads the HTML again, sanitize.link_problems)."""
    problems = []
    lines = resource.body_lines or links.blank_code(resource.body)
    source = resource.body.split("\n")
    # (A link's text in code, or an attribute list after it, as written: the
    # blanked lines hide both. Forty-first round: validate passed
    # [`www.gov.scot`](https://evil.example/) and {: href="..."}, the build refused them.)
    if _read_as_rendered(lines) or any("](" in line and ("`" in line or "{" in line) for line in source):
        problems += _rendered_link_problems(resource, source)
    else:
        problems += _line_link_problems(resource, lines, source)
    problems += _name_problems(resource)
    # Addresses written as text, not what they read as (twenty-fifth round),
    # code too, and read without the tags between their letters: the
    # briefing's PDF prints them, and PDF viewers make links of them
    # (forty-first round: `https://www.gоv.scot/` in backticks).
    for number, line in enumerate(source, start=1):
        said = set()
        readings = [line] + ([links.INLINE_TAG_RE.sub("", line)] if "<" in line else [])
        for reading in readings:
            for address, key, values in links.text_address_problems(html.unescape(reading) if "&" in reading
                                                                    else reading):
                if address in said:
                    continue
                said.add(address)
                problems.append(rules.problem(key, resource.src_uri, resource.body_line + number - 1,
                                              line.find(address) + 1 if address in line else 1, line,
                                              target=address[:80], **values))
    return problems


# A reference's definition, wherever Markdown takes one: indented in a list,
# in a quote.
REFERENCE_DEFINITION_RE = re.compile(r"[ \t>]*\[[^\]]+\]:")
# A character reference a browser reads: `&#46;`, `&#x2e;`, `&period;`.
CHARACTER_REFERENCE_RE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;)")


def _read_as_rendered(lines: list[str]) -> bool:
    """Whether a body has links the line-by-line reading cannot follow:
    a reference definition (in a list, a quote, its address on the next
    line), or link text or a label over two lines (twenty-fifth round:
    each passed validate and failed the build), or character references,
    which the HTML holds as what they stand for (thirty-first round:
    `## Sign in at www&#46;nhs&#46;scot&#47;login`). Those bodies are
    rendered and read as the build reads them."""
    for line in lines:
        if line.count("[") != line.count("]") or "]:" in line and REFERENCE_DEFINITION_RE.match(line):
            return True
        if "&" in line and CHARACTER_REFERENCE_RE.search(line):
            return True
        # A link beside emphasis, code or a tag, whose text may run on into
        # the link's (thirty-seventh round: `**[gov](https://e1.example/)**.scot`).
        if "](" in line and any(mark in line for mark in ("*", "_", "<", "`")):
            return True
        # A link inside another's text, which the converter leaves as text
        # (fortieth round: `[[www.gov.scot](https://www.gov.scot/)](https://evil.example/)`).
        if "](" in line and NESTED_LINK_RE.search(line):
            return True
        if _open_target(line):
            return True
    return False


# A heading in a list item or a note, or written as HTML.
HEADING_ELSEWHERE_RE = re.compile(r"(?m)^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+#{1,6}[ \t]|^[ \t]*!!!|<[hH][1-6][\s>]")
RENDERED_HEADING_RE = re.compile(r"<h[1-6][^>]*>(.*?)</h[1-6]>", re.S)


def _rendered_link_problems(resource: Resource, source: list[str]) -> list[Problem]:
    from ..sanitize import clean, find_written, link_problems
    problems = []
    # (Pictures shrunk or folded away are said by the body's own checks.)
    for key, values, needles in link_problems(clean(_rendered(resource.body)).html):
        if key in ("misleading-link/shrunk", "misleading-link/folded"):
            continue
        line, col = find_written(source, needles)
        problems.append(rules.problem(key, resource.src_uri, resource.body_line + line, col + 1,
                                      source[line] if line < len(source) else "", **values))
    return problems


def _line_link_problems(resource: Resource, lines: list[str], source: list[str]) -> list[Problem]:
    problems = []
    for line, col, text, target, title in links.text_links(lines):
        # Right-to-left beside a number turns its groups, in the link or out.
        beside = "\u200f" if target.strip()[:4].lower() == "tel:" and links.right_to_left(lines[line - 1]) else ""
        for key, shown_in in (("misleading-link", links.link_text(text) + beside), ("misleading-link/title", title)):
            shown = links.misleading(shown_in, target)
            if shown:
                problems.append(rules.problem(links.misleading_key(key, shown), resource.src_uri,
                                              resource.body_line + line - 1, col,
                                              source[line - 1] if line <= len(source) else "",
                                              shown=shown, target=target[:80]))
                break
    for number, line in enumerate(lines, start=1):
        if "](" in line:
            for shown, target in links.misleading_runs(links.line_segments(line)):
                problems.append(rules.problem("misleading-link", resource.src_uri, resource.body_line + number - 1,
                                              line.find(target) + 1 if target in line else 1,
                                              source[number - 1] if number <= len(source) else "",
                                              shown=shown, target=target[:80]))
    # A heading is the text of its link in the contents list (twentieth
    # round: `## www.gov.scot/login`): named like a title, not an address.
    said = set()
    for number, text in headings.shown_texts(resource.body, lines):
        if shown := links.strong_address(text) or links.strong_number(text):
            written = source[number - 1] if number <= len(source) else ""
            said.add(shown)
            problems.append(rules.problem(links.misleading_key("misleading-link/heading", shown), resource.src_uri,
                                          resource.body_line + number - 1,
                                          len(written) - len(written.lstrip("#= ")) + 1, written, shown=shown))
    # Headings the lines do not show as such: in a list item, a note, or
    # written as HTML (forty-fifth round: validate passed them, the build
    # refused them), read from the page as the build reads them.
    if HEADING_ELSEWHERE_RE.search(resource.body):
        from ..sanitize import find_written
        for text in RENDERED_HEADING_RE.findall(_rendered(resource.body)):
            text = html.unescape(re.sub(r"<[^>]*>", "", text)).strip()
            if (shown := links.strong_address(text) or links.strong_number(text)) and shown not in said:
                said.add(shown)
                line, col = find_written(source, (text,))
                problems.append(rules.problem(links.misleading_key("misleading-link/heading", shown),
                                              resource.src_uri, resource.body_line + line, col + 1,
                                              source[line] if line < len(source) else "", shown=shown))
    for line, col, tooltip, target in links.other_tooltips(lines):
        written = source[line - 1] if line <= len(source) else ""
        if target is not None:
            if shown := links.misleading(tooltip, target):
                problems.append(rules.problem(links.misleading_key("misleading-link/title", shown), resource.src_uri,
                                              resource.body_line + line - 1, col, written, shown=shown,
                                              target=target[:80]))
        elif shown := links.shown_addresses(tooltip, numbers=True):
            problems.append(rules.problem("misleading-link/tooltip", resource.src_uri, resource.body_line + line - 1,
                                          col, written, shown=shown[0]))
    return problems


def _name_problems(resource: Resource) -> list[Problem]:
    """A title, and download labels, that read as an address."""
    problems = []
    title = resource.meta.get("title")
    if isinstance(title, str) and (shown := links.strong_address(title) or links.strong_number(title)):
        line, col, text = _key_position(resource, "title")
        problems.append(rules.problem(links.misleading_key("misleading-link/name", shown), resource.src_uri, line,
                                      col, text, name="`title`", shown=shown))
    elif isinstance(title, str):
        # A webinar's Register and recording buttons are named with its
        # title ("Register for ..."), and go off the site: a title naming a
        # site must name theirs (seventeenth attacker).
        for key in ("registration_url", "recording_url"):
            target = resource.meta.get(key)
            if isinstance(target, str) and (shown := links.misleading(title, target)):
                line, col, text = _key_position(resource, "title")
                problems.append(rules.problem("misleading-link/button", resource.src_uri, line, col, text,
                                              shown=shown, key=key, target=target[:80]))
                break
    for number, item in enumerate(resource.meta.get("downloads") or [], start=1):
        label = item.get("label") if isinstance(item, dict) else None
        # A label is the text of a link to a file, which dials nothing.
        shown = links.shown_addresses(label, numbers=True) if isinstance(label, str) else None
        if shown:
            shown = shown[0]
            line, col, text = _file_position(resource, label)
            problems.append(rules.problem("misleading-link/label", resource.src_uri, line, col, text,
                                          name=f"download {number}", shown=shown, target=item.get("file", "")))
    return problems


def _file_position(resource: Resource, name: str) -> tuple[int, int, str]:
    """Where the file's name is first written in the resource (a download's
    line, an image in the body), or its first line."""
    try:
        lines = resource.abs_path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1, 1, ""
    for number, line in enumerate(lines, start=1):
        at = line.find(name)
        if at >= 0:
            return number, at + 1, line
    return 1, 1, ""


def _key_position(resource: Resource, key: str) -> tuple[int, int, str]:
    """Where a top-level field's value is, read again from the file: the
    model keeps values, not positions, and this is needed only for errors."""
    try:
        lines = resource.abs_path.read_text(encoding="utf-8").splitlines()[: resource.body_line]
    except OSError:
        return 1, 1, ""
    for number, line in enumerate(lines, start=1):
        match = re.match(rf"{re.escape(key)}\s*:\s*", line)
        if match:
            return number, match.end() + 1, line
    return 1, 1, ""


# `www.gov.scot`, `gov.scot/publications/x`: a site's name with no scheme.
WEB_ADDRESS_RE = re.compile(r"(?:www\.[\w-]+|[\w-]+(?:\.[\w-]+)*\.(?:scot|uk|com|org|net|gov|nhs|info|io|eu))"
                            r"(?:[/?#]|$)", re.I)
# `C:\\Users\\...`, `\\\\server\\share\\...`: files readers cannot reach.
WINDOWS_PATH_RE = re.compile(r"[A-Za-z]:[\\/]|\\\\")
# What comes before an image's address: `![alt](` or `src="`.
IMAGE_BEFORE_RE = re.compile(r"""(?:!\[[^\]]*\]\(\s*<?|<img\b[^<>]*\bsrc\s*=\s*["']?)$""", re.I)
# An image by reference: `![alt][label]`, `![alt][]` or `![label]`; its
# address is on the label's definition line, which must count as an image.
IMAGE_REFERENCE_RE = re.compile(r"!\[([^\[\]]*)\](?:\[([^\[\]]*)\])?")
DEFINITION_LABEL_RE = re.compile(r"\s{0,3}\[([^\]]+)\]:")


def _label(text: str) -> str:
    return " ".join(text.lower().split())


RAW_ATTRIBUTE_END_RE = re.compile(r"""\b(?:href|src)\s*=\s*["']$""", re.I)


def _docs_page_links(docs_dir: Path, pages: Catalogue, docs_files: set[str], content_files) -> list[Problem]:
    """Links in editors' pages, read as MkDocs reads them in the build
    (strict: a link to no page or file, or to no heading of its page, stops
    it; thirty-fifth round: validate passed them, and the build named the
    page without `docs/` and with no line)."""
    from ..docs_pages import _body
    problems = []
    for src in sorted(rel for rel in docs_files if rel.endswith(".md") and not rel.startswith("overrides/")):
        raw = (docs_dir / src).read_bytes()
        body, first_line = _body(raw)
        if "{{" in body or "{%" in body:
            continue  # a maintainer's macro page: its links are made in the build
        lines = body.split("\n")
        for link in links.find_links(body):
            target = html.unescape(link.target.strip())
            if not target or links.is_external(target) or urlsplit(target).scheme or target.startswith("/"):
                continue  # addresses elsewhere, and absolute links, are said by their own rules
            path, _, anchor = target.partition("#")
            path = unquote(path.split("?")[0])
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(src), path)) if path else src
            if path.endswith("/") or resolved in ("", "."):
                continue  # a folder's address: MkDocs leaves it unchecked
            written = lines[link.line - 1] if link.line <= len(lines) else ""
            where = (f"docs/{src}", first_line + link.line - 1, link.col, written)
            if resolved in pages:
                known = pages.anchors.get(resolved)
                if anchor and known is not None and anchor not in known:
                    problems.append(rules.problem("broken-anchor", *where, target=target[:80], anchor=anchor,
                                                  page=f"docs/{resolved}" if resolved in docs_files else resolved,
                                                  hint=anchor_hint(path or posixpath.basename(src), anchor, known)))
            elif resolved not in docs_files and resolved not in content_files:
                problems.append(rules.problem("broken-link", *where, page=f"docs/{resolved}",
                                              target=target[:80], hint=link_hint(resolved, anchor, src, pages)))
    return problems


# A line that opens an HTML block, inside which Markdown is text: `<div>[v](files/x.csv)</div>`.
HTML_BLOCK_LINE_RE = re.compile(r"^ {0,3}<[a-zA-Z]", re.M)


# A link written inside another's text (`[[x](files/a.csv)](https://...)`),
# which the converter leaves as text.
NESTED_LINK_RE = re.compile(r"\[[^\]\n]*\[")


def _rendered_targets(body: str) -> set[str] | None:
    """The addresses a body's page links to, as the converter makes it, when
    the line-by-line reading may differ: an HTML block, inside which
    Markdown is text (thirty-ninth round: `<div>[v](files/c6.csv)</div>`
    published its file); a link inside another's text, or a code span over
    two lines (fortieth round); a link's title on the line after it. None
    for the rest, whose links are as written."""
    if not any(mark in body for mark in ("](", "]:", "][")) or not (
            HTML_BLOCK_LINE_RE.search(body) or NESTED_LINK_RE.search(body) or BRACKETED_TARGET_RE.search(body)
            or any(line.count("`") % 2 or _open_target(line) for line in body.split("\n") if "`" in line or "](" in line)):
        return None
    from ..sanitize import COMMENT_RE
    # (A comment's links are the converter's too, inside it: not shown.)
    return {html.unescape(value) for value in RENDERED_ADDRESS_RE.findall(COMMENT_RE.sub("", _rendered(body)))}


@functools.lru_cache(maxsize=64)
def _rendered(body: str) -> str:
    """A body as the build renders it, once: which links it holds and what
    they show are both read from it."""
    from ..docs_pages import render
    return render(body)


# A link's address holding a bracket (`[x](https://evil.com[1])`), which the line reading does not take for one.
BRACKETED_TARGET_RE = re.compile(r"\]\([^()\s\[]*\[")


def _open_target(line: str) -> bool:
    """Whether a line ends inside a link's address (its title on the next line)."""
    at = line.rfind("](")
    return at != -1 and ")" not in line[at:]


RENDERED_ADDRESS_RE = re.compile(r'\s(?:href|src)="([^"]*)"')
RENDERED_IMAGE_RE = re.compile(r'<img\s[^>]*?\bsrc="([^"]*)"')


def _rendered_images(body: str) -> set[str]:
    """The addresses a body's page shows as pictures, as the converter makes
    it (forty-third round: `![a [x](files/b.txt)](files/c.txt)` showed a text
    file as a picture, which only the briefing's PDF refused)."""
    from ..sanitize import COMMENT_RE
    return {html.unescape(value) for value in RENDERED_IMAGE_RE.findall(COMMENT_RE.sub("", _rendered(body)))}


# What the build makes at an address a contributor may link to: said so,
# rather than "add the file to the repository" (forty-second round).
MADE_PDF_RE = re.compile(r"(?:at-a-glance|deeper-dives|webinars)/([^/]+)/\1\.pdf")


def _made_by_the_build(target: str) -> str | None:
    from ..feeds import CALENDAR_PATH, FEED_PATH
    if target == FEED_PATH or target.endswith("/" + FEED_PATH) or (
            target.startswith("feeds/") and target.endswith(".xml")):
        return "a feed"
    if target.endswith(".ics") or target == CALENDAR_PATH:
        return "a calendar"
    if MADE_PDF_RE.fullmatch(target):
        return "a briefing's PDF"
    return None


def check_body_links(resource: Resource, pages: Catalogue, content_files, docs_files, drafts, include_drafts,
                     invalid: set[str] = frozenset()) -> list[Problem]:
    problems = []
    lines = resource.body.split("\n")
    # A briefing's PDF decodes every distinct image it shows at once: their
    # pixels are counted, and the image that goes over the budget refused.
    from ..pdf import MAX_IMAGE_PIXELS_IN_ALL, TYPES as PDF_TYPES
    image_pixels: dict[str, int] | None = {} if resource.type in PDF_TYPES else None
    image_labels = ({_label(m.group(2) or m.group(1)) for m in IMAGE_REFERENCE_RE.finditer(resource.body)}
                    if "![" in resource.body else set())
    shown = _rendered_targets(resource.body)
    found = list(resource.links if resource.links is not None else links.links_in(resource.body))
    if shown:
        # The converter's links the line-by-line reading missed (fortieth
        # round: `[x](files/a.csv` with `"title")` on the next line was not
        # published, and the build stopped with the engine's bare warning).
        read = {html.unescape(link.target) for link in found}
        for target in sorted(shown - read):
            at = next(((number, line.find(target)) for number, line in enumerate(lines, start=1) if target in line
                       and not target.startswith("#")), None)
            if at:
                found.append(links.Link(target, at[0], at[1] + 1))
    for link in found:
        if not link.target or shown is not None and html.unescape(link.target) not in shown:
            continue  # (not a link on the page: Markdown inside an HTML block is text)
        file_line = resource.body_line + link.line - 1
        source_line = lines[link.line - 1] if link.line <= len(lines) else ""

        def report(key, /, **values):
            problems.append(rules.problem(key, resource.src_uri, file_line, link.col, source_line,
                                          target=link.target, **values))

        if (defined := DEFINITION_LABEL_RE.match(source_line)) and defined.group(1).startswith("^"):
            # `[^1]: See ...`: a footnote, which the site's Markdown does not
            # make (twenty-fifth round: said as a link to `See`).
            report("broken-link/footnote")
            continue
        if not links.is_address(link.target):
            # MkDocs would stop on it, with a traceback.
            report("broken-link/not-address")
            continue
        # What the browser opens: character references (`&#58;`) decoded,
        # backslashes read as slashes.
        address = html.unescape(link.target) if "&" in link.target else link.target
        encoded = address != link.target
        image = IMAGE_BEFORE_RE.search(source_line[:link.col - 1]) is not None or (
            shown is not None and address in _rendered_images(resource.body))
        if not image and image_labels and (defined := DEFINITION_LABEL_RE.match(source_line)):
            image = _label(defined.group(1)) in image_labels
        if WINDOWS_PATH_RE.match(address):
            name = re.split(r"[\\/]", address)[-1] or "file"
            report("broken-link/windows", type=resource.type, name=name)
            continue
        read = links.as_browser_reads(address)
        scheme = urlsplit(read).scheme.lower() if links.is_address(read) else ""
        if scheme and scheme not in links.SAFE_SCHEMES and (scheme != "javascript" or encoded
                                                            or not JS_URL_RE.search(link.target)):
            # A plain `javascript:` is reported by check_body already (not
            # `java<tab>script:`, which a browser reads the same).
            report("unsafe-html/javascript-encoded" if scheme == "javascript" and encoded else
                   "unsafe-html/javascript-hidden" if scheme == "javascript" else
                   "unsafe-html/scheme-encoded" if encoded else "unsafe-html/scheme", scheme=scheme)
            continue
        if not image and links.is_scheme_relative(address):
            report("broken-link/scheme-relative")
            continue
        if links.is_external(address):
            if image:
                report("unsafe-html/remote-image", type=resource.type)
            elif bad := links.address_problem(address):
                report(bad[0], **bad[1])
            continue
        if not scheme and not address.startswith("#") and RAW_ATTRIBUTE_END_RE.search(source_line[:link.col - 1]):
            # MkDocs makes a Markdown link right for the page's address
            # (`slug/`), never a tag's: `<a href="files/x.pdf">` went to a 404.
            report("broken-link/raw-html")
            continue
        if encoded:
            report("broken-link/references", address=address)
            continue
        if "\\" in address:
            report("broken-link/backslashes", address=address.replace("\\", "/"))
            continue

        if WEB_ADDRESS_RE.match(link.target) and link.target not in content_files:
            # `[the guidance](www.gov.scot)`: a reader's browser would look for a file here.
            report("broken-link/web-address")
            continue
        if link.target.startswith("/"):
            path = link.target.lstrip("/")
            # `/` and `/#part` are the home page.
            target, anchor = links.resolve("", path if path and path[0] not in "#?" else "index.md" + path)
            meant = next((src for src in [target, *address_to_file(target)] if src in pages), None)
            if meant:
                written = relative_link(meant, resource.src_uri) + (f"#{anchor}" if anchor else "")
                report("broken-link/absolute", written=written)
            else:
                report("broken-link/absolute-unknown")
            continue
        target, anchor = links.resolve(resource.src_uri, link.target)
        if target.endswith("/"):
            target += "index.md"
        if target in drafts and not include_drafts:
            # A draft may link to another draft: neither is published yet.
            if resource.src_uri not in drafts:
                report("broken-link/draft")
            continue
        if target in invalid:
            continue  # the resource exists; its own errors are reported in its own file
        if target in pages:
            if anchor and pages.anchors[target] is not None and anchor not in pages.anchors[target]:
                report("broken-anchor", anchor=anchor, page=target,
                       hint=anchor_hint(link.target.split("#")[0], anchor, pages.anchors[target]))
        elif target in content_files:
            # A file beside a resource: published because this page asks for it.
            refused = files.type_problem(target)
            too_large = files.size_problem(getattr(content_files, "sizes", {}).get(target, 0))
            if refused:
                report("file-path/link", refused=refused)
            elif image and posixpath.splitext(target)[1].lstrip(".").lower() not in files.PILLOW_FORMATS:
                # `![chart](files/data.csv)`: a broken picture on the page,
                # and a briefing's PDF cannot be made (twentieth round).
                report("broken-link/not-image", formats=", ".join(sorted(files.PILLOW_FORMATS)))
            elif too_large:
                report("file-too-large/link", refused=too_large)
            elif (checked := content_files.checked(resource.src_uri, target) if hasattr(content_files, "checked")
                  else (files.content_problem(_root_of(content_files) / target), False))[1]:
                report("file-too-large/work-link", limit=f"{files.MAX_RESOURCE_CHECK_WORK:g}")
            elif unsafe := checked[0]:
                report({"formula": "unsafe-file/formula-link", "misleading": "unsafe-file/misleading-link"}.get(
                    files.refusal_kind(unsafe), "unsafe-file/link"), refused=unsafe)
            else:
                if image and image_pixels is not None and target not in image_pixels:
                    image_pixels[target] = files.declared_pixels(_root_of(content_files) / target)
                    if sum(image_pixels.values()) > MAX_IMAGE_PIXELS_IN_ALL:
                        report("too-complex-for-pdf/images", count=len(image_pixels),
                               total=sum(image_pixels.values()), limit=MAX_IMAGE_PIXELS_IN_ALL)
                        image_pixels = None  # said once, at the image that went over
                if target not in resource.files:
                    resource.files.append(target)
        elif target in docs_files:
            continue
        elif target in getattr(content_files, "refused", ()):
            continue  # a symbolic link: reported where it is, with what to do
        elif target in pages.unbuilt:
            report("broken-link/unbuilt", page=pages.unbuilt[target])
        else:
            meant = [src for src in address_to_file(target) if src in pages.suggestible]
            if meant:
                written = relative_link(meant[0], resource.src_uri) + (f"#{anchor}" if anchor else "")
                report("broken-link/page-address", written=written)
                continue
            before = source_line[:link.col - 1]
            if target.startswith("docs/") and (target[5:] in pages or target[5:] in docs_files):
                # An editor's page by its place in the repository (thirty-sixth
                # round: `../docs/about/index.md`): the site publishes docs/ at its root.
                written = relative_link(target[5:], resource.src_uri) + (f"#{anchor}" if anchor else "")
                report("broken-link", page=target, hint=f"The site publishes docs/ at its root: write `{written}`.")
                continue
            if made := _made_by_the_build(target):
                report("broken-link/made", what=made)
                continue
            if not target.startswith("../") and (_root_of(content_files) / target).is_file():
                # A file of the repository the site does not publish
                # (forty-sixth round: `../README.md` was said not to exist).
                report("broken-link/unpublished", page=target, type=resource.type)
                continue
            folder = target.rstrip("/") + "/"
            if any(name.startswith(folder) for name in content_files):
                report("broken-link/folder", page=folder)
                continue
            if not target.endswith(".md") and (posixpath.splitext(target)[1] or IMAGE_BEFORE_RE.search(before)):
                # An image or a file, not a page: files live beside the resources.
                hint = file_hint(posixpath.relpath(target, resource.type), resource.type, content_files)
            else:
                hint = link_hint(target, anchor, resource.src_uri, pages)
            report("broken-link", page=target, hint=hint)
    return problems
