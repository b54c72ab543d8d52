"""Issue 22: every briefing as an accessible PDF, from the same Markdown.

Built for real, then read back with independent tools: page-validation
(PDF/UA-1, in every build as well), pypdf for the structure, pdftoppm
where it is installed. Hostile bodies reach Typst only as strings.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import struct
import time

import pytest
from pypdf import PdfReader

from conftest import REPO, build, make_project, read, real_pdf, real_png, run_cli, write_files
from resource_library import pdf as pdf_module
from resource_library.pdf import check
from test_validate import GOOD

SITE_URL = "https://healthcare-improvement-scotland.github.io/strategic-planning-library/"


BRIEFING = GOOD.replace("A good briefing", "Planning with a chart") + """
## Why it matters

Read [strategic plans explained](alpha-briefing.md) first, then the
[national guidance](https://www.gov.scot/publications/example/).

![Bar chart of referrals by month](files/chart.png)

| Question | Where to look |
| --- | ---: |
| What changed? | Needs assessment |

!!! note "Before you start"
    Check the integration scheme.

1. First
2. Second
"""
HOSTILE = GOOD.replace("title: A good briefing", """title: 'Plans #set text(red) $x^2$ "title" [b]'""") + """
## #import "/etc/passwd": *x* #eval("1+1")

Text with #set page(fill: red), $ math $, `#raw` and \\#hash, ]) } // a comment /* and one */ @label and a `<label>`.

    #let x = read("/etc/passwd")
    #x
"""


@pytest.fixture(scope="module")
def pdf_site(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("pdf"), "basic", content={
        "at-a-glance/chart-briefing.md": BRIEFING, "at-a-glance/hostile.md": HOSTILE})
    write_files(project, {"at-a-glance/files/chart.png": real_png()})
    result = build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    return project


def pdf_of(project, slug, site="site"):
    return (project / site / "at-a-glance" / slug / f"{slug}.pdf").read_bytes()


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_each_briefing_has_its_pdf_offered_with_its_size_and_pages(pdf_site):
    site = pdf_site / "site"
    for slug in ("alpha-briefing", "chart-briefing", "withdrawn-briefing"):
        content = pdf_of(pdf_site, slug)
        pages = len(PdfReader(io.BytesIO(content)).pages)
        html = read(site, f"at-a-glance/{slug}/")
        size = f"{max(1, round(len(content) / 1000))} KB"
        # The size is inside the link, so a screen reader says it with the link.
        assert re.search(rf'<a class="md-button" href="{slug}.pdf" download>Download this briefing '
                         rf'<span class="lib-file-info">\(PDF, {size}, {pages} pages?\)</span></a>', html), html[:3000]
    # The size went in when the page was written, in place of its mark (the
    # PDF is made on its own thread): no mark is left anywhere.
    assert not [p for p in site.rglob("*") if p.is_file() and b"lib-pdf-" in p.read_bytes()]
    # Webinars get none; drafts are never published.
    assert not list((site / "webinars").rglob("*.pdf")) or all("files" in str(p) for p in (site / "webinars").rglob("*.pdf"))
    assert not (site / "at-a-glance" / "draft-briefing").exists()
    assert "withdrawn" in text_of(pdf_of(pdf_site, "withdrawn-briefing")).lower().split("why it matters")[0]
    # Forty-fifth round: and what replaces it, with its address, as the page says.
    withdrawn = " ".join(text_of(pdf_of(pdf_site, "withdrawn-briefing")).split())
    assert "It is replaced by Alpha briefing on carers (https://" in withdrawn
    assert "/at-a-glance/alpha-briefing/)" in withdrawn.replace(" ", "")  # (the address may break at a slash)


def test_the_pdf_is_pdf_ua_and_says_what_the_page_says(pdf_site):
    content = pdf_of(pdf_site, "chart-briefing")
    assert check(content, allowed_links=set(), site_url=SITE_URL + "x") != []  # the site's own links are not allowed here
    import page as page_validation
    path = pdf_site / "chart.pdf"
    path.write_bytes(content)
    report = page_validation.validate_pdf(str(path), profile="ua1")
    assert report.is_compliant, [f.message for f in report.failures]
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB" and root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == "Planning with a chart"
    bookmarks = [item.title for item in _flat(reader.outline)]
    assert bookmarks == ["Planning with a chart", "Method", "Why it matters", "About this PDF",
                         "Links in this briefing"], bookmarks
    text = text_of(content)
    for expected in ("AT A GLANCE", "Published: 10 January 2026", "Topics: Housing", "Before you start",
                     "Page 1 of", "which is the primary version", "his.strategicplanning@nhs.scot",
                     "Links in this briefing", "https://www.gov.scot/publications/example/",
                     SITE_URL + "at-a-glance/alpha-briefing/"):
        assert expected in text.replace("\n", " ") or expected in text, expected
    # The image, with its alt text, and header cells with their scope.
    assert "Bar chart of referrals by month" in structure_values(root["/StructTreeRoot"], "/Alt")
    assert structure_values(root["/StructTreeRoot"], "/S").count("/TH") == 2
    links = [a.get_object()["/A"]["/URI"] for p in reader.pages for a in p.get("/Annots") or []]
    assert "https://www.gov.scot/publications/example/" in links
    assert all(u.startswith((SITE_URL, "https://www.gov.scot/", "mailto:")) for u in links), links


def structure_values(element, key: str, depth: int = 0) -> list:
    """Every value of `key` in the structure tree under `element`."""
    from pypdf.generic import DictionaryObject
    element = element.get_object() if hasattr(element, "get_object") else element
    found = []
    if depth > 100:
        return found
    if isinstance(element, list):
        for child in element:
            found += structure_values(child, key, depth + 1)
    elif isinstance(element, DictionaryObject):
        if key in element:
            found.append(str(element[key]))
        if "/K" in element:
            found += structure_values(element["/K"], key, depth + 1)
    return found


def _flat(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flat(item)
        else:
            yield item


def test_a_hostile_body_reaches_the_pdf_as_text(pdf_site):
    text = text_of(pdf_of(pdf_site, "hostile")).replace("\n", " ")
    assert 'Plans #set text(red) $x^2$ "title" [b]' in text
    assert '#import "/etc/passwd"' in text and '#eval("1+1")' in text
    assert "#set page(fill: red)" in text and "@label" in text and "<label>" in text
    assert 'read("/etc/passwd")' in text
    assert "root:" not in text  # nothing was read


def test_two_builds_make_the_same_bytes_whatever_the_clock(pdf_site, tmp_path):
    first = pdf_of(pdf_site, "chart-briefing")
    shutil.rmtree(pdf_site / ".cache")  # cold: made again
    result = build(pdf_site, site_dir="again", epoch="1790000000")
    assert result.returncode == 0, result.stderr[-2000:]
    assert pdf_of(pdf_site, "chart-briefing", "again") == first


def test_an_unchanged_briefing_is_not_made_again_and_an_edit_remakes_one_and_old_ones_go(pdf_site):
    cache = pdf_site / ".cache" / "pdf"
    assert build(pdf_site, site_dir="warm").returncode == 0
    before = {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pdf")}
    assert build(pdf_site, site_dir="warm").returncode == 0
    assert {p.name: p.stat().st_mtime_ns for p in cache.glob("*.pdf")} == before
    source = pdf_site / "at-a-glance" / "chart-briefing.md"
    source.write_text(source.read_text().replace("1. First", "1. First, edited"))
    # A killed build's workspace (a contributor's images, a briefing's
    # data), found by the next build that makes a PDF once an hour old.
    # The side process's pickles likewise (ninth attacker: left in /tmp).
    work = pdf_site / ".cache" / "work"
    killed = [work / f"{pdf_module.WORKSPACE_PREFIX}killed", work / "library-side-outputs-killed"]
    for folder in killed:
        folder.mkdir(parents=True)
        (folder / "in.pickle").write_text("{}")
        os.utime(folder, (time.time() - 7200,) * 2)
    assert build(pdf_site, site_dir="warm").returncode == 0
    assert not any(folder.exists() for folder in killed) and not list(work.iterdir())
    after = {p.name for p in cache.glob("*.pdf")}
    assert len(after - set(before)) == 1  # one PDF made again
    assert "First, edited" in text_of(pdf_of(pdf_site, "chart-briefing", "warm"))
    # The edit left the old PDF in the cache: once no build has used it for
    # CACHE_KEEP_DAYS it goes, with what a killed build half-wrote; a PDF
    # this build used stays, however old.
    (new_pdf,) = after - set(before)
    long_ago = time.time() - (pdf_module.CACHE_KEEP_DAYS + 1) * 86_400
    for name in after:
        os.utime(cache / name.replace(".pdf", ".pages"), (long_ago, long_ago))
    partial = cache / f".{'0' * 64}.4242.pdf.partial"
    partial.write_bytes(b"%PDF-")
    os.utime(partial, (time.time() - 7200,) * 2)
    assert build(pdf_site, site_dir="warm").returncode == 0
    kept = {p.name for p in cache.iterdir()}
    gone = after - kept
    assert len(gone) == 1 and gone.pop().replace(".pdf", ".pages") not in kept and partial.name not in kept
    assert len(kept) == 2 * (len(after) - 1)
    assert new_pdf in kept and time.time() - (cache / new_pdf.replace(".pdf", ".pages")).stat().st_mtime < 600


def test_an_image_without_alt_text_is_refused_with_its_line(tmp_path):
    project = make_project(tmp_path / "p", content={"at-a-glance/chart.md": GOOD + "\n![](files/chart.png)\n"})
    write_files(project, {"at-a-glance/files/chart.png": real_png()})
    for result in (run_cli(project, "validate"), build(project)):
        assert result.returncode != 0
        assert re.search(r"^at-a-glance/chart\.md:18:1 \[missing-alt\] this image has no alt text", result.stderr,
                         re.M), result.stderr[-2000:]


def test_drafts_get_pdfs_marked_draft_in_the_preview_only(tmp_path):
    project = make_project(tmp_path / "p", "basic")
    result = run_cli(project, "build", "--drafts", "--site-dir", "preview")
    assert result.returncode == 0, result.stderr[-2000:]
    content = (project / "preview" / "at-a-glance" / "draft-briefing" / "draft-briefing.pdf").read_bytes()
    assert "Draft." in text_of(content)


def test_the_offline_copy_holds_every_pdf_linked_from_file(tmp_path):
    from conftest import bundle
    project = make_project(tmp_path / "p", "basic")
    folder = bundle(project, tmp_path / "unzipped")
    page = (folder / "at-a-glance" / "alpha-briefing.html").read_text()
    href = re.search(r'href="([^"]+\.pdf)" download>Download this briefing', page).group(1)
    assert (folder / "at-a-glance" / href).is_file()
    # Its links are the live site's, folders as the hosted site has them: the
    # offline copy's pages are `x.html`, and its PDFs linked to addresses that 404.
    text = text_of((folder / "at-a-glance" / href).read_bytes())
    assert "/at-a-glance/alpha-briefing/" in text and ".html" not in text, text
    # The page itself names its live page the same way (canonical, og:url, the report email).
    assert re.search(r'<link rel="canonical" href="https://[^"]+/at-a-glance/alpha-briefing/">', page), page[:2000]
    assert "alpha-briefing.html" not in re.search(r'<meta property="og:url" content="([^"]+)"', page).group(1)
    assert build(project).returncode == 0  # the hosted site: the same PDF, from the cache
    assert pdf_of(project, "alpha-briefing") == (folder / "at-a-glance" / href).read_bytes()


def test_the_atom_entry_links_the_pdf(pdf_site):
    import feedparser
    feed = feedparser.parse((pdf_site / "site" / "feed.xml").read_bytes())
    entry = next(e for e in feed.entries if e.title == "Planning with a chart")
    enclosures = [link for link in entry.links if link.get("type") == "application/pdf"]
    assert enclosures and enclosures[0].href == SITE_URL + "at-a-glance/chart-briefing/chart-briefing.pdf"


def test_a_character_no_font_has_is_named_in_the_pdf_not_a_failed_build(tmp_path):
    """PDF/UA-1 refuses a glyph the fonts lack (Typst stops); the web page
    shows the character and the PDF names it."""
    # Thirty different emoji, one a paragraph (tenth attacker: past 20 the
    # build failed, one compile a character), and one built with a joiner.
    many = "".join(f"Item {chr(0x1F600 + n)} done.\n\n" for n in range(30)) + "Team \U0001F469\u200D\U0001F4BB here.\n"
    # Twenty-five CJK ideographs, one a paragraph: one compile for them all.
    many += "".join(f"Word {chr(0x4E00 + 37 * n)}.\n\n" for n in range(25))
    # Twenty-fourth round: Bengali and Gurmukhi, whose vowel signs Typst names as escapes (`\u{9be}`), and an
    # invisible format character.
    many += "Available in \u09ac\u09be\u0982\u09b2\u09be and \u0a2a\u0a70\u0a1c\u0a3e\u0a2c\u0a40\U00013430 too.\n"
    project = make_project(tmp_path / "p", content={
        "at-a-glance/emoji.md": GOOD + "\nWell done 😀 to the team in 東京.\n\n" + many})
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    text = text_of(pdf_of(project, "emoji")).replace("\n", " ")
    assert "Well done [grinning face] to the team in" in text
    assert "Team [woman][personal computer] here" in text
    assert text.count("done.") == 30 and text.count("[cjk unified ideograph-") >= 25
    assert "Available in [Bengali text] and [Gurmukhi text] too." in text
    assert "😀" in read(project / "site", "at-a-glance/emoji/")


def test_what_a_fresh_clone_attacker_found_is_refused_or_held(tmp_path):
    """Found by the fresh-clone attacker: 1,000 nested <div> lines stopped the
    build with a RecursionError in the PDF converter; a 1.2 MB PNG declaring
    100,000 x 100,000 pixels made Typst abort for want of 10 GB; a PDF with an
    /OpenAction script, listed as a download, was published and ran."""
    import io as io_module
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    scripted = io_module.BytesIO()
    writer.write(scripted)
    bomb = bytearray(real_png())
    bomb[16:24] = struct.pack(">II", 100_000, 100_000)
    nested = GOOD.replace("A good briefing", "Nested") + "\n" + "<div>\n" * 1000 + "x\n" + "</div>\n" * 1000
    cases = {
        "nested": ({"at-a-glance/nested.md": nested}, "at-a-glance/nested.md:", "[too-complex-for-pdf]"),  # validate says so now
        "bomb": ({"at-a-glance/bomb.md": GOOD + "\n![A blank chart](files/bomb.png)\n",
                  "at-a-glance/files/bomb.png": bytes(bomb)}, "at-a-glance/bomb.md:18:", "[unsafe-file]"),
        "scripted pdf": ({"at-a-glance/scripted.md": GOOD.replace("status: current", "status: current\ndownloads:\n"
                                                                   "  - file: files/s.pdf\n    label: Slides"),
                          "at-a-glance/files/s.pdf": scripted.getvalue()}, "at-a-glance/scripted.md:13:", "[unsafe-file]"),
        # Refused by validate now, as resources' files are (the gate refuses it too: tests/test_files.py).
        "editor's scripted pdf": ({"docs/about/s.pdf": scripted.getvalue()}, "docs/about/s.pdf:1:1", "[unsafe-file]"),
        # The second attacker: a download whose link opens a Windows share.
        "pdf linking to a share": ({"at-a-glance/share.md": GOOD.replace("status: current", "status: current\ndownloads:\n"
                                                                         "  - file: files/p.pdf\n    label: Slides"),
                                    "at-a-glance/files/p.pdf": _pdf_linking_to("\\\\evil.example\\share\\x.pdf")},
                                   "at-a-glance/share.md:13:", "[unsafe-file]"),
    }
    for case, (files, where, rule) in cases.items():
        project = make_project(tmp_path / case.replace(" ", "-").replace("'", ""), content={"deeper-dives/valid.md": GOOD})
        write_files(project, files)
        result = build(project)
        assert result.returncode != 0, case
        assert "Traceback" not in result.stderr and "memory allocation" not in result.stderr, (case, result.stderr[-2000:])
        assert any(line.startswith(where) and rule in line for line in result.stderr.splitlines()), (case, result.stderr[-2500:])
        assert not (project / "site").exists()


def test_our_own_reading_finds_header_cells_that_lost_their_scope(pdf_site):
    """page-validation passes a PDF whose table header cells have no /Scope
    (tried); our reading must not, wherever in the structure the table is."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject
    content = pdf_of(pdf_site, "chart-briefing")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    stripped = []

    def strip(element, depth=0):
        element = element.get_object() if hasattr(element, "get_object") else element
        if isinstance(element, list):
            for child in element:
                strip(child, depth + 1)
        elif isinstance(element, DictionaryObject) and depth < 100:
            if element.get("/S") == "/TH" and "/A" in element:
                del element[NameObject("/A")]
                stripped.append(element)
            if "/K" in element:
                strip(element["/K"], depth + 1)

    strip(writer._root_object["/StructTreeRoot"]["/K"])
    out = io.BytesIO()
    writer.write(out)
    assert len(stripped) == 2
    assert "a table header cell has no scope" not in check(content, allowed_links=set(), site_url=SITE_URL)
    assert check(out.getvalue(), allowed_links=set(), site_url=SITE_URL).count("a table header cell has no scope") == 2


def _pdf_linking_to(uri: str) -> bytes:
    import io as io_module
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject
    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    action = DictionaryObject({NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject(uri)})
    page[NameObject("/Annots")] = ArrayObject([DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4), NameObject("/A"): action})])
    out = io_module.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("uri", ["javascript:app.alert(1)", "java\tscript:app.alert(1)",
                                 "file:///C:/Windows/System32/calc.exe", "\\\\evil.example\\share\\x.pdf",
                                 "data:text/html,<script>alert(1)</script>", "smb://evil.example/share"])
