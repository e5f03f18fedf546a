"""A thing a sentence says will not take place ("*Das Telefonat mit Priya* fällt aus, bitte entfernen"; verb_words.toml
``off``) is the one free-text value of the capability that removes it: the whole thing said before those words, not
the name after its "mit" nor the request after them."""

import pytest

from tandem.agent.besides import besides
from tandem.agent.capabilities import shipped
from tandem.agent.ground import loose_slots


def _event(said: str, lang: str) -> str | None:
    spec = next(s for s in shipped() if s.name == "cancel_calendar_event")
    clause = said if lang == "zh" else said.replace(",", "")  # a clause read without its pauses, where words are spaced
    return loose_slots(spec, clause, lang, said).get("event")


@pytest.mark.parametrize(("said", "lang", "event"), [
    ("Das Telefonat mit Priya fällt aus, bitte entfernen", "de", "Telefonat mit Priya"),
    ("das Abendessen mit Jonas wurde abgesagt, lösch es", "de", "Abendessen mit Jonas"),
    ("Der Zahnarzt fällt flach, lösch das", "de", "Zahnarzt"),
    ("unser Teammeeting entfällt, bitte austragen", "de", "Teammeeting"),
    ("Die Chorprobe findet nicht statt, raus aus dem Kalender", "de", "Chorprobe"),
    ("the call with Priya is off, delete it", "en", "call with Priya"),
    ("the yoga class is off, please delete it", "en", "yoga class"),
    ("the lunch with Anna isn't happening, take it out of my calendar", "en", "lunch with Anna"),
    ("my piano lesson got cancelled, remove it", "en", "piano lesson"),
    ("the dentist is off", "en", "dentist"),
    ("瑜伽课取消了，帮我从日历里删掉", "zh", "瑜伽课"),
    ("我的钢琴课泡汤了，删掉吧", "zh", "钢琴课"),
])
def test_the_thing_called_off_is_the_event(said: str, lang: str, event: str) -> None:
    assert _event(said, lang) == event


@pytest.mark.parametrize(("said", "lang", "event"), [
    ("delete the call with Priya from my calendar", "en", "call with Priya"),
    ("lösch den Termin mit Priya", "de", "Priya"),
    ("it is off, delete it", "en", None),
])
def test_without_words_that_call_it_off_nothing_changes(said: str, lang: str, event: str | None) -> None:
    assert _event(said, lang) == event


@pytest.mark.parametrize(("value", "thing"), [
    ("看牙医那个约", "看牙医"),
    ("家长会那项", "家长会"),
    ("换轮胎那条笔记", "换轮胎"),
    ("哈利波特那场", "哈利波特"),
    ("周杰伦演唱会", "周杰伦演唱会"),
    ("那不勒斯之旅", "那不勒斯之旅"),  # 那 before no measure word
])
def test_that_one_after_a_thing_is_no_part_of_it(value: str, thing: str) -> None:
    spec = next(s for s in shipped() if s.name == "cancel_calendar_event")
    assert besides(spec, value, "zh") == thing


@pytest.mark.parametrize(("said", "lang"), [
    ("Das Konzert fällt aus, erstatte mir bitte die Tickets", "de"),
    ("the gig is cancelled, refund my tickets", "en"),
    ("音乐节取消了，票退了吧", "zh"),
])
def test_a_thing_called_off_is_no_number_of_an_order(said: str, lang: str) -> None:
    spec = next(s for s in shipped() if s.name == "refund_tickets")
    clause = said if lang == "zh" else said.replace(",", "")
    assert set(loose_slots(spec, clause, lang, said).values()) <= {""}


@pytest.mark.parametrize(("said", "lang", "todo"), [  # reread24's H1 and the lead's own, session 24
    ("remind me tomorrow at 9 to tell Anna the trip is off", "en", "tell Anna the trip is off"),
    ("remind me to check whether the match is cancelled", "en", "check whether the match is cancelled"),
    ("erinnere mich morgen um 8: Training fällt aus, Paul Bescheid sagen", "de",
     "Training fällt aus, Paul Bescheid sagen"),
    ("erinnere mich daran, dass der Kurs am Montag entfällt", "de", "Kurs am Montag entfällt"),
    ("提醒我明天告诉老板会议改期了", "zh", "告诉老板会议改期了"),
])
def test_a_reminder_keeps_the_words_that_call_something_off(said: str, lang: str, todo: str) -> None:
    """Only a capability that removes something (the manifest's ``effect = "delete"``) reads the thing called off;
    a reminder or a note about it keeps all its words."""
    spec = next(s for s in shipped() if s.name == "set_reminder")
    clause = said if lang == "zh" else said.replace(",", "")
    assert todo.replace(",", "") in (loose_slots(spec, clause, lang, said).get("todo") or "").replace(",", "")
