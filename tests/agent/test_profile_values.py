"""A profile value holds no character that instructs its reader: a right-to-left override (U+202E) or an isolate in
a name or city would show a partner, a card and the terminal another text than the one stored (walk4, session 14;
memory refused them already, the profile only refused category Cc)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tandem.agent.profile import Profile, load_profile, set_field
from tandem.errors import ConfigError, InvalidRequest


@pytest.mark.parametrize("value", ["Kim\u202egpj.exe", "Berlin\u2066Mitte\u2069", "Alex\u2028Smith", "Li\x85Wei"])
def test_a_value_with_a_control_character_is_refused(value: str) -> None:
    with pytest.raises(InvalidRequest, match="without control characters"):
        set_field(Profile(), "name", value)


@pytest.mark.parametrize("value", ["Zoë Müller", "王小明", "👩\u200d💻 Kim"])  # joiners write emoji, not instruct
def test_ordinary_names_are_kept(value: str) -> None:
    assert set_field(Profile(), "name", value).name == value


@pytest.mark.parametrize("name", ["a\nb\x1b[8m", "x" * 41, "home\u202e", "  "])
def test_a_place_name_is_one_short_line(name: str) -> None:
    with pytest.raises(InvalidRequest, match="place's name") as refused:
        set_field(Profile(), f"places.{name}", "Friedrichstraße 100")
    assert refused.value.param == "key"


def test_a_place_city_is_one_line_too() -> None:
    with pytest.raises(InvalidRequest, match="city must be one line"):
        set_field(Profile(), "places.office", "Friedrichstraße 100", city="Berlin\nname = x")
    assert set_field(Profile(), "places.健身房", "望京SOHO", city="北京").places["健身房"].city == "北京"


@pytest.mark.parametrize("text", ['[places]\noffice = "x"\n', 'places = ["x"]\n', '[places.home]\ncity = "Berlin"\n'])
def test_a_hand_edited_profile_that_is_not_one_is_refused_in_words(tmp_path: Path, text: str) -> None:
    """walk4 W4-13: a place that is no table made every order and `tandem profile show` a TypeError traceback."""
    (tmp_path / "profile.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="is not a valid profile"):
        load_profile(tmp_path)
