"""Which files in the content folders may be published, and how they are
named in links.

Only a file that a resource asks for (a download, slides, a transcript, or a
link or image in its body) is published, and only if its type is one a
reader downloads or an article shows. Types a browser would run (HTML, SVG,
JavaScript) never are: on the site's own origin they could run script.
"""
from __future__ import annotations

import copy
import io
import posixpath
import re
import unicodedata
from urllib.parse import quote

from .characters import FORBIDDEN, FORBIDDEN_RE, what

# The largest file a resource may publish. Readers on a phone wait minutes
# for more, git keeps every version of it, and counting a PDF's pages reads
# it whole. Larger files belong elsewhere, linked over https.
MAX_FILE_BYTES = 20 * 1024 * 1024
# All the files one resource publishes: each is read whole by the checks
# (a PDF at its step limit takes some 5 s), and a reader fetches them.
MAX_RESOURCE_FILES_BYTES = 50 * 1024 * 1024
# The work of checking a resource's files, counted in files at their limits:
# each file's share is the largest of its size, and, by its kind, a PDF's
# steps, an office document's XML and tags, an image's pixels and frames,
# each over its limit. Bytes alone bounded nothing: an 18 KB Word file at
# the tag limit takes 0.4 s to check, and 2,700 fit in 50 MB.
MAX_RESOURCE_CHECK_WORK = 3.0

# Extension: the format as readers are told it.
FILE_TYPES = {
    "pdf": "PDF", "docx": "Word", "xlsx": "Excel", "pptx": "PowerPoint",
    "odt": "OpenDocument text", "ods": "OpenDocument spreadsheet", "odp": "OpenDocument presentation",
    "csv": "CSV", "txt": "Text", "png": "PNG image", "jpg": "JPEG image", "jpeg": "JPEG image",
    "webp": "WebP image", "gif": "GIF image",
    # Captions and transcripts as Teams and Zoom save them: text, and
    # checked as text (a player shows their <b> and <v> tags as styling).
    "vtt": "WebVTT captions", "srt": "SubRip captions",
}
TEXT_TYPES = frozenset({"txt", "csv", "vtt", "srt"})


def extension(path: str) -> str:
    return posixpath.splitext(path)[1].lstrip(".").lower()


def file_format(path: str) -> str:
    ext = extension(path)
    return FILE_TYPES.get(ext, ext.upper())


def path_problem(value: str) -> str | None:
    """Why a relative file path written by a contributor is refused, or None.

    Checked before the file system is touched: a path that climbs out of the
    folder, starts at the root or names a hidden file is refused as written,
    whatever is on disk.
    """
    if "\\" in value:
        return "uses a backslash; write paths with forward slashes, as in files/checklist.pdf"
    if value.startswith("/") or (len(value) > 1 and value[1] == ":"):
        return "is an absolute path; write it relative to the resource, as in files/checklist.pdf"
    if value.startswith("./"):
        return f"starts with `./`; write it from the resource's folder without that, as in `{value[2:]}`"
    if ".." in value.split("/"):
        return "climbs out of the folder with `..`; keep the file in this type's folder, as in files/checklist.pdf"
    return type_problem(value)


# Names every system the offline copy is unzipped on can save. Windows
# keeps these for devices, with any extension (`con.csv`, `aux/`), refuses
# these characters, drops a trailing dot or space, and stops at 260
# characters a path, the folder it is unzipped into included.
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", "conin$", "conout$"}
                            | {f"{port}{n}" for port in ("com", "lpt") for n in "0123456789\u00b9\u00b2\u00b3"})
WINDOWS_FORBIDDEN_RE = re.compile(r'[<>:"|?*\x00-\x1f]')
MAX_FILE_NAME = 100   # characters in a file's name
MAX_OUTPUT_PATH = 200  # characters in a published path: 60 left for the folder it is unzipped into


def portable_problem(path: str) -> str | None:
    """Why a published path could not be saved on Windows, or None."""
    for segment in path.split("/"):
        if segment.split(".")[0].rstrip(" ").lower() in WINDOWS_DEVICES:
            return (f"uses `{_shown(segment)}`, a name Windows keeps for a device, so the offline copy could not "
                    "be unzipped there; rename it")
        hidden = FORBIDDEN_RE.search(segment)
        unseen = hidden.group(0) if hidden else next((c for c in segment if not c.isascii() and (
            unicodedata.category(c)[0] == "C" or unicodedata.category(c) in ("Zl", "Zp"))), None)
        if unseen:
            shown = what(unseen) if hidden else "an invisible character"
            return (f"has {shown} (U+{ord(unseen):04X}) in its name, which shows it as other than it is or cannot "
                    "be saved; rename it with letters, digits and hyphens")
        if forbidden := WINDOWS_FORBIDDEN_RE.search(segment):
            return (f"has `{_shown(forbidden.group(0))}` in its name, which Windows does not allow; rename it "
                    "with letters, digits and hyphens")
        if segment.endswith((".", " ")):
            return "has a name ending in a dot or a space, which Windows drops; rename it"
        if len(segment) > MAX_FILE_NAME:
            return f"has a name of {len(segment)} characters; the limit is {MAX_FILE_NAME}: shorten it"
    if len(path) > MAX_OUTPUT_PATH:
        return (f"is a path of {len(path)} characters; the limit is {MAX_OUTPUT_PATH}, so that the offline copy "
                "unzips on Windows: shorten it")
    return None


def type_problem(path: str) -> str | None:
    """Why a file may not be published whatever links to it, or None."""
    if any(part.startswith(".") for part in path.split("/") if part):
        return "names a hidden file or folder"
    if refused := portable_problem(path):
        return refused
    if path.endswith("/"):
        return "names a folder, not a file: write the file's path, as in files/checklist.pdf"
    if not extension(path):
        return ("has no extension, so readers cannot tell what it is; allowed: " + ", ".join(sorted(FILE_TYPES)))
    if extension(path) not in FILE_TYPES:
        return (f"is a `.{extension(path) or '?'}` file, which is not published; "
                + (f"save it as {SAVE_AS[extension(path)]} and link that. Allowed: " if extension(path) in SAVE_AS
                   else "allowed: ") + ", ".join(sorted(FILE_TYPES)))
    return None


# What to save a refused office format as: the old binary formats run
# macros unseen, and RTF fetches pictures and objects when it is opened.
SAVE_AS = {"doc": "Word (`.docx`) or PDF", "rtf": "Word (`.docx`) or PDF", "dot": "Word (`.docx`)",
           "docm": "Word (`.docx`), without macros", "xls": "Excel (`.xlsx`) or CSV",
           "xlsm": "Excel (`.xlsx`), without macros", "ppt": "PowerPoint (`.pptx`) or PDF",
           "pptm": "PowerPoint (`.pptx`), without macros", "pages": "PDF", "key": "PDF", "numbers": "CSV",
           "tsv": "CSV", "htm": "PDF", "html": "PDF"}


def size_problem(size: int) -> str | None:
    """Why a file of `size` bytes may not be published, or None."""
    if size <= MAX_FILE_BYTES:
        return None
    return f"is {size / (1024 * 1024):.1f} MB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB"


def href(path: str) -> str:
    """A site path as it goes into an href: each segment percent-encoded."""
    return "/".join(quote(part) for part in path.split("/"))


# --- What is inside a file, checked before it is published -------------------
# A PDF a reader opens runs its own scripts in the browser's viewer (an
# /OpenAction script ran, over http and from file://); an image that declares
# 100,000 x 100,000 pixels exhausts memory wherever it is decoded.

# /OpenAction: whatever it does (a script, opening a web address, printing)
# happens as the file opens, before the reader chooses anything.
ACTIVE_PDF_NAMES = frozenset({"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/AF", "/Ref",
                              "/FFilter", "/FDecodeParms",
                              "/AA", "/OpenAction",
                              "/SubmitForm", "/ImportData", "/RichMedia", "/XFA", "/GoToR", "/GoToE", "/Movie",
                              "/Sound", "/Rendition"})
# What an action (/S), an object (/Type) or an annotation (/Subtype) may
# not be: an attached file, media, 3D and screen annotations, which open
# or play what they hold; a file named by a web address (`/FS /URL`), which
# a thread action or a reference XObject fetches (twenty-fourth round).
ACTIVE_PDF_KINDS = frozenset({"/FileAttachment", "/3D", "/Screen", "/Filespec", "/EF", "/URL"})
# Actions (/S) that open another file: a thread in one (`/S /Thread /F
# (\\\\host\\share\\x.pdf)`, twenty-fifth round), as /GoToR does. An article
# thread (`/Type /Thread`) is the document's own.
ACTIVE_PDF_ACTIONS = frozenset({"/Thread"})
MAX_PDF_OBJECTS = 200_000
# pypdf reads a PDF's objects about a character at a time, a microsecond a
# read. A briefing of 10,000 objects takes 1.5 million reads; 96,000 arrays
# of 90 zeros took 38 million (42 s), and a 20 KB PDF whose object stream
# inflates to 18 MB of zeros took 29 s, with room for a thousand such
# streams under the size limit. So the reading is bounded: reads of the
# file and bytes inflated from object streams, together (at the limit,
# some 5 s; a resource's files together, MAX_RESOURCE_CHECK_WORK).
MAX_PDF_READS = 5_000_000
MAX_IMAGE_SIDE = 12_000          # pixels: far above any chart or photograph on a page
MAX_IMAGE_PIXELS = 50_000_000    # 50 megapixels: 200 MB once decoded
# A progressive JPEG is drawn in scans, each read over the whole picture: a
# 2 MB one of 64,000 tiny scans took 83 s to decode. Typst stops at 100;
# a photograph has about 10. Counted as start-of-scan markers, which
# entropy-coded data cannot hold (an FF byte there is followed by 00).
MAX_JPEG_SCANS = 100


def content_problem(path) -> str | None:
    """Why a file's content may not be published (a PDF with scripts or
    actions, an image bombs its reader's memory, a file that is not what its
    name says), or None. Read once per version of the file."""
    from pathlib import Path
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return None
    return _content_problem(str(path), stat.st_size, stat.st_mtime_ns)


from functools import lru_cache  # noqa: E402


def _limits() -> tuple:
    """The limits a verdict and its share of work were found under: part of
    what a verdict is remembered by, so that one found under other limits
    (a test's, lowered) is never taken for today's."""
    return tuple(value for name, value in sorted(globals().items()) if name.startswith("MAX_")
                 and isinstance(value, (int, float)))

def content_work(path) -> float:
    """The work of checking a file (see MAX_RESOURCE_CHECK_WORK), once
    content_problem has read it; remembered with its verdict."""
    from pathlib import Path
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return 0.0
    return _checked(str(path), stat.st_size, stat.st_mtime_ns, _limits())[1]


class Work:
    """A check's share of the most one file may take: its kind's own
    measure, each over its limit, the largest kept."""

    def __init__(self):
        self.share = 0.0

    def spent(self, used: float, limit: float) -> None:
        self.share = max(self.share, used / limit)


# Verdicts by content: the gate reads the staged copy of a file that the
# checks before it read at its source, and a copy has another path and time.
_VERDICTS: dict[tuple[str, bytes, tuple], tuple[str | None, float]] = {}


def _content_problem(path: str, size: int, mtime: int) -> str | None:
    return _checked(path, size, mtime, _limits())[0]


@lru_cache(maxsize=4096)
def _checked(path: str, size: int, mtime: int, limits: tuple = ()) -> tuple[str | None, float]:
    import hashlib
    ext = extension(path)
    if ext not in FILE_TYPES:
        return None, 0.0
    if size > MAX_FILE_BYTES:
        return size_problem(size), 0.0
    with open(path, "rb") as handle:
        data = handle.read()
    key = (ext, hashlib.blake2b(data, digest_size=20).digest(), limits)
    if key not in _VERDICTS:
        if len(_VERDICTS) > 16_384:
            _VERDICTS.clear()
        work = Work()
        work.spent(len(data), MAX_FILE_BYTES)
        _VERDICTS[key] = data_problem(data, ext, work), work.share
    return _VERDICTS[key]


def data_problem(data: bytes, ext: str, work: Work | None = None) -> str | None:
    """Why the content of a file of type `ext` may not be published, or None.
    `work`, if given, is told what the check took."""
    work = work or Work()
    if ext == "pdf":
        return pdf_problem(data, work)
    if ext in OFFICE_TYPES:
        return office_problem(data, ext, work)
    if ext in TEXT_TYPES:
        return text_problem(data, ext)
    if ext in PILLOW_FORMATS:
        return image_problem(data, ext, work)
    return None  # a type with no check of its content (none today)


# Office documents are zip files of XML (OOXML for Word, Excel and
# PowerPoint, OpenDocument for the others). A relationship or link to a
# file outside the document is fetched by the reader's office program when
# it opens it: a remote template (macros) or a Windows share (which leaks
# the reader's credential hash). Hyperlinks to the web are fine.
#
# The parts are read with an XML parser (lxml), as the office program reads
# them: quoting, spaces round `=`, character references and namespace
# prefixes are the parser's business, not a pattern's (a byte pattern was
# passed by each of them). The parser fetches nothing, loads no DTD and
# expands no external entity; a part that declares a DTD at all is refused,
# as no office program writes one.
OFFICE_TYPES = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}
MAX_OFFICE_PARTS = 5_000
MAX_OFFICE_XML_BYTES = 100 * 1024 * 1024  # all the XML parts read, unzipped
MAX_OFFICE_ELEMENTS = 2_000_000  # tags in them: a 300-page report has about 500,000
OPC_RELATIONSHIP = "Relationship"  # by local name, in whatever namespace
HYPERLINK_TYPES = frozenset({
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink",  # Strict OOXML
})
XLINK = "http://www.w3.org/1999/xlink"
XFORMS = "http://www.w3.org/2002/xforms"
# Relationships to parts that another program opens, or that are imported
# in another format (altChunk: HTML, RTF, MHT), whatever their target's name.
IMPORTING_RELATIONSHIPS = {"afchunk": "content imported from another format (altChunk)",
                           "oleobject": "an embedded object (OLE)", "control": "a control (ActiveX)",
                           "activexcontrolbinary": "a control (ActiveX)"}
# Parts and folders that hold macros or controls, which run when the
# document is opened: VBA (OOXML), Excel 4 macro sheets, ActiveX, and
# LibreOffice's Basic and Python/JavaScript scripts.
MACRO_PARTS_RE = re.compile(r"(?:^|/)(?:vbaproject\.bin|vbadata\.xml|activex/|macrosheets/)|^(?:basic|scripts)/",
                            re.I)
WEB_EXTENSION_RE = re.compile(r"(?:^|/)webextensions/", re.I)
# OpenDocument elements that bind a script or a program to an event
# (office:event-listeners, script:event-listener, presentation:event-listener,
# office:script) or pull data from another program (DDE), by namespace.
_ODF = "urn:oasis:names:tc:opendocument:xmlns:{}:1.0"
ODF_ACTIVE_ELEMENTS = (
    f"{{{_ODF.format('script')}}}*", f"{{{_ODF.format('office')}}}event-listeners",
    f"{{{_ODF.format('office')}}}script", f"{{{_ODF.format('presentation')}}}event-listener",
    f"{{{_ODF.format('office')}}}dde-source", f"{{{_ODF.format('text')}}}dde-connection-decls",
    f"{{{_ODF.format('text')}}}dde-connection-decl", f"{{{_ODF.format('text')}}}dde-connection",
    f"{{{_ODF.format('table')}}}dde-links", f"{{{_ODF.format('table')}}}dde-link",
    # A field that runs a named macro when clicked, one LibreOffice already
    # has among them (twenty-ninth round), as PowerPoint's ppaction://macro.
    f"{{{_ODF.format('text')}}}execute-macro",
)
# Objects that another program (OLE), Java (applet) or a plug-in runs.
ODF_OBJECTS = tuple(f"{{{_ODF.format('drawing')}}}{name}" for name in ("object-ole", "applet", "plugin"))
# Elements whose xlink:href a reader follows by choice: links, and areas of an image map.
ODF_LINKS = frozenset(f"{{{_ODF.format(space)}}}{name}" for space, name in (
    ("text", "a"), ("drawing", "a"), ("drawing", "area-rectangle"), ("drawing", "area-circle"),
    ("drawing", "area-polygon")))
# Attributes that hold a formula: a cell's, a validity's or a condition's,
# a named expression's, a text field's, in whatever namespace.
ODF_FORMULAS = "//@*[local-name()='formula' or local-name()='condition' or local-name()='expression']"
ODF_SYNTAX_RE = re.compile(r"[A-Za-z][\w.-]*:(?!//)")


def _odf_name(element) -> str:
    return f"{element.prefix}:{element.tag.rsplit('}', 1)[-1]}" if element.prefix else str(element.tag)


HTML_START_RE = re.compile(rb"\s*<(?:!doctype|html|head|body|script|svg|iframe|meta|\?xml)\b", re.I)


def office_problem(data: bytes, ext: str, work: Work | None = None) -> str | None:
    import zipfile
    if not data.startswith(b"PK\x03\x04"):
        return f"is not a {FILE_TYPES[ext]} file: it does not start as one"
    read = [0, 0, 0]  # bytes unzipped, tags, parts (at every depth)
    try:
        refused = _package_problem(data, ext in ("docx", "xlsx", "pptx"), read)
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, NotImplementedError, EOFError):
        return f"cannot be read as a {FILE_TYPES[ext]} file, so what it would do when opened cannot be checked"
    finally:
        if work is not None:
            work.spent(read[0], MAX_OFFICE_XML_BYTES)
            work.spent(read[1], MAX_OFFICE_ELEMENTS)
    if refused == NOT_A_PACKAGE:
        return f"is not a {FILE_TYPES[ext]} file: it does not hold one's parts"
    return refused


