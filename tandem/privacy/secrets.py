"""Secrets said in a sentence: a password, a PIN or a network key named and then given ("my wifi password is
Sunflower42", "password=Sunflower42", "Passwort: Sommer2024!", "密码是abc12345", "my PIN is 4711"). A JSON field
named so is replaced whatever its value looks like (``structured``); in prose the same words say the same, so the
word right after the secret's name and a link (secret_words.toml) is replaced too, before a cloud call
(``failclosed.DigitRuns``). Not a word the language knows that holds no digit ("my password is wrong", "the PIN
is required"): that is talk about the secret, not the secret."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from tandem.privacy.detect import Finding
from tandem.privacy.dictionaries import dictionary

__all__ = ["secret_values"]

_DATA = tomllib.loads((Path(__file__).parent / "secret_words.toml").read_text(encoding="utf-8"))


def _either(words: set[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(words, key=len, reverse=True))


_NAMES = {w for table in _DATA.values() for w in table["names"]}
_LINKS = {w for table in _DATA.values() for w in table["links"]}
# the secret's name (a whole word among Latin letters; Han as it stands), a link, then the value up to a space or a
# clause's punctuation ("…42!" ends before "!"; Chinese punctuation ends it too)
_LATIN = "A-Za-z\u00c0-\u024f"
_WORD_LINKS = {w for w in _LINKS if w[0].isascii() and w[0].isalpha()}  # "is", "ist": after a space
_HAN_NAMES = {w for w in _NAMES if not w[0].isascii()}  # "密码" may stand right after Latin letters ("WiFi密码")
_SAID = re.compile(rf"(?:(?i:(?<![{_LATIN}])(?:{_either(_NAMES - _HAN_NAMES)})(?![{_LATIN}]))|{_either(_HAN_NAMES)})"
                   r"[ \t]*"
                   rf"(?i:(?<=[ \t])(?:{_either(_WORD_LINKS)})(?![^\W\d_])|{_either(_LINKS - _WORD_LINKS)})[ \t]*"
                   r"([^\s，。！？；、,;!?\u4e00-\u9fff]{3,64}?)(?=[.,;:!?)\]\"'”’]*(?:\s|$)|[，。！？；、\u4e00-\u9fff])")


def secret_values(text: str) -> list[Finding]:
    """A secret said after its name and a link (see the module docstring), as an ID_NUMBER finding."""
    found = []
    for m in _SAID.finditer(text):
        value = m.group(1)
        if not any(c.isdigit() for c in value) and value.isalpha() and (
                dictionary("en").knows(value) or dictionary("de").knows(value)):
            continue  # "my password is wrong": talk about it
        found.append(Finding(m.start(1), m.end(1), "ID_NUMBER", value, 0.5, "fail-closed"))
    return found