def test_a_download_pdf_linking_anywhere_but_the_web_email_or_phone_is_refused(uri, capfd):
    """Found by the second fresh-clone attacker: a PDF's link addresses were
    not read, so one linking to javascript:, a local program or a Windows
    share (which leaks the reader's credential hash) was published."""
    from resource_library.files import pdf_problem
    problem = pdf_problem(_pdf_linking_to(uri))
    assert problem is not None and "may link only to web (https), email (mailto) and phone (tel)" in problem
    for fine in ("https://www.gov.scot/", "mailto:his.strategicplanning@nhs.scot", "tel:+441312345678"):
        assert pdf_problem(_pdf_linking_to(fine)) is None, fine


def test_a_pdf_must_start_as_one_and_its_repairs_are_not_printed(capfd):
    """An HTML page with a script before a valid PDF (readers allow 1 KB of
    anything before `%PDF-`) is refused; pypdf's own repair messages, which
    are not in path:line:col form, do not reach the terminal."""
    from resource_library.files import pdf_problem
    assert pdf_problem(b"<html><script>alert(1)</script><!--\n" + real_pdf()) == "is not a PDF: it does not start as one"
    broken = re.sub(rb"startxref\s+\d+", b"startxref\n3", real_pdf())  # pypdf repairs it, and says so
    # In a process of its own: pytest would catch pypdf's log lines itself.
    import subprocess
    import sys
    code = ("import sys; from resource_library.files import pdf_problem; "
            "print(pdf_problem(sys.stdin.buffer.read()))")
    result = subprocess.run([sys.executable, "-c", code], input=broken, capture_output=True,
                            env={"PYTHONPATH": str(REPO / "hooks")})
    assert result.stdout.decode().strip() == "None" and result.stderr == b"", result


