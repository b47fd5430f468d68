"""Renderers for `validate`: text, json and GitHub Actions annotations."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from tagaudit.findings import Finding, Severity
from tagaudit.render import jsonout
from tagaudit.validate import ValidateReport


class ValidateFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


def render_json(report: ValidateReport) -> str:
    doc = {
        "schema": "tagaudit.validate/1",
        "files": [
            {
                "file": f.file,
                "errors": f.errors,
                "warnings": f.warnings,
                "findings": [finding.as_dict() for finding in f.findings],
            }
            for f in report.files
        ],
        "errors": report.errors,
        "warnings": report.warnings,
    }
    return jsonout.document(doc)


def _escape_property(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A").replace(":", "%3A").replace(",", "%2C")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_line(finding: Finding) -> str:
    level = (
        "error"
        if finding.severity is Severity.ERROR
        else ("warning" if finding.severity is Severity.WARNING else "notice")
    )
    pos = finding.pos
    return (
        f"::{level} file={_escape_property(pos.file)},line={pos.line},col={pos.column},"
        f"title={_escape_property(finding.code)}::{_escape_data(finding.message)}"
    )


def render_github(report: ValidateReport) -> str:
    lines = [_github_line(finding) for f in report.files for finding in f.findings]
    return "".join(line + "\n" for line in lines)


def render_plain(report: ValidateReport) -> str:
    """The text format without colour: `file:line:col: severity [code] message`."""
    from tagaudit.render.terminal import validate_text

    return validate_text(report, color=False)


RENDERERS: dict[ValidateFormat, Callable[[ValidateReport], str]] = {
    ValidateFormat.TEXT: render_plain,
    ValidateFormat.JSON: render_json,
    ValidateFormat.GITHUB: render_github,
}
