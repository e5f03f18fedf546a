"""The assistant with the user's on-device memory: habits fill what a request leaves open ("the usual
cinema", "the usual time"), a seat preference picks the seats, the confirmation summary says what came
from memory, and every completed task teaches memory a little more.

    assistant = RememberingAssistant(toolset, journal, memory=MemoryStore.at_home(home), profile=...)

A habit counts once it was seen ``min_habit`` times (or the user stated it). Memory only fills slots of
the user's own task and never goes to a partner beyond the tool arguments the confirmation shows.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from tandem.agent.assistant import Assistant
from tandem.agent.generic import filled_at
from tandem.agent.skills import Prepared
from tandem.agent.tasks import PendingCall, Task, TaskState
from tandem.memory.learn import learn_from_task
from tandem.memory.recommend import parse_request
from tandem.memory.store import MemoryItem, MemoryStore

__all__ = ["RememberingAssistant", "aisle_seats"]

_MIN_HABIT = 2.0


def aisle_seats(free: list[str], sold: list[str], count: int) -> list[str] | None:
    """``count`` adjacent free seats that start at a row's end, in the row nearest two thirds back; None when
    no row has them. Deterministic, so the re-check at confirmation picks the same seats."""
    rows: dict[str, set[int]] = {}
    width: dict[str, int] = {}
    for seat in [*free, *sold]:
        m = re.fullmatch(r"([A-Z]+)(\d+)", seat)
        if m:
            width[m.group(1)] = max(width.get(m.group(1), 0), int(m.group(2)))
            if seat in free:
                rows.setdefault(m.group(1), set()).add(int(m.group(2)))
    names = sorted(width)
    target = (len(names) - 1) * 2 / 3
    for row in sorted(names, key=lambda r: (abs(names.index(r) - target), r)):
        for start in (1, width[row] - count + 1):
            block = range(start, start + count)
            if start >= 1 and all(c in rows.get(row, set()) for c in block):
                return [f"{row}{c}" for c in block]
    return None


class RememberingAssistant(Assistant):
    """An ``Assistant`` that reads and feeds a ``MemoryStore``."""

    def __init__(self, *args: Any, memory: MemoryStore, min_habit: float = _MIN_HABIT, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memory = memory
        self.min_habit = min_habit

    def habit(self, key: str) -> MemoryItem | None:
        """The strongest liked value for ``key``: a stated preference, or a fact seen often enough."""
        found = [i for i in self.memory.items(key=key) if i.polarity > 0
                 and (i.kind == "preference" or i.weight >= self.min_habit)]
        return max(found, key=lambda i: (i.kind == "preference", i.weight), default=None)

    def _remembered_slots(self, task: Task) -> tuple[dict[str, Any], list[str]]:
        """The task's slots with the gaps memory can fill, and a note for each filled one."""
        slots, notes = dict(task.slots), list[str]()
        if task.intent == "order_food":
            place = self.habit("place")
            if place and not slots.get("place"):
                slots["place"] = place.value
                notes.append(f"to your {place.value} (as usual)")
            return slots, notes
        if task.intent != "buy_movie_tickets":
            return slots, notes
        cinema = self.habit("cinema")
        if cinema and not slots.get("cinema"):
            slots["cinema"] = cinema.value
            notes.append(f"{cinema.value} (your usual cinema)")
        when = str(slots.get("when") or "")
        day = parse_request(task.text or "", self.clock()).day
        clock = self.habit("clock")
        if not when and day:
            when = day.isoformat()
        if when and "T" not in when and clock:
            when = f"{when}T{clock.value}"
            notes.append(f"{clock.value} (your usual time)")
        if when:
            slots["when"] = when
        return slots, notes

    async def _prepared(self, task: Task) -> Prepared | str:
        slots, notes = self._remembered_slots(task)
        prepared = await super()._prepared(replace(task, slots=slots) if slots != task.slots else task)
        if not isinstance(prepared, str) and prepared.call is None and slots.get("cinema") != task.slots.get("cinema"):
            # the usual cinema does not show it then: any cinema will do, as if memory had not spoken
            slots = {k: v for k, v in slots.items() if k != "cinema"}
            notes = [n for n in notes if "usual cinema" not in n]
            prepared = await super()._prepared(replace(task, slots=slots))
        if isinstance(prepared, str):
            return prepared
        prepared = self._from_memory(prepared, task, slots)
        if prepared.call is None:
            return prepared
        call = prepared.call
        if task.intent == "buy_movie_tickets":
            call = await self._with_seats(task, call, notes)
        if notes:
            call = replace(call, summary={**call.summary, "from_memory": "; ".join(notes)})
        return replace(prepared, call=call)

    def _from_memory(self, prepared: Prepared, task: Task, slots: dict[str, Any]) -> Prepared:
        """``prepared`` with the habits that filled its slots as provenance (``tasks.Task.filled``): at the call
        keys written from those slots, and in the note that says so."""
        def clock(found: dict[str, Any]) -> str:
            return str(found.get("when") or "").partition("T")[2]
        sources = ({"cinema": "memory.cinema"} if slots.get("cinema") != task.slots.get("cinema") else {}) | \
            ({"when": "memory.clock"} if clock(slots) != clock(task.slots) else {})
        noted = tuple(f"{source}@summary.from_memory" for source in sources.values())
        return replace(prepared, filled=(*prepared.filled, *filled_at(self.intents[task.intent], sources), *noted))

    async def _with_seats(self, task: Task, call: PendingCall, notes: list[str]) -> PendingCall:
        seat = self.habit("seat")
        if seat is None or seat.value != "aisle":
            return call
        tool = next((t.name for t in await self.tools() if t.service_id == call.service_id and t.tool == "seat_map"),
                    None)
        if tool is None:
            return call
        arguments = {"showtime_id": call.arguments["showtime_id"]}
        step = self.journal.start_step(task.id, tool, arguments, None)
        result = await self.toolset.call(tool, arguments)
        self.journal.finish_step(step, result.ok, result.data)
        data = result.data if result.ok and isinstance(result.data, dict) else {}
        seats = aisle_seats(list(data.get("free", [])), list(data.get("sold", [])), int(call.arguments["count"]))
        if not seats:
            return call
        notes.append("aisle seats (your preference)")
        return replace(call, arguments={**call.arguments, "seats": seats},
                       summary={**call.summary, "seats": ", ".join(seats), "seat": "aisle"})

    async def _execute(self, task: Task) -> None:
        await super()._execute(task)
        done = self.journal.task(task.id)
        if done.state != TaskState.DONE or done.call is None:
            return
        if any(e.item == f"task:{done.id}" for e in self.memory.events(action="complete", limit=200)):
            return  # a replay after a crash: learned already
        result = done.result if isinstance(done.result, dict) else {}
        summary = done.call.summary
        learn_from_task(self.memory, done.id, done.intent, summary, {**done.slots, "seat": summary.get("seat")},
                        result)
        self.memory.record("complete", f"task:{done.id}", {"intent": done.intent})
