"""`make lab` (until the notebooks land): train a small MLP on the bundled digits and report accuracy.

It uses only the foundation: a Sequential model, `stateless_call` inside `jax.jit`, and optax.
Run it with `python -m workbench.demo`.
"""

import time

import jax
import jax.numpy as jnp
import numpy as np
import optax

import workbench as keras


def build_model():
    return keras.Sequential([
        keras.Input(shape=(64,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10),
    ], name="digits_mlp")


def main(epochs=30, batch_size=64, seed=0):
    keras.utils.set_random_seed(seed)
    (x_train, y_train), (x_test, y_test) = keras.datasets.digits.load_data()
    x_train = x_train.reshape(-1, 64).astype("float32") / 16.0
    x_test = x_test.reshape(-1, 64).astype("float32") / 16.0
    model = build_model()
    model.summary()

    optimizer = optax.adam(1e-2)
    trainable = [v.value for v in model.trainable_variables]
    non_trainable = [v.value for v in model.non_trainable_variables]
    opt_state = optimizer.init(trainable)

    def loss_fn(trainable, non_trainable, x, y):
        logits, non_trainable = model.stateless_call(trainable, non_trainable, x, training=True)
        loss = optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()
        return loss, non_trainable

    @jax.jit
    def train_step(trainable, non_trainable, opt_state, x, y):
        (loss, non_trainable), grads = jax.value_and_grad(loss_fn, has_aux=True)(trainable, non_trainable, x, y)
        updates, opt_state = optimizer.update(grads, opt_state, trainable)
        return optax.apply_updates(trainable, updates), non_trainable, opt_state, loss

    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    steps = len(x_train) // batch_size
    for epoch in range(epochs):
        order = rng.permutation(len(x_train))
        for step in range(steps):
            index = order[step * batch_size:(step + 1) * batch_size]
            trainable, non_trainable, opt_state, loss = train_step(
                trainable, non_trainable, opt_state, x_train[index], y_train[index].astype("int32"))
        if epoch % 10 == 9 or epoch == epochs - 1:
            print(f"epoch {epoch + 1:3d}  loss {float(loss):.4f}")
    for variable, value in zip(model.trainable_variables, trainable):
        variable.assign(value)
    predictions = np.asarray(jnp.argmax(model(x_test), axis=-1))
    accuracy = float((predictions == y_test).mean())
    print(f"test accuracy {accuracy:.3f} after {epochs} epochs in {time.perf_counter() - start:.1f}s")
    return accuracy


if __name__ == "__main__":
    main()
