"""A place a Chinese value opens with, joined to the thing by 的 ("国家大剧院的胡桃夹子芭蕾舞"), is where the thing is
on (clause_words.toml ``venues``): the value of the capability's parameter whose samples name such a place, the thing
staying the thing's; a capability without one keeps the value whole."""

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.ground import ended, loose_slots
from tandem.agent.intents import IntentSpec


def _spec(name: str) -> IntentSpec:
    return next(s for s in shipped() if s.name == name)


@pytest.mark.parametrize(("said", "thing", "venue"), [
    ("国家大剧院的胡桃夹子芭蕾舞", "胡桃夹子芭蕾舞", "国家大剧院"),
    ("首都体育馆的周杰伦演唱会", "周杰伦演唱会", "首都体育馆"),
    ("工人体育场的足球赛", "足球赛", "工人体育场"),
    ("北京音乐厅的新年音乐会", "新年音乐会", "北京音乐厅"),
    ("梅兰芳大剧院的贵妃醉酒", "贵妃醉酒", "梅兰芳大剧院"),
    ("上海大剧院里的天鹅湖", "天鹅湖", "上海大剧院"),
    ("蜂巢剧场的恋爱的犀牛", "恋爱的犀牛", "蜂巢剧场"),
])
def test_a_venue_before_an_event_is_its_venue(said: str, thing: str, venue: str) -> None:
    assert ended(_spec("buy_event_tickets"), {"event": said}, "zh") == {"event": thing, "venue": venue}


@pytest.mark.parametrize(("said", "film", "cinema"), [
    ("万达影城的奥本海默", "奥本海默", "万达影城"),
    ("星光影院的沙丘2", "沙丘2", "星光影院"),
])
def test_a_cinema_before_a_film_is_its_cinema(said: str, film: str, cinema: str) -> None:
    assert ended(_spec("buy_movie_tickets"), {"film": said}, "zh") == {"film": film, "cinema": cinema}


@pytest.mark.parametrize("said", ["国家大剧院", "剧院的票", "周杰伦的演唱会", "哈尔的移动城堡"])
def test_no_venue_and_thing_no_split(said: str) -> None:
    assert "venue" not in {k for k, v in ended(_spec("buy_event_tickets"), {"event": said}, "zh").items() if v}


def test_a_loose_reading_splits_too() -> None:
    slots = loose_slots(_spec("buy_event_tickets"), "帮我买两张国家大剧院的胡桃夹子芭蕾舞的票", "zh")
    assert (slots["event"], slots["venue"], slots["count"]) == ("胡桃夹子芭蕾舞", "国家大剧院", "2")


def test_a_venue_taken_keeps_the_value() -> None:
    out = ended(_spec("buy_event_tickets"), {"event": "国家大剧院的胡桃夹子", "venue": "保利剧院"}, "zh")
    assert out == {"event": "国家大剧院的胡桃夹子", "venue": "保利剧院"}
