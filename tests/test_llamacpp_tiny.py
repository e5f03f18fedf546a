"""The llama.cpp backend, through the real loader, on a tiny random Qwen2 GGUF."""

from __future__ import annotations

import json
import threading

import pytest

from tandem.errors import ContextOverflow, InvalidRequest, ModelUnavailable
from tandem.models.base import Model, complete
from tandem.models.registry import ModelRegistry
from tandem.types import ChatRequest, Message, ResponseFormat, Tool
from tests.conftest import TINY

BOOK = Tool("book_tickets", "Book cinema tickets", {
    "type": "object",
    # Length bounds keep a random model's strings short; the grammar enforces them and the enum.
    "properties": {"title": {"type": "string", "maxLength": 12}, "count": {"type": "integer", "enum": [1, 2, 3, 4]},
                   "date": {"type": "string", "maxLength": 10}},
    "required": ["title", "count", "date"],
    "additionalProperties": False,
})


def ask(text: str, **kw: object) -> ChatRequest:
    return ChatRequest(messages=(Message("user", text),), **kw)  # type: ignore[arg-type]


@pytest.fixture
def tiny(tiny_registry: ModelRegistry) -> Model:
    return tiny_registry.get(TINY)


def test_loads_once_and_stays_warm(tiny_registry: ModelRegistry) -> None:
    first = tiny_registry.get(TINY)
    assert tiny_registry.get(TINY) is first
    assert isinstance(first, Model)
    assert tiny_registry.loaded() == [TINY]


def test_streams_text_and_counts_usage(tiny: Model) -> None:
    chunks = list(tiny.stream(ask("hello", max_tokens=8, seed=1)))
    assert chunks[-1].finish_reason in ("stop", "length")
    usage = chunks[-1].usage
    assert usage is not None and usage.prompt_tokens > 5
    assert 0 < usage.completion_tokens <= 8 + 2


def test_same_seed_same_answer(tiny: Model) -> None:
    a = complete(tiny, ask("hi", max_tokens=12, seed=7, temperature=1.0))
    b = complete(tiny, ask("hi", max_tokens=12, seed=7, temperature=1.0))
    assert a.message.content == b.message.content


def test_json_object_is_valid_json(tiny: Model) -> None:
    out = complete(tiny, ask("json please", max_tokens=200, seed=3, response_format=ResponseFormat("json_object")))
    if out.finish_reason == "stop":
        assert isinstance(json.loads(out.message.content or ""), dict)


def test_json_schema_output_validates(tiny: Model) -> None:
    schema = {"type": "object", "properties": {"ok": {"type": "boolean"}, "n": {"type": "integer"}},
              "required": ["ok", "n"], "additionalProperties": False}
    for seed in range(3):
        out = complete(tiny, ask("x", max_tokens=60, seed=seed, response_format=ResponseFormat("json_schema", schema)))
        value = json.loads(out.message.content or "")
        assert set(value) == {"ok", "n"} and isinstance(value["ok"], bool) and isinstance(value["n"], int)


def test_required_tool_call_is_schema_valid_even_from_noise(tiny: Model) -> None:
    for seed in range(3):
        out = complete(tiny, ask("book dune", tools=(BOOK,), tool_choice="required", seed=seed, max_tokens=300))
        assert out.finish_reason == "tool_calls"
        (call,) = out.message.tool_calls[:1]
        assert call.name == "book_tickets"
        assert set(call.arguments) == {"title", "count", "date"}
        assert call.arguments["count"] in (1, 2, 3, 4)


def test_tool_choice_naming_a_missing_tool_is_refused(tiny: Model) -> None:
    with pytest.raises(InvalidRequest, match="not in tools"):
        complete(tiny, ask("x", tools=(BOOK,), tool_choice="other"))


def test_context_overflow_is_a_clear_error(tiny: Model) -> None:
    with pytest.raises(ContextOverflow, match="context is 512 tokens"):
        complete(tiny, ask("word " * 600))
    with pytest.raises(ContextOverflow):
        complete(tiny, ask("short", max_tokens=10_000))


def test_cancel_stops_generation_and_frees_the_model(tiny: Model) -> None:
    cancel = threading.Event()
    stream = tiny.stream(ask("go on", max_tokens=400, temperature=1.0, stop=()), cancel)
    next(stream)
    cancel.set()
    rest = list(stream)
    assert rest[-1].finish_reason == "cancelled"
    done = threading.Event()
    threading.Thread(target=lambda: (complete(tiny, ask("again", max_tokens=2)), done.set()), daemon=True).start()
    assert done.wait(10), "the model stayed locked after a cancelled generation"


def test_abandoned_stream_releases_the_lock_on_close(tiny: Model) -> None:
    stream = tiny.stream(ask("go on", max_tokens=400, temperature=1.0))
    next(stream)
    stream.close()  # type: ignore[attr-defined]
    assert complete(tiny, ask("again", max_tokens=2)).usage.prompt_tokens > 0


def test_tampered_weights_are_refused(tiny_registry: ModelRegistry, tiny_gguf: object) -> None:
    spec = tiny_registry.catalog[TINY]
    bad = spec.__class__(**{**spec.__dict__, "sha256": "0" * 64})
    tiny_registry.catalog[TINY] = bad
    with pytest.raises(ModelUnavailable, match="sha256 mismatch"):
        tiny_registry.get(TINY)


