"""Links and anchors in Markdown bodies, found without rendering them.

Checking links ourselves (rather than only with MkDocs' `validation:`)
means a broken link is reported in the contributor's file, with its line,
before anything is written.
"""
from __future__ import annotations

import bisect
import functools
import html
import ipaddress
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit


# A fenced code block as Python-Markdown's fenced_code finds one: an opening
# line at the margin, with at most a language or `{attributes}` after it,
# and a later line holding exactly the same fence. An opening never closed
# is text, and so is the rest of the body after it.
FENCE_OPEN_RE = re.compile(r"(`{3,}|~{3,})[ ]*+(?:\{[^\n]*\}|\.?[\w#.+-]*+[ ]*+(?:hl_lines=(\"|').*?\2[ ]*+)?)$")
FENCE_CLOSE_RE = re.compile(r"(`{3,}|~{3,})[ ]*$")
# Neither link text nor target may hold `[`: each attempt then stops at the
# next `[`, so a line of 40,000 `[` is scanned in linear time (nested brackets in link
# text are rare, and MkDocs' own link validation still sees those links).
INLINE_LINK_RE = re.compile(r"!?\[(?:[^\[\]\\]|\\.)*+\]\(\s*+<?([^()\s>\[]*+)>?(?:\s++[\"'][^\"']*+[\"'])?+\s*+\)")
# The regex above stops a target at `[`, which keeps it linear on hostile
# text. A `[` right after `//` is an IPv6 host, or a typo that stops MkDocs
# with a traceback (`http://[evil/x`): those targets are found here.
BRACKET_HOST_LINK_RE = re.compile(r"\]\(\s*<?((?:[A-Za-z][A-Za-z0-9+.-]*:)?//\[[^)\s>\[]*+)")
REF_DEF_RE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HTML_HREF_RE = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)
# A code span: a run of backticks, then text up to the same run. Runs are
# matched whole (no backtracking into a run), which keeps a line of
# backticks linear.
LIST_ITEM_RE = re.compile(r" {0,3}(?:[-*+]|\d+[.)])[ \t]")
CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


@dataclass(frozen=True)
class Link:
    target: str
    line: int   # 1-based within the body
    col: int


def blank_code(body: str) -> list[str]:
    """Body lines with code blocks (fenced or indented) and code spans
    blanked out, so that what a reader sees as code is never taken for a
    link, a tag or a heading."""
    if "`" not in body and "~~~" not in body and "\n    " not in body and "\n\t" not in body \
            and not body.startswith(("    ", "\t")):
        return body.split("\n")  # no fence, code span or indented line: nothing to blank
    lines, fence_end = [], -1
    source = body.expandtabs(4).split("\n") if "\t" in body else body.split("\n")  # as the converter sees it
    closings: dict[str, list[int]] = {}
    for number, line in enumerate(source):
        if line.startswith(("```", "~~~")) and (closing := FENCE_CLOSE_RE.match(line)):
            closings.setdefault(closing.group(1), []).append(number)
    # Indented code: four spaces (or a tab) after a blank line, unless the
    # text above is a list item, whose paragraphs are indented too. Blank
    # lines do not end it; the next line that is not indented does.
    in_indented, after_blank, in_list = False, True, False
    for number, line in enumerate(body.split("\n")):
        if number <= fence_end:
            lines.append("")
            continue
        # The prefix test spares most lines a regex (none can match without it).
        match = FENCE_OPEN_RE.match(source[number]) if line.startswith(("```", "~~~")) else None
        if match:
            later = closings.get(match.group(1), ())
            at = bisect.bisect_right(later, number)
            match = match if at < len(later) else None
            fence_end = later[at] if match else fence_end
        if not line.strip():
            lines.append(line)
            after_blank = True
            continue
        indented = line.startswith(("    ", "\t"))
        if indented and (in_indented or (after_blank and not in_list)):
            in_indented, after_blank = True, False
            lines.append("")
            continue
        in_indented, after_blank = False, False
        if match:
            lines.append("")
            continue
        if not indented:
            first = line.lstrip(" ")[:1]  # LIST_ITEM_RE needs a marker or a digit (\d: isdecimal) here
            in_list = (first in _LIST_MARKERS or first.isdecimal()) and bool(LIST_ITEM_RE.match(line))
        lines.append(CODE_SPAN_RE.sub(_blank_span, line) if "`" in line else line)
    return lines


_LIST_MARKERS = frozenset("-*+")


def _blank_span(match: re.Match) -> str:
    return " " * len(match.group(0))


def anchors(body: str, lines: list[str] | None = None) -> set[str]:
    """The ids a link's `#part` can name in a body, as the build has them:
    its headings' (headings.ids, the toc extension's own function), and
    those written in an attribute list or an HTML tag."""
    from . import headings  # headings reads sanitize, which reads this module
    # Lines given: the body passed validate's budgets and can be rendered.
    checked = lines is not None
    lines = lines if lines is not None else blank_code(body)
    found = set(headings.ids(body, lines, checked))
    for line in lines:
        if "{" in line and (match := headings.ATTR_ID_RE.search(line)):
            found.add(match.group(1))
        if "<" in line and "=" in line:
            found.update(html.unescape(m.group(1)) for m in HTML_ID_RE.finditer(line))
    return found


# `id="part"` in a tag, or an <a name="part">: MkDocs counts both as anchors.
HTML_ID_RE = re.compile(r"""<[a-zA-Z][^<>]*?\s(?:id|name)\s*=\s*["']([^"'<>]+)["']""")


# Python-Markdown's own patterns for `<https://...>` and `<name@host>`.
AUTOLINK_RE = re.compile(r"<((?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>]*)>")
AUTOMAIL_RE = re.compile(r"<(?:[Mm][Aa][Ii][Ll][Tt][Oo]:)?([^<> !]+@[^@<> ]+)>")


@functools.lru_cache(maxsize=8192)
def links_in(body: str) -> tuple[Link, ...]:
    """find_links for a whole body, remembered: `make serve` checks every
    resource's links on each rebuild, and most bodies have not changed."""
    return tuple(find_links(body))


def find_links(body: str, lines: list[str] | None = None) -> list[Link]:
    """Every link a reader could follow, as (target, line, column): not one
    in code, in an HTML comment, or in a reference definition no link uses
    (thirty-eighth round: a file named only in `<!-- [figures](files/x.csv)
    -->`, or in `[unused]: files/x.csv`, was published though no page shows
    a link to it)."""
    found = []
    lines = lines if lines is not None else blank_code(body)
    if "<!--" in body:
        lines = blank_comments(lines)
    defined: dict[str, Link] = {}
    for number, line in enumerate(lines, start=1):
        # A Markdown link or reference needs `[`; an HTML href or src needs `=`.
        # Most lines have neither, and are spared the regexes.
        bracket, equals = "[" in line, "=" in line
        if "<" in line and ("://" in line or "@" in line):
            # `<https://...>` and `<name@host>`, Python-Markdown's autolinks
            # (twenty-second round: validate did not read them).
            found += [Link(match.group(1), number, match.start(1) + 1) for match in AUTOLINK_RE.finditer(line)]
            found += [Link("mailto:" + match.group(1), number, match.start(1) + 1)
                      for match in AUTOMAIL_RE.finditer(line)]
        if not (bracket or equals):
            continue
        regexes = ((INLINE_LINK_RE,) if bracket else ()) + ((HTML_HREF_RE,) if equals else ())
        if bracket and "//[" in line:
            regexes += (BRACKET_HOST_LINK_RE,)
        escapes = bracket and "\\[" in line
        for regex in regexes:
            for match in regex.finditer(line):
                # `\[text](files/x.csv)` is text, not a link (thirty-ninth round: its file was published).
                if escapes and regex is INLINE_LINK_RE and escaped(line, match.start() + (line[match.start()] == "!")):
                    continue
                found.append(Link(match.group(1), number, match.start(1) + 1))
        if bracket and "](" in line:
            found += [Link(target, number, col) for target, col in _spaced_targets(line)
                      if not escapes or not escaped(line, line.rfind("[", 0, col))]
        match = REF_DEF_RE.match(line) if bracket else None
        if match:
            label = _label(line[line.index("[") + 1:line.index("]")])
            link = Link(match.group(1), number, match.start(1) + 1)
            if label.startswith("^"):
                found.append(link)  # a footnote, which this Markdown reads as a definition: said as one
            else:
                defined[label] = link  # the last definition of a label is the one the converter keeps
    if len(found) > 1:
        found = list(dict.fromkeys(found))  # `<https://…>` is an autolink and a link's target alike
    if defined:
        used = _used_labels(lines)
        found += [link for label, link in defined.items() if label in used]
        found.sort(key=lambda link: (link.line, link.col))
    return found


