"""Located lint findings: what `validate` reports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Position:
    """A 1-based place in a file."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    pos: Position

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.pos.file,
            "line": self.pos.line,
            "column": self.pos.column,
        }


def sort_key(finding: Finding) -> tuple[str, int, int, str]:
    return (finding.pos.file, finding.pos.line, finding.pos.column, finding.code)
