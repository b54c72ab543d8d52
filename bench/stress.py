"""Stress shapes (issue 20): the starter library plus one resource at the
limit of each budget, timed against the starter library alone.

Each budget bounds one resource's work (see validate.MAX_BLOCK_ELEMENTS,
validate.MAX_TERMS, files.MAX_FILE_BYTES, render.MAX_PDF_OBJECTS); a shape
at its limit is the most work a contributor can ask for in that way, so
its extra time over the starter build is the most that budget lets one
resource add. The shapes are made from the constants, so they follow them.
`validate` and `build` are each timed BENCH_STRESS_RUNS times, round by round
(median).
"""
from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "hooks"))
sys.path.insert(0, str(REPO / "tests"))
from conftest import CONTENT_FOLDERS, make_project  # noqa: E402
from resource_library import files, pdf as briefings, render, validate  # noqa: E402
from resource_library.frontmatter import MAX_FILE_BYTES as MAX_RESOURCE_BYTES  # noqa: E402
from resource_library.validate.body import (MAX_BACKTICK_LENGTHS, MAX_FENCE_LINE, MAX_LINE_CHARS,  # noqa: E402
                                            MAX_NESTED_ON_A_LINE, MAX_PIPES)

SHAPE = "at-a-glance/stress-shape.md"
FRONT_MATTER = """---
title: A resource at a budget's limit
summary: One resource of the benchmark's stress shapes, at the limit of one budget.
functions: [curate]
{programmes}
{topics}
published: 2026-01-10
owner: Benchmark
status: current
{downloads}---

"""


def resource(body: str = "Body.\n", topics: str = "topics: [housing]", programmes: str = "programmes: []",
             downloads: str = "") -> str:
    return FRONT_MATTER.format(topics=topics, programmes=programmes, downloads=downloads) + body


def body_of(unit: str, limit_name: str):
    def write(project: Path) -> None:
        (project / SHAPE).write_text(resource(unit * validate.MAX_BLOCK_ELEMENTS[limit_name]))
    return write


def nested_lists(project: Path) -> None:
    """Lists opened at the start of a line, as many as one line may open,
    on as many lines as a body may have headings: the converter's deepest
    recursion, over and over."""
    line = "- " * MAX_NESTED_ON_A_LINE + "item\n\n"
    (project / SHAPE).write_text(resource(line * validate.MAX_BLOCK_ELEMENTS["headings"]))


def terms(project: Path) -> None:
    """As many topics and programmes as a resource may have, each a term of
    its own added to the vocabulary (so each gets its page and feed)."""
    lists = {}
    for kind, limit in validate.MAX_TERMS.items():
        path = project / "vocabulary" / f"{kind}.yml"
        path.write_text(path.read_text() + "".join(f"stress-{kind}-{n}:\n  name: Stress {kind} {n}\n"
                                                   f"  description: A term of the benchmark.\n" for n in range(limit)))
        lists[kind] = f"{kind}: [" + ", ".join(f"stress-{kind}-{n}" for n in range(limit)) + "]"
    (project / SHAPE).write_text(resource(**lists))


