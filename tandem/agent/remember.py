"""The assistant with the user's on-device memory: habits fill what a request leaves open ("the usual
cinema", "the usual time"), a seat preference picks the seats, the confirmation summary says what came
from memory, and every completed purchase teaches memory a little more.

    assistant = RememberingAssistant(toolset, journal, memory=MemoryStore.at_home(home), profile=...)

A habit counts once it was seen ``min_habit`` times (or the user stated it). Memory only fills slots of
the user's own task and never goes to a partner beyond the tool arguments the confirmation shows. Which
slots it fills for which capability is data: ``tandem/memory/habits.toml``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from tandem.agent.assistant import Assistant
from tandem.agent.generic import filled_at
from tandem.agent.skills import Prepared
from tandem.agent.tasks import PendingCall, Task, TaskState
from tandem.memory.habits import AisleSeats, UsualTime, habits, note
from tandem.memory.learn import learn_from_task
from tandem.memory.request import parse_request
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

    def _remembered_slots(self, task: Task) -> tuple[dict[str, Any], dict[str, str]]:
        """The task's slots with the gaps memory can fill (``memory/habits.toml``), and a note for each habit that
        filled one (by the memory it came from: "memory.cinema")."""
        rules, slots, notes = habits(task.intent), dict(task.slots), dict[str, str]()
        for slot, fill in rules.fill.items():
            found = self.habit(fill.habit)
            if found and not slots.get(slot):
                slots[slot] = found.value
                notes[f"memory.{fill.habit}"] = note(fill.note, task.language, found.value)
        if rules.usual_time:
            self._usual_time(task, rules.usual_time, slots, notes)
        return slots, notes

    def _usual_time(self, task: Task, usual: UsualTime, slots: dict[str, Any], notes: dict[str, str]) -> None:
        """A date without a clock time (said, or a day the request names) gets the usual clock time."""
        when = str(slots.get(usual.slot) or "")
        day = parse_request(task.text or "", self.clock()).day
        clock = self.habit("clock")
        if not when and day:
            when = day.isoformat()
        if when and "T" not in when and clock:
            when = f"{when}T{clock.value}"
            notes["memory.clock"] = note(usual.note, task.language, clock.value)
        if when:
            slots[usual.slot] = when

    async def _prepared(self, task: Task) -> Prepared | str:
        slots, notes = self._remembered_slots(task)
        prepared = await super()._prepared(replace(task, slots=slots) if slots != task.slots else task)
        dropped = {slot: f"memory.{fill.habit}" for slot, fill in habits(task.intent).fill.items()
                   if fill.optional and slots.get(slot) != task.slots.get(slot)}
        if not isinstance(prepared, str) and prepared.call is None and dropped:
            # e.g. the usual cinema does not show it then: any cinema will do, as if memory had not spoken
            slots = {k: v for k, v in slots.items() if k not in dropped}
            notes = {k: v for k, v in notes.items() if k not in dropped.values()}
            prepared = await super()._prepared(replace(task, slots=slots))
        if isinstance(prepared, str):
            return prepared
        prepared = self._from_memory(prepared, task, slots)
        if prepared.call is None:
            return prepared
        call = prepared.call
        seats = habits(task.intent).aisle_seats
        if seats is not None:
            call = await self._with_seats(task, call, seats, notes)
        if notes:
            call = replace(call, summary={**call.summary, "from_memory": "; ".join(notes.values())})
        return replace(prepared, call=call)

    def _from_memory(self, prepared: Prepared, task: Task, slots: dict[str, Any]) -> Prepared:
        """``prepared`` with the habits that filled its slots as provenance (``tasks.Task.filled``): at the call
        keys written from those slots, and in the note that says so."""
        def clock(found: dict[str, Any], slot: str) -> str:
            return str(found.get(slot) or "").partition("T")[2]
        rules = habits(task.intent)
        sources = {slot: f"memory.{fill.habit}" for slot, fill in rules.fill.items()
                   if slots.get(slot) != task.slots.get(slot)}
        usual = rules.usual_time.slot if rules.usual_time else None
        if usual and clock(slots, usual) != clock(task.slots, usual):
            sources[usual] = "memory.clock"
        noted = tuple(f"{source}@summary.from_memory" for source in sources.values())
        return replace(prepared, filled=(*prepared.filled, *filled_at(self.intents[task.intent], sources), *noted))

    async def _with_seats(self, task: Task, call: PendingCall, how: AisleSeats, notes: dict[str, str]) -> PendingCall:
        seat = self.habit("seat")
        if seat is None or seat.value != "aisle":
            return call
        tool = next((t.name for t in await self.tools() if t.service_id == call.service_id and t.tool == how.tool),
                    None)
        if tool is None:
            return call
        arguments = {how.by: call.arguments[how.by]}
        step = self.journal.start_step(task.id, tool, arguments, None)
        result = await self.toolset.call(tool, arguments)
        self.journal.finish_step(step, result.ok, result.data)
        data = result.data if result.ok and isinstance(result.data, dict) else {}
        seats = aisle_seats(list(data.get("free", [])), list(data.get("sold", [])), int(call.arguments["count"]))
        if not seats:
            return call
        notes["memory.seat"] = note(how.note, task.language)
        return replace(call, arguments={**call.arguments, "seats": seats},
                       summary={**call.summary, "seats": ", ".join(seats), "seat": "aisle"})

    def _teaches(self, task: Task) -> bool:
        """Only something the user chose and bought says what they like: a task of a committing tool that does not
        act on an order the user already has. A cancellation, a refund, a look at an order, a reminder, a note or a
        route teaches nothing (a cancelled cheap pizza is no taste for cheap food, two 7:00 reminders no usual time
        for the cinema). Nor does one prepared from what the user stored (it looked their calendar or orders up): it
        acts on what they have, as deleting an appointment does."""
        spec = self.intents.get(task.intent)
        return spec is not None and spec.transactional and not spec.own and "stored" not in (task.filled or ())

    async def _execute(self, task: Task) -> None:
        await super()._execute(task)
        done = self.journal.task(task.id)
        if done.state != TaskState.DONE or done.call is None or not self._teaches(done):
            return
        if any(e.item == f"task:{done.id}" for e in self.memory.events(action="complete", limit=200)):
            return  # a replay after a crash: learned already
        result = done.result if isinstance(done.result, dict) else {}
        summary = done.call.summary
        learn_from_task(self.memory, done.id, done.intent, summary, {**done.slots, "seat": summary.get("seat")},
                        result)
        self.memory.record("complete", f"task:{done.id}", {"intent": done.intent})
