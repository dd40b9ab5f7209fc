"""The fast path of fit / evaluate / predict: data uploads (trainers/data/upload.py), the state
between epochs, and the variable lists kept between calls."""

import gc

import jax
import numpy as np
import pytest

import workbench as keras
from workbench.trainers.data import upload


def unaligned(shape, offset=16):
    """A float32 array whose data starts `offset` bytes past a 64-byte boundary."""
    raw = np.empty(int(np.prod(shape)) * 4 + 128, np.uint8)
    start = (-raw.ctypes.data % 64) + offset
    array = raw[start:start + int(np.prod(shape)) * 4].view("float32").reshape(shape)
    array[...] = np.random.default_rng(0).normal(size=shape)
    return array


@pytest.fixture
def pool(monkeypatch):
    fresh = upload._StagingPool(1 << 20)
    monkeypatch.setattr(upload, "_pool", fresh)
    return fresh


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="the staging copy is for XLA:CPU")
def test_unaligned_arrays_are_staged_and_the_buffer_is_reused_only_once_free(pool):
    x = unaligned((64, 8))
    first = upload.to_device({"x": x, "none": None})["x"]
    np.testing.assert_array_equal(np.asarray(first), x)
    buffer = pool._entries[0][1]
    assert buffer.ctypes.data % 64 == 0 and first.unsafe_buffer_pointer() == buffer.ctypes.data
    other = unaligned((64, 8))
    other += 1
    second = upload.to_device(other)  # same shape, while `first` is alive
    np.testing.assert_array_equal(np.asarray(first), x)  # its buffer was not reused
    np.testing.assert_array_equal(np.asarray(second), other)
    del first, second
    gc.collect()
    x[...] = 7.0  # the data changed in place between two calls: the next upload sees it
    third = upload.to_device(x)
    assert third.unsafe_buffer_pointer() == buffer.ctypes.data  # the idle buffer, reused
    np.testing.assert_array_equal(np.asarray(third), np.full((64, 8), 7.0, "float32"))


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="the staging copy is for XLA:CPU")
def test_buffers_of_one_shape_are_reused_in_turn(pool):
    arrays = [unaligned((16, 4)) for _ in range(3)]
    held = [upload.to_device(a) for a in arrays]  # three live at once: three buffers
    assert len(pool._entries) == 3
    del held[1:]  # the first stays busy, the other two are idle
    gc.collect()
    for a in arrays[::-1] + arrays:  # each call finds one of the idle two
        np.testing.assert_array_equal(np.asarray(upload.to_device(a)), a)
    assert len(pool._entries) == 3
    np.testing.assert_array_equal(np.asarray(held[0]), arrays[0])


@pytest.mark.skipif(jax.default_backend() != "cpu", reason="the staging copy is for XLA:CPU")
def test_the_pool_keeps_at_most_its_limit_of_idle_buffers(pool):
    for rows in (1000, 2000, 3000, 4000):  # 32 KB per 1000 rows; the limit is 1 MiB
        upload.to_device(unaligned((rows, 8)))
    gc.collect()
    upload.to_device(unaligned((30000, 8)))  # 960 KB: the others must make room
    assert sum(e[1].nbytes for e in pool._entries) <= pool.limit
    upload.to_device(unaligned((40000, 8)))  # above the limit: staged, never pooled
    assert all(e[1].shape != (40000, 8) for e in pool._entries)


def test_fit_and_predict_see_arrays_changed_in_place_between_calls():
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x = unaligned((64, 8))
    before = model.predict(x, batch_size=16, verbose=0)
    x[...] *= 2.0
    np.testing.assert_allclose(model.predict(x, batch_size=16, verbose=0),
                               model.predict(np.array(x), batch_size=16, verbose=0), rtol=1e-6)
    assert not np.allclose(before, model.predict(x, batch_size=16, verbose=0))
    y = np.zeros((64, 1), "float32")
    loss_before = model.evaluate(x, y, batch_size=16, verbose=0)
    x[...] = 0.0
    assert model.evaluate(x, y, batch_size=16, verbose=0) != pytest.approx(loss_before)


