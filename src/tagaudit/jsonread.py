"""JSON and NDJSON through the standard library: exact, with line numbers; NDJSON streamed in batches.

The fast path (`jsonfast`) hands a source here when it cannot take it.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from tagaudit.columns import resolve_columns
from tagaudit.errors import InputError
from tagaudit.readers import Batch, ReadSpec, Skip, field_columns, tag_separator
from tagaudit.sources import Source
from tagaudit.tagcells import NO_SPLIT, python_tags, split_cells

JSON_BATCH = 50_000
WRAPPER_KEYS = (
    "tickets",
    "results",
    "data",
    "conversations",
    "items",
    "records",
    "rows",
    "requests",
)


MAX_EXACT_JSON_BYTES = 1 << 30  # the standard-library reader holds the whole document


def read_json(source: Source, spec: ReadSpec, skips: list[Skip]) -> Iterator[Batch]:
    with source.open() as raw:
        data = raw.read(MAX_EXACT_JSON_BYTES + 1)
    if len(data) > MAX_EXACT_JSON_BYTES:
        raise InputError(
            f"this JSON needs the exact reader (a wrapper object, or values of mixed types), which reads "
            f"at most {MAX_EXACT_JSON_BYTES >> 30} GiB; convert it to NDJSON (one ticket a line)",
            file=source.name,
        )
    text = data.decode(source.encoding, errors="strict") if source.encoding != "utf-8" else _utf8(data, source)
    del data
    try:
        document = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg} (column {exc.colno})", file=source.name, line=exc.lineno) from None
    except RecursionError:
        raise InputError("JSON nested too deeply", file=source.name) from None
    records = find_records(document, source.name)
    yield from _record_batches(records, source, spec, lambda row: None)


def read_ndjson(source: Source, spec: ReadSpec, skips: list[Skip]) -> Iterator[Batch]:
    """NDJSON line by line, in batches: memory bounded by a batch, exact line numbers for errors."""
    records: list[object] = []
    lines: list[int] = []
    layout: _Layout | None = None
    first_row = 0
    with source.open() as raw:
        stream = io.TextIOWrapper(raw, encoding=source.encoding, errors="strict", newline=None)
        number = 0
        try:
            for number, line in enumerate(stream, start=1):
                record = _ndjson_record(line, number, source, spec, skips)
                if record is None:
                    continue
                records.append(record)
                lines.append(number)
                if len(records) >= JSON_BATCH:
                    line_of = _line_map(lines, first_row)
                    layout = layout or _layout(records, source, spec, line_of)
                    yield from _record_batches(records, source, spec, line_of, layout, first_row)
                    first_row += len(records)
                    records, lines = [], []
        except UnicodeDecodeError:
            raise InputError(
                "invalid UTF-8 text; if the file is from Excel, try --encoding cp1252",
                file=source.name,
                line=number + 1,
            ) from None
    if records:
        layout = layout or _layout(records, source, spec, _line_map(lines, first_row))
        yield from _record_batches(records, source, spec, _line_map(lines, first_row), layout, first_row)


def _line_map(lines: list[int], first_row: int) -> Callable[[int], int | None]:
    where = np.asarray(lines, dtype=np.int64)
    return lambda row: int(where[row - first_row]) if 0 <= row - first_row < len(where) else None


def _ndjson_record(line: str, number: int, source: Source, spec: ReadSpec, skips: list[Skip]) -> object:
    if not line.strip():
        return None
    try:
        return json.loads(line.lstrip("\ufeff").rstrip("\r\n"))
    except json.JSONDecodeError as exc:
        if spec.skip_invalid:
            skips.append(Skip(source.name, number, f"malformed JSON: {exc.msg}"))
            return None
        raise InputError(
            f"malformed JSON line: {exc.msg} (column {exc.colno})", file=source.name, line=number
        ) from None
    except RecursionError:
        raise InputError("JSON nested too deeply", file=source.name, line=number) from None


def _utf8(data: bytes, source: Source) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            "invalid UTF-8 text; if the file is from Excel, try --encoding cp1252",
            file=source.name,
            line=line,
        ) from None


def find_records(document: object, name: str) -> list[object]:
    """The list of tickets inside a JSON document (a bare array or a known wrapper)."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in WRAPPER_KEYS:
            if isinstance(document.get(key), list):
                return list(document[key])
        embedded = document.get("_embedded")
        if isinstance(embedded, dict):
            for value in embedded.values():
                if isinstance(value, list):
                    return value
        for key in ("ticket", "helpdesk_ticket", "conversation"):
            if isinstance(document.get(key), dict):
                return [document[key]]
        if "tags" in document or "id" in document:
            return [document]
    raise InputError(
        'no list of tickets found in the JSON (expected an array, or e.g. {"tickets": [...]})',
        file=name,
    )


