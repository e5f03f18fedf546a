"""A name written without spaces, as web addresses and user names write it, is replaced before a cloud call
(walk5: "linkedin.com/in/anna-schmidt-4711" went out whole)."""

from __future__ import annotations

import pytest

from tandem.privacy.pseudonymize import Vault, analyse, redact
from tandem.router.wiring import egress_detector, fast_detector
from tandem.types import ChatRequest, Message

EGRESS = egress_detector(fast_detector("DE"))


def _sent(text: str) -> str:
    request = ChatRequest(messages=(Message("user", text),))
    return redact(request, analyse(request, EGRESS), Vault()).request.messages[0].content or ""


@pytest.mark.parametrize(("text", "gone", "kept"), [
    ("See https://www.linkedin.com/in/anna-schmidt-4711 for details", ("anna", "schmidt"), ("linkedin.com",)),
    ("Her page: https://example.com/team/klaus-meier and https://blog.example.org/2024/05/kevin_weber.html",
     ("klaus", "meier", "kevin", "weber"), ("example.com/team/", "blog.example.org/")),
    ("Schau auf https://anna-schmidt.de/kontakt nach", ("anna", "schmidt"), ("kontakt",)),
    ("Search https://example.com/find?name=Kevin+Brennan&city=Bonn", ("kevin", "brennan"), ("example.com/find",)),
    ("ping me on slack as klaus_meier or annaSchmidt", ("klaus", "meier", "annaschmidt"), ("slack",)),
    ("Profil: https://www.xing.com/profile/Juergen_Schmidt2", ("juergen", "schmidt"), ("xing.com/profile/",)),
    ("Mein Nutzername ist katrin_meier88, meine Seite https://uwe-becker.de", ("katrin", "meier", "uwe", "becker"),
     ("Nutzername",)),
])
def test_a_name_inside_a_web_address_or_a_user_name_is_replaced(text: str, gone: tuple[str, ...],
                                                                 kept: tuple[str, ...]) -> None:
    sent = _sent(text)
    for part in gone:
        assert part not in sent.lower(), sent
    for part in kept:
        assert part in sent, sent


def test_a_web_address_without_a_name_goes_out_as_it_was() -> None:
    text = "The docs are at https://docs.python.org/3/library/json.html and www.example.com/x-ray_results?lat=52"
    assert _sent(text) == text
