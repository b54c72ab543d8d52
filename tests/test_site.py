"""Issue 2: the site end to end, built for real from fixture projects."""
from __future__ import annotations

import shutil
import re
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import REPO, build, make_project, read
from resource_library import indexes
from resource_library.render import Renderer
from resource_library.validate import check_library, load_schema
from resource_library.vocabulary import load_vocabulary

FIXTURE = Path(__file__).parent / "fixtures" / "basic"
PRIMARY_NAV = re.compile(r'<div class="md-sidebar md-sidebar--primary".*?<div class="md-sidebar md-sidebar--secondary"', re.S)
NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


def load_fixture(now=NOW, include_drafts=False):
    vocabulary = load_vocabulary(REPO / "vocabulary")
    schema = load_schema(REPO / "schema" / "resource.schema.json")
    return check_library(FIXTURE, vocabulary, schema, now, include_drafts=include_drafts,
                         generated=indexes.generated_paths(vocabulary))


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.hrefs.append(value)


def hrefs(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def main_content(html: str) -> str:
    """The article, without the header, nav and footer chrome."""
    match = re.search(r'<article class="md-content__inner.*?</article>', html, re.S)
    return match.group(0) if match else ""


def test_loading_reads_every_resource_and_its_fields():
    library, problems = load_fixture()
    assert [p for p in problems if p.is_error] == []
    keys = sorted(r.key for r in library.resources)
    assert keys == ["at-a-glance/alpha-briefing", "at-a-glance/draft-briefing", "at-a-glance/withdrawn-briefing",
                    "deeper-dives/beta-dive", "webinars/future-webinar", "webinars/past-webinar"]
    alpha = library.by_key["at-a-glance/alpha-briefing"]
    assert alpha.programmes == ["unpaid-carers"] and alpha.published.isoformat() == "2026-01-10"
    # Drafts are pages only in `make serve`; withdrawn resources keep their page but leave listings.
    assert "at-a-glance/draft-briefing.md" not in {r.src_uri for r in library.pages}
    assert "at-a-glance/draft-briefing.md" in {r.src_uri for r in load_fixture(include_drafts=True)[0].pages}
    assert "at-a-glance/withdrawn-briefing.md" in {r.src_uri for r in library.pages}
    assert "at-a-glance/withdrawn-briefing.md" not in {r.src_uri for r in library.listed}


def test_every_link_in_the_built_site_resolves(basic_site):
    broken = []
    for page in basic_site.rglob("*.html"):
        for href in hrefs(page.read_text(encoding="utf-8")):
            parts = urlsplit(href)
            if parts.scheme or href.startswith(("#", "//")) or page.name == "404.html":
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(basic_site)} -> {href}")
    assert broken == []


def test_type_listing_newest_first_without_withdrawn_or_draft(basic_site):
    html = main_content(read(basic_site, "at-a-glance/"))
    assert "Alpha briefing on carers" in html
    assert "Withdrawn briefing" not in html and "Draft briefing" not in html
    assert "1 resource, newest first" in html
    assert not (basic_site / "at-a-glance" / "draft-briefing").exists()


def test_webinars_split_into_upcoming_and_past_against_the_build_date(basic_site):
    html = main_content(read(basic_site, "webinars/"))
    upcoming, past = html.split('id="past"')
    assert "Future webinar on carers" in upcoming and "Past webinar" not in upcoming
    assert "Past webinar on frailty" in past and "Future webinar" not in past
    # A later build date moves the same webinar into the past.
    later = datetime(2026, 12, 1, tzinfo=timezone.utc)
    library, _ = load_fixture(now=later)
    assert library.upcoming() == []
    assert [r.slug for r in library.past_webinars()] == ["future-webinar", "past-webinar"]


def test_function_pages_list_their_resources(basic_site):
    html = main_content(read(basic_site, "functions/curate/"))
    assert "Alpha briefing on carers" in html and "1 resource" in html
    index = main_content(read(basic_site, "functions/"))
    for name in ("Create", "Curate", "Embed", "Spread"):
        assert f">{name}</a>" in index


def test_programme_index_counts_and_pages_group_by_type(basic_site):
    index = main_content(read(basic_site, "programmes/"))
    # unpaid-carers: alpha, beta, future webinar (withdrawn and draft do not count)
    block = index.split("Unpaid Carers Improvement Programme</a>")[1].split("</li>")[0]
    assert "3 resources" in block
    assert "Focus on Frailty" in index
    page = main_content(read(basic_site, "programmes/unpaid-carers/"))
    assert "At a Glance briefings (1)" in page and "Deeper Dives (1)" in page and "Webinars (1)" in page


def test_topic_index_is_a_to_z_with_counts(basic_site):
    index = main_content(read(basic_site, "topics/"))
    assert re.search(r">Needs assessment</a> <span class=\"lib-count\">\(2\)</span>", index)
    assert re.search(r">Housing</a> <span class=\"lib-count\">\(2\)</span>", index)
    letters = re.findall(r'<h2 id="letter-(\w)">', index)
    assert letters == sorted(letters) and "h" in letters and "n" in letters
    assert "Beta deeper dive" in main_content(read(basic_site, "topics/needs-assessment/"))


def test_resource_page_links_to_its_terms_and_back(basic_site):
    html = main_content(read(basic_site, "at-a-glance/alpha-briefing/"))
    links = hrefs(html)
    assert "../../programmes/unpaid-carers/" in links
    assert "../../topics/housing/" in links and "../../functions/curate/" in links
    assert "../files/data.csv" in links
    assert "(CSV, 8 bytes)" in html
    back = hrefs(main_content(read(basic_site, "programmes/unpaid-carers/")))
    assert "../../at-a-glance/alpha-briefing/" in back
    # Header facts a reader needs to trust the page, and the example notice.
    assert "10 January 2026" in html and "Test team" in html and "Example content." in html
    # Related resources rank by shared programmes and topics.
    related = html.split('id="lib--related"')[1]
    assert "Beta deeper dive on frailty" in related


