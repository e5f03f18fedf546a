"""Metro routing: fewest minutes with transfer penalties, on a toy network and on Beijing's."""

from __future__ import annotations

from tandem.partners.metro import MetroGraph
from tandem.partners.navigation import graph


def test_transfer_penalty_changes_the_route() -> None:
    lines = {"A": ["a", "b", "c", "d", "e"], "B": ["a", "x", "e"]}
    fast_transfer = MetroGraph(lines, minutes_per_hop=2, transfer_minutes=0)
    route = fast_transfer.route("a", "e")
    assert route is not None and [r.line for r in route.rides] == ["B"] and route.minutes == 4
    ring = MetroGraph({"A": ["a", "b", "c"], "B": ["c", "d"]}, minutes_per_hop=2, transfer_minutes=5)
    route = ring.route("a", "d")
    assert route is not None and route.transfers == 1 and route.minutes == 2 * 3 + 5 and route.stops == 3
    assert ring.route("a", "zzz") is None and ring.route("a", "a").minutes == 0  # type: ignore[union-attr]


def test_beijing_network() -> None:
    beijing = graph("Beijing")
    assert beijing is not None and {"灯市口", "西直门", "国贸", "宋家庄"} <= beijing.stations
    same_line = beijing.route("灯市口", "宋家庄")
    assert same_line is not None and same_line.transfers == 0 and same_line.rides[0].line == "5号线"
    across = beijing.route("苹果园", "天通苑北")
    assert across is not None and across.transfers >= 1
    assert across.rides[0].board == "苹果园" and across.rides[-1].alight == "天通苑北"
    assert graph("Munich") is None
