"""Days said to come back (time_words.toml ``every``): "every day except Sunday", "jeden Tag außer am Wochenende",
"除了周末每天", "every weekday". ``extract_when`` reads the first day they say that is not left out, and the rule they
say (``rule``: an iCalendar RRULE, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA"), which a partner that holds one takes (the
office partner's reminders: review30 R30-9).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from tandem.agent.words import (
    TIME_WORDS,
    alternatives,
    load,
    number_words,
    numeral_characters,
    numeral_run,
    parse_count,
)
from tandem.agent.writing import PAUSES, writing

__all__ = ["BYDAY", "Every", "every_day", "every_said", "repeat_unread", "rule"]

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # iCalendar's weekdays, Monday first


@dataclass(frozen=True)
class Every:
    """Days said to come back, as ``every_said`` reads them."""

    spans: tuple[tuple[int, int], ...]  # where its words stand, in order (the days left out apart from them too)
    left_out: frozenset[int]  # the weekdays it does not come back on (0 Monday … 6 Sunday)
    part: str = ""  # the part of the day its words say, to read a clock in ("every *evening* at 9": 21:00)
    interval: int = 1  # every so many weeks ("every *other* Monday": 2)
    days_apart: int = 1  # every so many days ("every *other day*", "alle 3 Tage", "每两天": 2, 3, 2)


def every_day(text: str, lang: str) -> tuple[tuple[int, int], frozenset[int]] | None:
    """Where ``text`` says that something comes back each day, with the days it leaves out said right before or after
    it ("*except Sunday*", "*除了周末*"), and the weekdays left out (0 Monday … 6 Sunday); None when it says none."""
    said, patterns = every_said(text, lang), _patterns(lang)
    if said is None or patterns is None or (daily := patterns.daily.search(text)) is None:
        return None
    return next(span for span in said.spans if span[0] <= daily.start() < span[1]), said.left_out


def every_said(text: str, lang: str) -> Every | None:
    """``every_day``, with the days left out said to open the sentence ("*except on Sunday,* remind me every day") or
    after a pause to close it ("每天早上七点提醒我吃药*，周日除外*"), a range of weekdays said right before or after it
    ("周一到周五每天", "every day from Monday to Friday": the others left out, reread31 M-8), or the weekdays said to
    come back each week ("every Monday and Thursday", "jedes Wochenende", "每周一和周四": ``_weekly``); None when it
    says no days coming back."""
    said = _patterns(lang)
    if said is None:
        return None
    found = said.daily.search(text)
    if found is None:
        return _weekly(text, lang)
    table = _table(lang)
    start, end = found.span()
    word = found.group().casefold()
    adverbs = {w.casefold(): days for w, days in table.get("adverbs", {}).get("words", {}).items()}
    left_out = set(table["daily"].get(word, adverbs.get(word, ())))
    part = table.get("parts", {}).get(word, "")
    apart = _days_apart(found.group("apart"), lang) if found.group("apart") else 1
    opening: list[tuple[int, int]] = []
    if (ranged := said.range_before.search(text, 0, start)) is not None:
        start, left_out = ranged.start(), left_out | _outside(ranged, lang)
    elif (ranged := said.range_after.match(text, end)) is not None:
        end, left_out = ranged.end(), left_out | _outside(ranged, lang)
    elif (ranged := said.range_opening.match(text, 0, start)) is not None:  # "von Montag bis Freitag erinnere mich
        opening, left_out = [ranged.span()], left_out | _outside(ranged, lang)  # jeden Tag"
    if (ahead := said.before.search(text, 0, start)) is not None:
        start, left_out = ahead.start(), left_out | _weekdays(ahead.group("days"), lang)
    if (behind := said.after.match(text, end)) is not None:
        end, left_out = behind.end(), left_out | _weekdays(behind.group("days") or behind.group("alone"), lang)
    opened = said.opening.match(text, 0, start) if ahead is None and not opening else None
    if opened is not None:
        opening, left_out = [opened.span()], left_out | _weekdays(opened.group("days"), lang)
    closed = said.closing.search(text, end) if behind is None else None
    if closed is None and behind is None and (later := said.after_clause.search(text, end)) is not None and \
            not set(text[end:later.start()]) & set(PAUSES):  # "every day at 9 to read *except on Sunday*"
        closed = later
    if closed is not None:
        left_out |= _weekdays(closed.group("days") or closed.group("alone"), lang)
    spans = (*opening, (start, end), *([closed.span()] if closed else []))
    return Every(spans, frozenset(left_out), part, days_apart=apart)


def _days_apart(said: str, lang: str) -> int:
    """How many days apart the words ``said`` say a day comes back (time_words.toml ``every`` ``apart``: "every other
    day" 2, "every 3 days" 3, "每隔两天" 3)."""
    apart = _table(lang)["apart"]
    words = {w.casefold(): int(n) for w, n in apart.get("words", {}).items()}
    if said.casefold() in words:
        return words[said.casefold()]
    for counted in apart.get("counted", ()):
        found = re.fullmatch(_counted(counted["said"], lang), said, re.IGNORECASE)
        if found is not None and (n := parse_count(found.group("n"))):
            return n + int(counted.get("more", 0))
    return 1


def _counted(said: str, lang: str, name: str | None = "n") -> str:
    """``said`` with its count ({n}: digits, a number word, numerals) as a pattern, the count in the group ``name``
    (None: in no group)."""
    words = alternatives(w for w in number_words(lang) if " " not in w) or "$^"
    run = numeral_run(lang)
    count = rf"\d{{1,2}}|{words}" + (f"|{run}" if run else "")
    group = f"?P<{name}>" if name else "?:"
    return re.escape(said).replace(re.escape("{n}"), f"({group}{count})")


def _weekly(text: str, lang: str) -> Every | None:
    """The weekdays ``text`` says come back each week, after a word that says so (time_words.toml ``every``
    ``weekly``: "*every* Monday and Thursday", "*jedes* Wochenende", "*每*周一和周四") or alone (``weekly_alone``: "on
    Mondays", "montags"); None when it says none."""
    said = _patterns(lang)
    found = said.weekly.search(text) if said is not None else None
    if found is None:
        return None
    days = _weekdays(found.group("days") or found.group("alone"), lang)
    if days and found.group("last"):  # "every Monday to Friday", "jeden Montag bis Freitag", "每周一到周五"
        first, last = min(days), max(_weekdays(found.group("last"), lang), default=min(days))
        days = _between(first, last)
    other = {word.casefold(): int(n) for word, n in _table(lang).get("other", {}).items()}
    interval = other.get(found.group("other").casefold(), 1) if found.group("other") else 1
    return Every((found.span(),), frozenset(range(7)) - days, interval=interval) if days else None


def _outside(ranged: re.Match[str], lang: str) -> set[int]:
    """The weekdays outside a range said from its ``first`` to its ``last`` day ("Monday to Friday": the weekend)."""
    first, last = (min(_weekdays(ranged.group(key), lang), default=0) for key in ("first", "last"))
    return set(range(7)) - _between(first, last)


def _between(first: int, last: int) -> set[int]:
    """The weekdays from ``first`` to ``last`` (over the weekend when ``last`` comes first: "Friday to Monday")."""
    return {(first + n) % 7 for n in range((last - first) % 7 + 1)}


def rule(left_out: frozenset[int], until: str | None = None, interval: int = 1, days_apart: int = 1) -> str:
    """The iCalendar RRULE of days that come back on all weekdays but ``left_out``, every ``interval`` weeks (or
    every ``days_apart`` days: "FREQ=DAILY;INTERVAL=2"), up to the ISO date ``until`` (its end:
    "FREQ=DAILY;UNTIL=20261211T235959", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO")."""
    every = f";INTERVAL={interval}" if interval > 1 else ""
    if days_apart > 1:  # "every other day", whatever the weekday
        said = f"FREQ=DAILY;INTERVAL={days_apart}"
    elif not left_out and not every:
        said = "FREQ=DAILY"
    else:
        said = f"FREQ=WEEKLY{every};BYDAY=" + ",".join(day for n, day in enumerate(BYDAY) if n not in left_out)
    return said + (f";UNTIL={until.replace('-', '')}T235959" if until else "")


def _table(lang: str) -> dict[str, Any]:
    return load(TIME_WORDS).get("every", {}).get(lang, {})


@dataclass(frozen=True)
class _Said:
    """The patterns of the words of one language that say days come back (time_words.toml ``every``)."""

    daily: re.Pattern[str]  # the words that say each day or a part of each day ("every day", "jeden Abend", "每晚")
    before: re.Pattern[str]  # the days left out said right before them ("除了周末每天"), up to where it is searched
    after: re.Pattern[str]  # ... right after them ("every day except Sunday", "每天（周日除外）")
    opening: re.Pattern[str]  # ... opening the sentence ("except on Sunday, remind me every day")
    closing: re.Pattern[str]  # ... closing it after a pause ("…，周日除外")
    after_clause: re.Pattern[str]  # ... later in their clause ("every day at 9 to read except on Sundays")
    weekly: re.Pattern[str]  # weekdays said to come back each week ("every Monday and Thursday", "每周一到周五")
    range_before: re.Pattern[str]  # a range of weekdays right before the daily words ("周一到周五每天")
    range_after: re.Pattern[str]  # ... right after them ("every day from Monday to Friday")
    range_opening: re.Pattern[str]  # ... opening the sentence ("from Monday to Friday, remind me every day")


@cache
def _patterns(lang: str) -> _Said | None:
    """The words of ``lang`` that say each day, and the days left out said right before them, right after them, to
    open the sentence and after a pause to close it, as patterns; None for a language that lists none."""
    table = _table(lang)
    if not table.get("daily"):
        return None
    edge, space = writing(lang).edge, r"\s*" if writing(lang).spaced else r"\s?"
    days = f"(?:{alternatives(table['days'])})"
    days = f"{days}(?:{space}(?:{alternatives(table['and']) or '$^'}){space}{days})*"
    closing = f"(?:{space}(?:{alternatives(table['closing'])}))?" if table.get("closing") else ""
    left_out = f"{edge[0]}(?:{alternatives(table['except'])}){space}(?P<days>{days}){closing}{edge[1]}"
    alone = f"[（(]?(?P<alone>{days}){space}(?:{alternatives(table.get('closing_alone', ())) or '$^'})[）)]?"
    flags = re.IGNORECASE
    joined = f"(?:{space}(?:{alternatives(table['and']) or '$^'}){space}(?:{days}))*"
    one = f"(?:{alternatives(table['days'])})"
    to = f"{space}(?:{alternatives(table.get('range', ())) or '$^'}){space}"
    ranged = f"(?:{to}(?P<last>{one}))?"
    other = f"(?P<other>{alternatives(table.get('other', {})) or '$^'})"
    weekly = f"(?:{other}|{alternatives(table.get('weekly', ())) or '$^'}){space}(?P<days>{days}){ranged}"
    after_days = "".join(f"(?<!{re.escape(word[0])}(?={re.escape(word[1:])}))" for word in table.get("not_across", ()))
    plain = f"(?P<alone>(?:{alternatives(table.get('weekly_alone', ())) or '$^'}){joined})"
    lead = f"(?:(?:{alternatives(table.get('from', ())) or '$^'}){space})?"
    weekdays = f"{edge[0]}{lead}(?P<first>{one}){to}(?P<last>{one}){edge[1]}{after_days}"
    return _Said(daily=re.compile(f"{edge[0]}(?:{alternatives([*table['daily'], *table.get('parts', {})])}|"
                                  f"{_apart(lang)}|{_adverbs(lang)}){edge[1]}", flags),
                 before=re.compile(f"{left_out}[\\s,，]*$", flags),
                 after=re.compile(f"[\\s,，]*(?:{left_out}|{alone})", flags),
                 opening=re.compile(f"\\s*{left_out}[\\s,，]+", flags),
                 closing=re.compile(f"\\s*[,，;；]\\s*(?:{left_out}|{alone})[\\s.!。！]*$", flags),
                 after_clause=re.compile(f"\\s*{left_out}", flags),
                 weekly=re.compile(f"{edge[0]}(?:{weekly}|{plain}){edge[1]}{after_days}", flags),
                 range_before=re.compile(f"{weekdays}[\\s,，]*$", flags),
                 range_after=re.compile(f"[\\s,，]*{weekdays}", flags),
                 range_opening=re.compile(f"\\s*{weekdays}[\\s,，]+", flags))


def repeat_unread(text: str, lang: str) -> str | None:
    """The words of ``text`` that say something comes back in a way no rule is read of (time_words.toml ``every``
    ``unread``: "every 2 hours", "twice a day", "alle zwei Stunden", "每小时", "remind me monthly"), as said, outside
    those ``every_said`` reads; None when it says none. A reminder said so is no one-off to set silently: its answer
    says the words were not understood (review-lead32 L-2)."""
    unread = _unread(lang)
    found = unread.search(text) if unread is not None else None
    read = every_said(text, lang)
    if found is None or (read is not None and any(a <= found.start() < b for a, b in read.spans)):
        return None
    return found.group()


@cache
def _unread(lang: str) -> re.Pattern[str] | None:
    """``repeat_unread``'s words of ``lang`` as a pattern; None: it lists none."""
    unread, edge = _table(lang).get("unread", {}), writing(lang).edge
    said = [_counted(s, lang, None) for s in sorted(unread.get("said", ()), key=len, reverse=True)]
    adverbs = _adverbs(lang, unread.get("adverbs", ()))
    if not said and adverbs == "$^":
        return None
    numerals = numeral_characters(lang)  # "每小时80块": a price by the hour, nothing that comes back
    return re.compile(f"{edge[0]}(?:{'|'.join(said) or '$^'}|{adverbs}){edge[1]}(?!\\s*[\\d{numerals}])",
                      re.IGNORECASE)


def _apart(lang: str) -> str:
    """The words of ``lang`` that say a day comes back every so many days (time_words.toml ``every`` ``apart``), as the
    group ``apart`` of a pattern."""
    apart = _table(lang).get("apart", {})
    said = [alternatives(apart.get("words", {})), *(_counted(c["said"], lang, None) for c in apart.get("counted", ()))]
    return f"(?P<apart>{'|'.join(s for s in said if s) or '$^'})"


def _adverbs(lang: str, said: Any = None) -> str:
    """The words of ``lang`` that say each day where no thing they describe follows (time_words.toml ``every``
    ``adverbs``: "remind me *daily* at 8", not "the daily standup"; or the words ``said``, read so), as a pattern."""
    adverbs = _table(lang).get("adverbs", {})
    words = alternatives(adverbs.get("words", {}) if said is None else said)
    after = alternatives(adverbs.get("next", ())) or "$^"
    edge = writing(lang).edge
    return f"(?:{words})(?=\\s*(?:(?:{after}){edge[1]}|[{PAUSES}.!?。！？]|$))" if words else "$^"


def _weekdays(said: str, lang: str) -> set[int]:
    """The weekdays the days ``said`` name."""
    days = {k.casefold(): v for k, v in _table(lang)["days"].items()}
    edge = writing(lang).edge
    return {d for found in re.finditer(f"{edge[0]}(?:{alternatives(days)}){edge[1]}", said, re.IGNORECASE)
            for d in days[found.group().casefold()]}
