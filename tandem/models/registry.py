"""Model ids → ready models. Device models load on first use and stay warm; other models (cloud
endpoints, fallback chains) are registered by the layers that build them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from tandem.config import Settings
from tandem.errors import ModelNotFound, NotFound
from tandem.models.base import Embedder, Model, ModelInfo
from tandem.models.catalog import ModelSpec, Progress, ensure_weights, find_spec, load_catalog, resolve_id

__all__ = ["ModelRegistry"]


def _silent(stage: str, done: int, total: int) -> None:
    pass


class ModelRegistry:
    def __init__(self, settings: Settings, *, progress: Progress = _silent,
                 catalog: dict[str, ModelSpec] | None = None) -> None:
        self.settings = settings
        self.catalog = catalog if catalog is not None else load_catalog(settings.home)
        self._progress = progress
        self._loaded: dict[str, Model] = {}
        self._embedder: Embedder | None = None
        self._lock = threading.Lock()

    def register(self, model: Model) -> None:
        """Make a model built elsewhere (a cloud endpoint, a fallback chain) reachable by its id."""
        with self._lock:
            self._loaded[model.info.id] = model

    def infos(self) -> list[ModelInfo]:
        device = [ModelInfo(id=s.id, location="device", capabilities=s.capabilities) for s in self.catalog.values()]
        others = [m.info for k, m in self._loaded.items() if k not in self.catalog]
        return device + others

    def resolve(self, model_id: str) -> str:
        """The id ``model_id`` stands for: itself, or the catalog id an earlier release's alias names."""
        return resolve_id(self.catalog, model_id)

    def loaded(self) -> list[str]:
        return sorted(self._loaded)

    def get(self, model_id: str) -> Model:
        with self._lock:
            if model_id not in self._loaded:
                try:
                    spec = find_spec(self.catalog, model_id)  # an old alias loads the same model once
                except NotFound:
                    known = ", ".join(sorted({i.id for i in self.infos()}))
                    raise ModelNotFound(f"unknown model {model_id!r}", hint=f"known models: {known}") from None
                if spec.id not in self._loaded:
                    self._loaded[spec.id] = self._load(spec)
                return self._loaded[spec.id]
            return self._loaded[model_id]

    def _load(self, spec: ModelSpec) -> Model:
        from tandem.models.llamacpp import LlamaCppModel

        path = ensure_weights(spec, self.settings.models_dir, self._progress)
        started = time.monotonic()
        self._progress(f"loading {spec.id}", 0, 1)
        model = LlamaCppModel(ModelInfo(id=spec.id, location="device", capabilities=spec.capabilities), path,
                              threads=self.settings.threads, chat_template=spec.chat_template,
                              prompt_cache_bytes=self.settings.prompt_cache_mb << 20)
        self._progress(f"loaded {spec.id} in {time.monotonic() - started:.1f}s", 1, 1)
        return model

    def embedder(self, factory: Callable[[], Embedder] | None = None) -> Embedder:
        with self._lock:
            if self._embedder is None:
                from tandem.models.embeddings import E5Embedder

                self._embedder = (factory or E5Embedder)()
            return self._embedder
