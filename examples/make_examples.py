"""Regenerate the example exports from benchmarks/gen_tickets.py (deterministic).

    python examples/make_examples.py

tickets.csv     3,000 tickets, comma-separated UTF-8, tags "a, b" in one cell
tickets-sv.csv  the same layout as a Swedish Excel export: ';', cp1252, Swedish headers
tickets.ndjson  3,000 tickets as JSON Lines, tags as lists

All carry the mess real exports have: untagged tickets, aliases, case and
separator variants, decomposed Swedish letters, typos, free tags, repeats.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATOR = HERE.parent / "benchmarks" / "gen_tickets.py"

for name, fmt, seed in (("tickets.csv", "csv", 7), ("tickets-sv.csv", "csv-sv", 8), ("tickets.ndjson", "ndjson", 9)):
    subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            "--rows",
            "3000",
            "--format",
            fmt,
            "--seed",
            str(seed),
            "-o",
            str(HERE / name),
        ],
        check=True,
    )
    print(f"wrote examples/{name}")
