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

from tandem.agent.clocks import (
    WEEKDAYS,
    ZH_NUM,
    clock_corrected,
    clock_said,
    named_said,
    named_time,
    on_clock,
    past_twelve,
    ruled_out_at_end,
    said_clock,
    says_part,
)
from tandem.agent.every import Every, every_said, rule
from tandem.agent.lang_id import likeliest, told
from tandem.agent.words import (
    MEASURE_WORDS,
    TIME_WORDS,
    alternatives,
    load,
    number_words,
    numeral_characters,
    parse_count,
)
from tandem.agent.writing import PAUSED, PAUSES, writing

__all__ = ["When", "dated", "detect_language", "extract_when", "parse_count", "parse_ordinal", "rules_out_today",
           "said_clock"]


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
    repeat: str | None = None  # days said to come back, as an iCalendar RRULE ("every day": "FREQ=DAILY"; every.rule)

    @property
    def iso(self) -> str:
        """"2026-11-29T20:00", or the bare date when no time was said."""
        return f"{self.date}T{self.time}" if self.time else self.date


_DAY = {  # a day with the preposition that leads it ("Karten *für morgen*", "*ab Montag*"): no other words' own;
    # {parts}: a part of the day said right after it ("Saturday evening", "Samstag abends", "周六晚上")
    "en": (rf"\b(?:(?:for|by|from|until) )?(?:(?P<day>{{ahead}}day after tomorrow|today|tonight|"
           rf"this (?:morning|afternoon|evening)|tomorrow(?: (?:{{parts}}))?|later|{{spans}})|"
           rf"(?:on |every )?(?P<later>{{before}})?(?P<next>next |this |coming )?"
           rf"(?P<wd>{'|'.join(WEEKDAYS['en'])})(?P<after>{{after}})?(?: (?:{{parts}}))?)"
           r"(?:{owning})?\b"),
    "de": (rf"\b(?:(?:für|fuer|ab|bis) )?(?:(?:am |jeden )?(?P<later>{{before}})"
           rf"(?P<wd2>{'|'.join(WEEKDAYS['de'])})(?: ?(?:{{parts}}))?|"
           rf"(?P<day>{{ahead}}übermorgen|uebermorgen|(?:heute?|morgen)(?: ?(?:{{parts}}))?|später|{{spans}})|"
           rf"(?:am |jeden )?(?P<next>nächsten |kommenden |diesen )?(?P<wd>{'|'.join(WEEKDAYS['de'])})"
           r"(?: ?(?:{parts}))?)\b"),
    "zh": (r"(?:(?:(?:每个?)?(?P<later>{before})?(?P<next>下个?|这个?|本)?(?:星期|周|礼拜)(?P<wd>[一二三四五六日天])|"
           r"(?P<day>{ahead}{spans}|今天|今晚|今早|明天|明晚|明早|后天|待会儿?|稍后))(?:{parts})?)"),
}


@cache
def _day(lang: str) -> re.Pattern[str]:
    """A day said in ``lang``, with the stretches of days time_words.toml lists (``spans``) and the endings that make
    it the owner of what follows (``owning``: "tomorrow's")."""
    owning = alternatives(_time_words().get("owning", {}).get(lang, ())) or "$^"  # "tomorrow*'s* dentist"
    later = _further(lang)
    ahead = alternatives(later["ahead"])
    said = {"{ahead}": f"{ahead}|" if ahead else "", "{spans}": alternatives(_spans(lang)) or "$^", "{owning}": owning,
            "{before}": alternatives(later["before"]) or "$^", "{after}": alternatives(later["after"]) or "$^",
            "{parts}": alternatives(_time_words().get("day_parts", {}).get(lang, ())) or "$^"}
    return re.compile(re.sub(r"\{(?:ahead|spans|owning|before|after|parts)\}", lambda m: said[m.group()], _DAY[lang]))


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


def _day_offset(match: re.Match[str], lang: str, today: dt.date) -> int:
    """Days from today to the day a match names ("morgen" 1, "next Monday" the coming Monday ...)."""
    groups = match.groupdict()
    if wd := groups.get("wd") or groups.get("wd2"):
        weekday = "日" if wd == "天" else wd
        target = WEEKDAYS[lang].index(weekday)
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


