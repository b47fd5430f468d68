"""The audit engine: batches in, one exact tally out.

Per batch, work is vectorised over distinct values: each distinct spelling is
resolved once (Vocabulary), each distinct set of terms a ticket carries is
interned once (TagSets), and a ticket is kept as four small integers. Rows that
share an id are united at the end. The tally counts tickets per (tag set,
period, --by value): every figure of the report derives from it exactly, so
batch order and size cannot change a result.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tagaudit.dates import MISSING, DateError, day_text, period_codes, to_days
from tagaudit.errors import InputError
from tagaudit.readers import Batch, Skip
from tagaudit.vocabulary import BLANK, Vocabulary

EXAMPLES_PER_TAG = 3
EXAMPLE_KEY = 1 << 20  # examples are kept per tag * EXAMPLE_KEY + week
NO_VALUE = "(none)"


class TagSets:
    """Distinct sets of term ids, interned; set 0 is the empty set (an untagged ticket).

    A set is keyed by its sorted term ids as bytes, and stored once as those
    bytes: a million distinct sets cost a million small bytes objects, not a
    million numpy arrays.
    """

    def __init__(self) -> None:
        self._ids: dict[bytes, int] = {b"": 0}
        self._blobs: list[bytes] = [b""]

    def __len__(self) -> int:
        return len(self._blobs)

    def intern(self, rows: np.ndarray, terms: np.ndarray, n: int) -> np.ndarray:
        """Set id per row, from (row, term) pairs sorted by row then term, without repeats."""
        offsets = np.searchsorted(rows, np.arange(n + 1)).astype(np.int32) * 4
        data = np.ascontiguousarray(terms, dtype="<i4")
        packed = pa.Array.from_buffers(
            pa.binary(), n, [None, pa.py_buffer(offsets.tobytes()), pa.py_buffer(data.tobytes())]
        )
        encoded = pc.dictionary_encode(packed)
        blobs = encoded.dictionary.to_pylist()
        local = np.empty(len(blobs), dtype=np.int32)
        ids, known = self._ids, self._blobs
        for i, blob in enumerate(blobs):
            found = ids.get(blob)
            if found is None:
                found = ids[blob] = len(known)
                known.append(blob)
            local[i] = found
        return local[encoded.indices.to_numpy(zero_copy_only=False)]

    def csr(self) -> tuple[np.ndarray, np.ndarray]:
        """All sets as (pointers, flat term ids)."""
        lengths = np.fromiter((len(b) // 4 for b in self._blobs), dtype=np.int64, count=len(self._blobs))
        pointers = np.zeros(len(self._blobs) + 1, dtype=np.int64)
        np.cumsum(lengths, out=pointers[1:])
        flat = np.frombuffer(b"".join(self._blobs), dtype="<i4").astype(np.int32)
        return pointers, flat


def unique_pairs(rows: np.ndarray, terms: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, term) pairs sorted, each once: a tag repeated on one ticket counts once.

    Rows arrive in order, so a stable sort (timsort) has little to do.
    """
    combined = rows.astype(np.int64) * width + terms.astype(np.int64)
    combined.sort(kind="stable")
    if len(combined) > 1:
        combined = combined[np.concatenate(([True], combined[1:] != combined[:-1]))]
    return combined // width, (combined % width).astype(np.int32)


@dataclass
class Window:
    since: int | None = None  # inclusive day numbers
    until: int | None = None

    def shown(self) -> tuple[str | None, str | None]:
        """The window as the report prints it: ISO days, None where open."""
        return (
            day_text(self.since) if self.since is not None else None,
            day_text(self.until) if self.until is not None else None,
        )

    def mask(self, days: np.ndarray) -> np.ndarray | None:
        if self.since is None and self.until is None:
            return None
        keep = days != MISSING
        if self.since is not None:
            keep &= days >= self.since
        if self.until is not None:
            keep &= days <= self.until
        return keep


