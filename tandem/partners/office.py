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
from dataclasses import dataclass
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
    # a reminder that comes back (review30 R30-9): its rule, and the last moment it is due (none: it never ends)
    "ALTER TABLE reminders ADD COLUMN repeat TEXT; ALTER TABLE reminders ADD COLUMN until TEXT",
]

BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # iCalendar's weekdays, Monday first (as every.BYDAY: a partner
# imports no agent module, reread31 L-3)


def open_store(path: Path, variant: Variant) -> PartnerStore:
    return PartnerStore(path, MIGRATIONS)


def _when(value: str, field: str) -> str:
    try:
        return dt.datetime.fromisoformat(value).isoformat(timespec="minutes")
    except ValueError as exc:
        raise ToolError(f"{field} must be an ISO date-time like 2026-12-01T18:30, not {value!r}") from exc


@dataclass(frozen=True)
class _Rule:
    """The days a reminder comes back on."""

    said: str  # the rule without its end, in one spelling ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO")
    weekdays: frozenset[int]  # the weekdays it is due on (0 Monday … 6 Sunday)
    until: str | None  # its last day, ISO; None: it never ends
    interval: int = 1  # due every so many days (FREQ=DAILY) or weeks (FREQ=WEEKLY): "every other Monday" 2
    weekly: bool = False  # the interval counts weeks

    def due_on(self, day: dt.date, first: dt.date) -> bool:
        """Is it due on ``day``, counting its interval from ``first`` (a day it is due on)?"""
        since = (day - first).days if not self.weekly else \
            (day - day.weekday() * _DAY - (first - first.weekday() * _DAY)).days // 7
        return day.weekday() in self.weekdays and since % self.interval == 0


_DAY = dt.timedelta(days=1)


def _rule(repeat: str) -> _Rule:
    """The iCalendar RRULE a reminder comes back by, of the forms this partner holds ("FREQ=DAILY",
    "FREQ=WEEKLY;BYDAY=MO,TU,WE", each with an optional ";INTERVAL=2" and ";UNTIL=20261211" or "…T235959")."""
    parts = dict(part.partition("=")[::2] for part in repeat.upper().replace(" ", "").split(";") if part)
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    until, interval = parts.pop("UNTIL", None), parts.pop("INTERVAL", "1")
    if parts.get("FREQ") not in ("DAILY", "WEEKLY") or set(parts) - {"FREQ", "BYDAY"} or \
            not set(days) <= set(BYDAY) or (parts["FREQ"] == "WEEKLY") != bool(days) or \
            not interval.isdigit() or not 1 <= int(interval) <= 52:
        raise ToolError(f"repeat must be an RRULE like FREQ=DAILY or FREQ=WEEKLY;BYDAY=MO,WE[;INTERVAL=2]"
                        f"[;UNTIL=20261211], not {repeat!r}")
    weekdays = frozenset(BYDAY.index(d) for d in days) if days else frozenset(range(7))
    if until is not None and not _is_date(until):
        raise ToolError(f"UNTIL must be a date like 20261211, not {until!r}")
    every = f";INTERVAL={int(interval)}" if int(interval) > 1 else ""
    weekly = bool(every) and parts["FREQ"] == "WEEKLY"
    said = f"FREQ=DAILY{every}" if len(weekdays) == 7 and not weekly else \
        f"FREQ=WEEKLY{every};BYDAY=" + ",".join(BYDAY[d] for d in sorted(weekdays))
    return _Rule(said, weekdays, f"{until[:4]}-{until[4:6]}-{until[6:8]}" if until else None, int(interval),
                 parts["FREQ"] == "WEEKLY")


def _is_date(said: str) -> bool:
    """Is ``said`` an iCalendar date (20261211) or date-time (20261211T235959, Z allowed)?"""
    try:
        dt.datetime.strptime(said.rstrip("Z")[:15], "%Y%m%dT%H%M%S" if "T" in said else "%Y%m%d")
    except ValueError:
        return False
    return True


