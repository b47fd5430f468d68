"""`validate`: load each taxonomy, run every rule, and collect located findings."""

from __future__ import annotations

from dataclasses import dataclass

from tagaudit.errors import InputError
from tagaudit.findings import Finding, Severity, sort_key
from tagaudit.loader import load_taxonomy
from tagaudit.rules import RULES
from tagaudit.taxonomy import Taxonomy


@dataclass(frozen=True, slots=True)
class FileReport:
    file: str
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)


@dataclass(frozen=True, slots=True)
class ValidateReport:
    files: tuple[FileReport, ...]

    @property
    def errors(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warnings(self) -> int:
        return sum(f.warnings for f in self.files)

    def exit_code(self, strict: bool) -> int:
        return 1 if self.errors or (strict and self.warnings) else 0


def lint_taxonomy(taxonomy: Taxonomy) -> list[Finding]:
    return [finding for rule in RULES if rule.check for finding in rule.check(taxonomy)]


def check_taxonomy(path: str) -> tuple[Taxonomy | None, FileReport]:
    """Load one taxonomy and lint it: the model (when it could be built) and its findings."""
    result = load_taxonomy(path)
    findings = list(result.findings)
    if result.taxonomy is not None:
        findings += lint_taxonomy(result.taxonomy)
    return result.taxonomy, FileReport(path, tuple(sorted(findings, key=sort_key)))


def validate_file(path: str) -> FileReport:
    return check_taxonomy(path)[1]


def validate_files(paths: list[str]) -> ValidateReport:
    return ValidateReport(tuple(validate_file(path) for path in paths))


def load_usable_taxonomy(path: str) -> Taxonomy:
    """A taxonomy `audit` can use: any error finding makes it unusable (exit 2)."""
    taxonomy, report = check_taxonomy(path)
    if taxonomy is None or report.errors:
        first = next((f for f in report.findings if f.severity is Severity.ERROR), None)
        detail = f"{first.code}: {first.message}" if first else "it could not be read"
        more = f" (and {report.errors - 1} more errors)" if report.errors > 1 else ""
        line = first.pos.line if first else None
        raise InputError(
            f"taxonomy cannot be used: {detail}{more}; run 'tagaudit validate {path}'",
            file=path,
            line=line,
        )
    return taxonomy
