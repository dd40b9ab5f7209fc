"""fit's own behaviour: fused steps, callbacks seeing live weights, eager mode, custom steps, errors."""

import jax
import numpy as np
import pytest

import workbench as keras


def data(n=64):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, (x.sum(axis=1, keepdims=True) > 0).astype("float32")


def model():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dense(1, activation="sigmoid")])


def test_steps_per_execution_gives_the_same_result_as_single_steps():
    x, y = data()
    first, second = model(), model()
    second.set_weights(first.get_weights())
    first.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    second.compile("sgd", "binary_crossentropy", metrics=["accuracy"], steps_per_execution=3)
    h1 = first.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    h2 = second.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0).history
    for key in h1:
        np.testing.assert_allclose(h1[key], h2[key], rtol=1e-5)


def test_partial_last_batch_compiles_once_for_all_epochs():
    x, y = data(70)
    m = model()
    m.compile("sgd", "binary_crossentropy")
    traces, train_step = [], m.train_step

    def counting_train_step(state, batch):
        traces.append(tree_shapes(batch))  # runs only when jax traces (compiles) the step
        return train_step(state, batch)

    m.train_step = counting_train_step
    m.fit(x, y, batch_size=32, epochs=1, verbose=0)
    assert sorted(traces) == [((6, 4), (6, 1)), ((32, 4), (32, 1))]
    m.fit(x, y, batch_size=32, epochs=3, verbose=0)
    assert len(traces) == 2


def tree_shapes(batch):
    return tuple(tuple(leaf.shape) for leaf in jax.tree_util.tree_leaves(batch))


def test_run_eagerly_matches_jit():
    x, y = data()
    first, second = model(), model()
    second.set_weights(first.get_weights())
    first.compile("adam", "binary_crossentropy")
    second.compile("adam", "binary_crossentropy", run_eagerly=True)
    h1 = first.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0).history
    h2 = second.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0).history
    np.testing.assert_allclose(h1["loss"], h2["loss"], rtol=1e-5)


