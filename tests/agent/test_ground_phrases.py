"""A thing said as a noun phrase, whatever verb said it (issue 14, 2c: every value grounded, none lost). The loose
reading read a thing only where an example's words framed it, so a verb in another form than the example spells
("Bestellt mir …", "Bestellen Sie mir …"), a verb at the end ("… bestellen", "… bestellt") or no verb at all ("Eine
Pizza ins Büro, bitte", "two pizzas to the office please", "披萨送到办公室") lost or mangled the dish, which was then
asked again. Found in CI: Whisper heard "Bestell mir" as "Bestellt mir"."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.closing import closed
from tandem.agent.ground import loose_slots
from tandem.agent.intents import intent_tools
from tandem.agent.understand import Understander

NOW = dt.datetime(2026, 11, 29, 15, 0)


@pytest.mark.parametrize(("text", "slots"), [
    ("Eine Pizza ins Büro, bitte", {"dish": "Pizza", "place": "office"}),  # no verb
    ("Bestellt mir eine Pizza ins Büro", {"dish": "Pizza", "place": "office"}),  # addressing several
    ("Bitte bestellt mir eine Pizza ins Büro", {"dish": "Pizza", "place": "office"}),
    ("Bestellen Sie mir eine Pizza", {"dish": "Pizza"}),  # addressing one politely: no dish 'Sie mir eine Pizza'
    ("Ich möchte eine Pizza in das Büro bestellen", {"dish": "Pizza", "place": "office"}),  # the verb at the end
    ("Ich möchte eine Pizza ins Büro bestellt", {"dish": "Pizza", "place": "office"}),  # no place 'Büro bestellt'
    ("Drei Pizzen zu mir nach Hause", {"dish": "Pizzen", "count": 3, "place": "home"}),
    ("two pizzas to the office please", {"dish": "pizzas", "count": 2, "place": "office"}),
    ("could you have a curry delivered home", {"dish": "curry", "place": "home"}),
    ("一份披萨送到办公室", {"dish": "披萨", "count": 1, "place": "office"}),
    ("披萨送到办公室", {"dish": "披萨", "place": "office"}),
])
def test_a_dish_said_without_the_examples_verb_is_read(understander: Understander, text: str,
                                                       slots: dict[str, object]) -> None:
    result = understander.understand(text, NOW)
    assert [i.name for i in result.intents] == ["order_food"]
    assert {k: v for k, v in result.intents[0].slots.items() if k in slots} == slots


@pytest.mark.parametrize(("text", "name", "slot", "value"), [
    ("Kauft mir ein Ladekabel", "buy_product", "item", "Ladekabel"),
    ("Kaufen Sie mir bitte eine Luftpumpe", "buy_product", "item", "Luftpumpe"),
    ("Notieren Sie, dass der Schlüssel beim Nachbarn liegt", "take_note", "text", "der Schlüssel beim Nachbarn liegt"),
])
def test_other_capabilities_read_the_verbs_other_forms_too(understander: Understander, text: str, name: str,
                                                           slot: str, value: str) -> None:
    result = understander.understand(text, NOW)
    assert [(i.name, i.slots.get(slot)) for i in result.intents] == [(name, value)]


@pytest.mark.parametrize(("clause", "paused", "lang", "slots"), [
    ("food delivery 3 veggie burgers Lindenallee 4", "food delivery: 3 veggie burgers, Lindenallee 4", "en",
     {"dish": "veggie burgers", "count": "3"}),  # a thing ends at a pause
    ("Zwei Portionen Falafel ins Büro", None, "de", {"dish": "Falafel", "count": "2", "place": "Büro"}),  # a unit
])
def test_a_phrased_thing_ends_at_a_pause_and_after_a_unit(clause: str, paused: str | None, lang: str,
                                                          slots: dict[str, str]) -> None:
    food = intent_tools(shipped())["order_food"]
    assert {k: v for k, v in loose_slots(food, clause, lang, paused).items() if k in slots} == slots


@pytest.mark.parametrize(("value", "lang", "place", "kept"), [
    ("Büro bestellt", "de", True, "Büro"),  # a participle whose prefix does not come apart
    ("Hauptstraße 5 verschickt", "de", True, "Hauptstraße 5"),
    ("Büro erst", "de", True, "Büro erst"),  # no participle
    ("pizza delivered", "en", False, "pizza"),  # English says it after the thing
    ("the shed", "en", True, "the shed"),
])
def test_participles_close_a_clause(value: str, lang: str, place: bool, kept: str) -> None:
    assert closed(value, lang, place=place, counts=not place) == kept


@pytest.mark.parametrize(("text", "slots"), [
    ("two pizzas to us at the office", {"dish": "pizzas", "count": 2, "place": "office"}),
    ("order a pizza to me at home", {"dish": "pizza", "place": "home"}),
    ("bestell zwei Pizzen zu uns ins Büro", {"dish": "Pizzen", "count": 2, "place": "office"}),
])
def test_a_place_begins_after_the_people_it_is_for(understander: Understander, text: str,
                                                   slots: dict[str, object]) -> None:
    """The place ran from the first "to": "us at the office" is no saved place and no address."""
    result = understander.understand(text, NOW)
    assert {k: v for k, v in result.intents[0].slots.items() if k in slots} == slots


@pytest.mark.parametrize(("value", "lang", "place", "kept"), [
    ("apples in my cart", "en", False, "apples"),  # a noun phrase ran to the clause's end
    ("Äpfel in meinen Warenkorb", "de", False, "Äpfel"),
    ("pizzas to us at the office", "en", False, "pizzas"),
    ("chicken in black bean sauce", "en", False, "chicken in black bean sauce"),  # no one's: the dish's own words
    ("us at the office", "en", True, "the office"),
    ("uns ins Büro", "de", True, "Büro"),
    ("Unter den Linden 5", "de", True, "Unter den Linden 5"),
])
def test_a_thing_ends_where_it_goes_to_someone(value: str, lang: str, place: bool, kept: str) -> None:
    assert closed(value, lang, place=place, counts=not place) == kept


@pytest.mark.parametrize(("text", "name", "slots"), [
    ("中午来两份黄焖鸡到办公室", "order_food", {"dish": "黄焖鸡", "count": 2, "place": "office"}),
    ("两包五号电池送办公室", "buy_product", {"item": "五号电池", "count": 2, "place": "office"}),
])
def test_a_chinese_thing_ends_where_it_goes(understander: Understander, text: str, name: str,
                                           slots: dict[str, object]) -> None:
    """A direction or a verb of where it goes said alone before a saved place ("到办公室", "送办公室") ran into the
    thing ('黄焖鸡到办公室'), and the place was lost with it."""
    result = understander.understand(text, NOW)
    assert [i.name for i in result.intents] == [name]
    assert {k: v for k, v in result.intents[0].slots.items() if k in slots} == slots


@pytest.mark.parametrize(("text", "name", "slots"), [
    ("麻烦买三根HDMI线寄到公司", "buy_product", {"item": "HDMI线", "count": 3, "place": "office"}),
    ("帮我点两份饺子到家", "order_food", {"dish": "饺子", "count": 2, "place": "home"}),
])
def test_a_template_that_ends_the_thing_before_where_it_goes_still_reads_the_place(
        understander: Understander, text: str, name: str, slots: dict[str, object]) -> None:
    """The template read the thing and the count and ended the thing before "寄到公司"; the saved place it names was
    read by no one (fast tier)."""
    result = understander.understand(text, NOW)
    assert [i.name for i in result.intents] == [name]
    assert {k: v for k, v in result.intents[0].slots.items() if k in slots} == slots


@pytest.mark.parametrize(("text", "note"), [
    ("take a note: passport expires 2031-05-02", "passport expires 2031-05-02"),
    ("notiere: Vertrag am 20.12.2025 unterschrieben", "Vertrag am 20.12.2025 unterschrieben"),
    ("记一下：合同2025年12月20日签的", "合同2025年12月20日签"),
])
def test_a_note_keeps_the_times_said_in_it(understander: Understander, text: str, note: str) -> None:
    """Review R17-4: every tier cut the time words out of a clause first, so a note, which takes no time, lost the
    dates the user asked it to keep ("passport expires")."""
    (found,) = understander.understand(text, NOW).intents
    assert found.name == "take_note" and found.slots["text"] == note


def test_a_note_the_learned_tier_reads_keeps_its_date(understander: Understander) -> None:
    result = understander.understand("a note please: passport expires 2031-05-02", NOW)
    assert result.tier == "learned" and [i.name for i in result.intents] == ["take_note"]
    assert "2031-05-02" in result.intents[0].slots["text"]


@pytest.mark.parametrize("text", ["Bring mich nach Hause", "Bringen Sie mich zum Hauptbahnhof"])
def test_who_is_brought_is_no_thing_to_order(understander: Understander, text: str) -> None:
    """Review R17-8: "Bring mich nach Hause" was a food order whose dish was "mich" (closing_words.toml ``people``)."""
    assert "order_food" not in [i.name for i in understander.understand(text, NOW).intents]
