"""What a request counts: the counts said before a counted noun or as a party's size, and the count a capability
takes from them.

Where a request counts what it gets, ``counts_said`` finds the counts said before a counted noun or as a party's size
("vier *Kinokarten*", "两*碗*", "wir sind zu dritt"); ``count_in`` takes the request's count from them, never a number
inside another value ("Für *Sieben* Laternen brauche ich vier Karten"); ``count_units`` are the words a capability's
own examples count in ("{days} days"). ``names_nothing`` tells a count or measure ("张票", "two tickets") from a thing.
The words are language data (measure_words.toml).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from tandem.agent.intents import IntentSpec
from tandem.agent.slots import parse_count
from tandem.agent.templates import COUNT_WORDS, Part, parse_example
from tandem.agent.words import MEASURE_WORDS, alternatives, count_pattern, load, numeral_characters, vague_pattern
from tandem.agent.writing import writing

__all__ = ["Counted", "Counting", "count_in", "count_units", "counted_noun", "counting", "counts_people", "counts_said",
           "measures", "names_nothing", "vague_at"]


def names_nothing(value: object, lang: str | None = None) -> bool:
    """Is ``value`` only counts and measures ("张票", "两张", "two tickets", "ein Paar"), naming no thing? Without a
    language, by its script: Chinese, or every other language's words."""
    said = str(value).strip()
    spaced = writing(lang).spaced if lang else re.search(r"[\u4e00-\u9fff]", said) is None
    words = measures().get(lang) if lang else \
        frozenset().union(*(w for k, w in measures().items() if writing(k).spaced == spaced))
    if not said or not words:
        return False
    if not spaced:  # a number alone ("七", "Seven") may be a title: a measure must be said
        rest = said
        for word in sorted(words, key=len, reverse=True):
            rest = rest.replace(word, "")
        return rest != said and not re.sub(rf"[\d{numeral_characters()}\s,，、。]", "", rest)
    tokens = re.findall(r"\w+", said.casefold())
    counted = lang is not None and any(re.fullmatch(COUNT_WORDS, w, re.IGNORECASE) for w in tokens)
    tokens = [w if w in words or not counted or counted_noun(w, counting(lang or "")) is None else next(iter(words))
              for w in tokens]  # "vier Kinokarten": a counted compound that ends in "karten" counts like it
    return any(w in words for w in tokens) and \
        all(w in words or re.fullmatch(COUNT_WORDS, w, re.IGNORECASE) for w in tokens)


@cache
def measures() -> dict[str, frozenset[str]]:
    data = load(MEASURE_WORDS)
    return {lang: frozenset(w.casefold() for key in ("measure", "generic", "units") for w in data[key].get(lang, ()))
            for lang in data["measure"].keys() | data["generic"].keys()}


@dataclass(frozen=True)
class Counted:
    """A count said for what a request gets: "vier Kinokarten", "两碗", "wir sind zu dritt"."""

    start: int  # where its words begin in the text
    end: int  # where they end
    count: int  # the number said
    unit: bool  # said before a unit or measure ("zwei Portionen", "两碗"): the thing counted may follow
    party: bool = False  # how many people the request is for ("there are three of us")
    own: bool = False  # said before a unit the capability's own examples count in ("{days} days"): read first


