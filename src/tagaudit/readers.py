"""Reading exports into batches of tag pieces and string fields; every row counted.

CSV goes through pyarrow's streaming reader (block by block, bounded memory);
JSON and NDJSON through the standard library, record by record, with exact
line numbers for errors.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from tagaudit.columns import PRESET_TAG_SEP, ColumnMap, _key, resolve_columns
from tagaudit.errors import InputError, UsageError
from tagaudit.sources import Source
from tagaudit.tagcells import (
    NO_SPLIT,
    WHITESPACE,
    Pieces,
    detect_separator,
    merge_columns,
    python_tags,
    split_cells,
)

BLOCK_BYTES = 8 << 20
MAX_BLOCK_BYTES = 2 << 30  # a row (one cell, say) up to this size is read; a larger one is refused
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
MAX_JSON_DEPTH = 64


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


# -- CSV ---------------------------------------------------------------------


def csv_headers(source: Source) -> list[str]:
    text = source.sample.decode(source.encoding, errors="replace").lstrip("\ufeff")
    try:
        row = next(csv.reader(io.StringIO(text), delimiter=source.delimiter), [])
    except csv.Error as exc:
        raise InputError(f"cannot read the header: {exc}", file=source.name, line=1) from None
    if not row:
        raise InputError("no header row", file=source.name, line=1)
    return [h.strip() for h in row]


def read_csv(source: Source, spec: ReadSpec, skips: list[Skip]) -> Iterator[Batch]:
    headers = csv_headers(source)
    columns = resolve_columns(headers, preset=spec.preset, overrides=spec.overrides, source=source.name)
    fields = field_columns(columns, spec, headers, source.name)
    needed = list(dict.fromkeys([*columns.tag_columns, *fields.values()]))
    bad_rows: list[tuple[int | None, str]] = []

    locate = _CsvLines(source)

    def on_invalid(row: pacsv.InvalidRow) -> str:
        reason = f"has {row.actual_columns} fields where the header has {row.expected_columns}"
        bad_rows.append((row.number if row.number is not None else locate.next_ragged(), reason))
        return "skip" if spec.skip_invalid else "error"

    read_options = pacsv.ReadOptions(
        block_size=spec.block(),
        encoding="utf8" if source.encoding in ("utf-8", "utf8") else source.encoding,
        column_names=headers,
        skip_rows=1,
    )
    try:
        with _arrow_stream(source) as stream, _quiet_unraisable():
            reader = pacsv.open_csv(
                stream,
                read_options=read_options,
                parse_options=pacsv.ParseOptions(
                    delimiter=source.delimiter, newlines_in_values=True, invalid_row_handler=on_invalid
                ),
                convert_options=pacsv.ConvertOptions(
                    include_columns=needed,
                    column_types={c: pa.string() for c in needed},
                    strings_can_be_null=False,
                ),
            )
            yield from _csv_batches(
                reader, source, spec, columns, fields, locate, lambda: _flush_skips(bad_rows, source, skips, spec)
            )
        _flush_skips(bad_rows, source, skips, spec)
    except pa.ArrowInvalid as exc:
        if "straddl" in str(exc):
            raise BlockTooSmall from exc
        _flush_skips(bad_rows, source, skips, spec)
        message = _arrow_message(exc)
        if "UTF-8" in message:
            line = locate.first_invalid_utf8()
        elif "fields where the header has" in message:
            line = locate.next_ragged()
        else:
            line = _arrow_line(exc, locate)
        raise InputError(message, file=source.name, line=line) from None
    except (OSError, EOFError) as exc:
        raise InputError(f"cannot read: {exc}", file=source.name) from None


@contextlib.contextmanager
def _quiet_unraisable() -> Iterator[None]:
    """pyarrow decodes a bad row's text before calling our handler; when the text ends inside a
    character that decoding fails and Python prints "Exception ignored". The row is reported by us."""
    previous = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        yield
    finally:
        sys.unraisablehook = previous


def _arrow_stream(source: Source) -> Any:
    """A native pyarrow stream for files (fast path), the Python one for standard input."""
    if source.path == "-":
        return source.open()
    return pa.input_stream(source.path, compression="gzip" if source.gzipped else None)


def _csv_batches(
    reader: Any,
    source: Source,
    spec: ReadSpec,
    columns: ColumnMap,
    fields: dict[str, str],
    locate: Callable[[int], int | None],
    flush: Callable[[], None],
) -> Iterator[Batch]:
    sep: str | None = None
    first_row = 0
    for record_batch in reader:
        flush()
        if record_batch.num_rows == 0:
            continue
        if len(columns.tag_columns) == 1:
            cells = record_batch.column(columns.tag_columns[0])
        else:
            cells = merge_columns([record_batch.column(c) for c in columns.tag_columns])
        if sep is None:
            sep = NO_SPLIT if len(columns.tag_columns) > 1 else tag_separator(spec, cells)
        yield Batch(
            source.name,
            first_row,
            record_batch.num_rows,
            split_cells(cells, sep),
            {name: record_batch.column(col) for name, col in fields.items()},
            locate,
        )
        first_row += record_batch.num_rows


def _flush_skips(bad: list[tuple[int | None, str]], source: Source, skips: list[Skip], spec: ReadSpec) -> None:
    if bad and not spec.skip_invalid:
        line, reason = bad[0]
        raise InputError(f"row {reason} (use --skip-invalid to skip such rows)", file=source.name, line=line)
    skips.extend(Skip(source.name, line, f"row {reason}") for line, reason in bad)
    bad.clear()


_ROW = re.compile(r"Row #(\d+)")


_COLUMNS = re.compile(r"Expected (\d+) columns, got (\d+)")


def _arrow_message(exc: pa.ArrowInvalid) -> str:
    text = str(exc).splitlines()[0]
    if "invalid UTF8" in text or "invalid utf8" in text.lower():
        return "invalid UTF-8 text; if the file is from Excel, try --encoding cp1252"
    counts = _COLUMNS.search(text)
    if counts:  # pyarrow quotes the row itself: leave it out, the line number says where
        return f"row has {counts[2]} fields where the header has {counts[1]} (use --skip-invalid to skip such rows)"
    text = re.sub(r"^(CSV parse error|In CSV column #\d+): ", "", text)
    return f"malformed CSV: {text}"


def _arrow_line(exc: pa.ArrowInvalid, locate: Callable[[int], int | None]) -> int | None:
    found = _ROW.search(str(exc))
    return locate(int(found.group(1)) - 2) if found else None


class _CsvLines:
    """Row index -> line number, found by re-reading only when an error needs it."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._ragged: Iterator[int] | None = None

    def next_ragged(self) -> int | None:
        """The line of the next record whose field count differs from the header's."""
        if self._ragged is None:
            self._ragged = self._ragged_lines()
        return next(self._ragged, None)

    def _ragged_lines(self) -> Iterator[int]:
        with self.source.open() as raw:
            text = io.TextIOWrapper(raw, encoding=self.source.encoding, errors="replace", newline="")
            reader = csv.reader(text, delimiter=self.source.delimiter)
            header = next(reader, [])
            start = reader.line_num + 1
            for record in reader:
                if record and len(record) != len(header):
                    yield start
                start = reader.line_num + 1

    def first_invalid_utf8(self) -> int | None:
        """The line of the first byte that is not UTF-8."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        lines = 1
        with self.source.open() as raw:
            while block := raw.read(1 << 20):
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as exc:
                    return lines + block[: exc.start].count(b"\n")
                lines += block.count(b"\n")
        return None

    def __call__(self, row: int) -> int | None:
        try:
            with self.source.open() as raw:
                text = io.TextIOWrapper(raw, encoding=self.source.encoding, errors="replace", newline="")
                reader = csv.reader(text, delimiter=self.source.delimiter)
                next(reader, None)
                for index, _ in enumerate(reader):
                    if index == row:
                        start = reader.line_num
                        return start
        except (OSError, csv.Error):
            return None
        return None


# -- JSON and NDJSON ---------------------------------------------------------


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


READERS: dict[str, Callable[[Source, ReadSpec, list[Skip]], Iterator[Batch]]] = {
    "csv": read_csv,
    "json": read_json,
    "ndjson": read_ndjson,
}
