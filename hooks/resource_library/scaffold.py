"""`make new`: a correctly named resource file with every field, each with
a guidance comment taken from the schema, so the template cannot drift."""
from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from pathlib import Path

from . import dates
from .load import TYPES, suggest_slug
from .validate import PLACEHOLDER, Schema, load_schema
from .vocabulary import closest, load_vocabulary


def template(schema: dict, type_slug: str, title: str, today) -> str:
    fields = Schema(schema, type_slug)
    values = {
        "title": json.dumps(title, ensure_ascii=False),
        "summary": f'"{PLACEHOLDER}: one or two sentences on what this is and who it is for"',
        "functions": f"[{PLACEHOLDER}]",
        "programmes": "[]",
        "topics": f"[{PLACEHOLDER}]",
        "published": today.isoformat(),
        "last_reviewed": today.isoformat(),
        "next_review_due": (today + timedelta(days=365)).isoformat(),
        "owner": f'"{PLACEHOLDER}: a role or team, not a personal email address"',
        # A half-finished file that is merged must not be published.
        "status": "draft",
        "starts": f'"{PLACEHOLDER}: YYYY-MM-DDTHH:MM"',
        "duration_minutes": "60",
        "speakers": f'\n  - name: "{PLACEHOLDER}: speaker name"\n    role: "{PLACEHOLDER}: role and organisation"',
        "registration_url": f'"https://{PLACEHOLDER}.example/register"',
    }
    optional_examples = {
        "updated": today.isoformat(),
        "changes": f"\n#   - date: {today.isoformat()}\n#     note: What changed, in one line a reader understands",
        "withdrawn_reason": '"One sentence on why it was withdrawn"',
        "replaced_by": "at-a-glance/some-slug",
        "downloads": "\n#   - file: files/some-file.pdf\n#     label: What the file is",
        "example": "true",
        "recording_url": "https://...",
        "slides": "files/slides.pdf",
        "transcript": "files/transcript.txt",
    }
    lines = ["---"]
    for name, field in fields.fields.items():
        lines.append(f"# {field.get('description', '')}")
        if name in values:
            value = values[name]
            lines.append(f"{name}:{'' if value.startswith(chr(10)) else ' '}{value}")
        else:
            value = optional_examples.get(name, "")
            lines.append(f"# {name}:{'' if value.startswith(chr(10)) else ' '}{value}")
    lines.append("---")
    lines += ["", f"## {PLACEHOLDER}: the first heading", "",
              f"{PLACEHOLDER}: write the resource here in Markdown: short paragraphs, headings, lists and tables.",
              f"{PLACEHOLDER}: link to other resources by their file, such as ../at-a-glance/strategic-plans-explained.md.",
              ""]
    return "\n".join(lines)


def type_problem(value: str, root: Path) -> str | None:
    """Why `TYPE=...` is not a type of resource, with the types there are."""
    if value in TYPES:
        return None
    types = load_vocabulary(root / "vocabulary").types
    guess = closest(suggest_slug(value), TYPES)
    lines = [f"`{value}` is not a type of resource." + (f" Did you mean TYPE={guess}?" if guess else ""),
             "The types are:"]
    width = max(map(len, TYPES))
    lines += [f"  TYPE={slug:<{width}}  {types[slug].name}: {types[slug].description}" for slug in TYPES]
    lines.append('For example: make new TYPE=at-a-glance TITLE="Planning for winter pressures"')
    return "\n".join(lines)


def cmd_new(args) -> int:
    root = Path(args.root)
    refused = type_problem(args.type, root)
    if refused:
        print(refused, file=sys.stderr)
        return 2
    if not args.title.strip():
        print('Give the resource a title, for example TITLE="Planning for winter pressures".', file=sys.stderr)
        return 2
    slug = suggest_slug(args.title)
    path = root / args.type / f"{slug}.md"
    if path.exists():
        print(f"{path.relative_to(root)} already exists; choose another title.", file=sys.stderr)
        return 1
    schema = load_schema(root / "schema" / "resource.schema.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Today in the UK, from the clock: not SOURCE_DATE_EPOCH, which `make`
    # sets to the last commit's time (a clone 66 days old wrote dates 66 days back).
    today = datetime.now(ZoneInfo("Europe/London")).date()
    path.write_text(template(schema, args.type, args.title, today), encoding="utf-8")
    print(f"Wrote {path.relative_to(root).as_posix()} as a draft (status: draft): `make serve` shows it, "
          "and it is not published.\n"
          f"Replace every {PLACEHOLDER}, then run `make serve` to preview it. "
          "To publish it, set status: current and open a pull request.")
    return 0
