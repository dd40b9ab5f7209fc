"""The shared layer check: shapes, dtypes, config round-trip, stateless parity, masking, a training
step, and parity with real Keras 3 (outputs and gradients) given the same weights."""

import os

import jax
import jax.numpy as jnp
import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")

import workbench  # noqa: E402


def keras_oracle():
    import keras

    assert keras.backend.backend() == "jax", "real Keras must run with KERAS_BACKEND=jax"
    return keras


def _as_numpy(tree):
    return jax.tree_util.tree_map(lambda x: np.asarray(x), tree)


def _random_input(shape, dtype, seed):
    rng = np.random.default_rng(seed)
    if dtype.startswith("int"):
        return rng.integers(0, 5, size=shape).astype(dtype)
    if dtype == "bool":
        return rng.random(size=shape) > 0.5
    return rng.normal(size=shape).astype(dtype)


def assert_close(actual, expected, rtol=1e-5, atol=1e-6, what="values"):
    actual_leaves = jax.tree_util.tree_leaves(_as_numpy(actual))
    expected_leaves = jax.tree_util.tree_leaves(_as_numpy(expected))
    assert len(actual_leaves) == len(expected_leaves), f"{what}: structure differs"
    for a, e in zip(actual_leaves, expected_leaves):
        assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
        np.testing.assert_allclose(a.astype("float64"), e.astype("float64"), rtol=rtol, atol=atol,
                                   err_msg=what)


