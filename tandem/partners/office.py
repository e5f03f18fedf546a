"""Reference partner: office on the device (calendar events, notes, reminders).

Runs locally next to the assistant; its manifest declares processing ``LOCAL``, so it is offered in every
region. Creating tools take an optional idempotency key so a retried call never makes a duplicate.

    python -m tandem.partners.office
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mcp.server.fastmcp import FastMCP

from tandem.partners.server import Options, Variant, partner_main
from tandem.partners.store import IDEMPOTENCY_TABLE, PartnerStore, ToolError, words_match

__all__ = ["VARIANTS", "build", "main", "open_store"]

VARIANTS = {"LOCAL": Variant("LOCAL", "tandem.office", "Tandem Office", "", ())}

MIGRATIONS = [
    """
CREATE TABLE events (id TEXT PRIMARY KEY, title TEXT NOT NULL, starts_at TEXT NOT NULL, ends_at TEXT NOT NULL,
                     location TEXT, notes TEXT, CHECK (ends_at > starts_at));
CREATE TABLE notes (id TEXT PRIMARY KEY, title TEXT NOT NULL, body TEXT NOT NULL,
                    created_at TEXT NOT NULL DEFAULT (datetime('now')));
CREATE TABLE reminders (id TEXT PRIMARY KEY, text TEXT NOT NULL, due_at TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0)
""" + ";\n" + IDEMPOTENCY_TABLE,
]


def open_store(path: Path, variant: Variant) -> PartnerStore:
    return PartnerStore(path, MIGRATIONS)


def _when(value: str, field: str) -> str:
    try:
        return dt.datetime.fromisoformat(value).isoformat(timespec="minutes")
    except ValueError as exc:
        raise ToolError(f"{field} must be an ISO date-time like 2026-12-01T18:30, not {value!r}") from exc


def _period(start: str | None, end: str | None, at: str | None) -> tuple[str, str]:
    """The period [low, high) ``list_events`` reads (``_when``'s minutes)."""
    if at:
        moment = _when(at, "at")
        day = "T" not in at
        return moment, _day_after(moment) if day else \
            (dt.datetime.fromisoformat(moment) + dt.timedelta(minutes=1)).isoformat(timespec="minutes")
    low = _when(start, "start") if start else dt.datetime.now().isoformat(timespec="minutes")
    if end:  # a bare date ends with that day ("next week": its Sunday)
        high = _day_after(_when(end, "end")) if "T" not in end else _when(end, "end")
    else:
        high = _day_after(low) if start else "9999-12-31T23:59"
    if high <= low:
        raise ToolError("end must be after start")
    return low, high


def _day_after(moment: str) -> str:
    """Midnight after the day of ``moment``."""
    return (dt.date.fromisoformat(moment[:10]) + dt.timedelta(days=1)).isoformat() + "T00:00"


def _create(store: PartnerStore, key: str | None, tool: str, request: dict[str, Any],
            insert: Callable[[sqlite3.Connection, str], object]) -> dict[str, Any]:
    """Insert a row with a fresh id; with a key, a retry returns the first row instead of a duplicate."""
    def effect(conn: sqlite3.Connection) -> dict[str, Any]:
        new_id = uuid.uuid4().hex[:12]
        insert(conn, new_id)
        return {"id": new_id, **request}

    if key:
        return store.idempotent(key, tool, request, effect)
    with store.write() as conn:
        return effect(conn)


def build(variant: Variant, store: PartnerStore, options: Options) -> FastMCP:
    """The on-device office MCP server."""
    mcp = options.server(variant, "Calendar, notes and reminders stored on this device.")

    @mcp.tool()
    def add_event(title: str, starts_at: str, ends_at: str | None = None, location: str | None = None,
                  idempotency_key: str | None = None) -> dict[str, Any]:
        """Add a calendar event (ISO date-times); without ends_at it lasts an hour."""
        start = _when(starts_at, "starts_at")
        end = _when(ends_at, "ends_at") if ends_at else \
            (dt.datetime.fromisoformat(start) + dt.timedelta(hours=1)).isoformat(timespec="minutes")
        if end <= start:
            raise ToolError("ends_at must be after starts_at")
        request = {"title": title, "starts_at": start, "ends_at": end, "location": location}
        return _create(store, idempotency_key, "add_event", request, lambda c, i: c.execute(
            "INSERT INTO events (id, title, starts_at, ends_at, location) VALUES (?, ?, ?, ?, ?)",
            (i, title, start, end, location)))

    @mcp.tool()
    def list_events(start: str | None = None, end: str | None = None, at: str | None = None,
                    query: str | None = None) -> list[dict[str, Any]]:
        """Events by time, overlapping [start, end): a bare date as start without an end is that whole day, a date-time
        without an end runs to the end of its day, a bare date as end takes that day in, no start is from now on.
        ``at``: the events on a day (a date) or going on at a moment (a date-time). ``query``: words of the title or
        location."""
        low, high = _period(start, end, at)
        found = store.rows("SELECT * FROM events WHERE starts_at < ? AND ends_at > ? ORDER BY starts_at",
                           (high, low))
        return words_match(found, query or "", ("title", "location"))

    @mcp.tool()
    def get_event(event_id: str) -> dict[str, Any]:
        """One calendar event by its id."""
        found = store.row("SELECT * FROM events WHERE id = ?", (event_id,))
        if found is None:
            raise ToolError(f"unknown event {event_id!r}")
        return found

    @mcp.tool()
    def delete_event(event_id: str, idempotency_key: str | None = None) -> dict[str, Any]:
        """Delete a calendar event (deleting twice is harmless; a key repeats the first answer): what was deleted."""
        def effect(conn: sqlite3.Connection) -> dict[str, Any]:
            row = conn.execute("SELECT title, starts_at FROM events WHERE id = ?", (event_id,)).fetchone()
            conn.execute("DELETE FROM events WHERE id = ?", (event_id,))
            gone = {"title": row[0], "starts_at": row[1]} if row else {}
            return {"id": event_id, "deleted": row is not None, **gone}

        if idempotency_key:
            return store.idempotent(idempotency_key, "delete_event", {"event_id": event_id}, effect)
        with store.write() as conn:
            return effect(conn)

    _note_and_reminder_tools(mcp, variant, store, options)
    return mcp


def _note_and_reminder_tools(mcp: FastMCP, variant: Variant, store: PartnerStore, options: Options) -> None:
    """Notes and reminders (the calendar tools are in build)."""

    @mcp.tool()
    def add_note(title: str, body: str, idempotency_key: str | None = None) -> dict[str, Any]:
        """Save a note."""
        return _create(store, idempotency_key, "add_note", {"title": title, "body": body}, lambda c, i: c.execute(
            "INSERT INTO notes (id, title, body) VALUES (?, ?, ?)", (i, title, body)))

    @mcp.tool()
    def search_notes(query: str = "") -> list[dict[str, Any]]:
        """Notes holding the query's words in title or body, newest first (all notes for an empty query)."""
        found = store.rows("SELECT * FROM notes ORDER BY created_at DESC, rowid DESC")
        return words_match(found, query, ("title", "body"))

    @mcp.tool()
    def add_reminder(text: str, due_at: str, idempotency_key: str | None = None) -> dict[str, Any]:
        """Set a reminder for an ISO date-time."""
        request = {"text": text, "due_at": _when(due_at, "due_at")}
        return _create(store, idempotency_key, "add_reminder", request, lambda c, i: c.execute(
            "INSERT INTO reminders (id, text, due_at) VALUES (?, ?, ?)", (i, text, request["due_at"])))

    @mcp.tool()
    def list_reminders(include_done: bool = False) -> list[dict[str, Any]]:
        """Reminders by due time; open ones only unless include_done."""
        return store.rows("SELECT * FROM reminders WHERE done = 0 OR ? ORDER BY due_at", (include_done,))

    @mcp.tool()
    def complete_reminder(reminder_id: str) -> dict[str, Any]:
        """Mark a reminder done."""
        with store.write() as conn:
            if not conn.execute("UPDATE reminders SET done = 1 WHERE id = ?", (reminder_id,)).rowcount:
                raise ToolError(f"unknown reminder {reminder_id!r}")
        return {"id": reminder_id, "done": True}


def main(argv: list[str] | None = None) -> None:
    partner_main("office", VARIANTS, open_store, build, argv)


if __name__ == "__main__":
    main()