def test_prompt_cache_restores_states_faithfully(tiny_registry: ModelRegistry) -> None:
    """Alternating prompts are served from llama.cpp's state cache; greedy answers must not change."""
    from tandem.models.catalog import ensure_weights
    from tandem.models.llamacpp import LlamaCppModel

    spec = tiny_registry.catalog[TINY]
    path = ensure_weights(spec, tiny_registry.settings.models_dir)
    cached = LlamaCppModel(tiny_registry.get(TINY).info, path, prompt_cache_bytes=64 << 20)
    a, b = (ask(f"{word} prompt " * 20, max_tokens=12, temperature=0.0) for word in ("first", "other"))
    first = complete(cached, a).message.content
    complete(cached, b)
    assert complete(cached, a).message.content == first
    assert cached._llm.cache is not None and len(cached._llm.cache.cache_state) >= 2


def _counting(model: Model) -> list[int]:
    """Records how many tokens each llama.cpp decode of ``model`` evaluates."""
    llm = model._llm  # type: ignore[attr-defined]
    evaluated: list[int] = []
    decode = llm.eval

    def counted(tokens: list[int]) -> None:
        evaluated.append(len(tokens))
        decode(tokens)

    llm.eval = counted
    return evaluated


FIXED = "You fill in the parameters of a cinema booking from the user's words."


def _fill(text: str) -> ChatRequest:
    """A device-tier shaped request: a fixed system message and answer format, then what varies."""
    schema = {"type": "object", "properties": {"title": {"type": "string", "maxLength": 8}}, "required": ["title"],
              "additionalProperties": False}
    said = (Message("system", FIXED), Message("system", "Today is Sunday."), Message("user", text))
    return ChatRequest(messages=said, response_format=ResponseFormat("json_schema", schema), max_tokens=24,
                       temperature=0.0, seed=0)


def _fresh(registry: ModelRegistry, **kw: object) -> Model:
    from tandem.models.catalog import ensure_weights
    from tandem.models.llamacpp import LlamaCppModel

    spec = registry.catalog[TINY]
    return LlamaCppModel(registry.get(TINY).info, ensure_weights(spec, registry.settings.models_dir), **kw)  # type: ignore[arg-type]


def test_fixed_prefix_is_evaluated_once_across_other_requests(tiny_registry: ModelRegistry) -> None:
    """With another prompt in between (a chat), a request with the same fixed part restores its saved state
    and evaluates only what follows; the answers are the same as a model that evaluates everything."""
    from tandem.models.prefix import PrefixStates

    saved, plain = _fresh(tiny_registry), _fresh(tiny_registry, prefixes=PrefixStates(max_entries=0))
    evaluated = _counting(saved)
    per_request: list[int] = []
    answers: dict[Model, list[str | None]] = {saved: [], plain: []}
    for model in (saved, plain):
        for text in ("book dune tonight", "book alien tomorrow"):
            evaluated.clear()
            answers[model].append(complete(model, _fill(text)).message.content)
            per_request.append(sum(evaluated))
            complete(model, ask("something else entirely " * 4, max_tokens=2))
    assert answers[saved] == answers[plain]
    request = _fill("x")
    n_fixed = saved.fixed_length(request, saved.prompt_tokens(request, with_tools=False),  # type: ignore[attr-defined]
                                 with_tools=False)
    assert n_fixed >= 32
    first, second = per_request[:2]
    assert first >= n_fixed > second  # the second evaluated only what follows the fixed part (and its answer)
    stats = saved.prefixes.stats  # type: ignore[attr-defined]
    assert (stats.evaluated, stats.restored, stats.entries) == (1, 1, 1) and stats.bytes > 0


def test_prefix_states_are_bounded(tiny_registry: ModelRegistry) -> None:
    """At most ``max_entries`` states and ``max_bytes`` bytes: the least recently used goes first."""
    from tandem.models.prefix import PrefixStates

    def about(topic: str) -> ChatRequest:
        return ChatRequest(messages=(Message("system", FIXED.replace("cinema", topic)), Message("user", "x")),
                           max_tokens=2, temperature=0.0)

    model = _fresh(tiny_registry, prefixes=PrefixStates(max_entries=2))
    for topic in ("cinema", "taxi", "flower"):
        complete(model, about(topic))
    stats = model.prefixes.stats  # type: ignore[attr-defined]
    assert (stats.entries, stats.evicted, stats.evaluated) == (2, 1, 3)
    complete(model, about("cinema"))  # evicted: evaluated again
    assert model.prefixes.stats.evaluated == 4  # type: ignore[attr-defined]
    limited = _fresh(tiny_registry, prefixes=PrefixStates(max_bytes=stats.bytes * 3 // 4))
    for topic in ("cinema", "taxi"):
        complete(limited, about(topic))
    assert limited.prefixes.stats.entries == 1  # type: ignore[attr-defined]
    assert 0 < limited.prefixes.stats.bytes <= stats.bytes * 3 // 4  # type: ignore[attr-defined]


def test_an_erasure_leaves_no_evaluated_prompt_in_the_model(tiny_registry: ModelRegistry) -> None:
    """``forget_all`` (every erasure) empties the model's saved prefix states, its context tokens and KV memory:
    the next request evaluates its whole prompt again, and gives the same answer as before."""
    from tandem.forget import forget_all

    model = _fresh(tiny_registry)
    before = complete(model, _fill("book dune tonight")).message.content
    llm = model._llm  # type: ignore[attr-defined]
    assert model.prefixes.stats.entries == 1 and llm.n_tokens > 0  # type: ignore[attr-defined]
    assert forget_all() >= 1
    assert model.prefixes.stats.entries == 0 and llm.n_tokens == 0  # type: ignore[attr-defined]
    assert not llm.input_ids.any()
    evaluated = _counting(model)
    assert complete(model, _fill("book dune tonight")).message.content == before
    request = _fill("book dune tonight")
    assert sum(evaluated) >= len(model.prompt_tokens(request, with_tools=False))  # type: ignore[attr-defined]
