"""`feedback`: exact figures per department, the comparison with the window before, the significance flag."""

from __future__ import annotations

import json

import pytest

from tagaudit.stats import binomial_two_sided, compare_counts

TAXONOMY = """
version: 1
name: Feedback
language: en
departments:
  - {name: Lager, contact: lager@example.se}
  - {name: Webb, contact: webb@example.se}
  - {name: Ekonomi}
groups:
  - name: Orsak
    tags:
      - {name: Fel produkt, feedback: [Lager]}
      - {name: Trasig, feedback: [Lager, Webb]}
      - {name: Fel pris, feedback: [Webb, Ekonomi]}
      - {name: Fråga}
"""


def export() -> str:
    """November 2026 (30 days) and the 30 days before it (2026-10-02 .. 2026-10-31)."""
    rows = ["id,created,subject,tags"]
    n = 0

    def add(day: str, tags: str, count: int) -> None:
        nonlocal n
        for _ in range(count):
            n += 1
            rows.append(f'{n},{day}T12:00:00Z,Ärende {n},"{tags}"')

    add("2026-10-05", "Fel produkt", 10)  # previous window
    add("2026-10-20", "Trasig", 2)
    add("2026-10-01", "Fel pris", 50)  # outside both windows (the day before the previous one)
    add("2026-11-03", "Fel produkt", 25)  # current window: 10 -> 25 is significant
    add("2026-11-10", "Trasig", 4)  # 2 -> 4 is not
    add("2026-11-12", "Fel pris", 10)  # 0 -> 10: significant (n = 10)
    add("2026-11-30", "Fel pris, Trasig", 1)
    add("2026-11-15", "Fråga", 9)
    add("2026-12-01", "Fel produkt", 7)  # after the window
    return "\n".join(rows) + "\n"


@pytest.fixture
def files(write):
    return write("t.yaml", TAXONOMY), write("x.csv", export())


def test_counts_examples_and_changes(run, files) -> None:
    taxonomy, data = files
    result = run(
        "feedback",
        data,
        "-t",
        taxonomy,
        "--since",
        "2026-11-01",
        "--until",
        "2026-11-30",
        "--compare",
        "previous",
        "-f",
        "json",
    )
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    assert doc["schema"] == "tagaudit.feedback/1"
    assert doc["window"] == {
        "since": "2026-11-01",
        "until": "2026-11-30",
        "previous": {"since": "2026-10-02", "until": "2026-10-31"},
    }
    assert (doc["tickets"], doc["previous_tickets"]) == (49, 12)
    lager, webb, ekonomi = doc["departments"]
    assert (lager["name"], lager["contact"], lager["tickets"], lager["share"]) == (
        "Lager",
        "lager@example.se",
        30,
        0.612245,
    )
    assert [(t["name"], t["tickets"]) for t in lager["tags"]] == [("Fel produkt", 25), ("Trasig", 5)]
    assert lager["change"] == {
        "previous": 12,
        "delta": 18,
        "delta_pct": 150.0,
        "significant": True,
        "p_value": round(binomial_two_sided(30, 42, 0.5), 6),
    }
    fel, trasig = lager["tags"]
    assert fel["change"]["significant"] is True and fel["change"]["previous"] == 10
    assert trasig["change"] == {
        "previous": 2,
        "delta": 3,
        "delta_pct": 150.0,
        "significant": False,
        "p_value": round(binomial_two_sided(5, 7, 0.5), 6),
    }
    # examples: the latest tickets of the window, newest first
    assert fel["examples"][0]["subject"].startswith("Ärende ")
    assert [e["id"] for e in trasig["examples"]] == ["102", "88", "89"]
    assert (webb["tickets"], ekonomi["tickets"]) == (15, 11)
    pris = next(t for t in ekonomi["tags"] if t["name"] == "Fel pris")
    assert pris["change"] == {
        "previous": 0,
        "delta": 11,
        "delta_pct": None,
        "significant": True,
        "p_value": round(binomial_two_sided(11, 11, 0.5), 6),
    }


def test_significance_boundary() -> None:
    assert compare_counts(10, 0).significant is True  # n = 10, p = 0.002
    assert compare_counts(9, 0).significant is False  # n = 9: too few to say
    assert compare_counts(4, 2).significant is False  # 2 -> 4 does not cry wolf
    assert round(compare_counts(4, 2).p_value, 4) == 0.6875
    assert compare_counts(25, 10).significant is True
    assert compare_counts(14, 7).significant is False  # p = 0.19
    assert round(binomial_two_sided(7, 10, 0.5), 6) == 0.34375
    # unequal windows: 31 days against 30 at the same daily rate is no change
    assert compare_counts(310, 300, 31, 30).significant is False


def test_department_filter_and_text(run, files) -> None:
    taxonomy, data = files
    result = run(
        "feedback", data, "-t", taxonomy, "--month", "2026-11", "--compare", "previous", "--department", "Webb"
    )
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "Feedback per department: Feedback"
    assert lines[1] == "Window: 2026-11-01 – 2026-11-30 (compared with 2026-10-02 – 2026-10-31). Tickets: 49 (was 12)"
    assert lines[3].split() == [
        "Webb",
        "<webb@example.se>",
        "15",
        "tickets",
        "(30.6",
        "%)",
        "+13",
        "(+650.0",
        "%)",
        "▲",
    ]
    assert "Lager" not in result.out


def test_latest_month_is_the_default_window(run, files) -> None:
    taxonomy, data = files
    doc = json.loads(run("feedback", data, "-t", taxonomy, "--compare", "previous", "-f", "json").out)
    # the latest ticket is on 2026-12-01: December, beside the 31 days before it
    assert doc["window"] == {
        "since": "2026-12-01",
        "until": "2026-12-31",
        "previous": {"since": "2026-10-31", "until": "2026-11-30"},
    }
    assert doc["tickets"] == 7


def test_without_compare_there_is_no_change(run, files) -> None:
    taxonomy, data = files
    doc = json.loads(run("feedback", data, "-t", taxonomy, "-f", "json").out)
    assert doc["window"] == {"since": "2026-10-01", "until": "2026-12-01"}
    assert doc["tickets"] == 118
    assert all(d["change"] is None for d in doc["departments"])


def test_markdown_is_ready_to_paste(run, files) -> None:
    taxonomy, data = files
    out = run("feedback", data, "-t", taxonomy, "--month", "2026-11", "--compare", "previous", "-f", "markdown").out
    assert out.startswith("# Feedback per department: Feedback\n")
    assert "## Lager (lager@example.se)\n" in out
    assert "| Fel produkt | 25 | 10 | +15 (+150.0 %) ▲ |" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--department", "Lagr"], "--department Lagr: no such department (departments: Lager, Webb, Ekonomi)"),
        (["--month", "2026-13"], "'2026-13' is not a month (YYYY-MM)"),
        (["--compare", "last"], "'last' is not one of: previous"),
    ],
)
def test_bad_options(run, files, args, message) -> None:
    taxonomy, data = files
    result = run("feedback", data, "-t", taxonomy, *args)
    assert result.code == 2
    assert message in result.err
