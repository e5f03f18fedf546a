"""Reading a tool result the way a client sends it back: did the call fail, is it one page of more? And
what the model is told about it (``result_notes``)."""

from __future__ import annotations

import json

import pytest

from tandem.models.toolcalls import MAX_PAGES, MAX_TRIES, call_key, next_page_calls, result_notes, settled
from tandem.models.toolresults import More, is_error_result, more_results, next_arguments
from tandem.types import Message, Tool, ToolCall

FAILED = [
    # structure, whatever the language of the words in it
    '{"isError": true, "content": [{"type": "text", "text": "Der Dienst ist ausgelastet."}]}',  # MCP result
    '{"ok": false, "description": "rate limited"}',
    '{"success": false}',
    '{"status": 503, "detail": "upstream unavailable"}',
    '{"statusCode": "502"}',
    '{"status": "failed", "reason": "card expired"}',
    '{"error": {"code": "busy", "message": "try later"}}',
    "HTTP/1.1 503 Service Unavailable",
    '[{"type": "text", "text": "Error executing tool book_tickets: busy"}]',  # MCP content items passed on
    # words, in each language of tool_results.toml
    "Fehler: Der Buchungsdienst ist ausgelastet, es wurde nichts gebucht.",
    "Verbindungsfehler beim Buchungsdienst.",
    "Die Buchung ist fehlgeschlagen. Bitte später erneut versuchen.",
    "错误：订票服务繁忙，未能订票。",
    "订票服务繁忙，请稍后重试。",
]
SUCCEEDED = [
    '{"isError": false, "content": [{"type": "text", "text": "Error 404: the film, 2 tickets booked"}]}',
    '{"ok": true, "order_id": "A1"}',
    '{"status": 200, "order_id": "A1"}',
    '{"status": "booked", "errors": []}',
    "Zwei Karten für Dune gebucht, Bestellnummer A1.",
    "已为您预订两张《沙丘》电影票，订单号A1。",
    # a word of the cues inside the data: only a result's opening and close are read for them
    "Films: Dune, Heat, Up, Alien, Brazil, Her, Jaws, Ran, Rocky, Psycho, Vertigo, Fargo, Casablanca, Amadeus, "
    "Gravity, Memento, Inception, Titanic, Avatar, Arrival, Trial and Error, Sicario, Whiplash, Dunkirk, Tenet, "
    "Solaris, Stalker, Persona, Ikiru, Oldboy, Parasite, Roma, Coco, Soul, Luca, Elio, Wicked",
    '{"films": ["Trial and Error", "Heat"], "page": 1, "pages": 1}',
]


@pytest.mark.parametrize("result", FAILED)
def test_failures_are_read_from_structure_and_from_words_in_each_language(result: str) -> None:
    assert is_error_result(result)


@pytest.mark.parametrize("result", SUCCEEDED)
def test_results_are_not_taken_for_failures(result: str) -> None:
    assert not is_error_result(result)


@pytest.mark.parametrize(("result", "more"), [
    ('{"films": ["Dune", "Alien"], "page": 1, "pages": 2}', More(page=1, pages=2)),
    ('{"data": [1], "has_more": true, "next_cursor": "abc"}', More(token="abc")),  # OpenAI, Stripe
    ('{"tools": [], "nextCursor": "c2"}', More(token="c2")),  # MCP list results
    ('{"items": [], "nextPageToken": "t9"}', More(token="t9")),  # Google APIs
    ('{"items": [], "pageInfo": {"hasNextPage": true, "endCursor": "Y3"}}', More(token="Y3")),  # GraphQL
    ('{"count": 40, "next": "https://x.example/films?page=2", "results": []}',
     More(token="https://x.example/films?page=2")),  # Django REST framework
    ('{"items": [], "meta": {"pagination": {"current_page": 2, "total_pages": 5}}}', More(page=2, pages=5)),
    ('{"book": {"title": "Dune", "page": 12, "pages": 412}}', None),  # a book's pages are its data
    ('{"items": [], "pagination": {"current_page": 2, "total_pages": 5}}', More(page=2, pages=5)),
    ('{"items": [], "offset": 0, "limit": 10, "total": 25}', More(offset=10)),
    ('{"items": [], "page": "1", "pages": "4"}', More(page=1, pages=4)),  # numbers a query string gave back
    ('{"items": [], "page": "1", "pages": "\u00b2"}', None),  # a superscript is no page count
    ("Films (page 1 of 3): Dune, Alien", More(page=1, pages=3)),
    ("Filme (Seite 2 von 3): Heat, Up", More(page=2, pages=3)),
    ("电影列表（第1页，共3页）：沙丘、异形", More(page=1, pages=3)),
    ('{"films": ["Heat", "Up"], "page": 2, "pages": 2}', None),
    ('{"data": [1], "has_more": false, "next_cursor": "abc"}', None),
    ('{"items": [], "offset": 20, "limit": 10, "total": 25}', None),
    ('{"next": "21:00", "film": "Dune"}', None),  # a "next" that is data, not a link to more
    ("Films (page 3 of 3): Heat", None),
])
def test_more_pages_are_read_from_the_results_structure(result: str, more: More | None) -> None:
    assert more_results(result) == more


