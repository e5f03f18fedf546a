"""Posters, flyers and tickets as the context of a request: "book two tickets for this" + a photo.

``read_poster`` turns the lines OCR read from an image (text and line height) into what a ticket request
needs: the event's title (the largest line that is not a date, time or price), the date and time printed
on it (en/de/zh formats: "Sat 12 Dec 2026 20:00", "Samstag, 12. Dezember 2026, 20 Uhr", "12.12.2026",
"2026年12月12日 晚上8点", ISO) and the venue (the remaining lines). ``apply_poster`` fills the request's
missing or pointing slots ("this", "diesen Film", "这部") with them. The title and venue are not trusted
as names: the skill matches them against the partner's own catalog, exactly as it matches typed words,
and what it finds is what the user confirms.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tandem.agent.capabilities import shipped
from tandem.agent.intents import IntentSpec
from tandem.agent.slots import When, detect_language, extract_when
from tandem.agent.understand import Understanding

__all__ = ["POINTING", "Poster", "apply_poster", "find_date", "read_poster"]

_MONTHS = {
    **{m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                   "september", "october", "november", "december"), 1)},
    **{m: i for i, m in enumerate(("januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
                                   "september", "oktober", "november", "dezember"), 1)},
    **{m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                   "dec"), 1)},
    "jänner": 1, "maerz": 3, "mär": 3, "mrz": 3, "sept": 9, "okt": 10, "dez": 12,
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th|\.)?"
_DATES = (  # each names the day, the month (number or name) and maybe the year
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"),
    re.compile(r"(?:(?P<year>\d{4})\s*年\s*)?(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*[日号號]"),
    re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.(?:\s?(?P<year>\d{4}|\d{2})(?!\d))?"),
    re.compile(rf"(?<!\d)(?P<day>\d{{1,2}}){_ORD}\s*(?:of\s+)?(?P<mname>{_MONTH})\b\.?,?(?:\s+(?P<year>\d{{4}}))?",
               re.I),
    re.compile(rf"\b(?P<mname>{_MONTH})\b\.?\s+(?P<day>\d{{1,2}}){_ORD}(?!\d)(?:,?\s+(?P<year>\d{{4}}))?", re.I),
)
_WEEKDAY = re.compile(r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b\.?|\b(?:mo|di|mi|do|fr|sa|so)[.,]|"
                      r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|"
                      r"donnerstag|freitag|samstag|sonnabend|sonntag)\b|(?:星期|周|礼拜)[一二三四五六日天]", re.I)
_TIME = re.compile(r"(?:(?:早上|上午|中午|下午|傍晚|晚上)\s*)?\d{1,2}\s*[点點时]\s*(?:半|\d{1,2}\s*分?)?|"
                   r"\b\d{1,2}[:.]\d{2}\s*(?:uhr|h|am|pm|a\.m\.|p\.m\.)?|\b\d{1,2}\s*(?:uhr|am|pm|a\.m\.|p\.m\.)"
                   r"(?!\w)|(?:einlass|beginn|start|doors|begins|开始|开场|入场)\s*:?", re.I)
_EDGES = re.compile(r"^[\s,;:·|•/–—-]+|[\s,;:·|•/–—-]+$")
_STARTS = re.compile(r"(?:beginn|start|begins|showtime|vorstellung|开始|开演|开场)\s*:?\s*(.{1,12})", re.I)
_PRICE = re.compile(r"(?:€|eur|euro|¥|元|cny|rmb|\$|£)", re.I)

# What a request says when it points at the image instead of naming the event.
POINTING = frozenset({
    "this", "that", "it", "this one", "that one", "these", "this event", "this film", "this movie", "this show",
    "this concert", "this play", "the event", "the show", "the concert", "das", "dies", "diese", "dieser", "dieses",
    "diesen", "das hier", "dafür", "hierfür", "diesen film", "dieses konzert", "dieses event", "diese show",
    "diese veranstaltung", "这", "这个", "这部", "这场", "那个", "那部", "那场", "这部电影", "这场演出"})


@dataclass(frozen=True)
class Poster:
    """What a poster says about its event."""

    title: str | None  # the largest line that is not a date, time or price ("DUNE: PART TWO")
    when: When | None  # the date and time printed on it
    venue: str | None  # the other lines, joined ("Lichtspiel Alexanderplatz, Berlin")
    lines: tuple[str, ...] = ()  # every line read, top to bottom


def _year(day: int, month: int, year: str | None, today: dt.date) -> dt.date | None:
    try:
        if year:
            return dt.date(int(year) + (2000 if len(year) == 2 else 0), month, day)
        found = dt.date(today.year, month, day)
        return found if found >= today else dt.date(today.year + 1, month, day)  # the next one
    except ValueError:
        return None


def find_date(text: str, today: dt.date) -> tuple[dt.date, tuple[int, int]] | None:
    """The first calendar date written in ``text`` and where it is; a date without a year is the next one."""
    for pattern in _DATES:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            month = _MONTHS[groups["mname"].lower().rstrip(".")] if groups.get("mname") else int(groups["month"])
            if not 1 <= month <= 12:
                continue
            found = _year(int(groups["day"]), month, groups.get("year"), today)
            if found is not None:
                return found, match.span()
    return None


def _clock(text: str, now: dt.datetime, region: str | None = None) -> When | None:
    """The time (and a day, when only a weekday or "tonight" is written) in ``text``, in any of our languages; a date
    in digits alone in the order ``region``'s users write it ("05/06/2027"; time_words.toml ``date_order``)."""
    first = detect_language(text)
    for lang in dict.fromkeys((first, "en", "de", "zh")):
        found, _ = extract_when(text, now, lang, region)
        if found is not None:
            return found
    return None


