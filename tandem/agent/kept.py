"""An undoing card (a cancellation, a refund) is never made for an order the sentence names only inside a clause that
declines it: "storniere nicht die Kinokarten, sondern die Pizza", "cancel the pizza, not the cinema tickets",
"电影票不取消，取消外卖" (review27 P27-5: the learned tier read each as the cinema's cancellation and one yes cancelled
the tickets). The understanding tiers decline what they can (``declined``); this is the dialogue's own check behind
them, on the card about to be shown.

A sentence is cut into clauses at its pauses and its ``turns`` words ("sondern", "but", "而是"; declined.toml). A clause
declines from where a negation of declined.toml ("nicht", "not", "不", "别") stands:

- right before (past ``between`` and function words) a verb of the undoing capabilities' examples: "I don't want to
  cancel the movie", "电影票不取消", "不是取消电影票" (the whole clause);
- right after such a verb, where words are written apart: "storniere nicht die Kinokarten", "cancel not the movie"
  (from the verb on);
- right before (past function words) a word that names an order: "nicht die Kinokarten", "not the cinema tickets"
  (from the negation on).

An order is named by its id, by a word of what the user confirmed when placing it (``own_orders.Order.says``: "Dune",
"Pizza Margherita"), or by a word of its capability's examples that no other undoing capability's examples say
("Kinokarten", "cinema", "外卖"; "cancel", "storniere", "取消" are every cancellation's and name none: they are the
verbs). The card is not made when the order is named inside a declining span and nowhere else in the sentence: the
task ends, no call made, and the reply says which order stays. "Die Pizza brauche ich nicht mehr, storniere sie",
"外卖不要了，取消吧" and "I don't want the cinema tickets anymore, cancel them" decline no cancelling (no verb of it
beside the negation, no order right after it), so they still make their card."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from tandem.agent.intents import IntentSpec
from tandem.agent.learned import familiar
from tandem.agent.writing import writing
from tandem.privacy.dictionaries import stop_words
from tandem.text import pieces, simplified, unspaced

__all__ = ["Undoing", "conditional", "declined_spans", "names_another", "names_only_declined"]

_DECLINED = Path(__file__).with_name("declined.toml")  # und19's data: the words that decline, per language
_PAUSE = r"[,;:.!?，；：。！？、]"
_STEPS = 4  # words read past a negation for its verb or its order: a long run of them is no clause of a request


@cache
def _words_of_lang(lang: str) -> dict[str, tuple[str, ...]]:
    """declined.toml's phrases of ``lang`` (``not``, ``between``, ``leads``, ``turns``, ``endings``, ``conditions``,
    ``also``: "not only", which declines nothing), in lower case, longest first; empty for a language it lacks."""
    data = tomllib.loads(_DECLINED.read_text(encoding="utf-8")).get(lang, {})
    return {key: tuple(sorted((w.casefold() for w in words), key=len, reverse=True))
            for key, words in data.items() if isinstance(words, list)}


def _example_words(spec: IntentSpec, skip: frozenset[str]) -> set[str]:
    """The words of ``spec``'s examples in every language, folded, parameters left out; a run of characters written
    without spaces by its two-character pieces ("取消外卖": 取消, 消外, 外卖)."""
    texts = [re.sub(r"\{\w+\}", " ", example) for found in spec.examples.values() for example in found]
    single = {w for w in skip if len(w) == 1}  # "了", "把": a piece holding one ("退了", "把票") names nothing
    return {p for text in texts for word in _said(text) for p in pieces(word)
            if not (unspaced(p) and set(p) & single)} - skip


def _said(text: str) -> list[str]:
    """``text``'s words in lower case, with their apostrophes ("don't")."""
    return re.findall(r"[\w'’]+", text.casefold().replace("’", "'"))


