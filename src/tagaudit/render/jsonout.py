"""JSON output that stays fast for large reports: containers near the top are laid out one entry
a line, everything deeper is written by the C encoder in one piece (a record a line)."""

from __future__ import annotations

import json
from typing import Any

_SPREAD_DEPTH = 2


def dumps(value: Any, depth: int = 0) -> str:
    """Like json.dumps(indent=2) at the top, compact below: one finding or tag row per line."""
    pad, inner = "  " * depth, "  " * (depth + 1)
    if depth < _SPREAD_DEPTH and isinstance(value, dict) and value:
        items = (f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {dumps(v, depth + 1)}" for k, v in value.items())
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if depth < _SPREAD_DEPTH and isinstance(value, list) and value:
        return "[\n" + ",\n".join(f"{inner}{dumps(v, _SPREAD_DEPTH)}" for v in value) + f"\n{pad}]"
    return json.dumps(value, ensure_ascii=False)


def document(value: Any) -> str:
    return dumps(value) + "\n"