def test_every_element_the_allow_list_keeps_reaches_the_pdf_inside_a_table_cell(tmp_path):
    """Found by the third fresh-clone attacker: validate passed a table in a
    table's cell and a <figcaption> in a cell, and the build then failed
    with `[pdf] ... does not know`. Inside a cell, where only text fits,
    their text is kept."""
    body = ("\n<table><tr><td><table><tr><td>inner cell</td><td>second</td></tr></table></td></tr></table>\n\n"
            "| a | b |\n|---|---|\n| <figcaption>a caption</figcaption> | y |\n")
    project = make_project(tmp_path / "p", content={"at-a-glance/cells.md": GOOD.replace("A good briefing", "Cells") + body})
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    text = text_of(pdf_of(project, "cells")).replace("\n", " ")
    assert "inner cell" in text and "second" in text and "a caption" in text, text


def test_a_pdf_made_on_its_own_thread_reports_its_failure_and_the_next_is_made(tmp_path, monkeypatch):
    """PDFs are compiled and checked on a thread while pages render; a failure
    there reaches whoever asks for the PDF, named, and the thread goes on
    to the next; a sound one comes back made and checked."""
    from resource_library import pdf as pdf_module
    from resource_library.validate import check_project

    project = make_project(tmp_path / "p", "basic")
    library, problems = check_project(project, project / "docs")
    assert not [p for p in problems if p.is_error]
    broken = tmp_path / "broken.typ"
    broken.write_text('#panic("the template is broken")\n', encoding="utf-8")
    briefings = pdf_module.Briefings(project, SITE_URL, True, cache_dir=None)
    briefings.template = broken.read_bytes()
    first, second = [r for r in library.listed if r.type in pdf_module.TYPES and r.status == "current"][:2]
    try:
        path = briefings.start(first, "<p>Hello</p>", library, lambda src: None)
        assert briefings.finished() and path not in briefings.made  # the failure, named
        with pytest.raises(pdf_module.PdfError, match="Typst could not make its PDF"):
            briefings.make(first, "<p>Hello again</p>", library, lambda src: None)
    finally:
        briefings.stop()
    briefings = pdf_module.Briefings(project, SITE_URL, True, cache_dir=None)
    try:
        made = briefings.make(second, "<p>Hello</p>", library, lambda src: None)
        assert made.pages == 1 and made.content.startswith(b"%PDF-") and check(made.content, set(), SITE_URL) == []
    finally:
        briefings.close()