def extract_when(text: str, now: dt.datetime, lang: str | None = None,
                 region: str | None = None) -> tuple[When | None, str]:
    """The first date/time said in ``text`` (relative to ``now``), and ``text`` with those words cut out. ``region``
    (the user's, ISO 3166) orders a day and a month said in digits alone ("05/06"; time_words.toml ``date_order``).

    An hour up to 12 is read in the part of the day the words say ("tonight at 8", "heute Abend um 8", "晚上八点",
    "8 pm", "5 am"), else as the next time a 12-hour clock shows it, outside the night ("at 5" said at 14:00 is 17:00,
    "heute um 8" said at 15:00 20:00, "tomorrow at 5" 17:00; time_words.toml ``clock``; ``clocks``); "17:00" is as
    said. Days said to come back ("every day except Sunday", "除了周末每天") are their first day that is not left out
    (``every_day``)."""
    lang = lang or detect_language(text)
    if (every := every_said(text, lang)) is not None:
        return _first_of_every(text, every, now, lang, region)
    return _day_corrected(text, now, lang, region) or _when_said(text, now, lang, region)


def _day_corrected(text: str, now: dt.datetime, lang: str, region: str | None) -> tuple[When | None, str] | None:
    """A day (and its clock) ruled out and another said instead ("not today at 8 pm but tomorrow at 9 pm", "nicht heute
    um 20 Uhr, sondern morgen um 20 Uhr"; time_words.toml ``not_at``, ``corrects``): the time said instead, with the
    words of both cut (reread33: today was bought); no time when the words said instead say no day ("not today at 8
    but at 9": asked); None when no day is corrected so."""
    lowered, edge = text.lower(), writing(lang).edge
    words, instead = (alternatives(_time_words().get(key, {}).get(lang, ())) for key in ("not_at", "corrects"))
    if not words or not instead or len(lowered) != len(text):
        return None
    for ruled in re.finditer(f"{edge[0]}(?:{words}){edge[1]}\\s*", lowered):
        if _day(lang).match(lowered, ruled.end()) is None:
            continue
        for said in re.finditer(f"[\\s{PAUSES}]*{edge[0]}(?:{instead}){edge[1]}\\s*", lowered[ruled.end():]):
            at = ruled.end() + said.start()
            first, left = _when_said(text[ruled.end():at], now, lang, region)
            if first is None or left.strip(" ,，"):
                continue  # words between that are no time: no correction of it
            rest_start = ruled.end() + said.end()
            if not _says_a_day(text[rest_start:], now, lang, region):  # "not today at 8 but at 9": which day is
                clocked = clock_said(lowered[rest_start:], lang)[1] is not None  # meant is not said: asked
                return (None, text) if clocked else None  # "not today but now": no time said instead
            when, rest = _when_said(text[rest_start:], now, lang, region)
            head = text[:ruled.start()].rstrip()
            return when, re.sub(r"\s+", " ", f"{head}{writing(lang).gap}{rest}").strip()
    return None


def _first_of_every(text: str, every: Every, now: dt.datetime, lang: str,
                    region: str | None) -> tuple[When | None, str]:
    """The first day the words at ``every``'s spans say comes back that is not one of the weekdays they leave out, at
    the clock the rest of ``text`` says, read as on a day said ("every day except Sunday at 8" said on Saturday
    afternoon is Monday 08:00; when it says no clock, the day: "remind me every day except Sunday to ..." is asked its
    time), in the part of the day they say ("every morning at 10": 10:00), with their rule (``When.repeat``: up to the
    day "until" leads, ``_until_day``; "every day until Friday at 8" begins today), and ``text`` without those words;
    no day when they leave out every day."""
    if len(every.left_out) >= 7:
        return None, text
    begun = _start_day(text, every.spans, now, lang, region)  # "*from tomorrow* every evening at 9": its first day
    spans = sorted([*every.spans, *([begun[0]] if begun else [])])
    said, gap, whole = " ".join(text[start:end].strip(" ,，") for start, end in spans), writing(lang).gap, text
    for start, end in reversed(spans):
        text = text[:start] + gap + text[end:]
    last, untilless, phrase = _until_day(text, now, lang, region)
    if _says_a_day(untilless, now, lang, region):  # "tomorrow at 9 … the class I have every Monday": the day said wins
        return _when_said(whole, now, lang, region)
    now = dt.datetime.combine(begun[1], dt.time()) if begun and begun[1] > now.date() else now
    when, rest = _when_said(untilless, now, lang, region, every.left_out, every.part, repeat=True)
    if last is not None and when is not None and last < when.date:  # "jeden Montag … den Bericht bis Freitag abgeben":
        last, rest = None, re.sub(r"\s+", " ", rest.replace(_KEPT, phrase)).strip()  # the to-do's, kept
    rest = re.sub(r"\s+", " ", rest.replace(_KEPT, "")).strip()
    repeat = rule(every.left_out, last, every.interval, every.days_apart)
    if when is None:
        return When(_not_left_out(now.date(), every.left_out).isoformat(), None, said, None, repeat), \
            re.sub(r"\s+", " ", rest).strip()
    return When(when.date, when.time, f"{said} {when.text}", when.end, repeat), rest


