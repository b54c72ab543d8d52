"""Related resources: the ones that share the most programmes and topics."""
from __future__ import annotations

from .load import Library, Resource

PROGRAMME_WEIGHT = 2  # a shared programme says more than a shared topic
TOPIC_WEIGHT = 1
MAX_RELATED = 5


def related(resource: Resource, library: Library, limit: int = MAX_RELATED) -> list[Resource]:
    scored = []
    programmes, topics = set(resource.programmes), set(resource.topics)
    for other in library.listed:
        if other is resource:
            continue
        score = (PROGRAMME_WEIGHT * len(programmes & set(other.programmes))
                 + TOPIC_WEIGHT * len(topics & set(other.topics)))
        if score:
            # Ties go to the newer resource, then by title, so the order is stable.
            scored.append((-score, -other.sort_date.toordinal(), other.title, other))
    return [entry[-1] for entry in sorted(scored, key=lambda e: e[:3])[:limit]]
