"""A reminder's rule of days (``<when>_repeat``) is the date reader's alone (reread31 M-6). The model tiers see the
parameter in the capability's schema and may fill it with words ("every other day", "weekly"); the office partner
takes only an RRULE and failed the reminder with "repeat must be an RRULE like …". ``normalise_slots`` now drops a
value it did not read (``When.repeat``) and keeps the one it did."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.slots import extract_when
from tandem.agent.understand import normalise_slots

NOW = dt.datetime(2026, 12, 7, 12, 0)
REMINDER = next(s for s in shipped() if s.name == "set_reminder")


@pytest.mark.parametrize("said", ["every other day", "weekly", "FREQ=DAILY;INTERVAL=2", "每天"])
def test_a_rule_a_model_wrote_is_dropped(said: str) -> None:
    slots = normalise_slots(REMINDER, {"todo": "water the plants", "when": "2026-12-08T08:00", "when_repeat": said},
                            None, NOW)
    assert "when_repeat" not in slots and slots["todo"] == "water the plants"


def test_the_rule_the_date_reader_read_is_kept() -> None:
    when, _ = extract_when("remind me every day at 8 to water the plants", NOW, "en")
    assert when is not None and when.repeat
    slots = normalise_slots(REMINDER, {"todo": "water the plants", "when_repeat": "every other day"}, when, NOW)
    assert slots["when_repeat"] == when.repeat
