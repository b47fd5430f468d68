"""Renderers for `audit`: json (FORMATS.md §5), csv (a row per tag) and markdown."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from enum import StrEnum

from tagaudit.i18n import field_name, number, percent, text
from tagaudit.render import jsonout
from tagaudit.render.safe import csv_cell, markdown
from tagaudit.report import AuditFinding, AuditReport


class AuditFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"  # the self-contained report (render/html.py)


def audit_dict(report: AuditReport) -> dict[str, object]:
    t = report.tickets
    r = report.reading
    doc: dict[str, object] = {
        "schema": "tagaudit.audit/1",
        "taxonomy": report.taxonomy,
        "sources": list(r.sources),
        "window": {"since": report.window[0], "until": report.window[1]},
        "span": {"first": report.span[0], "last": report.span[1]},
        "reading": {
            "rows_read": r.rows_read,
            "tickets": t.total,
            "rows_merged": r.rows_merged,
            "rows_skipped": r.rows_skipped,
            "outside_window": r.outside_window,
            "undated": r.undated,
            "balanced": r.rows_read == t.total + r.rows_merged + r.rows_skipped + r.outside_window,
            "skipped": [{"file": f, "line": line, "reason": why} for f, line, why in r.skipped],
        },
        "tickets": {
            "total": t.total,
            "tagged": t.tagged,
            "untagged": t.untagged,
            "untagged_rate": t.untagged_rate,
            "unclassified": t.unclassified,
            "unclassified_rate": t.unclassified_rate,
            "with_unknown": t.with_unknown,
            "unknown_rate": t.unknown_rate,
        },
        "tags": [
            {
                "name": row.name,
                "group": row.group,
                "tickets": row.tickets,
                "share": row.share,
                "deprecated": row.deprecated,
                "replaced_by": row.replaced_by,
                "feedback": list(row.departments),
            }
            for row in report.tags
        ],
        "groups": [
            {
                "name": g.name,
                "tickets": g.tickets,
                "coverage": g.coverage,
                "missing": g.missing,
                "exclusive_violations": g.exclusive_violations,
                "required": g.required,
                "exclusive": g.exclusive,
            }
            for g in report.groups
        ],
        "findings": [f.as_dict() for f in report.findings],
        "unused_tags": list(report.unused_tags),
        "departments": [
            {
                "name": d.name,
                "contact": d.contact,
                "tickets": d.tickets,
                "share": d.share,
                "tags": [{"name": tag.name, "tickets": tag.tickets} for tag in d.tags],
            }
            for d in report.departments
        ],
        "ignored": [{"tag": tag, "tickets": n} for tag, n in report.ignored],
        "cooccurrence": [{"tags": [a, b], "tickets": n} for a, b, n in report.pairs],
    }
    if report.by_field:
        doc["by"] = {
            report.by_field: [
                {
                    "value": row.value,
                    "tickets": row.tickets,
                    "untagged": row.untagged,
                    "untagged_rate": row.untagged_rate,
                    "unclassified": row.unclassified,
                    "unclassified_rate": row.unclassified_rate,
                    "with_unknown": row.with_unknown,
                }
                for row in report.by
            ]
        }
    if report.period:
        doc["period"] = report.period
        doc["periods"] = [
            {
                "period": p.period,
                "tickets": p.tickets,
                "untagged": p.untagged,
                "untagged_rate": p.untagged_rate,
                "unclassified": p.unclassified,
                "tags": dict(p.tags),
            }
            for p in report.periods
        ]
    return doc


def render_json(report: AuditReport) -> str:
    return jsonout.document(audit_dict(report))


def render_csv(report: AuditReport) -> str:
    """A row per tag: the taxonomy's, then unknown and ignored ones as found in the export.

    Every cell is neutralised against formula injection.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def row(*cells: object) -> None:
        writer.writerow([csv_cell(cell) for cell in cells])

    row("tag", "group", "status", "tickets", "share", "replaced_by", "suggestion", "feedback")
    total = report.tickets.total
    for tag in report.tags:
        status = "deprecated" if tag.deprecated else "active"
        row(
            tag.name,
            tag.group,
            status,
            tag.tickets,
            tag.share,
            tag.replaced_by,
            "",
            ";".join(tag.departments),
        )
    for finding in report.findings:
        if finding.kind == "unknown-tag":
            share = round(finding.tickets / total, 6) if total else 0.0
            row(finding.tag, "", "unknown", finding.tickets, share, "", finding.suggestion, "")
    for name, n in report.ignored:
        row(name, "", "ignored", n, round(n / total, 6) if total else 0.0, "", "", "")
    return buffer.getvalue()


