"""A thing a request gets, apart from the words around it: its count ("两碗牛肉面" → 牛肉面, 2), a unit
("Portionen Falafel"), who asks ("Sieben Laternen *brauche ich*"), where it goes ("充电线*加到*购物车"), what any ticket
request gets ("沙丘*的票*"), an article, and an aside after a pause ("rental van*, I need it*"). ``spelled_only`` tells
a value made only of the capability's own words ("the cinema") from one the user chose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from tandem.agent.counts import counting, counts_people, counts_said, measures, names_nothing
from tandem.agent.intents import PLACE_ALIASES, IntentSpec
from tandem.agent.slots import parse_count
from tandem.agent.steps import pointers
from tandem.agent.templates import COUNT_WORDS, Part, parse_example
from tandem.agent.words import MEASURE_WORDS, NEXT_STEP, alternatives, load
from tandem.agent.writing import writing

__all__ = ["apart", "article_off", "as_said", "generic_off", "gone_off", "in_frame", "joined_off", "lead_off",
           "one_piece", "persons_off", "said_as_thing", "said_at", "spelled_only", "without_subject"]


def apart(spec: IntentSpec, value: str, lang: str) -> tuple[str, int | None]:
    """A counted request's free-text ``value`` apart from its count, and that count (None: none said in it). A
    value that runs over pauses is its one piece that names something (``one_piece``);
    a count before a unit at its start is the count of what follows ("两碗牛肉面", "zwei Portionen Falafel"; a request
    word may lead it: "要两碗"; a value that only counts stays as said, to be known as naming nothing: "两张票"); a
    count said inside it ends it, with who asks ("Sieben Laternen brauche ich vier
    Karten" → "Sieben Laternen", 4); a unit left at its start goes ("Portionen Falafel" → "Falafel")."""
    value, led = persons_off(one_piece(spec, gone_off(value, lang), lang), lang)
    if led is not None:  # "Sie mir eine Pizza": the thing an article or count began after who was asked
        return apart(spec, value, lang)[0], led
    said = counts_said(value, lang)  # a party's size ends a value even where it is no count ("pizza for the 3 of us")
    first = said[0] if said else None
    count = None if first is None or (first.party and not counts_people(spec)) else first.count
    if first is not None and not lead_off(value[:first.start], lang).strip():
        rest = generic_off(joined_off(value[first.end:], lang) if first.unit else value[first.end:].strip(), lang)
        return (rest or value, count) if not rest or not names_nothing(rest, lang) else (value, None)
    if first is not None and _adds(value[:first.start], lang):  # "饺子和一杯奶茶": a second thing, counted
        return value, None
    if first is not None:
        before = generic_off(without_subject(value[:first.start].strip(" ,，"), lang), lang)
        return (before, count) if before else (value, None)
    return generic_off(_after_unit(value, lang) or value, lang), None


def persons_off(value: str, lang: str) -> tuple[str, int | None]:
    """``value`` without the words at its start that say who is asked or gets the thing, and the article or count
    that begins the thing after them ("Sie mir eine Pizza" → "Pizza", 1; "uns zwei Pizzen" → "Pizzen", 2), with that
    count; as it is when no article or count follows them ("Sie küssten und sie schlugen ihn" is a title)."""
    said, words = value.split(), counting(lang)
    at = next((i for i, w in enumerate(said) if w.casefold() not in words.persons), len(said))
    if not at or at >= len(said) - 1:
        return value, None
    first = said[at].casefold()
    if first not in words.articles and not re.fullmatch(COUNT_WORDS, first, re.IGNORECASE):
        return value, None
    return " ".join(said[at + 1:]), parse_count(first)


def _adds(before: str, lang: str) -> bool:
    """Does ``before`` end in a word that adds a second thing ("Pizza *und*", "饺子*和*"; measure_words.toml
    ``also``)?"""
    said = before.rstrip()
    if writing(lang).spaced:
        return bool(said.split()) and said.split()[-1].casefold() in counting(lang).also
    return said.endswith(counting(lang).also)


def one_piece(spec: IntentSpec, value: str, lang: str, alone: bool = False) -> str:
    """A value said over pauses as its first piece that names something ("个外卖，要两碗牛肉面" → "要两碗牛肉面",
    "rental van, I need it" → "rental van", "Büro, aber schnell" → "Büro": who asks, the capability's own words and
    a word that points back name nothing); as it is when no piece does (``alone``: or more than one does)."""
    pieces = [p.strip() for p in re.split(r"[，,；;、]", value)]
    if len(pieces) < 2:
        return value
    said = counting(lang).subjects + tuple(pointers().get(lang, ()))
    named = [p for p in pieces if p and not names_nothing(lead_off(p, lang), lang)
             and not spelled_only(spec, p, lang, frozenset(said))]
    return named[0] if named and (len(named) == 1 or not alone) else re.sub(r"\s*[,;:]\s+", " ", value)


def as_said(value: str, paused: str) -> str:
    """``value`` as ``paused`` says it, with the pauses between its words that reading the clause took out."""
    words = value.split()
    found = re.search(r"(?<!\w)" + r"(?:\s*[,;:]\s*|\s+)".join(map(re.escape, words)) + r"(?!\w)", paused,
                      re.IGNORECASE) if len(words) > 1 else None
    return found.group() if found else value


def generic_off(value: str, lang: str) -> str:
    """``value`` without what any ticket or order request gets at its end ("沙丘的票" → "沙丘", "Dune tickets" →
    "Dune"), when something is left."""
    words = counting(lang)
    joins = alternatives(words.joins)
    edge = writing(lang).edge[0]
    found = re.search(rf"(?:{joins})?{edge}(?:{alternatives(words.generic)})$" if joins else
                      rf"{edge}(?:{alternatives(words.generic)})$", value, re.IGNORECASE) if words.generic else None
    rest = value[:found.start()].strip() if found else value
    return rest if rest and len(rest) > 1 else value


def gone_off(value: str, lang: str) -> str:
    """``value`` up to where it says where the thing goes ("充电线加到购物车" → "充电线"; a verb or a direction alone
    before a saved place's name: "黄焖鸡到办公室", "五号电池送办公室"), two characters at least."""
    goes, alone = counting(lang).goes, _to_place(lang)
    found = (goes.search(value, 2) if goes is not None else None) or (alone.search(value, 2) if alone else None)
    return value[:found.start()].rstrip(" ，,") if found else value


@cache
def _to_place(lang: str) -> re.Pattern[str] | None:
    """A verb or a direction of where a thing goes said alone before a saved place's name (measure_words.toml
    ``goes``: "送办公室", "到家里")."""
    table = load(MEASURE_WORDS).get("goes", {}).get(lang)
    if not table:
        return None
    places = alternatives(w for words in PLACE_ALIASES.values() for w in words)
    return re.compile(f"(?:{alternatives(table['verbs'])}|{alternatives(table['to'])})(?:{places})")


def lead_off(text: str, lang: str) -> str:
    """``text`` without the request word that may lead a count ("要两碗", "来一份"; next_step.toml `request`)."""
    begins = sorted(load(NEXT_STEP).get("request", {}).get(lang, ()), key=len, reverse=True)
    return next((text[len(b):] for b in begins if text.startswith(b)), text)


def _after_unit(text: str, lang: str) -> str:
    """``text`` without a unit at its start and the word that joins it to the thing ("portions of falafel" →
    "falafel"); Chinese keeps it ("台灯" is a lamp)."""
    words, said = counting(lang), text.split()
    if not writing(lang).spaced or not said or said[0].casefold() not in words.units:
        return text.strip()
    return joined_off(" ".join(said[1:]), lang)


def joined_off(text: str, lang: str) -> str:
    """``text`` after a unit, without the word that joins it to the thing ("of falafel" → "falafel")."""
    said = text.split(maxsplit=1)
    return said[1] if len(said) == 2 and said[0].casefold() in counting(lang).joins else text.strip()


def without_subject(text: str, lang: str) -> str:
    """``text`` without who asks at its end, with the verb beside it ("Sieben Laternen brauche ich" → "Sieben
    Laternen", "Dune I need" → "Dune", "沙丘我要" → "沙丘"); as it is when no subject is among its last words."""
    words = counting(lang)
    if not writing(lang).spaced:
        at = max((text.rfind(s) for s in words.subjects), default=-1)
        return text[:at].strip() if at > 0 and len(text) - at <= 4 else text
    said = text.split()
    found = next((i for i in range(len(said) - 1, max(len(said) - 4, 0), -1)
                  if said[i].casefold().split("'")[0] in words.subjects), None)  # "I'd like"
    if found is None:
        return text
    at = found
    if words.inverted and at > 1 and said[at - 1].islower():
        at -= 1
    return " ".join(said[:at])


def article_off(text: str, lang: str) -> str:
    """``text`` without an article at its start ("einen Kombi" after "für fünf Tage"), when something is left."""
    said = text.split(maxsplit=1)
    return said[1] if len(said) == 2 and said[0].casefold() in counting(lang).articles else text


def said_as_thing(words: str, own: frozenset[str], lang: str) -> bool:
    """Are the ``words`` after a count of the capability's ``own`` unit said as a thing is? After a unit that measures
    things ("zwei Portionen Falafel") they are; after one that measures no thing ("für fünf Tage") only when they begin
    with an article, in a language that has them ("einen Kombi", not "starting" left over from "starting Monday")."""
    language = counting(lang)
    if own & (language.units | language.generic) or not language.articles:
        return True
    said = words.split(maxsplit=1)
    return bool(said) and said[0].casefold() in language.articles


def spelled_only(spec: IntentSpec, value: str, lang: str, also: frozenset[str] = frozenset()) -> bool:
    """Is ``value`` made only of words ``spec``'s examples spell themselves (and measure words, and ``also``): "the
    cinema", "einen Film", "买" for the cinema partner? Such a value names nothing the user chose. Where words are not
    spaced, a part of such words names nothing either ("电影" of the examples' "电影票")."""
    said, words = value.casefold().strip(), _literals(spec, lang) | measures().get(lang, frozenset()) | also
    if writing(lang).spaced:
        tokens = re.findall(r"\w+", said)
        return bool(tokens) and all(t in words for t in tokens)
    for word in sorted(words, key=len, reverse=True):
        said = said.replace(word, "")
    rest = re.sub(r"[\s,，、。的]", "", said)
    return not rest or (len(rest) > 1 and any(rest in w for w in words))  # "电影" is part of the examples' "电影票"


def _literals(spec: IntentSpec, lang: str) -> frozenset[str]:
    """The words ``spec``'s examples in ``lang`` spell as text (Chinese: the runs of text between their parts)."""
    found: set[str] = set()

    def walk(parts: tuple[Part, ...]) -> None:
        for part in parts:
            if part.kind == "text":
                found.update(part.text.casefold().split() if writing(lang).spaced else [part.text.strip().casefold()])
            for option in part.options:
                walk(option)
    for example in spec.examples.get(lang, ()):
        walk(parse_example(example))
    return frozenset(w for w in found if w)


def in_frame(first: str, values: Iterable[str], piece: str, lang: str,
             bare: str | None = None) -> tuple[str, bool] | None:
    """``piece`` said in the frame of the request ``first``: the words of ``first`` before the first of its
    ``values`` ("remind me to" of "remind me to water the plants", "erinnere mich an die" of "erinnere mich an die
    Blumen"), then the piece, the words it repeats of the frame's end said once ("remind me to" + "to pay the rent"
    → "remind me to pay the rent"); and whether it repeated any. ``bare`` is the piece without its time words, where
    the repeated words are looked for ("am Freitag an die Miete": "an die"). None when ``first`` opens with a value."""
    starts = [at for value in values if (at := said_at(first, value)) >= 0]
    head = first[:min(starts)].rstrip(" ,，") if starts else ""
    rest = piece.strip()
    if not head.strip() or not rest:
        return None
    bare = (bare if bare is not None else rest).strip()
    if not writing(lang).spaced:
        n = next((k for k in range(min(len(head), len(bare)), 0, -1) if head[-k:] == bare[:k]), 0)
        return head + rest.replace(bare[:n], "", 1), n > 0
    words, said = head.split(), bare.split()
    n = next((k for k in range(min(len(words), len(said)), 0, -1)
              if [w.casefold() for w in words[-k:]] == [w.casefold() for w in said[:k]]), 0)
    found = re.search(rf"(?<!\w){re.escape(' '.join(said[:n]))}(?!\w)", rest, re.IGNORECASE) if n else None
    return " ".join([*words, " ".join((rest[:found.start()] + rest[found.end():]).split()) if found else rest]), n > 0


def said_at(text: str, value: str) -> int:
    """Where ``text`` says ``value`` (a time as read, "周二 下午三点", is found by its first word), or -1."""
    lowered, words = text.casefold(), value.casefold().split()
    return next((lowered.find(w) for w in (value.casefold(), *words[:1]) if w and w in lowered), -1)
