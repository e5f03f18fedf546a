"""Clauses: a sentence is cut where it may hold another request (tandem/agent/clause_words.toml), and a clause that
names nothing of its own while asking for the same thing again adds to the request before it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tandem.agent.capabilities import shipped
from tandem.agent.clauses import cut
from tandem.agent.learned import LearnedTier
from tandem.agent.understand import TemplateParser, Understander

NOW = dt.datetime(2026, 11, 29, 15, 0)


@pytest.mark.parametrize(("text", "intent", "slots"), [
    ("buy tickets for the Coldplay concert and buy me two tickets", "buy_movie_tickets",
     {"film": "the Coldplay concert", "count": 2}),
    ("kauf Karten für Dune und kauf mir zwei Karten", "buy_movie_tickets", {"film": "Dune", "count": 2}),
    ("订沙丘的电影票，再订两张电影票", "buy_movie_tickets", {"film": "沙丘", "count": 2}),
    ("book tickets for Dune and book two tickets for tonight", "buy_movie_tickets",
     {"film": "Dune", "count": 2, "when": "2026-11-29"}),
])
def test_a_clause_that_names_nothing_and_asks_again_adds_to_the_request_before_it(text: str, intent: str,
                                                                                 slots: dict[str, object]) -> None:
    """"buy me two tickets" after the concert's tickets are two of them, not a second booking of a film not named
    (which would then ask "which film?")."""
    result = TemplateParser().parse(text, NOW)
    assert [(i.name, i.slots) for i in result.intents] == [(intent, slots)]


@pytest.mark.parametrize(("text", "intents"), [
    ("order a pizza and book two tickets", ["order_food", "buy_movie_tickets"]),  # another capability: its own
    ("book two tickets for Dune and book two tickets for Barbie", ["buy_movie_tickets", "buy_movie_tickets"]),
    ("买一个电水壶顺便买一个杯子", ["buy_product", "buy_product"]),  # 顺便 ("while at it") cuts like 另外
    # another value for one the request before has: its own request (asked about), never dropped (review R26)
    ("book two tickets for Dune and book three tickets", ["buy_movie_tickets", "buy_movie_tickets"]),
    ("book two tickets for Dune tonight and book two tickets tomorrow", ["buy_movie_tickets", "buy_movie_tickets"]),
])
def test_requests_of_their_own_stay_apart(text: str, intents: list[str]) -> None:
    assert [i.name for i in TemplateParser().parse(text, NOW).intents] == intents


@pytest.mark.parametrize("text", ["提醒我给妈妈买一个杯子顺便买点水果", "提醒我再买点牛奶"])
def test_a_dictated_to_do_runs_on_over_the_cut_words(text: str) -> None:
    """再/顺便 without a pause inside a reminder's to-do are its words, not a purchase of their own (review R27)."""
    result = TemplateParser().parse(text, NOW)
    assert [(i.name, i.slots["todo"]) for i in result.intents] == [("set_reminder", text.removeprefix("提醒我"))]


@pytest.mark.parametrize(("text", "lang", "parts"), [
    ("order me a pizza, and then book two tickets", "en", ["order me a pizza", "book two tickets"]),
    ("bestell eine Pizza; buch zwei Karten", "de", ["bestell eine Pizza", "buch zwei Karten"]),
    ("帮我点一份披萨送到办公室，再订两张票", "zh", ["帮我点一份披萨送到办公室", "订两张票"]),
    ("order a pizza and then book tickets", "fr", ["order a pizza", "book tickets"]),  # no words of its own: English
    # a dictated to-do runs on over the cut words; a pause ends it (review R27)
    ("提醒我给妈妈买一个杯子顺便买点水果", "zh", ["提醒我给妈妈买一个杯子顺便买点水果"]),
    ("提醒我再买点牛奶", "zh", ["提醒我再买点牛奶"]),
    ("remind me to buy milk and also pick up the kids", "en", ["remind me to buy milk and also pick up the kids"]),
    ("remind me to buy milk and book a taxi", "en", ["remind me to buy milk", "book a taxi"]),
    ("提醒我买牛奶，再订两张票", "zh", ["提醒我买牛奶", "订两张票"]),
    ("remind me to buy milk, and then book two tickets", "en", ["remind me to buy milk", "book two tickets"]),
    # a word that opens a clause after a pause goes with the pause (the learned tier reads the clause without it)
    ("点一份饺子，还有买一根充电线", "zh", ["点一份饺子", "买一根充电线"]),
    ("点一份饺子，也帮我买一根充电线", "zh", ["点一份饺子", "帮我买一根充电线"]),
    ("饺子还有吗", "zh", ["饺子还有吗"]),  # only after a pause
])
def test_where_a_sentence_is_cut(text: str, lang: str, parts: list[str]) -> None:
    assert cut(text, lang) == parts


def test_clauses_the_templates_joined_stand_against_the_whole_sentence_reading(tmp_path: Path) -> None:
    """Like several requests, one the templates read clause by clause is not weighed again by the learned tier, which
    reads only whole sentences: it took "kauf Karten für Dune und kauf mir zwei Karten" for a product called
    "Karten für Dune und kauf mir zwei Karten"."""
    from tandem.models.embeddings import E5Embedder

    understander = Understander(learned=LearnedTier(E5Embedder(), shipped(), cache=tmp_path / "vectors.npz"))
    for text, film in (("kauf Karten für Dune und kauf mir zwei Karten", "Dune"),
                       ("buy tickets for the Coldplay concert and buy me two tickets", "the Coldplay concert")):
        found = understander.understand(text, NOW)
        assert [(i.name, i.slots) for i in found.intents] == [("buy_movie_tickets", {"film": film, "count": 2})]


@pytest.mark.parametrize(("text", "wanted"), [
    ("order fish and chips to the office and remind me at 6 to call mom",
     [("order_food", "dish", "fish and chips"), ("set_reminder", "todo", "call mom")]),
    ("bestell mir Spaghetti und Salat ins Büro und erinnere mich um 18 Uhr an den Zahnarzt",
     [("order_food", "dish", "Spaghetti und Salat"), ("set_reminder", "todo", "Zahnarzt")]),
])
def test_a_piece_that_is_no_request_alone_stays_with_the_one_before_it(text: str,
                                                                       wanted: list[tuple[str, str, str]]) -> None:
    """"chips to the office" is no request of its own: it stays with "order fish", and the request after it is still
    one of its own (before, a sentence was read whole as soon as one piece was no request, and the reminder was lost
    in the place 'office and remind me to call mom')."""
    result = TemplateParser().parse(text, NOW)
    assert [(i.name, k, i.slots.get(k)) for i, (_, k, _) in zip(result.intents, wanted, strict=False)] == wanted
    assert len(result.intents) == len(wanted)
