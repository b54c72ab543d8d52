"""Issue 20: string values are checked after YAML decodes them.

A double-quoted YAML value decodes escapes, so `"Control\\x01char"` is plain
ASCII in the file and a control character in the value: `make validate`
said "no problems" and `make site` then stopped with lxml's traceback in
the feed writer. Each case here is refused by validate and by the build
alike, at the escape's own line and column, with the value shown escaped.
"""
from __future__ import annotations

import pytest

from conftest import build, make_project, read, run_cli
from test_validate import WEBINAR, good

A = "at-a-glance/case.md"
W = "webinars/case.md"
W2 = "webinars/talk.md"  # beside A: slugs are unique across types
TOPICS = "vocabulary/topics.yml"
SYNONYMS = "vocabulary/synonyms.yml"
WEB = WEBINAR.format(url="https://e.example/r")
NEW_TOPIC = "zzz-topic:\n  name: {name}\n  description: {description}\n"


def vocabulary_entry(project, name='"A topic"', description="A plain description."):
    path = project / TOPICS
    path.write_text(path.read_text(encoding="utf-8") + NEW_TOPIC.format(name=name, description=description),
                    encoding="utf-8")
    return path.read_text(encoding="utf-8").count("\n") - 1  # the name's line


# (case, file, its text, line, column, what the message says the character is, as written)
CASES = [
    ("C0 control in a title", A, good(title='title: "Control\\x01char title"'), 2, 16, "`\\x01`"),
    ("escape sequence in a title", A, good(title='title: "Clear \\e[2J title"'), 2, 15, "`\\x1b`"),
    ("noncharacter in a title", A, good(title='title: "Nonchar\\uFFFE title"'), 2, 16, "`\\ufffe`"),
    ("noncharacter of another plane", A, good(title='title: "Plane \\U0001FFFF two"'), 2, 15, "`\\U0001ffff`"),
    # With a `!` in the text, the careful (pure Python) YAML reader is used, which
    # decodes a lone surrogate where libyaml refuses it.
    ("lone surrogate in a title", A, good(title='title: "Half \\uD83D a smile!"'), 2, 14, "`\\ud83d`"),
    ("carriage return in a title", A, good(title='title: "One\\rTwo"'), 2, 12, "`\\r`"),
    ("right-to-left override in a title", A, good(title='title: "Planning \\u202Etxt.exe guide"'), 2, 18,
     "`\\u202e`"),
    ("isolate in an owner", A, good(owner='owner: "Test \\u2067team"'), 10, 14, "`\\u2067`"),
    ("C1 control in a summary", A, good(summary='summary: "A summary with \\x85 a next-line control in it."'),
     3, 26, "`\\x85`"),
    ("bell in a summary", A, good(summary='summary: "A summary that rings a bell\\a for its readers."'), 3, 38,
     "`\\x07`"),
    ("tab in a title", A, good(title='title: "A\\ttabbed title"'), 2, 10, "`\\t`"),
    ("DEL in a change note", A, good(status="status: current\nupdated: 2026-02-01\nchanges:\n"
                                     '  - date: 2026-02-01\n    note: "Fixed \\x7f the figures."'), 15, 18, "`\\x7f`"),
    ("NUL then a formula in an owner", A, good(owner='owner: "\\0+SUM(1)"'), 10, 9, "`\\x00`"),
    ("right-to-left override in a speaker's name", W, WEB.replace("- name: A Speaker", '- name: "Bob \\u202EJones"'),
     12, 16, "`\\u202e`"),
    ("escape in a speaker's role", W, WEB.replace("- name: A Speaker", "- name: A Speaker\n    role: \"Chief\\x1b]0;x\""),
     13, 17, "`\\x1b`"),
    ("carriage return in a download label", A,
     good(status="status: current\ndownloads:\n  - file: files/a.pdf\n    label: \"Part\\rtwo\""), 14, 17, "`\\r`"),
]


