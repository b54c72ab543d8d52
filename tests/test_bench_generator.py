"""Issue 7: the benchmark's synthetic library passes the project's own validation."""
import sys
from pathlib import Path

from conftest import REPO
from resource_library import dates, indexes
from resource_library.validate import check_library, load_schema
from resource_library.vocabulary import load_vocabulary

sys.path.insert(0, str(REPO / "bench"))
from generate import generate  # noqa: E402


def test_generated_library_is_valid_and_realistic(tmp_path):
    project = generate(tmp_path / "p", 30)
    vocabulary = load_vocabulary(project / "vocabulary")
    library, problems = check_library(project, vocabulary, load_schema(project / "schema" / "resource.schema.json"),
                                      dates.build_time(), docs_dir=project / "docs",
                                      generated=indexes.generated_paths(vocabulary))
    assert [p for p in problems if p.is_error] == []
    assert len(library.resources) == 30
    assert {r.type for r in library.resources} == {"at-a-glance", "deeper-dives", "webinars"}
    words = [len(r.body.split()) for r in library.resources]
    assert min(words) >= 600 and max(words) <= 2000
    vocabulary_size = len({w.lower() for r in library.resources for w in r.body.split()})
    assert vocabulary_size > 800  # not a handful of repeated words
    # Nothing was written into the repository's own content folders.
    assert not any(p.name.startswith("synthetic-") for p in (REPO / "at-a-glance").iterdir())
