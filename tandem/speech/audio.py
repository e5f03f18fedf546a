"""Decode uploaded audio (wav, mp3, ogg, webm, flac, m4a ...) and encode synthesized speech, with PyAV.

PyAV bundles FFmpeg's libraries, so every container and codec FFmpeg knows is read the same way on every
machine, with no command-line tools. Decoding stops as soon as the duration limit is passed: a long file
costs no more than the limit.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator

import av
import numpy as np

from tandem.errors import InvalidRequest
from tandem.speech.base import Audio

__all__ = ["INPUT_FORMATS", "OUTPUT_FORMATS", "decode_audio", "encode_audio", "resample"]

# FFmpeg demuxer names we accept → the names users know (OpenAI lists flac mp3 mp4 mpeg mpga m4a ogg wav webm).
INPUT_FORMATS = {"wav": "wav", "mp3": "mp3", "ogg": "ogg", "matroska": "webm", "webm": "webm", "flac": "flac",
                 "mov": "m4a", "mp4": "mp4", "m4a": "m4a", "mpeg": "mpeg", "aac": "aac"}

# response_format → (container, codec, sample rate or None to keep, media type)
OUTPUT_FORMATS: dict[str, tuple[str, str, int | None, str]] = {
    "mp3": ("mp3", "libmp3lame", None, "audio/mpeg"),
    "opus": ("ogg", "libopus", 48000, "audio/ogg"),
    "aac": ("adts", "aac", None, "audio/aac"),
    "flac": ("flac", "flac", None, "audio/flac"),
    "wav": ("wav", "pcm_s16le", None, "audio/wav"),
    "pcm": ("", "", 24000, "audio/pcm"),  # raw 16-bit little-endian mono at 24 kHz, as OpenAI sends it
}


def _known_format(container: av.container.InputContainer) -> str | None:
    for name in container.format.name.split(","):
        if name in INPUT_FORMATS:
            return INPUT_FORMATS[name]
    return None


def _frames(container: av.container.InputContainer, rate: int) -> Iterator[np.ndarray]:
    resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
    for frame in container.decode(audio=0):
        for out in resampler.resample(frame):
            yield out.to_ndarray().reshape(-1)
    for out in resampler.resample(None):
        yield out.to_ndarray().reshape(-1)


def _open(data: bytes) -> av.container.InputContainer:
    if not data:
        raise InvalidRequest("the audio file is empty", param="file")
    try:
        return av.open(io.BytesIO(data), mode="r")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidRequest("the file is not audio we can read (corrupt or an unsupported format)",
                             param="file", hint=f"send one of: {', '.join(sorted(set(INPUT_FORMATS.values())))}"
                             ) from exc


def decode_audio(data: bytes, *, rate: int = 16000, max_seconds: float | None = None) -> Audio:
    """Decode the first audio stream of ``data`` to mono float32 at ``rate`` Hz.

    Raises ``InvalidRequest`` for empty, corrupt, unsupported or too long input, or input without sound.
    """
    with _open(data) as container:
        kind = _known_format(container)
        if kind is None or not container.streams.audio:
            what = "has no audio stream" if kind else f"is in an unsupported format ({container.format.name})"
            raise InvalidRequest(f"the file {what}", param="file",
                                 hint=f"send one of: {', '.join(sorted(set(INPUT_FORMATS.values())))}")
        limit = int(max_seconds * rate) if max_seconds else None
        chunks, total = [], 0
        try:
            for chunk in _frames(container, rate):
                chunks.append(chunk)
                total += len(chunk)
                if limit is not None and total > limit:
                    raise InvalidRequest(f"the audio is longer than the limit of {max_seconds:g} seconds",
                                         param="file", hint="split it or raise max_audio_seconds")
        except av.FFmpegError as exc:
            raise InvalidRequest(f"the {kind} audio is corrupt: {exc}", param="file") from exc
    if total == 0:
        raise InvalidRequest("the file contains no audio samples", param="file")
    return Audio(np.concatenate(chunks).astype(np.float32, copy=False), rate)


def resample(audio: Audio, rate: int) -> Audio:
    """The same sound at another sample rate (linear interpolation is plenty for speech)."""
    if audio.sample_rate == rate or not len(audio.samples):
        return audio
    count = round(len(audio.samples) * rate / audio.sample_rate)
    positions = np.linspace(0, len(audio.samples) - 1, count)
    return Audio(np.interp(positions, np.arange(len(audio.samples)), audio.samples).astype(np.float32), rate)


def _pcm16(audio: Audio) -> bytes:
    return (np.clip(audio.samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()


def _wav(audio: Audio) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(audio.sample_rate)
        out.writeframes(_pcm16(audio))
    return buf.getvalue()


def _encode_with_av(audio: Audio, container_name: str, codec: str) -> bytes:
    buf = io.BytesIO()
    with av.open(buf, mode="w", format=container_name) as out:
        stream = out.add_stream(codec, rate=audio.sample_rate, layout="mono")
        assert isinstance(stream, av.audio.stream.AudioStream)
        frame = av.AudioFrame.from_ndarray(audio.samples.reshape(1, -1).astype(np.float32), format="flt",
                                           layout="mono")
        frame.sample_rate = audio.sample_rate
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def encode_audio(audio: Audio, fmt: str) -> tuple[bytes, str]:
    """Encode ``audio`` as ``fmt`` (a key of ``OUTPUT_FORMATS``); returns the bytes and their media type."""
    if fmt not in OUTPUT_FORMATS:
        raise InvalidRequest(f"response_format {fmt!r} is not supported", param="response_format",
                             hint=f"use one of: {', '.join(OUTPUT_FORMATS)}")
    container_name, codec, rate, media_type = OUTPUT_FORMATS[fmt]
    audio = resample(audio, rate) if rate else audio
    if fmt == "pcm":
        return _pcm16(audio), media_type
    if fmt == "wav":
        return _wav(audio), media_type
    return _encode_with_av(audio, container_name, codec), media_type
