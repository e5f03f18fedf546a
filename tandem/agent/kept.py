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
  (from the negation on);
- at the clause's end (only ``ends`` after it), after such a verb or only after words that name an order: "storniere
  die Kinokarten nicht", "…, die Kinokarten nicht" (the whole clause; reread28 H1).

A clause a ``rather`` phrase opens declines too ("instead of the cinema tickets", "statt der Kinokarten",
"而不是电影票"), and one that keeps a thing as it is (``keeps``: "keep the tickets", "die Kinokarten behalte ich";
``untouched``: "电影票别动"). Clauses are cut at ``ands`` words as well ("cancel the pizza and keep the tickets").

An order is named by its id, by a word of what the user confirmed when placing it (``own_orders.Order.says``: "Dune",
"Pizza Margherita"), or by a word of its capability's examples that no other undoing capability's examples say
("Kinokarten", "cinema", "外卖"; "cancel", "storniere", "取消" are every cancellation's and name none: they are the
verbs). The card is not made when the order is named inside a declining span and nowhere else in the sentence: the
task ends, no call made, and the reply says which order stays. "Die Pizza brauche ich nicht mehr, storniere sie",
"外卖不要了，取消吧" and "I don't want the cinema tickets anymore, cancel them" decline no cancelling (no verb of it
beside the negation, no order right after it), so they still make their card."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from tandem.agent.declined import (
    PAUSE,
    clauses,
    closing_negation,
    conditional,
    is_form,
    keeps,
    lead_words,
    phrase,
    unreasoned,
    words_of,
)
from tandem.agent.intents import IntentSpec
from tandem.agent.learned import familiar
from tandem.agent.own_orders import texts
from tandem.agent.steps import pointers
from tandem.agent.writing import writing
from tandem.privacy.dictionaries import stop_words
from tandem.text import pieces, simplified, unspaced

__all__ = ["Undoing", "conditional", "declined_spans", "latest_said", "names_a_kind", "names_a_stranger",
           "names_an_order", "names_another", "names_only_declined", "pointed_beside", "says_only"]

_STEPS = 4  # words read past a negation for its verb or its order: a long run of them is no clause of a request


def _example_words(spec: IntentSpec, skip: frozenset[str]) -> set[str]:
    """The words of ``spec``'s examples in every language, folded, parameters left out; a run of characters written
    without spaces by its two-character pieces ("取消外卖": 取消, 消外, 外卖)."""
    texts = [re.sub(r"\{\w+\}", " ", example) for found in spec.examples.values() for example in found]
    return set().union(*(_example_words_of(text, skip) for text in texts))


def _within(word: str, found: set[str]) -> bool:
    """Is ``word`` one of ``found``, or (four letters or more) inside one of them ("bestellung" in "kinobestellung")?"""
    return word in found or (len(word) >= 4 and any(word in other for other in found))


def _in_place_of(spec: IntentSpec, named: set[str], skip: frozenset[str]) -> set[str]:
    """``named`` and the words ``spec``'s examples offer as choices beside one of them: "(bestellung|
    essensbestellung|lieferung)", "(tickets|booking|reservation)"."""
    found = set(named)
    for example in (e for said in spec.examples.values() for e in said):
        for choice in re.findall(r"[(\[]([^()\[\]{}]*)[)\]]", example):
            options = [_example_words_of(option, skip) for option in choice.split("|")]
            if any(option & named for option in options):
                found |= set().union(*options)
    return found


def _example_words_of(text: str, skip: frozenset[str]) -> set[str]:
    """The words of a piece of an example, folded, but ``skip``; written without spaces, by its pieces."""
    single = _single(skip)  # "了", "把": a piece holding one ("退了", "把票") names nothing
    return {p for word in _said(text) for p in pieces(word) if not (unspaced(p) and set(p) & single)} - skip


@cache
def _single(skip: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in skip if len(w) == 1)


def _said(text: str) -> list[str]:
    """``text``'s words in lower case, with their apostrophes ("don't")."""
    return re.findall(r"[\w'’]+", text.casefold().replace("’", "'"))