def test_characters_no_font_has_are_named_a_run_at_a_time_within_a_bound():
    """Twelfth attacker: 255,000 Arabic letters, each named ("[arabic letter
    beh with three dots pointing upwards below and two dots above]"), gave
    Typst 20 MB of text (47 s, 8.4 GB). A run is named once, and past
    MAX_NAMED_RUNS runs a run is "[?]": the text grows by a few bytes at most."""
    from resource_library.pdf import MAX_NAMED_RUNS, name_missing
    arabic = "\u0753"
    assert name_missing("in 東京 now", {"東", "京"}) == "in [CJK text] now"
    assert name_missing(arabic * 255_000, {arabic}) == "[Arabic text]"
    assert name_missing("Team \U0001F469\u200D\U0001F4BB here", set()) == "Team [woman][personal computer] here"
    # Thirty-eighth round: a keycap stopped the build, Typst naming its digit as missing.
    assert name_missing("1\ufe0f\u20e3 First step, 2\u20e3 then #\ufe0f\u20e3", set()) == "1 First step, 2 then #"
    alternating = ("a" + arabic) * 100_000
    named = name_missing(alternating, {arabic})
    assert named.count("[arabic letter beh") == MAX_NAMED_RUNS and named.count("[?]") == 100_000 - MAX_NAMED_RUNS
    assert len(named.encode("utf-8")) < len(alternating.encode("utf-8")) * 1.4 + 100 * MAX_NAMED_RUNS