class WeightSpy(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.kernels = []

    def on_epoch_end(self, epoch, logs=None):
        self.kernels.append(np.array(self.model.layers[0].kernel.numpy()))


def test_callbacks_see_current_weights_each_epoch():
    x, y = data()
    m = model()
    m.compile("sgd", "binary_crossentropy")
    spy = WeightSpy()
    m.fit(x, y, epochs=3, verbose=0, callbacks=[spy])
    assert len(spy.kernels) == 3
    assert not np.allclose(spy.kernels[0], spy.kernels[1])
    np.testing.assert_allclose(spy.kernels[-1], m.layers[0].kernel.numpy())


class LrDrop(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        self.model.optimizer.learning_rate = 0.0


def test_a_callback_that_sets_the_learning_rate_is_seen_by_the_next_steps():
    x, y = data()
    m = model()
    m.compile(keras.optimizers.SGD(0.1), "binary_crossentropy")
    m.fit(x, y, epochs=1, verbose=0, callbacks=[LrDrop()])
    frozen = m.get_weights()
    m.fit(x, y, epochs=2, verbose=0)
    for a, b in zip(frozen, m.get_weights()):
        np.testing.assert_allclose(a, b)


def test_learning_rate_scheduler_drives_the_steps_from_the_first_epoch():
    x, y = data()
    m = model()
    m.compile(keras.optimizers.SGD(0.1), "binary_crossentropy")
    before = m.get_weights()
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch, lr: 0.0 if epoch < 2 else 0.05)
    history = m.fit(x, y, epochs=3, verbose=0, callbacks=[schedule]).history
    np.testing.assert_allclose(history["learning_rate"], [0.0, 0.0, 0.05])
    # The loss is flat while the rate is zero, and the weights move only in the third epoch.
    np.testing.assert_allclose(history["loss"][0], history["loss"][1], rtol=1e-6)
    assert not all(np.allclose(a, b) for a, b in zip(before, m.get_weights()))


def test_metrics_restart_each_epoch_even_when_a_callback_reads_the_model():
    x, y = data()
    m = model()
    m.compile(keras.optimizers.SGD(0.0), "binary_crossentropy", metrics=["accuracy"])
    spy = WeightSpy()
    history = m.fit(x, y, epochs=3, verbose=0, shuffle=False, callbacks=[spy]).history
    # With a zero learning rate every epoch sees the same model, so the same metric values.
    np.testing.assert_allclose(history["loss"], [history["loss"][0]] * 3, rtol=1e-6)
    np.testing.assert_allclose(history["accuracy"], [history["accuracy"][0]] * 3)


def test_early_stopping_stops_training():
    x, y = data()
    m = model()
    m.compile(keras.optimizers.SGD(0.0), "binary_crossentropy")
    history = m.fit(x, y, epochs=20, verbose=0, shuffle=False,
                    callbacks=[keras.callbacks.EarlyStopping(monitor="loss", patience=2)])
    assert len(history.history["loss"]) == 3


class CustomStep(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)
        self.calls = 0

    def call(self, x):
        return self.dense(x)

    def train_step(self, state, data):
        self.calls += 1  # traced once, not per step
        trainable, non_trainable, optimizer_variables, metrics_variables = state
        x, y = data

        def loss_fn(trainable):
            y_pred, _ = self.stateless_call(trainable, non_trainable, x)
            return keras.ops.mean(keras.ops.square(y_pred - y))

        loss, grads = jax.value_and_grad(loss_fn)(trainable)
        trainable, optimizer_variables = self.optimizer.stateless_apply(optimizer_variables, grads, trainable)
        return {"custom_loss": loss}, (trainable, non_trainable, optimizer_variables, metrics_variables)


def test_custom_train_step_the_jax_way():
    x, y = data()
    m = CustomStep()
    m.compile(optimizer=keras.optimizers.Adam(0.05))
    history = m.fit(x, y, epochs=5, batch_size=16, verbose=0, shuffle=False)
    assert list(history.history) == ["custom_loss"]
    assert history.history["custom_loss"][-1] < history.history["custom_loss"][0]
    assert m.calls <= 2


def test_fit_before_compile_explains_what_to_do():
    x, y = data()
    with pytest.raises(ValueError, match="compile"):
        model().fit(x, y, verbose=0)


def test_mismatched_sample_counts_are_reported():
    x, y = data()
    m = model()
    m.compile("sgd", "mse")
    with pytest.raises(ValueError, match="cardinality"):
        m.fit(x, y[:10], verbose=0)


def test_generator_and_pydataset_inputs():
    x, y = data()

    def generator():
        for i in range(0, 64, 16):
            yield x[i:i + 16], y[i:i + 16]

    m = model()
    m.compile("adam", "binary_crossentropy")
    history = m.fit(generator(), epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1
    assert m.predict(x, verbose=0).shape == (64, 1)


def test_train_test_predict_on_batch():
    x, y = data()
    m = model()
    m.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    logs = m.train_on_batch(x, y, return_dict=True)
    assert set(logs) == {"loss", "accuracy"}
    assert len(m.test_on_batch(x, y)) == 2
    assert m.predict_on_batch(x).shape == (64, 1)


def test_arrays_too_big_for_the_device_train_the_same_from_the_host(monkeypatch):
    from workbench.trainers.data import epoch_iterator

    x, y = data(70)
    resident, streamed = model(), model()
    streamed.set_weights(resident.get_weights())
    for m in (resident, streamed):
        m.compile("adam", "binary_crossentropy", metrics=["accuracy"], steps_per_execution=2)
    h1 = resident.fit(x, y, batch_size=16, epochs=2, shuffle=False, validation_split=0.2, verbose=0)
    monkeypatch.setattr(epoch_iterator, "_CPU_RESIDENT_BYTES", 0)
    assert is_resident(x, y) is False
    h2 = streamed.fit(x, y, batch_size=16, epochs=2, shuffle=False, validation_split=0.2, verbose=0)
    for key in h1.history:
        np.testing.assert_allclose(h1.history[key], h2.history[key], rtol=1e-5)
    np.testing.assert_allclose(resident.predict(x, verbose=0), streamed.predict(x, verbose=0), rtol=1e-5)


def is_resident(x, y):
    from workbench.trainers.data import EpochIterator, get_data_adapter

    return EpochIterator(get_data_adapter(x, y, batch_size=16))._data is not None


@pytest.mark.parametrize("whole_epoch", [False, True])
def test_in_memory_arrays_stay_on_the_device_and_shuffle_every_epoch(whole_epoch, monkeypatch):
    from workbench.trainers.data import EpochIterator, epoch_iterator, get_data_adapter
    from workbench.trainers.data.epoch_iterator import DeviceBatches

    # Small batches of shuffled data are gathered once per epoch on CPU, big ones per step.
    monkeypatch.setattr(epoch_iterator, "_PERMUTE_BATCH_BYTES", 1 << 30 if whole_epoch else -1)
    x, y = data(70)
    assert is_resident(x, y)
    iterator = EpochIterator(get_data_adapter(x, y, batch_size=16, shuffle=True), None, 2)
    epochs = []
    for _ in range(2):
        executions = list(iterator)
        assert all(isinstance(batches, DeviceBatches) for _, _, batches in executions)
        assert [(first, last) for first, last, _ in executions] == [(0, 1), (2, 3), (4, 4)]
        blocks = {id(b.cursor): np.asarray(b.cursor.block) for _, _, b in executions}
        order = np.concatenate([block.reshape(-1) for block in blocks.values()])
        assert sorted(order.tolist()) == list(range(70))  # every sample once per epoch
        rows = np.asarray(executions[0][2].data[0])[order]  # the samples in the order the steps read them
        assert all(b.contiguous == whole_epoch for _, _, b in executions)
        assert sorted(map(tuple, rows.tolist())) == sorted(map(tuple, x.tolist()))
        epochs.append(rows)
    assert not np.array_equal(epochs[0], epochs[1])
    strings = get_data_adapter(np.array(["a", "b"] * 8), np.ones(16), batch_size=4)
    assert EpochIterator(strings)._data is None  # strings stay on the host


def test_pandas_dataframes_and_series_train_like_their_arrays():
    pandas = pytest.importorskip("pandas")
    x, y = data()
    frames, arrays = model(), model()
    arrays.set_weights(frames.get_weights())
    for m in (frames, arrays):
        m.compile("adam", "binary_crossentropy")
    frame = pandas.DataFrame(x.astype("float64"), columns=list("abcd"))
    series = pandas.Series(y[:, 0])
    h1 = frames.fit(frame, series, batch_size=16, epochs=2, shuffle=False, verbose=0).history
    h2 = arrays.fit(x, y[:, 0], batch_size=16, epochs=2, shuffle=False, verbose=0).history
    np.testing.assert_allclose(h1["loss"], h2["loss"], rtol=1e-5)
    np.testing.assert_allclose(frames.predict(frame, verbose=0), arrays.predict(x, verbose=0), rtol=1e-5)


def test_state_packer_round_trips_mixed_dtypes_and_scalars():
    from workbench.trainers.packing import StatePacker

    state = ([np.ones((3, 2), "float32"), np.arange(4, dtype="float32")], [],
             [np.int32(7), np.zeros((2,), "int32")], [np.float32(2.5)])
    state = jax.tree_util.tree_map(jax.numpy.asarray, state)
    packer = StatePacker(state)
    buffers = packer.pack(state)
    assert sorted((b.dtype.name, b.shape) for b in buffers) == [("float32", (11,)), ("int32", (3,))]
    restored = packer.unpack(buffers)
    assert jax.tree_util.tree_structure(restored) == jax.tree_util.tree_structure(state)
    for a, b in zip(jax.tree_util.tree_leaves(state), jax.tree_util.tree_leaves(restored)):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


def test_a_packed_small_state_trains_exactly_like_the_unpacked_one(monkeypatch):
    from workbench.trainers import packing

    x, y = data()
    packed, unpacked = model(), model()
    unpacked.set_weights(packed.get_weights())
    for m in (packed, unpacked):
        m.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    h1 = packed.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0).history
    assert packing.StatePacker.worthwhile(packed._state("train"))
    monkeypatch.setattr(packing, "PACK_BYTES", 0)
    h2 = unpacked.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0).history
    for key in h1:
        np.testing.assert_allclose(h1[key], h2[key], rtol=1e-6)
    for a, b in zip(packed.get_weights(), unpacked.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    for a, b in zip(packed.optimizer.variables, unpacked.optimizer.variables):
        np.testing.assert_allclose(np.asarray(a.value), np.asarray(b.value), rtol=1e-6)


class BatchCounter(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.batches = []

    def on_predict_batch_end(self, batch, logs=None):
        self.batches.append(batch)


def test_predict_fuses_steps_only_when_no_callback_watches_the_batches(monkeypatch):
    from workbench.trainers import steps

    calls, call = [], steps._StepFunction.__call__

    def counting_call(self, state, batches, functions=None):
        calls.append(batches)
        return call(self, state, batches, functions)

    monkeypatch.setattr(steps._StepFunction, "__call__", counting_call)
    x, _ = data(70)
    m = model()
    counter = BatchCounter()
    watched = m.predict(x, batch_size=8, verbose=0, callbacks=[counter])
    assert counter.batches == list(range(9)) and len(calls) == 9  # one dispatch per batch
    calls.clear()
    unwatched = m.predict(x, batch_size=8, verbose=0)
    assert len(calls) == 2  # the 8 full batches in one scan, then the partial one
    np.testing.assert_allclose(watched, unwatched, rtol=1e-6)
    assert watched.shape == (70, 1)
