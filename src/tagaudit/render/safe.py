"""Escaping user text for each output: CSV formulas, Markdown, HTML."""

from __future__ import annotations

import html
import re

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Inline specials; with [ and ] escaped no link or image can form, so ( ) ! need nothing.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_LINE_START = re.compile(r"^([-+=>])")
_ORDERED = re.compile(r"^(\d+)([.)])")


def csv_cell(value: object) -> str:
    """A cell no spreadsheet will run as a formula (OWASP: prefix a quote)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def markdown(text: str) -> str:
    """Literal text in Markdown (tables included): specials escaped, newlines flattened."""
    flat = " ".join(text.replace("\r", " ").split("\n"))
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))
    return _ORDERED.sub(r"\1\\\2", _LINE_START.sub(r"\\\1", escaped))


def html_text(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)
