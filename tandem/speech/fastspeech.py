"""Mandarin text to speech with FastSpeech2 + Multi-band MelGAN (TensorFlowTTS models trained on the Baker
corpus, a female mainland voice), run by LiteRT (the TensorFlow Lite runtime) on the CPU.

    text → numbers read out → pinyin with tones (pypinyin) → Baker phoneme ids → FastSpeech2 → mel → MelGAN → 24 kHz

The exported FastSpeech2 keeps two dropout layers switched on (they call TensorFlow's RandomUniform, which
plain LiteRT cannot run, and would make every rendition differ). ``strip_dropout`` removes them from the graph,
which is what the model computes at inference in TensorFlow (0.3 s, in memory when the voice loads).
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

import numpy as np

from tandem.errors import ModelError
from tandem.speech.base import Audio

__all__ = ["BakerSynthesizer", "chinese_number", "pinyin_phones", "strip_dropout"]

_RATE = 24000
_PAUSE = 0.2  # seconds of silence between the pieces a sentence is split into at punctuation
_DIGITS = "零一二三四五六七八九"
_UNITS = ("", "十", "百", "千")
_CJK = re.compile(r"[\u3400-\u9fff]")
_PIECES = re.compile(r"[^，。！？；、,.!?;:：\n]+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _below_10000(n: int) -> str:
    out, zero = "", False
    for power in range(3, -1, -1):
        digit = n // 10**power % 10
        if digit:
            out += ("零" if zero and out else "") + _DIGITS[digit] + _UNITS[power]
            zero = False
        elif out:
            zero = True
    return out


def chinese_number(text: str) -> str:
    """``"25"`` → ``"二十五"``, ``"12.5"`` → ``"十二点五"``, ``"20000"`` → ``"两万"``: how the number is read."""
    whole, _, fraction = text.partition(".")
    n = int(whole)
    if n >= 10**8:
        spoken = "".join(_DIGITS[int(d)] for d in whole)
    elif n == 0:
        spoken = "零"
    else:
        high, low = divmod(n, 10000)
        spoken = (_below_10000(high) + "万" if high else "") + ("零" if high and 0 < low < 1000 else "")
        spoken += _below_10000(low)
        spoken = re.sub(r"^一十", "十", spoken).replace("二万", "两万")
    return spoken + ("点" + "".join(_DIGITS[int(d)] for d in fraction) if fraction else "")


def pinyin_phones(text: str, pinyin_dict: dict[str, list[str]]) -> list[str]:
    """Baker phonemes for one piece of Chinese text: ``sil b ang1 #0 ^ uo3 ... sil``. Characters without a
    reading (Latin letters, symbols) are skipped: the voice only knows Mandarin syllables."""
    from pypinyin import Style, lazy_pinyin

    text = _NUMBER.sub(lambda m: chinese_number(m.group()), text)
    phones = ["sil"]
    for syllable in lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors="ignore"):
        base, tone = syllable[:-1], syllable[-1]
        if not tone.isdigit():
            continue
        base = "en" if base in ("n", "ng", "m") else base  # 嗯, 呣
        if base not in pinyin_dict and base.endswith("r") and base[:-1] in pinyin_dict:  # erhua: 玩儿 → wanr
            initial, final = pinyin_dict[base[:-1]]
            phones += [initial, final + tone, "er5", "#0"]
        elif base in pinyin_dict:
            initial, final = pinyin_dict[base]
            phones += [initial, final + tone, "#0"]
    if phones[-1] == "#0":
        phones.pop()
    return [*phones, "sil"]


def strip_dropout(model: bytes) -> bytes:
    """The FastSpeech2 graph without its dropout: each ``x → Mul(scale) … RandomUniform → GreaterEqual → Cast
    → Mul`` chain is cut out and its readers read ``x`` itself (dropout's output at inference)."""
    import flatbuffers
    from ai_edge_litert import schema_py_generated as schema

    tree = schema.ModelT.InitFromObj(schema.Model.GetRootAsModel(model, 0))
    graph = tree.subgraphs[0]
    ops = graph.operators
    producer = {int(t): i for i, op in enumerate(ops) for t in op.outputs}
    readers: dict[int, list[int]] = {}
    for i, op in enumerate(ops):
        for t in op.inputs:
            readers.setdefault(int(t), []).append(i)
    drop, rename = set(), {}
    for i, op in enumerate(ops):
        if tree.operatorCodes[op.opcodeIndex].customCode != b"FlexRandomUniform":
            continue
        shape = producer[int(op.inputs[0])]
        x = int(ops[shape].inputs[0])
        chain, tensor = [shape, i], int(op.outputs[0])
        for _ in range(3):  # GreaterEqual, Cast, the masking Mul
            (step,) = readers[tensor]
            chain.append(step)
            tensor = int(ops[step].outputs[0])
        scaled = next(int(t) for t in ops[chain[-1]].inputs if int(t) != int(ops[chain[-2]].outputs[0]))
        drop |= {*chain, producer[scaled]}
        rename[tensor] = x
    if not drop:
        raise ModelError("the FastSpeech2 model has no dropout to remove: not the model this code expects")
    for op in ops:
        op.inputs = np.array([rename.get(int(t), int(t)) for t in op.inputs], dtype=np.int32)
    graph.operators = [op for i, op in enumerate(ops) if i not in drop]
    builder = flatbuffers.Builder(len(model) + 1024)
    builder.Finish(tree.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


class BakerSynthesizer:
    """The Baker Mandarin voice. Runs are serialized: the two interpreters hold one input size at a time."""

    def __init__(self, acoustic: Path, vocoder: Path, mapper: Path, *, threads: int = 0) -> None:
        from ai_edge_litert.interpreter import Interpreter

        mapping = json.loads(mapper.read_text(encoding="utf-8"))
        self._ids: dict[str, int] = mapping["symbol_to_id"]
        self._pinyin: dict[str, list[str]] = mapping["pinyin_dict"]
        kwargs: dict[str, Any] = {"num_threads": threads} if threads > 0 else {}
        self._acoustic = Interpreter(model_content=strip_dropout(acoustic.read_bytes()), **kwargs)
        self._vocoder = Interpreter(model_path=str(vocoder), **kwargs)
        self.sample_rate = _RATE
        self._lock = threading.Lock()

    def _mel(self, ids: list[int], speed: float) -> np.ndarray:
        inputs = self._acoustic.get_input_details()
        self._acoustic.resize_tensor_input(inputs[0]["index"], [1, len(ids)])
        self._acoustic.allocate_tensors()
        # input ids, speaker, then duration (1/speed: larger is slower), f0 and energy scales
        values = (np.array([ids], np.int32), np.array([0], np.int32), np.array([1.0 / speed], np.float32),
                  np.array([1.0], np.float32), np.array([1.0], np.float32))
        for detail, value in zip(inputs, values, strict=True):
            self._acoustic.set_tensor(detail["index"], value)
        self._acoustic.invoke()
        return np.asarray(self._acoustic.get_tensor(self._acoustic.get_output_details()[1]["index"]))

    def _wave(self, mel: np.ndarray) -> np.ndarray:
        (detail,) = self._vocoder.get_input_details()
        self._vocoder.resize_tensor_input(detail["index"], list(mel.shape))
        self._vocoder.allocate_tensors()
        self._vocoder.set_tensor(detail["index"], mel)
        self._vocoder.invoke()
        return np.asarray(self._vocoder.get_tensor(self._vocoder.get_output_details()[0]["index"]))[0, :, 0]

    def synthesize(self, text: str, *, speed: float = 1.0) -> Audio:
        pieces = [p for p in _PIECES.findall(text) if _CJK.search(p) or _NUMBER.search(p)]
        pause = np.zeros(int(_PAUSE * _RATE), dtype=np.float32)
        chunks: list[np.ndarray] = []
        with self._lock:
            for piece in pieces:
                phones = pinyin_phones(piece, self._pinyin)
                if len(phones) <= 2:
                    continue
                ids = [self._ids[p] for p in phones] + [self._ids["eos"]]
                chunks += [self._wave(self._mel(ids, speed)).astype(np.float32), pause]
        samples = np.concatenate(chunks[:-1]) if chunks else np.zeros(0, dtype=np.float32)
        return Audio(np.clip(samples, -1.0, 1.0), _RATE)
