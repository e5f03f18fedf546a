"""Every public module lists its API in ``__all__``, and everything listed exists."""

from __future__ import annotations

import importlib
import pkgutil

import tandem

MODULES = [m.name for m in pkgutil.walk_packages(tandem.__path__, "tandem.")
           if not m.name.startswith(("tandem.cli", "tandem.api")) and not m.name.rsplit(".", 1)[-1].startswith("_")]


def test_all_is_complete_and_real() -> None:
    for name in MODULES:
        module = importlib.import_module(name)
        exported = getattr(module, "__all__", None)
        assert exported is not None, f"{name} has no __all__"
        for item in exported:
            assert hasattr(module, item), f"{name}.__all__ lists missing {item}"
        public = {k for k, v in vars(module).items() if not k.startswith("_")
                  and getattr(v, "__module__", None) == name and callable(v)}
        assert public <= set(exported), f"{name} does not export {sorted(public - set(exported))}"
