"""A sentence that says NOT to do what a request would ask is no task (issue 14: 0 tasks from out-of-scope; review25
P25-4: "don't cancel FD-…", "FD-… bitte nicht stornieren", "千万别退TIX-…" were read as the cancellation or refund they
negate). The negation words are language data (declined.toml); the verbs they negate are those the installed
capabilities' examples open with (``learned.familiar``), so "don't forget to cancel X" stays a request."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.declined import asks_first, declined
from tandem.agent.learned import familiar
from tandem.agent.understand import Understander

NOW = dt.datetime(2026, 11, 29, 15, 0)

DECLINED = [
    ("en", "please don't cancel FD-4A1B2C3D4E"), ("en", "do not refund TIX-7B3C9D1E2F"),
    ("en", "I'm not going to cancel CIN-2F4A6B8C0D"), ("en", "I don't want to refund TIX-7B3C9D1E2F"),
    ("en", "I won't refund the concert tickets"), ("en", "never cancel SH-9E8D7C6B5A"),
    ("de", "TIX-7B3C9D1E2F bitte nicht erstatten"), ("de", "erstatte TIX-7B3C9D1E2F lieber nicht"),
    ("de", "die Pizza bitte nicht stornieren"), ("de", "FD-4A1B2C3D4E storniere ich lieber nicht"),
    ("de", "wir stornieren CIN-2F4A6B8C0D doch nicht"), ("de", "ich will FD-4A1B2C3D4E nicht stornieren"),
    ("zh", "不要取消FD-4A1B2C3D4E"), ("zh", "我不取消FD-4A1B2C3D4E了"), ("zh", "先别退TIX-7B3C9D1E2F"),
    ("zh", "TIX-7B3C9D1E2F不用退了"), ("zh", "暂时不要退TIX-7B3C9D1E2F"), ("zh", "别退我买的演唱会门票"),
    ("en", "can you not cancel FD-4A1B2C3D4E"),  # review33 R33-2: "please don't"
]

# Requests with a negation word that must stay requests: the negation is another verb's ("forget"), inside the
# request's own words (a reminder's, a note's), in a clause of its own after the request, or the request is a question.
KEPT = [
    ("en", "don't forget to cancel FD-4A1B2C3D4E"), ("en", "don't let me forget to refund TIX-7B3C9D1E2F"),
    ("en", "remind me not to order pizza on Friday"), ("en", "take a note: don't call the landlord before 9"),
    ("en", "cancel FD-4A1B2C3D4E, I don't want it"), ("en", "why don't you cancel FD-4A1B2C3D4E"),
    ("en", "cancel FD-4A1B2C3D4E please"), ("en", "order a pizza to the office, not too spicy"),
    ("en", "can you order a pizza to the office"), ("en", "could you cancel FD-4A1B2C3D4E"),
    ("en", "I didn't get my pizza, where is FD-4A1B2C3D4E"), ("de", "zeig nicht erledigte Erinnerungen"),
    ("de", "welche Erinnerungen sind heute noch nicht erledigt"),
    ("de", "vergiss nicht, FD-4A1B2C3D4E zu stornieren"), ("de", "notiere: den Vermieter nicht vor 9 anrufen"),
    ("de", "erinnere mich daran, morgen keine Pizza zu bestellen"),
    ("de", "storniere die Pizza, ich brauche sie nicht mehr"),
    ("de", "Ich brauche FD-4A1B2C3D4E nicht mehr, bitte stornieren"),
    ("de", "bestell eine Pizza Margherita ohne Zwiebeln, nicht scharf"), ("de", "storniere FD-4A1B2C3D4E"),
    ("zh", "别忘了取消FD-4A1B2C3D4E"), ("zh", "不要忘记退TIX-7B3C9D1E2F"), ("zh", "提醒我明天别点外卖"),
    ("zh", "记一下：别在九点前给房东打电话"), ("zh", "FD-4A1B2C3D4E我不要了，取消吧"),
    ("zh", "取消FD-4A1B2C3D4E，不要了"),
    ("zh", "退掉TIX-7B3C9D1E2F，我去不了"),
]


@pytest.mark.parametrize(("lang", "text"), DECLINED)
def test_a_negated_request_verb_declines(lang: str, text: str) -> None:
    assert declined(text, lang, familiar(shipped(), lang)) & {"cancel", "refund", "storniere", "erstatte", "取消", "退"}


@pytest.mark.parametrize(("lang", "text"), KEPT)
def test_a_negation_elsewhere_declines_nothing(lang: str, text: str) -> None:
    assert not declined(text, lang, familiar(shipped(), lang))


@pytest.mark.parametrize("text", ["don't cancel FD-3C7D1E0B92", "never refund TIX-8A02C4F19E",
                                  "FD-3C7D1E0B92 bitte nicht stornieren", "TIX-8A02C4F19E auf keinen Fall erstatten",
                                  "别取消FD-3C7D1E0B92", "千万别退TIX-8A02C4F19E",
                                  "please don't cancel the pizza I ordered",
                                  # review33 R33-2: ordered and bought on yes
                                  "can you not order a pizza to the office",
                                  "could you not buy two tickets for Dune tomorrow at 8 pm"])
def test_a_declined_act_is_no_task(understander: Understander, text: str) -> None:
    """Each was a cancellation or refund card before declined.toml (the learned tier reads it beside the request)."""
    assert understander.understand(text, NOW).intents == ()


@pytest.mark.parametrize("text", ["don't refund my concert tickets, I'm going after all",
                                  "别帮我退演唱会的票，我还是要去",
                                  "don't cancel my cinema tickets, cancel the pizza", "不要取消外卖，取消电影票",
                                  "别取消外卖，帮我取消电影票"])
def test_what_follows_a_declined_act_declines_it_still(text: str) -> None:
    """A correction declines its first clause's verb: read whole, the tiers offered the act declined (review26 R26-8,
    reread26 H3 on c342b77: "don't cancel my cinema tickets, cancel the pizza" -> cancel the tickets); its later
    clause is read alone (test_understand_declined_talk)."""
    lang = "zh" if "票" in text else "en"
    assert declined(text, lang, familiar(shipped(), lang))


@pytest.mark.parametrize(("text", "wanted"), [("cancel FD-4A1B2C3D4E please", "cancel_food_order"),

                                              ("I won't make it to the dentist on Friday, take it out of my calendar",
                                               "cancel_calendar_event"),
                                              ("FD-4A1B2C3D4E我不要了，取消吧", "cancel_food_order"),
                                              ("cancel FD-4A1B2C3D4E, I don't want it", "cancel_food_order"),
                                              ("退掉TIX-7B3C9D1E2F，我去不了", "refund_tickets"),
                                              ("bestell eine Pizza Margherita ohne Zwiebeln, nicht scharf",
                                               "order_food")])
def test_a_request_beside_a_negation_stays(understander: Understander, text: str, wanted: str) -> None:
    assert [i.name for i in understander.understand(text, NOW).intents] == [wanted]


@pytest.mark.parametrize(("text", "wanted"), [
    ("not the film, the concert: refund that order", "refund_tickets"),
    ("not my notes, the calendar: what's on tomorrow", "show_calendar"),
    ("nicht die Notizen, der Kalender: was steht morgen an", "show_calendar")])
def test_a_correction_of_the_thing_asks_for_the_later_one(understander: Understander, text: str, wanted: str) -> None:
    """"not X, Y: <request>": Y is the thing meant, the request its clause after (session 29: -19 kept-apart rows of
    this class made no task). No task at 680efeb: the request's clause was read only where it opened the rest."""
    assert [i.name for i in understander.understand(text, NOW).intents] == [wanted]


