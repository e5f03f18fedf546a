"""Prometheus metrics, one registry per app so that several apps (tests) never collide.

Besides the HTTP and token metrics of this app, ``/metrics`` exports the process-wide event counts of
``tandem.observe`` (fallbacks, fail-closed decisions, partner failures) as ``tandem_<event>_total`` with a
``reason`` label.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

from tandem.observe import counts

__all__ = ["EventCounts", "Metrics"]

# Always exported (at 0 until the first one), so a dashboard can alert on any increase.
_EVENTS = {"router_fallbacks": "Fallbacks and fail-closed routing decisions, by reason",
           "partner_errors": "Partner answers the agent could not use, by reason"}


class EventCounts(Collector):
    """``tandem.observe.counts()`` as Prometheus counters."""

    def collect(self) -> Iterator[Metric]:
        snapshot = counts()
        events = dict(_EVENTS)
        events.update({event: event.replace("_", " ") for event, _ in snapshot if event not in events})
        for event, doc in sorted(events.items()):
            family = CounterMetricFamily(f"tandem_{event}", doc, labels=["reason"])
            for (name, reason), n in sorted(snapshot.items()):
                if name == event:
                    family.add_metric([reason], n)
            yield family


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
        r.register(EventCounts())
