"""The same audit written plainly with DuckDB SQL and with pandas: the peers tagaudit is measured against.

    python benchmarks/peers.py duckdb|pandas EXPORT.csv TAXONOMY.yaml

Both compute what the benchmark's tagaudit command reports and the issue names:
tickets per canonical tag (names and aliases matched by the normalisation rule,
a tag counted once per ticket), the untagged total, and the untagged rate per
agent and per month. They print those figures as JSON so the benchmark can
check all three agree.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

import yaml


def mapping(taxonomy: Path) -> dict[str, str]:
    """Normalised name or alias -> canonical tag name."""
    import re

    def norm(text: str) -> str:
        folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
        return re.sub(r"[\s_\-]+", " ", folded).strip()

    doc = yaml.safe_load(taxonomy.read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for group in doc["groups"]:
        for tag in group.get("tags", []):
            out.setdefault(norm(tag["name"]), tag["name"])
    for group in doc["groups"]:
        for tag in group.get("tags", []):
            for alias in tag.get("aliases", []):
                out.setdefault(norm(alias), tag["name"])
    return out


def run_duckdb(export: Path, taxonomy: Path) -> dict[str, Any]:
    import duckdb

    con = duckdb.connect()
    pairs = list(mapping(taxonomy).items())
    con.execute("CREATE TABLE mapping (key VARCHAR, tag VARCHAR)")
    con.executemany("INSERT INTO mapping VALUES (?, ?)", pairs)
    con.execute(
        f"""CREATE TABLE t AS SELECT "Ticket ID" AS id, "Created at" AS created, "Agent" AS agent, "Tags" AS tags
            FROM read_csv('{export}', all_varchar = true)"""
    )
    tags = con.execute(
        r"""
        WITH pieces AS (SELECT id, unnest(string_split(coalesce(tags, ''), ',')) AS raw FROM t),
        keys AS (
            SELECT id, trim(regexp_replace(lower(nfc_normalize(trim(raw))), '[\s_-]+', ' ', 'g')) AS key
            FROM pieces WHERE trim(raw) <> ''
        ),
        matched AS (SELECT DISTINCT k.id, m.tag FROM keys k JOIN mapping m ON k.key = m.key)
        SELECT tag, count(*) FROM matched GROUP BY tag ORDER BY tag
        """
    ).fetchall()
    untagged_expr = "(trim(replace(coalesce(tags, ''), ',', '')) = '')"
    total, untagged = con.execute(f"SELECT count(*), sum({untagged_expr}::INT) FROM t").fetchone()  # type: ignore[misc]
    agents = con.execute(
        f"SELECT agent, count(*), sum({untagged_expr}::INT) FROM t GROUP BY agent ORDER BY agent"
    ).fetchall()
    months = con.execute(
        f"""SELECT strftime(CAST(created AS TIMESTAMPTZ) AT TIME ZONE 'UTC', '%Y-%m') AS month, count(*),
                   sum({untagged_expr}::INT) FROM t GROUP BY month ORDER BY month"""
    ).fetchall()
    return {
        "total": total,
        "untagged": int(untagged),
        "tags": {tag: n for tag, n in tags},
        "agents": {a: [n, int(u), round(int(u) / n, 6)] for a, n, u in agents},
        "months": {m: [n, int(u), round(int(u) / n, 6)] for m, n, u in months},
    }


def run_pandas(export: Path, taxonomy: Path) -> dict[str, Any]:
    import pandas as pd

    frame = pd.read_csv(export, dtype=str, keep_default_na=False)
    keys = mapping(taxonomy)
    pieces = frame[["Ticket ID", "Tags"]].assign(raw=frame["Tags"].str.split(",")).explode("raw")
    pieces["raw"] = pieces["raw"].fillna("").str.strip()
    pieces = pieces[pieces["raw"] != ""]
    normalised = (
        pieces["raw"]
        .map(lambda s: unicodedata.normalize("NFC", s))
        .str.casefold()
        .str.replace(r"[\s_\-]+", " ", regex=True)
        .str.strip()
    )
    pieces = pieces.assign(tag=normalised.map(keys)).dropna(subset=["tag"])
    tags = pieces.drop_duplicates(["Ticket ID", "tag"]).groupby("tag").size()
    untagged = frame["Tags"].str.replace(",", "").str.strip() == ""
    month = pd.to_datetime(frame["Created at"], utc=True).dt.strftime("%Y-%m")

    def rates(by: pd.Series) -> dict[str, list[Any]]:
        grouped = untagged.groupby(by).agg(["size", "sum"])
        return {k: [int(n), int(u), round(int(u) / int(n), 6)] for k, (n, u) in grouped.iterrows()}

    return {
        "total": len(frame),
        "untagged": int(untagged.sum()),
        "tags": {k: int(v) for k, v in sorted(tags.items())},
        "agents": rates(frame["Agent"]),
        "months": rates(month),
    }


def main() -> None:
    peer, export, taxonomy = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    result = {"duckdb": run_duckdb, "pandas": run_pandas}[peer](export, taxonomy)
    json.dump(result, sys.stdout, ensure_ascii=False, sort_keys=True)


if __name__ == "__main__":
    main()