LABEL_RE = re.compile(r"\[(?!\^)((?:[^\[\]\\]|\\.){1,999})\](?!\()")


def _label(text: str) -> str:
    """A link label as Markdown matches it: case and runs of space ignored."""
    return " ".join(text.split()).casefold()


def _used_labels(lines: list[str]) -> set[str]:
    """Every `[label]` written outside a definition's own: a definition is
    a link only if something names it (`[see][label]`, `[label][]`,
    `[label]`)."""
    used = set()
    for line in lines:
        if "[" in line:
            if not REF_DEF_RE.match(line):  # a definition's own label (or title) is not a use
                used.update(_label(match.group(1)) for match in LABEL_RE.finditer(line))
    return used


def escaped(line: str, at: int) -> bool:
    """Whether the character at `at` is escaped: after an odd number of backslashes."""
    count = 0
    while at - count > 0 and line[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


COMMENT_OPEN = "<!--"
COMMENT_CLOSE_RE = re.compile(r"--!?>")
INDENT_RE = re.compile(r" {0,3}")


def comment_end(text: str, start: int) -> int:
    """Where the HTML comment opened at `start` ends, as Python-Markdown
    and then the browser read it, or -1 if it never does. It ends at `-->`
    or `--!>` (forty-third round: a link after `--!>` was live, read as
    commented out); in a line's text, `<!-->` and `<!--->` are whole,
    empty comments, where at a line's start they open an HTML block."""
    after = start + len(COMMENT_OPEN)
    line_start = text.rfind("\n", 0, start) + 1
    inline = not INDENT_RE.fullmatch(text, line_start, start)
    if inline and text.startswith(">", after):
        return after + 1
    if inline and text.startswith("->", after):
        return after + 2
    close = COMMENT_CLOSE_RE.search(text, after)
    return close.end() if close else -1


def blank_comments(lines: list[str]) -> list[str]:
    """Lines with HTML comments (`<!--` to where it ends, across lines)
    blanked: what is in one is never shown, and the sanitiser drops it. An
    unclosed `<!--` is text, and left."""
    text = "\n".join(lines)
    out, at = [], 0
    while (start := text.find(COMMENT_OPEN, at)) >= 0:
        end = comment_end(text, start)
        if end < 0:
            break
        out.append(text[at:start])
        out.append("".join(c if c == "\n" else " " for c in text[start:end]))
        at = end
    out.append(text[at:])
    return "".join(out).split("\n")


def _spaced_targets(line: str):
    """Inline link targets with white space inside, which INLINE_LINK_RE
    leaves out: `(<a b:c>)`, and a bare `(java\tscript:x(1))` (Python-Markdown
    keeps the space). Each scan stops at the next `[` or `]`, and every
    `](` holds one: the scans never overlap, so a line costs linear time."""
    at = line.find("](")
    while at != -1:
        start = at + 2
        while start < len(line) and line[start] in " \t":
            start += 1
        if line[start:start + 1] == "<":
            end = line.find(">", start)
            target, col = (line[start + 1:end], start + 2) if end != -1 and "<" not in line[start + 1:end] else ("", 0)
        else:
            depth, end = 1, start
            while end < len(line) and line[end] not in "[]\"'":
                depth += {"(": 1, ")": -1}.get(line[end], 0)
                if depth == 0:
                    break
                end += 1
            # A title after white space ends the target (`(a(b)c "t")`).
            titled = depth == 1 and line[end:end + 1] in ("\"", "'") and line[end - 1:end] in (" ", "\t")
            target, col = (line[start:end].rstrip(), start + 1) if depth == 0 or titled else ("", 0)
        # Balanced brackets in a target are part of it, as Python-Markdown
        # reads them (twenty-eighth round: `files/report%20(final).pdf`).
        if target and any(c in target for c in " \t("):
            yield target, col
        at = line.find("](", start)


def as_browser_reads(url: str) -> str:
    """A URL as a browser's parser sees it: spaces and control characters
    around it dropped, tabs and newlines inside it dropped, and a backslash
    read as a slash (`\\\\host/x` is `//host/x`)."""
    return url.strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15"
                     "\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ").replace("\t", "").replace("\n", "") \
        .replace("\r", "").replace("\\", "/")


# Schemes a link may use: the validator's and the sanitiser's one list.
SAFE_SCHEMES = frozenset({"https", "http", "mailto", "tel"})


def is_address(target: str) -> bool:
    """Whether a URL can be read at all (`//[x/p.png` cannot)."""
    try:
        urlsplit(target)
        return True
    except ValueError:
        return False


def is_scheme_relative(target: str) -> bool:
    """`//host/x`, `/\\host/x`, `\\\\host\\x`: another host, with the page's
    scheme (https online, file:// offline)."""
    return as_browser_reads(target).startswith("//")


def is_external(target: str) -> bool:
    """Whether a browser would go to another site for `target`, reading it
    as a browser does: `\\\\host/x.png`, `/\\host` and `///host` are all
    `//host`. A URL that cannot be read counts as external."""
    target = as_browser_reads(target)
    try:
        parts = urlsplit(target)
    except ValueError:  # `//[x`: not a URL this site could hold
        return True
    return bool(parts.scheme) or target.startswith("//")


def resolve(from_src: str, target: str) -> tuple[str, str]:
    """A relative link from one source file, as (target source path, anchor)."""
    parts = urlsplit(target)
    path = unquote(parts.path)
    if not path:
        return from_src, parts.fragment
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_src), path))
    return joined, parts.fragment


# A link's text (or tooltip) that reads as an address promises where it goes:
# `[https://www.gov.scot/x](https://evil.example/login)` passed every check
# (twelfth attacker). Such text must name the host the link goes to (or a
# domain above it). An address with a scheme or `www.`, a bare domain whose
# last label is not a file's extension (`report.pdf` is a file's name), or an
# email address.
ADDRESS_TEXT_RE = re.compile(
    r"((?:https?|ftp)://|www\.)?((?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63})\.?(?::\d{1,5})?(?:[/?#]\S*)?",
    re.I)
