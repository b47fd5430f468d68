"""Run commands side by side: wall time and peak RSS of each child, alternating runs."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Measured:
    name: str
    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mb)


def run_once(cmd: Sequence[str], stdout_path: str = os.devnull) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one run; fails loudly if the command fails."""
    with open(stdout_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0, 1):
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss / 1024


def compare(commands: dict[str, Sequence[str]], runs: int) -> dict[str, Measured]:
    """Run each command `runs` times, alternating, after one warm-up run each."""
    results = {name: Measured(name) for name in commands}
    for cmd in commands.values():
        run_once(cmd)
    for _ in range(runs):
        for name, cmd in commands.items():
            seconds, peak = run_once(cmd)
            results[name].seconds.append(seconds)
            results[name].peak_mb.append(peak)
    return results


def report(results: dict[str, Measured], baseline: str) -> str:
    base = results[baseline].median
    lines = [f"{'command':<28}{'median s':>10}{'ratio':>8}{'peak MB':>10}"]
    for m in results.values():
        lines.append(f"{m.name:<28}{m.median:>10.3f}{m.median / base:>8.2f}{m.peak:>10.0f}")
    return "\n".join(lines)


def machine() -> str:
    import platform

    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"
    )
