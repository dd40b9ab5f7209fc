"""Every optimizer, under many argument sets, matches real Keras step by step."""

import pytest

from tests.optimizers.optimizer_checks import Schedule, run_keras_parity, run_stateless_parity

OPTIMIZERS = [
    "Adam", "AdamW", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl", "Lion",
    "Lamb", "Adafactor",
]
# Arguments of the base class, each run with every optimizer.
COMMON = {
    "defaults": {},
    "weight_decay": {"weight_decay": 0.05},
    "clipnorm": {"clipnorm": 0.5},
    "global_clipnorm": {"global_clipnorm": 0.5},
    "clipvalue": {"clipvalue": 0.1},
    "use_ema": {"use_ema": True, "ema_momentum": 0.9},
    "ema_overwrite": {"use_ema": True, "ema_momentum": 0.8, "ema_overwrite_frequency": 3},
    "accumulation": {"gradient_accumulation_steps": 3},
    "accumulation_ema": {"gradient_accumulation_steps": 2, "use_ema": True, "ema_overwrite_frequency": 2},
    "loss_scale_factor": {"loss_scale_factor": 4.0},
    "schedule": {"learning_rate": Schedule("ExponentialDecay", initial_learning_rate=0.1, decay_steps=3, decay_rate=0.5)},
}
# Arguments of one optimizer.
SPECIFIC = [
    ("Adam", {"amsgrad": True}),
    ("Adam", {"beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3, "learning_rate": 0.1}),
    ("AdamW", {"weight_decay": 0.1, "amsgrad": True}),
    ("SGD", {"momentum": 0.9}),
    ("SGD", {"momentum": 0.9, "nesterov": True}),
    ("SGD", {"momentum": 0.9, "learning_rate": Schedule("PiecewiseConstantDecay", boundaries=[3, 6], values=[0.1, 0.05, 0.01])}),
    ("SGD", {"momentum": 0.5, "nesterov": True, "gradient_accumulation_steps": 2, "weight_decay": 0.1}),
    ("RMSprop", {"centered": True}),
    ("RMSprop", {"momentum": 0.9}),
    ("RMSprop", {"momentum": 0.9, "centered": True, "rho": 0.8}),
    ("RMSprop", {"momentum": 0.5, "learning_rate": Schedule("CosineDecay", initial_learning_rate=0.01, decay_steps=8)}),
    ("Adagrad", {"initial_accumulator_value": 0.0, "learning_rate": 0.1}),
    ("Adagrad", {"initial_accumulator_value": 1.0, "epsilon": 1e-3}),
    ("Adadelta", {"rho": 0.9, "learning_rate": 1.0}),
    ("Adamax", {"beta_1": 0.8, "learning_rate": 0.01}),
    ("Nadam", {"beta_1": 0.8, "learning_rate": 0.01}),
    ("Ftrl", {"learning_rate": 0.1, "l1_regularization_strength": 0.01, "l2_regularization_strength": 0.02}),
    ("Ftrl", {"learning_rate": 0.1, "l2_shrinkage_regularization_strength": 0.05, "beta": 0.5}),
    ("Ftrl", {"learning_rate": 0.1, "learning_rate_power": -0.2, "initial_accumulator_value": 0.5}),
    ("Lion", {"beta_1": 0.95, "beta_2": 0.98, "learning_rate": 0.01}),
    ("Lamb", {"weight_decay": 0.01, "learning_rate": 0.01}),
    ("Adafactor", {"learning_rate": 0.5, "clip_threshold": 0.5}),
    ("Adafactor", {"learning_rate": 0.1, "beta_2_decay": -0.5, "epsilon_2": 0.1, "relative_step": False}),
]
CASES = [(name, kwargs) for name in OPTIMIZERS for kwargs in COMMON.values()] + SPECIFIC
IDS = [f"{name}-{label}" for name in OPTIMIZERS for label in COMMON] + [f"{n}-{k}" for n, k in SPECIFIC]


@pytest.mark.parametrize(("class_name", "kwargs"), CASES, ids=IDS)
def test_ten_steps_match_keras(class_name, kwargs):
    if class_name == "Ftrl":
        # Keras assigns FTRL's new weights; an optax update adds `new - w` to `w`, which rounds
        # differently when the weight shrinks a lot (one float32 ulp of the old weight). Ftrl's
        # `linear` slot sums terms of size |w| * (change of sqrt(accumulator)) / learning_rate
        # (~1e3 here) that cancel, so that ulp shows up there; compare it to its own magnitude.
        run_keras_parity(class_name, kwargs, slot_atol=1e-7)
    else:
        run_keras_parity(class_name, kwargs)


STATELESS = [(name, {}) for name in OPTIMIZERS] + [
    (name, {"use_ema": True, "ema_overwrite_frequency": 2, "gradient_accumulation_steps": 2, "clipnorm": 1.0,
            "weight_decay": 0.01})
    for name in OPTIMIZERS
] + [
    ("Adam", {"amsgrad": True, "learning_rate": Schedule("CosineDecay", initial_learning_rate=0.01, decay_steps=5,
                                                          warmup_target=0.1, warmup_steps=3)}),
    ("SGD", {"momentum": 0.9, "nesterov": True, "global_clipnorm": 1.0}),
    ("RMSprop", {"momentum": 0.9, "centered": True, "clipvalue": 0.2}),
]


@pytest.mark.parametrize(("class_name", "kwargs"), STATELESS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(STATELESS)])
def test_stateless_apply_under_jit_matches_apply_gradients(class_name, kwargs):
    run_stateless_parity(class_name, kwargs)