def test_a_table_longer_than_a_page_goes_on_over_the_next_pages(tmp_path):
    """A table sat in a figure that never breaks: its rows past the page's
    foot were drawn over the footer and lost (found while checking the
    twelfth attacker's table). Every row is on some page, with the header
    repeated, and no page holds more rows than fit."""
    rows = "".join(f"| r{n:03d} | {n} |\n" for n in range(200))
    project = make_project(tmp_path / "p", content={
        "at-a-glance/long-table.md": GOOD + "\n| Row | Number |\n|---|---|\n" + rows})
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf_of(project, "long-table"))).pages]
    holding = [text for text in pages if re.search(r"\br\d{3}\b", text)]
    assert len(holding) >= 3, [len(text) for text in pages]
    assert all(text.count("Row") == 1 for text in holding)  # the header, on each page of the table
    found = sorted(int(n) for text in holding for n in re.findall(r"\br(\d{3})\b", text))
    assert found == list(range(200))
    assert max(len(re.findall(r"\br\d{3}\b", text)) for text in holding) < 80  # a page holds some 50 rows


def test_a_link_to_an_address_in_another_script_is_an_ascii_uri_in_the_pdf(tmp_path):
    """Thirteenth attacker: [Bücher](https://www.bücher.de/) passed validate
    and stopped the build, Typst having written the URI as raw UTF-8 that
    the check then read as Latin-1. A PDF's URI is ASCII: IDNA for the host
    (a look-alike host shows as what it is in the notes), the rest percent-encoded."""
    project = make_project(tmp_path / "p", content={"at-a-glance/idn.md": GOOD + (
        "\nSee [Bücher](https://www.bücher.de/bücher?q=é), [例え](https://例え.jp/) and"
        " [soft](https://example.org/a\u00adb).\n")})
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    reader = PdfReader(io.BytesIO(pdf_of(project, "idn")))
    uris = {str(annotation.get_object()["/A"]["/URI"]) for page in reader.pages
            for annotation in page.get("/Annots", []) if "/URI" in annotation.get_object().get("/A", {})}
    assert {"https://www.xn--bcher-kva.de/b%C3%BCcher?q=%C3%A9", "https://xn--r8jz45g.jp/",
            "https://example.org/a%C2%ADb"} <= uris, uris
    assert all(uri.isascii() for uri in uris)
    assert 'href="https://www.bücher.de/bücher?q=é"' in read(project / "site", "at-a-glance/idn/")


