"""A custom metric may return one of its Variables from `result()`, as Keras's guide writes it."""

import numpy as np

import workbench as keras
from workbench import ops


class CountCorrect(keras.metrics.Metric):
    def __init__(self, name="correct", **kwargs):
        super().__init__(name=name, **kwargs)
        self.correct = self.add_variable(shape=(), initializer="zeros", name="correct")

    def update_state(self, y_true, y_pred, sample_weight=None):
        hits = ops.cast(ops.argmax(y_pred, axis=-1) == ops.cast(y_true, "int32"), "float32")
        self.correct.assign(self.correct + ops.sum(hits))

    def result(self):
        return self.correct


def test_fit_and_evaluate_report_a_metric_that_returns_its_variable():
    model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(2)])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=[CountCorrect()])
    x = np.array([[1.0, 0.0], [0.0, 1.0]] * 4, dtype="float32")
    y = np.array([0, 1] * 4)
    history = model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert 0 <= history.history["correct"][0] <= 8
    predicted = np.asarray(model.predict(x, verbose=0)).argmax(axis=1)
    result = model.evaluate(x, y, verbose=0, return_dict=True)
    assert result["correct"] == float((predicted == y).sum())
