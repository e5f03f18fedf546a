"""Hybrid routing: ``decide`` (pure), the difficulty estimator, ``PrivateCloud`` (the cloud behind the
privacy engine) and ``HybridModel`` (the Model behind ``tandem:auto``)."""

from tandem.router.decide import Decision, RouteInput, decide
from tandem.router.guard import PrivateCloud
from tandem.router.hybrid import HybridModel

__all__ = ["Decision", "HybridModel", "PrivateCloud", "RouteInput", "decide"]
