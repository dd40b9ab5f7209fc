"""What fit() and predict() cost on top of hand-written JAX loops, and against real Keras.

Four workloads (an MLP 784-256-256-10, a small CNN on 28x28x1, an LSTM(64) on 50x32 sequences,
a tiny MLP 32-32-1), each measured in one run against:
  (a) a hand-written `jax.jit` + optax step, one dispatch per step;
  (b) the same step fused with `lax.scan` over 16 steps;
  (c) real Keras 3 on JAX;
with identical data, architecture and optimizer. Each number is the median of `--repeats` timed
epochs after a warm-up epoch (compilation excluded; the time to the first step is reported
separately, as a median over 5 fresh models); within a repeat every method runs once, in turn, so that noise from the rest of the
machine falls on all of them alike. Run `make bench` or `python benchmarks/fit_overhead.py`; it writes RESULTS.md.
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402

WORKLOADS = {
    "mlp": dict(shape=(784,), classes=10, batch=128, samples=128 * 48),
    "cnn": dict(shape=(28, 28, 1), classes=10, batch=128, samples=128 * 16),
    "lstm": dict(shape=(50, 32), classes=10, batch=64, samples=64 * 16),
    "tiny_mlp": dict(shape=(32,), classes=1, batch=32, samples=32 * 256),
}


def build(lib, name):
    layers = lib.layers
    if name == "mlp":
        body = [layers.Dense(256, activation="relu"), layers.Dense(256, activation="relu"), layers.Dense(10)]
    elif name == "cnn":
        body = [layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(), layers.Conv2D(32, 3, activation="relu"),
                layers.GlobalAveragePooling2D(), layers.Dense(10)]
    elif name == "lstm":
        body = [layers.LSTM(64), layers.Dense(10)]
    else:
        body = [layers.Dense(32, activation="relu"), layers.Dense(1)]
    return lib.Sequential([lib.Input(WORKLOADS[name]["shape"])] + body)


def make_data(name):
    spec = WORKLOADS[name]
    rng = np.random.default_rng(0)
    x = rng.normal(size=(spec["samples"],) + spec["shape"]).astype("float32")
    if spec["classes"] == 1:
        y = rng.normal(size=(spec["samples"], 1)).astype("float32")
    else:
        y = rng.integers(0, spec["classes"], size=(spec["samples"],)).astype("int32")
    return x, y


def loss_for(name):
    return "mse" if WORKLOADS[name]["classes"] == 1 else "sparse_categorical_crossentropy"


def fit_runners(lib, name, x, y, steps_per_execution=1):
    """A freshly compiled model: its time to the first finished step, and warmed-up callables
    for one epoch of fit and one pass of predict."""
    model = build(lib, name)
    model.compile(optimizer=lib.optimizers.Adam(1e-3), loss=loss_for(name),
                  steps_per_execution=steps_per_execution)
    batch = WORKLOADS[name]["batch"]
    start = time.perf_counter()
    model.fit(x[:batch], y[:batch], batch_size=batch, epochs=1, verbose=0, shuffle=False)
    first_step = time.perf_counter() - start

    def epoch():
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0, shuffle=False)

    def predict():
        model.predict(x, batch_size=batch, verbose=0)

    epoch()
    predict()
    return first_step, {"epoch": epoch, "predict": predict}


def first_step_ratio(name, x, y, repeats=5):
    """Median over `repeats` fresh models of fit's time to its first finished step (compile
    included), over the median of (a)'s. One-shot compile times vary by tens of percent here."""
    import workbench

    batch = WORKLOADS[name]["batch"]
    ours, theirs = [], []
    for _ in range(repeats):
        theirs.append(jax_loop_runners(name, x[:batch], y[:batch], kinds=("a",), predict=False)[0])
        model = build(workbench, name)
        model.compile(optimizer=workbench.optimizers.Adam(1e-3), loss=loss_for(name))
        start = time.perf_counter()
        model.fit(x[:batch], y[:batch], batch_size=batch, epochs=1, verbose=0, shuffle=False)
        ours.append(time.perf_counter() - start)
    return statistics.median(ours) / statistics.median(theirs)