@pytest.mark.parametrize("pack", [True, False])
def test_variables_never_share_a_buffer_that_a_later_step_donates(pack, monkeypatch):
    from workbench.trainers import packing

    if not pack:
        monkeypatch.setattr(packing, "PACK_BYTES", 0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(1)])
    model.compile("adam", "mse", metrics=["mae"])
    x = np.random.default_rng(1).normal(size=(32, 4)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    seen = []

    class Reader(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append([np.array(v.value) for v in self.model.variables])

    for _ in range(2):
        model.fit(x, y, batch_size=8, epochs=3, verbose=0, callbacks=[Reader()])
        # Every Variable still reads (a donated buffer raises "Array has been deleted").
        values = [np.asarray(v.value) for v in model.variables + model.optimizer.variables]
        assert all(np.all(np.isfinite(v)) for v in values)
    assert len(seen) == 6 and not np.allclose(seen[0][0], seen[-1][0])
    model.train_on_batch(x, y)
    assert all(np.all(np.isfinite(np.asarray(v.value))) for v in model.variables)


def test_the_variable_lists_are_kept_between_calls_until_the_model_changes():
    from workbench.backend.variables import tracking_generation

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(1)])
    model.compile("adam", "mse", metrics=["mae"])
    x = np.random.default_rng(2).normal(size=(32, 4)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model.fit(x, y, batch_size=8, verbose=0)
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    generation = tracking_generation()
    model.fit(x, y, batch_size=8, epochs=2, verbose=0, validation_split=0.25)
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    assert tracking_generation() == generation  # so fit found its variables in the cache

    frozen = model.layers[0]
    frozen.trainable = False  # the next fit must leave it alone
    model.compile("adam", "mse", metrics=["mae"])  # (as in Keras: compile again after that)
    before = [np.array(w) for w in frozen.get_weights()]
    other = [np.array(w) for w in model.layers[1].get_weights()]
    model.fit(x, y, batch_size=8, verbose=0)
    for a, b in zip(before, frozen.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(other[0], model.layers[1].get_weights()[0])
    frozen.layers_kernel_twin = keras.layers.Dense(2)  # a new attribute holding a layer
    assert tracking_generation() != generation
    model.compile("adam", "mse", metrics=["mse", "mae"])  # new metrics: new logs
    assert set(model.fit(x, y, batch_size=8, verbose=0).history) == {"loss", "mse", "mae"}


def test_fit_sees_layers_added_and_popped_between_calls():
    x = np.random.default_rng(4).normal(size=(32, 4)).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    body = keras.layers.Dense(3)
    body.build((None, 4))  # built elsewhere before it joins: no variable is created on adding
    model = keras.Sequential([keras.Input((4,)), body, keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(x, y, batch_size=8, verbose=0)
    head = model.pop()
    extra = keras.layers.Dense(1)
    extra.build((None, 3))
    model.add(extra)
    # predict needs no compile: it must find the new variables itself.
    np.testing.assert_allclose(model.predict(x, verbose=0), np.asarray(model(x)), rtol=1e-6)
    model.compile("sgd", "mse")
    before = [np.array(w) for w in head.get_weights()]
    extra_before = np.array(extra.get_weights()[0])
    model.fit(x, y, batch_size=8, verbose=0)
    assert len(model.trainable_variables) == 4
    for a, b in zip(before, head.get_weights()):  # the popped layer is not trained any more
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(extra_before, extra.get_weights()[0])  # the added one is


def test_a_process_that_exits_right_after_fit_exits_cleanly():
    """Background work of the first call (the pack/unpack compiles) must not be
    cut off by the interpreter's exit: a daemon thread holding arrays then aborts the process."""
    import os
    import subprocess
    import sys

    code = (
        "import numpy as np, workbench as keras\n"
        "m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2), keras.layers.Dense(1)])\n"
        "m.compile('adam', 'mse')\n"
        "m.fit(np.ones((64, 4), 'float32'), np.ones((64, 1), 'float32'), verbose=0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                            env=dict(os.environ, KERAS_BACKEND="jax"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Check failed" not in result.stderr


def test_shuffled_training_is_the_same_gathered_per_step_or_per_epoch(monkeypatch):
    from workbench.trainers.data import epoch_iterator

    x = np.random.default_rng(5).normal(size=(100, 4)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    results = []
    for limit in (-1, 1 << 30):  # each step gathers its batch; the epoch's data are gathered once
        monkeypatch.setattr(epoch_iterator, "_PERMUTE_BATCH_BYTES", limit)
        keras.utils.set_random_seed(7)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3), keras.layers.Dense(1)])
        model.compile("adam", "binary_crossentropy", metrics=["accuracy"], steps_per_execution=2)
        history = model.fit(x, y, batch_size=16, epochs=3, verbose=0).history
        results.append((history, model.get_weights()))
    (h1, w1), (h2, w2) = results
    for key in h1:
        np.testing.assert_allclose(h1[key], h2[key], rtol=1e-6)
    for a, b in zip(w1, w2):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert not np.allclose(h1["loss"][0], h1["loss"][-1])


@pytest.mark.parametrize("resident", [True, False])
def test_conv_models_on_cpu_run_an_execution_as_single_steps_with_the_same_results(resident, monkeypatch):
    from workbench.trainers import trainer
    from workbench.trainers.data import epoch_iterator

    if not resident:
        monkeypatch.setattr(epoch_iterator, "_resident", lambda adapter: False)
    x = np.random.default_rng(6).normal(size=(40, 6, 6, 1)).astype("float32")
    y = np.random.default_rng(7).integers(0, 3, size=(40,))
    results = []
    for slow in (False, True):  # one scan per execution; single dispatches (as for convs on CPU)
        monkeypatch.setattr(trainer.Trainer, "_scan_is_slow_here", lambda self, slow=slow: slow)
        keras.utils.set_random_seed(1)
        model = keras.Sequential([keras.Input((6, 6, 1)), keras.layers.Conv2D(4, 3), keras.layers.Flatten(),
                                  keras.layers.Dense(3)])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"], steps_per_execution=4)
        ends = []
        callback = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: ends.append(batch))
        history = model.fit(x, y, batch_size=4, epochs=2, shuffle=False, verbose=0, callbacks=[callback])
        history.history["again"] = model.fit(x, y, batch_size=4, shuffle=False, verbose=0).history["loss"]
        results.append((history.history, model.evaluate(x, y, batch_size=4, verbose=0),
                        model.predict(x, batch_size=4, verbose=0), ends))
    (h1, e1, p1, ends1), (h2, e2, p2, ends2) = results
    assert ends1 == ends2 == [3, 7, 9] * 2  # callbacks see executions of 4 steps either way
    for key in h1:
        np.testing.assert_allclose(h1[key], h2[key], rtol=1e-5)
    np.testing.assert_allclose(e1, e2, rtol=1e-5)
    np.testing.assert_allclose(p1, p2, rtol=1e-5, atol=1e-6)
    assert p2.shape == (40, 3)
