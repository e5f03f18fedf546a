"""`tandem:assistant` over /v1/chat/completions, an order, a question in between, then "yes" (review R21): the
conversation was read from the LAST assistant message only; since a question is answered by the chat model (no
"[t-…]" in its words), the "yes" started a new conversation apart from the waiting order, and the chat model's
answer carried its conversation in a header only, which OpenAI clients drop. Now the history's latest answer about
tasks names the conversation, and the chat model's answer says it in the body too. Whether that "yes" may buy is the
confirmation rule's (agent/confirming.py: only what the last assistant turn asked): it buys nothing here."""

from __future__ import annotations

from pathlib import Path

import openai

from tandem.api.app import create_app
from tandem.models.registry import ModelRegistry
from tests.agent.conftest import partner_rows, write_profile
from tests.conftest import LiveServer


def test_a_question_in_between_keeps_the_conversation(home: Path, tiny_registry: ModelRegistry) -> None:
    write_profile(home, "DE")
    app = create_app(tiny_registry)
    try:
        with LiveServer(app) as server:
            client = openai.OpenAI(base_url=f"{server.url}/v1", api_key=server.local_token)  # its "yes" confirms
            history: list[dict[str, str]] = [{"role": "user", "content": "Bestell mir eine Pizza ins Büro"}]
            order = client.chat.completions.create(model="tandem:assistant", messages=history,  # type: ignore[arg-type]
                                                   max_tokens=8)
            said = order.choices[0].message.content or ""
            assert "bestätigen: c-" in said, said
            history += [{"role": "assistant", "content": said},
                        {"role": "user", "content": "Was ist die Hauptstadt von Frankreich?"}]
            chat = client.chat.completions.create(model="tandem:assistant", messages=history,  # type: ignore[arg-type]
                                                  max_tokens=8)
            between = chat.choices[0].message.content or ""
            assert "[t-" not in between
            conversation = order.to_dict()["metadata"]  # type: ignore[typeddict-item]
            assert chat.to_dict().get("metadata") == conversation  # the body says it too, not only a header
            history += [{"role": "assistant", "content": between}, {"role": "user", "content": "Ja, bitte"}]
            yes = client.chat.completions.create(model="tandem:assistant", messages=history,  # type: ignore[arg-type]
                                                 max_tokens=8)
            assert yes.to_dict().get("metadata") == conversation  # the same conversation as the order
    finally:
        app.state.assistant.close()
    assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []  # a chat answer came in between


def test_the_chat_models_answer_is_guarded(home: Path, tiny_registry: ModelRegistry) -> None:
    """What the assistant made no task of goes to the chat model, which cannot act (walk4 W4-12: "退掉它" got an
    invented refund). It is told so first (spoken.chat_guard), and an answer that still claims an act gets the fact
    after it (spoken.unclaimed), whole and streamed. The model is scripted: what it is given and what comes out of
    its claim is under test, not its words."""
    from tandem.agent.spoken import chat_guard, unclaimed
    from tests.web.conftest import CLAIM as claim
    from tests.web.conftest import claiming_chat_model

    model = claiming_chat_model(tiny_registry)
    app = create_app(tiny_registry)
    ask = [{"role": "user", "content": "Was ist die Hauptstadt von Frankreich?"}]
    try:
        with LiveServer(app) as server:
            client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)
            whole = client.chat.completions.create(model="tandem:assistant", messages=ask)  # type: ignore[arg-type]
            streamed = "".join(c.choices[0].delta.content or "" for c in client.chat.completions.create(
                model="tandem:assistant", messages=ask, stream=True) if c.choices)  # type: ignore[arg-type]
    finally:
        app.state.assistant.close()
    told = model.requests[-1].messages
    assert told[0].role == "system" and told[0].content == chat_guard("de"), told
    assert whole.choices[0].message.content == unclaimed(claim, "de") != claim
    assert streamed == unclaimed(claim, "de")


def test_each_shell_gives_the_assistant_the_model_it_chats_with(home: Path, tiny_registry: ModelRegistry) -> None:
    """Small talk said while a question of the assistant's waits is answered by ``Assistant.chat`` (dialog7's
    540e728); without one the assistant only asks its question again. The API gives it the model its other chat
    answers come from (``chat_model_id``), the CLI's conversations (``tandem chat``, ``ask --conversation``) their
    device model, through ``open_assistant``."""
    import anyio

    from tandem.app.assistant import LazyModel, chat_model_id, open_assistant
    from tests.conftest import TINY

    write_profile(home, "DE")
    app = create_app(tiny_registry)
    try:
        chat = app.state.assistant.start().chat
        assert isinstance(chat, LazyModel) and chat.model_id == LazyModel(tiny_registry,
                                                                          chat_model_id(tiny_registry)).model_id
    finally:
        app.state.assistant.close()
    device = LazyModel(tiny_registry, TINY)

    async def chats_with() -> object:
        async with open_assistant(tiny_registry.settings, device=device) as assistant:
            return assistant.chat

    assert anyio.run(chats_with) is device


def test_same_again_with_no_order_is_said_not_chatted_over(home: Path, tiny_registry: ModelRegistry) -> None:
    """A reorder with no earlier order to repeat is the assistant's own answer (dialog15's reorders), not a chat
    model's words about it; nothing is ordered."""
    write_profile(home, "DE")
    app = create_app(tiny_registry)
    try:
        with LiveServer(app) as server:
            client = openai.OpenAI(base_url=f"{server.url}/v1", api_key=server.local_token)
            answer = client.chat.completions.create(model="tandem:assistant", max_tokens=8,
                                                    messages=[{"role": "user", "content": "das Gleiche nochmal"}])
    finally:
        app.state.assistant.close()
    assert "keine frühere Bestellung" in (answer.choices[0].message.content or "")
    assert partner_rows(home, "gabelpost.food", "SELECT * FROM orders") == []