EMAIL_TEXT_RE = re.compile(r"(?:mailto:)?([\w.+'-]{1,64}@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63})", re.I)
NOT_DOMAINS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "csv", "txt",
                         "rtf", "png", "jpg", "jpeg", "gif", "webp", "svg", "html", "htm", "md", "zip", "json",
                         "xml", "ics", "vtt", "srt", "mp3", "mp4", "js", "css", "py",
                         # Twenty-sixth round: file types read as domains in link text (data.tsv).
                         "tsv", "xlsm", "xlsb", "docm", "pptm", "dotx", "xltx", "kml", "kmz", "tif", "tiff",
                         "bmp", "eps", "psd", "geojson", "gpkg", "shp", "dbf", "sav", "dta", "sas", "gz", "tgz",
                         "bz2", "rar", "wav", "ogg", "webm", "mov", "avi", "m4a", "epub", "odg", "pub", "vsdx"})


SCHEME_TEXT_RE = re.compile(r"[a-z][a-z0-9+.-]*://", re.I)
# Domains under which anyone may have a site (from the Public Suffix List's
# ICANN and private sections, those a reader here may meet): text naming one
# names no one site.
SHARED_SUFFIXES = frozenset({
    "co.uk", "org.uk", "ac.uk", "gov.uk", "nhs.uk", "ltd.uk", "plc.uk", "me.uk", "net.uk", "sch.uk", "police.uk",
    "com.au", "co.nz", "co.za", "com", "org", "net", "uk", "scot", "io", "app", "dev",
    "github.io", "gitlab.io", "blogspot.com", "wordpress.com", "wixsite.com", "squarespace.com", "weebly.com",
    "azurewebsites.net", "cloudapp.net", "herokuapp.com", "netlify.app", "vercel.app", "pages.dev", "workers.dev",
    "web.app", "firebaseapp.com", "appspot.com", "cloudfront.net", "amazonaws.com", "s3.amazonaws.com",
    "sharepoint.com", "readthedocs.io", "glitch.me", "ngrok.io", "ngrok-free.app", "onrender.com", "fly.dev",
    "substack.com", "medium.com", "notion.site", "carrd.co", "godaddysites.com", "sites.google.com"})
# An address by number, or this computer: `10.0.0.1:8080/login`,
# `localhost:8000`, `[::1]` (twenty-eighth round). A bare dotted number
# (`1.2.3.4`, a section) is not one without a port or a path.
IP_TEXT_RE = re.compile(r"(?:(?:https?|ftp)://)?((?:\d{1,3}\.){3}\d{1,3}(?=[:/])|localhost\b|\[[0-9a-f:.]+\])"
                        r"(?::\d{1,5})?(?:[/?#]\S*)?", re.I)


# Where an address starts inside a word: a scheme, or `www.`.
EMBEDDED_START_RE = re.compile(r"(?:https?|ftp)://|www\.", re.I)


def address_in(word: str) -> str:
    """The address a word holds, with what is stuck to either end of it
    dropped: `«https://www.gov.scot/»`, `👉www.gov.scot/x`, `in:https://x`,
    `—his@nhs.scot.` (twenty-second round: these read as nothing)."""
    start = EMBEDDED_START_RE.search(word)
    if start:
        word = word[start.start():]
    else:
        first = next((at for at, char in enumerate(word) if char.isalnum()), len(word))
        word = word[first:]
        if "@" in word and "://" not in word:
            at = word.rfind("@")
            while at > 0 and (word[at - 1].isalnum() or word[at - 1] in "._+'-"):
                at -= 1
            word = word[at:]
    end = len(word)
    while end and not (word[end - 1].isalnum() or word[end - 1] == "/"):
        end -= 1
    return word[:end]


def shown_address(text: str) -> str | None:
    """The host (or email address) one word of link text reads as, or None.
    A word with a scheme (`http://10.1.2.3/login`, `https://x/@name`) shows
    the host a browser would read in it, whatever it is; so does an address
    with marks or symbols stuck to it."""
    shown = _shown_address(text)
    if shown is None and not text.isalnum() and (inner := address_in(text)) and inner != text:
        shown = _shown_address(inner)
    if shown is None and (cut := ADDRESS_END_RE.search(text, 1)):
        # What no address holds ends the one a reader reads (forty-second
        # round: `https://www.nhs.uk[1]`, `help@nhs.scot[1]` read as nothing).
        return shown_address(text[:cut.start()])
    return shown


# Characters no address holds (outside an IPv6 host's brackets, which parse): where one a reader sees ends.
ADDRESS_END_RE = re.compile(r"[\[\]{}|^`\\<>\"]")


# A place on a computer or a shared drive (`\\\\nhs-share\\plans`, `C:\\Users`):
# Windows readers read it as where the link goes (thirty-eighth round).
WINDOWS_PATH_RE = re.compile(r"\\\\[^\\/\s]+(?:\\\S*)?|[A-Za-z]:\\\S*")


def _shown_address(text: str) -> str | None:
    text = text.strip("<>\"'()[]*_`~").rstrip(".,;:!?")
    if not text:
        return None
    if "\\" in text:
        if WINDOWS_PATH_RE.fullmatch(text):
            return text.lower()
        # A browser reads `\` as `/`: `gov.scot\login` is a path on gov.scot.
        text = text.replace("\\", "/")
    if SCHEME_TEXT_RE.match(text):
        try:
            parts = urlsplit(text)
            host = parts.hostname
        except ValueError:
            parts, host = None, None
        # `https://login.nhs.scot@evil.example/`: a browser goes to the host
        # after the `@`, a reader sees the name before it (seventeenth
        # attacker). Whatever before it reads as a host is what it shows.
        user = (parts.netloc.rpartition("@")[0] if parts is not None and "@" in parts.netloc else "")
        if user and ADDRESS_TEXT_RE.fullmatch(user.split(":")[0]):
            return ADDRESS_TEXT_RE.fullmatch(user.split(":")[0]).group(2).lower()
        if host:
            return host.lower().rstrip(".")
        if parts is not None and parts.scheme.lower() not in ("http", "https", "ftp"):
            # `file:///C:/Users/...`: an address with no host, which goes
            # to no web page, shown all the same (thirty-eighth round).
            return text.lower()[:80]
    if "@" in text and (email := EMAIL_TEXT_RE.fullmatch(text)):
        return email.group(1).lower()
    address = ADDRESS_TEXT_RE.fullmatch(text)
    if not address:
        numbered = IP_TEXT_RE.fullmatch(text)
        if numbered:
            return numbered.group(1).lower()
        # A bare address by number (`10.0.0.1`, thirtieth round): four parts
        # of at most 255, not all under 10 (`1.2.3.4` is a section).
        if text.count(":") >= 2:
            # A bare address by number in its long form (`2001:db8::1`).
            try:
                return str(ipaddress.IPv6Address(text.split("%")[0]))
            except ValueError:
                pass
        parts = text.split(".")
        if len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and int(p) <= 255 for p in parts) and any(
                int(p) >= 10 for p in parts):
            return text
        return None
    host = address.group(2).lower()
    if not address.group(1) and (host.rsplit(".", 1)[-1] in NOT_DOMAINS or not known_top_level(host)):
        return None
    return host


@functools.cache
def _suffixes():
    from publicsuffixlist import PublicSuffixList
    return PublicSuffixList(only_icann=True)


def known_top_level(host: str) -> bool:
    """Whether a host ends in a top-level domain that exists (the Public
    Suffix List's ICANN section): `C.diff/MRSA`, `e.coli` and `St.John` are
    not addresses a browser could go to, and a heading naming them was
    refused (thirty-seventh round)."""
    host = host.rstrip(".")
    return host.rsplit(".", 1)[-1] in SPECIAL_USE or _suffixes().publicsuffix(host, accept_unknown=False) is not None