NOT_A_PACKAGE = "is not an office document"
MAX_OFFICE_DEPTH = 3  # a document in a document (a chart's workbook) in a document
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _head(archive, info) -> bytes:
    """A part's first bytes, past any white space before them: XML may
    start with as much as it likes, and a reader still parses it."""
    with archive.open(info) as part:
        head, skipped = part.read(16), 0
        # At most 1 MB of it: the part's whole size is counted against the
        # limit next (twenty-seventh round: 8 GB of spaces in 15 KB were
        # read here, 28 s, before the limit was looked at).
        while head and not head.lstrip(b" \t\r\n\xef\xbb\xbf") and skipped < MAX_HEAD_SKIP:
            more = part.read(65_536)
            if not more:
                break
            head, skipped = more, skipped + len(more)
    return head.lstrip(b" \t\r\n") if head.lstrip(b" \t\r\n\xef\xbb\xbf") else head


MAX_HEAD_SKIP = 1024 * 1024


def _package_problem(data: bytes, ooxml: bool, read: list[int], depth: int = 1) -> str | None:
    """What an OOXML (`ooxml`) or OpenDocument zip holds that fetches or
    runs, or None. Every part is read by what it holds, not by its name:
    Office finds a document's parts by their content types, so a main part
    named `word/document.dat` is still the document. XML parts are checked;
    a document inside it (a chart's workbook) is checked the same way; an
    OLE object is refused. `read` counts the bytes unzipped, across depths."""
    import io
    import zipfile
    from lxml import etree
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        names = [info.filename for info in infos]
        # Parts are counted across documents inside documents too (twenty-
        # eighth round: 240 inner zips of 4,999 empty parts, in 8 MB, took
        # 45 s, each zip under the limit on its own).
        read[2] += len(names)
        if len(names) > MAX_OFFICE_PARTS or read[2] > MAX_OFFICE_PARTS:
            return f"has more than {MAX_OFFICE_PARTS:,} parts to check, counting those of the documents inside it"
        if ooxml and "[Content_Types].xml" not in names or not ooxml and "mimetype" not in names:
            return NOT_A_PACKAGE
        macros = next((name for name in names if MACRO_PARTS_RE.search(name)), None)
        if macros:
            return f"holds macros (`{_shown(macros)}`), which run when it is opened"
        # An Office add-in: a web page and its scripts, from another site,
        # that Office loads into the document, at once if its pane is set to
        # open with it (forty-first round).
        add_in = next((name for name in names if ooxml and WEB_EXTENSION_RE.search(name)), None)
        if add_in:
            return (f"holds an Office add-in (`{_shown(add_in)}`), which loads a web page and its scripts from "
                    "another site into the document; remove the add-in from the document and save it again")
        external = _external_relationships(archive, infos) if ooxml else {}
        strings: list[str] = []  # a workbook's shared text
        seen_strings: list[str] = []  # the same, as a reader sees it
        cells: list = []  # links on cells of shared text
        # The relationships first: what they load is said before how a part uses them.
        # (And an OpenDocument file's common styles, which LibreOffice reads
        # from `styles.xml` by that name, before the text that uses them.)
        # Word's styles too, which it finds by their relationship, are read
        # before the parts whose runs they draw.
        style_parts = _style_parts(archive, infos) if ooxml else set()
        infos.sort(key=lambda info: (not info.filename.lower().endswith(".rels"), info.filename != "styles.xml"
                                     and _part_name(info.filename) not in style_parts))
        common_styles = None
        word_styles = _WordStyles()
        slide_defaults = _SlideDefaults()
        for info in infos:
            head = _head(archive, info)
            is_zip = head.startswith(b"PK\x03\x04")
            if head.startswith(OLE_SIGNATURE):
                return (f"holds an embedded object (`{_shown(info.filename)}`, OLE), which can run another "
                        "program when it is opened")
            if head.startswith(MEDIA_SIGNATURES):
                continue  # a picture or a font, by its own signature
            read[0] += info.file_size
            if read[0] > MAX_OFFICE_XML_BYTES:
                return f"has parts too large to check (over {MAX_OFFICE_XML_BYTES // (1024 * 1024)} MB unzipped)"
            content = archive.read(info)
            if is_zip:
                if depth >= MAX_OFFICE_DEPTH:
                    return f"holds documents inside documents more than {MAX_OFFICE_DEPTH} deep"
                names_inside = zipfile.ZipFile(io.BytesIO(content)).namelist()
                inner = _package_problem(content, "[Content_Types].xml" in names_inside, read, depth + 1) \
                    if "[Content_Types].xml" in names_inside or "mimetype" in names_inside else NOT_A_PACKAGE
                if inner == NOT_A_PACKAGE:
                    return f"holds an archive (`{_shown(info.filename)}`) that is not an office document"
                if inner:
                    return f"holds a document (`{_shown(info.filename)}`) that {inner}"
                continue
            # Anything else is read as XML if it is any: a part is what it
            # holds, in whatever encoding, whatever its name says. Each tag
            # costs lxml about 130 bytes: 95 MB of `<a/>` took 3.3 GB.
            read[1] += content.count(b"<")
            if read[1] > MAX_OFFICE_ELEMENTS:
                return f"has more than {MAX_OFFICE_ELEMENTS:,} elements to check"
            root = _xml_part(content)
            if isinstance(root, str):
                if not _looks_like_xml(content):
                    continue  # printer settings, an obfuscated font: not XML to any reader
                return f"has a part ({_shown(info.filename)}) that {root}"
            if not ooxml:
                refused = _odf_problem(root, common_styles)
                if info.filename == "styles.xml":
                    common_styles = root
            elif info.filename.lower().endswith(".rels"):
                refused = _relationships_problem(root)
            else:
                targets = external.get(_part_name(info.filename), {})
                if _part_name(info.filename) in style_parts and etree.QName(root).localname == "styles" and (
                        etree.QName(root).namespace in _OOXML["w"]):
                    word_styles = _WordStyles(root)
                if etree.QName(root).localname in ("sldMaster", "sldLayout", "presentation"):
                    slide_defaults.read(root)
                refused = _ooxml_part_problem(root, info.filename, word_styles) or _external_use_problem(
                    root, info.filename, targets) or _ooxml_link_problem(root, info.filename, targets, cells,
                                                                         word_styles, slide_defaults)
                if etree.QName(root).localname == "sst":
                    strings = ["".join(item.itertext()) for item in root]
                    # And as a reader sees it: rich text's faint runs left out
                    # (forty-fourth round: a 1-point white `_` in `www.gov_.scot`).
                    seen_strings = [_shown_text(item, faint=True) for item in root]
            if refused:
                return refused
        # A sheet's links on cells of shared text, read once the text is.
        for index, target, tooltip, where in cells:
            if index < len(strings) and (trouble := _link_trouble(target, strings[index], tooltip) or (
                    index < len(seen_strings) and _link_trouble(target, seen_strings[index]))):
                return f"has a link to `{_shown(target)}` {trouble} (in {where})"
    return None


# The namespaces of a relationship id (`r:id`), transitional and strict.
RELATIONSHIP_NAMESPACES = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                           "http://purl.oclc.org/ooxml/officeDocument/relationships")
VML = "urn:schemas-microsoft-com:vml"


NEAR_WHITE = 0xE6  # each of red, green and blue at least this: drawn on a white page, unseen


def _near_white(*colour) -> bool:
    """Whether a colour, as `RRGGBB` or as red, green and blue numbers, is
    too near white to read on a white page (the three readings of text drawn
    unseen: Office runs, OpenDocument styles, PDF letters)."""
    if len(colour) == 1:
        text = colour[0]
        if not text or not re.fullmatch(r"[0-9A-Fa-f]{6}", text):
            return False
        colour = tuple(int(text[at:at + 2], 16) for at in (0, 2, 4))
    return min(colour) >= NEAR_WHITE


def _faint(properties) -> bool:
    """Whether a run's properties (Word's `w:rPr`, DrawingML's `a:rPr`) draw
    it so that a reader does not see it: white, under 4 points, squeezed
    under half its width or onto the letters before it (thirty-eighth
    round: `www.gov.scot` + a white or 0.5-point `.evil.example`)."""
    from lxml import etree

    def number(value, default: float) -> float:
        try:
            return float(value)
        except (TypeError, ValueError):
            return default

    for key, value in properties.attrib.items():  # DrawingML: sz in hundredths of a point, spc too
        name = etree.QName(key).localname
        if name == "sz" and number(value, 1200) < 400 or name == "spc" and number(value, 0) < -200:
            return True
    for child in properties.iter(etree.Element):
        name = etree.QName(child).localname
        value = next((v for k, v in child.attrib.items() if etree.QName(k).localname == "val"), None)
        if (name == "color" or name == "srgbClr" and etree.QName(child.getparent()).localname == "solidFill") and (
                _near_white(value)):
            return True
        if name == "color" and any(etree.QName(key).localname == "themeColor" and theme in WHITE_THEME_COLOURS
                                   for key, theme in child.attrib.items()):
            return True
        if name == "schemeClr" and value in WHITE_THEME_COLOURS and etree.QName(child.getparent()).localname == (
                "solidFill"):
            return True
        # Excel's colour: `rgb`, alpha first (forty-fourth round: `FFFFFFFF`).
        if name == "color" and _near_white((child.get("rgb") or "")[-6:]):
            return True
        if name == "sz" and number(value, 24) < 8 or name == "w" and number(value, 100) < 50 or (
                name == "spacing" and number(value, 0) < -40):
            return True
        # Word's `w:fitText`: the run squeezed into a width, in twentieths of
        # a point (forty-fourth round: `_` in one twip).
        if name == "fitText" and number(value, 1440) < 60:
            return True
    return False


WORD_HIDDEN = frozenset({"vanish", "specVanish", "webHidden"})
# Theme colours that are the page's own in the default themes: text in them is white on white.
WHITE_THEME_COLOURS = frozenset({"background1", "bg1", "light1", "lt1"})


class _WordStyles:
    """How Word draws a run: the document's defaults, then the paragraph's
    style, then the run's character style (each over the style it is based
    on), then the run's own properties, the last said winning. Forty-fourth
    round: a character style that hid, whitened or shrank the `_` in
    `www.gov_.scot` was not read, only properties written on the run."""

    def __init__(self, root=None):
        from lxml import etree
        self.defaults: dict = {}
        self.styles: dict[str, tuple] = {}
        self.default_paragraph = None
        self._chains: dict = {}
        if root is None:
            return
        for element in root.iter(*_ooxml_tags("w", "rPrDefault")):
            self.defaults.update(self._own(element))
        for style in root.iter(*_ooxml_tags("w", "style")):
            attributes = {etree.QName(key).localname: value for key, value in style.attrib.items()}
            based = next((self._val(child) for child in style if etree.QName(child).localname == "basedOn"), None)
            if attributes.get("styleId"):
                self.styles[attributes["styleId"]] = (based, self._own(style))
                if attributes.get("type") == "paragraph" and attributes.get("default") in ("1", "true", "on"):
                    self.default_paragraph = attributes["styleId"]

    @staticmethod
    def _val(element):
        from lxml import etree
        return next((value for key, value in element.attrib.items() if etree.QName(key).localname == "val"), None)

    @staticmethod
    def _own(holder) -> dict:
        """The run properties a style or default gives: {local name: element}."""
        from lxml import etree
        found = {}
        for properties in holder:
            if etree.QName(properties).localname == "rPr":
                found.update((etree.QName(child).localname, child) for child in properties
                             if isinstance(child.tag, str))
        return found

    def _chain(self, style_id) -> dict:
        if style_id not in self._chains:
            chain, seen, key = [], set(), style_id
            while key in self.styles and key not in seen and len(chain) < 100:
                seen.add(key)
                based, own = self.styles[key]
                chain.append(own)
                key = based
            merged: dict = {}
            for own in reversed(chain):
                merged.update(own)
            self._chains[style_id] = merged
        return self._chains[style_id]

    def properties(self, run) -> dict:
        """A run's properties as Word applies them: {local name: element}."""
        from lxml import etree
        paragraph = next(run.iterancestors(*_ooxml_tags("w", "p")), None)
        paragraph_style = self.default_paragraph
        if paragraph is not None:
            for properties in paragraph:
                if etree.QName(properties).localname == "pPr":
                    paragraph_style = next((self._val(child) for child in properties
                                            if etree.QName(child).localname == "pStyle"), paragraph_style)
        direct = self._own(run)
        character = next((self._val(child) for child in direct.values() if etree.QName(child).localname == "rStyle"),
                         None) if "rStyle" in direct else None
        return {**self.defaults, **self._chain(paragraph_style), **self._chain(character), **direct}

    def unseen(self, run, faint: bool) -> bool:
        """Whether Word draws the run as nothing, or (with `faint`) too faint
        or small to see."""
        from lxml import etree
        properties = self.properties(run)
        for name in WORD_HIDDEN & properties.keys():
            if (self._val(properties[name]) or "true").lower() not in ("0", "false", "off"):
                return True
        if not faint:
            return False
        drawn = etree.Element("rPr")
        for child in properties.values():
            drawn.append(copy.deepcopy(child))
        return _faint(drawn)


def _draws_nothing(shape) -> bool:
    """Whether a linked shape shows nothing of its own: no text, no picture,
    and no fill, or one a reader sees through (forty-fifth round: a clear
    shape over the words `www.gov.scot`, linked to evil.example)."""
    from lxml import etree
    # (A picture, a chart or a diagram draws itself.)
    if _shown_text(shape).strip() or any(etree.QName(element).localname in ("blip", "imagedata", "chart", "relIds")
                                         for element in shape.iter(etree.Element)):
        return False
    properties = next((element for element in shape.iter(etree.Element)
                       if etree.QName(element).localname == "spPr"), None)
    fills = [child for child in properties if isinstance(child.tag, str)
             and etree.QName(child).localname.endswith("Fill")] if properties is not None else []
    if fills:
        fill = fills[-1]
        if etree.QName(fill).localname == "noFill":
            return True
        # Any see-through colour in it (`a:alpha` under 100%).
        return any(etree.QName(element).localname == "alpha" and (element.get("val") or "100000").rstrip("%")
                   not in ("100000", "100") for element in fill.iter(etree.Element))
    # No fill of its own: the theme's, if its style names one (`a:fillRef idx` above 0).
    return not any(etree.QName(element).localname == "fillRef" and (element.get("idx") or "0") != "0"
                   for element in shape.iter(etree.Element))


def _adjacent_links(element, same) -> list:
    """`element` and its siblings either side for which `same` holds, in order."""
    group = [element]
    before, after = element.getprevious(), element.getnext()
    while before is not None and same(before) and len(group) < 1000:
        group.insert(0, before)
        before = before.getprevious()
    while after is not None and same(after) and len(group) < 1000:
        group.append(after)
        after = after.getnext()
    return group


def _linked_runs(run, target: str, targets: dict[str, str]) -> list:
    """`run` and the runs either side of it in its paragraph whose own link
    (`a:hlinkClick`) goes to `target`."""
    from lxml import etree

    def goes_there(sibling) -> bool:
        if sibling is None or etree.QName(sibling).localname not in ("r", "fld"):
            return False
        for properties in sibling:
            if etree.QName(properties).localname == "rPr":
                for link in properties:
                    if etree.QName(link).localname == "hlinkClick":
                        return any(targets.get(value) == target for key, value in link.attrib.items()
                                   if etree.QName(key).localname == "id")
        return False

    group = [run]
    before, after = run.getprevious(), run.getnext()
    while goes_there(before) and len(group) < 1000:
        group.insert(0, before)
        before = before.getprevious()
    while goes_there(after) and len(group) < 1000:
        group.append(after)
        after = after.getnext()
    return group


class _SlideDefaults:
    """What a presentation's masters, layouts and default text style may
    give a run that says nothing of its own: a size under 4 points, or a
    fill that is not seen. Which master and placeholder a run takes its
    properties from is not worked out: if any of them gives one, a run
    that sets no size, or no fill, is read as possibly unseen too
    (forty-sixth round's note: a master's styles were not read)."""

    def __init__(self):
        self.tiny = self.unseen_fill = False

    def read(self, root) -> None:
        from lxml import etree
        for element in root.iter(*_ooxml_tags("a", "defRPr")):
            try:
                self.tiny |= float(element.get("sz") or 1200) < 400
            except ValueError:
                pass
            fills = [child for child in element if isinstance(child.tag, str)
                     and etree.QName(child).localname.endswith("Fill")]
            if fills and (etree.QName(fills[-1]).localname == "noFill" or _faint(element)):
                self.unseen_fill = True


def _drawingml_faint(run, slides: _SlideDefaults | None = None) -> bool:
    """Whether a DrawingML run (PowerPoint, a chart, a Word drawing) is
    drawn too faint or small to see, with what its text body gives it: the
    list style's properties for its paragraph's level, then the paragraph's
    own defaults, then the run's (forty-fourth round's Word and OpenDocument
    styles had DrawingML's twin: a text body's list style, unread). No fill
    (`a:noFill`) draws nothing. A slide layout's or master's styles are not
    read here."""
    from lxml import etree
    paragraph = run.getparent()
    body = paragraph.getparent() if paragraph is not None else None
    layers = []
    level = 0
    own_paragraph = next((child for child in paragraph if etree.QName(child).localname == "pPr"), None) \
        if paragraph is not None else None
    if own_paragraph is not None:
        try:
            level = int(own_paragraph.get("lvl") or 0)
        except ValueError:
            level = 0
    if body is not None:
        for child in body:
            if etree.QName(child).localname == "lstStyle":
                layers += [default for style in child if etree.QName(style).localname in ("defPPr", f"lvl{level + 1}pPr")
                           for default in style if etree.QName(default).localname == "defRPr"]
    if own_paragraph is not None:
        layers += [default for default in own_paragraph if etree.QName(default).localname == "defRPr"]
    layers += [child for child in run if etree.QName(child).localname == "rPr"]
    attributes, children = {}, {}
    for layer in layers:
        attributes.update(layer.attrib)
        for child in layer:
            if isinstance(child.tag, str):
                name = etree.QName(child).localname
                # One fill: the last said, of whichever kind.
                children["fill" if name.endswith("Fill") else name] = child
    if any(etree.QName(child).localname == "noFill" for child in children.values()):
        return True
    # What a master or layout may give a run that says nothing of its own.
    if slides is not None and (slides.tiny and "sz" not in attributes or slides.unseen_fill and "fill" not in children):
        return True
    drawn = etree.Element("rPr", attributes)
    for child in children.values():
        drawn.append(copy.deepcopy(child))
    return _faint(drawn)


