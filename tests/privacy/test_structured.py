"""JSON in a message (a tool's result) is read and replaced in its values; the keys a program wrote stay."""

from __future__ import annotations

import json

from tandem.privacy.detect import Finding
from tandem.privacy.pseudonymize import Vault, analyse, redact
from tandem.router.wiring import egress_detector, fast_detector
from tandem.types import ChatRequest, Message, ToolCall

EGRESS = egress_detector(fast_detector("DE"))


def _sent(content: str) -> str:
    request = ChatRequest(messages=(
        Message("user", "Wie steht meine Bestellung?"),
        Message("assistant", None, tool_calls=(ToolCall("c1", "track_order", {"order": "A-1"}),)),
        Message("tool", content, tool_call_id="c1")))
    return redact(request, analyse(request, EGRESS), Vault()).request.messages[-1].content or ""


def test_the_keys_of_a_tool_result_stay_and_its_values_are_replaced() -> None:
    sent = json.loads(_sent(json.dumps({"ok": True, "order_id": "A-1234", "status": "shipped",
                                        "recipient": {"name": "Johanna Krüger", "phone": "+49 30 1234567"}})))
    assert sent["ok"] is True and sent["order_id"] == "A-1234" and sent["status"] == "shipped"
    assert set(sent["recipient"]) == {"name", "phone"}
    assert "Krüger" not in sent["recipient"]["name"] and "1234567" not in sent["recipient"]["phone"]


def test_values_the_serialiser_escaped_are_read_decoded() -> None:
    # Python's json.dumps escapes every non-ASCII character: "\u5f20\u654f\u534e" is 张敏华 to any cloud model.
    sent = _sent(json.dumps({"patient": "张敏华", "doctor": "Dr. Jürgen Hübschmann", "room": 12}))
    decoded = json.dumps(json.loads(sent), ensure_ascii=False)
    assert "张敏华" not in decoded and "Hübschmann" not in decoded and "\\u" not in sent
    assert json.loads(sent)["room"] == 12


def test_a_number_and_a_key_that_no_program_wrote_are_read_as_values() -> None:
    sent = _sent(json.dumps({"caller": 13812345678, "Anna Weber": {"seat": "12A"}}))
    assert "13812345678" not in sent and "Anna Weber" not in sent
    assert "seat" in sent and "12A" in sent


class _AcrossLines:
    """A detector that reads an address across two values of a JSON reading ("street: …\\ncity: …"), as the
    address rules read an address line and the town line after it."""

    def detect(self, text: str, language: str) -> list[Finding]:
        start = text.find("Lindenweg")
        end = text.find("Zell") + len("Zell") if start >= 0 else -1
        return [Finding(start, end, "ADDRESS", text[start:end], 0.9, "test")] if start >= 0 else []


def test_a_finding_read_across_two_values_replaces_each_of_them() -> None:
    record = {"street": "Lindenweg 7", "city": "Zell"}
    request = ChatRequest(messages=(Message("tool", json.dumps(record), tool_call_id="c"),))
    sent = json.loads(redact(request, analyse(request, _AcrossLines()), Vault()).request.messages[0].content or "")
    assert set(sent) == {"street", "city"} and "Lindenweg" not in sent["street"] and "Zell" not in sent["city"]


def test_a_record_split_into_fields_is_replaced_by_what_its_keys_declare() -> None:
    # No detector reads "Meier", "0151" or "80331" alone as personal; the program that wrote the record said what
    # each field holds (word_sets.FIELD_KINDS)
    record = {"first_name": "Klaus", "last_name": "Meier", "phone_prefix": "0151", "phone": "2345 6789",
              "nachname": "Hübschmann", "plz": "80331", "ort": "München", "strasse": "Lindenweg",
              "contact": {"emailAddress": "km at example dot de", "收件人": "敏华"}}
    sent = _sent(json.dumps(record, ensure_ascii=False))
    for value in ("Klaus", "Meier", "0151", "Hübschmann", "80331", "München", "Lindenweg", "example", "敏华"):
        assert value not in sent, value
    assert set(json.loads(sent)) == set(record)


def test_a_record_without_personal_fields_goes_out_as_it_was() -> None:
    record = {"order_id": "A-1234", "status": "shipped", "items": 2, "port": "8080", "sort": "price",
              "report": "weekly", "product_name": "coffee maker", "filename": "notes.txt"}
    assert json.loads(_sent(json.dumps(record))) == record


def test_what_signs_a_person_in_is_replaced_by_its_key() -> None:
    sent = json.loads(_sent(json.dumps({"username": "klaus.weber", "pin": "4711", "password": "Sommer2024",
                                        "access_token": "a8f3c9e1", "max_tokens": 128})))
    assert "klaus.weber" not in sent["username"] and "4711" not in sent["pin"] and "Sommer" not in sent["password"]
    assert "a8f3c9e1" not in sent["access_token"] and sent["max_tokens"] == 128


def test_a_key_that_is_a_persons_name_in_lower_case_is_read_as_data() -> None:
    # A program's key is lower case; so is a name typed as one: {"anna": ...} named Anna to the cloud (walk5).
    sent = _sent(json.dumps({"anna": {"phone": "+49 30 1234567"}, "klaus_meier": "likes pizza", "annaSchmidt": 3,
                             "ok": True, "lat": 52.5, "lon": 13.4, "june": "holiday"}))
    for name in ("anna", "klaus", "meier", "Schmidt"):
        assert name not in sent, name
    value = json.loads(sent)
    assert value["ok"] is True and value["lat"] == 52.5 and value["lon"] == 13.4, value
    assert "likes pizza" in value.values() and 3 in value.values()
