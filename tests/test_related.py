"""Issue 14: related() looks candidates up in an index of term combinations
(linear in the library's size), and picks exactly what the quadratic
term-list version picked (kept here as the reference)."""
from __future__ import annotations

import heapq
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import REPO

from resource_library.load import Library, Resource
from resource_library.related import MAX_INDEXED_TERMS, MAX_RELATED, PROGRAMME_WEIGHT, TOPIC_WEIGHT, related
from resource_library.vocabulary import load_vocabulary

VOCABULARY = load_vocabulary(REPO / "vocabulary")
NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


def reference_related(resource, library, limit=MAX_RELATED):
    """related() as it was before issue 14: quadratic, obviously right."""
    scores, others = {}, {}
    for kind, weight in (("programmes", PROGRAMME_WEIGHT), ("topics", TOPIC_WEIGHT)):
        for slug in resource.meta.get(kind) or []:
            for other in library.with_term(kind, slug):
                if other is not resource:
                    scores[id(other)] = scores.get(id(other), 0) + weight
                    others[id(other)] = other
    order = library.order
    ranked = heapq.nsmallest(limit, ((-score, order[key], key) for key, score in scores.items()))
    return [others[entry[-1]] for entry in ranked]


def resource(n, programmes=(), topics=(), published=date(2025, 1, 1), type_="at-a-glance",
             title=None, status="current", starts=None):
    meta = {"title": title or f"Resource {n:04d}", "programmes": list(programmes), "topics": list(topics),
            "published": published.isoformat(), "status": status}
    if starts:
        meta.update(starts=starts, duration_minutes=60)
    return Resource(type_, f"resource-{n:04d}", meta, "", 1, Path(f"{type_}/resource-{n:04d}.md"))


def library(resources, include_drafts=True):
    return Library(resources, VOCABULARY, NOW, include_drafts=include_drafts)


def assert_same(lib, limit=MAX_RELATED):
    for r in lib.pages:
        got = [o.key for o in related(r, lib, limit)]
        assert got == [o.key for o in reference_related(r, lib, limit)], r.key


def generated(count, seed):
    """Few terms and few dates, so that scores and dates tie often."""
    rng = random.Random(seed)
    programmes, topics = list(VOCABULARY.programmes)[:4], list(VOCABULARY.topics)[:7]
    out = []
    for n in range(count):
        type_ = ("at-a-glance", "deeper-dives", "webinars")[n % 3]
        published = date(2024, 1, 1) + timedelta(days=rng.randrange(40))
        starts = (f"{published + timedelta(days=rng.randrange(5))}T13:00" if type_ == "webinars" else None)
        out.append(resource(n, rng.sample(programmes, rng.randint(0, 3)), rng.sample(topics, rng.randint(0, 5)),
                            published, type_, title=rng.choice(["Alpha", "Beta", None]),
                            status=rng.choice(["current"] * 8 + ["draft", "withdrawn"]), starts=starts))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_picks_as_the_reference_on_a_generated_library(seed):
    lib = library(generated(400, seed))
    assert_same(lib)
    assert_same(lib, limit=12)
    assert_same(lib, limit=1)


def test_every_term_in_the_vocabulary_at_once():
    # Scores up to 2 × programmes + topics: more bit-planes than the generated library needs.
    programmes, topics = list(VOCABULARY.programmes), list(VOCABULARY.topics)
    rng = random.Random(7)
    everything = [resource(n, programmes, topics, date(2025, 1, 1 + n)) for n in range(3)]
    some = [resource(10 + n, rng.sample(programmes, 2), rng.sample(topics, 3)) for n in range(50)]
    assert_same(library(everything + some))


