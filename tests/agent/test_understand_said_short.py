"""Requests said in few words, and what no partner does said in a partner's words (und22's open probes, session
31): ending a gym membership was a calendar entry's cancelling, "从公司开车到机场" no route. Rows are und22's probes
and und23's own variants, none from a bench set."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.understand import Understander

_NOON = dt.datetime(2026, 12, 7, 12, 0)


@pytest.mark.parametrize(("text", "wanted"), [
    ("从公司开车到机场", "find_route"),  # und22 (R30-16): no task at 6c2a30a
    ("从学校开车到体育馆", "find_route"),
])
def test_a_drive_between_two_places_is_a_route(understander: Understander, text: str, wanted: str) -> None:
    assert [i.name for i in understander.understand(text, _NOON).intents] == [wanted]


@pytest.mark.parametrize("text", [
    "cancel my gym membership",  # und22: the calendar's cancelling at 6c2a30a
    "kündige meine Mitgliedschaft im Fitnessstudio",
    "帮我取消视频会员",  # a cinema order's cancelling at 6c2a30a
])
def test_a_membership_ended_is_no_partners_task(understander: Understander, text: str) -> None:
    """No shipped partner keeps memberships or subscriptions (near_misses.toml [services.memberships])."""
    assert understander.understand(text, _NOON).intents == ()
