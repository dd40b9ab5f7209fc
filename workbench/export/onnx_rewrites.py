"""Rewrites a traced function into primitives that jax2onnx and ONNX Runtime both handle.

jax2onnx lowers each JAX primitive one to one. Two forms that workbench layers produce have no
runnable ONNX counterpart, so `onnx_friendly(fn)` re-evaluates `fn`'s jaxpr with substitutes:

- `reduce_window_max` on a rank-4 or rank-5 tensor (MaxPooling2D/3D) becomes one ONNX MaxPool of
  a 6-D or 7-D tensor, which ONNX Runtime rejects ("Unsupported pooling size"). A box maximum is
  separable, so it is rewritten as one 1-D pooling per spatial axis, each on a rank-3 view.
- `conv_general_dilated` in a layout jax2onnx has no mapping for (Conv2DTranspose's kernel is
  `(height, width, out, in)`) is rewritten in channels-first layout between transposes.
- `scan(reverse=True)` (RNNs with `go_backwards=True`, Bidirectional) is not supported by
  jax2onnx. It is rewritten as a forward scan over time-reversed inputs, with reversed outputs.

Calls to jitted functions are inlined; everything else is bound unchanged.
"""

import math

import jax
import jax.numpy as jnp
import numpy as np
from jax.extend.core import Literal


def onnx_friendly(fn):
    """Returns a function computing the same values as `fn(*args)`, built from convertible forms."""

    def rewritten(*args):
        closed, out_shapes = jax.make_jaxpr(fn, return_shape=True)(*args)
        flat = _evaluate(closed.jaxpr, closed.consts, jax.tree_util.tree_leaves(args))
        return jax.tree_util.tree_unflatten(jax.tree_util.tree_structure(out_shapes), flat)

    return rewritten


def _evaluate(jaxpr, consts, args):
    env = {}

    def read(var):
        return var.val if isinstance(var, Literal) else env[var]

    env.update(zip(jaxpr.constvars, consts))
    env.update(zip(jaxpr.invars, args))
    for eqn in jaxpr.eqns:
        values = [read(v) for v in eqn.invars]
        rule = _RULES.get(eqn.primitive.name)
        outputs = rule(eqn, values) if rule is not None else None
        if outputs is None:
            outputs = _bind(eqn.primitive, values, eqn.params)
        env.update(zip(eqn.outvars, outputs))
    return [read(v) for v in jaxpr.outvars]


def _bind(primitive, values, params):
    bind_params = primitive.get_bind_params(params)
    subfuns = ()
    if isinstance(bind_params, tuple):  # JAX before 0.7 returned (subfuns, params)
        subfuns, bind_params = bind_params
    outputs = primitive.bind(*subfuns, *values, **bind_params)
    return outputs if primitive.multiple_results else [outputs]


def _inline_jit(eqn, values):
    inner = eqn.params["jaxpr"]
    return _evaluate(inner.jaxpr, inner.consts, values)


def _separable_max_pool(eqn, values):
    (x,) = values
    params = eqn.params
    if x.ndim <= 3 or any(d != 1 for d in params["base_dilation"] + params["window_dilation"]):
        return None
    for axis, (window, stride, pads) in enumerate(
            zip(params["window_dimensions"], params["window_strides"], params["padding"])):
        if window == 1 and stride == 1 and tuple(pads) == (0, 0):
            continue
        if axis == 0:
            return None  # pooling over the batch axis: leave it to jax2onnx as it is
        shape = x.shape
        view = x.reshape((-1, shape[axis], math.prod(shape[axis + 1:])))
        pooled = jax.lax.reduce_window_max_p.bind(
            view, window_dimensions=(1, window, 1), window_strides=(1, stride, 1),
            padding=((0, 0), tuple(pads), (0, 0)), base_dilation=(1, 1, 1),
            window_dilation=(1, 1, 1))
        x = pooled.reshape(shape[:axis] + (pooled.shape[1],) + shape[axis + 1:])
    return [x]


def _forward_scan(eqn, values):
    params = eqn.params
    if not params["reverse"]:
        return None
    leading = params["num_consts"] + params["num_carry"]
    xs = [jnp.flip(v, axis=0) for v in values[leading:]]
    outputs = _bind(eqn.primitive, values[:leading] + xs, dict(params, reverse=False))
    carries = params["num_carry"]
    return list(outputs[:carries]) + [jnp.flip(y, axis=0) for y in outputs[carries:]]


# The layouts jax2onnx lowers, as (batch or out-feature, feature, spatial...) axis orders.
_CONV_LAYOUTS = {(0, 1, 2), (0, 2, 1), (0, 1, 2, 3), (0, 3, 1, 2), (2, 1, 0), (3, 2, 0, 1)}


def _channels_first_conv(eqn, values):
    lhs, rhs = values
    specs = eqn.params["dimension_numbers"]
    if lhs.ndim not in (3, 4) or {specs.lhs_spec, specs.rhs_spec, specs.out_spec} <= _CONV_LAYOUTS:
        return None
    identity = tuple(range(lhs.ndim))
    canonical = jax.lax.ConvDimensionNumbers(identity, identity, identity)
    (outputs,) = _bind(eqn.primitive,
                       [jnp.transpose(lhs, specs.lhs_spec), jnp.transpose(rhs, specs.rhs_spec)],
                       dict(eqn.params, dimension_numbers=canonical))
    return [jnp.transpose(outputs, tuple(int(a) for a in np.argsort(specs.out_spec)))]


_RULES = {
    "conv_general_dilated": _channels_first_conv,
    "pjit": _inline_jit,
    "jit": _inline_jit,
    "reduce_window_max": _separable_max_pool,
    "scan": _forward_scan,
}
