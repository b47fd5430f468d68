"""Terminal rendering with rich; user text always goes in as Text, never as markup."""

from __future__ import annotations

import io

from rich.console import Console, RenderableType
from rich.text import Text

from tagaudit.findings import Severity
from tagaudit.validate import ValidateReport

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def to_string(renderables: list[RenderableType], *, color: bool, width: int = 100) -> str:
    """Render to a string; colour codes only when asked (a terminal)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=not color,
    )
    for item in renderables:
        console.print(item)
    return buffer.getvalue()


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def validate_text(report: ValidateReport, *, color: bool, width: int = 100) -> str:
    parts: list[RenderableType] = []
    for file_report in report.files:
        for finding in file_report.findings:
            line = Text()
            line.append(f"{finding.pos}: ", style="bold")
            line.append(f"{finding.severity.value}", style=SEVERITY_STYLE[finding.severity])
            line.append(f" [{finding.code}] ", style="dim")
            line.append(finding.message)
            parts.append(line)
    files = plural(len(report.files), "file")
    if report.errors or report.warnings:
        summary = Text(
            f"{plural(report.errors, 'error')}, {plural(report.warnings, 'warning')} in {files}",
            style="bold red" if report.errors else "bold yellow",
        )
    else:
        summary = Text(f"✓ no problems in {files}", style="bold green")
    parts.append(summary)
    return to_string(parts, color=color, width=width)
