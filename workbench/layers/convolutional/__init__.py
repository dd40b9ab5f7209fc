"""Convolution layers: regular, transposed, separable and depthwise, in 1, 2 and 3 dimensions."""

from workbench.layers.convolutional.conv1d import Conv1D
from workbench.layers.convolutional.conv1d_transpose import Conv1DTranspose
from workbench.layers.convolutional.conv2d import Conv2D
from workbench.layers.convolutional.conv2d_transpose import Conv2DTranspose
from workbench.layers.convolutional.conv3d import Conv3D
from workbench.layers.convolutional.conv3d_transpose import Conv3DTranspose
from workbench.layers.convolutional.depthwise_conv1d import DepthwiseConv1D
from workbench.layers.convolutional.depthwise_conv2d import DepthwiseConv2D
from workbench.layers.convolutional.separable_conv1d import SeparableConv1D
from workbench.layers.convolutional.separable_conv2d import SeparableConv2D

# Keras's aliases name the same classes.
Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D

__all__ = [
    "Conv1D", "Conv1DTranspose", "Conv2D", "Conv2DTranspose", "Conv3D", "Conv3DTranspose",
    "Convolution1D", "Convolution1DTranspose", "Convolution2D", "Convolution2DTranspose",
    "Convolution3D", "Convolution3DTranspose", "DepthwiseConv1D", "DepthwiseConv2D",
    "SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D", "SeparableConvolution2D",
]
