"""Speech on the device: Whisper transcription (faster-whisper) and speech synthesis (piper, espeak-ng).

    audio.py     decode uploads / encode replies (PyAV)
    base.py      Audio, Segment, Transcript and the Transcriber / Synthesizer contracts
    whisper.py   Transcriber over faster-whisper
    piper.py     Synthesizer over a piper voice;  espeak.py: over espeak-ng
    voices.py    voice names → backend voices
    weights.py   carrier packages → verified model files
    registry.py  lazy, warm models by name
"""

from tandem.speech.base import Audio, Segment, Synthesizer, Transcriber, Transcript, Word

__all__ = ["Audio", "Segment", "Synthesizer", "Transcriber", "Transcript", "Word"]