def _shown_text(element, faint: bool = False, styles: "_WordStyles | None" = None,
                slides: "_SlideDefaults | None" = None) -> str:
    """The text an element shows: text runs (`w:t`, `a:t`, a cell's `t`),
    Word's symbols (`w:sym`: thirty-third round, dots drawn as symbols made
    `www.gov.scot` read as `wwwgovscot`), tabs and breaks as spaces. With
    `faint`, without the runs drawn too faint or small to see (`_faint`):
    a link is read both ways, since white may be on a dark fill."""
    from lxml import etree
    shown = []
    # A run drawn as nothing (`w:vanish`): read as the reader sees the text
    # (thirty-seventh round: `www.gov` + a hidden `_` + `.scot` read as no address).
    hidden = set(element.xpath(".//*[local-name()='r'][*[local-name()='rPr']/*[(local-name()='vanish' or "
                               "local-name()='specVanish' or local-name()='webHidden') and not(@*[local-name()='val'"
                               " and (.='0' or .='false' or .='off')])]]"))
    if faint:
        hidden |= {run for run in element.xpath(".//*[local-name()='r'][*[local-name()='rPr']]")
                   if _faint(next(child for child in run if etree.QName(child).localname == "rPr"))}
    # A Word run as its styles draw it (the runs are Word's when styles are given).
    if styles is not None:
        hidden |= {run for run in element.iter(*_ooxml_tags("w", "r")) if styles.unseen(run, faint)}
    if faint:
        hidden |= {run for run in element.iter(*_ooxml_tags("a", "r")) if _drawingml_faint(run, slides)}
    for node in element.iter(etree.Element):
        if hidden and any(parent in hidden for parent in node.iterancestors()):
            continue
        name = etree.QName(node).localname
        if name == "t":
            shown.append(node.text or "")
        elif name == "sym":
            code = next((value for key, value in node.attrib.items() if key.endswith("char")), "")
            try:
                number = int(code, 16)
            except ValueError:
                continue
            # Symbol fonts' private codes (F0xx) draw the character xx.
            shown.append(chr(number - 0xF000 if 0xF000 <= number <= 0xF0FF else number) if number < 0x110000 else "")
        elif name in ("tab", "br", "cr"):
            shown.append(" ")
    return "".join(shown)


def _cells_in(reference: str, values: dict) -> list:
    """The cells of a sheet's range (`A1:B2`, `$A$1`) among `values`, at most 10,000."""
    corners = []
    for corner in reference.replace("$", "").upper().split(":")[:2]:
        match = re.fullmatch(r"([A-Z]{1,3})(\d{1,7})", corner.strip())
        if not match:
            return []
        column = 0
        for letter in match.group(1):
            column = column * 26 + ord(letter) - 64
        corners.append((column, int(match.group(2))))
    (left, top), (right, bottom) = corners[0], corners[-1]
    if (abs(right - left) + 1) * (abs(bottom - top) + 1) > 10_000:
        return list(values.values())[:10_000]
    return [values[f"{_column_name(column)}{row}"] for column in range(min(left, right), max(left, right) + 1)
            for row in range(min(top, bottom), max(top, bottom) + 1) if f"{_column_name(column)}{row}" in values]


def _ooxml_link_problem(root, part: str, targets: dict[str, str], cells: list,
                        styles: _WordStyles | None = None, slides: "_SlideDefaults | None" = None) -> str | None:
    """OOXML: what each link to an outside address shows, against where it
    goes (thirty-first and thirty-third rounds): Word's `w:hyperlink` (its
    text, symbols and tooltip); a DrawingML link on a run (the run's text),
    on a shape or picture (its text, alt text and title); a sheet's
    `hyperlink` (its display text, tooltip and every cell of its range: a
    cell of shared text is added to `cells`, read when the shared text is);
    and an old-style (VML) shape's `href`, which is checked wherever it goes."""
    from lxml import etree
    where = f"`{_shown(part)}`"
    found = []
    # An old-style (VML) picture, fill or stroke whose `src` is an address
    # itself rather than a part of the package (fortieth round:
    # `v:imagedata src="https://tracker.example/p.png"`, `v:fill src="file://..."`).
    for element in root.xpath("//*[@src]"):
        if etree.QName(element).namespace == VML and _outside_document(element.get("src")):
            return (f"loads `{_shown(element.get('src'))}` from outside the document when it is opened (an "
                    f"old-style picture or fill, in {where}); only links to web pages are allowed")
    for element in root.xpath("//*[@href]"):
        if etree.QName(element).namespace == VML:
            href = element.get("href")
            if not _safe_link(href):
                return f"has a shape linking to `{_shown(href)}` (in {where}); {LINK_ONLY}"
            found.append((href, _shown_text(element), element.get("alt") or element.get("title")))
    if not targets and not found:
        return None
    # Found by lxml in C: every relationship id, in either namespace.
    links_here = [(value.getparent(), targets[value]) for value in root.xpath(
        "//@*[local-name()='id' and (namespace-uri()=$a or namespace-uri()=$b)]",
        a=RELATIONSHIP_NAMESPACES[0], b=RELATIONSHIP_NAMESPACES[1]) if value in targets] if targets else []
    sheet_links = []
    clear: list[str] = []  # links on shapes that draw nothing of their own
    for element, target in links_here:
        name = etree.QName(element).localname
        if name == "hyperlink" and etree.QName(element).namespace in _OOXML["x"]:
            sheet_links.append((element, target))
            continue
        # Word's runs as its styles draw them; a DrawingML run as written.
        word = styles if etree.QName(element).namespace in _OOXML["w"] else None
        found.append((target, _shown_text(element, styles=word),
                      element.get(f"{{{etree.QName(element).namespace}}}tooltip") or element.get("tooltip")))
        found.append((target, _shown_text(element, faint=True, styles=word), None))
        if name == "hyperlink" and word is not None:
            # With the links beside it to the same address, which a reader
            # takes for one (forty-fifth round's slides had the same).
            group = _adjacent_links(element, lambda other: other.tag == element.tag and any(
                targets.get(value) == target for key, value in other.attrib.items()
                if etree.QName(key).localname == "id"))
            if len(group) > 1:
                found.append((target, "".join(_shown_text(link, styles=word) for link in group), None))
                found.append((target, "".join(_shown_text(link, faint=True, styles=word) for link in group), None))
        holder = element.getparent()
        if name.startswith("hlink") and holder is not None:
            if etree.QName(holder).localname == "rPr":
                # The run, or a field, with the runs beside it that link to the
                # same address: one link to a reader (forty-fifth round: `gov`
                # and `.scot`, each linked to evil.example, were read apart).
                group = _linked_runs(holder.getparent(), target, targets)
                found.append((target, "".join(_shown_text(run) for run in group), None))
                found.append((target, "".join(_shown_text(run, faint=True, slides=slides) for run in group), None))
            else:
                # On a shape's or picture's own properties (`p:cNvPr`, `wp:docPr`):
                # its alt text and title, and the text of the shape.
                found += [(target, holder.get("descr"), holder.get("title"))]
                shape = holder.getparent() if etree.QName(holder).localname == "docPr" else (
                    holder.getparent().getparent() if holder.getparent() is not None else None)
                if shape is not None:
                    found += [(target, _shown_text(shape), None), (target, _shown_text(shape, faint=True), None)]
                    if _draws_nothing(shape):
                        clear.append(target)
    if sheet_links:
        values = {cell.get("r"): cell for cell in root.iter(*_ooxml_tags("x", "c")) if cell.get("r")}
        for element, target in sheet_links:
            found.append((target, element.get("display"), element.get("tooltip")))
            for cell in _cells_in(element.get("ref") or "", values):
                value = next((child for child in cell if etree.QName(child).localname == "v"), None)
                if cell.get("t") == "s" and value is not None and (value.text or "").strip().isdigit():
                    cells.append((int(value.text), target, element.get("tooltip"), where))
                elif cell.get("t") == "inlineStr":
                    found += [(target, _shown_text(cell), None), (target, _shown_text(cell, faint=True), None)]
                elif value is not None:
                    found.append((target, value.text, None))
    for target, text, tooltip in found:
        if trouble := _link_trouble(target, text, tooltip):
            return f"has a link to `{_shown(target)}` {trouble} (in {where})"
    for target in clear:
        return (f"has a link to `{_shown(target)}` on a shape that draws nothing of its own (no text, picture or "
                "solid fill), so what shows through it, which cannot be read here, is what a reader takes the link "
                f"for (in {where}); link the words or the picture themselves")
    # A paragraph's words that run from text into a link, or across links,
    # as on the pages (forty-fifth round: `www.gov` then a link `.scot`).
    if links_here:
        from .links import misleading_runs
        paragraphs = {id(paragraph): paragraph for element, _ in links_here
                      for paragraph in element.iterancestors(*_ooxml_tags("w", "p"), *_ooxml_tags("a", "p"))}
        for paragraph in paragraphs.values():
            for faint in (False, True):
                for shown, target in misleading_runs(_paragraph_segments(paragraph, targets, styles, faint,
                                                                         slides)):
                    return (f"has a link to `{_shown(target)}` whose text, with the words beside it, reads "
                            f"`{_shown(shown)}`: {MISLEADING_IN_FILE} (in {where})")
    return None


def _paragraph_segments(paragraph, targets: dict[str, str], styles, faint: bool, slides=None) -> list:
    """A Word or DrawingML paragraph as a reader sees it, cut at its links:
    [(text, the address it links to, or None)]."""
    from lxml import etree
    word = styles if etree.QName(paragraph).namespace in _OOXML["w"] else None
    segments = []

    def target_of(element):
        for key, value in element.attrib.items():
            if etree.QName(key).localname == "id" and value in targets:
                return targets[value]
        return None

    for child in paragraph:
        name = etree.QName(child).localname
        if name == "hyperlink":
            segments.append((_shown_text(child, faint=faint, styles=word), target_of(child)))
        elif name in ("r", "fld"):
            link = next((target_of(item) for properties in child if etree.QName(properties).localname == "rPr"
                         for item in properties if etree.QName(item).localname == "hlinkClick"), None)
            segments.append((_shown_text(child, faint=faint, styles=word, slides=slides), link))
    return segments


# Pictures and fonts, by the bytes they start with: PNG, JPEG, GIF, BMP,
# TIFF, RIFF (WebP), EMF and WMF, JPEG XR, TrueType, OpenType and WOFF.
MEDIA_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF",
                    b"\x01\x00\x00\x00", b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00",
                    b"II\xbc", b"\x00\x01\x00\x00", b"OTTO", b"true", b"wOFF", b"wOF2")


def _looks_like_xml(content: bytes) -> bool:
    """Whether a part that lxml could not parse starts as XML in any
    encoding a reader might guess (UTF-8, UTF-16 or UTF-32, either way)."""
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        text = content[:4 * 65_536].decode(encoding, errors="ignore").lstrip(" \t\r\n\ufeff\x00")
        if text.startswith("<"):
            return True
    return False


def _xml_part(part: bytes):
    """The root element of an office document's XML part, or why it cannot be read."""
    from lxml import etree
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(part, parser)
    except etree.XMLSyntaxError:
        return "is not well-formed XML, so what it would do when opened cannot be checked"
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        return "declares a DTD, which office documents never need (it can fetch files or expand entities)"
    return root


def _relationships_problem(root) -> str | None:
    """OOXML: a relationship is external unless its TargetMode is exactly
    `Internal` (or absent) and its target is a part's name; only a
    hyperlink's may be, and then only to a web, email or phone address."""
    from lxml import etree
    from urllib.parse import urlsplit
    from .links import as_browser_reads
    for element in root.iter(etree.Element):
        if etree.QName(element).localname != OPC_RELATIONSHIP:
            continue
        target = element.get("Target") or ""
        if not _is_external(element):
            kind = (element.get("Type") or "").rsplit("/", 1)[-1].lower()
            if kind in IMPORTING_RELATIONSHIPS:
                return (f"has {IMPORTING_RELATIONSHIPS[kind]} (`{_shown(target)}`), which can fetch or run when it "
                        "is opened")
            continue
        if element.get("Type") not in HYPERLINK_TYPES:
            kind = (element.get("Type") or "").rsplit("/", 1)[-1]
            if kind.lower() == "attachedtemplate":
                # Forty-seventh round: every file made from a company template has one.
                return (f"loads `{_shown(target)}` from outside the document when it is opened (the template it "
                        "is attached to); in Word, choose Developer, then Document Template, attach Normal instead, "
                        "and save again, or save a copy as PDF")
            if kind.lower() in ("video", "audio", "media"):
                # Forty-fifth round: an online video was called a template or picture.
                return (f"has an online {'video' if kind.lower() != 'audio' else 'sound'} (`{_shown(target)}`), "
                        "which it loads from that site when it is shown; embed the file in the presentation, or "
                        "link to the video from the resource's page instead")
            return (f"loads `{_shown(target)}` from outside the document when it is opened (a template, "
                    "frame, object or picture); only links to web pages are allowed")
        if not _safe_link(target):
            return (f"has a link to `{_shown(target)}`; a document may link only to web (https), "
                    "email (mailto) and phone (tel) addresses")
        if trouble := _link_trouble(target):
            return f"has a link to `{_shown(target)}` {trouble}"
    return None


# What an OOXML part may hold that fetches or runs something with no
# relationship to show for it, in the transitional and the strict namespaces.
_OOXML = {"w": ("http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                "http://purl.oclc.org/ooxml/wordprocessingml/main"),
          "x": ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                "http://purl.oclc.org/ooxml/spreadsheetml/main"),
          "a": ("http://schemas.openxmlformats.org/drawingml/2006/main",
                "http://purl.oclc.org/ooxml/drawingml/main")}


def _ooxml_tags(prefix: str, *names: str) -> list[str]:
    return [f"{{{namespace}}}{name}" for namespace in _OOXML[prefix] for name in names]


# Word fields (`{ INCLUDEPICTURE "\\\\host\\share\\x.png" }`), by their
# first word: each is updated, and so fetches or runs, as the document opens
# or when a reader updates fields (printing does).
WORD_FIELDS = {
    "INCLUDEPICTURE": "fetches a file when the document opens",
    "INCLUDETEXT": "fetches a file when the document opens",
    "INCLUDE": "fetches a file when the document opens",
    "IMPORT": "fetches a file when the document opens",
    "LINK": "opens another program's file when the document opens",
    "DDE": "starts another program and reads from it (DDE) when the document opens",
    "DDEAUTO": "starts another program and reads from it (DDE) when the document opens",
    "DATABASE": "reads a database or another file when fields are updated",
    "RD": "reads another file when fields are updated",
    "EMBED": "embeds another program's object, which runs when opened",
    "MACROBUTTON": "runs a command or a macro when clicked",
    "PRINT": "sends commands to the printer",
}
FIELD_NAME_RE = re.compile(r"\s*([A-Za-z]+)")
NAMED_FIELD_RE = re.compile(r"\s*[A-Za-z]+\s")  # the name, and the space that ends it
FIELD_ARGUMENT_RE = re.compile(r'"[^"]*"?|\S+')
# Excel: links to other programs' data, and functions that reach another
# computer, call a library or start a program when the workbook calculates.
EXCEL_LINKS = {"ddeLink": "a DDE link, which starts another program when the workbook opens",
               "oleLink": "an OLE link, which opens another program's file when the workbook opens",
               "externalLink": "a link to another workbook, which is read when the workbook opens",
               "connection": "a data connection, which fetches data when the workbook opens",
               # Thirty-fourth round's files tester, as a gap: an XML map bound to a file.
               "DataBinding": "an XML map bound to another file or connection, which is read when it is refreshed"}
EXCEL_FUNCTIONS = {"WEBSERVICE": "reaches another computer", "FILTERXML": "reads what WEBSERVICE fetches",
                   "IMAGE": "fetches a picture from another computer", "RTD": "starts a real-time data server",
                   "CALL": "calls a program library", "REGISTER": "calls a program library",
                   "REGISTER.ID": "calls a program library", "EXEC": "starts a program",
                   "DDE": "starts another program and reads from it (DDE)",
                   # Twenty-second round: what sends the workbook's data to a
                   # service, or fetches from one, when it is worked out.
                   "STOCKHISTORY": "fetches data from the internet", "TRANSLATE": "sends text to an online service",
                   "DETECTLANGUAGE": "sends text to an online service", "COPILOT": "sends data to an online service",
                   "PY": "runs Python code on another computer", "SQL.REQUEST": "queries an outside database",
                   # Google Sheets, which opens a workbook or CSV from Drive (twenty-fifth round).
                   **{name: "fetches from another computer in Google Sheets" for name in (
                       "IMPORTXML", "IMPORTDATA", "IMPORTHTML", "IMPORTFEED", "IMPORTRANGE", "GOOGLETRANSLATE",
                       "GOOGLEFINANCE")},
                   **{name: "queries an outside data source" for name in (
                       "CUBEVALUE", "CUBEMEMBER", "CUBESET", "CUBESETCOUNT", "CUBEKPIMEMBER", "CUBERANKEDMEMBER",
                       "CUBEMEMBERPROPERTY")}}
# A function's name may carry a namespace: `_xlfn.` in Excel's files,
# `COM.MICROSOFT.` or `ORG.OPENOFFICE.` in OpenDocument's.
EXCEL_FUNCTION_RE = re.compile(r"(?<![\w.])(?:[A-Za-z_]\w*\.)*(" + "|".join(
    sorted((re.escape(name) for name in EXCEL_FUNCTIONS), key=len, reverse=True)) + r")\s*\(", re.I)
