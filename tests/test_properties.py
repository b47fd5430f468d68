"""Properties: the tag-cell splitter, every reader agreeing with every other, the loader never crashing."""

from __future__ import annotations

import csv
import gzip
import json
import string
from pathlib import Path

import pyarrow as pa
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tagaudit.loader import parse_taxonomy
from tagaudit.tagcells import split_cells
from tagaudit.validate import lint_taxonomy
from tests.conftest import EXAMPLE_TAXONOMY

# tag text: letters (Swedish too), digits, spaces, quotes, brackets, punctuation; never a separator or line break
TAG_CHARS = string.ascii_letters + string.digits + " åäöÅÄÖé_-&\"'[]{}()<>!?.:=+@#"
tag_text = st.text(TAG_CHARS, min_size=0, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(tag_text, max_size=6), st.sampled_from([",", ";", "|"]))
def test_splitter_returns_the_tags_joined(tags: list[str], sep: str) -> None:
    cells = pa.array([sep.join(tags), None, ""])
    pieces = split_cells(cells, sep)
    found = list(zip(pieces.text.to_pylist(), pieces.rows.tolist(), strict=True))
    assert [p.strip() for p, row in found if row == 0 and p.strip()] == [t.strip() for t in tags if t.strip()]
    assert all(not p.strip() for p, row in found if row != 0)  # the empty and missing cells hold no tag


ticket = st.fixed_dictionaries(
    {
        "tags": st.lists(
            st.one_of(tag_text, st.sampled_from(["Retur", "fel vara", "FEL_PRODUKT", "Skadat paket"])), max_size=4
        ),
        "day": st.integers(1, 28),
        "agent": st.sampled_from(["Anna", "Örjan", "", 'Sam "S"']),
    }
)


def write_formats(tmp: Path, tickets: list[dict]) -> dict[str, Path]:
    rows = [
        {"id": i + 1, "created": f"2026-03-{t['day']:02d}T10:00:00Z", "agent": t["agent"], "tags": t["tags"]}
        for i, t in enumerate(tickets)
    ]
    files: dict[str, Path] = {}

    def delimited(name: str, delimiter: str, sep: str, encoding: str = "utf-8") -> None:
        path = tmp / name
        with open(path, "w", encoding=encoding, newline="") as out:
            writer = csv.writer(out, delimiter=delimiter)
            writer.writerow(["Ticket ID", "Created at", "Agent", "Tags"])
            for r in rows:
                writer.writerow([r["id"], r["created"], r["agent"], sep.join(r["tags"])])
        files[name] = path

    delimited("comma.csv", ",", "|")
    delimited("semicolon.csv", ";", ",")
    delimited("tab.tsv", "\t", ";")
    delimited("pipe.csv", "|", ",")
    (tmp / "array.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    files["array.json"] = tmp / "array.json"
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    (tmp / "lines.ndjson").write_text(lines, encoding="utf-8")
    files["lines.ndjson"] = tmp / "lines.ndjson"
    objects = [{**r, "tags": [{"tag": t} for t in r["tags"]]} for r in rows]
    (tmp / "objects.json").write_text(json.dumps({"tickets": objects}, ensure_ascii=False), encoding="utf-8")
    files["objects.json"] = tmp / "objects.json"
    (tmp / "lines.ndjson.gz").write_bytes(gzip.compress(lines.encode()))
    files["lines.ndjson.gz"] = tmp / "lines.ndjson.gz"
    return files


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ticket, min_size=1, max_size=30))
def test_every_reader_gives_the_same_figures(run, tmp_path_factory, tickets: list[dict]) -> None:
    tmp = tmp_path_factory.mktemp("formats")
    results = {}
    for name, path in write_formats(tmp, tickets).items():
        result = run("audit", path, "-t", EXAMPLE_TAXONOMY, "-f", "json", "--by", "agent", "--period", "week")
        assert result.code == 0, (name, result.err)
        doc = json.loads(result.out)
        doc.pop("sources")
        results[name] = doc
    first = results.pop("comma.csv")
    for name, doc in results.items():
        assert doc == first, name
    assert first["reading"]["balanced"] is True
    assert first["tickets"]["total"] == len(tickets)


yaml_scalar = st.one_of(st.text(max_size=10), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
keys = st.sampled_from(
    [
        "version",
        "name",
        "groups",
        "tags",
        "aliases",
        "feedback",
        "departments",
        "settings",
        "deprecated",
        "replaced_by",
        "required",
        "exclusive",
        "ignore",
        "max_tags_per_group",
        "x",
    ]
)
yaml_value = st.recursive(
    yaml_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.one_of(keys, st.text(max_size=5)), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(yaml_value)
def test_loader_turns_any_yaml_into_findings(value: object) -> None:
    text = yaml.safe_dump(value, allow_unicode=True)
    result = parse_taxonomy(text, "fuzz.yaml")
    findings = list(result.findings)
    if result.taxonomy is not None:
        findings += lint_taxonomy(result.taxonomy)
    assert all(f.pos.line >= 1 and f.pos.column >= 1 for f in findings)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_loader_survives_any_text(text: str) -> None:
    result = parse_taxonomy(text, "fuzz.yaml")
    if result.taxonomy is not None:
        lint_taxonomy(result.taxonomy)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_any_bytes_as_an_export_end_in_a_result_or_one_line(run, tmp_path_factory, data: bytes) -> None:
    tmp = tmp_path_factory.mktemp("bytes")
    for name in ("x.csv", "x.json", "x.ndjson"):
        path = tmp / name
        path.write_bytes(data)
        result = run("audit", path, "-t", EXAMPLE_TAXONOMY, "-f", "json")
        assert result.code in (0, 2), result.err
        if result.code == 2:
            assert result.err.startswith("tagaudit: ") and result.err.count("\n") == 1
