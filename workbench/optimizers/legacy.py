"""`keras.optimizers.legacy`: Keras 2 names that Keras 3 keeps only to explain they are gone."""

from workbench.api_export import keras_export


@keras_export(
    "keras.optimizers.legacy.Adagrad", "keras.optimizers.legacy.Adam", "keras.optimizers.legacy.Ftrl",
    "keras.optimizers.legacy.RMSprop", "keras.optimizers.legacy.SGD", "keras.optimizers.legacy.Optimizer",
)
class LegacyOptimizerWarning:
    def __init__(self, *args, **kwargs):
        raise ImportError(
            "`keras.optimizers.legacy` is not supported in Keras 3. Use `workbench.optimizers` (for "
            "example `workbench.optimizers.Adam`) instead; with `tf.keras`, install `tf_keras` and "
            "set `TF_USE_LEGACY_KERAS=True` to keep the legacy optimizers."
        )


Adagrad = Adam = Ftrl = RMSprop = SGD = Optimizer = LegacyOptimizerWarning

__all__ = ["Adagrad", "Adam", "Ftrl", "RMSprop", "SGD", "Optimizer"]
