"""Saved llama.cpp states of fixed prompt prefixes, so that a request evaluates only what follows its prefix.

llama-cpp-python reuses the longest common prefix with the *previous* prompt only. Requests that
alternate (the device tier's per-capability prompts, a chat, a tool loop) would evaluate their fixed
part again each time: on the 2-core device that is most of a slot-filling request. ``PrefixStates``
keeps the KV state of a few recent prefixes (sequence 0 of the context, no logits: a few MB each),
least recently used out first, bounded by entries and bytes.

A request names its prefix by length (``LlamaCppModel`` takes the request's first system message, its
tools and its answer format, as the template renders them); ``prepare`` then leaves the context holding
that prefix: still there from the previous request, restored from a saved state, or evaluated now and
saved. ``Llama.generate`` finds it in place and evaluates only the rest.
"""

from __future__ import annotations

import ctypes
import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["PrefixStates", "PrefixStats", "common_length"]

log = logging.getLogger("tandem.models")

_SEQ = 0  # llama-cpp-python keeps the whole prompt in sequence 0


@dataclass(frozen=True)
class PrefixStats:
    """What the prefix states hold and how requests used them."""

    entries: int  # prefixes held
    bytes: int  # their KV states, in bytes
    live: int  # requests whose prefix was still in the context from the request before
    restored: int  # requests whose prefix was restored from a saved state
    evaluated: int  # requests that evaluated their prefix (and saved its state)
    evicted: int  # states dropped to stay within the bounds
    reused_tokens: int  # prompt tokens not evaluated again thanks to a live or restored prefix


def common_length(a: Sequence[int], b: Sequence[int]) -> int:
    """How many leading tokens ``a`` and ``b`` share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class PrefixStates:
    """The KV states of recently used prompt prefixes of one ``Llama``, keyed by their tokens."""

    def __init__(self, max_entries: int = 12, max_bytes: int = 64 << 20, min_tokens: int = 32) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.min_tokens = min_tokens  # shorter prefixes cost less to evaluate than to save and restore
        self._states: OrderedDict[tuple[int, ...], bytes] = OrderedDict()
        self._counts = {"live": 0, "restored": 0, "evaluated": 0, "evicted": 0, "reused_tokens": 0}

    @property
    def stats(self) -> PrefixStats:
        return PrefixStats(entries=len(self._states), bytes=sum(len(s) for s in self._states.values()),
                           **self._counts)

    def prepare(self, llm: Any, prompt: Sequence[int], n_fixed: int) -> None:
        """Leave ``llm``'s context holding ``prompt[:n_fixed]`` (and no more), unless it already holds it.
        The caller holds the model's lock."""
        if n_fixed < self.min_tokens or n_fixed > len(prompt):
            return
        key = tuple(prompt[:n_fixed])
        held = common_length(llm.input_ids[:llm.n_tokens].tolist(), key)
        if held == n_fixed:
            self._count("live", n_fixed)
        elif key in self._states and self._restored(llm, key):
            self._count("restored", n_fixed)
        else:
            held = min(held, llm.n_tokens)
            llm.n_tokens = held  # eval() drops the context's cells from here on
            llm.eval(list(key[held:]))
            self._count("evaluated", held)
            self._put(key, _snapshot(llm))

    def _restored(self, llm: Any, key: tuple[int, ...]) -> bool:
        self._states.move_to_end(key)
        if _restore(llm, key, self._states[key]):
            return True
        log.warning("llama.cpp could not restore a saved prefix state of %d tokens; evaluating it", len(key))
        del self._states[key]
        llm.reset()
        return False

    def clear(self) -> None:
        self._states.clear()

    def _count(self, outcome: str, reused: int) -> None:
        self._counts[outcome] += 1
        self._counts["reused_tokens"] += reused

    def _put(self, key: tuple[int, ...], state: bytes) -> None:
        self._states[key] = state
        while self._states and (len(self._states) > self.max_entries or
                                sum(len(s) for s in self._states.values()) > self.max_bytes):
            dropped, _ = self._states.popitem(last=False)
            self._counts["evicted"] += 1
            log.debug("prefix state of %d tokens evicted", len(dropped))


def _snapshot(llm: Any) -> bytes:
    import llama_cpp

    size = llama_cpp.llama_state_seq_get_size(llm.ctx, _SEQ)
    buffer = (ctypes.c_uint8 * size)()
    written = llama_cpp.llama_state_seq_get_data(llm.ctx, buffer, size, _SEQ)
    return bytes(buffer[:written])


def _restore(llm: Any, key: tuple[int, ...], state: bytes) -> bool:
    import llama_cpp

    buffer = (ctypes.c_uint8 * len(state)).from_buffer_copy(state)
    if llama_cpp.llama_state_seq_set_data(llm.ctx, buffer, len(state), _SEQ) != len(state):
        return False
    llm.input_ids[:len(key)] = key
    llm.n_tokens = len(key)
    # The restored state has no logits: the next generate() must decode before it samples, even when the
    # prompt is exactly the prefix (llama-cpp-python 0.3.36 reads this flag for that).
    llm._requires_eval = True
    return True
