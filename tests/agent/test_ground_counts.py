"""What a request counts: the count said before a counted noun (or as the party's size) is the request's count, never
a number word inside another value; a value ends before a count said in it and loses the unit at its start
(tandem/agent/measure_words.toml). Walk's W2/W8/W9 (session 11) and sentences of the same kinds."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.agent.capabilities import capabilities, shipped
from tandem.agent.ground import count_in, ended, grounded, loose_slots, names_nothing, without_choices
from tandem.agent.intents import intent_tools
from tandem.agent.slots import extract_when
from tandem.agent.understand import TemplateParser, normalise_slots

NOW = dt.datetime(2026, 12, 4, 15, 0)  # a Friday afternoon
SPECS = intent_tools(shipped())


@pytest.mark.parametrize(("text", "lang", "film", "count"), [
    ("Für Sieben Laternen brauche ich vier Kinokarten", "de", "Sieben Laternen", "4"),  # walk W2
    ("Für Sieben Laternen hätte ich gern vier Karten", "de", "Sieben Laternen", "4"),
    ("For Seven Lanterns I need four tickets", "en", "Seven Lanterns", "4"),
    ("for dune we need two seats", "en", "dune", "2"),
    ("tickets for Seven Samurai", "en", "Seven Samurai", None),  # a number inside the title is no count
    ("Besorg mir Karten für die Elektro-Nacht wir sind zu dritt", "de", "die Elektro-Nacht", "3"),  # walk W8
    ("get me tickets for the Electro Night there are three of us", "en", "the Electro Night", "3"),
])
def test_a_count_is_never_read_from_inside_another_value(text: str, lang: str, film: str, count: str | None) -> None:
    """The number next to the counted noun (or the party's size) is the count; the film ends before it, with who asks
    ("brauche ich", "I need"). A wrong count is a wrong purchase."""
    slots = loose_slots(SPECS["buy_movie_tickets"], text, lang)
    assert (slots.get("film"), slots.get("count")) == (film, count)


@pytest.mark.parametrize(("text", "lang"), [
    ("I want to buy tickets for the cinema", "en"),  # walk W8
    ("tickets for a movie", "en"),
    ("Karten für einen Film", "de"),
    ("我想买电影的票", "zh"),  # review R41: no film '买'
])
def test_the_capabilitys_own_words_name_no_film(text: str, lang: str) -> None:
    """A value made only of words the capability's examples spell themselves ("cinema", "Film", "买", "电影") names
    nothing the user chose: no film, it is asked (review R41: not a list of venue words)."""
    cinema = SPECS["buy_movie_tickets"]
    assert "film" not in normalise_slots(cinema, loose_slots(cinema, text, lang), None)


def test_a_model_count_from_inside_the_title_is_not_grounded() -> None:
    cinema, said = SPECS["buy_movie_tickets"], "Für Sieben Laternen morgen Abend brauche ich vier Kinokarten"
    assert count_in(cinema, said, "de") == 4
    assert not grounded(cinema, "count", 7, said) and grounded(cinema, "count", 4, said)
    assert not grounded(cinema, "film", "Sieben Laternen brauche ich vier Kinokarten", said)  # a model's run-on span
    assert grounded(cinema, "film", "Sieben Laternen", said)


@pytest.mark.parametrize(("name", "text", "lang", "slot", "value", "count"), [
    ("order_food", "Hätte gern zwei Portionen Falafel", "de", "dish", "Falafel", "2"),  # walk W8
    ("order_food", "I would like two portions of falafel", "en", "dish", "falafel", "2"),
    ("order_food", "bestell mir drei Schüsseln Ramen", "de", "dish", "Ramen", "3"),
    ("order_food", "来两碗牛肉面", "zh", "dish", "牛肉面", "2"),
    ("buy_product", "把两根充电线加到购物车", "zh", "item", "充电线", "2"),  # walk W9: where it goes is no part of it
    ("buy_product", "帮我把三本书放进购物车", "zh", "item", "书", "3"),
    ("buy_product", "家里卫生纸没了，帮我下单一提卫生纸", "zh", "item", "卫生纸", "1"),  # a pack (提), a roll (卷)
    ("buy_product", "帮我买两卷胶带", "zh", "item", "胶带", "2"),
])
def test_what_a_count_and_unit_count_is_the_thing_got(name: str, text: str, lang: str, slot: str, value: str,
                                                       count: str) -> None:
    """The examples frame no value here; the words after a count and its unit are what is counted."""
    slots = loose_slots(SPECS[name], text, lang)
    assert (slots.get(slot), slots.get("count")) == (value, count)


@pytest.mark.parametrize(("text", "intent", "slots"), [
    ("中午帮我叫个外卖，要两碗牛肉面，送到公司", "order_food", {"dish": "牛肉面", "count": 2, "place": "office"}),  # W8
    ("帮我点个外卖，来一份宫保鸡丁，送到家", "order_food", {"dish": "宫保鸡丁", "count": 1, "place": "home"}),
    ("bestell mir zwei Portionen Falafel ins Büro", "order_food", {"dish": "Falafel", "count": 2, "place": "office"}),
    ("bestell mir zwo Pizzen ins Büro", "order_food", {"dish": "Pizzen", "count": 2, "place": "office"}),  # "zwo"
    ("order two bowls of ramen to the office", "order_food", {"dish": "ramen", "count": 2, "place": "office"}),
    ("order a dozen donuts to the office", "order_food", {"dish": "donuts", "count": 12, "place": "office"}),
    ("bestell ein Dutzend Krapfen ins Büro", "order_food", {"dish": "Krapfen", "count": 12, "place": "office"}),
    ("book tickets for Dune, there are four of us", "buy_movie_tickets", {"film": "Dune", "count": 4}),
])
def test_a_template_value_is_kept_apart_from_its_count(text: str, intent: str, slots: dict[str, object]) -> None:
    """A Chinese value over pauses is its one piece that names something; a unit or count in a value is the count."""
    result = TemplateParser().parse(text, NOW)
    assert [(i.name, {k: v for k, v in i.slots.items() if k != "when"}) for i in result.intents] == [(intent, slots)]


@pytest.mark.parametrize(("text", "lang", "film"), [
    ("沙丘我要两张票", "zh", "沙丘"),  # its time words cut out: "沙丘明天晚上我要两张票"
    ("Dune brauchen wir drei Karten", "de", "Dune"),
    ("Dune we need two tickets", "en", "Dune"),
    ("看头脑特工队，给大家订五张", "zh", "头脑特工队"),  # "给大家": for whom, after a pause; no "看头脑特工队，给"
])
def test_a_thing_said_first_before_who_asks_and_the_count(text: str, lang: str, film: str | None) -> None:
    assert loose_slots(SPECS["buy_movie_tickets"], text, lang).get("film") == film


@pytest.mark.parametrize(("name", "text", "lang", "slots"), [
    ("buy_movie_tickets", "Karten für Dune zu 12 Euro", "de", {"film": "Dune zu 12 Euro"}),  # a price: no 12 tickets
    ("buy_movie_tickets", "Karten für Dune wir sind zu viert", "de", {"film": "Dune", "count": "4"}),
    ("order_food", "order pizza for the 3 of us", "en", {"dish": "pizza"}),  # food counts no people: no 3 pizzas
    ("set_reminder", "提醒我给妈妈打电话，再订一张去上海的机票", "zh", {}),  # a to-do counts nothing
])
def test_no_count_from_a_price_or_people_a_request_does_not_count(name: str, text: str, lang: str,
                                                                   slots: dict[str, str]) -> None:
    """Review R38/R39: a price ("zu 12 Euro") is no party's size; a request that counts no people takes no party size
    as its count, and one that counts nothing takes no counted thing."""
    assert {k: v for k, v in loose_slots(SPECS[name], text, lang).items() if k != "todo" or v} == slots


def test_the_people_of_a_party_are_no_thing_got() -> None:
    got = loose_slots(SPECS["buy_movie_tickets"], "帮我订电影票看沙丘，我们三个人", "zh")
    assert got == {"film": "沙丘", "count": "3"}


def test_a_party_size_counts_tickets() -> None:
    """A request counts people when its examples name what a ticket request gets ("tickets", "Karten", "票")."""
    assert count_in(SPECS["buy_movie_tickets"], "Dune for 4 people", "en") == 4
    assert count_in(SPECS["buy_event_tickets"], "Karten fürs Konzert, wir sind zu viert", "de") == 4
    assert count_in(SPECS["buy_movie_tickets"], "沙丘的票，我们三个人", "zh") == 3


def test_counts_and_units_alone_name_nothing() -> None:
    assert names_nothing("vier Kinokarten", "de") and names_nothing("zwei Portionen", "de")
    assert names_nothing("个外卖", "zh")
    assert not names_nothing("Falafel", "de") and not names_nothing("台灯", "zh")
    assert not names_nothing("Alexanderplatz", "de")  # a compound counts like its last noun only after a count


@pytest.mark.parametrize(("text", "rest"), [
    ("Trag mir für Donnerstag 10 Uhr ein Teammeeting ein", "Trag mir ein Teammeeting ein"),
    ("trag für Freitag 9 Uhr Zahnarzt in den Kalender ein", "trag Zahnarzt in den Kalender ein"),
    ("book two tickets for Dune for tonight", "book two tickets for Dune"),
    ("ich brauche ab Montag ein Auto", "ich brauche ein Auto"),
])
def test_a_day_takes_the_preposition_that_leads_it(text: str, rest: str) -> None:
    """"für Donnerstag" is the time: "für" left behind became part of a title ("für Zahnarzt", walk W8)."""
    assert extract_when(text, NOW)[1] == rest


@pytest.mark.parametrize(("text", "title"), [
    ("Trag mir ein Teammeeting ein", "ein Teammeeting"),  # walk W9 (its time words cut out)
    ("trag Zahnarzt in den Kalender ein", "Zahnarzt"),
])
def test_a_loose_reading_needs_only_the_word_that_closes_the_example(text: str, title: str) -> None:
    assert loose_slots(SPECS["add_calendar_event"], text, "de").get("title") == title


_RENTAL = capabilities([{  # a partner Tandem does not ship: its count counts days, its examples say so
    "id": "test.rental", "categories": ["lifestyle"],
    "tools": [{"name": "book_rental", "intent": "rent_car", "parameters": {
        "vehicle": {"kind": "text", "required": True}, "days": {"kind": "count", "required": True},
        "pickup": {"kind": "when", "required": True}},
        "examples": {"en": ["rent [me|us] a {vehicle} for {days} days {pickup}"],
                     "de": ["miete [mir|uns] einen {vehicle} für {days} tage {pickup}"],
                     "zh": ["[帮我]租一辆{vehicle}{pickup}租{days}天", "{pickup}租{vehicle}，{days}天"]}}]}])[0]


@pytest.mark.parametrize(("text", "lang", "slots"), [
    ("开始我要租三天电动车", "zh", {"vehicle": "电动车", "days": "3"}),  # walk W9 ("明天" cut out)
    ("帮我预订一辆面包车，取，用两天", "zh", {"vehicle": "面包车", "days": "2"}),  # walk W9 ("下周一" cut out)
    ("帮我预订一辆面包车", "zh", {"vehicle": "面包车"}),  # one van: no count of days, asked
    ("Ich bräuchte für fünf Tage einen Kombi", "de", {"vehicle": "Kombi", "days": "5"}),
    ("ich brauche zwei Transporter", "de", {}),  # two vans are no two days
    ("rent me a van for two days", "en", {"vehicle": "van", "days": "2"}),  # {pickup} frames no words here
])
def test_a_partners_count_is_read_in_the_units_its_examples_count(text: str, lang: str, slots: dict[str, str]) -> None:
    """What a count counts is the word the partner's examples put after it ("{days} days", "{days}天")."""
    assert loose_slots(_RENTAL, text, lang) == slots


@pytest.mark.parametrize(("text", "lang", "rest", "mode"), [
    ("Wie komme ich zu Fuß vom Büro zum Hauptbahnhof", "de", "Wie komme ich vom Büro zum Hauptbahnhof", "walk"),  # W8
    ("wie komme ich mit der U-Bahn vom Büro zum Hauptbahnhof", "de", "wie komme ich vom Büro zum Hauptbahnhof",
     "metro"),
    ("how do i get on foot from the office to the station", "en", "how do i get from the office to the station",
     "walk"),
    ("坐地铁从公司去火车站怎么走", "zh", "从公司去火车站怎么走", "metro"),
])
def test_a_choice_said_mid_clause_is_taken_out_with_its_lead(text: str, lang: str, rest: str, mode: str) -> None:
    """A manner of going ("zu Fuß", "on foot", "步行") said where no example frames it is no part of a place."""
    assert without_choices(SPECS["find_route"], text, lang) == (rest, {"mode": mode})


@pytest.mark.parametrize(("text", "lang", "slots"), [
    ("wie komme ich mit der U-Bahn vom Büro zum Hauptbahnhof", "de",
     {"origin": "Büro", "destination": "Hauptbahnhof", "mode": "metro"}),
    ("从公司步行到火车站怎么走", "zh", {"origin": "公司", "destination": "火车站", "mode": "walk"}),
    ("take me to the car wash", "en", {"destination": "the car wash"}),  # a place's own word: no car (review R45)
    ("Wie komme ich zum Büro", "de", {"destination": "Büro"}),  # one word fills one place: no origin "office" too
])
def test_a_loose_reading_frames_the_places_around_a_choice(text: str, lang: str, slots: dict[str, str]) -> None:
    assert loose_slots(SPECS["find_route"], text, lang) == slots


def test_a_value_that_swallowed_a_choice_with_other_words_is_no_value() -> None:
    """"mit der {mode} zum {destination}" reading "U-Bahn vom Büro" as the mode lost the origin: that reading is
    dropped (the clause is read without the choice words); "the subway" is still the metro."""
    route = SPECS["find_route"]
    assert ended(route, {"mode": "U-Bahn vom Büro", "destination": "Hauptbahnhof"}, "de")["mode"] is None
    assert ended(route, {"mode": "the subway"}, "en")["mode"] == "the subway"
    assert ended(route, {"origin": "公司步行"}, "zh")["origin"] is None
    assert ended(route, {"destination": "地铁站"}, "zh")["destination"] == "地铁站"


def test_an_example_keeps_its_inner_spaces_when_its_time_parameters_go() -> None:
    """Only the end of an example loses the space a dropped {when} leaves: "(and (send|deliver) it )(to|at)" keeps
    it."""
    said = loose_slots(SPECS["buy_product"], "buy a yoga mat online and send it to my place", "en")
    assert said["item"] == "yoga mat"


@pytest.mark.parametrize(("clause", "paused", "lang", "film", "count"), [
    ("Karten für Dune drei Stück", "Karten für Dune, drei Stück", "de", "Dune", "3"),
    ("tickets for Dune two please", "tickets for Dune, two please", "en", "Dune", "2"),
    ("tickets for Dune two", None, "en", "Dune two", None),  # without its pauses the number may be the title's
])
def test_a_count_said_alone_after_a_pause_is_no_part_of_the_value(clause: str, paused: str | None, lang: str,
                                                                  film: str, count: str | None) -> None:
    slots = loose_slots(SPECS["buy_movie_tickets"], clause, lang, paused)
    assert (slots.get("film"), slots.get("count")) == (film, count)


@pytest.mark.parametrize(("text", "lang", "dish"), [
    ("Hätte gern zwei große Portionen Falafel", "de", "Falafel"),
    ("I would like two large bowls of ramen", "en", "ramen"),
])
def test_a_word_that_describes_the_unit_may_stand_between_it_and_the_count(text: str, lang: str, dish: str) -> None:
    """"two *large* bowls of ramen": two bowls, of ramen (a word in capitals is a name's: "Seven Samurai")."""
    assert loose_slots(SPECS["order_food"], text, lang) == {"dish": dish, "count": "2"}


@pytest.mark.parametrize(("text", "dish"), [
    ("点一份饺子和一杯奶茶送到家", "饺子和一杯奶茶"),
    ("bestell eine Pizza und zwei Cola ins Büro", "Pizza und zwei Cola"),
])
def test_a_count_after_and_counts_a_second_thing_and_does_not_end_the_first(text: str, dish: str) -> None:
    """"饺子和一杯奶茶" was the dish "饺子和": the count of the tea ended the value as if it counted the dumplings."""
    (intent,) = TemplateParser().parse(text, NOW).intents
    assert intent.slots["dish"] == dish


@pytest.mark.parametrize(("text", "count"), [
    ("订三张", 3), ("两份饺子", 2), ("十二个包子", 12), ("二十二个包子", 22),
    ("来一点水果", None), ("我要一些饺子", None), ("十多个包子", None),  # "some", "more than ten": no count
])
def test_a_chinese_count_is_a_numeral_before_a_classifier(text: str, count: int | None) -> None:
    """Review R11: the numerals and classifiers are measure_words.toml data (`numerals`, `classifiers`), no longer
    character classes in counts.py; a measure word that says "some" or "more" (一点, 一些, 多) counts nothing."""
    assert count_in(intent_tools(shipped())["order_food"], text, "zh") == count


def test_every_number_word_and_numeral_is_read_from_one_table() -> None:
    """Chinese numerals were spelled in three places (slots, templates.COUNT_WORDS, measure_words.toml) and the
    number words in two, each with its own gaps: 'zwölf' and 'einer' were no count to a template, '两条' no count to
    parse_count (its classifiers were a list of its own). measure_words.toml ``numbers`` and ``numerals`` are read
    by all of them."""
    import re

    from tandem.agent.slots import parse_count
    from tandem.agent.templates import COUNT_WORDS
    from tandem.agent.words import MEASURE_WORDS, load

    data = load(MEASURE_WORDS)
    for words in data["numbers"].values():
        for word, value in words.items():
            assert parse_count(word) == value
            assert re.fullmatch(COUNT_WORDS, word, re.IGNORECASE), word
    for classifier in data["classifiers"]["zh"]:
        assert parse_count("两" + classifier) == 2, classifier
    assert parse_count("十二") == 12 and parse_count("二十二") == 22 and parse_count("俩") == 2
    assert re.fullmatch(COUNT_WORDS, "二十二") and not re.fullmatch(COUNT_WORDS, "零")


def test_the_units_a_count_counts_in_are_read_in_one_walk_of_an_example() -> None:
    """count_units walked the rest of an example again for every option of every choice: exponential in the choices
    (und6: 45.5 M calls for 908 reads, 340 s of one `tandem ask` in the partner guard). An example with 24 optional
    words reads in one walk."""
    from tandem.agent.counts import count_units

    many = " ".join(f"[w{i}|v{i}]" for i in range(24))
    spec = capabilities([{
        "id": "test.boats", "categories": ["lifestyle"],
        "tools": [{"name": "rent_boat", "intent": "rent_boat", "parameters": {
            "boat": {"kind": "text", "required": True}, "hours": {"kind": "count", "required": True}},
            "examples": {"en": [f"rent a {{boat}} {many} for {{hours}} hours {many}"]}}]}])[0]
    assert count_units(spec, "en") == {"hours"}


def test_a_unit_said_as_a_choice_after_the_count_is_one_of_its_units() -> None:
    """"{hours} (hours|h)": the space between the count and the choice had no first word, so the capability had no
    units of its own (slots6's notes); an article before the unit ("(a seat|seats)") is no unit."""
    from tandem.agent.counts import count_units

    spec = capabilities([{
        "id": "test.boats", "categories": ["lifestyle"],
        "tools": [{"name": "rent_boat", "intent": "rent_boat", "parameters": {
            "boat": {"kind": "text", "required": True}, "hours": {"kind": "count", "required": True}},
            "examples": {"en": ["rent a {boat} for {hours} (hours|h)", "book {hours} (an hour|hours) on a {boat}"],
                         "de": ["miete ein {boat} für {hours} ( Stunden|Std)"]}}]}])[0]
    assert count_units(spec, "en") == {"hours", "h", "hour"}
    assert count_units(spec, "de") == {"stunden", "std"}


@pytest.mark.parametrize(("name", "text", "lang", "slot", "value"), [
    ("search_products", "Zeig mir ein paar Schreibtischlampen", "de", "item", "Schreibtischlampen"),
    ("buy_product", "kauf mir ein paar Batterien", "de", "item", "Batterien"),
    ("buy_product", "buy me a few batteries", "en", "item", "batteries"),
    ("buy_product", "帮我买几个电池", "zh", "item", "电池"),
    ("order_food", "get some pad thai delivered to my office", "en", "dish", "pad thai"),
])
def test_a_few_is_no_count_and_no_part_of_the_thing(name: str, text: str, lang: str, slot: str, value: str) -> None:
    """measure_words.toml ``vague``: "ein paar" (a few) says no number: no count of one from its "ein", and the thing is
    what follows (session 20: item "ein paar Saugroboter"); the capability asks how many where it needs to know."""
    (read,) = TemplateParser().parse(text, NOW, lang=lang).intents
    assert read.slots[slot] == value and "count" not in read.slots
    loose = loose_slots(SPECS[name], text, lang)
    assert loose[slot] == value and "count" not in loose


@pytest.mark.parametrize(("name", "text", "lang", "slots"), [
    ("buy_product", "kauf mir ein Paar Socken", "de", {"count": 1, "item": "Socken"}),  # a pair, in capitals: one
    ("buy_product", "buy me a couple of batteries", "en", {"count": 2, "item": "batteries"}),
    ("buy_movie_tickets", "two tickets for Some Like It Hot", "en", {"count": 2, "film": "Some Like It Hot"}),
    ("set_reminder", "remind me to buy a few eggs", "en", {"todo": "buy a few eggs"}),  # a to-do keeps its words
])
def test_what_says_how_many_or_is_a_name_is_no_vague_count(name: str, text: str, lang: str,
                                                           slots: dict[str, object]) -> None:
    (read,) = TemplateParser().parse(text, NOW, lang=lang).intents
    assert {k: v for k, v in read.slots.items() if k in slots} == slots
