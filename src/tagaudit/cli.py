"""The command line: each command parses options, calls the library, renders, picks an exit code."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import click
import typer

from tagaudit import __version__
from tagaudit.errors import TagauditError, one_line
from tagaudit.nopandas import no_pandas
from tagaudit.output import PipeClosed

if TYPE_CHECKING:
    from tagaudit.audit import AuditOptions

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

app = typer.Typer(
    name="tagaudit",
    help="Lint helpdesk tag taxonomies and audit ticket exports against them.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tagaudit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Lint helpdesk tag taxonomies and audit ticket exports against them."""


def _stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


@app.command()
def validate(
    files: Annotated[list[str], typer.Argument(help="Taxonomy YAML files.", metavar="TAXONOMY...")],
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="text, json or github (default: github under GitHub Actions, else text).",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
) -> None:
    """Lint taxonomy files: exit 0 when clean, 1 on errors (or warnings with --strict).

    Example:

        tagaudit validate taxonomy.yaml --strict
    """
    from tagaudit.render.terminal import validate_text
    from tagaudit.render.validate import RENDERERS, ValidateFormat
    from tagaudit.validate import validate_files

    chosen = (
        _choice(format, ValidateFormat, "--format")
        if format
        else (ValidateFormat.GITHUB if os.environ.get("GITHUB_ACTIONS") == "true" else ValidateFormat.TEXT)
    )
    report = validate_files(files)
    if chosen is ValidateFormat.TEXT:
        sys.stdout.write(validate_text(report, color=_stdout_is_terminal()))
    else:
        sys.stdout.write(RENDERERS[chosen](report))
    raise typer.Exit(report.exit_code(strict))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the taxonomy format, for editors.

    Example:

        tagaudit schema > taxonomy.schema.json
    """
    from tagaudit.schema import schema_json

    sys.stdout.write(schema_json())


@app.command()
def rules() -> None:
    """List every finding code `validate` reports, with its severity and meaning.

    Example:

        tagaudit rules
    """
    from tagaudit.rules import RULES

    for rule in RULES:
        doc = " ".join(rule.doc.split())
        sys.stdout.write(f"{rule.code:32} {rule.severity.value:8} {doc}\n")


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


def _lang(value: str | None) -> str | None:
    if value is not None and value not in ("sv", "en"):
        raise click.BadParameter(f"'{value}' is not one of: sv, en", param_hint="--lang")
    return value


def _rate(value: str | None, option: str) -> float | None:
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


def _with_progress(work: Callable[[Callable[[int], None] | None], T]) -> T:
    """Run `work(advance)` with a row counter on stderr when a person is watching."""
    bar, advance = _progress()
    try:
        return work(advance)
    finally:
        if bar is not None:
            bar.stop()  # type: ignore[attr-defined]


def _progress() -> tuple[object, Callable[[int], None] | None]:
    """A row counter on stderr, only for a person at a terminal (never in CI logs or pipes)."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None, None
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.completed:,} rows read"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task("reading", total=None)
    progress.start()
    return progress, lambda rows: progress.advance(task, rows)


@app.command()
def audit(
    tickets: Annotated[list[str], typer.Argument(help="Exports: CSV, JSON, NDJSON, .gz, or - for stdin.")],
    taxonomy: TaxonomyOption,
    format: Annotated[str, typer.Option("--format", "-f", help="text, json, csv or markdown.")] = "text",
    output: OutputOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    period: Annotated[str | None, typer.Option("--period", help="Break down by week or month.")] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", help="Break down by a field: agent, channel, group, or a column."),
    ] = None,
    preset: PresetOption = None,
    map: MapOption = None,
    tag_sep: TagSepOption = None,
    encoding: EncodingOption = None,
    max_untagged: Annotated[
        str | None,
        typer.Option("--max-untagged", help="Exit 1 when the untagged rate is above (0.05 or 5%)."),
    ] = None,
    max_unknown: Annotated[
        str | None,
        typer.Option("--max-unknown", help="Exit 1 when the share of tickets with unknown tags is above."),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Rows per table in text output (0: all).")] = 20,
    skip_invalid: SkipOption = False,
    lang: LangOption = None,
) -> None:
    """Audit ticket exports against a taxonomy: tag counts, unknown and deprecated tags, coverage.

    Example:

        tagaudit audit export.csv -t taxonomy.yaml --by agent --period month
    """
    from tagaudit.audit import run_audit
    from tagaudit.output import write_output
    from tagaudit.render.audit import RENDERERS, AuditFormat
    from tagaudit.render.terminal import audit_text
    from tagaudit.validate import load_usable_taxonomy

    chosen = _choice(format, AuditFormat, "--format")
    untagged_limit, unknown_limit = (
        _rate(max_untagged, "--max-untagged"),
        _rate(max_unknown, "--max-unknown"),
    )
    options = _options(
        since=since,
        until=until,
        period=period,
        by=by,
        preset=preset,
        maps=map,
        tag_sep=tag_sep,
        encoding=encoding,
        skip_invalid=skip_invalid,
        language=_lang(lang),
    )
    model = load_usable_taxonomy(taxonomy)
    if chosen is AuditFormat.HTML:  # the monthly report's page, for the same tickets and options
        from tagaudit.monthly import run_report
        from tagaudit.render.html import report_html

        html_options = dataclasses.replace(options, by=by or "agent", by_optional=by is None)
        monthly = _with_progress(lambda advance: run_report(tickets, model, html_options, advance))
        write_output(report_html(monthly), output)
        report = monthly.audit
    else:
        report = _with_progress(lambda advance: run_audit(tickets, model, options, advance))
        if chosen is AuditFormat.TEXT:
            to_terminal = output is None and _stdout_is_terminal()
            write_output(audit_text(report, color=to_terminal, top=top, width=_width()), output)
        else:
            write_output(RENDERERS[chosen](report), output)
    over = (untagged_limit is not None and report.tickets.untagged_rate > untagged_limit) or (
        unknown_limit is not None and report.tickets.unknown_rate > unknown_limit
    )
    raise typer.Exit(1 if over else 0)


