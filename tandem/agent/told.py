"""What a sentence does not ask for, though its words are a request's. It may tell of an act already done ("I
ordered a pizza yesterday", "Lisa booked tickets for Dune", "ich habe gestern Pizza bestellt", "我昨天点了外卖"): e5
places such a statement beside the request whose verb it says, and the learned tier read it as a new order or purchase,
which the user's "yes" would then place. ``Understander`` drops a reading that would place a new order (a transactional
capability that undoes nothing of the user's) where the sentence only tells (``told``, ``untold``), a learned follow-up
on an order where it wonders what to order (``unsaid``), and keeps a note's or a to-do's negation as its own words
(``own_words``). The words are language data: told.toml (and declined.toml)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from tandem.agent.clauses import Intent
from tandem.agent.declined import acts, declining_words, lead_words, phrase, says, word_lists
from tandem.agent.intents import IntentSpec
from tandem.agent.writing import writing

__all__ = ["given_up", "own_words", "told", "unsaid", "untold"]

_FILE = Path(__file__).with_name("told.toml")
_PAUSE = r"[,;:.!?，；：。！？、]"
_READ = 6  # words read for a clause's first verb: a statement tells it early ("my brother ordered …")


@cache
def _telling() -> dict[str, dict[str, Any]]:
    """told.toml per language (``declined.word_lists``)."""
    return word_lists(_FILE)


def told(text: str, lang: str, openings: frozenset[str]) -> bool:
    """Does ``text`` only tell of an act done? Some clause says, as its first verb of the examples (``openings``:
    ``learned.familiar``), one in the past ("I ordered …", "my brother booked …", "ich habe gestern … bestellt",
    "我昨天点了外卖"), and no clause says one as a request ("I ordered a pizza, order one more" asks)."""
    words = _telling().get(lang)
    if words is None or not text.strip():
        return False
    clauses = [c.strip() for part in re.split(_PAUSE, text) for c in _split(part, lang, words) if c.strip()]
    if not writing(lang).spaced:
        said = [_told_zh(clause, words, openings - lead_words(lang)) for clause in clauses]
    else:
        said = _said_in(clauses, lang, words, openings)
    return any(s is True for s in said) and not any(s is False for s in said)


def _said_in(clauses: Sequence[str], lang: str, words: Mapping[str, Any],
             openings: frozenset[str]) -> list[bool | None]:
    """``_first_verb`` of each of ``clauses`` (cut at pauses and ``splits``). A habit said before goes on into a
    later clause whose act is someone else's ("my wife usually orders sushi(,) but this time she wants to order a
    pizza": reread33 H-3, review-lead33 H-1); a later clause with no one else before its verb is the user's request
    ("I usually cook but today order a pizza", "… but today please order …": review32 R32-5, review-lead33 H-2)."""
    said: list[bool | None] = []
    habit = False
    for clause in clauses:
        tokens = _tokens(clause)
        said.append(_first_verb(clause, lang, words, openings, habit and _of_others(tokens, words, openings)))
        habit = habit or _has_habit(tokens, words)
    return said


def _has_habit(tokens: Sequence[str], words: Mapping[str, Any]) -> bool:
    return any(phrase(tokens, at, words.get("habits", ())) for at in range(len(tokens)))


def _of_others(tokens: Sequence[str], words: Mapping[str, Any], verbs: frozenset[str]) -> bool:
    """Does someone other than the user (a word of ``others``: "she", "he", "my boss") stand before the first verb of
    ``verbs`` in the clause ``tokens``?"""
    for token in tokens[:_READ]:
        folded = token.casefold()
        if folded in verbs or _present(folded, words, verbs):
            return False
        if folded in words.get("others", ()):
            return True
    return False


def _split(part: str, lang: str, words: Mapping[str, Any]) -> list[str]:
    """``part`` cut at each word of ``splits`` (a clause said without a pause: "I usually cook but today please order a
    pizza", "I always forget so order a pizza": review32 R32-5), the word itself left out."""
    splits = words.get("splits", ())
    if not splits:
        return [part]
    edge = writing(lang).edge
    return re.split(f"{edge[0]}(?:{'|'.join(map(re.escape, splits))}){edge[1]}", part, flags=re.IGNORECASE)


def _tokens(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text.replace("’", "'"))


def _first_verb(clause: str, lang: str, words: Mapping[str, Any], openings: frozenset[str],
                habit: bool = False) -> bool | None:
    """Whether ``clause``'s first verb of the examples is said in the past (True) or as they say it (False: a request,
    a question); None when it says none early (``_READ`` words). ``habit``: a habit said before the clause goes on."""
    before = frozenset(words.get("before", ()))
    verbs = openings - before
    tokens = _tokens(clause)
    if words.get("helpers"):  # German: a participle beside its helper, wherever it stands
        return _perfect(tokens, words, verbs)
    if tokens and _asks_done(tokens, words, verbs):
        return True  # "did the pizza get cancelled?", "has my pizza been cancelled": was it done? (review31 R31-8)
    if tokens and tokens[0].casefold() in words.get("asks", ()):
        return False  # "have a pizza delivered home", "could you book the tickets?"
    # "my colleague always orders …", "we used to order …" (review31 R31-16)
    for at, token in enumerate(tokens[:_READ]):
        folded = token.casefold()
        if said := phrase(tokens, at, words.get("habits", ())):
            habit = True
        elif folded in words.get("habit_ends", ()):
            habit = False  # "I always forget, please order a pizza": the request after the habit is the user's
        if said or folded in before or (habit and folded == "to"):
            continue
        if folded in verbs or (habit and _present(folded, words, verbs)):
            return habit
        if _past(folded, words, verbs):
            return True
    return None


def _asks_done(tokens: Sequence[str], words: Mapping[str, Any], verbs: frozenset[str]) -> bool:
    """Does the clause ``tokens`` ask whether an act of ``verbs`` was done: opened by a word of ``asked_done`` ("did",
    "was", "has") and saying one of the verbs after it, in the past where the word is no "did" ("did you cancel it",
    "was the pizza cancelled"), and after a ``perfect`` word only with "been" or a person next ("has my pizza been
    cancelled", "have you ordered it", not "have a pizza delivered home")?"""
    folded = [t.casefold() for t in tokens]
    opener, rest = folded[0], folded[1:]
    if opener not in words.get("asked_done", ()) or not rest:
        return False
    if opener in words.get("perfect", ()) and not (words.get("been") in rest or rest[0] in words.get("persons", ())):
        return False
    bare = opener == words.get("did")
    return any((bare and t in verbs) or _past(t, words, verbs) for t in rest)


def _present(word: str, words: Mapping[str, Any], verbs: frozenset[str]) -> bool:
    """Is ``word`` one of ``verbs`` said of someone else ("orders", "books": a ``present`` ending off the verb)?"""
    return any(word.endswith(e) and word[:-len(e)] in verbs for e in words.get("present", ()))


def _past(word: str, words: Mapping[str, Any], verbs: frozenset[str]) -> bool:
    """Is ``word`` a past form of one of ``verbs``: irregular ("bought"), or a past ending off its stem ("ordered",
    "reserved", "cancelled")?"""
    if words.get("irregular", {}).get(word) in verbs:
        return True
    for ending in words.get("endings", ()):
        stem = word[:-len(ending)]
        if word.endswith(ending) and len(stem) > 1 and (stem in verbs or (stem[-1:] == stem[-2:-1] and stem[:-1]
                                                                         in verbs)):
            return True
    return False


def _perfect(tokens: Sequence[str], words: Mapping[str, Any], verbs: frozenset[str]) -> bool | None:
    """German: True where a helper ("habe", "hat", "ist") and a participle or preterite of one of ``verbs`` stand in
    the clause ("ich habe gestern Pizza bestellt", "Lisa hat Karten gebucht"), False where it opens with such a verb
    as asked ("bestell das, was ich gestern bestellt habe"), else None."""
    folded = [t.casefold() for t in tokens]
    helpers = frozenset(words.get("helpers", ()))
    if not folded or (folded[0] in verbs and folded[0] not in helpers):
        return False if folded else None
    if not helpers & set(folded):  # "meine Kollegin bestellt freitags immer eine Pizza" (a habit: review31 R31-16)
        habit = _has_habit(folded, words) and not _habit_ended(folded, words, verbs)
        return (habit and any(t[:1].islower() and _present(t, words, verbs) for t in tokens)) or None
    return any(t[:1].islower() and _participle(t, words, verbs) for t in tokens) or None


def _habit_ended(folded: Sequence[str], words: Mapping[str, Any], verbs: frozenset[str]) -> bool:
    """German: does a word of ``habit_ends`` stand after the habit and before a verb of ``verbs`` ("wie immer bitte
    eine Pizza … bestellen" asks; "meine Kollegin bestellt immer eine Pizza ins Büro, also keine Sorge" tells:
    reread33 H-3)?"""
    habit = next(at for at in range(len(folded)) if phrase(folded, at, words.get("habits", ())))
    ends = [at for at, t in enumerate(folded) if at > habit and t in words.get("habit_ends", ())]
    return bool(ends) and any(t in verbs or _present(t, words, verbs) for t in folded[ends[0] + 1:])


def _participle(word: str, words: Mapping[str, Any], verbs: frozenset[str]) -> bool:
    """Is ``word`` a participle or a preterite of one of ``verbs`` ("gekauft": "kauf", "bestellt": "bestell",
    "storniert": "stornier", "buchte": "buch")?"""
    for prefix in ("", *words.get("prefixes", ())):
        if not word.startswith(prefix):
            continue
        bare = word[len(prefix):]
        for ending in words.get("endings", ()):
            stem = bare[:-len(ending)]
            if bare.endswith(ending) and len(stem) > 2 and (stem in verbs or f"{stem}e" in verbs):
                return True
    return False


def _told_zh(clause: str, words: Mapping[str, Any], openings: frozenset[str]) -> bool | None:
    """Chinese: True where a word of ``ago`` stands before a verb of the examples said ``done`` ("我昨天点了外卖",
    "我已经订好票了"), no word that ``asks`` before it; False where a word that asks stands first ("帮我…"); else
    None. A clause that someone else opens (``others``: "同事", "他", after an ``owners`` word: "我哥") tells as after a
    word of ``ago``, and a word that asks is theirs ("同事已经帮我点了一份饺子": for me)."""
    who = next((o for o in words.get("others", ()) for lead in ("", *words.get("owners", ()))
                if clause.startswith(lead + o)), None)  # someone else did it ("同事…", "我哥…")
    asks = words.get("asks", ())
    if _asked_zh(clause, words, openings):
        return True
    opened = _opened(clause, words)  # "今天帮我点…", "那就帮我…": asked
    if who is None and any(opened.startswith(a) or f"我{a}" in opened[:4] for a in asks):
        return False
    for habit in words.get("habits", ()):  # "我同事每次都点一份饺子送到公司" (review31 R31-16)
        rest = clause[clause.find(habit) + len(habit):] if habit in clause else ""
        if any(v in rest for v in openings if len(v) <= 2) and (who or not any(a in rest for a in asks)):
            return True
    for ago in (*words.get("ago", ()), *words.get("passive", ()), *((who,) if who else ())):
        at = clause.find(ago)
        if at < 0:
            continue
        rest = clause[at + len(ago):]
        for i in range(len(rest)):
            verb = next((v for v in openings if len(v) <= 2 and rest.startswith(v, i)), None)
            if verb and rest[i + len(verb):i + len(verb) + 1] in words.get("done", ()) and \
                    (who or not any(a in rest[:i] for a in words.get("asks", ()))):
                return True
    return None


def given_up(text: str, lang: str, openings: frozenset[str]) -> bool:
    """Does ``text`` tell of an act only meant and given up, or wished for against a reason: a word of ``meant`` ("I
    wanted to", "I was going to", "would be nice", "ich wollte", "本来想"), a word of ``turns`` after it ("but", "aber",
    "但是", "算了"), and no clause after the turn that asks (opens with a verb of ``openings`` or a word that asks, or
    says a word of ``still_asks``: "…, but please do it now", "…, but without onions")? "I wanted to cancel the pizza
    but my boss said no", "本来想点一份饺子送到公司，算了" ask for nothing (review31 R31-9, R31-10, R31-11)."""
    words = _telling().get(lang)
    if words is None:
        return False
    edge, folded = writing(lang).edge, text.casefold()
    meant = _first_of(folded, words.get("meant", ()), edge, 0)
    turn = _first_of(folded, words.get("turns", ()), edge, meant[1]) if meant else None
    if turn is None:
        return False
    rest = folded[turn[0]:]  # with the turn word: "算了" is the turn and all that follows it
    if _first_of(rest, words.get("still_asks", ()), edge, 0):
        return False
    clauses = [c.strip() for c in re.split(_PAUSE, folded[turn[1]:]) if c.strip()]
    # A request after the turn that does not open its clause ("本来想点披萨，不过还是点饺子吧", "…, aber jetzt
    # lieber eine Pizza … bestellen": reread32 M-3) stays given up: the tiers read its values from the whole text, so
    # the dish turned away from was ordered (review33 R33-11). Held until the clauses after the turn are read alone.
    if not writing(lang).spaced:
        return not any(c.startswith(tuple(openings)) or _told_zh(c, words, openings) is False for c in clauses)
    return not any(_first_verb(c, lang, words, openings) is False for c in clauses)


def _opened(clause: str, words: Mapping[str, Any]) -> str:
    """``clause`` (words written together) without the words of ``lead_in`` it opens with ("今天帮我点…",
    "还是点饺子吧", "现在就买两张…"): what follows them opens the request."""
    while lead := next((w for w in words.get("lead_in", ()) if clause.startswith(w)), ""):
        clause = clause[len(lead):]
    return clause


def _first_of(text: str, phrases: Sequence[str], edge: tuple[str, str], start: int) -> tuple[int, int] | None:
    """Where the earliest of ``phrases`` is said in ``text`` from ``start`` (its start and end), read whole."""
    found = [m.span() for w in phrases for m in [re.compile(edge[0] + re.escape(w) + edge[1]).search(text, start)]
             if m]
    return min(found, key=lambda span: (span[0], -span[1])) if found else None  # the longest of those said first


def _asked_zh(clause: str, words: Mapping[str, Any], openings: frozenset[str]) -> bool:
    """Does ``clause`` ask whether an act of ``openings`` was done: it ends with a word of ``asked_done`` ("你取消外卖了
    吗", "电影票退了没有"), says such a verb, and no word that asks (``asks``; "请问" asks nothing: "may I ask")?"""
    plain = clause.rstrip().replace("请问", "")
    return plain.endswith(tuple(words.get("asked_done", ()))) and any(v in plain for v in openings if len(v) <= 2) \
        and not any(a in plain for a in words.get("asks", ()))


def untold(intents: tuple[Intent, ...], specs: Mapping[str, IntentSpec], text: str, lang: str,
           openings: frozenset[str]) -> tuple[Intent, ...]:
    """``intents`` without those that would place a new order or purchase (a transactional capability that names none
    of the user's orders) where ``text`` only tells of an act done (``told``: "I ordered a pizza yesterday", "Lisa hat
    Karten für Dune gebucht"): e5 read such statements as the request their verb says. A follow-up stays ("I bought a
    lamp last week, where is it now?" asks where)."""
    if not intents or not told(text, lang, openings):
        return intents
    return tuple(i for i in intents if not (specs[i.name].transactional and not specs[i.name].own))


def unsaid(intents: tuple[Intent, ...], specs: Mapping[str, IntentSpec], text: str, lang: str,
           opens: Callable[[str, str], frozenset[str]]) -> tuple[Intent, ...]:
    """``intents`` (learned) without the undoings of the user's orders (a cancellation, a refund) whose own verbs
    (``opens``) ``text`` does not say where it says, as a verb, one that only placing a new order opens with ("what
    should I order tonight?", "I really don't know what to order"): e5 read them as the food order's cancellation. A
    look at an order stays ("where are the seats I got?"). "undo my lunch order" says "order" as a noun
    (``declined.acts``), "cancel the pizza I ordered" says "cancel"."""
    undoing = [i for i in intents if specs[i.name].own and specs[i.name].transactional]
    if not undoing:
        return intents
    placing = frozenset().union(*(opens(n, lang) for n, s in specs.items() if s.transactional and not s.own))
    others = frozenset().union(*(opens(n, lang) for n, s in specs.items() if not s.transactional or s.own))
    if not acts(text, lang, placing - others):  # "order", "bestell": no "can", "kannst", "get" that others open with
        return intents
    return tuple(i for i in intents if i not in undoing or says(text, lang, opens(i.name, lang)))


def own_words(intents: tuple[Intent, ...], specs: Mapping[str, IntentSpec], lang: str) -> bool:
    """Does one of ``intents`` keep words that decline (``declined.declining_words``) inside the user's own words, a
    value of free text of a capability that commits nothing (a note's text, a reminder's to-do, an event's title)?
    They are what to note or be reminded of ("Notiere: nicht vergessen, Milch kaufen", "记一下：别把钥匙落在车里",
    "note: the kids stay at grandma's"), never a declined act (review29 R29-1: ``declined.spared`` cut them away)."""
    return any(not specs[i.name].transactional and any(specs[i.name].slots.get(k) == "text"
                                                        and declining_words(str(v), lang) for k, v in i.slots.items())
               for i in intents)
