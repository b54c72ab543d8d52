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