@dataclass(frozen=True)
class Counting:
    """A language's words for what a request counts (measure_words.toml)."""

    generic: frozenset[str]  # what any ticket or order request gets ("tickets", "票"); a compound may end in one
    units: frozenset[str]  # units, and Chinese measures ("portions", "碗")
    joins: frozenset[str]  # between a unit and the thing ("of")
    compounds: bool  # a counted noun may end a longer word ("Kinokarten")
    inverted: bool  # the verb comes before the subject after a fronted thing ("brauche ich")
    subjects: tuple[str, ...]  # who asks ("ich", "I", "我")
    party: tuple[re.Pattern[str], ...]  # a party's size, its number in group "n"
    ordinals: dict[str, int]  # numbers a party's size is said with ("zu dritt")
    goes: re.Pattern[str] | None  # where the thing goes, said after it ("加到", "送到")
    currency: re.Pattern[str] | None  # a price's unit right after a number ("12 Euro", "€"): no count
    articles: frozenset[str]  # the words that say a thing is named next ("a", "einen"); none in Chinese
    one: frozenset[str]  # the articles that say "one" ("a", "ein"): a count only where an example puts one
    number: str = COUNT_WORDS  # a count as a pattern: number words, or digits and numerals ("十二", "两")
    also: tuple[str, ...] = ()  # words that add a second thing to the first ("and", "und", "和")
    persons: frozenset[str] = frozenset()  # who is asked or gets the thing, before it ("Sie mir", "me")
    pairs: frozenset[str] = frozenset()  # the words that count a pair ("pair", "Paar"): two of what admits one
    admits: frozenset[str] = frozenset()  # what lets one person in ("tickets", "Karten")


@cache
def counting(lang: str) -> Counting:
    data = load(MEASURE_WORDS)

    def words(key: str) -> list[str]:
        return [w.casefold() for w in data.get(key, {}).get(lang, ())]

    units = words("units") or words("classifiers") or words("measure")  # no nouns of units: its classifiers ("碗")
    goes = data.get("goes", {}).get(lang)
    ordinals = {k.casefold(): v for k, v in data.get("ordinals", {}).get(lang, {}).items()}
    gap, edge = r"\s+" if writing(lang).spaced else "", writing(lang).edge
    number = {"{n}": f"(?P<n>{COUNT_WORDS})", "{nth}": f"(?P<n>{alternatives(ordinals) or '$^'})"}
    phrases = [gap.join(number.get(w, re.escape(w)) for w in re.split(r"\s+|(\{nth\}|\{n\})", p) if w)
               for p in words("party")]
    return Counting(frozenset(words("generic")), frozenset(units), frozenset(words("joins")),
                     lang in data.get("compounds", ()), lang in data.get("inverted", ()),
                     tuple(sorted(words("subjects"), key=len, reverse=True)),
                     tuple(re.compile(f"{edge[0]}{p}{edge[1]}", re.IGNORECASE) for p in phrases),
                     ordinals, re.compile(f"(?:{alternatives(goes['verbs'])})(?:{alternatives(goes['to'])})")
                     if goes else None,
                     re.compile(rf"\s*(?:{alternatives(words('currency'))}){edge[1]}", re.IGNORECASE)
                     if words("currency") else None,
                     frozenset(words("articles")), frozenset(w for w in words("articles") if parse_count(w) == 1),
                     COUNT_WORDS if writing(lang).spaced else count_pattern(lang), tuple(words("also")),
                     frozenset(words("persons")), frozenset(words("pairs")), frozenset(words("admits")))


def counted_noun(word: str, words: Counting) -> bool | None:
    """Is ``word`` a noun a count stands before: True for a unit ("Portionen"), False for what is got ("Kinokarten"),
    None for neither."""
    said = word.casefold()
    if said in words.units:
        return True
    return False if said in words.generic or (words.compounds and any(
        said.endswith(g) and len(g) > 3 for g in words.generic)) else None


