"""Which export column holds which ticket field: detection in English and Swedish, presets, --map."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tagaudit.errors import UsageError

FIELDS = ("id", "created", "tags", "agent", "channel", "group", "subject")

# Candidate headers per field, in priority order, compared case- and separator-insensitively.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "ticket id",
        "ticket_id",
        "ticketid",
        "ticket number",
        "ticket nr",
        "ärende-id",
        "ärendeid",
        "ärende id",
        "ärendenummer",
        "ärendenr",
        "ärende",
        "conversation id",
        "case id",
    ),
    "created": (
        "created_at",
        "created at",
        "created time",
        "created",
        "createdat",
        "created date",
        "date created",
        "creation date",
        "requested",
        "date",
        "skapad",
        "skapat",
        "skapades",
        "skapad datum",
        "datum",
        "inkommen",
        "inkom",
    ),
    "tags": ("tags", "tag", "taggar", "tagg", "labels", "label", "etiketter", "etikett"),
    "agent": (
        "assignee",
        "agent",
        "handläggare",
        "redaktör",
        "assignee name",
        "assigned to",
        "assigned",
        "owner",
        "responder",
        "handled by",
        "ansvarig",
        "tilldelad",
        "handläggare namn",
    ),
    "channel": ("channel", "via", "source", "kanal", "källa", "medium", "via channel"),
    "group": ("group", "team", "queue", "grupp", "kö", "avdelning", "mailbox", "inbox"),
    "subject": ("subject", "title", "ämne", "rubrik", "ämnesrad", "summary", "topic"),
}

# Known helpdesk layouts: their columns are tried before the generic synonyms.
PRESETS: dict[str, dict[str, tuple[str, ...]]] = {
    "zendesk": {
        "id": ("id",),
        "created": ("created_at", "created at", "requested"),
        "tags": ("tags",),
        "agent": ("assignee", "assignee_id"),
        "channel": ("via.channel", "via"),
        "group": ("group", "group_id"),
        "subject": ("subject", "raw_subject"),
    },
    "freshdesk": {
        "id": ("ticket id", "id", "helpdesk_ticket.display_id"),
        "created": ("created time", "created_at", "helpdesk_ticket.created_at"),
        "tags": ("tags", "helpdesk_ticket.tags"),
        "agent": ("agent", "responder_id", "helpdesk_ticket.responder_id"),
        "channel": ("source_name", "source", "helpdesk_ticket.source"),
        "group": ("group", "group_id", "helpdesk_ticket.group_id"),
        "subject": ("subject", "helpdesk_ticket.subject"),
    },
    "helpscout": {
        "id": ("id", "number"),
        "created": ("createdat", "created at"),
        "tags": ("tags",),
        "agent": ("assignee.email", "assignee"),
        "channel": ("source.type", "type"),
        "group": ("mailboxid", "mailbox"),
        "subject": ("subject",),
    },
    "intercom": {
        "id": ("id",),
        "created": ("created_at",),
        "tags": ("tags.tags", "tags"),
        "agent": ("admin_assignee_id", "assignee.id"),
        "channel": ("source.delivered_as", "source.type"),
        "group": ("team_assignee_id",),
        "subject": ("source.subject", "title"),
    },
    "kundo": {
        "id": ("id", "ärende-id", "ärendenummer"),
        "created": ("created", "skapad", "datum"),
        "tags": ("tags", "taggar", "etiketter"),
        "agent": ("handläggare", "assignee", "redaktör"),
        "channel": ("kanal", "channel"),
        "group": ("kö", "grupp", "queue"),
        "subject": ("ämne", "rubrik", "subject", "title"),
    },
}
# Zendesk tags cannot hold spaces, so a space separates them.
PRESET_TAG_SEP = {"zendesk": " "}

_TAG_COLUMN = re.compile(r"^(tags?|taggar|tagg|labels?|etiketter|etikett)[ _.\-]?(\d+)$")


def _key(header: str) -> str:
    return re.sub(r"[\s_.\-]+", " ", header.strip().lstrip("\ufeff").casefold()).strip()


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """The export column chosen for each field; `tags` may be several columns."""

    fields: Mapping[str, str]
    tag_columns: tuple[str, ...]

    def get(self, field: str) -> str | None:
        return self.fields.get(field)


def parse_maps(pairs: Iterable[str]) -> dict[str, str]:
    """`--map FIELD=COLUMN` options; FIELD may be any name usable with --by."""
    out: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise UsageError(f"--map takes FIELD=COLUMN, not '{pair}'")
        out[field.strip().lower()] = column.strip()
    return out


def resolve_columns(headers: list[str], *, preset: str | None, overrides: Mapping[str, str], source: str) -> ColumnMap:
    """Pick a column for each field: --map first, then the preset, then the synonyms."""
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(_key(header), header)
    chosen: dict[str, str] = {}
    for field, column in overrides.items():
        if column in headers:
            chosen[field] = column
        elif _key(column) in by_key:
            chosen[field] = by_key[_key(column)]
        else:
            known = ", ".join(headers[:12]) + (" ..." if len(headers) > 12 else "")
            raise UsageError(f"--map {field}={column}: no column '{column}' (columns: {known})", file=source)
    layout = PRESETS.get(preset or "", {})
    taken = set(chosen.values())
    for field in FIELDS:
        if field in chosen:
            continue
        for candidate in (*layout.get(field, ()), *SYNONYMS[field]):
            found = by_key.get(_key(candidate))
            if found is not None and found not in taken:
                chosen[field] = found
                taken.add(found)
                break
    tag_columns: tuple[str, ...] = ()
    if "tags" not in chosen:
        numbered = sorted(
            ((int(m.group(2)), h) for h in headers if (m := _TAG_COLUMN.match(_key(h).replace(" ", "_")))),
        )
        tag_columns = tuple(h for _, h in numbered)
        if not tag_columns:
            known = ", ".join(headers[:12]) + (" ..." if len(headers) > 12 else "")
            raise UsageError(
                f"no tag column found (columns: {known}); name it with --map tags=COLUMN",
                file=source,
            )
    else:
        tag_columns = (chosen["tags"],)
    return ColumnMap(chosen, tag_columns)