def test_edge_cases():
    a = resource(1, ["p"], ["t", "u"], date(2025, 3, 1))
    # No terms at all: nothing related, and no one is related to it.
    bare = resource(2, [], [], date(2025, 3, 2))
    lib = library([a, bare])
    assert related(bare, lib) == [] and related(a, lib) == []
    assert_same(lib)
    # A resource whose only match is itself.
    alone = resource(3, [], ["only-here"])
    assert related(alone, library([alone, a])) == []
    # Fewer than five candidates: every one, best first.
    b = resource(4, ["p"], [], date(2025, 1, 1))  # shares the programme: 2
    c = resource(5, [], ["t"], date(2025, 1, 1))  # shares a topic: 1
    d = resource(6, [], ["t", "u"], date(2024, 1, 1))  # shares both topics: 2, but older than b
    lib = library([a, b, c, d, bare])
    assert [o.key for o in related(a, lib)] == [b.key, d.key, c.key]
    assert_same(lib)
    # Ties on score and date go by title; a limit of 0 gives nothing.
    same_day = [resource(10 + n, [], ["t"], date(2025, 1, 1), title=f"{letter} title")
                for n, letter in enumerate("EDCBAF")]
    lib = library([a, *same_day])
    assert [o.title for o in related(a, lib)] == ["A title", "B title", "C title", "D title", "E title"]
    assert related(a, lib, 0) == []
    assert_same(lib)


def test_unlisted_pages_get_related_lists_but_are_never_in_one():
    listed = resource(1, ["p"], ["t"])
    draft = resource(2, ["p"], ["t"], status="draft")
    withdrawn = resource(3, ["p"], ["t"], status="withdrawn")
    lib = library([listed, draft, withdrawn], include_drafts=False)
    assert related(draft, lib) == [listed] and related(withdrawn, lib) == [listed]
    assert related(listed, lib) == []
    # A preview with drafts lists the draft, so it counts.
    lib = library([listed, draft, withdrawn], include_drafts=True)
    assert related(withdrawn, lib) == [listed, draft] and related(listed, lib) == [draft]
    assert_same(lib)


@pytest.mark.parametrize("seed", [4, 5])
def test_resources_with_too_many_terms_to_index(seed):
    # More than MAX_INDEXED_TERMS terms: such a resource is scored on every
    # page instead of indexed, and such a page scores every resource. Both
    # must still give the reference's answer, mixed with ordinary ones.
    rng = random.Random(seed)
    programmes, topics = list(VOCABULARY.programmes), list(VOCABULARY.topics)
    resources = generated(300, seed)
    for n in range(40):
        count = rng.randint(MAX_INDEXED_TERMS - 1, MAX_INDEXED_TERMS + 6)
        shared_programmes = rng.randint(0, min(len(programmes), count - 1))
        resources.append(resource(1000 + n, rng.sample(programmes, shared_programmes),
                                  rng.sample(topics, count - shared_programmes),
                                  date(2024, 1, 1) + timedelta(days=rng.randrange(40)),
                                  status=rng.choice(["current", "current", "draft"])))
    lib = library(resources)
    assert any(len(r.programmes) + len(r.topics) > MAX_INDEXED_TERMS for r in lib.listed)
    assert_same(lib)
    assert_same(lib, limit=2)


def test_a_library_where_every_resource_has_too_many_terms():
    programmes, topics = list(VOCABULARY.programmes), list(VOCABULARY.topics)
    rng = random.Random(9)
    lib = library([resource(n, rng.sample(programmes, 3), rng.sample(topics, 8),
                            date(2024, 1, 1) + timedelta(days=n % 7)) for n in range(60)])
    assert_same(lib)


def test_an_unlisted_page_with_terms_no_listed_resource_has():
    listed = resource(1, ["p"], ["t"])
    draft = resource(2, ["p", "q-only-in-draft"], ["t", "u-only-in-draft"], status="draft")
    withdrawn = resource(3, [], ["w-only-here"], status="withdrawn")
    lib = library([listed, draft, withdrawn], include_drafts=False)
    assert related(draft, lib) == [listed]
    assert related(withdrawn, lib) == []
    assert_same(library([listed, draft, withdrawn], include_drafts=True))
