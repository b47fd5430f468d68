"""What the commands share: option types, option checks, the progress counter, rendering choices."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import click
import typer

if TYPE_CHECKING:
    from tagaudit.audit import AuditOptions

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


TaxonomyOption = Annotated[str, typer.Option("--taxonomy", "-t", help="The taxonomy YAML file.", show_default=False)]
OutputOption = Annotated[
    str | None, typer.Option("--output", "-o", help="Write to FILE (atomically) instead of stdout.")
]
SinceOption = Annotated[
    str | None,
    typer.Option("--since", help="Only tickets created on or after this day (YYYY-MM-DD)."),
]
UntilOption = Annotated[
    str | None,
    typer.Option("--until", help="Only tickets created on or before this day (YYYY-MM-DD)."),
]
PresetOption = Annotated[
    str | None,
    typer.Option("--preset", help="Export layout: zendesk, freshdesk, helpscout, intercom or kundo."),
]
MapOption = Annotated[
    list[str] | None,
    typer.Option("--map", help="FIELD=COLUMN: read FIELD (tags, id, created, agent, ...) from COLUMN."),
]
TagSepOption = Annotated[
    str | None,
    typer.Option("--tag-sep", help="Separator inside tag cells (default: detected; ' ' for whitespace)."),
]
EncodingOption = Annotated[
    str | None, typer.Option("--encoding", help="Force the export's encoding (default: detected).")
]
SkipOption = Annotated[
    bool,
    typer.Option("--skip-invalid", help="Skip malformed rows (each reported with file and line)."),
]


LangOption = Annotated[
    str | None, typer.Option("--lang", help="Report language, sv or en (default: the taxonomy's language).")
]


def lang_option(value: str | None) -> str | None:
    if value is not None and value not in ("sv", "en"):
        raise click.BadParameter(f"'{value}' is not one of: sv, en", param_hint="--lang")
    return value


def rate_option(value: str | None, option: str) -> float | None:
    if value is None:
        return None
    text = value.strip()
    try:
        number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a rate (0.05 or 5%)", param_hint=option) from None
    if not 0 <= number <= 1:
        raise click.BadParameter(f"'{value}' is not between 0 and 1 (or 0% and 100%)", param_hint=option)
    return number


def with_progress(work: Callable[[Callable[[int], None] | None], T], paths: list[str] | None = None) -> T:
    """Run `work(advance)` with a progress bar on stderr when a person is watching."""
    bar, advance = progress_bar(estimate_rows(paths or []))
    try:
        return work(advance)
    finally:
        if bar is not None:
            bar.stop()  # type: ignore[attr-defined]


def estimate_rows(paths: list[str]) -> int | None:
    """Rows in plain files, from their sizes and the first file's bytes per line; None when unknowable."""
    if not paths or any(p == "-" or p.endswith(".gz") or not os.path.isfile(p) for p in paths):
        return None
    total = sum(os.path.getsize(p) for p in paths)
    with open(paths[0], "rb") as handle:
        head = handle.read(1 << 16)
    lines = head.count(b"\n")
    return max(1, total * lines // len(head)) if lines and head else None


def progress_bar(total: int | None) -> tuple[object, Callable[[int], None] | None]:
    """A bar (or, without an estimate, a counter) on stderr: only at a terminal, never in CI logs or pipes."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None, None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns: list[ProgressColumn] = [SpinnerColumn()]
    if total is not None:
        columns += [BarColumn(), TaskProgressColumn()]
    progress = Progress(
        *columns,
        TextColumn("{task.completed:,} rows read"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task("reading", total=total)
    progress.start()

    def advance(rows: int) -> None:
        done = progress.tasks[0].completed + rows
        if total is not None and done > (progress.tasks[0].total or 0):
            progress.update(task, total=done * 1.05)  # the estimate was short: keep the bar honest
        progress.advance(task, rows)

    return progress, advance


def month_window(month: str | None, since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """--month YYYY-MM as --since and --until."""
    if month is None:
        return since, until
    if since or until:
        raise click.BadParameter("give --month or --since/--until, not both", param_hint="--month")
    import calendar
    import re

    found = re.fullmatch(r"(\d{4})-(\d{2})", month.strip())
    if not found or not 1 <= int(found[2]) <= 12:
        raise click.BadParameter(f"'{month}' is not a month (YYYY-MM)", param_hint="--month")
    year, number = int(found[1]), int(found[2])
    last = calendar.monthrange(year, number)[1]
    return f"{year:04d}-{number:02d}-01", f"{year:04d}-{number:02d}-{last:02d}"


def reading_options(*, preset: str | None, maps: list[str] | None, **more: Any) -> AuditOptions:
    """The options every reading command shares, checked, with the command's own."""
    from tagaudit.audit import AuditOptions
    from tagaudit.columns import parse_maps

    return AuditOptions(preset=preset_option(preset), maps=parse_maps(maps or []), **more)


def terminal_width() -> int:
    import shutil

    return max(shutil.get_terminal_size((100, 24)).columns, 60)


def preset_option(name: str | None) -> str | None:
    from tagaudit.columns import PRESETS

    if name is not None and name.lower() not in PRESETS:
        raise click.BadParameter(f"'{name}' is not one of: {', '.join(PRESETS)}", param_hint="--preset")
    return name.lower() if name else None


def choice(value: str, enum: type[E], option: str) -> E:
    try:
        return enum(value.lower())
    except ValueError:
        allowed = ", ".join(str(member.value) for member in enum)
        raise click.BadParameter(f"'{value}' is not one of: {allowed}", param_hint=option) from None
