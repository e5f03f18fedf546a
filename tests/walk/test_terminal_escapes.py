"""A partner's text cannot steer the user's terminal (walk2 W2-14): a hostile partner's quote named its car
"VW Polo, 1 day, 9.99 EUR in total" + ESC[8m (conceal), and `tandem ask`'s confirmation prompt showed that while the
three days at 117 EUR after it were invisible. On a terminal every control character is printed as a visible escape.
Shown here with the partner's name, which `tandem services add` prints before it asks."""

from __future__ import annotations

from pathlib import Path

from tests.manifests import manifest
from tests.walk.test_terminal import _on_terminal


def test_control_characters_from_a_partner_are_shown_not_obeyed(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "evil.toml"
    name = "Radwerk\\u001b[8m GmbH\\u202e\\r"  # TOML escapes: ESC[8m, a right-to-left override, a carriage return
    path.write_text(manifest("walk-evil.lifestyle", '[[tools]]\nname = "quote"\n', name=name, regions=("DE",)),
                    encoding="utf-8")
    screen = _on_terminal(home, ["services", "add", str(path)], ["n"], timeout=120)
    assert "Add this service? [y/N]:" in screen, screen
    assert "Radwerk\\x1b[8m GmbH\\u202e\\x0d" in screen, screen
    assert not any(c in screen for c in "\x1b\u202e"), repr(screen)


def test_a_prompt_shows_control_characters_too(tmp_path: Path) -> None:
    """click.prompt hands its text to input(), which on a terminal writes it past sys.stdout through readline."""
    home = tmp_path / "home\x1b[8mhidden"
    screen = _on_terminal(home, ["memory", "erase"], ["n"], timeout=120)
    assert "home\\x1b[8mhidden?" in screen and "\x1b" not in screen, repr(screen)
