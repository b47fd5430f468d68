"""Writing results: standard output, or a file replaced atomically so no half report is left."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from tagaudit.errors import TagauditError


class PipeClosed(Exception):
    """The reader of standard output went away (`| head`): stop quietly."""


def _file_mode(target: Path) -> int:
    """The mode of the file being replaced, or what a new file would get under the umask."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_output(text: str, path: str | None) -> None:
    if path is None or path == "-":
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:
            raise PipeClosed from None
        return
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise TagauditError(f"cannot write: {exc.strerror}", file=path) from None
    try:
        os.chmod(tmp, _file_mode(target))  # mkstemp makes 0600; a report is as readable as any file
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise TagauditError(f"cannot write: {exc.strerror}", file=path) from None
        raise
