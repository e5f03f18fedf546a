"""Voice names → a backend voice. Names users may send:

- ``joe``: the natural piper en_US voice;
- OpenAI's names (``alloy``, ``nova`` ...): ``joe``, or Mandarin when the text is mostly Chinese characters,
  so an unchanged OpenAI client still gets speech it can follow;
- a language code (``en``, ``de``, ``zh`` ...): the best voice for it (``joe`` for English, espeak-ng else);
- ``espeak-<code>``: that espeak-ng voice, e.g. ``espeak-en`` for the instant robotic English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tandem.errors import InvalidRequest

__all__ = ["OPENAI_VOICES", "VoiceChoice", "choose_voice", "list_voices"]

OPENAI_VOICES = ("alloy", "ash", "ballad", "cedar", "coral", "echo", "fable", "marin", "nova", "onyx", "sage",
                 "shimmer", "verse")
# espeak-ng's plain "cmn" voice turns characters into pinyin and then reads the tone digits in English
# ("ni three hao three"); its pinyin variant speaks the same dictionary as Mandarin.
_MANDARIN = "cmn-latn-pinyin"
_ESPEAK_ALIASES = {"zh": _MANDARIN, "zh-cn": _MANDARIN, "cmn": _MANDARIN, "zh-yue": "yue"}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


@dataclass(frozen=True)
class VoiceChoice:
    """Which backend speaks, with which of its voices."""

    backend: str  # "piper" or "espeak"
    voice: str  # piper voice name, or the espeak-ng voice code
    language: str  # ISO code of the language the voice speaks


def _mostly_chinese(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(bool(_CJK.match(c)) for c in letters) * 2 > len(letters)


def choose_voice(name: str, text: str, espeak_codes: set[str]) -> VoiceChoice:
    """Resolve ``name`` for speaking ``text``; ``InvalidRequest`` when no voice answers to it."""
    key = name.strip().lower()
    if key in OPENAI_VOICES:
        key = "zh" if _mostly_chinese(text) else "joe"
    if key in ("joe", "en", "en-us", "piper:joe"):
        return VoiceChoice("piper", "joe", "en")
    code = key.removeprefix("espeak-")
    code = _ESPEAK_ALIASES.get(code, code)
    if _CODE.match(code) and (code in espeak_codes or any(c.startswith(f"{code}-") for c in espeak_codes)):
        return VoiceChoice("espeak", code, "zh" if code.startswith("cmn") else code.split("-")[0])  # "en" works too
    raise InvalidRequest(f"unknown voice {name!r}", param="voice",
                         hint="use joe, an OpenAI voice name, a language code (en, de, zh ...) or espeak-<code>; "
                              "GET /v1/audio/voices lists them")


def list_voices(espeak_codes: set[str]) -> list[dict[str, str]]:
    """The voices this machine can speak with, for ``GET /v1/audio/voices``."""
    voices = [{"id": "joe", "backend": "piper", "language": "en", "note": "natural en_US voice"}]
    voices += [{"id": v, "backend": "piper", "language": "en", "note": "alias of joe (Mandarin for Chinese text)"}
               for v in OPENAI_VOICES]
    voices += [{"id": f"espeak-{c}", "backend": "espeak", "language": c.split("-")[0], "note": "espeak-ng"}
               for c in sorted(espeak_codes)]
    return voices
