"""Which requests are heavy work (a model answer, an assistant turn, a transcription), and of which kind: the one list
that admission (``tandem.api.admission``: a turn per request, 429 when the line is full) and the OpenAPI document's
error codes (``tandem.api.errors``: 429, 503, 504 on these routes) both read."""

from __future__ import annotations

import re

__all__ = ["KINDS", "kind_of"]

# The heavy kinds, by the path of a POST. Kinds apart, so a flood of one (a client's batch of chat completions) does
# not turn away the user's own assistant turns; both still share the device's model, which answers one at a time.
KINDS: dict[str, re.Pattern[str]] = {
    "model": re.compile(r"/v1/(chat/completions|completions|responses|embeddings|recommendations(/feedback)?)"),
    "assistant": re.compile(r"/v1/assistant/(conversations(/[^/]+/messages)?|tasks/[^/]+/answer)"
                            r"|/api/ui/(turn|chat|tasks/[^/]+/answer)"),
    "media": re.compile(r"/v1/audio/(transcriptions|translations|speech)|/v1/images/analyze|/v1/assistant/voice"),
}


def kind_of(method: str, path: str) -> str | None:
    """The heavy kind of a request (``KINDS``), or None for a light one."""
    if method != "POST":
        return None
    return next((kind for kind, paths in KINDS.items() if paths.fullmatch(path)), None)
