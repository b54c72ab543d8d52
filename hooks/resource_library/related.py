"""Related resources: the ones that share the most programmes and topics."""
from __future__ import annotations

from .load import Library, Resource

PROGRAMME_WEIGHT = 2  # a shared programme says more than a shared topic
TOPIC_WEIGHT = 1
MAX_RELATED = 5
WEIGHTS = (("programmes", PROGRAMME_WEIGHT), ("topics", TOPIC_WEIGHT))


class _TermBits:
    """The library's programme and topic lists as bitsets over `library.order`
    (newest first, then title), with the newest resource as the highest bit so
    that the best of a set is found by int.bit_length()."""

    def __init__(self, library: Library):
        order = library.order
        self.by_bit: list[Resource] = [None] * len(order)
        for r in library.listed:
            self.by_bit[self.bit(order, r)] = r
        self.own_bit = {id(r): bit for bit, r in enumerate(self.by_bit)}
        self.bitsets: dict[tuple[str, str], int] = {}
        # Each listed resource's terms as (bitset, weight), read off the term
        # lists so that related() need not go back to the resource's front matter.
        self.terms_of: dict[int, list[tuple[int, int]]] = {id(r): [] for r in library.listed}
        for kind, weight in WEIGHTS:
            for slug in library.terms(kind):
                members = library.with_term(kind, slug)
                # Set the bits in a byte string and convert once: OR-ing in one
                # bit at a time would copy the whole n-bit number for each.
                raw = bytearray((len(self.by_bit) + 7) // 8)
                for r in members:
                    bit = self.bit(order, r)
                    raw[bit >> 3] |= 1 << (bit & 7)
                bitset = self.bitsets[kind, slug] = int.from_bytes(raw, "little")
                for r in members:
                    self.terms_of[id(r)].append((bitset, weight))

    def bit(self, order: dict[int, int], resource: Resource) -> int:
        return len(self.by_bit) - 1 - order[id(resource)]

    def terms(self, resource: Resource) -> list[tuple[int, int]]:
        terms = self.terms_of.get(id(resource))
        if terms is None:  # a page that is not listed: a draft or a withdrawn resource
            terms = [(self.bitsets.get((kind, slug), 0), weight)
                     for kind, weight in WEIGHTS for slug in resource.meta.get(kind) or []]
        return terms


def _term_bits(library: Library) -> _TermBits:
    # Built once per library and kept on it: every page of a build asks.
    bits = library.__dict__.get("_related_term_bits")
    if bits is None:
        bits = library._related_term_bits = _TermBits(library)
    return bits


def related(resource: Resource, library: Library, limit: int = MAX_RELATED) -> list[Resource]:
    """Up to `limit` listed resources sharing the most weighted programmes and
    topics with `resource`; ties go to the newer, then by title."""
    bits = _term_bits(library)
    terms = bits.terms(resource)
    # Every resource's score at once, as bit-sliced counters: planes[k] holds
    # bit k of each resource's score, and adding a term's bitset is a
    # ripple-carry add across the planes. That is a few operations on n-bit
    # numbers per term, where walking the term lists is a dict update for each
    # resource sharing the term: O(n) Python steps on every page, O(n²) a build.
    planes = [0] * sum(weight for _, weight in terms).bit_length()  # room for the highest score
    for members, weight in terms:
        for plane in range(weight.bit_length()):
            carry = members if weight >> plane & 1 else 0
            while carry:
                counts = planes[plane]
                planes[plane], carry = (counts ^ carry, counts & carry) if counts else (carry, 0)
                plane += 1
    own_bit = bits.own_bit.get(id(resource))
    found: list[Resource] = []
    remaining = 0
    for counts in planes:
        remaining |= counts  # everyone scoring above 0
    while remaining and len(found) < limit:
        # Those with the highest score left: from the top plane down, keep
        # the ones with the bit set whenever any have it.
        best = remaining
        for counts in reversed(planes):
            with_bit = best & counts
            if with_bit:
                best = with_bit
        remaining ^= best
        while best:  # newest (highest bit) first
            bit = best.bit_length() - 1
            if bit != own_bit:
                found.append(bits.by_bit[bit])
                if len(found) == limit:
                    break
            best ^= 1 << bit
    return found