@pytest.mark.parametrize("case, path, text, line, col, written", CASES, ids=[c[0] for c in CASES])
def test_a_decoded_control_character_is_refused_by_validate_and_build_alike(tmp_path, case, path, text, line,
                                                                           col, written):
    project = make_project(tmp_path / "p", content={path: text})
    (project / "at-a-glance" / "files").mkdir(exist_ok=True)
    (project / "at-a-glance" / "files" / "a.pdf").write_bytes(b"%PDF-1.4\n")
    validated = run_cli(project, "validate")
    built = build(project)
    for result in (validated, built):
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        assert "Traceback" not in output
        where = f"{path}:{line}:{col} [control-character] "
        reported = [l for l in result.stderr.splitlines() if l.startswith(where)]
        assert reported and written in reported[0], f"expected {where}...{written} in:\n{result.stderr}"
        hint = result.stderr.split(reported[0], 1)[1].split("  hint: ", 1)[1].splitlines()[0]
        assert hint.startswith(("Delete it", "Replace it with a space")) and written.strip("`") in hint
        # Shown escaped, never raw: the terminal is not driven by the file.
        assert not any(c in output for c in "\x00\x01\x07\x1b\x7f\x85\u202e\u2067\ufffe\r")
    assert not (project / "site").exists()


def test_the_hint_gives_the_line_to_paste(tmp_path):
    project = make_project(tmp_path / "p", content={W: WEB.replace("- name: A Speaker", '- name: "Bob \\u202EJones"')})
    result = run_cli(project, "validate")
    assert '  hint: Delete it; the value reads "Bob \\u202eJones". Write - name: "Bob Jones"' in result.stderr


@pytest.mark.parametrize("name, description, line, col, written", [
    ('"Bad\\x01 name"', "A plain description.", 0, 13, "`\\x01`"),
    ('"Backwards \\u202E name"', "A plain description.", 0, 20, "`\\u202e`"),
    ('"A topic"', '"A description with \\uFFFF in it."', 1, 36, "`\\uffff`"),
    ('"A topic"', '"A description\\e[2J that clears the screen."', 1, 30, "`\\x1b`"),
    ('"Tab\\tbed"', "A plain description.", 0, 13, "`\\t`"),
], ids=["control in a name", "override in a name", "noncharacter in a description", "escape in a description",
        "tab in a name"])
def test_vocabulary_values_are_checked_after_decoding_too(tmp_path, name, description, line, col, written):
    project = make_project(tmp_path / "p", content={A: good()})
    name_line = vocabulary_entry(project, name, description)
    for result in (run_cli(project, "validate"), build(project)):
        assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
        where = f"{TOPICS}:{name_line + line}:{col} [control-character] "
        assert any(l.startswith(where) and written in l for l in result.stderr.splitlines()), result.stderr


def test_a_synonym_is_checked_after_decoding(tmp_path):
    project = make_project(tmp_path / "p", content={A: good()})
    path = project / SYNONYMS
    text = path.read_text(encoding="utf-8") + 'zzz-group:\n  - plain words\n  - "hidden\\x1b[2J words"\n'
    path.write_text(text, encoding="utf-8")
    line = text.count("\n")
    result = run_cli(project, "validate")
    assert result.returncode == 1
    assert f"{SYNONYMS}:{line}:12 [control-character] `zzz-group`, item 2 holds" in result.stderr, result.stderr


def test_a_raw_c1_control_or_noncharacter_in_the_file_is_refused_where_it_is(tmp_path):
    body = good() + "\nA next-line control \x85 here.\n"
    project = make_project(tmp_path / "p", content={A: body, "deeper-dives/other.md": good(owner="owner: Test\ufdd0 team")})
    result = run_cli(project, "validate")
    assert f"{A}:18:21 [control-character] the file holds an invisible control character (U+0085, written `\\x85`)" \
        in result.stderr, result.stderr
    assert "deeper-dives/other.md:10:12 [control-character] the file holds a noncharacter" \
        in result.stderr


