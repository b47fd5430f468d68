"""`tagaudit validate` beside yamllint on the example taxonomy: wall-time ratio (target <= 2.0).

python benchmarks/bench_validate.py [--runs 15]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import compare, machine, report

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--taxonomy", default=str(ROOT / "taxonomy.example.yaml"))
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    tagaudit = shutil.which("tagaudit", path=str(bindir)) or "tagaudit"
    yamllint = shutil.which("yamllint", path=str(bindir)) or "yamllint"
    results = compare(
        {
            "tagaudit validate": [tagaudit, "validate", args.taxonomy],
            "yamllint": [yamllint, args.taxonomy],
        },
        args.runs,
    )
    print(machine())
    print(report(results, baseline="yamllint"))
    ratio = results["tagaudit validate"].median / results["yamllint"].median
    print(f"validate / yamllint = {ratio:.2f} (target <= 2.00)")


if __name__ == "__main__":
    main()
