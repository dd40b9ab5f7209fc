"""Normalization layers: batch, layer, group, RMS, unit and spectral normalization."""

from workbench.layers.normalization.batch_normalization import BatchNormalization
from workbench.layers.normalization.group_normalization import GroupNormalization
from workbench.layers.normalization.layer_normalization import LayerNormalization
from workbench.layers.normalization.rms_normalization import RMSNormalization
from workbench.layers.normalization.spectral_normalization import SpectralNormalization
from workbench.layers.normalization.unit_normalization import UnitNormalization

__all__ = [
    "BatchNormalization",
    "GroupNormalization",
    "LayerNormalization",
    "RMSNormalization",
    "SpectralNormalization",
    "UnitNormalization",
]
