"""``tandem services``: register partner services, see which are offered where, check and try them."""

from __future__ import annotations

import json
from typing import Any

import anyio
import click

from tandem.config import load_settings


def _registry() -> Any:
    from tandem.services.registry import ServiceRegistry

    return ServiceRegistry(load_settings())


def _region(region: str | None, default: str) -> str:
    import phonenumbers

    from tandem.errors import InvalidRequest

    code = (region or default).upper()
    # libphonenumber's regions are the ISO 3166 country codes in use ("XX" or "UK" is none: GB is)
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidRequest(f"region {region or default!r} is not an ISO country code", hint="e.g. DE, FR, CN")
    return code


def _policy(allow_third_country: bool) -> Any:
    from tandem.services.regulation import TransferPolicy

    return TransferPolicy(allow_third_country=allow_third_country)


@click.group()
def services() -> None:
    """Partner services (MCP servers with a Tandem manifest)."""


@services.command("list")
@click.option("--region", help="ISO country code of the user (default: the configured region).")
@click.option("--all", "show_all", is_flag=True, help="Also show services not offered in the region, with why.")
@click.option("--allow-third-country", is_flag=True, help="EU users: allow transfers outside EEA/adequacy.")
@click.option("--check", "run_check", is_flag=True, help="Check the services' health first.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_services(region: str | None, show_all: bool, allow_third_country: bool, run_check: bool,
                  as_json: bool) -> None:
    """Services offered to a user in a region, with their health (from the last check or call)."""
    registry = _registry()
    region = _region(region, registry.settings.region)
    if run_check:
        from tandem.services.hub import ServiceHub

        offered = [r.id for r, o in registry.offers(region, _policy(allow_third_country)) if o.allowed or show_all]

        async def run() -> None:
            async with ServiceHub(registry, region=region) as hub:
                await hub.check(offered)

        anyio.run(run)
    rows = [record.summary(offer) for record, offer in registry.offers(region, _policy(allow_third_country))
            if show_all or offer.allowed]
    refused, chosen = _refused(registry), registry.preferences()
    for r in rows:
        r["refused"] = refused.get(r["id"])
        r["preferred_for"] = sorted(c for c, service_id in chosen.items() if service_id == r["id"])
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    click.echo(f"services for region {region}:")
    for r in rows:
        health = {True: "up", False: "down", None: "unchecked"}[r["healthy"]]
        state = ("" if r["enabled"] else " (disabled)") + ("" if r["offered"] else f" (not offered: {r['reason']})")
        state += f" (examples refused, its requests are not understood: {r['refused']})" if r["refused"] else ""
        state += f" (your choice for {', '.join(r['preferred_for'])})" if r["preferred_for"] else ""
        click.echo(f"  {r['id']:<24} {','.join(r['categories']):<11} {health:<9} {r['name']}{state}")


def _refuse_overreach(doc: dict[str, Any], installed: list[dict[str, Any]]) -> None:
    """A partner whose examples would take small talk or another partner's requests is not added: its templates
    checked first, then (seconds: it trains the learned tier) its phrasings and examples as the learned tier learns."""
    from tandem.agent.overreach import overreach
    from tandem.agent.overreach_learned import learned_overreach
    from tandem.errors import InvalidRequest

    why = overreach(doc, installed) or learned_overreach(doc, installed)
    if why is not None:
        raise InvalidRequest(f"{doc.get('id')} is refused: {why}", param="examples",
                             hint="an example must spell out a request for its own capability")


def _refused(registry: Any) -> dict[str, str]:
    from tandem.agent.overreach import refused

    return refused(r.manifest.raw for r in registry.ranked() if r.enabled)


@services.command("add")
@click.argument("source")
@click.option("--yes", "assume_yes", is_flag=True, help="Do not ask: add it as shown.")
def add(source: str, assume_yes: bool) -> None:
    """Register a service from a manifest file (TOML/JSON) or a URL serving one. Shows what it runs or
    reaches and asks once (unless --yes)."""
    from tandem.services.registry import read_source, what_it_runs

    manifest = read_source(source)
    registry = _registry()
    click.echo(what_it_runs(manifest))
    for line in _what_it_receives(manifest):
        click.echo(line)
    if not assume_yes:  # asked first: the check below trains the learned tier (minutes on a busy machine)
        click.confirm("Add this service?", abort=True)
    _refuse_overreach(manifest.raw, [r.manifest.raw for r in registry.ranked() if r.id != manifest.id])
    record = registry.add_manifest(manifest, source)
    click.echo(f"added {record.id} ({record.manifest.partner}), offered in {', '.join(record.manifest.regions)}")


def _what_it_receives(manifest: Any) -> list[str]:
    """A line per tool that receives personal data: which, and whether you are asked first. A tool that gets your
    payment token yet is not confirmed first is said loudly: its author may have forgotten ``transactional``."""
    lines = []
    for tool in manifest.tools:
        if not tool.personal_data:
            continue
        kinds = ", ".join(kind.replace("_", " ") for kind in tool.personal_data)
        if tool.transactional:
            lines.append(f"{tool.name} receives your {kinds} (each call only after you confirm it)")
        elif "payment_token" in tool.personal_data:
            lines.append(f"WARNING: {tool.name} receives your {kinds} WITHOUT asking you first: its manifest does "
                         "not mark it transactional")
        else:
            lines.append(f"{tool.name} receives your {kinds} without asking you first")
    return lines


