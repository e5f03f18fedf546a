"""A day said as the owner of what follows ("*tomorrow's* dentist appointment"; time_words.toml ``owning``) is read
with its ending, so no value keeps an "s"."""

import datetime as dt

import pytest

from tandem.agent.slots import extract_when

NOW = dt.datetime(2026, 11, 29, 15, 0)  # a Sunday


@pytest.mark.parametrize(("text", "date", "rest"), [
    ("cancel tomorrow's dentist appointment", "2026-11-30", "cancel dentist appointment"),
    ("remove friday's dinner with Paul from the calendar", "2026-12-04", "remove dinner with Paul from the calendar"),
    ("delete today's meeting with Sam", "2026-11-29", "delete meeting with Sam"),
    ("book two tickets for tonight's show of Dune", "2026-11-29", "book two tickets show of Dune"),
    ("cancel Monday's yoga class", "2026-11-30", "cancel yoga class"),
    ("show next Tuesday's agenda", "2026-12-01", "show agenda"),  # the coming Tuesday
    ("move Saturday’s haircut", "2026-12-05", "move haircut"),
    ("take Wednesday evening's choir practice out", "2026-12-02", "take choir practice out"),
    ("cancel the day after tomorrow's lunch", "2026-12-01", "cancel the lunch"),
    ("show me this morning's notes", "2026-11-29", "show me notes"),
    ("cancel the dentist on Friday", "2026-12-04", "cancel the dentist"),  # no ending: as before
    ("it's Friday, order pizza", "2026-12-04", "it's, order pizza"),
])
def test_a_day_that_owns_what_follows_is_read_whole(text: str, date: str, rest: str) -> None:
    when, left = extract_when(text, NOW, "en")
    assert when is not None and when.date == date
    assert left == rest