@dataclass(frozen=True)
class Undoing:
    """The installed capabilities that undo an order (a committing follow-up with an ``own_order`` parameter): the
    words that name each one's orders and no other's, and the verbs they share (per language)."""

    naming: Mapping[str, frozenset[str]]  # capability -> the words that name its kind of order and no other's
    specs: tuple[IntentSpec, ...]
    words: Mapping[str, frozenset[str]] = field(default_factory=dict)  # capability -> all words of its examples
    # the function words their examples may put before what they name ("[my|the|our]", "[meine|die|unsere]")
    before: frozenset[str] = frozenset()
    # capability -> the words that name its kind of order, another's too ("Karten": the cinema's and the concert's)
    kinds: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # every word the installed capabilities' examples say: a noun none of them says names no order of a partner's
    known: frozenset[str] = frozenset()
    # capability -> the words of its own examples and of those of its category's capabilities that place, track or
    # show such orders ("Pizza", "Lieferung", "外卖", "演唱会")
    ours: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # capability -> the words of those others alone: where words are written together, no verb of the undoing
    kin: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # language -> the examples (folded) of the installed capabilities that neither undo nor remove: what they say names
    # what is ordered or bought ("Bestellung", "order", "get"), no verb of an undoing
    others: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, specs: Iterable[IntentSpec], installed: Iterable[IntentSpec]) -> Undoing:
        """The undoing capabilities ``specs`` among the ``installed`` ones. A word of an undoing capability's
        examples names its kind of order (``kinds``) when the other capabilities of its category (those that place,
        track or show such orders) say it too, or the examples say it in place of such a word: "Pizza", "Lieferung",
        "外卖" (the food partner's "order a pizza", "wo bleibt meine Lieferung"), "Kinobuchung" (said where "Kinokarten"
        is); it tells the kind from the others (``naming``) when no other undoing capability's examples say it. What
        only the cancelling says names no kind: "latest", "letzte", "anymore" (reread28); nor what the examples of
        half the categories or more say, alone or inside a word of theirs: "want", "bitte", "想", "Bestellung"
        (review29 R29-8: "storniere meine letzte Bestellung" is about the last order, whatever its kind)."""
        specs, installed = tuple(specs), tuple(installed)
        langs = {lang for s in (*specs, *installed) for lang in s.examples}
        negations = {w for lang in langs for n in words_of(lang).get("not", ()) for w in n.split()}
        skip = stop_words(*langs) | negations
        words = {s.name: _example_words(s, skip) for s in specs}
        undoing = {s.name for s in specs}
        said = {s.name: _example_words(s, skip) for s in installed}
        categories = {s.category: set[str]() for s in installed}
        for s in installed:
            categories[s.category] |= said[s.name]
        common = {w for w in set().union(*words.values())  # "Bestellung": food's, "Kinobestellung", "Ticketbestellung"
                  if 2 * sum(_within(w, found) for found in categories.values()) >= max(len(categories), 3)}
        kinds, kins = {}, {}
        for spec in specs:
            kins[spec.name] = frozenset().union(*(said[s.name] for s in installed if s.category == spec.category
                                                  and s.name not in undoing))
            kin = kins[spec.name] - common
            kinds[spec.name] = frozenset(_in_place_of(spec, words[spec.name] & kin, skip) & words[spec.name] - common)
        naming = {name: own - set().union(*(w for other, w in words.items() if other != name))
                  for name, own in kinds.items()}
        optional = {w for s in specs for found in s.examples.values() for example in found
                    for choice in re.findall(r"\[([^\[\]{}]*)\]", example) for w in _said(choice.replace("|", " "))}
        return cls(naming, specs, words={name: frozenset(own) for name, own in words.items()},
                   before=frozenset(optional & skip), kinds=kinds, known=frozenset().union(*said.values()),
                   ours={s.name: kins[s.name] | words[s.name] for s in specs}, kin=kins,
                   others={lang: tuple(e.casefold() for s in installed if s.name not in undoing and not s.removes
                                       for e in s.examples.get(lang, ())) for lang in langs})

    def own_verbs(self, spec: IntentSpec, lang: str) -> frozenset[str]:
        """The verbs of a follow-up that commits (``spec``: a cancellation, a refund) in ``lang``, the one definition
        of them (``FollowUps.more_undoes_nothing``, ``own_orders.pointed_at``): the words its examples open or close
        with ("storniere", "abbestellen", "zurückgeben", "不要了", "退掉") but those the capabilities that neither undo
        nor remove say (``others``: "Bestellung", "order"; "get" opens a purchase's examples too), the words that name
        a kind of order (``kinds``: "Kinobuchung", "外卖") and the leads a sentence opens with anyway ("meine", "我").
        "Kinobuchung: noch eine bitte", "电影票再来一张" say none (review-lead31 M-6, reread31 H-7)."""
        openings, pairs = familiar((spec,), lang)
        said = (openings | {close for _, close in pairs}) - lead_words(lang)
        kinds, examples = frozenset().union(*self.kinds.values()), self.others.get(lang, ())
        if writing(lang).spaced:
            return frozenset(said - kinds - {w for e in examples for w in re.findall(r"\w+", e)})
        return frozenset(w for w in said if not any(w in e for e in examples) and not any(k in w for k in kinds))

    def verbs(self, lang: str) -> frozenset[str]:
        """The words the undoing capabilities' examples in ``lang`` open with ("cancel", "storniere", "取消", "退"), but
        the leads a sentence opens with anyway ("I", "meine", "我") and the words that name an order ("Kinokarten").

        Not ``own_verbs``, on purpose: these find where a sentence declines ANY undoing ("don't cancel the tickets",
        ``declined_spans``), so they are all the undoing capabilities' openings at once, and only openings: a close
        such as "lassen" ("zurückerstatten lassen") or "掉" would start a declining span in "die Pizza liefern lassen".
        ``own_verbs`` asks whether a turn says one capability's own verb, closes included, without the words the
        capabilities that place or show orders say too. One set for both would move every declining-span rule
        (unmeasured, so not done)."""
        named = set().union(*self.naming.values())
        return frozenset(familiar(self.specs, lang)[0] - lead_words(lang) - named)


