"""One user turn of a conversation that may answer the assistant's confirmation question, typed (chat
completions, ``tandem chat``) or spoken (``/v1/assistant/voice``, ``tandem ask --audio``).

A purchase needs the user's yes to exactly what they were shown, so:

- a "yes" (or "no") answers only the confirmations the conversation's **last assistant turn** put to
  the user (``Journal.shown``), never a task of another conversation, nor one the user was shown long
  ago, nor one made by a retried request the user never saw;
- a reply is a yes only when all of it affirms (``spoken.read_answer``): "yes, but only one ticket" is
  not a yes. A no that says the asked task's own act ("cancel it", "Storniere sie", "取消它" to "Cancel order
  FD-1…?": a word of its capability's examples) is neither: nothing is done and the question is asked again.
  When all it adds is a new count and/or a new day or time (``spoken.read_change``: "yes, but on Saturday",
  "ja, aber erst morgen", "好的，不过换成周六") and exactly one task asked about has slots of those kinds,
  that task is prepared again with the change and asks anew (the old confirmation is
  withdrawn: nothing is bought without a fresh yes to the new call); otherwise nothing is bought and
  the assistant asks what is meant, the question still open;
- confirmation ids named in the reply ("confirm c-1a2b3c4d") answer those, if they were shown here: an id alone is a
  yes to it, an id beside words that are no yes ("storniere c-1a2b…", "undo c-1a2b…") buys nothing and asks again;
- a bare yes or no when the last turn showed no confirmation (a question was answered in between) buys nothing and
  is not chatted about: the conversation's waiting confirmations are shown again, and the next yes answers them;
- a client that may not confirm (``may_answer=False``: on the HTTP server, a local process without a
  credential) gets no answer taken from it at all: its "yes" buys nothing, its "yes, but ..." changes
  nothing, and the assistant says where to confirm, the question still open.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from tandem.agent.assistant import Assistant
from tandem.agent.own_orders import says_own_words
from tandem.agent.own_orders_again import anew, order_again, partner_moved
from tandem.agent.reply import Reply, describe
from tandem.agent.skills import skill_text
from tandem.agent.slots import detect_language, extract_when
from tandem.agent.spoken import (
    Change,
    answer_words,
    asks,
    chooses,
    elsewhere,
    languages,
    negated,
    only_these,
    plainly,
    read_answer,
    read_change,
    refuses,
    said_apart,
    says_a_number,
    unclear,
)
from tandem.agent.tasks import Task, TaskState
from tandem.agent.understand import Understanding
from tandem.privacy.dictionaries import stop_words
from tandem.text import HAN, pieces

__all__ = ["shown_again", "take_turn"]

# A confirmation id named in a reply picks among those the conversation was shown (never one beyond them):
# 32 hex digits, or 8 for one journaled before ids had 128 bits.
_CONFIRMATION_ID = re.compile(r"\bc-[0-9a-f]{8}(?:[0-9a-f]{24})?\b")


def _asked(assistant: Assistant, conversation_id: str) -> list[Task]:
    """The tasks whose confirmation the conversation's last assistant turn asked for, still pending."""
    shown = set(assistant.journal.shown(conversation_id))
    return [t for t in assistant.tasks(conversation_id)
            if t.state == TaskState.AWAITING_CONFIRMATION and t.confirmation_id in shown]


def _waiting(assistant: Assistant, conversation_id: str) -> list[Task]:
    """The conversation's tasks still waiting for the user's yes, whatever the last turn showed."""
    return [t for t in assistant.tasks(conversation_id)
            if t.state == TaskState.AWAITING_CONFIRMATION and t.confirmation_id]


def _show(assistant: Assistant, reply: Reply) -> Reply:
    """Record what this reply asks the user to confirm: the next "yes" answers exactly that."""
    assistant.journal.show(reply.conversation_id, [t.confirmation_id for t in reply.tasks
                                                   if t.state == TaskState.AWAITING_CONFIRMATION and t.confirmation_id])
    return reply


