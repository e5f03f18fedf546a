from __future__ import annotations

from pathlib import Path

import pytest

from tandem.config import load_settings, tandem_home
from tandem.errors import ConfigError


def test_defaults(home: Path) -> None:
    s = load_settings()
    assert tandem_home() == home and s.home == home
    assert (s.region, s.host, s.port, s.default_model) == ("DE", "127.0.0.1", 8700, "device:qwen2.5-coder-1.5b")
    assert s.models_dir == home / "models"


def test_file_then_env_then_explicit(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home.mkdir()
    (home / "config.toml").write_text('region = "CN"\nport = 9000\npreload = false\n')
    assert (load_settings().region, load_settings().port, load_settings().preload) == ("CN", 9000, False)
    monkeypatch.setenv("TANDEM_PORT", "9100")
    monkeypatch.setenv("TANDEM_PRELOAD", "yes")
    assert (load_settings().port, load_settings().preload) == (9100, True)
    assert load_settings(port=9200).port == 9200


@pytest.mark.parametrize(("content", "needle"), [
    ("port = [", "not valid TOML"),
    ("colour = 'blue'", "unknown setting 'colour'"),
    ("region = 'germany'", "ISO country code"),
    ("port = 'x'", "setting 'port'"),
])
def test_bad_config_names_the_problem(home: Path, content: str, needle: str) -> None:
    home.mkdir()
    (home / "config.toml").write_text(content)
    with pytest.raises(ConfigError, match=needle):
        load_settings()


def test_bad_env_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TANDEM_PRELOAD", "maybe")
    with pytest.raises(ConfigError, match="preload"):
        load_settings()
