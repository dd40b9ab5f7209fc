"""preprocessing layers (the layer-library issue)."""

__all__ = []
