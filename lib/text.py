"""Normalising text the way people type it: full-width characters, stray spaces."""

import unicodedata


def to_halfwidth(value: str) -> str:
    """Full-width digits, letters and punctuation become their ASCII forms (NFKC), e.g. '１３８' -> '138'."""
    return unicodedata.normalize("NFKC", value)


def squash(value: str | None) -> str:
    """Half-width, without any whitespace: for codes, numbers and phones."""
    if value is None:
        return ""
    return "".join(to_halfwidth(str(value)).split())
