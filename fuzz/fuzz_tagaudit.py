"""Fuzz the export readers and the taxonomy loader: any input must end in a result or one clean error.

    python fuzz/fuzz_tagaudit.py --seconds 30           # mutation fuzzing from the seeds (CI runs this)
    python fuzz/fuzz_tagaudit.py --seconds 3600 --seed 7   # longer, on demand
    python fuzz/fuzz_tagaudit.py --atheris TARGET [atheris options]   # coverage-guided, if atheris is installed

Targets: `taxonomy` (bytes as a taxonomy file for `validate`) and `csv`, `json`,
`ndjson` (bytes as an export for `audit`). A run passes when every input ends
with exit code 0, 1 or 2 and, for 2, exactly one line on stderr. Anything else
(a traceback, another exit code, a hang caught by --timeout) is a crash: its
input is saved under fuzz/crashes/ and becomes a regression test
(tests/test_fuzz_regressions.py replays every file there).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CRASHES = HERE / "crashes"
TAXONOMY = ROOT / "taxonomy.example.yaml"
TOKENS = [
    b'"',
    b",",
    b";",
    b"\n",
    b"\r\n",
    b"[",
    b"]",
    b"{",
    b"}",
    b":",
    b"\\",
    b"\xff",
    b"\x00",
    b"&a ",
    b"*a",
    b"- ",
    b"  ",
    b"\xef\xbb\xbf",
    b"null",
    b"true",
    b"1e999",
    b"\t",
    b"tags",
    b"id",
    b"created_at",
    b"2026-13-45",
    b"\xc3\xa5",
    b"\xe2\x80\xa8",
    b"[" * 40,
    b'{"a":' * 20,
]
EXTENSIONS = {"csv": ".csv", "json": ".json", "ndjson": ".ndjson", "taxonomy": ".yaml"}


def seeds(target: str) -> list[bytes]:
    if target == "taxonomy":
        paths = [TAXONOMY, ROOT.parent / "shared" / "spec" / "taxonomy.reference.yaml"]
        found = [p.read_bytes() for p in paths if p.exists()]
        return [*found, b"version: 1\ngroups:\n  - name: A\n    tags: [{name: a, aliases: [b]}]\n"]
    examples = {"csv": ROOT / "examples" / "tickets.csv", "ndjson": ROOT / "examples" / "tickets.ndjson"}
    if target in examples:
        return [b"".join(examples[target].read_bytes().splitlines(keepends=True)[:12])]
    lines = (ROOT / "examples" / "tickets.ndjson").read_bytes().splitlines()[:8]
    return [b"[" + b",\n".join(lines) + b"]", b'{"tickets": [' + b",".join(lines[:3]) + b"]}"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        choice = rng.random()
        at = rng.randint(0, len(buf)) if buf else 0
        if choice < 0.3 and buf:
            buf[min(at, len(buf) - 1)] = rng.randint(0, 255)
        elif choice < 0.6:
            buf[at:at] = rng.choice(TOKENS)
        elif choice < 0.75 and buf:
            del buf[at : at + rng.randint(1, 16)]
        elif choice < 0.85 and buf:
            end = rng.randint(at, len(buf))
            buf[at:at] = buf[at:end][:256]
        else:
            buf = buf[: rng.randint(0, len(buf))]
    return bytes(buf)


def run_one(target: str, data: bytes, workdir: Path) -> str | None:
    """None when the input ended cleanly, else a description of the crash."""
    from tagaudit import sources
    from tagaudit.cli import main

    path = workdir / f"input{EXTENSIONS[target]}"
    path.write_bytes(data)
    argv = ["validate", str(path)] if target == "taxonomy" else ["audit", str(path), "-t", str(TAXONOMY), "-f", "json"]
    out, err = io.StringIO(), io.StringIO()
    sources._stdin_taken = False
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(argv)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
        if code not in (0, 1, 2):
            return f"exit code {code}: {err.getvalue()[-500:]}"
        if code == 2 and (err.getvalue().count("\n") != 1 or "Traceback" in err.getvalue()):
            return f"exit 2 without one clean line: {err.getvalue()[-500:]}"
        return None
    except BaseException:  # a crash is exactly what we look for
        return traceback.format_exc()
    return "main() returned without exiting"


def save(target: str, data: bytes) -> Path:
    CRASHES.mkdir(exist_ok=True)
    path = CRASHES / f"{target}-{hashlib.sha256(data).hexdigest()[:16]}{EXTENSIONS[target]}"
    path.write_bytes(data)
    return path


def fuzz(targets: list[str], seconds: float, seed: int, timeout: float) -> int:
    rng = random.Random(seed)
    corpus = {t: seeds(t) for t in targets}
    runs = crashes = 0
    deadline = time.monotonic() + seconds
    with tempfile.TemporaryDirectory() as tmp:
        while time.monotonic() < deadline:
            target = targets[runs % len(targets)]
            data = mutate(rng.choice(corpus[target]), rng)
            started = time.monotonic()
            problem = run_one(target, data, Path(tmp))
            if problem is None and time.monotonic() - started > timeout:
                problem = f"took {time.monotonic() - started:.1f} s (limit {timeout} s)"
            runs += 1
            if problem is not None:
                crashes += 1
                print(f"CRASH in {target}, saved to {save(target, data)}:\n{problem}", file=sys.stderr)
            elif rng.random() < 0.05:
                corpus[target].append(data)  # keep some survivors: mutations of mutations go deeper
    print(f"fuzz: {runs} inputs over {', '.join(targets)} in {seconds:.0f} s, {crashes} crashes")
    return 1 if crashes else 0


def with_atheris(target: str, argv: list[str]) -> None:
    import atheris  # type: ignore[import-not-found]

    workdir = Path(tempfile.mkdtemp())

    def one_input(data: bytes) -> None:
        problem = run_one(target, data, workdir)
        if problem is not None:
            save(target, data)
            raise RuntimeError(problem)

    atheris.Setup([sys.argv[0], *argv], one_input)
    atheris.Fuzz()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=10, help="seconds one input may take")
    parser.add_argument("--targets", default="taxonomy,csv,json,ndjson")
    parser.add_argument("--atheris", metavar="TARGET", help="hand TARGET to atheris (coverage-guided)")
    args, rest = parser.parse_known_args()
    if args.atheris:
        with_atheris(args.atheris, rest)
        return
    sys.exit(fuzz(args.targets.split(","), args.seconds, args.seed, args.timeout))


if __name__ == "__main__":
    main()