def finding_detail(finding: AuditFinding, language: str) -> str:
    if finding.kind == "unknown-tag" and finding.suggestion:
        return f"{text(language, 'did_you_mean')} '{finding.suggestion}'?"
    if finding.kind == "deprecated-tag" and finding.replaced_by:
        return f"{text(language, 'replaced_by')}: '{finding.replaced_by}'"
    if finding.kind == "alias":
        return f"{text(language, 'alias_of')} '{finding.canonical}'"
    if finding.kind == "missing-required-group":
        return f"{text(language, 'required_missing')} '{finding.group}'"
    if finding.kind == "exclusive-violation":
        return f"{text(language, 'exclusive_many')} '{finding.group}'"
    return ""


def _table(headers: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render_markdown(report: AuditReport) -> str:
    lang = report.language
    t = report.tickets
    out = [f"# {text(lang, 'audit')}: {markdown(report.taxonomy)}\n"]
    out.append(
        _table(
            [
                text(lang, "tickets"),
                text(lang, "untagged"),
                text(lang, "unclassified"),
                text(lang, "with_unknown"),
            ],
            [
                [
                    f"{number(t.total, lang)}",
                    f"{number(t.untagged, lang)} ({percent(t.untagged_rate, lang)})",
                    f"{number(t.unclassified, lang)} ({percent(t.unclassified_rate, lang)})",
                    f"{number(t.with_unknown, lang)} ({percent(t.unknown_rate, lang)})",
                ]
            ],
        )
    )
    out.append(f"\n## {text(lang, 'top_tags')}\n")
    out.append(
        _table(
            [text(lang, "tag"), text(lang, "group"), text(lang, "tickets"), text(lang, "share")],
            [
                [markdown(r.name), markdown(r.group), f"{number(r.tickets, lang)}", percent(r.share, lang)]
                for r in report.tags
                if r.tickets
            ],
        )
    )
    out.append(f"\n## {text(lang, 'groups')}\n")
    out.append(
        _table(
            [
                text(lang, "group"),
                text(lang, "tickets"),
                text(lang, "coverage"),
                text(lang, "missing"),
                text(lang, "exclusive_violations"),
            ],
            [
                [
                    markdown(g.name),
                    f"{number(g.tickets, lang)}",
                    percent(g.coverage, lang),
                    f"{number(g.missing, lang)}",
                    f"{number(g.exclusive_violations, lang)}",
                ]
                for g in report.groups
            ],
        )
    )
    if report.findings:
        out.append(f"\n## {text(lang, 'findings')}\n")
        out.append(
            _table(
                [
                    text(lang, "kind"),
                    text(lang, "tag"),
                    text(lang, "tickets"),
                    text(lang, "detail"),
                ],
                [
                    [
                        text(lang, f.kind),
                        markdown(f.tag or f.group or ""),
                        f"{number(f.tickets, lang)}",
                        markdown(finding_detail(f, lang)),
                    ]
                    for f in report.findings
                ],
            )
        )
    out.append(f"\n## {text(lang, 'departments')}\n")
    out.append(
        _table(
            [
                text(lang, "department"),
                text(lang, "tickets"),
                text(lang, "share"),
                text(lang, "tag"),
            ],
            [
                [
                    markdown(d.name),
                    f"{number(d.tickets, lang)}",
                    percent(d.share, lang),
                    markdown(", ".join(f"{tag.name} ({number(tag.tickets, lang)})" for tag in d.tags)),
                ]
                for d in report.departments
            ],
        )
    )
    if report.by_field:
        out.append(f"\n## {markdown(field_name(lang, report.by_field))}\n")
        out.append(
            _table(
                [
                    text(lang, "value"),
                    text(lang, "tickets"),
                    text(lang, "untagged"),
                    text(lang, "rate"),
                ],
                [
                    [
                        markdown(b.value),
                        f"{number(b.tickets, lang)}",
                        f"{number(b.untagged, lang)}",
                        percent(b.untagged_rate, lang),
                    ]
                    for b in report.by
                ],
            )
        )
    if report.periods:
        out.append(f"\n## {text(lang, 'periods')}\n")
        out.append(
            _table(
                [
                    text(lang, "period"),
                    text(lang, "tickets"),
                    text(lang, "untagged"),
                    text(lang, "rate"),
                ],
                [
                    [
                        p.period,
                        f"{number(p.tickets, lang)}",
                        f"{number(p.untagged, lang)}",
                        percent(p.untagged_rate, lang),
                    ]
                    for p in report.periods
                ],
            )
        )
    if report.unused_tags:
        out.append(f"\n## {text(lang, 'unused_tags')}\n\n")
        out.append("".join(f"- {markdown(name)}\n" for name in report.unused_tags))
    return "".join(out)


RENDERERS: dict[AuditFormat, Callable[[AuditReport], str]] = {
    AuditFormat.JSON: render_json,
    AuditFormat.CSV: render_csv,
    AuditFormat.MARKDOWN: render_markdown,
}