async def take_turn(assistant: Assistant, text: str, conversation_id: str | None = None, *,
                    understanding: Understanding | None = None, request_key: str | None = None,
                    may_answer: bool = True, keep_profile: bool = True) -> Reply:
    """The assistant's turn for ``text``: an answer to the confirmations shown last in this conversation,
    or a request (``Assistant.ask``; a new conversation when ``conversation_id`` is None). ``keep_profile``:
    whether a detail the assistant asked for may go into the user's profile (else it serves its tasks only)."""
    asked = _asked(assistant, conversation_id) if conversation_id else []
    named = set(_CONFIRMATION_ID.findall(text))
    answer = read_answer(_CONFIRMATION_ID.sub(" ", text))
    if named and asked:
        asked = [t for t in asked if t.confirmation_id in named]
        # "c-1a2b3c4d" alone is a yes, as the chat's own hint says; words beside it that are no yes ("storniere
        # c-…", "undo c-…"), or a question mark ("c-…?": review27 P27-4), are no yes either: nothing is bought and the
        # question is asked again
        answer = answer or ("unclear" if re.search(r"[\w?？]", _CONFIRMATION_ID.sub(" ", text)) else "yes")
    if answer == "no" and not negated(text) and any(says_own_words(text, assistant.intents[t.intent]) for t in asked):
        answer = "unclear"  # "cancel it" to "Cancel order FD-1…?" says the task's own act: neither a yes nor a no
    if not asked and conversation_id and not named and (again := shown_again(assistant, conversation_id, text)):
        return again  # a yes after another turn in between is no yes to what was not shown last: shown again
    if conversation_id and not named and (again := _named_waiting(assistant, conversation_id, text, asked)):
        return again  # "just the tickets" when only the pizza was asked last: the tickets shown again, none bought
    if not asked and conversation_id and not named and (again := await _declined_too(
            assistant, conversation_id, text, request_key=request_key, keep_profile=keep_profile)):
        return again  # "and the tickets too" after they were declined: prepared anew for a fresh yes, none bought
    if asked and answer != "yes" and may_answer and (split := await _split(assistant, asked, text)) is not None:
        return split  # "die Pizza ja, das Kino nicht": the pizza bought, the tickets declined
    if asked and answer is None and (chosen := _chosen(assistant, asked, text)) is not None:
        return chosen  # "ja, die Tickets" (or "only the tickets" from a client that may not answer): a yes asked
    if asked and answer is None and may_answer and (alone := await _changed_alone(assistant, asked, text)):
        return alone  # "just one pizza": the pizza order asks anew with one
    if (not asked or answer is None) and (again := await order_again(assistant, text, conversation_id,
                                                                     request_key=request_key,
                                                                     keep_profile=keep_profile)):
        return _show(assistant, again)  # "same again": the user's last order asked anew, bought only on a yes
    if not asked or answer is None:
        return _show(assistant, await assistant.ask(text, conversation_id, understanding=understanding,
                                                    request_key=request_key, keep_profile=keep_profile))
    assert conversation_id is not None
    assistant.journal.add_turn(conversation_id, "user", text)
    if not may_answer:  # the question stays open for a client that may answer it
        said = elsewhere(asked[0].language) + "\n" + "\n".join(describe(t) for t in asked)
        return _told(assistant, conversation_id, said, asked)
    if answer == "unclear":  # a condition or a change is not a yes
        change = read_change(text, assistant.clock(), asked[0].language, assistant.understander.region or None)
        changed = await _change(assistant, asked, change, text)
        if changed is not None:
            said = "\n".join(describe(t) for t in changed)
            return _show(assistant, _told(assistant, conversation_id, said, changed))
        picked = _picked(assistant, asked, text)
        if picked and len(picked) < len(asked) and not refuses(text):  # "ja, die Pizza": a yes to the pizza asked
            return _only(assistant, conversation_id, picked)
        said = unclear(asked[0].language) + "\n" + "\n".join(describe(t) for t in asked)  # ask; keep it open
        return _told(assistant, conversation_id, said, asked)
    decide = assistant.confirm if answer == "yes" else assistant.decline
    decided = [await decide(t.confirmation_id or "") for t in asked]
    said = "\n".join(describe(t) for t in decided)
    return _show(assistant, _told(assistant, conversation_id, said, decided))


