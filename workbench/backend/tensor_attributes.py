"""Masks on tensors. JAX arrays take no new attributes, so masks live in a table keyed by tensor id."""

import weakref

_MASKS = {}


def _forget(key):
    _MASKS.pop(key, None)


def set_mask(tensor, mask):
    try:
        tensor._keras_mask = mask
        return
    except AttributeError:
        pass
    key = id(tensor)
    if mask is None:
        _MASKS.pop(key, None)
        return
    try:
        ref = weakref.ref(tensor, lambda _, key=key: _forget(key))
    except TypeError:
        return  # Python scalars and the like cannot carry a mask.
    _MASKS[key] = (ref, mask)


def get_mask(tensor):
    mask = getattr(tensor, "_keras_mask", None)
    if mask is not None:
        return mask
    entry = _MASKS.get(id(tensor))
    if entry is None:
        return None
    ref, mask = entry
    return mask if ref() is tensor else None
