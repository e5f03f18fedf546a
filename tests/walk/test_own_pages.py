"""Every page the server serves loads only its own files (walk2 W2-8). FastAPI's default /docs and /redoc pages
loaded Swagger UI and ReDoc scripts from cdn.jsdelivr.net: on an offline device they do not work, the CDN learns when
the user opens them, and a script from another party ran in the origin whose session cookie confirms purchases."""

from __future__ import annotations

import re

import httpx
from starlette.routing import Route

from tandem.api.app import create_app
from tandem.models.registry import ModelRegistry
from tandem.testing import LiveServer

_LOADS = re.compile(r"""(?:src|href|action)\s*=\s*["']?([^"'\s>]+)|url\(\s*["']?([^"')]+)|@import\s+["']([^"']+)""",
                    re.I)


def test_pages_load_nothing_from_another_origin(tiny_registry: ModelRegistry) -> None:
    app = create_app(tiny_registry)
    paths = sorted({r.path for r in app.routes if isinstance(r, Route) and "GET" in (r.methods or ())
                    and "{" not in r.path})
    pages = {}
    with LiveServer(app) as server, httpx.Client(base_url=server.url, timeout=60) as http:
        for path in paths:
            answer = http.get(path)
            if answer.status_code == 200 and answer.headers.get("content-type", "").startswith("text/html"):
                pages[path] = answer.text
    assert "/" in pages  # the web app itself is among them
    foreign = {path: [u for groups in _LOADS.findall(html) for u in groups if u and re.match(r"(?i)(https?:)?//", u)]
               for path, html in pages.items()}
    assert {path: urls for path, urls in foreign.items() if urls} == {}
