"""Renderers for `feedback`: json (FORMATS.md §5), markdown (ready for an e-mail), text."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from tagaudit.feedback import FeedbackReport
from tagaudit.i18n import number, percent, text
from tagaudit.render import jsonout
from tagaudit.render.safe import markdown
from tagaudit.stats import Change


class FeedbackFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"
    HTML = "html"


def feedback_dict(report: FeedbackReport) -> dict[str, object]:
    window: dict[str, object] = {"since": report.since, "until": report.until}
    if report.previous is not None:
        window["previous"] = {"since": report.previous[0], "until": report.previous[1]}
    return {
        "schema": "tagaudit.feedback/1",
        "taxonomy": report.taxonomy,
        "window": window,
        "tickets": report.tickets,
        "previous_tickets": report.previous_tickets,
        "departments": [
            {
                "name": d.name,
                "contact": d.contact,
                "tickets": d.tickets,
                "share": d.share,
                "tags": [
                    {
                        "name": t.name,
                        "tickets": t.tickets,
                        "examples": [{"id": ident, "subject": subject} for ident, subject in t.examples],
                        "change": t.change.as_dict() if t.change else None,
                    }
                    for t in d.tags
                ],
                "change": d.change.as_dict() if d.change else None,
            }
            for d in report.departments
        ],
    }


def render_json(report: FeedbackReport) -> str:
    return jsonout.document(feedback_dict(report))


def change_text(change: Change | None, language: str) -> str:
    """`+15 (+150.0 %) ▲` style, or `unchanged`."""
    if change is None:
        return ""
    if change.delta == 0:
        return text(language, "unchanged")
    arrow = (" ▲" if change.delta > 0 else " ▼") if change.significant else ""
    if change.delta_pct is not None:
        shown = f"{change.delta_pct:+.1f}"
        pct = f" ({shown.replace('.', ',') if language == 'sv' else shown} %)"
    else:
        pct = f" ({text(language, 'new')})"
    sign = "+" if change.delta > 0 else "-"
    return f"{sign}{number(abs(change.delta), language)}{pct}{arrow}"


def window_text(report: FeedbackReport) -> str:
    lang = report.language
    span = f"{report.since or '…'} – {report.until or '…'}"
    if report.previous:
        span += f" ({text(lang, 'compared_with')} {report.previous[0]} – {report.previous[1]})"
    return span


def render_markdown(report: FeedbackReport) -> str:
    lang = report.language
    out = [f"# {text(lang, 'feedback')}: {markdown(report.taxonomy)}\n\n"]
    out.append(
        f"{text(lang, 'window')}: {window_text(report)}. {text(lang, 'tickets')}: {number(report.tickets, lang)}"
    )
    if report.previous_tickets is not None:
        out.append(f" ({text(lang, 'was')} {number(report.previous_tickets, lang)})")
    out.append(".\n")
    for d in report.departments:
        contact = f" ({markdown(d.contact)})" if d.contact else ""
        out.append(f"\n## {markdown(d.name)}{contact}\n\n")
        share = f"{percent(d.share, lang)} {text(lang, 'of_all')}"
        line = f"**{number(d.tickets, lang)}** {text(lang, 'tickets').lower()}, {share}"
        if d.change is not None:
            was = f"{text(lang, 'was')} {number(d.change.previous, lang)}"
            line += f"; {text(lang, 'change').lower()}: {change_text(d.change, lang)} ({was})"
        out.append(line + ".\n\n")
        if not d.tags:
            out.append(f"{text(lang, 'no_feedback')}\n")
            continue
        headers = [text(lang, "tag"), text(lang, "tickets")]
        if d.change is not None:
            headers += [text(lang, "previous"), text(lang, "change")]
        headers.append(text(lang, "examples"))
        out.append("| " + " | ".join(headers) + " |\n|" + "|".join("---" for _ in headers) + "|\n")
        for t in d.tags:
            cells = [markdown(t.name), f"{number(t.tickets, lang)}"]
            if d.change is not None:
                cells += [f"{number(t.change.previous, lang)}" if t.change else "", change_text(t.change, lang)]
            cells.append("; ".join(f"#{markdown(i)} {markdown(s)}".strip() for i, s in t.examples))
            out.append("| " + " | ".join(cells) + " |\n")
    if report.previous is not None:
        out.append(f"\n{text(lang, 'significant_note')}.\n")
    return "".join(out)


RENDERERS: dict[FeedbackFormat, Callable[[FeedbackReport], str]] = {
    FeedbackFormat.JSON: render_json,
    FeedbackFormat.MARKDOWN: render_markdown,
}
