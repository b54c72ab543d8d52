"""Plain functions behind the resource library's MkDocs hook.

One module, one job: frontmatter (parse), vocabulary, validate, load, links,
related, indexes, render, search, feeds. Nothing here takes MkDocs objects,
so tests call these functions directly.
"""
