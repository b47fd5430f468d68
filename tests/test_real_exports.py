"""Real third-party files from ../shared/data/real read correctly (BOM, mixed line endings, API shapes)."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import REAL

pytestmark = pytest.mark.skipif(not REAL.exists(), reason="shared/data/real is not beside the project")

BITEXT_21K = REAL / "bitext-21k-flags" / "TrainingdatasetBitextsample.csv"
BITEXT_LLM = REAL / "bitext-llm-tags" / "Bitext_Sample_Customer_Support_Training_Dataset.csv"


def bitext_taxonomy(tmp_path: Path, source: Path) -> Path:
    """Categories as groups, intents as their tags: a taxonomy the project has never seen."""
    with open(source, encoding="utf-8-sig", newline="") as handle:
        pairs = sorted({(row["category"], row["intent"]) for row in csv.DictReader(handle)})
    lines = ["version: 1", "name: Bitext", "settings: {max_tags_per_group: 50}", "groups:"]
    for category in sorted({c for c, _ in pairs}):
        lines.append(f"  - name: {category}\n    tags:")
        lines += [f"      - name: {intent}" for c, intent in pairs if c == category]
    path = tmp_path / "bitext.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("source", [BITEXT_21K, BITEXT_LLM], ids=["21k-bom", "llm-mixed-endings"])
def test_bitext_intents_equal_pandas_value_counts(run, tmp_path: Path, source: Path) -> None:
    pandas = pytest.importorskip("pandas")
    frame = pandas.read_csv(source, encoding="utf-8-sig")
    taxonomy = bitext_taxonomy(tmp_path, source)
    result = run("audit", source, "-t", taxonomy, "--map", "tags=intent", "--format", "json", "--by", "category")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["tickets"]["total"] == len(frame)
    assert doc["reading"]["rows_read"] == len(frame)
    assert {t["name"]: t["tickets"] for t in doc["tags"]} == frame["intent"].value_counts().to_dict()
    assert {g["name"]: g["tickets"] for g in doc["groups"]} == frame["category"].value_counts().to_dict()
    assert {b["value"]: b["tickets"] for b in doc["by"]["category"]} == frame["category"].value_counts().to_dict()
    assert doc["tickets"]["untagged"] == 0
    assert [f for f in doc["findings"] if f["kind"] == "unknown-tag"] == []


def test_bitext_intents_audited_against_the_other_file(run, tmp_path: Path) -> None:
    """The LLM file's intents against the 21k file's taxonomy: one intent is spelt differently."""
    taxonomy = bitext_taxonomy(tmp_path, BITEXT_21K)
    result = run("audit", BITEXT_LLM, "-t", taxonomy, "--map", "tags=intent", "--format", "json")
    doc = json.loads(result.out)
    assert doc["tickets"]["total"] == 4514
    assert doc["tickets"]["unclassified"] == 194
    unknown = [f for f in doc["findings"] if f["kind"] == "unknown-tag"]
    assert unknown == [
        {
            "kind": "unknown-tag",
            "tag": "check_invoice",
            "tickets": 194,
            "suggestion": "check_invoices",
            "spellings": ["check_invoice"],
        }
    ]


@pytest.mark.parametrize(
    ("path", "preset", "rows", "tickets", "tags"),
    [
        ("zendesk-gozendesk-fixtures/GET_tickets.json", "zendesk", 2, 2, {}),
        ("zendesk-gozendesk-fixtures/GET_ticket.json", "zendesk", 1, 1, {}),
        ("freshdesk-python-freshdesk/v2_ticket_1.json", "freshdesk", 1, 1, {"foo": 1, "bar": 1}),
        ("freshdesk-python-freshdesk/v2_all_tickets.json", "freshdesk", 1, 1, {"mytag": 1}),
        ("freshdesk-python-freshdesk/v2_search_tickets.json", "freshdesk", 2, 1, {"mytag": 1, "myothertag": 1}),
        ("freshdesk-python-freshdesk/v1_ticket_1.json", "freshdesk", 1, 1, {"foo": 1, "bar": 1}),
        ("helpscout-v2-fixtures/list_conversation_success_response.json", "helpscout", 1, 1, {"vip": 1}),
        ("helpscout-v2-fixtures/get_conversation_success_response.json", None, 1, 1, {"vip": 1}),
    ],
)
def test_helpdesk_api_shapes_yield_their_tags(
    run, write, path: str, preset: str | None, rows: int, tickets: int, tags: dict[str, int]
) -> None:
    taxonomy = write("t.yaml", "version: 1\ngroups:\n  - name: A\n    tags: [{name: foo}]\n")
    args = ["audit", REAL / path, "-t", taxonomy, "-f", "json", "--by", "channel"]
    result = run(*args, *(["--preset", preset] if preset else []))
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert (doc["reading"]["rows_read"], doc["tickets"]["total"]) == (rows, tickets)
    found = {f["tag"]: f["tickets"] for f in doc["findings"] if f["kind"] == "unknown-tag"}
    known = {t["name"]: t["tickets"] for t in doc["tags"] if t["tickets"]}
    assert {**found, **known} == tags


def test_zendesk_and_helpscout_channels_come_from_nested_fields(run, write) -> None:
    taxonomy = write("t.yaml", "version: 1\ngroups:\n  - name: A\n    tags: [{name: foo}]\n")
    zendesk = json.loads(
        run(
            "audit",
            REAL / "zendesk-gozendesk-fixtures/GET_tickets.json",
            "-t",
            taxonomy,
            "-f",
            "json",
            "--by",
            "channel",
            "--preset",
            "zendesk",
        ).out
    )
    assert sorted(b["value"] for b in zendesk["by"]["channel"]) == ["email", "web"]
    helpscout = json.loads(
        run(
            "audit",
            REAL / "helpscout-v2-fixtures/list_conversation_success_response.json",
            "-t",
            taxonomy,
            "-f",
            "json",
            "--by",
            "agent",
            "--preset",
            "helpscout",
        ).out
    )
    assert [b["value"] for b in helpscout["by"]["agent"]] == ["none@nowhere.com"]


def test_freshdesk_v1_list_without_tags_is_refused(run, write) -> None:
    taxonomy = write("t.yaml", "version: 1\ngroups:\n  - name: A\n    tags: [{name: foo}]\n")
    path = REAL / "freshdesk-python-freshdesk/v1_all_tickets.json"
    result = run("audit", path, "-t", taxonomy)
    assert result.code == 2
    assert result.err.startswith(f"tagaudit: {path}: no tag column found (columns: cc_email,")
    assert Counter(result.err)["\n"] == 1
