"""App-wide objects that are built on first use (speech and vision models load slowly and are optional)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request

__all__ = ["app_singleton"]

T = TypeVar("T")
_create = threading.Lock()


def app_singleton(request: Request, name: str, factory: Callable[[Any], T]) -> T:
    """``request.app.state.<name>``, built once from the app's settings by ``factory`` (thread-safe)."""
    state = request.app.state
    with _create:
        if getattr(state, name, None) is None:
            setattr(state, name, factory(state.registry.settings))
    value: T = getattr(state, name)
    return value
