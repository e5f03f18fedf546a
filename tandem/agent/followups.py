"""Which of the user's own orders a turn is about, and whether a card may undo one (split out of ``assistant``).

A turn that names no order of its own ("cancel it", "storniere meine letzte Bestellung") is read as a follow-up on the
order the conversation was about (``pointed_at``) or the user's latest order (``latest``); an undoing card is held
when the sentence declines the order, names only another kind of order or only asks about it (``kept``). What a turn
reads of the user's journal is read once per turn (``Turn.history``).
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property

from tandem.agent.clauses import Intent
from tandem.agent.declined import PAUSE
from tandem.agent.intents import IntentSpec
from tandem.agent.journal import Journal
from tandem.agent.kept import (
    Undoing,
    conditional,
    declined_spans,
    latest_said,
    names_a_kind,
    names_a_stranger,
    names_an_order,
    names_another,
    names_only_declined,
    pointed_beside,
    says_only,
)
from tandem.agent.learned import familiar
from tandem.agent.own_orders import Order, kept_text, more_said, order_of, placed_said, pointed_at, says_verb
from tandem.agent.slots import When
from tandem.agent.spoken import doubts, unhedged
from tandem.agent.tasks import PendingCall, Task, TaskState
from tandem.agent.told import told
from tandem.agent.toolset import ToolSpec, find_tool
from tandem.agent.understand import Understander, Understanding

__all__ = ["FollowUps", "Turn", "no_value_named"]

log = logging.getLogger("tandem.agent")
_LISTED = 5  # orders named in a "which one?" question, newest first


def no_value_named(understanding: Understanding) -> bool:
    """Did a model tier read a request that names nothing of its own ("取消它", "cancel it": which?), no template's
    plain command? Its object is then what the conversation's last task was about, when the manifests declare a
    follow-up on it (``FollowUps.pointed_at``): the tier read the sentence alone and cannot know that "它" is the
    food order just tracked (it read a calendar cancellation once a cinema's cancellation was learned beside it)."""
    return understanding.tier != "fast" and all(not i.slots for i in understanding.intents)


@dataclass
class Turn:
    """One user turn as the follow-up rules read it: its words, and the user's journal read at most once."""

    text: str
    lang: str
    conversation_id: str
    live: set[str]  # the capabilities some service offers now
    journal: Journal = dataclasses.field(repr=False)

    @cached_property
    def history(self) -> list[Task]:
        """The done tasks of the conversation's owner (``Journal.own_history``), oldest first."""
        return self.journal.own_history(self.conversation_id)


class FollowUps:
    """The rules that tie a turn to one of the user's own orders, over the installed capabilities."""

    def __init__(self, intents: Mapping[str, IntentSpec], journal: Journal, understander: Understander,
                 when: Callable[[str, str], When | None]) -> None:
        """``when``: the date or time a text says in a language, as the assistant reads one (its region's)."""
        self.intents = intents
        self.journal = journal
        self.understander = understander
        self._when = when
        self._undoings: dict[tuple[str, ...], Undoing] = {}  # by the names of the undoing capabilities installed

    def undoing(self, tools: list[ToolSpec]) -> Undoing:
        """The installed capabilities that undo an order (``kept.Undoing``)."""
        specs = tuple(s for s in self.intents.values() if s.own and
                      (tool := find_tool(tools, s.category, s.tool)) is not None and tool.transactional)
        key = tuple(s.name for s in specs)
        if key not in self._undoings:
            self._undoings[key] = Undoing.of(specs, self.intents.values())
        return self._undoings[key]

    def more_undoes_nothing(self, understanding: Understanding, turn: Turn, tools: list[ToolSpec]) -> Understanding:
        """``understanding`` without its undoings of the user's orders when the turn asks for more of the same
        (``own_orders.more_said``) and says none of the undoing's own verbs (``Undoing.own_verbs``): "die Bestellung
        nochmal", "Bestellung: noch eine bitte", "电影票再来一张" + yes cancelled the order (reread31 H-7: the learned
        tier reads them as its cancellation, as ``pointed_at`` did for "order another one", R31-7)."""
        if not more_said(turn.text, turn.lang):
            return understanding
        undoing = self.undoing(tools)
        kept = tuple(i for i in understanding.intents
                     if i.name not in undoing.naming or self._says_undoing(turn, undoing, i.name))
        return understanding if len(kept) == len(understanding.intents) else replace(understanding, intents=kept)

    def _says_undoing(self, turn: Turn, undoing: Undoing, name: str) -> bool:
        """Does the turn say one of ``name``'s own verbs (``Undoing.own_verbs``)?"""
        return says_verb(turn.text, turn.lang, undoing.own_verbs(self.intents[name], turn.lang))

    def ordered(self, turn: Turn) -> frozenset[str]:
        """The categories the user has committed orders in ("food", "cinema"), from their own journal."""
        return frozenset(self.intents[t.intent].category for t in turn.history
                         if t.state == TaskState.DONE and t.call is not None and t.call.transactional
                         and t.intent in self.intents)

    def pointed_at(self, turn: Turn, tools: list[ToolSpec]) -> Understanding | None:
        """``turn`` as a follow-up on the order the conversation's last task was about ("cancel it" after "where is my
        order": ``own_orders.pointed_at``), read by the learned tier; None when it is none."""
        earlier = self.journal.tasks(turn.conversation_id)
        learned = self.understander.learned
        if not earlier or learned is None:
            return None
        started = time.perf_counter()
        found = pointed_at(turn.text, turn.lang, earlier[-1], self.intents, learned.tier.scores(turn.text),
                           self.undoing(tools).own_verbs)
        if found is None or found.name not in turn.live or self.doubted(found.name, turn, tools) or \
                self._elsewhere(found, turn, earlier[-1], tools):
            return None
        return Understanding((found,), "learned", 0.5, turn.lang, (time.perf_counter() - started) * 1000,
                             ("learned",))

    def doubted(self, name: str, turn: Turn, tools: list[ToolSpec]) -> bool:
        """Is ``turn``, read as a follow-up of capability ``name`` that commits (a cancellation, a refund), a question
        about the user's own choice or a condition ("should I cancel the pizza?", "falls sie um acht nicht da ist,
        storniere sie")? It makes no card then, which the next yes would carry out (review28 P28-2); "could you
        cancel it?" asks for it, and "where is it now?" still asks where."""
        spec = self.intents[name]
        tool = find_tool(tools, spec.category, spec.tool)
        return (tool is None or tool.transactional) and (doubts(turn.text) or
                                                         conditional(unhedged(turn.text), turn.lang))

    def latest(self, understanding: Understanding, turn: Turn, tools: list[ToolSpec]) -> Understanding | None:
        """``understanding`` moved to the undoing of the user's latest order when it reads one undoing capability,
        names no order nor kind of order and says a word of the latest (``kept.latest_said``): after a pizza and then
        cinema tickets, "storniere meine letzte Bestellung", "cancel my latest order" are about the tickets, though
        the food examples say "letzte Bestellung" (review29 R29-8). None when it stays as it is."""
        undoing, text, lang = self.undoing(tools), turn.text, turn.lang
        if len(understanding.intents) != 1 or not latest_said(text, lang, undoing) or \
                self._when(text, lang) is not None:
            return None  # "cancel what I ordered last Friday", "von letzter Woche" say when, not the latest
        (read,) = understanding.intents
        if read.name not in undoing.naming or read.slots or names_a_kind(text, lang, undoing):
            return None
        placed = self._orders(turn, undoing)
        category = self.intents[placed[-1].intent].category if placed else None
        moved = next((s.name for s in undoing.specs if s.category == category and s.name in turn.live), read.name)
        return None if moved == read.name else replace(understanding, intents=(replace(read, name=moved),))

    def read(self, understanding: Understanding, turn: Turn, tools: list[ToolSpec],
             waiting: bool) -> Understanding | str:
        """``understanding`` as the follow-up rules read it, in turn: a follow-up on the order the conversation was
        about (``pointed_at``), the order picked by the order they were placed in (``placed``) or the latest one
        (``latest``), the kind of order the user has (``held``; not to a waiting question: there "取消吧" drops it,
        never another order, reread30 H-3), no undoing where more of the same is asked (``more_undoes_nothing``).
        A string: the question which order (no card)."""
        if (not understanding.matched or no_value_named(understanding)) and not understanding.declines:
            understanding = self.pointed_at(turn, tools) or understanding  # never "… nicht"
        placed = self.placed(understanding, turn, tools)
        if isinstance(placed, str):
            return placed
        understanding = placed or self.latest(understanding, turn, tools) or understanding
        held = None if waiting else self.held(understanding, turn, tools)
        if isinstance(held, str):
            return held
        return self.more_undoes_nothing(held or understanding, turn, tools)  # "再来一张"

    def placed(self, understanding: Understanding, turn: Turn, tools: list[ToolSpec]) -> Understanding | str | None:
        """``understanding`` moved to the undoing of the order the turn picks by the order they were placed in
        (``own_orders.placed_said``), with that order's id: after a pizza and then cinema tickets, "cancel the first
        one", "storniere die erste Bestellung", "取消第一个订单" are about the pizza (review31 R31-13: a yes cancelled
        the tickets, the order the conversation was last about). Counted among the orders placed in this conversation
        (all the user's when it placed none), of the kind the turn names if it names one; the question which order
        when there is no such one. None when the turn says no such word or reads no one undoing."""
        undoing = self.undoing(tools)
        if len(understanding.intents) != 1 or understanding.intents[0].name not in undoing.naming:
            return None
        (read,) = understanding.intents
        nth = placed_said(turn.text, turn.lang, frozenset().union(*undoing.words.values(), *undoing.kinds.values()))
        if nth is None:
            return None
        mine = self._orders(turn, undoing)
        here = [t for t in mine if t.conversation_id == turn.conversation_id] or mine
        if names_a_kind(turn.text, turn.lang, undoing):  # "cancel the first pizza"
            here = [t for t in here if self.intents[t.intent].category == self.intents[read.name].category]
        at = nth - 1 if nth > 0 else nth
        if not -len(here) <= at < len(here):
            listed = "; ".join(self._label(t, undoing) for t in list(reversed(here or mine))[:_LISTED])
            return kept_text(turn.lang, listed, "which_kind") if listed else None
        task = here[at]
        category = self.intents[task.intent].category
        spec = next((s for s in sorted(undoing.specs, key=lambda s: s.name != read.name)  # the reading's, if it fits
                     if s.category == category and s.name in turn.live), None)
        if spec is None:
            return None
        slots = {name: value for name in spec.own if (value := order_of(task, name, spec))}
        return replace(understanding, intents=(replace(read, name=spec.name, slots=slots),))

    def held(self, understanding: Understanding, turn: Turn, tools: list[ToolSpec]) -> Understanding | str | None:
        """``understanding`` moved to the undoing of the kind of order the user has, when it reads the undoing of a kind
        they have no order of and names nothing of its own: with one cinema order, "cancel the tickets" (read as the
        concert's refund), "storniere die Bestellung", "取消订单" (read as the food order's) are about the tickets
        (review29 R29-13). A kind the sentence names ("Kinokarten", "tickets": the cinema's and the concert's) narrows
        the kinds; with orders of several kinds it could be, the question which one (their latest orders listed).
        None when it stays as it is (the reading's kind has an order, or no kind has one)."""
        undoing = self.undoing(tools)
        if len(understanding.intents) != 1 or any(v not in (None, "") for v in understanding.intents[0].slots.values()):
            return None
        (read,) = understanding.intents
        kinds = {s.name: s.category for s in undoing.specs if s.name in turn.live}
        has = self._placed(turn, undoing)
        if read.name not in kinds:
            return None
        undoable = has & set(kinds.values())  # kinds of order the user has that an installed capability undoes
        if (which := self._which(turn, undoing, undoable)) is not None:
            return which
        if (asked := self._asked(turn, undoing, kinds, undoable)) is not None:
            return None if asked == read.name else replace(understanding, intents=(replace(read, name=asked),))
        if kinds[read.name] in has or told(turn.text, turn.lang, familiar(undoing.specs, turn.lang)[0]):
            return None  # "my friend cancelled his tickets" tells, it asks nothing (review30 R30-14)
        text = self._asked_for(understanding, turn, undoing)  # "cancel the tickets, not the pizza": the tickets
        named = {kinds.get(name) for name, words in undoing.naming.items()  # a word only that kind's examples say
                 if names_a_kind(text, turn.lang, replace(undoing, kinds={name: words}))}
        if named - has:
            return None  # "不是外卖，是电影票，取消" with only a takeaway names the tickets: no move (review30 R30-14)
        said = {name for name, words in undoing.kinds.items()  # each kind alone: its words said?
                if names_a_kind(text, turn.lang, replace(undoing, kinds={name: words}))} or set(kinds)
        could = sorted({kinds[name] for name in said if name in kinds and kinds[name] in has})
        if len(could) > 1:
            return kept_text(turn.lang, "; ".join(self._latest_of(turn, undoing, kind) for kind in could), "which_kind")
        if not could:
            return None
        moved = next(name for name, kind in kinds.items() if kind == could[0])
        if not says_only(text, turn.lang, undoing, moved):
            return None  # "cancel the sushi" with only cinema tickets names no order of theirs (reread30 H-1)
        return replace(understanding, intents=(replace(read, name=moved),))

    @staticmethod
    def _asked_for(understanding: Understanding, turn: Turn, undoing: Undoing) -> str:
        """What of ``turn`` asks: where the reading declines something ("cancel the tickets, not the pizza"), its parts
        that decline nothing (``kept.declined_spans``; review31 R31-15: the refund of a concert was kept, as the pizza
        named the food kind too); else all of it."""
        if not understanding.declines:
            return turn.text
        kinds = frozenset().union(*undoing.kinds.values())
        asking = declined_spans(turn.text, turn.lang, undoing.verbs(turn.lang), kinds, undoing.before)[1]
        return " ".join(asking) or turn.text

    def _turn_of(self, task: Task) -> Turn:
        """The turn ``task`` was read from, as the follow-up rules read it (its conversation's journal)."""
        return Turn(task.text, task.language, task.conversation_id, set(), self.journal)

    def _asked(self, turn: Turn, undoing: Undoing, kinds: Mapping[str, str], has: set[str]) -> str | None:
        """With orders of several kinds, the undoing of the one kind the sentence's asking clauses name where another
        clause tells of an act done: "I cancelled the pizza myself, cancel the tickets too" (review30 R30-19: the
        pizza's card). None otherwise."""
        openings = familiar(undoing.specs, turn.lang)[0]
        parts = [p for p in re.split(PAUSE, turn.text) if p.strip()]
        asking = [p for p in parts if not told(p, turn.lang, openings)]
        if len(has) < 2 or not asking or len(asking) == len(parts):
            return None
        named = {name for name, words in undoing.kinds.items() if name in kinds and kinds[name] in has and
                 any(names_a_kind(p, turn.lang, replace(undoing, kinds={name: words})) for p in asking)}
        return next(iter(named)) if len(named) == 1 else None

    def _which(self, turn: Turn, undoing: Undoing, has: set[str]) -> str | None:
        """With orders of several kinds, the question which one, where the sentence names its object only by words
        for any order ("cancel my order", "storniere die Bestellung", "取消订单": review30 R30-17, the food examples'
        words cancelled the pizza); not "cancel it" (the latest), "my latest order" nor a word of one order's."""
        text, lang = turn.text, turn.lang
        if len(has) < 2 or names_a_kind(text, lang, undoing) or latest_said(text, lang, undoing) or \
                not names_an_order(text, lang, undoing) or any(Order(t.id, t).says(text)  # "cancel the Margherita"
                                                               for t in self._orders(turn, undoing)):
            return None
        return kept_text(lang, "; ".join(self._latest_of(turn, undoing, kind) for kind in sorted(has)), "which_kind")

    def _latest_of(self, turn: Turn, undoing: Undoing, category: str) -> str:
        """The user's latest order of ``category`` as a "which one?" question lists it ("CIN-… (Dune, …)")."""
        return self._label([t for t in self._orders(turn, undoing) if self.intents[t.intent].category == category][-1],
                           undoing)

    def _label(self, task: Task, undoing: Undoing) -> str:
        """The order ``task`` placed as a "which one?" question lists it ("CIN-… (Dune, …)")."""
        category = self.intents[task.intent].category
        spec = next(s for s in undoing.specs if s.category == category)
        value = next((found for name in spec.own if (found := order_of(task, name, spec))), task.id)
        return Order(value, task).label()

    def _placed(self, turn: Turn, undoing: Undoing) -> set[str]:
        """The categories the user has placed orders in (not the undoings of them), from their own journal."""
        return {self.intents[t.intent].category for t in self._orders(turn, undoing)}

    def _orders(self, turn: Turn, undoing: Undoing) -> list[Task]:
        """The tasks of the user's journal that placed an order (a committing call, not an undoing), oldest first."""
        undoes = {s.name for s in undoing.specs}
        return [t for t in turn.history if t.call is not None and t.call.transactional and t.intent in self.intents
                and t.intent not in undoes]

    def _elsewhere(self, found: Intent, turn: Turn, last: Task, tools: list[ToolSpec]) -> bool:
        """Does ``turn``, read as ``found``, a follow-up on the order ``last`` was about, name only another kind of
        order the user has ("no pizza for me after all, cancel the order" after a cinema order: reread28 H1)? The
        reading it was taken for stands then (the pizza's cancelling), not the follow-up on the last order."""
        if not self.intents[found.name].own:
            return False
        orders = [Order(str(value), last) for value in found.slots.values() if value not in (None, "")]
        return names_another(turn.text, turn.lang, self.undoing(tools), found.name,
                             lambda part: any(order.says(part) for order in orders), self.ordered(turn))

    def kept(self, task: Task, call: PendingCall, tools: list[ToolSpec]) -> str | None:
        """What to say instead of a card that would undo an order the user's sentence names only where it declines it
        ("storniere nicht die Kinokarten, sondern die Pizza": ``kept``, review27 P27-5), or names only another kind of
        order than it ("storniere die Pizza" for the cinema tickets), or only asks about or makes a condition of
        (``asked``); None when the card stands."""
        spec = self.intents[task.intent]
        ids = [str(call.arguments[name]) for name in spec.own if call.arguments.get(name) not in (None, "")]
        if not ids:
            return None
        undoing = self.undoing(tools)
        orders = [Order(value, replace(task, call=call)) for value in ids]

        def says(part: str) -> bool:
            return any(order.says(part) for order in orders)

        if doubts(task.text) or conditional(unhedged(task.text), task.language):
            why = "asked"  # "is it too late to cancel the tickets?", "电影票还能退吗？" read as the act itself (R29-4)
        elif names_only_declined(task.text, task.language, undoing, task.intent, says):
            why = "kept"
        elif names_another(task.text, task.language, undoing, task.intent, says) or \
                names_a_stranger(task.text, task.language, undoing, task.intent, says):
            # "storniere die Pizza" read as a follow-up on the cinema order (review28 P28-1); any kind counts here, one
            # the user has no order of too ("too late for the cinema, cancel the tickets" is no pizza: reread29 H3);
            # "cancel the sushi" with one pizza ordered names no order of theirs (reread30)
            why = "another"
        elif pointed_beside(task.text, task.language, undoing, says,
                            frozenset(self._placed(turn := self._turn_of(task), undoing))):
            # "cancel it, the pizza is enough" with pizza and tickets: which does "it" point at? (reread30 H-2)
            log.info("kept: %s not made (pointed beside another order)", task.intent)
            kinds = sorted(self._placed(turn, undoing))
            return kept_text(task.language, "; ".join(self._latest_of(turn, undoing, k) for k in kinds), "which_kind")
        else:
            return None
        log.info("kept: %s not made (%s)", task.intent, why)
        return kept_text(task.language, "; ".join(order.label() for order in orders), why)
