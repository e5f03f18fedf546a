"""Do tool loops end? A multi-turn set of our own with real tools (some with side effects), run the way
every client framework runs them: call the model, run the calls it makes, send the results, repeat until
it answers (at most --turns rounds).

    python bench/toolloop.py [--model device:qwen2.5-0.5b] [--turns 5] [--seeds 2]

Reports per scenario: whether the loop ended with an answer, how often each side-effect tool took effect
(must be once), identical calls repeated after their result (must be 0; a retry after an error result is
not a repeat), whether the needed calls were made (a second, different call — the next page — and a retry
after a tool that failed once count among them) and how many calls took effect beyond the needed ones
(a page nobody asked for, an unasked note). Nothing is tuned on this set; it is all reported."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tandem.config import load_settings
from tandem.models.base import complete
from tandem.models.llamacpp import call_key
from tandem.models.registry import ModelRegistry
from tandem.types import ChatRequest, Message, Tool, ToolCall


def _schema(**props: str) -> dict[str, Any]:
    types = {"count": "integer", "page": "integer", "amount": "number"}
    return {"type": "object", "properties": {k: {"type": types.get(k, "string"), "description": v}
                                             for k, v in props.items()},
            "required": list(props), "additionalProperties": False}


TOOLS = {
    "book_tickets": Tool("book_tickets", "Book cinema tickets for a film (charges the card)",
                         _schema(title="film title", count="number of tickets", date="date, YYYY-MM-DD")),
    "search_showtimes": Tool("search_showtimes", "Showtimes of a film in a city on a date",
                             _schema(title="film title", city="city", date="date, YYYY-MM-DD")),
    "book_showtime": Tool("book_showtime", "Book tickets for a showtime id (charges the card)",
                          _schema(showtime_id="id from search_showtimes", count="number of tickets")),
    "get_weather": Tool("get_weather", "Current weather in a city", _schema(city="city")),
    "add_note": Tool("add_note", "Save a note", _schema(text="the note")),
    "list_films": Tool("list_films", "Films showing in a city, two per page",
                       _schema(city="city", page="page, from 1")),
}
SIDE_EFFECTS = {"book_tickets", "book_showtime", "add_note"}
RESULTS = {
    "book_tickets": {"order_id": "A1", "status": "booked"},
    "search_showtimes": {"showtimes": [{"showtime_id": "S-1830", "time": "18:30"},
                                       {"showtime_id": "S-2100", "time": "21:00"}]},
    "book_showtime": {"order_id": "B7", "status": "booked"},
    "get_weather": {"temperature_c": 14, "sky": "cloudy"},
    "add_note": {"note_id": "N3", "saved": True},
}
VERBOSE = False
PAGES = [{"films": ["Dune", "Alien"], "page": 1, "pages": 2}, {"films": ["Heat", "Up"], "page": 2, "pages": 2}]
FAILED = json.dumps({"error": "The booking service was busy; nothing was booked. Try again."})
# What openai-agents sends back when a tool raises (its default failure_error_function).
GENERIC_FAILURE = "An error occurred while running the tool. Please try again. Error: booking service busy"


def result_of(call: ToolCall, fail: str | None) -> str:
    if fail is not None:
        return fail
    return json.dumps(_result(call))


def _result(call: ToolCall) -> dict[str, Any]:
    if call.name == "list_films":
        page = call.arguments.get("page")
        return PAGES[page - 1] if page in (1, 2) else {"films": [], "page": page, "pages": 2}
    return RESULTS[call.name]


@dataclass(frozen=True)
class Scenario:
    name: str
    request: str
    tools: tuple[str, ...]
    needed: tuple[str, ...]  # tools that must take effect, each as often as it is named here
    fails_once: tuple[str, ...] = ()  # tools whose first run returns an error result (and takes no effect)
    failure: str = FAILED  # that error result, as the client sends it back


SCENARIOS = [
    Scenario("book (en)", "Book two tickets for Dune on 2025-06-01.", ("book_tickets", "get_weather"),
             ("book_tickets",)),
    Scenario("book (de)", "Buche zwei Karten für Dune am 2025-06-01.", ("book_tickets", "get_weather"),
             ("book_tickets",)),
    Scenario("book (zh)", "帮我订两张2025-06-01的《沙丘》电影票。", ("book_tickets", "get_weather"), ("book_tickets",)),
    Scenario("weather", "What is the weather in Munich right now?", ("get_weather", "add_note"), ("get_weather",)),
    Scenario("note", "Save a note: buy milk on the way home.", ("add_note", "get_weather"), ("add_note",)),
    Scenario("search then book", "Find showtimes of Dune in Berlin on 2025-06-01, then book two tickets for the "
             "18:30 one.", ("search_showtimes", "book_showtime"), ("search_showtimes", "book_showtime")),
    Scenario("all pages", "List every film showing in Berlin, all pages.", ("list_films", "get_weather"),
             ("list_films", "list_films")),
    Scenario("retry after error", "Book two tickets for Dune on 2025-06-01.", ("book_tickets", "get_weather"),
             ("book_tickets",), fails_once=("book_tickets",)),
    Scenario("retry after error (de)", "Buche zwei Karten für Dune am 2025-06-01.", ("book_tickets", "get_weather"),
             ("book_tickets",), fails_once=("book_tickets",),
             failure="Fehler: Der Buchungsdienst ist ausgelastet, es wurde nichts gebucht."),
    Scenario("retry after error (zh)", "帮我订两张2025-06-01的《沙丘》电影票。", ("book_tickets", "get_weather"),
             ("book_tickets",), fails_once=("book_tickets",), failure="错误：订票服务繁忙，未能订票。"),
    Scenario("retry after generic error", "Book two tickets for Dune on 2025-06-01.", ("book_tickets", "get_weather"),
             ("book_tickets",), fails_once=("book_tickets",), failure=GENERIC_FAILURE),
    Scenario("one page asked", "Is Alien showing in Berlin?", ("list_films", "get_weather"), ("list_films",)),
]


def run(model: Any, scenario: Scenario, seed: int, turns: int) -> dict[str, Any]:
    messages: list[Message] = [Message("user", scenario.request)]
    tools = tuple(TOOLS[t] for t in scenario.tools)
    ran: list[str] = []  # calls that took effect (a failed run does not)
    repeated, answer = 0, ""
    done: set[str] = set()
    failing = list(scenario.fails_once)
    for _ in range(turns):
        result = complete(model, ChatRequest(messages=tuple(messages), tools=tools, seed=seed, max_tokens=150))
        if not result.message.tool_calls:
            answer = result.message.content or ""
            break
        messages.append(result.message)
        for call in result.message.tool_calls:
            key = call_key(call.name, call.arguments)
            fail = scenario.failure if call.name in failing else None
            repeated += key in done
            if fail is not None:
                failing.remove(call.name)
            else:
                done.add(key)
                ran.append(call.name)
            messages.append(Message("tool", result_of(call, fail), tool_call_id=call.id))
            if VERBOSE:
                print(f"    {call.name}({json.dumps(call.arguments, ensure_ascii=False)}){' failed' if fail else ''}")
    effects = {t: ran.count(t) for t in SIDE_EFFECTS if t in scenario.tools}
    exact = all(n == scenario.needed.count(t) for t, n in effects.items())
    return {"ended": bool(answer.strip()), "effects": effects, "exact": exact, "repeated": repeated,
            "needed_done": all(ran.count(t) >= scenario.needed.count(t) for t in scenario.needed), "ran": ran,
            "unneeded": sum(max(0, ran.count(t) - scenario.needed.count(t)) for t in set(ran))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="device:qwen2.5-0.5b")
    parser.add_argument("--turns", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--only", default="", help="run only the scenarios whose name contains one of these "
                        "(comma-separated)")
    parser.add_argument("--verbose", action="store_true", help="print every call with its arguments")
    args = parser.parse_args()
    global VERBOSE
    VERBOSE = args.verbose
    settings = load_settings(home=Path(tempfile.mkdtemp()), default_model=args.model)
    model = ModelRegistry(settings).get(args.model)
    started, rows = time.monotonic(), []
    print(f"{'scenario':<26} {'seed':>4} {'ended':>6} {'repeats':>8} {'needed':>7} {'unneeded':>9}  "
          "side effects / calls")
    for scenario in [s for s in SCENARIOS if any(part in s.name for part in args.only.split(","))]:
        for seed in range(args.seeds):
            row = run(model, scenario, seed, args.turns)
            rows.append(row)
            print(f"{scenario.name:<26} {seed:>4} {row['ended']!s:>6} {row['repeated']:>8} {row['needed_done']!s:>7} "
                  f"{row['unneeded']:>9}  {row['effects']} {row['ran']}", flush=True)
    once = sum(r["exact"] for r in rows)
    print(f"\n{args.model}: {len(rows)} loops; ended with an answer {sum(r['ended'] for r in rows)}/{len(rows)}; "
          f"identical calls repeated {sum(r['repeated'] for r in rows)}; needed calls made "
          f"{sum(r['needed_done'] for r in rows)}/{len(rows)}; calls beyond the needed ones "
          f"{sum(r['unneeded'] for r in rows)}; side effects exactly as asked (once, or never if not "
          f"asked) {once}/{len(rows)}; "
          f"{time.monotonic() - started:.0f}s")


if __name__ == "__main__":
    main()
