"""A deliberately naive audit, one ticket at a time in plain Python, straight from FORMATS.md.

The engine is vectorised over distinct values; this is not. Tests compare the
two figure by figure.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import yaml


def norm(text: str) -> str:
    folded = unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())
    return re.sub(r"[\s_\-]+", " ", folded).strip()


def reference_audit(
    tickets: list[dict[str, Any]], taxonomy: Path, *, by: str | None = None, period: str | None = None
) -> dict[str, Any]:
    tax = yaml.safe_load(taxonomy.read_text(encoding="utf-8"))
    names: dict[str, tuple[str, str]] = {}
    aliases: dict[str, tuple[str, str]] = {}
    info: dict[str, dict[str, Any]] = {}
    for group in tax["groups"]:
        for tag in group.get("tags", []):
            names[norm(tag["name"])] = (tag["name"], group["name"])
            info[tag["name"]] = {**tag, "group": group["name"]}
            for alias in tag.get("aliases", []):
                aliases[norm(alias)] = (tag["name"], alias)
    ignore = [norm(p) for p in tax.get("settings", {}).get("ignore", [])]
    total = untagged = unclassified = with_unknown = 0
    tag_count: Counter[str] = Counter()
    group_count: Counter[str] = Counter()
    exclusive: Counter[str] = Counter()
    dept_count: Counter[str] = Counter()
    unknown: Counter[str] = Counter()
    alias_count: Counter[str] = Counter()
    by_rows: dict[str, Counter[str]] = {}
    periods: dict[str, Counter[str]] = {}
    for ticket in tickets:
        total += 1
        pieces = {t.strip() for t in ticket["tags"] if t.strip()}
        canon: set[str] = set()
        has_unknown = False
        for piece in pieces:
            key = norm(piece)
            if key in names:
                canon.add(names[key][0])
            elif key in aliases:
                canon.add(aliases[key][0])
            elif not any(fnmatchcase(key, p) for p in ignore):
                has_unknown = True
        alias_used = {aliases[norm(p)][1] for p in pieces if norm(p) not in names and norm(p) in aliases}
        unknown_keys = {
            norm(p)
            for p in pieces
            if norm(p) not in names and norm(p) not in aliases and not any(fnmatchcase(norm(p), q) for q in ignore)
        }
        unknown.update(unknown_keys)
        alias_count.update(alias_used)
        untagged += not pieces
        unclassified += not canon
        with_unknown += has_unknown
        tag_count.update(canon)
        groups = Counter(info[c]["group"] for c in canon)
        group_count.update(groups.keys())
        exclusive.update(g for g, n in groups.items() if n > 1)
        dept_count.update({d for c in canon for d in info[c].get("feedback", [])})
        if by is not None:
            row = by_rows.setdefault(ticket.get(by) or "(none)", Counter())
            row["tickets"] += 1
            row["untagged"] += not pieces
        if period is not None:
            day = dt.datetime.fromisoformat(ticket["created_at"].replace("Z", "+00:00")).date()
            iso = day.isocalendar()
            label = f"{day.year}-{day.month:02d}" if period == "month" else f"{iso[0]}-W{iso[1]:02d}"
            row = periods.setdefault(label, Counter())
            row["tickets"] += 1
            row["untagged"] += not pieces
            row.update({f"tag:{c}": 1 for c in canon})
    exclusive_groups = {g["name"] for g in tax["groups"] if g.get("exclusive")}
    return {
        "tickets": {"total": total, "untagged": untagged, "unclassified": unclassified, "with_unknown": with_unknown},
        "tags": {name: tag_count[name] for name in info},
        "groups": {
            g["name"]: (
                group_count[g["name"]],
                total - group_count[g["name"]],
                exclusive[g["name"]] if g["name"] in exclusive_groups else 0,
            )
            for g in tax["groups"]
        },
        "departments": {d["name"]: dept_count[d["name"]] for d in tax.get("departments", [])},
        "unknown": dict(unknown),
        "aliases": dict(alias_count),
        "by": {k: (v["tickets"], v["untagged"]) for k, v in by_rows.items()},
        "periods": {
            k: (v["tickets"], v["untagged"], {t[4:]: n for t, n in v.items() if t.startswith("tag:")})
            for k, v in periods.items()
        },
    }


def engine_view(doc: dict[str, Any], by: str | None = None) -> dict[str, Any]:
    """The engine's JSON reduced to the reference's shape."""
    t = doc["tickets"]
    return {
        "tickets": {k: t[k] for k in ("total", "untagged", "unclassified", "with_unknown")},
        "tags": {row["name"]: row["tickets"] for row in doc["tags"]},
        "groups": {g["name"]: (g["tickets"], g["missing"], g["exclusive_violations"]) for g in doc["groups"]},
        "departments": {d["name"]: d["tickets"] for d in doc["departments"]},
        "unknown": {norm(f["tag"]): f["tickets"] for f in doc["findings"] if f["kind"] == "unknown-tag"},
        "aliases": {f["tag"]: f["tickets"] for f in doc["findings"] if f["kind"] == "alias"},
        "by": {r["value"]: (r["tickets"], r["untagged"]) for r in doc.get("by", {}).get(by or "", [])},
        "periods": {p["period"]: (p["tickets"], p["untagged"], p["tags"]) for p in doc.get("periods", [])},
    }
