"""`init` drafts a taxonomy that passes validate; `suggest` proposes aliases to review."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.conftest import EXAMPLE_TAXONOMY, ROOT

EXAMPLE = ROOT / "examples" / "tickets.csv"


def test_init_folds_variants_and_passes_validate(run, write, tmp_path: Path) -> None:
    export = write(
        "x.csv",
        "id,tags\n"
        '1,"Fel produkt, no"\n2,"fel_produkt"\n3,"FEL-PRODUKT, 2024"\n4,"Fel prodkt"\n'
        '5,"Fe\u0301l, x: y"\n6,"Fél"\n7,""\n',
    )
    target = tmp_path / "draft.yaml"
    result = run("init", export, "-o", target, "--name", "Utkast", "--lang", "sv")
    assert result.code == 0, result.err
    text = target.read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    names = [t["name"] for t in doc["groups"][0]["tags"]]
    # most used first; case, separator and Unicode variants folded into one tag each
    assert names == ["Fel produkt", "Fél", "2024", "Fel prodkt", "no", "x: y"]
    assert doc["name"] == "Utkast" and doc["language"] == "sv" and doc["groups"][0]["name"] == "Ogrupperade"
    assert '- name: "Fel produkt"  # 3 tickets; also written "fel_produkt", "FEL-PRODUKT"' in text
    assert '"Fe\u0301l" (decomposed Unicode)' in text
    assert 'near-duplicate of "Fel produkt"?' in text
    checked = run("validate", "-f", "json", target)
    assert checked.code == 0
    codes = [f["code"] for f in json.loads(checked.out)["files"][0]["findings"]]
    assert codes == ["near-duplicate"]


def test_init_on_the_example(run, tmp_path: Path) -> None:
    target = tmp_path / "draft.yaml"
    assert run("init", EXAMPLE, "-o", target).code == 0
    assert run("validate", target).code == 0
    tags = yaml.safe_load(target.read_text(encoding="utf-8"))["groups"][0]["tags"]
    assert len(tags) == 43
    assert tags[0] == {"name": "Fråga"}


def test_suggest_proposes_aliases_for_typos(run, tmp_path: Path) -> None:
    target = tmp_path / "aliases.yaml"
    assert run("suggest", EXAMPLE, "-t", EXAMPLE_TAXONOMY, "-o", target).code == 0
    doc = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert doc["aliases"] == [
        {"tag": "Reklamation", "add": ["Reklamaton"]},
        {"tag": "Leverans för sent", "add": ["Leverans försent"]},
        {"tag": "Fel produkt", "add": ["Fel prdukt"]},
    ]
    assert doc["unmatched"] == ["facebook", "eskalerad", "instagram", "vip", "kampanj-black-friday", "brådskande"]
    assert '      - "Reklamaton"  # 4 tickets' in target.read_text(encoding="utf-8")
