"""Masks on tensors. JAX arrays take no new attributes, so masks live in a table keyed by tensor id."""

import weakref

_MASKS = {}


def _forget_callback(key, table=_MASKS):
    # Everything the callback needs is bound here, so it still works during interpreter shutdown;
    # it drops the entry only if it still belongs to the dead tensor (ids are reused).
    def forget(dead_ref):
        entry = table.get(key)
        if entry is not None and entry[0] is dead_ref:
            del table[key]

    return forget


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
        ref = weakref.ref(tensor, _forget_callback(key))
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