# Named bare for another function to call (`MAP({...},_xleta.WEBSERVICE)`,
# `LET(w,WEBSERVICE,w(...))`: twenty-sixth round), where a function that
# takes functions is used; elsewhere a bare word is a name (`SUM(Register)`).
BARE_FUNCTION_RE = re.compile(EXCEL_FUNCTION_RE.pattern[:-len(r"\s*\(")] + r"(?![\w.(])", re.I)
LAMBDA_HELPER_RE = re.compile(r"(?<![\w.])(?:[A-Za-z_]\w*\.)*(?:MAP|REDUCE|SCAN|BYROW|BYCOL|MAKEARRAY|LET|LAMBDA)"
                              r"\s*\(", re.I)
EXCEL_STRING_RE = re.compile(r'"(?:[^"]|"")*"?')
EXCEL_HYPERLINK_RE = re.compile(r"(?<![\w.])(?:[A-Za-z_]\w*\.)*HYPERLINK\s*\(\s*", re.I)
# A reference to a cell of another file: OpenDocument's `'file:///x.ods'#$Sheet1.A1`,
# or a quoted name holding a path (`'C:\x\[book.xlsx]Sheet1'!A1`): no sheet's
# name may hold `/`, `\`, `[` or `]`.
QUOTED_NAME_RE = re.compile(r"'((?:[^']|'')*)'\s*(#?)")
PATH_CHARACTERS = frozenset("/\\[]")
# PowerPoint actions on a click or a hover that run rather than link.
RUNNING_ACTIONS = ("ppaction://program", "ppaction://macro", "ppaction://ole")
LINK_ONLY = "a document may link only to web (https), email (mailto) and phone (tel) addresses"


# OpenDocument fields whose shown value LibreOffice works out as it opens,
# from a condition, a variable, a formula, a database or the user's details.
ODF_COMPUTED_FIELDS = frozenset({
    "conditional-text", "variable-get", "variable-set", "variable-input", "user-field-get", "user-field-input",
    "expression", "text-input", "sequence", "table-formula", "database-display", "database-name",
    "database-next", "database-row-number", "database-row-select", "user-defined", "drop-down", "placeholder",
    "sender-firstname", "sender-lastname", "sender-initials", "sender-title", "sender-position", "sender-email",
    "sender-phone-private", "sender-fax", "sender-company", "sender-phone-work", "sender-street",
    "sender-city", "sender-postal-code", "sender-country", "sender-state-or-province", "author-name",
    "author-initials", "file-name", "template-name", "meta-field", "script", "execute-macro",
    "hidden-paragraph", "hidden-text", "dde-connection", "reference-ref", "bookmark-ref", "sequence-ref", "note-ref"})
ODF_LENGTH_RE = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in|px|pc|%)?\s*$")
POINTS = {"pt": 1, "mm": 2.835, "cm": 28.35, "in": 72, "px": 0.75, "pc": 12, None: 1}


def _odf_faint(properties: dict) -> bool:
    """Whether text properties (`fo:font-size`, `fo:color`, by local name)
    draw text too faint or small to see: white, under 4 points (or 40%),
    squeezed under half its width, or run onto the letters before it
    (thirty-eighth round: `.evil.example` at 0.5 points, white, after
    `www.gov.scot`). A link is read with and without such text."""
    for local, value in properties.items():
        length = ODF_LENGTH_RE.match(value or "")
        size = float(length.group(1)) * POINTS.get(length.group(2), 1) if length and length.group(2) != "%" \
            else None
        if (local in ("font-size", "font-size-asian", "font-size-complex") and length and (
                length.group(2) == "%" and float(length.group(1)) < 40 or size is not None and size < 4)
                or local == "color" and (value or "").startswith("#") and _near_white(value[1:])
                or local == "text-scale" and length and length.group(2) == "%" and float(length.group(1)) < 50
                or local == "letter-spacing" and size is not None and size < -2):
            return True
    return False


class _OdfStyles:
    """A document's styles as LibreOffice applies them to text: the
    paragraph's, then each span's, each style over the one it is based on
    (`style:parent-style-name`) and its family's default, from the common
    styles (`styles.xml`) and the part's own. Forty-fourth round: a 0.5-point
    white `_` in `www.gov_.scot` was drawn by a common style, or by an
    automatic one based on it, and read only where written."""

    def __init__(self, *roots):
        from lxml import etree
        style = _ODF.format("style")
        self.styles: dict[tuple, tuple] = {}
        self.defaults: dict[str, dict] = {}
        self._effective: dict[tuple, dict] = {}
        for root in roots:
            if root is None:
                continue
            for element in root.iter(f"{{{style}}}style", f"{{{style}}}default-style"):
                family = element.get(f"{{{style}}}family")
                properties = {etree.QName(key).localname: value
                              for child in element.iter(f"{{{style}}}text-properties")
                              for key, value in child.attrib.items()}
                if etree.QName(element).localname == "default-style":
                    self.defaults[family] = properties
                elif element.get(f"{{{style}}}name"):
                    self.styles[(family, element.get(f"{{{style}}}name"))] = (
                        element.get(f"{{{style}}}parent-style-name"), properties)

    def properties(self, family: str, name: str | None) -> dict:
        """A style's text properties, with those it inherits."""
        key = (family, name)
        if key not in self._effective:
            chain, seen = [], set()
            while key in self.styles and key not in seen and len(chain) < 100:
                seen.add(key)
                parent, own = self.styles[key]
                chain.append(own)
                key = (family, parent)
            merged = dict(self.defaults.get(family, {}))
            for own in reversed(chain):
                merged.update(own)
            self._effective[(family, name)] = merged
        return self._effective[(family, name)]

    def drawn(self, element, leave_faint: bool) -> str:
        """A link's text as drawn: without hidden text or notes, text in a
        style that hides it (`text:display="none"`), and, with
        `leave_faint`, text drawn too faint or small to see."""
        text_ns = _ODF.format("text")
        paragraph = next((parent for parent in element.iterancestors(f"{{{text_ns}}}p", f"{{{text_ns}}}h")), None)
        around = self.properties("paragraph", paragraph.get(f"{{{text_ns}}}style-name")) if paragraph is not None \
            else dict(self.defaults.get("paragraph", {}))
        return self._drawn(element, around, leave_faint)

    def _drawn(self, element, around: dict, leave_faint: bool) -> str:
        from lxml import etree
        text_ns = _ODF.format("text")
        if etree.QName(element).localname in ("hidden-text", "hidden-paragraph", "note"):
            return ""
        if style := element.get(f"{{{text_ns}}}style-name"):
            around = {**around, **self.properties("text", style)}
        shown = around.get("display") != "none" and not (leave_faint and _odf_faint(around))
        parts = [element.text or ""] if shown else []
        for child in element:
            parts.append(self._drawn(child, around, leave_faint))
            if shown:
                parts.append(child.tail or "")
        return "".join(parts)


def _format_shows(literal: str) -> str | None:
    """An address or phone number a number format's own text shows."""
    from . import links
    literal = " ".join(literal.split())
    found = links.shown_addresses(literal, numbers=True) if literal else []
    return found[0] if found else None


def _outside_document(value: str) -> bool:
    """Whether an address is outside the document: a scheme, a host, a path
    from the root or one that climbs out of it."""
    from urllib.parse import urlsplit
    from .links import as_browser_reads
    try:
        seen = urlsplit(as_browser_reads(value))
    except ValueError:
        return True
    return bool(seen.scheme or seen.netloc or seen.path.startswith("/") or ".." in seen.path.split("/")
                or ":" in seen.path.split("/")[0])


def _is_external(relationship) -> bool:
    """A relationship leaves the package unless its TargetMode is exactly
    `Internal` (or absent) and its target is a part's name, not an address:
    one reading for both checks (`TargetMode="external"` was external to one
    and not to the other; twenty-first round)."""
    from urllib.parse import urlsplit
    from .links import as_browser_reads
    target = relationship.get("Target") or ""
    try:
        seen = urlsplit(as_browser_reads(target))
        addressed = bool(seen.scheme or seen.netloc)
    except ValueError:
        addressed = True
    return relationship.get("TargetMode") not in (None, "Internal") or addressed


def _part_name(name: str) -> str:
    """A part's name as Office matches it: without regard to letter case
    (`word/_rels/Settings.xml.rels` belongs to `word/settings.xml`),
    percent-escapes read, backslashes as slashes."""
    from urllib.parse import unquote
    return unquote(name.replace("\\", "/")).lstrip("/").casefold()


# Elements that follow a relationship only when a reader clicks them.
LINK_ELEMENTS = frozenset({"hyperlink", "hlinkClick", "hlinkHover", "hlinkMouseOver"})


def _external_relationships(archive, infos) -> dict[str, dict[str, str]]:
    """{part: {id: target} of its relationships to outside addresses}, from
    every `_rels/*.rels` (those the relationships check lets through are web
    links)."""
    from lxml import etree
    found: dict[str, dict[str, str]] = {}
    for info in infos:
        name = info.filename
        if not name.lower().endswith(".rels") or "_rels/" not in name.replace("\\", "/").lower():
            continue
        root = _xml_part(archive.read(info))
        if isinstance(root, str):
            continue  # said when the part itself is read
        normal = name.replace("\\", "/")
        at = normal.lower().rfind("_rels/")
        folder, file = normal[:at], normal[at + len("_rels/"):]
        ids = {element.get("Id"): element.get("Target") or "" for element in root.iter(etree.Element)
               if etree.QName(element).localname == OPC_RELATIONSHIP and _is_external(element)}
        found.setdefault(_part_name(folder + file[:-len(".rels")]), {}).update(ids)
    return found


def _style_parts(archive, infos) -> set[str]:
    """The parts that relationships name as styles (Word's `styles.xml`,
    wherever it is) or as a slide's layout or master, by part name."""
    from lxml import etree
    found = set()
    for info in infos:
        name = info.filename.replace("\\", "/")
        if not name.lower().endswith(".rels") or "_rels/" not in name.lower():
            continue
        root = _xml_part(archive.read(info))
        if isinstance(root, str):
            continue
        at = name.lower().rfind("_rels/")
        folder = name[:at]
        for element in root.iter(etree.Element):
            if etree.QName(element).localname == OPC_RELATIONSHIP and (element.get("Type") or "").endswith(
                    ("/styles", "/slideMaster", "/slideLayout")) and not _is_external(element):
                target = (element.get("Target") or "").replace("\\", "/")
                found.add(_part_name(target.lstrip("/") if target.startswith("/")
                                     else posixpath.normpath(folder + target)))
    return found


def _external_use_problem(root, part: str, ids) -> str | None:
    """A picture, template or object that takes an outside address from a
    relationship typed as a hyperlink (`<a:blip r:link="rId9"/>`): the
    program follows the id, whatever the type says, as the part opens."""
    if not ids:
        return None
    from lxml import etree
    # Any attribute that names one of them, in any namespace: VML's
    # `o:relid` and `r:id`, DrawingML's `r:link` and `r:embed` alike
    # (found by lxml in C; ids hold no space).
    listed = " " + " ".join(sorted(ids)) + " "
    for value in root.xpath("//@*[contains($listed, concat(' ', ., ' '))]", listed=listed):
        element = value.getparent()
        if value in ids and etree.QName(element).localname not in LINK_ELEMENTS:
            return (f"loads an outside address (relationship `{_shown(value)}`) into "
                    f"`{_shown(etree.QName(element).localname)}` when it is opened (in `{_shown(part)}`); only "
                    "links to web pages are allowed")
    return None


def _ooxml_part_problem(root, part: str, styles: _WordStyles | None = None) -> str | None:
    """OOXML: Word field codes, Excel's DDE, OLE and workbook links and
    formulas, and PowerPoint's program actions, none of which needs a
    relationship to fetch or run something. Found by lxml in C, by
    namespace; only the elements found are looked at in Python."""
    from lxml import etree
    where = f"`{_shown(part)}`"
    # Complex fields: instruction text between a begin and a separate (or
    # end) mark, in as many runs as the writer liked, fields within fields.
    field_char, instruction = _ooxml_tags("w", "fldChar"), _ooxml_tags("w", "instrText")
    open_fields: list[list[str]] = []
    in_result: list[bool] = []  # for each open field: past its separate mark
    # For each open field, its instruction and the text it shows (its result).
    instructions: list[str] = []
    results: list[list[str]] = []
    # And as a reader sees it: without runs drawn as nothing, or too faint (forty-fourth round).
    seen_results: list[list[str]] = []
    clear_results: list[list[str]] = []
    styles = styles or _WordStyles()
    for element in root.iter(*field_char, *instruction, *_ooxml_tags("w", "fldSimple", "t")):
        name = etree.QName(element).localname
        if name == "t":
            if results and in_result[-1]:
                results[-1].append(element.text or "")
                run = element.getparent()
                if run is not None and etree.QName(run).localname == "r" and styles.unseen(run, False):
                    continue
                seen_results[-1].append(element.text or "")
                if run is None or etree.QName(run).localname != "r" or not styles.unseen(run, True):
                    clear_results[-1].append(element.text or "")
            continue
        if name == "fldSimple":
            refused = _field_problem(element.get(f"{{{etree.QName(element).namespace}}}instr") or "", where,
                                     "".join(t.text or "" for t in element.iter(*_ooxml_tags("w", "t"))))
        elif name == "instrText":
            if not open_fields:
                open_fields.append([])
                in_result.append(False)
                instructions.append("")
                results.append([])
                seen_results.append([])
                clear_results.append([])
            open_fields[-1].append(element.text or "")
            continue
        else:
            kind = element.get(f"{{{etree.QName(element).namespace}}}fldCharType")
            if kind == "begin":
                # `{ {QUOTE 68 68 69} c:\\cmd.exe }`: a field inside another
                # before its name is written makes the name: DDE, unseen.
                if open_fields and not in_result[-1] and not NAMED_FIELD_RE.match("".join(open_fields[-1])):
                    return (f"has a field whose name is made by another field inside it (in {where}), a way "
                            "to hide one that fetches or runs something")
                # `{ HYPERLINK "https://www.gov.scot{ QUOTE ".evil.example/" }" }`:
                # Word puts the inner field's result into the address
                # (thirty-sixth round), which is then made as it opens.
                if open_fields and not in_result[-1] and (name := FIELD_NAME_RE.match(
                        "".join(open_fields[-1]))) and name.group(1).upper() == "HYPERLINK":
                    return (f"has a field inside a HYPERLINK field's address (in {where}), which makes the "
                            "address as the document opens; write the address in full")
                open_fields.append([])
                in_result.append(False)
                instructions.append("")
                results.append([])
                seen_results.append([])
                clear_results.append([])
                continue
            if not open_fields:
                continue
            refused = _field_problem("".join(open_fields[-1]), where)
            if kind == "end":
                if in_result[-1] and not refused:
                    # A HYPERLINK field's result is its link's text.
                    refused = (_field_problem(instructions[-1], where, "".join(results[-1]))
                               or _field_problem(instructions[-1], where, "".join(seen_results[-1]))
                               or _field_problem(instructions[-1], where, "".join(clear_results[-1])))
                open_fields.pop()
                in_result.pop()
                instructions.pop()
                results.pop()
                seen_results.pop()
                clear_results.pop()
            elif not in_result[-1]:
                instructions[-1] = "".join(open_fields[-1])
                open_fields[-1] = []  # separate: what follows is the field's result, not its instruction
                in_result[-1] = True
        if refused:
            return refused
    for text in open_fields:
        if refused := _field_problem("".join(text), where):
            return refused
    # A number format's own text is drawn beside a cell's value, and so is
    # part of what a linked cell shows (thirty-seventh round: `"www.gov.scot "@`
    # on a cell linking to evil.example).
    for element in root.iter(*_ooxml_tags("x", "numFmt")):
        # And `[$text-locale]`, drawn as written (forty-fourth round: `[$www.gov.scot]`).
        literal = " ".join(re.findall(r'"([^"]*)"', element.get("formatCode") or "")) + " " + " ".join(
            re.findall(r"\\(.)", element.get("formatCode") or "")) + " " + " ".join(
            re.findall(r"\[\$([^\]\-]*)", element.get("formatCode") or ""))
        if shown := _format_shows(literal):
            return f"has a number format that shows `{_shown(shown)}` beside a cell's value (in {where})"
    for element in root.iter(*_ooxml_tags("w", "mailMerge")):
        # Word runs a mail merge's query on its data source as it opens.
        return f"has a mail merge, which reads another data source when the document opens (in {where})"
    # A content control bound to data (`w:dataBinding`: a custom XML part, the
    # document's title) shows that data, which Word puts in as it opens: in
    # or around a link, not the text read here (forty-first round).
    for binding in root.iter(*_ooxml_tags("w", "dataBinding")):
        control = next((parent for parent in binding.iterancestors() if etree.QName(parent).localname == "sdt"), None)
        if control is not None and (any(etree.QName(parent).localname == "hyperlink" for parent in control.iterancestors())
                                    or next(control.iter(*_ooxml_tags("w", "hyperlink")), None) is not None
                                    or any("HYPERLINK" in (text.text or "").upper()
                                           for text in control.iter(*_ooxml_tags("w", "instrText", "fldSimple")))
                                    or any("HYPERLINK" in (field.get(f"{{{_OOXML['w'][0]}}}instr") or "").upper()
                                           for field in control.iter(*_ooxml_tags("w", "fldSimple")))):
            return (f"has a link whose text is a content control bound to data, which Word puts in as it opens "
                    f"(in {where}), so what the link shows cannot be checked")
    for element in root.iter(*_ooxml_tags("x", *EXCEL_LINKS)):
        return f"has {EXCEL_LINKS[etree.QName(element).localname]} (`{etree.QName(element).localname}` in {where})"
    # By local name in any namespace: Excel 2010's extensions write `xm:f`.
    for element in root.iter(*(f"{{*}}{name}" for name in ("f", "definedName", "formula", "formula1", "formula2"))):
        if element.text and (refused := _formula_problem(element.text, _saved_values(element))):
            cell = element.getparent().get("r") if element.getparent() is not None else None
            place = f"cell {_shown(cell)} of {where}" if cell else where
            return f"has a formula that {refused} ({place}: `{_shown(element.text)}`)"
    for element in root.iter(*_ooxml_tags("a", "hlinkClick", "hlinkHover", "hlinkMouseOver")):
        action = (element.get("action") or "").strip().lower()
        if action.startswith(RUNNING_ACTIONS):
            return f"has an action `{_shown(action)}` that runs a program or a macro when clicked (in {where})"
    return None


