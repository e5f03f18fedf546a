"""A partner's structured answer too large to read is a failed call that says so, not a value the agent, the
journal and the privacy check each hold and walk (a hostile or broken partner's flood)."""

from __future__ import annotations

import json

from mcp.types import CallToolResult, TextContent

from tandem.services.hub import MAX_RESULT_CHARS, MAX_RESULT_DATA_CHARS, _outcome


def _answer(data: object, *, structured: bool) -> CallToolResult:
    text = json.dumps(data)
    return CallToolResult(content=[TextContent(type="text", text=text)],
                          structuredContent={"result": data} if structured else None)


def test_an_answer_within_the_bound_is_read_whole_and_its_text_cut_for_the_model() -> None:
    rows = [{"id": n, "name": f"item {n}"} for n in range(2_000)]  # ~50,000 characters
    outcome = _outcome("shop", "search", _answer(rows, structured=True))
    assert outcome.ok and outcome.data == rows and len(outcome.text) == MAX_RESULT_CHARS


def test_a_structured_answer_over_the_bound_is_a_failed_call_that_says_so() -> None:
    rows = [{"id": n, "name": f"item {n}"} for n in range(6_000)]  # ~150,000 characters
    outcome = _outcome("shop", "search", _answer(rows, structured=True))
    assert not outcome.ok and outcome.data is None
    assert "too large" in outcome.text and f"{MAX_RESULT_DATA_CHARS:,}" in outcome.text and len(outcome.text) < 200


def test_json_text_over_the_bound_is_not_parsed_only_cut() -> None:
    rows = [{"id": n, "name": f"item {n}"} for n in range(6_000)]
    outcome = _outcome("shop", "search", _answer(rows, structured=False))
    assert outcome.ok and outcome.data is None and len(outcome.text) == MAX_RESULT_CHARS


def test_plain_text_over_the_bound_is_cut_not_refused() -> None:
    outcome = _outcome("notes", "show", CallToolResult(content=[TextContent(type="text", text="x" * 200_000)]))
    assert outcome.ok and outcome.data is None and outcome.text == "x" * MAX_RESULT_CHARS


def test_json_nested_too_deep_to_parse_is_plain_text() -> None:
    """A short text of 3,000 nested brackets raised RecursionError out of the call (reread24 M2): a 500."""
    deep = "[" * 3_000 + "]" * 3_000
    outcome = _outcome("shop", "search", CallToolResult(content=[TextContent(type="text", text=deep)]))
    assert outcome.ok and outcome.data is None and outcome.text == deep