@dataclass
class Tally:
    """The exact result of reading: counts per (tag set, period, by value), and the bookkeeping."""

    vocabulary: Vocabulary
    pointers: np.ndarray  # tag sets in CSR form
    members: np.ndarray
    cube_sets: np.ndarray  # one entry per populated cell
    cube_periods: np.ndarray
    cube_by: np.ndarray
    cube_counts: np.ndarray
    periods: list[str]
    by_values: list[str]
    rows_read: int
    rows_merged: int
    skipped: list[Skip]
    outside_window: int
    undated: int
    first_day: int | None
    last_day: int | None
    examples: dict[int, list[Example]]
    sources: list[str]

    @property
    def tickets(self) -> int:
        return int(self.cube_counts.sum())

    def select(self, period: int) -> Tally:
        """The tally of one period (or bucket) alone."""
        keep = self.cube_periods == period
        return replace(
            self,
            cube_sets=self.cube_sets[keep],
            cube_periods=np.zeros(int(keep.sum()), np.int64),
            cube_by=self.cube_by[keep],
            cube_counts=self.cube_counts[keep],
            periods=[],
        )


@dataclass(frozen=True, slots=True)
class Example:
    day: int
    id: str
    subject: str


Buckets = Callable[[np.ndarray], tuple[np.ndarray, list[str]]]


@dataclass(frozen=True)
class Checkpoint:
    batches: int
    rows_read: int
    skipped: int
    sources: int
    has_ids: bool
    spellings: Counter[str]
    examples: dict[int, list[Example]]


