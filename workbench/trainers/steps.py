"""The jitted programs of fit / evaluate / predict, in one place.

`state` is the tuple `(trainable, non_trainable, optimizer, metrics)` of lists of arrays (evaluate
drops the optimizer; predict keeps only the two model lists). One call runs `k` steps, given
either as batches stacked along a leading axis or as `DeviceBatches` (sample indices into arrays
that stay on the device; the step slices or gathers its batch itself). `k == 1` is one plain
jitted step; `k > 1` is one `lax.scan`, so `steps_per_execution=k` is a single XLA program,
except where scan is slow (convolutions on XLA:CPU: `DeviceBatches.per_step`), where it is k
single dispatches. The state argument is donated: XLA updates it in place.
"""

import functools
import threading

import jax
import jax.numpy as jnp

from workbench.trainers.data.epoch_iterator import DeviceBatches
from workbench.trainers.packing import StatePacker


def _gather(data, index):
    return jax.tree_util.tree_map(lambda array: array[index], data)


def _take(data, index, contiguous):
    """The batch of samples `index` (a vector) from the resident arrays. Consecutive indices
    (unshuffled data) are one slice: XLA:CPU runs a gather on its thread pool, which cost the
    tiny MLP of `benchmarks/` about 15 µs a step in thread hand-offs, a third of the step."""
    if contiguous:
        return jax.tree_util.tree_map(
            lambda array: jax.lax.dynamic_slice_in_dim(array, index[0], index.shape[0]), data)
    return _gather(data, index)


def _last(outputs):
    return jax.tree_util.tree_map(lambda x: x[-1], outputs)


def _first_step(outputs):
    return jax.tree_util.tree_map(lambda x: x[None], outputs)


class _StepFunction:
    """Runs `step(state, batch) -> (state, outputs)` over one execution of `k` batches and returns
    `(outputs, state)`: the last step's outputs (the logs of fit and evaluate), or with
    `keep_all=True` every step's, stacked along a leading axis (predict)."""

    def __init__(self, step, keep_all=False, donate=True):
        def single(state, batches):
            state, outputs = step(state, jax.tree_util.tree_map(lambda x: x[0], batches))
            return (_first_step(outputs) if keep_all else outputs), state

        def scanned(state, batches):
            state, outputs = jax.lax.scan(step, state, batches)
            return (outputs if keep_all else _last(outputs)), state

        def single_gathered(state, data, block, position, contiguous):
            batch = jax.tree_util.tree_map(lambda x: x[None], _take(data, block[position, 0], contiguous))
            return *single(state, batch), position + 1

        def scanned_gathered(state, data, block, position, contiguous):
            def body(carry, index):
                return step(carry, _take(data, index, contiguous))

            state, outputs = jax.lax.scan(body, state, block[position])
            return (outputs if keep_all else _last(outputs)), state, position + 1

        self._donate_argnums = (0,) if donate else ()
        self._keep_all = keep_all
        # By (gathered, scanned, contiguous): see `__call__`.
        self._plain = {(False, False, False): single, (False, True, False): scanned}
        for scanned_form, function in ((False, single_gathered), (True, scanned_gathered)):
            for contiguous in (False, True):
                self._plain[True, scanned_form, contiguous] = functools.partial(function, contiguous=contiguous)
        self._functions = {form: jax.jit(function, donate_argnums=self._donate_argnums)
                           for form, function in self._plain.items()}
        self._packed = {}

    def __call__(self, state, batches, functions=None):
        functions = self._functions if functions is None else functions
        if isinstance(batches, DeviceBatches):
            cursor = batches.cursor
            if batches.per_step:
                function, every = functions[True, False, batches.contiguous], []
                for _ in range(batches.steps):
                    outputs, state, cursor.position = function(state, batches.data, cursor.block,
                                                               cursor.position)
                    every.append(outputs)
                if self._keep_all:  # predict: the outputs of every step, as a scan gives them
                    outputs = jax.tree_util.tree_map(lambda *xs: jnp.concatenate(xs), *every)
                return outputs, state
            outputs, state, cursor.position = functions[True, batches.steps > 1, batches.contiguous](
                state, batches.data, cursor.block, cursor.position)
            return outputs, state
        count = jax.tree_util.tree_leaves(batches)[0].shape[0]
        return functions[False, count > 1, False](state, batches)

    def run(self, state, executions):
        """Runs every execution in turn, on a copy of `state` (left as it is); returns the last
        execution's outputs (None if there was none) and the new state, as fresh arrays. A small
        state travels packed between single steps (see packing.py); around a scan of several,
        XLA:CPU ran the unpacking and packing on its thread pool, which cost more than it saved."""
        single = getattr(executions, "steps_per_execution", 1) == 1 or not getattr(executions, "scan", True)
        packing = self._packing(state) if single and StatePacker.worthwhile(state) else None
        if packing is None:
            functions, carried = self._functions, copy_arrays(state)
        else:
            functions, pack_functions = packing
            pack, unpack = pack_functions.pack, pack_functions.unpack
            carried = pack(state)
        outputs = None
        for batches, count in _runs(executions):
            if isinstance(batches, DeviceBatches):
                # The hot loop of fit on resident data: nothing but the dispatches.
                scanned = batches.steps > 1 and not batches.per_step
                function = functions[True, scanned, batches.contiguous]
                data, block, position = batches.data, batches.cursor.block, batches.cursor.position
                for _ in range(count * (batches.steps if batches.per_step else 1)):
                    outputs, carried, position = function(carried, data, block, position)
                batches.cursor.position = position
            else:
                outputs, carried = self(carried, batches, functions)
        if packing is not None:
            carried = unpack(carried)
            packing[1].compile_in_background()  # after this call's steps, not alongside them
        return outputs, carried

    def _packing(self, state):
        """The step functions on packed state, and pack and unpack functions, for `state`'s layout."""
        packer = StatePacker(state)
        if packer.key not in self._packed:
            def packed(function):
                def run(buffers, *args):
                    outputs, state, *rest = function(packer.unpack(buffers), *args)
                    return (outputs, packer.pack(state), *rest)
                return jax.jit(run, donate_argnums=self._donate_argnums)

            functions = {form: packed(function) for form, function in self._plain.items()}
            self._packed = {packer.key: (functions, _PackFunctions(packer, state))}  # one layout at a time
        return self._packed[packer.key]


