"""Metro route planning on a line graph: fewest minutes, counting the time lost at each transfer.

The search state is (station, line), so changing lines costs ``transfer_minutes`` and the route can be
written as rides ("take 5号线 from 灯市口 to 雍和宫, 4 stops"). Pure and deterministic.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass
from typing import Any

__all__ = ["MetroGraph", "Ride", "Route"]


@dataclass(frozen=True)
class Ride:
    """One stretch on one line."""

    line: str
    board: str  # station where the ride starts
    alight: str  # station where it ends
    stops: int  # stations travelled


@dataclass(frozen=True)
class Route:
    """A metro route between two stations."""

    rides: tuple[Ride, ...]
    minutes: float  # riding plus transfer time, without walking to and from the stations
    stops: int  # stations travelled in total

    @property
    def transfers(self) -> int:
        return max(0, len(self.rides) - 1)


class MetroGraph:
    """A city's metro network built from ordered station lists per line."""

    def __init__(self, lines: dict[str, list[str]], minutes_per_hop: float, transfer_minutes: float) -> None:
        self.minutes_per_hop = minutes_per_hop
        self.transfer_minutes = transfer_minutes
        self.edges: dict[str, list[tuple[str, str]]] = {}  # station -> [(neighbour, line)]
        for line, stations in lines.items():
            for a, b in itertools.pairwise(stations):
                self.edges.setdefault(a, []).append((b, line))
                self.edges.setdefault(b, []).append((a, line))

    @classmethod
    def from_data(cls, city: dict[str, Any]) -> MetroGraph:
        return cls(city["lines"], city["minutes_per_hop"], city["transfer_minutes"])

    @property
    def stations(self) -> frozenset[str]:
        return frozenset(self.edges)

    def route(self, origin: str, destination: str) -> Route | None:
        """The quickest route, or None when either station is not on the network."""
        if origin not in self.edges or destination not in self.edges:
            return None
        if origin == destination:
            return Route((), 0.0, 0)
        best: dict[tuple[str, str], float] = {}
        came: dict[tuple[str, str], tuple[str, str] | None] = {}
        heap: list[tuple[float, str, str]] = []
        for _, line in self.edges[origin]:
            best[(origin, line)] = 0.0
            came[(origin, line)] = None
            heapq.heappush(heap, (0.0, origin, line))
        while heap:
            cost, station, line = heapq.heappop(heap)
            if station == destination:
                return self._unwind(came, (station, line), cost)
            if cost > best.get((station, line), float("inf")):
                continue
            for nxt, nxt_line in self.edges[station]:
                step = self.minutes_per_hop + (self.transfer_minutes if nxt_line != line else 0.0)
                if cost + step < best.get((nxt, nxt_line), float("inf")):
                    best[(nxt, nxt_line)] = cost + step
                    came[(nxt, nxt_line)] = (station, line)
                    heapq.heappush(heap, (cost + step, nxt, nxt_line))
        return None

    def _unwind(self, came: dict[tuple[str, str], tuple[str, str] | None], end: tuple[str, str],
                minutes: float) -> Route:
        path: list[tuple[str, str]] = []
        node: tuple[str, str] | None = end
        while node is not None:
            path.append(node)
            node = came[node]
        path.reverse()
        rides: list[Ride] = []
        # path[i] = (station, line used to arrive there); path[0]'s line is the line boarded first.
        for (prev, _), (station, line) in itertools.pairwise(path):
            if rides and rides[-1].line == line:
                last = rides[-1]
                rides[-1] = Ride(line, last.board, station, last.stops + 1)
            else:
                rides.append(Ride(line, prev, station, 1))
        return Route(tuple(rides), round(minutes, 1), sum(r.stops for r in rides))
