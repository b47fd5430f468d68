"""Safe ends: atomic output files, Ctrl-C, a closed pipe, one-line errors whatever the input holds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import tagaudit.output
from tests.conftest import EXAMPLE_TAXONOMY, ROOT

EXAMPLE = ROOT / "examples" / "tickets.csv"


def test_interrupted_write_leaves_the_old_file_and_no_temporary(run, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "report.json"
    target.write_text("the previous report\n", encoding="utf-8")

    def broken_replace(src: str, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(tagaudit.output.os, "replace", broken_replace)
    result = run("audit", EXAMPLE, "-t", EXAMPLE_TAXONOMY, "-f", "json", "-o", target)
    assert (result.code, result.err) == (130, "tagaudit: interrupted\n")
    assert target.read_text(encoding="utf-8") == "the previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_output_file_keeps_ordinary_permissions(run, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    assert run("audit", EXAMPLE, "-t", EXAMPLE_TAXONOMY, "-f", "markdown", "-o", target).code == 0
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_ctrl_c_ends_with_130_and_no_traceback(run, monkeypatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("tagaudit.audit.tally_exports", interrupted)
    result = run("audit", EXAMPLE, "-t", EXAMPLE_TAXONOMY)
    assert (result.code, result.out, result.err) == (130, "", "tagaudit: interrupted\n")


def test_closed_pipe_ends_quietly() -> None:
    """`tagaudit audit ... | head -c 100`: the reader goes away; tagaudit ends with 0 and says nothing."""
    command = [sys.executable, "-m", "tagaudit", "audit", str(EXAMPLE), "-t", str(EXAMPLE_TAXONOMY), "-f", "json"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stdout is not None and proc.stderr is not None
    head = proc.stdout.read(100)
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0
    assert head.startswith(b"{")
    assert err == b""


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ('id,"sub\nject"\n1,x\n', "no tag column found (columns: id, sub\\nject); name it with --map tags=COLUMN"),
        ('id,"a\u2028b"\n1,x\n', "no tag column found (columns: id, a\\u2028b); name it with --map tags=COLUMN"),
    ],
)
def test_errors_stay_on_one_line(run, write, header: str, message: str) -> None:
    path = write("x.csv", header)
    result = run("audit", path, "-t", EXAMPLE_TAXONOMY)
    assert (result.code, result.err) == (2, f"tagaudit: {path}: {message}\n")


def test_no_progress_output_when_not_a_terminal(run) -> None:
    result = run("audit", EXAMPLE, "-t", EXAMPLE_TAXONOMY, "-f", "json")
    assert result.code == 0 and result.err == ""


def test_progress_bar_only_at_a_terminal(tmp_path: Path) -> None:
    """Under a pseudo-terminal stderr shows a bar with a percentage; piped, nothing (tested above)."""
    import pty
    import select

    export = tmp_path / "big.csv"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gen_tickets.py"), "--rows", "200000", "-o", str(export)], check=True
    )
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    leader, follower = pty.openpty()
    out = tmp_path / "out.json"
    command = [
        sys.executable,
        "-m",
        "tagaudit",
        "audit",
        str(export),
        "-t",
        str(EXAMPLE_TAXONOMY),
        "-f",
        "json",
        "-o",
        str(out),
    ]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=follower, env=env, cwd=ROOT)
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    text = seen.decode(errors="replace")
    assert "rows read" in text and "%" in text
    assert json.loads(out.read_text(encoding="utf-8"))["tickets"]["total"] == 200_000
