"""tagaudit audit beside DuckDB SQL and plain pandas on the same export: wall-time ratios and peak memory.

    python benchmarks/bench_audit.py                    # 1,000,000 tickets, CSV + NDJSON + JSON
    python benchmarks/bench_audit.py --rows 10000000 --formats csv --peers duckdb --runs 1

Generates its data with gen_tickets.py (kept in benchmarks/data/), runs the
commands alternating, checks that tagaudit, DuckDB and pandas agree on every
figure they share, and prints medians, ratios and peak RSS. Targets (issue 5):
tagaudit/duckdb <= 1.00 and peak <= 600 MB at 1M; peak <= 1 GiB at 10M;
NDJSON and JSON within 2x CSV; `tagaudit --help` under 150 ms.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import compare, machine, report, run_once

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TAXONOMY = ROOT / "taxonomy.example.yaml"


def export(rows: int, fmt: str) -> Path:
    data = HERE / "data"
    data.mkdir(exist_ok=True)
    path = data / f"tickets-{rows}.{fmt}"
    if not path.exists():
        print(f"generating {path.name} ...", flush=True)
        tmp = path.with_suffix(".tmp")
        subprocess.run(
            [sys.executable, str(HERE / "gen_tickets.py"), "--rows", str(rows), "--format", fmt, "-o", str(tmp)],
            check=True,
        )
        tmp.rename(path)
    return path


def tagaudit_cmd(path: Path) -> list[str]:
    exe = shutil.which("tagaudit", path=str(Path(sys.executable).parent)) or "tagaudit"
    return [exe, "audit", str(path), "-t", str(TAXONOMY), "--by", "agent", "--period", "month", "--format", "json"]


def peer_cmd(peer: str, path: Path) -> list[str]:
    return [sys.executable, str(HERE / "peers.py"), peer, str(path), str(TAXONOMY)]


def figures_agree(path: Path, peers: list[str]) -> None:
    """tagaudit's figures equal each peer's (per-tag counts, untagged, per agent, per month)."""
    out = HERE / "data" / "last-tagaudit.json"
    run_once(tagaudit_cmd(path), str(out))
    doc = json.loads(out.read_text(encoding="utf-8"))
    ours = {
        "total": doc["tickets"]["total"],
        "untagged": doc["tickets"]["untagged"],
        "tags": {t["name"]: t["tickets"] for t in doc["tags"] if t["tickets"]},
        "agents": {r["value"]: [r["tickets"], r["untagged"], r["untagged_rate"]] for r in doc["by"]["agent"]},
        "months": {p["period"]: [p["tickets"], p["untagged"], p["untagged_rate"]] for p in doc["periods"]},
    }
    for peer in peers:
        theirs = json.loads(subprocess.run(peer_cmd(peer, path), check=True, capture_output=True).stdout)
        verdict = "agree" if theirs == ours else "DISAGREE"
        print(f"figures: tagaudit and {peer} {verdict} ({ours['total']:,} tickets, {len(ours['tags'])} tags)")
        if theirs != ours:
            sys.exit(1)


def help_time(runs: int = 15) -> float:
    exe = shutil.which("tagaudit", path=str(Path(sys.executable).parent)) or "tagaudit"
    run_once([exe, "--help"])
    return statistics.median(run_once([exe, "--help"])[0] for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--formats", default="csv,ndjson,json")
    parser.add_argument("--peers", default="duckdb,pandas", help="comma-separated: duckdb, pandas, or none")
    args = parser.parse_args()
    peers = [p for p in args.peers.split(",") if p and p != "none"]
    formats = args.formats.split(",")
    print(machine())
    csv_path = export(args.rows, "csv")
    figures_agree(csv_path, peers)
    commands = {"tagaudit (csv)": tagaudit_cmd(csv_path)}
    commands.update({f"{peer} (csv)": peer_cmd(peer, csv_path) for peer in peers})
    for fmt in formats:
        if fmt != "csv":
            commands[f"tagaudit ({fmt})"] = tagaudit_cmd(export(args.rows, fmt))
    results = compare(commands, args.runs)
    baseline = "duckdb (csv)" if "duckdb" in peers else "tagaudit (csv)"
    print(f"{args.rows:,} tickets, {args.runs} runs each, alternating; ratio against {baseline}")
    print(report(results, baseline=baseline))
    ours = results["tagaudit (csv)"]
    if "duckdb" in peers:
        print(f"tagaudit / duckdb = {ours.median / results['duckdb (csv)'].median:.2f} (target <= 1.00)")
    for fmt in formats:
        if fmt != "csv":
            print(f"{fmt} / csv = {results[f'tagaudit ({fmt})'].median / ours.median:.2f} (target <= 2.00)")
    print(f"peak RSS tagaudit (csv) = {ours.peak:.0f} MB")
    print(f"tagaudit --help = {help_time() * 1000:.0f} ms (target < 150 ms)")


if __name__ == "__main__":
    main()
