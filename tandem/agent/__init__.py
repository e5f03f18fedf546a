"""The assistant agent: understand (en/de/zh, tiered) → plan (tasks, run concurrently) → confirm (the
gate) → act through partner tools, with every step in a journal so a crash never loses or repeats an order.

It gets its models and its toolset injected and never imports ``tandem.services`` or the shells; the
CLI and the API adapt the service hub to ``Toolset`` (see ``tandem/api/assistant.py``).

    understand.py  tiers: templates → device model → cloud model    intents.py  what can be asked, per language
    slots.py       dates/times/counts normalised                     skills.py   intent → the one final call
    tasks.py       tasks and their states                            gate.py     confirmation bound to a call hash
    journal.py     SQLite journal, migrations, steps, confirmations  assistant.py  the loop that ties them together
"""

from __future__ import annotations

from tandem.agent.assistant import Assistant, Reply, describe
from tandem.agent.journal import Journal
from tandem.agent.profile import Profile, load_profile
from tandem.agent.tasks import Task, TaskState
from tandem.agent.toolset import ToolResult, Toolset, ToolSpec
from tandem.agent.understand import Understander, Understanding

__all__ = ["Assistant", "Journal", "Profile", "Reply", "Task", "TaskState", "ToolResult", "ToolSpec", "Toolset",
           "Understander", "Understanding", "describe", "load_profile"]
