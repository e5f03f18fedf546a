"""Chinese person names read by a third tagger: Jiagu's averaged-perceptron NER (``jiagu`` 0.2.3 on PyPI, MIT; its
segmenter and NER models ship inside the package, about 5 MB of the 54 MB it installs, pure Python).

The CRF (``chinese_ner.py``) is trained on MSRA's training file and LAC (``lac_names.py``) on Baidu's own
corpus; both miss names in news prose that the other does not, and Jiagu misses others again. It reads the
words of its own segmenter and labels each word (B-PER, I-PER, ...): a person it labels is a person.

Its training corpus is not stated. It did not see MSRA's: its exact person-span recall is 0.957 on the tune half
of MSRA's test file and 0.940 on a held-out part of MSRA's training file, where a tagger that has seen its
sentences reads nearly all of them (the shipped CRF: 0.869 on the test's tune half, 1.000 on training sentences).

If the package is missing, Chinese text is refused for the cloud (``PolicyDenied``): privacy fails closed.
"""

from __future__ import annotations

import threading
from typing import Any

from tandem.errors import PolicyDenied

__all__ = ["JiaguNames"]


class JiaguNames:
    """(start, end) of the persons Jiagu reads in a text. Loads on first use (about 2 s), then a few ms a sentence."""

    def __init__(self) -> None:
        self._jiagu: Any = None
        self._lock = threading.Lock()

    def _loaded(self) -> Any:
        if self._jiagu is None:
            try:
                import jiagu
            except ImportError as exc:
                raise PolicyDenied("jiagu is not installed, so Chinese names cannot be detected",
                                   hint="pip install jiagu==0.2.3") from exc
            self._jiagu = jiagu
        return self._jiagu

    def persons(self, text: str) -> list[tuple[int, int]]:
        if not text.strip():
            return []
        with self._lock:  # the package keeps one analyser for the process
            jiagu = self._loaded()
            words = jiagu.seg(text)
            labels = jiagu.ner(words)
        out: list[tuple[int, int]] = []
        at, start = 0, -1
        for word, label in zip(words, labels, strict=False):
            found = text.find(word, at)
            if found < 0:
                continue  # a word the segmenter changed: its neighbours are still placed
            if start >= 0 and label != "I-PER":
                out.append((start, at))
                start = -1
            if label == "B-PER":
                start = found
            at = found + len(word)
        if start >= 0:
            out.append((start, at))
        return out
