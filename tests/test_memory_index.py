"""Translation memory indexed: the choice is the one comparing every entry with
every unit makes (kept here as the reference), on generated memories with
near-duplicates, ties, case variants, contexts, the merge's guesses and more
distinct characters than the index has codes; the bound it prunes with is
never below difflib's ratio."""

from __future__ import annotations

import difflib
import random
from collections.abc import Collection, Sequence

import pytest
from babel.messages.catalog import Catalog

from klpublish.catalogs import memory_index
from klpublish.catalogs.memory import (
    NEAR,
    Key,
    Match,
    Ranking,
    Unit,
    choose,
    choose_checked,
    refusals,
    similarity,
    to_fill,
)
from klpublish.catalogs.memory_index import NearIndex
from klpublish.errors import Location

# -- the reference: every entry compared with every unit ------------------------------


def old_similarity(a: str, b: str) -> float:
    matcher = difflib.SequenceMatcher(None, a.lower().strip(), b.lower().strip())
    if matcher.real_quick_ratio() < NEAR or matcher.quick_ratio() < NEAR:
        return 0.0
    return matcher.ratio()


def old_choose(
    catalog: Catalog,
    memory: Sequence[Unit],
    earlier: Collection[Key] | None = None,
    every: bool = False,
) -> list[Match]:
    exact: dict[Key, list[Unit]] = {}
    for unit in memory:
        exact.setdefault((unit.msgid, unit.context), []).append(unit)
    chosen = []
    for message in to_fill(catalog, earlier):
        msgid, context = str(message.id), message.context
        found = exact.get((msgid, context), [])
        chosen += [Match(msgid, context, unit, 1.0) for unit in found[: None if every else 1]]
        if found and not every:
            continue
        guessed = message.previous_id[0] if message.fuzzy and message.previous_id else None
        floor = old_similarity(msgid, guessed) if guessed else 0.0
        best: Match | None = None
        for unit in memory:
            ratio = old_similarity(msgid, unit.msgid)
            if ratio < NEAR or ratio <= floor or (ratio == 1.0 and unit.context == context):
                continue
            if every:
                chosen.append(Match(msgid, context, unit, ratio))
            elif best is None or ratio > best.ratio:
                best = Match(msgid, context, unit, ratio)
        if best is not None:
            chosen.append(best)
    return chosen


def old_order(
    catalog: Catalog, memory: Sequence[Unit], earlier: Collection[Key] | None
) -> dict[Key, list[Match]]:
    """Every entry's candidates in the order the reference prefers them: exact ones
    first (in memory order), then the most alike, ties to the earlier unit."""
    position = {id(u): n for n, u in enumerate(memory)}
    by_entry: dict[Key, list[Match]] = {}
    for match in old_choose(catalog, memory, earlier, every=True):
        by_entry.setdefault((match.msgid, match.context), []).append(match)
    return {
        k: sorted(ms, key=lambda m: (not m.exact, -m.ratio, position[id(m.unit)]))
        for k, ms in by_entry.items()
    }


# -- generated memories ---------------------------------------------------------------

VOCABULARY = (
    "kommune kommunalbestyrelse valgperiode samarbejde dialog inspiration erfaring "
    "formand direktør topmøde landsforening borger opgave interesse medlem arbejde "
    "velkommen tillykke valget afsnit program tilmelding stemme stærk vilkår rammer "
    "og i på til for med af er det de en et som vi jer at har kan skal"
)
WORDS = VOCABULARY.split()


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def edited(rng: random.Random, text: str) -> str:
    """``text`` changed a little: a word, a letter, its case or its spaces."""
    kind = rng.randrange(5)
    if kind == 0:
        words = text.split(" ")
        words[rng.randrange(len(words))] = rng.choice(WORDS)
        return " ".join(words)
    if kind == 1:
        at = rng.randrange(len(text))
        return text[:at] + rng.choice("aeiouæøå ,") + text[at + 1 :]
    if kind == 2:
        return text.upper() if rng.random() < 0.5 else text.lower()
    if kind == 3:
        return f"  {text} "
    return text + " " + rng.choice(WORDS)


def generated(seed: int, alphabet: str = "") -> tuple[Catalog, list[Unit], set[Key]]:
    """A catalog of about 120 entries (some fuzzy guesses of the merge) and a
    memory of about 400 units, many alike, some the same text twice or in
    another context; ``alphabet``: extra characters sprinkled in."""
    rng = random.Random(seed)
    base = [sentence(rng, rng.randint(1, 12)) for _ in range(60)]
    if alphabet:
        base = [s + " " + "".join(rng.choice(alphabet) for _ in range(3)) for s in base]
    contexts = [None, None, None, "heading", "metadata: title"]
    memory: list[Unit] = []
    for n in range(400):
        source = rng.choice(base)
        text = source if rng.random() < 0.15 else edited(rng, source)
        if rng.random() < 0.1 and memory:
            text = rng.choice(memory).msgid  # the same text again, later
        memory.append(Unit(text, rng.choice(contexts), f"t{n}", Location("m.po", n + 1)))
    catalog = Catalog(locale="de")
    earlier: set[Key] = set()
    for _ in range(120):
        source = rng.choice(base)
        msgid = source if rng.random() < 0.3 else edited(rng, source)
        context = rng.choice(contexts)
        if catalog.get(msgid, context) is not None or not msgid.strip():
            continue
        if rng.random() < 0.15:  # the merge's own guess from a similar entry
            guess = edited(rng, msgid)
            catalog.add(msgid, "guess", context=context, flags={"fuzzy"}, previous_id=[guess])
        elif rng.random() < 0.1:  # translated already: not to fill
            catalog.add(msgid, "done", context=context)
            earlier.add((msgid, context))
        else:
            catalog.add(msgid, context=context)
    return catalog, memory, earlier


