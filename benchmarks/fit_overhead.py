"""What fit() costs on top of a hand-written `jax.jit` loop, and against real Keras, side by side.

The workload is the small MLP on the bundled digits (upsampled to enough steps to time). Each
contender runs the same number of optimizer steps with the same batch size; the first epoch of
each (compilation) is excluded. Run: `python benchmarks/fit_overhead.py [--steps-per-execution N]`.
"""

import argparse
import json
import os
import time

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402


def data(repeats=8):
    import workbench

    (x, y), _ = workbench.datasets.digits.load_data(test_split=0.0)
    x = np.tile(x.reshape(-1, 64).astype("float32") / 16.0, (repeats, 1))
    y = np.tile(y.astype("int32"), repeats)
    return x, y


def build(lib):
    return lib.Sequential([lib.Input((64,)), lib.layers.Dense(128, activation="relu"),
                           lib.layers.Dense(128, activation="relu"), lib.layers.Dense(10)])


def time_fit(lib, x, y, batch_size, epochs, steps_per_execution):
    model = build(lib)
    model.compile(optimizer=lib.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], steps_per_execution=steps_per_execution)
    model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0, shuffle=False)  # compile
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0, shuffle=False)
    return time.perf_counter() - start


def time_jit_loop(x, y, batch_size, epochs):
    """The floor: a hand-written jitted step over pre-sliced device batches, one host call per step."""
    import workbench

    model = build(workbench)
    optimizer = optax.adam(1e-3)
    params = [v.value for v in model.trainable_variables]
    opt_state = optimizer.init(params)

    def loss_fn(params, xb, yb):
        logits, _ = model.stateless_call(params, [], xb)
        return optax.softmax_cross_entropy_with_integer_labels(logits, yb).mean()

    @jax.jit
    def step(params, opt_state, xb, yb):
        loss, grads = jax.value_and_grad(loss_fn)(params, xb, yb)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss

    steps = len(x) // batch_size
    batches = [(jnp.asarray(x[i * batch_size:(i + 1) * batch_size]), jnp.asarray(y[i * batch_size:(i + 1) * batch_size]))
               for i in range(steps)]
    params, opt_state, loss = step(params, opt_state, *batches[0])
    loss.block_until_ready()
    start = time.perf_counter()
    for _ in range(epochs):
        for xb, yb in batches:
            params, opt_state, loss = step(params, opt_state, xb, yb)
    loss.block_until_ready()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--steps-per-execution", type=int, default=1)
    parser.add_argument("--skip-keras", action="store_true")
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args()
    x, y = data()
    steps = args.epochs * (len(x) // args.batch_size)
    import workbench

    results = {"device": str(jax.devices()[0]), "steps": steps, "batch_size": args.batch_size}
    results["jit_loop_s"] = time_jit_loop(x, y, args.batch_size, args.epochs)
    results["workbench_fit_s"] = time_fit(workbench, x, y, args.batch_size, args.epochs, 1)
    if args.steps_per_execution > 1:
        results[f"workbench_fit_spe{args.steps_per_execution}_s"] = time_fit(
            workbench, x, y, args.batch_size, args.epochs, args.steps_per_execution)
    if not args.skip_keras:
        import keras

        results["keras_fit_s"] = time_fit(keras, x, y, args.batch_size, args.epochs, 1)
    for key in [k for k in results if k.endswith("_s")]:
        results[key.replace("_s", "_us_per_step")] = round(1e6 * results[key] / steps, 1)
    results["fit_over_jit_loop"] = round(results["workbench_fit_s"] / results["jit_loop_s"], 3)
    if "keras_fit_s" in results:
        results["fit_over_keras"] = round(results["workbench_fit_s"] / results["keras_fit_s"], 3)
    print(json.dumps(results, indent=2))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
