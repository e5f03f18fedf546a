"""The web app's static files (plain HTML, CSS and ES modules; no build step). ``tandem.api.web`` serves
them at ``/``; this package only says where they are, so it imports nothing from Tandem."""

from __future__ import annotations

from pathlib import Path

__all__ = ["STATIC_DIR"]

STATIC_DIR = Path(__file__).parent / "static"
