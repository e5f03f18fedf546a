"""Body limits: small for chat, larger for file uploads, enforced before the app parses anything."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from tandem.api.limits import BodyLimit


async def echo(request: Request) -> JSONResponse:
    return JSONResponse({"size": len(await request.body())})


def test_upload_paths_get_their_own_limit() -> None:
    app = Starlette(routes=[Route("/chat", echo, methods=["POST"]), Route("/upload", echo, methods=["POST"])])
    client = TestClient(BodyLimit(app, max_bytes=1000, uploads={"/upload": 5000}))
    assert client.post("/chat", content=b"x" * 1000).json() == {"size": 1000}
    refused = client.post("/chat", content=b"x" * 1001)
    assert refused.status_code == 413 and "1000 bytes" in refused.json()["error"]["message"]
    assert client.post("/upload", content=b"x" * 4000).json() == {"size": 4000}
    assert client.post("/upload", content=b"x" * 5001).status_code == 413
    assert client.post("/upload", content=iter([b"x" * 3000, b"x" * 3000])).status_code == 413  # no length given