def jax_loop_runners(name, x, y, kinds=("a", "b"), predict=True):
    """(a) one jitted step per batch, (b) 16 steps per `lax.scan`, and a jitted apply for
    predict: the time to (a)'s first finished step, and warmed-up callables for one epoch each."""
    import workbench

    model = build(workbench, name)
    optimizer = optax.adam(1e-3)
    batch = WORKLOADS[name]["batch"]
    regression = WORKLOADS[name]["classes"] == 1
    non_trainable = [v.value for v in model.non_trainable_variables]

    def loss_fn(params, xb, yb):
        out, _ = model.stateless_call(params, non_trainable, xb)
        if regression:
            return jnp.mean((out - yb) ** 2)
        return optax.softmax_cross_entropy_with_integer_labels(out, yb).mean()

    def step(carry, batch_data):
        params, opt_state = carry
        loss, grads = jax.value_and_grad(loss_fn)(params, *batch_data)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return (optax.apply_updates(params, updates), opt_state), loss

    single = jax.jit(step, donate_argnums=0)
    fused = jax.jit(lambda carry, batches: jax.lax.scan(step, carry, batches), donate_argnums=0)
    apply = jax.jit(lambda params, xb: model.stateless_call(params, non_trainable, xb)[0])
    steps = len(x) // batch
    xs = jnp.asarray(x[: steps * batch]).reshape((steps, batch) + x.shape[1:])
    ys = jnp.asarray(y[: steps * batch]).reshape((steps, batch) + y.shape[1:])
    batches = [(xs[i], ys[i]) for i in range(steps)]

    def fresh():
        params = [jnp.array(v.value) for v in model.trainable_variables]
        return params, optimizer.init(params)

    start = time.perf_counter()
    carries = {}
    carries["a"], loss = single(fresh(), batches[0])
    loss.block_until_ready()
    first_step = time.perf_counter() - start
    carries["b"] = fresh()

    def run_single():
        carry = carries["a"]
        for b in batches:
            carry, loss = single(carry, b)
        loss.block_until_ready()
        carries["a"] = carry

    def run_fused():
        carry = carries["b"]
        for i in range(0, steps, 16):
            carry, losses = fused(carry, (xs[i:i + 16], ys[i:i + 16]))
        losses.block_until_ready()
        carries["b"] = carry

    params = [v.value for v in model.trainable_variables]

    def run_apply():
        for xb, _ in batches:
            out = apply(params, xb)
        out.block_until_ready()

    runners = {key: runner for key, runner in (("a", run_single), ("b", run_fused)) if key in kinds}
    if predict:
        runners["apply"] = run_apply
    for runner in runners.values():
        runner()
    return first_step, runners


def interleaved(runners, repeats):
    """Median seconds per call of each runner, the runners taking turns within each repeat, so
    that a noisy stretch of the machine hits all of them alike."""
    times = {key: [] for key in runners}
    for _ in range(repeats):
        for key, runner in runners.items():
            start = time.perf_counter()
            runner()
            times[key].append(time.perf_counter() - start)
    return {key: statistics.median(values) for key, values in times.items()}


