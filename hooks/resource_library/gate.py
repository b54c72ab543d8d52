"""The output gate: every file about to be published is checked, whatever
wrote it (our templates, MkDocs, the theme, a contributor's file).

The sanitiser and the validator guard the channels we know about; each
round of attacks found one they did not know (the contents list, built from
the same headings as the cleaned body). The gate holds the promise at the
output instead: before the staging folder is swapped in, each HTML page is
parsed as a browser parses it (Lexbor, an HTML5 parser) and may hold no
active content but the theme's own, and each path has exactly one producer.
"""
from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

from . import links, rules
from .claims import Claims
from .files import FILE_TYPES, content_problem, portable_problem, refusal_kind
from .problems import Problem
from .sanitize import TAGS

# The only scripts a page may load: the theme's bundle and our own files,
# by exact output path. A new script is added here, in review; a script
# anywhere else fails the build even if the file exists (a transcript
# holding JavaScript is a file on the site too).
ALLOWED_SCRIPTS = frozenset({
    "assets/javascripts/bundle.a5f9d56c.min.js",  # mkdocs-material 9.8.1's bundle
    "assets/theme/announce.js", "assets/theme/base.js", "assets/theme/consent.js",
    "assets/theme/content.js", "assets/theme/outdated.js", "assets/theme/palette.js",
    "assets/keyboard.js", "assets/site-search.js",
    "assets/finder.js", "finder/lunr.js", "finder/finder-data.js", "finder/finder-index.js",
})
# Folders those scripts live in: the hosted site's policy names them.
SCRIPT_FOLDERS = tuple(sorted({path.rsplit("/", 1)[0] + "/" for path in ALLOWED_SCRIPTS}))

# Script elements that hold data, which browsers never run: the theme's
# configuration and the JSON-LD block the build writes.
DATA_SCRIPTS = {("application/json", "__config"), ("application/ld+json", None)}

# Elements that run, embed, restyle or redirect: never on a page.
FORBIDDEN_ELEMENTS = frozenset({
    "base", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "portal",
    "fencedframe", "noembed", "animate", "set", "animatemotion", "animatetransform", "foreignobject",
    "discard", "handler", "listener",
})
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite",
    "longdesc", "codebase", "archive", "manifest", "usemap", "dynsrc", "lowsrc", "icon", "profile",
})
# Attributes that make the browser fetch at once: off-site, a third-party request.
FETCHING_ATTRIBUTES = frozenset({"src", "poster", "background", "data", "dynsrc", "lowsrc"})
NEVER_ATTRIBUTES = frozenset({"srcdoc", "ping", "http-equiv-refresh"})
BAD_SCHEME_RE = re.compile(r"^(?:javascript|vbscript|data|livescript|mocha):", re.I)
# As the URL parser reads an address: tabs and newlines inside are dropped,
# leading spaces and control characters trimmed.
URL_NOISE_RE = re.compile(r"[\t\n\r]")
ALIGN_STYLE_RE = re.compile(r"^\s*text-align\s*:\s*(?:left|right|center|justify)\s*;?\s*$", re.I)
SAFE_LINK_RELS = frozenset({"canonical", "alternate", "feed", "icon", "stylesheet", "preload", "author",
                            "license", "next", "prev", "search", "help", "shortcut"})
# What a page says about itself, that search engines, feed readers and link
# previews follow: only ever the site's own addresses, whoever wrote the head.
SELF_LINK_RELS = frozenset({"canonical", "alternate", "feed", "next", "prev", "search"})
SELF_META = frozenset({"og:url", "og:image", "og:image:url", "og:image:secure_url", "og:video", "og:video:url",
                       "og:video:secure_url", "og:audio", "og:audio:url", "og:audio:secure_url", "twitter:image",
                       "twitter:image:src", "twitter:url", "twitter:player", "twitter:player:stream"})

