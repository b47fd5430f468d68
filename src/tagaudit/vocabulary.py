"""Distinct tag spellings -> terms (taxonomy tag, alias, ignored or unknown), each resolved once."""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from tagaudit.normalize import normalize_tag
from tagaudit.taxonomy import Taxonomy

BLANK = -1  # an empty or whitespace-only piece: no tag


class TermKind(IntEnum):
    TAG = 0  # a taxonomy tag by its name (any spelling that normalises to it)
    ALIAS = 1  # a taxonomy tag through one of its aliases
    IGNORED = 2  # matches settings.ignore
    UNKNOWN = 3


@dataclass(frozen=True, slots=True)
class Term:
    kind: TermKind
    key: str  # the normalised spelling (for TAG: the tag's normalised name)
    tag: int  # index into Vocabulary.tags, -1 when not a taxonomy tag
    alias: str | None = None  # the alias as written in the taxonomy


class Vocabulary:
    """Every spelling seen, resolved once; terms are numbered in order of first sight."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.tags = taxonomy.tags
        self._tag_index = {id(tag): i for i, tag in enumerate(self.tags)}
        patterns = [fnmatch.translate(normalize_tag(p)) for p in taxonomy.ignore]
        self._ignore = re.compile("|".join(patterns)) if patterns else None  # one match for all patterns
        self.terms: list[Term] = []
        self._term_ids: dict[tuple[TermKind, str, int, str | None], int] = {}
        self._by_spelling: dict[str, int] = {}
        self.spellings: Counter[str] = Counter()  # pieces per raw spelling
        self.spelling_term: dict[str, int] = {}
        self._arrays: tuple[np.ndarray, np.ndarray] = (np.zeros(0, np.int8), np.zeros(0, np.int32))

    def resolve(self, spelling: str) -> Term:
        key = normalize_tag(spelling)
        match = self.taxonomy.index.get(key)
        if match is not None:
            tag = self._tag_index[id(match.tag)]
            if match.alias is not None:
                return Term(TermKind.ALIAS, key, tag, match.alias)
            return Term(TermKind.TAG, normalize_tag(match.tag.name.text), tag)
        if self._ignore is not None and self._ignore.match(key):
            return Term(TermKind.IGNORED, key, -1)
        return Term(TermKind.UNKNOWN, key, -1)

    def term_id(self, spelling: str) -> int:
        found = self._by_spelling.get(spelling)
        if found is not None:
            return found
        term = self.resolve(spelling)
        ident = (term.kind, term.key, term.tag, term.alias)
        number = self._term_ids.get(ident)
        if number is None:
            number = len(self.terms)
            self._term_ids[ident] = number
            self.terms.append(term)
        self._by_spelling[spelling] = number
        self.spelling_term[spelling] = number
        return number

    def lookup(self, spellings: list[str], counts: np.ndarray) -> np.ndarray:
        """Term ids for the distinct raw pieces of one batch (BLANK for empty ones).

        Pieces are trimmed here, once per distinct value; `spellings` counts
        pieces per trimmed spelling.
        """
        ids = np.empty(len(spellings), dtype=np.int32)
        for i, (raw, count) in enumerate(zip(spellings, counts.tolist(), strict=True)):
            spelling = raw.strip()
            if not spelling:
                ids[i] = BLANK
                continue
            ids[i] = self.term_id(spelling)
            self.spellings[spelling] += count
        return ids

    def spellings_by_term(self) -> dict[int, list[str]]:
        """Raw spellings per term, most used first."""
        out: dict[int, list[str]] = {}
        for spelling, _count in self.spellings.most_common():
            out.setdefault(self.spelling_term[spelling], []).append(spelling)
        return out

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """Per term: its kind and its tag index (-1 for none); extended, not rebuilt, as terms are added."""
        kinds, tags = self._arrays
        if len(kinds) < len(self.terms):
            new = self.terms[len(kinds) :]
            kinds = np.concatenate([kinds, np.array([t.kind for t in new], dtype=np.int8)])
            tags = np.concatenate([tags, np.array([t.tag for t in new], dtype=np.int32)])
            self._arrays = (kinds, tags)
        return kinds, tags
