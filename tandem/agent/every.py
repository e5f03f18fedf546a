"""Days said to come back (time_words.toml ``every``): "every day except Sunday", "jeden Tag außer am Wochenende",
"除了周末每天", "every weekday". ``extract_when`` reads the first day they say that is not left out, as it reads
"every Monday" as the next Monday (a partner's reminder is one point in time).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from tandem.agent.words import TIME_WORDS, alternatives, load
from tandem.agent.writing import writing

__all__ = ["every_day"]


def every_day(text: str, lang: str) -> tuple[tuple[int, int], frozenset[int]] | None:
    """Where ``text`` says that something comes back each day, with the days it leaves out said before or after it
    ("*except Sunday*", "*除了周末*"), and the weekdays left out (0 Monday … 6 Sunday); None when it says none."""
    said = _patterns(lang)
    if said is None:
        return None
    daily, before, after = said
    found = daily.search(text)
    if found is None:
        return None
    table = _table(lang)
    start, end = found.span()
    left_out = set(table["daily"][found.group().casefold()])
    if (ahead := before.search(text, 0, start)) is not None:
        start, left_out = ahead.start(), left_out | _weekdays(ahead.group("days"), lang)
    if (behind := after.match(text, end)) is not None:
        end, left_out = behind.end(), left_out | _weekdays(behind.group("days") or behind.group("alone"), lang)
    return (start, end), frozenset(left_out)


def _table(lang: str) -> dict[str, Any]:
    return load(TIME_WORDS).get("every", {}).get(lang, {})


@cache
def _patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]] | None:
    """The words of ``lang`` that say each day, and the days left out said right before them and right after them, as
    patterns; None for a language that lists none."""
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
    return (re.compile(f"{edge[0]}(?:{alternatives(table['daily'])}){edge[1]}", flags),
            re.compile(f"{left_out}[\\s,，]*$", flags),
            re.compile(f"[\\s,，]*(?:{left_out}|{alone})", flags))


def _weekdays(said: str, lang: str) -> set[int]:
    """The weekdays the days ``said`` name."""
    days = {k.casefold(): v for k, v in _table(lang)["days"].items()}
    edge = writing(lang).edge
    return {d for found in re.finditer(f"{edge[0]}(?:{alternatives(days)}){edge[1]}", said, re.IGNORECASE)
            for d in days[found.group().casefold()]}
