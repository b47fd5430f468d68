"""Every figure of `audit` equals a naive reference, on exports in many formats and layouts."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import EXAMPLE_TAXONOMY, ROOT
from tests.reference import engine_view, reference_audit

ROWS = 2500


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_tickets", ROOT / "benchmarks" / "gen_tickets.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _generator()


def params(fmt: str = "csv", rows: int = ROWS, seed: int = 11) -> dict[str, Any]:
    return {"rows": rows, "format": fmt, "untagged": 0.08, "seed": seed}


def tickets(seed: int = 11) -> list[dict[str, Any]]:
    return list(GEN.rows(params(seed=seed)))


def generated(fmt: str, path: Path) -> Path:
    encoding = "cp1252" if fmt == "csv-sv" else "utf-8"
    with open(path, "w", encoding=encoding, newline="") as out:
        GEN.write(params(fmt), out)
    return path


def audit_json(run, *args: object) -> dict[str, Any]:
    result = run("audit", *args, "-t", EXAMPLE_TAXONOMY, "--format", "json", "--by", "agent", "--period", "month")
    assert result.code == 0, result.err
    return json.loads(result.out)


def expected(rows: list[dict[str, Any]] | None = None, zendesk: bool = False) -> dict[str, Any]:
    rows = rows if rows is not None else tickets()
    if zendesk:
        rows = [{**r, "tags": [t.strip().lower().replace(" ", "_") for t in r["tags"]]} for r in rows]
    return reference_audit(rows, EXAMPLE_TAXONOMY, by="agent", period="month")


@pytest.mark.parametrize("fmt", ["csv", "csv-sv", "ndjson", "json", "zendesk-csv"])
def test_generator_formats_match_the_reference(run, tmp_path: Path, fmt: str) -> None:
    path = generated(fmt, tmp_path / f"export.{fmt.split('-', maxsplit=1)[0]}")
    args: list[object] = [path] + (["--preset", "zendesk"] if fmt == "zendesk-csv" else [])
    view = engine_view(audit_json(run, *args), "agent")
    assert view == expected(zendesk=fmt == "zendesk-csv")


def test_tab_separated_with_pipe_tags(run, tmp_path: Path) -> None:
    path = tmp_path / "export.tsv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t")
        writer.writerow(["Ticket ID", "Created at", "Agent", "Tags"])
        for r in tickets():
            writer.writerow([r["id"], r["created_at"], r["agent"], "|".join(r["tags"])])
    assert engine_view(audit_json(run, path), "agent") == expected()


def test_numbered_tag_columns(run, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    rows = tickets()
    width = max(len(r["tags"]) for r in rows)
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "created", "agent", *[f"tag_{i + 1}" for i in range(width)]])
        for r in rows:
            writer.writerow([r["id"], r["created_at"], r["agent"], *r["tags"], *[""] * (width - len(r["tags"]))])
    assert engine_view(audit_json(run, path), "agent") == expected()


def test_helpscout_style_objects_and_nested_fields(run, tmp_path: Path) -> None:
    path = tmp_path / "conversations.json"
    document = {
        "_embedded": {
            "conversations": [
                {
                    "id": r["id"],
                    "createdAt": r["created_at"],
                    "assignee": {"first": "x", "name": r["agent"]},
                    "tags": [{"id": i, "tag": t} for i, t in enumerate(r["tags"])],
                }
                for r in tickets()
            ]
        }
    }
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert engine_view(audit_json(run, path), "agent") == expected()


def test_zendesk_api_wrapper_gzipped(run, tmp_path: Path) -> None:
    path = tmp_path / "tickets.json.gz"
    document = {
        "tickets": [
            {
                "id": r["id"],
                "created_at": r["created_at"],
                "via": {"channel": r["channel"]},
                "assignee": r["agent"],
                "tags": r["tags"],
            }
            for r in tickets()
        ],
        "count": ROWS,
    }
    path.write_bytes(gzip.compress(json.dumps(document).encode()))
    assert engine_view(audit_json(run, path, "--preset", "zendesk"), "agent") == expected()


def test_gzipped_csv_and_stdin_ndjson(run, tmp_path: Path, monkeypatch) -> None:
    plain = generated("csv", tmp_path / "export.csv")
    packed = tmp_path / "export.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert engine_view(audit_json(run, packed), "agent") == expected()
    ndjson = generated("ndjson", tmp_path / "export.ndjson")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ndjson.read_bytes())))
    monkeypatch.setattr("tagaudit.sources._stdin_taken", False)
    assert engine_view(audit_json(run, "-"), "agent") == expected()


def test_overlapping_exports_are_merged_by_id(run, tmp_path: Path) -> None:
    rows = tickets()
    first, second = tmp_path / "a.ndjson", tmp_path / "b.ndjson"
    # the second export repeats the last 500 tickets of the first, with one more tag each
    overlap = rows[-500:]
    extra = [{**r, "tags": [*r["tags"], "Kläder"]} for r in overlap]
    first.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    second.write_text("".join(json.dumps(r) + "\n" for r in extra), encoding="utf-8")
    doc = audit_json(run, first, second)
    united = rows[:-500] + extra
    assert engine_view(doc, "agent") == expected(united)
    assert doc["reading"]["rows_read"] == ROWS + 500
    assert doc["reading"]["rows_merged"] == 500
    assert doc["reading"]["balanced"] is True
