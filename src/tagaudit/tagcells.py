"""Tag cells to tag pieces: JSON lists, delimited strings, several columns; vectorised.

A piece is one tag as written on one row; `rows[i]` is the row of `pieces[i]`.
Pieces keep their surrounding spaces and may be blank: trimming and dropping
blanks happens once per distinct spelling (Vocabulary), not once per piece.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tagaudit.normalize import normalize_tag

SEPARATORS = (",", ";", "|")
WHITESPACE = " "
JSON_LIST = "json"
NO_SPLIT = ""
_SAMPLE = 5_000
# keys of objects in a tag list that hold the tag's name (Help Scout, Intercom, others)
OBJECT_KEYS = ("tag", "name", "title", "label", "value", "slug")


@dataclass(frozen=True, slots=True)
class Pieces:
    text: pa.Array  # large or plain string
    rows: np.ndarray  # int64 row index per piece


def detect_separator(cells: pa.Array, known: set[str]) -> str:
    """Choose how string cells are split, from a sample of non-empty cells.

    A JSON list wins; then the most used of `,` `;` `|`; with none of those,
    whitespace when splitting on it matches more taxonomy tags than whole cells do.
    """
    sample = [c for c in pc.drop_null(cells[: _SAMPLE * 4]).to_pylist() if c.strip()][:_SAMPLE]
    if not sample:
        return NO_SPLIT
    if sum(isinstance(_loads(c), list) for c in sample if c.lstrip().startswith("[")) > len(sample) // 2:
        return JSON_LIST
    counts = {sep: sum(sep in c for c in sample) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    if counts[best]:
        return best
    if not any(" " in c.strip() for c in sample):
        return NO_SPLIT
    whole = sum(normalize_tag(c) in known for c in sample) / len(sample)
    parts = [p for c in sample for p in c.split()]
    split = sum(normalize_tag(p) in known for p in parts) / max(len(parts), 1)
    return WHITESPACE if split > whole else NO_SPLIT


def split_cells(cells: pa.Array, sep: str) -> Pieces:
    """Split string cells into trimmed non-empty pieces."""
    if pa.types.is_list(cells.type) or pa.types.is_large_list(cells.type):
        return list_pieces(cells)
    cells = cells.cast(pa.string()) if not pa.types.is_string(cells.type) else cells
    if sep == JSON_LIST:
        return _json_pieces(cells)
    if sep == WHITESPACE:
        lists = pc.utf8_split_whitespace(cells)
    elif sep == NO_SPLIT:
        lists = pa.ListArray.from_arrays(pa.array(np.arange(len(cells) + 1, dtype=np.int32)), cells.fill_null(""))
    else:
        lists = pc.split_pattern(cells, sep)
    return _trimmed(lists)


def _trimmed(lists: pa.Array) -> Pieces:
    flat = pc.list_flatten(lists)
    rows = pc.list_parent_indices(lists)
    return Pieces(flat, rows.to_numpy(zero_copy_only=False).astype(np.int64))


def list_pieces(lists: pa.Array) -> Pieces:
    """A list column: strings, or objects whose tag sits under a known key."""
    values = lists.values if isinstance(lists, pa.ListArray | pa.LargeListArray) else None
    if values is not None and pa.types.is_struct(values.type):
        names = [values.type.field(i).name for i in range(values.type.num_fields)]
        key = next((k for k in OBJECT_KEYS if k in names), None)
        if key is None:
            return Pieces(pa.array([], pa.string()), np.zeros(0, np.int64))
        lists = pa.ListArray.from_arrays(lists.offsets, values.field(key), mask=lists.is_null())
    flat = pc.list_flatten(lists)
    if not pa.types.is_string(flat.type):
        lists = pa.ListArray.from_arrays(lists.offsets, flat.cast(pa.string()), mask=lists.is_null())
    return _trimmed(lists)


def _json_pieces(cells: pa.Array) -> Pieces:
    """Cells holding JSON lists as text: parsed once per distinct cell."""
    encoded = pc.dictionary_encode(cells.fill_null(""))
    per_cell = [python_tags(_loads(c)) for c in encoded.dictionary.to_pylist()]
    return _trimmed(pa.array(per_cell, pa.list_(pa.string())).take(encoded.indices))


def _loads(cell: str) -> object:
    if not cell.strip():
        return None
    try:
        return json.loads(cell)
    except (ValueError, RecursionError):
        return cell


def python_tags(value: object, sep: str | None = None) -> list[str]:
    """Tags from one decoded JSON value (list of strings or objects, or a delimited string)."""
    if value is None:
        return []
    if isinstance(value, str):
        if sep == WHITESPACE:
            return value.split()
        if sep:
            return value.split(sep)
        return [value]
    if isinstance(value, dict):
        nested = value.get("tags")
        if isinstance(nested, list):
            return python_tags(nested)
        name = next((value[k] for k in OBJECT_KEYS if isinstance(value.get(k), str)), None)
        return [name] if name is not None else []
    if isinstance(value, list | tuple):
        out: list[str] = []
        for item in value:
            out.extend(python_tags(item) if isinstance(item, dict) else [_scalar(item)])
        return out
    return [_scalar(value)]


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def merge_columns(columns: Sequence[pa.Array]) -> pa.Array:
    """Several tag columns (tag_1, tag_2, ...) as one list per row."""
    n = len(columns[0])
    width = len(columns)
    strings = [c.cast(pa.string()) if not pa.types.is_string(c.type) else c for c in columns]
    interleaved = pa.concat_arrays(strings).take(
        pa.array((np.arange(width)[None, :] * n + np.arange(n)[:, None]).ravel())
    )
    offsets = pa.array(np.arange(0, (n + 1) * width, width, dtype=np.int32))
    return pa.ListArray.from_arrays(offsets, interleaved.fill_null(""))
