"""Related resources: the ones that share the most programmes and topics."""
from __future__ import annotations

import heapq

from .load import Library, Resource

PROGRAMME_WEIGHT = 2  # a shared programme says more than a shared topic
TOPIC_WEIGHT = 1
MAX_RELATED = 5


def related(resource: Resource, library: Library, limit: int = MAX_RELATED) -> list[Resource]:
    # Count shared terms through the library's term lists rather than
    # comparing every pair: the work grows with the overlaps, not with n².
    scores: dict[int, int] = {}
    others: dict[int, Resource] = {}
    for kind, weight in (("programmes", PROGRAMME_WEIGHT), ("topics", TOPIC_WEIGHT)):
        for slug in resource.meta.get(kind) or []:
            for other in library.with_term(kind, slug):
                if other is not resource:
                    scores[id(other)] = scores.get(id(other), 0) + weight
                    others[id(other)] = other
    # Ties go to the newer resource, then by title, so the order is stable.
    order = library.order  # newest first, then by title
    ranked = heapq.nsmallest(limit, ((-score, order[key], key) for key, score in scores.items()))
    return [others[entry[-1]] for entry in ranked]
