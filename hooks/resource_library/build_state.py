"""The library loaded for the build in progress, shared by the MkDocs hook
and the macros module (both are loaded by MkDocs, not imported by us)."""
from __future__ import annotations

library = None   # load.Library
renderer = None  # render.Renderer
