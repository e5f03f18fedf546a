"""A partner's bearer token variable belongs to one partner only (issue 13).

``auth.token_env`` must be named for the manifest's id. When the id was mapped with ``.`` and ``-`` both
as ``_`` and any suffix was allowed, ``acme.foo`` could name ``TANDEM_PARTNER_ACME_FOO_BAR_TOKEN``, the
token of ``acme.foo.bar``, and ``acme-foo.x`` the token of ``acme.foo-x``: Tandem would hand one
partner another's secret. Every variable name must now fit exactly one id.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.errors import InvalidRequest
from tandem.services.manifest import manifest_schema, parse_manifest, token_env_prefix


def _doc(service_id: str, token_env: str) -> dict[str, Any]:
    return {"manifest_version": 1, "id": service_id, "partner": "P", "names": {"en": "P"},
            "categories": ["cinema"], "regions": ["DE"], "data": {"processing_regions": ["DE"]},
            "transport": {"type": "stdio", "command": ["{python}", "-c", "pass"]},
            "auth": {"type": "bearer", "token_env": token_env}, "tools": [{"name": "t"}]}


def _accepts(service_id: str, token_env: str) -> bool:
    try:
        parse_manifest(_doc(service_id, token_env))
    except InvalidRequest as exc:
        assert exc.param == "auth.token_env", exc
        assert token_env_prefix(service_id) in str(exc)  # the error says what the name must look like
        return False
    return True


@pytest.mark.parametrize(("claimant", "owner"), [
    ("acme.foo", "acme.foo.bar"),      # a prefix of the id
    ("acme-foo.x", "acme.foo-x"),      # '.' and '-' both became '_'
    ("acme.foo-", "acme.foo"),         # a trailing '-' (allowed in a segment)
    ("a.b", "a-.b"),
])
def test_a_partner_cannot_name_the_token_of_another(claimant: str, owner: str) -> None:
    theirs = token_env_prefix(owner) + "TOKEN"
    assert _accepts(owner, theirs)
    assert not _accepts(claimant, theirs)
    assert not _accepts(owner, token_env_prefix(claimant) + "TOKEN")


def test_names_under_the_prefix_are_letters_and_digits() -> None:
    assert _accepts("lichtspiel.cinema", "TANDEM_PARTNER_LICHTSPIEL_CINEMA_TOKEN")
    assert _accepts("lichtspiel.cinema", "TANDEM_PARTNER_LICHTSPIEL_CINEMA_KEY2")
    assert not _accepts("lichtspiel.cinema", "TANDEM_PARTNER_LICHTSPIEL_CINEMA_API_KEY")
    assert not _accepts("lichtspiel.cinema", "TANDEM_PARTNER_LICHTSPIEL_CINEMA_")


def _small_ids() -> list[str]:
    """Every valid id of up to five characters over ``a``, ``-`` and ``.``."""
    return [s for n in range(3, 6) for s in map("".join, itertools.product("a-.", repeat=n))
            if re.fullmatch(manifest_schema()["properties"]["id"]["pattern"], s)]


def test_no_two_small_ids_share_a_prefix_that_a_name_could_extend() -> None:
    ids = _small_ids()
    prefixes = {token_env_prefix(i): i for i in ids}
    assert len(prefixes) == len(ids)  # injective
    for shorter, longer in itertools.permutations(prefixes, 2):
        if longer.startswith(shorter):  # then the rest of `longer` must hold a '_' (refused as a name)
            assert "_" in longer[len(shorter):] + "TOKEN"
            assert not _accepts(prefixes[shorter], longer + "TOKEN")


_segment = st.from_regex(r"[a-z0-9][a-z0-9-]{0,5}", fullmatch=True)
_id = st.lists(_segment, min_size=2, max_size=4).map(".".join)


@settings(max_examples=300, deadline=None)
@given(_id, _id, st.from_regex(r"[A-Z0-9]{1,6}", fullmatch=True))
def test_a_name_fits_one_id_only(a: str, b: str, name: str) -> None:
    variable = token_env_prefix(b) + name
    assert _accepts(a, variable) == (a == b)