def _chosen(assistant: Assistant, asked: list[Task], text: str) -> Reply | None:
    """A reply that is no answer but chooses among the confirmations shown: it names some of them and says a yes or
    an ``only`` word ("yes, the tickets", "ja, die Pizza", "披萨可以", to a pizza and tickets asked; "only the tickets"
    alone decided them before: ``_decided``). Nothing is bought and no new request is made of it (it would be one about
    the user's orders: "refund my tickets"): the assistant asks a yes to exactly those named, the rest wait; when it
    names all of them or refuses, it asks what is meant. None when it names none of them, says no such word, or says a
    number or a time ("just one pizza": a change, review22's probe): a new request, as before."""
    if not chooses(text) or says_a_number(text) or extract_when(text, assistant.clock(), asked[0].language)[0]:
        return None  # "just one pizza", "nur morgen": a change, not a choice (read as before)
    picked = _picked(assistant, asked, text)
    if not picked:
        return None
    conversation_id = asked[0].conversation_id
    assistant.journal.add_turn(conversation_id, "user", text)
    if len(picked) < len(asked) and not refuses(text):
        return _only(assistant, conversation_id, picked)
    said = unclear(asked[0].language) + "\n" + "\n".join(describe(t) for t in asked)
    return _show(assistant, _told(assistant, conversation_id, said, asked))


async def _split(assistant: Assistant, asked: list[Task], text: str) -> Reply | None:
    """A reply that decides some of several confirmations shown by naming them (``_decided``): exactly the ones named
    with a yes are bought, the refused ones declined, the others still wait (shown again)."""
    decided = _decided(assistant, asked, text)
    if decided is None:
        return None
    yes, no = decided
    conversation_id = asked[0].conversation_id
    assistant.journal.add_turn(conversation_id, "user", text)
    chosen = {t.id for t in yes + no}
    done = [await (assistant.confirm if t in yes else assistant.decline)(t.confirmation_id or "")
            for t in asked if t.id in chosen]
    tasks = [*done, *(t for t in asked if t.id not in chosen)]
    said = "\n".join(describe(t) for t in tasks)
    return _show(assistant, _told(assistant, conversation_id, said, tasks))


def _decided(assistant: Assistant, asked: list[Task], text: str) -> tuple[list[Task], list[Task]] | None:
    """The tasks a reply to several confirmations says yes and no to, when it decides some of them plainly: said in
    parts that each name some with a yes (answers.toml ``yes``, ``yes_to``) or a refusal (``negations``): "die Pizza ja,
    das Kino nicht", "披萨要，电影不要"; or a part that chooses some with an ``alone`` word and nothing else ("nur die
    Pizza", "just the pizza", "只要披萨"; beside it only parts that refuse or a plain yes: "only the pizza, not the
    cinema", "好的，只要披萨"): a yes to those and a no to all the others; or a plain refusal of some ("cancel the
    pizza", "kein Kino", "不要披萨"): a no to those, the others wait. None when a part names none of them and is no
    plain yes beside such a choice, says more than a yes or a no ("要是…就要", "not sure yet"), one is named both ways,
    the choice names all of them, or the reply says a number or a time (a change)."""
    parts = said_apart(text)
    if len(asked) < 2 or asks(text) or says_a_number(text) or \
            extract_when(text, assistant.clock(), asked[0].language)[0]:
        return None
    yes: list[Task] = []
    no: list[Task] = []
    alone: list[Task] = []
    bare = False  # a part that is a plain yes and names none ("yes, only the pizza")
    for part in parts:
        named = _picked(assistant, asked, part)
        reading = plainly(_unnamed(assistant, named, part) if named else part)
        if reading == "polite" and not named:  # "…, thanks"
            continue
        if reading in (None, "polite", "also") or (not named and reading != "yes"):  # "要是…就要"; "nein, nur die…"
            return None
        if reading == "no" and not negated(part) and \
                any(says_own_words(part, assistant.intents[t.intent]) for t in named):
            return None  # "cancel the order" to a cancellation shown says its own act: no refusal of it
        bare = bare or not named
        {"yes": yes, "no": no, "alone": alone}[reading].extend(named)
    if {t.id for t in yes + alone} & {t.id for t in no}:
        return None
    if alone:  # "only the pizza": a no to all the others; the choice must leave some out
        chosen = {t.id for t in yes + alone}
        others = [t for t in asked if t.id not in chosen]
        return ([t for t in asked if t.id in chosen], others) if others else None
    if bare or (len(parts) < 2 and (yes or not no)):  # "ja, die Pizza" is asked a yes to it (``_chosen``)
        return None
    return yes, no  # "cancel the pizza", "不要披萨": a no to those named alone; the others wait