def names_only_declined(text: str, lang: str, undoing: Undoing, intent: str, says: Any) -> bool:
    """Does ``text`` name the order a card of ``intent`` would undo only inside spans that decline (``declined_spans``)?
    ``says(part)`` tells whether a part of the text names that very order (its id, what the user confirmed); the
    capability's own words (``Undoing.naming``) name it too. False when no span declines or the order is named
    outside them as well ("cancel the pizza, not the cinema tickets": the pizza's card stands). True, too, when the
    sentence says its verbs of undoing only where it declines and names no order elsewhere: "please don't cancel
    them", "bitte storniere sie nicht", a follow-up on the last order read into it. A reason the sentence gives
    (``declined.unreasoned``: "cancel it, nobody except me wanted the pizza anyway") declines nothing."""
    verbs, kinds = undoing.verbs(lang), frozenset().union(*undoing.kinds.values())
    text = unreasoned(simplified(text) if not writing(lang).spaced else text, lang, verbs)
    naming = undoing.kinds.get(intent) or undoing.naming.get(intent, frozenset())
    inside, outside = declined_spans(text, lang, verbs, kinds, undoing.before)

    def named(part: str, words: frozenset[str] = naming) -> bool:
        return bool(part.strip()) and (bool(_words(part) & words) or bool(says(part)))

    if any(_undoes(p, lang, verbs) for p in inside) and not any(_undoes(p, lang, verbs) or named(p, kinds)
                                                               for p in outside):
        return True
    return any(named(p) for p in inside) and not any(named(p) for p in outside)


def _undoes(part: str, lang: str, verbs: frozenset[str]) -> bool:
    """Does ``part`` say a verb of the undoing capabilities' examples ("cancel", "stornieren", "取消")?"""
    if not writing(lang).spaced:
        return any(v in part for v in verbs)
    return any(is_form(t, lang, verbs) for t in _said(part))


def _words(text: str) -> set[str]:
    return {p for word in _said(text) for p in pieces(word)}