def _unwrap(record: object) -> object:
    """Freshdesk v1 wraps each ticket as {"helpdesk_ticket": {...}}."""
    if isinstance(record, dict) and len(record) == 1:
        (value,) = record.values()
        if isinstance(value, dict):
            return value
    return record


def flatten_keys(record: dict[str, object], prefix: str = "", depth: int = 0) -> Iterator[str]:
    for key, value in record.items():
        name = f"{prefix}{key}"
        yield name
        if isinstance(value, dict) and depth < 4:
            yield from flatten_keys(value, f"{name}.", depth + 1)


def _get(record: dict[str, object], path: str) -> object:
    if path in record:
        return record[path]
    value: object = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        # a nested object chosen as a field: its most telling scalar (Zendesk via.channel, Help Scout source.type)
        for key in ("name", "channel", "type", "email", "value", "id"):
            if key in value and not isinstance(value[key], dict | list):
                return _text(value[key])
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where a JSON source keeps each field, found from its first records."""

    tag_paths: tuple[str, ...]
    fields: dict[str, str]
    sep: str


def _layout(records: list[object], source: Source, spec: ReadSpec, line_of: Callable[[int], int | None]) -> _Layout:
    dicts = _objects(records, source, line_of, 0)
    headers = list(dict.fromkeys(k for r in dicts[:1000] for k in flatten_keys(r)))
    columns = resolve_columns(headers, preset=spec.preset, overrides=spec.overrides, source=source.name)
    fields = field_columns(columns, spec, headers, source.name)
    strings = [v for r in dicts[:JSON_BATCH] for p in columns.tag_columns if isinstance(v := _get(r, p), str)]
    sep = tag_separator(spec, pa.array(strings, pa.string())) if strings else NO_SPLIT
    return _Layout(columns.tag_columns, fields, sep)


def _objects(
    records: list[object], source: Source, line_of: Callable[[int], int | None], first_row: int
) -> list[dict[str, object]]:
    out = []
    for index, value in enumerate(records):
        record = _unwrap(value)
        if not isinstance(record, dict):
            row = first_row + index
            raise InputError(f"ticket {row + 1} is not a JSON object", file=source.name, line=line_of(row))
        out.append(record)
    return out


def _record_batches(
    records: list[object],
    source: Source,
    spec: ReadSpec,
    line_of: Callable[[int], int | None],
    layout: _Layout | None = None,
    first_row: int = 0,
) -> Iterator[Batch]:
    if not records:
        return
    layout = layout or _layout(records, source, spec, line_of)
    dicts = _objects(records, source, line_of, first_row)
    for start in range(0, len(dicts), JSON_BATCH):
        chunk = dicts[start : start + JSON_BATCH]
        flat: list[str] = []
        rows: list[int] = []
        for row, record in enumerate(chunk):
            for path in layout.tag_paths:
                for tag in python_tags(_get(record, path), layout.sep):
                    flat.append(tag)
                    rows.append(row)
        offsets = np.searchsorted(np.asarray(rows, dtype=np.int64), np.arange(len(chunk) + 1)).astype(np.int32)
        cells = pa.ListArray.from_arrays(pa.array(offsets), pa.array(flat, pa.string()))
        yield Batch(
            source.name,
            first_row + start,
            len(chunk),
            split_cells(cells, NO_SPLIT),
            {name: pa.array([_text(_get(r, col)) for r in chunk], pa.string()) for name, col in layout.fields.items()},
            line_of,
        )
