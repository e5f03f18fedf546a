"""Slot normalisation for the fast tier: dates and times ("heute um 20 Uhr", "今晚八点", "tonight at 8"),
counts ("zwei", "两张", "two") and the language of an utterance.

Everything is relative to an explicit ``now`` so tests and the journal can replay a turn exactly. Times
are extracted *before* templates run and cut out of the text, so a template never has to spell out
the dozens of ways a time can be said; it only sees "buch zwei Kinokarten für Dune".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from tandem.agent.lang_id import likeliest, told
from tandem.agent.words import (
    MEASURE_WORDS,
    TIME_WORDS,
    alternatives,
    load,
    number_value,
    number_words,
    numeral_characters,
    numeral_run,
)
from tandem.agent.writing import PAUSED, PAUSES, writing
from tandem.privacy.dictionaries import stop_words

__all__ = ["When", "dated", "detect_language", "extract_when", "parse_count", "parse_ordinal", "said_clock"]

def parse_count(text: str | None) -> int | None:
    """A small count from digits or a number word in en/de/zh ("zwei", "two", "两张", "3"; measure_words.toml
    ``numbers`` and ``numerals``), a classifier after it left out; else None."""
    if not text:
        return None
    return number_value(re.sub(f"(?:{alternatives(_classifiers())})$", "", text.strip()))


@cache
def _classifiers() -> tuple[str, ...]:
    return tuple(w for words in load(MEASURE_WORDS).get("classifiers", {}).values() for w in words)


def parse_ordinal(text: str, lang: str | None = None) -> int | None:
    """The place in a list ``text`` names ("the second one" → 2, "die zweite", "der 2.", "the 2nd", "第二个";
    measure_words.toml ``ordinals`` and ``ranks``); None when it names none."""
    lang = lang or detect_language(text)
    data = load(MEASURE_WORDS)
    ordinals, ranks = data.get("ordinals", {}).get(lang, {}), data.get("ranks", {}).get(lang, {})
    endings = tuple(ranks.get("endings", ("",)))
    for word in re.findall(r"\w+", text.casefold()) if writing(lang).spaced else ():
        found = next((n for stem, n in ordinals.items() if word.startswith(stem) and word[len(stem):] in endings),
                     None)
        if found is not None:
            return int(found)
    number = r"\d{1,2}" + ("" if writing(lang).spaced else f"|[{numeral_characters(lang)}]{{1,3}}")
    before, after = alternatives(ranks.get("before", ())), alternatives(ranks.get("after", ()))
    said = (before and re.search(rf"(?:{before})({number})", text)) or \
        (after and re.search(rf"(?<!\w)(\d{{1,2}})(?:{after})(?!\w|\d)", text, re.IGNORECASE))
    return parse_count(said.group(1)) if said else None


def detect_language(text: str) -> str:
    """The language ``text``'s words tell (``lang_id.told``: "zh" for Chinese characters, unless they are a name in a
    sentence of another language; else the language most of whose own words it says: "we had pizza, it was great" is
    English, an English request to "Friedrichstraße" stays English); when none does, the language whose sentences its
    character trigrams are likeliest in (``lang_id.likeliest``); else "en"."""
    return told(text) or likeliest(text, ("en", "de")) or "en"


@dataclass(frozen=True)
class When:
    """A normalised point in time said in an utterance."""

    date: str  # ISO date, "2026-11-29"
    time: str | None  # "20:00", or None when only a day was said ("morgen")
    text: str  # the words it was read from, as said
    end: str | None = None  # ISO date of the last day of a stretch of days said ("this weekend": its Sunday)

    @property
    def iso(self) -> str:
        """"2026-11-29T20:00", or the bare date when no time was said."""
        return f"{self.date}T{self.time}" if self.time else self.date


_ZH_NUM = f"(?:\\d{{1,3}}|[{numeral_characters('zh')}]{{1,3}})"  # digits or numerals, not both ("周三11点": 11)

_WEEKDAYS = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "de": ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"),
    "zh": ("一", "二", "三", "四", "五", "六", "日"),
}
_PART_EN = r"(?: (?:morning|afternoon|evening|night))?"
_PART_DE = r"(?: ?(?:abend|nachmittag|vormittag|mittag|früh|morgen|nacht))?"
_DAY = {  # a day with the preposition that leads it ("Karten *für morgen*", "*ab Montag*"): no other words' own
    "en": (rf"\b(?:(?:for|by|from|until) )?(?:(?P<day>{{ahead}}day after tomorrow|today|tonight|"
           rf"this (?:morning|afternoon|evening)|tomorrow{_PART_EN}|later|{{spans}})|"
           rf"(?:on |every )?(?P<later>{{before}})?(?P<next>next |this |coming )?"
           rf"(?P<wd>{'|'.join(_WEEKDAYS['en'])})(?P<after>{{after}})?{_PART_EN})"
           r"(?:{owning})?\b"),
    "de": (rf"\b(?:(?:für|fuer|ab|bis) )?(?:(?:am |jeden )?(?P<later>{{before}})"
           rf"(?P<wd2>{'|'.join(_WEEKDAYS['de'])}){_PART_DE}|"
           rf"(?P<day>{{ahead}}übermorgen|uebermorgen|heute?{_PART_DE}|morgen{_PART_DE}|später|{{spans}})|"
           rf"(?:am |jeden )?(?P<next>nächsten |kommenden |diesen )?(?P<wd>{'|'.join(_WEEKDAYS['de'])}){_PART_DE})\b"),
    "zh": (r"(?:(?:每个?)?(?P<later>{before})?(?P<next>下个?|这个?|本)?(?:星期|周|礼拜)(?P<wd>[一二三四五六日天])|"
           r"(?P<day>{ahead}{spans}|今天晚上|今天下午|今天上午|今天早上|明天晚上|明天下午|明天上午|明天早上|"
           r"今天|今晚|今早|明天|明晚|明早|后天|待会儿?|稍后))"),
}


@cache
def _day(lang: str) -> re.Pattern[str]:
    """A day said in ``lang``, with the stretches of days time_words.toml lists (``spans``) and the endings that make
    it the owner of what follows (``owning``: "tomorrow's")."""
    owning = alternatives(_time_words().get("owning", {}).get(lang, ())) or "$^"  # "tomorrow*'s* dentist"
    later = _further(lang)
    ahead = alternatives(later["ahead"])
    said = {"{ahead}": f"{ahead}|" if ahead else "", "{spans}": alternatives(_spans(lang)) or "$^", "{owning}": owning,
            "{before}": alternatives(later["before"]) or "$^", "{after}": alternatives(later["after"]) or "$^"}
    return re.compile(re.sub(r"\{(?:ahead|spans|owning|before|after)\}", lambda m: said[m.group()], _DAY[lang]))


@cache
def _further(lang: str) -> dict[str, dict[str, tuple[int, bool]]]:
    """The words time_words.toml ``later`` lists for ``lang`` (lower case): days said by one word further ahead than
    the others (``ahead``: "大后天" 3), and the words said before or after a weekday that put it in a later week
    (``before``, ``after``), each with how many weeks and whether they count from this calendar week."""
    table = _time_words().get("later", {}).get(lang, {})
    return {"ahead": {w.casefold(): (int(n), False) for w, n in table.get("ahead", {}).items()},
            **{where: {w.casefold(): (int(group.get("weeks", 1)), bool(group.get("calendar")))
                       for group in table.get(where, ()) for w in group["words"]} for where in ("before", "after")}}


@cache
def _spans(lang: str) -> dict[str, tuple[int, int, int, bool]]:
    """Each stretch of days said in ``lang`` (time_words.toml ``spans``): its words, lower case, and the weekday it
    begins on, how many days it lasts and how many weeks after the coming one it is; or, for a month (``month``), how
    many months after this one it is."""
    return {word.casefold(): (span.get("begins", 0), span.get("days", 0), span.get("later", 0), bool(span.get("month")))
            for span in _time_words().get("spans", {}).get(lang, ()) for word in span["words"]}


_TIME = {  # {hours}: an hour said as a word, {words}: minutes said after one, {towards}: minutes past or to one
    "en": (r"(?:\b(?:at )?{towards} (?P<h5>\d{1,2}|{hours})"
           r"|\bat (?P<h1>\d{1,2}|{hours})(?:[:.](?P<m1>\d{2})| (?P<w1>{words}))?"
           r"(?: ?(?P<ap1>am|pm|a\.m\.|p\.m\.|o'?clock))?"
           r"|\b(?P<h2>\d{1,2}|{hours})(?:[:.](?P<m2>\d{2})| (?P<w2>{words}))? ?(?P<ap2>am|pm|a\.m\.|p\.m\.|o'?clock)"
           r"|\b(?P<h3>\d{1,2}):(?P<m3>\d{2})"
           r"|\b(?:at )?(?P<q>{quarters}) (?P<h4>\d{1,2}|{hours})"
           r")(?!\w){after}"),
    "de": (r"{before}(?:\b(?:um )?{towards} (?P<h5>\d{1,2}|{hours})(?: uhr)?"
           r"|\bum (?P<h1>\d{1,2}|{hours})(?:[:.](?P<m1>\d{2})| (?P<w1>{words}))?"
           r"(?: uhr(?: (?P<m4>\d{1,2}|{words}))?)?"
           r"|\b(?P<h2>\d{1,2}|{hours})(?:[:.](?P<m2>\d{2}))? uhr(?: (?P<m5>\d{1,2}|{words}))?"
           r"|\b(?P<h3>\d{1,2}):(?P<m3>\d{2})"
           r"|\b(?:um )?(?P<q>{quarters}) (?P<h4>\d{1,2}|{hours})(?: uhr)?"
           r")\b{after}(?!\w)"),
    "zh": (r"{before}(?:(?P<h1>{zh})[点點时](?:(?P<half>半)|(?P<q>{quarters})|(?P<m1>{minutes})分?"
           r"|(?P<dir>{dir})(?P<mq>{quarters}|{minutes}|[{numerals}])(?P<mu>{unit})?|{sharp})?"
           r"|(?P<dir0>{dir})(?P<mq0>{quarters}|{minutes}|[{numerals}])(?P<mu0>{unit})?(?P<h5>{zh})[点點]"
           r"|(?P<h3>\d{1,2})[:：](?P<m3>\d{2}))"),
}


@cache
def _time(lang: str) -> re.Pattern[str]:
    """A clock said in ``lang``, with the words of a part of the day said right after or before it (time_words.toml
    ``clock``: "at 8 *in the evening*", "um 4 Uhr *nachmittags*", "*晚上*八点")."""
    said, gap = _time_words()["clock"].get(lang, {}), writing(lang).gap
    after = f"(?:{gap}(?:{alternatives(said['after'])}))?" if said.get("after") else ""
    before = f"(?:{writing(lang).edge[0]}(?:{alternatives(said['before'])}){gap})?" if said.get("before") else ""
    # minutes are a whole number said after the hour: of two figures ("八点二十", "8点30", "八点零五", "八点三十*两张*":
    # 8:30 and two), ten, or one figure only before 分 ("八点两分"); a figure alone after the hour is what follows
    # counts ("八点*两张*票", "3点*5个*人": review27 P27-6, reread27 M5); "七点四十五*提*醒我" keeps its minutes (R28-1)
    run, ten = numeral_run(lang, least=2), load(MEASURE_WORDS).get("numerals", {}).get(lang, {}).get("ten")
    numerals = f"|(?>{run})|{re.escape(ten)}|[{numeral_characters(lang)}](?=分)" if run and ten else ""
    words = _minute_words(lang)
    towards, unit = alternatives(said.get("towards", {})) or "$^", alternatives(said.get("unit", ())) or "$^"
    few = f"{alternatives(words) or '$^'}|\\d{{1,2}}(?= (?:{unit}))"  # digits only with the unit ("2 to 4" is two)
    parts = {"after": after, "before": before, "quarters": alternatives(said.get("quarters", {})) or "$^",
             "minutes": r"(?>\d{2,3})|\d(?=分)" + numerals, "hours": _hour_words(lang),
             "words": alternatives(w for w, (_, alone) in words.items() if not alone) or "$^",
             "towards": f"(?P<mq>{few})(?: (?P<mu>{unit}))? (?P<dir>{towards})"
                        f"(?: (?P<q2>{alternatives(said.get('quarters', {})) or '$^'}))?",
             "dir": towards, "unit": unit, "numerals": numeral_characters(lang), "zh": _ZH_NUM,
             "sharp": alternatives(said.get("sharp", ())) or "$^"}
    return re.compile(re.sub(r"\{([a-z]+)\}", lambda m: parts.get(m.group(1), m.group()), _TIME[lang]))


@cache
def _hour_words(lang: str) -> str:
    """The words an hour is said with in ``lang`` (measure_words.toml ``numbers`` up to 24, no article: "um *einen*
    Tisch" is no clock, "um *elf*" is), as alternatives of a pattern."""
    articles = set(load(MEASURE_WORDS).get("articles", {}).get(lang, ()))
    return alternatives(w for w, n in number_words(lang).items() if 0 < n <= 24 and w not in articles
                        and " " not in w) or "$^"


@cache
def _minute_words(lang: str) -> dict[str, tuple[int, bool]]:
    """The words ``lang`` says minutes with (time_words.toml ``clock`` ``minutes``: "thirty", "forty-five", "oh five",
    "fünfundzwanzig"), lower case, each with its value and whether it is a one said alone (no minutes after an hour:
    "at eight *two* tickets")."""
    table = _time_words()["clock"].get(lang, {}).get("minutes", {})
    tens, teens, ones = (table.get(k, {}) for k in ("tens", "teens", "ones"))
    words = {w: (n, True) for w, n in ones.items()} | {w: (n, False) for w, n in {**tens, **teens}.items()}
    for form in table.get("joined", ()):
        words |= {form.format(tens=t, ones=o): (tens[t] + ones[o], False) for t in tens for o in ones}
    words |= {f"{z} {o}": (ones[o], False) for z in table.get("zero", ()) for o in ones}
    return {w.lower(): said for w, said in words.items()}  # as the text is read: lower case, "dreißig" kept


def _minute(text: str, lang: str) -> int | None:
    """The minutes ``text`` says: digits, numerals, a minute word (``_minute_words``) or a quarter ("一刻")."""
    said = text.lower()
    if said in _minute_words(lang):
        return _minute_words(lang)[said][0]
    return _quarters(lang).get(said, parse_count(said))


def _hour(word: str) -> int | None:
    return parse_count(word)


def _day_offset(match: re.Match[str], lang: str, today: dt.date) -> int:
    """Days from today to the day a match names ("morgen" 1, "next Monday" the coming Monday ...)."""
    groups = match.groupdict()
    if wd := groups.get("wd") or groups.get("wd2"):
        weekday = "日" if wd == "天" else wd
        target = _WEEKDAYS[lang].index(weekday)
        said = [_further(lang)[where].get(groups[key].casefold()) for where, key in (("before", "later"),
                                                                                    ("after", "after"))
                if groups.get(key)]
        weeks, calendar = next((s for s in said if s is not None), (0, False))
        if groups.get("next") in ("下", "下个"):  # 下周一: Monday of next week (weeks start on Monday)
            weeks, calendar = weeks + 1, True
        if calendar:  # "下下周三", "nächste Woche Freitag": that weekday of a later calendar week
            return 7 * weeks - today.weekday() + target
        return ((target - today.weekday()) % 7 or 7) + 7 * weeks  # "Friday after next": a week after the coming one
    day = match.group("day")
    if (ahead := _further(lang)["ahead"].get(day.casefold())) is not None:
        return ahead[0]
    if (span := _span_days(day, lang, today)) is not None:
        return span[0]
    if any(k in day for k in ("day after", "übermorgen", "uebermorgen", "后天")):
        return 2
    if any(k in day for k in ("tomorrow", "明")) or day.startswith("morgen"):
        return 1
    return 0


def _until(day: re.Match[str], text: str, lang: str, today: dt.date) -> tuple[int, tuple[int, int]] | None:
    """The last day of a range said from ``day`` on ("von Montag bis Mittwoch", "from Monday to Wednesday",
    "周一到周三"; time_words.toml ``ranges``): days from today to it (a weekday at or after the first day), and where
    the range's words stand, with the word that leads it; None when no range is said."""
    second = _day(lang).search(text, day.end())
    lead = _range_lead(text, day, second, lang) if second is not None else None
    if second is None or lead is None:
        return None
    first, last = _day_offset(day, lang, today), _day_offset(second, lang, today)
    if second.group("day") and (stretch := _span_days(second.group("day"), lang, today)) is not None:
        last = stretch[1]
    while last < first:  # "from Friday to Monday": the Monday after
        last += 7
    return last, (day.start() - lead, second.end())


def _span_days(said: str, lang: str, today: dt.date) -> tuple[int, int] | None:
    """Days from today to the first and the last day of the stretch ``said`` names ("this weekend": its Saturday,
    today when it is the weekend, and its Sunday); None when it names none."""
    span = _spans(lang).get(said.casefold())
    if span is None:
        return None
    begins, days, later, month = span
    if month:  # "next month": its first day to its last; "this month": today to its last
        opens = dt.date(today.year + (today.month - 1 + later) // 12, (today.month - 1 + later) % 12 + 1, 1)
        after = dt.date(opens.year + opens.month // 12, opens.month % 12 + 1, 1)
        return max((opens - today).days, 0), (after - today).days - 1
    into = (today.weekday() - begins) % 7  # days since the stretch last began
    first = (-into if into < days else 7 - into) + 7 * later  # the coming one's first day (past, when today is in it)
    return max(first, 0), first + days - 1


def _clock(match: re.Match[str], lang: str) -> tuple[int, int, bool] | None:
    """The hour and minute a clock says, and whether it is a 12-hour clock's hour (up to 12, not said with a zero
    before it: "5", "5:30", "五点"; "17:00", "05:30", "0 Uhr" are a 24-hour clock's)."""
    groups = {k: v for k, v in match.groupdict().items() if v}
    said = next((groups[k] for k in ("h1", "h2", "h3", "h4", "h5") if k in groups), "")
    hour = _hour(said) if said else None
    minute_text = next((groups[k] for k in ("m1", "m2", "m3", "m4", "m5", "w1", "w2") if k in groups), None)
    minute = 30 if "half" in groups else (_minute(minute_text, lang) if minute_text else 0)
    if hour is None or minute is None or not (0 <= hour <= 24 and 0 <= minute < 60):
        return None
    twelve = 0 < hour <= 12 and not said.startswith("0")
    moved = _moved(groups, lang)
    if moved is None:
        return None
    if moved:  # "halb sechs": 5:30; "ten to nine": 8:50
        hour, minute = divmod((hour * 60 + moved) % (24 * 60), 60)
    return hour % 24, minute, twelve


def _moved(groups: dict[str, str], lang: str) -> int | None:
    """The minutes a clock's words move its hour by (time_words.toml ``clock``): a quarter ("halb sechs" -30), minutes
    past or to it ("twenty past eight" +20, "fünf vor halb neun" -35, "差五分九点" -5); None when the minutes said past
    or to it are none, or a one said without the word for minutes ("two to four" is no clock)."""
    quarters = _quarters(lang)
    moved = quarters[groups["q"]] if "q" in groups else 0
    direction = next((groups[k] for k in ("dir", "dir0") if k in groups), None)
    if direction is None:
        return moved
    said = next(groups[k] for k in ("mq", "mq0") if k in groups)
    minutes = _minute(said, lang)
    if minutes is None or not 0 < minutes < 60 or (minutes < 5 and not {"mu", "mu0"} & groups.keys()):
        return None
    towards = {k.casefold(): v for k, v in _time_words()["clock"][lang]["towards"].items()}
    return moved + quarters.get(groups.get("q2", ""), 0) + towards[direction] * minutes


def _quarters(lang: str) -> dict[str, int]:
    """The minutes each word of ``lang`` said with an hour moves its clock by (time_words.toml ``clock``
    ``quarters``: "halb sechs" -30 from six, "quarter past five" +15, "三点一刻" +15)."""
    return {k.casefold(): v for k, v in _time_words()["clock"].get(lang, {}).get("quarters", {}).items()}


def _clock_said(text: str, lang: str) -> tuple[re.Match[str] | None, tuple[int, int, bool] | None]:
    """The first clock ``text`` says and its hour, minute and whether a 12-hour clock's; a reading that is no clock
    gives way to one that starts later in the same words ("周五十点": not 50 o'clock but 10)."""
    pos = 0
    while (found := _time(lang).search(text, pos)) is not None:
        if (parsed := _clock(found, lang)) is not None and not _a_bit(text, found, lang) \
                and not _ranged(text, found, lang):
            return found, parsed
        pos = found.start() + 1
    return None, None


def _ranged(text: str, found: re.Match[str], lang: str) -> bool:
    """Are the minutes ``found`` says to an hour a range of two numbers (time_words.toml ``clock``
    ``towards_not_after``: "from five to nine", "for five to six people")?"""
    said = found.groupdict()
    direction = said.get("dir") or said.get("dir0")
    clock = _time_words()["clock"].get(lang, {})
    if direction is None or clock["towards"][direction] > 0:
        return False
    if _counts_after(text, found, lang):
        return True
    words = alternatives(clock.get("towards_not_after", ()))
    return bool(words) and re.search(rf"{writing(lang).edge[0]}(?:{words}){writing(lang).gap}$",
                                     text[:found.start()]) is not None


def _counts_after(text: str, found: re.Match[str], lang: str) -> bool:
    """Is the hour of "ten *to twelve*", said with no word of the clock before or after it, followed by what the
    numbers count ("ten to twelve *pizzas*", "zehn vor zwölf *Stühle*": a range of a count, review29 R29-11)? Where
    words are spaced, the word right after the hour is then none of the language's function words nor of the words
    time_words.toml says in it ("ten to nine *tomorrow*")."""
    if not writing(lang).spaced or not found.group("h5") or found.end("h5") != found.end():
        return False  # "zehn vor neun *Uhr* Zahnarzt": a word of the clock said after the hour
    if found.group("mq") and found.start("mq") > found.start():
        return False  # "remind me *at* ten to nine meeting", "*um* zehn vor neun": said as a clock
    after = re.match(r" (\w+)", text[found.end():])
    if after is None:
        return False
    word = after.group(1).lower()
    return word.isalpha() and word not in stop_words(lang) and word not in _time_vocabulary(lang)


@cache
def _time_vocabulary(lang: str) -> frozenset[str]:
    """Every word time_words.toml says in ``lang`` (its tables' keys and strings, each word of a phrase), and the
    weekdays' names."""
    found: set[str] = set(_WEEKDAYS.get(lang, ()))

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.update(re.findall(r"\w+", value.lower()))
        elif isinstance(value, dict):
            for key, inner in value.items():
                found.update(re.findall(r"\w+", str(key).lower()))
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    for table in _time_words().values():
        if isinstance(table, dict) and lang in table:
            walk(table[lang])
    return frozenset(found)


def said_clock(text: str, lang: str) -> tuple[int, int, int] | None:
    """Where the first clock ``text`` says stands: its start, where its hour is said ("at *6* pm", "下午*三*点") and its
    end; None when it says none."""
    found, _ = _clock_said(text.lower(), lang)
    if found is None:
        return None
    hour = next((found.start(k) for k in ("h1", "h2", "h3", "h4") if found.group(k)), found.start())
    return found.start(), hour, found.end()


def _a_bit(text: str, found: re.Match[str], lang: str) -> bool:
    """Is the clock ``found`` the words that say "a bit" after a word of comparing (time_words.toml ``clock``
    ``a_bit``: "晚*一点*送到" is "a bit later", no one o'clock; "晚七点", "晚上一点" are clocks)?"""
    said = _a_bit_said(lang)
    if said is None:
        return False
    compared, parts = said
    at = found.start() if compared.match(text, found.start()) else found.start() - 1
    if at < 0 or compared.match(text, at) is None:
        return False
    return not any(text[:at + 1].endswith(w) for w in parts)  # "今晚一点": tonight at one


@cache
def _a_bit_said(lang: str) -> tuple[re.Pattern[str], frozenset[str]] | None:
    """``_a_bit``'s words of ``lang``, read once: a word of comparing with "a bit" after it, and the words of parts of
    the day longer than one character ("今晚"); None where the language has none."""
    said = _time_words()["clock"].get(lang, {}).get("a_bit", {})
    if not said:
        return None
    compared = re.compile(rf"(?:{alternatives(said['after'])})(?:{alternatives(said['words'])})")
    return compared, frozenset(w for part in _time_words()["parts"].get(lang, ()) for w in part["words"] if len(w) > 1)


def _part(said: str, lang: str) -> tuple[int, int] | None:
    """The hours of the part of the day ``said`` names (time_words.toml ``parts``; the longest words win:
    "vormittags" over "mittags"), or None."""
    found = [(len(word), tuple(part["hours"])) for part in _time_words().get("parts", {}).get(lang, ())
             for word in part["words"] if _names(said, word, lang)]
    return max(found)[1] if found else None


def _names(said: str, word: str, lang: str) -> bool:
    """Does ``said`` say ``word`` (outside Chinese as a word of its own: "8pm" says "pm", "tonight" no "night")?"""
    if not writing(lang).spaced:
        return word in said
    return re.search(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", said) is not None


def _within(hour: int, hours: tuple[int, int]) -> bool:
    first, last = hours
    return first <= hour <= last if first <= last else hour >= first or hour <= last


def _on_clock(hour: int, minute: int, twelve: bool, said: str, lang: str, now: dt.datetime,
              day: dt.date | None) -> dt.datetime:
    """When a clock said at ``hour``:``minute`` is, on ``day`` when a day was said, else from ``now`` on
    (time_words.toml ``clock``): a 24-hour clock's hour as said; a 12-hour clock's (``twelve``) in the half of the
    day the part ``said`` names, else the next such time still ahead, in the night only when it is near. A part said
    for today that runs past midnight is the night going on while its hours past midnight are ("tonight at 1" said
    at 00:30 is 01:00 today, said at 21:00 01:00 the next day)."""
    readings, late = _readings(hour, said.lower(), lang, day is not None) if twelve else ([hour], set())
    days = [day] if day else [now.date(), now.date() + dt.timedelta(days=1)]
    times = sorted(dt.datetime.combine(d + dt.timedelta(days=later), dt.time(h, minute)) for d in days
                   for h in readings for later in _later(h in late and day is not None, d == now.date()))
    if twelve and day is None and _part(said.lower(), lang) is None:  # the night only when it is near
        clock = _time_words()["clock"]
        near = now + dt.timedelta(hours=clock.get("night_ahead", 24))
        times = [t for t in times if not _within(t.hour, tuple(clock["night"])) or t <= near] or times
    return next((t for t in times if t >= now.replace(second=0, microsecond=0)), times[-1])


def _later(late: bool, today: bool) -> tuple[int, ...]:
    """Days after the day said a reading may fall on: one past the midnight a part runs over, or none too when the
    day said is today (the night going on)."""
    return ((0, 1) if today else (1,)) if late else (0,)


def _readings(hour: int, said: str, lang: str, dayed: bool) -> tuple[list[int], set[int]]:
    """The hours a 12-hour clock's ``hour`` may be, earliest first: the one in the half of the day the part ``said``
    names (as said when neither is), else both, on a day said (``dayed``) but those in the night (time_words.toml
    ``clock``); and those of them past the midnight a part of the day runs over ("tonight at 12", "heute Nacht um 2":
    the day after the day said)."""
    both, part = [hour % 12, hour % 12 + 12], _part(said, lang)
    if part is None:
        night = tuple(_time_words()["clock"]["night"])
        return ([h for h in both if not _within(h, night)] if dayed else []) or both, set()
    fits = [h for h in both if _within(h, part)][:1] or [hour]
    return fits, {h for h in fits if part[0] > part[1] and h <= part[1]}


def extract_when(text: str, now: dt.datetime, lang: str | None = None,
                 region: str | None = None) -> tuple[When | None, str]:
    """The first date/time said in ``text`` (relative to ``now``), and ``text`` with those words cut out. ``region``
    (the user's, ISO 3166) orders a day and a month said in digits alone ("05/06"; time_words.toml ``date_order``).

    An hour up to 12 is read in the part of the day the words say ("tonight at 8", "heute Abend um 8", "晚上八点",
    "8 pm", "5 am"), else as the next time a 12-hour clock shows it, outside the night ("at 5" said at 14:00 is 17:00,
    "heute um 8" said at 15:00 20:00, "tomorrow at 5" 17:00; time_words.toml ``clock``); "17:00" is as said."""
    lang = lang or detect_language(text)
    lowered, back = _read(text, lang)  # "tmrw" read as "tomorrow"; back: where each place of it stands in text
    calendar = _calendar(lowered, lang, now.date(), region)  # "on December 20", "am 20.12.", "3月3日"
    day = None if calendar else _day(lang).search(lowered)
    clock, parsed = _clock_said(lowered, lang)
    named = _named(lang).search(lowered) if parsed is None and lang in _time_words()["named"] else None
    if named is not None:  # "at noon", "um Mitternacht": a time of day by its name
        clock, parsed = named, (*_named_time(named, lang), False)
    if day is None and calendar is None and parsed is None:  # "in 20 minutes", "半小时后": from now, no day or clock
        counted = _relative(lang).search(lowered) if lang in _time_words()["relative"] else None
        return (None, text) if counted is None else _from_now(counted, back, text, now, lang)
    until = _until(day, lowered, lang, now.date()) if day else None
    spans = sorted([*([until[1] if until else day.span()] if day else []), *([calendar[0]] if calendar else []),
                    *([clock.span()] if clock and parsed else [])])
    if len(spans) == 2 and spans[1][0] < spans[0][1]:  # "明天下午" + "下午3点": one stretch of words
        spans = [(spans[0][0], max(spans[0][1], spans[1][1]))]
    typed = [(back[a], back[b]) for a, b in spans]  # where the words stand in text
    heard, said = (re.sub(r"^(?:at|on|am|for|by|from|until|für|fuer|ab|bis) ", "", " ".join(words[a:b] for a, b in
                                                                                            where), flags=re.I)
                   for words, where in ((lowered, spans), (text, typed)))
    spans = _with_joins(text, typed, lang)
    span = _span_days(day.group("day"), lang, now.date()) if day and day.group("day") else None
    offset = (calendar[1] - now.date()).days if calendar else span[0] if span else \
        _day_offset(day, lang, now.date()) if day else 0
    dayed = day is not None or calendar is not None
    date = now.date() + dt.timedelta(days=offset)
    clock_text = ""
    if parsed is not None:
        at = _on_clock(*parsed, heard, lang, now, date if dayed else None)
        date, clock_text = at.date(), at.strftime("%H:%M")
    rest, gap = text, writing(lang).gap
    for start, end in reversed(spans):  # no gap before a pause that followed the time ("call mom at 5, she's ...")
        head, paused = rest[:start].rstrip(), re.match(PAUSED, rest[end:])
        if paused and head[-1:] and head[-1] in PAUSES:  # "Anora, at 7 pm, two seats": one pause stays
            rest = head + gap + rest[end + paused.end():]
        else:
            rest = head + rest[end:] if paused else rest[:start] + gap + rest[end:]
    ends = until[0] if until else span[1] if span else None  # a range said, or a stretch of days
    last = (now.date() + dt.timedelta(days=ends)).isoformat() if ends is not None else \
        calendar[2].isoformat() if calendar and calendar[2] else None
    return When(date.isoformat(), clock_text or None, said, last), re.sub(r"\s+", " ", rest).strip()


def _read(text: str, lang: str) -> tuple[str, list[int]]:
    """``text`` in lower case with each way a word of a day is typed as that word (time_words.toml ``typed``: "tmrw",
    "tommorow", "morgn"), and where each place of it (and its end) stands in ``text``."""
    lowered = text.lower()
    read, back, pos = [], [], 0
    for start, end, word in _typed_days(lowered, lang):
        if start < pos:
            continue
        read += [lowered[pos:start], word]
        back += [*range(pos, start), *[start] * len(word)]
        pos = end
    return "".join([*read, lowered[pos:]]), [*back, *range(pos, len(lowered) + 1)]


def _typed_days(lowered: str, lang: str) -> list[tuple[int, int, str]]:
    """Where ``lowered`` types a word of a day (time_words.toml ``typed``), and the forms that are words or names too
    where they stand beside what says a time (``typed_beside``: "thu 10am", "on wed", not "call Thu at 5")."""
    typed, beside = _typed(lang), _time_words().get("typed_beside", {}).get(lang, {})
    found = [(m.start(), m.end(), _time_words()["typed"][lang][m.group()])
             for m in (typed.finditer(lowered) if typed is not None else ())]
    forms = alternatives(beside.get("forms", {}))
    if forms:
        after = alternatives(beside.get("after", ())) or "$^"
        before = alternatives(beside.get("before", ())) or "$^"
        pattern = rf"\b(?:{before}) ({forms})\b|(?<![\w'’])({forms})(?= (?:\d|(?:{after})\b))"
        found += [(m.start(k), m.end(k), beside["forms"][m.group(k)]) for m in re.finditer(pattern, lowered)
                  for k in (1, 2) if m.group(k)]
    return sorted(found)


@cache
def _typed(lang: str) -> re.Pattern[str] | None:
    """The ways ``lang``'s words of a day are typed (time_words.toml ``typed``), as whole words; None: none listed."""
    forms = alternatives(_time_words().get("typed", {}).get(lang, {}))
    return re.compile(rf"(?<![\w'’])(?:{forms})(?![\w'’])") if forms else None  # "c'mon" says no "mon"


@cache
def _dates(lang: str, key: str = "patterns") -> tuple[re.Pattern[str], ...]:
    """Each way ``lang`` says a day by its date (time_words.toml ``dates``; ``days``: a day alone, as the last of a
    range of dates says it: "vom 20. bis *22.12.*", "from the 20th to *the 22nd*", "12月20日到*22日*"; ``after_month``:
    as bare as a first day said with its month's name: "from December 20 to *22*"; ``before_month``: a first day
    whose range's last day names its month: "*zwischen dem 20.* und 22.12.")."""
    table = _time_words().get("dates", {}).get(lang)
    if not table:
        return ()
    number = r"\d{1,2}" if writing(lang).spaced else rf"\d{{1,2}}|[{numeral_characters(lang)}]{{1,3}}"
    parts = {"{d}": f"(?P<d>{number})", "{m}": f"(?P<m>{number})", "{y}": r"(?P<y>(?:19|20)\d\d)",
             "{th}": alternatives(table["th"]) or "$^",
             "{month}": f"(?P<month>{alternatives(table['months']) or '$^'})"}
    edge = writing(lang).edge
    return tuple(re.compile(edge[0] + re.sub(r"\{\w+\}", lambda p: parts[p.group()], pattern) + edge[1])
                 for pattern in table.get(key, ()))


@dataclass(frozen=True)
class _Said:
    """A date said: its words, its day, and its month and year when said (None: not said)."""

    match: re.Match[str]
    day: int
    month: int | None
    year: int | None

    def on(self, not_before: dt.date) -> dt.date | None:
        """The day it names: the one of its year when said, else the next on or after ``not_before``."""
        if self.year is None:
            return _next_date(self.day, self.month, not_before)
        try:
            return dt.date(self.year, self.month or 1, self.day)
        except ValueError:
            return None


def _month_first(region: str | None, reading: re.Match[str]) -> bool:
    """Does ``reading`` say its month before its day where ``region``'s users write a date in digits so
    (time_words.toml ``date_order``: "05/06" is 6 May in the US, 5 June in Germany)? Without a region: table order."""
    if region is None or not (reading.groupdict().get("m") and reading.groupdict().get("d")):
        return True
    month_first = region.upper() in _time_words()["date_order"]["month_first"]
    return (reading.start("m") < reading.start("d")) == month_first


def _date_said(text: str, lang: str, pos: int, keys: tuple[str, ...], region: str | None = None) -> _Said | None:
    """The first date said in ``text`` from ``pos`` on: of the readings of the same words, the first that can be a
    date in the order ``region`` writes dates (else the table's: "12/20": month first; "20/12": no month 20)."""
    found = [m for key in keys for p in _dates(lang, key) if (m := p.search(text, pos))]
    first = min(found, key=lambda m: (m.start(), -m.end()), default=None)
    same = sorted((m for m in found if first is not None and m.span() == first.span()),
                  key=lambda m: not _month_first(region, m))
    for match in same:
        said = match.groupdict()
        day = parse_count(said["d"])
        month = _time_words()["dates"][lang]["months"][said["month"]] if said.get("month") else \
            parse_count(said["m"]) if said.get("m") else None
        year = int(said["y"]) if said.get("y") else None
        if day and 1 <= day <= 31 and (month is None or 1 <= month <= 12) and (year is None or 1900 <= year < 2100):
            return _Said(match, day, month, year)
    return None


_TWO_MONTHS = dt.timedelta(days=62)  # a range said by its last day's month starts after then ("vom 30. bis 2.1.")


def _next_date(day: int, month: int | None, not_before: dt.date) -> dt.date | None:
    """The first ``day`` of ``month`` (any month: ``not_before``'s first) on or after ``not_before``; None when there
    is none."""
    for ahead in range(13):
        year, at = divmod(not_before.month - 1 + ahead, 12)
        if month is not None and at + 1 != month:
            continue
        try:
            date = dt.date(not_before.year + year, at + 1, day)
        except ValueError:
            continue
        if date >= not_before:
            return date
    return None


def _last_said(text: str, lang: str, first: _Said, region: str | None) -> tuple[_Said, int] | None:
    """The last day of a range of dates said from ``first``, and how long the word is that leads the range; None when
    no range is said. A bare last day ("from December 20 to *22*") needs a first said with its month's name and the
    word that leads a range ("on December 20 to 22 Elm Road" is an address)."""
    tries = [("patterns", "days")] + ([("after_month",)] if first.match.groupdict().get("month") else [])
    for keys in tries:
        second = _date_said(text, lang, first.match.end(), keys, region)
        lead = _range_lead(text, first.match, second.match, lang) if second is not None else None
        if second is not None and lead is not None and (lead or keys != ("after_month",)):
            return second, lead
    return None


def _calendar(text: str, lang: str, today: dt.date,
              region: str | None = None) -> tuple[tuple[int, int], dt.date, dt.date | None] | None:
    """Where ``text`` first says a day by its date, that date (the next one on or after ``today``: "December 20"
    this year or the next; "the 20th" this month or the next; the one of its year when said: "12/20/2026") and, when
    a range of dates is said from it, its last day (time_words.toml ``ranges``: "vom 20. bis 22.12.", "from the 20th
    to the 22nd", "12月20日到22日"); None when it says none (or no day there is)."""
    first, ranged = _first_said(text, lang, region)
    if first is None:
        return None
    if ranged is not None:  # a range of dates
        second, lead = ranged
        if first.month is None and second.month is not None:  # "vom 20. bis 22.12.": its month or the one before
            last = second.on(today)
            in_month = second.month if first.day <= second.day else second.month - 1 or 12
            date = _next_date(first.day, in_month, last - _TWO_MONTHS) if last is not None else None
        else:
            date = first.on(today)
            last = second.on(date) if date is not None else None
        if date is None or last is None or date > last:  # a range said whose days cannot be placed: asked
            return None
        return (first.match.start() - lead, second.match.end()), date, last
    date = first.on(today)
    return (_with_weekday(text, first.match.span(), lang), date, None) if date is not None else None


def _first_said(text: str, lang: str, region: str | None) -> tuple[_Said | None, tuple[_Said, int] | None]:
    """The first date ``text`` says and the last day of the range said from it (None: no range); a first day alone
    (``before_month``) only with a last day that names its month ("between the 2nd and 3rd ticket": no days; a date
    said after it still is)."""
    pos = 0
    while (first := _date_said(text, lang, pos, ("patterns", "before_month"), region)) is not None:
        ranged = _last_said(text, lang, first, region)
        if first.match.re not in _dates(lang, "before_month") or (ranged is not None and ranged[0].month is not None):
            return first, ranged
        pos = first.match.end()
    return None, None


def _with_weekday(text: str, span: tuple[int, int], lang: str) -> tuple[int, int]:
    """A date's words with the weekday said next to it ("on Friday, December 18", "am Freitag, den 18.12.",
    "12月18日周五"), which would stay in the request ("Termin am Freitag, den")."""
    for said in (m for m in _day(lang).finditer(text) if m.group("wd") or m.groupdict().get("wd2")):
        if said.end() <= span[0] and re.fullmatch(r"[\s,，]*", text[said.end():span[0]]):
            return said.start(), span[1]
        if said.start() >= span[1] and re.fullmatch(r"[\s,，]*", text[span[1]:said.start()]):
            return span[0], said.end()
    return span


def _range_lead(text: str, first: re.Match[str], second: re.Match[str], lang: str) -> int | None:
    """How long the word is that leads a range said from ``first`` to ``second`` ("*from* Monday", 0 when none; the
    words between them as time_words.toml ``ranges`` lists them); None when they say no range."""
    table = _time_words().get("ranges", {}).get(lang)
    if table is None:
        return None
    between = text[first.end():second.start()].strip()
    before = text[:first.start()].rstrip()
    lead = next((w for w in table.get("leads", ()) if before.endswith(w) and (
        not writing(lang).spaced or not before[:-len(w)][-1:].isalnum())), "")
    said = first.group().split(" ", 1)[0] if writing(lang).spaced else ""  # a date that says its own ("from the 20th")
    paired = table.get("paired", {}).get(lead or said)
    if between in table["joins"] or (not between and second.group().startswith(tuple(table["ends"]))) \
            or (paired is not None and between == paired):
        return first.start() - (len(before) - len(lead)) if lead else 0
    return None


def _with_joins(text: str, spans: list[tuple[int, int]], lang: str) -> list[tuple[int, int]]:
    """``spans`` with the words that join a time to the request on either side (time_words.toml ``joins``):
    "*在*周一下午4点", "看明晚*的*星际穿越" (a time that says which showing: no part of the film), "tickets for Dune
    *for* 8pm", "Karten *gegen* 8 Uhr"."""
    joins, gap = _time_words().get("joins", {}).get(lang, {}), writing(lang).gap
    before = sorted((w + gap for w in joins.get("before", ())), key=len, reverse=True)
    after = sorted(joins.get("after", ()), key=len, reverse=True)
    joined = []
    for start, end in spans:
        if shown := _shown(text, start, end, lang):
            start, end = shown
        said = text[:start].casefold()  # a whole word, where words are spaced
        start -= next((len(w) for w in before if said.endswith(w) and not (gap and said[:-len(w)][-1:].isalnum())), 0)
        end += next((len(w) for w in after if text.startswith(w, end) and end + len(w) < len(text)), 0)
        joined.append((start, end))
    return joined


def _shown(text: str, start: int, end: int, lang: str) -> tuple[int, int] | None:
    """The words of a time said with the showing it is the time of (time_words.toml ``joins`` ``shows``: "the 8 pm
    *show*", "晚七点*场*", "八点*的场次*"), the words that lead it (``before``: "*for the* 8 pm show") and those
    that tie it to the showing (``after``: "的") with them; None when no showing is named right after it, or one
    whose words after it say whose it is (``owned``: "the 6 pm showing *of* Anora")."""
    joins, gap = _time_words().get("joins", {}).get(lang, {}), writing(lang).gap
    shows = joins.get("shows", {})
    if not shows or _clock_said(text[start:end].lower(), lang)[0] is None:
        return None  # a clock's showing only ("a *later* showing" is none)
    lower = text.casefold()
    for tie in sorted(("", *joins.get("after", ())), key=len, reverse=True):
        at = end + len(gap) + len(tie) if gap else end + len(tie)
        if (tie and not text.startswith(tie, end)) or (gap and not text.startswith(gap, end)):
            continue
        word = next((w for w in sorted(shows.get("words", ()), key=len, reverse=True) if lower.startswith(w, at)
                     and not (gap and lower[at + len(w):at + len(w) + 1].isalnum())), None)
        if word is None or any(lower.startswith(gap + w + gap, at + len(word)) for w in shows.get("owned", ())):
            continue  # "the 6 pm showing *of* Anora": the showing is the film's
        said = lower[:start]
        lead = next((w + gap for w in sorted(shows.get("before", ()), key=len, reverse=True)
                     if said.endswith(w + gap) and not (gap and said[:-len(w) - len(gap)][-1:].isalnum())), "")
        return start - len(lead), at + len(word)
    return None


_DATE = re.compile(r"(?<![\w.:/-])(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})(?![\w:/-]|\.\d)")


def dated(text: str, start: int, end: int, lang: str) -> bool:
    """Are the digits at ``text[start:end]`` a time: a date ("12.03.2025", "2025-03-12", "3/12/2025") or a year the
    words say is one (time_words.toml ``years``: "the order *from* 2025", "2025*年*")? An order number is neither."""
    for found in _DATE.finditer(text):
        if found.start() <= start and end <= found.end() and _is_date(found.group(1), found.group(3), found.group(4)):
            return True
    said = text[start:end]
    if not (said.isdigit() and len(said) == 4 and 1900 <= int(said) < 2100):
        return False
    table, edge = _time_words().get("years", {}).get(lang, {}), writing(lang).edge
    before = alternatives(table.get("before", ()))
    after = alternatives(table.get("after", ()))
    return bool(before and re.search(rf"{edge[0]}(?:{before})\s*$", text[:start], re.IGNORECASE)) or \
        bool(after and re.match(f"(?:{after})", text[end:]))


def _is_date(first: str, middle: str, last: str) -> bool:
    """A year of four digits at one end, and a month and a day."""
    if len(first) == 4:
        year, a, b = first, middle, last
    elif len(last) == 4:
        year, a, b = last, first, middle
    else:
        return False
    if not 1900 <= int(year) < 2100 or len(a) > 2 or len(b) > 2:
        return False
    a_, b_ = int(a), int(b)
    return (1 <= a_ <= 12 and 1 <= b_ <= 31) or (1 <= b_ <= 12 and 1 <= a_ <= 31)


def _time_words() -> dict[str, Any]:
    return load(TIME_WORDS)


@cache
def _relative(lang: str) -> re.Pattern[str]:
    """"in {count} {unit}" as the language frames it (time_words.toml ``relative``)."""
    table = _time_words()["relative"][lang]
    gap, edge = writing(lang).gap, writing(lang).edge
    words = number_words(lang)
    count = rf"\d{{1,3}}|{_ZH_NUM}" if lang == "zh" else r"\d{1,3}" + (f"|{alternatives(words)}" if words else "")
    before = f"(?:{alternatives(table['before'])}){gap}" if table["before"] else ""
    after = f"{gap}(?:{alternatives(table['after'])})" if table["after"] else ""
    more = alternatives(table.get("and_half", ()))
    more_after_count, more_after_unit = (f"(?:{gap}(?P<more>{more}))?", f"(?:{gap}(?P<more2>{more}))?") if more \
        else ("", "")
    return re.compile(f"{edge[0]}{before}(?:(?P<half>{alternatives(table['half'])})|(?P<n>{count}){more_after_count})"
                      f"{gap}(?P<unit>{alternatives(table['units'])}){more_after_unit}{after}{edge[1]}")


def _from_now(found: re.Match[str], back: list[int], text: str, now: dt.datetime, lang: str) -> tuple[When, str]:
    unit = _time_words()["relative"][lang]["units"][found.group("unit")]
    halves = found.groupdict().get("more") or found.groupdict().get("more2")  # "an hour and a half", "一个半小时"
    minutes = unit // 2 if found.group("half") else (parse_count(found.group("n")) or 0) * unit + \
        (unit // 2 if halves else 0)
    at = now + dt.timedelta(minutes=minutes)
    start, end = back[found.start()], back[found.end()]
    rest = text[:start] + writing(lang).gap + text[end:]
    return When(at.date().isoformat(), at.strftime("%H:%M"), text[start:end]), \
        re.sub(r"\s+", " ", rest).strip()


@cache
def _named(lang: str) -> re.Pattern[str]:
    """A time of day by its name, with the words that may lead it (time_words.toml ``named``)."""
    table = _time_words()["named"][lang]
    gap, edge = writing(lang).gap, writing(lang).edge
    lead = f"(?:(?:{alternatives(table['lead'])}){gap})?" if table["lead"] else ""
    return re.compile(f"{edge[0]}{lead}(?P<name>{alternatives(table['times'])}){edge[1]}")


def _named_time(found: re.Match[str], lang: str) -> tuple[int, int]:
    hour, minute = _time_words()["named"][lang]["times"][found.group("name")].split(":")
    return int(hour), int(minute)