def _next_due(due_at: str, rule: _Rule, after: str | None = None) -> str:
    """The first moment from ``due_at`` on (later than ``after``, when given: then ``due_at`` is a time it was due)
    that ``rule`` is due on, at ``due_at``'s time of day."""
    moment = dt.datetime.fromisoformat(due_at)
    first = moment.date()
    try:
        while (not rule.due_on(moment.date(), first) if after is not None else
               moment.weekday() not in rule.weekdays) or \
                (after is not None and moment.isoformat(timespec="minutes") <= after):
            moment += _DAY
    except OverflowError as exc:  # "9999-12-31T09:00" every Monday: no next time in the calendar
        raise ToolError(f"a reminder due at {due_at} has no next time in the calendar") from exc
    return moment.isoformat(timespec="minutes")


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
    def add_reminder(text: str, due_at: str, repeat: str | None = None,
                     idempotency_key: str | None = None) -> dict[str, Any]:
        """Set a reminder for an ISO date-time. ``repeat``: it comes back, by an iCalendar RRULE ("FREQ=DAILY",
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", with ";UNTIL=20261211" for its last day); it is first due on the first of
        its days from due_at on, at due_at's time. The answer says the rule and the last time it is due."""
        request: dict[str, Any] = {"text": text, "due_at": _when(due_at, "due_at")}
        until = None
        if repeat:
            rule = _rule(repeat)
            request["due_at"] = _next_due(request["due_at"], rule)
            until = _last_due(request["due_at"], rule) if rule.until else None
            request |= {"repeat": rule.said, **({"until": until} if until else {})}
        return _create(store, idempotency_key, "add_reminder", request, lambda c, i: c.execute(
            "INSERT INTO reminders (id, text, due_at, repeat, until) VALUES (?, ?, ?, ?, ?)",
            (i, text, request["due_at"], request.get("repeat"), until)))

    @mcp.tool()
    def list_reminders(include_done: bool = False) -> list[dict[str, Any]]:
        """Reminders by due time (a repeating one by its next time); open ones only unless include_done."""
        return store.rows("SELECT * FROM reminders WHERE done = 0 OR ? ORDER BY due_at", (include_done,))

    @mcp.tool()
    def complete_reminder(reminder_id: str) -> dict[str, Any]:
        """Mark a reminder done; a repeating one moves to its next time instead, and is done after its last."""
        with store.write() as conn:
            row = conn.execute("SELECT due_at, repeat, until FROM reminders WHERE id = ?", (reminder_id,)).fetchone()
            if row is None:
                raise ToolError(f"unknown reminder {reminder_id!r}")
            due_at, repeat, until = row
            following = _next_due(due_at, _rule(repeat), after=due_at) if repeat else None
            if following is None or (until is not None and following > until):
                conn.execute("UPDATE reminders SET done = 1 WHERE id = ?", (reminder_id,))
                return {"id": reminder_id, "done": True}
            conn.execute("UPDATE reminders SET due_at = ? WHERE id = ?", (following, reminder_id))
        return {"id": reminder_id, "done": False, "due_at": following}


_MAX_YEARS = 10  # how far after its first time a reminder's last day may be: each time up to it is walked


def _last_due(first: str, rule: _Rule) -> str:
    """The last time a reminder first due at ``first`` is due by ``rule`` up to its last day (at most ``_MAX_YEARS``
    after its first: "UNTIL=99991231" is a clear error, not the end of the calendar; reread32 L-2)."""
    last_day = rule.until or first[:10]
    if last_day < first[:10]:
        raise ToolError(f"UNTIL {last_day} is before the reminder is first due ({first})")
    if int(last_day[:4]) - int(first[:4]) > _MAX_YEARS:
        raise ToolError(f"UNTIL {last_day} is more than {_MAX_YEARS} years after the reminder is first due ({first}): "
                        "leave UNTIL out for a reminder that never ends")
    moment = first
    while (following := _next_due(moment, rule, after=moment))[:10] <= last_day:
        moment = following
    return moment


def main(argv: list[str] | None = None) -> None:
    partner_main("office", VARIANTS, open_store, build, argv)


if __name__ == "__main__":
    main()
