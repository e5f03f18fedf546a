"""The assistant built from settings, for both shells: the service hub adapted to the agent's ``Toolset``
protocol, and one place that builds an ``Assistant`` (journal and profile under TANDEM_HOME, the service
hub for the user's region, the device model loaded only if the fast tier does not understand).

It lives in the application layer because the agent and the services are independent siblings: neither
imports the other; the CLI (``tandem ask``, ``tandem chat``) and the API (``/v1/assistant/*``) both open
the assistant here.
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from tandem.agent.assistant import Assistant
from tandem.agent.capabilities import capabilities
from tandem.agent.journal import Journal
from tandem.agent.learned import on_device
from tandem.agent.minimise import MinimisingToolset
from tandem.agent.overreach import vetted, vetted_cache
from tandem.agent.profile import FileProfile
from tandem.agent.remember import RememberingAssistant
from tandem.agent.slots import detect_language
from tandem.agent.spoken import chat_guard, unclaimed
from tandem.agent.toolset import ToolResult, ToolSpec
from tandem.agent.understand import Understander
from tandem.config import Settings
from tandem.memory import MemoryStore
from tandem.models.base import Model, ModelInfo
from tandem.models.catalog import resolve_id
from tandem.models.registry import ModelRegistry
from tandem.services.hub import ServiceHub
from tandem.services.registry import ServiceRecord, ServiceRegistry
from tandem.types import Capabilities, ChatChunk, ChatRequest, Message

__all__ = ["HubToolset", "LazyModel", "chat_model_id", "guarded_chat", "journal_path", "open_assistant"]


def journal_path(settings: Settings) -> Any:
    return settings.home / "agent.db"


def _test_money(record: ServiceRecord) -> bool:
    """Whether Tandem pays this partner with its sandbox test money when the user has no payment method: a
    built-in partner whose manifest takes it. A partner the user added is never, whatever it declares: its order
    would be labelled "nothing is charged" on Tandem's word while its name, phone and address go out (review R37)."""
    return record.builtin and "sandbox" in record.manifest.payments


class HubToolset:
    """The agent's Toolset over a ServiceHub: tool metadata from the manifests, results as untrusted data."""

    def __init__(self, hub: ServiceHub) -> None:
        self.hub = hub
        self._keyed: dict[str, bool] = {}

    async def tools(self, categories: tuple[str, ...] = ()) -> list[ToolSpec]:
        """Tools with the user's choices and the registry's rank, so ``find_tool`` picks by them."""
        found = []
        ranked = {r.id: (i, r) for i, r in enumerate(self.hub.registry.ranked())}
        chosen = self.hub.registry.preferences()
        for t in await self.hub.tools(categories):
            self._keyed[t.name] = "idempotency_key" in t.parameters.get("properties", {})
            rank, record = ranked.get(t.service_id) or (len(ranked), self.hub.registry.get(t.service_id))
            found.append(ToolSpec(name=t.name, service_id=t.service_id, tool=t.tool, description=t.description,
                                  parameters=t.parameters, transactional=t.transactional, idempotency=t.idempotency,
                                  personal_data=t.personal_data, categories=t.categories,
                                  reads_user_data=t.reads_user_data, sandbox=_test_money(record),
                                  partner=record.manifest.partner, rank=rank,
                                  preferred_for=tuple(c for c, s in chosen.items() if s == t.service_id)))
        return found

    async def call(self, name: str, arguments: dict[str, Any], idempotency_key: str | None = None) -> ToolResult:
        if idempotency_key and self._keyed.get(name, False):
            arguments = {**arguments, "idempotency_key": idempotency_key}
        outcome = await self.hub.call(name, arguments)
        return ToolResult(outcome.ok, outcome.data, outcome.text)


class LazyModel:
    """A registry model that loads on its first request, so commands the fast tier understands never
    wait for model weights."""

    def __init__(self, registry: ModelRegistry, model_id: str) -> None:
        model_id = resolve_id(registry.catalog, model_id)  # an old alias names the same model
        self.registry, self.model_id = registry, model_id
        listed = {i.id: i for i in registry.infos()}
        # The catalog knows the id and abilities without loading weights; unknown ids fail on first use.
        self.info: ModelInfo = listed.get(model_id) or ModelInfo(id=model_id, location="device",
                                                                 capabilities=Capabilities(context_length=0))

    def stream(self, request: ChatRequest, cancel: threading.Event | None = None) -> Iterator[ChatChunk]:
        return self.registry.get(self.model_id).stream(request, cancel)

    @property
    def loaded(self) -> bool:
        """Are the weights in memory already (a server preloads them)?"""
        return self.model_id in self.registry.loaded()


def _warm_when_loaded(understander: Understander, device: Model | None) -> None:
    """Once the device model is in memory (a server that preloaded it), evaluate its fixed prompt parts in the
    background, so a capability's first request restores them instead of reading them (1.5B on the quiet machine,
    session 7: first use p95 5.5 s, used before 2.7 s). A one-shot command, whose model is not loaded yet, does not
    wait for it."""
    if isinstance(device, LazyModel) and device.loaded:
        threading.Thread(target=understander.warm, name="tandem-warm-prefixes", daemon=True).start()


@asynccontextmanager
async def open_assistant(settings: Settings, *, device: Model | None = None, cloud: Model | None = None,
                         chat: Model | None = None) -> AsyncIterator[Assistant]:
    """An assistant over the user's services; partner connections close when the block ends. ``chat`` answers a
    question or small talk said while a question of the assistant's waits (``device`` when not given; with neither,
    the question is asked again)."""
    registry = ServiceRegistry(settings)
    journal = Journal(journal_path(settings))
    memory = MemoryStore.at_home(settings.home)  # habits fill defaults; completed tasks teach it
    try:
        async with ServiceHub(registry) as hub:
            # Partners get only the personal data their manifests declare (agent.minimise).
            toolset = MinimisingToolset(HubToolset(hub), FileProfile(settings.home).load)
            # What the user's partners offer, from their manifests (the shipped ones and any added).
            docs = [r.manifest.raw for r in registry.available()]
            intents = capabilities(vetted(docs, cache=vetted_cache(settings.home)))
            understander = Understander(intents=intents, device=device, cloud=cloud,
                                        learned=on_device(intents, settings.home),
                                        city=FileProfile(settings.home).load().city, region=settings.region)
            _warm_when_loaded(understander, device)
            yield RememberingAssistant(toolset, journal, memory=memory, profile=FileProfile(settings.home),
                                       intents=intents, understander=understander,
                                       chat=chat if chat is not None else device)
    finally:
        journal.close()
        memory.close()
        registry.close()


def guarded_chat(chat: ChatRequest) -> tuple[ChatRequest, Callable[[str], str]]:
    """``chat`` as the chat model answers what the assistant made no task of, and what its answer goes through. The
    model cannot act, so it is told so first, and an answer that still claims an act ("I've booked two tickets")
    gets the fact after it, in the language of the user's last message (``spoken.chat_guard``, ``unclaimed``)."""
    said = next((m.content or "" for m in reversed(chat.messages) if m.role == "user"), "")
    lang = detect_language(said)
    guarded = replace(chat, messages=(Message("system", chat_guard(lang)), *chat.messages))
    return guarded, lambda answer: unclaimed(answer, lang)


def chat_model_id(registry: ModelRegistry) -> str:
    """What answers text the assistant finds nothing to do in (a question, small talk): the routed model when
    there is one (policy and consent decide device or cloud), else the default device model."""
    known = {info.id for info in registry.infos()}
    return "tandem:auto" if "tandem:auto" in known else registry.settings.default_model
