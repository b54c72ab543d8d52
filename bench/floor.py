"""The config-matched floor: the project's own mkdocs.yml without the hook
and the macros plugin, building the same resources from docs/.

The floor's mkdocs.yml is made from the project's YAML text by removing
keys, never typed out, so it follows whatever the project's config becomes
(theme, palette, features, overrides, extensions, nav, not_in_nav, extra
CSS and JavaScript, validation). What it removes, and why:

- `hooks`: the pipeline under test.
- the `macros` entry of `plugins`: it runs the home and about pages'
  macros, which call into the hook's package. Any other plugin stays. An
  emptied list stays as `plugins: []`: with no `plugins` key at all, MkDocs
  would add its default `search` plugin, which the project does not run.
- `watch`: serve-only, and its folders (hooks/, vocabulary/...) are not in
  the floor's folder; MkDocs refuses a watch path that does not exist.

Tags are kept as they are (`!ENV`, `!relative`, `!!python/name:...`): the
YAML is read with a safe loader that turns any tag it does not know into a
`Tagged` value, and written back with the same tag, so nothing in the
config is executed here and nothing is lost for MkDocs.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

RESOURCE_FOLDERS = ("at-a-glance", "deeper-dives", "webinars")
REMOVED_KEYS = ("hooks", "watch")
REMOVED_PLUGINS = ("macros",)


@dataclass
class Tagged:
    """A YAML value with a tag the safe loader does not construct."""
    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.SafeLoader, tag_suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return Tagged(node.tag, value)


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


# Every local tag (`!ENV`, `!relative`) and every global one the safe loader
# lacks (`tag:yaml.org,2002:python/name:...`).
_Loader.add_multi_constructor("!", _construct_tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_tagged)
_Dumper.add_representer(Tagged, _represent_tagged)


def load_config(text: str) -> dict:
    return yaml.load(text, Loader=_Loader) or {}


def plugin_name(entry: Any) -> str:
    """`- search` or `- macros: {...}` -> the plugin's name."""
    if isinstance(entry, dict) and len(entry) == 1:
        return str(next(iter(entry)))
    return str(entry)


def floor_config(text: str) -> str:
    """The project's mkdocs.yml text -> the floor's mkdocs.yml text."""
    config = load_config(text)
    if "INHERIT" in config:
        # A parent file would bring its own hooks back; nothing here uses one.
        raise ValueError("the floor cannot follow a config with INHERIT: flatten it first")
    for key in REMOVED_KEYS:
        config.pop(key, None)
    if "plugins" in config:
        plugins = config["plugins"]
        if isinstance(plugins, dict):  # the mapping form of `plugins:`
            config["plugins"] = {k: v for k, v in plugins.items() if k not in REMOVED_PLUGINS}
        else:
            config["plugins"] = [p for p in plugins or [] if plugin_name(p) not in REMOVED_PLUGINS]
    else:
        config["plugins"] = []  # the project's builds never get MkDocs' default search either
    header = "# bench only: the project's mkdocs.yml without hooks, macros and watch (bench/floor.py).\n"
    return header + yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)


def nav_paths(nav: Any) -> list[tuple[str, str]]:
    """[(title, path of a Markdown page)] for every page in a nav, in order;
    external links and bare sections skipped."""
    found: list[tuple[str, str]] = []

    def walk(item: Any, title: str = "") -> None:
        if isinstance(item, list):
            for child in item:
                walk(child, title)
        elif isinstance(item, dict):
            for key, value in item.items():
                walk(value, str(key))
        elif isinstance(item, str) and item.endswith(".md") and "://" not in item:
            found.append((title or item, item))

    walk(nav)
    return found


def make_floor(project: Path, dest: Path) -> Path:
    """A folder that builds as the floor: the project's docs/ (pages,
    overrides, assets), the resources copied into docs/ as the bare
    baseline has them, and a stub page for each nav entry the hook would
    have generated (listings, term indexes, the finder)."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    text = floor_config((project / "mkdocs.yml").read_text(encoding="utf-8"))
    (dest / "mkdocs.yml").write_text(text, encoding="utf-8")
    config = load_config(text)
    docs_name = config.get("docs_dir", "docs")
    if isinstance(docs_name, Tagged):
        docs_name = "docs"
    docs = dest / docs_name
    shutil.copytree(project / docs_name, docs)
    for folder in RESOURCE_FOLDERS:
        shutil.copytree(project / folder, docs / folder, dirs_exist_ok=True)
    for title, path in nav_paths(config.get("nav") or []):
        page = docs / path
        if not page.exists():
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(f"# {title}\n\nA stub: in the full build the hook generates this page.\n", encoding="utf-8")
    return dest
