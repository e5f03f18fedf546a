"""privacy.toml: defaults, parsing, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.errors import ConfigError
from tandem.privacy.settings import PrivacySettings, load_privacy, save_consent


def test_defaults_without_a_file(home: Path) -> None:
    assert load_privacy(home) == PrivacySettings()
    assert not load_privacy(home).consent.cross_border


def test_reads_both_sections(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "privacy.toml").write_text('[consent]\ncross_border = true\nid = "c-1"\n\n[router]\nthreshold = 1\n'
                                       'endpoint = "eu"\n')
    settings = load_privacy(home)
    assert settings.consent.cross_border and settings.consent.consent_id == "c-1"
    assert settings.router.threshold == 1.0 and settings.router.endpoint == "eu"


@pytest.mark.parametrize(("text", "match"), [
    ("[consent]\ncros_border = true\n", "cros_border"),
    ("[router]\nthreshold = \"high\"\n", "must be a float"),
    ("[routing]\n", "unknown sections"),
    ("[consent\n", "not valid TOML"),
])
def test_bad_files_say_what_is_wrong(home: Path, text: str, match: str) -> None:
    home.mkdir(parents=True)
    (home / "privacy.toml").write_text(text)
    with pytest.raises(ConfigError, match=match):
        load_privacy(home)


def test_save_keeps_router_settings(home: Path) -> None:
    home.mkdir(parents=True)
    (home / "privacy.toml").write_text("[router]\nthreshold = 0.7\nllm_ner = false\n")
    save_consent(home, health=True)
    settings = load_privacy(home)
    assert settings.consent.health and settings.router.threshold == 0.7 and not settings.router.llm_ner
