"""The one normalisation for product, supplier and buyer names (entry save, traces, banned matching).

A key is: half-width (campaigns.text.to_halfwidth), lower-case, without spaces or punctuation, and with
known aliases replaced by the canonical name (e.g. '1605' -> '对硫磷', '甲基 1605' -> '甲基对硫磷').
Aliases come from the banned-product list plus COMMON_ALIASES below; the caller passes the map it
loaded once (alias_map()) so a batch of lines costs one query.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from lib.text import squash, to_halfwidth

# Common trade names that are not on the banned list but name the same product.
COMMON_ALIASES: dict[str, str] = {
    "敌敌畏乳油": "敌敌畏",
    "ddvp": "敌敌畏",
    "草甘膦异丙胺盐": "草甘膦",
}

_SPLIT = re.compile(r"[\n\r,，、;；/]+")


def _strip(value: str) -> str:
    """Half-width, lower-case, only letters and digits (CJK included): spaces and punctuation go."""
    text = to_halfwidth(value).lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in ("L", "N"))


def split_aliases(value: str | None) -> list[str]:
    return [part.strip() for part in _SPLIT.split(value or "") if part.strip()]


def name_key(value: str | None) -> str:
    """A name without aliases applied: for suppliers and buyers (business names)."""
    return _strip(value or "")


def product_key(value: str | None, aliases: dict[str, str] | None = None) -> str:
    """The normalised product name with aliases (stripped key -> canonical key) substituted, longest
    first, so '甲基 1605 乳油' becomes '甲基对硫磷乳油' (not '甲基' + the '1605' of 对硫磷)."""
    key = _strip(value or "")
    if not key or not aliases:
        return key
    if key in aliases:
        return aliases[key]
    for alias in sorted(aliases, key=len, reverse=True):
        if len(alias) >= 2 and alias in key:
            key = key.replace(alias, aliases[alias])
    return key


# The common CJK ideographs: a name key holding one of them was typed with it, or with a compatibility form
# that decomposes to it (name_key_anchors).
_IDEOGRAPHS = ("\u4e00", "\u9fff")


# Where the characters decomposing to one lie: radicals, CJK symbols, enclosed and squared forms,
# compatibility ideographs (tests/test_trace_queries.py checks these against every code point).
FORM_BLOCKS = ((0x2E80, 0x33FF), (0xF900, 0xFAFF), (0x1F200, 0x1F2FF), (0x2F800, 0x2FA1F))


@functools.cache
def _ideograph_forms(blocks: tuple[tuple[int, int], ...] = FORM_BLOCKS) -> dict[str, frozenset[str]]:
    """Each common CJK ideograph → the other characters whose compatibility decomposition holds it ('株' ←
    '㈱', '㍿'; '一' ← '⼀', '㊀'): built once per process from the Unicode tables."""
    found: dict[str, set[str]] = {}
    for point in (p for first, last in blocks for p in range(first, last + 1)):
        ch = chr(point)
        if unicodedata.decomposition(ch):
            for c in unicodedata.normalize("NFKD", ch):
                if _IDEOGRAPHS[0] <= c <= _IDEOGRAPHS[1] and c != ch:
                    found.setdefault(c, set()).add(ch)
    return {c: frozenset(forms) for c, forms in found.items()}


def name_key_anchors(key: str) -> list[frozenset[str]] | None:
    """What every name with this key (name_key) holds: per common CJK ideograph of the key, that ideograph
    or one of its compatibility forms — NFKC keeps an ideograph as it is and never composes one, so a name
    lacking all of them cannot have the key. None for a key without such an ideograph (no cheap test)."""
    ideographs = sorted({c for c in key if _IDEOGRAPHS[0] <= c <= _IDEOGRAPHS[1]})
    if not ideographs:
        return None
    forms = _ideograph_forms()
    return [frozenset({c}) | forms.get(c, frozenset()) for c in ideographs]


def batch_key(value: str | None) -> str:
    """Batch numbers compare without spaces, case or full-width forms."""
    return squash(value).upper()


def code_key(value: str | None) -> str:
    """Licence numbers and credit codes compare the same way."""
    return squash(value).upper().replace("－", "-")


def alias_map() -> dict[str, str]:
    """Alias key -> canonical key, from COMMON_ALIASES and the banned-product list (one query)."""
    from .models import BannedProduct

    mapping = {_strip(a): _strip(c) for a, c in COMMON_ALIASES.items()}
    for name, aliases in BannedProduct.objects.values_list("name", "aliases"):
        canonical = _strip(name)
        for alias in split_aliases(aliases):
            key = _strip(alias)
            if key and key != canonical:
                mapping[key] = canonical
    return mapping


def normalise_unit(value) -> str:
    """'KG', 'ｋｇ', '公斤' -> '千克'; anything unknown is returned stripped, for the error message."""
    from .choices import UNIT_SYNONYMS

    text = squash(value)
    return str(UNIT_SYNONYMS.get(text.lower(), text))


def unit_error(value) -> str:
    from django.utils.translation import gettext as _

    from .choices import Unit

    if not value:
        return _("请填写单位。")
    return _("单位“%(value)s”无法识别，可用单位：%(units)s。") % {
        "value": value,
        "units": "、".join(Unit.values),
    }
