"""Every input the fuzzer ever crashed on (fuzz/crashes/) now ends cleanly; and a short fuzz run."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from tests.conftest import ROOT

CRASHES = sorted((ROOT / "fuzz" / "crashes").glob("*"))
TARGET = {".csv": "csv", ".json": "json", ".ndjson": "ndjson", ".yaml": "taxonomy"}


def harness():  # the fuzz script is not a package: load it by path
    spec = importlib.util.spec_from_file_location("fuzz_tagaudit", ROOT / "fuzz" / "fuzz_tagaudit.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", CRASHES, ids=[p.name for p in CRASHES])
def test_former_crash_ends_cleanly(path: Path, tmp_path: Path) -> None:
    assert harness().run_one(TARGET[path.suffix], path.read_bytes(), tmp_path) is None


@pytest.mark.parametrize("target", ["taxonomy", "csv", "json", "ndjson"])
def test_short_fuzz_run(target: str, tmp_path: Path) -> None:
    fuzz = harness()
    rng = random.Random(target)
    seeds = fuzz.seeds(target)
    for _ in range(150):
        data = fuzz.mutate(rng.choice(seeds), rng)
        assert fuzz.run_one(target, data, tmp_path) is None, data