# Names kept for testing and local networks (RFC 2606, 6761, 6762, 7686 and
# ICANN's `internal`), which the list leaves out but a browser may still reach.
SPECIAL_USE = frozenset({"example", "test", "invalid", "localhost", "local", "onion", "internal", "lan", "home",
                         "corp", "intranet"})


# Full stops a reader takes for `.`, that NFKC leaves apart, and the
# middle dots beside them (`nhs\u00b7scot`, `nhs\u2e31scot`, `nhs\u30fbscot`:
# twentieth round), which a reader may take for one at a glance.
STOPS = str.maketrans({c: "." for c in "\u3002\uff61\u2024\u00b7\u0387\u2027\u2219\u22c5\u2e31\u2e33\u30fb\uff65\ua78f"})


# Unicode's default-ignorable code points (DerivedCoreProperties.txt), drawn
# as nothing where a font has no glyph for them: with the format characters
# (Cf) and combining marks (Mn, Me), what a reader does not see in an
# address. U+034F before `https://` hid an address from the check
# (fifteenth attacker), as did Hangul fillers and variation selectors.
IGNORABLE_RE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                          "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
                          "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")


NARROW_SPACE_RE = re.compile("[\u2006\u2008\u2009\u200a\u202f\u205f]")


@functools.cache
def lookalikes() -> dict[int, str]:
    """Each character outside ASCII that Unicode's confusables (UTS #39, as
    confusable-homoglyphs ships them) draw like ASCII, mapped to it: Lisu
    `ꓸ` to `.`, `꞉` to `:`, Cyrillic `о` to `o` (twentieth round: NFKC
    leaves them all apart, and `https꞉//wwwꓸgovꓸscot` read as nothing)."""
    import json
    from importlib.resources import files
    data = json.loads((files("confusable_homoglyphs") / "confusables.json").read_text(encoding="utf-8"))
    table = {}
    for char, alikes in data.items():
        if len(char) != 1 or char.isascii():
            continue
        for alike in alikes:
            seen = alike["c"].replace("\u200e", "")
            if seen.isascii() and seen.isprintable() and seen.strip() == seen and seen:
                table[ord(char)] = seen
                break
    # Whatever Unicode draws like `.` or `·`, read as a full stop (twenty-first
    # round: `wwwᐧgovᐧscot`, U+1427, drew as `www·gov·scot`), with the dots of
    # scripts whose fonts a reader may have (Syriac, Tibetan, a ring point).
    for stop in (".", "\u00b7", "\u2024"):
        for alike in data.get(stop, []):
            seen = alike["c"].replace("\u200e", "")
            if len(seen) == 1 and not seen.isascii():
                table[ord(seen)] = "."
    for dot in "\u00b7\u2022\u2e30\u2e33\u0f0b\u0f0c\u0701\u0702":
        table[ord(dot)] = "."
    return table


# Marks drawn as a dot on the line, under the letter before them.
DOT_MARKS = frozenset("\u0323\u05c5")


def read_words(text: str) -> list[tuple[str, str]]:
    """Each word of `text` as a reader reads it, twice: with its letters'
    accents, and without any mark drawn over a letter. Both readings fold
    compatibility forms (a fullwidth `：`, a one-dot leader) and drop what
    is drawn as nothing (zero-width spaces and joiners, soft hyphens,
    direction marks, fillers): `www.nhs\u200b.scot` reads `www.nhs.scot`
    (thirteenth attacker). `bücher.de` keeps its accent in the first;
    `w\u0332ww.nhs.scot`, underlined, reads as an address in the second."""
    import unicodedata
    # A link written in another's text is read as the words it shows
    # (`[www.gov.scot](https://www.gov.scot/)`: fortieth round).
    text = text.replace("](", "] (") if "](" in text else text
    if text.isascii():
        return [(word, word) for word in text.split()]
    # Narrow spaces are drawn as next to nothing (a hair space, U+200A,
    # split `https:\u200a//login\u200a.nhs\u200a.scot` into words that read
    # as nothing; eighteenth attacker): the text is read again without them.
    def fold(text: str) -> str:
        text = unicodedata.normalize("NFKC", IGNORABLE_RE.sub("", text)).translate(STOPS)
        return "".join(c for c in text if unicodedata.category(c) != "Cf")

    words = fold(text).split()
    if NARROW_SPACE_RE.search(text):
        words += [word for word in fold(NARROW_SPACE_RE.sub("", text)).split() if word not in words]
    readings = []
    for word in words:
        marked = unicodedata.normalize("NFD", word)
        bare = "".join(c for c in marked if unicodedata.category(c) not in ("Mn", "Me"))
        # A third reading, with letters from other scripts that are drawn
        # like ASCII ones read as those (`wwwꓸgоvꓸscot` is `www.gov.scot`),
        # and a dot under a letter as a full stop after it.
        seen = "".join("." if c in DOT_MARKS else c for c in marked
                       if c in DOT_MARKS or unicodedata.category(c) not in ("Mn", "Me")) if DOT_MARKS & set(marked) else bare
        readings.append((word, bare, seen.translate(lookalikes())))
    return readings


# Scripts that may share a label with Latin letters, as Chromium lets them
# (its IDN display policy): Japanese, Chinese and Korean names mix them.
LATIN_COMPANIONS = frozenset({"LATIN", "CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO"})


def look_alike_host(host: str) -> str | None:
    """What a reader takes `host` for, where it is written with letters of
    another script drawn like Latin ones (`www.gоv.scot` with a Cyrillic
    `о`, a different site from www.gov.scot), or a label mixes Latin with
    such a script; else None. `bücher.de` and `σοφος.gr` are honest."""
    import unicodedata
    if host.isascii() and "xn--" not in host.lower():
        return None
    # Punycode as a browser shows it: `www.xn--gv-fmc.scot` is `www.gоv.scot`.
    labels = []
    for label in host.lower().split("."):
        if label.startswith("xn--"):
            try:
                import idna
                label = idna.decode(label)
            except (idna.IDNAError, UnicodeError, ValueError):
                pass
        labels.append(label)
    host = unicodedata.normalize("NFKC", ".".join(labels)).lower().translate(STOPS)
    table, taken = lookalikes(), False
    for label in host.split("."):
        seen = label.translate(table)
        scripts = {unicodedata.name(c, "?").split(" ")[0] for c in label if c.isalpha()}
        if seen != label and (seen.isascii() or "LATIN" in scripts and not scripts <= LATIN_COMPANIONS):
            taken = True
    return host.translate(table) if taken else None


# An address written as text: calendars, feed readers and mail programs
# make it a link (`summary: "Register at https://www.gov.scot@evil.example/"`).
TEXT_ADDRESS_RE = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s<>\"'()\[\]`]+|[\w.+'-]+@[^\s<>\"'()\[\]@`]+", re.I)
# What is a link's target in a line, not its text: read as a link already.
LINK_TARGET_TEXT_RE = re.compile(r"\]\([^()]*\)|<[^<>]*>|\]:\s*\S+")


def text_address_problems(text: str):
    """(address, rule key, values) for each address written as text in
    `text` that is not what it reads as (address_problem): twenty-fifth
    round, such addresses reached calendars, feeds and link previews."""
    if "//" not in text and "www." not in text.lower() and "@" not in text:
        return
    for match in TEXT_ADDRESS_RE.finditer(LINK_TARGET_TEXT_RE.sub(" ", text)):
        address = match.group().rstrip(".,;:!?")
        # An email address written as text: mail programs make it a link
        # (twenty-seventh round: planning@gоv.scot in a summary).
        written = address if "://" in address else ("mailto:" + address) if "@" in address and not \
            address.lower().startswith("www.") else "https://" + address
        if bad := address_problem(written):
            yield address, bad[0], bad[1]


