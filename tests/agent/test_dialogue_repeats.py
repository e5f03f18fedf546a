"""A repeating reminder's rule is said in words (review31 R31-20, reread31 M-5): 'remind me every Monday and Thursday
at 7 to go running' answered 'repeats: FREQ=WEEKLY;BYDAY=MO,TH' (a rule the manifest's [values.repeat] does not
name was shown raw), and 'show my reminders' listed it without saying it comes back. Weekday names are say.toml's;
the forms answers.toml [<lang>.rule]. Own phrasings (dialog23). A repeat not read as a rule is said to be set once
(review-lead32 L-2; dialog24)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.confirming import take_turn
from tandem.agent.spoken import rule_said, set_once
from tandem.agent.tasks import TaskState
from tandem.agent.understand import Understander
from tests.agent.conversing import talked, talking

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(("case", "said", "shown", "words"), [
    ("EN", "remind me every Monday and Thursday at 7 to go running", "show my reminders", "every Monday and Thursday"),
    ("DE", "erinnere mich jeden Montag und Donnerstag um 7 ans Laufen", "zeig meine Erinnerungen",
     "jeden Montag und Donnerstag"),
    ("CN", "每周一和周四早上七点提醒我跑步", "看看我的提醒", "每星期一和星期四"),
])
async def test_a_reminders_rule_is_said_in_words_when_set_and_listed(home: Path, understander: Understander,
                                                                     case: str, said: str, shown: str,
                                                                     words: str) -> None:
    async with talking(home, case, understander) as (assistant, _):
        done = await take_turn(assistant, said)
        listed = await take_turn(assistant, shown, done.conversation_id)
    assert words in done.text and "FREQ" not in done.text, done.text
    assert words in listed.text and "FREQ" not in listed.text, listed.text


@pytest.mark.parametrize(("rule", "lang", "words"), [
    ("FREQ=DAILY", "en", "every day"),
    ("FREQ=WEEKLY;BYDAY=TU,TH,SA;UNTIL=20261211", "en", "every Tuesday, Thursday and Saturday until 11 December"),
    ("FREQ=WEEKLY;BYDAY=FR,MO", "de", "jeden Montag und Freitag"),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU", "zh", "每天"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "en", "every other Monday"),  # review32 R32-12
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "de", "jeden zweiten Freitag"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "zh", "每隔一周的星期三"),
    ("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO", "en", "every 3 weeks on Monday"),
    ("FREQ=DAILY;INTERVAL=2", "en", "every other day"),  # slots24 reads 'every other day', 'alle 2 Tage', '每两天'
    ("FREQ=DAILY;INTERVAL=2", "de", "jeden zweiten Tag"),
    ("FREQ=DAILY;INTERVAL=3;UNTIL=20261231", "de", "alle 3 Tage bis 31. Dezember"),
    ("FREQ=DAILY;INTERVAL=2", "zh", "每隔一天"),
    ("FREQ=WEEKLY", "en", None),  # no days: no rule this reads
    ("Friday", "en", None),
])
def test_rule_said_names_the_days_of_a_rule(rule: str, lang: str, words: str | None) -> None:
    assert rule_said(rule, lang) == words


@pytest.mark.parametrize(("case", "turns", "words"), [
    ("EN", ["remind me every 2 hours to drink water", "9 am"], "every 2 hours"),
    ("DE", ["erinnere mich alle zwei Stunden ab 9 Uhr ans Wassertrinken"], "alle zwei Stunden"),
    ("CN", ["每两个小时提醒我喝水，从早上九点开始"], "每两个小时"),
    ("EN", ["remind me monthly at 9 am to pay the rent"], "monthly"),
    ("EN", ["remind me every day at 8 to water the plants"], None),  # read as a rule: nothing to say
    ("EN", ["remind me tomorrow at 9 to call the plumber"], None),
])
async def test_a_repeat_not_understood_is_said_beside_the_reminder_set_once(
        home: Path, understander: Understander, case: str, turns: list[str], words: str | None) -> None:
    """review-lead32 L-2: a reminder said to come back in a way no rule is read of ('every 2 hours') was set once,
    silently; its answer now says so (answers.toml ``once``)."""
    *_, done = await talked(home, case, turns, understander)
    lang = {"EN": "en", "DE": "de", "CN": "zh"}[case]
    assert [(t.intent, t.state) for t in done.tasks] == [("set_reminder", TaskState.DONE)], done.text
    assert (set_once(words, lang) in done.text) if words else ("\n" not in done.text), done.text
