"""Helping the taxonomy evolve: `init` drafts a taxonomy from an export, `suggest` proposes aliases.

Both write YAML for a person to review; every name is written double-quoted
(JSON string syntax, which YAML reads as is), so `no`, `2024` or `a: b`
stay strings, and comments carry no line breaks.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable

from tagaudit.audit import AuditOptions, run_audit
from tagaudit.normalize import normalize_tag
from tagaudit.report import AuditReport
from tagaudit.similarity import near_pairs
from tagaudit.taxonomy import Taxonomy

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def comment(text: str) -> str:
    """Text safe inside a YAML comment: one line."""
    return _CONTROL.sub(" ", text)


def tickets(count: int) -> str:
    return f"{count:,} ticket" + ("" if count == 1 else "s")


def _variant(spelling: str, name: str) -> str:
    shown = quoted(comment(spelling))
    if spelling != name and unicodedata.normalize("NFC", spelling) == unicodedata.normalize("NFC", name):
        return f"{shown} (decomposed Unicode)"
    return shown


def draft_taxonomy(
    paths: list[str],
    options: AuditOptions,
    *,
    name: str = "Draft",
    language: str = "en",
    progress: Callable[[int], None] | None = None,
) -> str:
    """A taxonomy holding every tag the exports use, most used first, ready to be grouped."""
    empty = Taxonomy(file="(none)", name=name, language="sv" if language == "sv" else "en")
    report = run_audit(paths, empty, options, progress)
    tags = [f for f in report.findings if f.kind == "unknown-tag"]
    keys = [normalize_tag(f.tag or "") for f in tags]
    near: dict[int, list[int]] = {}
    for i, j, _ in near_pairs(keys):
        near.setdefault(j, []).append(i)
        near.setdefault(i, []).append(j)
    group = "Ogrupperade" if language == "sv" else "Ungrouped"
    sources = ", ".join(comment(s) for s in report.reading.sources)
    lines = [
        "# yaml-language-server: $schema=./taxonomy.schema.json",
        f"# Drafted by tagaudit init on {dt.date.today().isoformat()} from {sources}:",
        f"# {len(tags):,} tags on {report.tickets.total:,} tickets ({report.tickets.untagged:,} untagged).",
        "# Spellings that differ only in case, separators or Unicode form are one tag already",
        "# (tagaudit matches them); they are listed in comments. Near-duplicates are flagged:",
        "# merge them (keep one, make the other an alias), group the tags, add departments and feedback.",
        "version: 1",
        f"name: {quoted(name)}",
        f"language: {'sv' if language == 'sv' else 'en'}",
        "settings:",
        f"  max_tags_per_group: {max(15, len(tags))}  # lower it once the tags are grouped",
        "groups:",
        f"  - name: {quoted(group)}",
    ]
    if not tags:
        lines.append("    tags: []")
        return "\n".join(lines) + "\n"
    lines.append("    tags:")
    for index, finding in enumerate(tags):
        notes = [tickets(finding.tickets)]
        shown = unicodedata.normalize("NFC", finding.tag or "")
        variants = [s for s in finding.spellings if s != shown]
        if variants:
            notes.append("also written " + ", ".join(_variant(v, shown) for v in variants[:5]))
        for other in near.get(index, []):
            notes.append(f"near-duplicate of {quoted(comment(tags[other].tag or ''))}?")
        name = unicodedata.normalize("NFC", finding.tag or "")  # a taxonomy writes letters composed
        lines.append(f"      - name: {quoted(name)}  # " + "; ".join(comment(n) for n in notes))
    return "\n".join(lines) + "\n"


def suggest_aliases(report: AuditReport, taxonomy: Taxonomy) -> str:
    """Unknown tags that look like typos or variants of taxonomy tags, as aliases to review."""
    unknown = [f for f in report.findings if f.kind == "unknown-tag"]
    by_tag: dict[str, list[tuple[str, int]]] = {}
    for finding in unknown:
        if finding.suggestion:
            by_tag.setdefault(finding.suggestion, []).append((finding.tag or "", finding.tickets))
    rest = [f for f in unknown if not f.suggestion]
    tags = {t.name.text: t for t in taxonomy.tags}
    sources = ", ".join(comment(s) for s in report.reading.sources)
    lines = [
        f"# Proposed aliases for {comment(taxonomy.file)}, from tagaudit suggest on {dt.date.today().isoformat()}",
        f"# ({sources}: {report.tickets.total:,} tickets). Each unknown tag below is one or two letters",
        "# from a taxonomy tag. Review them, then add the ones you accept to that tag's `aliases:`.",
        "aliases:" if by_tag else "aliases: []",
    ]
    for name, found in sorted(by_tag.items(), key=lambda kv: -sum(n for _, n in kv[1])):
        tag = tags[name]
        lines.append(f"  - tag: {quoted(name)}  # group {quoted(comment(tag.group))}, line {tag.name.pos.line}")
        lines.append("    add:")
        lines += [f"      - {quoted(spelling)}  # {tickets(n)}" for spelling, n in found]
    lines.append("# Unknown tags close to no taxonomy tag: new tags to add, or settings.ignore patterns.")
    lines.append("unmatched:" if rest else "unmatched: []")
    lines += [f"  - {quoted(f.tag or '')}  # {tickets(f.tickets)}" for f in rest]
    return "\n".join(lines) + "\n"
