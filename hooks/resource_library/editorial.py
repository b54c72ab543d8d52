"""`make report`: what an editor needs each month. Printed and written as
CSV; it never fails the build."""
from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

from .characters import escaped
from .files import CELL_LEADING_RE
from .validate import REVIEW_DUE_DAYS


def rows(library) -> list[tuple[str, str, str, str]]:
    """(section, item, value, detail) rows, in report order."""
    out = []
    today = library.now.date()
    everything = library.resources
    for status, count in sorted(Counter(r.status for r in everything).items()):
        out.append(("status", status, str(count), ""))
    for r in sorted(everything, key=lambda r: (r.meta.get("next_review_due") or "9999", r.src_uri)):
        due = r.date("next_review_due")
        if r.status != "current" or due is None:
            continue
        if due < today:
            out.append(("review overdue", r.src_uri, due.isoformat(), r.meta["owner"]))
        elif (due - today).days <= REVIEW_DUE_DAYS:
            out.append(("review due", r.src_uri, due.isoformat(), r.meta["owner"]))
    for r in everything:
        if r.status == "current" and not r.meta.get("next_review_due"):
            out.append(("no review date", r.src_uri, "", r.meta["owner"]))
    listed = library.listed
    for slug, term in library.vocabulary.types.items():
        out.append(("type", slug, str(sum(r.type == slug for r in listed)), term.name))
    for kind in ("functions", "programmes", "topics"):
        for slug, term in library.vocabulary.terms(kind).items():
            count = len(library.with_term(kind, slug))
            out.append((kind[:-1], slug, str(count), term.name))
            if count == 0:
                out.append(("unused term", f"{kind}/{slug}", "0", term.name))
    return out


# What a spreadsheet may skip before a cell's first character: white space
# and control characters. `\x00+SUM(1)` is still a formula to some. The same
# start as the check of contributors' CSV downloads (files.csv_formula_problem).
LEADING_RE = CELL_LEADING_RE


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet will show as text, with no control character:
    one starting with = + - @ (or a tab or carriage return), even after
    white space and control characters, would be read as a formula (CSV
    injection), so it gets a `'` first; control characters are written as
    escapes (`\\x00`), as everywhere else the report is shown."""
    first = value[LEADING_RE.match(value).end():][:1]
    risky = value[:1] in ("\t", "\r") or first in ("=", "+", "-", "@")
    return ("'" if risky else "") + escaped(value)


def cmd_report(args) -> int:
    from .validate import check_project
    library, problems = check_project(Path(args.root))
    errors = [p for p in problems if p.is_error]
    if errors:
        print(f"Note: {len(errors)} resource problem(s); run `make validate`. Only valid resources are counted.",
              file=sys.stderr)
    table = rows(library)
    with open(args.csv, "w", newline="", encoding="utf-8") as handle:
        write_csv(table, handle)
    print(as_text(table))
    print(f"\nWritten to {args.csv}")
    return 0


def write_csv(table: list[tuple[str, str, str, str]], handle) -> None:
    writer = csv.writer(handle)
    writer.writerow(["section", "item", "value", "detail"])
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in table)


def as_text(table: list[tuple[str, str, str, str]]) -> str:
    """The report as printed: a heading per section, a line per row, with
    control characters written as escapes (a term's name must not drive the
    terminal)."""
    lines, current = [], None
    for section, item, value, detail in table:
        if section != current:
            lines.append(f"\n{escaped(section.upper())}")
            current = section
        lines.append(escaped(f"  {item:<60} {value:>10}  {detail}"))
    return "\n".join(lines)
