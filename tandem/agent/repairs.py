"""Speech as said aloud, read plainly: without the sounds said while thinking ("*um*", "*ähm*", "*嗯*") and without the
words a speaker took back ("two *no* three portions" → "three portions", "in der Stadthalle *nein* in der Oper" → "in
der Oper", "三张*不对*四张" → "四张").

A repair word takes back what was said before it only when the words after it say the same kind of thing again: a
count after a count, or a phrase that opens with the two words, or the word before a count, said a few words before
("*in der* Stadthalle nein *in der* Oper", "*um* vier nein *um* fünf"); "a pizza with no onions", "say sorry to Anna"
keep their words. The words are language data (clause_words.toml ``fillers``, ``repairs``).
"""

from __future__ import annotations

import re
from functools import cache

from tandem.agent.counts import counting
from tandem.agent.slots import parse_count, said_clock
from tandem.agent.spelling import respelled
from tandem.agent.templates import COUNT_WORDS
from tandem.agent.words import CLAUSE_WORDS, MEASURE_WORDS, alternatives, count_pattern, load
from tandem.agent.writing import writing

__all__ = ["taken_back"]

_BACK = 4  # how many words before a repair the phrase it says again may open (where words are spaced)
# how many hours apart on a 12-hour dial a bare number may be from the hour said before to be read as the hour said
# again where one thing is counted ("a ticket at 8, no, 9" is nine o'clock; "…, no, two" two tickets)
_NEAR = 3
# how far a bare number said again may be from the count said before to be read as that count ("two tickets …, no,
# three"); further off it is the hour said again ("two tickets for Dune tonight at 8, no, twelve": review30 R30-7)
_GROWS = 3


@cache
def _said(key: str, lang: str) -> re.Pattern[str] | None:
    """The words of clause_words.toml ``key`` (``fillers``, ``repairs``) of ``lang`` as they stand in a sentence: a
    filler as a word of its own (in Chinese at the sentence's edge or beside a pause), a repair between other words,
    with the pauses and spaces around it; None for a language that lists none."""
    words = load(CLAUSE_WORDS).get(key, {}).get(lang)
    if not words:
        return None
    said, spaced = alternatives(words), writing(lang).spaced
    if key == "fillers":  # in lower case, or a capital at the sentence's start ("Uh Huang" is a name: reread25 L2)
        opening = alternatives(w[:1].upper() + w[1:] for w in words)
        return re.compile(rf"(?:^(?:{opening})|(?<![\w-])(?:{said}))(?![\w-])[,.]?\s*" if spaced else
                          rf"(?:(?<=^)|(?<=[\s,，。!！?？]))(?:{said})+[\s,，]*")
    return re.compile(rf"(?<=\S)[,\s]+(?:{said})[,\s]+(?=\S)" if spaced else rf"[\s,，]*(?:{said})[\s,，]*",
                      re.IGNORECASE)


def taken_back(text: str, lang: str) -> str:
    """``text`` without its fillers and the words its speaker took back (see the module's docstring); as it is when it
    says none. First it is read in its language's written form (``tandem.agent.spelling.respelled``: "幫我訂一張",
    "ich moechte")."""
    text = _uncalled(respelled(text, lang), lang)
    fillers = _said("fillers", lang)
    said = fillers.sub("", text).strip() if fillers is not None else text
    said = said or text
    repairs = _said("repairs", lang)
    while repairs is not None and (again := _repaired(said, lang, repairs)) is not None:
        said = again  # every repair said: each makes the sentence shorter ("两张不对三张不对四张": reread25 L2b)
    return said


@cache
def _calling(lang: str) -> re.Pattern[str] | None:
    """The assistant called at a sentence's start (clause_words.toml ``called``): a greeting of ``lang`` and one of its
    names, or a name before a pause, with the pause after."""
    data = load(CLAUSE_WORDS).get("called", {})
    names, greetings = alternatives(data.get("names", ())), alternatives(data.get("greetings", {}).get(lang, ()))
    if not names:
        return None
    greeted = rf"(?:{greetings})[\s,，!！]*(?:{names})(?![\w-])" if greetings else "$^"
    return re.compile(rf"^\s*(?:{greeted}[\s,，.:：!！]*|(?:{names})\s*[,，:：!！]\s*)", re.IGNORECASE)


def _uncalled(text: str, lang: str) -> str:
    """``text`` without the assistant called at its start ("Hey Tandem, …"); as it is when nothing else is said."""
    calling = _calling(lang)
    rest = calling.sub("", text, count=1) if calling is not None else text
    return rest if rest.strip() else text


