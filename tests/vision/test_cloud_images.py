"""Images in chat under the routed models: their pixels go to a cloud that can see only when nothing in them
is personal (no face, no document, no PII in their text) and the router sends the request there; otherwise
their OCR text stands in. Two real servers on loopback: Tandem (tiny device model) and a recording cloud."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image, ImageDraw, ImageFilter

from tandem.api.app import create_app
from tandem.models.registry import ModelRegistry
from tandem.router.wiring import register_routing
from tandem.vision.analyze import analyze, personal_signs
from tandem.vision.base import ImageAnalysis, Label, TextLine
from tandem.vision.faces import HaarFaceDetector
from tests.conftest import TINY, LiveServer
from tests.router.cloud import RecordingCloud
from tests.router.conftest import cloud  # noqa: F401  (the recording cloud fixture)
from tests.vision.conftest import render


def drawn_face() -> bytes:
    """A plain drawn face (hair, skin, dark eyes and brows, nose, mouth) that the Haar cascade finds."""
    image = Image.new("L", (300, 300), 90)
    draw = ImageDraw.Draw(image)
    draw.ellipse([70, 30, 230, 200], fill=40)
    draw.ellipse([80, 60, 220, 260], fill=190)
    for x in (120, 180):
        draw.ellipse([x - 18, 116, x + 18, 134], fill=30)
        draw.rectangle([x - 22, 100, x + 22, 108], fill=50)
    draw.polygon([(150, 130), (138, 185), (162, 185)], fill=220)
    draw.rectangle([125, 205, 175, 215], fill=60)
    buf = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(1)).convert("RGB").save(buf, "PNG")
    return buf.getvalue()


POSTER = render((("SUMMER JAZZ NIGHT", 64, "black"), ("Sat 5 Dec 2026, 20:00", 40, "darkred"),
                 ("Spreehalle", 40, "black")))
LETTER = render((("Dr. Miriam Albrecht", 36, "black"), ("Kastanienallee 7, 10435 Berlin", 30, "black"),
                 ("miriam.albrecht@example.org", 30, "black"), ("IBAN DE89 3704 0044 0532 0130 00", 30, "black")),
                size=(900, 500))


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def test_faces_are_found_and_posters_have_none() -> None:
    detector = HaarFaceDetector()
    assert detector.classify(Image.open(io.BytesIO(drawn_face()))) == [Label("face", 1.0, "haar")]
    assert detector.classify(Image.open(io.BytesIO(POSTER))) == [Label("face", 0.0, "haar")]


def test_personal_signs() -> None:
    seen = ImageAnalysis(100, 100, labels=(Label("face", 0.0, "haar"),))
    assert personal_signs(seen) == ()
    assert personal_signs(ImageAnalysis(100, 100)) == ("face-unchecked",)  # no detector ran: cannot rule out
    both = ImageAnalysis(100, 100, labels=(Label("face", 1.0, "haar"), Label("document", 0.8, "ocr")))
    assert personal_signs(both) == ("face", "document")
    unread = ImageAnalysis(100, 100, labels=(Label("face", 0.0, "haar"), Label("text-unread", 1.0, "ocr")))
    assert personal_signs(unread) == ("text-unread",)


def test_a_line_found_and_not_read_is_no_text_but_a_label() -> None:
    class Reader:
        def read(self, image: Image.Image) -> list[TextLine]:
            return [TextLine("Spreehalle", ((0, 0), (50, 0), (50, 10), (0, 10)), 0.9),
                    TextLine("", ((0, 20), (50, 20), (50, 30), (0, 30)), 0.0)]

    analysis = analyze(Image.new("RGB", (100, 100)), Reader())
    assert analysis.text == "Spreehalle"
    assert [label.name for label in analysis.labels] == ["text", "text-unread"]


@pytest.fixture
def server(tiny_registry: ModelRegistry, home: Path, cloud: tuple[RecordingCloud, LiveServer],  # noqa: F811
           request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    vision, threshold = getattr(request, "param", (True, 0.5))
    (home / "privacy.toml").write_text(f"[router]\nthreshold = {threshold}\n", encoding="utf-8")
    (home / "cloud.toml").write_text(
        f'[[endpoint]]\nname = "eyes"\nurl = "{cloud[1].url}/v1"\nmodel = "seeing-model"\nregion = "DE"\n'
        f"vision = {str(vision).lower()}\ncontext_length = 32768\n", encoding="utf-8")
    register_routing(tiny_registry, TINY)
    with LiveServer(create_app(tiny_registry)) as live:
        yield live


def ask(server: LiveServer, model: str, png: bytes, question: str = "What is on this poster?") -> httpx.Response:
    body = {"model": model, "max_tokens": 4, "messages": [{"role": "user", "content": [
        {"type": "text", "text": question}, {"type": "image_url", "image_url": {"url": data_url(png)}}]}]}
    return httpx.post(server.url + "/v1/chat/completions", json=body, timeout=120)


def test_an_impersonal_image_goes_to_a_cloud_that_sees_and_is_ledgered(
        server: LiveServer, cloud: tuple[RecordingCloud, LiveServer]) -> None:  # noqa: F811
    answer = ask(server, "tandem:cloud-allowed", POSTER)
    assert answer.status_code == 200, answer.text
    assert answer.headers["x-tandem-image-route"] == "cloud; mode=cloud-allowed; images=1"
    (sent,) = cloud[0].received
    assert b'"image_url"' in sent.body and base64.b64encode(POSTER)[:200] in sent.body  # the pixels, as sent
    assert b"text read by OCR" not in sent.body  # the image itself replaces its OCR text
    (entry,) = httpx.get(server.url + "/v1/privacy/ledger", headers=server.local).json()["data"]
    assert entry["model"] == "seeing-model" and "images=1" in entry["route_reasons"]
    assert entry["payload_bytes"] > len(POSTER)


@pytest.mark.parametrize(("png", "reason"), [(drawn_face(), "image:face"), (LETTER, "image-text:")])
def test_a_personal_image_never_leaves_as_pixels(server: LiveServer, cloud: tuple[RecordingCloud, LiveServer],  # noqa: F811
                                                 png: bytes, reason: str) -> None:
    answer = ask(server, "tandem:cloud-allowed", png)
    assert answer.status_code == 200, answer.text
    route = answer.headers["x-tandem-image-route"]
    assert route.startswith("device; ") and reason in route, route
    sent = cloud[0].all_bytes()
    assert b"image_url" not in sent and base64.b64encode(png)[:200] not in sent
    assert b"miriam.albrecht@example.org" not in sent  # its text went (if at all) pseudonymised


@pytest.mark.parametrize(("server", "target"), [((True, 1.0), "device"), ((True, 0.0), "cloud")],
                         indirect=["server"])
def test_auto_sends_the_pixels_only_where_the_router_sends_the_request(
        server: LiveServer, cloud: tuple[RecordingCloud, LiveServer], target: str) -> None:  # noqa: F811
    answer = ask(server, "tandem:auto", POSTER, "When?")
    assert answer.status_code == 200, answer.text
    route = answer.headers["x-tandem-image-route"]
    assert route.startswith(f"{target}; difficulty="), route
    assert (b"image_url" in cloud[0].all_bytes()) == (target == "cloud")


@pytest.mark.parametrize("server", [(False, 0.5)], indirect=True)
def test_a_cloud_that_cannot_see_gets_the_text(server: LiveServer,
                                               cloud: tuple[RecordingCloud, LiveServer]) -> None:  # noqa: F811
    answer = ask(server, "tandem:cloud-allowed", POSTER)
    assert answer.status_code == 200 and answer.headers["x-tandem-image-route"] == "device; cloud:no-vision"
    assert b"image_url" not in cloud[0].all_bytes() and b"SUMMER JAZZ NIGHT" in cloud[0].all_bytes()


@pytest.mark.parametrize("failure", ["429", "401"])  # mid-stream deaths: see tests/router
def test_a_failing_cloud_leaves_the_image_to_the_device(server: LiveServer, cloud: tuple[RecordingCloud, LiveServer],  # noqa: F811
                                                         failure: str) -> None:
    cloud[0].script.mode = failure
    parts = [{"type": "text", "text": "What is on this poster?"},
             {"type": "image_url", "image_url": {"url": data_url(POSTER)}}]
    body = {"model": "tandem:cloud-allowed", "max_tokens": 40, "stream": True,
            "messages": [{"role": "user", "content": parts}]}
    with httpx.stream("POST", server.url + "/v1/chat/completions", json=body, timeout=120) as answer:
        assert answer.status_code == 200 and answer.headers["x-tandem-image-route"].startswith("cloud; ")
        events = [line for line in answer.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "data: [DONE]" and not any('"error"' in e for e in events)  # the device finished it
    (sent,) = cloud[0].received  # the one attempt, with the pixels, and on the ledger
    assert base64.b64encode(POSTER)[:200] in sent.body
    (entry,) = httpx.get(server.url + "/v1/privacy/ledger", headers=server.local).json()["data"]
    assert entry["model"] == "seeing-model"
