"""Configs, `serialize` / `deserialize` / `get`, and the public names and signatures of
`workbench.losses`, each compared with real Keras 3."""

import inspect
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax.numpy as jnp
import pytest

import workbench.losses as losses
from tests.losses.loss_cases import CASES, assert_close, keras_oracle, make_data, to_arrays
from workbench.losses.losses import LossFunctionWrapper
from workbench.saving import object_registration

CONFIG_CASES = [(name, kwargs) for name, kwargs, _ in CASES] + [
    ("MeanSquaredError", {"name": "custom", "reduction": "sum"}),
    ("MeanSquaredError", {"reduction": None}),
    ("BinaryCrossentropy", {"reduction": "mean_with_sample_weight", "dtype": "float16"}),
    ("SparseCategoricalCrossentropy", {"axis": 1, "name": "scce"}),
    ("Loss", {"name": "base"}),
]
CONFIG_IDS = [f"{name}-{kwargs}" for name, kwargs in CONFIG_CASES]


def as_json(config):
    """The config as a file holds it (tuples become lists)."""
    return json.loads(json.dumps(config))


def _public(module):
    return {name for name in dir(module) if not name.startswith("_")}


@pytest.mark.parametrize("name,kwargs", CONFIG_CASES, ids=CONFIG_IDS)
def test_config_and_serialization_equal_keras(name, kwargs):
    keras = keras_oracle()
    ours = getattr(losses, name)(**kwargs)
    theirs = getattr(keras.losses, name)(**kwargs)
    assert ours.get_config() == theirs.get_config()
    assert as_json(losses.serialize(ours)) == as_json(keras.losses.serialize(theirs))


@pytest.mark.parametrize("name,kwargs", CONFIG_CASES, ids=CONFIG_IDS)
def test_from_config_and_deserialize_round_trip(name, kwargs):
    keras = keras_oracle()
    ours = getattr(losses, name)(**kwargs)
    revived = type(ours).from_config(ours.get_config())
    assert type(revived) is type(ours) and revived.get_config() == ours.get_config()
    from_keras = losses.deserialize(keras.losses.serialize(getattr(keras.losses, name)(**kwargs)))
    assert type(from_keras) is type(ours) and from_keras.get_config() == ours.get_config()
    from_file = losses.deserialize(as_json(losses.serialize(ours)))
    assert as_json(from_file.get_config()) == as_json(ours.get_config())


def test_config_omits_what_keras_omits():
    # Keras leaves these arguments out of the config; a revived loss uses the defaults.
    assert "delta" not in losses.Huber(delta=2.0).get_config()
    assert "axis" not in losses.CosineSimilarity(axis=0).get_config()
    assert "axis" not in losses.SparseCategoricalCrossentropy(axis=0).get_config()


FUNCTIONS = sorted(
    name
    for name in _public(keras_oracle().losses)
    if inspect.isfunction(getattr(keras_oracle().losses, name))
    and name not in ("get", "serialize", "deserialize")
)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_functions_serialize_like_keras_and_come_back(function):
    keras = keras_oracle()
    config = losses.serialize(getattr(losses, function))
    assert config == keras.losses.serialize(getattr(keras.losses, function))
    assert losses.deserialize(config) is getattr(losses, function)
    assert losses.get(config) is getattr(losses, function)


def test_function_wrapper_config_and_serialization_equal_keras():
    from keras.src.losses.losses import LossFunctionWrapper as KerasWrapper

    keras = keras_oracle()
    ours = LossFunctionWrapper(losses.huber, name="wrapped", reduction="sum", delta=2.0)
    theirs = KerasWrapper(keras.losses.huber, name="wrapped", reduction="sum", delta=2.0)
    assert ours.get_config() == theirs.get_config()
    assert losses.serialize(ours) == keras.losses.serialize(theirs)
    for config in (losses.serialize(ours), keras.losses.serialize(theirs)):
        revived = losses.deserialize(config)
        assert type(revived) is LossFunctionWrapper and revived.fn is losses.huber
        assert revived.name == "wrapped" and revived._fn_kwargs == {"delta": 2.0}
    y_true, y_pred = make_data("real")
    assert_close(revived(*to_arrays(y_true, y_pred)), theirs(*to_arrays(y_true, y_pred)))
    assert repr(ours).startswith("<LossFunctionWrapper(<function huber")


