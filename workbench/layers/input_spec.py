"""InputSpec: the rank, shape and dtype a layer accepts, checked on every call."""

from workbench import tree
from workbench.api_export import keras_export
from workbench.backend import dtypes


@keras_export("keras.InputSpec", "keras.layers.InputSpec")
class InputSpec:
    """Specifies the rank, dtype and shape of each input to a layer.

    Args:
        dtype: expected dtype.
        shape: expected shape; `None` entries match any size.
        ndim: expected rank.
        max_ndim / min_ndim: rank bounds.
        axes: dict mapping axis indices to expected sizes, e.g. `{-1: 8}`.
        allow_last_axis_squeeze: accept an input whose rank differs by a trailing size-1 axis.
        name: the input's name, for dict inputs.
        optional: whether the input may be None.
    """

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None,
                 allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = dtypes.standardize_dtype(dtype) if dtype is not None else None
        self.shape = tuple(shape) if shape is not None else None
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        try:
            self.axes = {int(k): v for k, v in (axes or {}).items()}
        except (ValueError, TypeError) as error:
            raise TypeError(f"InputSpec `axes` keys must be integers. Received: axes={axes}") from error
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            bound = self.ndim if self.ndim is not None else self.max_ndim
            if max(self.axes) >= bound:
                raise ValueError(f"InputSpec axis {max(self.axes)} is out of range for ndim={bound}.")

    def __repr__(self):
        parts = [f"{k}={v}" for k, v in vars(self).items() if v not in (None, {}, False)]
        return f"InputSpec({', '.join(parts)})"

    def get_config(self):
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim, "max_ndim": self.max_ndim,
                "min_ndim": self.min_ndim, "axes": self.axes}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raises ValueError naming the layer, the expected and the received shape, if inputs don't fit."""
    if not input_spec:
        return
    specs = tree.flatten(input_spec) if isinstance(input_spec, (list, tuple)) else [input_spec]
    flat = [x for x in tree.flatten(inputs)]
    if len(specs) > 1 and len(flat) != len(specs):
        raise ValueError(
            f'Layer "{layer_name}" expects {len(specs)} input(s), but it received {len(flat)} input '
            "tensors."
        )
    for index, (spec, x) in enumerate(zip(specs, flat)):
        if spec is None:
            continue
        if x is None and spec.optional:
            continue
        if not hasattr(x, "shape"):
            continue
        shape = tuple(x.shape)
        ndim = len(shape)
        where = f'Input {index} of layer "{layer_name}"'
        if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
            raise ValueError(
                f"{where} is incompatible with the layer: expected ndim={spec.ndim}, found "
                f"ndim={ndim}. Full shape received: {shape}"
            )
        if spec.max_ndim is not None and ndim > spec.max_ndim:
            raise ValueError(
                f"{where} is incompatible with the layer: expected max_ndim={spec.max_ndim}, found "
                f"ndim={ndim}. Full shape received: {shape}"
            )
        if spec.min_ndim is not None and ndim < spec.min_ndim:
            raise ValueError(
                f"{where} is incompatible with the layer: expected min_ndim={spec.min_ndim}, found "
                f"ndim={ndim}. Full shape received: {shape}"
            )
        for axis, value in spec.axes.items():
            if value is None:
                continue
            if -ndim <= axis < ndim and shape[axis] is not None and shape[axis] != value:
                raise ValueError(
                    f"{where} is incompatible with the layer: expected axis {axis} of the input "
                    f"shape to have value {value}, but received input with shape {shape}. "
                    "Feed inputs whose size on that axis matches what the layer was built for."
                )
        if spec.shape is not None:
            expected = spec.shape
            if len(expected) == ndim:
                for spec_dim, dim in zip(expected, shape):
                    if spec_dim is not None and dim is not None and spec_dim != dim:
                        raise ValueError(
                            f"{where} is incompatible with the layer: expected shape={expected}, "
                            f"found shape={shape}"
                        )