def test_what_is_allowed_still_builds_and_shows(tmp_path):
    """Direction marks (they settle brackets in mixed-direction text; they
    cannot turn text round), tabs between the sentences of a summary, other
    scripts and emoji written as escapes: all text, all shown."""
    project = make_project(tmp_path / "p", content={
        A: good(title='title: "Hebrew \\u05e9\\u05dc\\u05d5\\u05dd (\\u200Fnote\\u200E) and \\U0001F600"',
                summary='summary: "A summary.\\tA second sentence after a tab, and the next line:\\nhere."'),
        W2: WEB.replace("- name: A Speaker", '- name: "Ren\\u00e9e \\u0627\\u0644\\u0639\\u0631\\u0628\\u064a\\u0629"'),
    })
    vocabulary_entry(project, '"Caf\\u00e9 culture"', '"Two lines\\nof description,\\twith a tab."')
    result = build(project)
    assert result.returncode == 0, result.stderr
    page = read(project / "site", "at-a-glance/case/")
    assert "Hebrew שלום (\u200fnote\u200e) and \U0001F600" in page
    assert "Renée العربية" in read(project / "site", "webinars/talk/")


def test_a_title_starting_or_ending_with_a_line_break_is_refused(tmp_path):
    """Found by the property test: the rule read the title stripped, so
    `"\\nA webinar"` passed, and the build then stopped in icalendar (an
    upcoming webinar's title names its calendar, one line unstripped)."""
    for n, title in enumerate(['title: "\\nA webinar"', "title: >\n  A webinar"]):
        project = make_project(tmp_path / f"p{n}", content={W: WEB.replace("title: A webinar", title)})
        for result in (run_cli(project, "validate"), build(project)):
            assert result.returncode != 0 and "Traceback" not in result.stdout + result.stderr
            assert f"{W}:2:8 [bad-value] `title` runs over more than one line" in result.stderr, result.stderr


# At the output: each writer's own guard, for whatever got past the checks
# (the checks refuse all of these first; these tests go round them).
HOSTILE_TITLES = ["A webinar\rBEGIN:VEVENT\rSUMMARY:Injected\rEND:VEVENT", "Two\nlines", "Both\r\nends\r",
                  "Bell\x07 and \x1b[2J escape", "Next\x85line and \u2028separator", "Non\ufffecharacter"]


def _library(titles, registration="https://e.example/r\rX-INJECTED:1"):
    from datetime import datetime, timezone
    from pathlib import Path
    from resource_library.load import Library, Resource
    from resource_library.vocabulary import load_vocabulary
    from conftest import REPO
    resources = [Resource("webinars", f"w{n}", {
        "title": title, "summary": f"Summary\rDTSTART:19700101T000000Z\r{title}", "functions": ["spread"],
        "topics": ["housing"], "published": "2026-01-10", "owner": "Team\x1b]0;x\x07", "status": "current",
        "starts": "2026-09-01T13:00", "duration_minutes": 60, "speakers": [{"name": "A Speaker"}],
        "registration_url": registration, "changes": None}, "Body.", 14, Path(f"/nowhere/w{n}.md"))
        for n, title in enumerate(titles)]
    for resource in resources:
        del resource.meta["changes"]
    return Library(resources, load_vocabulary(REPO / "vocabulary"), datetime(2026, 6, 1, 12, tzinfo=timezone.utc))


