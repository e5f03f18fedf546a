"""Chat and embedding models: the one-method contract, the on-device catalog and backends."""

from tandem.models.base import Embedder, Model, ModelInfo, complete

__all__ = ["Embedder", "Model", "ModelInfo", "complete"]
