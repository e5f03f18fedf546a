"""The GDPR export reads the profile only with the profile's own right (review R14-10): a key holding ``privacy``
alone (it manages memory, exports and erases) was given profile.toml as written (name, phone, addresses, the
payment token) and every task's call arguments the profile filled in, through GET /v1/privacy/export and the web
page's export, while GET /v1/profile needs ``admin``. Now such a caller gets no profile and the conversations with
those values named; the payment token is never exported in clear (its last four characters), whoever asks."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.agent.conftest import write_profile
from tests.conftest import LiveServer
from tests.security.test_keys import bearer, create_key

SECRETS = ("Alex Muster", "Muster", "1234567", "Friedrichstraße 100", "Kastanienallee", "tok_test_4242")


@pytest.fixture
def exporter(home: Path) -> str:
    """Alex's profile, and a key that may export and erase (privacy) but not read the profile (admin)."""
    write_profile(home, "DE")
    return create_key(home, "exporter", "privacy")


def test_a_privacy_key_exports_without_the_profile(exporter: str, tiny_server: LiveServer) -> None:
    with httpx.Client(base_url=tiny_server.url, timeout=120) as http:
        ordered = http.post("/v1/assistant/conversations", json={"text": "Bestell mir eine Pizza ins Büro"},
                            headers=tiny_server.local)
        assert ordered.json()["tasks"][0]["state"] == "awaiting-confirmation", ordered.text
        assert "Friedrichstraße 100" in json.dumps(ordered.json(), ensure_ascii=False)  # the owner sees it
        for path, headers in (("/v1/privacy/export", bearer(exporter)),
                              ("/api/ui/privacy/export", {**bearer(exporter), "X-Tandem-UI": "1"})):
            got = http.get(path, headers=headers)
            assert got.status_code == 200, got.text
            text = json.dumps(got.json(), ensure_ascii=False)
            assert not [s for s in SECRETS if s in text], (path, text)
            assert got.json()["profile"] == {"withheld": "the profile needs the admin scope"}
            assert got.json()["assistant"]["conversations"][0]["tasks"][0]["intent"] == "order_food"
        whole = http.get("/v1/privacy/export", headers=tiny_server.local).json()
    assert whole["profile"]["name"] == "Alex Muster" and whole["profile"]["payment_token"] == "…4242"
    assert "tok_test_4242" not in json.dumps(whole, ensure_ascii=False)


def test_a_detail_the_user_typed_is_named_in_a_privacy_only_export(home: Path, tiny_server: LiveServer) -> None:
    """Review R14-10b: asked for a phone number, the user types it; it goes into the profile, so a caller without
    the profile's right must not read it in the user's turn either (the export holds every client's turns)."""
    write_profile(home, "DE")
    profile = home / "profile.toml"
    profile.write_text("\n".join(line for line in profile.read_text().splitlines() if not line.startswith("phone")))
    exporter = create_key(home, "exporter", "privacy")
    with httpx.Client(base_url=tiny_server.url, timeout=120, headers=tiny_server.local) as http:
        asked = http.post("/v1/assistant/conversations", json={"text": "Bestell mir eine Pizza ins Büro"}).json()
        assert "Telefonnummer" in asked["text"], asked
        said = http.post(f"/v1/assistant/conversations/{asked['conversation_id']}/messages",
                         json={"text": "+49 151 5550123"})
        assert said.json()["tasks"][0]["state"] == "awaiting-confirmation", said.text
        got = http.get("/v1/privacy/export", headers=bearer(exporter))
        assert got.status_code == 200 and "5550123" not in got.text and "Muster" not in got.text, got.text
        assert "5550123" in http.get("/v1/privacy/export").text  # the owner's own export is whole
