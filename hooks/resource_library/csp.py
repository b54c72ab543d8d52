"""The Content-Security-Policy every page carries, as a <meta> tag.

Scripts run only from files on the site itself: no inline script at all.
The theme's own inline scripts are served as files (docs/overrides/partials/
javascripts/), so the policy is the same on every page and nothing a page
contains can widen it. It is not worked out from the page: a policy that
hashed whatever scripts a page held would allow an injected one too.
"""
from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT_RE = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
# Script elements of these types hold data, which browsers never run.
DATA_TYPES = ("application/ld+json", "application/json")
META_RE = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*', re.I)


def script_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def script_folders(site_url: str, folders) -> tuple[str, ...]:
    """The hosted site's script sources: each folder that holds the site's
    own scripts, under site_url (a CSP source with a path admits only that
    folder), and none inside another."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    kept = sorted(f for f in folders if not any(f != other and f.startswith(other) for other in folders))
    return tuple(base + folder for folder in kept)


def policy(script_hashes: tuple[str, ...] = (), sources: tuple[str, ...] = ()) -> str:
    """`script_hashes` is only for scripts known before any page is read:
    `mkdocs serve`'s live-reload script. `sources`: where scripts may come
    from instead of the whole site ('self'): the hosted site names its
    script folders (script_folders), so a file in a content folder never
    runs even if markup for it got through. From file:// and on another
    host (the offline copy, the preview) a path names nothing: 'self'."""
    scripts = " ".join([*(sources or ["'self'"]), *script_hashes])
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        # Material sets style attributes from its scripts.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        # No workers and no frames: the site's search runs in the page.
        "worker-src 'none'",
        "frame-src 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def meta_tag(script_hashes: tuple[str, ...] = (), sources: tuple[str, ...] = ()) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{policy(script_hashes, sources)}">'


def add_policy(html: str, script_hashes: tuple[str, ...] = (), sources: tuple[str, ...] = ()) -> str:
    """Put the policy first in <head>, before anything it must govern; a
    policy already there is replaced."""
    html = META_RE.sub("", html)
    tag = meta_tag(script_hashes, sources)
    with_charset, count = re.subn(r"(<meta charset=\"utf-8\">)", lambda m: m.group(1) + "\n    " + tag, html, count=1, flags=re.I)
    if count:
        return with_charset
    with_head, count = re.subn(r"(<head\b[^>]*>)", lambda m: m.group(1) + tag, html, count=1, flags=re.I)
    return with_head if count else tag + html


def executable_inline_scripts(html: str) -> list[str]:
    """Bodies of inline scripts a browser would run (if the policy let it)."""
    found = []
    for match in INLINE_SCRIPT_RE.finditer(html):
        attrs = match.group("attrs").lower()
        if "src=" in attrs or any(t in attrs for t in DATA_TYPES):
            continue
        found.append(match.group("body"))
    return found