def test_a_wrapper_named_like_a_loss_function_keeps_its_name():
    revived = LossFunctionWrapper.from_config(
        LossFunctionWrapper(losses.huber, name="mse").get_config()
    )
    assert revived.name == "mse" and revived.fn is losses.huber


def test_registered_custom_function_serializes_like_keras():
    keras = keras_oracle()

    def scaled_error(y_true, y_pred):
        return jnp.mean(3.0 * jnp.abs(y_true - y_pred), axis=-1)

    ours = object_registration.register_keras_serializable("loss_tests")(scaled_error)
    theirs = keras.saving.register_keras_serializable("loss_tests")(
        lambda y_true, y_pred: y_true
    )  # only its registered name matters here
    theirs.__name__ = "scaled_error"
    try:
        config = losses.serialize(ours)
        assert config["config"] == "loss_tests>scaled_error"
        assert losses.deserialize(config) is ours
        assert losses.get("loss_tests>scaled_error") is ours
        wrapper = LossFunctionWrapper(ours, name="scaled")
        assert LossFunctionWrapper.from_config(wrapper.get_config()).fn is ours
    finally:
        object_registration.GLOBAL_CUSTOM_OBJECTS.pop("loss_tests>scaled_error", None)
        object_registration.GLOBAL_CUSTOM_NAMES.pop(ours, None)


def test_get_resolves_every_keras_name():
    from keras.src.losses import ALL_OBJECTS_DICT as KERAS_NAMES

    for name, keras_object in KERAS_NAMES.items():
        if name == "LossFunctionWrapper":
            continue  # it needs `fn`, so `get` cannot build it (nor can Keras)
        found = losses.get(name)
        if inspect.isfunction(keras_object):
            assert found.__name__ == keras_object.__name__, name
        else:
            assert type(found).__name__ == keras_object.__name__, name


def test_get_accepts_aliases_instances_classes_configs_and_callables():
    assert losses.get(None) is None
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("MAE") is losses.mean_absolute_error
    assert losses.get("bce") is losses.binary_crossentropy
    assert losses.get("logcosh") is losses.log_cosh
    assert isinstance(
        losses.get("CategoricalGeneralizedCrossEntropy"), losses.CategoricalGeneralizedCrossEntropy
    )
    assert isinstance(losses.get(losses.Huber), losses.Huber)
    instance = losses.Poisson()
    assert losses.get(instance) is instance
    config = {"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}}
    assert losses.get(config).from_logits is True
    custom = lambda y_true, y_pred: y_pred  # noqa: E731
    assert losses.get(custom) is custom


def test_get_rejects_unknown_identifiers():
    with pytest.raises(ValueError, match=r"Unknown loss: 'mean_sqared_error'.*'mse'"):
        losses.get("mean_sqared_error")
    with pytest.raises(ValueError, match="Could not interpret loss identifier: 5"):
        losses.get(5)
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get({"class_name": "NoSuchLoss", "config": {}})


def test_namespace_has_every_keras_name():
    keras = keras_oracle()
    missing = _public(keras.losses) - _public(losses)
    assert not missing, f"workbench.losses lacks {sorted(missing)}"


def _parameters(obj):
    target = obj.__init__ if inspect.isclass(obj) else obj
    return [
        (p.name, p.default)
        for p in inspect.signature(target).parameters.values()
        if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL) and p.name != "self"
    ]


@pytest.mark.parametrize("name", sorted(_public(keras_oracle().losses)))
def test_signature_matches_keras(name):
    keras = keras_oracle()
    ours, theirs = getattr(losses, name), getattr(keras.losses, name)
    assert _parameters(ours) == _parameters(theirs)