def test_a_panic_in_typst_is_a_problem_not_a_traceback(tmp_path):
    """Fourteenth attacker: 65,534 accents on a topic's name made Typst's
    Rust panic, which reaches Python as pyo3's PanicException, no Exception:
    the build stopped with a traceback. Validate refuses that name now; a
    panic from anything else is the briefing's problem all the same."""
    from resource_library import pdf

    class PanicException(BaseException):  # what pyo3 raises, by its place in the hierarchy
        pass

    class Panicking:
        def compile(self, **options):
            raise PanicException("assertion failed: j < i")

    briefings = pdf.Briefings(tmp_path, "https://example.org/", True, cache_dir=None)
    briefings._root()
    briefings._compiler = Panicking()
    with pytest.raises(pdf.PdfError, match="assertion failed: j < i"):
        briefings._compile(b'{"meta": {}}', [], 0)
    with pytest.raises(KeyboardInterrupt):
        briefings._compiler = type("Stopped", (), {"compile": lambda self, **o: (_ for _ in ()).throw(KeyboardInterrupt())})()
        briefings._compile(b'{"meta": {}}', [], 0)


def test_a_table_in_a_cell_is_that_cells_text_once(tmp_path):
    """Fifteenth attacker: the outermost table took every row of the tables
    inside it, and each cell its nested tables' text, so 14 tables deep one
    text came out 14 times (32 s, 3.5 GB, 1,413 pages). Now each table has
    its own rows; and a 100 x 100 table in a 1 x 1 one, which validate
    passes, builds (the outer table no longer counted its rows)."""
    inner = "<table><tr><td>Deepest words here</td></tr></table>"
    for _ in range(13):
        inner = f"<table><tr><td>{inner}</td></tr></table>"
    grid = "<table>\n" + "".join("<tr>" + "<td>x</td>" * 100 + "</tr>\n" for _ in range(100)) + "</table>"
    project = make_project(tmp_path / "p", content={
        "at-a-glance/nested.md": GOOD + "\n" + inner + "\n\n<table><tr><td>" + grid + "</td></tr></table>\n"})
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    assert text_of(pdf_of(project, "nested")).count("Deepest words here") == 1


