"""One error tree for Tandem. Lower-level errors are translated with ``raise ... from exc``.

    TandemError
    ├── ConfigError                 bad config file or environment value
    ├── InvalidRequest              the caller asked for something malformed (HTTP 400)
    │   └── ContextOverflow         prompt + max_tokens do not fit the model's context
    ├── NotFound                    unknown service, task, stored response ... (HTTP 404)
    │   └── ModelNotFound           unknown model id (chat, embedding, speech)
    ├── ModelError                  a model could not serve a request
    │   ├── ModelUnavailable        weights missing, hash mismatch, backend not installed
    │   ├── ModelTimeout            backend did not answer in time
    │   ├── RateLimited             backend said 429
    │   ├── AuthFailed              backend rejected our credentials
    │   ├── ToolCallFailed          the model did not produce a valid tool call after repair
    │   └── OutputInvalid           the answer did not match the requested JSON schema after retries
    ├── PolicyDenied                privacy policy forbids the requested route (fails closed)
    └── ServiceUnavailable          a partner service is down, timed out or was disabled (marked, not fatal)

Fallback chains catch the typed ``ModelError`` subclasses, never message strings.
"""

from __future__ import annotations

__all__ = [
    "AuthFailed",
    "ConfigError",
    "ContextOverflow",
    "InvalidRequest",
    "ModelError",
    "ModelNotFound",
    "ModelTimeout",
    "ModelUnavailable",
    "NotFound",
    "OutputInvalid",
    "PolicyDenied",
    "RateLimited",
    "ServiceUnavailable",
    "TandemError",
    "ToolCallFailed",
]


class TandemError(Exception):
    """Base of every error Tandem raises on purpose. ``hint`` tells the user what to do next."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ConfigError(TandemError):
    pass


class InvalidRequest(TandemError):
    def __init__(self, message: str, *, param: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.param = param


class ContextOverflow(InvalidRequest):
    pass


class NotFound(TandemError):
    pass


class ModelNotFound(NotFound):
    """No model (chat, embedding, speech) by that id: OpenAI's ``model_not_found``."""


class ModelError(TandemError):
    pass


class ModelUnavailable(ModelError):
    pass


class ModelTimeout(ModelError):
    pass


class RateLimited(ModelError):
    pass


class AuthFailed(ModelError):
    pass


class ToolCallFailed(ModelError):
    pass


class OutputInvalid(ModelError):
    pass


class PolicyDenied(TandemError):
    pass


class ServiceUnavailable(TandemError):
    pass