@pytest.mark.parametrize(("text", "lang", "capability", "asks"), [
    ("the concert, refund that order", "en", "refund_tickets", True),  # False at 680efeb
    ("der Kalender, was steht morgen an", "de", "show_calendar", True),  # False at 680efeb
    ("the pizza, Lisa said order two", "en", "order_food", False),
    ("the pizza I might order, later", "en", "order_food", False),
    ("the tickets, if it rains cancel them", "en", "cancel_movie_tickets", False),
    ("是电影票，如果下雨就退了", "zh", "refund_tickets", False),
])
def test_the_thing_a_correction_names_is_the_next_clauses_object(text: str, lang: str, capability: str,
                                                                 asks: bool) -> None:
    spec = next(s for s in shipped() if s.name == capability)
    assert asks_first(text, lang, familiar([spec], lang)[0]) is asks


@pytest.mark.parametrize(("text", "todo"), [("remind me every day except Sunday at 7 to take pills", "take pills"),
                                            ("erinnere mich jeden Tag außer sonntags um 7 an die Tabletten",
                                             "Tabletten")])
def test_days_left_out_of_every_day_decline_nothing(text: str, todo: str) -> None:
    """"except Sunday", "außer sonntags" beside "every day" are days that come back (slots21's every.every_day), not a
    thing declined: no task at 36d91f4 (declined.spared cut at "except"/"außer")."""
    read = Understander().understand(text, NOW)
    assert [i.name for i in read.intents] == ["set_reminder"]
    assert todo in str(read.intents[0].slots.get("todo"))  # what the to-do keeps of the days is slots' (review30 R30-9)