def _field_problem(instruction: str, where: str, shown: str = "") -> str | None:
    """Why a Word field instruction (`INCLUDEPICTURE "x" \\d`) is refused, or
    None; `shown`, the field's result, is a HYPERLINK's text."""
    name = FIELD_NAME_RE.match(instruction)
    if not name:
        # `"INCLUDEPICTURE" "https://..."`, `\\* MERGEFORMAT INCLUDEPICTURE`:
        # no name where Word expects it; what Word makes of it is not known
        # here, so a field name anywhere in it counts (twenty-first round).
        for token in FIELD_ARGUMENT_RE.findall(instruction):
            if (keyword := token.strip('"').strip().upper()) in WORD_FIELDS:
                return f"has a field code {keyword} that {WORD_FIELDS[keyword]} (in {where})"
        return None
    keyword = name.group(1).upper()
    if keyword in WORD_FIELDS:
        return f"has a field code {keyword} that {WORD_FIELDS[keyword]} (in {where})"
    if keyword != "HYPERLINK":
        return None
    # HYPERLINK "target" \o "tip"; `\l "bookmark"` is a place in the document.
    arguments = FIELD_ARGUMENT_RE.findall(instruction[name.end():])
    target, tooltip, switch = None, None, None
    for argument in arguments:
        if switch:
            if switch == "\\o":
                tooltip = argument.strip('"')
            switch = None
            continue
        if argument.startswith("\\"):
            # `\l "bookmark"` names a place in the document: its argument is
            # read as the switch's, and an address after it is still the
            # link's (forty-second round: `HYPERLINK \l "top" "https://..."`
            # was never read).
            switch = argument.lower() if argument.lower() in ("\\o", "\\t", "\\l") else None
            continue
        if target is None:
            target = argument.strip('"').replace("\\\\", "\\")
    if target is None or target.startswith("#"):  # `#_Toc1`: a place in the document
        return None
    if not _safe_link(target):
        return f"has a field code HYPERLINK to `{_shown(target)}` (in {where}); {LINK_ONLY}"
    if trouble := _link_trouble(target, shown, tooltip):
        return f"has a field code HYPERLINK to `{_shown(target)}` {trouble} (in {where})"
    return None


def _saved_values(formula) -> tuple[str, ...]:
    """What an Excel cell with a formula shows until it is worked out again:
    its saved value (`<v>`), or, for a value kept as shared text, which is
    not read here, a mark that it cannot be read."""
    from lxml import etree
    cell = formula.getparent()
    if cell is None or etree.QName(formula).localname != "f" or etree.QName(cell).localname != "c":
        return ()
    if cell.get("t") == "s":
        return (SAVED_ELSEWHERE,)
    return tuple(child.text or "" for child in cell if etree.QName(child).localname in ("v", "is"))


# A formula's saved value kept as shared text, which Excel never writes
# for a formula (its text result is in the cell): not read, and refused.
SAVED_ELSEWHERE = "\0shared"


def _formula_problem(formula: str, saved: tuple[str, ...] = ()) -> str | None:
    """What an Excel formula does that a workbook may not, or None: a
    function that fetches or runs, a DDE reference (`cmd|' /C calc'!A0`:
    `|` means nothing else outside a string), a cell of another file, or a
    HYPERLINK to anything but a web, email or phone address. OpenDocument's
    formulas (`of:=...`) are read the same way."""
    for link in EXCEL_HYPERLINK_RE.finditer(formula):
        literal = EXCEL_STRING_RE.match(formula, link.end())
        if literal is None:
            return "links to an address worked out when it is opened (HYPERLINK); write the address in quotes"
        target = literal.group(0)[1:].removesuffix('"').replace('""', '"')
        # The address is one string, and so is what the cell shows, if
        # anything (thirty-sixth round: `"https://www.gov.scot"&".evil.example/"`
        # went to evil.example, and `"www."&"gov.scot"` or a cell showed gov.scot).
        after = re.compile(r"\s*([,;)]|$)").match(formula, literal.end())
        if after is None:
            return "links to an address worked out when it is opened (HYPERLINK); write the address in one string"
        if not target.startswith("#") and not _safe_link(target):  # `#Summary!A1`: a place in the workbook
            return f"links to `{_shown(target)}` (HYPERLINK); {LINK_ONLY}"
        shown = ""
        if after.group(1) in (",", ";"):
            name = EXCEL_STRING_RE.match(formula, re.compile(r"\s*").match(formula, after.end()).end())
            if name is None or not re.compile(r"\s*(\)|$)").match(formula, name.end()):
                return ("shows text worked out when it is opened on a link (HYPERLINK); write what the link shows "
                        "in one string")
            shown = name.group(0)[1:].removesuffix('"').replace('""', '"')
        # And the value saved with it, which is what Excel and LibreOffice
        # show until they work the formula out again (forty-sixth round:
        # `<v>www.gov.scot</v>` on a HYPERLINK to evil.example).
        if SAVED_ELSEWHERE in saved:
            return (f"links to `{_shown(target)}` (HYPERLINK) from a cell whose shown value is kept apart from it, "
                    "as shared text, so what it shows cannot be compared with where it goes; save the workbook again")
        for text in (shown, *saved):
            if trouble := _link_trouble(target, text):
                return f"links to `{_shown(target)}` (HYPERLINK) {trouble}"
    code = EXCEL_STRING_RE.sub('""', formula)
    if "|" in code:
        return "starts another program and reads from it (a DDE reference, `program|topic!item`)"
    if _quoted_file_reference(code):
        return "reads a cell of another file when it is opened (an external reference)"
    function = EXCEL_FUNCTION_RE.search(code) or (LAMBDA_HELPER_RE.search(code) and BARE_FUNCTION_RE.search(code))
    if function:
        name = function.group(1).upper()
        return f"uses {name}, which {EXCEL_FUNCTIONS[name]}"
    return None


# What Impress does on a click that runs nothing: go to a slide, or a
# place in the presentation, end the show, hide the shape.
ODF_NAVIGATION = frozenset({"next-page", "previous-page", "first-page", "last-page", "stop", "hide", "show",
                            "fade-out", "none"})


def _odf_navigation(element) -> bool:
    """Whether an element of ODF_ACTIVE_ELEMENTS is Impress's own click
    action that moves within the presentation (forty-sixth round: "go to
    next slide" was refused as a macro), or the list that holds only such
    actions. Any other action, or one to an address outside, is refused."""
    from lxml import etree
    presentation, office = _ODF.format("presentation"), _ODF.format("office")
    if element.tag == f"{{{office}}}event-listeners":
        return all(_odf_navigation(child) for child in element if isinstance(child.tag, str))
    if element.tag != f"{{{presentation}}}event-listener":
        return False
    action = element.get(f"{{{presentation}}}action") or "none"
    href = element.get(f"{{{XLINK}}}href")
    return action in ODF_NAVIGATION and (href is None or href.startswith("#")) and not any(
        etree.QName(child).localname != "sound" for child in element if isinstance(child.tag, str))


ODF_SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"


def _odf_problem(root, common=None) -> str | None:
    """OpenDocument: no script bound to an event and no DDE link; every
    xlink:href (by namespace, whatever its prefix) a part of the document
    (a relative path inside it), or on a link a web, email or phone
    address; formulas as Excel's are. The elements and attributes are
    found by lxml in C: a 3 MB content.xml takes 20 ms, and each link
    about 12 microseconds more."""
    from urllib.parse import urlsplit

    from lxml import etree

    from .links import as_browser_reads
    for element in root.iter(*ODF_ACTIVE_ELEMENTS):
        if _odf_navigation(element):
            continue
        action = next((child for child in element.iter(f"{{{_ODF.format('presentation')}}}event-listener")
                       if not _odf_navigation(child)), None)
        scripts = element.tag.startswith(f"{{{_ODF.format('script')}}}") or any(
            True for _ in element.iter(f"{{{_ODF.format('script')}}}event-listener"))
        if action is not None and not scripts:
            what = action.get(f"{{{_ODF.format('presentation')}}}action") or "?"
            href = action.get(f"{{{XLINK}}}href")
            return (f"has a click action (`{_shown(what)}`{f' to `{_shown(href)}`' if href else ''}) that does more "
                    "than move within the presentation; only going to a slide, ending the show or hiding a shape "
                    "is allowed: for a web page, link the words themselves")
        return f"holds macros (`{_shown(_odf_name(element))}`), which run when it is opened"
    for element in root.iter(*ODF_OBJECTS):
        return (f"holds an embedded object (`{_shown(_odf_name(element))}`), which can run another program "
                "when it is opened")
    for formula in root.xpath(ODF_FORMULAS):
        # `of:=WEBSERVICE(...)`: the namespace before the `=` is the formula language's.
        cell = formula.getparent()
        saved = (cell.get(f"{{{_ODF.format('office')}}}string-value") or "", "".join(cell.itertext())) \
            if cell is not None else ()
        if refused := _formula_problem(formula.split(":", 1)[1] if ODF_SYNTAX_RE.match(formula) else formula, saved):
            return f"has a formula that {refused} (in `{_shown(_odf_name(formula.getparent()))}`: `{_shown(formula)}`)"
    styles = None  # read once, at the first link
    read_paragraphs: set[int] = set()
    for href in root.xpath("//@x:href", namespaces={"x": XLINK}):
        try:
            seen = urlsplit(as_browser_reads(href))
            # `.uno:Command` has no scheme to urlsplit, but LibreOffice runs it.
            inside = not (seen.scheme or seen.netloc or seen.path.startswith("/") or ":" in seen.path.split("/")[0])
        except ValueError:
            inside = False
        if inside and ".." not in seen.path.split("/"):
            continue  # a picture or object in the document's own zip, or a place in it (#part)
        if seen.scheme.lower().startswith(("vnd.sun.star.script", "macro")):
            return f"holds macros (`{_shown(href)}`), which run when it is opened"
        # Only a link's address is left for a reader to follow: a picture,
        # section, sheet, sound or template with one outside the document
        # is fetched as it opens, whatever its xlink:show says.
        if href.getparent().tag not in ODF_LINKS:
            return (f"loads `{_shown(href)}` from outside the document when it is opened (a template, "
                    "section, sheet, object or picture); only links to web pages are allowed")
        if not _safe_link(href):
            return (f"has a link to `{_shown(href)}`; a document may link only to web (https), "
                    "email (mailto) and phone (tel) addresses")
        link = href.getparent()
        if styles is None:
            # Text drawn as nothing (a style with `text:display="none"`, hidden
            # text) is not what the reader sees (thirty-seventh round).
            styles = _OdfStyles(common, root)
        # A field whose shown value is worked out as the document opens
        # (round 38: conditional text showing `www.gov.scot`, stored as
        # `evil.example`) shows what cannot be read here.
        text_namespace = _ODF.format("text")
        for field in link.iter(f"{{{text_namespace}}}*"):
            if etree.QName(field).localname in ODF_COMPUTED_FIELDS:
                return (f"has a link to `{_shown(href)}` whose text is a field worked out when it is opened "
                        f"(`text:{etree.QName(field).localname}`), so what it shows cannot be checked "
                        f"(in `{_shown(_odf_name(link))}`)")
        seen_text, clear_text = styles.drawn(link, False), styles.drawn(link, True)
        if link.tag == f"{{{_ODF.format('text')}}}a" and not (link.tail or "").strip():
            # Links beside each other to one address read as one link.
            group = _adjacent_links(link, lambda other: other.tag == link.tag and other.get(f"{{{XLINK}}}href") == href
                                    and not (other.getprevious() is not None and (other.getprevious().tail or "").strip()))
            if len(group) > 1:
                seen_text = "".join(styles.drawn(part, False) for part in group)
                clear_text = "".join(styles.drawn(part, True) for part in group)
        if trouble := (_link_trouble(href, seen_text, link.get(f"{{{_ODF.format('office')}}}title"))
                       or clear_text != seen_text and _link_trouble(href, clear_text)):
            return f"has a link to `{_shown(href)}` {trouble} (in `{_shown(_odf_name(link))}`)"
        # An area of an image map is drawn over its frame: what the frame
        # shows, its picture's and its own title and description, are what
        # the area's link shows (forty-seventh round: a picture titled
        # `www.gov.scot` under an area to evil.example).
        if etree.QName(link).localname.startswith("area-"):
            frame = next(link.iterancestors(f"{{{_ODF.format('drawing')}}}frame"), None)
            if frame is not None:
                for shown in (styles.drawn(frame, False), styles.drawn(frame, True), *(
                        "".join(element.itertext()) for element in frame.iter(
                            f"{{{ODF_SVG}}}title", f"{{{ODF_SVG}}}desc"))):
                    if trouble := _link_trouble(href, shown):
                        return f"has a link to `{_shown(href)}` {trouble} (in `{_shown(_odf_name(link))}`)"
        # The paragraph's words that run from text into the link, or across
        # links (forty-fifth round: `www.gov` then a link `.scot`).
        paragraph = link.getparent()
        if paragraph is not None and id(paragraph) not in read_paragraphs:
            read_paragraphs.add(id(paragraph))
            from .links import misleading_runs
            for faint in (False, True):
                segments = [(paragraph.text or "", None)]
                for child in paragraph:
                    address = child.get(f"{{{XLINK}}}href") if child.tag == link.tag else None
                    segments += [(styles.drawn(child, faint), address), (child.tail or "", None)]
                for shown, target in misleading_runs(segments):
                    return (f"has a link to `{_shown(target)}` whose text, with the words beside it, reads "
                            f"`{_shown(shown)}`: {MISLEADING_IN_FILE} (in `{_shown(_odf_name(link))}`)")
    # A form's picture and data source are fetched as it opens; a button's
    # address is a link (thirty-first round: not read before).
    form = {"f": _ODF.format("form")}
    for value in root.xpath("//@f:image-data | //@f:datasource", namespaces=form):
        if _outside_document(value):
            return (f"loads `{_shown(value)}` from outside the document when it is opened (a form's picture or "
                    "data source); only links to web pages are allowed")
    for element in root.iter(f"{{{_ODF.format('datastyle')}}}text"):
        if shown := _format_shows(element.text or ""):
            return f"has a number format that shows `{_shown(shown)}` beside a cell's value"
    # XForms: a model's instance is fetched as the form opens, and a
    # submission sends the form on (thirty-fourth round: LibreOffice asked
    # another server for `src` with no click).
    for value in root.xpath("//*[namespace-uri()=$x]/@*[local-name()='src' or local-name()='action' or "
                            "local-name()='resource' or local-name()='schema']", x=XFORMS):
        if _outside_document(value):
            return (f"has a form model that reaches `{_shown(value)}` (XForms "
                    f"`{_shown(etree.QName(value.getparent()).localname)}`), which a reader's program contacts")
    for value in root.xpath("//@f:target-location", namespaces=form):
        if value.strip().startswith("#"):
            continue
        if not _safe_link(value):
            return f"has a form button to `{_shown(value)}`; {LINK_ONLY}"
        button = value.getparent()
        if trouble := _link_trouble(value, button.get(f"{{{form['f']}}}label"), button.get(f"{{{form['f']}}}title")):
            return f"has a form button to `{_shown(value)}` {trouble}"
    # Any other value that is an address (`text:url` on a bibliography
    # entry, which LibreOffice shows as a link: thirty-fourth round) is a
    # link: it follows the pages' rules, with its element's text.
    for value in root.xpath("//@*[contains(., '://') or starts-with(normalize-space(.), 'mailto:') or "
                            "starts-with(normalize-space(.), '\\\\')]"):
        name = etree.QName(value.attrname)
        if name.namespace in (XLINK, form["f"]) or name.localname in ("formula", "condition", "expression") or \
                etree.QName(value.getparent()).namespace == XFORMS:
            continue  # read above, by what each is
        element = value.getparent()
        if not _safe_link(value):
            return f"has `{_shown(name.localname)}` pointing to `{_shown(value)}`; {LINK_ONLY}"
        if trouble := _link_trouble(value, "".join(element.itertext()), None):
            return (f"has a link to `{_shown(value)}` {trouble} "
                    f"(`{_shown(name.localname)}` of `{_shown(_odf_name(element))}`)")
    return None


def text_problem(data: bytes, ext: str) -> str | None:
    """Text is text: UTF-8 (or plain ASCII), no NUL bytes, and not a web
    page that a browser could be persuaded to run; a CSV holds no formula."""
    if b"\0" in data:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[1:200:2].count(0) > 50 or data[0:200:2].count(0) > 50:
            # Excel's "Unicode Text", which some exports write (thirty-ninth round: said as binary data).
            return (f"is saved as UTF-16 (Excel's \"Unicode Text\"), which the site does not publish: save it again "
                    "as UTF-8 (in Excel: Save As, CSV UTF-8)")
        return f"is not {FILE_TYPES[ext]}: it holds binary data"
    if HTML_START_RE.match(data.lstrip(b"\xef\xbb\xbf")):
        return f"is not {FILE_TYPES[ext]}: it is a web page (HTML or SVG)"
    if ext == "csv":
        return csv_formula_problem(data)
    if ext == "vtt" and not VTT_START_RE.match(data.lstrip(b"\xef\xbb\xbf")):
        return "is not WebVTT captions: the file does not start with WEBVTT"
    if ext == "srt" and not SRT_START_RE.match(data.lstrip(b"\xef\xbb\xbf")):
        return "is not SubRip captions: the file does not start with a cue number and its times (00:00:01,000 --> ...)"
    return None


