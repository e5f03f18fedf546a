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

from tandem.agent.words import TIME_WORDS, alternatives, load
from tandem.agent.writing import PAUSES, writing

__all__ = ["BYDAY", "Every", "every_day", "every_said", "rule"]

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # iCalendar's weekdays, Monday first


@dataclass(frozen=True)
class Every:
    """Days said to come back, as ``every_said`` reads them."""

    spans: tuple[tuple[int, int], ...]  # where its words stand, in order (the days left out apart from them too)
    left_out: frozenset[int]  # the weekdays it does not come back on (0 Monday … 6 Sunday)
    part: str = ""  # the part of the day its words say, to read a clock in ("every *evening* at 9": 21:00)
    interval: int = 1  # every so many weeks ("every *other* Monday": 2)


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
    left_out, part = set(table["daily"].get(word, ())), table.get("parts", {}).get(word, "")
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
    return Every(spans, frozenset(left_out), part)


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


def rule(left_out: frozenset[int], until: str | None = None, interval: int = 1) -> str:
    """The iCalendar RRULE of days that come back on all weekdays but ``left_out``, every ``interval`` weeks, up to
    the ISO date ``until`` (its end: "FREQ=DAILY;UNTIL=20261211T235959", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO")."""
    every = f";INTERVAL={interval}" if interval > 1 else ""
    said = "FREQ=DAILY" if not left_out and not every else \
        f"FREQ=WEEKLY{every};BYDAY=" + ",".join(day for n, day in enumerate(BYDAY) if n not in left_out)
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
    return _Said(daily=re.compile(f"{edge[0]}(?:{alternatives([*table['daily'], *table.get('parts', {})])}){edge[1]}",
                                  flags),
                 before=re.compile(f"{left_out}[\\s,，]*$", flags),
                 after=re.compile(f"[\\s,，]*(?:{left_out}|{alone})", flags),
                 opening=re.compile(f"\\s*{left_out}[\\s,，]+", flags),
                 closing=re.compile(f"\\s*[,，;；]\\s*(?:{left_out}|{alone})[\\s.!。！]*$", flags),
                 after_clause=re.compile(f"\\s*{left_out}", flags),
                 weekly=re.compile(f"{edge[0]}(?:{weekly}|{plain}){edge[1]}{after_days}", flags),
                 range_before=re.compile(f"{weekdays}[\\s,，]*$", flags),
                 range_after=re.compile(f"[\\s,，]*{weekdays}", flags),
                 range_opening=re.compile(f"\\s*{weekdays}[\\s,，]+", flags))


def _weekdays(said: str, lang: str) -> set[int]:
    """The weekdays the days ``said`` name."""
    days = {k.casefold(): v for k, v in _table(lang)["days"].items()}
    edge = writing(lang).edge
    return {d for found in re.finditer(f"{edge[0]}(?:{alternatives(days)}){edge[1]}", said, re.IGNORECASE)
            for d in days[found.group().casefold()]}
