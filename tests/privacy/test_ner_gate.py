"""The NER model runs only where a capitalised word is left unexplained by the cheaper detectors: the
egress check's time was mostly the model's, on sentences that held nothing it could add."""

from __future__ import annotations

from typing import Any

from tandem.privacy.detect import CompositeDetector, Finding
from tandem.privacy.names import CaseBlind, NameDetector, ProperNounDetector
from tandem.privacy.ner import SpacyDetector, _load_spacy, _unexplained
from tandem.privacy.patterns import PatternDetector


class _Counting:
    """The real spaCy pipeline, counting the characters it is given."""

    def __init__(self) -> None:
        self.nlp, self.read = _load_spacy(), 0

    def __call__(self, text: str) -> Any:
        self.read += len(text)
        return self.nlp(text)


def _egress() -> tuple[CompositeDetector, _Counting]:
    counting = _Counting()
    spacy = SpacyDetector(loader=lambda: counting)
    routing = CompositeDetector([PatternDetector(), spacy, NameDetector()])
    return CompositeDetector([routing, CaseBlind(ProperNounDetector())]), counting


def test_the_model_skips_a_text_whose_capitals_are_all_explained() -> None:
    egress, counting = _egress()
    text = ("Recently, he was diagnosed with asthma. His doctor in Austria prescribed Ibuprofen. "
            "He can be reached at 0176 5512 9034.")
    egress.detect(text, "en")
    assert counting.read == 0


def test_the_model_reads_only_the_sentences_around_an_unexplained_word() -> None:
    egress, counting = _egress()
    # "Bramble" inside a sentence is a common word and a surname: only the model can tell. (A frequent first name
    # capitalised there, "Grant", is a person by rule since e882acf and needs no model.)
    sentences = ["He moved last year.", "Recently, he was diagnosed with asthma.", "His doctor prescribed rest.",
                 "He plays chess.", "He met Bramble at the club.", "He likes tea.", "He reads a lot.",
                 "He sleeps well.", "He cooks."]
    text = " ".join(sentences)
    egress.detect(text, "en")
    assert counting.read == len(" ".join(sentences[3:6]))


def test_beside_a_replaced_name_a_common_word_is_no_explanation() -> None:
    text = "What's your name? Kees T Bramble"  # a surname can be a word ("bramble")
    kees = Finding(18, 22, "PROPER_NOUN", "Kees")
    assert text.index("Bramble") in _unexplained(text, [kees])
    alone = "He took Ibuprofen near Kees."  # without a name beside it, a capitalised word is a word
    assert _unexplained(alone, []) == [alone.index("Kees")]


def test_refiners_run_last_even_inside_a_nested_composite() -> None:
    egress, _ = _egress()
    assert isinstance(egress.detectors[-1], SpacyDetector)
    assert not any(isinstance(d, CompositeDetector) for d in egress.detectors)
