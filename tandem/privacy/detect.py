"""PII detection: what personal data a text holds, where, and of which kind.

Detectors are small and composable: checksum-backed patterns (``patterns.py``), a bundled NER model and
the on-device LLM (``ner.py``). ``CompositeDetector`` runs them and merges their findings. A detector that
cannot run raises; callers treat that as "cannot know" and keep the data on the device (fail closed).

Two families of categories:

- identifiers (names, addresses, numbers...) can be replaced by placeholders before a cloud call;
- topics (health, finance) cannot be cut out without destroying the question, so they steer routing.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable

from tandem.forget import Recent, erasures
from tandem.privacy.dictionaries import dictionary, stop_words
from tandem.privacy.plain import plain
from tandem.privacy.things import ThingNames, Things

__all__ = [
    "IDENTIFIERS",
    "TOPICS",
    "CompositeDetector",
    "Detector",
    "Finding",
    "Refiner",
    "Remembered",
    "Rereader",
    "foreign_stretches",
    "guess_language",
    "merge_findings",
    "rereading",
]

IDENTIFIERS = frozenset({
    "PERSON", "ADDRESS", "LOCATION", "PHONE", "EMAIL", "IBAN", "CREDIT_CARD", "ID_NUMBER",
    "DATE_OF_BIRTH", "IP_ADDRESS",
    # An unknown proper noun, replaced as a precaution before a cloud call (the egress safety net).
    "PROPER_NOUN",
})
TOPICS = frozenset({"HEALTH", "FINANCE"})


@dataclass(frozen=True)
class Finding:
    """One piece of personal data found in a text."""

    start: int  # character offset of the first character
    end: int  # offset one past the last character
    category: str  # one of IDENTIFIERS or TOPICS
    text: str  # the matched text, text[start:end]
    score: float = 1.0  # confidence; checksummed patterns are 1.0, NER lower
    source: str = "pattern"  # which detector found it: pattern, spacy, llm
    # The names detectors read here before overlapping readings were joined into this one ("晚舟" and "叫晚舟"
    # became "叫晚舟"): a later mention of the person uses one of them, not the join.
    readings: tuple[str, ...] = ()

    @property
    def replaceable(self) -> bool:
        """Identifiers get placeholders; topics only inform routing."""
        return self.category in IDENTIFIERS


@runtime_checkable
class Detector(Protocol):
    def detect(self, text: str, language: str) -> list[Finding]:
        """Findings in ``text`` (written in ``language``: en, de or zh). Raises if it cannot run."""
        ...


@runtime_checkable
class Rereader(Protocol):
    """A detector that reads a text again knowing the names found anywhere in the request: a conversation
    names a person once, with a cue, and later by a given name alone, which a detector reading that later
    message alone cannot tell from a word."""

    def detect(self, text: str, language: str) -> list[Finding]: ...

    def again(self, text: str, language: str, names: frozenset[str]) -> list[Finding]:
        """The places where ``text`` names again a person named somewhere in the request (``names``: every
        person's name as found there, joined or as read before joining)."""
        ...


_HAN = re.compile(r"[\u3400-\u9fff]")
_UMLAUT = re.compile(r"[äöüß]", re.I)
_GERMAN = frozenset({"der", "die", "das", "und", "ist", "ich", "nicht", "mit", "ein", "eine", "mein", "meine", "bitte",
                     "wie", "für", "auf", "wohne", "heiße", "habe", "sie", "wir"})
# Whole words, looked up in a set: a case-insensitive alternation is tried at every position, ~5x slower.
_TOKEN = re.compile(r"\w+")


def guess_language(text: str) -> str:
    """en, de or zh, from script and common function words; cheap enough to run on every message."""
    if len(_HAN.findall(text)) >= max(2, len(text) // 20):
        return "zh"
    words = max(1, len(text.split()))
    tokens = _TOKEN.findall(text.lower())
    # One umlaut in a foreign place name ("SEINÄJOKI") does not make an English sentence German.
    german = (sum(w in _GERMAN for w in tokens) >= max(1, words // 12)
              or len(_UMLAUT.findall(text)) >= max(2, words // 10))
    if not german:
        # a short German request without the commonest words ("Ruf mich unter … an.", "Schreib an …"): more of
        # spaCy's German-only function words than English-only ones, two at least
        de, en = _only_function_words()
        said = sum(w in de for w in tokens)
        german = said >= 2 and said > sum(w in en for w in tokens)
    if not german:
        # ... or more of the German dictionary's lower-case words that are none of English than the reverse, two at
        # least ("Ruf mich an: 0151 …", "Patientin …, geboren …, wohnhaft …": 17 of people-de's 200 tune texts read
        # as English, their first word a name to the English detectors; no English text of the tune sets changes)
        de_words, en_words = _only_common_words()
        said = sum(w in de_words for w in tokens)
        german = said >= 2 and said > sum(w in en_words for w in tokens)
    return "de" if german else "en"


@functools.cache
def _only_common_words() -> tuple[frozenset[str], frozenset[str]]:
    """The German dictionary's lower-case words that the English one lacks, and the reverse ("die", "an" are both)."""
    de, en = dictionary("de").common, dictionary("en").common
    return de - en, en - de


@functools.cache
def _only_function_words() -> tuple[frozenset[str], frozenset[str]]:
    """spaCy's function words of German that are none of English, and the reverse ("die", "an" are both)."""
    de, en = stop_words("de"), stop_words("en")
    return de - en, en - de


# Another script's words inside a text: Chinese in an English or German text ("forward it to 张敏华"), Latin words
# in a Chinese one ("请把报告发给Anna Schmidt"). The detectors of the text's language do not read them (a Chinese
# name has no capital; the Chinese taggers do not know German surnames), so each stretch is read again in the
# language of its script (English or German, as its words tell). Han: a run of Han characters with the marks and
# digits a Chinese phrase holds. Latin: words of Latin letters with the digits and signs a name, an e-mail or an
# address holds between them.
_HAN_STRETCH = re.compile(r"[\u3400-\u9fff](?:[\u3400-\u9fff·・、，0-9]*[\u3400-\u9fff])?")
_LATIN_STRETCH = re.compile(r"[A-Za-z\u00C0-\u024F](?:[A-Za-z\u00C0-\u024F0-9@._+'’\- ]*[A-Za-z\u00C0-\u024F0-9])?")


def foreign_stretches(text: str, language: str) -> list[tuple[int, int, str]]:
    """(start, end, language) of each stretch of ``text`` written in a script its language does not use."""
    if language == "zh":
        return [(m.start(), m.end(), guess_language(m.group())) for m in _LATIN_STRETCH.finditer(text)
                if sum(c.isalpha() for c in m.group()) >= 2]
    if text.isascii():
        return []
    return [(m.start(), m.end(), "zh") for m in _HAN_STRETCH.finditer(text)]


def _unite(findings: Iterable[Finding]) -> list[Finding]:
    """Overlapping person names are one name: "Sari J." (spaCy) and "J. Paavolainen" (the name lists)
    become "Sari J. Paavolainen", so no part of it is dropped; the name keeps what each read (``readings``)."""
    out: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (f.category, f.start)):
        last = out[-1] if out else None
        if last and last.category == finding.category == "PERSON" and finding.start < last.end:
            readings = tuple(dict.fromkeys((*(last.readings or (last.text,)), *(finding.readings or (finding.text,)))))
            if finding.end > last.end:
                text = last.text + finding.text[last.end - finding.start:]
                out[-1] = Finding(last.start, finding.end, last.category, text, max(last.score, finding.score),
                                  last.source, readings)
            else:
                out[-1] = replace(last, readings=readings)
            continue
        out.append(finding)
    return out


def _uncovered(finding: Finding, kept: list[Finding]) -> list[Finding]:
    """The parts of a name that no kept finding covers: a name half inside an address block ("Jarmila" of
    "Jarmila Fiedlerová" before "Fiedlerová\n009 Slovenčeva 51") is still a name. Of other kinds only the
    numbers stay: a cut address or topic leaves words ("die Unterlagen an"), not data."""
    spans = [(finding.start, finding.end)]
    for k in kept:
        spans = [piece for s, e in spans for piece in
                 (((s, e),) if e <= k.start or s >= k.end else ((s, k.start), (k.end, e))) if piece[0] < piece[1]]
    if spans == [(finding.start, finding.end)]:
        return [finding]
    if finding.category not in ("PERSON", "PROPER_NOUN"):
        return _numbers_left(finding, spans)
    parts = []
    for s, e in spans:
        text = finding.text[s - finding.start:e - finding.start]
        lead, trail = len(text) - len(text.lstrip()), len(text) - len(text.rstrip())
        # A name part; not "von" or "and". The safety net flags only words it judged, lower-case ones too.
        if any(c.isupper() or ord(c) >= 0x2E80 for c in text) or (finding.category == "PROPER_NOUN"
                                                                   and len(text.strip()) >= 3):
            parts.append(Finding(s + lead, e - trail, finding.category, text.strip(), finding.score, finding.source))
    return parts


# digits, and the Han characters a number said digit by digit is written in ("幺三八…", ``failclosed.said_digits``)
_DIGIT = r"[\d零〇一幺二两三四五六七八九]"
_DIGITS = re.compile(rf"{_DIGIT}(?:(?:{_DIGIT}|[ \t()/.-])*{_DIGIT})?")
_MIN_DIGITS = 2  # a lone digit left over is a list number or a floor, and would be replaced everywhere


def _numbers_left(finding: Finding, spans: list[tuple[int, int]]) -> list[Finding]:
    """The numbers of a finding beyond the kept ones: the "123" of "123-01 Roosevelt Avenue" when another
    rule took "01 Roosevelt Avenue", the second phone number behind a first one."""
    parts = []
    for s, e in spans:
        for m in _DIGITS.finditer(finding.text, s - finding.start, e - finding.start):
            if sum(c not in " \t()/.-" for c in m.group()) >= _MIN_DIGITS:
                start = finding.start + m.start()
                parts.append(Finding(start, start + len(m.group()), finding.category, m.group(), finding.score,
                                     finding.source))
    return parts


def merge_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Non-overlapping findings, preferring identifiers over topics, then surer, then longer spans; what a
    lower-ranked finding has beyond the kept ones stays a finding of its own."""
    ranked = sorted(_unite(findings), key=lambda f: (not f.replaceable, -f.score, -(f.end - f.start), f.start))
    # Kept findings do not overlap, so in the order of the text their ends grow too: the ones a finding overlaps are
    # found by bisection, not by walking all of them (a partner's table holds thousands).
    kept: list[Finding] = []
    for finding in ranked:
        last = first = bisect.bisect_left(kept, (finding.end, -1), key=_place)  # the kept starting before its end ...
        while first > 0 and kept[first - 1].end > finding.start:  # ... and ending after its start
            first -= 1
        if finding.start == finding.end and kept:  # an empty span covers nothing once anything is kept
            continue
        for piece in _uncovered(finding, kept[first:last]):
            bisect.insort(kept, piece, key=_place)
    return kept


def _place(finding: Finding) -> tuple[int, int]:
    return finding.start, finding.end


@runtime_checkable
class Refiner(Protocol):
    """A costly detector that looks only where the cheaper ones left something unexplained."""

    def detect(self, text: str, language: str) -> list[Finding]: ...

    def detect_rest(self, text: str, language: str, found: list[Finding]) -> list[Finding]:
        """What ``detect`` would add to ``found`` (the cheaper detectors' findings in ``text``)."""
        ...


class CompositeDetector:
    """Runs every detector and merges what they find. Any detector's failure is the whole detector's
    failure: a silent partial result would let the missed data leave the device.

    Nested composites are flattened, and refiners (the NER model) run last, on what every cheaper
    detector, however deeply nested, found: the egress check wraps the routing detector and adds the
    safety nets, whose findings spare the model most sentences.

    ``things``: the names of things the user's partners offer; a name found within one is no one's ("eine Pizza
    Margherita"). A composite without its own keeps the vocabulary of one it wraps."""

    detectors: list[Detector]  # cheaper ones first, refiners last
    things: ThingNames

    def __init__(self, detectors: Sequence[Detector], things: ThingNames | None = None) -> None:
        inner = [d.things for d in detectors if isinstance(d, CompositeDetector) and d.things]
        self.things = things if things is not None else inner[0] if inner else Things(())
        flat: list[Detector] = []
        for detector in detectors:
            flat.extend(detector.detectors if isinstance(detector, CompositeDetector) else [detector])
        self.detectors = [d for d in flat if not isinstance(d, Refiner)] + [d for d in flat if isinstance(d, Refiner)]
        self._rereaders = [d for d in self.detectors if isinstance(d, Rereader)]  # a protocol check is slow

    def detect(self, text: str, language: str) -> list[Finding]:
        """The findings in ``text`` as a reader sees it (``plain``: no invisible characters, no full-width
        forms), placed over the characters of ``text`` they cover."""
        seen = plain(text)
        if seen is None:
            return self._detect(text, language)
        return [seen.back(f) for f in self._detect(seen.text, language)]

    def _detect(self, text: str, language: str) -> list[Finding]:
        found = self._read(text, language)
        read: dict[tuple[str, str], list[Finding]] = {}  # a stretch said again (an e-mail, a unit) is read once
        for start, end, other in foreign_stretches(text, language):
            key = (text[start:end], other)
            if key not in read:
                read[key] = self._read(*key)
            found += [replace(f, start=f.start + start, end=f.end + start) for f in read[key]]
        return self.things.apart(text, merge_findings(found))

    def _read(self, text: str, language: str) -> list[Finding]:
        found: list[Finding] = []
        for detector in self.detectors:
            if isinstance(detector, Refiner):
                found.extend(detector.detect_rest(text, language, found))
            else:
                found.extend(detector.detect(text, language))
        return found

    def again(self, text: str, language: str, names: frozenset[str]) -> list[Finding]:
        seen = plain(text)
        if seen is None:
            return [f for d in self._rereaders for f in d.again(text, language, names)]
        names = frozenset(p.text if (p := plain(n)) else n for n in names)
        return [seen.back(f) for d in self._rereaders for f in d.again(seen.text, language, names)]

    def rereading(self, text: str, language: str, names: frozenset[str]) -> int:
        seen = plain(text)
        if seen is not None:
            text, names = seen.text, frozenset(p.text if (p := plain(n)) else n for n in names)
        return sum(rereading(d, text, language, names) for d in self._rereaders)


def rereading(detector: Detector, text: str, language: str, names: frozenset[str]) -> int:
    """The characters ``detector.again`` would read anew in ``text`` (what bounds ``pseudonymize.analyse``'s pass
    again); a rereader that cannot tell counts all of ``text`` (fail closed), a detector that is none counts 0."""
    if not isinstance(detector, Rereader):
        return 0
    count = getattr(detector, "rereading", None)
    return int(count(text, language, names)) if count is not None else len(text)


class Remembered:
    """A detector that remembers its findings for the last ``size`` texts. A chat request sends the whole
    conversation each turn, so without it every earlier message is checked again on every turn (and the
    routing check's texts once more before the cloud call). Only successful checks are kept: a detector
    that raises raises again next time (fail closed). The texts stay in this process's memory only, and an
    erasure empties it (``tandem.forget``)."""

    def __init__(self, inner: Detector, size: int = 512) -> None:
        self.inner, self.size = inner, size
        # a check that began before an erasure is not kept after it (``Recent.put``)
        self._seen: Recent[tuple[str, str], tuple[Finding, ...]] = Recent(size)

    def forget(self) -> None:
        self._seen.forget()

    def remembers(self, text: str, language: str) -> bool:
        """Whether the findings in ``text`` are remembered: detecting them again costs nothing."""
        return self._seen.get((text, language)) is not None

    def detect(self, text: str, language: str) -> list[Finding]:
        key = (text, language)
        seen = self._seen.get(key)
        if seen is not None:
            return list(seen)
        since = erasures()
        found = self.inner.detect(text, language)
        self._seen.put(key, tuple(found), since)
        return found

    def again(self, text: str, language: str, names: frozenset[str]) -> list[Finding]:
        """Not remembered here: what is found depends on the rest of the request (a rereader keeps what it can)."""
        return self.inner.again(text, language, names) if isinstance(self.inner, Rereader) else []

    def rereading(self, text: str, language: str, names: frozenset[str]) -> int:
        return rereading(self.inner, text, language, names)
