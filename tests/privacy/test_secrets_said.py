"""A password, PIN or network key said in a sentence after its name (review31 R31-12): "my wifi password is
Sunflower42", "密码是abc12345", "my PIN is 4711" went to the cloud as written at ea969c1, while the same value in a
JSON field named "password" was replaced. Talk about a secret ("my password is wrong") stays."""

from __future__ import annotations

import pytest

from tandem.privacy.pseudonymize import Vault, analyse, redact
from tandem.router.wiring import egress_detector, fast_detector
from tandem.types import ChatRequest, Message

EGRESS = egress_detector(fast_detector("DE"))
SAID = [("my wifi password is Sunflower42", "Sunflower42"), ("password=Sunflower42", "Sunflower42"),
        ("密码是abc12345", "abc12345"), ("my PIN is 4711", "4711"), ("my password is Sunflower42!", "Sunflower42"),
        ("Passwort: Sommer2024!", "Sommer2024"), ("Die PIN lautet 0815.", "0815"), ("支付密码为 884422", "884422"),
        ("我的WiFi密码：Sunflower42", "Sunflower42"), ("The password: hunter2, ok?", "hunter2")]
TALK = ["my password is wrong", "Passwort ist falsch", "I forgot my PIN, can you help?", "密码是多少？", "我忘了密码",
        "What is a good password?", "the PIN is required", "pinball is fun", "spin is 45"]


def _sent(text: str) -> str:
    request = ChatRequest(messages=(Message("user", text),))
    return str(redact(request, analyse(request, EGRESS), Vault()).request.messages[0].content)


@pytest.mark.parametrize(("text", "secret"), SAID)
def test_a_secret_said_after_its_name_is_replaced(text: str, secret: str) -> None:
    assert secret not in _sent(text)


@pytest.mark.parametrize("text", TALK)
def test_talk_about_a_secret_stays(text: str) -> None:
    assert _sent(text) == text