def declined_spans(text: str, lang: str, verbs: frozenset[str], naming: frozenset[str],
                   before: frozenset[str] = frozenset()) -> tuple[list[str], list[str]]:
    """``text``'s parts that decline (see the module's doc) and the rest of it, each by clause. ``verbs``: what the
    undoing examples open with; ``naming``: the words that name an order; ``before``: the function words that may
    stand between a negation and such a word ("not *the* cinema tickets")."""
    words = words_of(lang)
    if not words.get("not"):
        return [], [text]
    inside: list[str] = []
    outside: list[str] = []
    for clause, rather in clauses(text, lang):
        cut = 0 if rather or keeps(clause, lang, verbs) else \
            _declines_from(clause, lang, words, (verbs, naming, before))
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
    if _declines_at_its_end(tokens, lang, words, lexicon):
        return 0
    for at in range(len(tokens)):
        said = phrase(tokens, at, words.get("not", ()))
        if not said or phrase(tokens, at, words.get("also", ())):
            continue  # "cancel not only the pizza but also the tickets" asks for both (declined.toml ``also``)
        after = at + said
        while after < min(len(tokens), at + said + _STEPS) and tokens[after] in skip and \
                not is_form(tokens[after], lang, verbs):
            after += 1
        if after < len(tokens) and is_form(tokens[after], lang, verbs):
            return 0  # "I don't want to cancel the movie", "die Kinokarten nicht stornieren"
        if at > 0 and is_form(tokens[at - 1], lang, verbs):
            return found[at - 1][0]  # "storniere nicht die Kinokarten", "cancel not the movie"
        named = at + said
        while named < min(len(tokens), at + said + _STEPS) and tokens[named] in before:
            named += 1
        if named < len(tokens) and tokens[named] in naming:
            return found[at][0]  # "nicht die Kinokarten", "not the cinema tickets"
    return None


