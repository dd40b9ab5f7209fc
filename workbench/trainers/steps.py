"""The jitted programs of fit / evaluate / predict, in one place.

`state` is the tuple `(trainable, non_trainable, optimizer, metrics)` of lists of arrays (evaluate
drops the optimizer; predict keeps only the two model lists). One call runs `k` steps: a
`lax.scan` over batches stacked along a leading axis, so `steps_per_execution=k` is a single XLA
program. The state argument is donated: XLA updates it in place.
"""

import jax


def _last(logs):
    return jax.tree_util.tree_map(lambda x: x[-1], logs)


class _StepFunction:
    """Runs a stack of `k` batches: `k == 1` is one plain jitted step (no scan, which XLA:CPU
    runs slowly around convolutions); `k > 1` is one jitted `lax.scan` over the k steps."""

    def __init__(self, step):
        def single(state, batches):
            return step(state, jax.tree_util.tree_map(lambda x: x[0], batches))

        def scanned(state, batches):
            def body(carry, batch):
                logs, carry = step(carry, batch)
                return carry, logs

            state, logs = jax.lax.scan(body, state, batches)
            return _last(logs), state

        self._single = jax.jit(single, donate_argnums=0)
        self._scanned = jax.jit(scanned, donate_argnums=0)

    def __call__(self, state, batches):
        count = jax.tree_util.tree_leaves(batches)[0].shape[0]
        return (self._single if count == 1 else self._scanned)(state, batches)

    def _cache_size(self):
        return self._single._cache_size() + self._scanned._cache_size()


def make_train_function(model, jit_compile=True):
    """Returns `train(state, batches) -> (logs, state)` over a stack of batches."""
    if not jit_compile:
        return _eager_loop(model.train_step)
    return _StepFunction(model.train_step)


def make_test_function(model, jit_compile=True):
    """Returns `test(state, batches) -> (logs, state)`; state is `(trainable, non_trainable, metrics)`."""
    if not jit_compile:
        return _eager_loop(model.test_step)
    return _StepFunction(model.test_step)


def make_predict_function(model, jit_compile=True):
    """Returns `predict(state, batches) -> (outputs stacked per step, state)`."""

    def step(state, batch):
        outputs, state = model.predict_step(state, batch)
        return state, outputs

    if not jit_compile:
        def eager(state, batches):
            count = jax.tree_util.tree_leaves(batches)[0].shape[0]
            outputs = []
            for i in range(count):
                state, out = step(state, jax.tree_util.tree_map(lambda x: x[i], batches))
                outputs.append(out)
            return jax.tree_util.tree_map(lambda *xs: jax.numpy.stack(xs), *outputs), state

        return eager

    def single(state, batches):
        state, outputs = step(state, jax.tree_util.tree_map(lambda x: x[0], batches))
        return jax.tree_util.tree_map(lambda o: o[None], outputs), state

    def scanned(state, batches):
        state, outputs = jax.lax.scan(step, state, batches)
        return outputs, state

    single, scanned = jax.jit(single), jax.jit(scanned)

    def run(state, batches):
        count = jax.tree_util.tree_leaves(batches)[0].shape[0]
        return (single if count == 1 else scanned)(state, batches)

    return run


def _eager_loop(step):
    """`run_eagerly=True`: the same steps, op by op in Python, for debugging with print and pdb."""

    def run(state, batches):
        count = jax.tree_util.tree_leaves(batches)[0].shape[0]
        logs = None
        for i in range(count):
            batch = jax.tree_util.tree_map(lambda x: x[i], batches)
            logs, state = step(state, batch)
        return logs, state

    return run
