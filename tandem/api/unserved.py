"""OpenAI parameters no Tandem model serves, refused as OpenAI refuses them for a model without the feature.

A parameter that would change what the answer is (reason first, search the web, be terse, moderate, run in the
background) is a 400 when it asks for that: OpenAI's ``unsupported_parameter`` when no value of it is served here,
``unsupported_value`` naming the values that are (the ones that ask for nothing, such as ``reasoning_effort: "none"``).
Parameters that change only how OpenAI bills, caches, ranks or keeps a request (``service_tier``, ``store``,
``metadata``, ``user``, ``prediction``, ``prompt_cache_key``, ...) are typed fields of the bodies and otherwise
accepted: the answer is the same without them. No client framework sends any refused one unless told to."""

from __future__ import annotations

import reprlib
from dataclasses import dataclass
from typing import Any

from tandem.api.errors import UnsupportedParameter, UnsupportedValue

__all__ = ["CHAT", "RESPONSES", "Unserved", "refuse_unserved"]


@dataclass(frozen=True)
class Unserved:
    served: tuple[Any, ...]  # the values that ask for nothing missing here; () when no value is served
    why: str  # what no Tandem model does
    hint: str  # what to send instead


_REASONING = Unserved(("none",), "the device models answer without reasoning first",
                      "leave it out (it is not forwarded to a cloud model either)")
_VERBOSITY = Unserved(("medium",), "answers have one length setting here",
                      "leave it out; ask for a short answer in the message or set max_tokens")

CHAT = {
    "reasoning_effort": _REASONING,
    "verbosity": _VERBOSITY,
    "web_search_options": Unserved((), "Tandem does not search the web for a model",
                                   "leave it out; give the model a search function in tools"),
    "moderation": Unserved((), "Tandem runs no moderation model", "leave it out"),
}
RESPONSES = {
    "reasoning.effort": _REASONING,
    "reasoning.summary": Unserved((), "the device models write no reasoning to summarise", "leave it out"),
    "text.verbosity": _VERBOSITY,
    "background": Unserved((False,), "responses are answered while the request is open",
                           "leave it out and stream the response (stream: true)"),
    "conversation": Unserved((), "OpenAI's conversation objects are not kept here",
                             "continue with previous_response_id, or send the items in input"),
    "prompt": Unserved((), "OpenAI's stored prompt templates are not kept here",
                       "send the prompt's text as instructions"),
    "background_options": Unserved((), "responses are answered while the request is open", "leave it out"),
    "context_management": Unserved((), "a long conversation is not compacted here",
                                   "leave it out; send fewer items, or start from a summary"),
    "moderation": CHAT["moderation"],
    "access_programs": Unserved((), "OpenAI's access programs are not served here", "leave it out"),
}


def _value(body: dict[str, Any], path: str) -> Any:
    value: Any = body
    for step in path.split("."):
        value = value.get(step) if isinstance(value, dict) else None
    return value


_REPR = reprlib.Repr()  # a few items of each container, a bounded cost for any value
_REPR.maxstring = _REPR.maxother = 40


def _short(value: Any) -> str:
    """``value`` as the error quotes it: at most 40 characters, read from a repr that stops after a few items (the
    whole repr of a million-item list cost 0.5 s on the event loop, where bodies are validated)."""
    text = _REPR.repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def refuse_unserved(body: Any, table: dict[str, Unserved]) -> None:
    """Raise OpenAI's 400 for the first parameter of ``table`` that ``body`` (the request's JSON) sets to a value
    that is not served; ``null`` is the same as leaving it out, as everywhere."""
    if not isinstance(body, dict):
        return
    for path, rule in table.items():
        value = _value(body, path)
        if value is None or value in rule.served:
            continue
        if not rule.served:
            raise UnsupportedParameter(f"Unsupported parameter: '{path}' is not supported with this model: "
                                       f"{rule.why}.", param=path, hint=rule.hint)
        served = ", ".join(repr(v) for v in rule.served)
        shown = _short(value)
        raise UnsupportedValue(f"Unsupported value: '{path}' does not support {shown} with this model: {rule.why}. "
                               f"Supported values are: {served}.", param=path, hint=rule.hint)
