"""The old name of ``tandem.agent.tasks`` (it holds tasks and their states, not a planner). Kept only until
the last importers (``gate.py``, ``confirming.py``) import ``tandem.agent.tasks``; then it goes."""

from tandem.agent.tasks import ACTIVE, FINAL, PendingCall, Task, TaskState, run_concurrently

__all__ = ["ACTIVE", "FINAL", "PendingCall", "Task", "TaskState", "run_concurrently"]
