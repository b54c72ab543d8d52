"""Results kept between the rebuilds of one `make serve`.

The finder's text analysis and the feeds are pure functions of their keys,
so a rebuild after an edit recomputes only what the edit changed and the
output is the same either way. The store is passed in by whoever owns it
(the side process's session, or the preview session in the main process);
None computes every time: a full build has nothing to reuse.
"""
from __future__ import annotations

LIMIT = 200_000  # entries; past this the store starts again


def remembered(store: dict | None, key: tuple, compute):
    if store is None:
        return compute()
    value = store.get(key)
    if value is None:
        if len(store) > LIMIT:
            store.clear()
        value = store[key] = compute()
    return value
