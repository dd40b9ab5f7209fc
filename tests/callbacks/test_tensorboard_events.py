import numpy as np
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from tensorboard.compat.proto import event_pb2

import workbench
from workbench.callbacks.event_writer import EventFileWriter, crc32c, encode_event, scalar_value


def read_events(directory):
    """Everything TensorBoard's own reader finds in `directory`, nothing sampled away."""
    accumulator = EventAccumulator(str(directory), size_guidance={
        "compressedHistograms": 0, "images": 0, "audio": 0, "scalars": 0, "histograms": 0, "tensors": 0})
    return accumulator.Reload()


def scalar_values(events, tag):
    return [event.value for event in events.Scalars(tag)]


def test_crc32c_matches_the_castagnoli_check_value():
    assert crc32c(b"123456789") == 0xE3069283


def test_encoded_event_parses_as_tensorboard_event():
    event = event_pb2.Event.FromString(encode_event(1.5, -3, summary_values=[scalar_value("a", 0.5)]))
    assert (event.wall_time, event.step) == (1.5, -3)
    assert [(value.tag, value.simple_value) for value in event.summary.value] == [("a", 0.5)]


def test_event_file_writer_round_trips_scalars_and_histograms(tmp_path):
    writer = EventFileWriter(tmp_path)
    writer.add_scalar("loss", 0.25, step=4)
    writer.add_histogram("weights", np.arange(10.0), step=4)
    writer.close()
    events = read_events(tmp_path)
    assert [(e.step, e.value) for e in events.Scalars("loss")] == [(4, 0.25)]
    (histogram,) = events.Histograms("weights")
    assert (histogram.step, histogram.histogram_value.num, histogram.histogram_value.sum) == (4, 10, 45)
    assert sum(histogram.histogram_value.bucket) == 10


def test_fit_writes_keras_tensorboard_layout_readable_by_tensorboard(tmp_path):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(32, 3)).astype("float32"), rng.normal(size=(32, 1)).astype("float32")
    model = workbench.Sequential([workbench.Input((3,)), workbench.layers.Dense(4), workbench.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    callback = workbench.callbacks.TensorBoard(log_dir=tmp_path, histogram_freq=1)
    history = model.fit(x, y, epochs=3, batch_size=8, validation_data=(x[:8], y[:8]),
                        callbacks=[callback], verbose=0)

    train, validation = read_events(tmp_path / "train"), read_events(tmp_path / "validation")
    np.testing.assert_allclose(scalar_values(train, "epoch_loss"), history.history["loss"], atol=1e-6)
    np.testing.assert_allclose(scalar_values(validation, "epoch_loss"), history.history["val_loss"], atol=1e-6)
    assert [event.step for event in train.Scalars("epoch_loss")] == [0, 1, 2]
    np.testing.assert_allclose(scalar_values(train, "epoch_learning_rate"), [0.01] * 3)
    kernel_tags = [f"{weight.path}/histogram" for weight in model.weights if weight.path.endswith("kernel")]
    assert kernel_tags and set(kernel_tags) <= set(train.Tags()["histograms"])
    for tag in kernel_tags:
        assert [event.step for event in train.Histograms(tag)] == [0, 1, 2]