# What no host may hold (the URL Standard's forbidden domain code points, and any space).
FORBIDDEN_HOST_RE = re.compile(r"[\x00-\x20\x7f#%/:<>?@\[\\\]^|\s]")


def address_problem(address: str) -> tuple[str, dict] | None:
    """(rule key, values) where an address on another site is not what it
    reads as: a name before `@` that a browser skips, a backslash it reads
    as `/`, a port that is none, or a host in look-alike letters (twentieth
    round: `https://evil.example\\@www.youtube.com/` goes to evil.example)."""
    read = as_browser_reads(address)
    try:
        parts = urlsplit(read)
    except ValueError:
        # `https://evil.com[1]`: brackets only hold an IPv6 host (forty-second round).
        return "link-address/host", {"host": read.split("//", 1)[-1].split("/", 1)[0][:60]}
    try:
        parts.port
    except ValueError:
        return "link-address/port", {}
    if parts.scheme.lower() == "tel":
        # A phone's keypad turns letters into digits, and `*` and `#` dial
        # service codes (twenty-sixth round: tel:0800J1111, tel:*2767*3855#).
        number = re.split(r"[;,]", unquote(parts.path), maxsplit=1)[0]
        if not re.fullmatch(r"\+?[\d\s().\-]*\d[\d\s().\-]*[pw\d\s().\-]*", number):
            return "link-address/tel", {}
        return None
    if parts.scheme.lower() == "mailto":
        # `his@nhѕ.scot` (a Cyrillic `ѕ`) sends to another domain.
        for mailbox in unquote(parts.path).split(","):
            domain = mailbox.rpartition("@")[2].strip()
            if seen := look_alike_host(domain):
                return "link-address/look-alike", {"host": domain, "seen": seen}
        return None
    if parts.scheme.lower() in ("http", "https", "ftp") and not read[len(parts.scheme) + 1:].startswith("//"):
        # `https:evil.example/guide`: a page on this site to the hosted site
        # (same scheme), evil.example from the offline copy or a PDF viewer
        # (thirty-ninth round).
        return "link-address/slashes", {"scheme": parts.scheme.lower()}
    if parts.scheme.lower() not in ("http", "https", "ftp") or not parts.hostname:
        return None
    host = parts.hostname
    if not parts.netloc.rpartition("@")[2].startswith("[") and FORBIDDEN_HOST_RE.search(host):  # (not an IPv6 host)
        # `https://www.gov .scot/`: the cleaner drops an address no browser
        # can open, and the link was published going nowhere (thirty-eighth round).
        return "link-address/host", {"host": host}
    if "\\" in address.split("?", 1)[0].split("#", 1)[0]:
        return "link-address/backslash", {"host": host}
    if "@" in parts.netloc:
        return "link-address/userinfo", {"host": host, "user": parts.netloc.rpartition("@")[0][:40]}
    if seen := look_alike_host(host):
        return "link-address/look-alike", {"host": host, "seen": seen}
    return None


def _address_word(word: str) -> str:
    stripped = word.strip("<>\"'()[]*_`~").rstrip(".,;:!?")
    return stripped if _shown_address(stripped) or stripped.isalnum() else (address_in(word) or stripped)


# What after a host makes a word an address to go to: a path, a query, a
# part of a page, a port (`evil.com?next=login`, `evil.com:8080`), or a
# backslash, read as `/` (thirty-eighth round).
AFTER_HOST_RE = re.compile(r"[/\\?#]|:\d")


def strong_address(text: str) -> str | None:
    """The host of the first word of `text` that is plainly an address (a
    scheme, `www.`, a path, an email address), in either reading, or None:
    a title or a term's name is the text of links to the site's own pages,
    and may name an organisation (gov.scot) but not read as an address to
    go to."""
    for readings in read_words(text):
        for word in map(_address_word, readings):
            shown = shown_address(word)
            if shown and (SCHEME_TEXT_RE.match(word) or word.lower().startswith("www.") or "@" in shown
                          or AFTER_HOST_RE.search(word.split("//", 1)[-1])):
                return shown
    return None


def strong_number(text: str) -> str | None:
    """A phone number `text` plainly shows (`0131 623 4300`, not `Call 111
    first`), or None: a title, heading or term's name is the text of links
    that dial nothing (thirty-first round), and may name a service by its
    short number."""
    return phone_number(text, told=False)


def shown_addresses(text: str, numbers: bool = False) -> list[str]:
    """Every host or email address that link text reads as, word by word,
    in either reading: `Sign in at https://login.nhs.scot` shows one; with
    `numbers`, a phone number too (what a tooltip may not show)."""
    found = [number] if numbers and (number := phone_number(text)) else []
    for readings in read_words(text):
        for shown in dict.fromkeys(shown_address(word) for word in readings):
            if shown:
                found.append(shown)
    return found


def _ascii_host(host: str) -> str:
    """A host as a browser looks it up: UTS #46 without transitional
    mapping, as Chromium does (Python's own codec, IDNA 2003, made
    `straße.de` and `strasse.de` one host; sixteenth attacker)."""
    import idna
    host = host.lower().rstrip(".")
    try:
        host = idna.encode(host, uts46=True, transitional=False).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        try:
            host = host.encode("idna").decode("ascii")
        except (UnicodeError, ValueError):
            pass
    return host[4:] if host.startswith("www.") else host


# A number as text: digits, perhaps after `+`, with spaces, dashes, dots,
# slashes and brackets between them.
NUMBER_TEXT_RE = re.compile(r"\+?\d(?:[\d\s().\-/]*\d)?")
# `O` and `l` among digits, read as `0` and `1` (`O131 623 43OO`).
DIGIT_LOOKALIKE_RE = re.compile(r"(?<=\d)[Oo]|[Oo](?=\d)|(?<=\d)[lI]|[lI](?=\d)")


def phone_digits(number: str) -> str:
    """A UK number's digits as dialled from the UK: `+44 (0)131 623 4300`,
    `0044 131 623 4300` and `0131 623 4300` are all `01316234300`."""
    number = number.replace("(0)", "")
    digits = re.sub(r"\D", "", number)
    if number.lstrip().startswith("+"):
        digits = "+" + digits
    elif digits.startswith("00"):
        digits = "+" + digits[2:]
    return "0" + digits[3:] if digits.startswith("+44") else digits


def shown_numbers(text: str) -> list[str]:
    """Each number of three digits or more that `text` shows, as a reader
    reads it: any script's digits, any dash, middle dot or slash between
    them, `O` and `l` among digits taken for `0` and `1` (twenty-second
    round: `0131–623–4300`, `۰۱۳۱ ۶۲۳ ۴۳۰۰`, `NHS 24: 111`)."""
    import unicodedata
    text = unicodedata.normalize("NFKC", IGNORABLE_RE.sub("", text)).translate(STOPS)
    if not text.isascii():
        # Marks drawn on a digit leave it one (thirty-eighth round: keycaps,
        # `0⃣1⃣3⃣1⃣`, U+20E3, and an underline, U+0332, hid a number).
        text = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Me"))
        # Any digit a reader reads as one: another script's, a dingbat's
        # (`❶❸❶`, U+2776: twenty-fourth round), a look-alike letter's.
        text = "".join(str(unicodedata.digit(c)) if c.isdigit() else "-" if unicodedata.category(c) == "Pd" else c
                       for c in text).translate(lookalikes())
    for _ in range(4):
        text = DIGIT_LOOKALIKE_RE.sub(lambda m: "0" if m.group() in "Oo" else "1", text)
    return [" ".join(run.split()) for run in NUMBER_TEXT_RE.findall(text) if sum(c.isdigit() for c in run) >= 3]


