"""A Content-Security-Policy for each page, as a <meta> tag.

The theme writes small inline scripts whose text differs from page to page
(relative paths), so each page's policy allows exactly its own inline
scripts by hash, and scripts from the site itself; nothing from elsewhere.
"""
from __future__ import annotations

import base64
import hashlib
import re

INLINE_SCRIPT_RE = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
DATA_TYPES = ("application/ld+json", "application/json")


def inline_script_hashes(html: str) -> list[str]:
    hashes = set()
    for match in INLINE_SCRIPT_RE.finditer(html):
        attrs = match.group("attrs").lower()
        if "src=" in attrs or any(t in attrs for t in DATA_TYPES):
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.add("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    return sorted(hashes)


def policy(html: str, offline: bool = False) -> str:
    # Offline, Material's search runs through the iframe-worker shim, which
    # writes an inline script holding the worker's absolute file:// URL into
    # an iframe that inherits this policy: no hash made at build time can
    # match it. Still nothing from any other origin.
    inline = ["'unsafe-inline'"] if offline else inline_script_hashes(html)
    scripts = " ".join(["'self'"] + inline)
    return "; ".join([
        "default-src 'self'",
        f"script-src {scripts}",
        # Material sets style attributes from its scripts.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        # The search worker, and the offline bundle's iframe-worker shim.
        "worker-src 'self' blob:",
        "frame-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def add_policy(html: str, offline: bool = False) -> str:
    """Insert the policy straight after <meta charset>, before any script."""
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(html, offline)}">'
    return re.sub(r'(<meta charset="utf-8">)', lambda m: m.group(1) + "\n    " + tag, html, count=1)
