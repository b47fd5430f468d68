"""Bad input: exit 2 and one line naming the file (and line), never a traceback."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EXAMPLE_TAXONOMY

T = str(EXAMPLE_TAXONOMY)


def refused(run, *args: object) -> str:
    result = run("audit", *args)
    assert result.code == 2, result.out
    assert result.out == ""
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    return result.err


def test_missing_file(run) -> None:
    assert refused(run, "nope.csv", "-t", T) == "tagaudit: nope.csv: no such file\n"


def test_no_tag_column(run, write) -> None:
    path = write("x.csv", "id,subject\n1,hej\n")
    assert refused(run, path, "-t", T) == (
        f"tagaudit: {path}: no tag column found (columns: id, subject); name it with --map tags=COLUMN\n"
    )


def test_ragged_row_names_its_line(run, write) -> None:
    path = write("x.csv", 'id,tags\n1,Retur\n2,"Retur\nmed radbrytning",extra\n3,Fråga\n')
    assert refused(run, path, "-t", T) == (
        f"tagaudit: {path}:3: row has 3 fields where the header has 2 (use --skip-invalid to skip such rows)\n"
    )


def test_skip_invalid_reports_every_skip_and_balances(run, write) -> None:
    path = write("x.csv", 'id,tags\n1,Retur\n2,"Retur\nx",extra\n3,Fråga\n4,a,b\n')
    doc = json.loads(run("audit", path, "-t", T, "--skip-invalid", "-f", "json").out)
    assert doc["reading"]["skipped"] == [
        {"file": str(path), "line": 3, "reason": "row has 3 fields where the header has 2"},
        {"file": str(path), "line": 6, "reason": "row has 3 fields where the header has 2"},
    ]
    assert (doc["reading"]["rows_read"], doc["tickets"]["total"], doc["reading"]["rows_skipped"]) == (4, 2, 2)
    assert doc["reading"]["balanced"] is True


def test_truncated_json(run, write) -> None:
    path = write("x.json", '[{"id": 1, "tags": ["Retur"]},\n {"id": 2, "tags": ["Retur"')
    assert refused(run, path, "-t", T) == f"tagaudit: {path}:2: malformed JSON: Expecting ',' delimiter (column 28)\n"


def test_bad_ndjson_line(run, write) -> None:
    path = write("x.ndjson", '{"id": 1, "tags": ["Retur"]}\n{"id": 2, "tags": ["Retur"}\n')
    assert refused(run, path, "-t", T) == (
        f"tagaudit: {path}:2: malformed JSON line: Expecting ',' delimiter (column 27)\n"
    )


def test_binary_data(run, write) -> None:
    path = write("x.csv", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00" * 100)
    assert refused(run, path, "-t", T) == f"tagaudit: {path}:1: binary data, not a CSV or JSON export\n"


def test_invalid_utf8_in_the_middle(run, write) -> None:
    body = b"id,tags\n" + b"".join(b"%d,Retur\n" % i for i in range(30000)) + b"30001,Retur \xff\n"
    path = write("x.csv", body)
    assert refused(run, path, "-t", T) == (
        f"tagaudit: {path}:30002: invalid UTF-8 text; if the file is from Excel, try --encoding cp1252\n"
    )


def test_bad_date_cell(run, write) -> None:
    path = write("x.csv", "id,created,tags\n1,2026-01-01,Retur\n2,igår,Retur\n")
    assert refused(run, path, "-t", T) == (
        f"tagaudit: {path}:3: 'igår' is not a date or timestamp (column of 'created'; "
        "choose another with --map created=COLUMN)\n"
    )


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--since", "2026-13-01"], "--since '2026-13-01' is not a date; use YYYY-MM-DD"),
        (["--since", "2026-02-01", "--until", "2026-01-01"], "--since 2026-02-01 is after --until 2026-01-01"),
        (["--period", "year"], "--period takes week or month, not 'year'"),
        (["--map", "tags"], "--map takes FIELD=COLUMN, not 'tags'"),
    ],
)
def test_bad_options(run, write, option: list[str], message: str) -> None:
    path = write("x.csv", "id,tags\n1,Retur\n")
    assert refused(run, path, "-t", T, *option) == f"tagaudit: {message}\n"


def test_unusable_taxonomy(run, write) -> None:
    path = write("x.csv", "id,tags\n1,Retur\n")
    taxonomy = write("t.yaml", "version: 1\ngroups:\n  - name: A\n    tags: [{name: a}, {name: A}]\n")
    assert refused(run, path, "-t", taxonomy) == (
        f"tagaudit: {taxonomy}:4: taxonomy cannot be used: duplicate-tag: tag 'A' duplicates 'a' in group 'A' "
        f"(line 4); exports cannot tell them apart; run 'tagaudit validate {taxonomy}'\n"
    )


def test_empty_export_and_directory(run, write, tmp_path) -> None:
    empty = write("x.csv", "")
    assert refused(run, empty, "-t", T) == f"tagaudit: {empty}: the export is empty\n"
    assert refused(run, tmp_path, "-t", T) == f"tagaudit: {tmp_path}: is a directory, not an export\n"


def test_bad_rate_is_a_usage_error(run, write) -> None:
    path = write("x.csv", "id,tags\n1,Retur\n")
    result = run("audit", path, "-t", T, "--max-untagged", "lots")
    assert result.code == 2
    assert "'lots' is not a rate (0.05 or 5%)" in result.err