# What the site publishes, by extension. Anything else fails the gate,
# whichever producer wrote it (an editor's `.shtml` would run as a page).
OUTPUT_TYPES = frozenset({
    "html", "css", "js", "map", "svg", "xml", "gz", "ics", "json", "ico", "png", "jpg", "jpeg", "gif",
    "webp", "pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "csv", "txt", "vtt", "srt", "woff", "woff2",
})
# Types that a browser runs or styles with: only the site's own producers may write them.
SITE_CODE_TYPES = frozenset({"css", "js", "map", "svg", "woff", "woff2"})
CONTENT_PRODUCERS = ("a resource's file", "an editor's file")
XML_ACTIVE_RE = re.compile(
    r"<\?xml-stylesheet|xmlns(?::[\w.-]+)?\s*=\s*[\"']http://www\.w3\.org/(?:1999/xhtml|2000/svg)", re.I)


# The elements a page may hold, by allow-list: a deny-list let SVG markup
# (`svg`, `a`, `rect`, `text`: a page-wide panel linking to another site),
# `plaintext` and `dialog` through from an editor's page head. These are
# what the sanitiser keeps in bodies (sanitize.TAGS) and what the theme and
# our templates write, found by listing every element of the built starter
# site and of every site the tests build (mkdocs-material 9.8.1): the page's
# frame, the header, navigation and footer (`header`, `nav`, `main`,
# `article`, `aside`, `section`, `footer`), the header's search box and the
# finder's filters (`form`, `input`, `label`, `button`, `select`,
# `option`), and the theme's icons (`svg` holding one `path`). A template
# that writes a new element adds it here, in review. "-comment": a comment.
THEME_ELEMENTS = frozenset({
    "html", "head", "title", "meta", "link", "script", "body", "-comment",
    "header", "nav", "main", "article", "aside", "section", "footer",
    "form", "input", "label", "button", "select", "option",
    "svg", "path",
})
PAGE_ELEMENTS = frozenset(TAGS) | THEME_ELEMENTS
# The theme's icons are `<svg xmlns viewBox><path d/></svg>`, and nothing
# else: an `svg` may hold only `path`s, and neither takes any other
# attribute (`width`, `fill`, `style` would let one cover the page).
SVG_ATTRIBUTES = {"svg": frozenset({"xmlns", "viewbox"}), "path": frozenset({"d"})}
# SVG elements whose href fetches as the page loads.
SVG_FETCHING = frozenset({"image", "feimage", "use"})

# What the gate reads on a page: elements it refuses or checks, and attributes
# with an address or a style (and any `on...`, a handler).
TAGS_READ = FORBIDDEN_ELEMENTS | {"script", "meta", "link", "form", "svg"}
# Lists of addresses, each fetched: an image's `srcset`, and a preload's
# `imagesrcset` (fourteenth attacker: it fetched from another site on load).
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
ATTRIBUTES_READ = URL_ATTRIBUTES | NEVER_ATTRIBUTES | SRCSET_ATTRIBUTES | {"style", "formaction"}


@dataclass(frozen=True)
class Finding:
    """Something active found in an output, with text to look for in its source."""
    message: str
    needle: str = ""


