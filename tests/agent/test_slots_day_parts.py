"""A part of the day said right after a day goes with the day (time_words.toml ``day_parts``): without a clock it
stayed in the request ("买两张*晚上*周杰伦演唱会的门票", review29 R29-7). Said at noon on Monday 7 December 2026. Own
sentences, none from a bench set."""

import datetime as dt

import pytest

from tandem.agent.slots import extract_when

NOW = dt.datetime(2026, 12, 7, 12, 0)


@pytest.mark.parametrize(("text", "lang", "iso", "rest"), [
    ("周五晚上刀郎演唱会两张票", "zh", "2026-12-11", "刀郎演唱会两张票"),
    ("周日上午去医院复查", "zh", "2026-12-13", "去医院复查"),
    ("下周二下午开部门例会", "zh", "2026-12-15", "开部门例会"),
    ("后天傍晚去接孩子", "zh", "2026-12-09", "去接孩子"),
    ("星期六中午和老王吃饭", "zh", "2026-12-12T12:00", "和老王吃饭"),
    ("Sonntag abends zwei Karten für Tim Bendzko", "de", "2026-12-13", "zwei Karten für Tim Bendzko"),
    ("Dienstag nachmittags Elternabend eintragen", "de", "2026-12-08", "Elternabend eintragen"),
    ("morgen am Vormittag den Klempner anrufen", "de", "2026-12-08", "den Klempner anrufen"),
    ("call the landlord tomorrow in the morning", "en", "2026-12-08", "call the landlord"),
    ("wednesday at night the bins go out", "en", "2026-12-09", "the bins go out"),
    # said with a clock, the part reads its hour, also where the clock is said apart
    ("周六晚上八点半看话剧", "zh", "2026-12-12T20:30", "看话剧"),
    ("Freitag abends um 7 ins Kino", "de", "2026-12-11T19:00", "ins Kino"),
    ("Samstag abends Essen mit Jan um 8", "de", "2026-12-12T20:00", "Essen mit Jan"),
    ("saturday evening dinner with Kim at 7", "en", "2026-12-12T19:00", "dinner with Kim"),
    # written on to the weekday (reread30 M-3: "Freitagabend um 7" was 07:00); "morgen" only so, alone it is tomorrow
    ("Termin am Freitagabend um 7", "de", "2026-12-11T19:00", "Termin"),
    ("Montagnachmittag um 3 Zahnarzt", "de", "2026-12-14T15:00", "Zahnarzt"),
    ("Sonntagmorgen um 9 Joggen eintragen", "de", "2026-12-13T09:00", "Joggen eintragen"),
    ("Samstagnacht um 1 Taxi", "de", "2026-12-13T01:00", "Taxi"),
])
def test_a_part_of_the_day_after_a_day_is_cut_with_it(text: str, lang: str, iso: str, rest: str) -> None:
    when, left = extract_when(text, NOW, lang)
    assert when is not None and (when.iso, left) == (iso, rest)
