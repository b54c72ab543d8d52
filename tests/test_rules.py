"""Issue 23: one catalogue of rules (hooks/resource_library/rules.py).

Every problem is built from its catalogue entry, by key; a key the
catalogue does not hold is an error; CONTRIBUTING.md lists the catalogue.
Fast: the source is read with ast, nothing is built.
"""
from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from resource_library import rules
from resource_library.fieldref import RULES_END, RULES_START, rules_table

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = REPO / "hooks" / "resource_library" / "rules.py"
# The package and the hook beside it, which reports what the sanitiser and the PDF converter refuse.
SOURCES = sorted(p for p in (REPO / "hooks").rglob("*.py") if p != CATALOGUE)
KEY_RE = re.compile(r"[a-z]+(?:-[a-z]+)*/[a-z-]*")
# Calls that take a catalogue key first (rules.problem, ParsedFile.found, and
# the local helpers that pass theirs on).
KEY_TAKERS = {"problem", "found", "report", "_Refused"}


def parsed_sources():
    return [(path.relative_to(REPO).as_posix(), ast.parse(path.read_text(encoding="utf-8"))) for path in SOURCES]


def call_name(node: ast.Call) -> str:
    return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")


def string_parts(tree) -> list[str]:
    """Every string literal, and the literal parts of every f-string."""
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)]


# ParsedFile.problem takes its words as given, for the tests' reference
# checks (test_checks_fast) to compare with; nothing in the package calls it.
GIVEN_WORDS = ("hooks/resource_library/frontmatter.py", "problem")


def test_no_problem_is_built_outside_the_catalogue():
    built = []
    for path, tree in parsed_sources():
        exempt = {id(node) for function in ast.walk(tree) if isinstance(function, ast.FunctionDef)
                  and (path, function.name) == GIVEN_WORDS for node in ast.walk(function)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or id(node) in exempt:
                continue
            name = call_name(node)
            if name == "Problem" or name == "problem" and isinstance(node.func, ast.Attribute) \
                    and getattr(node.func.value, "id", "") != "rules":
                built.append(f"{path}:{node.lineno}")
    assert not built, "problems built without the catalogue (use rules.problem or ParsedFile.found): " + ", ".join(built)


# The hints that depend on the library (the closest file, page or date) are
# worked out by suggestions.py, and a template takes them whole, `{hint}`.
SUGGESTIONS = "hooks/resource_library/suggestions.py"


def literal_pieces(template: str, shortest: int = 25) -> list[str]:
    """The fixed text of a template long enough to be a message's own words."""
    return [text for text, _, _, _ in string.Formatter().parse(template) if len(text) >= shortest]


def test_no_message_text_is_written_outside_the_catalogue():
    pieces = {piece: key for key, message in all_messages() for template in (message.text, message.hint)
              for piece in literal_pieces(template)}
    copies = []
    for path, tree in parsed_sources():
        if path == SUGGESTIONS:
            continue
        for text in string_parts(tree):
            copies += [f"{path}: {pieces[piece]!r} {piece!r}" for piece in pieces if piece in text]
    assert not copies, "message text written outside rules.py: " + "; ".join(copies)


def all_messages():
    for rule in rules.RULES.values():
        for variant, message in rule.messages.items():
            yield (f"{rule.id}/{variant}" if variant else rule.id), message


def key_constants(node) -> list[str]:
    """The strings an argument can be: itself, or either branch of `a if test else b`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return key_constants(node.body) + key_constants(node.orelse)
    return []


def test_every_key_the_checks_raise_is_in_the_catalogue():
    unknown = []
    for path, tree in parsed_sources():
        keys = {text for text in string_parts(tree) if KEY_RE.fullmatch(text) and text.split("/")[0] in rules.RULES}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and call_name(node) in KEY_TAKERS:
                keys |= {key for arg in node.args for key in key_constants(arg)
                         if re.fullmatch(r"[a-z]+(?:-[a-z]+)*(?:/[a-z-]+)?", key)}
        for key in sorted(keys):
            if key.endswith("/"):
                continue  # a key's start, completed where it is used (f"clock-change/{clock}")
            try:
                rules.message(key)
            except KeyError:
                unknown.append(f"{path}: {key}")
    assert not unknown, "keys raised that the catalogue does not hold: " + ", ".join(unknown)


def test_every_rule_in_the_catalogue_is_raised_somewhere():
    said = {text for _, tree in parsed_sources() for text in string_parts(tree)}
    unused = [rule_id for rule_id in rules.RULES
              if not any(text == rule_id or text.startswith(rule_id + "/") for text in said)]
    assert not unused, "rules no check raises: " + ", ".join(unused)


def test_a_rule_the_catalogue_lacks_is_an_error_that_says_so():
    with pytest.raises(KeyError, match="no rule `no-such-rule` in the catalogue"):
        rules.problem("no-such-rule", "at-a-glance/a.md", 1, 1)
    with pytest.raises(KeyError, match="no rule `bad-date/no-such-variant` in the catalogue"):
        rules.problem("bad-date/no-such-variant", "at-a-glance/a.md", 1, 1)
    # And a value the template names but the check left out.
    with pytest.raises(KeyError):
        rules.problem("bad-date/year", "at-a-glance/a.md", 1, 1, value="3000-01-01")


def test_a_problem_takes_its_words_and_severity_from_the_catalogue():
    problem = rules.problem("review-due", "at-a-glance/a.md", 3, 18, "next_review_due: 2026-01-01", due="2026-01-01")
    assert (problem.rule, problem.message, problem.hint, problem.severity, problem.source_line) == (
        "review-due", "a review is due on 2026-01-01", "Let the owner know the review is coming up.", "warning",
        "next_review_due: 2026-01-01")


def test_every_rule_says_what_it_checks_and_how_to_fix_it():
    for rule in rules.RULES.values():
        assert rule.checks.strip() and rule.fix.strip() and rule.messages, rule.id
        assert "\n" not in rule.checks and "\n" not in rule.fix, rule.id


def test_contributing_lists_the_catalogue():
    guide = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert RULES_START in guide and RULES_END in guide
    block = guide.split(RULES_START, 1)[1].split(RULES_END, 1)[0].strip()
    assert block == rules_table(), "run `make rules` to regenerate the list of rules"
    for rule_id in rules.RULES:
        assert f"| `{rule_id}` |" in block
