"""Cloud endpoints: where an OpenAI-compatible model lives, whose key it takes and where it processes data.

Kept apart from the wire format (``openai_compat.py``): an endpoint is configuration — a preset, a
``$TANDEM_HOME/cloud.toml`` entry or the ``TANDEM_CLOUD_*`` environment — and its region is what the
privacy policy judges. The API key itself is read from the named environment variable only when a
request is made, so it never sits in a config file or a log.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from tandem.errors import ConfigError

__all__ = ["PRESETS", "CloudEndpoint", "endpoint_from_env", "load_endpoints"]


@dataclass(frozen=True)
class CloudEndpoint:
    """One OpenAI-compatible chat endpoint. Its model id in Tandem is ``cloud:<name>``."""

    name: str  # id suffix: cloud:<name>
    url: str  # base URL ending in /v1 (or /compatible-mode/v1)
    model: str  # model name the endpoint expects, e.g. qwen-plus
    region: str  # ISO 3166 code of where it processes data; the privacy policy judges this
    api_key_env: str = ""  # environment variable holding the key; empty for keyless (local vLLM)
    jurisdiction: str = ""  # legal home of the operator if it differs from region (e.g. CN for an SG endpoint)
    context_length: int = 131072
    tools: bool = True
    vision: bool = False
    timeout: float = 60.0  # seconds to wait for the first byte and between streamed chunks
    cost_per_1k_tokens: float = 0.0  # for budgets; 0 when unknown or free

    @property
    def id(self) -> str:
        return f"cloud:{self.name}"

    def api_key(self) -> str | None:
        return os.environ.get(self.api_key_env) if self.api_key_env else None


# Alibaba Cloud Model Studio, DashScope OpenAI-compatible mode: one base URL per region; an API key
# only works in its own region. Data processed in the selected region (for the non-global deployment
# scope). vLLM: a self-hosted server; its region is set by whoever runs it.
PRESETS: dict[str, CloudEndpoint] = {
    "dashscope-cn": CloudEndpoint("dashscope-cn", "https://dashscope.aliyuncs.com/compatible-mode/v1",
                                  "qwen-plus", "CN", "DASHSCOPE_API_KEY", "CN"),
    "dashscope-intl": CloudEndpoint("dashscope-intl", "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
                                    "qwen-plus", "SG", "DASHSCOPE_API_KEY", "CN"),
    "dashscope-us": CloudEndpoint("dashscope-us", "https://dashscope-us.aliyuncs.com/compatible-mode/v1",
                                  "qwen-plus", "US", "DASHSCOPE_API_KEY", "CN"),
    "dashscope-hk": CloudEndpoint("dashscope-hk", "https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1",
                                  "qwen-plus", "HK", "DASHSCOPE_API_KEY", "CN"),
    "vllm": CloudEndpoint("vllm", "http://127.0.0.1:8000/v1", "Qwen/Qwen2.5-7B-Instruct", "", "VLLM_API_KEY"),
}


def _region(value: str, where: str) -> str:
    region = value.strip().upper()
    if len(region) != 2 or not region.isalpha():
        raise ConfigError(f"{where}: region {value!r} is not an ISO country code", hint="e.g. DE, SG, CN")
    return region


def endpoint_from_env(default_region: str) -> CloudEndpoint | None:
    """``cloud:default`` from TANDEM_CLOUD_URL / _API_KEY / _MODEL / _REGION, or None if no URL is set.
    Without TANDEM_CLOUD_REGION a loopback URL is taken to be in the user's region; any other is refused,
    since the policy cannot judge an endpoint whose location is unknown."""
    url = os.environ.get("TANDEM_CLOUD_URL", "").strip()
    if not url:
        return None
    region = os.environ.get("TANDEM_CLOUD_REGION", "")
    if not region:
        if "://127.0.0.1" not in url and "://localhost" not in url:
            raise ConfigError("TANDEM_CLOUD_URL is set but TANDEM_CLOUD_REGION is not",
                              hint="set it to the ISO code of where the endpoint processes data")
        region = default_region
    return CloudEndpoint(name="default", url=url.rstrip("/"), model=os.environ.get("TANDEM_CLOUD_MODEL", "default"),
                         region=_region(region, "TANDEM_CLOUD_REGION"), api_key_env="TANDEM_CLOUD_API_KEY")


def _entry(raw: dict[str, Any], default_region: str, where: str) -> CloudEndpoint:
    known = {f.name for f in fields(CloudEndpoint)}
    unknown = set(raw) - known - {"preset"}
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}", hint=f"known: {sorted(known)}")
    preset = raw.get("preset")
    if preset is not None and preset not in PRESETS:
        raise ConfigError(f"{where}: unknown preset {preset!r}", hint=f"one of {sorted(PRESETS)}")
    values = {k: v for k, v in raw.items() if k != "preset"}
    if preset is not None:
        base = PRESETS[preset]
        values.setdefault("name", base.name)
        endpoint = replace(base, **values)
    else:
        missing = {"name", "url", "model"} - set(values)
        if missing:
            raise ConfigError(f"{where}: missing {sorted(missing)}", hint="or name a preset")
        endpoint = CloudEndpoint(**{"region": default_region, **values})
    return replace(endpoint, region=_region(endpoint.region or default_region, where))


def load_endpoints(home: Path, default_region: str) -> list[CloudEndpoint]:
    """Endpoints from ``$TANDEM_HOME/cloud.toml`` (``[[endpoint]]`` tables) plus the env endpoint."""
    path = home / "cloud.toml"
    endpoints: list[CloudEndpoint] = []
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
        for i, raw in enumerate(data.get("endpoint", [])):
            endpoints.append(_entry(raw, default_region, f"{path} endpoint #{i + 1}"))
    env = endpoint_from_env(default_region)
    return endpoints + ([env] if env else [])
