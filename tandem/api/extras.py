"""The speech endpoints when the ``speech`` extra may be missing, and the check the image endpoints make.

``include_speech(app)`` imports the speech routers (``api.audio``, ``api.voice``: PyAV, Whisper, piper)
only when their packages are installed; otherwise the same paths answer 501 with an OpenAI error body
naming the extra to install. ``require(extra)`` is that 501 for a handler that would need the extra.
"""

from __future__ import annotations

from typing import Any, NoReturn

from fastapi import APIRouter, FastAPI, HTTPException

from tandem.api.bodies import ParsedRoute
from tandem.app.extras import install_hint, missing

__all__ = ["SPEECH_ROUTES", "include_speech", "require"]

# every route of api.audio and api.voice (tests/test_base_install.py checks that none is missing)
SPEECH_ROUTES = (("POST", "/v1/audio/transcriptions"), ("POST", "/v1/audio/translations"),
                 ("POST", "/v1/audio/speech"), ("GET", "/v1/audio/voices"), ("POST", "/v1/assistant/voice"))


def _not_installed(extra: str) -> NoReturn:
    raise HTTPException(501, f"this needs the {extra} extra, which is not installed: {install_hint(extra)} "
                             f"(missing: {', '.join(missing(extra))})")


def require(extra: str) -> None:
    """Answer 501 unless every package of ``extra`` is installed."""
    if missing(extra):
        _not_installed(extra)


def _stubs(extra: str, routes: tuple[tuple[str, str], ...]) -> APIRouter:
    router = APIRouter(route_class=ParsedRoute)

    async def unavailable() -> Any:
        _not_installed(extra)

    for method, path in routes:
        router.add_api_route(path, unavailable, methods=[method], include_in_schema=False)
    return router


def include_speech(app: FastAPI) -> None:
    """The speech routes, or 501 stubs on the same paths when the speech extra is missing."""
    if missing("speech"):
        app.include_router(_stubs("speech", SPEECH_ROUTES))
        return
    from tandem.api.audio import router as audio_router
    from tandem.api.voice import router as voice_router

    app.include_router(audio_router)
    app.include_router(voice_router)  # /v1/assistant/voice: speech in, the assistant's turn, speech out