class Gate:
    """Checks one build's outputs. `policies`: the Content-Security-Policy
    values a page may carry; `site_prefix`: the path of site_url (/library/),
    which absolute links in the 404 page start with."""

    def __init__(self, root: Path, claims: Claims, policies: set[str], site_prefix: str = "/", site_url: str = ""):
        self.root, self.claims, self.policies = Path(root), claims, policies
        self.site_url = site_url if site_url.endswith("/") or not site_url else site_url + "/"
        self.site_prefix = "/" + site_prefix.strip("/") + "/" if site_prefix.strip("/") else "/"

    def check(self, site_dir: Path, only: set[str] | None = None) -> list[Problem]:
        """Every problem with the files in `site_dir` (or the `only` ones);
        the outputs refused are left in `self.refused`."""
        problems = self.claims.problems(self._locate)
        self.refused: set[str] = set()
        site_dir = Path(site_dir)
        for folder, _, names in os.walk(site_dir):
            for name in names:
                full = os.path.join(folder, name)
                rel = Path(full).relative_to(site_dir).as_posix()
                if only is not None and rel not in only:
                    continue
                if found := self.check_file(site_dir, rel):
                    self.refused.add(rel)
                    problems += found
        return problems

    def check_file(self, site_dir: Path, rel: str) -> list[Problem]:
        claim = self.claims.get(rel)
        ext = posixpath.splitext(rel)[1].lstrip(".").lower()
        if claim is None:
            return [rules.problem("unclaimed-output", f"site/{rel}", 1, 1, output=rel)]
        if unportable := portable_problem(rel):
            return [self._problem(rel, Finding(unportable, ""))]
        if (ext not in OUTPUT_TYPES and not (ext == "zip" and claim.producer == "the offline copy")) or (
                ext in SITE_CODE_TYPES and claim.producer in CONTENT_PRODUCERS):
            return [self._problem(rel, Finding(f"is a `.{ext or '?'}` file, which the site does not publish "
                                               f"from {claim.producer}", ""))]
        if ext in FILE_TYPES and claim.producer != "the briefing's PDF":
            # Every file of a reader format, whoever wrote it (a resource, an
            # editor, the theme): what opening it would do. The briefing's PDF
            # is made here from cleaned HTML and read by pdf.py as it is made.
            refused = content_problem(site_dir / rel)
            if refused and claim.path and claim.producer in CONTENT_PRODUCERS:
                # A contributor's file, named with the fix for what it holds, as
                # validate names it (forty-fourth round: a formula put in while
                # `make serve` ran was told to a maintainer).
                key = {"formula": "unsafe-output/formula", "misleading": "unsafe-output/misleading"}.get(
                    refusal_kind(refused), "unsafe-output/file")
                return [rules.problem(key, claim.path, 1, 1, output=rel, finding=refused)]
            return [self._problem(rel, Finding(refused, ""))] if refused else []
        if ext in ("html", "svg", "xml"):
            text = (site_dir / rel).read_text(encoding="utf-8", errors="replace")
            if ext == "html":
                findings = self.check_html(text, rel)
            elif ext == "svg":
                findings = self.check_html(text, rel, page=False)
            else:
                findings = [Finding("the XML would run as a page (an XHTML or SVG namespace, or a stylesheet)",
                                    "xmlns")] if XML_ACTIVE_RE.search(text) else []
            return [self._problem(rel, finding) for finding in findings]
        return []

    def check_html(self, html: str, rel: str, page: bool = True) -> list[Finding]:
        """What in `html` could run, restyle, redirect or fetch from another
        site, beyond the theme's own markup."""
        found: list[Finding] = []
        tree = LexborHTMLParser(html)
        policies_seen = configs_seen = 0
        if tree.root is None:
            return found
        # Every element is walked (the parser lower-cases names, but keeps
        # SVG's camelCase); most are passed over by one set lookup per attribute.
        for element in tree.root.traverse(include_text=False):
            tag = (element.tag or "").lower()
            attrs = element.attributes
            if page and tag not in PAGE_ELEMENTS and tag not in FORBIDDEN_ELEMENTS:
                found.append(Finding(f"holds a `<{tag}>` element, which no page of the site uses",
                                     f"<{element.tag}"))
            if attrs and attrs.get("id") == "__config":
                configs_seen += 1
            if tag not in TAGS_READ and (not attrs or (attrs.keys().isdisjoint(ATTRIBUTES_READ)
                                                       and "\0on" not in "\0" + "\0".join(attrs))):
                continue
            attrs = {k or "": v or "" for k, v in attrs.items()}
            if tag in FORBIDDEN_ELEMENTS:
                found.append(Finding(f"holds a `<{tag}>` element", f"<{tag}"))
            elif tag == "script":
                found += self._script(attrs, element, rel)
            elif tag == "meta" and "http-equiv" in attrs:
                if attrs["http-equiv"].strip().lower() == "content-security-policy" and attrs.get("content") in self.policies:
                    policies_seen += 1
                else:
                    found.append(Finding(f"holds `<meta http-equiv=\"{attrs['http-equiv']}\">`, which only the "
                                         "site's policy may use", "http-equiv"))
            elif tag == "meta" and (attrs.get("property") or attrs.get("name", "")).strip().lower() in SELF_META:
                name = (attrs.get("property") or attrs.get("name")).strip()
                if not self.on_site(rel, attrs.get("content", "")):
                    found.append(Finding(f"says the page's `{name}` is `{attrs.get('content', '')[:80]}`, which is "
                                         "not on this site", attrs.get("content", "")[:40] or name))
            elif tag == "link":
                found += self._link(attrs, rel)
            elif tag == "form":
                found += self._form_target(attrs.get("action"), rel, "form")
            elif tag == "svg" and page:
                found += self._svg(element)
            for name, value in attrs.items():
                found += self._attribute(tag, name, value, rel)
        if configs_seen > 1:
            found.append(Finding(f"carries {configs_seen} elements with the id `__config`, where the theme reads "
                                 "its configuration from its own one", "__config"))
        if page and policies_seen != 1:
            found.append(Finding(f"carries {policies_seen} copies of the site's Content-Security-Policy, not one", ""))
        return found

    def _svg(self, element) -> list[Finding]:
        """An inline SVG is one of the theme's icons: `path`s, and no
        attribute beyond `xmlns`, `viewBox` and `d`."""
        found = []
        for node in element.traverse(include_text=False):
            tag = (node.tag or "").lower()
            if tag not in SVG_ATTRIBUTES:
                if tag not in PAGE_ELEMENTS:
                    continue  # refused already, as an element no page uses
                found.append(Finding(f"holds `<{node.tag}>` in an SVG image, where the theme's icons hold only "
                                     "`<path>`", f"<{node.tag}"))
                continue
            extra = sorted(name for name in node.attributes if (name or "").lower() not in SVG_ATTRIBUTES[tag])
            if extra:
                found.append(Finding(f"gives `<{tag}>` in an SVG image a `{extra[0]}` attribute, which the theme's "
                                     "icons do not use", extra[0]))
        return found

    def _script(self, attrs: dict, element, rel: str) -> list[Finding]:
        if "src" not in attrs:
            kind = attrs.get("type", "").strip().lower()
            if (kind, attrs.get("id")) in DATA_SCRIPTS or (kind, None) in DATA_SCRIPTS:
                return []
            return [Finding("holds an inline `<script>`", (element.text() or "<script").strip()[:40] or "<script")]
        target = self.resolve(rel, attrs["src"])
        if target in ALLOWED_SCRIPTS:
            return []
        return [Finding(f"loads the script `{attrs['src']}`, which is not one of the site's own scripts",
                        attrs["src"])]

    def _link(self, attrs: dict, rel: str) -> list[Finding]:
        rels = set(attrs.get("rel", "").lower().split())
        href = attrs.get("href", "")
        if not rels <= SAFE_LINK_RELS:
            return [Finding(f"holds `<link rel=\"{attrs.get('rel')}\">`, which the site does not use", "rel=")]
        if rels & SELF_LINK_RELS and not self.on_site(rel, href):
            return [Finding(f"gives `<link rel=\"{attrs.get('rel')}\">` the address `{href[:80]}`, which is not on "
                            "this site", href[:40] or "rel=")]
        if rels & {"stylesheet", "preload", "icon"}:
            target = self.resolve(rel, href)
            claim = self.claims.get(target) if target else None
            allowed = target in ALLOWED_SCRIPTS or (
                claim is not None and claim.producer not in CONTENT_PRODUCERS
                and target.rsplit(".", 1)[-1] in ("css", "svg", "png", "ico", "js"))
            if not allowed:
                return [Finding(f"loads `{href}` as a {'/'.join(sorted(rels))}, which is not one of the site's own "
                                "stylesheets, icons or scripts", href)]
        return []

    def _form_target(self, action: str | None, rel: str, what: str) -> list[Finding]:
        # The theme's forms and the header's search box: none leaves the site,
        # and only the finder takes words.
        if action is None or action.strip() == "":
            return []
        target = self.resolve(rel, action)
        if target in ("finder/index.html",):
            return []
        return [Finding(f"holds a {what} that sends to `{action}`, not to the finder", action)]

    def _attribute(self, tag: str, name: str, value: str, rel: str) -> list[Finding]:
        if name.startswith("on"):
            return [Finding(f"gives `<{tag}>` an event handler (`{name}`)", name)]
        if name in NEVER_ATTRIBUTES:
            return [Finding(f"gives `<{tag}>` a `{name}` attribute", name)]
        if name == "style" and not (tag in ("td", "th") and ALIGN_STYLE_RE.match(value)):
            return [Finding(f"gives `<{tag}>` a style (`{value[:60]}`): only table cells' text-align is allowed",
                            value[:40] or "style")]
        if name == "formaction":
            return self._form_target(value, rel, "button")
        if name in URL_ATTRIBUTES or name in SRCSET_ATTRIBUTES:
            addresses = ([part.strip().split(" ")[0] for part in value.split(",")] if name in SRCSET_ATTRIBUTES
                         else [value])
            for address in addresses:
                plain = URL_NOISE_RE.sub("", address).lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                                               "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b"
                                                               "\x1c\x1d\x1e\x1f \x7f")
                if BAD_SCHEME_RE.match(plain):
                    return [Finding(f"gives `<{tag}>` a `{plain.split(':', 1)[0].lower()}:` address in `{name}`",
                                    address[:40])]
                if name == "href" and links.is_scheme_relative(address):
                    # The page's scheme: file:// from the offline copy, a Windows share.
                    return [Finding(f"gives `<{tag}>` an address with no scheme (`{address[:60]}`), which the "
                                    "offline copy opens as file://", address[:40])]
                fetches = (name in FETCHING_ATTRIBUTES or name in SRCSET_ATTRIBUTES
                           or name in ("href", "xlink:href") and tag in SVG_FETCHING)
                if fetches and self.resolve(rel, address) is None:
                    return [Finding(f"makes `<{tag}>` load `{address[:80]}` from another site "
                                    "(no page asks another site for anything)", address[:40])]
        return []

    def on_site(self, page: str, address: str) -> bool:
        """Whether `address` on `page` leads to this site: a relative
        address inside it, or one under site_url."""
        plain = URL_NOISE_RE.sub("", address).strip()
        if self.site_url and plain.startswith(self.site_url):
            return self.resolve("index.html", plain[len(self.site_url):]) is not None
        return bool(plain) and self.resolve(page, plain) is not None

    def resolve(self, page: str, address: str) -> str | None:
        """The output path an address on `page` leads to; None if it leaves the site."""
        address = URL_NOISE_RE.sub("", address).strip()
        parts = urlsplit(address)
        if parts.scheme or parts.netloc or address.startswith(("//", "\\", "/\\")):
            return None
        path = unquote(parts.path)
        if not path:
            return page
        if path.startswith("/"):
            if not path.startswith(self.site_prefix):
                return None
            path = path[len(self.site_prefix):]
        else:
            path = posixpath.join(posixpath.dirname(page), path)
        ends_in_folder = path.endswith("/") or path == ""
        path = posixpath.normpath(path) if path else "."
        if path.startswith(".."):
            return None
        if ends_in_folder or path == ".":
            path = posixpath.join("" if path == "." else path, "index.html")
        return path

    def _problem(self, rel: str, finding: Finding) -> Problem:
        """Named by the source that made the output, with a line where the
        finding's text can be found there; else by the output and producer."""
        claim = self.claims.get(rel)
        if claim is not None and claim.path:
            line, col, text = self._locate(claim.path, finding.needle, claim.line)
            return rules.problem("unsafe-output", claim.path, line, col, text, output=rel, finding=finding.message)
        if claim is not None:
            return rules.problem("unsafe-output/producer", f"site/{rel}", 1, 1, output=rel, finding=finding.message,
                                 producer=claim)
        return rules.problem("unsafe-output", f"site/{rel}", 1, 1, output=rel, finding=finding.message)

    def _locate(self, source: str, needle: str, default_line: int) -> tuple[int, int, str]:
        try:
            data = (self.root / source).read_bytes()
            # A document, PDF or picture has no line to quote (thirty-first
            # round: `make serve` showed a docx's zip bytes as its line 1).
            lines = data.decode("utf-8").split("\n") if b"\0" not in data[:8192] else None
        except (OSError, UnicodeDecodeError):
            lines = None
        if lines is None:
            return default_line, 1, ""
        if needle:
            low = needle.lower()
            for number, text in enumerate(lines, start=1):
                at = text.lower().find(low)
                if at >= 0:
                    return number, at + 1, text
        index = min(max(default_line, 1), len(lines)) - 1
        return index + 1, 1, lines[index] if lines else ""
