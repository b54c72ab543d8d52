"""Issue 4: the finder's prebuilt index, loaded back with lunr.py and queried."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lunr.index import Index

from resource_library.search import build_index, compact, documents, expand, from_script


def load_script(path: Path, name: str):
    return from_script(path.read_text(encoding="utf-8"), name)


@pytest.fixture(scope="module")
def finder(basic_site):
    index = Index.load(expand(load_script(basic_site / "finder" / "finder-index.js", "LIBRARY_FINDER_INDEX")))
    data = load_script(basic_site / "finder" / "finder-data.js", "LIBRARY_FINDER_DATA")
    titles = {str(d["id"]): d["title"] for d in data["docs"]}

    def search(query: str) -> list[str]:
        return [titles[r["ref"]] for r in index.search(query)]

    return search, data


def test_finder_data_lists_listed_resources_only(finder):
    _, data = finder
    titles = {d["title"] for d in data["docs"]}
    assert titles == {"Alpha briefing on carers", "Beta deeper dive on frailty", "Past webinar on frailty",
                      "Future webinar on carers"}
    alpha = next(d for d in data["docs"] if d["title"].startswith("Alpha"))
    assert alpha["url"] == "../at-a-glance/alpha-briefing/"
    assert alpha["programmes"] == ["unpaid-carers"] and alpha["year"] == "2026" and alpha["type"] == "at-a-glance"
    assert data["facets"]["programmes"]["focus-on-frailty"] == "Focus on Frailty"


def test_a_word_from_a_title_ranks_that_resource_first(finder):
    search, _ = finder
    assert search("beta")[0] == "Beta deeper dive on frailty"


def test_a_topic_name_finds_resources_tagged_with_it(finder):
    search, _ = finder
    # "Prevention and early intervention" is only a topic of the past webinar.
    assert search("prevention") == ["Past webinar on frailty"]


def test_a_programme_name_finds_its_resources(finder):
    search, _ = finder
    # "Improvement" appears only in the programme name "Unpaid Carers Improvement Programme".
    assert set(search("improvement")) == {"Alpha briefing on carers", "Beta deeper dive on frailty",
                                          "Future webinar on carers"}


def test_a_word_only_in_a_body_is_found(finder):
    search, _ = finder
    assert search("zephyrology") == ["Alpha briefing on carers"]


def test_plural_finds_singular_and_the_reverse(finder):
    search, _ = finder
    # Titles say "webinar" and "carers"; stemming matches the other number.
    assert "Past webinar on frailty" in search("webinars")
    assert "Alpha briefing on carers" in search("carer")


def test_title_match_outranks_a_passing_mention(finder):
    search, _ = finder
    results = search("frailty")
    assert set(results[:2]) == {"Beta deeper dive on frailty", "Past webinar on frailty"}


def test_a_withdrawn_resource_is_not_found(finder):
    search, _ = finder
    assert search("quokkamancy") == []
    assert "Withdrawn briefing" not in search("briefing")


def test_the_header_search_weights_titles_and_drops_withdrawn(basic_site):
    index = json.loads((basic_site / "search" / "search_index.json").read_text())
    locations = {d["location"] for d in index["docs"]}
    assert "at-a-glance/withdrawn-briefing/" not in locations
    assert "at-a-glance/draft-briefing/" not in locations
    alpha = next(d for d in index["docs"] if d["location"] == "at-a-glance/alpha-briefing/")
    assert alpha["title"] == "Alpha briefing on carers"
    # Topics and programmes are on the page, so the header search finds them too.
    assert "Unpaid Carers Improvement Programme" in alpha["text"] and "Needs assessment" in alpha["text"]


def test_the_compact_index_expands_to_exactly_what_lunr_py_builds(basic_site):
    from lunr import lunr
    from test_site import load_fixture
    from resource_library.search import FIELDS
    library, _ = load_fixture()
    docs = documents(library, True)
    ours = build_index(docs)
    reference = lunr(ref="id", fields=FIELDS, documents=[
        {"id": str(d["id"]), "title": d["title"], "summary": d["summary"], **d["_text"]} for d in docs]).serialize()
    assert json.dumps(ours, sort_keys=True) == json.dumps(reference, sort_keys=True)
    assert expand(compact(ours)) == json.loads(json.dumps(ours))
