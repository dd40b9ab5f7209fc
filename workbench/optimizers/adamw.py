"""AdamW: Adam with decoupled weight decay on by default."""

from workbench.api_export import keras_export
from workbench.optimizers.adam import Adam


@keras_export("keras.optimizers.AdamW")
class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019).

    Before each Adam update the weights shrink by `weight * weight_decay * learning_rate`
    (`exclude_from_weight_decay` exempts variables).

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable. Defaults to 0.001.
        weight_decay: the decay rate. Defaults to 0.004; must not be None.
        beta_1, beta_2, epsilon, amsgrad: as for `Adam`.
        **kwargs: the common optimizer arguments; see `Optimizer`.

    Example:

    >>> optimizer = workbench.optimizers.AdamW(learning_rate=1e-3, weight_decay=0.01)
    >>> optimizer.exclude_from_weight_decay(var_names=["bias"])
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, **kwargs):
        super().__init__(
            learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad,
            weight_decay=weight_decay, **kwargs,
        )
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")