def test_no_line_break_reaches_a_calendar_property_whatever_the_value():
    """A bare CR in a title reached X-WR-CALNAME as it was, and vobject then
    read an injected event. Each calendar has one event per webinar, every
    line ends in CRLF, and the values read back on one line."""
    import vobject
    from resource_library.feeds import CALENDAR_PATH, calendar, ics_path
    library = _library(HOSTILE_TITLES)
    # As build_feeds makes them: one calendar of all webinars, one for each upcoming one.
    stamp, site = library.now, "https://example.org/library/"
    calendars = {CALENDAR_PATH: calendar(library.resources, site, stamp, "Library: webinars")}
    calendars.update({ics_path(r): calendar([r], site, stamp, r.title) for r in library.upcoming()})
    outputs = calendars
    assert len(calendars) == 1 + len(HOSTILE_TITLES)
    for path, content in calendars.items():
        bare = content.replace(b"\r\n", b"")
        assert b"\r" not in bare and b"\n" not in bare, path
        assert not any(c in content.decode() for c in "\x07\x1b\x85\u2028\ufffe"), path
        (calendar,) = vobject.readComponents(content.decode())
        events = calendar.contents["vevent"]
        assert len(events) == (len(HOSTILE_TITLES) if path == CALENDAR_PATH else 1), path
        assert "x-injected" not in calendar.contents and all("x-injected" not in e.contents for e in events)
        name = calendar.contents["x-wr-calname"][0].value
        assert "BEGIN:VEVENT" not in name or name.startswith("A webinar BEGIN:VEVENT")
        for event in events:
            assert "\n" not in event.summary.value and "\r" not in event.summary.value
            assert event.dtstart.value.isoformat() == "2026-09-01T13:00:00+01:00"  # not the injected 1970
    one = vobject.readOne(outputs["webinars/w0.ics"].decode())
    assert one.vevent.summary.value == "A webinar BEGIN:VEVENT SUMMARY:Injected END:VEVENT"


def test_atom_feeds_are_written_whatever_the_value():
    """lxml refuses control characters with a traceback: the feed writer
    leaves them out rather than stop the build."""
    from lxml import etree
    from resource_library.feeds import build_feeds
    outputs = build_feeds(_library(HOSTILE_TITLES), "https://example.org/library/", "Library")
    feed = etree.fromstring(outputs["feed.xml"])
    titles = sorted(t.text for t in feed.iter("{http://www.w3.org/2005/Atom}title"))[1:]
    assert "Bell and [2J escape" in titles and "Noncharacter" in titles


def test_terminal_messages_show_control_characters_and_line_breaks_as_escapes(tmp_path):
    """A value quoted in a message (here an unknown topic) is shown with its
    escapes: `\\x1b` as text, and no line of its own that could pass for
    another problem or a GitHub workflow command."""
    topics = 'topics: ["housing", "x\\e[31m\\n::error file=a::forged\\rat-a-glance/case.md:1:1 [fake] y"]'
    project = make_project(tmp_path / "p", content={A: good(topics=topics)})
    result = run_cli(project, "validate")
    assert result.returncode == 1
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    lines = result.stderr.splitlines()
    assert not any(line.startswith(("::", "at-a-glance/case.md:1:1 [fake]")) for line in lines), result.stderr
    assert "`x\\x1b[31m\\n::error file=a::forged\\rat-a-glance/case.md:1:1 [fake] y` is not one of the topics" \
        in result.stderr


def test_the_report_escapes_control_characters_and_guards_formulas_behind_them():
    """A cell starting with NUL then `+SUM(1)` is a formula to a spreadsheet
    that skips the NUL: it gets the `'` prefix, and the NUL is written as
    `\\x00`, in the CSV and on the terminal."""
    import csv
    import io
    from resource_library import editorial
    table = editorial.rows(_library(["A webinar"]))
    table += [("review overdue", "at-a-glance/x.md", "2026-01-01", "\x00+SUM(1)"),
              ("topic", "x", "1", " \t=HYPERLINK(\"https://evil.example\")"),
              ("topic", "y", "1", "\x1b]0;retitled\x07Name"), ("topic", "z", "1", "Plain - name")]
    handle = io.StringIO()
    editorial.write_csv(table, handle)
    cells = [row[3] for row in csv.reader(io.StringIO(handle.getvalue()))]
    assert "'\\x00+SUM(1)" in cells and "' \\t=HYPERLINK(\"https://evil.example\")" in cells
    assert "\\x1b]0;retitled\\x07Name" in cells and "Plain - name" in cells
    assert "Team\\x1b]0;x\\x07" in cells  # the owner of a resource with no review date
    printed = editorial.as_text(table)
    assert "\\x00+SUM(1)" in printed and "\\x1b]0;retitled\\x07Name" in printed
    assert not any(c in handle.getvalue() + printed for c in "\x00\x07\x1b")


