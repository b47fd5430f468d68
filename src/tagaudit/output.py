"""Writing results: standard output, or a file replaced atomically so no half report is left."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from tagaudit.errors import TagauditError


def write_output(text: str, path: str | None) -> None:
    if path is None or path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise TagauditError(f"cannot write: {exc.strerror}", file=path) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise TagauditError(f"cannot write: {exc.strerror}", file=path) from None
        raise
