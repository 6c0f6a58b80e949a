"""Translation memory's texts indexed, so that finding the most similar ones does
not compare an entry with every text of a large compendium.

Similarity is difflib's ratio, ``2 M / T`` (``M`` characters matched, ``T`` the
two lengths together), of the lower-cased texts, as Babel's fuzzy merge compares
them. ``M`` is never more than the length of the longest common subsequence
(LCS), so ``2 LCS / T`` bounds the ratio from above. The LCS is found for an
entry against thousands of texts at once, bit-parallel (Hyyrö's algorithm) over
texts packed into one large integer, each in its own field; ``SequenceMatcher``
then runs only where the bound reaches ``NEAR``, the most promising first, and
stops as soon as no text left can beat (or tie, being earlier) the best found.
The ratios, the cutoff and the order of ties are exactly those of comparing
every pair.
"""

from __future__ import annotations

import difflib
import heapq
import sys
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

NEAR = 0.75
"""Similarity (difflib's ratio of the lower-cased Danish texts, as Babel's own
fuzzy merge compares them) from which a translation is offered as a near match.
Babel and msgmerge take 0.6, for a catalog's own entries, where the candidate is
usually the same sentence edited. Across letters that is too loose: in the
shipped letter, different sentences score up to 0.72 ("Til alle
kommunalbestyrelsesmedlemmer" and "Kære kommunalbestyrelser" 0.69), while one
word changed in a short sentence scores 0.83 ("En ny valgperiode er begyndt." /
"... startet.")."""

CHUNK_BYTES = 1 << 15
"""Texts packed per integer: large enough that Python's loop is not the cost,
small enough that each operation stays in the processor's cache."""
_GUARD = 0
"""The code of the field separator: no character has it, so no mask has its bit."""
_CODES = 255
"""Character codes 1..255; in a memory with more distinct characters, the rarer
ones share the last code, which can only raise the bound (never miss a match)."""


def key(text: str) -> str:
    return text.lower().strip()


def ratio_of_keys(a: str, b: str) -> float:
    """difflib's ratio of two keys, the cheap upper bounds first, so that a long
    text is never compared with a short one (SequenceMatcher is quadratic)."""
    matcher = difflib.SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() < NEAR or matcher.quick_ratio() < NEAR:
        return 0.0
    return matcher.ratio()


def similarity(a: str, b: str) -> float:
    """difflib's ratio of the two texts compared as Babel's fuzzy merge compares them."""
    return ratio_of_keys(key(a), key(b))


def _window(size: int) -> tuple[int, int]:
    """The shortest and longest a key may be and still be ``NEAR`` alike to a text
    of ``size`` characters (``2 min / T`` reaches it), one character wider each
    side than the exact bounds, against rounding."""
    if NEAR <= 0:
        return 0, sys.maxsize
    return int(size * NEAR / (2 - NEAR)) - 1, int(size * (2 - NEAR) / NEAR) + 1


@cache
def _table(code: int) -> bytes:
    """``bytes.translate`` table: ``code`` to the digit 1, every other byte to 0."""
    return bytes(49 if n == code else 48 for n in range(256))


_FIELDS = bytes(48 if n == _GUARD else 49 for n in range(256))


@dataclass
class _Chunk:
    """Consecutive keys (by length), packed: byte ``i`` of ``packed`` is bit ``i``."""

    first: int
    """Position of its first key in the index's order."""
    offsets: list[int]
    lengths: list[int]
    packed: bytes
    width: int
    full: int = 0
    masks: dict[int, int] = field(default_factory=dict)

    def mask(self, code: int) -> int:
        """The bits of the chunk's characters of ``code``, made on first use."""
        found = self.masks.get(code)
        if found is None:
            reverse = self.packed[::-1]  # int() reads the most significant digit first
            found = int(reverse.translate(_table(code)), 2) if code in self.packed else 0
            self.masks[code] = found
        return found

    def lcs(self, codes: bytes) -> list[int]:
        """The length of the LCS of ``codes`` and each key of the chunk."""
        if not self.full:
            self.full = int(self.packed[::-1].translate(_FIELDS), 2)
        full, v = self.full, self.full
        for code in codes:
            u = v & self.mask(code)
            v = ((v + u) | (v ^ u)) & full  # U is part of V: V - U is V ^ U
        bits = format(v, f"0{self.width}b")  # bit i is the character width - 1 - i
        return [
            size - bits.count("1", self.width - start - size, self.width - start)
            for start, size in zip(self.offsets, self.lengths, strict=True)
        ]


