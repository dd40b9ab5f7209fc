"""`keras.ops.nn` parity for convolutions, pooling, patches and pixel shuffles."""

import numpy as np
import pytest

from tests.ops.ops_parity import Case, check_case, uniform
from workbench import ops


def conv_case(input_shape, kernel_shape, id, **kwargs):
    return Case(
        "conv",
        lambda: (uniform(*input_shape), uniform(*kernel_shape, seed=1)),
        kwargs,
        rtol=1e-4,
        atol=1e-5,
        id=id,
    )


def transpose_case(input_shape, kernel_shape, id, **kwargs):
    return Case(
        "conv_transpose",
        lambda: (uniform(*input_shape), uniform(*kernel_shape, seed=1)),
        kwargs,
        rtol=1e-4,
        atol=1e-5,
        id=id,
    )


def pool_case(name, input_shape, id, **kwargs):
    return Case(name, lambda: (uniform(*input_shape),), kwargs, id=id)


CASES = [
    # convolutions
    conv_case((2, 7, 7, 3), (3, 3, 3, 4), "conv-2d"),
    conv_case((2, 8, 8, 3), (3, 3, 3, 4), "conv-2d-same-strided", strides=2, padding="same"),
    conv_case((2, 9, 9, 3), (3, 3, 3, 4), "conv-2d-dilated", dilation_rate=2, padding="same"),
    conv_case(
        (2, 3, 7, 7),
        (3, 2, 3, 4),
        "conv-2d-channels-first",
        data_format="channels_first",
        strides=(1, 2),
    ),
    conv_case((2, 10, 3), (3, 3, 5), "conv-1d", strides=2),
    conv_case((1, 5, 6, 7, 2), (2, 3, 2, 2, 3), "conv-3d", padding="same"),
    conv_case((2, 6, 6, 4), (3, 3, 2, 6), "conv-grouped"),
    Case(
        "depthwise_conv",
        lambda: (uniform(2, 7, 7, 3), uniform(3, 3, 3, 2, seed=1)),
        rtol=1e-4,
        atol=1e-5,
    ),
    Case(
        "depthwise_conv",
        lambda: (uniform(2, 8, 8, 3), uniform(3, 3, 3, 1, seed=1)),
        {"strides": 2, "padding": "same"},
        rtol=1e-4,
        atol=1e-5,
        id="depthwise_conv-same",
    ),
    Case(
        "depthwise_conv",
        lambda: (uniform(2, 3, 9), uniform(3, 3, 2, seed=1)),
        {"data_format": "channels_first", "dilation_rate": 2},
        rtol=1e-4,
        atol=1e-5,
        id="depthwise_conv-1d-channels-first",
    ),
    Case(
        "separable_conv",
        lambda: (uniform(2, 7, 7, 3), uniform(3, 3, 3, 2, seed=1), uniform(1, 1, 6, 4, seed=2)),
        rtol=1e-4,
        atol=1e-5,
    ),
    Case(
        "separable_conv",
        lambda: (uniform(2, 8, 8, 3), uniform(3, 3, 3, 1, seed=1), uniform(1, 1, 3, 5, seed=2)),
        {"strides": 2, "padding": "same"},
        rtol=1e-4,
        atol=1e-5,
        id="separable_conv-same",
    ),
    transpose_case((2, 4, 4, 3), (3, 3, 5, 3), "conv_transpose-2d"),
    transpose_case((2, 4, 4, 3), (3, 3, 5, 3), "conv_transpose-strided", strides=2),
    transpose_case((2, 4, 4, 3), (3, 3, 5, 3), "conv_transpose-same", strides=2, padding="same"),
    transpose_case(
        (2, 4, 4, 3), (3, 3, 5, 3), "conv_transpose-output-padding", strides=2, output_padding=1
    ),
    transpose_case(
        (2, 4, 4, 3),
        (3, 3, 5, 3),
        "conv_transpose-same-output-padding",
        strides=3,
        padding="same",
        output_padding=2,
    ),
    transpose_case((2, 5, 3), (4, 2, 3), "conv_transpose-1d-dilated", dilation_rate=2),
    transpose_case(
        (2, 3, 4, 4),
        (2, 2, 5, 3),
        "conv_transpose-channels-first",
        strides=2,
        data_format="channels_first",
    ),
    transpose_case(
        (1, 3, 4, 5, 2), (2, 3, 2, 4, 2), "conv_transpose-3d", strides=(1, 2, 2), padding="same"
    ),
    # pooling
    pool_case("max_pool", (2, 6, 6, 3), "max_pool-2d", pool_size=2, strides=2),
    pool_case("max_pool", (2, 7, 7, 3), "max_pool-same", pool_size=3, strides=2, padding="same"),
    pool_case(
        "max_pool",
        (2, 3, 8),
        "max_pool-1d-channels-first",
        pool_size=3,
        strides=1,
        data_format="channels_first",
    ),
    pool_case("max_pool", (1, 4, 6, 6, 2), "max_pool-3d", pool_size=(2, 3, 3), strides=(2, 3, 3)),
    pool_case("average_pool", (2, 6, 6, 3), "average_pool-2d", pool_size=2, strides=2),
    pool_case(
        "average_pool", (2, 7, 7, 3), "average_pool-same", pool_size=3, strides=2, padding="same"
    ),
    pool_case(
        "average_pool", (2, 9, 4), "average_pool-1d-same", pool_size=4, strides=3, padding="same"
    ),
    pool_case(
        "average_pool",
        (1, 2, 5, 6, 6),
        "average_pool-3d-channels-first",
        pool_size=2,
        strides=2,
        data_format="channels_first",
    ),
    pool_case(
        "adaptive_average_pool", (2, 7, 9, 3), "adaptive_average_pool-2d", output_size=(3, 4)
    ),
    pool_case(
        "adaptive_average_pool",
        (2, 3, 10),
        "adaptive_average_pool-1d",
        output_size=4,
        data_format="channels_first",
    ),
    pool_case(
        "adaptive_average_pool", (1, 5, 6, 7, 2), "adaptive_average_pool-3d", output_size=(2, 3, 4)
    ),
    pool_case("adaptive_max_pool", (2, 7, 9, 3), "adaptive_max_pool-2d", output_size=(3, 4)),
    pool_case(
        "adaptive_max_pool",
        (2, 3, 10),
        "adaptive_max_pool-1d",
        output_size=3,
        data_format="channels_first",
    ),
    pool_case(
        "adaptive_max_pool",
        (1, 2, 5, 6, 7),
        "adaptive_max_pool-3d",
        output_size=(2, 3, 4),
        data_format="channels_first",
    ),
    # patches and pixel shuffles
    Case("unfold", lambda: (uniform(2, 3, 6, 7), 3)),
    Case(
        "unfold",
        lambda: (uniform(2, 3, 8, 8), (2, 3)),
        {"dilation": 2, "padding": 1, "stride": (2, 1)},
        id="unfold-options",
    ),
    Case("fold", lambda: (uniform(2, 27, 20), (6, 7), 3)),
    Case(
        "fold",
        lambda: (uniform(2, 12, 16), (6, 6), 2),
        {"padding": 1, "stride": 2},
        id="fold-options",
    ),
    Case("depth_to_space", lambda: (uniform(2, 3, 4, 8), 2)),
    Case(
        "depth_to_space",
        lambda: (uniform(2, 8, 3, 4), 2),
        {"data_format": "channels_first"},
        id="depth_to_space-channels-first",
    ),
    Case("space_to_depth", lambda: (uniform(2, 4, 6, 3), 2)),
    Case(
        "space_to_depth",
        lambda: (uniform(2, 3, 4, 6), 2),
        {"data_format": "channels_first"},
        id="space_to_depth-channels-first",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_conv_and_pooling_op_matches_keras(case):
    check_case(case)


def test_fold_inverts_unfold_up_to_overlap_counts():
    x = uniform(1, 2, 5, 5)
    columns = ops.unfold(x, 2, stride=1)
    counts = ops.fold(ops.unfold(np.ones_like(x), 2, stride=1), (5, 5), 2, stride=1)
    np.testing.assert_allclose(ops.fold(columns, (5, 5), 2, stride=1) / counts, x, rtol=1e-6)


def test_pooling_strides_default_to_the_pool_size():
    # Keras 3.15 on JAX fails for strides=None (it expands the pool size twice).
    x = uniform(2, 6, 6, 3)
    np.testing.assert_allclose(ops.max_pool(x, 2), ops.max_pool(x, 2, strides=2))
    np.testing.assert_allclose(
        ops.average_pool(x, (2, 3)), ops.average_pool(x, (2, 3), strides=(2, 3))
    )