def test_emphasis_nested_past_its_meaning_is_its_text_in_the_pdf(tmp_path):
    """Eighteenth attacker: `*a _a *a ... x ... b* b_ b*`, 70 deep, is
    Markdown's own nesting, which validate does not count; the PDF refused
    it and the build failed. Styles past MAX_INLINE_NESTING are their text."""
    line = "".join("*_"[i % 2] + "a " for i in range(70)) + "deepest" + "".join(" b" + "*_"[i % 2] for i in reversed(range(70)))
    project = make_project(tmp_path / "p", content={"at-a-glance/em.md": GOOD + "\n" + line + "\n"})
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "deepest" in text_of(pdf_of(project, "em"))


def test_a_pdf_problem_is_said_at_the_line_that_holds_its_image():
    """Twentieth round: a picture the PDF could not hold was said at the
    body's first line, not at the picture's."""
    from types import SimpleNamespace

    from resource_library.build import pdf_problem
    from resource_library.pdf import PdfError
    resource = SimpleNamespace(src_uri="at-a-glance/a.md", body_line=12,
                               body="Intro.\n\n![big](files/data.csv)\n")
    said = pdf_problem(resource, PdfError("the image `../files/data.csv` is not ...", "data.csv"))
    assert (said.line, said.source_line) == (14, "![big](files/data.csv)")
    assert pdf_problem(resource, PdfError("Typst could not make its PDF")).line == 12


