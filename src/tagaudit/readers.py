"""What every export reader shares: the read specification, batches, skips, field choice.

The readers themselves: `csvread` (pyarrow's streaming CSV reader, block by
block), `jsonread` (the exact standard-library JSON and NDJSON reader, with
line numbers) and `jsonfast` (pyarrow's JSON reader for large files).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pyarrow as pa

from tagaudit.columns import PRESET_TAG_SEP, ColumnMap, _key
from tagaudit.errors import UsageError
from tagaudit.tagcells import WHITESPACE, Pieces, detect_separator

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
