"""Opening exports: files, `-` for stdin, `.gz`; sniffing format, encoding and CSV delimiter."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from tagaudit.errors import InputError

Kind = Literal["csv", "json", "ndjson"]
SAMPLE_BYTES = 1 << 16
DELIMITERS = (",", ";", "\t", "|")
_EXTENSIONS: dict[str, Kind] = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
}


@dataclass(frozen=True, slots=True)
class Source:
    """One export, sniffed: how to read it from the start."""

    name: str
    path: str
    kind: Kind
    encoding: str
    gzipped: bool
    sample: bytes  # the first bytes, decompressed
    delimiter: str = ","

    def open(self) -> BinaryIO:
        """A fresh binary stream over the (decompressed) content."""
        if self.path == "-":
            return io.BufferedReader(_StdinReplay(self.sample))
        if self.gzipped:
            return gzip.open(self.path, "rb")  # type: ignore[return-value]
        return open(self.path, "rb")


class _StdinReplay(io.RawIOBase):
    """Standard input, with the bytes already sniffed put back in front."""

    def __init__(self, head: bytes) -> None:
        self._head = head
        self._stream = sys.stdin.buffer

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


_stdin_taken = False


def open_source(path: str, *, encoding: str | None = None) -> Source:
    """Sniff one export; InputError when it cannot be read or is not text."""
    global _stdin_taken
    name = "<stdin>" if path == "-" else path
    if path == "-":
        if _stdin_taken:
            raise InputError("standard input can be read only once", file=name)
        _stdin_taken = True
        head = sys.stdin.buffer.read(SAMPLE_BYTES)
        gzipped = head[:2] == b"\x1f\x8b"
        if gzipped:
            raise InputError("gzip on standard input is not supported; pipe it through 'gunzip'", file=name)
    else:
        file = Path(path)
        if file.is_dir():
            raise InputError("is a directory, not an export", file=name)
        try:
            with open(file, "rb") as raw:
                magic = raw.read(2)
                raw.seek(0)
                gzipped = magic == b"\x1f\x8b"
                stream: BinaryIO = gzip.GzipFile(fileobj=raw) if gzipped else raw  # type: ignore[assignment]
                head = stream.read(SAMPLE_BYTES)
        except FileNotFoundError:
            raise InputError("no such file", file=name) from None
        except (OSError, EOFError, zlib.error) as exc:
            reason = "damaged gzip data" if gzipped else getattr(exc, "strerror", None) or str(exc)
            raise InputError(f"cannot read: {reason}", file=name) from None
    if not head.strip():
        raise InputError("the export is empty", file=name)
    chosen = encoding or detect_encoding(head, name)
    _check_codec(chosen, name)
    text = head.decode(chosen, errors="replace")
    if "\x00" in text:
        raise InputError("binary data, not a CSV or JSON export", file=name, line=_line_of(text, "\x00"))
    kind = detect_kind(path, text)
    delimiter = detect_delimiter(text) if kind == "csv" else ","
    return Source(name, path, kind, chosen, gzipped, head, delimiter)


def _check_codec(encoding: str, name: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"unknown encoding '{encoding}'", file=name) from None


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def detect_encoding(head: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) when it decodes; UTF-16 by its BOM; else cp1252 (Excel)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and exc.reason.startswith("unexpected end"):
            return "utf-8"  # the sample cut a character in two
    if b"\x00" in head:
        raise InputError("binary data, not a CSV or JSON export", file=name)
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def detect_kind(path: str, text: str) -> Kind:
    stem = path[:-3] if path.endswith(".gz") else path
    by_extension = _EXTENSIONS.get(Path(stem).suffix.lower())
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start == "[":
        return "json"
    if start == "{":
        lines = [line for line in text.splitlines() if line.strip()]
        first = lines[0].strip() if lines else ""
        if len(lines) > 1 and first.endswith("}") and lines[1].lstrip().startswith("{"):
            return "ndjson"
        return "ndjson" if by_extension == "ndjson" else "json"
    if by_extension in ("json", "ndjson") and start:
        return by_extension
    return "csv"


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (> 1) of fields."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    sample = "".join(lines[:50] if len(lines) > 1 else lines)
    if len(lines) > 50 or not text.endswith(("\n", "\r")):
        sample = "".join(lines[:-1][:50]) or sample
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(io.StringIO(sample), delimiter=delimiter)]
        except csv.Error:
            continue
        if not widths or widths[0] < 2:
            continue
        agree = sum(w == widths[0] for w in widths) / len(widths)
        score = (agree, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best
