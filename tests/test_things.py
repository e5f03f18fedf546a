"""``app.things``: the shipped partners' catalogues, as the vocabulary ``tandem serve`` hands the privacy detectors."""

from __future__ import annotations

from tandem.app.things import partner_things
from tandem.config import load_settings
from tandem.router.wiring import egress_detector, fast_detector
from tandem.services.registry import ServiceRegistry


def _names(text: str, language: str) -> list[str]:
    detector = egress_detector(fast_detector("DE", partner_things(load_settings())))
    return [f.text for f in detector.detect(text, language) if f.category in ("PERSON", "PROPER_NOUN")]


def test_the_food_partners_dishes_are_no_ones_names() -> None:
    """'Spaghetti Carbonara' and 'Chicken Tikka Masala' are dishes on the shipped menus, 'Pizza' a kind of them;
    without the vocabulary each was a PERSON (the two-capitals pattern, the name lists) and masked before a cloud
    call. A person beside the dish stays one."""
    assert _names("Ich hätte gern Spaghetti Carbonara.", "de") == []
    assert _names("One Chicken Tikka Masala please.", "en") == []
    assert _names("Bring Anna eine Pizza Hawaii.", "de") == ["Anna"]


def test_only_the_partners_the_user_has_name_things() -> None:
    """Without a food partner available, no menu is read: its dishes are names again (fail closed)."""
    registry = ServiceRegistry(load_settings())
    try:
        for record in registry.available():
            if "food" in record.manifest.categories:
                registry.set_enabled(record.id, False)
    finally:
        registry.close()
    assert "Spaghetti Carbonara" in _names("Ich hätte gern Spaghetti Carbonara.", "de")


def test_a_third_partys_declared_things_are_read_and_never_its_catalogue() -> None:
    """A partner Tandem does not ship names its things in its manifest (``things``): "Caffè Latte" was a PERSON
    whatever it sold; a declared person's name ("Anna Kowalczyk", "Aarav Sharma") stays one's."""
    import tomllib

    from tandem.partners import MANIFEST_DIR
    from tandem.services.manifest import parse_manifest

    doc = tomllib.loads((MANIFEST_DIR / "gabelpost.food.toml").read_text(encoding="utf-8"))
    doc.update(id="trattoria.food", partner="Trattoria", things=["Caffè Latte", "Anna Kowalczyk", "Aarav Sharma"],
               transport={"type": "http", "url": "https://trattoria.example/mcp"})
    doc.pop("auth", None)
    registry = ServiceRegistry(load_settings())
    try:
        registry.add_manifest(parse_manifest(doc), "https://trattoria.example/mcp")
    finally:
        registry.close()
    assert _names("Einen Caffè Latte bitte.", "de") == []
    assert "Anna" in " ".join(_names("Ruf Anna Kowalczyk morgen an.", "de"))
    assert _names("Please call Aarav Sharma tomorrow.", "en") == ["Aarav Sharma"]


def test_a_partner_added_or_removed_while_serving_counts_from_the_next_request() -> None:
    """``tandem serve`` read the partners' things once at start: a partner added later kept its dishes as names, and
    one removed kept its things as no one's names. The served vocabulary (``PartnerThings``) follows the registry."""
    import tomllib

    from tandem.app.things import PartnerThings
    from tandem.partners import MANIFEST_DIR
    from tandem.services.manifest import parse_manifest

    settings = load_settings()
    detector = egress_detector(fast_detector("DE", PartnerThings(settings)))

    def names(text: str) -> list[str]:
        return [f.text for f in detector.detect(text, "de") if f.category in ("PERSON", "PROPER_NOUN")]

    assert names("Einen Caffè Latte bitte.") != []
    doc = tomllib.loads((MANIFEST_DIR / "gabelpost.food.toml").read_text(encoding="utf-8"))
    doc.update(id="bar.food", partner="Bar", things=["Caffè Latte"], transport={"type": "http", "url": "https://bar.example/mcp"})
    doc.pop("auth", None)
    registry = ServiceRegistry(settings)
    try:
        registry.add_manifest(parse_manifest(doc), "https://bar.example/mcp")
    finally:
        registry.close()
    assert names("Einen Caffè Latte bitte.") == []
    registry = ServiceRegistry(settings)
    try:
        registry.set_enabled("bar.food", False)
    finally:
        registry.close()
    assert names("Einen Caffè Latte bitte.") != []
