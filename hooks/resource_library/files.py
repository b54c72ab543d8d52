"""Which files in the content folders may be published, and how they are
named in links.

Only a file that a resource asks for (a download, slides, a transcript, or a
link or image in its body) is published, and only if its type is one a
reader downloads or an article shows. Types a browser would run (HTML, SVG,
JavaScript) never are: on the site's own origin they could run script.
"""
from __future__ import annotations

import posixpath
from urllib.parse import quote

# The largest file a resource may publish. Readers on a phone wait minutes
# for more, git keeps every version of it, and counting a PDF's pages reads
# it whole. Larger files belong elsewhere, linked over https.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILE_HINT = ("Readers on a phone would wait minutes for it, and the repository keeps every version. "
                 "Make it smaller (a PDF saved for the web, images at screen size), or put it where the team keeps "
                 "large files and link to it over https, for example [Full report (PDF, 45 MB)](https://...).")

# Extension: the format as readers are told it.
FILE_TYPES = {
    "pdf": "PDF", "docx": "Word", "xlsx": "Excel", "pptx": "PowerPoint",
    "odt": "OpenDocument text", "ods": "OpenDocument spreadsheet", "odp": "OpenDocument presentation",
    "csv": "CSV", "txt": "Text", "png": "PNG image", "jpg": "JPEG image", "jpeg": "JPEG image",
    "webp": "WebP image", "gif": "GIF image",
}


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
    if ".." in value.split("/"):
        return "climbs out of the folder with `..`; keep the file in this type's folder, as in files/checklist.pdf"
    return type_problem(value)


def type_problem(path: str) -> str | None:
    """Why a file may not be published whatever links to it, or None."""
    if any(part.startswith(".") for part in path.split("/") if part):
        return "names a hidden file or folder"
    if extension(path) not in FILE_TYPES:
        return (f"is a `.{extension(path) or '?'}` file, which is not published; allowed: "
                + ", ".join(sorted(FILE_TYPES)))
    return None


def size_problem(size: int) -> str | None:
    """Why a file of `size` bytes may not be published, or None."""
    if size <= MAX_FILE_BYTES:
        return None
    return f"is {size / (1024 * 1024):.1f} MB; the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB"


def href(path: str) -> str:
    """A site path as it goes into an href: each segment percent-encoded."""
    return "/".join(quote(part) for part in path.split("/"))