# What a caption file starts with, by its format's own rule: `WEBVTT`
# then white space or the line's end; a SubRip cue's number then times.
VTT_START_RE = re.compile(rb"WEBVTT(?:[ \t\r\n]|$)")
SRT_START_RE = re.compile(rb"\s*\d+[ \t]*\r?\n\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->")


# A CSV cell that a spreadsheet runs as a formula when the file is opened
# (CSV injection): `=cmd|' /C calc'!A0` starts a program, `=WEBSERVICE(...)`
# and `=HYPERLINK("\\host\share")` reach another computer. A cell starts
# where `make report`'s own CSV says it does (editorial.spreadsheet_safe):
# after white space and control characters, so "\t=1" is a formula too.
# `+`, `-` and `@` start numbers, sums of money, phone numbers and notes as
# often as formulas (-5, +44 131 623 4300, -(1,200.50), -£1,200, - see
# note, - urgent!, -ve balance [draft], @team): arithmetic calls nothing.
# What can reach another program or computer from such a cell is DDE
# (`-2+cmd|' /C calc'!A0`), another file's cell (`+[book.xlsx]Sheet1!A1`),
# a link (`+HYPERLINK(`) or a function that fetches or runs (`@WEBSERVICE(`):
# a cell with none of those is data (rounds 22 to 24: honest notes were
# refused). A cell that starts with `=` is a formula, whatever it holds.
CELL_LEADING_RE = re.compile(f"[\\s{FORBIDDEN}]*")
UNQUOTED_BOOK_RE = re.compile(r"\[[^\]]*\][^!\s]*![$]?[A-Za-z]")
# DDE: `program|topic!item` (`- pending | review` is a note).
DDE_RE = re.compile(r"\|[^|]*!\S")
# A file is read with each delimiter a spreadsheet may take for it: which
# one it takes depends on the reader's locale (`;` where `,` is the
# decimal comma) or on what they choose.
CSV_DELIMITERS = (",", ";", "\t")
CSV_SEPARATOR_RE = re.compile(r"[ \t]*sep[ \t]*=[ \t]*([^\r\n])", re.I)
CSV_FORMULA = "has a cell that a spreadsheet would run as a formula when the file is opened"


def csv_formula_problem(data: bytes) -> str | None:
    """Why a CSV file would run something when a spreadsheet opens it, or None."""
    import csv
    import io
    if not re.search(rb"[=+@-]", data):
        return None  # no cell can start a formula (and no need to read it)
    # As UTF-8, and as Windows' own encoding, which Excel takes a file that
    # is not UTF-8 to be: there, byte A0 is a space before `=` (twenty-first
    # round: `\xa0=1+1` passed, read as U+FFFD).
    texts = [data.decode("utf-8-sig", errors="replace")]
    if not data.isascii():
        texts.append(data.decode("cp1252", errors="replace"))
    for text in texts:
        # Excel takes a first line `sep=|` as the delimiter, whatever it is.
        declared = CSV_SEPARATOR_RE.match(text)
        for delimiter in CSV_DELIMITERS + ((declared.group(1),) if declared else ()):
            if delimiter not in text and delimiter != ",":
                continue
            try:
                for row, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
                    for column, cell in enumerate(cells, start=1):
                        start = cell[CELL_LEADING_RE.match(cell).end():]
                        if start[:1] == "=" or start[:1] in ("+", "-", "@") and _signed_cell_runs(start):
                            return f"{CSV_FORMULA} (row {row}, column {_column_name(column)}: `{_shown(start)}`)"
            except csv.Error as error:
                return (f"cannot be read as CSV ({_shown(str(error))}), so whether a spreadsheet would run a cell "
                        "as a formula cannot be checked")
    return None


def _quoted_file_reference(code: str) -> bool:
    """A quoted name that holds a path (`'C:\\x\\[book.xlsx]Sheet1'!A1`,
    `'file:///x.ods'#$Sheet1.A1`): a cell of another file."""
    return "'" in code and any(hashed or not PATH_CHARACTERS.isdisjoint(name)
                               for name, hashed in QUOTED_NAME_RE.findall(code))


INDIRECT_RE = re.compile(r"(?<![\w.])(?:[A-Za-z_]\w*\.)*INDIRECT\s*\(", re.I)


def _signed_cell_runs(cell: str) -> bool:
    """Whether a cell that starts with `+`, `-` or `@` would reach another
    program, file or computer, read as a formula."""
    code = EXCEL_STRING_RE.sub('""', cell)
    # INDIRECT turns text into a reference, another file's cell too
    # (`+INDIRECT("'https://evil.example/x.ods'#$Sheet1.A1")`: thirty-ninth round).
    return bool(DDE_RE.search(code) or UNQUOTED_BOOK_RE.search(code) or EXCEL_HYPERLINK_RE.search(cell)
                or INDIRECT_RE.search(code)
                or _quoted_file_reference(code) or EXCEL_FUNCTION_RE.search(code)
                or LAMBDA_HELPER_RE.search(code) and BARE_FUNCTION_RE.search(code))


def _column_name(number: int) -> str:
    """A spreadsheet's name for a column: 1 is A, 27 is AA."""
    name = ""
    while number:
        number, left = divmod(number - 1, 26)
        name = chr(ord("A") + left) + name
    return name


def refused_for_formula(refused: str) -> bool:
    """Whether `refused` (from content_problem) names a formula in a CSV,
    whose fix the catalogue gives apart (rules `unsafe-file/formula`)."""
    return refused.startswith(CSV_FORMULA)


MISLEADING_IN_FILE = "a link must go where its text and tooltip say"


def refusal_kind(refused: str) -> str:
    """The catalogue's variant for what content_problem said: a formula, a
    link whose text says another address (whose fix is not to export the
    file again: forty-fourth round), or anything else ("")."""
    return "formula" if refused_for_formula(refused) else "misleading" if MISLEADING_IN_FILE in refused else ""


def pdf_problem(data: bytes, work: Work | None = None) -> str | None:
    # At byte 0, as every PDF we were given starts: readers allow 1 KB
    # before it, where an HTML page with a script fits.
    if not data.startswith(b"%PDF-"):
        return "is not a PDF: it does not start as one"
    import io
    import logging
    from pypdf import PdfReader
    # pypdf logs what it repairs ("invalid pdf header"): not a line a
    # contributor can act on, and not in path:line:col form. Our verdict is below.
    log = logging.getLogger("pypdf")  # its modules log under it
    level = log.level
    log.setLevel(logging.CRITICAL)
    stream = _Budgeted(data, MAX_PDF_READS)
    try:
        refused = _pdf_walk_problem(stream, PdfReader)
    finally:
        log.setLevel(level)
        if work is not None:
            work.spent(MAX_PDF_READS - max(stream.left, 0), MAX_PDF_READS)
    # pypdf recovers from some errors by reading on: a walk that ran out of
    # reads may have seen only part of the file, whatever it returned.
    if stream.left < 0:
        return PDF_TOO_COMPLEX
    return refused or _qpdf_problem(data) or _scan_problem(data) or _pdf_link_problem(data, work)


# Pages whose text is read, as Chrome's viewer reads it (PDFium, in C++:
# a page of 100,000 text operators in about 0.1 s); more is refused.
MAX_PDF_TEXT_PAGES = 2_000
# The drawing read for it, unpacked, in all: a page packed twice over held
# 1 GB of blank lines in 43 KB, and PDFium took 48 s to read its text
# (twenty-fourth round's probe). pypdf stops unpacking one stream at 75 MB.
MAX_PDF_DRAWING_BYTES = 64 * 1024 * 1024
# Fonts whose text map is compared with what they draw.
MAX_PDF_FONTS = 2_000
# What a URL, a host or an email address is written with: a font that reads
# one of these as another of them spells one address and draws another.
ADDRESS_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.:/@-_~%")


def _pdf_link_problem(data: bytes, work: Work | None = None) -> str | None:
    """A PDF's links held to the pages' rules, read as a viewer reads them
    (thirty-first and thirty-second rounds): each link annotation's address,
    the words drawn under it and its tooltip (`/Contents`); each address in
    its text, which viewers (Chrome's and Edge's PDFium, Acrobat, Preview)
    make a link to whatever the text says; and each simple font's text map
    (`/ToUnicode`), which may not spell other letters than the font draws
    (`gov.scot` drawn, `evi.l.vc` read and linked). A font with no glyph
    names (CID fonts) is taken as its text map says: what its glyphs look
    like cannot be read here."""
    import logging
    import pypdfium2 as pdfium
    from pypdf import PdfReader
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = list(reader.pages)
        document = pdfium.PdfDocument(data)
    except Exception:  # the walks before this one say what cannot be read
        log.setLevel(level)
        return None
    try:
        if len(pages) > MAX_PDF_TEXT_PAGES or len(document) > MAX_PDF_TEXT_PAGES:
            return f"has more than {MAX_PDF_TEXT_PAGES:,} pages, too many for what their text links to to be read"
        if work is not None:
            work.spent(max(len(pages), len(document)), MAX_PDF_TEXT_PAGES)
        drawing = _drawing_size(pages)
        if work is not None:
            work.spent(drawing, MAX_PDF_DRAWING_BYTES)
        if drawing > MAX_PDF_DRAWING_BYTES:
            return (f"has pages whose drawing unpacks to more than {MAX_PDF_DRAWING_BYTES // (1024 * 1024)} MB, "
                    "too much for what their text links to to be read")
        if lying := _lying_font(pages):
            return lying
        for number in range(len(document)):
            found = _pdf_page_links(pages[number]) if number < len(pages) else []
            for uri, _, tooltip, kind in found:
                if kind != "/Link":
                    # A button draws its own caption, which is not the page's
                    # text (thirty-third round): only a link may open an address.
                    return (f"has a {_shown(kind[1:])} that opens `{_shown(uri)}` (page {number + 1}); in a PDF only "
                            "a link may go to an address, where what it shows can be read")
                if trouble := _link_trouble(uri, "", tooltip):
                    return f"has a link to `{_shown(uri)}` {trouble} (page {number + 1})"
            text = document[number].get_textpage()
            web_links = _web_links(text)
            for address, _ in web_links:
                if trouble := _link_trouble(address):
                    return (f"has the address `{_shown(address)}` in its text, which PDF viewers make a link, "
                            f"{trouble} (page {number + 1})")
            if found and number < len(pages) and (painted := _unread_text_paint(pages[number])):
                return (f"has text drawn as {painted} on a page with a link (page {number + 1}), which viewers show "
                        "but do not read as text, so what the link shows cannot be checked; export the page again "
                        "with its text as text")
            if number < len(pages) and (over := _drawn_over_links(
                    pages[number], [area for _, areas, _, _ in found for area in areas]
                    + [area for _, areas in web_links for area in areas])):
                return (f"has {over} drawn over a link (page {number + 1}): a viewer shows it in place of the "
                        "words the link is read by, so what the link shows cannot be checked")
            # One link over two lines is two annotations with one address
            # (LibreOffice: `0131` / `623 4300`, thirty-fifth round): read as one.
            joined: list[tuple[str, list]] = []
            for uri, areas, _, _ in found:
                if joined and joined[-1][0] == uri:
                    joined[-1][1].extend(areas)
                else:
                    joined.append((uri, list(areas)))
            for uri, areas in joined:
                # In reading order: down the page, then along the line.
                areas = sorted(dict.fromkeys(areas), key=lambda area: (-round(area[3]), area[0]))
                shown = " ".join(text.get_text_bounded(left=x0 - 1, bottom=y0 - 2, right=x1 + 1, top=y1 + 2)
                                 for x0, y0, x1, y1 in areas)
                if trouble := _link_trouble(uri, shown.replace("\u00ad", "-"), ""):
                    return f"has a link to `{_shown(uri)}` {trouble} (page {number + 1})"
            # The same words without the letters drawn unseen: invisible,
            # white, or too small (thirty-eighth round: `www.gov.scot` drawn,
            # `.evil.example` after it in render mode 3, and the link, or the
            # address PDFium linked in the text, went to the longer host).
            if joined or web_links:
                letters = _pdf_letters(text)
                if any(faint for _, _, faint in letters):
                    for uri, areas in joined + web_links:
                        areas = [(x0 - 1, y0 - 2, x1 + 1, y1 + 2) for x0, y0, x1, y1 in areas]
                        seen = "".join(char for char, (cx, cy), faint in letters if not faint and any(
                            x0 <= cx <= x1 and y0 <= cy <= y1 for x0, y0, x1, y1 in areas))
                        if trouble := _link_trouble(uri, seen.replace("\u00ad", "-"), ""):
                            return (f"has a link to `{_shown(uri)}` {trouble} (page {number + 1}, read as a reader "
                                    "sees it: without its letters drawn unseen, invisible, white or too small)")
    except Exception:  # PDFium or pypdf stopped on a page a viewer may still draw
        return "has a page whose text cannot be read, so what its links show and go to cannot be checked"
    finally:
        log.setLevel(level)
        document.close()
    return None


MAX_PDF_LETTERS = 200_000  # on one page with links: some 0.6 s of PDFium's time


def _pdf_letters(text) -> list[tuple[str, tuple[float, float], bool]]:
    """Each letter PDFium reads on a page: (letter, its centre, whether it
    is drawn unseen: render mode 3 or 7, a white or see-through fill (or
    stroke, as drawn), or under 1.5 points tall)."""
    import ctypes
    import pypdfium2.raw as raw
    box = raw.FS_RECTF()
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    letters, centre = [], (-1.0, -1.0)
    for index in range(min(raw.FPDFText_CountChars(text.raw), MAX_PDF_LETTERS)):
        char = chr(raw.FPDFText_GetUnicode(text.raw, index) or 0x20)
        if raw.FPDFText_IsGenerated(text.raw, index) == 1 or not raw.FPDFText_GetLooseCharBox(
                text.raw, index, ctypes.byref(box)):
            if char.isspace():  # a space or line end PDFium adds between words: where the last letter was
                letters.append((" ", centre, False))
            continue
        # The loose box: the font's height, as drawn (a full stop's own glyph is a speck).
        centre = ((box.left + box.right) / 2, (box.bottom + box.top) / 2)
        mode = raw.FPDFTextObj_GetTextRenderMode(raw.FPDFText_GetTextObject(text.raw, index))
        colour = raw.FPDFText_GetStrokeColor if mode in (1, 5) else raw.FPDFText_GetFillColor
        faint = mode in (3, 7) or (bool(colour(text.raw, index, red, green, blue, alpha)) and (
            alpha.value == 0 or _near_white(red.value, green.value, blue.value)))
        if not char.isspace() and abs(box.top - box.bottom) < 1.5:
            faint = True
        letters.append((char, centre, faint))
    return letters


def _drawing_size(pages) -> int:
    """The bytes of drawing the pages unpack to (their contents, and the
    forms they draw, four deep), counted until past the limit."""
    from pypdf.errors import LimitReachedError
    total, seen = 0, set()

    def add(stream) -> None:
        nonlocal total
        if id(stream) not in seen and total <= MAX_PDF_DRAWING_BYTES:
            seen.add(id(stream))
            total += len(stream.get_data())

    def forms(resources, depth: int) -> None:
        xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
        for form in list((xobjects.get_object() if xobjects is not None else {}).values())[:200]:
            form = form.get_object()
            if hasattr(form, "get") and form.get("/Subtype") == "/Form" and id(form) not in seen and len(seen) < 5_000:
                add(form)
                if depth < 4 and form.get("/Resources") is not None:
                    forms(form["/Resources"].get_object(), depth + 1)

    try:
        for page in pages:
            if (contents := page.get_contents()) is not None:  # unpacked here already
                add(contents)
            if page.get("/Resources") is not None:
                forms(page["/Resources"].get_object(), 1)
            if total > MAX_PDF_DRAWING_BYTES:
                break
    except LimitReachedError:  # one stream past pypdf's own limit
        total = MAX_PDF_DRAWING_BYTES + 1
    return total


def _web_links(text) -> list[tuple[str, list[tuple[float, float, float, float]]]]:
    """The addresses PDFium makes links of in a page's text (as Chrome
    does), each with the areas of the page it covers."""
    import ctypes
    import pypdfium2.raw as raw
    links = raw.FPDFLink_LoadWebLinks(text.raw)
    try:
        found = []
        for index in range(min(raw.FPDFLink_CountWebLinks(links), 10_000)):
            size = raw.FPDFLink_GetURL(links, index, None, 0)
            buffer = (raw.c_ushort * max(size, 1))()
            raw.FPDFLink_GetURL(links, index, buffer, size)
            areas = []
            for at in range(min(raw.FPDFLink_CountRects(links, index), 100)):
                left, top, right, bottom = (ctypes.c_double() for _ in range(4))
                if raw.FPDFLink_GetRect(links, index, at, left, top, right, bottom):
                    areas.append((left.value, bottom.value, right.value, top.value))
            found.append((bytes(buffer).decode("utf-16-le", errors="replace").rstrip("\x00"), areas))
        return found
    finally:
        raw.FPDFLink_CloseWebLinks(links)


# Annotation flags (PDF 32000-1, 12.5.3): Hidden and NoView are not drawn on screen.
NOT_DRAWN_FLAGS = 2 | 32
# What a link's own appearance may not do: show text, a picture or an inline image (a border is drawing).
APPEARANCE_SHOWS_RE = re.compile(rb"(?<![A-Za-z])(?:Tj|TJ|Do|BI)(?![A-Za-z])|[\)\]]\s*['\"]")