class NearIndex:
    """Texts (in the memory's order) indexed for ``ranked``."""

    def __init__(self, texts: Sequence[str]) -> None:
        positions: dict[str, list[int]] = {}
        for n, text in enumerate(texts):
            positions.setdefault(key(text), []).append(n)
        self._keys = sorted(positions, key=len)
        self._positions = [positions[k] for k in self._keys]
        self._lengths = [len(k) for k in self._keys]
        counts: dict[str, int] = {}
        for k in self._keys:
            for ch in set(k):
                counts[ch] = counts.get(ch, 0) + 1
        common = sorted(counts, key=lambda ch: (-counts[ch], ch))
        self._codes = {ord(ch): min(n + 1, _CODES) for n, ch in enumerate(common)}
        self._chunks = self._pack()

    def _encode(self, text: str) -> bytes:
        """A key's characters as codes; one the memory lacks matches nothing."""
        return bytes(self._codes[ord(ch)] for ch in text if ord(ch) in self._codes)

    def _pack(self) -> list[_Chunk]:
        chunks: list[_Chunk] = []
        parts: list[bytes] = []
        offsets: list[int] = []
        width = 0
        for n, k in enumerate(self._keys):
            parts.append(k.translate(self._codes).encode("latin-1") + bytes([_GUARD]))
            offsets.append(width)
            width += len(k) + 1
            if width >= CHUNK_BYTES or n == len(self._keys) - 1:
                first = n + 1 - len(offsets)
                lengths = self._lengths[first : n + 1]
                chunks.append(_Chunk(first, offsets, lengths, b"".join(parts), width))
                parts, offsets, width = [], [], 0
        return chunks

    def bounds(self, text: str) -> list[tuple[float, int]]:
        """(bound, key number) of each key whose upper bound reaches ``NEAR``."""
        wanted = key(text)
        size = len(wanted)
        if not size:  # only an empty text is alike (ratio 1.0) to an empty one
            return [(1.0, n) for n, length in enumerate(self._lengths) if not length]
        shortest, longest = _window(size)
        low = bisect_left(self._lengths, shortest)
        high = bisect_right(self._lengths, longest)
        codes = self._encode(wanted)
        found = []
        for chunk in self._chunks:
            last = chunk.first + len(chunk.offsets)
            if last <= low or chunk.first >= high:
                continue
            for n, common in enumerate(chunk.lcs(codes), start=chunk.first):
                bound = 2.0 * common / (size + self._lengths[n])
                if low <= n < high and bound >= NEAR:
                    found.append((bound, n))
        return found

    def ranked(self, text: str) -> Iterator[tuple[float, int]]:
        """(ratio, position) of each text at least ``NEAR`` alike to ``text``,
        most alike first, ties in the order of the texts: what comparing
        ``text`` with every text in order would choose first, then second..."""
        wanted = key(text)
        pending = sorted(self.bounds(text), reverse=True)
        ready: list[tuple[float, int]] = []  # (-ratio, position)
        for bound, n in pending:
            # Everything ready above this bound is final: no text left can reach it.
            while ready and -ready[0][0] > bound:
                ratio, position = heapq.heappop(ready)
                yield -ratio, position
            ratio = ratio_of_keys(wanted, self._keys[n])
            if ratio >= NEAR:
                for position in self._positions[n]:
                    heapq.heappush(ready, (-ratio, position))
        while ready:
            ratio, position = heapq.heappop(ready)
            yield -ratio, position
