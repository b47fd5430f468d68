"""Ticket creation times -> UTC day numbers, vectorised; --since/--until; period labels."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from tagaudit.errors import UsageError

MISSING = np.iinfo(np.int32).min
MAX_TABLE_DAYS = 36_600  # a century: beyond it, periods are labelled per distinct day
EPOCH = dt.date(1970, 1, 1)
# ISO-like timestamps, optionally with seconds, fraction and a zone: 2026-01-05 14:33, ...T14:33:00.5+01:00
_ISO = (
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$"
)
_DAY = r"^(?P<d>\d{1,2})[./](?P<mo>\d{1,2})[./](?P<y>\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"
_EPOCH = r"^\d{9,13}$"


class DateError(ValueError):
    def __init__(self, row: int, value: str) -> None:
        super().__init__(value)
        self.row = row
        self.value = value


def to_days(values: pa.Array) -> np.ndarray:
    """UTC day numbers (days since 1970-01-01); MISSING for empty cells.

    Raises DateError at the first value that is not a date or timestamp.
    """
    values = pc.utf8_trim_whitespace(values.cast(pa.string()))
    n = len(values)
    days = np.full(n, MISSING, dtype=np.int32)
    empty = pc.fill_null(pc.equal(pc.utf8_length(values), 0), True).to_numpy(zero_copy_only=False)
    if empty.all():
        return days
    try:  # the common case, one C pass: every cell ISO 8601 with a zone
        stamps = pc.cast(values.filter(pa.array(~empty)), pa.timestamp("s", tz="UTC"))
        seconds = stamps.cast(pa.int64()).to_numpy(zero_copy_only=False)
        days[~empty] = np.floor_divide(seconds, 86400).astype(np.int32)
        return days
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    iso = pc.extract_regex(values, _ISO)
    ok = pc.fill_null(pc.invert(pc.is_null(iso)), False).to_numpy(zero_copy_only=False) & ~empty
    if ok.any():
        days[ok] = _iso_days(iso.filter(pa.array(ok)), values.filter(pa.array(ok)), np.flatnonzero(ok))
    rest = ~ok & ~empty
    if rest.any():
        days[rest] = _other_days(values.filter(pa.array(rest)), np.flatnonzero(rest))
    return days


def _iso_days(parts: pa.StructArray, texts: pa.Array, rows: np.ndarray) -> np.ndarray:
    try:
        date = pc.cast(parts.field("date"), pa.date32()).cast(pa.int32()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:  # shaped like a date but not one (2026-91-01): find which
        for i, text in enumerate(parts.field("date").to_pylist()):
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                raise DateError(int(rows[i]), texts[i].as_py()) from None
        raise
    seconds = date.astype(np.int64) * 86400

    def number(name: str, limit: int) -> np.ndarray:
        column = parts.field(name)
        filled = pc.if_else(pc.equal(column, ""), "0", column)
        values = pc.cast(filled, pa.int64()).to_numpy(zero_copy_only=False)
        wrong = np.flatnonzero(values >= limit)
        if len(wrong):
            raise DateError(int(rows[wrong[0]]), texts[int(wrong[0])].as_py())
        return values

    seconds += number("h", 24) * 3600 + number("m", 60) * 60 + number("s", 61)
    zone = parts.field("zone").to_pylist()
    offsets = {z: _offset_seconds(z) for z in set(zone)}
    seconds -= np.array([offsets[z] for z in zone], dtype=np.int64)
    return np.floor_divide(seconds, 86400).astype(np.int32)


def _offset_seconds(zone: str) -> int:
    if zone in ("", "Z", "UTC", "GMT"):
        return 0
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return sign * (hours * 3600 + minutes * 60)


def _other_days(values: pa.Array, rows: np.ndarray) -> np.ndarray:
    """Day-first dates (31.12.2026, 31/12/2026) and Unix epoch seconds or milliseconds."""
    out = np.empty(len(values), dtype=np.int32)
    for i, text in enumerate(values.to_pylist()):
        try:
            out[i] = _one_day(text)
        except ValueError:
            raise DateError(int(rows[i]), text) from None
    return out


def _one_day(text: str) -> int:
    import re

    if re.match(_EPOCH, text):
        stamp = int(text) / (1000 if len(text) > 11 else 1)
        return int(stamp // 86400)
    found = re.match(_DAY, text)
    if found:
        day = dt.date(int(found["y"]), int(found["mo"]), int(found["d"]))
        return (day - EPOCH).days
    raise ValueError(text)


def parse_day(text: str, option: str) -> int:
    """A --since/--until value: YYYY-MM-DD (inclusive day)."""
    try:
        return (dt.date.fromisoformat(text.strip()) - EPOCH).days
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date; use YYYY-MM-DD") from None


def day_text(day: int) -> str:
    return (EPOCH + dt.timedelta(days=int(day))).isoformat()


def period_label(day: int, period: str) -> str:
    date = EPOCH + dt.timedelta(days=int(day))
    if period == "week":
        year, week, _ = date.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return f"{date.year:04d}-{date.month:02d}"


def period_codes(days: np.ndarray, period: str) -> tuple[np.ndarray, list[str]]:
    """Codes per ticket into a sorted list of period labels; tickets without a date get -1.

    Days span a small range, so a lookup table over it maps every ticket in one
    gather (no sort, no int64 temporaries the size of the input).
    """
    known = days != MISSING
    codes = np.full(len(days), -1, dtype=np.int32)
    if not known.any():
        return codes, []
    first, last = int(days[known].min()), int(days[known].max())
    if last - first > MAX_TABLE_DAYS:  # a stray date centuries away: label only the days present
        present, inverse = np.unique(days[known], return_inverse=True)
        labels_per_day = [period_label(int(day), period) for day in present]
        labels = sorted(set(labels_per_day))
        position = {label: i for i, label in enumerate(labels)}
        codes[known] = np.array([position[label] for label in labels_per_day], dtype=np.int32)[inverse]
        return codes, labels
    labels_per_day = [period_label(day, period) for day in range(first, last + 1)]
    labels = sorted(set(labels_per_day))
    position = {label: i for i, label in enumerate(labels)}
    table = np.array([position[label] for label in labels_per_day], dtype=np.int32)
    codes[known] = table[days[known] - first]
    return codes, labels


def period_range(label: str) -> tuple[int, int]:
    """First and last day of a period label (2026-11 or 2026-W05)."""
    if "-W" in label:
        iso_year, iso_week = label.split("-W")
        monday = dt.date.fromisocalendar(int(iso_year), int(iso_week), 1)
        first = (monday - EPOCH).days
        return first, first + 6
    year, month = (int(part) for part in label.split("-"))
    start = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (start - EPOCH).days, (following - EPOCH).days - 1
