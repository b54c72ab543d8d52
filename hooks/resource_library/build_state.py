"""The library loaded for the build in progress, shared by the MkDocs hook
and the macros module (both are loaded by MkDocs, not imported by us)."""
from __future__ import annotations

library = None   # load.Library
renderer = None  # render.Renderer

# Kept between the rebuilds of one `mkdocs serve` (the process lives on), so
# an edit revalidates one file and re-renders only the pages it touches.
validated: dict = {}          # relative path -> (content key, checked ParsedFile)
page_signatures: dict = {}    # source path -> signature of everything its page shows
rendered: dict = {}          # generated page context -> its HTML
side_memo: dict = {}         # the finder's text analysis and the feeds, by what they show (memo.py)
related: dict = {}           # related lists as shown, by source path (signatures.related_lists)
templates = None             # the theme's compiled templates (render.CompiledTemplates)
side_session = None          # the finder index and feeds' process (side_outputs.Session)
with_policy: dict = {}       # HTML file -> its time when last seen with the page policy (the hook)
side_written: dict = {}      # side output path -> the bytes last written there (side_outputs.finish)
gated: dict = {}             # output path -> its time when the gate last checked it (the hook)
outputs: set = set()         # files the last `make serve` rebuild wrote from MkDocs' files (the hook)
