"""The assistant: understand → plan → prepare → confirm → act, journaled at every step.

    assistant = Assistant(toolset, Journal(home / "agent.db"), profile=load_profile(home))
    reply = await assistant.ask("Bestell mir eine Pizza ins Büro und buch zwei Kinokarten für Dune heute um 20 Uhr")
    for task in reply.tasks:                       # two tasks, prepared concurrently
        if task.confirmation_id:
            await assistant.confirm(task.confirmation_id)

Models and toolsets are injected; the assistant acts only through a ``GatedToolset``, so a purchase can
only follow the user's confirmation of exactly that purchase. ``resume()`` picks up every task a crash
or an unreachable partner left behind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import anyio.to_thread

from tandem.agent import waiting as waits
from tandem.agent.asking import ANSWERED, ANSWERS, PENDING, answers, ask, read, with_answers
from tandem.agent.capabilities import shipped, titles
from tandem.agent.declined import says
from tandem.agent.followups import FollowUps, Turn
from tandem.agent.gate import GatedToolset, idempotency_key, record_answer, request_confirmation, withdraw
from tandem.agent.generic import filled_from_profile, got_past, prepare, whole_readings
from tandem.agent.given import given_value, place_given
from tandem.agent.intents import IntentSpec, intent_tools
from tandem.agent.journal import Journal
from tandem.agent.learned import CHAT, READ, familiar
from tandem.agent.order_ids import routed
from tandem.agent.own_orders import holder
from tandem.agent.profile import MemoryProfile, Profile, ProfileStore
from tandem.agent.put_off import not_now
from tandem.agent.reply import Reply, describe
from tandem.agent.skills import Context, LookupFailed, Prepared, fold, own_words, shape_result, skill_text
from tandem.agent.slots import When, detect_language, extract_when, parse_count
from tandem.agent.spoken import chat_guard, quoted, read_answer, sorry, titled, unclaimed, unsure, value_names
from tandem.agent.tasks import ACTIVE, EARLIER_PARTNER, FINAL, PendingCall, Task, TaskState, run_concurrently, value_key
from tandem.agent.toolset import Toolset, ToolSpec, find_tool
from tandem.agent.understand import TemplateParser, Understander, Understanding, normalise_slots
from tandem.agent.waiting import GIVEN, asked_as_question, asked_once, fills_its_frame, numbered, said_before
from tandem.agent.writing import segmenter, writing
from tandem.errors import InvalidRequest, ServiceUnavailable, TandemError
from tandem.models.base import Model, complete
from tandem.text import inside, one_line
from tandem.types import ChatRequest, Message

__all__ = ["Assistant", "Reply", "describe"]

log = logging.getLogger("tandem.agent")

_SAID_KINDS = ("text", "place")  # parameters whose words a partner may not know, and the user can say otherwise
_TOOLS_TTL_S = 30.0  # how long a tool listing is reused; partners rarely change their tools
_CHOICES = "choices?"  # a task's slot holding the items its "which one?" question numbered (skills.Prepared.choices)
# A turn given to a waiting question for a value is small talk or a question, not the value asked for, when the learned
# tier reads it as talk rather than an act (``LearnedTier.talk``: nearer a chat example that is talk than anything it
# knows as an act) and its nearest chat example is at least this similar. Neither alone: talk() reads bare names as
# talk ("Dune" 0.841, "Li Wei" 0.835, "Der Pate", "Alien"), the likeness alone reads to-dos and times as talk
# ("给妈妈打电话" 0.935, "明天晚上八点" 0.930, "tomorrow at 8" 0.902: acts to talk()). Measured in session 17 with the
# shipped vectors over 74 answers to value questions (films, names, times, counts, places in de/en/zh) and the talk
# turns of the dialogue tests: together, no value but the ordinals "第二个"/"die zweite" (read as a choice first) is
# talk, and "danke" 0.930, "thanks" 0.925, "你好吗" 0.924, "wie spät ist es" are. To a question for free words (a
# to-do, a note: acts themselves) talk() alone decides: of 36 more to-dos and notes none is talk, "hmm let me think",
# "nothing", "nichts" are. The probes were not kept; test_dialogue's cases hold the turns that decided the bar. Talk
# without a mark below it ("ok cool" 0.882, "what's the capital of France" 0.892) stays the answer to a value's
# question.
_CHAT_NEAR = 0.9
# A short answer (at most _UNSURE_WORDS words) to a question for free words ("What should I remind you of?") that the
# learned tier finds about as near talk as an act (``LearnedTier.talk_margin`` within _UNSURE_MARGIN) is asked back
# ("Soll ich dich an „gib mir kurz“ erinnern?") rather than taken or chatted. Measured (session 19, shipped vectors, 64
# short to-dos and 37 short talk turns in de/en/zh, none from the tests): every wrong reading lies within 0.02 ("relax"
# .017 read as talk, "gib mir kurz" -.001 as a to-do), so none is left; 19 to-dos and 13 talk turns are asked back.
_UNSURE_MARGIN, _UNSURE_WORDS = 0.02, 3
_UNSURE = "unsure?"  # a task's slot while it asks back: [the answer it asks about, the question it asked before]
# A task's slot while an unusable answer's error stands before its question: [the question shown, the question alone].
# The question is kept apart, never cut out of the text shown: its own words may hold " — " (reread24 L8).
_ERRED = "erred?"
_CHAT_TOKENS = 400  # how long the chat answer beside a waiting question may be


def _labelled(call: PendingCall, spec: IntentSpec, lang: str) -> PendingCall:
    """``call`` with the names its partner gives the summary's fields in ``lang`` (``IntentSpec.label``) and the names
    of its answers' values (an order's states): the partner's own (``IntentSpec.answers_of``: only the partner called
    names them, whichever partner of the capability was declared first; review R20-7: 'cancelled' said 'delivered'),
    else Tandem's (say.toml), so the task line, the voice, the API and the card say the same."""
    labels = {key: said for key in call.summary if (said := spec.label(key, spec.summary.get(key), lang))}
    own = spec.answers_of(call.service_id)[1]
    tandem = value_names(lang)
    values = {key: {**tandem.get(key, {}), **{value_key(v): names[lang] for v, names in own.get(key, {}).items()
                                              if names.get(lang)}} for key in {*tandem, *own}}
    return replace(call, labels=labels or call.labels, values={k: v for k, v in values.items() if v} or call.values)


