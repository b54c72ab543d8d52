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
    # Without the 400 briefings' PDFs (30 s of this test's 46): page sizes
    # and listings do not depend on them, and tests/test_pdf.py builds them.
    result = build(project, extra_env={"RESOURCE_LIBRARY_PDFS": "0"})
    assert result.returncode == 0, result.stderr
    site = project / "site"
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*.html")}
    too_big = {path: size for path, size in sizes.items() if size > MAX_PAGE}
    assert too_big == {}
    # Sizes that grow with the library pass 200 KB somewhere past 600: so no
    # page may link to more resources than a listing page's 50 cards. (The
    # first webinars page adds the upcoming ones, which are not paged.)
    linked = {path: len(set(re.findall(r'href="[^"]*?(synthetic-resource-\d+)[/."]', (site / path).read_text())))
              for path in sizes if path != "webinars/index.html"}
    assert {path: n for path, n in linked.items() if n > 50} == {}
    # The finder without JavaScript links to those lists instead of listing
    # all 600 (645 KB at 4,000), so its size does not depend on the library's.
    assert linked["finder/index.html"] == 0 and sizes["finder/index.html"] < 40_000
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
