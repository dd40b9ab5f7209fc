"""OptaxOptimizer: any `optax.GradientTransformation` as a workbench optimizer.

`model.compile(optimizer=optax.adamw(1e-3))` wraps the transformation in this class. Its state
lives in Variables (one per leaf of the optax state), so it flows through the jitted step, is
written back at epoch end, and is saved with the model's weights like any optimizer's.
"""

import jax
import optax

from workbench.optimizers.optimizer import Optimizer


class OptaxOptimizer(Optimizer):
    """Wraps a raw optax transformation; the transformation owns its learning rate.

    Args:
        transformation: an `optax.GradientTransformation` (e.g. `optax.adamw(1e-3)`).
        name: the optimizer's name.

    Example:

    >>> model.compile(optimizer=optax.chain(optax.clip_by_global_norm(1.0), optax.adam(1e-3)),
    ...               loss="mse")
    """

    def __init__(self, transformation, name="optax", **kwargs):
        if not isinstance(transformation, optax.GradientTransformation):
            raise ValueError(
                "OptaxOptimizer expects an optax.GradientTransformation. "
                f"Received: {type(transformation).__name__}"
            )
        super().__init__(learning_rate=1.0, name=name, **kwargs)
        self.transformation = transformation
        self._state_variables = []
        self._state_treedef = None

    def build(self, var_list):
        super().build(var_list)
        state = self.transformation.init([v.value for v in var_list])
        leaves, self._state_treedef = jax.tree_util.tree_flatten(state)
        self._state_variables = []
        for index, leaf in enumerate(leaves):
            variable = self.add_variable(shape=leaf.shape, dtype=leaf.dtype, name=f"optax_state_{index}")
            variable.assign(leaf)
            self._state_variables.append(variable)

    def _transformation(self, learning_rate):
        return self.transformation

    def _optax_state(self, indices, count):
        self._check_full_update(indices)
        return jax.tree_util.tree_unflatten(self._state_treedef, [v.value for v in self._state_variables])

    def _assign_optax_state(self, indices, state):
        for variable, value in zip(self._state_variables, jax.tree_util.tree_leaves(state)):
            variable.assign(value)

    def _check_full_update(self, indices):
        if sorted(indices) != list(range(len(self._trainable_variables))):
            raise ValueError(
                "An optax transformation updates all variables together: pass gradients for every "
                f"variable the optimizer was built with ({len(self._trainable_variables)}); "
                f"received {len(indices)}."
            )

    def get_config(self):
        raise NotImplementedError(
            "An optimizer built from a raw optax transformation cannot be serialized: optax "
            "transformations are closures, not configs. Use a workbench optimizer (e.g. "
            "`workbench.optimizers.AdamW`) if the compiled model must be saved with its optimizer."
        )
