"""``POST /v1/embeddings``: on-device multilingual-e5-small vectors, as OpenAI's embeddings API returns them.

``model`` is ``device:e5-small`` (OpenAI's two small names are accepted as aliases; anything else is a 404).
``input`` is text or a list of texts. Token ids are refused: they would be ids of the client's tokenizer
(LangChain sends tiktoken's), which mean nothing to e5. ``dimensions`` may only name e5's 384: e5 was
not trained for shorter vectors, so cutting them would quietly lose quality. A request is bounded as OpenAI's is
(an input of at most ~8,192 tokens, at most 2,048 inputs): e5 reads a long text window by window at about a
millisecond a character, so one megabyte held the server's embedder for a quarter of an hour (walk4, session 14).
"""

from __future__ import annotations

import base64
from typing import Any, Literal

import numpy as np
from fastapi import APIRouter, Request
from pydantic import Field, field_validator
from starlette.concurrency import run_in_threadpool

from tandem.api.bodies import ParsedRoute
from tandem.api.schemas import OpenAIBody
from tandem.errors import InvalidRequest, ModelNotFound

__all__ = ["EMBEDDING_ID", "EmbeddingsBody", "router"]

router = APIRouter(route_class=ParsedRoute)
EMBEDDING_ID = "device:e5-small"
_ALIASES = ("text-embedding-3-small", "text-embedding-ada-002")
_DIMENSIONS = 384
MAX_CHARS = 32_768  # an input: OpenAI's 8,192 tokens at ~4 characters a token (~30 s of e5 on one core)
MAX_INPUTS = 2_048  # inputs in one request, as OpenAI
MAX_TOTAL = 262_144  # characters in one request: a bound on how long one caller holds the embedder


class EmbeddingsBody(OpenAIBody):
    model: str
    input: str | list[str] | list[int] | list[list[int]] = Field(min_length=1)
    encoding_format: Literal["float", "base64"] = "float"
    dimensions: int | None = Field(default=None, ge=1)

    def texts(self) -> list[str]:
        if self.model not in (EMBEDDING_ID, *_ALIASES):
            raise ModelNotFound(f"unknown embedding model {self.model!r}",
                                hint=f"use one of: {', '.join((EMBEDDING_ID, *_ALIASES))}")
        if self.dimensions is not None and self.dimensions != _DIMENSIONS:
            raise InvalidRequest(f"dimensions {self.dimensions} is not supported; {EMBEDDING_ID} makes "
                                 f"{_DIMENSIONS}-dimensional vectors", param="dimensions",
                                 hint=f"leave dimensions unset or use {_DIMENSIONS}")
        texts = [self.input] if isinstance(self.input, str) else list(self.input)
        _texts_only(texts)
        if any(not t for t in texts):
            raise InvalidRequest("input must not contain empty strings", param="input")
        said = [str(t) for t in texts]
        _bounded(said)
        return said

    @field_validator("input", mode="before")
    @classmethod
    def _not_too_many(cls, value: Any) -> Any:
        """More inputs than one request may hold are refused before they are validated: each member of the union
        tries every item, and 1.3 million empty lists (a 4 MB body) took ~10 s of validation on the event loop."""
        if isinstance(value, list) and len(value) > MAX_INPUTS:  # the answers texts() gives (review R25-7)
            _texts_only(value)
            _bounded(value)
        return value


def _texts_only(texts: list[Any]) -> None:
    if not all(isinstance(t, str) for t in texts):
        raise InvalidRequest("input holds token ids; send the texts themselves (ids of another tokenizer "
                             "mean nothing to this model)", param="input",
                             hint="LangChain: OpenAIEmbeddings(check_embedding_ctx_length=False)")


_SPLIT = "split the text into chunks and send them in several requests"


def _bounded(texts: list[str]) -> None:
    longest = max(len(t) for t in texts)
    if len(texts) > MAX_INPUTS or longest > MAX_CHARS or sum(map(len, texts)) > MAX_TOTAL:
        raise InvalidRequest(f"input is too long: at most {MAX_INPUTS} texts of at most {MAX_CHARS} characters, "
                             f"{MAX_TOTAL} in all (this request: {len(texts)} texts, the longest {longest})",
                             param="input", hint=_SPLIT)


def _encode(vector: list[float], fmt: str) -> list[float] | str:
    if fmt == "base64":
        return base64.b64encode(np.asarray(vector, dtype="<f4").tobytes()).decode()
    return vector


@router.post("/v1/embeddings")
async def embeddings(body: EmbeddingsBody, request: Request) -> dict[str, Any]:
    texts = body.texts()
    embedder = await run_in_threadpool(request.app.state.registry.embedder)
    vectors = await run_in_threadpool(embedder.embed, texts)
    data = [{"object": "embedding", "index": i, "embedding": _encode(v, body.encoding_format)}
            for i, v in enumerate(vectors)]
    count = getattr(embedder, "count_tokens", None)
    tokens = await run_in_threadpool(count, texts) if count else sum(len(t.split()) for t in texts)
    return {"object": "list", "data": data, "model": body.model,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens}}
