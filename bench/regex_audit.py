"""Superlinear time in our own regular expressions, and in the converter,
found by trying them: every compiled pattern in resource_library, on lines
made of a prefix that starts a construct and a long run of one filler
character (`[a](` and 4,000 spaces), at two lengths. A pattern whose time
grows more than 3 times when the line doubles, and takes over 5 ms, is
listed. Not a test (it times); run it after changing a pattern:

    .venv/bin/python bench/regex_audit.py [--markdown]

The seventh attacker found three such patterns (a link's target, an
attribute list's id, a tag token), each about 10 s a line at 20,000 characters.
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

PREFIXES = ["", "[a](", "![a](", "[a]: ", "{: ", "{:", "{", "<", "<a ", "<a href=", "<a href=\"", "</", "&#", "&",
            "#", "# ", "## a {", "|", "`", "```", "~~~", "*", "_", "http://", "https://x.example/", "[", "](", "- ",
            "1. ", "> ", "!!! ", "    ", "\t", "{{", "{%", "<!--", "<?", "<!", "\\", "@", "mailto:", "a=", "#a "]
FILLERS = [" ", "\t", "\u00a0", "a", "1", "-", "#", ":", "\"", "'", "(", ")", "\\", "/", ".", "=", "<", ">", "{", "}",
           "[", "]", "|", "`", "*", "_", "!", "&", ";", "@", "%", "a ", " a", "# ", "\\\\", "<a", "a>", "[a]", "(a)"]
# What ends the line: nothing, or a character that makes the match fail
# at its last step (`## a` and 20,000 `#` and an `x`: eighth attacker).
SUFFIXES = ["", "x", "\\", "}", ")"]
SHORT, LONG = 2_000, 4_000


def patterns():
    import resource_library
    seen = set()
    for module_info in pkgutil.walk_packages(resource_library.__path__, "resource_library."):
        if module_info.name.endswith("__main__"):
            continue
        try:
            module = importlib.import_module(module_info.name)
        except Exception:
            continue
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and id(value) not in seen:
                seen.add(id(value))
                yield f"{module_info.name}.{name}", value


def timed(function, text: str) -> float:
    start = time.perf_counter()
    function(text)
    return time.perf_counter() - start


def audit(name: str, function) -> list[str]:
    slow = []
    for prefix in PREFIXES:
        for filler in FILLERS:
            for suffix in SUFFIXES:
                first = timed(function, prefix + filler * (SHORT // len(filler)) + suffix)
                if first < 0.0005:
                    continue  # under half a millisecond at 2,000: not worth the longer line
                second = timed(function, prefix + filler * (LONG // len(filler)) + suffix)
                if second > 0.005 and second > 3 * first:
                    return [f"{name}: {prefix!r} + {filler!r} x n + {suffix!r}: {first * 1000:.1f} ms at "
                            f"{SHORT:,}, {second * 1000:.1f} ms at {LONG:,}"]  # one line is enough to look at it
    return slow


def main() -> int:
    found = []
    for name, pattern in patterns():
        if isinstance(pattern.pattern, bytes):  # files' patterns read bytes: the same lines, encoded
            found += audit(name, lambda text, p=pattern: [m for m in p.finditer(text.encode("utf-8"))])
            continue
        found += audit(name, lambda text, p=pattern: [m for m in p.finditer(text)])
        found += audit(name + " (match)", lambda text, p=pattern: p.match(text))
    if "--markdown" in sys.argv:
        import markdown
        from resource_library.headings import EXTENSIONS
        found += audit("Python-Markdown", lambda text: markdown.markdown(text, extensions=list(EXTENSIONS)))
    print("\n".join(found) or "no pattern grew faster than linearly")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
