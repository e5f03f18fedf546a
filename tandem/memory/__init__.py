"""Personal memory and recommendations, on the device.

``store`` keeps the profile (stated preferences and learned facts, encrypted at rest), ``learn`` turns
completed tasks and statements into items (what each capability teaches and fills in is ``habits.toml``),
``request`` reads what a request for suggestions asks for, ``recommend`` ranks partners' catalog items for a request
with a reason for each. Catalog items are handed in by the caller: memory never talks to partners.

Importing this package registers the store and its key with the GDPR eraser, so
``tandem privacy erase`` removes them with everything else.
"""

from __future__ import annotations

from tandem.memory.crypto import KEY_FILE
from tandem.memory.store import Event, MemoryItem, MemoryStore, erase_memory, memory_dir
from tandem.privacy.erase import register_user_data

__all__ = ["Event", "MemoryItem", "MemoryStore", "erase_memory", "memory_dir"]

register_user_data("memory")
register_user_data(str(KEY_FILE))
