"""Closeness between tag spellings: near-duplicates in a taxonomy and "did you mean" for exports.

Everything is compared in normalised form, in C (rapidfuzz), never as a
Python loop over all pairs.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

# Strings this short are too easily close by chance ("Skor" and "Sport").
MIN_LENGTH = 4
# Rows compared against the taxonomy at once when suggesting (bounds memory).
_BLOCK = 20_000
# A spelling this long is no typo of a tag name: not compared (a 50 MB cell costs nothing).
MAX_LENGTH = 200


def max_edits(text: str) -> int:
    """Edits allowed for two spellings to count as the same word mistyped."""
    return 1 if len(text) < 10 else 2


def near_pairs(names: Sequence[str]) -> list[tuple[int, int, int]]:
    """Pairs (i, j, distance), i < j, of distinct normalised names within `max_edits` of each other.

    Equal names are not near: they are duplicates, reported elsewhere. One C
    scan per name (rapidfuzz), no numpy: `validate` must start fast.
    """
    pairs = []
    for i, name in enumerate(names):
        if len(name) < MIN_LENGTH:
            continue
        for _, edits, j in process.extract(
            name, names, scorer=Levenshtein.distance, score_cutoff=max_edits(name), limit=None
        ):
            other = names[j]
            if j > i and edits > 0 and len(other) >= MIN_LENGTH and edits <= max_edits(other):
                pairs.append((i, j, int(edits)))
    return sorted(pairs)


def suggest(queries: Sequence[str], choices: Sequence[str]) -> list[int | None]:
    """For each normalised query, the index of the closest normalised choice, or None.

    A suggestion is made when the query is a mistyping of the choice (within
    `max_edits`) or one contains the other as a whole word sequence.
    """
    out: list[int | None] = [None] * len(queries)
    if not queries or not choices:
        return out
    import numpy as np  # only `audit` suggests; `validate` must not pay for numpy

    choice_len = np.array([len(c) for c in choices])
    longest = int(choice_len.max()) + 2
    candidates = [i for i, q in enumerate(queries) if len(q) <= min(MAX_LENGTH, longest)]
    for start in range(0, len(candidates), _BLOCK):
        positions = candidates[start : start + _BLOCK]
        block = [queries[i] for i in positions]
        dist = process.cdist(block, choices, scorer=Levenshtein.distance, score_cutoff=3, workers=-1)
        best = dist.argmin(axis=1)
        for row, query in enumerate(block):
            col = int(best[row])
            edits = int(dist[row, col])
            shortest = min(len(query), int(choice_len[col]))
            if shortest >= MIN_LENGTH and edits <= max_edits(query):
                out[positions[row]] = col
    return out
