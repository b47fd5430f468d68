"""`audit` through the command line: formats, thresholds, windows, the shipped example."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import tagaudit.jsonfast
import tagaudit.readers
from tests.conftest import EXAMPLE_TAXONOMY, ROOT
from tests.reference import engine_view, reference_audit

T = str(EXAMPLE_TAXONOMY)
EXAMPLE = ROOT / "examples" / "tickets.csv"


def example_rows() -> list[dict[str, object]]:
    with open(EXAMPLE, encoding="utf-8", newline="") as handle:
        return [
            {"id": r["Ticket ID"], "created_at": r["Created at"], "agent": r["Agent"], "tags": r["Tags"].split(",")}
            for r in csv.DictReader(handle)
        ]


def test_shipped_example_matches_the_reference(run) -> None:
    result = run("audit", EXAMPLE, "-t", T, "-f", "json", "--by", "agent", "--period", "month")
    assert result.code == 0
    expected = reference_audit(example_rows(), EXAMPLE_TAXONOMY, by="agent", period="month")
    assert engine_view(json.loads(result.out), "agent") == expected


def test_small_blocks_give_the_same_figures(run, monkeypatch, tmp_path: Path) -> None:
    """Chunked reading is exact: 300 blocks or one give identical JSON."""
    args = ("audit", EXAMPLE, "-t", T, "-f", "json", "--by", "agent", "--period", "week")
    whole = run(*args).out
    monkeypatch.setattr(tagaudit.readers, "BLOCK_BYTES", 1 << 10)
    chunked = run(*args).out
    assert chunked == whole
    ndjson = ROOT / "examples" / "tickets.ndjson"
    whole = run("audit", ndjson, "-t", T, "-f", "json").out
    monkeypatch.setattr(tagaudit.jsonfast, "BLOCK_BYTES", 1 << 12)
    assert run("audit", ndjson, "-t", T, "-f", "json").out == whole


def test_text_output_is_complete_about_what_it_leaves_out(run) -> None:
    result = run("audit", EXAMPLE, "-t", T, "--top", "3", "--lang", "en")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "Tag audit: Webbutik kundservice"
    assert lines[1].split() == ["Tickets", "3,000"]
    assert "… 27 more rows not shown (use --top 0 to show all, or --format json)" in lines
    assert run("audit", EXAMPLE, "-t", T, "--top", "0").out.count("… ") == 0


def test_swedish_text_follows_the_taxonomy(run) -> None:
    out = run("audit", EXAMPLE, "-t", T, "--top", "2").out
    lines = out.splitlines()
    assert lines[0] == "Taggrevision: Webbutik kundservice"
    assert lines[1].startswith("Ärenden") and " 3\u202f000 " in lines[1]  # Swedish digit grouping
    assert lines[2].split() == ["Otaggade", "262", "8,7", "%"]  # and decimal comma


def test_thresholds_set_the_exit_code(run) -> None:
    doc = json.loads(run("audit", EXAMPLE, "-t", T, "-f", "json").out)
    rate = doc["tickets"]["untagged_rate"]
    assert rate == round(262 / 3000, 6)
    assert run("audit", EXAMPLE, "-t", T, "--max-untagged", "9%", "-f", "json").code == 0
    assert run("audit", EXAMPLE, "-t", T, "--max-untagged", "0.08", "-f", "json").code == 1
    assert run("audit", EXAMPLE, "-t", T, "--max-unknown", "0.02", "-f", "json").code == 1
    assert run("audit", EXAMPLE, "-t", T, "--max-unknown", "3%", "-f", "json").code == 0


def test_window_filters_every_figure(run, write) -> None:
    path = write(
        "w.csv",
        "id,created,tags\n1,2026-01-31T23:30:00-02:00,Retur\n2,2026-02-01,Fråga\n3,2026-02-28T23:59:59Z,\n4,,Retur\n",
    )
    doc = json.loads(run("audit", path, "-t", T, "-f", "json", "--since", "2026-02-01", "--until", "2026-02-28").out)
    # ticket 1 is 2026-02-01 01:30 UTC; ticket 4 has no date and is outside any window
    assert doc["tickets"]["total"] == 3
    assert doc["tickets"]["untagged"] == 1
    assert {t["name"]: t["tickets"] for t in doc["tags"] if t["tickets"]} == {"Retur": 1, "Fråga": 1}
    assert doc["reading"]["outside_window"] == 1
    assert doc["reading"]["balanced"] is True


def test_csv_output_is_a_row_per_tag_and_formula_safe(run, write) -> None:
    path = write("x.csv", 'id,tags\n1,"=HYPERLINK(""http://x""),Retur"\n2,+1\n3,@SUM(A1)\n')
    out = run("audit", path, "-t", T, "-f", "csv").out
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["tag", "group", "status", "tickets", "share", "replaced_by", "suggestion", "feedback"]
    unknown = {r[0]: r for r in rows if r[2] == "unknown"}
    assert set(unknown) == {'\'=HYPERLINK("http://x")', "'+1", "'@SUM(A1)"}
    retur = next(r for r in rows if r[0] == "Retur")
    assert retur[1:5] == ["Ärendetyp", "active", "1", "0.333333"]


def test_markdown_escapes_user_text(run, write) -> None:
    path = write("x.csv", 'id,tags\n1,"<script>x</script>,[b](http://e),a|b"\n')
    out = run("audit", path, "-t", T, "-f", "markdown").out
    assert "<script>" not in out
    assert "&lt;script&gt;x&lt;/script&gt;" in out
    assert "\\[b\\](http://e)" in out
    assert "a\\|b" in out


def test_terminal_shows_tags_verbatim(run, write) -> None:
    path = write("x.csv", "id,tags\n1,[bold]vip[/bold]\n2,[red]\n")
    out = run("audit", path, "-t", T, "--top", "0").out
    assert "[bold]vip[/bold]" in out
    assert "[red]" in out


def test_output_file_is_written(run, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = run("audit", EXAMPLE, "-t", T, "-f", "json", "-o", target)
    assert (result.code, result.out) == (0, "")
    assert json.loads(target.read_text(encoding="utf-8"))["tickets"]["total"] == 3000
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown"])
def test_every_format_renders(run, fmt: str) -> None:
    result = run("audit", EXAMPLE, "-t", T, "-f", fmt, "--by", "channel", "--period", "week")
    assert result.code == 0 and result.out


def test_dates_centuries_apart_are_labelled_and_kept_apart(run, write) -> None:
    path = write("old.csv", "id,created,tags\n1,1960-05-01,Fel produkt\n2,2026-01-05,Retur\n3,0001-01-01,Retur\n")
    doc = json.loads(run("audit", path, "-t", T, "-f", "json", "--period", "month").out)
    assert [(p["period"], p["tickets"]) for p in doc["periods"]] == [("0001-01", 1), ("1960-05", 1), ("2026-01", 1)]
    assert doc["span"] == {"first": "0001-01-01", "last": "2026-01-05"}
