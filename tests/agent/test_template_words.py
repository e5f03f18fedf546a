"""Templates compiled from a manifest's declared data: a choice parameter reads only the words the partner
declared for it, and a request may open with the language's polite forms. No model, no partner process."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.ground import loose_slots
from tandem.agent.intents import IntentSpec, intent_tools
from tandem.agent.templates import compile_example
from tandem.agent.understand import TemplateParser, Understander

NOW = dt.datetime(2026, 11, 29, 15, 0)

ROUTE = IntentSpec(
    name="find_route", category="navigation", tool="route", description="A route to a place.",
    slots={"destination": "text", "mode": "choice"}, required=("destination",),
    examples={"en": ("(route|way) to {destination} [by {mode}]",), "de": ("weg (zum|nach) {destination} [mit {mode}]",),
              "zh": ("[坐{mode}](去|到){destination}",)},
    choices={"mode": {"metro": ("subway", "u-bahn", "öffentlichen verkehrsmitteln", "地铁"),
                      "walk": ("on foot", "步行")}})
TAXI = IntentSpec(
    name="book_taxi", category="lifestyle", tool="book_ride", description="Book a taxi.",
    slots={"destination": "text"}, required=("destination",),
    examples={"en": ("(book|get) [me] a (taxi|ride) to {destination}",), "de": ("ein taxi (zum|nach) {destination}",)})


def _read(spec: IntentSpec, lang: str, said: str) -> dict[str, str] | None:
    for pattern in spec.patterns[lang]:
        if match := pattern.fullmatch(said):
            return {name: value for name, value in match.groupdict().items() if value}
    return None


@pytest.mark.parametrize(("lang", "said", "mode"), [
    ("zh", "坐地铁到天安门", "地铁"),
    ("en", "route to the zoo by subway", "subway"),
    ("de", "Weg zum Zoo mit den öffentlichen Verkehrsmitteln", "den öffentlichen Verkehrsmitteln"),
])
def test_a_choice_parameter_reads_the_words_declared_for_it(lang: str, said: str, mode: str) -> None:
    assert (_read(ROUTE, lang, said) or {}).get("mode") == mode


def test_a_choice_parameter_reads_no_word_the_partner_did_not_declare() -> None:
    assert _read(ROUTE, "zh", "坐出租车到天安门") is None  # a taxi is none of its modes: no route out of a taxi ride
    assert _read(ROUTE, "en", "route to the zoo by helicopter") == {"destination": "the zoo by helicopter"}


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "Can I get a ride to the main station"), ("en", "could we get a taxi to the fair"),
    ("de", "Kann ich ein Taxi zum Hafen"),
])
def test_a_request_may_open_by_asking_whether_the_user_may(lang: str, said: str) -> None:
    assert _read(TAXI, lang, said) is not None


@pytest.mark.parametrize(("said", "name", "slot", "value"), [
    ("帮我找找雨衣", "search_products", "item", "雨衣"),  # 找 doubled
    ("帮我看一看跑鞋", "search_products", "item", "跑鞋"),  # the example writes 看看; 看一看 is the same verb
    ("查查电动牙刷的价格", "search_products", "item", "电动牙刷"),
    ("我想买买新手机壳", "buy_product", "item", "新手机壳"),
    ("找一找关于密码的笔记", "show_notes", "topic", "密码"),
])
def test_a_doubled_chinese_verb_is_no_part_of_the_value_after_it(said: str, name: str, slot: str, value: str) -> None:
    """A verb said twice or with 一 between (verb_words.toml ``doubled``) reads as the verb: the fast tier's templates
    and the learned tier's loose reading both leave it out of the value (session 20: item "找雨衣")."""
    (read,) = TemplateParser().parse(said, NOW, lang="zh").intents
    assert (read.name, read.slots[slot]) == (name, value)
    assert loose_slots(intent_tools(shipped())[name], said, "zh")[slot] == value


def test_only_a_word_of_one_letter_is_doubled() -> None:
    pattern = compile_example("(找|搜索)[：]{item}", {"item": "text"}, forms=("{verb}{verb}",))
    said = ("找找雨衣", "搜索搜索雨衣", "找：：雨衣")  # no word of two characters or punctuation mark is a doubled verb
    assert [(pattern.fullmatch(s) or {"item": None})["item"] for s in said] == ["雨衣", "搜索雨衣", "：雨衣"]


@pytest.mark.parametrize("said", ["could we get a dog?", "could I get a second chance?",
                                  "können wir einen Hund haben?"])
def test_a_wish_that_asks_whether_is_no_order_of_a_loose_template(understander: Understander, said: str) -> None:
    assert understander.understand(said, NOW).intents == ()  # review R55: "get {dish}" read them after eecae88


@pytest.mark.parametrize("said", ["Can I get a pizza delivered to the office?",
                                  "could we get two tickets for Dune tonight"])
def test_a_request_that_asks_whether_still_reads(understander: Understander, said: str) -> None:
    assert understander.understand(said, NOW).intents, said


def test_a_choice_said_where_no_template_puts_it_is_read_apart(understander: Understander) -> None:
    """ "zu Fuß" before the places (the templates put the mode last): no destination 'Fuß vom Büro zum Hauptbahnhof'
    (walkthrough W8; ground.without_choices tried as a second reading of the fast tier)."""
    (route,) = understander.understand("Wie komme ich zu Fuß vom Büro zum Hauptbahnhof?", NOW).intents
    assert route.slots == {"mode": "walk", "origin": "office", "destination": "Hauptbahnhof"}
