"""What a process keeps in memory from the user's data, so that erasing the data drops it too.

Files are erased from one explicit list (``privacy/erase.py: USER_DATA``). A running server also keeps
things it derived from the user's texts in memory, to avoid work: the findings of the last texts checked
before a cloud call, the words of the last texts split, a model's evaluated prompts. After an erasure none
of it may stay. Such caches are objects that exist only once something built them, so each one enrols
itself when it is made (``forgets(self)``; weakly: enrolling keeps nothing alive), and ``forget_all``,
called by every erasure, empties each one still alive. Something that keeps a text of the user's beyond
the request that brought it enrols; a cache whose entries are not derived from what the user wrote
(models, dictionaries, manifests) does not.

Imports nothing from ``tandem``: every layer may enrol its caches.
"""

from __future__ import annotations

import logging
import re
import threading
import weakref
from typing import Protocol, TypeVar, runtime_checkable

__all__ = ["Forgets", "forget_all", "forgets"]

log = logging.getLogger("tandem.forget")


@runtime_checkable
class Forgets(Protocol):
    """A cache of data derived from the user's texts."""

    def forget(self) -> None:
        """Drop every entry; the cache stays usable (and fills again from new requests)."""
        ...


_T = TypeVar("_T")
_lock = threading.Lock()
_caches: weakref.WeakSet[object] = weakref.WeakSet()


def forgets(cache: _T) -> _T:
    """Enrol ``cache`` (a ``Forgets``, or a ``functools.lru_cache`` function) to be emptied by every erasure."""
    if not isinstance(cache, Forgets) and not callable(getattr(cache, "cache_clear", None)):
        raise TypeError(f"{cache!r} has neither forget() nor cache_clear()")
    with _lock:
        _caches.add(cache)
    return cache


def forget_all() -> int:
    """Empty every enrolled cache still alive; returns how many were emptied. A cache that fails to empty
    fails the erasure (raises the first failure): an erasure that says it is done must be done. The other
    caches are emptied all the same first: a model busy with a long answer must not keep the rest."""
    with _lock:
        caches = list(_caches)
    failures: list[Exception] = []
    for cache in caches:
        try:
            if isinstance(cache, Forgets):
                cache.forget()
            else:
                getattr(cache, "cache_clear")()  # noqa: B009 - an lru_cache function, checked when enrolled
        except Exception as exc:  # raised below, once every other cache is empty
            log.error("erasure: %r was not emptied: %s", cache, type(exc).__name__, extra={"event": "forget"})
            failures.append(exc)
    # ``re`` keeps the last 512 patterns any module compiled; some are built from the user's values (the
    # pseudonymisation vault's pattern of everything it replaced).
    re.purge()
    if failures:
        raise failures[0]
    log.info("erasure: emptied %d in-memory caches", len(caches), extra={"event": "forget"})
    return len(caches)
