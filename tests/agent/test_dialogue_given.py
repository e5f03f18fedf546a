"""A detail given in a sentence when asked for it: "I'm Sam Lee" to "Whose name should the order be under?" kept the
name "I'm Sam Lee", and "my number is +49 151 23456789" was refused as no phone number (a new user's walk through
`tandem ask`, dialog15, session 24); a second unusable answer put its error before the first's. The answers are my own
probes, none from a bench set."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from tandem.agent import skills
from tandem.agent.assistant import Assistant
from tandem.agent.confirming import take_turn
from tandem.agent.given import given_value
from tandem.agent.journal import Journal
from tandem.agent.tasks import TaskState
from tests.agent.conftest import write_profile
from tests.agent.toolsets import in_memory_partners

_GIVEN = [  # (field, said, kept)
    ("name", "I'm Sam Lee", "Sam Lee"), ("name", "my name is Sam Lee.", "Sam Lee"), ("name", "It’s Sam", "Sam"),
    ("name", "Sam Lee", "Sam Lee"), ("name", "Isabel Imre", "Isabel Imre"), ("name", "I am Jo", "Jo"),
    ("name", "Ich heiße Anna Schmidt", "Anna Schmidt"), ("name", "ich bin Anna", "Anna"),
    ("name", "Mein Name ist Anna Schmidt.", "Anna Schmidt"), ("name", "Ichiro Suzuki", "Ichiro Suzuki"),
    ("name", "我叫李伟", "李伟"), ("name", "我是王芳。", "王芳"), ("name", "我的名字是张三", "张三"),
    ("name", "李伟", "李伟"),
    ("phone", "my number is +49 151 23456789", "+49 151 23456789"), ("phone", "call me at 030 1234567", "030 1234567"),
    ("phone", "+49 30 1234567", "+49 30 1234567"), ("phone", "meine Nummer ist 0151 2345678", "0151 2345678"),
    ("phone", "erreichbar unter 030 1234567", "030 1234567"), ("phone", "我的电话是13812345678", "13812345678"),
    ("phone", "手机号是 13812345678", "13812345678"), ("phone", "13812345678", "13812345678"),
    ("places.office", "my address is Friedrichstraße 100, 10117 Berlin", "Friedrichstraße 100, 10117 Berlin"),
    ("places.home", "Meine Adresse ist Hauptstraße 5, 10115 Berlin", "Hauptstraße 5, 10115 Berlin"),
    ("places.office", "地址是北京市朝阳区建国路88号", "北京市朝阳区建国路88号"),
    ("places.office", "Itzehoer Weg 3, 20095 Hamburg", "Itzehoer Weg 3, 20095 Hamburg"),
]


def test_the_words_before_a_detail_are_left_out() -> None:
    assert {said: given_value(field, said) for field, said, _ in _GIVEN} == {said: kept for _, said, kept in _GIVEN}


@pytest.mark.anyio
async def test_a_name_and_a_number_said_in_a_sentence_are_kept(home: Path) -> None:
    async with in_memory_partners(home, "EU") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"),
                              clock=lambda: dt.datetime.combine(dt.date.today(), dt.time(12, 0)))
        asked = await take_turn(assistant, "Order me a pizza to the office")
        conversation = asked.conversation_id
        await take_turn(assistant, "I'm Sam Lee", conversation)
        wrong = await take_turn(assistant, "no idea", conversation)
        again = await take_turn(assistant, "whatever", conversation)
        await take_turn(assistant, "my number is +49 151 23456789", conversation)
        profile = assistant.profiles.load()
        task = assistant.tasks(conversation)[0]
    assert (profile.name, profile.phone) == ("Sam Lee", "+49 151 23456789")
    assert wrong.tasks[0].question is not None and again.tasks[0].question is not None
    assert again.tasks[0].question.count("is not a phone number") == 1  # the last error only, then the question
    assert task.state == TaskState.NEEDS_INFO and task.missing == "profile.places.office"


@pytest.mark.anyio
async def test_a_question_holding_a_dash_is_asked_whole_after_each_error(home: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The question kept after an unusable answer was cut out of the text shown at its last " — " (reread24 L8): a
    question whose own words hold one ("… — mobile or landline?") lost its start at the second error."""
    question = "Which phone number can the partner call — mobile or landline?"
    shipped = skills.skill_text

    def with_a_dash(key: str, language: str, **values: object) -> str:  # the phone question, worded with a dash
        return question if (key, language) == ("profile.phone", "en") else shipped(key, language, **values)

    monkeypatch.setattr(skills, "skill_text", with_a_dash)
    async with in_memory_partners(home, "EU") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"),
                              clock=lambda: dt.datetime.combine(dt.date.today(), dt.time(12, 0)))
        conversation = (await take_turn(assistant, "Order me a pizza to the office")).conversation_id
        await take_turn(assistant, "Sam Lee", conversation)
        shown = [(await take_turn(assistant, said, conversation)).tasks[0].question
                 for said in ("no idea — sorry", "whatever", "still no")]
        await take_turn(assistant, "+49 151 23456789", conversation)
        task = assistant.tasks(conversation)[0]
    assert shown == [f"“no idea — sorry” is not a phone number — {question}",
                     f"“whatever” is not a phone number — {question}", f"“still no” is not a phone number — {question}"]
    assert assistant.profiles.load().phone == "+49 151 23456789" and task.missing == "profile.places.office"
    assert "erred?" not in task.slots  # the question alone is kept only while an error stands before it


@pytest.mark.anyio
@pytest.mark.parametrize(("region", "first", "name", "wrong", "said"), [
    ("DE", "Bestell mir eine Pizza ins Büro", "Sam Lee", "egal", "„egal“ ist keine Telefonnummer — "),
    ("CN", "帮我点一份披萨送到办公室", "李伟", "随便", "“随便”不是电话号码 — "),
])
async def test_an_unusable_answer_is_said_in_the_language_of_the_question(home: Path, region: str, first: str,
                                                                          name: str, wrong: str, said: str) -> None:
    """The error before the question was English in a German or Chinese conversation (review25 P25-1)."""
    write_profile(home, region)
    async with in_memory_partners(home, "CN" if region == "CN" else "EU") as partners:
        assistant = Assistant(partners, Journal(home / "agent.db"),
                              clock=lambda: dt.datetime.combine(dt.date.today(), dt.time(12, 0)))
        assistant.profiles.save(replace(assistant.profiles.load(), name="", phone=""))
        conversation = (await take_turn(assistant, first)).conversation_id
        asked = assistant.tasks(conversation)[0]
        if asked.missing == "profile.name":
            asked = (await take_turn(assistant, name, conversation)).tasks[0]
        assert asked.missing == "profile.phone"
        again = (await take_turn(assistant, wrong, conversation)).tasks[0]
    assert again.question == said + (asked.question or "")