def _drawn_over_links(page, areas: list[tuple[float, float, float, float]]) -> str | None:
    """An annotation a viewer draws over a link's area (thirty-eighth round:
    a free-text note, a stamp or a read-only field showed
    `https://www.gov.scot/` over a link to another site, whose own words
    were `Briefing`), or a link that draws its own text or picture: what
    PDFium (Chrome's viewer) draws on top of the page's text, which is the
    text that is read."""
    if not areas:
        return None
    for annotation in list(page.get("/Annots") or [])[:5_000]:
        annotation = annotation.get_object()
        if not hasattr(annotation, "get"):
            continue
        kind = str(annotation.get("/Subtype") or "/Annot")
        try:
            flags = int(annotation.get("/F") or 0)
        except (TypeError, ValueError):
            flags = 0
        if kind == "/Popup" or flags & NOT_DRAWN_FLAGS:
            continue
        if kind == "/Link":
            if _appearance_shows(annotation.get("/AP")):
                return "a link that draws its own text or picture"
            continue
        try:
            x0, y0, x1, y1 = (float(value) for value in annotation.get("/Rect"))
        except (TypeError, ValueError):
            continue
        x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
        if any(x0 < right and left < x1 and y0 < top and bottom < y1 for left, bottom, right, top in areas):
            return f"a {_shown(kind[1:])} annotation"
    return None


def _appearance_shows(appearance, depth: int = 0) -> bool:
    """Whether an appearance (its streams, in every state) shows text or a picture."""
    appearance = appearance.get_object() if hasattr(appearance, "get_object") else appearance
    if appearance is None or depth > 3:
        return False
    if hasattr(appearance, "get_data"):
        try:
            return bool(APPEARANCE_SHOWS_RE.search(appearance.get_data()[:1_000_000]))
        except Exception:
            return True
    if hasattr(appearance, "values"):
        return any(_appearance_shows(item, depth + 1) for item in list(appearance.values())[:20])
    return False


def _pdf_page_links(page) -> list[tuple[str, list[tuple[float, float, float, float]], str, str]]:
    """(address, its areas on the page, tooltip, kind of annotation) of each
    address an annotation on `page` goes to, its action's and those that
    follow it (`/Next`: thirty-third round, a link into the document went on
    to another site)."""
    found = []
    for annotation in page.get("/Annots") or []:
        annotation = annotation.get_object()
        if not hasattr(annotation, "get") or annotation.get("/A") is None:
            continue
        addresses = _uri_actions(annotation.get("/A"))
        if not addresses or annotation.get("/Rect") is None:
            continue
        x0, y0, x1, y1 = (float(value) for value in annotation.get("/Rect"))
        # What PDFium (Chrome, Edge) clicks is the whole rectangle, whatever
        # parts of it `/QuadPoints` name (thirty-fifth round: quads over
        # blank space, the rectangle over `https://www.gov.scot/`); pdf.js
        # clicks the parts. The text under both is read.
        areas = [(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))]
        quads = [float(value) for value in annotation.get("/QuadPoints") or []][:800]
        if quads and len(quads) % 8 == 0:
            areas += [(min(q[0::2]), min(q[1::2]), max(q[0::2]), max(q[1::2]))
                      for q in (quads[at:at + 8] for at in range(0, len(quads), 8))]
        tooltip = annotation.get("/Contents")
        tooltip = _link_text(tooltip) if tooltip is not None else ""
        kind = str(annotation.get("/Subtype") or "/Annot")
        found += [(address, areas, tooltip, kind) for address in addresses]
    return found


def _uri_actions(action, depth: int = 0) -> list[str]:
    """The addresses an action and the actions after it (`/Next`) open."""
    action = action.get_object() if hasattr(action, "get_object") else action
    if depth > 8:
        return []
    if isinstance(action, list):
        return [uri for item in action[:50] for uri in _uri_actions(item, depth + 1)]
    if not hasattr(action, "get"):
        return []
    found = [_link_text(action.get("/URI"))] if action.get("/S") == "/URI" and action.get("/URI") is not None else []
    if action.get("/Next") is not None:
        found += _uri_actions(action.get("/Next"), depth + 1)
    return found


def _lying_font(pages) -> str | None:
    """A simple font (its glyphs named by its encoding) whose text map reads
    one address character as another: what a reader's eye reads and what a
    viewer links differ."""
    from pypdf.generic._font import Font
    seen: set[int] = set()
    for number, page in enumerate(pages, start=1):
        for font in _page_fonts(page):
            if id(font) in seen or len(seen) > MAX_PDF_FONTS:
                continue
            seen.add(id(font))
            if font.get("/Subtype") == "/Type3" and (glyph := _type3_glyph_with_text(font)):
                # A Type3 glyph is a drawing of its own: one named `R` drew
                # `https://www.gov.scot/` in Helvetica under a link to
                # another site, read as `R` (forty-first round). Its shapes
                # and pictures cannot be read here; text inside one can.
                return (f"has a Type3 font whose glyph `{_shown(glyph)}` draws text, a pattern or a mask of its own "
                        f"(page {number}): what a reader sees there is not what the page's text says")
            if font.get("/Subtype") not in ("/Type1", "/TrueType", "/MMType1") or "/ToUnicode" not in font:
                continue
            flags = (font.get("/FontDescriptor") or {}).get("/Flags")
            # Glyphs are found by name only in a font that is not symbolic
            # (flag 6), or one of the 14 standard fonts (no descriptor).
            if font.get("/FontDescriptor") is not None and not (isinstance(flags, int) and flags & 32):
                continue
            read = Font.from_font_resource(font)
            if not isinstance(read.encoding, dict):
                continue
            for code, text in read.character_map.items():
                drawn = read.encoding.get(ord(code)) if isinstance(code, str) and len(code) == 1 else None
                if (isinstance(drawn, str) and isinstance(text, str) and len(text) == 1
                        and drawn.lower() != text.lower()
                        and drawn.lower() in ADDRESS_CHARACTERS and text.lower() in ADDRESS_CHARACTERS):
                    return (f"has a font whose text reads `{_shown(text)}` where it draws `{_shown(drawn)}` "
                            f"(page {number}): what a reader sees and what a viewer links to would differ")
    return None


INLINE_IMAGE_RE = re.compile(rb"(?<![A-Za-z])ID\s.*?\sEI(?![A-Za-z])", re.S)
GLYPH_TEXT_RE = re.compile(rb"(?<![A-Za-z])(?:BT|Tj|TJ|Do)(?![A-Za-z])")
# What else a glyph may paint with: a pattern (which may draw text), a
# shading, a graphics state (which may mask with text). Forty-eighth round:
# a glyph `R` filled with a pattern of `https://www.gov.scot/`.
GLYPH_PAINT_RE = re.compile(rb"(?<![A-Za-z])(?:BT|Tj|TJ|Do|scn|SCN|sh|gs|cs|CS)(?![A-Za-z])")


def _unread_text_paint(page) -> str | None:
    """What on a page draws text that the page's text does not hold: a
    tiling pattern, or a soft mask's group, whose drawing shows text or a
    form (forty-eighth round: `https://www.gov.scot/` painted as a pattern,
    or through a mask, under a link to evil.example; PDFium draws it and
    reads none of it). Its resources and those of its forms, one level down."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    levels = [resources]
    for form in list((resources.get("/XObject") or {}).values())[:200] if hasattr(resources, "get") else ():
        form = form.get_object()
        if hasattr(form, "get") and form.get("/Subtype") == "/Form" and form.get("/Resources") is not None:
            levels.append(form["/Resources"].get_object())
    drawings = []
    for level in levels:
        if not hasattr(level, "get"):
            continue
        for pattern in list((level.get("/Pattern") or {}).values())[:200]:
            pattern = pattern.get_object()
            if hasattr(pattern, "get_data") and pattern.get("/PatternType") == 1:
                drawings.append(("a pattern", pattern))
        for state in list((level.get("/ExtGState") or {}).values())[:200]:
            state = state.get_object()
            mask = state.get("/SMask") if hasattr(state, "get") else None
            mask = mask.get_object() if mask is not None else None
            group = mask.get("/G") if hasattr(mask, "get") else None
            if group is not None:
                drawings.append(("a mask", group.get_object()))
    for kind, drawing in drawings:
        try:
            data = drawing.get_data()[:1_000_000]
        except Exception:
            return kind
        if GLYPH_TEXT_RE.search(INLINE_IMAGE_RE.sub(b" ", data) if b"ID" in data else data):
            return kind
    return None


def _type3_glyph_with_text(font) -> str | None:
    """The name of a Type3 font's first glyph whose drawing shows text (or a
    form, which may), or None."""
    procedures = font.get("/CharProcs")
    procedures = procedures.get_object() if procedures is not None else {}
    for name, procedure in list(procedures.items())[:1_000] if hasattr(procedures, "items") else ():
        try:
            data = procedure.get_object().get_data()[:1_000_000]
        except Exception:
            return str(name)
        # (Not inside an inline picture's bytes: a bitmap font's glyphs are pictures, as old LaTeX writes them.)
        if GLYPH_PAINT_RE.search(INLINE_IMAGE_RE.sub(b" ", data) if b"ID" in data else data):
            return str(name).lstrip("/")
    return None


def _page_fonts(page):
    """The fonts a page's resources name, and those of its forms, one level down."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    levels = [resources]
    for form in list((resources.get("/XObject") or {}).values())[:200]:
        form = form.get_object()
        if hasattr(form, "get") and form.get("/Subtype") == "/Form" and form.get("/Resources") is not None:
            levels.append(form["/Resources"].get_object())
    for level in levels:
        fonts = level.get("/Font") if hasattr(level, "get") else None
        for font in list((fonts.get_object() if fonts is not None else {}).values())[:200]:
            font = font.get_object()
            if hasattr(font, "get"):
                yield font


def normalised_pdf(data: bytes) -> bytes | None:
    """The PDF as qpdf read it, written again: one cross-reference table,
    only the objects its catalogue reaches, each key once. What readers of
    the published file read is then what the checks read, whichever table
    or repair a reader would have chosen in the contributor's bytes
    (rounds 21 to 23 each found one more way to show readers a part the
    checks did not read). None if qpdf cannot read it (the checks refuse it)."""
    import pikepdf
    out = io.BytesIO()
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            # Streams are copied as they are, never unpacked: a page packed
            # twice over held 1 GB of blank lines in 1.8 KB, and unpacking
            # it to pack it again took 4 s a GB (twenty-fourth round).
            # (qpdf's own object streams are then written unpacked: a PDF of
            # many packed objects grows, bounded by the checks' step budget.
            # Asking qpdf to pack them made it unpack the page streams too.)
            pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve,
                     stream_decode_level=pikepdf.StreamDecodeLevel.none, compress_streams=False,
                     linearize=False, fix_metadata_version=False)
    except Exception:
        return None
    return out.getvalue()


# A stream whose data is in another file (`/F` on a stream): the reader
# fetches it as it draws the page (twenty-seventh round).
EXTERNAL_STREAM = "holds a stream whose data is fetched from another file when it is shown"
PDF_SIGNED = ("is digitally signed: it is published as the checks read it, which would break the signature, and a "
              "signature cannot be checked here")
PDF_ENCRYPTED = ("is encrypted (protected against copying, printing or editing): such protection can stop screen "
                 "readers reading it, and keeps what it would do when opened from being checked")


def _scan_problem(data: bytes) -> str | None:
    """The file read a third time, as tokens, with no cross-reference table
    (pdf_scan): an object only one reader's table names is still read."""
    from . import pdf_scan
    left = [MAX_PDF_READS]

    def spend(steps: int) -> None:
        left[0] -= steps
        if left[0] < 0:
            raise _OverBudget

    try:
        previous = None
        for name, value in pdf_scan.entries(data, spend):
            if previous == "/S" and name in ACTIVE_PDF_ACTIONS:
                return (f"holds {name[1:]} (a script, an action or an attached file), which runs when it is "
                        "opened, in a part of the file that some readers read")
            previous = name
            if name == "/Encrypt":
                return PDF_ENCRYPTED
            if name == "/ByteRange":
                return PDF_SIGNED
            if name == "/OpenAction" and value in (pdf_scan.DESTINATION, pdf_scan.ACTION):
                # Where the file opens, as an array; or an action (a dictionary,
                # or one by reference), which the two readers that resolve
                # it read: only one that goes to a page of the file passes.
                continue
            if name in ACTIVE_PDF_NAMES or name in ACTIVE_PDF_KINDS:
                return (f"holds {name[1:]} (a script, an action or an attached file), which runs when it is "
                        "opened, in a part of the file that some readers read")
            if name in ("/URI", "/Base") and value is not None and not _safe_link(value):
                return (f"has a link to `{_shown(value)}`; a PDF may link only to web (https), "
                        "email (mailto) and phone (tel) addresses")
    except _OverBudget:
        return PDF_TOO_COMPLEX
    except pdf_scan.Unreadable as unreadable:
        return f"holds {unreadable}, so what it would do when opened cannot be checked"
    return None


# What qpdf says that is not a reading readers could disagree on: a page
# with no /Resources (a drawing matter), and a damaged index, which every
# reader rebuilds by searching the file, as pdf_scan reads every object
# whatever the index says (a PDF whose `startxref` is wrong is published).
QPDF_NOT_REPAIRS_RE = re.compile(r"kid \d+ \(from \d+\) Resources is missing or invalid|: file is damaged$|xref|"
                                 r"cross-reference table", re.I)


def _qpdf_problem(data: bytes) -> str | None:
    """The file read again, as qpdf (pikepdf) reads it, which is how most
    readers read a damaged file. pypdf, lenient, stopped reading a
    dictionary at a `null` where a key should be, and kept the first of a
    key given twice, where qpdf, PDFium and pdf.js read on and keep the
    last: `<< /Pages 2 0 R null /OpenAction << /S /JavaScript ... >> >>` ran
    its script in Chromium's viewer, and `/S /GoTo ... /S /Launch` hid a
    launch (twenty-first round). So anything a reader must repair is
    refused, and what qpdf reads is checked as pypdf's reading was."""
    import pikepdf
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            stack, seen, steps = [pdf.trailer] + list(pdf.objects), set(), 0
            while stack:
                item = stack.pop()
                steps += 1
                if steps > MAX_PDF_READS:
                    return PDF_TOO_COMPLEX
                # A number, name or string on its own (LibreOffice writes each
                # stream's length as an object of its own): pikepdf gives it
                # as a Python value, with nothing inside to read (thirty-fourth
                # round: every PDF LibreOffice exports was refused here).
                if not isinstance(item, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)):
                    continue
                if item.is_indirect:
                    if item.objgen in seen:
                        continue
                    seen.add(item.objgen)
                if isinstance(item, pikepdf.Stream):
                    item = item.stream_dict
                    if "/F" in item:
                        return EXTERNAL_STREAM
                if isinstance(item, pikepdf.Dictionary):
                    for name in item.keys():
                        value = item.get(name)
                        # As plain values: a pikepdf object reads any attribute as a key.
                        plain = (bytes(value) if isinstance(value, pikepdf.String) else {} if isinstance(
                            value, pikepdf.Dictionary) else str(value)) if name in ("/URI", "/Base") else \
                            _open_action(value) if name == "/OpenAction" else None
                        if refused := _active_entry(name, plain, str(value) if isinstance(value, pikepdf.Name) else None):
                            return refused
                        if isinstance(value, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream)) and not (
                                value.is_indirect and value.objgen in seen):
                            stack.append(value)
                elif isinstance(item, pikepdf.Array):
                    stack.extend(v for v in item if isinstance(v, (pikepdf.Dictionary, pikepdf.Array, pikepdf.Stream))
                                 and not (v.is_indirect and v.objgen in seen))
            if bookmark := _bookmark_address(pdf):
                return (f"has a bookmark that opens `{_shown(bookmark)}`; in a PDF only a link on a page may go to "
                        "an address, where what it shows can be read: make the bookmark go to a page of the file, "
                        "and put the address in a link on that page")
            # What qpdf had to repair in reading the objects.
            repaired = [said for said in pdf.get_warnings() if not QPDF_NOT_REPAIRS_RE.search(said)]
    except Exception:
        return "cannot be read as a PDF, so what it would do when opened cannot be checked"
    if repaired:
        said = repaired[0].rsplit("): ", 1)[-1].rsplit(": ", 1)[-1].split(";")[0]
        return (f"is damaged ({_shown(said)}): readers repair it as they open it, each in its own way, so what it "
                "would do when opened cannot be checked")
    return None


def _bookmark_address(pdf) -> str | None:
    """The first address a bookmark (an outline item) opens, by its action
    or any action after it, or None. A viewer lists bookmarks by their
    titles, which nothing compares with where they go, and can show the
    list as the file opens (forty-third round: `www.gov.scot` went to
    evil.example). Bookmarks that go to a page (Word's, LibreOffice's,
    LaTeX's) pass. Each item and action is read once: the walk above
    bounded how many objects there are."""
    import pikepdf
    root = pdf.Root.get("/Outlines")
    stack, seen = [root.get("/First")] if isinstance(root, pikepdf.Dictionary) else [], set()
    while stack:
        item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary) or (item.is_indirect and item.objgen in seen):
            continue
        if item.is_indirect:
            seen.add(item.objgen)
        stack.extend(item.get(key) for key in ("/Next", "/First"))
        actions = [item.get("/A")]
        while actions and len(seen) < MAX_PDF_OBJECTS:
            action = actions.pop()
            if isinstance(action, pikepdf.Array):  # `/Next` may be an array of actions
                actions.extend(action)
                continue
            if not isinstance(action, pikepdf.Dictionary) or (action.is_indirect and action.objgen in seen):
                continue
            if action.is_indirect:
                seen.add(action.objgen)
            if action.get("/S") == pikepdf.Name.URI:
                uri = action.get("/URI")
                return bytes(uri).decode("latin-1") if isinstance(uri, pikepdf.String) else str(uri)
            actions.append(action.get("/Next"))
    return None


