"""What a built site weighs: each HTML page's kind, the largest page of each
kind, a typical resource page, and the whole site, raw and gzipped (level
6, what a server such as GitHub Pages sends)."""
from __future__ import annotations

import gzip
import statistics
from pathlib import Path

TYPE_FOLDERS = ("at-a-glance", "deeper-dives", "webinars")
TERM_KINDS = {"functions": "function page", "programmes": "programme page", "topics": "topic page"}
GZIP_LEVEL = 6


def gzipped_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL))


def page_kind(rel: str) -> str:
    """The kind of an HTML page from its path in the site (directory URLs)."""
    parts = rel.split("/")
    top = parts[0]
    if rel == "finder/index.html":
        return "finder"
    if top in TYPE_FOLDERS:
        if len(parts) == 2 or parts[1] == "page":
            return "type listing"
        return "resource"
    if top in TERM_KINDS:
        return "term index" if len(parts) == 2 else TERM_KINDS[top]
    return "other page"


def html_pages(site: Path) -> dict[str, int]:
    """{path in the site: bytes} for every .html file."""
    return {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html") if p.is_file()}


def site_report(site: Path, with_kinds: bool = True) -> dict:
    """Raw and gzipped totals; with kinds, the largest page of each kind, a
    typical (median-sized) resource page and the largest pages."""
    total = total_gz = files = 0
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            files += 1
            total += len(data)
            total_gz += gzipped_size(data)
    report = {"files": files, "bytes": total, "gzip": total_gz}
    if not with_kinds:
        return report
    sizes = html_pages(site)
    largest: dict[str, tuple[str, int]] = {}
    for rel, size in sizes.items():
        kind = page_kind(rel)
        if kind not in largest or size > largest[kind][1]:
            largest[kind] = (rel, size)
    report["largest_by_kind"] = {kind: {"path": rel, "bytes": size, "gzip": gzipped_size((site / rel).read_bytes())}
                                 for kind, (rel, size) in sorted(largest.items())}
    resources = sorted((size, rel) for rel, size in sizes.items() if page_kind(rel) == "resource")
    if resources:
        size, rel = resources[len(resources) // 2]  # the median page itself, not an average of two
        report["typical_resource"] = {"path": rel, "bytes": size, "gzip": gzipped_size((site / rel).read_bytes()),
                                      "median_bytes": statistics.median(s for s, _ in resources)}
    report["largest_pages"] = [{"path": rel, "bytes": size}
                               for rel, size in sorted(sizes.items(), key=lambda item: -item[1])[:5]]
    report["html_pages"] = len(sizes)
    return report
