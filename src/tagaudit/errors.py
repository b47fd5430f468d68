"""The one exception hierarchy: raised when tagaudit cannot go on (exit code 2)."""

from __future__ import annotations

_CONTROL = {
    **{c: f"\\x{c:02x}" for c in range(32)},
    10: "\\n",
    13: "\\r",
    9: "\\t",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def one_line(text: str) -> str:
    """Text with line breaks and other control characters escaped: an error is always one line."""
    return text.translate(_CONTROL)


class TagauditError(Exception):
    """Anything that stops a command; shown to the user as one line."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
            where += ": "
        return f"{where}{self.message}"


class InputError(TagauditError):
    """An export or taxonomy that cannot be read."""


class UsageError(TagauditError):
    """Options that do not fit together."""