def _told(assistant: Assistant, conversation_id: str, said: str, tasks: list[Task]) -> Reply:
    """The assistant's turn saying ``said`` of ``tasks``, written to the conversation, as a reply."""
    turn = assistant.journal.add_turn(conversation_id, "assistant", said)
    return Reply(conversation_id, None, tuple(tasks), said, turn)


def _unnamed(assistant: Assistant, named: list[Task], part: str) -> str:
    """``part`` without the words that name the tasks ``named`` (as ``_picked`` reads them): what it says of them."""
    skip = stop_words(*languages()) | answer_words()
    words = set().union(*(_task_words(assistant, t, skip) for t in named)) & _named_by(part, skip)
    covered = [False] * len(part)  # every character a naming word covers: pieces overlap ("电影", "影票" in "电影票")
    for word in words:
        pattern = re.escape(word) if re.search(r"[\u3400-\u9fff]", word) else rf"\b{re.escape(word)}\b"
        for found in re.finditer(pattern, part, flags=re.IGNORECASE):
            covered[found.start():found.end()] = [True] * (found.end() - found.start())
    return "".join(" " if gone else c for c, gone in zip(part, covered, strict=True))


async def _changed_alone(assistant: Assistant, asked: list[Task], text: str) -> Reply | None:
    """A change said without a yes to the confirmations shown ("just one pizza", "nur eine Karte", "只要一份披萨"):
    the one task it fits (by its slots, else by the words naming it) prepared again and asked anew, nothing bought;
    None when it is no such change or fits no single task (a new request, as before)."""
    change = read_change(text, assistant.clock(), asked[0].language, assistant.understander.region or None,
                         answered=False)
    changed = await _change(assistant, asked, change, text)
    if changed is None:
        return None
    conversation_id = asked[0].conversation_id
    assistant.journal.add_turn(conversation_id, "user", text)
    said = "\n".join(describe(t) for t in changed)
    return _show(assistant, _told(assistant, conversation_id, said, changed))


def _only(assistant: Assistant, conversation_id: str, picked: list[Task]) -> Reply:
    """The question for a yes to exactly the confirmations ``picked`` (the next yes answers only them)."""
    said = only_these(picked[0].language) + "\n" + "\n".join(describe(t) for t in picked)
    return _show(assistant, _told(assistant, conversation_id, said, picked))


def _picked(assistant: Assistant, asked: list[Task], text: str) -> list[Task]:
    """The tasks of ``asked`` that ``text`` names by a word of what it would do (its confirmation's values: "Pizza
    Margherita", "Dune", "川味披萨") or of its capability's examples ("tickets", "Kinokarten", "电影票"); the words of
    an answer and function words name none. Only when the tasks differ by such words can a reply name some."""
    skip = stop_words(*languages()) | answer_words()
    said = _named_by(text, skip)
    return [t for t in asked if said & _task_words(assistant, t, skip)]


