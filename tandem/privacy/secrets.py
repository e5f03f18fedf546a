"""Secrets said in a sentence: a password, a PIN, a door code or a key named and then given ("my wifi password is
Sunflower42", "password=Sunflower42", "Passwort: Sommer2024!", "密码是abc12345", "my PIN is 4711", "the code for the
door is 4471", "key=AbC123xyz"). A JSON field named so is replaced whatever its value looks like (``structured``); in
prose the same words say the same, so the word right after the secret's name (and what it opens: "for the door") and
a link (secret_words.toml) is replaced too, before a cloud call (``failclosed.DigitRuns``).

A password may be a plain word ("my password is sunflower", "mein Passwort lautet Katze"): it is the secret when it
closes the clause and is no talk about the secret: an adjective or participle ("my password is wrong", "the PIN is
required", "Passwort ist falsch"; German writes a noun capitalised, and its dictionary knows which words are nouns).
Before more words it is the secret when no dictionary knows it ("my password is zxcvbnm in case you forget") or when
the words after it say why or what for ("my password is sunflower in case you need it"; ``opens``); three to six words
of no grammar closing the clause are a passphrase ("my password is correct horse battery staple").
A code or a key ("code", "key", "门禁码") is one only with a digit in it ("the code is ready" is talk), and not after
a word naming a public kind of code ("the error code is 404")."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from tandem.privacy.detect import Finding
from tandem.privacy.dictionaries import dictionary, stop_words
from tandem.privacy.word_sets import DIGIT_WORDS

__all__ = ["secret_values"]

_DATA = tomllib.loads((Path(__file__).parent / "secret_words.toml").read_text(encoding="utf-8"))


def _either(words: set[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(words, key=len, reverse=True))


def _all(key: str) -> set[str]:
    return {w for table in _DATA.values() for w in table[key]}


_NAMES, _CODES, _LINKS = _all("names"), _all("codes") - _all("names"), _all("links")
_EN, _DE = _DATA["en"], _DATA["de"]
_EN_LINKS, _DE_LINKS = set(_EN["links"]) - set(_DE["links"]), set(_DE["links"]) - set(_EN["links"])
_TALK, _TALK_ENDINGS = frozenset(_EN["talk"]), tuple(_EN["talk_endings"])
_NOT_SECRET = re.compile(rf"(?i:(?<![^\W\d_])(?:{_either(_all('not_secret'))})[ \t-]*)$")
_REACH = 2 * max(map(len, _all("not_secret")), default=0) + 16  # how far before a name such a word may start
# the secret's name (a whole word among Latin letters; Han as it stands), what it opens ("for the door"), a link, then
# the value up to a space or a clause's punctuation ("…42!" ends before "!"; Chinese punctuation ends it too)
_LATIN = "A-Za-z\u00c0-\u024f"
_WORD_LINKS = {w for w in _LINKS if w[0].isascii() and w[0].isalpha()}  # "is", "ist": after a space
_KINDS = _NAMES | _CODES
_HAN_NAMES = {w for w in _KINDS if not w[0].isascii()}  # "密码" may stand right after Latin letters ("WiFi密码")
_TIE = (rf"(?:[ \t]+(?i:{_either(_all('between'))})(?:[ \t]+(?i:{_either(_all('owners'))}))?"
        rf"(?:[ \t]+[^\W\d_]+){{1,2}}?)?")  # "the code for the (front) door is …"
# the link (and what the name opens) may be left out before a value with a digit ("PIN 4711", "door code 4471":
# ``_talk``)
_NAMED = (rf"(?P<name>(?i:(?<![{_LATIN}])(?:{_either(_KINDS - _HAN_NAMES)})(?![{_LATIN}]))"
          rf"|{_either(_HAN_NAMES)})(?:{_TIE}[ \t]*"
          rf"(?P<link>(?i:(?<=[ \t])(?:{_either(_WORD_LINKS)})(?![^\W\d_])|{_either(_LINKS - _WORD_LINKS)})))?[ \t]*")
_SAID = re.compile(_NAMED + r"(?P<value>[^\s，。！？；、,;!?\u4e00-\u9fff]{3,64}?)"
                   r"(?=[.,;:!?)\]\"'”’]*(?:\s|$)|[，。！？；、\u4e00-\u9fff])")
# a PIN or code said digit by digit in words ("my PIN is four four seven one", "密码是四四七一")
_LATIN_DIGIT = "|".join(sorted({w for lang, ws in DIGIT_WORDS.items() if lang != "zh" for w in ws}, key=len,
                               reverse=True))
_SAID_WORDS = re.compile(_NAMED + rf"(?P<value>(?i:(?:{_LATIN_DIGIT})(?:[ \t,-]+(?:{_LATIN_DIGIT})){{2,}}(?![^\W\d_]))"
                         rf"|[{''.join(sorted(DIGIT_WORDS['zh']))}零]{{3,}})")
# read after the secret's name, a value is surer than a guess that one of its words is a name: the guess would cut it,
# and a value without digits leaves nothing of itself after a cut ("my password is correct horse battery staple, ok?"
# kept 'staple' as a person and sent "correct horse battery")
_SURE = 0.7
_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_]+)")
# the words after a plain word that say why or what for: the word before them is the secret ("… sunflower in case
# you need it", "… Katze, falls du es brauchst")
_OPENS = re.compile(rf"[ \t]+(?i:{_either(_all('opens'))})(?![^\W\d_])")
# a plain word is the secret only where it closes its clause ("my password is case sensitive" is talk)
_CLOSES = re.compile(r"[.,;:!?)\]\"'”’]*(?:[ \t]*(?:$|[\r\n,.;:!?])"
                     r"|[ \t]+(?i:and|but|so|or|then|und|aber|oder|dann|btw|please|thanks|thx|bitte|danke|now|jetzt)"
                     r"\b)")


def secret_values(text: str) -> list[Finding]:
    """A secret said after its name and a link (see the module docstring), as an ID_NUMBER finding."""
    spans = []
    for m in _SAID.finditer(text):
        phrase = _phrase_end(text, m)
        if phrase is not None:
            spans.append((m.start("value"), phrase))
        elif not _talk(text, m):
            spans.append(m.span("value"))
    spans += [m.span("value") for m in _SAID_WORDS.finditer(text) if not _public(text, m)]
    return [Finding(start, end, "ID_NUMBER", text[start:end], _SURE, "fail-closed") for start, end in spans]


def _public(text: str, m: re.Match[str]) -> bool:
    """A public kind of code before the name ("the error code is 404"): read in the few characters a word of
    ``not_secret`` takes, not from the text's start (that was quadratic in the codes said: review32 R32-15)."""
    name = m.start("name")
    return _NOT_SECRET.search(text, max(0, name - _REACH), name) is not None


