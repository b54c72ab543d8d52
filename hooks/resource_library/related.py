"""Related resources: the ones that share the most programmes and topics.

A page's related resources are the listed resources with the highest score
(PROGRAMME_WEIGHT for each programme it shares with the page, TOPIC_WEIGHT
for each topic), ties going to the newer, then by title.

Scoring every resource for every page is quadratic in the size of the
library. Instead, an index lists, for each combination of programmes and
topics that some resource has, the newest few resources that have all of
them. A page looks up the combinations of its own terms, heaviest first,
and stops once it has enough candidates that no one else could rank: a
fixed amount of work per page (it depends on how many terms a page has, not
on how many resources there are), so a build's cost grows linearly.
"""
from __future__ import annotations

from .load import Library, Resource

PROGRAMME_WEIGHT = 2  # a shared programme says more than a shared topic
TOPIC_WEIGHT = 1
MAX_RELATED = 5
WEIGHTS = (("programmes", PROGRAMME_WEIGHT), ("topics", TOPIC_WEIGHT))
# A resource is indexed under every combination of its terms, 2**terms of
# them: past this many terms (255 combinations) it is scored on every page
# instead, and a page with more terms than this scores every resource.
MAX_INDEXED_TERMS = 8


class _Index:
    """The library's listed resources by rank (newest first, then by title),
    each term a bit of a mask, and for each combination of terms (a mask)
    the ranks of the newest `keep` resources that have all of it.

    Why `keep` (the list's length plus one, for the page itself) is enough:
    a resource R that belongs in a page's list shares some combination C
    with it and scores exactly C's weight. If R were not among the newest
    `keep` with C, the others (the page aside, at least as many as the list
    holds) would be newer than R and score at least as much, so R would not
    belong in the list. Looking up the page's combinations heaviest first,
    every candidate found scores at least the weight being looked up; once
    the list can be filled with them, nothing lighter can rank."""

    def __init__(self, library: Library, keep: int):
        self.keep = keep
        self.bit: dict[tuple[str, str], int] = {}
        kind_bits = {}
        for kind, _ in WEIGHTS:
            kind_bits[kind] = 0
            for slug in library.terms(kind):
                kind_bits[kind] |= 1 << self.bit.setdefault((kind, slug), len(self.bit))
        self.programme_bits, self.topic_bits = kind_bits["programmes"], kind_bits["topics"]
        # A combination and its weight are one int, weight << width | mask,
        # so that sorting puts the heaviest first (ints are not tracked by
        # the garbage collector; tuples would be, 70,000 of them at 4,000).
        self.width = len(self.bit)
        self.subset_bits = (1 << self.width) - 1
        self.ranked: list[Resource] = [None] * len(library.order)
        for r in library.listed:
            self.ranked[library.order[id(r)]] = r
        self.masks = [self.mask(r) for r in self.ranked]
        self.newest: dict[int, list[int]] = {}
        # Each rank's combinations (None: too many terms), until answers() has used them.
        self._combinations = [self.combinations(mask) for mask in self.masks]
        self._answers: list[list[int]] | None = None
        self.crowded = [rank for rank, combinations in enumerate(self._combinations) if combinations is None]
        for rank, combinations in enumerate(self._combinations):
            for combination in combinations or ():
                subset = combination & self.subset_bits
                holders = self.newest.get(subset)
                if holders is None:
                    self.newest[subset] = [rank]
                elif len(holders) < keep:
                    holders.append(rank)

    def mask(self, resource: Resource) -> int:
        """The resource's programmes and topics as bits. Terms that no listed
        resource has (a draft's, a withdrawn resource's) can match nothing."""
        mask = 0
        for kind, _ in WEIGHTS:
            for slug in resource.meta.get(kind) or []:
                bit = self.bit.get((kind, slug))
                if bit is not None:
                    mask |= 1 << bit
        return mask

    def combinations(self, mask: int) -> list[int] | None:
        """Every non-empty combination of the terms in `mask`, each as
        weight << width | combination, heaviest first; None past
        MAX_INDEXED_TERMS terms."""
        if mask.bit_count() > MAX_INDEXED_TERMS:
            return None
        programme_bits, topic_bits, width = self.programme_bits, self.topic_bits, self.width
        found = []
        subset = mask
        while subset:  # every non-empty subset of the mask, once
            found.append((PROGRAMME_WEIGHT * (subset & programme_bits).bit_count()
                           + TOPIC_WEIGHT * (subset & topic_bits).bit_count()) << width | subset)
            subset = (subset - 1) & mask
        found.sort(reverse=True)
        return found

    def best(self, mask: int, combinations: list[int] | None, own: int, limit: int) -> list[int]:
        """The ranks of the best `limit` resources for a page with these
        terms, leaving out the page's own rank (`own`; -1 if not listed)."""
        masks = self.masks
        programme_bits, topic_bits = self.programme_bits & mask, self.topic_bits & mask
        found: dict[int, int] = {}  # rank: negated score
        crowded: list[int] = []  # negated scores of the crowded ones found
        for rank in self.crowded:
            if rank != own:
                shared = masks[rank]
                score = (PROGRAMME_WEIGHT * (shared & programme_bits).bit_count()
                         + TOPIC_WEIGHT * (shared & topic_bits).bit_count())
                if score:
                    found[rank] = -score
                    crowded.append(-score)
        if combinations is None:  # too many terms to look up: score everyone
            for rank, shared in enumerate(masks):
                if rank != own:
                    score = (PROGRAMME_WEIGHT * (shared & programme_bits).bit_count()
                             + TOPIC_WEIGHT * (shared & topic_bits).bit_count())
                    if score:
                        found[rank] = -score
        else:
            newest, width, subset_bits = self.newest, self.width, self.subset_bits
            weight = None
            for combination in combinations:
                if combination >> width != weight:
                    # Everyone the index gave so far scores at least `weight`.
                    if weight is not None and \
                            len(found) - len(crowded) + sum(1 for s in crowded if -s >= weight) >= limit:
                        break
                    weight = combination >> width
                for rank in newest.get(combination & subset_bits, ()):
                    if rank not in found and rank != own:
                        shared = masks[rank]
                        found[rank] = -(PROGRAMME_WEIGHT * (shared & programme_bits).bit_count()
                                        + TOPIC_WEIGHT * (shared & topic_bits).bit_count())
        return [rank for _, rank in sorted((score, rank) for rank, score in found.items())[:limit]]

    def answers(self) -> list[list[int]]:
        """Every listed resource's list (as ranks), worked out in one pass
        the first time any page asks: a tight loop runs twice as fast per
        page as calls spread between page renders."""
        if self._answers is None:
            limit = self.keep - 1
            self._answers = [self.best(mask, combinations, rank, limit) for rank, (mask, combinations)
                             in enumerate(zip(self.masks, self._combinations))]
            self._combinations = []
        return self._answers


def _index(library: Library, keep: int) -> _Index:
    # Built once per library (and per length of list) and kept on it: every page of a build asks.
    indexes = library.__dict__.setdefault("_related_indexes", {})
    index = indexes.get(keep)
    if index is None:
        index = indexes[keep] = _Index(library, keep)
    return index


def related(resource: Resource, library: Library, limit: int = MAX_RELATED) -> list[Resource]:
    """Up to `limit` listed resources sharing the most weighted programmes and
    topics with `resource`; ties go to the newer, then by title."""
    if limit <= 0:
        return []
    index = _index(library, limit + 1)
    rank = library.order.get(id(resource))
    if rank is not None:
        ranks = index.answers()[rank]
    else:  # a page that is not listed: a draft or a withdrawn resource
        mask = index.mask(resource)
        ranks = index.best(mask, index.combinations(mask), -1, limit)
    return [index.ranked[r] for r in ranks]
