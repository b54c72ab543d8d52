"""Issue 20: one gate at the output. Whatever wrote a file, it is checked
before it is published: one producer an address, and no active content on
any page but the theme's own.

The channel tests switch a channel's source-level fix off (a second hook,
loaded after the library's, that undoes it) and show that the gate alone
still fails the build, naming the source where it can.
"""
from __future__ import annotations

import re
import shutil

import pytest

from conftest import build, make_project, real_pdf, run_cli, serve, write_files
from test_validate import GOOD, WEBINAR, tree_digest
from resource_library.claims import Claim, Claims
from resource_library.csp import policy
from resource_library.gate import Gate

A = "at-a-glance/case.md"
POLICY = policy()
CLEAN_PAGE = (f'<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" '
              f'content="{POLICY}"><script src="../assets/theme/base.js"></script>'
              '<script id="__config" type="application/json">{}</script>'
              '<script type="application/ld+json">{}</script>'
              '<link rel="stylesheet" href="../assets/library.css"></head><body>'
              '<form class="lib-site-search" action="../finder/" method="get"><input name="text"></form>'
              '<table><tr><td style="text-align: center;">1</td></tr></table>'
              '<a href="https://example.org/">out</a><img src="../at-a-glance/files/x.png" alt="x">'
              "{extra}</body></html>")