def test_jinja_in_a_resource_is_shown_literally(basic_site):
    html = read(basic_site, "at-a-glance/alpha-briefing/")
    assert "{{ config.site_name }}" in html
    assert "{% if true %}yes{% endif %}" in html
    assert "{{ page.title }}" in html


def test_withdrawn_resource_keeps_its_page_with_a_banner(basic_site):
    html = main_content(read(basic_site, "at-a-glance/withdrawn-briefing/"))
    assert "This resource has been withdrawn." in html
    assert "It was replaced by a newer briefing." in html
    assert "../alpha-briefing/" in hrefs(html)
    # Out of the finder: neither its data nor any body text shard has it.
    assert not any("quokkamanc" in path.read_text() or "Withdrawn briefing" in path.read_text()
                   for path in (basic_site / "finder").glob("finder-*.js"))
    for listing in ("at-a-glance/", "programmes/unpaid-carers/", "topics/needs-assessment/"):
        assert "Withdrawn briefing" not in main_content(read(basic_site, listing))


def test_navigation_lists_sections_not_resources(basic_site):
    nav = PRIMARY_NAV.search(read(basic_site, "at-a-glance/alpha-briefing/"))
    assert nav and "Alpha briefing" not in nav.group(0)
    assert "At a Glance" in nav.group(0) and "Topics" in nav.group(0)


def test_nav_stays_the_same_size_as_resources_are_added(tmp_path):
    def nav_size(count: int) -> int:
        content = {}
        for n in range(count):
            content[f"deeper-dives/generated-{n}.md"] = (
                f"---\ntitle: Generated resource {n}\nsummary: A generated resource for the nav size test.\n"
                "functions: [curate]\ntopics: [housing]\npublished: 2026-01-01\nowner: Test\nstatus: current\n---\n\nBody.\n")
        project = make_project(tmp_path / f"n{count}", content=content)
        result = build(project)
        assert result.returncode == 0, result.stderr
        html = read(project / "site", "deeper-dives/generated-0/")
        return len(PRIMARY_NAV.search(html).group(0))

    assert nav_size(2) == nav_size(40)


def test_an_editor_can_override_a_generated_page(tmp_path):
    project = make_project(tmp_path / "p", "basic")
    shutil.copytree(Path(__file__).parent / "fixtures" / "override", project, dirs_exist_ok=True)
    result = build(project)
    assert result.returncode == 0, result.stderr
    html = read(project / "site", "topics/")
    assert "This page was written by hand and replaces the generated topic index." in html
    assert "lib-count" not in main_content(html)
    # Other generated pages are still there.
    assert "Needs assessment" in read(project / "site", "topics/needs-assessment/")


def test_a_schema_failure_names_the_file_and_leaves_the_site(tmp_path):
    project = make_project(tmp_path / "p", "basic")
    assert build(project).returncode == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    bad = project / "deeper-dives" / "beta-dive.md"
    bad.write_text(bad.read_text().replace("summary:", "sumary:"), encoding="utf-8")
    result = build(project)
    assert result.returncode != 0
    assert "deeper-dives/beta-dive.md:3:1 [unknown-field] unknown field `sumary`" in result.stderr
    assert "Did you mean `summary`?" in result.stderr
    assert "Traceback" not in result.stderr
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before
    assert f"Build failed: {project / 'site'} was left as it was." in result.stderr
    # With no site yet, the message does not speak of one, and none is made.
    result = build(project, site_dir="new-site")
    assert result.returncode != 0
    assert f"Build failed: nothing was written to {project / 'new-site'}." in result.stderr
    assert not (project / "new-site").exists()
    assert not [p.name for p in project.iterdir() if p.name.startswith(".new-site")]  # no staging left behind


def test_templates_escape_front_matter_values():
    library, _ = load_fixture()
    alpha = library.by_key["at-a-glance/alpha-briefing"]
    alpha.meta = dict(alpha.meta, title="<img src=x onerror=alert(1)>", summary="<script>alert(1)</script>",
                      owner='"><b>owner</b>')
    renderer = Renderer(library)
    html = renderer.resource_header(alpha) + renderer.cards([alpha], "index.md")
    assert "<img" not in html and "<script>" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;script&gt;" in html


def test_the_repository_s_own_content_builds(tmp_path):
    """What `make site` publishes: the starter library, through every check."""
    project = make_project(tmp_path / "p")
    for folder in ("at-a-glance", "deeper-dives", "webinars"):
        shutil.rmtree(project / folder)
        shutil.copytree(REPO / folder, project / folder)
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_a_contributor_s_aligned_table_builds_as_written(tmp_path):
    """Found by trying it: a table with aligned columns (`|:-:|`) failed the
    build as unsafe-html, because the sanitiser rewrites its styles."""
    project = make_project(tmp_path / "p", "basic", content={"deeper-dives/aligned.md": """---
title: Costs by partnership
summary: A table of costs with its columns aligned, as a contributor would write it.
functions: [curate]
topics: [needs-assessment]
published: 2026-02-01
last_reviewed: 2026-02-01
next_review_due: 2027-02-01
owner: Strategic Planning for Redesign team
status: current
---
## Costs

| Partnership | Beds | Cost |
|:------------|:----:|-----:|
| North       | 12   | £1.2m |
"""})
    result = build(project)
    assert result.returncode == 0, result.stderr
    html = read(project / "site", "deeper-dives/aligned/")
    assert '<th style="text-align:center">Beds</th>' in html and '<td style="text-align:right">£1.2m</td>' in html
