"""Generate a synthetic library of N resources for the benchmark.

Bodies of 600-1,500 words come from a word-level Markov chain trained on the
starter content, so the vocabulary and sentence shapes are realistic rather
than a handful of repeated words. Front matter is valid over the real
vocabulary. Seeded, so the same N gives the same library.
"""
from __future__ import annotations

import random
import re
import shutil
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
TYPES = ("at-a-glance", "deeper-dives", "webinars")
sys.path.insert(0, str(REPO / "tests"))
from conftest import make_project  # noqa: E402  (the same project layout the tests build)


def corpus_sentences() -> list[str]:
    text = []
    for folder in TYPES:
        for path in sorted((REPO / folder).glob("*.md")):
            _, front, body = path.read_text(encoding="utf-8").split("---", 2)
            text.append(yaml.safe_load(front)["summary"])
            for line in body.splitlines():
                line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)
                line = re.sub(r"[*_`#|>]", " ", line).strip(" -0123456789.")
                if len(line.split()) >= 5:
                    text.append(line)
    return [s.strip() for chunk in text for s in re.split(r"(?<=[.!?])\s+", chunk) if len(s.split()) >= 4]


class Chain:
    def __init__(self, sentences: list[str]):
        self.next = defaultdict(list)
        self.starts = []
        for sentence in sentences:
            words = sentence.split()
            self.starts.append(words[0])
            for a, b in zip(words, words[1:] + ["<END>"]):
                self.next[a].append(b)

    def sentence(self, rng: random.Random, max_words: int = 28) -> str:
        word, words = rng.choice(self.starts), []
        while word != "<END>" and len(words) < max_words:
            words.append(word)
            word = rng.choice(self.next.get(word, ["<END>"]))
        text = " ".join(words).rstrip(",;:")
        return text[0].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def body(chain: Chain, rng: random.Random, links: list[str]) -> str:
    target = rng.randint(600, 1500)
    parts, words = [], 0
    while words < target:
        heading = chain.sentence(rng, 7).rstrip(".")
        parts.append(f"## {heading}\n")
        for _ in range(rng.randint(1, 3)):
            paragraph = " ".join(chain.sentence(rng) for _ in range(rng.randint(3, 6)))
            parts.append(paragraph + "\n")
            words += len(paragraph.split())
        if rng.random() < 0.4:
            items = [chain.sentence(rng, 12) for _ in range(rng.randint(3, 5))]
            parts.append("\n".join(f"- {i}" for i in items) + "\n")
            words += sum(len(i.split()) for i in items)
        if rng.random() < 0.2:
            parts.append("| Question | Where to look |\n| --- | --- |\n" + "\n".join(
                f"| {chain.sentence(rng, 6)} | {chain.sentence(rng, 6)} |" for _ in range(3)) + "\n")
    parts.append("## Related reading\n\n" + "\n".join(f"- [{t}]({u})" for t, u in links) + "\n")
    return "\n".join(parts)


def generate(dest: Path, count: int, seed: int = 2026) -> Path:
    """A complete project in `dest`: the repo's machinery and N resources."""
    rng = random.Random(seed)
    make_project(dest)
    vocab = {k: list(yaml.safe_load((REPO / "vocabulary" / f"{k}.yml").read_text()))
             for k in ("functions", "programmes", "topics")}
    chain = Chain(corpus_sentences())
    slugs = []
    for n in range(count):
        type_slug = TYPES[n % 3]
        slugs.append((type_slug, f"synthetic-resource-{n:05d}"))
    for folder in TYPES:
        shutil.rmtree(dest / folder, ignore_errors=True)
        (dest / folder).mkdir()
    for n, (type_slug, slug) in enumerate(slugs):
        title = chain.sentence(rng, 9).rstrip(".").replace(":", " -").replace("#", "")
        summary = " ".join(chain.sentence(rng, 20) for _ in range(2)).replace("#", "")
        while len(summary) < 40:
            summary += " " + chain.sentence(rng, 20).replace("#", "")
        published = date(2022, 1, 1) + timedelta(days=rng.randint(0, 1700))
        meta = {
            "title": title if len(title) >= 3 else f"Resource {n}",
            "summary": summary,
            "functions": rng.sample(vocab["functions"], rng.randint(1, 2)),
            "programmes": rng.sample(vocab["programmes"], rng.randint(0, 2)),
            "topics": rng.sample(vocab["topics"], rng.randint(1, 4)),
            "published": published.isoformat(),
            "last_reviewed": max(published, date(2026, 3, 1)).isoformat(),
            "next_review_due": (max(published, date(2026, 3, 1)) + timedelta(days=700)).isoformat(),
            "owner": "Strategic Planning for Redesign team",
            "status": "current",
        }
        if type_slug == "webinars":
            starts = published + timedelta(days=rng.randint(10, 60))
            meta.update({"starts": f"{starts.isoformat()}T13:00", "duration_minutes": 60,
                         "speakers": [{"name": "Strategic Planning Advisor", "role": "Healthcare Improvement Scotland"}],
                         "registration_url": "https://events.example.org/register"})
        others = [slugs[rng.randrange(count)] for _ in range(2)]
        links = [(f"Resource {o[1][-5:]}", f"../{o[0]}/{o[1]}.md") for o in others]
        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
        text = f"---\n{front}---\n\n{body(chain, rng, links)}"
        (dest / type_slug / f"{slug}.md").write_text(text, encoding="utf-8")
    return dest


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
