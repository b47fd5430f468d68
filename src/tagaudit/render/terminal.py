"""Terminal rendering with rich; user text always goes in as Text, never as markup."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from tagaudit.findings import Severity
from tagaudit.i18n import field_name, number, percent, text
from tagaudit.render.audit import finding_detail
from tagaudit.report import AuditReport
from tagaudit.validate import ValidateReport

if TYPE_CHECKING:  # only types: validate must not pay for the engine's imports
    from tagaudit.feedback import FeedbackReport
    from tagaudit.stats import Change

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


def _bar(value: int, largest: int, width: int = 20) -> str:
    if largest <= 0 or value <= 0:
        return ""
    cells = value / largest * width
    return "█" * int(cells) + ("▌" if cells - int(cells) >= 0.5 else "") or "▏"


def _cut(rows: list[Any], top: int) -> tuple[list[Any], int]:
    if top <= 0 or len(rows) <= top:
        return rows, 0
    return rows[:top], len(rows) - top


def _more(left: int, lang: str) -> Text | None:
    if not left:
        return None
    return Text(
        f"… {number(left, lang)} {text(lang, 'more_rows')} {text(lang, 'not_shown')} ({text(lang, 'show_all')})",
        style="dim",
    )


def audit_text(report: AuditReport, *, color: bool, width: int = 100, top: int = 20) -> str:
    """The audit for a person at a terminal: summary, top tags with bars, findings, departments."""
    lang = report.language
    t = report.tickets
    r = report.reading
    parts: list[RenderableType] = []
    title = Text(f"{text(lang, 'audit')}: ", style="bold")
    title.append(report.taxonomy)
    if report.window != (None, None):
        title.append(f"  ({report.window[0] or '…'} – {report.window[1] or '…'})", style="dim")
    parts.append(title)
    summary = Table(show_header=False, box=None, pad_edge=False)
    summary.add_column(style="bold")
    summary.add_column(justify="right")
    summary.add_column(style="dim")
    summary.add_row(text(lang, "tickets"), f"{number(t.total, lang)}", "")
    summary.add_row(text(lang, "untagged"), f"{number(t.untagged, lang)}", percent(t.untagged_rate, lang))
    summary.add_row(text(lang, "unclassified"), f"{number(t.unclassified, lang)}", percent(t.unclassified_rate, lang))
    summary.add_row(text(lang, "with_unknown"), f"{number(t.with_unknown, lang)}", percent(t.unknown_rate, lang))
    summary.add_row(
        text(lang, "rows_read"),
        f"{number(r.rows_read, lang)}",
        f"= {number(t.total, lang)} + {number(r.rows_merged, lang)} {text(lang, 'merged')}"
        f" + {number(r.rows_skipped, lang)} {text(lang, 'skipped')}"
        + (f" + {number(r.outside_window, lang)} {text(lang, 'outside')}" if r.outside_window else ""),
    )
    parts.append(summary)

    used = [row for row in report.tags if row.tickets]
    shown, left = _cut(used, top)
    tags = Table(title=text(lang, "top_tags"), title_justify="left", title_style="bold")
    for header, justify in (
        ("tag", "left"),
        ("group", "left"),
        ("tickets", "right"),
        ("share", "right"),
    ):
        tags.add_column(text(lang, header), justify=justify)  # type: ignore[arg-type]
    tags.add_column("")
    largest = used[0].tickets if used else 0
    for row in shown:
        name = Text(row.name, style="yellow" if row.deprecated else "")
        tags.add_row(
            name,
            Text(row.group),
            f"{number(row.tickets, lang)}",
            percent(row.share, lang),
            Text(_bar(row.tickets, largest), style="cyan"),
        )
    parts.append(tags)
    parts.extend(x for x in [_more(left, lang)] if x)

    if report.findings:
        shown_f, left_f = _cut(list(report.findings), top)
        findings = Table(title=text(lang, "findings"), title_justify="left", title_style="bold")
        findings.add_column(text(lang, "kind"))
        findings.add_column(text(lang, "tag"))
        findings.add_column(text(lang, "tickets"), justify="right")
        findings.add_column(text(lang, "detail"))
        for f in shown_f:
            style = "red" if f.kind == "unknown-tag" else "yellow"
            findings.add_row(
                Text(text(lang, f.kind), style=style),
                Text(f.tag or f.group or ""),
                f"{number(f.tickets, lang)}",
                Text(finding_detail(f, lang)),
            )
        parts.append(findings)
        parts.extend(x for x in [_more(left_f, lang)] if x)

    departments = Table(title=text(lang, "departments"), title_justify="left", title_style="bold")
    departments.add_column(text(lang, "department"))
    departments.add_column(text(lang, "tickets"), justify="right")
    departments.add_column(text(lang, "share"), justify="right")
    departments.add_column(text(lang, "tag"))
    for d in report.departments:
        departments.add_row(
            Text(d.name),
            f"{number(d.tickets, lang)}",
            percent(d.share, lang),
            Text(", ".join(f"{tag.name} ({number(tag.tickets, lang)})" for tag in d.tags)),
        )
    if report.departments:
        parts.append(departments)

    if report.by_field:
        shown_b, left_b = _cut(list(report.by), top)
        by = Table(title=field_name(lang, report.by_field), title_justify="left", title_style="bold")
        by.add_column(text(lang, "value"))
        by.add_column(text(lang, "tickets"), justify="right")
        by.add_column(text(lang, "untagged"), justify="right")
        by.add_column(text(lang, "rate"), justify="right")
        by.add_column(text(lang, "unclassified"), justify="right")
        worst = max((b.untagged_rate for b in report.by), default=0.0)
        for b in shown_b:
            style = "red" if b.untagged_rate == worst and worst > 0 else ""
            by.add_row(
                Text(b.value),
                f"{number(b.tickets, lang)}",
                f"{number(b.untagged, lang)}",
                Text(percent(b.untagged_rate, lang), style=style),
                f"{number(b.unclassified, lang)}",
            )
        parts.append(by)
        parts.extend(x for x in [_more(left_b, lang)] if x)

    if report.periods:
        periods = Table(title=text(lang, "periods"), title_justify="left", title_style="bold")
        periods.add_column(text(lang, "period"))
        periods.add_column(text(lang, "tickets"), justify="right")
        periods.add_column(text(lang, "untagged"), justify="right")
        periods.add_column(text(lang, "rate"), justify="right")
        periods.add_column(text(lang, "top_tags"))
        for p in report.periods:
            periods.add_row(
                p.period,
                f"{number(p.tickets, lang)}",
                f"{number(p.untagged, lang)}",
                percent(p.untagged_rate, lang),
                Text(", ".join(f"{name} ({number(n, lang)})" for name, n in p.tags[:3])),
            )
        parts.append(periods)

    if report.unused_tags:
        line = Text(f"{text(lang, 'unused_tags')}: ", style="bold")
        line.append(", ".join(report.unused_tags))
        parts.append(line)
    if report.ignored:
        line = Text(f"{text(lang, 'ignored')}: ", style="bold")
        line.append(", ".join(f"{name} ({number(n, lang)})" for name, n in report.ignored))
        parts.append(line)
    return to_string(parts, color=color, width=width)


def feedback_text(report: FeedbackReport, *, color: bool, width: int = 100) -> str:
    """Feedback per department for a person at a terminal."""
    from tagaudit.render.feedback import change_text, window_text

    lang = report.language
    parts: list[RenderableType] = []
    title = Text(f"{text(lang, 'feedback')}: ", style="bold")
    title.append(report.taxonomy)
    parts.append(title)
    line = Text(
        f"{text(lang, 'window')}: {window_text(report)}. {text(lang, 'tickets')}: {number(report.tickets, lang)}"
    )
    if report.previous_tickets is not None:
        line.append(f" ({text(lang, 'was')} {number(report.previous_tickets, lang)})")
    parts.append(line)
    for d in report.departments:
        heading = Text(f"\n{d.name}", style="bold cyan")
        if d.contact:
            heading.append(f"  <{d.contact}>", style="dim")
        heading.append(f"  {number(d.tickets, lang)} {text(lang, 'tickets').lower()} ({percent(d.share, lang)})")
        if d.change is not None:
            heading.append(f"  {change_text(d.change, lang)}", style=_change_style(d.change))
        parts.append(heading)
        if not d.tags:
            parts.append(Text(text(lang, "no_feedback"), style="dim"))
            continue
        table = Table(box=None, pad_edge=False, show_edge=False)
        table.add_column(text(lang, "tag"))
        table.add_column(text(lang, "tickets"), justify="right")
        if d.change is not None:
            table.add_column(text(lang, "previous"), justify="right")
            table.add_column(text(lang, "change"), justify="right")
        table.add_column(text(lang, "examples"))
        for t in d.tags:
            cells: list[RenderableType] = [Text(t.name), f"{number(t.tickets, lang)}"]
            if d.change is not None:
                previous = f"{number(t.change.previous, lang)}" if t.change else ""
                cells += [previous, Text(change_text(t.change, lang), style=_change_style(t.change))]
            cells.append(Text("; ".join(f"#{i} {s}".strip() for i, s in t.examples)))
            table.add_row(*cells)
        parts.append(table)
    if report.previous is not None:
        parts.append(Text("\n" + text(lang, "significant_note"), style="dim"))
    return to_string(parts, color=color, width=width)


def _change_style(change: Change | None) -> str:
    if change is None or not change.significant:
        return ""
    return "bold red" if change.delta > 0 else "bold green"