def _repaired(text: str, lang: str, repairs: re.Pattern[str]) -> str | None:
    """``text`` with its first repair made (the words taken back and the repair word out), or None when it says none."""
    for found in repairs.finditer(text):
        before, after = text[:found.start()], text[found.end():]
        if (again := _recounted(before, after, lang)) is not None:
            return again
        start = _taken_from(before, after, lang)
        if start is not None:
            return (before[:start] + after).strip()
        if (again := _retimed(before, after, lang)) is not None:
            return again
    return None


def _retimed(before: str, after: str, lang: str) -> str | None:
    """``before`` with its clock set to the one ``after`` says instead, when ``after`` says nothing but a clock or an
    hour, with the words that change one (clause_words.toml ``changes``): "remind me at six to call Mom, no wait,
    make that seven" → "remind me at seven to call Mom", "六点提醒我拿快递，不对，改成七点" → "七点提醒我拿快递". A
    bare number changes the clock only where ``before`` counts nothing else ("two pizzas for 7 pm, no, three"
    stays), and where it counts one thing ("a ticket", "eine Karte") only when it is an hour near the one said
    (``_NEAR``). None when ``after`` says more, or ``before`` says no clock."""
    clock = said_clock(before, lang)
    if clock is None:
        return None
    changes = alternatives(load(CLAUSE_WORDS).get("changes", {}).get(lang, ()))
    said = re.sub(rf"^(?:{changes})[\s,，]*", "", after.strip(), flags=re.IGNORECASE) if changes else after.strip()
    said = said.rstrip(" .!。！")
    start, hour, end = clock
    new = said_clock(said, lang)
    if new is not None and new[0] == 0 and new[2] == len(said):  # "make it 7 pm", "um sieben", "改成七点"
        return (before[:hour] + said[new[1]:] + before[end:]).strip()
    number = re.fullmatch(count_pattern(lang), said, re.IGNORECASE)
    told = re.search(count_pattern(lang), before[hour:end], re.IGNORECASE)  # the hour said, its minutes kept
    if number is None or told is None or told.start() or not 0 < (parse_count(said) or 0) <= 24:
        return None
    number_said = parse_count(said) or 0
    if not _near(number_said, parse_count(told.group()) or 0) and \
            _near_count(before[:start] + before[end:], lang, number_said):
        return None  # "a ticket for Dune at 8 pm, no, two": two tickets, not 2 pm (review29 R29-3: ``_recounted``)
    return (before[:hour] + said + before[hour + told.end():]).strip()


def _near(number: int, hour: int) -> bool:
    """Is ``number`` an hour within ``_NEAR`` of ``hour`` on a 12-hour dial (said again: 8 -> 9, not 8 -> 3)?"""
    apart = abs(number - hour) % 12
    return min(apart, 12 - apart) <= _NEAR


def _recounted(before: str, after: str, lang: str) -> str | None:
    """``before`` with the count it says set to the number ``after`` says instead, where that number fits a count
    better than the clock ``before`` says: "two tickets for Dune tonight at 8, no, three" → "three tickets for Dune
    tonight at 8" (reread29 M6: it was 3 o'clock), "a ticket for Dune at 8 pm, no, two" → "two ticket for Dune at 8
    pm" (review29 R29-3: the count stayed one). A number fits a count when ``before`` counts something outside its
    clock ("two tickets", "a ticket", "eine Karte", "两张"); it fits the clock instead when ``after`` says a clock
    ("9 pm", "um 9", "九点": ``_retimed``), is an hour near the one said (``_NEAR``: "…at 8, no, 9") or a bare number
    far from the count said (``_GROWS``: "two tickets … at 8, no, twelve"). ``after`` may name the counted thing again
    ("three tickets"). None when no count is said, or ``after`` says more than that."""
    clock = said_clock(before, lang)
    said = after.strip().rstrip(" .!。！")
    number = re.match(count_pattern(lang), said, re.IGNORECASE)
    if clock is None or number is None or number.start() or said_clock(said, lang) is not None:
        return None
    start, hour, end = clock
    counted = [m for m in _counted(before, lang) if (m.end() <= start or m.start() >= end)
               and not _article_alone(before, m, lang)]
    told = re.search(count_pattern(lang), before[hour:end], re.IGNORECASE)
    rest = said[number.end():].strip(" ,，")
    if not counted or (rest and not _said_before(rest, before, lang)):
        return None
    number_said, last = parse_count(number.group()) or 0, counted[-1]
    if not rest and told is not None and _near(number_said, parse_count(told.group()) or 0):
        return None  # the hour said again ("a ticket at 8 pm, no, 9": nine o'clock)
    if not rest and abs(number_said - (parse_count(last.group()) or 0)) > _GROWS:
        return None  # far from the count said too ("two tickets … at 8, no, twelve"): the clock (review30 R30-7)
    return (before[:last.start()] + number.group() + before[last.end():]).strip()


