"""API keys with scopes, for apps that talk to ``tandem serve``: created, listed and revoked by ``tandem keys``,
checked by the HTTP server on every request.

A key is ``tk-<id>-<secret>``. The store (``$TANDEM_HOME/keys.db``) keeps the id, a name, the scopes and the
SHA-256 of the whole key, never the key: it is shown once, when it is created. A presented key is found by
its id and checked with a constant-time comparison of hashes.

Scopes (what a key may do):

- ``models``    chat and text completions, embeddings, audio, images, the model list
- ``assistant`` assistant turns and the tasks of the key's own conversations
- ``confirm``   commit purchases: confirm or decline what the assistant prepared
- ``privacy``   the egress ledger, exports, erasure, memory items and recommendations (what Tandem remembers)
- ``admin``     partner services, the user profile, keys (and what ``metrics`` may)
- ``metrics``   read ``/metrics`` (request counts, refusals, fallbacks) and nothing else: for a scraper

``tandem serve`` also leaves a **local token** (``local_token``) for the ``tandem`` CLI of the user who owns
``TANDEM_HOME``, and prints the web app's link with a **login code** (``login_code``): signed with the link
secret (``link_secret``), good for one web session within ``LINK_TTL_S``; ``tandem keys link`` makes a new
one, ``--rotate`` first replaces the secret (every earlier link and the sessions opened with them end).
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from tandem.errors import InvalidRequest, NotFound
from tandem.storage import Connection, connect, immediate, migrate

__all__ = ["LINK_TTL_S", "LOCAL_SCOPES", "SCOPES", "ApiKeyRecord", "KeyStore", "check_login_code", "granted",
           "keys_path", "link_generation", "link_secret", "local_token", "login_code", "login_link", "parse_scopes",
           "read_local_token", "signed_login_code", "spend_login_code"]

SCOPES = ("models", "assistant", "confirm", "privacy", "admin", "metrics")
_KEY = re.compile(r"^tk-([0-9a-f]{12})-([A-Za-z0-9_-]{32,64})$")
_NAME = re.compile(r"^[\w.@ -]{1,64}$")

MIGRATIONS = [
    """
    CREATE TABLE keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        scopes TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        created_at REAL NOT NULL,
        revoked_at REAL
    );
    """,
]


# What the local token may do: everything (confirm, erase, change the profile) from this device. Whoever can
# read it can already read and change every file under TANDEM_HOME, so it grants nothing new.
LOCAL_SCOPES = frozenset(SCOPES)
_LOGIN = b"tandem web login"
_LOCAL_TOKEN = Path("keys") / "local.token"
_LINK_SECRET = Path("keys") / "link.secret"
_LINK_USED = Path("keys") / "link.used"
# How long a link's login code opens a session. Short: the link is printed to a terminal (its scrollback,
# a shared screen, a log) and may confirm purchases; `tandem keys link` makes a fresh one in a second.
LINK_TTL_S = 15 * 60
_LOGIN_CODE = re.compile(r"^tw-([0-9a-f]{1,12})-([0-9a-f]{16})-([0-9a-f]{40})$")


def keys_path(home: Path) -> Path:
    return home / "keys.db"


def local_token(home: Path) -> str:
    """The token the ``tandem`` CLI of this user presents to a server on this device, created on first use.

    Whoever can read it (mode 0600, in ``keys/`` 0700) can already read and delete every file under
    ``TANDEM_HOME``, so it grants nothing new. It is what sets the user's own programs apart from any other
    local process: confirming a purchase, erasing or exporting data and changing the profile need it (or
    the web app's session, or a key) even when no key is configured. It carries ``LOCAL_SCOPES`` and is
    honoured from loopback only (``tandem.api.auth``).
    """
    found = read_local_token(home)
    if found:
        return found
    token = "tl-" + secrets.token_urlsafe(32)
    try:
        _write_new(home / _LOCAL_TOKEN, token, replace=False)
    except FileExistsError:  # a server that started at the same moment won
        token = read_local_token(home) or token
    return token


def _write_new(path: Path, text: str, *, replace: bool) -> None:
    """Write ``text`` to ``path`` (0600, directory 0700) whole or not at all: with ``replace`` over what is
    there, else only if nothing is (FileExistsError when another process was first)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(text)
    try:
        if replace:
            os.replace(draft, path)
        else:
            os.link(draft, path)
    finally:
        draft.unlink(missing_ok=True)


def link_secret(home: Path, *, rotate: bool = False) -> str:
    """The secret login codes are signed with (``keys/link.secret``, created on first use). ``rotate``
    replaces it: every link made before stops working, and so does every web session opened with one."""
    path = home / _LINK_SECRET
    if not rotate:
        try:
            found = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            found = ""
        if found:
            return found
    secret = secrets.token_urlsafe(32)
    try:
        _write_new(path, secret, replace=rotate)
    except FileExistsError:  # another process made it at the same moment
        return link_secret(home)
    return secret


def link_generation(secret: str) -> str:
    """A short public fingerprint of the link secret: a web session remembers it, and ends once it changes."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


def _mac(secret: str, expires: int, nonce: str) -> str:
    return hmac.new(secret.encode(), f"{_LOGIN.decode()}:{expires}:{nonce}".encode(), hashlib.sha256).hexdigest()[:40]


def login_code(home: Path, ttl_s: float = LINK_TTL_S, now: float | None = None) -> str:
    """A new code for the web app's link (``http://127.0.0.1:8700/#login=<code>``): it opens one web session,
    from this device, within ``ttl_s`` seconds, and nothing else (``check_login_code``). Signed with the link
    secret, so neither the CLI's token nor anything that outlives it lands in a browser's history."""
    expires = int((time.time() if now is None else now) + ttl_s)
    nonce = secrets.token_hex(8)
    return f"tw-{expires:x}-{nonce}-{_mac(link_secret(home), expires, nonce)}"


def signed_login_code(secret: str, code: str) -> tuple[str, int] | None:
    """The code's nonce and expiry (unix time) if ``code`` is a login code signed with ``secret``, expired or
    not; None for anything else (altered, made with an earlier secret, not a login code)."""
    match = _LOGIN_CODE.match(code)
    if match is None:
        return None
    expires, nonce, mac = int(match.group(1), 16), match.group(2), match.group(3)
    return (nonce, expires) if hmac.compare_digest(mac, _mac(secret, expires, nonce)) else None


def check_login_code(secret: str, code: str, now: float | None = None) -> tuple[str, int] | None:
    """The code's nonce and expiry (unix time) if ``code`` is a login code signed with ``secret`` that has not
    expired, else None. (Whether it was used already is the server's to remember, until that expiry.)"""
    signed = signed_login_code(secret, code)
    return signed if signed is not None and (time.time() if now is None else now) < signed[1] else None


def spend_login_code(home: Path, nonce: str, expires: int, now: float | None = None) -> bool:
    """Mark a login code's nonce as used (``keys/link.used``, kept until the code expires); False when it was
    used already, by this server, an earlier run of it, or another server on the same home."""
    path = home / _LINK_USED
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = time.time() if now is None else now
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    # errors="replace": a torn or damaged file keeps its readable rows; the rest is dropped when it is rewritten
    with os.fdopen(fd, "r+", encoding="ascii", errors="replace") as used:
        fcntl.flock(used, fcntl.LOCK_EX)  # two servers checking one code at once: one wins
        rows = [line.split() for line in used.read().splitlines()]
        live = {row[0]: int(row[1]) for row in rows if len(row) == 2 and row[1].isdigit() and int(row[1]) > now}
        if nonce in live:
            return False
        live[nonce] = expires
        used.seek(0)
        used.truncate()
        used.write("".join(f"{n} {t}\n" for n, t in live.items()))
    return True


def login_link(home: Path, host: str, port: int, ttl_s: float = LINK_TTL_S) -> str:
    """The web app's address with a new login code, for a server on ``host:port`` using ``home``: opened in a
    browser on this device within ``ttl_s`` seconds, the page gets a session that may confirm (``tandem
    serve`` prints one; ``tandem keys link`` makes another)."""
    shown = "127.0.0.1" if host.strip("[]") in ("", "0.0.0.0", "::") else host
    shown = f"[{shown}]" if ":" in shown and not shown.startswith("[") else shown
    return f"http://{shown}:{port}/#login={login_code(home, ttl_s)}"


def granted(scopes: frozenset[str]) -> frozenset[str]:
    """A key's scopes with what they imply: ``admin`` may also read ``/metrics``."""
    return scopes | {"metrics"} if "admin" in scopes else scopes


def read_local_token(home: Path) -> str | None:
    """The local token if one was created (by a server that started on ``home``), else None."""
    try:
        return (home / _LOCAL_TOKEN).read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class ApiKeyRecord:
    """One stored key (without its secret)."""

    id: str  # the public part of the key, ``tk-<id>-...``
    name: str  # what the user called it: usually the app that holds it
    scopes: frozenset[str]  # what it may do (see the module docstring)
    created_at: float  # unix time
    revoked_at: float | None  # unix time it stopped working, or None while it works

    def public(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "scopes": sorted(self.scopes), "created_at": self.created_at,
                "revoked": self.revoked_at is not None}


def parse_scopes(names: list[str] | tuple[str, ...]) -> frozenset[str]:
    """Scope names (``"all"`` for every scope), checked."""
    chosen = {s.strip().lower() for n in names for s in n.split(",") if s.strip()}
    if "all" in chosen:
        return frozenset(SCOPES)
    unknown = chosen - set(SCOPES)
    if unknown or not chosen:
        raise InvalidRequest(f"unknown or no scope: {', '.join(sorted(unknown)) or '(none)'}", param="scope",
                             hint=f"choose from {', '.join(SCOPES)} or all")
    return frozenset(chosen)


class KeyStore:
    """The keys of one ``TANDEM_HOME``; safe to use from several threads and processes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn: Connection = connect(path)
        migrate(self.conn, MIGRATIONS)
        path.chmod(0o600)

    def create(self, name: str, scopes: frozenset[str]) -> tuple[ApiKeyRecord, str]:
        """A new key: its record, and the key itself (shown once; only its hash is stored)."""
        if not _NAME.match(name):
            raise InvalidRequest(f"key name {name!r} is not allowed", param="name",
                                 hint="1-64 letters, digits, spaces, '.', '-', '_' or '@'")
        key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
        key = f"tk-{key_id}-{secret}"
        record = ApiKeyRecord(key_id, name, scopes, time.time(), None)
        with immediate(self.conn) as c:
            c.execute("INSERT INTO keys (id, name, scopes, sha256, created_at) VALUES (?, ?, ?, ?, ?)",
                      (key_id, name, ",".join(sorted(scopes)), _digest(key), record.created_at))
        return record, key

    def list(self) -> list[ApiKeyRecord]:
        with self.conn.lock:
            rows = self.conn.execute("SELECT * FROM keys ORDER BY created_at").fetchall()
        return [_record(r) for r in rows]

    def revoke(self, key_id_or_name: str) -> ApiKeyRecord:
        """Revoke the key with this id (or the only working key with this name)."""
        wanted = key_id_or_name.removeprefix("tk-").split("-")[0]
        found = [k for k in self.list() if k.revoked_at is None and key_id_or_name in (k.id, k.name)]
        found = found or [k for k in self.list() if k.revoked_at is None and k.id == wanted]
        if len(found) != 1:
            raise NotFound(f"no single working key {key_id_or_name!r}" if not found else
                           f"{len(found)} keys are named {key_id_or_name!r}", hint="revoke by id: tandem keys list")
        with immediate(self.conn) as c:
            c.execute("UPDATE keys SET revoked_at = ? WHERE id = ?", (time.time(), found[0].id))
        return next(k for k in self.list() if k.id == found[0].id)

    def any_active(self) -> bool:
        with self.conn.lock:
            return self.conn.execute("SELECT 1 FROM keys WHERE revoked_at IS NULL LIMIT 1").fetchone() is not None

    def verify(self, key: str) -> ApiKeyRecord | None:
        """The working key ``key`` is, or None."""
        match = _KEY.match(key)
        if match is None:
            return None
        with self.conn.lock:
            row = self.conn.execute("SELECT * FROM keys WHERE id = ?", (match.group(1),)).fetchone()
        if row is None or row["revoked_at"] is not None:
            return None
        return _record(row) if hmac.compare_digest(_digest(key), row["sha256"]) else None

    def close(self) -> None:
        self.conn.close()


def _record(row: object) -> ApiKeyRecord:
    r: dict[str, object] = dict(row)  # type: ignore[call-overload]
    return ApiKeyRecord(str(r["id"]), str(r["name"]), frozenset(str(r["scopes"]).split(",")),
                        float(r["created_at"]), None if r["revoked_at"] is None else float(r["revoked_at"]))  # type: ignore[arg-type]
