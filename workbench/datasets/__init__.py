"""Datasets. `digits` is bundled and needs no network; Keras's loaders arrive with the notebooks issue."""

from workbench.datasets import digits

__all__ = ["digits"]
