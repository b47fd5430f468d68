"""The fast path for large JSON and NDJSON: pyarrow's JSON reader, block by block.

A JSON array is turned into a stream of whitespace-separated objects on the
fly (its top-level commas and brackets blanked out, found with numpy over the
bytes, strings and escapes respected), so arrays and NDJSON take the same road.
Anything the fast path cannot take (mixed value types, malformed JSON, wrapper
objects) raises FastPathUnsupported *before* any figure is final, and the
caller reads the source again with the exact standard-library reader.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from tagaudit.columns import ColumnMap, resolve_columns
from tagaudit.jsonread import flatten_keys
from tagaudit.readers import Batch, ReadSpec, Skip, arrow_batches, field_columns
from tagaudit.sources import Source
from tagaudit.tagcells import OBJECT_KEYS

BLOCK_BYTES = 8 << 20
LINE_BLOCK_BYTES = 16 << 20  # parsed in 1 MiB pieces by pyarrow's threads
SAMPLE_RECORDS = 1000

_QUOTE, _COMMA, _NEWLINE, _SPACE = ord('"'), ord(","), ord("\n"), ord(" ")
_OPEN_BRACKET, _CLOSE_BRACKET, _RETURN = ord("["), ord("]"), ord("\r")
_OPEN = np.zeros(256, dtype=np.int8)
_OPEN[[ord("{"), ord("[")]] = 1
_OPEN[[ord("}"), ord("]")]] = -1
_STRUCTURAL = np.zeros(256, dtype=bool)
_STRUCTURAL[[ord(c) for c in ",[]{}"]] = True


class FastPathUnsupported(Exception):
    """The source needs the standard-library reader."""


class ArrayAsLines(io.RawIOBase):
    """A JSON array's bytes with its outer brackets and element commas blanked (state kept across blocks).

    Escapes are taken out of the way with two C-speed replaces (`\\\\` then `\\"`),
    after which every `"` left is a real quote; numpy then looks only at quotes
    and structural bytes, not at every byte.
    """

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._in_string = 0
        self._depth = 0
        self._held = b""  # trailing backslashes kept for the next block
        self._pending = b""

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._stream.close()
        super().close()

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            block = self._stream.read(max(len(buffer), 1 << 20))
            if not block:
                if not self._held:
                    return 0
                block, self._held = self._held, b""
                self._pending = self._transform(block)
                continue
            block = self._held + block
            cut = len(block.rstrip(b"\\"))
            # an escape may go on in the next block: keep trailing backslashes for it
            block, self._held = block[:cut], block[cut:]
            if block:
                self._pending = self._transform(block)
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _transform(self, block: bytes) -> bytes:
        plain = block.replace(b"\\\\", b"\x01\x01").replace(b'\\"', b"\x01\x01")
        data = np.frombuffer(plain, dtype=np.uint8)
        quotes = np.flatnonzero(data == _QUOTE)
        marks = np.flatnonzero(_STRUCTURAL[data])
        inside = (np.searchsorted(quotes, marks) + self._in_string) % 2 == 1
        marks = marks[~inside]
        delta = _OPEN[data[marks]].astype(np.int64)
        depth = np.cumsum(delta) + self._depth  # depth after each mark
        kind = data[marks]
        out = np.frombuffer(block, dtype=np.uint8).copy()
        out[marks[(kind == _COMMA) & (depth == 1)]] = _NEWLINE
        outer = ((kind == _OPEN_BRACKET) & (depth == 1)) | ((kind == _CLOSE_BRACKET) & (depth == 0))
        out[marks[outer]] = _SPACE
        self._in_string = (self._in_string + len(quotes)) % 2
        if len(depth):
            self._depth = int(depth[-1])
        return out.tobytes()


def line_array_blocks(stream: BinaryIO) -> Iterator[pa.Buffer]:
    """A JSON array written one element per line, as blocks of whitespace-separated objects.

    JSON strings cannot hold a raw line break, so when every element sits on a
    line of its own, a comma beside a line break is always a separator: numpy
    finds the line breaks and blanks the commas next to them, in place. Each
    block ends before its last line, which waits for the next block (it may be
    the closing bracket). If a later element spans lines after all, pyarrow
    fails and the exact reader takes over.
    """
    carry = bytearray()
    started = False
    while True:
        block = stream.read(LINE_BLOCK_BYTES)
        data = carry
        data += block
        if not block:
            end = _last_content(data)
            if end >= 0 and data[end] == _CLOSE_BRACKET:
                data[end] = _SPACE
            cut = len(data)
        else:
            end = _last_content(data)
            cut = data.rfind(b"\n", 0, end + 1) if end >= 0 else -1
            if cut <= 0:
                carry = data
                continue
        if not started:
            first = len(data) - len(data.lstrip(b"\xef\xbb\xbf \t\r\n")) if cut else 0
            if first < cut and data[first] == _OPEN_BRACKET:
                data[first] = _SPACE
                started = True
        array = np.frombuffer(data, dtype=np.uint8)  # the carried part too: its break may own our comma
        breaks = np.flatnonzero(array == _NEWLINE)
        before = breaks[breaks > 1] - 1
        before -= array[before] == _RETURN  # ",\r\n": the comma sits before the carriage return
        after = breaks[breaks < len(array) - 1] + 1
        for side in (before, after):
            array[side[array[side] == _COMMA]] = _SPACE
        del array
        carry = data[cut:]
        if _last_content(data, cut) >= 0:
            yield pa.py_buffer(memoryview(data)[:cut])
        if not block:
            return


def _last_content(data: bytearray, size: int | None = None) -> int:
    """Index of the last byte (of the first `size`) that is not white space, -1 when none."""
    end = (len(data) if size is None else size) - 1
    while end >= 0 and data[end] in b" \t\r\n":
        end -= 1
    return end


def _one_per_line(source: Source) -> bool:
    """Whether the sample shows an array with every element on a line of its own."""
    lines = source.sample.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n").splitlines()[:-1]
    body = [line.strip().strip(",").strip() for line in lines]
    body = [line.lstrip("[").rstrip("]").strip() for line in body]
    body = [line for line in body if line]
    if not body:
        return False
    for line in body:
        try:
            if not isinstance(json.loads(line), dict):
                return False
        except (ValueError, RecursionError):
            return False
    return True


def _sample_records(source: Source) -> list[dict[str, Any]]:
    text = source.sample.decode("utf-8", errors="ignore").lstrip("\ufeff")
    records: list[dict[str, Any]] = []
    if source.kind == "ndjson":
        for line in text.splitlines()[:-1] or text.splitlines():
            try:
                value = json.loads(line)
            except (ValueError, RecursionError):
                continue
            if isinstance(value, dict):
                records.append(value)
    else:
        decoder = json.JSONDecoder()
        position = text.index("[") + 1
        while len(records) < SAMPLE_RECORDS:
            while position < len(text) and text[position] in " \t\r\n,":
                position += 1
            try:
                value, position = decoder.raw_decode(text, position)
            except (ValueError, RecursionError):
                break
            if not isinstance(value, dict):
                raise FastPathUnsupported
            records.append(value)
    if not records:
        raise FastPathUnsupported
    return records[:SAMPLE_RECORDS]


def _type_of(values: list[Any]) -> pa.DataType:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return pa.bool_()
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pa.int64()
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return pa.float64()
    if all(isinstance(v, str) for v in present):
        return pa.string()
    raise FastPathUnsupported


def _tag_type(values: list[Any]) -> pa.DataType:
    present = [v for v in values if v is not None]
    if all(isinstance(v, str) for v in present):
        return pa.string()
    if all(isinstance(v, list) for v in present):
        items = [item for v in present for item in v]
        if all(isinstance(i, str) for i in items):
            return pa.list_(pa.string())
        if all(isinstance(i, dict) for i in items):
            key = next((k for k in OBJECT_KEYS if any(k in i for i in items)), None)
            if key is not None and all(isinstance(i.get(key), str) for i in items):
                return pa.list_(pa.struct([(key, pa.string())]))
    raise FastPathUnsupported


def _schema(records: list[dict[str, Any]], columns: ColumnMap, fields: dict[str, str]) -> pa.Schema:
    """An explicit schema with just the paths read, typed from the sample."""
    tree: dict[str, Any] = {}

    def place(path: str, kind: pa.DataType) -> None:
        parts = path.split(".")
        node = tree
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise FastPathUnsupported
            node = child
        node[parts[-1]] = kind

    def values(path: str) -> list[Any]:
        out = []
        for record in records:
            value: Any = record
            for part in path.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            out.append(value)
        return out

    for path in columns.tag_columns:
        place(path, _tag_type(values(path)))
    for path in set(fields.values()) - set(columns.tag_columns):
        place(path, _type_of(values(path)))

    def build(node: dict[str, Any]) -> list[pa.Field]:
        return [pa.field(k, pa.struct(build(v)) if isinstance(v, dict) else v) for k, v in node.items()]

    return pa.schema(build(tree))


def _column(table: pa.RecordBatch, path: str) -> pa.Array:
    parts = path.split(".")
    array = table.column(parts[0])
    for part in parts[1:]:
        array = pc.struct_field(array, part)
    return array


def read_fast(source: Source, spec: ReadSpec, skips: list[Skip]) -> Iterator[Batch]:
    if source.path == "-" or source.encoding not in ("utf-8", "utf8"):
        raise FastPathUnsupported
    if source.kind == "json" and not source.sample.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        raise FastPathUnsupported  # a wrapper object: the standard-library reader finds the list
    records = _sample_records(source)
    if any(len(r) == 1 and isinstance(next(iter(r.values())), dict) for r in records[:1]):
        raise FastPathUnsupported  # Freshdesk v1 wraps each ticket
    headers = list(dict.fromkeys(k for r in records for k in flatten_keys(r)))
    columns = resolve_columns(headers, preset=spec.preset, overrides=spec.overrides, source=source.name)
    fields = field_columns(columns, spec, headers, source.name)
    schema = _schema(records, columns, fields)
    options = pajson.ParseOptions(
        explicit_schema=schema, unexpected_field_behavior="ignore", newlines_in_values=source.kind == "json"
    )
    read_options = pajson.ReadOptions(block_size=BLOCK_BYTES)
    try:
        if source.kind == "ndjson":
            with pa.input_stream(source.path, compression="gzip" if source.gzipped else None) as stream:
                yield from _batches(pajson.open_json(stream, read_options, options), source, spec, columns, fields)
        elif _one_per_line(source):
            with source.open() as raw:
                tables = (
                    batch
                    for block in line_array_blocks(raw)
                    for batch in pajson.read_json(
                        pa.BufferReader(block), pajson.ReadOptions(block_size=1 << 20), _without_newlines(options)
                    ).to_batches()
                )
                yield from _batches(tables, source, spec, columns, fields)
        else:
            with io.BufferedReader(ArrayAsLines(source.open()), buffer_size=BLOCK_BYTES) as stream:
                yield from _batches(pajson.open_json(stream, read_options, options), source, spec, columns, fields)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError) as exc:
        raise FastPathUnsupported from exc


def _without_newlines(options: pajson.ParseOptions) -> pajson.ParseOptions:
    return pajson.ParseOptions(
        explicit_schema=options.explicit_schema, unexpected_field_behavior="ignore", newlines_in_values=False
    )


def _batches(
    tables: Iterable[pa.RecordBatch], source: Source, spec: ReadSpec, columns: ColumnMap, fields: dict[str, str]
) -> Iterator[Batch]:
    return arrow_batches(tables, source.name, spec, columns, fields, _column, lambda row: None)
