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


def _table(title: str, columns: list[tuple[str, str]]) -> Table:
    """A titled table; columns are (heading, justify)."""
    table = Table(title=title, title_justify="left", title_style="bold")
    for heading, justify in columns:
        table.add_column(heading, justify=justify)  # type: ignore[arg-type]
    return table


def _heading(report: AuditReport) -> list[RenderableType]:
    lang, t, r = report.language, report.tickets, report.reading
    title = Text(f"{text(lang, 'audit')}: ", style="bold")
    title.append(report.taxonomy)
    if report.window != (None, None):
        title.append(f"  ({report.window[0] or '…'} – {report.window[1] or '…'})", style="dim")
    summary = Table(show_header=False, box=None, pad_edge=False)
    summary.add_column(style="bold")
    summary.add_column(justify="right")
    summary.add_column(style="dim")
    summary.add_row(text(lang, "tickets"), number(t.total, lang), "")
    summary.add_row(text(lang, "untagged"), number(t.untagged, lang), percent(t.untagged_rate, lang))
    summary.add_row(text(lang, "unclassified"), number(t.unclassified, lang), percent(t.unclassified_rate, lang))
    summary.add_row(text(lang, "with_unknown"), number(t.with_unknown, lang), percent(t.unknown_rate, lang))
    where = (
        f"= {number(t.total, lang)} + {number(r.rows_merged, lang)} {text(lang, 'merged')}"
        f" + {number(r.rows_skipped, lang)} {text(lang, 'skipped')}"
    )
    if r.outside_window:
        where += f" + {number(r.outside_window, lang)} {text(lang, 'outside')}"
    summary.add_row(text(lang, "rows_read"), number(r.rows_read, lang), where)
    return [title, summary]


def _top_tags(report: AuditReport, top: int) -> list[RenderableType]:
    lang = report.language
    used = [row for row in report.tags if row.tickets]
    shown, left = _cut(used, top)
    columns = [
        (text(lang, h), j) for h, j in (("tag", "left"), ("group", "left"), ("tickets", "right"), ("share", "right"))
    ]
    table = _table(text(lang, "top_tags"), [*columns, ("", "left")])
    largest = used[0].tickets if used else 0
    for row in shown:
        table.add_row(
            Text(row.name, style="yellow" if row.deprecated else ""),
            Text(row.group),
            number(row.tickets, lang),
            percent(row.share, lang),
            Text(_bar(row.tickets, largest), style="cyan"),
        )
    return [table, *[x for x in [_more(left, lang)] if x]]


def _findings(report: AuditReport, top: int) -> list[RenderableType]:
    lang = report.language
    if not report.findings:
        return []
    shown, left = _cut(list(report.findings), top)
    headings = ("kind", "tag", "tickets", "detail")
    table = _table(text(lang, "findings"), [(text(lang, h), "right" if h == "tickets" else "left") for h in headings])
    for f in shown:
        table.add_row(
            Text(text(lang, f.kind), style="red" if f.kind == "unknown-tag" else "yellow"),
            Text(f.tag or f.group or ""),
            number(f.tickets, lang),
            Text(finding_detail(f, lang)),
        )
    return [table, *[x for x in [_more(left, lang)] if x]]


def _departments(report: AuditReport) -> list[RenderableType]:
    lang = report.language
    if not report.departments:
        return []
    headings = (("department", "left"), ("tickets", "right"), ("share", "right"), ("tag", "left"))
    table = _table(text(lang, "departments"), [(text(lang, h), j) for h, j in headings])
    for d in report.departments:
        feeding = ", ".join(f"{tag.name} ({number(tag.tickets, lang)})" for tag in d.tags)
        table.add_row(Text(d.name), number(d.tickets, lang), percent(d.share, lang), Text(feeding))
    return [table]


def _by(report: AuditReport, top: int) -> list[RenderableType]:
    lang = report.language
    if not report.by_field:
        return []
    shown, left = _cut(list(report.by), top)
    headings = (
        ("value", "left"),
        ("tickets", "right"),
        ("untagged", "right"),
        ("rate", "right"),
        ("unclassified", "right"),
    )
    table = _table(field_name(lang, report.by_field), [(text(lang, h), j) for h, j in headings])
    worst = max((b.untagged_rate for b in report.by), default=0.0)
    for b in shown:
        style = "red" if b.untagged_rate == worst and worst > 0 else ""
        table.add_row(
            Text(b.value),
            number(b.tickets, lang),
            number(b.untagged, lang),
            Text(percent(b.untagged_rate, lang), style=style),
            number(b.unclassified, lang),
        )
    return [table, *[x for x in [_more(left, lang)] if x]]


def _periods(report: AuditReport) -> list[RenderableType]:
    lang = report.language
    if not report.periods:
        return []
    headings = (
        ("period", "left"),
        ("tickets", "right"),
        ("untagged", "right"),
        ("rate", "right"),
        ("top_tags", "left"),
    )
    table = _table(text(lang, "periods"), [(text(lang, h), j) for h, j in headings])
    for p in report.periods:
        leaders = ", ".join(f"{name} ({number(n, lang)})" for name, n in p.tags[:3])
        table.add_row(
            p.period, number(p.tickets, lang), number(p.untagged, lang), percent(p.untagged_rate, lang), Text(leaders)
        )
    return [table]


def _lists(report: AuditReport) -> list[RenderableType]:
    lang = report.language
    out: list[RenderableType] = []
    if report.unused_tags:
        line = Text(f"{text(lang, 'unused_tags')}: ", style="bold")
        line.append(", ".join(report.unused_tags))
        out.append(line)
    if report.ignored:
        line = Text(f"{text(lang, 'ignored')}: ", style="bold")
        line.append(", ".join(f"{name} ({number(n, lang)})" for name, n in report.ignored))
        out.append(line)
    return out


def audit_text(report: AuditReport, *, color: bool, width: int = 100, top: int = 20) -> str:
    """The audit for a person at a terminal: summary, top tags with bars, findings, departments, breakdowns."""
    parts = [
        *_heading(report),
        *_top_tags(report, top),
        *_findings(report, top),
        *_departments(report),
        *_by(report, top),
        *_periods(report),
        *_lists(report),
    ]
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