def counts_said(text: str, lang: str, *, people: bool = True, own: frozenset[str] = frozenset()) -> list[Counted]:
    """The counts ``text`` says before a counted noun ("vier Kinokarten", "two portions", "两碗", "三张") or before one
    of a capability's ``own`` units (``count_units``: "for five *days*", "租三*天*"; those first, and only those when
    none of them counts things: "一辆面包车" is no count of days) and, where a request counts ``people``, a party's
    size ("wir sind zu dritt"), in the order said."""
    words, found, vague = counting(lang), [], vague_at(text, lang)
    if not writing(lang).spaced:  # a count joins its measure word ("两碗", "三张票")
        named = frozenset(u for u in own if any(u.endswith(g) for g in words.generic))  # "张票": tickets are got
        units, generic = alternatives(words.units | (own - named)), alternatives(words.generic | named)
        said = rf"({words.number})({units})?({generic})?"
        for match in re.finditer(said, text) if units else ():
            # "两碗", "两张票", "两个座位": the seats are what is got; "几个" says no number
            if (match.group(2) or match.group(3)) and not _in_vague(match.start(), vague):
                found.append(Counted(match.start(), match.end(), parse_count(match.group(1)) or 0,
                                     match.group(3) is None, own=(match.group(3) or match.group(2)) in own))
    else:
        for match in re.finditer(rf"(?<![\w.:])({COUNT_WORDS})(?=((?:\s+[\w-]+){{1,3}}))", text, re.IGNORECASE):
            if _in_vague(match.start(), vague):  # "ein paar Karten": a few, no count of one
                continue
            for noun in re.finditer(r"[\w-]+", match.group(2)):  # "two *large* bowls": a word that describes it
                said = noun.group().casefold()
                unit = True if said in own and said not in words.generic else counted_noun(said, words)
                if unit is not None:
                    count, end = parse_count(match.group(1)) or 0, match.end(1) + noun.end()
                    paired = _paired(text[end:], lang) if said in words.pairs else 0
                    found.append(Counted(match.start(), end + paired, count * (2 if paired else 1),
                                         unit and not paired, own=said in own))
                if unit is not None or not _describes(noun.group(), words):
                    break
    for match in (m for p in words.party if people for m in p.finditer(text)):
        n = match.group("n")
        found.append(Counted(match.start(), match.end(), words.ordinals.get(n.casefold()) or parse_count(n) or 0,
                             False, party=True))
    only = bool(own) and not own & (words.units | words.generic)  # "{days} days": no count of things counts here
    return sorted((c for c in found if c.count > 0 and (c.own or not only)), key=lambda c: (not c.own, c.start))


def _paired(after: str, lang: str) -> int:
    """How far the words ``after`` a pair reach to what lets one person in that it pairs (measure_words.toml ``pairs``,
    ``admits``: "a pair *of tickets*", "ein Paar *Karten*", a compound ending in one: "Kinokarten"); 0 when they name
    none: "a pair of socks" is one pair."""
    words = counting(lang)
    for word in list(re.finditer(r"[\w-]+", after))[:4]:  # "a pair of *movie* tickets": words that describe it
        said = word.group().casefold()
        if said in words.admits or (words.compounds and any(said.endswith(a) and len(a) > 3 for a in words.admits)):
            return word.end()
        if said not in words.joins and not _describes(word.group(), words):
            return 0
    return 0


@cache
def _vague(lang: str, capitals: bool) -> re.Pattern[str] | None:
    said, edge = vague_pattern(lang, capitals=capitals), writing(lang).edge
    return re.compile(f"{edge[0]}{said}{edge[1]}") if said else None


def vague_at(text: str, lang: str, *, capitals: bool = True) -> list[tuple[int, int]]:
    """Where ``text`` says "a few" without a number ("ein paar", "a few", "几"; ``words.vague_pattern``): no count is
    read there. ``capitals``: also with a first letter in capitals ("Ein paar Karten"; not inside a value: "Some Like It
    Hot" is a title)."""
    pattern = _vague(lang, capitals)
    return [m.span() for m in pattern.finditer(text)] if pattern is not None else []


def _in_vague(start: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= start < b for a, b in spans)


def _describes(word: str, words: Counting) -> bool:
    """May ``word`` stand between a count and what it counts, describing it ("zwei *große* Portionen", "two *large*
    bowls", "two *more* tickets")? A word in lower case that is no count or article (a name is capitalised: "Seven
    Samurai")."""
    return word.islower() and not re.fullmatch(COUNT_WORDS, word, re.IGNORECASE) and word not in words.articles


def count_units(spec: IntentSpec, lang: str) -> frozenset[str]:
    """The words ``spec``'s examples in ``lang`` put right after a count ("{days} days", "{count} tickets",
    "{days}天", "{count}(份|个|杯|碗)"): what its count counts, in its own words. Read once per set of examples (the
    partner guard reads every capability's for thousands of sentences)."""
    counts = frozenset(name for name, kind in spec.slots.items() if kind == "count")
    return _count_units(tuple(spec.examples.get(lang, ())), counts, lang)


