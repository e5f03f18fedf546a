"""Settings: embedded defaults, then ``$TANDEM_HOME/config.toml``, then ``TANDEM_*`` environment variables.

All state lives under one directory, ``TANDEM_HOME`` (default ``~/.tandem``); tests point it at a tmp dir.
It holds orders, addresses, keys: what Tandem creates there is the user's alone. ``keep_private`` (run by
``load_settings``, so by every command and the server before they touch a file, and inherited by the
partner processes they start) sets the umask to 0o077: new files 0600, new directories 0700.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from tandem.errors import ConfigError

__all__ = ["Settings", "keep_private", "load_settings", "tandem_home"]

_REGION = re.compile(r"^[A-Z]{2}$")
# The line settings (tandem.api.admission) at their least: below, a gate would serve no request, or keep a line of
# no places or no bytes, which refuses every second request in an odd way
_LINES = {"max_running": (1, "heavy requests of one kind served at once"),
          "max_waiting": (0, "requests of one kind waiting for a turn; 0 = none wait"),
          "line_bytes": (1, "bytes of request bodies one kind's line may keep")}


def keep_private() -> None:
    """From now on this process (and what it starts) creates files 0600 and directories 0700."""
    if os.name == "posix":
        os.umask(0o077)


def tandem_home() -> Path:
    """The one directory that holds all of Tandem's state."""
    return Path(os.environ.get("TANDEM_HOME") or Path.home() / ".tandem").expanduser()


@dataclass(frozen=True)
class Settings:
    """Runtime settings. Every field can be set in config.toml or as ``TANDEM_<FIELD>`` in the env."""

    home: Path
    region: str = "DE"  # ISO 3166 country code of the user; drives service and privacy rules
    host: str = "127.0.0.1"
    port: int = 8700
    default_model: str = "device:qwen2.5-coder-1.5b"  # what `tandem serve`/`ask` use when none is named
    threads: int = 0  # llama.cpp threads; 0 = all cores but one (see models.llamacpp.default_threads)
    # RAM for llama.cpp states of earlier prompts, reused when requests alternate between long prompts (agent
    # + chat). Off by default: llama-cpp-python copies ~120-300 MB of logits per saved state (~50 ms a request).
    prompt_cache_mb: int = 0
    max_body_bytes: int = 4 * 1024 * 1024  # larger request bodies get HTTP 413
    max_upload_bytes: int = 25 * 1024 * 1024  # the same for audio and image uploads
    preload: bool = True  # load the default model when the server starts
    api_key: str = ""  # when set, /v1/* needs "Authorization: Bearer <key>" (other apps on the device)
    # names besides localhost, loopback addresses and the bind address that clients may call this server by
    # (comma-separated); other Host headers get 421, which stops DNS rebinding. See docs/security.md.
    allowed_hosts: str = ""
    allowed_origins: str = ""  # web origins (scheme://host:port, comma-separated) besides the server's own
    max_messages: int = 2048  # chat requests with more messages get HTTP 400 (OpenAI's limit)
    max_turn_tokens: int = 1024  # longest assistant turn (typed or heard), counted before any model work
    # a request still running after this gets HTTP 504, and a streamed answer (which begins by half of it, so that a
    # model still deciding is not cut off) still running ends with an error event (code "timeout"); 0 = no deadline
    request_timeout_s: float = 300.0
    # heavy requests (model answers, assistant turns, audio and images) of one kind served at once, and how many more
    # may wait for a turn; one beyond that gets HTTP 429 with Retry-After (tandem.api.admission)
    max_running: int = 4
    max_waiting: int = 32
    # the bodies the requests waiting in one kind's line may come to; one more that would wait past it gets the 429 of
    # a full line (a request finding the line empty always gets in). Lower it on a device with little memory
    line_bytes: int = 32 * 1024 * 1024
    shutdown_timeout_s: float = 10.0  # after SIGTERM, requests in flight get this long before the exit
    max_audio_seconds: int = 900  # longer audio uploads are refused with HTTP 400 (decoding stops at the limit)
    max_speech_chars: int = 4096  # longest text /v1/audio/speech will speak (OpenAI's limit)
    asr_model: str = "device:whisper-base"  # recogniser behind OpenAI model names (docs/speech.md)
    # languages (comma-separated) in which a new spoken request primes Whisper with the day words and the names
    # the partners list (tandem.app.voice.request_context; docs/results/speech.md); "" = none
    asr_context: str = "en,de,zh"
    voices: dict[str, str] = field(default_factory=dict)  # voice per language: [voices] de = "espeak:de"
    max_image_pixels: int = 4096 * 4096  # 16.8 MP, any 12 or 16 MP photo; larger is refused from its header

    @property
    def models_dir(self) -> Path:
        return self.home / "models"


def _coerce(name: str, raw: Any, kind: type) -> Any:
    try:
        if kind is bool and isinstance(raw, str):
            if raw.lower() not in {"1", "0", "true", "false", "yes", "no"}:
                raise ValueError(raw)
            return raw.lower() in {"1", "true", "yes"}
        if kind is Path:
            return Path(str(raw)).expanduser()
        if kind is dict and isinstance(raw, str):  # TANDEM_VOICES="de=espeak:de,zh=baker"
            return dict(pair.split("=", 1) for pair in raw.split(",") if pair.strip())
        return kind(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r} has an invalid value {raw!r}", hint=f"expected {kind.__name__}") from exc


def _read_toml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}", hint="fix or delete the file") from exc


def load_settings(**overrides: Any) -> Settings:
    """Build settings from defaults, the config file, the environment, then explicit overrides (and make
    what the process creates from now on private: ``keep_private``)."""
    keep_private()
    home = Path(overrides.pop("home", None) or tandem_home())
    values: dict[str, Any] = {}
    types = {f.name: (Path if f.name == "home" else type(getattr(Settings(home=home), f.name)))
             for f in fields(Settings)}
    file_values = _read_toml(home / "config.toml")
    for key in file_values:
        if key not in types or key == "home":
            raise ConfigError(f"unknown setting {key!r} in {home / 'config.toml'}",
                              hint=f"known settings: {', '.join(sorted(types))}")
    values.update(file_values)
    for name in types:
        env = os.environ.get(f"TANDEM_{name.upper()}")
        if env is not None and name != "home":
            values[name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})
    settings = replace(Settings(home=home), **{k: _coerce(k, v, types[k]) for k, v in values.items()})
    if not _REGION.match(settings.region):
        raise ConfigError(f"region {settings.region!r} is not an ISO country code", hint="e.g. DE, FR, CN")
    for name, (least, what) in _LINES.items():
        if getattr(settings, name) < least:
            raise ConfigError(f"setting {name!r} is {getattr(settings, name)}: set it to {least} or more ({what})",
                              hint=f"in {home / 'config.toml'} or TANDEM_{name.upper()}")
    return settings