def misleading_phone(text: str, target: str) -> str | None:
    """A number `text` shows where none of its numbers is the one the `tel:`
    link dials (twenty-first round: [0131 623 4300](tel:+449098790000)).
    Numbers beside the one dialled are context (`open 24/7`, `ext 210`, a
    year); an extension or a pause in the target (`;ext=2`, `,2`) is not
    part of the number."""
    import unicodedata
    written = unquote(target.strip()[4:])
    cut = re.search(r"[;,pwPW]", written)
    number_part, after = (written[:cut.start()], written[cut.start():]) if cut else (written, "")
    dialled = phone_digits(number_part)
    numbers = shown_numbers(text)
    # Tones sent after the call is answered (`,,,666`, `p999`) or an
    # extension pick options the text must show (twenty-seventh round).
    extra = re.sub(r"\D", "", after)
    if extra and extra not in re.sub(r"\D", " ", unicodedata.normalize("NFKC", text)).split() and not any(
            re.sub(r"\D", "", part) == extra for number in numbers for part in _windows(number)):
        return numbers[0] if numbers else " ".join(text.split())[:40]
    if numbers and not any(phone_digits(part) == dialled for number in numbers for part in _windows(number)):
        return numbers[0]
    # Beside right-to-left letters, a number's groups are drawn in the
    # other order (twenty-sixth round: `טלפון 0909 879 0131` is drawn
    # `0131 879 0909 טלפון`): the number is read as drawn too.
    if right_to_left(text):
        for number in numbers:
            groups = re.findall(r"\d+", number)
            if len(groups) > 1 and phone_digits(" ".join(reversed(groups))) != dialled:
                return " ".join(reversed(groups))
    # Another phone number beside the one dialled is another promise
    # (`0800 22 44 88 (or 0909 879 0000 from abroad)`).
    for number in numbers:
        for part in _windows(number):
            if part[:1] in "0+" and sum(c.isdigit() for c in part) >= 10 and phone_digits(part) != dialled and not any(
                    phone_digits(whole) == dialled for whole in _windows(number)):
                return part
    return None


def _windows(number: str) -> list[str]:
    """Each run of whole digit groups in `number`: `NHS 24 (0131 623 4300)`
    reads as one run, and holds `0131 623 4300`."""
    groups = [match.span() for match in re.finditer(r"\d+", number)]
    if len(groups) > 12:
        return [number]
    return [number[groups[i][0] - (number[groups[i][0] - 1:groups[i][0]] == "+"):groups[j][1]]
            for i in range(len(groups)) for j in range(i, len(groups))]


# A North American number (`1-800-555-0100`, `(800) 555 0100`): three,
# three and four digits, perhaps after 1 (thirty-first round).
NANP_RE = re.compile(r"(?:\+?1[\s.\-]?)?\(?\d{3}\)?[\s.\-]?\d{3}[\s.\-]\d{4}")
# Dates, times, fractions and slashes are not in phone numbers (thirty-
# second round: `01/04/2024 - 31/03/2025`, `2024-04-01 - 2025-03-31`,
# `09.30 - 10.30 - 11.00` and `0.1234567890` were read as numbers to call).
NOT_PHONE_RE = re.compile(r"/|\d{1,4}[.\-]\d{1,2}[.\-]\d{2,4}|(?<!\d)\d{1,2}[.:]\d{2}(?!\d)|(?<!\d)0[.,]\d")
# Slashes in a date or a year's span (`01/04/2024`, `2024/25`, `2024/04/01`, `4/2025`).
DATE_SLASH_RE = re.compile(r"(?<!\d)(?:\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{4}/\d{1,2}(?:/\d{1,2})?|\d{1,2}/\d{4})(?!\d)")
# A book's number is not a phone's (`ISBN 978-0-12-345678-9`).
ISBN_RE = re.compile(r"\bISBN(?:-1[03])?:?\s*(?:[\d\-\s]{9,16}[\dXx])", re.I)
# A number the text tells the reader to call (`Ring 999`, `Call us on
# 111`, `Text 61155`), however short: the words may only say how.
CALL_RE = re.compile(r"\b(?:call|ring|phone|telephone|tel|dial|text|sms|whatsapp)\b(?:\s+(?:us|them|free|freephone|"
                     r"now|today))*\s*(?:\b(?:on|at|free)\b)?\s*[:\-\u2013]?\s*(?=\S)", re.I)


def phone_number(text: str, told: bool = True) -> str | None:
    """The first phone number `text` shows, or None: ten digits or more,
    after `0` or `+` (`0131 623 4300`, `+44 131 ...`), a North American
    number, or (if `told`) any number of three digits or more the text says
    to call (`Ring 999`). Shown on a link that dials nothing, or in a
    tooltip on what is not a link, it promises a call (twenty-fourth round)."""
    text = ISBN_RE.sub(" ", text)
    # A date beside a number does not hide it: the run is read either side of one.
    numbers = shown_numbers(text)
    pieces = [piece.strip(" -.") for number in numbers for piece in NOT_PHONE_RE.split(number)]
    for number in numbers:
        # Slashes between groups that make no date (`0131/623/4300`), and,
        # beside right-to-left letters, the groups in the order they are
        # drawn (`טלפון 4300 623 0131` is drawn `0131 623 4300 טלפון`):
        # thirty-eighth round.
        if "/" in number and not DATE_SLASH_RE.search(number):
            pieces.append(number.replace("/", " "))
        if len(groups := re.findall(r"\d+", number)) > 1 and right_to_left(text):
            pieces.append(" ".join(reversed(groups)))
    found = next((part for piece in pieces if piece for part in _windows(piece)
                  if part[:1] in "0+" and sum(c.isdigit() for c in part) >= 10 or NANP_RE.fullmatch(part)), None)
    if found or not told or not CALL_RE.search(text):
        return "(" + found if found and ")" in found and "(" not in found else found
    import unicodedata
    plain = unicodedata.normalize("NFKC", IGNORABLE_RE.sub("", text))
    for call in CALL_RE.finditer(plain):
        if (numbers := shown_numbers(plain[call.end():])) and plain[call.end():].lstrip("(+ ")[:1].isdigit():
            return numbers[0]
    # A service named between the word and the number (`Call NHS 24 on
    # 111`, `Phone NHS 24: 111`), or the number first (`111 - call free`):
    # forty-third round. A year is not a number to call.
    for told_re in (CALL_NAMED_RE, CALLED_AFTER_RE):
        for call in told_re.finditer(plain):
            told_number = next(group for group in call.groups() if group)
            if (numbers := shown_numbers(told_number)) and not all(
                    YEAR_RE.fullmatch(group) for group in re.findall(r"\d+", numbers[0])):
                return numbers[0]
    return None


_CALL_WORD = r"(?i:call|ring|phone|telephone|tel|dial|text|sms|whatsapp)"
# Up to four words of a name, each capitalised or a number (`NHS 24`,
# `Breathing Space`, `the Samaritans`), never `for` (`Call For Evidence`).
_SERVICE = r"(?:\s+(?:the\s+)?(?!(?i:for)\b)(?:[A-Z][\w&'.-]*|\d{1,3})){1,4}"
_TOLD_NUMBER = r"([(+]?\d[\d\s().\-\u2013]*\d)"
CALL_NAMED_RE = re.compile(
    rf"\b{_CALL_WORD}\b{_SERVICE}(?:\s+(?i:free(?:phone)?|now|today))?"
    rf"(?:\s+(?i:on|at)\s*[:\-\u2013]?\s*{_TOLD_NUMBER}"
    # After a colon or a dash, only a number that ends the text (`Phone NHS
    # 24: 111`), not a count in a title (`Phone Line Review: 360 responses`).
    rf"|\s*[:\-\u2013\u2014]\s*{_TOLD_NUMBER}\s*(?:\([^)]*\))?[.!]?\s*$"
    rf"|\s*\(\s*{_TOLD_NUMBER}\s*\))")  # `Call NHS 24 (111)`
