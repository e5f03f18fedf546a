"""Encryption at rest for the memory store: Fernet (AES-128-CBC + HMAC-SHA256, from ``cryptography``).

The key lives in its own file, ``$TANDEM_HOME/keys/memory.key`` (directory 0700, file 0600), never next
to the database, so a copy of ``memory/`` alone (a backup, a synced folder) reveals nothing. Erasing the
key also makes any stray copy of the database unreadable. A second key, derived from the same secret,
tags values with an HMAC so equal values can be found and merged without decrypting every row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from tandem.errors import ConfigError

__all__ = ["Cipher", "key_path", "load_or_create_key"]

KEY_FILE = Path("keys") / "memory.key"


def key_path(home: Path) -> Path:
    return home / KEY_FILE


def load_or_create_key(path: Path) -> bytes:
    """The Fernet key at ``path``; a new one (created with 0600 permissions, atomically) when absent."""
    if path.exists():
        if os.name == "posix" and path.stat().st_mode & 0o077:
            path.chmod(0o600)  # tighten a key someone copied in with loose permissions
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = Fernet.generate_key()
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    os.replace(tmp, path)
    return key


class Cipher:
    """Encrypts and tags the text of memory rows."""

    def __init__(self, key: bytes) -> None:
        try:
            self._fernet = Fernet(key)
        except (ValueError, TypeError) as exc:
            raise ConfigError("the memory key is damaged", hint="restore keys/memory.key or erase memory") from exc
        self._tag_key = hashlib.sha256(b"tandem-memory-tag:" + base64.urlsafe_b64decode(key)).digest()

    def seal(self, text: str) -> bytes:
        return self._fernet.encrypt(text.encode("utf-8"))

    def open(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode("utf-8")
        except InvalidToken as exc:
            raise ConfigError("memory cannot be decrypted with keys/memory.key",
                              hint="the key file was replaced; restore it or run `tandem memory erase`") from exc

    def tag(self, text: str) -> str:
        """A keyed digest: equal texts give equal tags, but the tag alone says nothing about the text."""
        return hmac.new(self._tag_key, text.casefold().strip().encode("utf-8"), hashlib.sha256).hexdigest()
