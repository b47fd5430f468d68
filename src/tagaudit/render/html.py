"""Self-contained HTML for `report` and `feedback --format html`: inline CSS and SVG, nothing fetched.

Jinja2 autoescapes every value; the charts' geometry is computed here as
numbers, their labels go through the template and are escaped there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

from tagaudit.feedback import FeedbackReport
from tagaudit.i18n import field_name, number, percent, text
from tagaudit.monthly import MonthlyReport
from tagaudit.render.audit import finding_detail
from tagaudit.render.feedback import change_text, window_text
from tagaudit.report import AuditReport

TREND_TAGS = 15
CHART_WIDTH, CHART_HEIGHT = 640, 180


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("tagaudit", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    return env


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str


def rate_bars(report: AuditReport) -> list[Bar]:
    """The untagged rate per period as bars."""
    periods = report.periods
    if not periods:
        return []
    top = max(0.01, *(p.untagged_rate for p in periods)) * 1.15
    slot = CHART_WIDTH / len(periods)
    bars = []
    for i, p in enumerate(periods):
        height = p.untagged_rate / top * (CHART_HEIGHT - 30)
        bars.append(
            Bar(
                i * slot + slot * 0.15,
                CHART_HEIGHT - 20 - height,
                slot * 0.7,
                height,
                p.period,
                percent(p.untagged_rate, report.language, "\u00a0"),
            )
        )
    return bars


def sparkline(values: list[int], width: int = 120, height: int = 24) -> str:
    """SVG polyline points for a series (numbers only)."""
    if len(values) < 2:
        return ""
    top = max(values) or 1
    step = width / (len(values) - 1)
    return " ".join(f"{i * step:.1f},{height - 2 - v / top * (height - 4):.1f}" for i, v in enumerate(values))


def trends(report: AuditReport) -> list[dict[str, Any]]:
    per_period = [dict(p.tags) for p in report.periods]
    rows = []
    for tag in [t for t in report.tags if t.tickets][:TREND_TAGS]:
        series = [counts.get(tag.name, 0) for counts in per_period]
        rows.append(
            {
                "tag": tag,
                "series": series,
                "points": sparkline(series),
                "first": series[0] if series else 0,
                "last": series[-1] if series else 0,
            }
        )
    return rows


def heat(report: AuditReport) -> dict[str, Any]:
    """The co-occurrence matrix with a shade per cell: lift = observed / expected under independence."""
    names, counts = report.matrix
    total = max(report.tickets.total, 1)
    cells = []
    for i, row in enumerate(counts):
        line = []
        for j, n in enumerate(row):
            if i == j:
                line.append({"n": n, "shade": "diag", "lift": None})
                continue
            expected = row[i] * counts[j][j] / total
            lift = n / expected if expected else 0.0
            shade = _shade(n, expected, lift)
            line.append({"n": n, "shade": shade, "lift": round(lift, 2)})
        cells.append(line)
    return {"names": names, "cells": cells}


def _shade(n: int, expected: float, lift: float) -> str:
    if n == 0 and expected >= 5:
        return "never"
    if lift >= 2:
        return "strong"
    if lift >= 1.2:
        return "more"
    return "less" if lift <= 0.5 else "plain"


def _helpers(language: str) -> dict[str, Any]:
    return {
        "t": lambda key: text(language, key),
        "num": lambda value: number(value, language),
        "pct": lambda value: percent(value, language, "\u00a0"),
        "change": lambda value: change_text(value, language),
        "detail": lambda finding: finding_detail(finding, language),
        "field": lambda name: field_name(language, name),
        "lang": language,
    }


def report_html(report: MonthlyReport) -> str:
    audit = report.audit
    agents = [b for b in audit.by if b.value != "(none)"] if audit.by_field else []
    worst = max((b.untagged_rate for b in agents), default=0.0)
    health = {
        "unknown": [f for f in audit.findings if f.kind == "unknown-tag"],
        "deprecated": [f for f in audit.findings if f.kind == "deprecated-tag"],
        "aliases": [f for f in audit.findings if f.kind == "alias"],
        "groups": [f for f in audit.findings if f.kind in ("missing-required-group", "exclusive-violation")],
    }
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            report=report,
            audit=audit,
            feedback=report.feedback,
            window=window_text(report.feedback),
            bars=rate_bars(audit),
            chart={"width": CHART_WIDTH, "height": CHART_HEIGHT},
            trends=trends(audit),
            agents=agents,
            worst=worst or 1.0,
            health=health,
            heat=heat(audit),
            **_helpers(audit.language),
        )
    )


def feedback_html(report: FeedbackReport) -> str:
    return (
        _environment()
        .get_template("feedback.html.j2")
        .render(feedback=report, window=window_text(report), **_helpers(report.language))
    )
