"""Results kept between the rebuilds of one `make serve`.

The finder's text analysis and the feeds are pure functions of their keys,
so a rebuild after an edit recomputes only what the edit changed and the
output is the same either way. Off (every call computes) unless `enable`
was given a store: a full build has nothing to reuse.
"""
from __future__ import annotations

LIMIT = 200_000  # entries; past this the store starts again

_store: dict | None = None


def enable(store: dict | None) -> None:
    global _store
    _store = store


def remembered(key: tuple, compute):
    if _store is None:
        return compute()
    value = _store.get(key)
    if value is None:
        if len(_store) > LIMIT:
            _store.clear()
        value = _store[key] = compute()
    return value
