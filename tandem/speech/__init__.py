"""Speech on the device: Whisper transcription (faster-whisper) and speech synthesis (piper, a Mandarin
FastSpeech2 voice, espeak-ng). See docs/speech.md.

    audio.py       decode uploads / encode replies (PyAV)
    base.py        Audio, Segment, Transcript and the Transcriber / Synthesizer contracts
    whisper.py     Transcriber over faster-whisper (bounded decoding)
    respell.py     Chinese homophones written as the words Whisper was primed with (金碗 → 今晚)
    piper.py       Synthesizer over a piper voice;  espeak.py: over espeak-ng
    fastspeech.py  Synthesizer over the Baker Mandarin voice (FastSpeech2 + MB-MelGAN on LiteRT)
    silence.py     lead-in and lead-out silence around any voice
    voices.py      voice names and the text's language → backend voices
    weights.py   carrier packages → verified model files
    registry.py  lazy, warm models by name
"""

from tandem.speech.base import Audio, Segment, Synthesizer, Transcriber, Transcript, Word

__all__ = ["Audio", "Segment", "Synthesizer", "Transcriber", "Transcript", "Word"]
