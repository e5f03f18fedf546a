"""Images for text-only models: ``POST /v1/images/analyze`` and image parts in chat messages.

``POST /v1/images/analyze`` takes either a multipart upload (field ``file``) or JSON
``{"image_url": "data:image/png;base64,..."}`` and answers::

    {"object": "image.analysis", "model": "ocr:rapidocr", "width": 800, "height": 1000,
     "text": "DUNE: PART TWO\\n...",                       # all lines, top to bottom
     "lines": [{"text": "DUNE: PART TWO", "confidence": 0.99,
                "box": [[59, 91], [611, 91], [611, 157], [59, 157]]}],   # corners, clockwise from top-left
     "labels": [{"name": "text", "score": 0.99, "source": "ocr"}]}

In ``/v1/chat/completions``, every ``image_url`` part (data URLs only: nothing is fetched) is read by OCR
before the request is built, and the model gets the text and labels in the image's place.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from tandem.api.bodies import ParsedRoute
from tandem.api.extras import require
from tandem.api.schemas import ChatBody, image_texts
from tandem.api.state import app_singleton
from tandem.errors import InvalidRequest
from tandem.models.base import Model
from tandem.router.images import ImageRoute
from tandem.router.images import route_images as route_by_policy
from tandem.types import ChatRequest

if TYPE_CHECKING:  # the vision extra (Pillow, OCR) is imported only when an image arrives
    from tandem.vision.base import ImageAnalysis
    from tandem.vision.registry import VisionRegistry

__all__ = ["ImageRoute", "analysis_json", "image_parts_as_text", "route_images", "router", "vision_registry"]

router = APIRouter(route_class=ParsedRoute)
_MAX_CHAT_IMAGES = 8  # OCR takes 1-3 s per image on two cores
_FORM_FIELDS = 8  # an upload's fields besides its file (OpenAI's clients send none or a few: model, prompt)


def vision_registry(request: Request) -> VisionRegistry:
    """The app's vision models, created on first use from the chat registry's settings (501 without the
    vision extra)."""
    require("vision")
    from tandem.vision.registry import VisionRegistry

    return app_singleton(request, "vision", VisionRegistry)


def analysis_json(analysis: ImageAnalysis) -> dict[str, Any]:
    return {"object": "image.analysis", "model": "ocr:rapidocr", "width": analysis.width, "height": analysis.height,
            "text": analysis.text,
            "lines": [{"text": line.text, "confidence": line.confidence, "box": [list(p) for p in line.box]}
                      for line in analysis.lines],
            "labels": [{"name": label.name, "score": label.score, "source": label.source}
                       for label in analysis.labels]}


async def _upload_bytes(request: Request) -> bytes:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        try:  # parsed on the event loop, ~50-75 µs a part: starlette's own bound is 1,000 fields and 1,000 files
            form = await request.form(max_files=1, max_fields=_FORM_FIELDS)
        except HTTPException as exc:  # at the first part beyond the bound
            raise InvalidRequest(str(exc.detail), param="file") from exc
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise InvalidRequest("the form has no file field", param="file")
        return await upload.read()
    try:
        body = await request.json()
    except ValueError as exc:
        raise InvalidRequest("send multipart/form-data with a file, or JSON with image_url") from exc
    url = body.get("image_url") if isinstance(body, dict) else None
    url = url.get("url") if isinstance(url, dict) else url
    if not isinstance(url, str):
        raise InvalidRequest("image_url is required", param="image_url")
    return _decode(url, "image_url")


def _decode(url: str, param: str) -> bytes:
    require("vision")
    from tandem.vision.image import decode_data_url

    return decode_data_url(url, param=param)


async def _analyze(request: Request, data: bytes, param: str) -> ImageAnalysis:
    registry = vision_registry(request)
    from tandem.vision.image import load_image

    image = await run_in_threadpool(load_image, data, max_pixels=registry.settings.max_image_pixels, param=param)
    return await run_in_threadpool(registry.analyze, image)


@router.post("/v1/images/analyze")
async def analyze_image(request: Request) -> dict[str, Any]:
    """Read the text (with boxes) of one image and label it."""
    data = await _upload_bytes(request)
    return analysis_json(await _analyze(request, data, "file"))


def _image_urls(body: Any) -> list[tuple[str, str]]:
    """(url, param) of every image part in a chat body, in order."""
    found: list[tuple[str, str]] = []
    messages = body.get("messages") if isinstance(body, dict) else None
    for i, message in enumerate(messages if isinstance(messages, list) else []):
        content = message.get("content") if isinstance(message, dict) else None
        for j, part in enumerate(content if isinstance(content, list) else []):
            if isinstance(part, dict) and part.get("type") == "image_url":
                url = part.get("image_url")
                url = url.get("url") if isinstance(url, dict) else url
                if isinstance(url, str):
                    found.append((url, f"messages[{i}].content[{j}].image_url"))
    return found


async def image_parts_as_text(request: Request) -> None:
    """Dependency of the chat route: OCR every image part and publish the texts for ``ChatBody.to_request``.

    It runs before the body is validated, in the request's own task, so the ContextVar it sets is what the
    endpoint sees; OCR runs in a worker thread, off the event loop.
    """
    try:
        body = await request.json()
    except ValueError:
        return  # the endpoint reports the bad JSON
    urls = _image_urls(body)
    if len(urls) > _MAX_CHAT_IMAGES:
        raise InvalidRequest(f"at most {_MAX_CHAT_IMAGES} images per request", param="messages")
    texts: dict[str, str] = {}
    analyses: dict[str, ImageAnalysis] = {}
    if urls:  # only then the vision extra is needed (501 without it)
        require("vision")
        from tandem.vision.analyze import describe
    for n, (url, param) in enumerate(urls, 1):
        if url not in texts:
            analyses[url] = await _analyze(request, _decode(url, param), param)
            texts[url] = describe(analyses[url], f"image {n}")
    image_texts.set(texts)
    request.state.image_analyses = analyses  # for route_images: may the pixels themselves go to a cloud?


def _with_images(chat: ChatRequest, body: ChatBody, urls: set[str]) -> ChatRequest:
    """``chat`` with each message's images attached as pixels instead of their OCR text."""
    messages = list(chat.messages)
    for i, message in enumerate(body.messages):
        if not isinstance(message.content, list):
            continue
        images = tuple(u for p in message.content if p.type == "image_url" and (u := _part_url(p)) in urls)
        if images:
            text = "".join(p.text or "" for p in message.content if p.type == "text")
            messages[i] = replace(messages[i], content=text, images=images)
    return replace(chat, messages=tuple(messages))


def _part_url(part: Any) -> str | None:
    url = part.image_url.get("url") if isinstance(part.image_url, dict) else part.image_url
    return url if isinstance(url, str) else None


def route_images(request: Request, body: ChatBody, model: Model, chat: ChatRequest) -> ImageRoute | None:
    """The router's image policy (``tandem.router.images``) for this request's images, as OCR read them."""
    analyses: dict[str, ImageAnalysis] = getattr(request.state, "image_analyses", {})
    if not analyses:
        return None
    from tandem.vision.analyze import personal_signs

    return route_by_policy(model, chat, images=len(analyses),
                           signs=[s for a in analyses.values() for s in personal_signs(a)],
                           text="\n".join(a.text for a in analyses.values() if a.text),
                           attach=partial(_with_images, body=body, urls=set(analyses)))
