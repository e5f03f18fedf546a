"""A home is offered only its region's built-in partners (EU or CN); each learns every phrasing the built-in
partners wrote for a capability it offers, as the packaged judge did (review R48)."""

from __future__ import annotations

from typing import Any

from tandem.agent.capabilities import capabilities, shipped
from tandem.partners import builtin_manifests


def _by_region(region: str) -> list[dict[str, Any]]:
    return [doc for doc in builtin_manifests() if region in doc.get("regions", ())]


def test_a_regions_partners_learn_every_shipped_phrasing_of_the_capabilities_they_offer() -> None:
    everything = {spec.name: spec.phrasings for spec in shipped()}
    for region in ("EEA", "CN"):
        offered = capabilities(_by_region(region))
        assert offered, region
        for spec in offered:
            assert {lang: set(said) for lang, said in spec.phrasings.items()} == \
                {lang: set(said) for lang, said in everything[spec.name].items()}, (region, spec.name)


def test_a_partner_that_is_not_built_in_learns_only_its_own_phrasings() -> None:
    own = {"id": "someone.food", "categories": ["food"],
           "tools": [{"name": "order", "intent": "order_food", "phrasings": {"en": ["bring me soup"]}}]}
    (spec,) = capabilities([own])
    assert spec.phrasings == {"en": ("bring me soup",)}