class _PackFunctions:
    """`pack` and `unpack` for one layout: through numpy at first, jitted once compiled. They
    compile in a background thread, started after the first call's steps (alongside them, the
    compile slowed the first step, and added to its peak memory)."""

    def __init__(self, packer, state):
        self._packer = packer
        self._spec = jax.tree_util.tree_map(lambda a: jax.ShapeDtypeStruct(a.shape, a.dtype), state)
        self._thread = None
        self.pack, self.unpack = packer.pack_on_host, packer.unpack_on_host

    def compile_in_background(self):
        if self._thread is None:
            # Not a daemon: the interpreter waits for it at exit (a daemon thread still holding
            # arrays then aborts the process when it ends).
            self._thread = threading.Thread(target=self._compile)
            self._thread.start()

    def _compile(self):
        try:
            pack, unpack = jax.jit(self._packer.pack), jax.jit(self._packer.unpack)
            zeros = jax.tree_util.tree_map(lambda s: jnp.zeros(s.shape, s.dtype), self._spec)
            jax.block_until_ready(unpack(pack(zeros)))  # compiles both; jit keeps them
        except Exception:  # noqa: BLE001 - the numpy versions stay in use
            return
        self.pack, self.unpack = pack, unpack


def _runs(executions):
    """`(batches, count)`: consecutive executions that read the same index block, as one item
    (the block's cursor walks through them); any other execution on its own."""
    previous, count = None, 0
    for _, _, batches in executions:
        if (count and isinstance(batches, DeviceBatches) and isinstance(previous, DeviceBatches)
                and batches.cursor is previous.cursor):
            count += 1
            continue
        if count:
            yield previous, count
        previous, count = batches, 1
    if count:
        yield previous, count


def copy_arrays(values):
    """Fresh buffers for a pytree of arrays, in one dispatch: the steps donate their state, so it
    must not share buffers with the Variables."""
    return _jitted_copy()(values)


@functools.cache
def _jitted_copy():
    return jax.jit(lambda values: jax.tree_util.tree_map(jnp.copy, values))


def _swap(step):
    """`(logs, state)`-returning Keras steps as the `(state, logs)` that `lax.scan` expects."""

    def swapped(state, batch):
        logs, state = step(state, batch)
        return state, logs

    return swapped


def make_train_function(model, jit_compile=True):
    """Returns `train(state, batches) -> (logs, state)` over one execution."""
    if not jit_compile:
        return _eager_loop(_swap(model.train_step))
    return _StepFunction(_swap(model.train_step))


def make_test_function(model, jit_compile=True):
    """Returns `test(state, batches) -> (logs, state)`; state is `(trainable, non_trainable, metrics)`."""
    if not jit_compile:
        return _eager_loop(_swap(model.test_step))
    return _StepFunction(_swap(model.test_step))


def make_predict_function(model, jit_compile=True):
    """Returns `predict(state, batches) -> (outputs stacked per step, state)`."""
    step = _swap(model.predict_step)
    if not jit_compile:
        return _eager_loop(step, keep_all=True)
    return _StepFunction(step, keep_all=True)  # the state is the trainer's private copy


def _eager_loop(step, keep_all=False):
    """`run_eagerly=True`: the same steps, op by op in Python, for debugging with print and pdb."""

    def run(state, batches):
        if isinstance(batches, DeviceBatches):
            cursor = batches.cursor
            batches = _gather(batches.data, cursor.block[cursor.position])
            cursor.position = cursor.position + 1
        count = jax.tree_util.tree_leaves(batches)[0].shape[0]
        outputs = []
        for i in range(count):
            state, out = step(state, jax.tree_util.tree_map(lambda x: x[i], batches))
            outputs.append(out)
        if keep_all:
            return jax.tree_util.tree_map(lambda *xs: jax.numpy.stack(xs), *outputs), state
        return outputs[-1], state

    return run