@dataclass(frozen=True)
class Undoing:
    """The installed capabilities that undo an order (a committing follow-up with an ``own_order`` parameter): the
    words that name each one's orders and no other's, and the verbs they share (per language)."""

    naming: Mapping[str, frozenset[str]]  # capability -> the words of its examples no other undoing one says
    specs: tuple[IntentSpec, ...]
    words: Mapping[str, frozenset[str]] = field(default_factory=dict)  # capability -> all words of its examples
    # the function words their examples may put before what they name ("[my|the|our]", "[meine|die|unsere]")
    before: frozenset[str] = frozenset()

    @classmethod
    def of(cls, specs: Iterable[IntentSpec]) -> Undoing:
        specs = tuple(specs)
        langs = {lang for s in specs for lang in s.examples}
        negations = {w for lang in langs for n in _words_of_lang(lang).get("not", ()) for w in n.split()}
        skip = stop_words(*langs) | negations
        words = {s.name: _example_words(s, skip) for s in specs}
        naming = {name: frozenset(own - set().union(*(w for other, w in words.items() if other != name)))
                  for name, own in words.items()}
        optional = {w for s in specs for found in s.examples.values() for example in found
                    for choice in re.findall(r"\[([^\[\]{}]*)\]", example) for w in _said(choice.replace("|", " "))}
        return cls(naming, specs, words={name: frozenset(own) for name, own in words.items()},
                   before=frozenset(optional & skip))

    def verbs(self, lang: str) -> frozenset[str]:
        """The words the undoing capabilities' examples in ``lang`` open with ("cancel", "storniere", "取消", "退"), but
        the leads a sentence opens with anyway ("I", "meine", "我") and the words that name an order ("Kinokarten")."""
        leads = {w for lead in _words_of_lang(lang).get("leads", ()) for w in lead.split()}
        named = set().union(*self.naming.values())
        return frozenset(familiar(self.specs, lang)[0] - leads - named)


def names_only_declined(text: str, lang: str, undoing: Undoing, intent: str, says: Any) -> bool:
    """Does ``text`` name the order a card of ``intent`` would undo only inside spans that decline (``declined_spans``)?
    ``says(part)`` tells whether a part of the text names that very order (its id, what the user confirmed); the
    capability's own words (``Undoing.naming``) name it too. False when no span declines or the order is named
    outside them as well ("cancel the pizza, not the cinema tickets": the pizza's card stands)."""
    text = simplified(text) if not writing(lang).spaced else text
    naming = undoing.naming.get(intent, frozenset())
    inside, outside = declined_spans(text, lang, undoing.verbs(lang), frozenset().union(*undoing.naming.values()),
                                     undoing.before)

    def named(part: str) -> bool:
        return bool(part.strip()) and (bool(_words(part) & naming) or bool(says(part)))

    return any(named(p) for p in inside) and not any(named(p) for p in outside)


def _words(text: str) -> set[str]:
    return {p for word in _said(text) for p in pieces(word)}


def declined_spans(text: str, lang: str, verbs: frozenset[str], naming: frozenset[str],
                   before: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """``text``'s parts that decline (see the module's doc) and the rest of it, each by clause. ``verbs``: what the
    undoing examples open with; ``naming``: the words that name an order; ``before``: the function words that may
    stand between a negation and such a word ("not *the* cinema tickets")."""
    words = _words_of_lang(lang)
    if not words.get("not"):
        return [], [text]
    turns = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in words.get("turns", ()))
    if writing(lang).spaced and turns:
        turns = rf"(?<![\w'])(?:{turns})(?![\w'])"
    clauses = re.split(rf"{_PAUSE}|{turns}" if turns else _PAUSE, text, flags=re.IGNORECASE)
    inside: list[str] = []
    outside: list[str] = []
    for clause in (c.strip() for c in clauses if c and c.strip()):
        cut = _declines_from(clause, lang, words, (verbs, naming, before))
        (inside if cut is not None else outside).append(clause[cut or 0:] if cut is not None else clause)
        if cut:
            outside.append(clause[:cut])
    return inside, outside


def _declines_from(clause: str, lang: str, words: Mapping[str, Sequence[str]],
                   lexicon: tuple[frozenset[str], frozenset[str], frozenset[str]]) -> int | None:
    """Where in ``clause`` (a character offset) its declining span begins, or None when it declines nothing.
    ``lexicon``: the verbs, the naming words and the words that may stand before these (``declined_spans``)."""
    verbs, naming, before = lexicon
    if not writing(lang).spaced:
        return _declines_from_unspaced(clause, words, verbs)
    found = [(m.start(), m.group().casefold().replace("’", "'")) for m in re.finditer(r"[\w'’-]+", clause)]
    tokens = [t for _, t in found]
    skip = stop_words(lang) | {w for b in words.get("between", ()) for w in b.split()}
    for at in range(len(tokens)):
        said = _phrase(tokens, at, words.get("not", ()))
        if not said or _phrase(tokens, at, words.get("also", ())):
            continue  # "cancel not only the pizza but also the tickets" asks for both (declined.toml ``also``)
        after = at + said
        while after < min(len(tokens), at + said + _STEPS) and tokens[after] in skip and \
                not _verb(tokens[after], lang, verbs, words):
            after += 1
        if after < len(tokens) and _verb(tokens[after], lang, verbs, words):
            return 0  # "I don't want to cancel the movie", "die Kinokarten nicht stornieren"
        if at > 0 and _verb(tokens[at - 1], lang, verbs, words):
            return found[at - 1][0]  # "storniere nicht die Kinokarten", "cancel not the movie"
        named = at + said
        while named < min(len(tokens), at + said + _STEPS) and tokens[named] in before:
            named += 1
        if named < len(tokens) and tokens[named] in naming:
            return found[at][0]  # "nicht die Kinokarten", "not the cinema tickets"
    return None