def test_the_next_call_advances_the_parameter_the_tool_has() -> None:
    by_page = {"properties": {"city": {"type": "string"}, "page": {"type": "integer"}}}
    by_cursor = {"properties": {"city": {"type": "string"}, "cursor": {"type": "string"}}}
    by_offset = {"properties": {"city": {"type": "string"}, "offset": {"type": "integer"}}}
    city = {"city": "Berlin"}
    assert next_arguments({**city, "page": 1}, by_page, More(page=1, pages=2)) == {**city, "page": 2}
    assert next_arguments(city, by_page, More(page=1, pages=2)) == {**city, "page": 2}
    assert next_arguments(city, by_cursor, More(token="abc")) == {**city, "cursor": "abc"}
    assert next_arguments(city, by_offset, More(offset=10)) == {**city, "offset": 10}
    assert next_arguments(city, {"properties": {"city": {}}}, More(page=1, pages=2)) is None


LIST = Tool("list_films", "Films showing in a city", {
    "type": "object", "properties": {"city": {"type": "string"}, "page": {"type": "integer"}},
    "required": ["city", "page"]})
BOOK = Tool("book_tickets", "Book tickets", {"type": "object", "properties": {"title": {"type": "string"}}})


def _turn(*exchanges: tuple[ToolCall, str]) -> tuple[Message, ...]:
    messages: tuple[Message, ...] = (Message("user", "List every film showing in Berlin, all pages."),)
    for call, result in exchanges:
        messages += (Message("assistant", None, (call,)), Message("tool", result, tool_call_id=call.id))
    return messages


def _page(n: int, of: int) -> tuple[ToolCall, str]:
    return (ToolCall(f"p{n}", "list_films", {"city": "Berlin", "page": n}),
            json.dumps({"films": [f"film {n}"], "page": n, "pages": of}))


def test_a_page_of_more_is_noted_with_the_call_that_fetches_the_next() -> None:
    notes = result_notes(_turn(_page(1, 3)), [LIST, BOOK])
    assert len(notes) == 1 and "page 1 of 3" in notes[0]
    assert 'list_films({"city": "Berlin", "page": 2})' in notes[0]
    assert next_page_calls(_turn(_page(1, 3)), [LIST]) == {call_key("list_films", {"city": "Berlin", "page": 2})}
    assert 'page": 3' in result_notes(_turn(_page(1, 3), _page(2, 3)), [LIST])[0]
    assert result_notes(_turn(_page(1, 3), _page(2, 3), _page(3, 3)), [LIST]) == []  # the last page
    # the next page fetched already (the model went back to page 1): not offered again
    assert result_notes(_turn(_page(1, 2), _page(2, 2), _page(1, 2)), [LIST]) == []
    # pages that never end are offered up to MAX_PAGES calls
    endless = [_page(n, 100) for n in range(1, MAX_PAGES + 1)]
    assert result_notes(_turn(*endless[:-1]), [LIST]) and not result_notes(_turn(*endless), [LIST])
    # only the results the conversation ends with are noted; a new user message ends the request
    assert result_notes((*_turn(_page(1, 2)), Message("assistant", "Dune, Alien")), [LIST]) == []
    assert result_notes((*_turn(_page(1, 2)), Message("user", "thanks")), [LIST]) == []


def test_a_failed_call_is_noted_as_one_to_retry_until_it_failed_max_tries_times() -> None:
    failed = [(ToolCall(f"b{i}", "book_tickets", {"title": "Dune"}), "错误：订票服务繁忙") for i in range(MAX_TRIES)]
    for tries in range(1, MAX_TRIES):
        notes = result_notes(_turn(*failed[:tries]), [BOOK])
        assert len(notes) == 1 and "call book_tickets again" in notes[0]
        assert not settled(_turn(*failed[:tries]))  # the retry is allowed
    notes = result_notes(_turn(*failed), [BOOK])
    assert f"failed {MAX_TRIES} times" in notes[0] and "Do not call it again" in notes[0]
    assert set(settled(_turn(*failed))) == {call_key("book_tickets", {"title": "Dune"})}