SEEDS = range(4)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_indexed_choice_is_the_choice_of_comparing_every_pair(seed: int) -> None:
    catalog, memory, earlier = generated(seed)
    expected = old_choose(catalog, memory, earlier)
    assert choose(catalog, memory, earlier) == expected
    assert sum(not m.exact for m in expected) > 20  # near matches were chosen, not only exact
    assert choose(catalog, memory) == old_choose(catalog, memory)


@pytest.mark.parametrize("seed", SEEDS)
def test_every_candidate_comes_in_the_reference_order(seed: int) -> None:
    """What a refused candidate leaves to: the next best, as the reference ranks them."""
    catalog, memory, earlier = generated(seed)
    ranking = Ranking(memory)
    found = {}
    for message in to_fill(catalog, earlier):
        matches = list(ranking.candidates(message))
        if matches:
            found[(str(message.id), message.context)] = matches
    assert found == old_order(catalog, memory, earlier)


def test_more_characters_than_codes_and_small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over 255 distinct characters share codes (the bound can only rise), and
    keys spread over many packed integers give the same choice."""
    monkeypatch.setattr(memory_index, "CHUNK_BYTES", 300)
    alphabet = "".join(chr(c) for c in range(0x4E00, 0x4E00 + 400))
    catalog, memory, earlier = generated(99, alphabet)
    assert len(NearIndex([u.msgid for u in memory])._chunks) > 20
    assert choose(catalog, memory, earlier) == old_choose(catalog, memory, earlier)
    ranking = Ranking(memory)
    found = {(str(m.id), m.context): list(ranking.candidates(m)) for m in to_fill(catalog, earlier)}
    assert {k: v for k, v in found.items() if v} == old_order(catalog, memory, earlier)


def lcs(a: str, b: str) -> int:
    row = [0] * (len(b) + 1)
    for ch in a:
        diagonal = 0
        for j, other in enumerate(b, start=1):
            diagonal, row[j] = row[j], diagonal + 1 if ch == other else max(row[j], row[j - 1])
    return row[-1]


def test_the_bound_is_the_longest_common_subsequence_and_never_below_the_ratio(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(memory_index, "NEAR", 0.0)  # every pair's bound, not only the near
    rng = random.Random(7)
    texts = ["".join(rng.choice("abcæ ") for _ in range(rng.randint(0, 30))) for _ in range(300)]
    index = NearIndex(texts)
    for text in texts[:40]:
        wanted = text.lower().strip()
        bounds = dict((n, b) for b, n in index.bounds(text))
        for n, other in enumerate(index._keys):
            if not wanted:
                continue
            total = len(wanted) + len(other)
            assert bounds[n] == 2.0 * lcs(wanted, other) / total, (wanted, other)
            assert difflib.SequenceMatcher(None, wanted, other).ratio() <= bounds[n]


def test_similarity_is_difflibs_ratio_of_the_lowered_texts() -> None:
    assert similarity("En ny valgperiode er begyndt.", "En ny valgperiode er startet.") == (
        difflib.SequenceMatcher(
            None, "en ny valgperiode er begyndt.", "en ny valgperiode er startet."
        ).ratio()
    )
    assert similarity("Til alle kommunalbestyrelsesmedlemmer", "Kære kommunalbestyrelser") < NEAR


# -- checked choice ---------------------------------------------------------------------

REFUSED = [
    "Ein <script>alert(1)</script> Text.",  # raw HTML
    "Ein [Text](javascript:alert(1)).",  # a script link
    "Ein Text 你好.",  # no font has it
    "Ein Text 👍.",
]


def test_a_refused_candidate_leaves_its_entry_to_the_next_best() -> None:
    """The checked choice is the reference's choice among the units the checks
    accept: each entry its first accepted candidate, in the reference's order."""
    catalog, memory, earlier = generated(3)
    rng = random.Random(3)
    memory = [
        Unit(u.msgid, u.context, rng.choice(REFUSED), u.origin) if rng.random() < 0.4 else u
        for u in memory
    ]
    chosen, skipped = choose_checked(catalog, memory, earlier)
    refused = refusals([m.unit for ms in old_order(catalog, memory, earlier).values() for m in ms])
    assert {u.msgstr for u in refused} == set(REFUSED)
    accepted = [u for u in memory if u not in refused]
    assert chosen == old_choose(catalog, accepted, earlier)
    assert skipped and all(s.unit in refused and s.reason == refused[s.unit] for s in skipped)
    assert not any(m.unit in refused for m in chosen)