def _named_by(text: str, skip: frozenset[str]) -> set[str]:
    """The words of ``text`` that may name a task (``_said_words``), and a Chinese character left alone between the
    words of an answer ("票" of "票也要"): a thing is named by the last character of its word (``_task_words``)."""
    if not HAN.search(text):
        return _said_words(text, skip)
    alone = {c for run in re.findall(f"{HAN.pattern}+", text) for c in _han_answers().split(run) if len(c) == 1}
    return _said_words(text, skip) | (alone - skip)


@cache
def _han_answers() -> re.Pattern[str]:
    """The Chinese words of answers.toml, longest first: what a run of characters is cut at (``_named_by``)."""
    return re.compile("|".join(re.escape(w) for w in sorted((w for w in answer_words() if HAN.match(w)),
                                                            key=len, reverse=True)) or "$^")


def _said_words(text: str, skip: frozenset[str]) -> set[str]:
    """The words of ``text`` that carry meaning, lower case; a run of Chinese characters by its two-character pieces."""
    return {p for word in re.findall(r"\w+", text.casefold()) for p in pieces(word)} - skip


def _task_words(assistant: Assistant, task: Task, skip: frozenset[str]) -> set[str]:
    """The words a task can be named by: its confirmation's values and its capability's examples."""
    summary = task.call.summary if task.call else {}
    values = [str(x) for v in summary.values() for x in (v if isinstance(v, list) else [v]) if isinstance(x, str)]
    spec = assistant.intents[task.intent]
    examples = [re.sub(r"\{\w+\}", " ", e) for found in spec.examples.values() for e in found]
    heads = {run[-1] for run in re.findall(f"{HAN.pattern}{{2,}}", " ".join(values + examples))}  # "票" of "电影票"
    return _said_words(" ".join(values + examples), skip) | (heads - skip)


def shown_again(assistant: Assistant, conversation_id: str, text: str) -> Reply | None:
    """A bare yes or no while the conversation's confirmations wait, answering none of them: nothing is bought, they
    are shown again ("Nothing is bought yet. Do you confirm this?" and their lines) and recorded as shown, so a next
    yes in ``take_turn`` answers exactly them. None when ``text`` is no bare yes or no, or nothing waits. The web's
    typed turn uses it for every yes or no (only its dialog buys)."""
    if read_answer(text) not in ("yes", "no"):
        return None
    waiting = _waiting(assistant, conversation_id)
    if not waiting:
        return None
    assistant.journal.add_turn(conversation_id, "user", text)
    said = skill_text("not_yet", waiting[0].language) + "\n" + "\n".join(describe(t) for t in waiting)
    return _show(assistant, _told(assistant, conversation_id, said, waiting))


def _named_waiting(assistant: Assistant, conversation_id: str, text: str, asked: list[Task]) -> Reply | None:
    """A choice of waiting confirmations the last turn did not show ("just the tickets", "nur die Kinokarten",
    "只要电影票" after only the pizza was asked and bought), or an addition of them ("and the tickets too", "die Karten
    auch", "票也要"; beside those ``asked`` last, only that): nothing is bought, the ones named are shown again (after
    those asked) and recorded as shown, so a next yes answers exactly them. None when nothing else waits, ``text``
    names none of them, is a question, or says more than a yes, an ``alone`` or an ``also`` word beside their names (a
    refusal, a number, a time: a request of its own, as before)."""
    waiting = [t for t in _waiting(assistant, conversation_id) if t not in asked]
    if not waiting or asks(text) or says_a_number(text) or \
            extract_when(text, assistant.clock(), waiting[0].language)[0]:
        return None
    picked = _picked(assistant, waiting, text)
    reading = plainly(_unnamed(assistant, picked, text)) if picked else None
    if reading != "also" and (asked or reading not in ("yes", "alone")):
        return None
    assistant.journal.add_turn(conversation_id, "user", text)
    shown = [*asked, *picked]
    said = skill_text("not_yet", picked[0].language) + "\n" + "\n".join(describe(t) for t in shown)
    return _show(assistant, _told(assistant, conversation_id, said, shown))


