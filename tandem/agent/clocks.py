"""Clocks said in a request ("at 8", "um halb sechs", "晚上七点四十五", "ten to nine", "at noon") and where in the day
they fall: the hour and minute a clock's words say, and the day and half of the day they are on, from the part of the
day said with them or the next time a 12-hour clock shows them; a clock ruled out and the one a correction says instead
("not at 8 pm but at 9 pm": ``clock_corrected``) (``slots.extract_when`` reads the rest of a time:
days, dates, times from now). The words are language data (time_words.toml ``clock``, ``parts``, ``named``).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import Any

from tandem.agent.words import (
    MEASURE_WORDS,
    TIME_WORDS,
    alternatives,
    load,
    number_words,
    numeral_characters,
    numeral_run,
    parse_count,
)
from tandem.agent.writing import PAUSES, writing
from tandem.privacy.dictionaries import stop_words

__all__ = ["CORRECTED_APART", "WEEKDAYS", "ZH_NUM", "clock_corrected", "clock_said", "named_said", "named_time",
           "on_clock", "past_twelve", "ruled_out_at_end", "said_clock", "says_part"]


def _time_words() -> dict[str, Any]:
    return load(TIME_WORDS)


ZH_NUM = f"(?:\\d{{1,3}}|[{numeral_characters('zh')}]{{1,3}})"  # digits or numerals, not both ("周三11点": 11)

WEEKDAYS = {
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    "de": ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag"),
    "zh": ("一", "二", "三", "四", "五", "六", "日"),
}
_TIME = {  # {hours}: an hour said as a word, {words}: minutes said after one, {towards}: minutes past or to one
    "en": (r"{before}(?:\b(?:at )?{towards} (?P<h5>\d{1,2}|{hours})"
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
             "dir": towards, "unit": unit, "numerals": numeral_characters(lang), "zh": ZH_NUM,
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


def clock_said(text: str, lang: str, pos: int = 0) -> tuple[re.Match[str] | None, tuple[int, int, bool] | None]:
    """The first clock ``text`` says (from ``pos`` on) and its hour, minute and whether a 12-hour clock's; a reading
    that is no clock gives way to one that starts later in the same words ("周五十点": not 50 o'clock but 10)."""
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
    found: set[str] = set(WEEKDAYS.get(lang, ()))

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
    found, _ = clock_said(text.lower(), lang)
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
    found += [(len(word), tuple(part["hours"])) for part in _time_words().get("parts", {}).get(lang, ())
              for word in (*part["words"], *part.get("joined", ())) if _joined(said, word, lang)]
    return max(found)[1] if found else None


def says_part(said: str, lang: str) -> bool:
    """Do the words ``said`` name a part of the day (time_words.toml ``parts``: "8 *pm*", "*晚上*八点", "um 8
    *abends*")?"""
    return _part(said.lower(), lang) is not None


def _joined(said: str, word: str, lang: str) -> bool:
    """Does ``said`` write ``word`` on to a weekday ("Freitag*abend*", "Sonntag*morgen*"; time_words.toml ``parts``
    ``joined``: a word said so only), where the language's weekdays are written so (``clock`` ``joins_parts``)?"""
    if not _time_words()["clock"].get(lang, {}).get("joins_parts"):
        return False
    days = "|".join(WEEKDAYS[lang])
    return re.search(rf"(?<![^\W\d_])(?:{days}){re.escape(word)}(?![^\W\d_])", said) is not None


def _names(said: str, word: str, lang: str) -> bool:
    """Does ``said`` say ``word`` (outside Chinese as a word of its own: "8pm" says "pm", "tonight" no "night")?"""
    if not writing(lang).spaced:
        return word in said
    return re.search(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", said) is not None


def _within(hour: int, hours: tuple[int, int]) -> bool:
    first, last = hours
    return first <= hour <= last if first <= last else hour >= first or hour <= last


def on_clock(hour: int, minute: int, twelve: bool, said: str, lang: str, now: dt.datetime,
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


@cache
def named_said(lang: str) -> re.Pattern[str]:
    """A time of day by its name, with the words that may lead it (time_words.toml ``named``)."""
    table = _time_words()["named"][lang]
    gap, edge = writing(lang).gap, writing(lang).edge
    lead = f"(?:(?:{alternatives(table['lead'])}){gap})?" if table["lead"] else ""
    return re.compile(f"{edge[0]}{lead}(?P<name>{alternatives(table['times'])}){edge[1]}")


def named_time(found: re.Match[str], lang: str) -> tuple[int, int]:
    hour, minute = _time_words()["named"][lang]["times"][found.group("name")].split(":")
    return int(hour), int(minute)


def clock_corrected(lowered: str, clock: re.Match[str], parsed: tuple[int, int, bool], lang: str) -> \
        tuple[re.Match[str], tuple[int, int, bool], tuple[int, int] | None] | None:
    """The clock to read for ``clock`` and its reading: itself, or the clock a correction says instead, with where the
    words that rule out the first begin and the second's start ("not at 8 pm but at 9 pm": 21:00 on the day said,
    review32 R32-11; review-lead32 H-1); None when a word of ``not_on`` rules it out and none is said instead ("不要晚上
    八点那场", "but not the 8 pm show": no time)."""
    ruled = _ruled_clock(lowered, clock.start(), lang)
    instead = _instead(lowered, clock, lang) if ruled is not None else None
    if ruled is None or instead is None:
        return None if ruled is not None and ruled[1] else (clock, parsed, None)
    if _apart_minutes(parsed, instead[1]) < CORRECTED_APART:  # "not at 8 pm but at 7:45": a showing near the one
        return None  # said instead may be the one ruled out (skills picks the nearest): asked (reread33 H-1)
    return instead[0], instead[1], (ruled[0], instead[0].start())


CORRECTED_APART = 60  # minutes on a 12-hour dial a clock said instead must be from the one ruled out to be read: a
# showing picked for it (skills: up to 45 minutes after it, 30 before) is then never the one ruled out


def past_twelve(one: tuple[int, int, bool], other: tuple[int, int, bool]) -> bool:
    """Does the short way from one clock to the other on a 12-hour dial pass 12 ("11 am" to "1": the part of the day
    said with the first is not the second's; "8 pm" to "9" it is)?"""
    a, b = (one[0] * 60 + one[1]) % 720, (other[0] * 60 + other[1]) % 720
    return b < a if (b - a) % 720 <= 360 else b > a


def _apart_minutes(one: tuple[int, int, bool], other: tuple[int, int, bool]) -> int:
    """How far apart two clocks' hour and minute are on a 12-hour dial ("8 pm" and "7:45": 15)."""
    apart = abs((one[0] * 60 + one[1]) % 720 - (other[0] * 60 + other[1]) % 720)
    return min(apart, 720 - apart)


def _ruled_clock(lowered: str, start: int, lang: str) -> tuple[int, bool] | None:
    """Where the words begin that rule out the clock said from ``start`` on, maybe with an article between ("but not
    *the* 8 pm show", "aber nicht *die* um 20 Uhr", "不要晚上八点那场"; time_words.toml ``ruled_articles``), and
    whether they rule it out alone (``not_on``; ``not_at``'s only with a correction: ``_instead``); None: none do."""
    before = lowered[:start]
    articles = alternatives(_time_words().get("ruled_articles", {}).get(lang, ()))
    if articles and writing(lang).spaced:
        before = re.sub(rf"\b(?:{articles})\s*$", "", before)
    return next(((found.start(), key == "not_on") for key in ("not_on", "not_at")
                 if (ruled := ruled_out_at_end(lang, key)) is not None and (found := ruled.search(before)) is not None),
                None)


@cache
def ruled_out_at_end(lang: str, key: str = "not_on") -> re.Pattern[str] | None:
    """The words of ``lang`` that rule out the day (``not_on``) or the clock (``not_at``) said right after them, at the
    end of the text searched."""
    words = alternatives(_time_words().get(key, {}).get(lang, ()))
    edge, space = writing(lang).edge, r"\s*" if writing(lang).spaced else ""
    return re.compile(f"{edge[0]}(?:{words}){edge[1]}{space}$") if words else None


def _instead(lowered: str, ruled: re.Match[str], lang: str) -> tuple[re.Match[str], tuple[int, int, bool]] | None:
    """The clock a correction says right after the clock ``ruled`` out, and its reading: led by a word of
    time_words.toml ``corrects`` or a pause ("not at 8 pm *but at 9 pm*", "nicht um 20 Uhr *sondern um 21 Uhr*",
    "不是八点*是九点*", "不要八点的，*要九点*", "nicht 20 Uhr*, 21 Uhr*"); None when none follows."""
    clock, parsed = clock_said(lowered, lang, ruled.end())
    between = _correcting(lang).fullmatch(lowered, ruled.end(), clock.start()) if clock is not None else None
    if clock is None or parsed is None or between is None or not (between.group("pause") or between.group("word")):
        return None
    return clock, parsed


@cache
def _correcting(lang: str) -> re.Pattern[str]:
    """The words between a clock ruled out and the clock a correction says instead (``_instead``): the words that tie
    the first to its showing ("八点*的*", "the 8 pm *show*"), a pause, a word of ``corrects`` and an article."""
    table, edge = _time_words(), writing(lang).edge
    joins = table.get("joins", {}).get(lang, {})
    ties = alternatives([*joins.get("after", ()), *joins.get("shows", {}).get("words", ())]) or "$^"
    words = alternatives(table.get("corrects", {}).get(lang, ())) or "$^"
    articles = alternatives(table.get("ruled_articles", {}).get(lang, ())) or "$^"
    space = r"\s*"
    return re.compile(f"{space}(?:(?:{ties}){edge[1]}{space})?(?P<pause>[{PAUSES}]?){space}"
                      f"(?:(?P<word>{words}){edge[1]}{space})?(?:(?:{articles}){edge[1]}{space})?")
