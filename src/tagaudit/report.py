"""The audit report: plain frozen records that every renderer reads (no arrays, no DataFrames)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class TicketSummary:
    total: int
    tagged: int
    untagged: int
    untagged_rate: float
    unclassified: int
    unclassified_rate: float
    with_unknown: int
    unknown_rate: float


@dataclass(frozen=True, slots=True)
class Reading:
    """Where every row went: read = tickets + merged + skipped + outside the window."""

    sources: tuple[str, ...]
    rows_read: int
    rows_merged: int
    rows_skipped: int
    outside_window: int
    undated: int
    skipped: tuple[tuple[str, int | None, str], ...] = ()


@dataclass(frozen=True, slots=True)
class TagRow:
    name: str
    group: str
    tickets: int
    share: float
    deprecated: bool
    replaced_by: str | None
    departments: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GroupRow:
    name: str
    tickets: int
    coverage: float
    missing: int
    exclusive_violations: int
    required: bool
    exclusive: bool


@dataclass(frozen=True, slots=True)
class AuditFinding:
    kind: str
    tag: str | None
    tickets: int
    suggestion: str | None = None
    replaced_by: str | None = None
    canonical: str | None = None
    group: str | None = None
    spellings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind, "tag": self.tag, "tickets": self.tickets}
        if self.kind == "unknown-tag":
            out["suggestion"] = self.suggestion
            out["spellings"] = list(self.spellings)
        for key in ("replaced_by", "canonical", "group"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass(frozen=True, slots=True)
class DepartmentTag:
    name: str
    tickets: int
    examples: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    name: str
    contact: str | None
    tickets: int
    share: float
    tags: tuple[DepartmentTag, ...]


@dataclass(frozen=True, slots=True)
class ByRow:
    value: str
    tickets: int
    untagged: int
    untagged_rate: float
    unclassified: int
    unclassified_rate: float
    with_unknown: int


@dataclass(frozen=True, slots=True)
class PeriodRow:
    period: str
    tickets: int
    untagged: int
    untagged_rate: float
    unclassified: int
    tags: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class AuditReport:
    taxonomy: str
    language: str
    window: tuple[str | None, str | None]
    span: tuple[str | None, str | None]  # first and last creation day seen
    reading: Reading
    tickets: TicketSummary
    tags: tuple[TagRow, ...]
    groups: tuple[GroupRow, ...]
    findings: tuple[AuditFinding, ...]
    unused_tags: tuple[str, ...]
    departments: tuple[DepartmentRow, ...]
    ignored: tuple[tuple[str, int], ...]
    by_field: str | None = None
    by: tuple[ByRow, ...] = ()
    period: str | None = None
    periods: tuple[PeriodRow, ...] = ()
    pairs: tuple[tuple[str, str, int], ...] = field(default=())  # tag co-occurrence, most first
    # co-occurrence of the most used tags: names, and tickets per pair (diagonal: the tag's tickets)
    matrix: tuple[tuple[str, ...], tuple[tuple[int, ...], ...]] = field(default=((), ()))