def download(project: Path) -> None:
    """A download of the largest size allowed: text, which is read and checked."""
    path = project / "at-a-glance" / "files" / "stress.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    line = b"a,b,c\n"
    path.write_bytes((line * (files.MAX_FILE_BYTES // len(line) + 1))[:files.MAX_FILE_BYTES])
    (project / SHAPE).write_text(resource(downloads="downloads:\n  - file: files/stress.csv\n    label: Big\n"))


def pdf(objects: int, filler: bytes = b"<<>>") -> bytes:
    """A one-page PDF of `objects` objects in all (`filler` ones after the page)."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    bodies = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>"] + [filler] * (objects - 4)
    for number, text in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj %s endobj\n" % (number, text)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref)
    return bytes(out)


def pdf_download(project: Path) -> None:
    """A PDF with as many objects as pages are counted for."""
    path = project / "at-a-glance" / "files" / "stress.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf(render.MAX_PDF_OBJECTS))
    (project / SHAPE).write_text(resource(downloads="downloads:\n  - file: files/stress.pdf\n    label: PDF\n"))


def pdf_reads_at_limit(count: int):
    """Downloads that each take as many of the checks' steps to read as a
    PDF may (96,000 arrays of zeros took 42 s before reading was bounded):
    as many arrays as fit, found by reading a sample; `count` of them, each
    its own, as many as a resource's checking allows."""
    def write(project: Path) -> None:
        from pypdf import PdfReader
        zeros = b"[" + b"0 " * 90 + b"]"
        sample = files._Budgeted(pdf(1004, zeros), 10**12)
        files._pdf_walk_problem(sample, PdfReader)
        arrays = int(files.MAX_PDF_READS * 0.98 / ((10**12 - sample.left) / 1000))
        folder = project / "at-a-glance" / "files"
        folder.mkdir(parents=True, exist_ok=True)
        items = ""
        for n in range(count):  # each its own; validate says if one is over (test_bench_harness.py)
            (folder / f"stress-{n}.pdf").write_bytes(pdf(arrays + 4 - n, zeros))
            items += f"  - file: files/stress-{n}.pdf\n    label: PDF {n}\n"
        (project / SHAPE).write_text(resource(downloads="downloads:\n" + items))
    return write


def pdf_text_at_limit(count: int):
    """Downloads whose drawing unpacks to just under what is read for their
    text (PDFium's links and words under links), a link on their page:
    `count` of them, each its own, as many as a resource's checking allows."""
    def write(project: Path) -> None:
        import io
        import pikepdf
        from pikepdf import Array, Dictionary, Name, String
        folder = project / "at-a-glance" / "files"
        folder.mkdir(parents=True, exist_ok=True)
        operator = b"(abcdefgh ) Tj 0 -1 Td "
        items = ""
        for n in range(count):
            pdf = pikepdf.new()
            font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
            page = pdf.add_blank_page(page_size=(612, 792))
            page.Resources = Dictionary(Font=Dictionary(F1=font))
            drawing = b"BT /F1 12 Tf (%d) Tj " % n + operator * int(files.MAX_PDF_DRAWING_BYTES * 0.98 / len(operator))
            page.Contents = pdf.make_stream(drawing + b"ET")
            page.Annots = pdf.make_indirect(Array([pdf.make_indirect(Dictionary(
                Type=Name.Annot, Subtype=Name.Link, Rect=[0, 0, 612, 792],
                A=Dictionary(S=Name.URI, URI=String("https://www.gov.scot/"))))]))
            out = io.BytesIO()
            pdf.save(out, compress_streams=True)
            (folder / f"stress-{n}.pdf").write_bytes(out.getvalue())
            items += f"  - file: files/stress-{n}.pdf\n    label: PDF {n}\n"
        (project / SHAPE).write_text(resource(downloads="downloads:\n" + items))
    return write


def shared_first_words(project: Path) -> None:
    """The synonyms file at its limit (300 groups of 12), every new phrase
    starting with the same word, and a resource holding each phrase's
    second word and lines of that first word and stop words (thirteenth
    attacker: 22 s a resource before phrases were walked as a tree)."""
    from resource_library import synonyms
    path = project / "vocabulary" / "synonyms.yml"
    text = path.read_text(encoding="utf-8")
    room = synonyms.MAX_GROUPS - sum(1 for line in text.splitlines() if line[:1].isalpha())
    path.write_text(text + "\n" + "".join(f"zz{g}:\n" + "".join(f"  - kx qz{g:03d}{chr(97 + n)}\n"
                                                                for n in range(synonyms.MAX_PHRASES))
                                          for g in range(room)), encoding="utf-8")
    words = "\n\n".join(" ".join(f"qz{g:03d}{chr(97 + n)}" for n in range(synonyms.MAX_PHRASES)) for g in range(room))
    line = "kx " + "a " * ((MAX_LINE_CHARS - 4) // 2) + "\n\n"
    (project / SHAPE).write_text(resource(words + "\n\n" + line * ((MAX_RESOURCE_BYTES - 60_000) // len(line))))


# (name, what it is, how to add it to a project); the first is the starter library alone.
def table_at_limit(project: Path) -> None:
    """A pipe table of as many columns and cells as a briefing's PDF takes."""
    columns = briefings.MAX_TABLE_COLUMNS
    rows = briefings.MAX_TABLE_CELLS // columns - 1  # and its header row
    head = "|" + "|".join(f"c{i}" for i in range(columns)) + "|\n|" + "---|" * columns + "\n"
    body = "".join("|" + "|".join("x" for _ in range(columns)) + "|\n" for _ in range(rows))
    (project / SHAPE).write_text(resource("\n" + head + body))


def image_at_limit(project: Path) -> None:
    """A PNG at the megapixel budget, shown in a briefing: decoded by the
    checks, and put in the briefing's PDF."""
    import zlib
    side = int(files.MAX_IMAGE_PIXELS ** 0.5)
    raw = (b"\0" + b"\xff\xff\xff" * side) * side
    def chunk(kind, data):
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", side.to_bytes(4, "big") * 2 + b"\x08\x02\0\0\0")
           + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    (project / "at-a-glance" / "files").mkdir(parents=True, exist_ok=True)
    (project / "at-a-glance" / "files" / "stress.png").write_bytes(png)
    (project / SHAPE).write_text(resource("\n![A blank chart at the size limit](files/stress.png)\n"))


def nesting_at_limit(project: Path) -> None:
    """Inline elements nested as deep as validate lets a briefing's PDF take:
    the paragraph and 58 more."""
    depth = briefings.MAX_NESTING - 2
    (project / SHAPE).write_text(resource("\n<p>" + "<b>" * depth + "x" + "</b>" * depth + "</p>\n"))


def backticks_at_limit(project: Path) -> None:
    """One paragraph as long as a resource may be, its first lines opening
    code with runs of as many lengths as a paragraph may have and never
    closing it: the converter reads to the paragraph's end once a length."""
    opened = "".join("`" * length + " x\n" for length in range(1, MAX_BACKTICK_LENGTHS + 1))
    line = ("word " * (MAX_LINE_CHARS // 5 - 1)).rstrip() + "\n"
    room = MAX_RESOURCE_BYTES - len(resource(opened)) - 1024
    (project / SHAPE).write_text(resource(opened + line * (room // len(line))))


def pipes_at_limit(project: Path) -> None:
    """A past webinar (no PDF, so no PDF budget) whose body is one pipe
    table of as many cells as a body may have `|`."""
    rows = ["| h " * 19 + "|", "|---" * 19 + "|"] + ["| b " * 19 + "|"] * (MAX_PIPES // 20 - 2)
    text = resource("\n".join(rows) + "\n").replace("status: current", 'status: current\nstarts: "2026-03-01T13:00"\n'
                                                     "duration_minutes: 60\nspeakers:\n  - name: A Speaker", 1)
    (project / "webinars" / "stress-table.md").write_text(text)


def long_lines(prefix: str):
    """Paragraphs of one line each, as long as a line may be: `prefix` and
    then tabs, spaces or letters to the end, none closed (the seventh attacker's
    shapes: each took one of our patterns about 10 s a line)."""
    def write(project: Path) -> None:
        filler = {"{": "\t", "<": "a", "#": "#"}.get(prefix[0], " ")
        line = prefix + filler * (MAX_LINE_CHARS - len(prefix) - 1) + "x\n\n"
        (project / SHAPE).write_text(resource(line * ((MAX_RESOURCE_BYTES - 2048) // len(line))))
    return write


def long_words(project: Path) -> None:
    """Words that lunr.py's Porter stemmer took 0.13 s each over (eighth
    attacker): now indexed unstemmed, being over 40 letters."""
    consonants = "bcdfghjklmnpqrstvwxz"
    words = [consonants[n % 20] + consonants[n // 20 % 20] + "y" * 930 + "e" for n in range(400)]
    (project / SHAPE).write_text(resource("\n\n".join(" ".join(words[i:i + 20]) for i in range(0, 400, 20)) + "\n"))


def fence_lines(project: Path) -> None:
    """Lines as long as a fence's first line may be, which Python-Markdown
    reads once for each space on them, as many as the file holds."""
    line = "```" + " " * (MAX_FENCE_LINE - 4) + "\\\n\n"
    (project / SHAPE).write_text(resource(line * ((MAX_RESOURCE_BYTES - 2048) // len(line))))


SHAPES = [
    ("starter", "the starter library alone", None),
    ("headings", f"{validate.MAX_BLOCK_ELEMENTS['headings']} headings (`# a`, no blank lines)", body_of("# a\n", "headings")),
    ("setext headings", f"{validate.MAX_BLOCK_ELEMENTS['headings']} setext headings", body_of("a\n===\n", "headings")),
    ("thematic breaks", f"{validate.MAX_BLOCK_ELEMENTS['thematic breaks']} `***` lines",
     body_of("***\n", "thematic breaks")),
    ("link references", f"{validate.MAX_BLOCK_ELEMENTS['link reference definitions']} link reference definitions, "
     "each after a line of text", body_of("b\n[r]: https://x.example/\n", "link reference definitions")),
    ("admonitions", f"{validate.MAX_BLOCK_ELEMENTS['admonitions']} admonitions, no blank lines",
     body_of("!!! note\n    a\n", "admonitions")),
    ("nested lists", f"{validate.MAX_BLOCK_ELEMENTS['headings']} lines each opening "
     f"{MAX_NESTED_ON_A_LINE} lists (`- ` x {MAX_NESTED_ON_A_LINE})", nested_lists),
    ("terms", f"{validate.MAX_TERMS['topics']} topics and {validate.MAX_TERMS['programmes']} programmes, "
     "each new to the vocabulary", terms),
    ("download", f"a download of {files.MAX_FILE_BYTES // (1024 * 1024)} MB", download),
    ("PDF objects", f"a PDF of {render.MAX_PDF_OBJECTS:,} objects, its pages counted", pdf_download),
    ("PDF reads", f"{files.MAX_RESOURCE_CHECK_WORK:g} PDF downloads, each read in just under "
     f"{files.MAX_PDF_READS:,} steps (arrays of zeros): as much checking as one resource's files may take",
     pdf_reads_at_limit(int(files.MAX_RESOURCE_CHECK_WORK))),
    ("PDF text", f"{files.MAX_RESOURCE_CHECK_WORK:g} PDF downloads, each of a page with a link whose drawing unpacks "
     f"to just under {files.MAX_PDF_DRAWING_BYTES // (1024 * 1024)} MB of text, read by PDFium",
     pdf_text_at_limit(int(files.MAX_RESOURCE_CHECK_WORK))),
    ("table", f"a briefing's table of {briefings.MAX_TABLE_COLUMNS} columns and {briefings.MAX_TABLE_CELLS:,} cells, "
              "in its PDF", table_at_limit),
    ("image", f"a briefing's image of {files.MAX_IMAGE_PIXELS // 1_000_000} megapixels, decoded by the checks and "
              "in its PDF", image_at_limit),
    ("backticks", f"one paragraph of {MAX_RESOURCE_BYTES // 1024} KB opening code with backtick runs of "
                  f"{MAX_BACKTICK_LENGTHS} lengths, none closed", backticks_at_limit),
    ("pipes", f"a webinar's table of {MAX_PIPES:,} `|` (19 columns, {MAX_PIPES // 20 - 1} rows)", pipes_at_limit),
    ("link spaces", f"lines of `[a](` and {MAX_LINE_CHARS:,} spaces, no `)`", long_lines("[a](")),
    ("attribute tabs", f"lines of `{{: ` and {MAX_LINE_CHARS:,} tabs, no `}}`", long_lines("{: ")),
    ("tag letters", f"lines of `<b ` and {MAX_LINE_CHARS:,} letters, no `>`, in a briefing", long_lines("<b ")),
    ("heading hashes", f"lines of `## a`, {MAX_LINE_CHARS:,} `#` and an `x`", long_lines("## a")),
    ("long words", "400 words of 930 letters (`y`s and an `e`), each new", long_words),
    ("fence lines", f"lines of ``` and spaces, {MAX_FENCE_LINE} characters, none closed", fence_lines),
    ("shared first words", "300 synonym groups of 12 phrases sharing a first word, and a resource of lines of "
     "that word and stop words", shared_first_words),
    ("nesting", f"a briefing's elements nested {briefings.MAX_NESTING - 2} deep in a paragraph, in its PDF",
     nesting_at_limit),
]


def project_for(shape, work: Path) -> Path:
    name, _, add = shape
    folder = work / f"stress-{name.replace(' ', '-')}"
    shutil.rmtree(folder, ignore_errors=True)
    project = make_project(folder)
    for content in CONTENT_FOLDERS:
        shutil.copytree(REPO / content, project / content, dirs_exist_ok=True)
    if add:
        add(project)
    return project


def run_shapes(work: Path, runs: int, measure, commands: dict, env) -> list[dict]:
    """Each shape's median `validate` and `build` wall time, and its site's
    size on disk. Round by round, every shape once a round, so that a slow
    spell of the machine falls on all of them. `measure(command, cwd,
    env)` is proctree.measure; `commands` {"validate": [...], "build": [...]}."""
    projects = [project_for(shape, work) for shape in SHAPES]
    times = [{step: [] for step in commands} for _ in SHAPES]
    for _ in range(runs):
        for project, timed in zip(projects, times):
            for step, command in commands.items():
                # Every run makes its PDFs anew: a shape's cost is not hidden by the cache.
                shutil.rmtree(project / ".cache", ignore_errors=True)
                timed[step].append(measure(command, project, env(project)).wall)
    results = []
    for (name, what, _), project, timed in zip(SHAPES, projects, times):
        site = sum(p.stat().st_blocks * 512 for p in (project / "site").rglob("*") if p.is_file())
        results.append({"name": name, "what": what, "site_bytes": site,
                        **{step: statistics.median(values) for step, values in timed.items()}})
        shutil.rmtree(project, ignore_errors=True)
    return results


def table(results: list[dict], runs: int) -> list[str]:
    """The report's section."""
    base = results[0]
    lines = ["## Stress shapes", "",
             "The starter library, and the starter library plus one resource at the limit of one budget (issue 20; "
             f"bench/stress.py). Median of {runs} runs each; the extra time is over the starter library alone. "
             "One over any of these limits is refused by `validate`, at the line that goes over.", "",
             "| shape | validate | extra | build | extra | site on disk |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in results:
        extra = row is not base
        lines.append(f"| {row['what']} | {row['validate']:.2f} s | "
                     + (f"{row['validate'] - base['validate']:+.2f} s" if extra else "") + f" | {row['build']:.2f} s | "
                     + (f"{row['build'] - base['build']:+.2f} s" if extra else "")
                     + f" | {row['site_bytes'] / 1e6:.1f} MB |")
    return lines
