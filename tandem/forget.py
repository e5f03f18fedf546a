"""What a process keeps in memory from the user's data, so that erasing the data drops it too.

Files are erased from one explicit list (``privacy/erase.py: USER_DATA``). A running server also keeps
things it derived from the user's texts in memory, to avoid work: the findings of the last texts checked
before a cloud call, the words of the last texts split, a model's evaluated prompts. After an erasure none
of it may stay. Such caches are objects that exist only once something built them, so each one enrols
itself when it is made (``forgets(self)``; weakly: enrolling keeps nothing alive), and ``forget_all``,
called by every erasure, empties each one still alive. Something that keeps a text of the user's beyond
the request that brought it enrols; a cache whose entries are not derived from what the user wrote
(models, dictionaries, manifests) does not.

Emptying is not enough while requests run: a value computed from a text read before the erasure (a
sentence's vector, a text's words) would be stored after it, and stay. ``forget_all`` counts erasures
before it empties anything (``erasures()``); a cache stores a value only if the count has not moved since
its computation began (``Recent.put``'s ``since``; ``remembered`` does it for a function of one argument).

Imports nothing from ``tandem``: every layer may enrol its caches.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, Protocol, TypeVar, runtime_checkable

__all__ = ["Forgets", "Recent", "erasures", "forget_all", "forgets", "remembered"]

log = logging.getLogger("tandem.forget")


@runtime_checkable
class Forgets(Protocol):
    """A cache of data derived from the user's texts."""

    def forget(self) -> None:
        """Drop every entry; the cache stays usable (and fills again from new requests)."""
        ...


_T = TypeVar("_T")
_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")
_lock = threading.Lock()
_caches: weakref.WeakSet[object] = weakref.WeakSet()
_erasures = 0


def erasures() -> int:
    """How many erasures this process has begun. Read it before computing a value to keep, and keep the value
    only if it has not changed (``Recent.put``): else the value may come from a text the erasure removed."""
    return _erasures


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
    global _erasures
    with _lock:
        _erasures += 1  # first: a value computed before this point is no longer stored (see the docstring)
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


class Recent(Generic[_K, _V]):
    """The values of the last ``limit`` keys used, enrolled to be emptied by every erasure."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._found: OrderedDict[_K, _V] = OrderedDict()
        self._lock = threading.Lock()
        forgets(self)

    def get(self, key: _K) -> _V | None:
        with self._lock:
            found = self._found.get(key)
            if found is not None:
                self._found.move_to_end(key)
            return found

    def put(self, key: _K, value: _V, since: int) -> None:
        """Keep ``value``, unless an erasure began after ``since`` (``erasures()`` read before computing it)."""
        with self._lock:
            if since != _erasures:
                return
            self._found[key] = value
            self._found.move_to_end(key)
            while len(self._found) > self.limit:
                self._found.popitem(last=False)

    def made(self, key: _K, make: Callable[[], _V]) -> _V:
        """The value kept for ``key``, else ``make()``'s, then kept (``put``: not when an erasure began meanwhile)."""
        found = self.get(key)
        if found is None:
            since = _erasures
            found = make()
            self.put(key, found, since)
        return found

    def forget(self) -> None:
        with self._lock:
            self._found.clear()

    def __len__(self) -> int:
        return len(self._found)


def remembered(limit: int) -> Callable[[Callable[[_K], _V]], Callable[[_K], _V]]:
    """``functools.lru_cache`` for a function of one argument, emptied by every erasure, and not keeping a
    result computed across one (``Recent``). ``cache_clear()`` empties it, as lru_cache's does."""

    def wrap(function: Callable[[_K], _V]) -> Callable[[_K], _V]:
        recent: Recent[_K, _V] = Recent(limit)

        @functools.wraps(function)
        def call(key: _K) -> _V:
            return recent.made(key, lambda: function(key))

        call.cache_clear = recent.forget  # type: ignore[attr-defined]  # as lru_cache's
        return call

    return wrap
