"""The JSON Schema of the taxonomy format (v1), for editors that complete and check YAML."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = "https://tagaudit.example/schema/taxonomy-v1.json"

_NAME = {"type": "string", "minLength": 1}
_NAMES = {"type": "array", "items": _NAME}

TAG: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": {**_NAME, "description": "The tag as agents pick it in the helpdesk."},
        "description": {"type": "string"},
        "aliases": {**_NAMES, "description": "Other spellings that count as this tag."},
        "feedback": {**_NAMES, "description": "Departments this tag's tickets are reported to."},
        "deprecated": {"type": "boolean", "description": "No longer to be used."},
        "replaced_by": {**_NAME, "description": "The tag to use instead of a deprecated one."},
    },
}

TAXONOMY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "tagaudit taxonomy (version 1)",
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "groups"],
    "properties": {
        "version": {"const": 1, "description": "Format version; only 1 exists."},
        "name": {"type": "string", "description": "The taxonomy's display name."},
        "language": {"enum": ["sv", "en"], "description": "Language of report text."},
        "settings": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "max_tags_per_group": {"type": "integer", "minimum": 1, "default": 15},
                "ignore": {
                    **_NAMES,
                    "description": "Glob patterns of export tags that are not part of the "
                    "taxonomy on purpose (zd_*, closed_by_merge).",
                },
            },
        },
        "departments": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {
                    "name": _NAME,
                    "contact": {"type": "string"},
                    "description": {"type": "string"},
                },
            },
        },
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {
                    "name": _NAME,
                    "description": {"type": "string"},
                    "required": {
                        "type": "boolean",
                        "description": "Every ticket should carry a tag of this group.",
                    },
                    "exclusive": {
                        "type": "boolean",
                        "description": "At most one tag of this group per ticket.",
                    },
                    "tags": {"type": "array", "items": TAG},
                },
            },
        },
    },
}


def schema_json() -> str:
    return json.dumps(TAXONOMY_SCHEMA, indent=2, ensure_ascii=False) + "\n"
