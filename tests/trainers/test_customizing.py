"""Customizing fit the Keras-on-JAX way, loops from scratch, and fit's less common arguments."""

import jax
import numpy as np
import optax

import workbench as keras


def data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, (x @ np.array([[1.0], [-2.0], [0.5], [0.0]], "float32")).astype("float32")


def mlp():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="tanh"), keras.layers.Dense(1)])


def test_training_loop_from_scratch_with_the_stateless_apis():
    x, y = data()
    model = mlp()
    optimizer = keras.optimizers.Adam(1e-2)
    optimizer.build(model.trainable_variables)
    metric = keras.metrics.MeanSquaredError()
    trainable = [v.value for v in model.trainable_variables]
    non_trainable = [v.value for v in model.non_trainable_variables]
    optimizer_state = [v.value for v in optimizer.variables]
    metric_state = [v.value for v in metric.variables]

    def loss_fn(trainable, non_trainable, xb, yb):
        y_pred, non_trainable = model.stateless_call(trainable, non_trainable, xb, training=True)
        return keras.losses.mean_squared_error(yb, y_pred).mean(), (y_pred, non_trainable)

    @jax.jit
    def step(trainable, non_trainable, optimizer_state, metric_state, xb, yb):
        (loss, (y_pred, non_trainable)), grads = jax.value_and_grad(loss_fn, has_aux=True)(
            trainable, non_trainable, xb, yb)
        trainable, optimizer_state = optimizer.stateless_apply(optimizer_state, grads, trainable)
        metric_state = metric.stateless_update_state(metric_state, yb, y_pred)
        return trainable, non_trainable, optimizer_state, metric_state, loss

    losses = []
    for epoch in range(30):
        for i in range(0, 64, 16):
            trainable, non_trainable, optimizer_state, metric_state, loss = step(
                trainable, non_trainable, optimizer_state, metric_state, x[i:i + 16], y[i:i + 16])
        losses.append(float(loss))
    assert losses[-1] < 0.5 * losses[0]
    assert float(metric.stateless_result(metric_state)) > 0
    for variable, value in zip(model.trainable_variables, trainable):
        variable.assign(value)
    assert float(np.mean((model.predict(x, verbose=0) - y) ** 2)) < losses[0]


class WeightedLossModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)

    def call(self, x):
        return self.dense(x)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        return keras.ops.mean(keras.ops.abs(y_pred - y)) * 10.0


def test_compute_loss_override_is_used():
    x, y = data()
    model = WeightedLossModel()
    model.compile("sgd")
    model.fit(x, y, epochs=1, verbose=0)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    expected = 10.0 * np.mean(np.abs(model.predict(x, verbose=0) - y))
    np.testing.assert_allclose(logs["loss"], expected, rtol=1e-5)


def test_validation_freq_initial_epoch_and_steps_per_epoch():
    x, y = data()
    model = mlp()
    model.compile("sgd", "mse")
    history = model.fit(x, y, epochs=4, initial_epoch=1, validation_data=(x, y), validation_freq=2,
                        batch_size=16, verbose=0)
    assert history.epoch == [1, 2, 3]
    assert len(history.history["loss"]) == 3 and len(history.history["val_loss"]) == 2  # epochs 1 and 3
    history = model.fit(x, y, epochs=1, steps_per_epoch=7, batch_size=16, verbose=0)
    assert len(history.history["loss"]) == 1


def test_shuffle_batch_and_auto_steps_per_execution_train_the_same_data():
    x, y = data()
    first, second = mlp(), mlp()
    second.set_weights(first.get_weights())
    first.compile("sgd", "mse")
    second.compile("sgd", "mse", steps_per_execution="auto")
    h1 = first.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history["loss"]
    h2 = second.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history["loss"]
    np.testing.assert_allclose(h1, h2, rtol=1e-5)
    first.fit(x, y, batch_size=8, epochs=1, shuffle="batch", verbose=0)


def test_mixed_float16_wraps_the_optimizer_in_loss_scaling_and_trains():
    keras.config.set_dtype_policy("mixed_float16")
    try:
        model = mlp()
    finally:
        keras.config.set_dtype_policy("float32")
    x, y = data()
    model.compile("adam", "mse")
    assert isinstance(model.optimizer, keras.optimizers.LossScaleOptimizer)
    history = model.fit(x, y, epochs=3, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert model.layers[0].kernel.dtype == "float32"


def test_model_add_loss_is_part_of_the_training_loss():
    inputs = keras.Input((4,))
    outputs = keras.layers.Dense(1, kernel_regularizer=keras.regularizers.L2(1.0))(inputs)
    model = keras.Model(inputs, outputs)
    model.compile("sgd", "mse")
    x, y = data()
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    mse = np.mean((model.predict(x, verbose=0) - y) ** 2)
    penalty = float(np.sum(model.layers[1].kernel.numpy() ** 2))
    np.testing.assert_allclose(logs["loss"], mse + penalty, rtol=1e-4)


def test_compile_accepts_a_raw_optax_transformation(tmp_path):
    x, y = data()
    model = mlp()
    model.compile(optimizer=optax.chain(optax.clip_by_global_norm(1.0), optax.adam(1e-2)), loss="mse")
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert len(model.optimizer.variables) > 2  # the optax state lives in Variables
    import warnings

    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        model.save(str(tmp_path / "optax.keras"))
    restored = keras.saving.load_model(str(tmp_path / "optax.keras"))
    np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
