"""Order flows through the real assistant and real partner processes, resuming what a previous run
left behind, as `tandem serve` does on restart (``test_crash.py``; also runnable on its own, to be
killed at will):

    python -m tests.agent.crash_driver HOME REGION FLOWS

Each flow is its own conversation, opened by the client "flow-<i>" (conversation ids are the server's):
ask, then confirm; flows that already got their tasks are not asked again.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import anyio

from tandem.agent.tasks import TaskState

SENTENCES = {
    "DE": ("Bestell mir eine Pizza ins Büro", "Buch zwei Kinokarten für Dune heute um 20 Uhr"),
    "CN": ("帮我点一份披萨送到办公室", "订两张今晚八点的沙丘电影票"),
}


async def drive(region: str, flows: int) -> None:
    from tandem.api.assistant import open_assistant
    from tandem.config import load_settings

    async with open_assistant(load_settings(region=region)) as assistant:
        await assistant.resume()
        print("READY", flush=True)
        for i in range(flows):
            opened = {c["owner"]: c["id"] for c in assistant.journal.conversations()}
            conversation = opened.get(f"flow-{i}") or assistant.journal.conversation(None, "de", f"flow-{i}")
            tasks = assistant.tasks(conversation)
            if not tasks:
                tasks = list((await assistant.ask(SENTENCES[region][i % 2], conversation)).tasks)
            for task in tasks:
                task = assistant.journal.task(task.id)
                if task.state == TaskState.AWAITING_CONFIRMATION:
                    await assistant.confirm(task.confirmation_id or "")
        await assistant.resume()
    print("ALL DONE", flush=True)


def main() -> None:
    home, region, flows = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    os.environ["TANDEM_HOME"] = str(home)
    anyio.run(drive, region, flows)


if __name__ == "__main__":
    main()
