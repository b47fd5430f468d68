"""`validate`: every finding code at its line, every format and exit code."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

from tagaudit.validate import validate_file
from tests.conftest import EXAMPLE_TAXONOMY, SHARED

HEAD = "version: 1\n"


def findings(path: Path) -> list[tuple[str, int, int]]:
    return [(f.code, f.pos.line, f.pos.column) for f in validate_file(str(path)).findings]


def codes(path: Path) -> set[str]:
    return {code for code, _, _ in findings(path)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("version: 1\ngroups: [\n", ("yaml-syntax", 3, 1), id="yaml-syntax"),
        pytest.param(
            HEAD + "groups:\n  - name: A\n    name: B\n    tags: [{name: x1}]\n",
            ("duplicate-key", 4, 5),
            id="duplicate-key",
        ),
        pytest.param(
            HEAD + "groups:\n  - name: A\n    tags:\n      - name: no\n",
            ("schema", 5, 15),
            id="schema-bool-name",
        ),
        pytest.param(
            HEAD + "groups:\n  - name: A\n    tags:\n      - name: 2024\n",
            ("schema", 5, 15),
            id="schema-number-name",
        ),
        pytest.param("groups: []\n", ("schema", 1, 1), id="schema-no-version"),
        pytest.param(
            HEAD + "groups:\n  - name: A\n    requried: true\n    tags: [{name: abc}]\n",
            ("unknown-key", 4, 5),
            id="unknown-key",
        ),
        pytest.param(
            HEAD + "groups:\n  - name: A\n    tags:\n      - name: Fel produkt\n"
            "  - name: B\n    tags:\n      - name: fel_PRODUKT\n",
            ("duplicate-tag", 8, 15),
            id="duplicate-tag",
        ),
        pytest.param(
            HEAD + "groups:\n  - name: A\n    tags:\n      - name: Retur\n"
            "      - name: Reklamation\n        aliases: [retur]\n",
            ("alias-collision", 7, 19),
            id="alias-collision",
        ),
        pytest.param(
            HEAD + "groups:\n  - name: A\n    tags: [{name: abc}]\n  - name: a\n    tags: [{name: def}]\n",
            ("duplicate-group", 5, 11),
            id="duplicate-group",
        ),
        pytest.param(
            HEAD + "departments:\n  - name: Lager\n  - name: Lager\n"
            "groups:\n  - name: A\n    tags: [{name: abc, feedback: [Lager]}]\n",
            ("duplicate-department", 4, 11),
            id="duplicate-department",
        ),
        pytest.param(
            HEAD + "departments:\n  - name: Lager\n"
            "groups:\n  - name: A\n    tags:\n      - name: abc\n        feedback: [Lagr]\n",
            ("unknown-department", 8, 20),
            id="unknown-department",
        ),
        pytest.param(
            HEAD + "departments:\n  - name: Lager\ngroups:\n  - name: A\n    tags: [{name: abc}]\n",
            ("unused-department", 3, 11),
            id="unused-department",
        ),
        pytest.param(HEAD + "groups:\n  - name: Tom\n", ("empty-group", 3, 11), id="empty-group"),
        pytest.param(
            HEAD + "settings:\n  max_tags_per_group: 2\n"
            "groups:\n  - name: A\n    tags: [{name: aaaa}, {name: bbbb}, {name: cccc}]\n",
            ("group-too-large", 5, 11),
            id="group-too-large",
        ),
        pytest.param(
            HEAD + "groups:\n  - name: A\n    tags:\n      - name: Leverans sent\n      - name: Leverans sen\n",
            ("near-duplicate", 6, 15),
            id="near-duplicate",
        ),
        pytest.param(
            HEAD + "groups:\n  - name: A\n    tags:\n      - name: Gammal\n        deprecated: true\n"
            "        replaced_by: Finns inte\n",
            ("bad-replacement", 7, 22),
            id="bad-replacement",
        ),
        pytest.param(
            HEAD + "groups:\n  - name: A\n    tags:\n      - name: Gammal\n        deprecated: true\n",
            ("deprecated-without-replacement", 5, 15),
            id="deprecated-without-replacement",
        ),
    ],
)
def test_each_code_is_reported_at_its_line(write, text: str, expected: tuple[str, int, int]) -> None:
    path = write("taxonomy.yaml", text)
    assert expected in findings(path)


def test_reference_and_example_taxonomies_are_clean() -> None:
    assert findings(SHARED / "spec" / "taxonomy.reference.yaml") == []
    assert findings(EXAMPLE_TAXONOMY) == []


def test_quoted_names_are_fine(write) -> None:
    path = write(
        "t.yaml",
        HEAD + "groups:\n  - name: A\n    tags:\n      - name: 'no'\n      - name: '2024'\n",
    )
    assert findings(path) == []


def test_did_you_mean_in_messages(write) -> None:
    path = write(
        "t.yaml",
        HEAD + "departments: [{name: Lager}]\ngroups:\n  - name: A\n    feedbak: x\n"
        "    tags: [{name: abc, feedback: [Lagr]}]\n",
    )
    messages = [f.message for f in validate_file(str(path)).findings]
    assert "unknown key 'feedbak' in a group (known: name, description, required, exclusive, tags)" in messages
    assert any("did you mean 'Lager'?" in m for m in messages)


def test_replacement_that_is_deprecated_or_self(write) -> None:
    path = write(
        "t.yaml",
        HEAD + "groups:\n  - name: A\n    tags:\n"
        "      - {name: Aaaa, deprecated: true, replaced_by: Bbbb}\n"
        "      - {name: Bbbb, deprecated: true, replaced_by: Bbbb}\n"
        "      - {name: Cccc, replaced_by: Bbbb}\n",
    )
    messages = sorted(f.message for f in validate_file(str(path)).findings if f.code == "bad-replacement")
    assert messages == [
        "'Aaaa' is replaced by 'Bbbb', which is deprecated too; name the tag to use today",
        "'Bbbb' is replaced by itself",
        "'Cccc' has replaced_by but is not deprecated; add 'deprecated: true'",
    ]


def test_billion_laughs_is_refused_fast(write) -> None:
    lines = ["version: 1", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    path = write("bomb.yaml", "\n".join(lines) + "\n")
    start = time.perf_counter()
    result = findings(path)
    assert time.perf_counter() - start < 1.0
    assert [code for code, _, _ in result] == ["yaml-syntax"]


def test_recursive_alias_is_refused(write) -> None:
    path = write("rec.yaml", "version: 1\ngroups: &g\n  - name: A\n    tags: *g\n")
    assert codes(path) == {"yaml-syntax"}


def test_deep_nesting_is_refused(write) -> None:
    path = write("deep.yaml", "version: 1\ngroups: " + "[" * 5000 + "]" * 5000 + "\n")
    assert codes(path) == {"yaml-syntax"}


def test_cli_text_output_and_exit_codes(run, write) -> None:
    clean = write("clean.yaml", HEAD + "groups:\n  - name: A\n    tags: [{name: abc}]\n")
    warn = write("warn.yaml", HEAD + "groups:\n  - name: A\n    tags: [{name: abc, deprecated: true}]\n")
    bad = write("bad.yaml", HEAD + "groups:\n  - name: A\n    tags: [{name: abc}, {name: ABC}]\n")
    result = run("validate", clean)
    assert (result.code, result.out, result.err) == (0, "✓ no problems in 1 file\n", "")
    assert run("validate", warn).code == 0
    strict = run("validate", "--strict", warn)
    assert strict.code == 1
    assert strict.out == (
        f"{warn}:4:19: warning [deprecated-without-replacement] tag 'abc' is deprecated but says "
        "nothing about what replaces it (add replaced_by)\n0 errors, 1 warning in 1 file\n"
    )
    result = run("validate", bad, clean)
    assert result.code == 1
    assert result.out.endswith("1 error, 0 warnings in 2 files\n")


def test_cli_json_format(run, write) -> None:
    bad = write("bad.yaml", HEAD + "groups:\n  - name: A\n    tags: [{name: abc}, {name: ABC}]\n")
    result = run("validate", "--format", "json", bad)
    doc = json.loads(result.out)
    assert doc["schema"] == "tagaudit.validate/1"
    assert doc["files"] == [
        {
            "file": str(bad),
            "errors": 1,
            "warnings": 0,
            "findings": [
                {
                    "code": "duplicate-tag",
                    "severity": "error",
                    "message": "tag 'ABC' duplicates 'abc' in group 'A' (line 4); exports cannot tell them apart",
                    "file": str(bad),
                    "line": 4,
                    "column": 32,
                }
            ],
        }
    ]


def test_cli_github_format_auto_under_actions(run, write, monkeypatch) -> None:
    bad = write("bad.yaml", HEAD + "groups:\n  - name: A\n    tags: [{name: abc}, {name: ABC}]\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run("validate", bad)
    assert result.code == 1
    assert result.out == (
        f"::error file={bad},line=4,col=32,title=duplicate-tag::tag 'ABC' duplicates 'abc' in "
        "group 'A' (line 4); exports cannot tell them apart\n"
    )
    assert run("validate", "-f", "text", bad).out.startswith(f"{bad}:4:32: error")


def test_cli_missing_file_and_bad_format(run, write) -> None:
    result = run("validate", "nope.yaml")
    assert (result.code, result.out) == (2, "")
    assert result.err == "tagaudit: nope.yaml: no such file\n"
    clean = write("clean.yaml", HEAD + "groups:\n  - name: A\n    tags: [{name: abc}]\n")
    result = run("validate", "--format", "xml", clean)
    assert result.code == 2
    assert "'xml' is not one of: text, json, github" in result.err


def test_not_utf8_is_a_clean_error(run, write) -> None:
    path = write("latin.yaml", "version: 1\ngroups:\n  - name: Lev\xe9rans\n".encode("latin-1"))
    result = run("validate", path)
    assert (result.code, result.err) == (
        2,
        f"tagaudit: {path}:3: not UTF-8 text (a taxonomy must be UTF-8)\n",
    )


def test_schema_and_rules_commands(run) -> None:
    schema = json.loads(run("schema").out)
    assert schema["properties"]["version"] == {
        "const": 1,
        "description": "Format version; only 1 exists.",
    }
    assert set(schema["properties"]["groups"]["items"]["properties"]["tags"]["items"]["properties"]) == {
        "name",
        "description",
        "aliases",
        "feedback",
        "deprecated",
        "replaced_by",
    }
    listing = run("rules").out.splitlines()
    assert len(listing) == 15
    assert listing[0].split()[:2] == ["yaml-syntax", "error"]


def test_version_and_help(run) -> None:
    assert run("--version").out == "tagaudit 0.1.0\n"
    for command in ("validate", "schema", "rules"):
        result = run(command, "--help")
        assert result.code == 0
        assert "Example:" in result.out


def test_near_duplicates_fast_on_2000_tags(write) -> None:
    """Correctness at scale: exactly the planted near pairs are found (speed is benchmarked)."""
    rng = random.Random(7)
    names = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(12)) for _ in range(2000)]
    names[1999] = names[5] + "s"
    body = "\n".join(f"      - name: '{n}'" for n in names)
    path = write(
        "big.yaml",
        HEAD + "settings: {max_tags_per_group: 5000}\ngroups:\n  - name: A\n    tags:\n" + body + "\n",
    )
    near = [f for f in validate_file(str(path)).findings if f.code == "near-duplicate"]
    assert [(f.pos.line, f.message.split("'")[1]) for f in near] == [(2005, names[1999])]


def test_alias_equal_to_its_own_name_is_an_error(write) -> None:
    path = write(
        "t.yaml", HEAD + "groups:\n  - name: A\n    tags:\n      - {name: Fel produkt, aliases: [fel_PRODUKT]}\n"
    )
    (finding,) = validate_file(str(path)).findings
    assert (finding.code, finding.severity.value, finding.pos.line, finding.pos.column) == (
        "alias-collision",
        "error",
        5,
        39,
    )
