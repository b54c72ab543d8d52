"""`make new`: a correctly named resource file with every field, each with
a guidance comment taken from the schema, so the template cannot drift."""
from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

from . import dates
from .load import suggest_slug
from .validate import PLACEHOLDER, Schema, load_schema


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
        "status": "current",
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


def cmd_new(args) -> int:
    root = Path(args.root)
    slug = suggest_slug(args.title)
    path = root / args.type / f"{slug}.md"
    if path.exists():
        print(f"{path.relative_to(root)} already exists; choose another title.", file=sys.stderr)
        return 1
    schema = load_schema(root / "schema" / "resource.schema.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(template(schema, args.type, args.title, dates.build_time().date()), encoding="utf-8")
    print(f"Wrote {path.relative_to(root)}. Replace every {PLACEHOLDER}, then run `make serve` to preview it.")
    return 0