def test_an_editors_page_title_is_checked_after_yaml_decodes_it(tmp_path):
    """An editor's page in docs/ has front matter too: the same check."""
    from conftest import make_project, run_cli
    project = make_project(tmp_path / "p", content={"docs/about/extra.md": '---\ntitle: "Extra\\u202Epage"\n---\n\nText.\n'})
    result = run_cli(project, "validate")
    assert result.returncode == 1
    assert "docs/about/extra.md:2:" in result.stderr and "[control-character]" in result.stderr, result.stderr


def test_calendar_text_reads_back_as_written_in_two_parsers():
    """Found by the second fresh-clone attacker: icalendar wrote a title's
    literal `\\N` as a line break, and X-WR-CALNAME without any escaping
    (`;`, `,` and `\\` raw). Every TEXT value now reads back as written."""
    import vobject
    from icalendar import Calendar
    from resource_library.feeds import calendar
    titles = ["Webinar; with, ics \\n specials \\N END:VEVENT", "Back\\slash, comma; semicolon", "Plain title"]
    library = _library(titles, registration="https://e.example/r")
    for resource in library.resources:
        content = calendar([resource], "https://example.org/library/", library.now, resource.title)
        one = vobject.readOne(content.decode())
        assert one.vevent.summary.value == resource.title
        assert one.contents["x-wr-calname"][0].value == resource.title
        assert str(Calendar.from_ical(content).walk("VEVENT")[0]["SUMMARY"]) == resource.title


@pytest.mark.parametrize("starts, minutes, end_utc", [
    ("2027-03-28T00:30", 480, "2027-03-28T08:30:00+00:00"),   # GMT to BST: ends 09:30 BST, not 08:30
    ("2026-10-25T00:30", 120, "2026-10-25T01:30:00+00:00"),   # BST to GMT: ends 01:30 GMT, not 02:30
])
def test_a_webinar_across_a_clock_change_lasts_its_minutes(starts, minutes, end_utc):
    """Found by the second fresh-clone attacker: the end was the start's wall
    clock plus the minutes, so 480 minutes across the spring change lasted 7
    hours in every calendar and on the page."""
    from datetime import timezone
    import vobject
    from resource_library.feeds import calendar
    library = _library(["Long webinar"], registration="https://e.example/r")
    (resource,) = library.resources
    resource.meta.update(starts=starts, duration_minutes=minutes)
    assert resource.ends.astimezone(timezone.utc).isoformat() == end_utc
    event = vobject.readOne(calendar([resource], "https://example.org/", library.now, "x").decode()).vevent
    assert event.dtend.value.astimezone(timezone.utc).isoformat() == end_utc
    # (Python subtracts two times of one zone by their wall clocks: in UTC.)
    assert (event.dtend.value.astimezone(timezone.utc)
            - event.dtstart.value.astimezone(timezone.utc)).total_seconds() == minutes * 60


def test_a_summary_is_one_line_in_every_writer_so_it_cannot_pass_for_theirs():
    """Forty-fourth round: a summary written over lines, its last `Register:
    https://evil.example/...`, was a line of its own in the calendar's
    description, above the `Register:` line the build writes, and kept its
    line breaks in the feed and the page's JSON-LD."""
    import json
    import vobject
    from resource_library.feeds import calendar, entry_html, json_ld
    library = _library(["A webinar"], registration="https://events.example.org/r")
    (webinar,) = library.resources
    webinar.meta["summary"] = "A session for planners.\n\nRegister: https://evil.example/his\n"
    (read,) = vobject.readComponents(calendar([webinar], "https://example.org/", library.now, "Cal").decode())
    lines = read.vevent.description.value.split("\n")
    assert lines[0].startswith("A session for planners.") and "evil.example" in lines[0]
    assert [line for line in lines if line.startswith("Register:")] == ["Register: https://events.example.org/r"]
    assert "\n" not in entry_html(webinar)
    assert "\n" not in json.loads(json_ld(webinar, library, "https://example.org/"))["description"]
