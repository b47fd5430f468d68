"""`audit`: the export against the taxonomy."""

from __future__ import annotations

import dataclasses
from typing import Annotated

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
    rate_option,
    reading_options,
    stdout_is_terminal,
    terminal_width,
    with_progress,
)


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

    chosen = choice(format, AuditFormat, "--format")
    untagged_limit, unknown_limit = (
        rate_option(max_untagged, "--max-untagged"),
        rate_option(max_unknown, "--max-unknown"),
    )
    options = reading_options(
        since=since,
        until=until,
        period=period,
        by=by,
        preset=preset,
        maps=map,
        tag_sep=tag_sep,
        encoding=encoding,
        skip_invalid=skip_invalid,
        language=lang_option(lang),
    )
    model = load_usable_taxonomy(taxonomy)
    if chosen is AuditFormat.HTML:  # the monthly report's page, for the same tickets and options
        from tagaudit.monthly import run_report
        from tagaudit.render.html import report_html

        html_options = dataclasses.replace(options, by=by or "agent", by_optional=by is None)
        monthly = with_progress(lambda advance: run_report(tickets, model, html_options, advance), tickets)
        write_output(report_html(monthly), output)
        report = monthly.audit
    else:
        report = with_progress(lambda advance: run_audit(tickets, model, options, advance), tickets)
        if chosen is AuditFormat.TEXT:
            to_terminal = output is None and stdout_is_terminal()
            write_output(audit_text(report, color=to_terminal, top=top, width=terminal_width()), output)
        else:
            write_output(RENDERERS[chosen](report), output)
    over = (untagged_limit is not None and report.tickets.untagged_rate > untagged_limit) or (
        unknown_limit is not None and report.tickets.unknown_rate > unknown_limit
    )
    raise typer.Exit(1 if over else 0)
