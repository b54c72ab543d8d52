"""Issue 14: listings paginate, and no generated page grows without limit.
Built from the benchmark's generator; not a timing test."""
from __future__ import annotations

import re
import sys

from conftest import REPO, build, read

sys.path.insert(0, str(REPO / "bench"))
from generate import generate  # noqa: E402

MAX_PAGE = 200_000


def test_listings_paginate_and_no_page_passes_200_kb(tmp_path):
    project = generate(tmp_path / "p", 600)
    result = build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
    too_big = {path: size for path, size in sizes.items() if size > MAX_PAGE}
    assert too_big == {}
    # 200 At a Glance briefings: four pages of 50, each linked to the next and back.
    first = read(site, "at-a-glance/")
    assert "Showing 1 to 50 of 200, page 1 of 4." in first
    assert 'href="page/2/" rel="next"' in first and 'rel="prev"' not in first
    last = read(site, "at-a-glance/page/4/")
    assert "Showing 151 to 200 of 200, page 4 of 4." in last
    assert 'href="../3/" rel="prev"' in last and 'rel="next"' not in last
    assert "<title>At a Glance briefings (page 4 of 4)" in last
    cards = lambda html: len(re.findall(r'<li class="lib-card ', html))  # noqa: E731
    assert cards(first) == 50 and cards(last) == 50
    # A topic with more than 50 resources is paged too, every card once.
    topic_pages = sorted(p for p in sizes if re.match(r"topics/[^/]+/page/\d+/index.html", p))
    assert topic_pages