def _content(line: str) -> str:
    """A line without its dates, weekdays, times and separators: what remains names something."""
    for pattern in (*_DATES, _WEEKDAY, _TIME):
        line = pattern.sub(" ", line)
    return re.sub(r"\s+", " ", _EDGES.sub("", line)).strip()


def read_poster(lines: Sequence[tuple[str, float]], now: dt.datetime, region: str | None = None) -> Poster:
    """The event on a poster from its OCR lines, each ``(text, height in pixels)``, top to bottom; ``region`` (the
    user's, ISO 3166) orders a day and a month printed in digits alone."""
    texts = tuple(t.strip() for t, _ in lines if t.strip())
    whole = "\n".join(texts)
    date = find_date(whole, now.date())
    undated = whole if date is None else whole[:date[1][0]] + " " + whole[date[1][1]:]
    starts = _STARTS.search(undated)  # "Einlass 19:00 · Beginn 20:00": the show starts at 20:00
    clock = (_clock(starts.group(1), now, region) if starts else None) or _clock(undated, now, region)
    when = None
    if date is not None:
        said = whole[date[1][0]:date[1][1]] + (f" {clock.text}" if clock and clock.time else "")
        when = When(date[0].isoformat(), clock.time if clock else None, said.strip())
    elif clock is not None:
        when = clock
    named = [(_content(t), h) for t, h in lines if t.strip() and not _PRICE.search(t)]
    named = [(t, h) for t, h in named if sum(c.isalpha() for c in t) >= 2]
    if not named:
        return Poster(None, when, None, texts)
    title = max(named, key=lambda item: item[1])[0]  # the first of the tallest lines
    rest = [t for t, _ in named if t != title]
    return Poster(title, when, ", ".join(rest) or None, texts)


def _fills(spec: IntentSpec) -> dict[str, str]:
    """Which of an intent's slots a poster can fill: its first text slot takes the title, a venue-like
    slot the venue, and its time slot the date."""
    fills: dict[str, str] = {}
    for slot, kind in spec.slots.items():
        if kind == "when":
            fills[slot] = "when"
        elif kind == "text" and slot in ("cinema", "venue"):
            fills[slot] = "venue"
        elif kind == "text" and "title" not in fills.values():
            fills[slot] = "title"
    return fills


def apply_poster(understanding: Understanding, poster: Poster,
                 intents: tuple[IntentSpec, ...] | None = None) -> Understanding:
    """The understanding with the slots the request left open, or pointed at the image with, filled from
    the poster. What the user said themselves wins ("book two tickets for this on Friday")."""
    specs = {s.name: s for s in (shipped() if intents is None else intents)}
    values = {"title": poster.title, "venue": poster.venue, "when": poster.when.iso if poster.when else None}
    found = []
    for intent in understanding.intents:
        slots, spans = dict(intent.slots), dict(intent.spans)
        for slot, source in _fills(specs[intent.name]).items():
            said = str(slots.get(slot) or "").strip().lower()
            if values[source] and (not said or said in POINTING):
                slots[slot], spans[slot] = values[source], "(poster)"
        found.append(replace(intent, slots=slots, spans=spans))
    return replace(understanding, intents=tuple(found))

