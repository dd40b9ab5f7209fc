"""Initializer: the base of objects that return an initial tensor for `(shape, dtype)`."""

from workbench.api_export import keras_export


@keras_export("keras.Initializer", "keras.initializers.Initializer")
class Initializer:
    """The base class of initializers: a callable `initializer(shape, dtype=None)` with a config.

    Subclasses implement `__call__` and, when their constructor takes arguments, `get_config`.

    Example:

    >>> class Fill(workbench.initializers.Initializer):
    ...     def __init__(self, value):
    ...         self.value = value
    ...     def __call__(self, shape, dtype=None):
    ...         return jnp.full(shape, self.value, dtype=dtype)
    ...     def get_config(self):
    ...         return {"value": self.value}
    """

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(
            f"{self.__class__.__name__} must implement `__call__(self, shape, dtype=None)`."
        )

    def get_config(self):
        """The constructor arguments, as a JSON-compatible dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def clone(self):
        """A new initializer with the same config (an unseeded one gets a new random seed)."""
        return self.__class__.from_config(self.get_config())
