"""A reminder said for days that come back ("every day at 8", "jeden Freitag um 17 Uhr", "每天早上七点") carries the
date reader's rule (``slots.When.repeat``) in its capability's ``when_repeat`` parameter, which the office partner
keeps (review30 R30-9: it was made once and nothing said so); a request said once carries none."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.understand import Understander

_NOON = dt.datetime(2026, 12, 7, 12, 0)


@pytest.mark.parametrize(("text", "rule"), [
    ("remind me every day at 8 to take my pills", "FREQ=DAILY"),
    ("erinnere mich jeden Tag um 7, die Blumen zu gießen", "FREQ=DAILY"),
    ("每天早上七点提醒我吃药", "FREQ=DAILY"),
])
def test_a_reminder_said_every_day_keeps_its_rule(understander: Understander, text: str, rule: str) -> None:
    (read,) = understander.understand(text, _NOON).intents
    assert (read.name, read.slots.get("when_repeat")) == ("set_reminder", rule)


def test_a_reminder_said_once_has_no_rule(understander: Understander) -> None:
    (read,) = understander.understand("remind me tomorrow at 8 to take my pills", _NOON).intents
    assert read.name == "set_reminder" and "when_repeat" not in read.slots