def run_layer_test(
    layer_name,
    init_kwargs=None,
    input_shape=None,
    input_data=None,
    input_dtype="float32",
    call_kwargs=None,
    expected_output_shape=None,
    expected_output_dtype=None,
    expected_num_trainable_weights=None,
    expected_num_non_trainable_weights=None,
    supports_masking=None,
    keras_parity=True,
    check_gradients=True,
    run_training_step=True,
    rtol=1e-5,
    atol=1e-6,
    custom_objects=None,
):
    """Checks the workbench layer `layers.<layer_name>` and compares it with `keras.layers.<layer_name>`.

    `input_shape` may be a shape or a list of shapes (for merge layers); `input_data` overrides it.
    Returns the workbench layer, built.
    """
    init_kwargs = dict(init_kwargs or {})
    call_kwargs = dict(call_kwargs or {})
    cls = getattr(workbench.layers, layer_name)
    if input_data is None:
        if isinstance(input_shape, list):
            input_data = [_random_input(s, input_dtype, i) for i, s in enumerate(input_shape)]
        else:
            input_data = _random_input(input_shape, input_dtype, 0)
    shapes = [x.shape for x in input_data] if isinstance(input_data, list) else input_data.shape

    # 1. eager call: shape, dtype, weights
    layer = cls(**init_kwargs)
    output = layer(input_data, **call_kwargs)
    assert layer.built
    flat_out = jax.tree_util.tree_leaves(output)
    if expected_output_shape is not None:
        got = tuple(flat_out[0].shape) if len(flat_out) == 1 else [tuple(o.shape) for o in flat_out]
        assert got == expected_output_shape, f"{layer_name}: output shape {got} != {expected_output_shape}"
    if expected_output_dtype is not None:
        assert workbench.backend.standardize_dtype(flat_out[0].dtype) == expected_output_dtype
    if expected_num_trainable_weights is not None:
        assert len(layer.trainable_weights) == expected_num_trainable_weights
    if expected_num_non_trainable_weights is not None:
        assert len(layer.non_trainable_weights) == expected_num_non_trainable_weights
    if supports_masking is not None:
        assert layer.supports_masking == supports_masking

    # 2. symbolic call gives the same shape, with the batch dimension unknown
    def symbolic(shape, dtype):
        return workbench.KerasTensor((None,) + tuple(shape[1:]), dtype=dtype)

    symbolic_inputs = ([symbolic(s, input_dtype) for s in shapes] if isinstance(shapes, list)
                       else symbolic(shapes, input_dtype))
    symbolic_layer = cls(**init_kwargs)
    symbolic_out = symbolic_layer(symbolic_inputs, **call_kwargs)
    for sym, real in zip(jax.tree_util.tree_leaves(symbolic_out, is_leaf=lambda x: isinstance(x, workbench.KerasTensor)), flat_out):
        assert sym.shape[1:] == tuple(real.shape[1:]), f"{layer_name}: symbolic shape {sym.shape} vs {real.shape}"
        assert sym.dtype == workbench.backend.standardize_dtype(real.dtype)

    # 3. config round-trip
    config = layer.get_config()
    revived = cls.from_config(config)
    assert revived.get_config() == config, f"{layer_name}: config changed in a round-trip"
    serialized = workbench.saving.serialize_keras_object(layer)
    again = workbench.saving.deserialize_keras_object(serialized, custom_objects=custom_objects)
    assert type(again) is cls

    # 4. stateless_call equals the eager call, inside jit
    trainable = [v.value for v in layer.trainable_variables]
    non_trainable = [v.value for v in layer.non_trainable_variables]

    @jax.jit
    def pure(trainable, non_trainable, data):
        out, _ = layer.stateless_call(trainable, non_trainable, data, **call_kwargs)
        return out

    if not call_kwargs.get("training"):
        assert_close(pure(trainable, non_trainable, input_data), output, rtol=rtol, atol=atol,
                     what=f"{layer_name} stateless vs eager")

    # 5. a training step lowers a simple loss
    if run_training_step and trainable:
        def loss_fn(trainable):
            out, _ = layer.stateless_call(trainable, non_trainable, input_data, **call_kwargs)
            return sum(jnp.mean(jnp.square(o.astype("float32"))) for o in jax.tree_util.tree_leaves(out))

        before = loss_fn(trainable)
        grads = jax.grad(loss_fn)(trainable)
        stepped = [w - 1e-2 * g for w, g in zip(trainable, grads)]
        assert float(loss_fn(stepped)) < float(before), f"{layer_name}: a gradient step did not lower the loss"

    # 6. parity with real Keras, given the same weights
    if keras_parity:
        keras = keras_oracle()
        keras_layer = getattr(keras.layers, layer_name)(**init_kwargs)
        keras_output = keras_layer(input_data, **call_kwargs)
        keras_weights = keras_layer.weights
        assert len(keras_weights) == len(layer.weights), (
            f"{layer_name}: {len(layer.weights)} weights vs Keras {len(keras_weights)}"
        )
        for ours, theirs in zip(layer.weights, keras_weights):
            assert ours.name == theirs.name, f"{layer_name}: weight name {ours.name} vs {theirs.name}"
            assert tuple(ours.shape) == tuple(theirs.shape)
            theirs.assign(np.asarray(ours.value))
        keras_output = keras_layer(input_data, **call_kwargs)
        assert_close(output, keras_output, rtol=rtol, atol=atol, what=f"{layer_name} output vs Keras")
        ours_config = {k: v for k, v in config.items() if k != "name"}
        theirs_config = {k: v for k, v in keras_layer.get_config().items() if k != "name"}
        assert set(ours_config) == set(theirs_config), (
            f"{layer_name}: config keys differ: {set(ours_config) ^ set(theirs_config)}"
        )
        if check_gradients and trainable:
            keras_trainable = [v.value for v in keras_layer.trainable_variables]
            keras_non_trainable = [v.value for v in keras_layer.non_trainable_variables]
            probe = [np.random.default_rng(7).normal(size=np.shape(o)).astype("float32") for o in flat_out]

            def scalar(outputs):
                return sum(jnp.sum(o.astype("float32") * p) for o, p in zip(jax.tree_util.tree_leaves(outputs), probe))

            ours_grad = jax.grad(lambda t: scalar(layer.stateless_call(t, non_trainable, input_data, **call_kwargs)[0]))(trainable)
            theirs_grad = jax.grad(lambda t: scalar(keras_layer.stateless_call(t, keras_non_trainable, input_data, **call_kwargs)[0]))(keras_trainable)
            assert_close(ours_grad, theirs_grad, rtol=max(rtol, 1e-5), atol=max(atol, 1e-5),
                         what=f"{layer_name} weight gradients vs Keras")
    return layer
