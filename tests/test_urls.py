"""Links between pages, with directory URLs (hosted) and without (offline)."""
import pytest

from resource_library.urls import page_url, relative


@pytest.mark.parametrize("src, directory, url", [
    ("index.md", True, ""), ("index.md", False, "index.html"),
    ("topics/index.md", True, "topics/"), ("topics/index.md", False, "topics/index.html"),
    ("topics/housing.md", True, "topics/housing/"), ("topics/housing.md", False, "topics/housing.html"),
])
def test_page_url(src, directory, url):
    assert page_url(src, directory) == url


@pytest.mark.parametrize("to, here, link", [
    ("topics/housing/", "", "topics/housing/"),
    ("topics/housing.html", "index.html", "topics/housing.html"),
    ("", "at-a-glance/x/", "../../"),
    ("index.html", "at-a-glance/x.html", "../index.html"),
    ("at-a-glance/", "at-a-glance/x/", "../"),
    ("at-a-glance/x/", "at-a-glance/x/", "./"),
    ("at-a-glance/files/a.csv", "at-a-glance/x/", "../files/a.csv"),
    ("at-a-glance/files/a.csv", "at-a-glance/x.html", "files/a.csv"),
    ("functions/create.html", "about/functions.html", "../functions/create.html"),
])
def test_relative(to, here, link):
    assert relative(to, here) == link


def test_the_fast_relative_path_agrees_with_posixpath_relpath():
    """urls._relpath skips relpath's abspath calls; it must give the same
    answer for every site-relative pair, with and without trailing slashes."""
    import itertools
    import posixpath

    from resource_library.urls import _relpath
    segments = ["a", "b", "topics", "at-a-glance", "x.html", "index.html"]
    paths = [""] + [join + tail for n in range(1, 4) for combo in itertools.product(segments, repeat=n)
                    for join in ["/".join(combo)] for tail in ("", "/")]
    for to in paths:
        for start in paths[::5]:
            assert _relpath(to, start) == posixpath.relpath(to or ".", start or "."), (to, start)
    assert _relpath("../x", "a/") == posixpath.relpath("../x", "a/")