# (what, markup on a page, what the finding says)
ACTIVE = [
    ("inline script", "<script>window.__pwned=1</script>", "inline `<script>`"),
    ("script from a content folder", '<script src="../webinars/files/t.txt"></script>', "not one of the site's own"),
    ("script from another site", '<script src="https://cdn.example/x.js"></script>', "not one of the site's own"),
    ("script typed as a module", '<script type="module">x()</script>', "inline `<script>`"),
    ("script in svg", "<svg><script>x()</script></svg>", "inline `<script>`"),
    ("event handler", '<img src="x.png" alt="" onerror="x()">', "event handler"),
    ("event handler in svg", "<svg><circle onclick=x()></circle></svg>", "event handler"),
    ("javascript link", '<a href="javascript:x()">x</a>', "`javascript:`"),
    ("javascript link with a tab", '<a href="java\tscript:x()">x</a>', "`javascript:`"),
    ("javascript link after spaces", '<a href="  \x01javascript:x()">x</a>', "`javascript:`"),
    ("vbscript link", '<a href="vbscript:x">x</a>', "`vbscript:`"),
    ("data link", '<a href="data:text/html,hi">x</a>', "`data:`"),
    ("svg xlink javascript", '<svg><a xlink:href="javascript:x()"><text>x</text></a></svg>', "`javascript:`"),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example">', "http-equiv"),
    ("second policy", f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">', "2 copies"),
    ("base", '<base href="https://evil.example/">', "`<base>`"),
    ("iframe", '<iframe src="../index.html"></iframe>', "`<iframe>`"),
    ("object", '<object data="x.pdf"></object>', "`<object>`"),
    ("embed", '<embed src="x.pdf">', "`<embed>`"),
    ("style element", "<style>body{display:none}</style>", "`<style>`"),
    ("svg animate to a script address", '<svg><a><animate attributeName="href" values="javascript:x()"/></a></svg>',
     "`<animate>`"),
    ("style attribute", '<p style="position:fixed;inset:0">x</p>', "style"),
    ("style that is not alignment on a cell", '<table><tr><td style="text-align:left;color:red">1</td></tr></table>',
     "style"),
    ("form sending elsewhere", '<form action="https://evil.example/"><input name=p></form>', "not to the finder"),
    ("button sending elsewhere", '<form><button formaction="https://evil.example/">x</button></form>',
     "not to the finder"),
    ("stylesheet from a content folder", '<link rel="stylesheet" href="../webinars/files/t.txt">',
     "not one of the site's own"),
    ("prefetch of another site", '<link rel="prefetch" href="https://evil.example/">', "does not use"),
    ("image from another site", '<img src="https://tracker.example/p.png" alt="">', "from another site"),
    ("image srcset from another site", '<img src="x.png" srcset="https://tracker.example/p.png 2x" alt="">',
     "from another site"),
    ("protocol-relative image", '<img src="//tracker.example/p.png" alt="">', "from another site"),
    # Fourteenth attacker: a preload's image set fetched from another site as the page loaded.
    ("preload image set from another site",
     '<link rel="preload" as="image" href="../favicon.png" imagesrcset="https://tracker.example/t.png 1x">',
     "from another site"),
    ("ping", '<a href="../" ping="https://tracker.example/">x</a>', "`ping`"),
    # Fourth fresh-clone attacker: an editor's page head let these through a deny-list.
    ("svg panel linking elsewhere", '<svg width="100%" height="2000" viewBox="0 0 100 100" preserveAspectRatio="none">'
     '<a href="https://evil.example/login"><rect width="100" height="100" fill="#b00"/><text x="5" y="20">This '
     "library has moved: sign in again</text></a></svg>", "`<rect>` element, which no page of the site uses"),
    ("svg text", '<svg viewBox="0 0 1 1"><text>Sign in again</text></svg>', "`<text>` element"),
    ("svg sized over the page", '<svg viewBox="0 0 1 1" width="100%" height="2000"><path d="M0 0h1v1H0z"/></svg>',
     "a `height` attribute, which the theme's icons do not use"),
    ("svg link round a path", '<svg viewBox="0 0 1 1"><a href="https://evil.example/"><path d="M0 0"/></a></svg>',
     "holds `<a>` in an SVG image"),
    ("plaintext", "<plaintext>", "`<plaintext>` element"),
    ("dialog", "<dialog open>Sign in again</dialog>", "`<dialog>` element"),
    ("a second __config", '<script id="__config" type="application/json">{"base": "https://evil.example"}</script>',
     "2 elements with the id `__config`"),
    ("svg image from another site", '<svg><image href="https://evil.example/x.png"/></svg>',
     "makes `<image>` load `https://evil.example/x.png` from another site"),
    ("svg feImage from another site", '<svg><filter><feImage xlink:href="https://evil.example/x.png"/></filter></svg>',
     "makes `<feimage>` load"),
    ("svg use from another site", '<svg><use href="https://evil.example/s.svg#i"/></svg>', "makes `<use>` load"),
    # The fifth attacker: offline, //host is file://host, a Windows share.
    ("a link with no scheme", '<a href="//evil.example/share/r.pdf">r</a>', "an address with no scheme"),
    ("a link with no scheme, backslashed", '<a href="/\\evil.example/share/r.pdf">r</a>', "an address with no scheme"),
    # Twentieth round: what a page says about itself, that search engines and link previews follow.
    ("canonical address on another site", '<link rel="canonical" href="https://evil.example/library/">',
     "not on this site"),
    ("feed on another site", '<link rel="alternate feed" type="application/atom+xml" href="https://evil.example/f">',
     "not on this site"),
    ("canonical address above the site", '<link rel="canonical" href="https://his.example/library/../x/">',
     "not on this site"),
    ("preview picture from another site", '<meta property="og:image" content="https://evil.example/card.png">',
     "`og:image`"),
    ("preview address elsewhere", '<meta property="og:url" content="https://his.example.evil.example/library/">',
     "`og:url`"),
    ("twitter picture from another site", '<meta name="twitter:image" content="//evil.example/card.png">',
     "`twitter:image`"),
]


def gate_for(extra_claims=()) -> Gate:
    claims = Claims()
    for path, claim in [("assets/library.css", Claim("the site's own assets", "docs/assets/library.css")),
                        ("webinars/files/t.txt", Claim("a resource's file", "webinars/files/t.txt")),
                        *extra_claims]:
        claims.add(path, claim)
    return Gate(REPO_ROOT, claims, {POLICY}, "/library/", "https://his.example/library/")


from conftest import REPO as REPO_ROOT  # noqa: E402


def test_a_page_of_the_themes_own_markup_passes():
    assert gate_for().check_html(CLEAN_PAGE.replace("{extra}", ""), "about/index.html") == []


@pytest.mark.parametrize("what, markup, says", ACTIVE, ids=[a[0] for a in ACTIVE])
def test_the_gate_finds_active_content_however_it_is_written(what, markup, says):
    findings = gate_for().check_html(CLEAN_PAGE.replace("{extra}", markup), "about/index.html")
    assert findings, what
    assert any(says in f.message for f in findings), [f.message for f in findings]


def test_a_page_may_name_its_own_addresses_in_its_head():
    head = ('<link rel="canonical" href="https://his.example/library/about/">'
            '<link rel="alternate feed" type="application/atom+xml" href="../feed.xml">'
            '<meta property="og:url" content="https://his.example/library/about/">'
            '<meta property="og:image" content="https://his.example/library/assets/social-card.png">'
            '<meta name="twitter:card" content="summary_large_image">')
    assert gate_for().check_html(CLEAN_PAGE.replace("{extra}", head), "about/index.html") == []


def test_the_themes_icons_pass_and_nothing_else_in_an_svg():
    icon = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M3 6h18v2H3z"/></svg>'
    assert gate_for().check_html(CLEAN_PAGE.replace("{extra}", icon * 3), "about/index.html") == []


def test_every_page_of_the_starter_site_passes_the_element_allow_list(starter_site):
    """The allow-list is what the theme and our templates write: every page
    of the starter site passes it (its icons, header, finder and footer)."""
    from pathlib import Path
    gate = gate_for()
    for page in Path(starter_site).rglob("*.html"):
        rel = page.relative_to(starter_site).as_posix()
        findings = [f.message for f in gate.check_html(page.read_text(encoding="utf-8"), rel)
                    if "element" in f.message or "SVG" in f.message or "__config" in f.message]
        assert findings == [], (rel, findings)


def test_addresses_resolve_as_a_browser_resolves_them():
    gate = gate_for()
    assert gate.resolve("a/b/index.html", "../../assets/x.js") == "assets/x.js"
    assert gate.resolve("404.html", "/library/assets/x.js") == "assets/x.js"
    assert gate.resolve("404.html", "/elsewhere/x.js") is None
    assert gate.resolve("a/index.html", "../../../etc/x.js") is None
    assert gate.resolve("a/index.html", "\\\\evil.example/x.js") is None
    assert gate.resolve("a/index.html", "../finder/") == "finder/index.html"


# --- Each channel, with its own fix switched off --------------------------------

SWITCH_OFF_HOOK = '''
"""Test only: undo one channel's source-level fix, to show the gate holds alone."""
import re, sys
from markupsafe import Markup
import resource_library.sanitize as sanitize
import resource_library.vocabulary as vocabulary
import resource_library.files as files
from mkdocs.plugins import event_priority

CHANNEL = {channel!r}
library_hook = sys.modules["hooks/library_hook.py"]
if CHANNEL == "contents list":
    sanitize.plain_toc = lambda *args: None
if CHANNEL == "vocabulary name":
    vocabulary.UNSAFE_RE = re.compile("(?!)")  # no check on names
if CHANNEL == "editors' page":
    files.FILE_TYPES["shtml"] = "Server page"  # as the old deny-list did
if CHANNEL == "page body":
    import resource_library.validate as validate
    import resource_library.pdf as pdf
    validate.check_body = lambda parsed: None
    pdf.wanted = lambda *args, **kwargs: False  # the PDF converter refuses a <script> by name too
    sanitize.clean = lambda html, editor=False: sanitize.Cleaned(html, False)


@event_priority(-100)
def on_page_markdown(markdown, page, config, files):
    if CHANNEL == "page title" and page.file.src_uri == "at-a-glance/case.md":
        # Markup: as if escaping had been done, so no template escapes it.
        page.meta["title"] = Markup('<img src="x" onerror="window.__pwned=1">')
    if CHANNEL == "vocabulary name" and page.file.src_uri.startswith("topics/") and page.meta.get("title"):
        # A term page's title taken as markup (as if escaped), so no template escapes it.
        page.meta["title"] = Markup(Markup(str(page.meta["title"])).unescape())
    return markdown


def on_nav(nav, config, files):
    if CHANNEL == "navigation label":
        nav.items[-1].title = Markup('<img src="x" onerror="window.__pwned=1">')
    return nav
'''
TOC_ATTACK = ("## Transcript <b title=\"<!--\" lang='-->\"><scr<!---->ipt/x@/src=files/evil.txt>"
              "</scr<!---->ipt/x@>'>notes</b>\n\n"
              "## Refresh <b title=\"<!--\" lang='-->\"><me<!---->ta/x@/http-equiv=\"refresh\"/"
              "content=\"0;url=https://evil.example/\">'>away</b>\n\n"
              "## Restyle <b title=\"<!--\" lang='-->\"><sty<!---->le/x@>body{display:none}</sty<!---->le/x@>'>"
              "hidden</b>\n")
EVIL_JS = "window.__pwned = 1;\n"

# channel: (files, the path and line the gate's problem names)
CHANNELS = {
    "contents list": ({A: GOOD + "\n" + TOC_ATTACK, "at-a-glance/files/evil.txt": EVIL_JS,
                       "at-a-glance/links.md": GOOD.replace("A good briefing", "Links")
                       + "\n[notes](files/evil.txt)\n"}, A, 18),
    "page title": ({A: GOOD}, None, None),
    "navigation label": ({A: GOOD}, None, None),
    "vocabulary name": ({A: GOOD, "vocabulary/topics.yml":
                         "housing:\n  name: '<img src=\"x\" onerror=\"window.__pwned=1\">'\n  description: Homes.\n"},
                        None, None),
    "editors' page": ({"docs/notes.shtml": "<script>window.__pwned=1</script>\n"}, "docs/notes.shtml", 1),
    "page body": ({A: GOOD + "\n<script>window.__pwned=1</script>\n"}, A, 18),
    "theme override": ({"docs/overrides/main.html": '{% extends "base.html" %}\n{% block extrahead %}'
                        '<script src="https://cdn.example/x.js"></script>{% endblock %}\n'}, None, None),
}


@pytest.mark.parametrize("channel", list(CHANNELS))
def test_the_gate_alone_stops_each_channel(tmp_path, channel):
    files, path, line = CHANNELS[channel]
    project = make_project(tmp_path / "p", content={"deeper-dives/valid.md": GOOD})
    assert build(project).returncode == 0
    before = tree_digest(project / "site")
    write_files(project, files)
    write_files(project, {"hooks/switch_off.py": SWITCH_OFF_HOOK.format(channel=channel)})
    config = (project / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text(config.replace("  - hooks/library_hook.py",
                                                       "  - hooks/library_hook.py\n  - hooks/switch_off.py"))
    result = build(project)
    assert result.returncode != 0, result.stderr[-3000:]
    assert "[unsafe-output]" in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    if path:
        assert re.search(rf"^{re.escape(path)}:{line}:\d+ \[unsafe-output\]", result.stderr, re.M), result.stderr
    assert tree_digest(project / "site") == before


# The fourth attacker's editor-page head (FINDINGS.md 2), put into the page
# by a hook, as if the front matter's own check let it through.
HEAD_INJECTION = ('{}</script><svg width="100%" height="2000" viewBox="0 0 100 100" preserveAspectRatio="none">'
                  '<a href="https://evil.example/login"><rect width="100" height="100" fill="#b00"/><text x="5" y="20" '
                  'font-size="6" fill="white">This library has moved: sign in again</text></a></svg>'
                  '<svg><image href="https://evil.example/x.png"/></svg><dialog open>x</dialog>'
                  '<script id="__config" type="application/json">{}</script>'
                  '<script type="application/ld+json">{}')
# On a page of its own: the page after it, the theme's __config with it, is text.
PLAINTEXT = '{}</script><plaintext>'
HEAD_HOOK = f'''
"""Test only: an editor's page head carries markup, whatever checks its front matter."""
def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == "privacy.md":
        page.meta["json_ld"] = {HEAD_INJECTION!r}
    if page.file.src_uri == "accessibility.md":
        page.meta["json_ld"] = {PLAINTEXT!r}
    return markdown
'''


def test_the_gate_alone_refuses_markup_in_an_editors_page_head(tmp_path):
    project = make_project(tmp_path / "p", content={"deeper-dives/valid.md": GOOD})
    assert build(project).returncode == 0
    before = tree_digest(project / "site")
    write_files(project, {"hooks/head.py": HEAD_HOOK})
    # The template's own escape of JSON-LD is switched off too: the gate alone.
    template = project / "docs" / "overrides" / "main.html"
    text = template.read_text()
    assert r'{{ page.meta.json_ld | replace("<", "\\u003c") }}' in text
    template.write_text(text.replace(r'{{ page.meta.json_ld | replace("<", "\\u003c") }}', "{{ page.meta.json_ld }}"))
    config = (project / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text(config.replace("  - hooks/library_hook.py",
                                                       "  - hooks/library_hook.py\n  - hooks/head.py"))
    result = build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    problems = [line for line in result.stderr.splitlines() if "[unsafe-output]" in line]
    for says in ("holds `<a>` in an SVG image", "`<rect>` element, which no page of the site uses", "`<text>` element",
                 "a `height` attribute", "makes `<image>` load `https://evil.example/x.png` from another site",
                 "`<dialog>` element", "2 elements with the id `__config`"):
        assert any(line.startswith("docs/privacy.md:") and says in line for line in problems), (says, problems)
    assert any(line.startswith("docs/accessibility.md:") and "`<plaintext>` element" in line for line in problems)
    assert "hint: Nothing on a page may run, embed, restyle or redirect" in result.stderr
    assert tree_digest(project / "site") == before


# --- One producer an address ----------------------------------------------------

SHARED_ADDRESSES = "    problems += _shared_addresses(library, docs_files, generated)\n"


def webinar_named(slug: str) -> dict:
    return {f"webinars/{slug}.md": WEBINAR.format(url="https://e.example/r")}


COLLISIONS = [
    ("a webinar named like the site-wide calendar", webinar_named("webinars"), "webinars/webinars.md",
     "webinars/webinars.ics"),
    ("a topic slugged index", {A: GOOD.replace("topics: [housing]", "topics: [index]"),
                               "vocabulary/topics.yml": "housing:\n  name: Housing\n  description: Homes.\n"
                               "index:\n  name: Index\n  description: A topic named like the A-Z page.\n"},
     "vocabulary/topics.yml", "topics/index.html"),
    ("two downloads that differ only in case",
     {A: GOOD.replace("status: current", "status: current\ndownloads:\n  - file: files/Report.pdf\n    label: One\n"
                      "  - file: files/report.pdf\n    label: Two"),
      "at-a-glance/files/Report.pdf": real_pdf(), "at-a-glance/files/report.pdf": real_pdf(2)},
     "at-a-glance/files/report.pdf", "letter case"),
    ("two downloads that are one file only under canonical caseless matching",
     {A: GOOD.replace("status: current", "status: current\ndownloads:\n  - file: files/\u0390.pdf\n    label: One\n"
                      "  - file: files/\u03aa\u0301.pdf\n    label: Two"),
      "at-a-glance/files/\u0390.pdf": real_pdf(), "at-a-glance/files/\u03aa\u0301.pdf": real_pdf(2)},
     "at-a-glance/files/\u03aa\u0301.pdf", "letter case"),
]


@pytest.mark.parametrize("case, files, path, says", COLLISIONS, ids=[c[0] for c in COLLISIONS])
def test_two_outputs_at_one_address_fail_the_build_naming_both(tmp_path, case, files, path, says):
    project = make_project(tmp_path / "p", content={"deeper-dives/valid.md": GOOD})
    write_files(project, files)
    if case == "a topic slugged index":
        # Validation refuses the slug first (test_hostile.py); here its
        # source-level fix is switched off, to show the gate alone.
        vocabulary = project / "hooks" / "resource_library" / "vocabulary.py"
        vocabulary.write_text(vocabulary.read_text().replace('RESERVED_SLUGS = frozenset({"index"})',
                                                             "RESERVED_SLUGS = frozenset()"))
    if case.startswith("two downloads"):
        # Validation refuses them first too (test_agree.py); switched off here, to show the gate alone.
        across = project / "hooks" / "resource_library" / "validate" / "across.py"
        text = across.read_text()
        assert SHARED_ADDRESSES in text
        across.write_text(text.replace(SHARED_ADDRESSES, ""))
    result = build(project)
    assert result.returncode != 0, result.stdout + result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    problem = next((line for line in result.stderr.splitlines() if "[duplicate-output]" in line), "")
    assert problem.startswith(path + ":"), result.stderr[-3000:]
    assert says in problem and " and by " in problem, problem


# --- The contents-list attack, with every fix on: inert in Chromium -------------

@pytest.fixture(scope="module")
def toc_attack_site(tmp_path_factory):
    files, _, _ = CHANNELS["contents list"]
    project = make_project(tmp_path_factory.mktemp("toc"), content=files)
    result = build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


def test_the_contents_list_shows_the_cleaned_heading_as_text(toc_attack_site):
    html = (toc_attack_site / "at-a-glance" / "case" / "index.html").read_text()
    toc = html.split('class="md-nav md-nav--secondary"', 1)[1].split("</nav>", 1)[0]
    assert "<script" not in toc.lower() and "Transcript notes" in toc
    assert "<meta" not in toc.lower() and "<style" not in toc.lower() and "Refresh away" in toc


@pytest.mark.parametrize("where", ["http", "file"])
def test_the_contents_list_attack_runs_nothing(browser, toc_attack_site, where):
    url = (serve(toc_attack_site) + "at-a-glance/case/") if where == "http" else \
        (toc_attack_site / "at-a-glance" / "case" / "index.html").as_uri()
    page = browser.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)  # a refresh of 0 s would have left by now
    assert page.url == url, "the page was sent elsewhere"
    assert page.evaluate("window.__pwned") is None
    assert page.locator(".md-nav--secondary", has_text="Transcript notes").count() >= 1
    assert page.evaluate("getComputedStyle(document.body).display") != "none"
    assert page.locator("h1").is_visible()
    page.close()


def test_a_site_that_fails_the_gate_leaves_no_trace(tmp_path):
    """The build fails before the swap: no half-written site, no staging folder."""
    project = make_project(tmp_path / "p", content={"deeper-dives/valid.md": GOOD})
    write_files(project, webinar_named("webinars"))
    assert build(project).returncode != 0
    assert not (project / "site").exists()
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")]


# --- CODEOWNERS: everything that is not a resource or its files is the maintainers' --

def codeowner(rules: list[tuple[str, str]], path: str) -> str:
    """The owner GitHub gives `path`: the last matching line wins."""
    import fnmatch
    owner = ""
    for pattern, who in rules:
        anchored = pattern.lstrip("/")
        if pattern == "*":
            hit = True
        elif pattern.endswith("/"):
            hit = path.startswith(anchored)
        elif "*" in anchored:
            hit = fnmatch.fnmatchcase(path, anchored) and path.count("/") == anchored.count("/")
        else:
            hit = path == anchored
        if hit:
            owner = who
    return owner


def test_codeowners_give_every_file_but_content_to_maintainers():
    import subprocess
    from conftest import REPO
    rules = [tuple(line.split()[:2]) for line in (REPO / ".github" / "CODEOWNERS").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True).stdout.split()
    tracked += ["docs/notes.shtml", "docs/about/page.xht", ".devcontainer/devcontainer.json", "requirements.txt",
                "package.json", "tests/conftest.py", "docs/assets/new.js"]
    editors_may = re.compile(r"^(at-a-glance|deeper-dives|webinars)/|^docs/([^/]+|about/[^/]+)\.md$|^vocabulary/[^/]+\.yml$")
    macro_pages = {"docs/index.md", "docs/about/functions.md", "docs/about/programmes.md"}
    for path in tracked:
        owner = codeowner(rules, path)
        expected = "editors" if editors_may.search(path) and path not in macro_pages else "maintainers"
        assert owner.endswith("library-" + expected), (path, owner)


# --- The hosted site's policy: scripts only from the site's script folders -------

SITE_URL = "https://healthcare-improvement-scotland.github.io/strategic-planning-library/"
TYPES_BY_EXTENSION = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml",
                      ".txt": "text/plain", ".xml": "application/xml", ".png": "image/png"}


def test_the_hosted_policy_runs_the_sites_scripts_and_not_a_content_file(tmp_path, browser):
    """Built with --hosted and served from site_url's own address (GitHub
    Pages sends a .txt as text/plain without nosniff, which Chromium would
    run): markup that got past every check, added to a page after the
    build, still cannot run a transcript."""
    project = make_project(tmp_path / "p", "basic", content={
        "webinars/files/notes.txt": EVIL_JS,
        "webinars/with-notes.md": WEBINAR.format(url="https://e.example/r").replace(
            "title: A webinar", "title: Notes").replace("registration_url", "transcript: files/notes.txt\nregistration_url")})
    result = build(project, extra_env={"RESOURCE_LIBRARY_HOSTED": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    site = project / "site"
    page_path = site / "webinars" / "with-notes" / "index.html"
    html = page_path.read_text()
    assert f"script-src {SITE_URL}assets/ {SITE_URL}finder/;" in html
    page_path.write_text(html.replace("</body>", '<script src="../files/notes.txt"></script></body>'))

    context = browser.new_context()

    def from_site(route):
        rel = route.request.url[len(SITE_URL):].split("?")[0].split("#")[0]
        target = site / rel
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            return route.fulfill(status=404, body="")
        route.fulfill(status=200, body=target.read_bytes(),
                      headers={"Content-Type": TYPES_BY_EXTENSION.get(target.suffix, "application/octet-stream")})

    context.route(SITE_URL + "**", from_site)
    tab = context.new_page()
    refused = []
    tab.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    tab.goto(SITE_URL + "webinars/with-notes/")
    tab.wait_for_load_state("load")
    assert tab.evaluate("window.__pwned") is None
    assert any("notes.txt" in message for message in refused), refused
    # The site's own scripts run: the finder answers.
    tab.goto(SITE_URL + "finder/?text=notes")
    tab.wait_for_selector("html[data-finder-ready]")
    assert tab.locator(".lib-result, [data-finder-result], li", has_text="Notes").count() >= 1
    context.close()


def test_an_editors_file_at_a_resource_files_address_is_a_collision_not_dropped(tmp_path):
    """Found by the fresh-clone attacker: docs/at-a-glance/files/x.csv, at the
    address of a resource's download, was silently dropped. Validate now
    says so at the download's line; the gate, with that check switched
    off, still fails the build."""
    project = make_project(tmp_path / "p", "basic")
    write_files(project, {"docs/at-a-glance/files/data.csv": "other,data\n"})
    line = next(n for n, text in enumerate((project / "at-a-glance/alpha-briefing.md").read_text().splitlines(), 1)
                if "files/data.csv" in text)
    for command in (("validate",), ("build", "--site-dir", "site")):
        result = run_cli(project, *command)
        problem = next((p for p in result.stderr.splitlines() if "[duplicate-output]" in p), "")
        assert result.returncode == 1 and "Traceback" not in result.stderr, (command, result.stderr[-2000:])
        assert problem.startswith(f"at-a-glance/alpha-briefing.md:{line}:"), (command, problem)
        assert "the editor's file docs/at-a-glance/files/data.csv" in problem, problem
    across = project / "hooks" / "resource_library" / "validate" / "across.py"
    across.write_text(across.read_text().replace(SHARED_ADDRESSES, ""))
    result = build(project)
    assert result.returncode != 0
    problem = next((line for line in result.stderr.splitlines() if "[duplicate-output]" in line), "")
    assert problem.startswith("at-a-glance/files/data.csv:") and "an editor's file" in problem, result.stderr[-2000:]


UNPORTABLE = [("at-a-glance/aux/index.html", "a name Windows keeps for a device"),
              ("webinars/files/Con.CSV", "a name Windows keeps for a device"),
              ("webinars/files/lpt1.tar.csv", "a name Windows keeps for a device"),
              ("webinars/files/plan:v2.csv", "has `:` in its name"),
              ("webinars/files/plan.csv.", "ending in a dot or a space"),
              ("webinars/files/" + "a" * 101 + ".csv", "the limit is 100"),
              ("deeper-dives/" + "b" * 95 + "/" + "b" * 95 + ".csv", "the limit is 200")]


def test_the_gate_refuses_a_path_the_offline_copy_could_not_unzip_on_windows(tmp_path):
    """The seventh attacker's offline zip held aux/, aux.html, con.csv,
    checklist:v2.csv and a path of 277 characters: Windows' Extract All
    stops at each. Whoever wrote such a path, the gate refuses it, naming
    its source; `plan.v2.csv` and a path of 200 characters are fine."""
    fine = ["webinars/files/plan.v2.csv", "deeper-dives/" + "c" * 90 + "/" + "c" * 92 + ".csv"]
    claims = []
    for path in [p for p, _ in UNPORTABLE] + fine:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("a,b\n" if path.endswith(".csv") else "<!doctype html><title>x</title>")
        claims.append((path, Claim("a resource's file", path)))
    problems = gate_for(claims).check(tmp_path)
    for path, says in UNPORTABLE:
        assert any(p.path == path and says in p.message for p in problems), (path, [str(p) for p in problems])
    assert not any(p.path in fine for p in problems), [str(p) for p in problems]


FOLDER_CLASHES = ["case/index.html/c.csv", "case/case.pdf/d.csv", "case.html/e.csv", "Case/Index.html/f.csv"]


def test_a_file_whose_path_makes_a_folder_of_an_output_is_refused(tmp_path):
    """Sixteenth attacker: a download `slug/index.html/c.csv` made the page's
    address a folder, and the build stopped with IsADirectoryError after
    validate passed; so did one at the briefing's PDF, at the offline copy's
    `slug.html`, and (one file on Windows) in other letter case. Each is
    refused at its line by validate and by the build, and no site is written."""
    items = "".join(f"\n  - file: {name}\n    label: File {n}" for n, name in enumerate(FOLDER_CLASHES))
    text = GOOD.replace("status: current", "status: current\ndownloads:" + items)
    project = make_project(tmp_path / "p", content={"at-a-glance/case.md": text,
                                                    **{f"at-a-glance/{name}": "a,b\n" for name in FOLDER_CLASHES}})
    lines = text.splitlines()
    for command in (("validate",), ("build", "--site-dir", "site")):
        result = run_cli(project, *command)
        found = [line for line in result.stderr.splitlines() if "[duplicate-output]" in line]
        assert result.returncode == 1 and "Traceback" not in result.stderr, (command, result.stderr[-2000:])
        for name, folder in zip(FOLDER_CLASHES, ["at-a-glance/case/index.html", "at-a-glance/case/case.pdf",
                                                 "at-a-glance/case.html", "at-a-glance/case/index.html"]):
            line = lines.index(f"  - file: {name}") + 1
            assert any(p.startswith(f"at-a-glance/case.md:{line}:") and f"a folder, where" in p and folder in p
                       for p in found), (command, name, found)
        assert not (project / "site").exists()


def test_a_folder_named_like_a_file_the_site_writes_is_refused(tmp_path):
    """Seventeenth attacker: docs/feed.xml/a.csv (or 404.html/, sitemap.xml.gz/,
    finder/lunr.js/) made a folder where the feed, the theme or the finder
    writes a file, and the build stopped with IsADirectoryError."""
    from resource_library.validate import check_project
    project = make_project(tmp_path / "p", content={"deeper-dives/valid.md": GOOD})
    names = ["feed.xml/a.csv", "404.html/b.csv", "sitemap.xml.gz/c.csv", "finder/lunr.js/d.csv"]
    write_files(project, {f"docs/{name}": "a,b\n" for name in names})
    found = sorted(p.path for p in check_project(project)[1] if p.rule == "duplicate-output")
    assert found == sorted(f"docs/{name}" for name in names), found


def test_a_refused_document_is_named_without_quoting_its_bytes(tmp_path):
    """Thirty-first round: the gate named a docx by its first 'line', its zip bytes (seen in `make serve`'s tab)."""
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "a.docx").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00word/document.xml\x00\xff")
    (tmp_path / "page.md").write_text("# Title\n\nA line with the needle in it.\n")
    gate = Gate(tmp_path, claims=None, policies=set())
    assert gate._locate("files/a.docx", "", 1) == (1, 1, "")
    assert gate._locate("page.md", "needle", 1) == (3, 17, "A line with the needle in it.")


def test_an_editors_page_named_like_a_generated_page_in_another_case_is_refused_at_the_page(tmp_path):
    """Thirty-third round: docs/topics/Housing.md passed validate, then the gate refused it (the topic page is
    topics/housing/) and blamed the vocabulary; both now name the editor's page, the newcomer."""
    from resource_library.validate import check_project
    project = make_project(tmp_path / "p", content={"docs/topics/Housing.md": "# Housing\n\nHello.\n",
                                                    "docs/topics/housing-extra.md": "# Housing, more\n\nHello.\n"})
    found = [(p.path, p.line, p.rule, p.message) for p in check_project(project)[1] if p.rule == "duplicate-output"]
    assert len(found) == 1 and found[0][:3] == ("docs/topics/Housing.md", 1, "duplicate-output"), found
    assert "`topics/Housing/index.html` and `topics/housing/index.html` differ only in letter case" in found[0][3]
    claims = Claims()
    claims.add("topics/housing/index.html", Claim("the page of the topic `housing`", "vocabulary/topics.yml", 30))
    claims.add("topics/Housing/index.html", Claim("an editor's page", "docs/topics/Housing.md"))
    assert [p.path for p in claims.problems()] == ["docs/topics/Housing.md"]
