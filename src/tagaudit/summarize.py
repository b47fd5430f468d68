"""From a tally to the report: every figure of FORMATS.md §5, computed over distinct tag sets."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tagaudit.dates import day_text
from tagaudit.engine import EXAMPLE_KEY, EXAMPLES_PER_TAG, Tally, Window, expand_sets
from tagaudit.normalize import normalize_tag
from tagaudit.report import (
    AuditFinding,
    AuditReport,
    ByRow,
    DepartmentRow,
    DepartmentTag,
    GroupRow,
    PeriodRow,
    Reading,
    TagRow,
    TicketSummary,
)
from tagaudit.similarity import suggest
from tagaudit.taxonomy import Taxonomy
from tagaudit.vocabulary import TermKind

MAX_PAIRS = 50
MATRIX_TAGS = 12


def rate(part: int, whole: int) -> float:
    return round(part / whole, 6) if whole else 0.0


@dataclass(frozen=True)
class SetFacts:
    """Per distinct tag set: what it says about a ticket carrying it."""

    tagged: np.ndarray  # bool
    classified: np.ndarray  # bool: carries a taxonomy tag
    unknown: np.ndarray  # bool: carries an unknown tag
    set_tag: tuple[np.ndarray, np.ndarray]  # (set, tag) pairs, each once
    set_term: tuple[np.ndarray, np.ndarray]  # (set, term) pairs: every set expanded


def set_facts(tally: Tally) -> SetFacts:
    kinds, tag_of = tally.vocabulary.arrays()
    sets = len(tally.pointers) - 1
    item, terms = expand_sets(tally.pointers, tally.members, np.arange(sets))
    term_kind = kinds[terms] if len(terms) else np.zeros(0, np.int8)
    known = (term_kind == TermKind.TAG) | (term_kind == TermKind.ALIAS)
    classified = np.bincount(item[known], minlength=sets) > 0
    unknown = np.bincount(item[term_kind == TermKind.UNKNOWN], minlength=sets) > 0
    tagged = (tally.pointers[1:] - tally.pointers[:-1]) > 0
    width = max(len(tally.vocabulary.tags), 1)
    pairs = np.unique(item[known] * width + tag_of[terms[known]])
    set_tag = (pairs // width, (pairs % width).astype(np.int64))
    return SetFacts(tagged, classified, unknown, set_tag, (item, terms))


def summarize(
    tally: Tally,
    taxonomy: Taxonomy,
    *,
    by_field: str | None,
    period: str | None,
    window: tuple[str | None, str | None],
    examples_window: Window | None = None,
) -> AuditReport:
    facts = set_facts(tally)
    per_set = np.bincount(tally.cube_sets, weights=tally.cube_counts, minlength=len(facts.tagged)).astype(np.int64)
    total = int(per_set.sum())
    tags = taxonomy.tags
    set_of_pair, tag_of_pair = facts.set_tag
    tag_tickets = np.bincount(tag_of_pair, weights=per_set[set_of_pair], minlength=len(tags)).astype(np.int64)
    summary = _summary(facts, per_set, total)
    term_tickets = _term_tickets(tally, facts, per_set)
    groups = _group_rows(taxonomy, facts, per_set, total)
    spellings = tally.vocabulary.spellings_by_term()
    matrix = pair_counts(facts, per_set, len(tags))
    return AuditReport(
        taxonomy=taxonomy.name or taxonomy.file,
        language=taxonomy.language,
        window=window,
        span=(
            day_text(tally.first_day) if tally.first_day is not None else None,
            day_text(tally.last_day) if tally.last_day is not None else None,
        ),
        reading=Reading(
            sources=tuple(tally.sources),
            rows_read=tally.rows_read + len(tally.skipped),
            rows_merged=tally.rows_merged,
            rows_skipped=len(tally.skipped),
            outside_window=tally.outside_window,
            undated=tally.undated,
            skipped=tuple((s.source, s.line, s.reason) for s in tally.skipped),
        ),
        tickets=summary,
        tags=_tag_rows(taxonomy, tag_tickets, total),
        groups=groups,
        findings=_findings(tally, taxonomy, groups, tag_tickets, term_tickets, spellings),
        unused_tags=tuple(t.name.text for t, n in zip(tags, tag_tickets, strict=True) if n == 0 and not t.deprecated),
        departments=_departments(tally, taxonomy, facts, per_set, total, examples_window),
        ignored=_term_counts(tally, term_tickets, spellings, TermKind.IGNORED),
        by_field=by_field,
        by=_by_rows(tally, facts) if by_field else (),
        period=period,
        periods=_period_rows(tally, facts, taxonomy) if period else (),
        pairs=_pairs(matrix, taxonomy),
        matrix=_matrix(matrix, taxonomy),
    )


def _summary(facts: SetFacts, per_set: np.ndarray, total: int) -> TicketSummary:
    untagged = int(per_set[~facts.tagged].sum())
    unclassified = int(per_set[~facts.classified].sum())
    with_unknown = int(per_set[facts.unknown].sum())
    return TicketSummary(
        total=total,
        tagged=total - untagged,
        untagged=untagged,
        untagged_rate=rate(untagged, total),
        unclassified=unclassified,
        unclassified_rate=rate(unclassified, total),
        with_unknown=with_unknown,
        unknown_rate=rate(with_unknown, total),
    )


def _tag_rows(taxonomy: Taxonomy, tag_tickets: np.ndarray, total: int) -> tuple[TagRow, ...]:
    rows = [
        TagRow(
            name=tag.name.text,
            group=tag.group,
            tickets=int(n),
            share=rate(int(n), total),
            deprecated=tag.deprecated,
            replaced_by=tag.replaced_by.text if tag.replaced_by else None,
            departments=tuple(d.text for d in tag.feedback),
        )
        for tag, n in zip(taxonomy.tags, tag_tickets, strict=True)
    ]
    order = sorted(range(len(rows)), key=lambda i: -rows[i].tickets)
    return tuple(rows[i] for i in order)


def _group_counts(taxonomy: Taxonomy, facts: SetFacts, per_set: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tickets per group, and tickets with more than one tag of the group."""
    group_names = [g.name.text for g in taxonomy.groups]
    group_index = {name: i for i, name in enumerate(group_names)}
    tag_group = np.array([group_index[t.group] for t in taxonomy.tags] or [0], dtype=np.int64)
    sets, tags = facts.set_tag
    width = max(len(group_names), 1)
    keys, multiplicity = np.unique(sets * width + tag_group[tags], return_counts=True)
    weight = per_set[keys // width]
    group = keys % width
    tickets = np.bincount(group, weights=weight, minlength=len(group_names)).astype(np.int64)
    several = np.bincount(group[multiplicity > 1], weights=weight[multiplicity > 1], minlength=len(group_names))
    return tickets, several.astype(np.int64)


def _group_rows(taxonomy: Taxonomy, facts: SetFacts, per_set: np.ndarray, total: int) -> tuple[GroupRow, ...]:
    tickets, several = _group_counts(taxonomy, facts, per_set)
    return tuple(
        GroupRow(
            name=group.name.text,
            tickets=int(tickets[i]),
            coverage=rate(int(tickets[i]), total),
            missing=total - int(tickets[i]),
            exclusive_violations=int(several[i]) if group.exclusive else 0,
            required=group.required,
            exclusive=group.exclusive,
        )
        for i, group in enumerate(taxonomy.groups)
    )


def _term_tickets(tally: Tally, facts: SetFacts, per_set: np.ndarray) -> np.ndarray:
    item, terms = facts.set_term
    return np.bincount(terms, weights=per_set[item], minlength=len(tally.vocabulary.terms)).astype(np.int64)


def _term_counts(
    tally: Tally, counts: np.ndarray, spellings: dict[int, list[str]], kind: TermKind
) -> tuple[tuple[str, int], ...]:
    rows = [
        (spellings[i][0], int(counts[i]))
        for i, term in enumerate(tally.vocabulary.terms)
        if term.kind == kind and counts[i] > 0
    ]
    return tuple(sorted(rows, key=lambda r: (-r[1], r[0])))


def _findings(
    tally: Tally,
    taxonomy: Taxonomy,
    groups: tuple[GroupRow, ...],
    tag_tickets: np.ndarray,
    counts: np.ndarray,
    spellings: dict[int, list[str]],
) -> tuple[AuditFinding, ...]:
    terms = tally.vocabulary.terms
    tags = taxonomy.tags
    found: list[AuditFinding] = []
    unknown = [i for i, t in enumerate(terms) if t.kind == TermKind.UNKNOWN and counts[i] > 0]
    choices = [(normalize_tag(e.text), tag) for tag in tags if not tag.deprecated for e in (tag.name, *tag.aliases)]
    hints = suggest([terms[i].key for i in unknown], [key for key, _ in choices])
    for i, hint in zip(unknown, hints, strict=True):
        found.append(
            AuditFinding(
                "unknown-tag",
                spellings[i][0],
                int(counts[i]),
                suggestion=choices[hint][1].name.text if hint is not None else None,
                spellings=tuple(spellings[i]),
            )
        )
    for index, tag in enumerate(tags):
        if tag.deprecated and tag_tickets[index]:
            found.append(
                AuditFinding(
                    "deprecated-tag",
                    tag.name.text,
                    int(tag_tickets[index]),
                    replaced_by=tag.replaced_by.text if tag.replaced_by else None,
                )
            )
    for i, term in enumerate(terms):
        if term.kind == TermKind.ALIAS and counts[i]:
            found.append(AuditFinding("alias", term.alias, int(counts[i]), canonical=tags[term.tag].name.text))
    for group, row in zip(taxonomy.groups, groups, strict=True):  # the group figures, computed once
        if group.required and row.missing:
            found.append(AuditFinding("missing-required-group", None, row.missing, group=group.name.text))
        if row.exclusive_violations:
            found.append(AuditFinding("exclusive-violation", None, row.exclusive_violations, group=group.name.text))
    order = {
        "unknown-tag": 0,
        "deprecated-tag": 1,
        "alias": 2,
        "missing-required-group": 3,
        "exclusive-violation": 4,
    }
    return tuple(sorted(found, key=lambda f: (order[f.kind], -f.tickets, f.tag or f.group or "")))


def _examples(tally: Tally, tag: int, window: Window | None) -> tuple[tuple[str, str], ...]:
    """The latest example tickets of a tag inside the window: (id, subject)."""
    found = [e for key, kept in tally.examples.items() if key // EXAMPLE_KEY == tag for e in kept]
    found.sort(key=lambda e: (-e.day, e.id))
    if window is not None:
        inside = window.mask(np.array([e.day for e in found], dtype=np.int32))
        if inside is not None:
            found = [e for e, keep in zip(found, inside.tolist(), strict=True) if keep]
    return tuple((e.id, e.subject) for e in found[:EXAMPLES_PER_TAG])


def _departments(
    tally: Tally, taxonomy: Taxonomy, facts: SetFacts, per_set: np.ndarray, total: int, examples_window: Window | None
) -> tuple[DepartmentRow, ...]:
    names = [d.name.text for d in taxonomy.departments]
    index = {name: i for i, name in enumerate(names)}
    tags = taxonomy.tags
    sets, tag_ids = facts.set_tag
    pair_sets, pair_depts = [], []
    for t, tag in enumerate(tags):
        for target in tag.feedback:
            if target.text in index:
                pair_sets.append(sets[tag_ids == t])
                pair_depts.append(np.full(int((tag_ids == t).sum()), index[target.text], np.int64))
    width = max(len(names), 1)
    keys = (
        np.unique(np.concatenate(pair_sets) * width + np.concatenate(pair_depts))
        if pair_sets
        else np.zeros(0, np.int64)
    )
    dept_tickets = np.bincount(keys % width, weights=per_set[keys // width], minlength=len(names)).astype(np.int64)
    tag_tickets = np.bincount(tag_ids, weights=per_set[sets], minlength=len(tags)).astype(np.int64)
    rows = []
    for d, dept in enumerate(taxonomy.departments):
        feeding = [
            DepartmentTag(tag.name.text, int(tag_tickets[t]), _examples(tally, t, examples_window))
            for t, tag in enumerate(tags)
            if any(f.text == dept.name.text for f in tag.feedback) and tag_tickets[t]
        ]
        feeding.sort(key=lambda x: -x.tickets)
        rows.append(
            DepartmentRow(
                dept.name.text,
                dept.contact,
                int(dept_tickets[d]),
                rate(int(dept_tickets[d]), total),
                tuple(feeding),
            )
        )
    return tuple(rows)


def _cells_facts(tally: Tally, facts: SetFacts) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cells = tally.cube_sets
    return (~facts.tagged[cells], ~facts.classified[cells], facts.unknown[cells])


def _by_rows(tally: Tally, facts: SetFacts) -> tuple[ByRow, ...]:
    untagged, unclassified, unknown = _cells_facts(tally, facts)
    values = len(tally.by_values)
    counts = tally.cube_counts

    def per_value(mask: np.ndarray | None = None) -> np.ndarray:
        weights = counts if mask is None else counts * mask
        return np.bincount(tally.cube_by, weights=weights, minlength=values).astype(np.int64)

    tickets, u, c, k = per_value(), per_value(untagged), per_value(unclassified), per_value(unknown)
    rows = [
        ByRow(
            value,
            int(tickets[i]),
            int(u[i]),
            rate(int(u[i]), int(tickets[i])),
            int(c[i]),
            rate(int(c[i]), int(tickets[i])),
            int(k[i]),
        )
        for i, value in enumerate(tally.by_values)
        if tickets[i]
    ]
    return tuple(sorted(rows, key=lambda r: (-r.tickets, r.value)))


def _period_rows(tally: Tally, facts: SetFacts, taxonomy: Taxonomy) -> tuple[PeriodRow, ...]:
    untagged, unclassified, _ = _cells_facts(tally, facts)
    periods = len(tally.periods)
    keep = tally.cube_periods >= 0
    cells_period = tally.cube_periods[keep]
    counts = tally.cube_counts[keep]
    tickets = np.bincount(cells_period, weights=counts, minlength=periods).astype(np.int64)
    u = np.bincount(cells_period, weights=counts * untagged[keep], minlength=periods).astype(np.int64)
    c = np.bincount(cells_period, weights=counts * unclassified[keep], minlength=periods).astype(np.int64)
    # tag counts per period: every cell's tag set, expanded
    sets, tag_ids = facts.set_tag
    order = np.argsort(sets, kind="stable")
    sets, tag_ids = sets[order], tag_ids[order]
    starts = np.searchsorted(sets, np.arange(len(facts.tagged) + 1))
    cell_sets = tally.cube_sets[keep]
    sizes = starts[cell_sets + 1] - starts[cell_sets]
    cell_of = np.repeat(np.arange(len(cell_sets)), sizes)
    offsets = np.arange(len(cell_of)) - np.repeat(np.cumsum(sizes) - sizes, sizes) + starts[cell_sets][cell_of]
    ntags = max(len(taxonomy.tags), 1)
    grid = (
        np.bincount(
            cells_period[cell_of] * ntags + tag_ids[offsets],
            weights=counts[cell_of],
            minlength=periods * ntags,
        )
        .astype(np.int64)
        .reshape(periods, ntags)
        if periods
        else np.zeros((0, ntags), np.int64)
    )
    names = [t.name.text for t in taxonomy.tags]
    return tuple(
        PeriodRow(
            label,
            int(tickets[p]),
            int(u[p]),
            rate(int(u[p]), int(tickets[p])),
            int(c[p]),
            tuple((names[t], int(grid[p, t])) for t in np.argsort(-grid[p], kind="stable") if grid[p, t]),
        )
        for p, label in enumerate(tally.periods)
    )


def pair_counts(facts: SetFacts, per_set: np.ndarray, ntags: int) -> np.ndarray:
    """Tickets per pair of taxonomy tags (a symmetric matrix; the diagonal is each tag's tickets)."""
    sets, tag_ids = facts.set_tag
    matrix = np.zeros((ntags, ntags), dtype=np.int64)
    starts = np.searchsorted(sets, np.arange(len(facts.tagged) + 1))
    np.add.at(matrix, (tag_ids, tag_ids), per_set[sets])
    for s in np.flatnonzero((starts[1:] - starts[:-1]) > 1):
        weight = int(per_set[s])
        if weight:
            members = tag_ids[starts[s] : starts[s + 1]]
            matrix[np.ix_(members, members)] += weight
            matrix[members, members] -= weight
    return matrix


def _pairs(matrix: np.ndarray, taxonomy: Taxonomy) -> tuple[tuple[str, str, int], ...]:
    """Taxonomy tags that come together on tickets, most often first."""
    names = [t.name.text for t in taxonomy.tags]
    upper = np.triu(matrix, k=1)
    a, b = np.nonzero(upper)
    order = np.lexsort((b, a, -upper[a, b]))[:MAX_PAIRS]
    return tuple((names[a[i]], names[b[i]], int(upper[a[i], b[i]])) for i in order)


def _matrix(matrix: np.ndarray, taxonomy: Taxonomy) -> tuple[tuple[str, ...], tuple[tuple[int, ...], ...]]:
    """The co-occurrence of the most used tags, for the report's heat map."""
    used = np.flatnonzero(np.diag(matrix))
    top = used[np.argsort(-np.diag(matrix)[used], kind="stable")][:MATRIX_TAGS]
    names = tuple(taxonomy.tags[i].name.text for i in top)
    return names, tuple(tuple(int(matrix[i, j]) for j in top) for i in top)