def _says_a_day(text: str, now: dt.datetime, lang: str, region: str | None) -> bool:
    """Does ``text`` say a day or a date ("tomorrow", "am Freitag", "12月20日") of its own?"""
    lowered = _read(text, lang)[0]
    return _own_day(lowered, lang) is not None or _calendar(lowered, lang, now.date(), region) is not None


_KEPT = "\ue000"  # stands where "until" and its day were while the rest of a time is read: no time word holds it


def _until_day(text: str, now: dt.datetime, lang: str, region: str | None) -> tuple[str | None, str, str]:
    """The ISO date of the last day days said to come back come back on, where "until" leads a day ("every day *until
    Friday*"; time_words.toml ``every`` ``until``), ``text`` with ``_KEPT`` for those words, and the words; None,
    ``text`` and "" when none."""
    words = alternatives(_time_words().get("every", {}).get(lang, {}).get("until", ()))
    if not words:
        return None, text, ""
    lowered, edge = text.lower(), writing(lang).edge
    for lead in re.finditer(f"{edge[0]}(?:{words}){edge[1]}\\s*", lowered):
        day = _day(lang).match(lowered, lead.end()) or _ends(lang).match(lowered, lead.end())
        last = _when_said(text[day.start():day.end()], now, lang, region)[0] if day and day.re is not _ends(lang) \
            else _end_of(day.group(), lang, now.date()) if day else None
        if day is not None and last is not None and len(lowered) == len(text):
            gap = writing(lang).gap
            return last.date, f"{text[:lead.start()]}{gap}{_KEPT}{gap}{text[day.end():]}", text[lead.start():day.end()]
    return None, text, ""


@cache
def _ends(lang: str) -> re.Pattern[str]:
    """The words of ``lang`` that say the end of this month or week after "until" (time_words.toml ``every``
    ``ends``: "every day until *the end of the month*", "täglich bis *Monatsende*", "每天到*月底*")."""
    ends = alternatives(_time_words().get("every", {}).get(lang, {}).get("ends", {})) or "$^"
    return re.compile(f"(?:{ends}){writing(lang).edge[1]}")


