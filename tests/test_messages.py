"""Issue 13: errors that never mislead. Each case is the exact message and
hint a contributor reads, and each hint can be pasted as it is: links are
written relative to the file being edited, resources come before generated
pages, and dates and times come back corrected."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, make_project, run_cli, write_files

# Enough of the project to validate; no site is built here.
VALIDATE_PARTS = ("mkdocs.yml", "hooks", "vocabulary", "schema", "docs")


def resource(title: str, *extra: str, topics: str = "[housing]", body: str = "## Method\n\nBody text.\n",
             status: str = "current") -> str:
    lines = ["---", f"title: {title}", "summary: A resource used by the message tests.", "functions: [curate]",
             "programmes: []", f"topics: {topics}", "published: 2026-01-10", "owner: Test team",
             f"status: {status}", *extra, "---", "", body]
    return "\n".join(lines)


def webinar(starts: str = '"2026-09-01T13:00"', *extra: str, body: str = "Body.\n") -> str:
    lines = ["---", "title: A webinar", "summary: A webinar used by the message tests.", "functions: [spread]",
             "topics: [housing]", "published: 2026-01-10", "owner: Test team", "status: current",
             f"starts: {starts}", "duration_minutes: 60", "speakers:", "  - name: A Speaker", *extra, "---", "",
             body]
    return "\n".join(lines)


# The library every case adds its file to.
LIBRARY = {
    "at-a-glance/strategic-plans-explained.md": resource("Strategic plans explained"),
    "deeper-dives/scenario-planning-for-health-and-care.md": resource(
        "Scenario planning for health and care", topics="[scenario-planning]"),
    "deeper-dives/a-draft.md": resource("A draft", status="draft"),
}
FILES = {"at-a-glance/files/checklist.pdf": b"%PDF-1.4\n%%EOF\n"}

A = "at-a-glance/case.md"
D = "deeper-dives/case.md"
W = "webinars/case.md"

# (case, files to add, path:line:col, rule, exact message, exact hint)
CASES = [
    # Links: suggestions relative to the file, resources before generated pages, the page named.
    ("link into a resource folder gets a resource, not the topic page of the same slug",
     {W: webinar(body="See [it](../deeper-dives/scenario-planning.md).\n")}, f"{W}:15:10", "broken-link",
     "`../deeper-dives/scenario-planning.md` points to `deeper-dives/scenario-planning.md`, which does not exist",
     "Did you mean `../deeper-dives/scenario-planning-for-health-and-care.md`, "
     "the Deeper Dive “Scenario planning for health and care”?"),
    ("a resource in the same folder is suggested without ../",
     {A: resource("Case", body="See [it](strategic-plans-explaind.md).\n")}, f"{A}:12:10", "broken-link",
     "`strategic-plans-explaind.md` points to `at-a-glance/strategic-plans-explaind.md`, which does not exist",
     "Did you mean `strategic-plans-explained.md`, the At a Glance “Strategic plans explained”?"),
    ("the same slug in another type's folder",
     {D: resource("Case", body="See [it](strategic-plans-explained.md).\n")}, f"{D}:12:10", "broken-link",
     "`strategic-plans-explained.md` points to `deeper-dives/strategic-plans-explained.md`, which does not exist",
     "Did you mean `../at-a-glance/strategic-plans-explained.md`, the At a Glance “Strategic plans explained”?"),
    ("a link into topics/ gets the topic page, named as generated",
     {D: resource("Case", body="See [it](../topics/scenario-planing.md).\n")}, f"{D}:12:10", "broken-link",
     "`../topics/scenario-planing.md` points to `topics/scenario-planing.md`, which does not exist",
     "Did you mean `../topics/scenario-planning.md`, the topic page “Scenario planning”, "
     "a list of resources that the site makes?"),
    ("a topic page that is not built, since no resource uses the topic",
     {D: resource("Case", body="See [it](../topics/workforce-planning.md).\n")}, f"{D}:12:10", "broken-link",
     "`../topics/workforce-planning.md` links to the topic page “Workforce planning”, which is not built until a "
     "published resource uses it", "Link to a resource instead, or remove the link for now."),
    ("a page's address instead of its file",
     {D: resource("Case", body="See [it](../at-a-glance/strategic-plans-explained/).\n")}, f"{D}:12:10",
     "broken-link", "`../at-a-glance/strategic-plans-explained/` is a page's address, not its file",
     "Link to the file the page is made from: `../at-a-glance/strategic-plans-explained.md`"),
    ("an absolute link to a page, with its anchor",
     {W: webinar(body="See [it](/at-a-glance/strategic-plans-explained/#method).\n")}, f"{W}:15:10",
     "broken-link", "`/at-a-glance/strategic-plans-explained/#method` is an absolute link",
     "Write it relative to this file: `../at-a-glance/strategic-plans-explained.md#method`"),
    ("an absolute link to the home page",
     {W: webinar(body="Back to [the library](/).\n")}, f"{W}:15:23", "broken-link", "`/` is an absolute link",
     "Write it relative to this file: `../index.md`"),
    ("an image that is not there",
     {D: resource("Case", body="![A chart of costs](files/costs.png)\n")}, f"{D}:12:21", "broken-link",
     "`files/costs.png` points to `deeper-dives/files/costs.png`, which does not exist",
     "Add the file to the repository as deeper-dives/files/costs.png, or correct the path: "
     "it is written relative to this file, as in files/checklist.pdf."),
    ("a download linked from the body, misspelt",
     {A: resource("Case", body="Use [the checklist](files/checklst.pdf).\n")}, f"{A}:12:21", "broken-link",
     "`files/checklst.pdf` points to `at-a-glance/files/checklst.pdf`, which does not exist",
     "Did you mean `files/checklist.pdf`? It is at-a-glance/files/checklist.pdf in the repository."),
    ("a javascript link hidden by character references",
     {A: resource("Case", body="[x](JaVaScRiPt&#58;alert(1))\n")}, f"{A}:12:5", "unsafe-html",
     "the link `JaVaScRiPt&#58;alert(1)` is a `javascript:` address, written with character references",
     "Resources cannot run scripts; remove the link."),
    ("a link written with character references",
     {A: resource("Case", body="See [the explainer](strategic&#45;plans&#45;explained.md).\n")}, f"{A}:12:21",
     "broken-link", "`strategic&#45;plans&#45;explained.md` is written with character references (`&...;`)",
     "Write the address as it is: `strategic-plans-explained.md`"),
    # Found by the fresh-clone tester: `make validate` said "no problems" and
    # `make site` then failed (or failed with no line, for a shared drive).
    ("a file on a shared drive",
     {A: resource("Case", body="See [the plan](\\\\fileserver\\planning\\winter.xlsx).\n")}, f"{A}:12:16",
     "broken-link", "`\\\\fileserver\\planning\\winter.xlsx` is a path on a computer or a shared drive, which "
     "readers cannot open", "Add the file to the repository as at-a-glance/files/winter.xlsx and link to "
     "`files/winter.xlsx`."),
    ("an image from another website",
     {A: resource("Case", body="![Chart](https://tracker.example/chart.png)\n")}, f"{A}:12:10", "unsafe-html",
     "the image `https://tracker.example/chart.png` is loaded from another website",
     "Every reader's browser would ask that site for it. Save the image in at-a-glance/files/ and link to it "
     "there, for example `files/chart.png`."),
    ("an image address hidden by character references",
     {A: resource("Case", body='<img src="&#47;&#47;tracker.example/x.png" alt="x">\n')}, f"{A}:12:11",
     "unsafe-html", "the image `&#47;&#47;tracker.example/x.png` is loaded from another website",
     "Every reader's browser would ask that site for it. Save the image in at-a-glance/files/ and link to it "
     "there, for example `files/chart.png`."),
    ("a vbscript: link",
     {A: resource("Case", body="[x](vbscript:msgbox)\n")}, f"{A}:12:5", "unsafe-html",
     "the link `vbscript:msgbox` is a `vbscript:` address",
     "Pages link only to web (https), email (mailto) and phone (tel) addresses; remove it."),
    ("an iframe",
     {A: resource("Case", body='<iframe src="https://video.example/embed/1"></iframe>\n')}, f"{A}:12:1",
     "unsafe-html", "the body contains the <iframe> element, which pages cannot show",
     "Pages show text, links, images, lists and tables only; remove it. To show HTML as an example, put it in "
     "`backticks`."),
    ("a registration address without https://",
     {W: webinar('"2027-03-04T13:00"', 'registration_url: "www.eventbrite.co.uk/e/winter"')}, f"{W}:13:19",
     "link-scheme", "`registration_url` must be an https: link or a relative path",
     'Start the address with https://: registration_url: "https://www.eventbrite.co.uk/e/winter"'),
    ("a registration address on http://",
     {W: webinar('"2027-03-04T13:00"', "registration_url: http://www.eventbrite.co.uk/e/winter")}, f"{W}:13:19",
     "link-scheme", "`registration_url` must be an https: link or a relative path",
     'Use the https:// address: registration_url: "https://www.eventbrite.co.uk/e/winter"'),
    ("a download like no file there",
     {A: resource("Case", "downloads:", "  - file: files/winter-checklist.pdf", "    label: Plan")}, f"{A}:11:11",
     "missing-file", "downloads, item 1: file points to `files/winter-checklist.pdf`, which does not exist",
     "Add the file to the repository as at-a-glance/files/winter-checklist.pdf, or correct the path: "
     "it is written relative to this file, as in files/checklist.pdf."),
    ("an absolute link to nothing",
     {W: webinar(body="See [it](/nowhere/).\n")}, f"{W}:15:10", "broken-link", "`/nowhere/` is an absolute link",
     "Link relative to this file, for example `../deeper-dives/some-slug.md`."),
    ("a link to nothing like any page",
     {A: resource("Case", body="See [it](../deeper-dives/zzzz-qqqq.md).\n")}, f"{A}:12:10", "broken-link",
     "`../deeper-dives/zzzz-qqqq.md` points to `deeper-dives/zzzz-qqqq.md`, which does not exist",
     "Link to the resource's .md file, relative to this one, for example `../deeper-dives/some-slug.md`."),
    ("links are checked in a file that has other errors too, so one round of fixes is enough",
     {A: resource("Case", topics="[housng]", body="See [it](strategic-plans-explaind.md).\n")}, f"{A}:12:10",
     "broken-link",
     "`strategic-plans-explaind.md` points to `at-a-glance/strategic-plans-explaind.md`, which does not exist",
     "Did you mean `strategic-plans-explained.md`, the At a Glance “Strategic plans explained”?"),
    ("a heading that is not there",
     {D: resource("Case", body="See [it](../at-a-glance/strategic-plans-explained.md#methd).\n")}, f"{D}:12:10",
     "broken-anchor", "`../at-a-glance/strategic-plans-explained.md#methd`: there is no heading `#methd` in "
     "at-a-glance/strategic-plans-explained.md",
     "Did you mean `../at-a-glance/strategic-plans-explained.md#method`? Headings there: #method."),
    ("a link to a draft",
     {A: resource("Case", body="See [it](../deeper-dives/a-draft.md).\n")}, f"{A}:12:10", "broken-link",
     "`../deeper-dives/a-draft.md` links to a draft, which is not published",
     "Link to it once it is published, or remove the link."),
    ("replaced_by misspelt",
     {A: resource("Case", "withdrawn_reason: Out of date.", "replaced_by: at-a-glance/strategic-plans-explaned")
      .replace("status: current", "status: withdrawn")}, f"{A}:11:14", "broken-link",
     "`replaced_by` names at-a-glance/strategic-plans-explaned, which does not exist",
     "Did you mean the At a Glance “Strategic plans explained”? Write replaced_by: at-a-glance/strategic-plans-explained"),
    ("replaced_by written as a link",
     {A: resource("Case", "withdrawn_reason: Out of date.", "replaced_by: ../at-a-glance/strategic-plans-explained.md")
      .replace("status: current", "status: withdrawn")}, f"{A}:11:14", "bad-value",
     "`replaced_by`: `../at-a-glance/strategic-plans-explained.md` is not in the expected form",
     "Write it as type/slug: replaced_by: at-a-glance/strategic-plans-explained"),
    # Files named in front matter.
    ("a download misspelt",
     {A: resource("Case", "downloads:", "  - file: files/checklst.pdf", "    label: Checklist")}, f"{A}:11:11",
     "missing-file", "downloads, item 1: file points to `files/checklst.pdf`, which does not exist",
     "Did you mean `files/checklist.pdf`? It is at-a-glance/files/checklist.pdf in the repository."),
    # Messages the forty-second round's testers could not act on: a key YAML reads as a number or as null, said
    # at line 1 as `None`; `./` taken for a hidden folder; a folder said not to exist.
    ("a key YAML reads as null", {A: resource("Case", "null: x")}, f"{A}:10:1", "unknown-field",
     "unknown field `null`", "Allowed fields: title, summary, functions, programmes, topics, published, updated, "
     "changes, last_reviewed, next_review_due, owner, status, withdrawn_reason, replaced_by, downloads, example."),
    ("a path from `./`", {A: resource("Case", "downloads:", "  - file: ./files/checklist.pdf", "    label: List")},
     f"{A}:11:11", "file-path", "downloads, item 1: file starts with `./`; write it from the resource's folder without "
     "that, as in `files/checklist.pdf`", "Downloads, slides and transcripts are files in this type's folder, such "
     "as files/checklist.pdf, of a type readers can open."),
    ("a link to a folder", {A: resource("Case", body="See [the files](files/).\n")}, f"{A}:12:17", "broken-link",
     "`files/` points to the folder `at-a-glance/files/`, and a link goes to one page or file",
     "Link to a file in it, as in `files/checklist.pdf`, or to a resource's .md file."),
    # (The emphasis in a link has validate read the body as rendered, where the row was placed at its first link.)
    ("the second of two links to one number in a table row", {A: resource("Case", body=(
        "See [the **plan**](https://www.gov.scot/).\n\n| Service | Number |\n|:--|--:|\n"
        "| [NHS 24](tel:111) | [Call 0800 22 44 88](tel:111) |\n"))}, f"{A}:16:44",
     "misleading-link", "the link's text shows the number `0800 22 44 88`, but it goes to `tel:111`",
     "A phone number on a link promises a call to it: link the number with tel: ([0131 623 4300](tel:+441316234300)), "
     "and a page with words."),
    ("a heading with no-break spaces", {A: resource("Case", body="Text.\n\n## Call 0800&nbsp;123&nbsp;4567\n")},
     f"{A}:14:1", "misleading-link", "the heading shows the phone number `0800 123 4567`, and is the text of the "
     "contents list's link, which dials nothing", "Name the section, as in `## Booking a place`; give the number in "
     "the text under it, as a tel: link: [0131 623 4300](tel:+441316234300)."),
    # Forty-sixth round: a field under another name, and a file of the repository the site does not publish.
    ("a download's path under another name", {A: resource("Case", "downloads:", "  - path: files/checklist.pdf",
                                                          "    label: List")}, f"{A}:11:5", "missing-field",
     "downloads, item 1 has no `file`, and has `path`, which is not a field here",
     "Write `file` in place of `path`: each entry in downloads needs `file`, `label`."),
    ("a link to a file of the repository", {A: resource("Case", body="See [the settings](../mkdocs.yml).\n")},
     f"{A}:12:20", "broken-link", "`../mkdocs.yml` points to `mkdocs.yml`, a file of the repository that the site does "
     "not publish", "Link to a page of the site, or, for a file readers should have, put it in at-a-glance/files/ and "
     "link to `files/` and its name."),
    # Forty-eighth round: a line separator pasted into a title was said as a YAML error two lines on.
    ("a line separator in a title", {A: resource("Case").replace("title: Case", "title: Ca\u2028se")}, f"{A}:2:10",
     "control-character", "the file holds an invisible control character (U+2028, written `\\u2028`)",
     "Delete it: it often comes from copying out of another program. Retype the text around it."),
    ("a link to the calendar the build makes", {A: resource("Case", body="Add [it](../webinars/webinars.ics).\n")},
     f"{A}:12:10", "broken-link", "`../webinars/webinars.ics` is a calendar, which the build makes and links to "
     "itself, so a resource does not", "Link to the page that offers it: a briefing's page offers its PDF, the "
     "Webinars page the calendar, and each type's, topic's, programme's and function's page its feed."),
    # Forty-second round: a transcript in Rich Text was refused with only a list of extensions.
    ("a transcript in Rich Text",
     {W: webinar('"2026-03-01T13:00"', "transcript: files/transcript.rtf"),
      "webinars/files/transcript.rtf": "{\\rtf1 Hello}"}, f"{W}:13:13", "file-path",
     "`transcript` is a `.rtf` file, which is not published; save it as Word (`.docx`) or PDF "
     "and link that. Allowed: csv, docx, gif, jpeg, jpg, odp, ods, odt, pdf, png, pptx, srt, txt, vtt, webp, xlsx",
     "Downloads, slides and transcripts are files in this type's folder, such as files/checklist.pdf, of a type "
     "readers can open."),
    # Thirty-first round: a name whose accents are stored as separate marks (as macOS writes them), and
    # brackets inside a link's path, which Python-Markdown keeps.
    ("a download whose name stores its accents another way",
     {A: resource("Case", "downloads:", "  - file: files/r\u00e9sum\u00e9.csv", "    label: Summary"),
      "at-a-glance/files/re\u0301sume\u0301.csv": "a,b\n"}, f"{A}:11:11",
     "missing-file", "downloads, item 1: file points to `files/r\u00e9sum\u00e9.csv`, which does not exist",
     "The file is there, but its name stores accents another way (as a letter and a separate mark, as macOS "
     "writes names). Rename at-a-glance/files/re\u0301sume\u0301.csv by typing its name again, so the name and "
     "the path match."),
    # Thirty-first round: character references read as what they stand for, at the line they are on; phone numbers
    # in the text of links that dial nothing (a title, a label, a heading), where a short number may name a service.
    ("a heading with character references",
     {A: resource("Case", body="## Method\n\nText.\n\n## Sign in at www&#46;nhs&#46;scot&#47;login\n")}, f"{A}:16:1",
     "misleading-link", "the heading reads as the address `nhs.scot`, and is the text of the contents list's link "
     "to it", "Name the section, as in `## Guidance from the Scottish Government`; put the address in a link in the "
     "text under it."),
    ("a tooltip with character references",
     {A: resource("Case", body='Ring [here](https://evil.example/ "0131&#32;623&#32;4300").\n')}, f"{A}:12:1",
     "misleading-link", "the link's tooltip shows `0131 623 4300`, but it goes to `https://evil.example/`",
     "Readers trust an address they can read: text that reads as one must be where the link goes. Write what the "
     "link is, as in [Carers strategy (gov.scot)](https://www.gov.scot/...), or give the address itself as the text."),
    ("text with character references running into a link",
     {A: resource("Case", body="About www.nhs.scot, [a link](https://evil.example/).\n\n"
                               "Visit https&#58;//login&#46;nhs&#46;scot&#47;[sign-in](https://evil.example/) today.\n")},
     f"{A}:14:1", "misleading-link", "the link's text shows `login.nhs.scot`, but it goes to `https://evil.example/`",
     "Readers trust an address they can read: text that reads as one must be where the link goes. Write what the "
     "link is, as in [Carers strategy (gov.scot)](https://www.gov.scot/...), or give the address itself as the text."),
    ("a title with a phone number",
     {A: resource("Ring 0800 123 4567 for help with winter plans")}, f"{A}:2:8", "misleading-link",
     "`title` shows the phone number `0800 123 4567`, but it is the text of links to the site's own pages, which "
     "dial nothing", "Name the thing itself; give the number in the text, or as a tel: link in a body: "
     "[0131 623 4300](tel:+441316234300)."),
    ("a download label with a phone number",
     {A: resource("Case", "downloads:", "  - file: files/checklist.pdf", "    label: Call 111 for the checklist")},
     f"{A}:12:12", "misleading-link", "download 1's label shows `111`, but it is the file `files/checklist.pdf`",
     "Say what the file is, as in `label: Checklist (PDF)`."),
    ("a heading with a phone number",
     {A: resource("Case", body="## Call 111 first\n\nText.\n\n## Ring 0131 623 4300 to book\n")}, f"{A}:16:4",
     "misleading-link", "the heading shows the phone number `0131 623 4300`, and is the text of the contents list's "
     "link, which dials nothing", "Name the section, as in `## Booking a place`; give the number in the text under "
     "it, as a tel: link: [0131 623 4300](tel:+441316234300)."),
    # Thirty-sixth round: an editor's page linked by its place in the repository.
    ("a link to an editor's page by its place in the repository",
     {A: resource("Case", body="See [about](../docs/about/index.md).\n")}, f"{A}:12:13", "broken-link",
     "`../docs/about/index.md` points to `docs/about/index.md`, which does not exist",
     "The site publishes docs/ at its root: write `../about/index.md`."),
    ("a link to a file with brackets in its name",
     {A: resource("Case", body="See [the report](files/Annual%20report%20(final).pdf).\n")}, f"{A}:12:18",
     "broken-link", "`files/Annual%20report%20(final).pdf` points to `at-a-glance/files/Annual report (final).pdf`, "
     "which does not exist", "Add the file to the repository as at-a-glance/files/Annual report (final).pdf, or "
     "correct the path: it is written relative to this file, as in files/checklist.pdf."),
    ("a download that is not there",
     {A: resource("Case", "downloads:", "  - file: files/annual-report.pdf", "    label: Report")}, f"{A}:11:11",
     "missing-file", "downloads, item 1: file points to `files/annual-report.pdf`, which does not exist",
     "Add the file to the repository as at-a-glance/files/annual-report.pdf, or correct the path: "
     "it is written relative to this file, as in files/checklist.pdf."),
    # Webinar times: UK time, YYYY-MM-DDTHH:MM.
    ("a time in UTC in summer",
     {W: webinar('"2026-09-01T13:00Z"')}, f"{W}:9:9", "bad-date",
     "`starts` must be a date and time as YYYY-MM-DDTHH:MM, in quotes, not `2026-09-01T13:00Z`",
     "Leave out the zone: UK time is assumed. 2026-09-01T13:00Z is 14:00 in UK time. "
     "Write it as starts: \"2026-09-01T14:00\""),
    ("a time in UTC in winter",
     {W: webinar('"2026-12-01T13:00Z"')}, f"{W}:9:9", "bad-date",
     "`starts` must be a date and time as YYYY-MM-DDTHH:MM, in quotes, not `2026-12-01T13:00Z`",
     "Leave out the zone: UK time is assumed. Write it as starts: \"2026-12-01T13:00\""),
    ("a time with the summer offset",
     {W: webinar('"2026-09-01T13:00+01:00"')}, f"{W}:9:9", "bad-date",
     "`starts` must be a date and time as YYYY-MM-DDTHH:MM, in quotes, not `2026-09-01T13:00+01:00`",
     "Leave out the zone: UK time is assumed. Write it as starts: \"2026-09-01T13:00\""),
    ("a time unquoted, with seconds and a zone (YAML reads it as a timestamp)",
     {W: webinar("2026-09-01T13:00:00+01:00")}, f"{W}:9:9", "bad-date",
     "`starts` must be a date and time as YYYY-MM-DDTHH:MM, in quotes, not `2026-09-01T13:00:00+01:00`",
     "Leave out the zone: UK time is assumed. Leave out the seconds. Write it as starts: \"2026-09-01T13:00\""),
    ("a space instead of T",
     {W: webinar('"2026-09-01 13:00"')}, f"{W}:9:9", "bad-date",
     "`starts` must be a date and time as YYYY-MM-DDTHH:MM, in quotes, not `2026-09-01 13:00`",
     "Use T between date and time. Write it as starts: \"2026-09-01T13:00\""),
    ("a one-digit hour",
     {W: webinar('"2026-09-01T9:30"')}, f"{W}:9:9", "bad-date",
     "`starts` must be a date and time as YYYY-MM-DDTHH:MM, in quotes, not `2026-09-01T9:30`",
     "Write each number with two digits. Write it as starts: \"2026-09-01T09:30\""),
    ("a list never closed (issue 21: it was reported on the next line, quoting it)",
     {A: resource("Case", topics="[housing, needs-assessment")}, f"{A}:6:9", "yaml-syntax",
     "invalid YAML: this `[` is never closed",
     "Close it on the same line with `]`, for example topics: [housing, needs-assessment]"),
    ("the time as people say it (issue 21)",
     {W: webinar('"2027-01-20 1pm"')}, f"{W}:9:9", "bad-date",
     "`starts` must be a date and time as YYYY-MM-DDTHH:MM, in quotes, not `2027-01-20 1pm`",
     "Write the time after a T, in the 24-hour clock: starts: \"2027-01-20T13:00\" (for 20 January 2027, 1pm)"),
    ("the time as people say it, with minutes",
     {W: webinar('"2027-01-20 at 9.30am"')}, f"{W}:9:9", "bad-date",
     "`starts` must be a date and time as YYYY-MM-DDTHH:MM, in quotes, not `2027-01-20 at 9.30am`",
     "Write the time after a T, in the 24-hour clock: starts: \"2027-01-20T09:30\" (for 20 January 2027, 9:30am)"),
    ("a date with no time",
     {W: webinar("2026-09-01")}, f"{W}:9:9", "bad-date",
     "`starts` must be a date and time as YYYY-MM-DDTHH:MM, in quotes, not `2026-09-01`",
     "Add the time it starts, in UK time, after a T: for 1pm write starts: \"2026-09-01T13:00\""),
    # Dates.
    ("a date written day first",
     {A: resource("Case").replace("published: 2026-01-10", "published: 05/03/2026")}, f"{A}:7:12", "bad-date",
     "`published` must be a date as YYYY-MM-DD, not `05/03/2026`",
     "Write the year first, then the month and the day: published: 2026-03-05 (for 5 March 2026)"),
    ("a date with a time",
     {A: resource("Case").replace("published: 2026-01-10", 'published: "2026-01-10T09:00"')}, f"{A}:7:12",
     "bad-date", "`published` must be a date as YYYY-MM-DD, not `2026-01-10T09:00`",
     "Leave out the time: published: 2026-01-10"),
    ("a change dated day first",
     {A: resource("Case", "updated: 2026-02-14", "changes:", "  - date: 14/02/2026", "    note: Added figures.")},
     f"{A}:12:11", "bad-date", "changes, item 1: date must be a date as YYYY-MM-DD, not `14/02/2026`",
     "Write the year first, then the month and the day: - date: 2026-02-14 (for 14 February 2026)"),
    ("a date written in words",
     {A: resource("Case").replace("published: 2026-01-10", "published: 25 November 2026")}, f"{A}:7:12", "bad-date",
     "`published` must be a date as YYYY-MM-DD, not `25 November 2026`",
     "Write the year first, then the month and the day: published: 2026-11-25 (for 25 November 2026)"),
    ("a date written American style, in words",
     {A: resource("Case").replace("published: 2026-01-10", "published: Nov 25, 2026")}, f"{A}:7:12", "bad-date",
     "`published` must be a date as YYYY-MM-DD, not `Nov 25, 2026`",
     "Write the year first, then the month and the day: published: 2026-11-25 (for 25 November 2026)"),
    ("a date day first, with a time",
     {A: resource("Case").replace("published: 2026-01-10", "published: 25/11/2026 13:00")}, f"{A}:7:12", "bad-date",
     "`published` must be a date as YYYY-MM-DD, not `25/11/2026 13:00`",
     "Leave out the time and write the year first, then the month and the day: published: 2026-11-25 "
     "(for 25 November 2026)"),
    ("a day the month does not have",
     {A: resource("Case").replace("published: 2026-01-10", "published: 2026-02-30")}, f"{A}:7:12", "bad-date",
     "`2026-02-30` is not a real date (day is out of range for month)", "February 2026 has 28 days. Check the day."),
    ("month and day swapped",
     {A: resource("Case").replace("published: 2026-01-10", "published: 2026-25-11")}, f"{A}:7:12", "bad-date",
     "`2026-25-11` is not a real date (month must be in 1..12)",
     "The month comes second: did you mean published: 2026-11-25?"),
    ("a duration in words",
     {W: webinar('"2027-03-04T13:00"').replace("duration_minutes: 60", "duration_minutes: 1 hour 30 minutes")},
     f"{W}:10:19", "wrong-type", "`duration_minutes` must be a whole number, not text",
     "Write the minutes as a number: duration_minutes: 90"),
    ("a speaker written as a name alone",
     {W: webinar('"2027-03-04T13:00"').replace("  - name: A Speaker", "  - Bob Jones, NHS Lothian")},
     f"{W}:12:5", "wrong-type", "speakers, item 1 must be fields (such as name: and role:), not text",
     "Write each speaker as a name and a role: - name: Bob Jones (and under it, role: NHS Lothian)"),
    ("a function left as TODO",
     {A: resource("Case").replace("functions: [curate]", "functions: [TODO]")}, f"{A}:4:13", "placeholder",
     "functions, item 1 still has the template's TODO placeholder",
     "Replace it with one or more of: create, curate, embed, spread (from vocabulary/functions.yml)."),
    ("a month past 12",
     {A: resource("Case").replace("published: 2026-01-10", "published: 2026-13-25")}, f"{A}:7:12", "bad-date",
     "`2026-13-25` is not a real date (month must be in 1..12)",
     "The month comes second and runs from 01 to 12; the date is year, month, day. For example published: 2027-03-05"),
    ("a webinar time day first",
     {W: webinar('"10/12/2026 13:00"')}, f"{W}:9:9", "bad-date",
     "`starts` must be a date and time as YYYY-MM-DDTHH:MM, in quotes, not `10/12/2026 13:00`",
     "Write the year first, then the month, the day, a T and the time: starts: \"2026-12-10T13:00\" "
     "(for 10 December 2026, 1pm)"),
    ("a webinar time in words",
     {W: webinar('"Thursday 10 December 2026 at 1.30pm"')}, f"{W}:9:9", "bad-date",
     "`starts` must be a date and time as YYYY-MM-DDTHH:MM, in quotes, not `Thursday 10 December 2026 at 1.30pm`",
     "Write the year first, then the month, the day, a T and the time: starts: \"2026-12-10T13:30\" "
     "(for 10 December 2026, 1:30pm)"),
    ("an hour past 23",
     {W: webinar('"2026-12-10T25:00"')}, f"{W}:9:9", "bad-date",
     "`2026-12-10T25:00` is not a real date and time (hour must be in 0..23)",
     "The hour runs from 00 to 23, in the 24-hour clock: 1pm is 13:00."),
    # Field paths as a person says them.
    ("a list item YAML reads as a number",
     {A: resource("Case", topics="[housing, 2026]")}, f"{A}:6:19", "wrong-type",
     "topics, item 2 must be text, but YAML read `2026` as a number", 'Put the value in quotes: "2026"'),
    ("a function YAML reads as yes or no",
     {A: resource("Case").replace("functions: [curate]", "functions: [yes]")}, f"{A}:4:13", "wrong-type",
     "functions, item 1 must be text, but YAML read `yes` as a yes/no value", 'Put the value in quotes: "yes"'),
    ("a function in capitals",
     {A: resource("Case").replace("functions: [curate]", "functions: [Curate]")}, f"{A}:4:13", "not-in-vocabulary",
     "`Curate` is not one of the functions",
     "Did you mean `curate`? Allowed: create, curate, embed, spread (from vocabulary/functions.yml)."),
    ("a download without a label",
     {A: resource("Case", "downloads:", "  - file: files/checklist.pdf")}, f"{A}:11:5", "missing-field",
     "downloads, item 1 has no `label`", "Each entry in downloads needs `file`, `label`."),
    ("a download with an unknown field",
     {A: resource("Case", "downloads:", "  - file: files/checklist.pdf", "    label: Checklist", "    size: 3")},
     f"{A}:11:5", "unknown-field", "downloads, item 1 has an unknown field `size`",
     "Remove it, or correct its name; the fields here are `file`, `label`."),
    ("a speaker's name YAML reads as a number",
     {W: webinar('"2026-09-01T13:00"').replace("  - name: A Speaker", "  - name: 2024")}, f"{W}:12:11",
     "wrong-type", "speakers, item 1: name must be text, but YAML read `2024` as a number",
     'Put the value in quotes: name: "2024"'),
    ("HTML in a download's label",
     {A: resource("Case", "downloads:", "  - file: files/checklist.pdf", "    label: <b>Checklist</b>")},
     f"{A}:12:12", "html-in-text", "downloads, item 1: label contains HTML (`<b`)",
     "Front matter is plain text and is shown exactly as typed: remove the tag, or write 'less than' instead of `<`."),
    ("a placeholder left in a speaker",
     {W: webinar('"2026-09-01T13:00"').replace("  - name: A Speaker", '  - name: "TODO: speaker name"')},
     f"{W}:12:11", "placeholder", "speakers, item 1: name still has the template's TODO placeholder",
     "Replace the placeholder with the real value."),
    # Found by the fresh-clone tester: hints written as YAML, never Python's notation.
    ("a mapping where a list goes: its keys, as a YAML list",
     {A: resource("Case", topics="{housing: 1, needs-assessment: 2}")}, f"{A}:6:9", "wrong-type",
     "`topics` must be a list, not a set of fields",
     "Write it as a list: topics: [housing, needs-assessment], or one `- value` per line."),
    ("a list inside the list: one list, flattened",
     {A: resource("Case", topics="[[housing], needs-assessment]")}, f"{A}:6:10", "wrong-type",
     "topics, item 1 must be text, not a list",
     "Write one list, with no brackets inside it: topics: [housing, needs-assessment]"),
    ("a number too long to read is found where it is, in words of our own",
     {A: resource("Case", topics="1" + "0" * 5000)}, f"{A}:6:9", "wrong-type",
     "`topics` holds a number 5,001 digits long, too long to read",
     "If it is meant as text, put it in quotes; if not, shorten it."),
]

LOCATION_RE = re.compile(r"^(\S+:\d+:\d+) \[([a-z-]+)\] (.*)$")


def problems_seen(stderr: str) -> list[tuple[str, str, str, str]]:
    """(path:line:col, rule, message, hint) for each problem, as printed."""
    found, lines = [], stderr.splitlines()
    for index, line in enumerate(lines):
        match = LOCATION_RE.match(line)
        if not match:
            continue
        hint = ""
        for following in lines[index + 1:]:
            if LOCATION_RE.match(following):
                break
            if following.startswith("  hint: "):
                hint = following[len("  hint: "):]
                break
        found.append((match.group(1), match.group(2), match.group(3), hint))
    return found


def project_with(tmp_path: Path, files: dict) -> Path:
    project = make_project(tmp_path / "p", content={}, parts=VALIDATE_PARTS)
    write_files(project, {**LIBRARY, **FILES, **files})
    return project


def test_the_library_the_cases_start_from_is_valid(tmp_path):
    result = run_cli(project_with(tmp_path, {}), "validate")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("case, files, where, rule, message, hint", CASES, ids=[c[0] for c in CASES])
def test_the_exact_message_and_hint(tmp_path, case, files, where, rule, message, hint):
    result = run_cli(project_with(tmp_path, files), "validate")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    seen = problems_seen(result.stderr)
    assert (where, rule, message, hint) in seen, "\n".join(map(repr, seen))


# A webinar and a withdrawn Deeper Dive whose links to a new At a Glance are right.
LINKERS = {
    "webinars/linking-webinar.md": webinar('"2026-09-01T13:00"', "registration_url: https://events.example.org/r",
                                           body="See [the briefing](../at-a-glance/new-briefing.md) and its "
                                           "[method](../at-a-glance/new-briefing.md#method).\n"),
    "deeper-dives/old-dive.md": resource("Old dive", "withdrawn_reason: Replaced by the briefing.", "replaced_by: at-a-glance/new-briefing")
    .replace("status: current", "status: withdrawn"),
}
NEW = "at-a-glance/new-briefing.md"
# (case, the new At a Glance with a mistake of its own, where and what is reported there)
OWN_ERRORS = [
    ("misspelt topic", resource("New briefing", topics="[housng]"), f"{NEW}:6:10", "not-in-vocabulary"),
    ("unquoted colon", resource("New briefing").replace("summary: A resource", "summary: Plans: a resource"),
     f"{NEW}:3:15", "yaml-syntax"),
    ("missing download", resource("New briefing", "downloads:", "  - file: files/none.pdf", "    label: None"),
     f"{NEW}:11:11", "missing-file"),
    ("front matter never closed", resource("New briefing").replace("---\n\n## Method", "\n## Method"),
     f"{NEW}:1:1", "front-matter-unclosed"),
    ("bad date", resource("New briefing").replace("published: 2026-01-10", "published: 2026-02-30"),
     f"{NEW}:7:12", "bad-date"),
]


@pytest.mark.parametrize("case, text, where, rule", OWN_ERRORS, ids=[c[0] for c in OWN_ERRORS])
def test_a_link_to_a_resource_with_errors_of_its_own_is_not_reported(tmp_path, case, text, where, rule):
    project = project_with(tmp_path, {**LINKERS, NEW: text})
    result = run_cli(project, "validate")
    assert result.returncode == 1
    seen = problems_seen(result.stderr)
    assert [s[:2] for s in seen if s[0].split(":")[0] != NEW] == []
    assert (where, rule) in [s[:2] for s in seen], seen
    # Fixed, everything passes: the links were right all along.
    (project / NEW).write_text(resource("New briefing"), encoding="utf-8")
    assert run_cli(project, "validate").returncode == 0


def test_a_draft_may_link_to_another_draft(tmp_path):
    """Found by the fresh-clone tester: two drafts written together, one
    linking to the other, failed the build, though neither is published."""
    project = make_project(tmp_path / "p", content={**LIBRARY, "deeper-dives/second-draft.md": resource(
        "Second draft", status="draft", body="Builds on [the first draft](a-draft.md).\n")})
    write_files(project, FILES)
    result = run_cli(project, "validate")
    assert result.returncode == 0, result.stderr
    assert "links to a draft" not in result.stderr
    # A published resource linking to a draft is still reported.
    write_files(project, {A: resource("Case", body="See [the draft](../deeper-dives/a-draft.md).\n")})
    result = run_cli(project, "validate")
    assert result.returncode != 0 and "links to a draft, which is not published" in result.stderr


def test_a_link_to_a_misnamed_resource_is_reported_only_in_that_file(tmp_path):
    project = project_with(tmp_path, {
        "at-a-glance/New_Briefing.md": resource("New briefing"),
        W: webinar('"2026-09-01T13:00"', "registration_url: https://events.example.org/r",
                   body="See [the briefing](../at-a-glance/New_Briefing.md).\n")})
    seen = problems_seen(run_cli(project, "validate").stderr)
    assert [s[:2] for s in seen] == [("at-a-glance/New_Briefing.md:1:1", "file-name")]
    assert seen[0][3] == "Rename it new-briefing.md: lowercase letters, digits and single hyphens."


TYPES_LISTED = (
    "The types are:\n"
    "  TYPE=at-a-glance   At a Glance: Short briefings on what an issue, policy, piece of legislation, strategy "
    "or new evidence means for strategic planning.\n"
    "  TYPE=deeper-dives  Deeper Dive: Longer resources that explore a planning issue or challenge in depth.\n"
    "  TYPE=webinars      Webinar: Learning webinars for planners on a wide range of issues, with recordings, "
    "slides and transcripts once they have taken place.\n"
    'For example: make new TYPE=at-a-glance TITLE="Planning for winter pressures"\n')


@pytest.mark.parametrize("typed, first_line", [
    ("webinar", "`webinar` is not a type of resource. Did you mean TYPE=webinars?"),
    ("At a Glance", "`At a Glance` is not a type of resource. Did you mean TYPE=at-a-glance?"),
    ("deeper-dive", "`deeper-dive` is not a type of resource. Did you mean TYPE=deeper-dives?"),
    ("podcast", "`podcast` is not a type of resource."),
])
def test_make_new_with_a_wrong_type_lists_the_types(tmp_path, typed, first_line):
    project = make_project(tmp_path / "p", content={}, parts=VALIDATE_PARTS)
    result = run_cli(project, "new", "--type", typed, "--title", "Planning for winter")
    assert result.returncode == 2
    assert result.stderr == first_line + "\n" + TYPES_LISTED
    assert "usage:" not in result.stderr
    assert not list(project.glob("*/planning-for-winter.md"))


def test_make_new_writes_a_draft_and_says_how_to_publish(tmp_path):
    project = make_project(tmp_path / "p", content={}, parts=VALIDATE_PARTS)
    result = run_cli(project, "new", "--type", "deeper-dives", "--title", "Planning for winter")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Wrote deeper-dives/planning-for-winter.md as a draft (status: draft): `make serve` shows it, "
        "and it is not published.\n"
        "Replace every TODO, then run `make serve` to preview it. "
        "To publish it, set status: current and open a pull request.\n")
    text = (project / "deeper-dives" / "planning-for-winter.md").read_text()
    assert re.search(r"^status: draft$", text, re.M)


def test_make_new_through_make_itself(tmp_path):
    """The Makefile passes TYPE and TITLE through, and a wrong TYPE reaches
    the contributor as the list of types, not a usage line."""
    project = make_project(tmp_path / "p", content={}, parts=VALIDATE_PARTS + ("Makefile", "requirements.txt"))
    venv = REPO / ".venv"
    common = ["make", "--no-print-directory", "-C", str(project), f"VENV={venv}", "-o", f"{venv}/bin/.installed"]
    wrong = subprocess.run(common + ["new", "TYPE=glance", "TITLE=Planning for winter"],
                           capture_output=True, text=True, timeout=120)
    assert wrong.returncode != 0
    assert "`glance` is not a type of resource. Did you mean TYPE=at-a-glance?" in wrong.stderr
    assert "usage:" not in wrong.stderr
    right = subprocess.run(common + ["new", "TYPE=at-a-glance", "TITLE=Planning for winter"],
                           capture_output=True, text=True, timeout=120)
    assert right.returncode == 0, right.stderr
    assert "To publish it, set status: current" in right.stdout
    assert (project / "at-a-glance" / "planning-for-winter.md").exists()


def test_a_vocabulary_field_is_named_as_a_person_says_it(tmp_path):
    project = project_with(tmp_path, {})
    topics = project / "vocabulary" / "topics.yml"
    topics.write_text(topics.read_text().replace("housing:\n  name: Housing", "housing:\n  name: Housing\n  plural: [Housing]", 1))
    assert "plural: [Housing]" in topics.read_text()
    seen = problems_seen(run_cli(project, "validate").stderr)
    assert [(s[1], s[2], s[3]) for s in seen if s[0].startswith("vocabulary/topics.yml:")] == [
        ("vocabulary", "housing: plural must be text", "Write it as plain text, in quotes if it holds a colon.")]


def test_an_empty_list_is_one_problem(tmp_path):
    result = run_cli(project_with(tmp_path, {A: resource("Case", topics="[]")}), "validate")
    assert [(where, rule) for where, rule, *_ in problems_seen(result.stderr)] == [(f"{A}:6:9", "missing-field")]


def test_hundreds_of_wrong_terms_are_a_few_problems_with_short_lines(tmp_path):
    # Found by the fresh-clone tester: 500 wrong topics on one line gave 500
    # problems, each printing the whole 2 KB line and every allowed topic.
    wrong = ", ".join(f"not-a-topic-{n}" for n in range(500))
    result = run_cli(project_with(tmp_path, {A: resource("Case", topics=f"[housing, {wrong}]")}), "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    seen = problems_seen(result.stderr)
    assert [message for _, _, message, _ in seen][:5] == [f"`not-a-topic-{n}` is not one of the topics"
                                                          for n in range(5)]
    assert seen[5][2] == "495 more values in `topics` are not topics: `not-a-topic-5`, `not-a-topic-6`, " \
                         "`not-a-topic-7`, ..."
    assert len(seen) == 6 and len(result.stderr) < 6_000
    # The line is shown around each problem's column, not whole.
    shown = [line for line in result.stderr.splitlines() if line.startswith("    ") and "not-a-topic" in line]
    assert len(shown) == 6 and all(len(line) <= 4 + 100 + 2 for line in shown)


@pytest.mark.parametrize("line, col, char", [
    ("title: \x1b[31mred", 13, "r"),                       # after a control character written as <U+001B>
    ("topics: [" + ", ".join(f"t{n}" for n in range(400)) + "]", 1001, None),  # deep in a long line
    ("topics: [" + ", ".join(f"t{n}" for n in range(400)) + "]", 10, "t"),     # near its start
    ("short", 40, None),                                   # a column past the end
])
def test_the_caret_stays_under_the_column(line, col, char):
    from resource_library.problems import EXCERPT_WIDTH, excerpt
    shown, caret = excerpt(line, col)
    expected = char or (line[col - 1] if col <= len(line) else "")
    assert shown[caret:caret + 1] == expected
    assert len(shown) <= EXCERPT_WIDTH + 2


def test_an_upcoming_webinar_without_registration_is_a_warning(tmp_path):
    """Issue 21: it passed in silence; the page's "Registration is not open
    yet" stays the reader's fallback, so it is a warning, not an error."""
    project = project_with(tmp_path, {W: webinar('"2026-09-01T13:00"')})
    result = run_cli(project, "validate")
    assert result.returncode == 0, result.stderr
    assert re.search(rf"^{W}:9:9 \[no-registration\] warning: this upcoming webinar has no `registration_url`",
                     result.stderr, re.M), result.stderr
    past = project_with(tmp_path / "past", {W: webinar('"2026-03-01T13:00"')})
    assert "[no-registration]" not in run_cli(past, "validate").stderr


def test_the_readmes_example_is_what_the_tool_prints(tmp_path):
    """Issue 21: the README's example hint was not what the tool printed."""
    import re as regex
    readme = (REPO / "README.md").read_text()
    example = regex.search(r"```text\n(at-a-glance/planning-for-winter-pressures\.md:.*?)```", readme, regex.S).group(1)
    project = make_project(tmp_path / "p", content={}, parts=VALIDATE_PARTS)
    assert run_cli(project, "new", "--type", "at-a-glance", "--title", "Planning for winter pressures").returncode == 0
    path = project / "at-a-glance" / "planning-for-winter-pressures.md"
    path.write_text(path.read_text().replace("topics: [TODO]", "topics: [housng]"))
    assert example in run_cli(project, "validate").stderr