def test_what_the_forty_fifth_rounds_briefing_showed_is_in_its_pdf_as_on_its_page(tmp_path):
    """Forty-fifth round: a heading that skips a level (honest, and common)
    stopped the build, since a tagged PDF may not skip one; the text round a
    link in a `<details>` was left out of the PDF; and a note's number drawn
    against a link's text made PDF viewers read another address
    (`https://192.168.1.1` and note 1, `https://192.168.1.11`)."""
    body = ("\nIntro.\n\n#### Carers and families\n\nWords.\n\n## Who to involve\n\n##### Deeper\n\n"
            "<details><summary>Who is eligible</summary>\nUnpaid carers are eligible. Read the "
            '<a href="https://www.gov.scot/">Scottish Government guidance</a> before you apply.\n</details>\n\n'
            "Router: [https://192.168.1.1](https://192.168.1.1/) here, and [www.gov.scot](https://www.gov.scot/).\n")
    project = make_project(tmp_path / "p", content={"at-a-glance/levels.md": GOOD + body})
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    content = pdf_of(project, "levels")
    text = " ".join(text_of(content).split())
    assert "Unpaid carers are eligible. Read the Scottish Government guidance" in text
    assert "before you apply" in text
    found = _web_links(content)
    assert not any("192.168.1.11" in url or "scot1" in url for url in found), found
    # The outline keeps every heading, each at most a level below the one before.
    def titles(outline, depth=0):
        for item in outline:
            yield from titles(item, depth + 1) if isinstance(item, list) else [(depth, item.title)]

    assert list(titles(PdfReader(io.BytesIO(content)).outline))[:6] == [
        (0, "A good briefing"), (1, "Method"), (2, "Carers and families"), (1, "Who to involve"), (2, "Deeper"),
        (1, "About this PDF")]


def _web_links(content: bytes) -> set[str]:
    """The links Chrome's PDF viewer (PDFium) makes of a PDF's text."""
    import pypdfium2 as pdfium
    found = set()
    for page in pdfium.PdfDocument(content):
        text = page.get_textpage()  # kept: PDFium reads it while the links are
        web = pdfium.raw.FPDFLink_LoadWebLinks(text.raw)
        for index in range(pdfium.raw.FPDFLink_CountWebLinks(web)):
            size = pdfium.raw.FPDFLink_GetURL(web, index, None, 0)
            buffer = (pdfium.raw.c_ushort * size)()
            pdfium.raw.FPDFLink_GetURL(web, index, buffer, size)
            found.add(bytes(buffer).decode("utf-16-le").rstrip("\x00"))
        pdfium.raw.FPDFLink_CloseWebLinks(web)
    return found


def test_an_address_in_a_briefings_text_is_never_broken_inside_its_host(tmp_path):
    """Forty-sixth round: Typst broke `https://www.evil.com.gov.scot/...` after
    `www.evil.com.` at a line's end, and PDFium made a link to
    https://www.evil.com; an honest www.nrscotland.gov.uk address became a
    link to https://www.nrscotland.gov. Each line length is tried."""
    from urllib.parse import urlsplit
    addresses = ["https://www.evil.com.gov.scot/grants/apply-now-for-funding",
                 "https://www.nrscotland.gov.uk/statistics-and-data/statistics/scotlands-facts"]
    body = "".join(f"\n{'word ' * pad}see {address} today, or write to planning.team@nhs-board.scot.nhs.uk.\n"
                   for pad in range(0, 18) for address in addresses)
    project = make_project(tmp_path / "p", content={"at-a-glance/hosts.md": GOOD + body})
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    links = _web_links(pdf_of(project, "hosts"))
    hosts = {urlsplit(link if "://" in link or link.startswith("mailto:") else "http://" + link).hostname
             or link.split("@")[-1] for link in links}
    assert {"www.evil.com.gov.scot", "www.nrscotland.gov.uk"} <= hosts, hosts
    assert not hosts & {"www.evil.com", "www.evil", "www", "www.evil.com.gov", "www.nrscotland.gov",
                        "www.nrscotland"}, hosts
    assert {link for link in links if link.startswith("mailto:")} == {
        "mailto:planning.team@nhs-board.scot.nhs.uk", "mailto:his.strategicplanning@nhs.scot"}, links