async def _declined_too(assistant: Assistant, conversation_id: str, text: str, *, request_key: str | None,
                        keep_profile: bool) -> Reply | None:
    """Declined confirmations asked for after all with an ``also`` word ("and the tickets too", "und die Karten auch",
    "票也要" after "only the pizza" bought the pizza and declined the tickets): a vague word buys nothing that was
    declined; the ones named (the latest of their capability in the conversation) are prepared anew with the same
    values and shown for a fresh yes. None when ``text`` names none of them, is a question, or says more than such a
    word and a yes beside their names (a number, a time, a refusal: a request of its own, as before)."""
    tasks = assistant.tasks(conversation_id)
    declined = [t for at, t in enumerate(tasks) if t.state == TaskState.CANCELLED and t.call is not None
                and t.call.transactional and not any(later.intent == t.intent for later in tasks[at + 1:])]
    if not declined or asks(text) or says_a_number(text) or \
            extract_when(text, assistant.clock(), declined[0].language)[0]:
        return None
    picked = _picked(assistant, declined, text)
    if not picked or plainly(_unnamed(assistant, picked, text)) != "also":
        return None
    again = anew(picked, detect_language(text))  # at the partner each was declined at, while it is offered
    reply = await assistant.ask(text, conversation_id, understanding=again, request_key=request_key,
                                keep_profile=keep_profile)
    return _show(assistant, await partner_moved(assistant, reply, picked))


async def _change(assistant: Assistant, asked: list[Task], change: Change | None, text: str) -> list[Task] | None:
    """The asked tasks after "yes, but only one" or "yes, but on Saturday": the one task with slots of every
    changed kind prepared again with the change (the others still wait, as they were); None when the reply
    is more than such a change, changes nothing, or it is unclear which task it is about."""
    if change is None:
        return None
    fits = [t for t in asked if t.confirmation_id and _changed_slots(assistant, t, change, text)]
    if len(fits) > 1:  # "yes, but only one pizza" to pizzas and tickets: the one its words name
        fits = _picked(assistant, fits, text)
    if len(fits) != 1:
        return None
    task = fits[0]
    changed = await assistant.change(task.confirmation_id or "", _changed_slots(assistant, task, change, text) or {})
    return [changed if t.id == task.id else t for t in asked]


def _changed_slots(assistant: Assistant, task: Task, change: Change, text: str) -> dict[str, Any] | None:
    """The task's slots ``change`` sets, if the task has a slot for each kind it changes and one differs. A
    new day alone keeps the time the task had ("yes, but on Saturday" for a showing at 20:00), a new time
    alone the day ("yes, but at 9 pm" for a showing on Saturday)."""
    kinds = {kind: name for name, kind in assistant.intents[task.intent].slots.items()}
    slots: dict[str, Any] = {}
    if change.count is not None:
        if "count" not in kinds:
            return None
        slots[kinds["count"]] = change.count
    if change.when is not None:
        if "when" not in kinds:
            return None
        old_day, _, old_time = str(task.slots.get(kinds["when"]) or "").partition("T")
        day = old_day if old_day and change.when.time and _only_a_time(text, task.language) else change.when.date
        time = change.when.time or old_time
        slots[kinds["when"]] = f"{day}T{time}" if time else day
    return slots if any(task.slots.get(name) != value for name, value in slots.items()) else None


def _only_a_time(text: str, language: str) -> bool:
    """Whether ``text`` names a time but no day ("yes, but at 9 pm", "ja, aber um 21 Uhr"): its date then
    follows the clock's time of day (the next 9 pm comes today before it, tomorrow after it); a day said
    ("tomorrow at 9", "today at 9") does not."""
    midnight = dt.datetime.combine(dt.date.today(), dt.time(0, 0))
    early, _ = extract_when(text, midnight, language)
    late, _ = extract_when(text, midnight.replace(hour=23, minute=59), language)
    return early is not None and late is not None and early.date != late.date
