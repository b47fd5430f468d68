"""`feedback` and `report`: what the team brings to its monthly meeting."""

from __future__ import annotations

import sys
from typing import Annotated

import click
import typer

from tagaudit.cli.app import app
from tagaudit.cli.common import (
    EncodingOption,
    LangOption,
    MapOption,
    OutputOption,
    PresetOption,
    SinceOption,
    SkipOption,
    TagSepOption,
    TaxonomyOption,
    UntilOption,
    choice,
    lang_option,
    month_window,
    reading_options,
    stdout_is_terminal,
    terminal_width,
    with_progress,
)


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

    chosen = choice(format, FeedbackFormat, "--format")
    if compare is not None and compare != "previous":
        raise click.BadParameter(f"'{compare}' is not one of: previous", param_hint="--compare")
    since, until = month_window(month, since, until)
    options = reading_options(
        since=since,
        until=until,
        preset=preset,
        maps=map,
        tag_sep=tag_sep,
        encoding=encoding,
        skip_invalid=skip_invalid,
        language=lang_option(lang),
    )
    model = load_usable_taxonomy(taxonomy)
    report = with_progress(
        lambda advance: run_feedback(
            tickets, model, options, compare=compare is not None, department=department, progress=advance
        ),
        tickets,
    )
    if chosen is FeedbackFormat.TEXT:
        rendered = feedback_text(report, color=output is None and stdout_is_terminal(), width=terminal_width())
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

    options = reading_options(
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
        language=lang_option(lang),
    )
    model = load_usable_taxonomy(taxonomy)
    result = with_progress(lambda advance: run_report(tickets, model, options, advance), tickets)
    write_output(report_html(result), output)
    if output != "-":
        sys.stderr.write(f"wrote {output}\n")