def _end_of(said: str, lang: str, today: dt.date) -> When:
    """The last day of the month or week ``said`` ends (``_ends``), as a day said."""
    if _time_words()["every"][lang]["ends"][said] == "week":
        last = today + dt.timedelta(days=6 - today.weekday())
    else:
        last = dt.date(today.year + today.month // 12, today.month % 12 + 1, 1) - dt.timedelta(days=1)
    return When(last.isoformat(), None, said)


def _start_day(text: str, spans: tuple[tuple[int, int], ...], now: dt.datetime, lang: str,
               region: str | None) -> tuple[tuple[int, int], dt.date] | None:
    """Where ``text`` says the day the days said to come back at ``spans`` start on, with a word that leads it or
    follows it (time_words.toml ``every`` ``starting``: "*starting* Monday", "*ab* morgen", "*从*明天*开始*",
    "明天*起*"; reread31 M-9), and that day; None when it says none, or one a pause parts from them ("two tickets
    from tomorrow, every Saturday I visit my mum"). A range's last day is their last ("从明天到周五每天")."""
    table = _time_words().get("every", {}).get(lang, {})
    starting, lowered = table.get("starting", {}), text.lower()
    if not starting or len(lowered) != len(text):
        return None
    edge, space = writing(lang).edge, r"\s*" if writing(lang).spaced else ""
    led = [(lead.start(), _day(lang).match(lowered, lead.end())) for lead in
           re.finditer(f"{edge[0]}(?:{alternatives(starting['before'])}){edge[1]}{space}", lowered)]
    for start, day, words in [(at, day, "after") for at, day in led] + \
            [(day.start(), day, "alone") for day in _day(lang).finditer(lowered)]:
        follows = re.compile(f"{space}(?:{alternatives(starting.get(words, ())) or '$^'}){edge[1]}").match(
            lowered, day.end()) if day is not None else None
        if day is None or (words == "alone" and follows is None):
            continue  # "Monday" with no word that starts it
        end = follows.end() if follows else day.end()
        if any(a < end and start < b for a, b in spans) or \
                not any(not set(text[min(end, b):max(start, a)]) & set(PAUSES) for a, b in spans):
            continue
        said = _when_said(text[day.start():day.end()], now, lang, region)[0]
        if said is not None:
            return (start, end), dt.date.fromisoformat(said.date)
    return None


def _first_on_days(parsed: tuple[int, int, bool], heard: str, lang: str, now: dt.datetime,
                   left_out: frozenset[int]) -> dt.datetime:
    """The first time a clock said with days that come back is due: its hour read as on a day said, whatever the time
    is now ("every Monday at 9", "every day at 8": 09:00, 08:00, the earliest outside the night; "every evening at 9"
    21:00), on the first of those days from now on that is not left out."""
    probe_day = now.date() + dt.timedelta(days=14)  # a day said, far enough from now that now does not choose the hour
    probe = on_clock(*parsed, heard, lang, now, probe_day)
    shift, day = probe.date() - probe_day, now.date()  # a part that runs past midnight ("every night at 1")
    while (at := dt.datetime.combine(_not_left_out(day, left_out), probe.time()) + shift) < \
            now.replace(second=0, microsecond=0):
        day = _not_left_out(day, left_out) + dt.timedelta(days=1)
    return at


def _not_left_out(date: dt.date, left_out: frozenset[int]) -> dt.date:
    """The first day from ``date`` on whose weekday is not one of ``left_out`` (they leave out fewer than seven)."""
    while date.weekday() in left_out:
        date += dt.timedelta(days=1)
    return date


def _when_said(text: str, now: dt.datetime, lang: str, region: str | None, left_out: frozenset[int] = frozenset(),
               part: str = "", repeat: bool = False) -> tuple[When | None, str]:
    """``extract_when`` of a text that says no days coming back; on none of the weekdays ``left_out`` (the days said to
    come back leave them out: ``_first_of_every``), a clock in the ``part`` of the day they say ("every *evening*"),
    read as they say it (``repeat``: ``_first_on_days``)."""
    lowered, back = _read(text, lang)  # "tmrw" read as "tomorrow"; back: where each place of it stands in text
    calendar = _calendar(lowered, lang, now.date(), region)  # "on December 20", "am 20.12.", "3月3日"
    day = None if calendar else _own_day(lowered, lang)
    clock, parsed = clock_said(lowered, lang)
    named = named_said(lang).search(lowered) if parsed is None and lang in _time_words()["named"] else None
    if named is not None:  # "at noon", "um Mitternacht": a time of day by its name
        clock, parsed = named, (*named_time(named, lang), False)
    if day is not None and clock is not None and parsed is not None and _apart(lowered, day, clock):
        day = next((d for d in _day(lang).finditer(lowered) if not _apart(lowered, d, clock)
                    and not _is_ruled_out(d, lowered, lang)), day)  # "the meeting is on Monday, remind me tomorrow
        # at 9": the day said in the clock's own clause (review32 R32-7)
    ruled = None  # the words that rule out a clock a correction says another instead of, cut with the time
    if clock is not None and parsed is not None:
        corrected = clock_corrected(lowered, clock, parsed, lang)
        if corrected is None:  # "不要晚上八点那场", "but not the 8 pm show": no time, asked (review32 R32-11)
            return None, text
        first, (clock, parsed, ruled) = parsed, corrected
    if day is None and calendar is None and parsed is None and _day(lang).search(lowered):  # only a day ruled out:
        return None, text  # "two tickets for Dune but not on Friday" is asked its day, never bought for Friday
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
    if ruled is not None:
        spans = _merged([*spans, (back[ruled[0]], back[ruled[1]])])
    span = _span_days(day.group("day"), lang, now.date()) if day and day.group("day") else None
    offset = (calendar[1] - now.date()).days if calendar else span[0] if span else \
        _day_offset(day, lang, now.date()) if day else 0
    dayed = day is not None or calendar is not None
    date = _not_left_out(now.date() + dt.timedelta(days=offset), left_out)
    clock_text = ""
    if parsed is not None:
        heard = f"{heard}{writing(lang).gap}{part}" if part else heard
        if ruled is not None and not says_part(heard, lang) and not past_twelve(first, parsed):  # "not at 8 pm but
            heard = f"{heard}{writing(lang).gap}{lowered[ruled[0]:ruled[1]]}"  # at 9": the part said with the first
        at = on_clock(*parsed, heard, lang, now, date if dayed else None) if dayed or not repeat else \
            _first_on_days(parsed, heard, lang, now, left_out)
        if at.weekday() in left_out:  # its next time is on a day left out: on the first one after, as a day said
            at = on_clock(*parsed, heard, lang, now, _not_left_out(at.date(), left_out))
        if not dayed and at.weekday() in _ruled_weekdays(lowered, lang, now.date()):  # "at 8 … but not on Monday"
            return None, text  # said on a Monday: asked, never bought for the day ruled out (nor moved: H-4)
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


def _own_day(lowered: str, lang: str) -> re.Match[str] | None:
    """The first day ``lowered`` says that no word rules out (time_words.toml ``not_on``: "remind me at 8 to call Anna
    *but not on* Sunday" is not on Sunday, review31 R31-3; a day said of its own is read as said: reread31 H-4). A
    text that says only days ruled out says no time (``_when_said``: asked, reread32 H-2)."""
    return next((day for day in _day(lang).finditer(lowered) if not _is_ruled_out(day, lowered, lang)), None)


def _apart(lowered: str, one: re.Match[str], other: re.Match[str]) -> bool:
    """Does a pause part the words of ``one`` from those of ``other`` (they are said in clauses of their own)?"""
    start, end = min(one.end(), other.end()), max(one.start(), other.start())
    return bool(set(lowered[start:end]) & set(PAUSES))


def _is_ruled_out(day: re.Match[str], lowered: str, lang: str) -> bool:
    """Is the day ``day`` led by a word that rules it out ("*but not on* Sunday", "*aber nicht am* Sonntag")?"""
    ruled_out = ruled_out_at_end(lang)
    return ruled_out is not None and any(ruled_out.search(lowered, 0, at) for at in (
        day.start(), *(day.start(wd) for wd in ("wd", "wd2") if day.groupdict().get(wd))))


def _ruled_weekdays(lowered: str, lang: str, today: dt.date) -> set[int]:
    """The weekdays of the days ``lowered`` rules out."""
    return {(today + dt.timedelta(days=_day_offset(day, lang, today))).weekday()
            for day in _day(lang).finditer(lowered) if _is_ruled_out(day, lowered, lang)}


def rules_out_today(text: str, lang: str, today: dt.date) -> bool:
    """Does ``text`` rule out today, by its name or its weekday ("…, but not today", "aber nicht heute", "不要今天的",
    "but not on Monday" said on a Monday)? An act with no time of its own is then not wanted now (reread32 H-2)."""
    return today.weekday() in _ruled_weekdays(text.casefold(), lang, today)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` in order, those that overlap or touch made one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


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
    typed, beside = _typed(lang), _typed_beside(lang)
    found = [(m.start(), m.end(), _time_words()["typed"][lang][m.group()])
             for m in (typed.finditer(lowered) if typed is not None else ())]
    if beside is not None:
        forms = _time_words()["typed_beside"][lang]["forms"]
        found += [(m.start(k), m.end(k), forms[m.group(k)]) for m in beside.finditer(lowered) for k in (1, 2)
                  if m.group(k)]
    return sorted(found)


@cache
def _typed_beside(lang: str) -> re.Pattern[str] | None:
    """The typed forms of ``lang`` that are words or names too (time_words.toml ``typed_beside``), where they stand
    beside what says a time: after a word that leads a day (group 1) or before a clock's digits or a part of the day
    (group 2); None: none listed."""
    beside = _time_words().get("typed_beside", {}).get(lang, {})
    forms = alternatives(beside.get("forms", {}))
    if not forms:
        return None
    after = alternatives(beside.get("after", ())) or "$^"
    before = alternatives(beside.get("before", ())) or "$^"
    return re.compile(rf"\b(?:{before}) ({forms})\b|(?<![\w'’])({forms})(?= (?:\d|(?:{after})\b))")


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
    if not shows or clock_said(text[start:end].lower(), lang)[0] is None:
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
    count = rf"\d{{1,3}}|{ZH_NUM}" if lang == "zh" else r"\d{1,3}" + (f"|{alternatives(words)}" if words else "")
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
