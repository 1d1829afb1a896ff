"""«Like innspill»: finding near-identical texts (a campaign's template letter) among thousands.

A template letter sent by many people comes back with small changes: the sender's town, a
sentence of their own, a typo, a greeting. Each text becomes the set of its three-word
shingles; two texts belong together when those sets overlap enough (Jaccard similarity at
least :data:`SIMILARITY`), and groups are the connected parts of that relation. A template
with edits keeps most of its shingles (0.5-0.9 in our labelled set); two different letters on
the same theme share only common phrases (under 0.15).

Comparing every pair is quadratic, so candidates come from MinHash with locality-sensitive
hashing (LSH): a sketch of :data:`BINS` minimum hashes per text, cut into bands; texts that
agree on a whole band are compared exactly. The sketch is *one-permutation* MinHash (Li, Owen
and Zhang 2012) with densification by rotation (Shrivastava and Li 2014): each shingle is
hashed once, and the sorted hashes give every bin's minimum by bisection, so the work per
text runs in C, not in a Python loop per hash function.

Why not ``datasketch``: it is on PyPI and well kept, but pulls numpy and scipy (about 100 MB
in the image) into a bot that otherwise needs neither, and its MinHash computes 128 hash
functions per shingle; this module is ~150 lines, pure Python, deterministic (no
``PYTHONHASHSEED`` dependence), groups 10,000 submissions in a few seconds (see
``bench/grouping.py``), and every candidate is checked exactly, so the sketch only has to
find pairs, not judge them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

SHINGLE = 3
"""Words per shingle: a changed word touches three shingles, common two-word phrases none."""
SIMILARITY = 0.35
"""Least Jaccard similarity of two texts' shingles to call them alike (see module doc)."""
MIN_WORDS = 25
"""Shorter texts are never grouped: two people may well both write «Enig i forslaget.»."""
MAX_WORDS = 5_000
"""Words of a text compared (about ten pages); a campaign letter is far shorter."""
BINS = 64
ROWS = 2
"""Bins per LSH band: two bins must agree, so pairs at the threshold are found (P ≈ 0.95)."""
MAX_ANCHORS = 4
"""Texts per LSH bucket that others are compared with (see :func:`_join_bucket`)."""
_BAND_COUNT = BINS // ROWS
_BIN_BITS = 64 - (BINS - 1).bit_length()
_MASK = (1 << 64) - 1
_K1, _K2 = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The text's words, case and accents' forms folded (``Ålesund`` and ``ålesund`` match)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


class _Vocabulary:
    """A fixed 64-bit hash per word, computed once per distinct word (blake2b: stable)."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}

    def __call__(self, word: str) -> int:
        found = self._ids.get(word)
        if found is None:
            digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
            found = self._ids[word] = int.from_bytes(digest, "little")
        return found


def _shingles(ids: Sequence[int]) -> list[int]:
    """Sorted distinct hashes of the text's three-word shingles (order-sensitive)."""
    return sorted(
        {((a * _K1 + b) * _K2 + c) & _MASK for a, b, c in zip(ids, ids[1:], ids[2:], strict=False)}
    )


def _sketch(shingles: Sequence[int]) -> list[int]:
    """One-permutation MinHash: each bin's least hash; empty bins borrow to the right."""
    mins: list[int | None] = [None] * BINS
    at = 0
    for b in range(BINS):
        at = bisect_left(shingles, b << _BIN_BITS, at)
        if at < len(shingles) and shingles[at] >> _BIN_BITS == b:
            mins[b] = shingles[at]
    filled: list[int] = []
    for b in range(BINS):
        for step in range(BINS):
            value = mins[(b + step) % BINS]
            if value is not None:
                # The offset keeps a borrowed value from matching a bin's own minimum.
                filled.append(value + step * (1 << 64))
                break
    return filled


def _jaccard(a: Sequence[int], b: Sequence[int]) -> float:
    common = len(set(a).intersection(b))
    return common / (len(a) + len(b) - common)


class _Groups:
    """Union-find over text indices, smallest index as each group's root."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


@dataclass(frozen=True)
class Shingled:
    """A text prepared for comparison (kept so callers can measure similarity again)."""

    shingles: list[int]


def prepare(texts: Sequence[str]) -> list[Shingled]:
    """Each text's shingles (an empty list for a text too short to group)."""
    vocabulary = _Vocabulary()
    prepared = []
    for text in texts:
        found = words(text)[:MAX_WORDS]
        ids = [vocabulary(w) for w in found] if len(found) >= MIN_WORDS else []
        prepared.append(Shingled(_shingles(ids)))
    return prepared


def similarity(a: Shingled, b: Shingled) -> float:
    """Jaccard similarity of two prepared texts (0 when either is too short)."""
    return _jaccard(a.shingles, b.shingles) if a.shingles and b.shingles else 0.0


def group_similar(texts: Sequence[str]) -> list[list[int]]:
    """Groups (of two or more) of near-identical texts, as sorted indices, oldest group first."""
    prepared = prepare(texts)
    groups = _Groups(len(texts))
    bands: list[dict[tuple[int, ...], list[int]]] = [{} for _ in range(_BAND_COUNT)]
    for index, item in enumerate(prepared):
        if not item.shingles:
            continue
        sketch = _sketch(item.shingles)
        for band, bucket in enumerate(bands):
            bucket.setdefault(tuple(sketch[band * ROWS : (band + 1) * ROWS]), []).append(index)
    compared: set[tuple[int, int]] = set()
    for bucket_map in bands:
        for members in bucket_map.values():
            if len(members) > 1:
                _join_bucket(members, prepared, groups, compared)
    found: dict[int, list[int]] = {}
    for index in range(len(texts)):
        found.setdefault(groups.find(index), []).append(index)
    return sorted((g for g in found.values() if len(g) > 1), key=lambda g: g[0])


def _join_bucket(
    members: list[int], prepared: list[Shingled], groups: _Groups, compared: set[tuple[int, int]]
) -> None:
    """Compare a bucket's texts with a few anchors, not every pair with every other.

    A campaign of 2,000 letters shares buckets; comparing each letter with the first one it
    resembles keeps that linear. A letter like no anchor becomes one, up to
    :data:`MAX_ANCHORS`: a bucket that common phrases filled with unrelated letters would
    otherwise cost a comparison of every pair. Letters of one campaign share many buckets,
    so one where the anchors are taken rarely matters.
    """
    anchors: list[int] = []
    for index in members:
        for anchor in anchors:
            if groups.find(anchor) == groups.find(index):
                break
            if (anchor, index) in compared:
                continue
            compared.add((anchor, index))
            if similarity(prepared[anchor], prepared[index]) >= SIMILARITY:
                groups.union(anchor, index)
                break
        else:
            if len(anchors) < MAX_ANCHORS:
                anchors.append(index)