CALLED_AFTER_RE = re.compile(rf"(?<![\d.,]){_TOLD_NUMBER}\s*[\-\u2013\u2014:,(]\s*{_CALL_WORD}\b(?!\s+(?i:for)\b)")
YEAR_RE = re.compile(r"(?:19|20)\d\d")


# An address spelled out: `enquiries at gov dot scot`, `[at]`, `(dot)`.
SPELLED_DOT_RE = re.compile(r"\s*[\[(]?\bdot\b[\])]?\s*", re.I)
SPELLED_AT_RE = re.compile(r"\s*[\[(]\s*at\s*[\])]\s*", re.I)
SPELLED_BARE_AT_RE = re.compile(r"\s+at\s+", re.I)


def spelled_out(text: str) -> list[str]:
    """`text` read with `dot` as `.`, and `at` as `@` and as the word, where
    it spells an address out (twenty-third round: [enquiries at gov dot
    scot](mailto:someone@evil.example)); nothing if it has no `dot`."""
    if not SPELLED_DOT_RE.search(text):
        return []
    dotted = SPELLED_AT_RE.sub("@", SPELLED_DOT_RE.sub(".", text))
    return [SPELLED_BARE_AT_RE.sub("@", dotted), dotted]


def misleading_key(key: str, shown: str) -> str:
    """`key`, or its number form when what is shown is a number (and not an
    address by number: `10.0.0.1`, `::1`)."""
    if any(c.isalpha() for c in shown) or ":" in shown or re.fullmatch(r"[\d.]+", shown) and shown.count(".") == 3:
        return key
    return {"misleading-link": "misleading-link/number", "misleading-link/heading": "misleading-link/heading-number",
            "misleading-link/name": "misleading-link/name-number"}.get(key, key)


# A character that makes the digits beside it drawn right to left: a
# right-to-left letter, or the invisible marks U+200F and U+061C.
def right_to_left(text: str) -> bool:
    """Whether `text` holds anything that turns the order of a number's
    groups beside it (thirty-seventh round: `\u200f[0100 555 0131](tel:...)`
    is drawn `0131 555 0100`)."""
    import unicodedata
    return not text.isascii() and any(unicodedata.bidirectional(c) in ("R", "AL") or c in "\u200f\u061c"
                                      for c in text)


def misleading(text: str, target: str) -> str | None:
    """An address `text` shows where the link's `target` does not go, or
    None: a host must be the target's host or a domain above it, an email
    address the target's mailto, a phone number the target's tel."""
    if target.strip()[:4].lower() == "tel:":
        if number := misleading_phone(text, target):
            return number
    elif number := phone_number(text):
        return number
    # Spelled out, it misleads if it does whichever way `at` is read
    # (`Read it at gov dot scot` is honest on a link to gov.scot).
    readings = spelled_out(text)
    if readings and (shown := _misleading(readings[0], target)) and _misleading(readings[1], target):
        return shown
    return _misleading(text, target) or _misleading_path(text, target)


# A path on this site written as a link's text: from the root or a folder
# (`/deeper-dives/x/`, `../x.md`), or a page's file (`x.md`, `x.html`).
PATH_TEXT_RE = re.compile(r"(?:\.{0,2}/)(?:[\w.~-]+/)*[\w.~-]*(?:#[\w-]*)?|(?:[\w.~-]+/)*[\w~-]+\.(?:md|html?)(?:#[\w-]*)?"
                          r"|(?:[\w.~-]+/)+[\w~-]+\.[A-Za-z0-9]{2,5}")


def _misleading_path(text: str, target: str) -> str | None:
    """A page of this site the text names, where the link goes to another
    (thirty-fourth round: `[/deeper-dives/whole-system-needs-assessment/]`
    went to another Deeper Dive): the pages' names are compared."""
    shown = " ".join(text.split()).strip("`")
    if not PATH_TEXT_RE.fullmatch(shown):
        return None
    if is_external(target) or target.strip().lower().startswith(("mailto:", "tel:")):
        # A path from this site's root, on a link that leaves it (thirty-
        # seventh round: `[/about/](https://evil.example/)`).
        return shown if shown.startswith("/") and not shown.startswith("//") else None
    if target.strip().startswith("#"):
        return None

    def page(path: str) -> str:
        parts = [part for part in unquote(path.split("#")[0].split("?")[0]).split("/") if part not in ("", ".", "..")]
        name = re.sub(r"\.(?:md|html?)$", "", parts[-1].lower()) if parts else ""
        return parts[-2].lower() if name == "index" and len(parts) > 1 else name

    return shown if page(shown) and page(target) and page(shown) != page(target) else None


def _misleading(text: str, target: str) -> str | None:
    words = [tuple(dict.fromkeys(shown_address(word) for word in readings)) for readings in read_words(text)]
    words = [[shown for shown in readings if shown] for readings in words]
    if not any(words):
        return None
    try:
        parts = urlsplit(as_browser_reads(html.unescape(target)))
    except ValueError:
        return next(shown for readings in words for shown in readings)
    scheme = parts.scheme.lower()
    host = _ascii_host(parts.hostname or "") if scheme in ("http", "https", "ftp") else ""

    def goes_to(address: str) -> bool:
        if "@" in address:
            # An email address on a link to its own organisation's site is
            # honest ([Email us at info@carers.scot](https://carers.scot/contact/)).
            if host:
                domain = _ascii_host(address.rpartition("@")[2])
                return host == domain or host.endswith("." + domain)
            # Only there: `?bcc=` (or `to`, `cc`) sends a copy elsewhere,
            # unseen (seventeenth attacker), and `Reply-To`, `from`,
            # `newsgroups` send the answer or the message elsewhere (forty-
            # eighth round): a subject and a body are all it may set.
            return scheme == "mailto" and unquote(parts.path).strip().lower() == address and all(
                name.strip().lower() in MAILTO_FIELDS for name, _ in parse_qsl(parts.query, keep_blank_values=True))
        want = _ascii_host(address)
        # A domain above the host, but not one many owners share (twenty-
        # eighth round: [github.io](https://evil.github.io/)).
        return bool(host) and (host == want or host.endswith("." + want) and want not in SHARED_SUFFIXES)

    for readings in words:
        # A word whose first reading goes there is honest (`bücher.de`,
        # accents and all); otherwise any reading that shows elsewhere misleads.
        if readings and goes_to(readings[0]):
            continue
        for address in readings:
            if not goes_to(address):
                return address
    return None


# The link text, target and tooltip of the links validate reads as text: inline
# (`[text](target "title")`), by reference (`[text][label]`, `[label][]`), and
# an HTML anchor on one line. The build reads every link again, from the HTML.
# A target may hold spaces, as Python-Markdown reads one (`tel:0800 22 44 88`).
TEXT_LINK_RE = re.compile(r"(?<!!)\[((?:[^\[\]\\]|\\.)*+)\]\(\s*+<?([^)\s>\[]*+(?:[ \t]++[^)\s>\[\"']++)*+)>?"
                          r"(?:\s++([\"'])([^\"']*+)\3)?+\s*+\)")