@cache
def _count_units(examples: tuple[str, ...], counts: frozenset[str], lang: str) -> frozenset[str]:
    return frozenset(w.casefold() for example in examples for w in _after_count(parse_example(example), counts, lang))


def _after_count(parts: tuple[Part, ...], counts: frozenset[str], lang: str, after: Part | None = None) -> list[str]:
    """The first words of the part after each count parameter in ``parts``, which ``after`` follows in the example
    (each part walked once: walking the rest again for each option of a choice took exponential time)."""
    found: list[str] = []
    for i, part in enumerate(parts):
        following = next((p for p in parts[i + 1:] if not _blank(p)), after)  # "{hours} (hours|h)": past the space
        if part.kind == "choice":
            found += [w for option in part.options for w in _after_count(option, counts, lang, following)]
        if part.kind == "slot" and part.text in counts and following is not None:
            found += _first_words(following, lang)
    return found


def _blank(part: Part) -> bool:
    return part.kind == "text" and not part.text.strip()


def _first_words(part: Part, lang: str) -> list[str]:
    """The word ``part`` begins with, or each of its options' ("(a seat|seats)": what a count counts, no article)."""
    if part.kind == "choice":
        return [w for option in part.options
                for first in [next((p for p in option if not _blank(p)), None)] if first is not None
                for w in _first_words(first, lang)]
    said = part.text.strip() if part.kind == "text" else ""
    if not writing(lang).spaced:
        return [said] if said else []
    return [w for w in said.split() if w.casefold() not in counting(lang).articles][:1]


def counts_people(spec: IntentSpec) -> bool:
    """Does ``spec`` count people: do its examples name what lets one person in ("tickets", "Karten", "票")?"""
    return _admits(tuple(spec.examples.items()))


@cache
def _admits(examples: tuple[tuple[str, tuple[str, ...]], ...]) -> bool:
    """``counts_people`` of a capability with these examples (language, templates), once per process: every template
    parse asks it (suite4: a third of the CPU of the check ``tandem services add`` runs)."""
    for lang, said_in in examples:
        generic = frozenset(w.casefold() for w in load(MEASURE_WORDS).get("admits", {}).get(lang, ()))
        edge = writing(lang).edge
        if any(re.search(f"{edge[0]}{re.escape(g)}{edge[1]}", example.casefold()) for example in said_in
               for g in generic):
            return True
    return False


def count_in(spec: IntentSpec, text: str, lang: str, taken: Iterable[tuple[int, int]] = ()) -> int | None:
    """The count ``text`` says where ``spec`` takes one ("两张票" → 2, "two tickets" → 2; an article alone is no count):
    the first one said before a counted noun or as the party's size (``counts_said``), else the first number word
    (not where the capability counts only in units of its own: "zwei Transporter" are no days);
    never one inside a span another parameter holds (``taken``: "Für *Sieben Laternen* brauche ich vier Karten")."""
    if "count" not in spec.slots.values():
        return None
    people = counts_people(spec)
    spans = (*taken, *((c.start, c.end) for c in counts_said(text, lang) if c.party and not people))  # for whom

    def free(start: int, end: int) -> bool:
        return not any(a < end and start < b for a, b in spans)

    own = count_units(spec, lang)
    said = next((c for c in counts_said(text, lang, people=people, own=own) if free(c.start, c.end)), None)
    if said is not None or (own and not own & (counting(lang).units | counting(lang).generic)):
        return said.count if said is not None else None  # "zwei Transporter" counts no days
    words = counting(lang)
    money = words.currency
    for match in re.finditer(rf"(?<![\w.:])({COUNT_WORDS})(?![\w:])" if writing(lang).spaced else
                             rf"({words.number})(?=(?:{alternatives(words.units)}))", text, re.IGNORECASE):
        priced = money is not None and money.match(text, match.end(1)) is not None  # "zu 12 Euro": a price
        if match.group(1).lower() not in words.one and free(*match.span(1)) and not priced and \
                not _in_vague(match.start(1), vague_at(text, lang)):
            return parse_count(match.group(1))
    return None
