"""The egress safety net for scripts no detector here reads: every word in one of them is replaced.

Tandem's detectors read Latin script (English and German rules, spaCy, the census and world name lists) and Han
(the Chinese taggers, ``foreign_stretches`` sends Han inside a Latin text to them). A user of a German, English or
Chinese device still names people from everywhere, and not always in Latin or Han: "请把合同发给김민준",
"Send the file to 김민준", "帮我给たなかさん发个消息", "Bitte schick das an محمد الأحمد", "call дмитрий петров"
(a name written without its capital has nothing the Latin rules could see). No rule here can tell a name from a
word in Hangul, kana, Arabic, Hebrew, Thai, Devanagari or a lower-case Cyrillic or Greek word; privacy fails
closed, so before a cloud call each run of such words is a PROPER_NOUN and gets a placeholder. The cost is
precision: a Japanese or Korean phrase quoted in a request reaches the cloud as placeholders (the device still
sees it, and the reply brings the words back).

What counts as read is a property of the script, not of a list of names: a letter is read when Unicode names
it LATIN (with the Vietnamese and fullwidth forms) or CJK (the OCR keeps an image on the device by the same test,
``vision.ocr``); combining marks continue the word they stand in (Devanagari and Thai vowel signs), and a run of
such words joined by spaces, a katakana middle dot or a hyphen is one finding ("キム・ミンジュン", "やまだ はなこ",
"محمد الأحمد").
"""

from __future__ import annotations

import re
import unicodedata

from tandem.privacy.detect import Finding

__all__ = ["UnreadScripts", "unread_letter"]

# Characters that start no finding: ASCII, Latin-1, Latin Extended-A/B, IPA, the general punctuation and CJK
# symbols, Han, fullwidth ASCII (their only unread letters, "µ" and "々", never stand two together). A text of only
# these is skipped without a per-character look-up (every English, German and Chinese text without a foreign word).
_SURELY_READ = re.compile(r"[\x00-\u02af\u1e00-\u1eff\u2000-\u206f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff"
                          r"\uf900-\ufaff\uff01-\uff5e\U00020000-\U0003ffff]*")
_JOINERS = frozenset(" \t・·‧-‐'’")  # between two words of one name (not a line break: a new line is a new field)
_MIN_LETTERS = 2  # one letter inside a word is no name: the "の" of "我の猫"; but see ``_alone``


def unread_letter(char: str) -> bool:
    """A letter of a script no detector here reads: not Latin, not Han (nor an ordinal sign, "º" of "3º B"). The
    OCR asks the same of each letter it recognised (``vision.ocr``)."""
    if not char.isalpha():
        return False
    name = unicodedata.name(char, "")
    return not ("LATIN" in name or "CJK" in name or "ORDINAL" in name)


def _alone(text: str, start: int, end: int) -> bool:
    """One letter of a script without case that is a word of its own, no letter or digit beside it: a Korean surname
    is one syllable ("Ruf bitte Frau 김 an"). A Greek or Cyrillic letter alone is a symbol more often ("π", "α").
    A Hangul letter is a whole syllable, so it is one beside Han too ("给김打电话"); a kana there is a particle
    ("我の猫")."""
    letter = text[start]
    if letter.lower() != letter.upper():
        return False
    if unicodedata.name(letter, "").startswith("HANGUL SYLLABLE"):
        return True
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


def _mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


class UnreadScripts:
    """PROPER_NOUN for each run of words written in a script no detector here reads (module docstring)."""

    def detect(self, text: str, language: str) -> list[Finding]:
        if _SURELY_READ.fullmatch(text):
            return []
        found: list[Finding] = []
        i, n = 0, len(text)
        while i < n:
            if not unread_letter(text[i]):
                i += 1
                continue
            start, letters = i, 0
            while i < n:
                if unread_letter(text[i]):
                    letters += 1
                elif not _mark(text[i]) and not (text[i] in _JOINERS and i + 1 < n and unread_letter(text[i + 1])):
                    break
                i += 1
            if letters >= _MIN_LETTERS or (letters == 1 and _alone(text, start, i)):
                found.append(Finding(start, i, "PROPER_NOUN", text[start:i], 0.3, "unread-script"))
        return found
