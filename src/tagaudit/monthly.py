"""`report`: everything a team lead brings to the monthly meeting, from one reading of the exports."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from tagaudit.audit import AuditOptions, read_spec, tally_exports, window_of
from tagaudit.dates import period_range
from tagaudit.engine import Window
from tagaudit.feedback import FeedbackReport, build_feedback
from tagaudit.report import AuditReport
from tagaudit.summarize import summarize
from tagaudit.taxonomy import Taxonomy


@dataclass(frozen=True, slots=True)
class MonthlyReport:
    audit: AuditReport  # the whole window, per period and per agent
    feedback: FeedbackReport  # the latest period beside the one before
    generated: str


def run_report(
    paths: list[str], taxonomy: Taxonomy, options: AuditOptions, progress: Callable[[int], None] | None = None
) -> MonthlyReport:
    options = dataclasses.replace(options, period=options.period or "month", examples=True)
    read_spec(options, taxonomy)
    window = window_of(options)
    tally = tally_exports(paths, taxonomy, options, window, progress)
    shown = window.shown()
    audit = summarize(tally, taxonomy, by_field=options.by, period=options.period, window=shown)
    language = options.language or taxonomy.language
    audit = dataclasses.replace(audit, language=language)
    labels = tally.periods
    if not labels:
        feedback = build_feedback(taxonomy, language, audit, None, (tally.first_day, tally.last_day), None)
        return MonthlyReport(audit, feedback, dt.date.today().isoformat())
    latest = len(labels) - 1
    current_range = _clip(period_range(labels[latest]), tally.first_day, tally.last_day)
    current = summarize(
        tally.select(latest), taxonomy, by_field=None, period=None, window=shown, examples_window=Window(*current_range)
    )
    previous_report, previous_range = None, None
    if latest > 0:
        previous_range = _clip(period_range(labels[latest - 1]), tally.first_day, tally.last_day)
        previous_report = summarize(tally.select(latest - 1), taxonomy, by_field=None, period=None, window=shown)
    feedback = build_feedback(taxonomy, language, current, previous_report, current_range, previous_range)
    return MonthlyReport(audit, feedback, dt.date.today().isoformat())


def _clip(span: tuple[int, int], first: int | None, last: int | None) -> tuple[int, int]:
    """A period's days that the data covers (a month the export starts or ends in is partial)."""
    start, end = span
    if first is not None:
        start = max(start, first)
    if last is not None:
        end = min(end, last)
    return start, max(start, end)
