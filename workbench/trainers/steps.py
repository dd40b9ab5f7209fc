"""The jitted programs of fit / evaluate / predict, in one place.

`state` is the tuple `(trainable, non_trainable, optimizer, metrics)` of lists of arrays (evaluate
drops the optimizer; predict keeps only the two model lists). One call runs `k` steps: a
`lax.scan` over batches stacked along a leading axis, so `steps_per_execution=k` is a single XLA
program. The state argument is donated: XLA updates it in place.
"""

import jax


def _last(logs):
    return jax.tree_util.tree_map(lambda x: x[-1], logs)


def make_train_function(model, jit_compile=True):
    """Returns `train(state, batches) -> (logs, state)` over a stack of batches."""

    def scanned(state, batches):
        def body(carry, batch):
            logs, carry = model.train_step(carry, batch)
            return carry, logs

        state, logs = jax.lax.scan(body, state, batches)
        return _last(logs), state

    if not jit_compile:
        return _eager_loop(model.train_step)
    return jax.jit(scanned, donate_argnums=0)


def make_test_function(model, jit_compile=True):
    """Returns `test(state, batches) -> (logs, state)`; state is `(trainable, non_trainable, metrics)`."""

    def scanned(state, batches):
        def body(carry, batch):
            logs, carry = model.test_step(carry, batch)
            return carry, logs

        state, logs = jax.lax.scan(body, state, batches)
        return _last(logs), state

    if not jit_compile:
        return _eager_loop(model.test_step)
    return jax.jit(scanned, donate_argnums=0)


def make_predict_function(model, jit_compile=True):
    """Returns `predict(state, batches) -> (outputs stacked per step, state)`."""

    def scanned(state, batches):
        def body(carry, batch):
            outputs, carry = model.predict_step(carry, batch)
            return carry, outputs

        state, outputs = jax.lax.scan(body, state, batches)
        return outputs, state

    if not jit_compile:
        def eager(state, batches):
            count = jax.tree_util.tree_leaves(batches)[0].shape[0]
            outputs = []
            for i in range(count):
                batch = jax.tree_util.tree_map(lambda x: x[i], batches)
                out, state = model.predict_step(state, batch)
                outputs.append(out)
            return jax.tree_util.tree_map(lambda *xs: jax.numpy.stack(xs), *outputs), state

        return eager
    return jax.jit(scanned)


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
