"""Reversible pseudonymisation: nothing real leaves, everything comes back, placeholders stay stable."""

from __future__ import annotations

import pytest

from tandem.privacy.detect import CompositeDetector
from tandem.privacy.ner import SpacyDetector
from tandem.privacy.patterns import PatternDetector
from tandem.privacy.pseudonymize import StreamRestorer, Vault, analyse, redact, restore_value
from tandem.types import ChatRequest, Message, ToolCall
from tests.privacy.samples import SAMPLES

DETECTOR = CompositeDetector([PatternDetector(), SpacyDetector()])


def _redacted(*messages: Message) -> tuple[ChatRequest, Vault]:
    request = ChatRequest(messages=messages)
    vault = Vault()
    return redact(request, analyse(request, DETECTOR), vault).request, vault


@pytest.mark.parametrize(("language", "text", "values"), SAMPLES, ids=[f"{s[0]}-{i}" for i, s in enumerate(SAMPLES)])
def test_no_value_survives_and_restore_is_exact(language: str, text: str, values: dict[str, str]) -> None:
    redacted, vault = _redacted(Message("user", text))
    out = redacted.messages[0].content or ""
    for value in values:
        assert value not in out
    assert vault.restore(out) == text


def test_later_mentions_and_name_parts_are_replaced_everywhere() -> None:
    redacted, vault = _redacted(Message("user", "Please invite Margaret Holloway to the call."),
                                Message("assistant", "Sure. Should I tell margaret holloway the time?"),
                                Message("user", "Yes, and tell Holloway to bring the slides."))
    sent = " ".join(m.content or "" for m in redacted.messages)
    assert "Holloway" not in sent and "holloway" not in sent and "Margaret" not in sent
    assert vault.restore(redacted.messages[2].content or "") == "Yes, and tell Holloway to bring the slides."


def test_placeholders_are_stable_as_the_conversation_grows() -> None:
    first, _ = _redacted(Message("user", "Mail jordan.whitaker@fastmail.com about the lease."))
    second, _ = _redacted(Message("user", "Mail jordan.whitaker@fastmail.com about the lease."),
                          Message("assistant", "Done."), Message("user", "Also call (503) 555-0147."))
    assert first.messages[0] == second.messages[0]
    assert second.messages[2].content == "Also call <PHONE_1>."


def test_tool_call_arguments_in_history_are_redacted_and_results_restored() -> None:
    call = ToolCall("call_1", "send_mail", {"to": "jordan.whitaker@fastmail.com", "cc": ["t.hartmann@web.de"]})
    redacted, vault = _redacted(Message("user", "Mail Jordan."), Message("assistant", None, (call,)))
    sent = redacted.messages[1].tool_calls[0].arguments
    assert sent == {"to": "<EMAIL_1>", "cc": ["<EMAIL_2>"]}
    assert restore_value(sent, vault) == call.arguments


def test_restore_tolerates_models_that_mangle_brackets() -> None:
    vault = Vault()
    token = vault.placeholder("PERSON", "Katrin Vogelsang")
    assert token == "<PERSON_1>"
    for variant in ("<PERSON_1>", "PERSON_1", "< PERSON_1 >", "PERSON_1>"):
        assert vault.restore(f"Hallo {variant}!") == "Hallo Katrin Vogelsang!"
    assert vault.restore("PERSON_2 is unknown") == "PERSON_2 is unknown"


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7])
def test_stream_restorer_handles_placeholders_split_across_chunks(size: int) -> None:
    vault = Vault()
    vault.placeholder("PERSON", "李文博")
    vault.placeholder("EMAIL", "chenjing88@163.com")
    answer = "好的，<PERSON_1>，我会写信到<EMAIL_1>。DONE"
    restorer = StreamRestorer(vault)
    pieces = [restorer.feed(answer[i:i + size]) for i in range(0, len(answer), size)]
    assert "".join(pieces) + restorer.flush() == "好的，李文博，我会写信到chenjing88@163.com。DONE"


def test_single_word_names_are_replaced_only_as_written() -> None:
    vault = Vault()
    vault.placeholder("PERSON", "Will Turner")
    vault.placeholder("PERSON", "Will")
    assert vault.replace_known("Will said he will call WILL TURNER.") == "<PERSON_2> said he will call <PERSON_1>."


def test_a_chinese_name_is_replaced_beside_digits_and_latin_letters() -> None:
    vault = Vault()
    vault.placeholder("PERSON", "达恩·蒂雄")
    vault.placeholder("PERSON", "Ana")
    # a Han name runs into the date after it; a Latin name still stays whole-word only ("Anagram")
    assert vault.replace_known("议长达恩·蒂雄2月26日致函Ana，Anagram") == "议长<PERSON_1>2月26日致函<PERSON_2>，Anagram"
