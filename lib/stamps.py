"""Version stamps in the cache: a cached page's key carries the stamps of what it was built from.

A write that changes what a page shows touches the stamp (after its transaction commits); the next request
then looks for a key nobody wrote yet and rebuilds the page once. Reading a stamp costs one cache round trip
and no query, so a page answered from the cache never reaches the database. Services touch stamps by name;
no signal does it behind their back (docs/architecture.md, "Writes: services").

    stamps.read("public", business_id)     -> "1718…:1718…"  (the kind's global stamp and the object's)
    stamps.touch("public", [business_id])  one object's pages are stale (now and on commit)
    stamps.touch_all("public")             every object's pages are stale (bulk imports, nightly expiry)
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

PREFIX = "wuxiao:stamp"
# The kinds in use. PUBLIC_PAGE: a unit's public page behind its QR placard (一公开), stale when its name,
# status, licences, visits, grade or rectification orders change.
PUBLIC_PAGE = "public-page"


def _key(kind: str, ident: object = "*") -> str:
    return f"{PREFIX}:{kind}:{ident}"


def _fresh() -> str:
    return secrets.token_hex(6)


def read(kind: str, ident: object) -> str:
    """The combined stamp of one object of a kind; a missing stamp (never set, evicted) gets a new one,
    so a page cached before the eviction is never served again."""
    keys = [_key(kind), _key(kind, ident)]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _fresh(), timeout=None)
            found[key] = cache.get(key)
    return f"{found[keys[0]]}:{found[keys[1]]}"


def _set(keys: list[str]) -> None:
    cache.set_many({key: _fresh() for key in keys}, timeout=None)


def touch(kind: str, idents: Iterable[object]) -> None:
    """Mark these objects' cached pages stale now and again once the current transaction commits: a request
    that rebuilt a page between the two saw the data before the commit."""
    keys = [_key(kind, ident) for ident in idents]
    if keys:
        _set(keys)
        transaction.on_commit(lambda: _set(keys))


def touch_all(kind: str) -> None:
    """Mark every cached page of a kind stale, now and once the current transaction commits."""
    _set([_key(kind)])
    transaction.on_commit(lambda: _set([_key(kind)]))
