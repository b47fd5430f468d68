"""What every export reader shares: the read specification, batches, skips, field choice.

The readers themselves: `csvread` (pyarrow's streaming CSV reader, block by
block), `jsonread` (the exact standard-library JSON and NDJSON reader, with
line numbers) and `jsonfast` (pyarrow's JSON reader for large files).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pyarrow as pa

from tagaudit.columns import PRESET_TAG_SEP, ColumnMap, _key
from tagaudit.errors import UsageError
from tagaudit.tagcells import NO_SPLIT, WHITESPACE, Pieces, detect_separator, merge_columns, split_cells

BLOCK_BYTES = 8 << 20
MAX_BLOCK_BYTES = 2 << 30  # a row (one cell, say) up to this size is read; a larger one is refused


@dataclass(frozen=True, slots=True)
class ReadSpec:
    preset: str | None = None
    overrides: dict[str, str] = field(default_factory=dict)
    tag_sep: str | None = None
    encoding: str | None = None
    wanted: tuple[str, ...] = ("id", "created", "subject")
    by: str | None = None
    by_optional: bool = False
    known: frozenset[str] = frozenset()
    skip_invalid: bool = False
    block_bytes: int = 0  # 0: BLOCK_BYTES

    def block(self) -> int:
        return self.block_bytes or BLOCK_BYTES


class BlockTooSmall(Exception):
    """A CSV row does not fit in the reader's block: read the source again with larger blocks."""


@dataclass(frozen=True, slots=True)
class Batch:
    source: str
    first_row: int
    length: int
    pieces: Pieces
    fields: dict[str, pa.Array]
    line_of: Callable[[int], int | None]  # row index within the source -> line


@dataclass(frozen=True, slots=True)
class Skip:
    source: str
    line: int | None
    reason: str


def tag_separator(spec: ReadSpec, cells: pa.Array) -> str:
    if spec.tag_sep is not None:
        return WHITESPACE if spec.tag_sep.strip() == "" else spec.tag_sep
    if spec.preset in PRESET_TAG_SEP:
        return PRESET_TAG_SEP[spec.preset]
    return detect_separator(cells, set(spec.known))


def field_columns(columns: ColumnMap, spec: ReadSpec, headers: list[str], source: str) -> dict[str, str]:
    """The columns to read for each wanted field (and --by), by output name."""
    out = {name: col for name in spec.wanted if (col := columns.get(name)) is not None}
    if spec.by is not None:
        by = spec.by.lower()
        column = columns.get(by)
        if column is None:
            keyed = {_key(h): h for h in headers}
            column = keyed.get(_key(spec.by))
        if column is None and not spec.by_optional:
            raise UsageError(
                f"--by {spec.by}: no such field or column; name it with --map {by}=COLUMN",
                file=source,
            )
        if column is not None:
            out["by"] = column
    return out


def arrow_batches(
    tables: Iterable[pa.RecordBatch],
    source: str,
    spec: ReadSpec,
    columns: ColumnMap,
    fields: dict[str, str],
    column: Callable[[pa.RecordBatch, str], pa.Array],
    line_of: Callable[[int], int | None],
    before_each: Callable[[], None] | None = None,
) -> Iterator[Batch]:
    """pyarrow record batches (CSV or JSON) as Batches; the tag separator is chosen once per source."""
    sep: str | None = None
    first_row = 0
    for table in tables:
        if before_each is not None:
            before_each()
        if table.num_rows == 0:
            continue
        tag_arrays = [column(table, path) for path in columns.tag_columns]
        cells = tag_arrays[0] if len(tag_arrays) == 1 else merge_columns(tag_arrays)
        if sep is None:  # a list (JSON, or several tag columns merged) is never split
            sep = tag_separator(spec, cells) if pa.types.is_string(cells.type) else NO_SPLIT
        yield Batch(
            source,
            first_row,
            table.num_rows,
            split_cells(cells, sep),
            {name: column(table, path).cast(pa.string()) for name, path in fields.items()},
            line_of,
        )
        first_row += table.num_rows