def _phrase(tokens: Sequence[str], at: int, phrases: Sequence[str]) -> int:
    """How many of ``tokens`` from ``at`` the first (longest) of ``phrases`` says; 0 for none."""
    for phrase in phrases:
        said = phrase.split()
        if list(tokens[at:at + len(said)]) == said:
            return len(said)
    return 0


def _verb(token: str, lang: str, verbs: frozenset[str], words: Mapping[str, Sequence[str]]) -> bool:
    """Is ``token`` one of ``verbs``, or (German) its infinitive ("stornieren": "storniere", "stornier")?"""
    if token in verbs:
        return True
    for ending in (e for e in words.get("endings", ()) if token.endswith(e) and len(token) > len(e) + 1):
        stem = token[:-len(ending)]
        if any(v == stem or (v.startswith(stem) and len(v) == len(stem) + 1) for v in verbs):
            return True
    return False


def _declines_from_unspaced(clause: str, words: Mapping[str, Sequence[str]], verbs: frozenset[str]) -> int | None:
    """``_declines_from`` where words are written together (Chinese): a negation, then (past ``between`` words and
    function words of one character: "是", "把") a verb of the undoing examples ("不取消", "不是取消", "别退"). A
    negation before an order's word is no declining here: "我不要电影票了，退了吧" wants it gone (reread28 M1)."""
    skip = (*words.get("between", ()), *(w for w in stop_words("zh") if len(w) == 1))
    for at in range(len(clause)):
        said = next((n for n in words.get("not", ()) if clause.startswith(n, at)), None)
        if said is None or any(clause.startswith(also, at) for also in words.get("also", ())):
            continue  # "不仅取消外卖，也取消电影票" asks for both
        after = at + len(said)
        for _ in range(_STEPS):
            if any(clause.startswith(v, after) for v in verbs) or \
                    (step := next((s for s in skip if clause.startswith(s, after)), None)) is None:
                break
            after += len(step)
        if any(clause.startswith(v, after) for v in verbs):
            return 0
    return None


def names_another(text: str, lang: str, undoing: Undoing, intent: str, says: Any,
                  ordered: frozenset[str] | None = None) -> bool:
    """Does ``text`` name, where it declines nothing, only another kind of order than the one a card of ``intent``
    would undo: a word only another undoing capability's examples say ("Pizza", "外卖": the food order's), and no word
    of ``intent``'s examples that that one's do not say ("tickets", "Kino"; "storniere", "取消" are both's), nor the
    order itself (``says``)? "storniere die Pizza" after a cinema order made the cinema tickets' card (review28 P28-1):
    the turn was read as a follow-up on the last order, whatever it named. Only kinds the user has orders of count
    (``ordered``: their categories; None: every kind): with one cinema order, "anymore" of the food examples names
    none. The whole text is read, its declined parts too ("not the pizza anymore, cancel it" is about the pizza)."""
    text = simplified(text) if not writing(lang).spaced else text
    said = _words(text)
    own = undoing.words.get(intent, frozenset())
    kinds = {s.name: s.category for s in undoing.specs}
    named = [name for name, words in undoing.naming.items() if name != intent and _holds(said, words)
             and (ordered is None or kinds.get(name) in ordered)]
    theirs = set().union(*(undoing.words.get(name, frozenset()) for name in named))
    return bool(named) and not _holds(said, own - theirs) and not says(text)


def _holds(said: set[str], words: Iterable[str]) -> bool:
    """Does ``said`` hold one of ``words``, or a word of four letters or more inside one of its own ("Pizza" in
    "Pizzabestellung", "Kino" in "Kinobestellung")?"""
    return any(w in said or (len(w) >= 4 and any(w in s for s in said)) for w in words)


def conditional(text: str, lang: str) -> bool:
    """Does ``text`` hold a condition word of declined.toml (``conditions``: "if", "falls", "如果")? "falls sie um acht
    nicht da ist, storniere sie" asks for nothing yet (review28 P28-2)."""
    words = _words_of_lang(lang).get("conditions", ())
    if not words:
        return False
    text = text.casefold()
    if not writing(lang).spaced:
        return any(w in simplified(text) for w in words)
    return any(re.search(rf"(?<![\w']){re.escape(w).replace(chr(92) + ' ', chr(92) + 's+')}(?![\w'])", text)
               for w in words)