@services.command("remove")
@click.argument("service_id")
def remove(service_id: str) -> None:
    """Unregister a service (built-ins stay removed until re-added)."""
    _registry().remove(service_id)
    click.echo(f"removed {service_id}")


@services.command("enable")
@click.argument("service_id")
def enable(service_id: str) -> None:
    """Offer a disabled service again."""
    _registry().set_enabled(service_id, True)
    click.echo(f"enabled {service_id}")


@services.command("disable")
@click.argument("service_id")
def disable(service_id: str) -> None:
    """Keep a service registered but never offer it."""
    _registry().set_enabled(service_id, False)
    click.echo(f"disabled {service_id}")


@services.command("prefer")
@click.argument("category")
@click.argument("service_id")
def prefer(category: str, service_id: str) -> None:
    """Use SERVICE_ID for CATEGORY (food, cinema, ...) when several services offer it; else a shipped one wins."""
    _registry().prefer(category, service_id)
    click.echo(f"{service_id} is used for {category}")


@services.command("check")
@click.argument("service_ids", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def check(service_ids: tuple[str, ...], as_json: bool) -> None:
    """Connect to each enabled service (or the named ones), list its tools and record whether it is up."""
    from tandem.services.hub import ServiceHub

    registry = _registry()
    for service_id in service_ids:
        registry.get(service_id)  # unknown ids fail before anything starts

    async def run() -> dict[str, Any]:
        async with ServiceHub(registry) as hub:
            return await hub.check(list(service_ids) or None)

    results = anyio.run(run)
    rows = [{"id": sid, "healthy": h.healthy, "tools": h.tool_count, "latency_ms": h.latency_ms, "error": h.error}
            for sid, h in sorted(results.items())]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for r in rows:
            detail = f"{r['tools']} tools, {r['latency_ms']} ms" if r["healthy"] else r["error"]
            click.echo(f"  {r['id']:<24} {'up' if r['healthy'] else 'DOWN':<5} {detail}")
    if not all(r["healthy"] for r in rows):
        raise SystemExit(1)


@services.command("tools")
@click.option("--region", help="ISO country code of the user (default: the configured region).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def tools(region: str | None, as_json: bool) -> None:
    """The tools the agent gets in a region, with transactional / idempotency / personal-data flags."""
    from tandem.services.hub import ServiceHub

    registry = _registry()

    async def run() -> list[Any]:
        async with ServiceHub(registry, region=_region(region, registry.settings.region)) as hub:
            return await hub.tools()

    found = anyio.run(run)
    rows = [{"name": t.name, "service": t.service_id, "tool": t.tool, "transactional": t.transactional,
             "idempotency": t.idempotency, "effect": _effect(registry, t.service_id, t.tool),
             "personal_data": list(t.personal_data)} for t in found]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    click.echo(f"  {'tool':<44} {'effect':<12} {'repeat':<6} personal data ($ = moves money)")
    for r in rows:
        effect = r["effect"] + (" $" if r["transactional"] else "")
        click.echo(f"  {r['name']:<44} {effect:<12} {r['idempotency']:<6} {','.join(r['personal_data'])}")


def _effect(registry: Any, service_id: str, tool: str) -> str:
    """"read", "write" or "delete" ("destructive" for a write that moves money), as the partner's MCP
    annotations say it, from the same manifest facts."""
    from tandem.partners.server import tool_annotations

    declared = next((t for t in registry.get(service_id).manifest.raw.get("tools", []) if t["name"] == tool),
                    {"name": tool})
    hints = tool_annotations(declared)
    if hints.readOnlyHint:
        return "read"
    return "destructive" if hints.destructiveHint else "write"


@services.command("call")
@click.argument("tool")
@click.argument("arguments", default="{}")
@click.option("--region", help="ISO country code of the user (default: the configured region).")
def call(tool: str, arguments: str, region: str | None) -> None:
    """Call a tool as the agent would: TOOL is SERVICE_ID/TOOL, ARGUMENTS a JSON object."""
    from tandem.errors import InvalidRequest
    from tandem.services.hub import ServiceHub

    try:
        args = json.loads(arguments)
    except ValueError as exc:
        raise InvalidRequest(f"ARGUMENTS is not JSON: {exc}") from exc
    if not isinstance(args, dict):
        raise InvalidRequest(f"ARGUMENTS must be a JSON object of the tool's parameters, not {type(args).__name__}",
                             hint="e.g. '{\"city\": \"Berlin\"}'; `tandem services tools` lists the tools")

    async def run() -> Any:
        registry = _registry()
        async with ServiceHub(registry, region=_region(region, registry.settings.region)) as hub:
            return await hub.call(tool, args)

    outcome = anyio.run(run)
    click.echo(outcome.for_model())
    if not outcome.ok:
        raise SystemExit(1)
