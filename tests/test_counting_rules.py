"""Each counting rule of FORMATS.md §5 on a hand-made export, with the figures worked out by hand."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

TAXONOMY = """
version: 1
name: Rules
settings:
  ignore: ["zd_*"]
departments:
  - {name: Lager, contact: lager@example.se}
  - {name: Webb}
groups:
  - name: Orsak
    required: true
    tags:
      - {name: Fel produkt, feedback: [Lager], aliases: [fel vara]}
      - {name: Fel pris, feedback: [Webb, Lager]}
      - {name: Gammal, deprecated: true, replaced_by: Fel produkt, feedback: [Lager]}
  - name: Typ
    exclusive: true
    tags:
      - {name: Retur}
      - {name: Fråga}
"""

# id | tags                                   | what it exercises
EXPORT = """id,tags
1,"Fel produkt, fel_PRODUKT, Retur"
2,"fel vara, Fråga, Retur"
3,"Gammal"
4,""
5,"  ,  "
6,"zd_auto"
7,"Fel prdukt, vip"
8,"Fel pris, Fråga"
8,"Retur"
"""


def audit(run, write) -> dict:
    taxonomy = write("t.yaml", TAXONOMY)
    export = write("x.csv", EXPORT)
    result = run("audit", export, "-t", taxonomy, "-f", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_ticket_totals(run, write) -> None:
    doc = audit(run, write)
    # 9 rows, id 8 twice -> 8 tickets; 4 and 5 have no tag; 6 (ignored only) and 7 (unknown only) are unclassified
    assert doc["tickets"] == {
        "total": 8,
        "tagged": 6,
        "untagged": 2,
        "untagged_rate": 0.25,
        "unclassified": 4,
        "unclassified_rate": 0.5,
        "with_unknown": 1,
        "unknown_rate": 0.125,
    }
    assert doc["reading"] | {"skipped": None} == {
        "rows_read": 9,
        "tickets": 8,
        "rows_merged": 1,
        "rows_skipped": 0,
        "outside_window": 0,
        "undated": 8,
        "balanced": True,
        "skipped": None,
    }


def test_tags_groups_and_departments(run, write) -> None:
    doc = audit(run, write)
    tags = {t["name"]: (t["tickets"], t["share"]) for t in doc["tags"]}
    # ticket 1 carries Fel produkt twice (once counted); ticket 2 through the alias
    assert tags == {
        "Fel produkt": (2, 0.25),
        "Fel pris": (1, 0.125),
        "Gammal": (1, 0.125),
        "Retur": (3, 0.375),
        "Fråga": (2, 0.25),
    }
    groups = {g["name"]: (g["tickets"], g["coverage"], g["missing"], g["exclusive_violations"]) for g in doc["groups"]}
    # Typ: tickets 1, 2, 8 (8 merged from two rows: Fråga + Retur); 2 and 8 carry both
    assert groups == {"Orsak": (4, 0.5, 4, 0), "Typ": (3, 0.375, 5, 2)}
    departments = {
        d["name"]: (d["tickets"], [(t["name"], t["tickets"]) for t in d["tags"]]) for d in doc["departments"]
    }
    assert departments == {
        "Lager": (4, [("Fel produkt", 2), ("Fel pris", 1), ("Gammal", 1)]),
        "Webb": (1, [("Fel pris", 1)]),
    }
    assert doc["unused_tags"] == []
    assert doc["ignored"] == [{"tag": "zd_auto", "tickets": 1}]


def test_findings(run, write) -> None:
    doc = audit(run, write)
    assert doc["findings"] == [
        {
            "kind": "unknown-tag",
            "tag": "Fel prdukt",
            "tickets": 1,
            "suggestion": "Fel produkt",
            "spellings": ["Fel prdukt"],
        },
        {"kind": "unknown-tag", "tag": "vip", "tickets": 1, "suggestion": None, "spellings": ["vip"]},
        {"kind": "deprecated-tag", "tag": "Gammal", "tickets": 1, "replaced_by": "Fel produkt"},
        {"kind": "alias", "tag": "fel vara", "tickets": 1, "canonical": "Fel produkt"},
        {"kind": "missing-required-group", "tag": None, "tickets": 4, "group": "Orsak"},
        {"kind": "exclusive-violation", "tag": None, "tickets": 2, "group": "Typ"},
    ]


def test_validate_imports_neither_pandas_nor_numpy() -> None:
    code = (
        "import sys\nfrom tagaudit.cli import main\n"
        "try:\n    main(['validate', 'taxonomy.example.yaml'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'pyarrow') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "[]"


def test_rows_are_united_by_id_even_beside_a_file_without_ids(run, write) -> None:
    with_ids = write("a.csv", "id,tags\n1,Retur\n1,Fråga\n2,Retur\n")
    without = write("b.csv", "tags\nRetur\nKläder\n")
    doc = json.loads(run("audit", with_ids, without, "-t", ROOT / "taxonomy.example.yaml", "-f", "json").out)
    assert (doc["reading"]["rows_read"], doc["reading"]["rows_merged"], doc["tickets"]["total"]) == (5, 1, 4)
    tags = {t["name"]: t["tickets"] for t in doc["tags"] if t["tickets"]}
    assert tags == {"Retur": 3, "Fråga": 1, "Kläder": 1}
