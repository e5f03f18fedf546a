"""Prometheus metrics, one registry per app so that several apps (tests) never collide."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Histogram

__all__ = ["Metrics"]


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.requests = Counter("tandem_http_requests", "HTTP requests", ["path", "status"], registry=r)
        self.latency = Histogram("tandem_http_request_seconds", "HTTP request latency", ["path"], registry=r)
        self.tokens = Counter("tandem_tokens", "Tokens processed", ["model", "kind"], registry=r)
        self.ttft = Histogram("tandem_time_to_first_token_seconds", "Time to first token", ["model"],
                              registry=r, buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30))
        self.cancelled = Counter("tandem_generations_cancelled", "Generations stopped by the client",
                                 ["model"], registry=r)