def _talk(text: str, m: re.Match[str]) -> bool:
    """The words after the name say something about the secret, not what it is."""
    value, name = m.group("value"), re.sub(r"[ \t]+", " ", m.group("name").lower())
    digits = any(c.isdigit() for c in value)
    if name in _CODES or m.group("link") is None:  # "the code is ready", "the error code is 404", "PIN 4711"
        return not digits or _public(text, m)
    if digits or not value.isalpha():
        return False
    link = m.group("link").lower()
    if _CLOSES.match(text, m.end("value")):
        return _talk_word(value, link)
    # words follow: a word no dictionary of the link's language knows is the secret ("my password is zxcvbnm in case
    # you forget", "mein Passwort ist Xkcdqwerty falls du es brauchst": review32 R32-2); a known one only before
    # words that open a reason or a purpose ("my password is sunflower in case you need it"), and no function word
    # ("my password is too short", "the password is somewhere in the drawer")
    if not _knows(value, link):
        return False
    if value.lower() in stop_words("en", "de") or not _OPENS.match(text, m.end("value")):
        return True
    return _talk_word(value, link)


def _talk_word(value: str, link: str) -> bool:
    if link in _EN_LINKS:
        return _english_talk(value)
    if link in _DE_LINKS:
        return _german_talk(value)
    return _english_talk(value) or _german_talk(value)  # "password: sunflower", "Passwort: falsch"


def _knows(value: str, link: str) -> bool:
    languages = ("en",) if link in _EN_LINKS else ("de",) if link in _DE_LINKS else ("en", "de")
    return any(dictionary(language).knows(value) for language in languages)


def _phrase_end(text: str, m: re.Match[str]) -> int | None:
    """Where a passphrase said after a password's name ends ("my password is correct horse battery staple"): three
    to six words that close the clause, none after the first a function word or talk ("my password is too short
    for me" is none); ``None`` where there is none."""
    link, value = m.group("link"), m.group("value")
    if link is None or not value.isalpha() or re.sub(r"[ \t]+", " ", m.group("name").lower()) in _CODES:
        return None
    words, end = 0, m.end("value")
    while not _CLOSES.match(text, end):
        word = _NEXT_WORD.match(text, end)
        if word is None or words == 5 or _grammar(word.group(1), link.lower()):
            return None
        words, end = words + 1, word.end()
    return end if words >= 2 else None


def _grammar(word: str, link: str) -> bool:
    """A function word or talk ("too", "short", "falsch"): no word of a passphrase after its first."""
    return word.lower() in stop_words("en", "de") or _talk_word(word, link)


def _english_talk(value: str) -> bool:
    """ "wrong", "required", "sensitive": a word of talk about a secret; a capitalised word is a name or the secret
    ("my password is Sunflower")."""
    low, lexicon = value.lower(), dictionary("en")
    if value[:1].isupper() and not value.isupper():
        return False
    if low in _TALK:
        return True
    if not lexicon.knows(low):
        return False
    if low.endswith(("ed", "ing")) and not low.endswith("eed"):
        stem = low[:-2] if low.endswith("ed") else low[:-3]
        return any(lexicon.knows(s) for s in (stem, stem + "e", stem[:-1])) and len(stem) >= 3
    return len(low) >= 7 and low.endswith(_TALK_ENDINGS)


def _german_talk(value: str) -> bool:
    """ "falsch", "abgelaufen": a word German writes in lower case; a noun ("Katze", its dictionary's capitalised
    entries) is the secret."""
    low, german = value.lower(), dictionary("de")
    return low in german.common and not (value[:1].isupper() and low in german.proper)