def import_time(module):
    """Median of 3 fresh processes, after one that writes the bytecode caches (as an installed
    package has them; this workplace sets PYTHONDONTWRITEBYTECODE, which would time compiling)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["KERAS_BACKEND"] = "jax"

    def once():
        return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                    env=env, check=True).stdout.split()[-1])

    once()
    return statistics.median(once() for _ in range(3))


def _rss_bytes(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def measure_memory(name, method):
    """Peak memory that two epochs of `method` add, in this (fresh) process: the device's peak
    bytes on accelerators, the growth of the peak resident set over the start on CPU."""
    x, y = make_data(name)
    batch = WORKLOADS[name]["batch"]
    lib = __import__("keras") if method == "keras" else __import__("workbench")  # imports don't count
    device = jax.devices()[0]
    on_cpu = device.platform == "cpu"
    if on_cpu:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # resets the peak resident set (VmHWM) to the current one
        start = _rss_bytes("VmRSS")
    if method == "a":
        _, runners = jax_loop_runners(name, x, y, kinds=("a",), predict=False)  # one epoch
        runners["a"]()
    else:
        model = build(lib, name)
        model.compile(optimizer=lib.optimizers.Adam(1e-3), loss=loss_for(name))
        model.fit(x, y, batch_size=batch, epochs=2, verbose=0, shuffle=False)
    if on_cpu:
        return _rss_bytes("VmHWM") - start
    return device.memory_stats()["peak_bytes_in_use"]


def peak_memory(name, methods=("a", "fit", "keras")):
    """`measure_memory` for each method, each in a fresh process so peaks don't mix."""
    results = {}
    for method in methods:
        out = subprocess.run([sys.executable, __file__, "--memory", f"{name}:{method}"],
                             capture_output=True, text=True, check=True,
                             env=dict(os.environ, KERAS_BACKEND="jax")).stdout
        results[method] = int(out.split()[-1])
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--skip-keras", action="store_true")
    parser.add_argument("--output", default=os.path.join(os.path.dirname(__file__), "RESULTS.md"))
    parser.add_argument("--memory", help="internal: print the peak memory of `workload:method`")
    args = parser.parse_args()
    if args.memory:
        print(measure_memory(*args.memory.split(":")))
        return
    import workbench

    rows = {}
    for name in args.workloads.split(","):
        x, y = make_data(name)
        samples = (len(x) // WORKLOADS[name]["batch"]) * WORKLOADS[name]["batch"]
        _, runners = jax_loop_runners(name, x, y)
        _, fit = fit_runners(workbench, name, x, y)
        runners.update(fit=fit["epoch"], predict=fit["predict"])
        runners["fit16"] = fit_runners(workbench, name, x, y, steps_per_execution=16)[1]["epoch"]
        runners["auto"] = fit_runners(workbench, name, x, y, steps_per_execution="auto")[1]["epoch"]
        if not args.skip_keras:
            keras_runners = fit_runners(__import__("keras"), name, x, y)[1]
            runners.update(keras=keras_runners["epoch"], keras_predict=keras_runners["predict"])
        median = interleaved(runners, args.repeats)
        memory = peak_memory(name, ("a", "fit") if args.skip_keras else ("a", "fit", "keras"))
        row = {
            "a_samples_per_s": samples / median["a"],
            "b_samples_per_s": samples / median["b"],
            "fit_samples_per_s": samples / median["fit"],
            "fit16_samples_per_s": samples / median["fit16"],
            "fit_auto_samples_per_s": samples / median["auto"],
            "first_step_ratio": first_step_ratio(name, x, y),
            "predict_ratio_vs_apply": median["apply"] / median["predict"],
            "peak_memory_ratio": memory["fit"] / max(memory["a"], 1),
            "peak_memory_fit_mb": memory["fit"] / 2**20,
        }
        if "keras" in memory:
            row["keras_peak_memory_ratio"] = memory["keras"] / max(memory["a"], 1)
        if "keras" in median:
            row["keras_samples_per_s"] = samples / median["keras"]
            row["keras_predict_ratio_vs_apply"] = median["apply"] / median["keras_predict"]
        rows[name] = row
        print(name, json.dumps({k: round(v, 3) for k, v in row.items()}), flush=True)
    imports = {"jax": import_time("jax"), "workbench": import_time("workbench")}
    if not args.skip_keras:
        imports["keras"] = import_time("keras")
    write_results(args.output, rows, imports)


def write_results(path, rows, imports):
    device = jax.devices()[0]
    lines = [
        "# Benchmark results", "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU cores, JAX device `{device.platform}:{device.id}` "
        f"({device.device_kind}); jax {jax.__version__}; measured {time.strftime('%Y-%m-%d')} by "
        "`benchmarks/fit_overhead.py`. Ratios are against (a), the hand-written one-dispatch-per-step "
        "jit loop, and against Keras, all measured in the same run (the machines are noisy).", "",
        "| workload | (a) samples/s | (b) scan-16 / (a) | fit / (a) | fit spe=16 / (a) | fit auto / (a) | "
        "fit / Keras | first step / (a) | predict / jitted apply | Keras predict / apply | "
        "peak memory fit / (a) | Keras peak memory / (a) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, row in rows.items():
        a = row["a_samples_per_s"]
        keras_ratio = f"{row['fit_samples_per_s'] / row['keras_samples_per_s']:.2f}" if "keras_samples_per_s" in row else "-"
        keras_predict = f"{row['keras_predict_ratio_vs_apply']:.2f}" if "keras_predict_ratio_vs_apply" in row else "-"
        lines.append(
            f"| {name} | {a:,.0f} | {row['b_samples_per_s'] / a:.2f} | {row['fit_samples_per_s'] / a:.2f} | "
            f"{row['fit16_samples_per_s'] / a:.2f} | {row['fit_auto_samples_per_s'] / a:.2f} | {keras_ratio} | "
            f"{row['first_step_ratio']:.2f} | {row['predict_ratio_vs_apply']:.2f} | {keras_predict} | "
            f"{row['peak_memory_ratio']:.2f} ({row['peak_memory_fit_mb']:.0f} MB) | "
            f"{row.get('keras_peak_memory_ratio', float('nan')):.2f} |")
    lines += ["", "Import time (median of 3 fresh processes): " + ", ".join(
        f"`import {k}` {v:.2f} s" for k, v in imports.items()), ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
