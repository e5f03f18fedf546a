"""A base install serves text: with the speech and vision packages hidden (as if only ``pip install tandem``
ran), the API starts, chat works, and the speech and image endpoints answer 501 naming the extra.

Each run is a fresh interpreter in which the extras' modules are set to None in ``sys.modules``, so any
import of them raises ImportError exactly as a missing package would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tandem.api.extras import SPEECH_ROUTES
from tandem.config import Settings

HIDDEN = ["av", "faster_whisper", "piper", "opencc", "PIL", "rapidocr", "onnxruntime", "cv2"]

SCRIPT = """
import json, sys
for name in {hidden!r}:
    sys.modules[name] = None
import httpx
from tandem.api.app import create_app
from tandem.config import load_settings
from tandem.models.registry import ModelRegistry
from tandem.testing import LiveServer

imported = sorted(m for m in {hidden!r} if sys.modules.get(m) is not None)
pixel = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGA"
         "WjR9awAAAABJRU5ErkJggg==")
with LiveServer(create_app(ModelRegistry(load_settings()))) as server:
    post = lambda path, **kw: httpx.post(server.url + path, timeout=120, **kw)
    chat = post("/v1/chat/completions", json={{"model": "device:tiny", "max_tokens": 3,
                                               "messages": [{{"role": "user", "content": "hi"}}]}})
    seeing = post("/v1/chat/completions", json={{"model": "device:tiny", "max_tokens": 3, "messages": [
        {{"role": "user", "content": [{{"type": "image_url", "image_url": {{"url": pixel}}}}]}}]}})
    answers = {{
        "chat": chat.status_code,
        "chat_with_image": [seeing.status_code, seeing.json()],
        "transcriptions": [(r := post("/v1/audio/transcriptions", files={{"file": ("a.wav", b"RIFF")}})).status_code,
                           r.json()],
        "speech": [(r := post("/v1/audio/speech", json={{"input": "hi", "voice": "alloy"}})).status_code, r.json()],
        "voices": httpx.get(server.url + "/v1/audio/voices", timeout=30).status_code,
        "voice_turn": post("/v1/assistant/voice", files={{"file": ("a.wav", b"RIFF")}},
                           headers=server.local).status_code,
        "analyze": [(r := post("/v1/images/analyze", json={{"image_url": pixel}})).status_code, r.json()],
    }}
print(json.dumps({{"imported": imported, "answers": answers}}))
"""


def _run(settings: Settings, hidden: list[str]) -> dict:  # type: ignore[type-arg]
    env = {**os.environ, "TANDEM_HOME": str(settings.home), "TANDEM_DEFAULT_MODEL": "device:tiny",
           "TANDEM_PRELOAD": "0"}
    out = subprocess.run([sys.executable, "-c", SCRIPT.format(hidden=hidden)], capture_output=True, text=True,
                         env=env, timeout=300, cwd=Path(__file__).resolve().parents[1])
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_without_the_extras_text_is_served_and_speech_and_images_answer_501(tiny_settings: Settings) -> None:
    result = _run(tiny_settings, HIDDEN)
    answers = result["answers"]
    assert result["imported"] == []
    assert answers["chat"] == 200
    for name, extra in (("transcriptions", "speech"), ("speech", "speech"), ("analyze", "vision"),
                        ("chat_with_image", "vision")):
        status, body = answers[name]
        assert status == 501, (name, body)
        assert f"pip install 'tandem[{extra}]'" in body["error"]["message"] and body["error"]["type"] == "server_error"
    assert answers["voices"] == 501 and answers["voice_turn"] == 501


def test_with_the_extras_the_same_endpoints_are_served(tiny_settings: Settings) -> None:
    answers = _run(tiny_settings, [])["answers"]
    assert answers["voices"] == 200
    assert answers["transcriptions"][0] == 400  # a 4-byte "recording" is bad input, not a missing extra
    assert answers["analyze"][0] == 200


def test_every_speech_route_has_its_501_stand_in() -> None:
    from fastapi.routing import APIRoute

    from tandem.api.audio import router as audio
    from tandem.api.voice import router as voice

    served = {(method, route.path) for router in (audio, voice) for route in router.routes
              if isinstance(route, APIRoute) for method in route.methods}
    assert served == set(SPEECH_ROUTES)