def _declines_at_its_end(tokens: Sequence[str], lang: str, words: Mapping[str, Sequence[str]],
                         lexicon: tuple[frozenset[str], frozenset[str], frozenset[str]]) -> bool:
    """Does a clause close with a negation (and only declined.toml ``ends`` after it: "nicht mehr", "nicht bitte")
    that declines it: "storniere die Kinokarten nicht", "die Kinokarten lieber nicht" (reread28 H1)? Before it, a verb
    of the undoing capabilities' examples, or only words that name an order and the function words, ``between`` and
    ``asides`` words that may stand around them. "Die Kinokarten brauche ich nicht mehr" and "die Pizza kommt nicht"
    are reasons to cancel, no declining: another verb stands before the negation."""
    verbs, naming, before = lexicon
    start = closing_negation(tokens, lang)  # declined's one reading of a negation that closes a clause
    ahead = tokens[:start] if start is not None else []
    if not ahead:
        return False
    if any(is_form(t, lang, verbs) for t in ahead):
        return True
    filler = before | {w for key in ("between", "asides", "things") for phrase in words.get(key, ())
                       for w in phrase.split()}
    return any(t in naming for t in ahead) and all(t in naming or t in filler for t in ahead)




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
    none. The whole text is read, its declined parts too ("not the pizza anymore, cancel it" is about the pizza), but
    the reasons it gives (``declined.unreasoned``: "cancel it, we're going to the cinema instead")."""
    text = unreasoned(simplified(text) if not writing(lang).spaced else text, lang, undoing.verbs(lang))
    said = _words(text)
    own = undoing.words.get(intent, frozenset())
    kinds = {s.name: s.category for s in undoing.specs}
    named = [name for name, words in undoing.naming.items() if name != intent and _holds(said, words)
             and (ordered is None or kinds.get(name) in ordered)]
    theirs = set().union(*(undoing.words.get(name, frozenset()) for name in named))
    another = bool(named) and not _holds(said, own - theirs)
    return (another or _strangers(text, lang, undoing, says)) and not says(text)


def names_a_stranger(text: str, lang: str, undoing: Undoing, intent: str, says: Any) -> bool:
    """Does ``text`` name as its thing one that the order a card of ``intent`` would undo is not: after a ``things``
    word ("the", "my", "den", "das"; declined.toml), or after a verb of the undoing where words are written together
    ("取消寿司"), a word that ``intent``'s examples do not say (a kind word of the order's partner, or a word for any
    order: "delivery", "Bestellung", "外卖", "订单"), that is no function word and that the order itself does not say
    (``says``: "Dune", "Margherita")? "cancel the sushi", "cancel my Amazon order", "storniere den Termin" with one
    pizza ordered, "storniere das Paket" with cinema tickets cancelled that order (reread30, R30-12's class: words
    other capabilities say, so ``names_another`` let them through)."""
    said = Counter(w for words in undoing.words.values() for w in words)  # "refund", "Geld": undoings' own words
    own = set(undoing.ours.get(intent, frozenset())) | {w for w, n in said.items() if n > 1}
    leads = {w for key in ("everything", "leads") for p in words_of(lang).get(key, ()) for w in p.split()}
    latest = {w for p in (texts().get(lang) or {}).get("latest", ()) for w in str(p).casefold().split()}
    skip = stop_words(lang) | leads | latest | set(words_of(lang).get("money", ()))  # "my latest order": any order
    if not writing(lang).spaced:
        # "演唱会", "订单" open examples too: they are no verbs
        kin = undoing.kin.get(intent, frozenset()) | frozenset().union(*undoing.kinds.values())
        return any(_stranger_zh(part, own, skip, undoing.verbs(lang), says, kin) for part in re.split(PAUSE, text))
    things = set(words_of(lang).get("things", ())) - (leads - stop_words(lang))  # "bitte" is no article
    verbs = undoing.verbs(lang)
    for clause, _ in clauses(text, lang):
        tokens = re.findall(r"[\w'’-]+", clause.casefold().replace("’", "'"))
        acts = [i for i, t in enumerate(tokens) if is_form(t, lang, verbs)]
        # the clause's object: a thing right after its verb, or right before it ("den Termin stornieren")
        at = next((i for i, t in enumerate(tokens) if t in things and any(0 < i - v <= 2 or 0 < v - i <= 3
                                                                         for v in acts)), None)
        if at is not None and _unknown(tokens[at + 1:at + 4], own, skip | things, says):
            return True
    return False


def names_an_order(text: str, lang: str, undoing: Undoing) -> bool:
    """Does ``text`` name the object of its undoing by words for any order ("cancel my order", "storniere die
    Bestellung", "取消订单"), not only point at one ("cancel it", "storniere sie", "退了吧")? A thing after a ``things``
    word next to a verb of the undoing (en, de), or two characters after that verb (zh)."""
    verbs = undoing.verbs(lang)
    if not writing(lang).spaced:
        kin = frozenset().union(*undoing.kin.values(), *undoing.kinds.values())
        said = frozenset().union(*undoing.words.values()) | verbs  # "订单" opens examples: no stop word there
        return any(_object_zh(part, verbs, kin, said) for part in re.split(PAUSE, simplified(text)))
    things = set(words_of(lang).get("things", ()))
    for clause, _ in clauses(text, lang):
        tokens = re.findall(r"[\w'’-]+", clause.casefold().replace("’", "'"))
        acts = [i for i, t in enumerate(tokens) if is_form(t, lang, verbs)]
        if any(t in things and i + 1 < len(tokens) and tokens[i + 1] not in things and
               any(0 < i - v <= 2 or 0 < v - i <= 3 for v in acts) for i, t in enumerate(tokens)):
            return True
    return False


def _object_zh(clause: str, verbs: frozenset[str], named: frozenset[str], words: frozenset[str]) -> bool:
    """Where words are written together: two characters or more (no function words) after the clause's first verb of
    the undoing ("取消订单"; "把订单取消": 把 opens the examples too)."""
    found = [(clause.find(v), -len(v), v) for v in verbs if v in clause and not any(len(w) > 1 and w in v
                                                                                      for w in named)]
    if not found:
        return False
    at, _, verb = min(found)  # the first: "订单" opens examples too ("订单不要了")
    single = {w for w in stop_words("zh") if len(w) == 1}
    rest = "".join(c for c in clause[at + len(verb):] if unspaced(c))
    return bool(set(pieces(rest)) & words) or sum(c not in single for c in rest) > 1  # "订单": 单 is a function word


def _unknown(named: Sequence[str], own: set[str], skip: frozenset[str] | set[str], says: Any) -> bool:
    """Does the run of words ``named`` (up to a function word, and up to its first word of the category: the thing's
    head, "my *Amazon* order") hold a word that is no word of the category (``own``, inside a compound too:
    "Mittagsbestellung"), no id or number, no "…'s" word ("tonight's") and not the order's (``says``)?"""
    for word in named:
        if word in skip or word in own or _holds({word}, own) or _within(word, own):
            return False
        if not any(c.isdigit() for c in word) and not word.endswith("'s") and not says(word):
            return True
    return False


def _stranger_zh(clause: str, own: set[str], skip: frozenset[str], verbs: frozenset[str], says: Any,
                 named: frozenset[str]) -> bool:
    """``names_a_stranger`` where words are written together: what follows the clause's last verb of the undoing to its
    end ("取消寿司"), its function words and ids left out, is two characters or more of which none is a character of
    the category's examples, and it does not name the order."""
    found = [(clause.rfind(v), v) for v in verbs if v in clause and not any(len(w) > 1 and w in v for w in named)]
    if not found:
        return False
    at, verb = max(found, key=lambda f: (f[0], len(f[1])))
    rest = clause[at + len(verb):]
    for word in sorted((w for w in skip if len(w) > 1), key=len, reverse=True):
        rest = rest.replace(word, "")
    rest = "".join(c for c in rest if unspaced(c) and c not in skip)
    chars = set("".join(own))
    return len(rest) > 1 and not any(c in chars for c in rest) and not says(rest)


def pointed_beside(text: str, lang: str, undoing: Undoing, says: Any, ordered: frozenset[str]) -> bool:
    """Does ``text`` ask to undo only in parts that name no order ("cancel it", "storniere sie", "退了吧": it points)
    while another part, one that undoes nothing, names a kind of order the user has or the order itself (``says``):
    "cancel it, the pizza is enough", "cancel it, we're going to the cinema instead", "storniere sie, wir gehen
    stattdessen ins Kino", "退了吧，因为我们要去看电影"? With orders of several kinds (``ordered``: their categories)
    the other part may name what is kept or what the user goes on with, so what "it" points at is unsure: no card
    (reread30 H-2: the pizza, or the tickets the reason was about, were cancelled). With one kind it is that order."""
    if len(ordered) < 2:
        return False
    spaced, verbs = writing(lang).spaced, undoing.verbs(lang)
    text = simplified(text) if not spaced else text
    because = words_of(lang).get("because", ())
    # not at a colon: what follows one names the object ("cancel it: the takeaway order FD-9E1")
    cut = "|".join(["[,;.!?，；。！？、]", *(((r"(?<![\w'’])" if spaced else "") + re.escape(b)) for b in because)])
    parts = [p for p in re.split(f"(?=(?:{cut}))", text, flags=re.IGNORECASE) if p.strip(" ,;:.!?，；：。！？、")]
    # no verb of the examples ("scrap that one, we still have the pizza", read as the pizza's cancelling): the parts
    # that point back ask (review31 R31-23: the pizza, said to be kept, was cancelled)
    asking = [p for p in parts if _undoes(p, lang, verbs)] or [p for p in parts if _points(p, lang)]
    if not asking or len(asking) == len(parts) or any(names_a_kind(p, lang, undoing) or says(p) for p in asking):
        return False
    categories = {s.name: s.category for s in undoing.specs}
    kinds = frozenset().union(*(w for name, w in undoing.kinds.items() if categories.get(name) in ordered))
    # a part after one that drops a thing corrects it and names the object: "不是外卖，是电影票，取消吧"
    return any(_holds(_words(p), kinds) or says(p) for at, p in enumerate(parts)
               if p not in asking and not _drops(p, lang) and not (at and _drops(parts[at - 1], lang)))


def _points(part: str, lang: str) -> bool:
    """Does ``part`` say a word that points back (refer_back.toml: "that one", "sie", "那个")? Written together:
    anywhere in it."""
    words = pointers().get(lang, frozenset())
    if not writing(lang).spaced:
        return any(w in part for w in words)
    return bool(set(_said(part)) & words)


def _drops(part: str, lang: str) -> bool:
    """Does ``part`` say a word of declined.toml ``drops`` ("can't", "nicht", "不"): a reason that the thing it names
    is dropped ("we can't make it to the cinema", "电影去不成了") names what "it" is, not what is kept?"""
    drops = words_of(lang).get("drops", ())
    if not writing(lang).spaced:
        return any(d in part for d in drops)
    tokens = _said(part)
    return any(phrase(tokens, at, drops) for at in range(len(tokens)))


def _strangers(text: str, lang: str, undoing: Undoing, says: Any) -> bool:
    """Where nouns are written with a capital (German): does ``text`` name its things (a noun right after an article or
    a possessive, declined.toml ``things``) only by nouns that no installed capability's examples say (``known``) and
    that do not name the order (``says``)? "storniere das Hotel", "storniere den Flug" with one pizza ordered cancelled
    the pizza (review30 R30-12); "storniere die Bestellung", "storniere meine Lieferung" name an order."""
    words = words_of(lang)
    if not words.get("nouns"):
        return False
    tokens = re.findall(r"[\w'’-]+", text)
    things = words.get("things", ())
    nouns = [t for i, t in enumerate(tokens) if i > 0 and t[:1].isupper() and tokens[i - 1].casefold() in things]
    return bool(nouns) and not any(_within(n.casefold(), set(undoing.known)) or says(n) for n in nouns)


def _holds(said: set[str], words: Iterable[str]) -> bool:
    """Does ``said`` hold one of ``words``, or a word of four letters or more inside one of its own ("Pizza" in
    "Pizzabestellung", "Kino" in "Kinobestellung")?"""
    return any(w in said or (len(w) >= 4 and any(w in s for s in said)) for w in words)


def names_a_kind(text: str, lang: str, undoing: Undoing) -> bool:
    """Does ``text`` say a word that names a kind of order (``Undoing.kinds``: "Pizza", "tickets", "外卖")?"""
    text = simplified(text) if not writing(lang).spaced else text
    return _holds(_words(text), frozenset().union(*undoing.kinds.values()))


def says_only(text: str, lang: str, undoing: Undoing, name: str) -> bool:
    """Does ``text`` say nothing but words of capability ``name``'s examples (and a language's function words)?
    "cancel the tickets", "storniere die Bestellung", "取消吧" do for the cinema's cancelling; "cancel the sushi",
    "cancel my Amazon order", "取消快递" name something else (reread30 H-1: with only cinema tickets, a yes to them
    cancelled the tickets)."""
    own, skip = set(undoing.words.get(name, frozenset())), stop_words(lang)
    if writing(lang).spaced:
        return all(_within(w, own) for w in _example_words_of(text, skip))
    # written without spaces: each character is the examples' or a one-character function word ("取消快递": 递 is not)
    chars = set("".join(own)) | _single(skip)
    return all(c in chars for c in simplified(text) if c.isalnum())


def latest_said(text: str, lang: str, undoing: Undoing) -> bool:
    """Does ``text`` say a word of the user's latest order (own_orders.toml ``latest``: "latest", "letzte", "刚才")
    right before a word of the undoing examples ("my latest order", "meine letzte Bestellung")? "last Friday", "von
    letzter Woche" say when the order was placed (reread29 H on c4a86b6)."""
    words = [str(w).casefold() for w in (texts().get(lang) or {}).get("latest", ())]
    if not writing(lang).spaced:
        return any(w in simplified(text) for w in words)
    said, theirs = _said(text), set().union(*undoing.words.values())
    return any(said[at:at + len(w.split())] == w.split() and at + len(w.split()) < len(said)
               and said[at + len(w.split())] in theirs for w in words for at in range(len(said)))
