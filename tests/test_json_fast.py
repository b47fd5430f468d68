"""The pyarrow fast path for JSON and NDJSON, and its hand-over to the exact reader."""

from __future__ import annotations

import io
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tagaudit.jsonfast import ArrayAsLines
from tests.conftest import EXAMPLE_TAXONOMY

T = str(EXAMPLE_TAXONOMY)


class Trickle:
    """A stream that hands out a few bytes at a time, so escapes and strings straddle blocks."""

    def __init__(self, data: bytes, size: int) -> None:
        self._data = io.BytesIO(data)
        self._size = size

    def read(self, _n: int) -> bytes:
        return self._data.read(self._size)

    def close(self) -> None:
        pass


def objects(text: str) -> list[object]:
    decoder, position, out = json.JSONDecoder(), 0, []
    while True:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if position >= len(text):
            return out
        value, position = decoder.raw_decode(text, position)
        out.append(value)


json_text = st.text(st.sampled_from(['"', "\\", ",", "[", "]", "{", "}", "a", "é", " ", "\n"]), max_size=12)
records = st.lists(
    st.fixed_dictionaries({"id": st.integers(0, 10**6), "tags": st.lists(json_text, max_size=3), "s": json_text}),
    max_size=20,
)


@settings(max_examples=200, deadline=None)
@given(records, st.sampled_from([None, 2]), st.integers(1, 64))
def test_array_becomes_whitespace_separated_objects(rows: list[dict[str, object]], indent, size: int) -> None:
    data = json.dumps(rows, indent=indent, ensure_ascii=False).encode()
    out = io.BufferedReader(ArrayAsLines(Trickle(data, size))).read()  # type: ignore[arg-type]
    assert len(out) == len(data)
    assert objects(out.decode()) == rows


def write_lines(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_mixed_id_types_fall_back_to_the_exact_reader(run, tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [{"id": i, "tags": ["Retur"]} for i in range(3000)]
    rows += [{"id": f"x{i}", "tags": ["Fråga", "Retur"]} for i in range(500)]
    rows.append({"id": 5, "tags": ["Kläder"]})  # the same ticket as id 5 above
    path = write_lines(tmp_path / "mixed.ndjson", rows)
    doc = json.loads(run("audit", path, "-t", T, "-f", "json").out)
    tags = {t["name"]: t["tickets"] for t in doc["tags"]}
    assert (tags["Retur"], tags["Fråga"], tags["Kläder"]) == (3500, 500, 1)
    assert (doc["reading"]["rows_read"], doc["tickets"]["total"], doc["reading"]["rows_merged"]) == (3501, 3500, 1)


def test_malformed_line_far_in_is_located_exactly(run, tmp_path: Path) -> None:
    path = write_lines(tmp_path / "x.ndjson", [{"id": i, "tags": ["Retur"]} for i in range(5000)])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write('{"id": 5001, "tags": ["Retur"]\n')
    result = run("audit", path, "-t", T)
    assert (result.code, result.err) == (
        2,
        f"tagaudit: {path}:5001: malformed JSON line: Expecting ',' delimiter (column 31)\n",
    )


def test_large_array_and_ndjson_agree(run, tmp_path: Path) -> None:
    rows = [
        {
            "id": i,
            "created_at": f"2026-03-0{1 + i % 9}T10:00:00Z",
            "agent": 'A\\"B,[x]' if i % 3 else "C",
            "tags": ["Retur", "Fel produkt"] if i % 2 else ["fel vara"],
        }
        for i in range(4000)
    ]
    array = tmp_path / "x.json"
    array.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    lines = write_lines(tmp_path / "x.ndjson", rows)
    a = json.loads(run("audit", array, "-t", T, "-f", "json", "--by", "agent").out)
    b = json.loads(run("audit", lines, "-t", T, "-f", "json", "--by", "agent").out)
    for doc in (a, b):
        doc.pop("sources")
    assert a == b
    assert {r["value"]: r["tickets"] for r in a["by"]["agent"]} == {'A\\"B,[x]': 2666, "C": 1334}


@settings(max_examples=100, deadline=None)
@given(records, st.sampled_from(["\n,", ",\n", ",\r\n"]), st.integers(1, 300))
def test_line_array_blocks_keep_every_object(rows, separator: str, block: int) -> None:
    import tagaudit.jsonfast as fast

    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    data = ("[\n" + separator.join(lines) + "\n]\n").encode()
    original = fast.LINE_BLOCK_BYTES
    fast.LINE_BLOCK_BYTES = block
    try:
        out = b"".join(bytes(b) + b"\n" for b in fast.line_array_blocks(io.BytesIO(data)))
    finally:
        fast.LINE_BLOCK_BYTES = original
    assert objects(out.decode()) == rows


def test_array_that_breaks_its_one_line_layout_later(run, tmp_path: Path) -> None:
    rows = [{"id": i, "tags": ["Retur"]} for i in range(3000)]
    text = "[\n" + ",\n".join(json.dumps(r) for r in rows) + ',\n{"id": 9999,\n "tags": ["Fråga"]}\n]\n'
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    doc = json.loads(run("audit", path, "-t", T, "-f", "json").out)
    tags = {t["name"]: t["tickets"] for t in doc["tags"]}
    assert (doc["tickets"]["total"], tags["Retur"], tags["Fråga"]) == (3001, 3000, 1)