@app.command()
def feedback(
    tickets: Annotated[list[str], typer.Argument(help="Exports: CSV, JSON, NDJSON, .gz, or - for stdin.")],
    taxonomy: TaxonomyOption,
    department: Annotated[str | None, typer.Option("--department", help="Only this department.")] = None,
    compare: Annotated[
        str | None,
        typer.Option("--compare", help="'previous': set the window beside the same number of days just before."),
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text, json, markdown or html.")] = "text",
    output: OutputOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    month: Annotated[str | None, typer.Option("--month", help="The window as a calendar month: YYYY-MM.")] = None,
    preset: PresetOption = None,
    map: MapOption = None,
    tag_sep: TagSepOption = None,
    encoding: EncodingOption = None,
    skip_invalid: SkipOption = False,
    lang: LangOption = None,
) -> None:
    """Feedback per department: its tickets, the tags that feed it, example tickets, and the change.

    Without --since/--until (or --month), --compare previous takes the latest
    calendar month in the export.

    Example:

        tagaudit feedback export.csv -t taxonomy.yaml --compare previous -f markdown
    """
    from tagaudit.feedback import run_feedback
    from tagaudit.output import write_output
    from tagaudit.render.feedback import RENDERERS, FeedbackFormat
    from tagaudit.render.terminal import feedback_text
    from tagaudit.validate import load_usable_taxonomy

    chosen = _choice(format, FeedbackFormat, "--format")
    if compare is not None and compare != "previous":
        raise click.BadParameter(f"'{compare}' is not one of: previous", param_hint="--compare")
    since, until = _month(month, since, until)
    options = _options(
        since=since,
        until=until,
        preset=preset,
        maps=map,
        tag_sep=tag_sep,
        encoding=encoding,
        skip_invalid=skip_invalid,
        language=_lang(lang),
    )
    model = load_usable_taxonomy(taxonomy)
    report = _with_progress(
        lambda advance: run_feedback(
            tickets, model, options, compare=compare is not None, department=department, progress=advance
        )
    )
    if chosen is FeedbackFormat.TEXT:
        rendered = feedback_text(report, color=output is None and _stdout_is_terminal(), width=_width())
    elif chosen is FeedbackFormat.HTML:
        from tagaudit.render.html import feedback_html

        rendered = feedback_html(report)
    else:
        rendered = RENDERERS[chosen](report)
    write_output(rendered, output)


@app.command()
def report(
    tickets: Annotated[list[str], typer.Argument(help="Exports: CSV, JSON, NDJSON, .gz, or - for stdin.")],
    taxonomy: TaxonomyOption,
    output: Annotated[str, typer.Option("--output", "-o", help="The HTML file to write.")] = "tagaudit-report.html",
    since: SinceOption = None,
    until: UntilOption = None,
    period: Annotated[str, typer.Option("--period", help="Trend per week or month.")] = "month",
    by: Annotated[str, typer.Option("--by", help="The tagging table's field (default agent).")] = "agent",
    preset: PresetOption = None,
    map: MapOption = None,
    tag_sep: TagSepOption = None,
    encoding: EncodingOption = None,
    skip_invalid: SkipOption = False,
    lang: LangOption = None,
) -> None:
    """Write the monthly report: one self-contained HTML file (no network needed to open it).

    Headline figures, the untagged rate over time, top tags and their trend,
    feedback per department (the latest period beside the one before), tagging
    per agent, taxonomy health and tag co-occurrence.

    Example:

        tagaudit report export.csv -t taxonomy.yaml -o rapport-2026-11.html
    """
    from tagaudit.monthly import run_report
    from tagaudit.output import write_output
    from tagaudit.render.html import report_html
    from tagaudit.validate import load_usable_taxonomy

    options = _options(
        since=since,
        until=until,
        period=period,
        by=by,
        by_optional=True,
        preset=preset,
        maps=map,
        tag_sep=tag_sep,
        encoding=encoding,
        skip_invalid=skip_invalid,
        language=_lang(lang),
    )
    model = load_usable_taxonomy(taxonomy)
    result = _with_progress(lambda advance: run_report(tickets, model, options, advance))
    write_output(report_html(result), output)
    if output != "-":
        sys.stderr.write(f"wrote {output}\n")


@app.command()
def init(
    tickets: Annotated[list[str], typer.Argument(help="Exports: CSV, JSON, NDJSON, .gz, or - for stdin.")],
    output: OutputOption = None,
    name: Annotated[str, typer.Option("--name", help="The taxonomy's name.")] = "Draft",
    lang: Annotated[str, typer.Option("--lang", help="sv or en: the draft's language.")] = "en",
    preset: PresetOption = None,
    map: MapOption = None,
    tag_sep: TagSepOption = None,
    encoding: EncodingOption = None,
    skip_invalid: SkipOption = False,
) -> None:
    """Draft a taxonomy from the tags an export uses (it passes `validate`), to group and refine.

    Example:

        tagaudit init export.csv --lang sv -o taxonomy.yaml
    """
    from tagaudit.drafts import draft_taxonomy
    from tagaudit.output import write_output

    options = _options(
        preset=preset,
        maps=map,
        tag_sep=tag_sep,
        encoding=encoding,
        skip_invalid=skip_invalid,
    )
    write_output(draft_taxonomy(tickets, options, name=name, language=_lang(lang) or "en"), output)


@app.command()
def suggest(
    tickets: Annotated[list[str], typer.Argument(help="Exports: CSV, JSON, NDJSON, .gz, or - for stdin.")],
    taxonomy: TaxonomyOption,
    output: OutputOption = None,
    preset: PresetOption = None,
    map: MapOption = None,
    tag_sep: TagSepOption = None,
    encoding: EncodingOption = None,
    skip_invalid: SkipOption = False,
) -> None:
    """Propose aliases for unknown tags that are typos or variants of taxonomy tags (YAML to review).

    Example:

        tagaudit suggest export.csv -t taxonomy.yaml -o aliases.yaml
    """
    from tagaudit.audit import run_audit
    from tagaudit.drafts import suggest_aliases
    from tagaudit.output import write_output
    from tagaudit.validate import load_usable_taxonomy

    options = _options(
        preset=preset,
        maps=map,
        tag_sep=tag_sep,
        encoding=encoding,
        skip_invalid=skip_invalid,
    )
    model = load_usable_taxonomy(taxonomy)
    write_output(suggest_aliases(run_audit(tickets, model, options), model), output)


def _month(month: str | None, since: str | None, until: str | None) -> tuple[str | None, str | None]:
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


def _options(*, preset: str | None, maps: list[str] | None, **more: Any) -> AuditOptions:
    """The options every reading command shares, checked, with the command's own."""
    from tagaudit.audit import AuditOptions
    from tagaudit.columns import parse_maps

    return AuditOptions(preset=_preset(preset), maps=parse_maps(maps or []), **more)


def _width() -> int:
    import shutil

    return max(shutil.get_terminal_size((100, 24)).columns, 60)


def _preset(name: str | None) -> str | None:
    from tagaudit.columns import PRESETS

    if name is not None and name.lower() not in PRESETS:
        raise click.BadParameter(f"'{name}' is not one of: {', '.join(PRESETS)}", param_hint="--preset")
    return name.lower() if name else None


def _choice(value: str, enum: type[E], option: str) -> E:
    try:
        return enum(value.lower())
    except ValueError:
        allowed = ", ".join(str(member.value) for member in enum)
        raise click.BadParameter(f"'{value}' is not one of: {allowed}", param_hint=option) from None


def main(argv: list[str] | None = None) -> None:
    """Entry point: turns every expected failure into one line and an exit code."""
    command = typer.main.get_command(app)
    try:
        with no_pandas():
            code = command.main(args=argv, prog_name="tagaudit", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        sys.stderr.write(f"tagaudit: {one_line(exc.format_message())}\n")
        code = 2
    except (click.Abort, KeyboardInterrupt):
        code = 130
    except TagauditError as exc:
        sys.stderr.write(f"tagaudit: {one_line(str(exc))}\n")
        code = 2
    except (BrokenPipeError, PipeClosed):
        # the reader went away (| head): end quietly; point stdout at nothing so the final flush is silent
        devnull = os.open(os.devnull, os.O_WRONLY)
        with contextlib.suppress(OSError, ValueError):
            os.dup2(devnull, sys.stdout.fileno())
        code = 0
    if code == 130:  # typer turns Ctrl-C into exit code 130 on its own, without a word
        sys.stderr.write("tagaudit: interrupted\n")
    sys.exit(code if isinstance(code, int) else 0)