_BESIDE = 3  # words read after an article for what it counts ("a cinema ticket", "eine ermäßigte Karte")


def _article_alone(text: str, found: re.Match[str], lang: str) -> bool:
    """Is ``found`` an article (measure_words.toml ``articles``) with no word a request counts by (``generic``,
    ``units``) among the ``_BESIDE`` words after it? "a ticket", "eine Karte" count one; "a cake", "a meeting" count
    nothing: "remind me to buy a cake tomorrow at 9, no, 2" is 2 pm, not two cakes (reread30 M-4)."""
    words = counting(lang)
    if found.group().casefold() not in words.articles:
        return False
    after = [w.casefold() for w in re.findall(r"[\w-]+", text[found.end():])[:_BESIDE]]  # "a cinema ticket"
    counted = words.generic | words.units  # in a language that joins nouns, one may end a word ("Pizzastück")
    return not any(word == w or (words.compounds and word.endswith(w)) for word in after for w in counted)


def _said_before(rest: str, before: str, lang: str) -> bool:
    """Does ``before`` say ``rest`` (the counted thing named again: "three *tickets*", "三*张*")?"""
    if not writing(lang).spaced:
        return rest in before
    return all(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", before, re.IGNORECASE) for w in rest.split())


def _counted(text: str, lang: str) -> list[re.Match[str]]:
    """Where ``text`` counts something (a count word or number as a word of its own; "a", "eine", "一" too)."""
    edge = writing(lang).edge
    return list(re.finditer(rf"{edge[0]}(?:{count_pattern(lang)}){edge[1]}" if writing(lang).spaced
                            else count_pattern(lang), text, re.IGNORECASE))


def _near_count(text: str, lang: str, number: int) -> bool:
    """Does ``text`` count something (``_counted``) within ``_GROWS`` of ``number`` ("two tickets" for three)?"""
    return any(abs(number - (parse_count(m.group()) or 0)) <= _GROWS for m in _counted(text, lang)
               if not _article_alone(text, m, lang))


def _count(word: str) -> bool:
    return re.fullmatch(COUNT_WORDS, word, re.IGNORECASE) is not None


def _taken_from(before: str, after: str, lang: str) -> int | None:
    """Where in ``before`` the words ``after`` says again begin: the count it ends with, when ``after`` opens with a
    count ("two" of "two no three"), or, among its few last words, the two ``after`` opens with ("in der" of "in der
    Stadthalle nein in der Oper") or the word before a count that ``after`` says before one ("um vier" of "um vier nein
    um fünf"); one word said again is not enough ("say sorry *to* Anna", "*with* Tom no, *with* Ben yes": review25
    R25-5). None when ``after`` says no such thing again."""
    if writing(lang).spaced:
        words = list(re.finditer(r"\S+", before))
        said = [w.group().strip(",").casefold() for w in words]
        again = [w.casefold() for w in after.split()[:2]]
        if said and again and _count(said[-1]) and _count(again[0]):  # "two no three"
            first = len(said) - 1
            while first > 0 and _count(said[first - 1]):
                first -= 1  # digits said one by one: the group goes whole when said again from its start
            return words[first if first < len(said) - 1 and said[first] == again[0] else -1].start()
        if len(again) < 2:
            return None
        last = len(said)
        for i in range(last - 2, max(last - _BACK, 0) - 1, -1):  # "um vier nein um fünf", "in der X nein in der Y"
            if said[i] == again[0] and (said[i + 1] == again[1] or (_count(said[i + 1]) and _count(again[1]))):
                return words[i].start()
        return None
    number = count_pattern(lang)
    measures = alternatives(load(MEASURE_WORDS).get("classifiers", {}).get(lang, ()))
    counted = rf"(?:{number})(?:{measures})?" if measures else f"(?:{number})"
    ended = re.search(rf"{counted}$", before)
    if not ended or not re.match(counted, after):
        return None
    digits = load(MEASURE_WORDS).get("numerals", {}).get(lang, {}).get("digits", {})
    run = ended.group()
    if len(run) > 1 and all(c in digits for c in run) and not after.startswith(run[0]):
        return ended.end() - 1  # digits said one by one: the last one ("一二不对三四": "一三四"; reread25 L7),
    return ended.start()  # unless the group is said again from its start ("四五六不对四五七": reread26 M5)