def _needs(task: Task, prepared: Prepared) -> Task:
    """The task asking what its preparation misses; a "which one?" question keeps its numbered items for an answer
    "2" (_answer)."""
    slots = {**{k: v for k, v in task.slots.items() if k != _CHOICES},
             **({_CHOICES: list(prepared.choices)} if prepared.choices else {})}
    return replace(task, state=TaskState.NEEDS_INFO, missing=prepared.missing, slots=slots, question=prepared.question,
                   waiting=None)


def _unit(np: Any, vectors: list[Any]) -> Any:
    matrix = np.asarray(vectors, dtype="float32").reshape(len(vectors), -1)
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


class Assistant:
    """One user's assistant over one toolset and one journal."""

    def __init__(self, toolset: Toolset, journal: Journal, *, profile: Profile | ProfileStore | None = None,
                 understander: Understander | None = None, intents: tuple[IntentSpec, ...] | None = None,
                 clock: Callable[[], dt.datetime] = dt.datetime.now, chat: Model | None = None) -> None:
        """``chat``: the model that answers a question or small talk said while a question of the assistant's waits
        (told it cannot act: ``spoken.chat_guard``); without one, the question is asked again."""
        intents = shipped() if intents is None else intents
        self.journal = journal
        self.toolset = GatedToolset(toolset, journal)
        # Read for every task; keeps what the user tells us about themselves (name, city ...).
        self.profiles: ProfileStore = MemoryProfile(profile) if isinstance(profile, Profile) else \
            profile or MemoryProfile()
        self.intents = intent_tools(intents)
        self.understander = understander or Understander(intents=intents)
        self.fast = TemplateParser(intents)
        self.clock = clock
        self._categories = tuple(sorted({i.category for i in intents}))
        self._tools: tuple[float, list[ToolSpec]] = (0.0, [])
        self.followups = FollowUps(self.intents, journal, self.understander,
                                   lambda text, lang: self._when(text, self.clock(), lang)[0])
        self.chat = chat
        self._chat_vectors: Any = None  # the chat examples' e5 vectors, read on the first turn that needs them
        self._own: frozenset[str] | None = None  # the words of the assistant's own questions (_own_words)

    async def tools(self, fresh: bool = False) -> list[ToolSpec]:
        """The toolset's tools for our intents' categories (listed at most every 30 s unless ``fresh``)."""
        listed_at, tools = self._tools
        if fresh or not tools or time.monotonic() - listed_at > _TOOLS_TTL_S:
            tools = await self.toolset.tools(self._categories)
            self._tools = (time.monotonic(), tools)
            if tools:
                self.journal.remember_tools([dataclasses.asdict(t) for t in tools])
        return tools

    def titles(self) -> dict[str, dict[str, str]]:
        """Each capability's short names by language, from its manifest (``capabilities.titles``): its web card's."""
        return titles(self.intents.values())

    def live(self, tools: list[ToolSpec]) -> set[str]:
        """Intents some service can fulfil: one listed now, or one seen before that is down for the moment
        (its tasks wait in the offline queue)."""
        known = [ToolSpec(**{**s, "personal_data": tuple(s["personal_data"]), "categories": tuple(s["categories"])})
                 for s in self.journal.known_tools()]
        return {s.name for s in self.intents.values() if find_tool([*tools, *known], s.category, s.tool)}

    # turns ---------------------------------------------------------------------------------------------
    async def ask(self, text: str, conversation_id: str | None = None, *,
                  understanding: Understanding | None = None, request_key: str | None = None,
                  keep_profile: bool = True) -> Reply:
        """Understand one user turn and move its tasks as far as they go without the user. A caller that
        already understood the text (e.g. to decide between acting and chatting) passes ``understanding``;
        a client that may send the same request twice (a retry after a lost answer) passes ``request_key``;
        a client that may not change the user's profile passes ``keep_profile=False`` (``_answer_profile``)."""
        if not text.strip():
            raise InvalidRequest("the request is empty", param="text")
        if request_key and (earlier := self.journal.tasks_for_request(request_key)):
            await run_concurrently([t for t in earlier if t.state in ACTIVE], self._advance)
            found = tuple(self.journal.task(t.id) for t in earlier)  # the text says what the tasks show
            return Reply(earlier[0].conversation_id, None, found, "\n".join(describe(t) for t in found))
        lang = detect_language(text)
        conversation_id = self.journal.conversation(conversation_id, lang)
        self.journal.add_turn(conversation_id, "user", text)
        now, live = self.clock(), self.live(await self.tools())
        pending = self._waiting(conversation_id)
        if understanding is not None:
            kept = tuple(i for i in understanding.intents if i.name in live)
            understanding = replace(understanding, intents=kept) if len(kept) == len(understanding.intents) else \
                replace(understanding, intents=(), tier="none", confidence=0.0)
        if pending:
            asked = self._asked_first(conversation_id, pending)
            asked_back = _UNSURE in asked.slots
            if asked_back and await self._unsure_answered(asked, text, now, keep_profile):
                return self._reply(conversation_id, None, [self.journal.task(t.id) for t in pending])
            if asked_back:  # other words: the question asked before is open again, its asking-back gone
                pending = [self.journal.task(t.id) for t in pending]
                asked = self.journal.task(asked.id)
            understanding = await self._new_request(text, now, lang, live, asked, understanding)
            if understanding is None and not asked_back and self._unsure(asked, text, now):
                return self._asked_back(asked, text)
            if understanding is None and self._small_talk(asked, text, now):
                return await self._chatted(conversation_id, text, lang, pending)
            if understanding is None:
                await self._answer(asked, text, now, keep_profile)
                moved = [self.journal.task(t.id) for t in pending]  # a profile answer moves them all
                return self._reply(conversation_id, None, moved)
        elif understanding is None:
            understanding = await anyio.to_thread.run_sync(
                lambda: self.understander.understand(text, now, live=live))
        turn = Turn(text, lang, conversation_id, live, self.journal)
        followed = self.followups.read(understanding, turn, self._tools[1], waiting=bool(pending))
        if isinstance(followed, str):  # an order of one of several kinds: which? (no card)
            return self._reply(conversation_id, Understanding((), "none", 0.0, lang), [], followed)
        understanding = followed
        understanding, put_off = not_now(understanding, text, lang, self.intents, self._tools[1], now)
        if not understanding.matched:
            return self._reply(conversation_id, understanding, [], put_off or sorry(lang))
        understanding = replace(understanding, intents=tuple(routed(i, self.intents, live)  # "where is CIN-4F2A?"
                                                             for i in understanding.intents))
        tasks = self.journal.add_tasks([Task(
            id=f"t-{uuid.uuid4().hex}", conversation_id=conversation_id, intent=i.name, slots=i.slots,
            state=TaskState.PLANNED, language=lang, text=i.text, tier=understanding.tier)
            for i in understanding.intents], request_key)
        await run_concurrently(tasks, self._advance)
        moved = [self.journal.task(t.id) for t in tasks]
        said = self._beside(moved, pending, lang) if pending else "\n".join(describe(t) for t in asked_once(moved))
        if quote := quoted(text, lang) if any(t.confirmation_id for t in moved) else None:  # a price asked (R30-5)
            moved, said = waits.only_priced(self.journal, moved)  # said, no card: "ok thanks" buys nothing (R31-17)
        return self._reply(conversation_id, understanding, moved, "\n".join(s for s in (said, put_off, quote) if s))

    async def _new_request(self, text: str, now: dt.datetime, lang: str, live: set[str], asked: Task,
                           understanding: Understanding | None) -> Understanding | None:
        """What ``text`` asks for when it is a new request made while a question waits (``asked``, the one the user
        was shown first), or None when it is the answer. A clear new command (the templates') is one; so is what the
        understanding tiers read as another capability than the one asking ("Was liegt im Warenkorb?" to "Which
        dish?"). A plain value ("2", "Berlin", "tomorrow", "Dune") reads as no request there, and one read as the
        asking capability itself ("Dune tonight at 8" to "Which film?") fills its question: both stay answers. So does
        any turn that is no question to a question for free words (a reminder's or a note's text: "check my calendar",
        "buy milk" are what to be reminded of; reviews R15-3, R17-13), unless it says all another capability needs
        (``fills_its_frame``) or repeats the asking request; or, to a question for a name a partner looks up ("Which
        event?"), says the verb of the capability it is read as ("refund the tickets, I can't go": review29 R29-9)."""
        spec = self.intents[asked.intent]
        if spec.resolve and titled(text):  # "Book of Mormon" to "Which event?" is its name (reread30 M-2)
            return None
        fast = self.fast.parse(text, now, lang=lang, live=live)
        free = spec.slots.get(asked.missing or "") == "text"
        if fast.matched and (not free or all(i.name == asked.intent for i in fast.intents)):
            return fast  # a clear command; to a question for free words, the asking request said again
        if fast.matched:
            understanding = fast
        elif understanding is None:
            understanding = await anyio.to_thread.run_sync(
                lambda: self.understander.understand(text, now, live=live))
        if not understanding.matched or all(i.name == asked.intent for i in understanding.intents):
            return None
        if free and not asked_as_question(text) and not fills_its_frame(understanding, self.intents) and not (
                spec.resolve and read_answer(text) is None and any(  # "取消它" to "Which film?" is a no (walk4 W4-5)
                    says(text, lang, familiar((self.intents[i.name],), lang)[0])
                    for i in understanding.intents if i.name in self.intents)):
            return None  # any words answer "What should I remind you of?" ("Milch kaufen"), unless asked or complete
        return understanding

    def _small_talk(self, asked: Task, text: str, now: dt.datetime) -> bool:
        """Is ``text``, said while ``asked`` waits for an answer, a question or small talk instead ("what's the
        weather like?", "danke", "你好吗")? Not when it holds what such a question takes (``_holds_answer``), nor when
        the user says again what was taken for talk the turn before (they mean it). Otherwise when it is asked as a
        question, or the learned tier reads it as talk, not an act: to a question for free words (a to-do, a note:
        acts, "给妈妈打电话", "Oma anrufen") that alone ("danke", "hmm let me think", "nothing"); to a question for a
        value (a film, a name: "Dune", "Li Wei" alone read as talk) when a chat example is like it (``_CHAT_NEAR``)."""
        if self._holds_answer(asked, text, now) or self._said_again(asked.conversation_id, text):
            return False
        learned = self.understander.learned
        if learned is None:
            return asked_as_question(text)
        spec = self.intents[asked.intent]
        free = spec.slots.get(asked.missing or "") == "text" and not spec.resolve  # no partner looks the words up
        near = free or self._near_chat(text) >= _CHAT_NEAR
        return asked_as_question(text) or (near and learned.tier.talk(text[:READ]))

    def _unsure(self, asked: Task, text: str, now: dt.datetime) -> bool:
        """Is ``text``, a short answer to ``asked``'s question for free words, as near talk as an act to the learned
        tier (``_UNSURE_MARGIN``): "gib mir kurz", "relax" to "What should I remind you of?"?"""
        learned, spec = self.understander.learned, self.intents[asked.intent]
        if learned is None or spec.slots.get(asked.missing or "") != "text" or spec.resolve or asked_as_question(text):
            return False
        lang = detect_language(text)
        words = re.findall(r"\w+", text) if writing(lang).spaced else [w for w in segmenter().lcut(text) if w.strip()]
        if len(words) > _UNSURE_WORDS or self._holds_answer(asked, text, now) or \
                self._said_again(asked.conversation_id, text):
            return False
        return abs(learned.tier.talk_margin(text[:READ])) <= _UNSURE_MARGIN

    def _asked_back(self, asked: Task, text: str) -> Reply:
        """Ask whether ``text`` was meant as ``asked``'s answer, in the user's language; its question is kept."""
        back = unsure(asked.intent, text.strip(), asked.language)  # one word tells no language: the request did
        task = self.journal.save(replace(asked, slots={**asked.slots, _UNSURE: [text.strip(), asked.question]},
                                         question=back))
        return self._reply(task.conversation_id, None, [task])

    async def _unsure_answered(self, asked: Task, text: str, now: dt.datetime, keep_profile: bool) -> bool:
        """The turn after an answer was asked back (``_asked_back``): a yes takes the answer as the value, a no keeps
        the question open, anything else is read as said to the question (True when the turn was the yes or the no)."""
        meant, question = asked.slots[_UNSURE]
        asked = self.journal.save(replace(asked, slots={k: v for k, v in asked.slots.items() if k != _UNSURE},
                                          question=question))
        said = read_answer(text)
        if said == "yes":
            await self._answer(asked, str(meant), now, keep_profile)
        return said is not None

    def _holds_answer(self, asked: Task, text: str, now: dt.datetime) -> bool:
        """Does ``text`` hold what ``asked``'s question takes: a yes or no, a numbered choice, a time (for a task that
        takes one, never a question about the user: an address), a count to a count's question, a value the partner's
        own question reads, or a value the question itself names ("Dune?" to "Which film? Showing: Dune, …")?"""
        if (asked.missing or "").startswith(ANSWERED):
            schema = asked.slots.get(PENDING)
            if read(text, schema if isinstance(schema, dict) else {}) is not None:
                return True
        spec = self.intents[asked.intent]
        kind = spec.slots.get(asked.missing or "")
        timed = not (asked.missing or "").startswith(GIVEN) and (kind == "when" or spec.when_slot is not None)
        said = re.findall(r"\w+", text.casefold())
        return read_answer(text) is not None or numbered(text, asked.slots.get(_CHOICES)) is not None or (timed and (
            self._when(text, now)[0] is not None or self._when(text, now, asked.language)[0] is not None)) or \
            (kind == "count" and parse_count(text) is not None) or \
            (bool(set(said) - self._own_words()) and
             inside(said, re.findall(r"\w+", (asked.question or "").casefold())))

    def _when(self, text: str, now: dt.datetime, lang: str | None = None) -> tuple[When | None, str]:
        """The date or time an answer says, read as the request was: "05/06" in the user's region (review R17-10)."""
        return extract_when(text, now, lang, self.understander.region or None)

    def _own_words(self) -> frozenset[str]:
        """The words of the assistant's own questions (skill_texts.toml, the capabilities' declared questions): "which?"
        or "woran?" asked back names no value the question lists (review R16-3)."""
        if self._own is None:
            self._own = own_words() | {w for spec in self.intents.values() for asked in spec.questions.values()
                                       for question in asked.values() for w in re.findall(r"\w+", question.casefold())}
        return self._own

    def _said_again(self, conversation_id: str, text: str) -> bool:
        """Did the user say ``text`` in their turn before this one as well (taken for talk, and said again)?"""
        said = [str(t["text"]) for t in self.journal.turns(conversation_id) if t["role"] == "user"]
        return len(said) > 1 and fold(said[-2]) == fold(text)

    def _near_chat(self, text: str) -> float:
        """How similar ``text`` is to its nearest chat example (e5 vectors, cosine); 0 without the learned tier."""
        import numpy as np  # comes with the embedding model

        learned = self.understander.learned
        if learned is None:
            return 0.0
        if self._chat_vectors is None:
            self._chat_vectors = _unit(np, learned.tier.vectors([learned.tier.texts[i]
                                                                   for i in learned.tier.groups.get(CHAT, [])]))
        if not len(self._chat_vectors):
            return 0.0
        return float((self._chat_vectors @ _unit(np, learned.tier.vectors([text[:READ]]))[0]).max())

    async def _chatted(self, conversation_id: str, text: str, lang: str, pending: list[Task]) -> Reply:
        """The turn answered as chat (the chat model, told it cannot act; its answer never claims an act unsaid), then
        every waiting question asked again. Without a chat model: that it was not understood, and the questions."""
        answer = await anyio.to_thread.run_sync(lambda: self._chat_answer(text, lang)) if self.chat else None
        lines = [answer or sorry(lang), *(said_before(skill_text("question_open", lang), describe(t), lang)
                                          for t in asked_once(pending))]
        return self._reply(conversation_id, Understanding((), "none", 0.0, lang), pending, "\n".join(lines))

    def _chat_answer(self, text: str, lang: str) -> str | None:
        """The chat model's answer to ``text`` (``spoken.chat_guard``, ``unclaimed``); None when it fails (logged)."""
        assert self.chat is not None
        request = ChatRequest(messages=(Message("system", chat_guard(lang)), Message("user", text)),
                              max_tokens=_CHAT_TOKENS, temperature=0.3)
        try:
            said = (complete(self.chat, request).message.content or "").strip()
        except TandemError as exc:
            log.warning("chat beside a waiting question failed: %s", type(exc).__name__)
            return None
        return unclaimed(said, lang) if said else None

    def _beside(self, tasks: list[Task], pending: list[Task], lang: str) -> str:
        """The turn's answer when a new request came while questions waited: the new tasks' lines, then what became
        of each waiting question. One of the capability asked for again is dropped for the new task (said so); the
        others stay open and are asked again, after the new lines (an answer next goes to a new task's question
        first, as ``_asked_first`` reads the turn)."""
        again, shown = {t.intent for t in tasks}, asked_once(tasks)
        lines = [describe(t) for t in shown]
        for task in pending:
            if task.intent in again:
                dropped = self.journal.save(replace(task, state=TaskState.CANCELLED))
                lines.append(said_before(skill_text("question_dropped", lang), describe(dropped), lang))
            elif (still := self.journal.task(task.id)).state == TaskState.NEEDS_INFO and \
                    len(asked_once([*shown, still], False)) > len(shown):  # its detail is not asked above already
                shown.append(still)
                lines.append(said_before(skill_text("question_open", lang), describe(still), lang))
        return "\n".join(lines)

    def _waiting(self, conversation_id: str) -> list[Task]:
        """The conversation's tasks waiting for an answer to their question."""
        return [t for t in self.journal.tasks(conversation_id) if t.state == TaskState.NEEDS_INFO]

    def _asked_first(self, conversation_id: str, pending: list[Task]) -> Task:
        """The waiting task whose question the user was shown first in the assistant's last turn: two questions
        shown ("Which phone number?", then "Which city?"), the next line answers the first (walk3 W3-5: a phone
        number went to the cinema as its city); the latest task when that turn shows none of them."""
        turns = self.journal.turns(conversation_id)
        shown = next((str(t["text"]) for t in reversed(turns) if t["role"] == "assistant"), "")
        at = {t.id: shown.find(f"[{t.id}]") for t in pending}
        seen = [t for t in pending if at[t.id] >= 0]
        return min(seen, key=lambda t: at[t.id]) if seen else pending[-1]

    def question(self, conversation_id: str) -> Task | None:
        """The task whose question waits for the user's next turn (the one shown first, ``_asked_first``); None when
        no question of the conversation waits."""
        pending = self._waiting(conversation_id)
        return self._asked_first(conversation_id, pending) if pending else None

    async def fill(self, asked: Task, values: dict[str, Any], text: str) -> Reply:
        """The user's turn ``text`` answering ``asked``'s question with ``values`` (its slot's, and any other the turn
        says: the partner named), a value of one of the user's earlier orders that the turn points at ("wie letztes
        Mal" to "Wohin soll es geliefert werden?": that order's place): the task goes on as after any answer (a
        committing call waits for the user's yes)."""
        conversation_id = asked.conversation_id
        pending = self._waiting(conversation_id)
        self.journal.add_turn(conversation_id, "user", text)
        slots = {k: v for k, v in asked.slots.items() if k not in (_CHOICES, _UNSURE, _ERRED)}
        task = self.journal.save(replace(asked, slots={**slots, **values}, state=TaskState.PLANNED, question=None,
                                         missing=None))
        await self._advance(task)
        return self._reply(conversation_id, None, [self.journal.task(t.id) for t in pending])

    def told(self, asked: Task, text: str, said: str) -> Reply:
        """The user's turn ``text`` that does not answer ``asked``'s question: ``said``, then the question again (it
        stays open)."""
        self.journal.add_turn(asked.conversation_id, "user", text)
        return self._reply(asked.conversation_id, None, [asked], f"{said}\n{describe(asked)}")

    def _reply(self, conversation_id: str, understanding: Understanding | None, tasks: list[Task],
               text: str | None = None) -> Reply:
        if text is None:
            text = "\n".join(describe(t) for t in asked_once(tasks))
        text = "\n".join(s for s in (text, *waits.set_once_said(tasks, self.intents)) if s)  # review-lead32 L-2
        turn = self.journal.add_turn(conversation_id, "assistant", text)
        return Reply(conversation_id, understanding, tuple(tasks), text, turn)

    async def answer(self, task_id: str, text: str, *, keep_profile: bool = True) -> Task:
        """The user's answer to the question of one task (when several tasks are asking at once)."""
        task = self.journal.task(task_id)
        if task.state != TaskState.NEEDS_INFO:
            return task
        self.journal.add_turn(task.conversation_id, "user", text)
        now = self.clock()
        if _UNSURE in task.slots:  # the answer to an asking-back (``_asked_back``), or other words to the question
            if await self._unsure_answered(task, text, now, keep_profile):
                return self.journal.task(task.id)
            task = self.journal.task(task.id)
        return await self._answer(task, text, now, keep_profile)

    async def _answer(self, task: Task, text: str, now: dt.datetime, keep_profile: bool = True) -> Task:
        """Fill the slot a task asked for from the user's answer, then carry on. A bare yes or no answers no
        question the assistant asks ("Whose name should the order be under?" — "ja"): a no cancels the task, a
        yes leaves the question standing; neither becomes the value (walk2 W2-11)."""
        if (task.missing or "").startswith(ANSWERED):
            return await self._answer_partner(task, text)
        said = read_answer(text)
        if said == "no":
            return await self.cancel(task.id)
        if said == "yes":
            return task
        if task.missing and task.missing.startswith(GIVEN):
            return await self._answer_profile(task, task.missing.removeprefix(GIVEN), text, keep_profile)
        spec = self.intents[task.intent]
        slots = {k: v for k, v in task.slots.items() if k not in (_CHOICES, _UNSURE)}
        chosen = numbered(text, task.slots.get(_CHOICES))
        if chosen is not None and task.missing:  # "2" to "Which one do you mean? 1) …; 2) …": the second's words
            slots.update(normalise_slots(spec, {task.missing: chosen}, None))
            task = self.journal.save(replace(task, slots=slots, state=TaskState.PLANNED, question=None, missing=None))
            await self._advance(task)
            return self.journal.task(task.id)
        lang = detect_language(text)  # the answer's own language first ("heute um 8" to an English task)
        when, rest = self._when(text, now, lang)
        if when is None:
            lang = task.language
            when, rest = self._when(text, now, lang)
        kind = spec.slots.get(task.missing or "")
        timed = task.missing if kind == "when" else spec.when_slot  # whatever the partner named it ("pickup")
        if when is not None and timed:  # "3 pm" to "When is it?" after "on Friday": Friday at 3 pm (P-1)
            when, rest = waits.on_the_day_said(slots.get(timed), text, now, lang,
                                               lambda said, at: self._when(said, at, lang)) or (when, rest)
            slots[timed] = when.iso
            if when.repeat is not None and f"{timed}_repeat" in spec.slots:  # "every day at 8" answered (M-10)
                slots[f"{timed}_repeat"] = when.repeat
        if task.missing and kind != "when" and (rest.strip() or when is None):
            value: Any = rest.strip() or text.strip()
            examples = [e for found in spec.examples.values() for e in found]  # "ins Büro": the examples' "ins"
            value = parse_count(value) if kind == "count" else \
                place_given(examples, task.missing, value) if kind == "place" else value
            slots.update(normalise_slots(spec, {task.missing: value}, None))
        task = self.journal.save(replace(task, slots=slots, state=TaskState.PLANNED, question=None, missing=None))
        await self._advance(task)
        return self.journal.task(task.id)

    async def _answer_partner(self, task: Task, text: str) -> Task:
        """The user's answer to a partner's own question (``asking``): kept as the task's slot, then the task goes on
        (a committing call is confirmed again with it). An answer that fits none of the partner's choices leaves the
        question standing; a no to a question that is not a yes-or-no one cancels the task."""
        schema = task.slots.get(PENDING)
        value = read(text, schema if isinstance(schema, dict) else {})
        if value is None:
            return await self.cancel(task.id) if read_answer(text) == "no" else task
        slots = {**{k: v for k, v in task.slots.items() if k != PENDING}, task.missing or "": value}
        task = self.journal.save(replace(task, slots=slots, state=TaskState.PLANNED, question=None, missing=None))
        await self._advance(task)
        return self.journal.task(task.id)

    async def _answer_profile(self, task: Task, key: str, text: str, keep: bool = True) -> Task:
        """Keep a profile detail the task asked for (on the device), then carry on; ask again if it is unusable.
        With ``keep=False`` (a client that may not change the profile) the answer is not stored in the
        profile: it is kept in the waiting tasks' slots as ``profile.<field>`` and used for them only
        (``profile_for``), also when they are confirmed or resumed later."""
        text = given_value(key, text)  # "I'm Sam Lee": the name is "Sam Lee"
        try:
            profile = waits.profile_given(self.profiles.load(), key, text)
        except InvalidRequest:  # said before the question itself, in its language, never before an earlier error
            shown, alone = task.slots.get(_ERRED) or ("", "")
            question = alone if shown == task.question else task.question or ""
            kind = "address" if key.startswith("places.") else "phone" if key == "phone" else "other"
            said = f"{skill_text(f'unusable.{kind}', task.language, said=one_line(text)[:60])} — {question}"
            return self.journal.save(replace(task, question=said, slots={**task.slots, _ERRED: [said, question]}))
        if keep:  # this detail only: what another caller gave for the task (profile_for) stays with the task
            self.profiles.save(profile)
        # Every task of the conversation waiting for a profile field goes on: a field is asked once per turn.
        waiting = [t for t in self.journal.tasks(task.conversation_id) if t.id == task.id or (
            t.state == TaskState.NEEDS_INFO and (t.missing or "").startswith(GIVEN))]
        planned = [self.journal.save(replace(t, state=TaskState.PLANNED, question=None, missing=None, slots={
            **{k: v for k, v in t.slots.items() if k != _ERRED}, **({} if keep else {GIVEN + key: text.strip()})}))
                   for t in waiting]
        await run_concurrently(planned, self._advance)
        return self.journal.task(task.id)

    def profile_for(self, task: Task) -> Profile:
        """The profile a task is prepared with: the stored one, with the details given for this task only
        (slots ``profile.<field>``, from a client that may not change the profile)."""
        profile = self.profiles.load()
        for key, value in task.slots.items():
            if key.startswith(GIVEN) and isinstance(value, str):
                try:
                    profile = waits.profile_given(profile, key.removeprefix(GIVEN), value)
                except InvalidRequest:  # checked when it was given; a field renamed since is left out
                    continue
        return profile

    # moving tasks on -----------------------------------------------------------------------------------
    async def _advance(self, task: Task) -> None:
        if task.state == TaskState.PLANNED:
            await self._plan(task)
        elif task.state == TaskState.RUNNING:
            await self._execute(task)

    async def _prepared(self, task: Task) -> Prepared | str:
        """The task's call as it would be made now, or what it waits for: the service when that is away, the
        user's payment method when none is set up (``skills.PAYMENT_METHOD``)."""
        spec = self.intents[task.intent]
        tools = await self.tools()
        commit = self._commit(spec, tools, task)
        if commit is None:
            tools = await self.tools(fresh=True)
            commit = self._commit(spec, tools, task)
        if commit is None:
            return spec.category

        # the answer, or what the call is prepared from (their own earlier orders too), is the user's stored data
        stored = [commit.reads_user_data or bool(spec.own)]

        given = answers(task.slots)  # the user's answers to the partner's questions go with every step, as asked

        async def lookup(name: str, arguments: dict[str, Any]) -> Any:
            tool = next((t for t in tools if t.name == name), None)
            stored[0] = stored[0] or tool is None or tool.reads_user_data  # a tool it cannot tell counts (fail closed)
            arguments = {**arguments, ANSWERS: given} if given else arguments
            step = self.journal.start_step(task.id, name, arguments, None)
            result = await self.toolset.call(name, arguments)
            self.journal.finish_step(step, result.ok, result.data)
            if not result.ok:  # ended on the partner's own question: the user is asked it (_plan)
                raise LookupFailed(f"{commit.service_id}: {result.text[:200]}", (name, result))
            return result.data

        ctx = Context(commit, tools, self.profile_for(task), task.language, self.clock(), lookup,
                      lambda: self.journal.own_history(task.conversation_id))  # never another client's orders
        internal = (GIVEN, ANSWERED, PENDING, _CHOICES, _UNSURE, _ERRED, EARLIER_PARTNER)
        slots = {k: v for k, v in task.slots.items() if not k.startswith(internal)}
        try:
            prepared = await prepare(spec, slots, ctx)
        except ServiceUnavailable:
            return commit.service_id
        if prepared.waiting:  # the user's payment method: the task stays planned, resume() tries again
            return prepared.waiting
        if prepared.call is not None:  # what the user answered the partner's own questions goes with it, shown
            prepared = replace(prepared, call=_labelled(with_answers(prepared.call, task.slots), spec, task.language))
        return replace(prepared, filled=(*prepared.filled, *filled_from_profile(spec, slots, ctx.profile),
                                         *(("stored",) if stored[0] else ())))

    def _commit(self, spec: IntentSpec, tools: list[ToolSpec], task: Task) -> ToolSpec | None:
        """The tool that finishes the task: a follow-up's at the service holding the user's latest order there
        (``own_orders.holder``); an order made anew at the service the earlier one went to while that offers it
        (``EARLIER_PARTNER``: the same shop); else that of the service the user chose for the category, or the best
        ranked."""
        held = holder(spec, tools, self.journal.own_history(task.conversation_id)) if spec.own else None
        earlier = task.slots.get(EARLIER_PARTNER)
        same = next((t for t in tools if t.service_id == earlier and t.tool == spec.tool
                     and spec.category in t.categories), None)
        return held or same or find_tool(tools, spec.category, spec.tool)

    async def _plan(self, task: Task) -> None:
        prepared = await self._prepared(task)
        if isinstance(prepared, Prepared) and prepared.call is None and prepared.asked is None:
            task, prepared = await self._whole(task, prepared)
        if isinstance(prepared, Prepared) and prepared.call is None and (not prepared.error or prepared.nothing):
            task, prepared = await self._instead(task, prepared)
        if isinstance(prepared, str):
            self.journal.save(replace(task, waiting=prepared))  # offline queue: resume() tries again
            return
        task = replace(task, filled=prepared.filled)  # what this preparation filled in from the user's details
        if (asked := await self._asked(task, prepared)) is not None:
            self.journal.save(asked)  # a read-only step's partner asks the user: prepared again with the answer
        elif prepared.error:
            self.journal.save(replace(task, state=TaskState.FAILED, error=prepared.error, waiting=None))
        elif prepared.missing:
            self.journal.save(_needs(task, prepared))
        elif prepared.call is not None and prepared.call.transactional:
            await self._card(task, prepared.call)
        elif prepared.call is not None:
            await self._execute(self.journal.save(replace(task, state=TaskState.RUNNING, call=prepared.call,
                                                          waiting=None)))

    async def _card(self, task: Task, call: PendingCall) -> None:
        """Ask for the user's yes to ``call``; or, for an order the sentence declined to undo (``_kept``), end the task
        without a card, saying which order stays."""
        if (kept := self.followups.kept(task, call, await self.tools())) is not None:
            self.journal.save(replace(task, state=TaskState.CANCELLED, error=kept, waiting=None))
        else:
            request_confirmation(self.journal, replace(task, waiting=None), call)

    async def _asked(self, task: Task, prepared: Prepared) -> Task | None:
        """The task asking the user the question a read-only step's partner asked (``asking.ask``: bounded, never for
        personal data the tool does not declare); None when no step asked one."""
        if prepared.asked is None:
            return None
        name, result = prepared.asked
        return ask(task, result, await self._tool(name))

    async def _whole(self, task: Task, prepared: Prepared) -> tuple[Task, Prepared]:
        """The task with two values read apart joined back as the user said them, once, when its preparation found
        nothing by them ("Mord im Orient-Express": no film "Mord" at a cinema "Orient-Express", review R21-1) and the
        whole gets further (``generic.whole_readings``, ``got_past``); otherwise the task and what it found."""
        for whole in whole_readings(self.intents[task.intent], task.slots, task.text, task.language):
            if got_past(prepared, task.slots, whole):  # it stopped on another value ("how many?"): not found wanting
                continue
            found = await self._prepared(replace(task, slots=whole))
            if isinstance(found, Prepared) and got_past(found, task.slots, whole):
                return replace(task, slots=whole), found
        return task, prepared

    async def _instead(self, task: Task, prepared: Prepared) -> tuple[Task, Prepared]:
        """The task as its intent's alternative when that one finds what this one did not (a concert asked
        for as "tickets for ..."); otherwise the task and what it found, unchanged."""
        spec = self.intents[task.intent]
        if spec.instead is None or spec.instead[0] not in self.live(await self.tools()):
            return task, prepared
        name, carry = spec.instead
        slots = {carry[k]: v for k, v in task.slots.items() if k in carry and v not in (None, "")}
        # Another capability is tried with what the user said ("tickets for Nordlicht Quartett": no such film, a
        # concert), or when nothing of theirs is here; never for a request that said nothing it carries over ("send
        # me a courier": its destination is asked), nor on the user's orders for a request about none (R14b).
        if not (prepared.nothing or slots) or (self.intents[name].own and not spec.own):
            return task, prepared
        other = replace(task, intent=name, slots=slots)
        found = await self._prepared(other)
        # Only as much as was asked for: a read-only request ("where is my ride?") never becomes a committing one
        # (a refund of the user's tickets) because a manifest names it as the alternative (review R14).
        commits = isinstance(found, Prepared) and found.call is not None and found.call.transactional
        if commits and not await self._commits(spec):
            log.warning("instead: %s may not become %s, which commits", task.intent, name)
            return task, prepared
        if isinstance(found, Prepared) and found.call is not None:
            return self.journal.save(other), found
        return task, prepared

    async def _commits(self, spec: IntentSpec) -> bool:
        """Whether the capability's own tool commits the user (spends money, cancels, refunds)."""
        tool = find_tool(await self.tools(), spec.category, spec.tool)
        return tool is not None and tool.transactional

    async def _execute(self, task: Task) -> None:
        """Make the task's call, journaled first; the same key on every retry makes it happen once."""
        call = task.call
        assert call is not None
        if call.transactional:
            record = self.journal.confirmation(task.confirmation_id or "")
            if record["status"] != "confirmed":
                return
            key: str | None = idempotency_key(record["id"], record["hash"])
        else:
            key = f"tandem-{task.id}"
        step = self.journal.start_step(task.id, call.tool, call.arguments, key)
        try:
            result = await self.toolset.call(call.tool, call.arguments, key)
        except ServiceUnavailable:
            self.journal.save(replace(task, waiting=call.service_id))  # offline queue: resume() sends it again
            return
        self.journal.finish_step(step, result.ok, result.data if result.ok else result.text)
        if result.ok:
            self.journal.save(replace(task, state=TaskState.DONE, result=shape_result(call, result.data), waiting=None))
        elif (asked := ask(task, result, await self._tool(call.tool))) is not None:
            self.journal.save(asked)  # the partner asks the user for a value: the call is made again with it
        elif (again := await self._not_found(task, call, result.text)) is not None:
            self.journal.save(again)
        else:
            self.journal.save(replace(task, state=TaskState.FAILED, error=result.text[:500], waiting=None))

    async def _tool(self, name: str) -> ToolSpec | None:
        return next((t for t in await self.tools() if t.name == name), None)

    async def _not_found(self, task: Task, call: PendingCall, error: str) -> Task | None:
        """A read-only call that the partner refused over a value the user said ("no place called 'the zoo'"):
        the task asks for that parameter again instead of failing. The partner's text only picks which of the
        task's own values to ask about (the longest it names); it is never shown. None when the call is not
        read-only or names none of them."""
        tool = next((t for t in await self.tools() if t.name == call.tool), None)
        if tool is None or tool.transactional or tool.idempotency != "safe":
            return None
        spec, said, places = self.intents[task.intent], fold(error), self.profile_for(task).places
        named = [(len(fold(sent)), slot, value) for slot, value in task.slots.items()
                 if spec.slots.get(slot) in _SAID_KINDS and isinstance(value, str)
                 for sent in (value, places[value].address if value in places else "")  # a saved place: its address
                 if len(fold(sent)) > 1 and fold(sent) in said]
        if not named:
            return None
        _, slot, value = max(named)  # asked in the user's words ("home"), never with the saved address
        if value in places:  # the user's name for it said again would not help: a place near it will
            question = skill_text("saved_unknown", task.language, partner=tool.partner or tool.service_id, place=value)
        else:
            question = f"{skill_text('unknown', task.language, wanted=value)} {spec.question(slot, task.language)}"
        return replace(task, state=TaskState.NEEDS_INFO, missing=slot, question=question, call=None, waiting=None)

    # the user's decisions ------------------------------------------------------------------------------
    async def confirm(self, confirmation_id: str) -> Task:
        """Run the confirmed call if it is still exactly what the user saw; else ask again."""
        record = self.journal.confirmation(confirmation_id)
        task = self.journal.task(record["task_id"])
        current: Prepared | None = None
        if record["status"] == "pending" and task.state == TaskState.AWAITING_CONFIRMATION:
            now = await self._prepared(task)
            current = None if isinstance(now, str) else now  # partner away: the call runs when it is back
            if current is not None and current.call is not None and task.call is not None \
                    and current.call.summary == task.call.summary:  # a fresh quote id for what the user saw
                current = replace(current, call=task.call)
            if current is not None and current.call is None and (asked := await self._asked(task, current)):
                withdraw(self.journal, confirmation_id)  # a step's partner asks first: answered, then confirmed anew
                return self.journal.save(asked)
            if current is not None and current.call is None and current.missing and not current.error:
                withdraw(self.journal, confirmation_id)  # gone, another asked for (a showing begun: "When? …")
                return self.journal.save(_needs(self.journal.task(task.id), current))
            if current is not None and current.call is None:  # gone: sold out, no longer on the menu ...
                record_answer(self.journal, confirmation_id, False)
                return self.journal.save(replace(self.journal.task(task.id), state=TaskState.FAILED,
                                                 error=current.error or current.question or "no longer available"))
        decision = record_answer(self.journal, confirmation_id, True, current.call if current else None)
        if decision.outcome == "changed" and current is not None and current.call is not None:
            return request_confirmation(self.journal, replace(decision.task, filled=current.filled), current.call)
        if decision.task.state == TaskState.RUNNING:
            await self._execute(decision.task)
        return self.journal.task(task.id)

    async def change(self, confirmation_id: str, slots: dict[str, Any]) -> Task:
        """The user answered a confirmation question with a change ("yes, but only one ticket"): nothing is
        bought; the confirmation is withdrawn and the task prepared again with ``slots`` changed, so it asks
        for a fresh yes to exactly the new call (or for what it still needs)."""
        task = withdraw(self.journal, confirmation_id)
        if task is None:
            return self.journal.task(self.journal.confirmation(confirmation_id)["task_id"])
        changed = normalise_slots(self.intents[task.intent], slots, None)
        task = self.journal.save(replace(task, slots={**task.slots, **changed}))
        await self._advance(task)
        return self.journal.task(task.id)

    async def decline(self, confirmation_id: str) -> Task:
        return record_answer(self.journal, confirmation_id, False).task

    async def cancel(self, task_id: str) -> Task:
        """Cancel a task that has not started its call. A running purchase is left to finish (cancelling it
        half-way could lose an order that was already paid for)."""
        task = self.journal.task(task_id)
        if task.state in FINAL or task.state == TaskState.RUNNING:
            return task
        if task.confirmation_id and task.state == TaskState.AWAITING_CONFIRMATION:
            return record_answer(self.journal, task.confirmation_id, False).task
        return self.journal.save(replace(task, state=TaskState.CANCELLED))

    def tasks(self, conversation_id: str | None = None, states: frozenset[TaskState] | None = None) -> list[Task]:
        return self.journal.tasks(conversation_id, states)

    async def resume(self) -> list[Task]:
        """Carry on with every planned or running task (after a crash, or when a partner is back)."""
        active = self.journal.tasks(states=ACTIVE)
        if active:
            await run_concurrently(active, self._advance)
        return [self.journal.task(t.id) for t in active]
