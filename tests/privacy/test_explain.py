"""The ledger's router reasons, read as a reason a person understands (the web page words it)."""

from __future__ import annotations

from tandem.privacy.explain import REASONS, why


def test_reasons_from_the_router_header() -> None:
    hard = why("cloud; difficulty=0.25>=0.00; fallback=device", ("PERSON", "EMAIL", "PERSON"))
    assert hard == {"because": "hard", "score": 0.25, "threshold": 0.0, "replaced": ["EMAIL", "PERSON"],
                    "technical": "cloud; difficulty=0.25>=0.00; fallback=device"}
    assert why("model=cloud:default", ())["because"] == "chosen"
    assert why("model=cloud:default", ())["model"] == "cloud:default"
    assert why("cloud; device:context<4096; fallback=device", ())["because"] == "long"
    assert why("cloud; device:no-vision", ())["because"] == "images"
    assert why("device; difficulty=0.10<0.50; fallback=cloud", ())["because"] == "fallback"
    assert why("", ())["because"] == "other"
    assert set(REASONS) >= {"hard", "chosen", "long", "images", "tools", "fallback", "other"}
