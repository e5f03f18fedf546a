"""Helpers for the agent tests: the reference partners' own stores, a user profile, the orders a partner
recorded, and a small Toolset over real in-process partner servers for tests that need many flows."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tandem.partners import cinema


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


CITIES = {"DE": "Berlin", "CN": "Beijing"}
VARIANT = {"DE": "EU", "CN": "CN"}


def schedule_film(home: Path, region: str, title: str, title_en: str, clock: str = "20:00",
                  day: dt.date | None = None, rows: int = 6, per_row: int = 10) -> str:
    """The cinema partner adds a film and one showing to its schedule (as its operator would). Returns
    the showtime id."""
    variant = cinema.VARIANTS[VARIANT[region]]
    store = cinema.open_store(home / "partners" / f"{variant.service_id}.db", variant)
    day = day or dt.date.today()
    film_id = "f-" + "".join(c for c in title_en.lower() if c.isalnum())
    try:
        with store.write() as conn:
            conn.execute("INSERT OR IGNORE INTO films VALUES (?, ?, ?, 155, 12)", (film_id, title, title_en))
            cinema_id, price = conn.execute("SELECT id, price FROM cinemas ORDER BY id").fetchone()
            showtime = f"{cinema_id}-{film_id}-{day:%Y%m%d}-{clock.replace(':', '')}"
            conn.execute("INSERT OR IGNORE INTO showtimes VALUES (?, ?, 'Saal 1', ?, ?, ?)",
                         (showtime, cinema_id, film_id, f"{day:%Y-%m-%d} {clock}", price))
            conn.executemany("INSERT OR IGNORE INTO seats (showtime_id, seat, row_no, col_no) VALUES (?, ?, ?, ?)",
                             [(showtime, f"{chr(65 + r)}{c + 1}", r, c) for r in range(rows) for c in range(per_row)])
    finally:
        store.close()
    return showtime


def write_profile(home: Path, region: str) -> None:
    city = CITIES[region]
    home.mkdir(parents=True, exist_ok=True)
    (home / "profile.toml").write_text(
        f'name = "Alex Muster"\nphone = "+49 30 1234567"\npayment_token = "tok_test_4242"\ncity = "{city}"\n'
        f'[places.office]\naddress = "Friedrichstraße 100"\ncity = "{city}"\n'
        f'[places.home]\naddress = "Kastanienallee 7"\ncity = "{city}"\n', encoding="utf-8")


def partner_rows(home: Path, service_id: str, sql: str) -> list[dict[str, Any]]:
    """Rows straight from a partner's own database (what really happened there)."""
    path = home / "partners" / f"{service_id}.db"
    if not path.exists():
        return []
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql)]
    finally:
        conn.close()