REF_LINK_RE = re.compile(r"(?<!!)\[((?:[^\[\]\\]|\\.)*+)\]\[([^\[\]]*+)\]")
REF_TARGET_RE = re.compile(r"\s{0,3}\[([^\]]+)\]:\s*+<?(\S+?)>?(?:\s++[\"'(]([^\n]*)[\"')])?\s*")
ANCHOR_RE = re.compile(r"<a\b([^<>]*+)>([^<]*+(?:<(?!/?a\b)[^<>]*+>[^<]*+)*+)</a\s*>", re.I)
ANCHOR_ATTRIBUTE_RE = re.compile(r"""\b(href|title)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
INLINE_TAG_RE = re.compile(r"<[^<>]*+>")


# A picture as a link's text: `[![alt](src "title")](target)`. Its alt text is
# the link's name to a screen reader, and what the PDF prints.
IMAGE_LINK_RE = re.compile(r"\[!\[((?:[^\[\]\\]|\\.)*+)\]\(\s*+<?[^)\s>\[]*+>?(?:\s++([\"'])([^\"']*+)\2)?+\s*+\)\]"
                           r"\(\s*+<?([^)\s>\[]*+)")
# Tooltips on anything but a link: a tag's title, an image's Markdown title,
# an attribute list's title (`{: title="..." }` gives it to the paragraph
# round every link in it).
OTHER_TITLE_RES = (
    re.compile(r"""<(?![aA][\s>/])[a-zA-Z][^<>]*?\btitle\s*=\s*(?:"([^"]*)"|'([^']*)')"""),
    re.compile(r"""!\[[^\[\]]*\]\(\s*<?[^)\s>]*>?\s+(?:"([^"]*)"|'([^']*)')\s*\)"""),
    re.compile(r"""\{:?[^{}]*?\btitle\s*=\s*(?:"([^"]*)"|'([^']*)')"""),
)


# A link just before an attribute list (`[text](target){: title="..."}`),
# which gives the link its attributes: its tooltip is the link's own.
LINK_BEFORE_RE = re.compile(r"(?<!!)\[(?:[^\[\]\\]|\\.)*+\]\(\s*+<?([^()\s>]*+)>?(?:\s++[\"'][^\"']*+[\"'])?+\s*+\)$")


def other_tooltips(lines: list[str]):
    """(line, col, tooltip, target) for each tooltip in a body whose code is
    blanked that is not in a link's own Markdown: on something that is not
    a link (target None), or given to a link by an attribute list after it
    (its target: thirty-ninth round, such a tooltip naming the link's own
    site was refused)."""
    for number, line in enumerate(lines, start=1):
        if "title" in line or "![" in line:
            for regex in OTHER_TITLE_RES:
                for match in regex.finditer(line):
                    owner = LINK_BEFORE_RE.search(line, max(0, match.start() - 2000), match.start()) \
                        if regex is OTHER_TITLE_RES[2] and line[match.start() - 1:match.start()] == ")" else None
                    yield (number, match.start() + 1, html.unescape(match.group(1) or match.group(2) or ""),
                           owner.group(1) if owner else None)


def text_links(lines: list[str]):
    """(line, col, text, target, tooltip) for each link of a body whose
    code is blanked (`blank_code`)."""
    labels = {}
    for line in lines:
        if "]:" in line and (match := REF_TARGET_RE.fullmatch(line)):
            labels.setdefault(" ".join(match.group(1).lower().split()), (match.group(2), match.group(3) or ""))
    for number, line in enumerate(lines, start=1):
        if "[" in line:
            escapes = "\\[" in line
            for match in TEXT_LINK_RE.finditer(line):
                if not (escapes and escaped(line, match.start())):
                    yield number, match.start() + 1, match.group(1), match.group(2), match.group(4) or ""
            if "[![" in line:
                for match in IMAGE_LINK_RE.finditer(line):
                    if not (escapes and escaped(line, match.start())):
                        yield number, match.start() + 1, match.group(1), match.group(4), match.group(3) or ""
            if labels and "][" in line:
                for match in REF_LINK_RE.finditer(line):
                    if escapes and escaped(line, match.start()):
                        continue
                    label = " ".join((match.group(2) or match.group(1)).lower().split())
                    if label in labels:
                        yield number, match.start() + 1, match.group(1), *labels[label]
        if "<a" in line.lower():
            for match in ANCHOR_RE.finditer(line):
                attributes = {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
                              for m in ANCHOR_ATTRIBUTE_RE.finditer(match.group(1))}
                if "href" in attributes:
                    yield (number, match.start() + 1, html.unescape(INLINE_TAG_RE.sub("", match.group(2))),
                           attributes["href"], html.unescape(attributes.get("title", "")))


def link_text(text: str) -> str:
    """Markdown link text as it reads: backslash escapes and character
    references undone, inline tags dropped (`nhs<span>.</span>scot`; each
    word's emphasis and code marks are dropped as it is read)."""
    # Emphasis marks inside a word are drawn as nothing (`www.gov**.**scot`:
    # twenty-eighth round).
    return html.unescape(INLINE_TAG_RE.sub("", re.sub(r"\\(.)", r"\1", EMPHASIS_RE.sub("", text))))


EMPHASIS_RE = re.compile(r"(?<=\S)[*~]+(?=\S)|(?<=\S)[*~]+$|^[*~]+(?=\S)")


def misleading_runs(segments: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    """(address shown, target) for each word of a block's visible text that
    reads as an address and runs across links, or from text into a link,
    that do not go there: `[www](x)[.nhs.scot/](y)` is one word to a reader,
    `www.nhs.scot/`, however it is cut (nineteenth attacker). `segments`:
    the block's text in order, each with the link it is in (or None). A
    word inside one link alone is that link's own text, checked apart."""
    text, spans, at = "", [], 0
    for piece, target in segments:
        spans.append((at, at + len(piece), target))
        text += piece
        at += len(piece)
    found = []
    for word in re.finditer(r"\S+", text):
        covering = [(max(start, word.start()), min(end, word.end()), target) for start, end, target in spans
                    if start < word.end() and end > word.start()]
        links = {target for _, _, target in covering if target is not None}
        plain = "".join(text[start:end] for start, end, target in covering if target is None)
        # One link and only punctuation round it (`(gov.scot).`): its own text, checked apart.
        if not links or (len(links) == 1 and not any(c.isalnum() for c in plain)):
            continue
        for target in sorted(links):
            if (shown := misleading(word.group(), target)):
                found.append((shown, target))
                break
    # A number that runs into a link across a space (forty-seventh round:
    # `Call 0131 623[4300](https://...)` reads `0131 6234300`, a word apart).
    for run in NUMBER_RUN_RE.finditer(text):
        crossed = {target for start, end, target in spans if target is not None and start < run.end()
                   and end > run.start() and not (start <= run.start() and run.end() <= end)}
        for target in sorted(crossed):
            if (shown := misleading(text[max(0, run.start() - 12):run.end()], target)) and (
                    (shown, target) not in found):
                found.append((shown, target))
                break
    return found


MAILTO_FIELDS = frozenset({"subject", "body"})
NUMBER_RUN_RE = re.compile(r"[+(]?\d[\d \t().\-\u2013]*\d")


def line_segments(line: str) -> list[tuple[str, str | None]]:
    """A Markdown line as a reader sees it, cut at its inline links."""
    segments, at = [], 0
    for match in TEXT_LINK_RE.finditer(line):
        segments.append((line[at:match.start()], None))
        segments.append((link_text(match.group(1)), match.group(2)))
        at = match.end()
    if segments:
        segments.append((line[at:], None))
    return segments