def _open_action(value):
    """A catalogue's /OpenAction, read by qpdf, as the plain values
    `_is_destination` reads: an array, or an action's entries."""
    import pikepdf
    if isinstance(value, pikepdf.Array):
        return []
    if isinstance(value, pikepdf.Dictionary):
        return {key: [] if isinstance(item, pikepdf.Array) else bytes(item) if isinstance(item, pikepdf.String)
                else {} if isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)) else str(item)
                for key, item in value.items()}
    return None


def _is_destination(value) -> bool:
    """A page and a view (`[3 0 R /Fit]`), as an array, or an action that
    only goes to one in this file (`<< /S /GoTo /D [3 0 R /Fit] >>`, which
    LaTeX's hyperref writes by default; thirty-eighth round: every such PDF
    was refused as running something when opened): no action."""
    try:
        value = value.get_object() if hasattr(value, "get_object") else value
    except Exception:
        return False
    if isinstance(value, dict):
        go_to = value.get("/D")
        try:
            go_to = go_to.get_object() if hasattr(go_to, "get_object") else go_to
        except Exception:
            return False
        return (set(value) <= {"/Type", "/S", "/D"} and str(value.get("/S")) == "/GoTo"
                and str(value.get("/Type", "/Action")) == "/Action"
                and (isinstance(go_to, list) or isinstance(go_to, (str, bytes)) and not isinstance(go_to, dict)))
    return isinstance(value, list)


def _active_entry(name: str, value, name_value: str | None) -> str | None:
    """What one entry of a PDF dictionary would do that a published file may
    not: the same verdict whichever library read it. `name_value`: the
    value, when it is a name."""
    if name == "/OpenAction" and _is_destination(value):
        return None  # `/OpenAction [3 0 R /Fit]`: where it opens (LaTeX's hyperref writes it), not an action
    if name in ACTIVE_PDF_NAMES:
        return f"holds {name[1:]} (a script, an action or an attached file), which runs when it is opened"
    if name_value is not None and name in ("/S", "/Type", "/Subtype") and (
            name_value in ACTIVE_PDF_NAMES or name_value in ACTIVE_PDF_KINDS
            or name == "/S" and name_value in ACTIVE_PDF_ACTIONS):
        return f"holds {name_value[1:]} (a script, an action or an attached file), which runs when it is opened"
    if name == "/URI" and (value is None or isinstance(value, dict)):
        return None  # the catalogue's `/URI << /Base (...) >>`: its /Base is read as a link
    if name in ("/URI", "/Base") and not _safe_link(value):
        return (f"has a link to `{_shown(value)}`; a PDF may link only to web (https), "
                "email (mailto) and phone (tel) addresses")
    return None


PDF_TOO_COMPLEX = (f"takes more than {MAX_PDF_READS:,} steps to read (too many objects, or objects packed "
                   "into streams that inflate far past the file's size), so what it would do when opened "
                   "cannot be checked in time")


class _OverBudget(Exception):
    pass


class _Budgeted(io.BytesIO):
    """The file as pypdf reads it, counting each read against `left`."""

    def __init__(self, data: bytes, left: int):
        super().__init__(data)
        self.left = left

    def spend(self, steps: int) -> None:
        self.left -= steps
        if self.left < 0:
            raise _OverBudget

    def read(self, size: int = -1) -> bytes:
        self.left -= 1
        if self.left < 0:
            raise _OverBudget
        return super().read(size)

    def readline(self, size: int = -1) -> bytes:
        self.spend(1)
        return super().readline(size)


def _pdf_walk_problem(stream, PdfReader) -> str | None:
    """Every object of the PDF, from its trailer and from its index alike:
    a catalogue that the last trailer leaves out is still found by readers
    that search for one (pypdf, PDFium), so reachability proves nothing."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            return PDF_ENCRYPTED
        if "/Root" not in reader.trailer:
            return ("has no catalogue where its last trailer should name one, so readers search the file for "
                    "one; what it would do when opened cannot be checked")
        listed = [IndirectObject(number, generation, reader)
                  for generation, numbers in reader.xref.items() for number in numbers]
        listed += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
        if len(listed) > MAX_PDF_OBJECTS:
            return f"has more than {MAX_PDF_OBJECTS:,} objects to check"
        # Each object stream is inflated and read whole when one of its
        # objects is first asked for: its bytes are spent before that.
        for number in sorted({packs for packs, _ in reader.xref_objStm.values()}):
            packed = IndirectObject(number, 0, reader).get_object()
            if isinstance(packed, StreamObject):
                stream.spend(len(packed.get_data()))
        queue, seen, count = [reader.trailer] + listed[::-1], set(), 0
        while queue:
            item = queue.pop()
            if isinstance(item, IndirectObject):
                key = (item.idnum, item.generation)
                if key in seen:
                    continue
                seen.add(key)
                item = item.get_object()
            count += 1
            if count > MAX_PDF_OBJECTS:
                return f"has more than {MAX_PDF_OBJECTS:,} objects to check"
            if isinstance(item, StreamObject) and "/F" in item:
                return EXTERNAL_STREAM
            if isinstance(item, DictionaryObject):
                for name, value in item.items():
                    if refused := _active_entry(name, value, value if isinstance(value, NameObject) else None):
                        return refused
                    if isinstance(value, (DictionaryObject, ArrayObject, IndirectObject)):
                        queue.append(value)
            elif isinstance(item, ArrayObject):
                queue.extend(v for v in item if isinstance(v, (DictionaryObject, ArrayObject, IndirectObject)))
    except Exception:
        # (pypdf needs another package to open an encrypted file: refused either way, said as what it is.)
        return PDF_ENCRYPTED if b"/Encrypt" in stream.getvalue() else \
            "cannot be read as a PDF, so what it would do when opened cannot be checked"
    return None


def _link_text(value) -> str:
    value = value.get_object() if hasattr(value, "get_object") else value
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def _safe_link(value) -> bool:
    """The body's rule for links, for a link in a PDF or an office
    document: a web, email or
    phone address, read as a browser reads it (`java\tscript:` is
    `javascript:`, `\\\\host\\share` a network share)."""
    from urllib.parse import urlsplit
    from .links import SAFE_SCHEMES, as_browser_reads
    try:
        return urlsplit(as_browser_reads(_link_text(value))).scheme.lower() in SAFE_SCHEMES
    except ValueError:
        return False


# How an address on another site is not what it reads as (links.address_problem).
ADDRESS_TROUBLE = {
    "link-address/look-alike": "whose host `{host}` is written in look-alike letters: it reads as `{seen}`",
    "link-address/userinfo": "with `{user}@` before its host: it goes to `{host}`",
    "link-address/backslash": "with a backslash, which a browser reads as `/`: it goes to `{host}`",
    "link-address/port": "with a port that is not a number from 1 to 65535",
    "link-address/tel": "that dials more than a phone number (letters, or * and #)",
}


def _link_trouble(target, text: str | None = "", tooltip: str | None = "") -> str | None:
    """Why a link in a contributor's file is not what it reads as, or None:
    the pages' rules for an address on another site, and for what a link's
    text and tooltip may show (thirty-first round: a Word link showing
    `https://www.gov.scot/` went to evil.example). Said after the link."""
    from . import links
    from .characters import escaped
    target = _link_text(target)
    if target.startswith("#"):
        return None  # a place in the document
    if bad := links.address_problem(target):
        return ADDRESS_TROUBLE[bad[0]].format(**{key: escaped(str(value)) for key, value in bad[1].items()})
    for what, shown in (("text", text), ("tooltip", tooltip)):
        shown = " ".join((shown or "").split())[:2000]
        if shown and (seen := links.misleading(shown, target)):
            return f"whose {what} shows `{escaped(seen)}`: {MISLEADING_IN_FILE}"
    return None


def _shown(value) -> str:
    from .characters import escaped
    text = _link_text(value)
    return escaped(text[:80] + ("..." if len(text) > 80 else ""))


# Pillow's names for the formats, to open a file only as what its name says.
PILLOW_FORMATS = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}
# All the frames of an animation, decoded to check them: a 800 x 600 GIF
# may have 200 frames.
MAX_DECODED_PIXELS = 2 * MAX_IMAGE_PIXELS
# Frames, whatever their size: libwebp finds each frame of an animation by
# walking the list from the first (1x1 frames: 80,000 took 21 s, 430,000
# some ten minutes), and Pillow counts a GIF's frames by reading them all
# (1.3 million in 19.5 MB: 27 s). 1,000 is 40 s of animation at 25 a second.
MAX_FRAMES = 1_000
# A PNG's chunks, each read in Python here and by Pillow: 1.6 million empty
# ones in 19 MB took 5.5 s a file.
MAX_PNG_CHUNKS = 100_000


def image_problem(data: bytes, ext: str, work: Work | None = None) -> str | None:
    size = image_size(data, ext)
    if size is None:
        return f"is not a {FILE_TYPES.get(ext, ext)}: it does not start as one"
    width, height = size
    if width == 0 or height == 0:
        return "declares no size (no frame header was found), so what it would show cannot be checked"
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
        return _too_big(width, height)
    if ext == "png" and (damaged := png_structure_problem(data)):
        return damaged
    if ext == "gif" and (damaged := gif_structure_problem(data)):
        return damaged
    if ext in ("jpg", "jpeg") and (scans := data.count(b"\xff\xda")) > MAX_JPEG_SCANS:
        return (f"is a JPEG of {scans:,} scans; the limit is {MAX_JPEG_SCANS} (each is decoded over the whole "
                "picture, and the PDF's decoder stops at 100)")
    if ext in ("jpg", "jpeg") and (odd := jpeg_coding_problem(data)):
        return odd
    return decode_problem(data, ext, work)


# A JPEG's frame headers (SOF): arithmetic coding (C9-CB, CD-CF, and its
# conditioning table, CC) is shown by neither Chromium nor the PDF's decoder.
ARITHMETIC_SOF = frozenset({0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF, 0xCC})
FRAME_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7}) | ARITHMETIC_SOF - {0xCC}


def jpeg_coding_problem(data: bytes) -> str | None:
    """A JPEG coded in a way the briefing's PDF cannot hold (twenty-sixth
    round: `cjpeg -arithmetic` and `-sample 3x1` passed the checks and
    stopped the build): arithmetic coding, or a component sampled by a
    factor other than 1, 2 or 4. Read from its markers up to its first scan."""
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker, length = data[at + 1], int.from_bytes(data[at + 2:at + 4], "big")
        if marker == 0xDA:
            return None
        if marker in ARITHMETIC_SOF:
            return "is a JPEG with arithmetic coding, which browsers and the PDF cannot show: save it again as a plain JPEG"
        if marker in FRAME_SOF and at + 10 <= len(data):
            components = data[at + 9]
            for n in range(components):
                factors = data[at + 11 + 3 * n] if at + 11 + 3 * n < len(data) else 0x11
                if factors >> 4 not in (1, 2, 4) or factors & 0x0F not in (1, 2, 4):
                    return ("is a JPEG whose colours are sampled in a way the PDF cannot show "
                            f"({factors >> 4}x{factors & 0x0F}): save it again as a plain JPEG")
        at += 2 + length
    return None


def png_structure_problem(data: bytes) -> str | None:
    """A PNG's chunks as the PDF's decoder (Rust's png crate) reads them,
    which is stricter than Pillow: every chunk's checksum right, one IHDR
    and first, a palette before the data of a palette image, and an IEND.
    Pillow passed each of these four and Typst then refused the image."""
    import zlib
    at, seen, colour = 8, [], None
    while at + 12 <= len(data):
        if len(seen) == MAX_PNG_CHUNKS:
            return (f"has more than {MAX_PNG_CHUNKS:,} chunks, the most that are checked (a picture of 20 MB "
                    "saved in 8 KB pieces has some 2,500)")
        length = int.from_bytes(data[at:at + 4], "big")
        kind = data[at + 4:at + 8]
        end = at + 12 + length
        if end > len(data):
            break
        if zlib.crc32(data[at + 4:end - 4]) != int.from_bytes(data[end - 4:end], "big"):
            return f"cannot be shown: it is damaged (the checksum of its {_shown(kind.decode('latin-1'))} chunk is wrong)"
        if kind == b"IHDR":
            if seen:
                return "cannot be shown: it is damaged (its header chunk, IHDR, is not first, or comes twice)"
            colour = data[at + 17] if length >= 13 else None
        elif not seen:
            return "cannot be shown: it is damaged (its header chunk, IHDR, is not first, or comes twice)"
        if kind == b"IDAT" and colour == 3 and b"PLTE" not in seen:
            return "cannot be shown: it is damaged (a palette image with no palette before its data)"
        seen.append(kind)
        if kind == b"IEND":
            return None
        at = end
    return "cannot be shown: it is damaged or cut short (it has no end chunk, IEND)"


def gif_structure_problem(data: bytes) -> str | None:
    """A GIF's frames as Typst's decoder reads them: each needs a colour
    table, its own or the file's (Pillow makes one up, and passed a GIF
    that then stopped the build)."""
    if len(data) < 13:
        return None  # too short to be read: the decoder says so
    global_table = data[10] & 0x80
    at = 13 + (3 << ((data[10] & 7) + 1) if global_table else 0)
    while at < len(data):
        block = data[at]
        if block == 0x3B:
            return None
        if block == 0x21:  # an extension: its label, then sub-blocks to an empty one
            at += 2
        elif block == 0x2C:  # a frame: its descriptor, its own table, the LZW code size, sub-blocks
            if at + 10 > len(data):
                return None
            packed = data[at + 9]
            if not packed & 0x80 and not global_table:
                return "cannot be shown: it is damaged (a frame has no colour table, its own or the file's)"
            at += 10 + ((3 << ((packed & 7) + 1)) if packed & 0x80 else 0) + 1
        else:
            return None  # not a block the format has: the decoder says what is wrong
        while at < len(data) and data[at]:
            at += data[at] + 1
        at += 1
    return None


def _too_big(width: int, height: int) -> str:
    return (f"declares {width:,} x {height:,} pixels; the limit is {MAX_IMAGE_SIDE:,} a side and "
            f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels")


def decode_problem(data: bytes, ext: str, work: Work | None = None) -> str | None:
    """Why an image whose header is in budget cannot be shown: it is decoded
    whole (every frame of an animation), as a browser and the PDF do, so a
    damaged image behind a valid header (a truncated GIF frame) is refused
    here rather than by the PDF step. A JPEG is decoded at 1/8 scale (every
    byte is still read); 1.6 MP costs 1.5 ms as JPEG, 3.5 ms as GIF, 9 ms as
    PNG and 12 ms as WebP."""
    import io
    import warnings
    from PIL import Image
    # Pillow's own budget is ours, and its warning (over the budget, under
    # twice it) an error: the sizes are checked before anything is decoded.
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)
    decoded, frames = 0, 0
    try:
        with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[ext]]) as image:
            for frame in range(MAX_FRAMES + 1):
                try:
                    image.seek(frame)
                except EOFError:
                    break  # the last frame was read
                if frame == MAX_FRAMES:
                    return (f"is an animation of more than {MAX_FRAMES:,} frames, the most that are checked "
                            "(each is decoded, as a browser does)")
                width, height = image.size
                if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
                    return _too_big(width, height)
                decoded += width * height
                if decoded > MAX_DECODED_PIXELS:
                    return (f"has more frames than can be checked (over {MAX_DECODED_PIXELS // 1_000_000} "
                            "megapixels in all)")
                if image.format == "JPEG":
                    image.draft(image.mode, (max(1, width // 8), max(1, height // 8)))
                image.load()
                frames += 1
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "declares more pixels than the limit of {:,} megapixels".format(MAX_IMAGE_PIXELS // 1_000_000)
    except Exception as error:  # Pillow raises what its decoders raise: OSError, SyntaxError, ValueError...
        return (f"cannot be shown: it is damaged or not a {FILE_TYPES.get(ext, ext)} "
                f"({_shown(str(error)[:60])})")
    finally:
        if work is not None:
            work.spent(decoded, MAX_DECODED_PIXELS)
            work.spent(frames, MAX_FRAMES)
    return None


def declared_pixels(path) -> int:
    """Width x height as an image file declares them, from its header (0 for
    a file that is not an image of its type): what decoding it costs. Read
    once per version of the file."""
    from pathlib import Path
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return 0
    return _declared_pixels(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4096)
def _declared_pixels(path: str, size: int, mtime: int) -> int:
    ext = extension(path)
    if ext not in PILLOW_FORMATS or size > MAX_FILE_BYTES:
        return 0
    with open(path, "rb") as handle:
        data = handle.read()  # a JPEG's frame header may come after any amount of metadata
    declared = image_size(data, ext)
    return declared[0] * declared[1] if declared else 0


def image_size(data: bytes, ext: str) -> tuple[int, int] | None:
    """(width, height) as the file declares them, from its header; None if
    it does not start as an image of its type."""
    import struct
    if ext == "png":
        if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
            return None
        return struct.unpack(">II", data[16:24])
    if ext == "gif":
        if data[:6] not in (b"GIF87a", b"GIF89a"):
            return None
        return struct.unpack("<HH", data[6:10])
    if ext == "webp":
        if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
            return None
        chunk = data[12:16]
        if chunk == b"VP8X":
            return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
        if chunk == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8 ":
            return struct.unpack("<HH", data[26:30])[0] & 0x3FFF, struct.unpack("<HH", data[26:30])[1] & 0x3FFF
        return None
    # JPEG: walk the markers to a start of frame, as a decoder does.
    if data[:3] != b"\xff\xd8\xff":
        return None
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            at += 1
            continue
        if data[at + 1] == 0xFF:
            at += 1  # a fill byte: any number of 0xFF may come before a marker
            continue
        marker = data[at + 1]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        if marker in (0xDA, 0xD9):
            break  # the scan (or the end) before any frame: a decoder gives up here
        length = int.from_bytes(data[at + 2:at + 4], "big")
        if length < 2:
            break
        at += 2 + length
    return 0, 0  # no frame found: refused, as its size cannot be known
