import jax.numpy as jnp
import pytest

from tests.callbacks.fake_model import FakeModel, run_fit
from workbench.callbacks import CallbackList, TerminateOnNaN


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_stops_training_at_the_first_invalid_loss(bad, capsys):
    model = FakeModel()

    def batch_logs(epoch, step):
        return {"loss": jnp.float32(bad if (epoch, step) == (1, 0) else 0.5)}

    ran = run_fit(CallbackList, [TerminateOnNaN()], model, [{"loss": 0.5}] * 4, steps=2,
                  batch_logs=batch_logs)
    assert model.stop_training and ran == [0, 1]
    assert "Batch 0: Invalid loss, terminating training" in capsys.readouterr().out


def test_finite_losses_and_missing_loss_do_nothing():
    model = FakeModel()
    callback = TerminateOnNaN()
    callback.set_model(model)
    callback.on_train_batch_end(0, {"loss": jnp.float32(1e30)})
    callback.on_train_batch_end(1, {"accuracy": float("nan")})
    callback.on_train_batch_end(2, None)
    assert not model.stop_training


def test_raise_error_raises_instead():
    callback = TerminateOnNaN(raise_error=True)
    callback.set_model(FakeModel())
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 3"):
        callback.on_train_batch_end(3, {"loss": jnp.float32(float("nan"))})


def test_setting_stop_training_needs_no_state_sync():
    model = FakeModel()
    callback = TerminateOnNaN()
    callback.set_model(model)
    callback.on_train_batch_end(0, {"loss": float("nan")})
    assert model.stop_training and model.sync_calls == 0
