"""CSV exports through pyarrow's streaming reader: block by block, bounded memory, every row counted.

Lines are found only when an error needs one, by re-reading the file.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from tagaudit.columns import resolve_columns
from tagaudit.errors import InputError
from tagaudit.readers import Batch, BlockTooSmall, ReadSpec, Skip, arrow_batches, field_columns
from tagaudit.sources import Source


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
            yield from arrow_batches(
                reader,
                source.name,
                spec,
                columns,
                fields,
                lambda table, name: table.column(name),
                locate,
                before_each=lambda: _flush_skips(bad_rows, source, skips, spec),
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
