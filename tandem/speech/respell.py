"""Chinese words written as the speaker's domain writes them: Whisper hears the sound of 今晚 ("jīnwǎn") and
may write the homophone 金碗; given the words the speaker is likely to use (the prompt Whisper was primed with),
a run of characters that sounds exactly like one of those words, tones included, is written as that word.

Only runs of two or more syllables are respelled (a single syllable has too many homophones), and only to a
word that no other word of the vocabulary sounds like. Needs ``pypinyin`` (the ``speech`` extra).
"""

from __future__ import annotations

import functools
import re

__all__ = ["respell"]

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LONGEST = 6  # syllables: a partner's name or a phrase of a spelled-out example


def _syllables(text: str) -> list[str]:
    """One toned pinyin syllable per character of ``text`` ("" for a character that is not Chinese); each run
    of Chinese characters is read whole, so a character read two ways is read as in its word."""
    from pypinyin import Style, lazy_pinyin

    said = [""] * len(text)
    for run in _CJK_RUN.finditer(text):
        syllables = lazy_pinyin(run.group(), style=Style.TONE3, neutral_tone_with_five=True)
        if len(syllables) == len(run.group()):  # never misalign: otherwise the run is not respelled
            said[run.start():run.end()] = syllables
    return said


@functools.lru_cache(maxsize=16)
def _sounds(vocabulary: str) -> dict[tuple[str, ...], str | None]:
    """Each run of 2 to ``_LONGEST`` characters inside the vocabulary's Chinese words by how it sounds; None
    where two different runs sound the same (no way to tell which was meant)."""
    found: dict[tuple[str, ...], str | None] = {}
    for run in _CJK_RUN.findall(vocabulary):
        said = _syllables(run)
        for start in range(len(run)):
            for end in range(start + 2, min(len(run), start + _LONGEST) + 1):
                key, word = tuple(said[start:end]), run[start:end]
                found[key] = word if found.get(key, word) == word else None
    return found


def respell(text: str, vocabulary: str) -> str:
    """``text`` with every run of Chinese characters that sounds exactly like a run in ``vocabulary`` (same
    syllables and tones, at least two) written as in ``vocabulary``; longest runs first, left to right."""
    if not _CJK_RUN.search(text) or not _CJK_RUN.search(vocabulary):
        return text
    sounds, said = _sounds(vocabulary), _syllables(text)
    out, at = [], 0
    while at < len(text):
        for size in range(min(_LONGEST, len(text) - at), 1, -1):
            key = tuple(said[at:at + size])
            if all(key) and sounds.get(key):
                out.append(sounds[key] or "")
                at += size
                break
        else:
            out.append(text[at])
            at += 1
    return "".join(out)
