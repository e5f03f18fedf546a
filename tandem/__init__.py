"""Tandem: private, hybrid on-device/cloud AI assistants on open Qwen models."""

__version__ = "0.1.0"

__all__ = ["__version__"]
