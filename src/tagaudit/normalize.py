"""The tag matching rule of FORMATS.md §1: one function, used everywhere."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s_\-]+")


def normalize_tag(text: str) -> str:
    """Return the form two tag spellings are compared in.

    Unicode NFC, case-folded, trimmed, and every run of spaces, ``_`` and ``-``
    read as one space: ``fel_produkt``, ``FEL PRODUKT`` and ``Fel produkt ``
    all become ``fel produkt``.
    """
    folded = unicodedata.normalize("NFC", text).casefold()
    # casefold can leave decomposed sequences (e.g. "İ"), so compose again
    folded = unicodedata.normalize("NFC", folded)
    return _SEPARATORS.sub(" ", folded).strip()
