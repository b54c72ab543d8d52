"""Issue 23: what lives for a build is held by a `Build`, what lives for a
`make serve` session by a `PreviewSession`: no `global` statement and no
module-level mutable state in hooks/, apart from the hook's one reference
to the session and two caches of pure functions (the same key always gives
the same value, so they cannot carry one build's data into the next)."""
from __future__ import annotations

import ast

from conftest import REPO

ALLOWED = {
    ("library_hook.py", "_session"): "the hook's one reference: the preview session",
    ("resource_library/render.py", "_COMPILED"): "compiled bytecode of the package's own templates",
    ("resource_library/search.py", "_TERMS"): "a word's index term, a pure function of the word",
    ("resource_library/dates.py", "LONDON"): "a time zone (ZoneInfo objects are immutable)",
    ("resource_library/rules.py", "RULES"): "the catalogue of rules: data, built once",
}
MUTABLE_CALLS = {"dict", "list", "set", "defaultdict", "Counter", "OrderedDict", "deque", "bytearray"}


def _mutable(value: ast.expr) -> bool:
    if isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)):
        return True
    if isinstance(value, ast.Call):
        name = value.func.id if isinstance(value.func, ast.Name) else getattr(value.func, "attr", "")
        # A call of a class of ours (a capitalised name) makes an object whose state could change.
        return name in MUTABLE_CALLS or (name[:1].isupper() and not name.isupper())
    return False


def _object(value: ast.expr) -> bool:
    name = value.func.id if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) else ""
    return name[:1].isupper() and not name.isupper()


def test_no_global_statement_and_no_module_level_mutable_state():
    found = []
    for path in sorted((REPO / "hooks").rglob("*.py")):
        rel = path.relative_to(REPO / "hooks").as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{rel}:{node.lineno} global {', '.join(node.names)}"
                  for node in ast.walk(tree) if isinstance(node, ast.Global)]
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
                if isinstance(node, ast.AnnAssign) and node.value is not None else []
            for target in targets:
                # UPPER_CASE literals are constants (tables of data, never
                # changed); an object of a class of ours is state whatever its name.
                if isinstance(target, ast.Name) and _mutable(node.value) and (rel, target.id) not in ALLOWED \
                        and (not target.id.isupper() or _object(node.value)):
                    found.append(f"{rel}:{node.lineno} {target.id}")
    assert found == [], "module-level state outside Build and PreviewSession:\n" + "\n".join(found)


def test_the_check_finds_what_it_looks_for():
    """The scan above must be able to fail: a module with a global and a
    module-level dict is found."""
    tree = ast.parse("cache = {}\nthing = Thing()\nNAMES = frozenset()\ndef f():\n    global cache\n")
    assert [n for n in tree.body if isinstance(n, ast.Assign) and _mutable(n.value)] == tree.body[:2]
    assert any(isinstance(n, ast.Global) for n in ast.walk(tree))