@dataclass
class Accumulator:
    vocabulary: Vocabulary
    window: Window = field(default_factory=Window)
    period: str | None = None
    buckets: Buckets | None = None  # instead of periods: any split of the days (e.g. two windows)
    by: bool = False
    examples_wanted: bool = False
    sets: TagSets = field(default_factory=TagSets)
    _set_ids: list[np.ndarray] = field(default_factory=list)
    _days: list[np.ndarray] = field(default_factory=list)
    _by: list[np.ndarray] = field(default_factory=list)
    _keys: list[np.ndarray | pa.Array] = field(default_factory=list)
    _has_ids: bool = False  # whether any batch had ids: only then can rows be united
    _by_values: dict[str, int] = field(default_factory=dict)
    rows_read: int = 0
    skipped: list[Skip] = field(default_factory=list)
    examples: dict[int, list[Example]] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    def checkpoint(self) -> Checkpoint:
        """What to return to if a source must be read again by another reader."""
        return Checkpoint(
            len(self._set_ids),
            self.rows_read,
            len(self.skipped),
            len(self.sources),
            self._has_ids,
            self.vocabulary.spellings.copy(),
            {k: list(v) for k, v in self.examples.items()},
        )

    def rollback(self, mark: Checkpoint) -> None:
        for parts in (self._set_ids, self._days, self._by, self._keys):
            del parts[mark.batches :]
        self.rows_read = mark.rows_read
        del self.skipped[mark.skipped :]
        del self.sources[mark.sources :]
        self._has_ids = mark.has_ids
        self.vocabulary.spellings = mark.spellings
        self.examples = mark.examples

    def add(self, batch: Batch) -> None:
        n = batch.length
        if batch.source not in self.sources:
            self.sources.append(batch.source)
        self.rows_read += n
        rows, terms = self._terms(batch)
        set_ids = self.sets.intern(rows, terms, n)
        self._set_ids.append(set_ids)
        days = self._dates(batch, n)
        self._days.append(days)
        if self.by:
            self._by.append(self._by_codes(batch.fields.get("by"), n))
        ids = batch.fields.get("id")
        if ids is None:  # rows without ids are tickets of their own, even beside a file that has them
            self._keys.append(pa.nulls(n, pa.string()))
        else:
            self._has_ids = True
            self._keys.append(numeric_ids(ids))
        if self.examples_wanted:
            self._collect_examples(batch, rows, terms, days)

    def _terms(self, batch: Batch) -> tuple[np.ndarray, np.ndarray]:
        pieces = batch.pieces
        if len(pieces.text) == 0:
            return np.zeros(0, np.int64), np.zeros(0, np.int32)
        encoded = pc.dictionary_encode(pieces.text)
        indices = encoded.indices.to_numpy(zero_copy_only=False)
        counts = np.bincount(indices, minlength=len(encoded.dictionary))
        lookup = self.vocabulary.lookup(encoded.dictionary.to_pylist(), counts)
        terms = lookup[indices]
        present = terms != BLANK
        width = max(len(self.vocabulary.terms), 1)
        return unique_pairs(pieces.rows[present], terms[present], width)

    def _dates(self, batch: Batch, n: int) -> np.ndarray:
        created = batch.fields.get("created")
        if created is None:
            return np.full(n, MISSING, dtype=np.int32)
        try:
            return to_days(created)
        except DateError as exc:
            line = batch.line_of(batch.first_row + exc.row)
            raise InputError(
                f"'{exc.value}' is not a date or timestamp (column of 'created'; "
                "choose another with --map created=COLUMN)",
                file=batch.source,
                line=line,
            ) from None

    def _by_codes(self, values: pa.Array | None, n: int) -> np.ndarray:
        if values is None:
            values = pa.nulls(n, pa.string())
        cleaned = pc.fill_null(pc.utf8_trim_whitespace(values.cast(pa.string())), "")
        encoded = pc.dictionary_encode(cleaned)
        local = np.fromiter(
            (self._by_values.setdefault(v or NO_VALUE, len(self._by_values)) for v in encoded.dictionary.to_pylist()),
            dtype=np.int32,
            count=len(encoded.dictionary),
        )
        return local[encoded.indices.to_numpy(zero_copy_only=False)]

    def _collect_examples(self, batch: Batch, rows: np.ndarray, terms: np.ndarray, days: np.ndarray) -> None:
        """Keep a few tickets per taxonomy tag and week, so any window chosen later has examples."""
        _, tag_of = self.vocabulary.arrays()
        if len(terms) == 0:
            return
        tags = tag_of[terms]
        keep = tags >= 0
        inside = self.window.mask(days)
        if inside is not None:
            keep &= inside[rows]
        tags, rows = tags[keep], rows[keep]
        weeks = np.where(days[rows] == MISSING, -1, (days[rows].astype(np.int64) + 3) // 7)
        weeks = np.clip(weeks + 1, 0, EXAMPLE_KEY - 1)  # undated (and pre-1970) tickets share week 0
        keys = tags.astype(np.int64) * EXAMPLE_KEY + weeks  # (tag, week) in one number
        distinct = np.unique(keys)
        ids = batch.fields.get("id")
        subjects = batch.fields.get("subject")
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        firsts = np.searchsorted(sorted_keys, distinct, side="left").tolist()
        lasts = np.searchsorted(sorted_keys, distinct, side="right").tolist()
        for key, first, last in zip(distinct.tolist(), firsts, lasts, strict=True):
            found = self.examples.setdefault(key, [])
            room = EXAMPLES_PER_TAG - len(found)
            for row in rows[order[first : min(last, first + max(room, 0))]].tolist():
                ident = ids[row].as_py() if ids is not None else f"{batch.source}:{batch.first_row + row + 1}"
                subject = subjects[row].as_py() if subjects is not None else ""
                found.append(Example(int(days[row]), str(ident or ""), str(subject or "")))

    def finish(self) -> Tally:
        # each column is joined and its pieces let go before the next: peak memory is one copy
        set_ids = _take_all(self._set_ids, np.int32)
        days = _take_all(self._days, np.int32)
        by = _take_all(self._by, np.int32) if self.by else np.zeros(len(set_ids), np.int32)
        merged = 0
        if self._has_ids and self._keys and len(set_ids):
            set_ids, days, by, merged = self._merge_by_id(set_ids, days, by)
        dated = days != MISSING
        undated = int((~dated).sum())
        first_day = int(days[dated].min()) if dated.any() else None
        last_day = int(days[dated].max()) if dated.any() else None
        keep = self.window.mask(days)
        outside = 0
        if keep is not None:
            outside = int((~keep).sum())
            set_ids, days, by = set_ids[keep], days[keep], by[keep]
        if self.buckets is not None:
            periods, labels = self.buckets(days)
        elif self.period:
            periods, labels = period_codes(days, self.period)
        else:
            periods, labels = np.zeros(len(set_ids), np.int32), []
        periods += 1  # undated tickets: -1 -> 0
        unique, counts = count_cells(set_ids, periods, by)
        del set_ids, periods, by, days
        pointers, members = self.sets.csr()
        by_values = sorted(self._by_values, key=self._by_values.__getitem__)
        return Tally(
            vocabulary=self.vocabulary,
            pointers=pointers,
            members=members,
            cube_sets=unique[0],
            cube_periods=unique[1] - 1,
            cube_by=unique[2],
            cube_counts=counts.astype(np.int64),
            periods=labels,
            by_values=by_values,
            rows_read=self.rows_read,
            rows_merged=merged,
            skipped=self.skipped,
            outside_window=outside,
            undated=undated,
            first_day=first_day,
            last_day=last_day,
            examples=self.examples,
            sources=self.sources,
        )

    def _merge_by_id(
        self, set_ids: np.ndarray, days: np.ndarray, by: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        keys = ticket_keys(self._keys)
        self._keys.clear()
        ordered = np.sort(keys)
        repeated = bool((ordered[1:] == ordered[:-1]).any())
        del ordered
        if not repeated:
            return set_ids, days, by, 0  # the common case: every id once
        _, first, inverse, counts = np.unique(keys, return_index=True, return_inverse=True, return_counts=True)
        tickets = len(first)
        order = np.argsort(inverse, kind="stable")
        starts = np.zeros(tickets, dtype=np.int64)
        np.cumsum(counts[:-1], out=starts[1:])
        dated = np.where(days == MISSING, np.iinfo(np.int32).max, days)
        merged_days = np.minimum.reduceat(dated[order], starts)
        merged_days = np.where(merged_days == np.iinfo(np.int32).max, MISSING, merged_days).astype(np.int32)
        merged_by = by[order[starts]]
        # unite the tag sets of tickets written on several rows
        pointers, members = self.sets.csr()
        row_of, flat = expand_sets(pointers, members, set_ids)
        owner = inverse.astype(np.int64)[row_of]
        width = max(len(self.vocabulary.terms), 1)
        rows, terms = unique_pairs(owner, flat, width)
        merged_sets = self.sets.intern(rows, terms, tickets)
        return merged_sets, merged_days, merged_by, len(keys) - tickets


def expand_sets(pointers: np.ndarray, members: np.ndarray, set_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For items carrying sets, every (item index, term) pair: a vectorised gather."""
    sizes = (pointers[1:] - pointers[:-1])[set_ids]
    item = np.repeat(np.arange(len(set_ids), dtype=np.int64), sizes)
    before = np.zeros(len(set_ids), dtype=np.int64)
    if len(set_ids) > 1:
        np.cumsum(sizes[:-1], out=before[1:])
    position = np.arange(len(item), dtype=np.int64) - before[item] + pointers[:-1][set_ids][item]
    return item, members[position] if len(position) else np.zeros(0, np.int32)


def numeric_ids(ids: pa.Array) -> np.ndarray | pa.Array:
    """Ids as int64 when every one is a plain number (the common case: 8 bytes a row), else as given."""
    try:
        numbers = pc.cast(ids, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return ids
    if numbers.null_count:
        return ids
    return numbers.to_numpy(zero_copy_only=False)


def ticket_keys(chunks: list[np.ndarray | pa.Array]) -> np.ndarray:
    """One integer per row such that rows of the same ticket id share it; rows without an id never do."""
    if all(isinstance(c, np.ndarray) for c in chunks):
        return np.concatenate(chunks)
    ids = pa.chunked_array(
        [pa.array(c).cast(pa.string()) if isinstance(c, np.ndarray) else c.cast(pa.string()) for c in chunks]
    ).combine_chunks()
    cleaned = pc.utf8_trim_whitespace(ids)
    empty = pc.fill_null(pc.equal(pc.utf8_length(cleaned), 0), True).to_numpy(zero_copy_only=False)
    encoded = pc.dictionary_encode(cleaned)
    keys = encoded.indices.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    distinct = len(encoded.dictionary)
    keys[empty] = distinct + np.arange(int(empty.sum()), dtype=np.int64)
    return keys


def count_cells(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Tickets per distinct combination of small non-negative codes: (codes per column, counts)."""
    sizes = [int(c.max()) + 1 if len(c) else 1 for c in columns]
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for column, size in zip(columns, sizes, strict=True):
        combined *= size
        combined += column
    space = int(np.prod(sizes, dtype=np.float64))
    if space <= 8 * len(combined) + 1_000_000:
        counts = np.bincount(combined, minlength=space)
        cells = np.flatnonzero(counts)
        counts = counts[cells]
    else:
        cells, counts = np.unique(combined, return_counts=True)
    codes = []
    for size in reversed(sizes):
        codes.append(cells % size)
        cells = cells // size
    return codes[::-1], counts.astype(np.int64)


def _take_all(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    """The parts joined into one array; the list is emptied so the parts can be freed."""
    joined: np.ndarray = np.concatenate(parts).astype(dtype, copy=False) if parts else np.zeros(0, dtype)
    parts.clear()
    return joined
