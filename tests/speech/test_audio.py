"""Decoding uploads and encoding replies with PyAV, on generated tones (no models)."""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
from PIL import Image

from tandem.errors import InvalidRequest
from tandem.speech.audio import OUTPUT_FORMATS, decode_audio, encode_audio, resample
from tandem.speech.base import Audio


def tone(seconds: float = 1.0, rate: int = 22050, hz: float = 440.0) -> Audio:
    t = np.arange(int(seconds * rate)) / rate
    return Audio((0.3 * np.sin(2 * np.pi * hz * t)).astype(np.float32), rate)


@pytest.mark.parametrize("fmt", [f for f in OUTPUT_FORMATS if f != "pcm"])
def test_every_output_format_decodes_back_to_the_same_length(fmt: str) -> None:
    data, media_type = encode_audio(tone(1.0), fmt)
    assert media_type.startswith("audio/")
    back = decode_audio(data)
    assert back.sample_rate == 16000 and abs(back.seconds - 1.0) < 0.1
    # the tone survives the codec: one second at 16 kHz gives 1 Hz bins, and the peak sits at 440 Hz
    spectrum = np.abs(np.fft.rfft(back.samples[:16000]))
    assert abs(int(np.argmax(spectrum)) - 440) <= 2


def test_pcm_is_raw_16_bit_at_24_khz() -> None:
    data, media_type = encode_audio(tone(0.5), "pcm")
    assert media_type == "audio/pcm" and len(data) == 2 * 12000


def test_webm_and_ogg_uploads_decode() -> None:
    import av

    for container, codec in (("webm", "libopus"), ("ogg", "libopus")):
        buf = io.BytesIO()
        audio = resample(tone(1.0), 48000)
        with av.open(buf, mode="w", format=container) as out:
            stream = out.add_stream(codec, rate=48000, layout="mono")
            frame = av.AudioFrame.from_ndarray(audio.samples.reshape(1, -1), format="flt", layout="mono")
            frame.sample_rate = 48000
            for packet in [*stream.encode(frame), *stream.encode(None)]:
                out.mux(packet)
        assert abs(decode_audio(buf.getvalue()).seconds - 1.0) < 0.1, container


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize(("data", "needle"), [
    (b"", "empty"),
    (random.Random(0).randbytes(4000), "corrupt or an unsupported format"),  # fixed: 1 in ~300 probes as text (lrc)
    (b"just some text, not audio " * 40, "corrupt or an unsupported format"),
    (_png(), "unsupported format (png"),
    (encode_audio(tone(1.0), "wav")[0][:44], "no audio samples"),
])
def test_bad_uploads_are_invalid_requests(data: bytes, needle: str) -> None:
    with pytest.raises(InvalidRequest) as info:
        decode_audio(data)
    assert needle in str(info.value) and info.value.param == "file"


@pytest.mark.parametrize("seed", range(40))
def test_any_random_bytes_are_an_invalid_request(seed: int) -> None:
    """Whatever format random bytes probe as (mostly none; now and then a text format such as lrc), the upload is a
    4xx on its ``file``, never a 500."""
    with pytest.raises(InvalidRequest) as info:
        decode_audio(random.Random(seed).randbytes(4000))
    assert info.value.param == "file" and "unsupported format" in str(info.value)


def test_decoding_stops_at_the_duration_limit() -> None:
    data = encode_audio(tone(3.0), "mp3")[0]
    with pytest.raises(InvalidRequest, match="longer than the limit of 2 seconds"):
        decode_audio(data, max_seconds=2)
    assert decode_audio(data, max_seconds=4).seconds > 2.9


def test_unknown_output_format_is_refused() -> None:
    with pytest.raises(InvalidRequest, match="not supported"):
        encode_audio(tone(0.1), "midi")
