"""Properties of the tag matching rule (FORMATS.md §1)."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tagaudit.normalize import normalize_tag

text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
words = st.lists(st.text("abcåäöéüßxyzABCÅÄÖ&", min_size=1, max_size=8), min_size=1, max_size=4)
separators = st.lists(st.sampled_from([" ", "_", "-", "  ", "_-", " - ", "\t"]), min_size=4, max_size=4)


@given(text)
def test_idempotent(value: str) -> None:
    once = normalize_tag(value)
    assert normalize_tag(once) == once


@given(text)
def test_nfc_and_nfd_are_equal(value: str) -> None:
    nfc = unicodedata.normalize("NFC", value)
    nfd = unicodedata.normalize("NFD", value)
    assert normalize_tag(nfc) == normalize_tag(nfd)


@given(words, separators)
def test_case_and_separator_variants_are_equal(parts: list[str], seps: list[str]) -> None:
    plain = " ".join(parts)
    variant = "".join(p.upper() + s for p, s in zip(parts, seps, strict=False)).rstrip(" _-\t")
    assert normalize_tag(variant) == normalize_tag(plain)
    assert normalize_tag(f"  {plain}  ") == normalize_tag(plain)


def test_examples_from_the_spec() -> None:
    nfd = unicodedata.normalize("NFD", "Fel produkt")
    for spelling in ("fel_produkt", "FEL PRODUKT", "Fel produkt ", nfd, "fel--produkt"):
        assert normalize_tag(spelling) == "fel produkt"
    assert normalize_tag(unicodedata.normalize("NFD", "Återbetalning")) == "återbetalning"
    assert normalize_tag("Hem & inredning") == "hem & inredning"
