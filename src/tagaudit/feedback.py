"""`feedback`: per department, its tickets, the tags that feed it, example tickets, and the change
against the window just before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from tagaudit.audit import AuditOptions, read_spec, tally_exports, window_of
from tagaudit.dates import EPOCH, MISSING, day_text
from tagaudit.engine import Window
from tagaudit.errors import UsageError
from tagaudit.report import AuditReport, DepartmentRow
from tagaudit.stats import Change, compare_counts
from tagaudit.summarize import summarize
from tagaudit.taxonomy import Taxonomy


@dataclass(frozen=True, slots=True)
class FeedbackTag:
    name: str
    tickets: int
    examples: tuple[tuple[str, str], ...]
    change: Change | None


@dataclass(frozen=True, slots=True)
class FeedbackDepartment:
    name: str
    contact: str | None
    description: str | None
    tickets: int
    share: float
    tags: tuple[FeedbackTag, ...]
    change: Change | None


@dataclass(frozen=True, slots=True)
class FeedbackReport:
    taxonomy: str
    language: str
    since: str | None
    until: str | None
    previous: tuple[str, str] | None
    tickets: int
    previous_tickets: int | None
    departments: tuple[FeedbackDepartment, ...]


@dataclass
class CompareWindows:
    """Splits ticket days into the chosen window (1), the one just before (0) and the rest (-1).

    Without --since/--until the window is the latest calendar month in the data.
    """

    since: int | None
    until: int | None
    resolved: tuple[int, int] | None = None

    def __call__(self, days: np.ndarray) -> tuple[np.ndarray, list[str]]:
        known = days[days != MISSING]
        last = int(known.max()) if len(known) else 0
        until = self.until if self.until is not None else (last if self.since is not None else _month_end(last))
        since = self.since if self.since is not None else _month_start(until)
        self.resolved = (since, until)
        length = until - since + 1
        codes = np.full(len(days), -1, dtype=np.int32)
        codes[(days >= since) & (days <= until)] = 1
        codes[(days >= since - length) & (days < since)] = 0
        return codes, ["previous", "current"]

    @property
    def previous(self) -> tuple[int, int]:
        assert self.resolved is not None
        since, until = self.resolved
        return since - (until - since + 1), since - 1


def _month_start(day: int) -> int:
    date = EPOCH + dt.timedelta(days=day)
    return (date.replace(day=1) - EPOCH).days


def _month_end(day: int) -> int:
    date = EPOCH + dt.timedelta(days=day)
    following = (date.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (following - EPOCH).days - 1


def run_feedback(
    paths: list[str],
    taxonomy: Taxonomy,
    options: AuditOptions,
    *,
    compare: bool = False,
    department: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> FeedbackReport:
    if department is not None and taxonomy.department(department) is None:
        known = ", ".join(d.name.text for d in taxonomy.departments)
        raise UsageError(f"--department {department}: no such department (departments: {known})")
    read_spec(options, taxonomy)  # refuse bad options before reading
    window = window_of(options)
    options = replace(options, examples=True, period=None, by=None)
    language = options.language or taxonomy.language
    if not compare:
        tally = tally_exports(paths, taxonomy, options, window, progress)
        current = summarize(tally, taxonomy, by_field=None, period=None, window=(None, None), examples_window=window)
        since = window.since if window.since is not None else tally.first_day
        until = window.until if window.until is not None else tally.last_day
        return build_feedback(taxonomy, language, current, None, (since, until), None, department)
    windows = CompareWindows(window.since, window.until)
    tally = tally_exports(paths, taxonomy, options, Window(), progress, buckets=windows)
    assert windows.resolved is not None
    since, until = windows.resolved
    current = summarize(
        tally.select(1), taxonomy, by_field=None, period=None, window=(None, None), examples_window=Window(since, until)
    )
    previous = summarize(tally.select(0), taxonomy, by_field=None, period=None, window=(None, None))
    return build_feedback(taxonomy, language, current, previous, (since, until), windows.previous, department)


def build_feedback(
    taxonomy: Taxonomy,
    language: str,
    current: AuditReport,
    previous: AuditReport | None,
    window: tuple[int | None, int | None],
    previous_window: tuple[int, int] | None,
    department: str | None = None,
) -> FeedbackReport:
    """Feedback from the audit of a window and (optionally) of the window before it."""
    since, until = window
    days = (
        (until - since + 1, previous_window[1] - previous_window[0] + 1)
        if previous_window and since is not None and until is not None
        else (1, 1)
    )
    before = {d.name: d for d in previous.departments} if previous else {}
    departments = tuple(
        _department(row, before.get(row.name), taxonomy, days)
        for row in current.departments
        if department is None or row.name == department
    )
    return FeedbackReport(
        taxonomy=current.taxonomy,
        language=language,
        since=day_text(since) if since is not None else None,
        until=day_text(until) if until is not None else None,
        previous=(day_text(previous_window[0]), day_text(previous_window[1])) if previous_window else None,
        tickets=current.tickets.total,
        previous_tickets=previous.tickets.total if previous else None,
        departments=departments,
    )


def _department(
    row: DepartmentRow, before: DepartmentRow | None, taxonomy: Taxonomy, days: tuple[int, int]
) -> FeedbackDepartment:
    found = taxonomy.department(row.name)
    description = found.description if found else None
    if before is None:
        tags = tuple(FeedbackTag(t.name, t.tickets, t.examples, None) for t in row.tags)
        return FeedbackDepartment(row.name, row.contact, description, row.tickets, row.share, tags, None)
    earlier = {t.name: t.tickets for t in before.tags}
    names = [t.name for t in row.tags] + [name for name in earlier if name not in {t.name for t in row.tags}]
    now = {t.name: t for t in row.tags}
    tags = tuple(
        FeedbackTag(
            name,
            now[name].tickets if name in now else 0,
            now[name].examples if name in now else (),
            compare_counts(now[name].tickets if name in now else 0, earlier.get(name, 0), *days),
        )
        for name in names
    )
    change = compare_counts(row.tickets, before.tickets, *days)
    return FeedbackDepartment(row.name, row.contact, description, row.tickets, row.share, tags, change)
