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
from tandem.partners.store import IDEMPOTENCY_TABLE, PartnerStore, ToolError

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
    def list_events(start: str, end: str) -> list[dict[str, Any]]:
        """Events overlapping the period [start, end)."""
        return store.rows("SELECT * FROM events WHERE starts_at < ? AND ends_at > ? ORDER BY starts_at",
                          (_when(end, "end"), _when(start, "start")))

    @mcp.tool()
    def delete_event(event_id: str) -> dict[str, Any]:
        """Delete a calendar event (deleting twice is harmless)."""
        with store.write() as conn:
            deleted = conn.execute("DELETE FROM events WHERE id = ?", (event_id,)).rowcount
        return {"id": event_id, "deleted": bool(deleted)}

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
        """Notes whose title or body contains the query (all notes for an empty query)."""
        return store.rows("SELECT * FROM notes WHERE title LIKE ? OR body LIKE ? ORDER BY created_at DESC",
                          (f"%{query}%", f"%{query}%"))

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
