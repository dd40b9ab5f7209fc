"""`pad_sequences`, as `keras.utils.pad_sequences`."""

import numpy as np

from workbench.api_export import keras_export


@keras_export("keras.utils.pad_sequences", "keras.preprocessing.sequence.pad_sequences")
def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0):
    """Pads (or truncates) a list of sequences to one length, returning a numpy array.

    Sequences longer than `maxlen` lose values from the start (`truncating="pre"`) or the end
    (`"post"`); shorter ones get `value` added at the start (`padding="pre"`) or the end.

    Args:
        sequences: List of sequences; each is a list or array whose items may themselves be arrays.
        maxlen: Length of the output sequences. Defaults to the longest sequence.
        dtype: dtype of the output. Use `object` for variable-length strings.
        padding: `"pre"` or `"post"`: where to pad.
        truncating: `"pre"` or `"post"`: where to drop values from sequences longer than `maxlen`.
        value: Padding value.

    Returns:
        A numpy array of shape `(len(sequences), maxlen) + item_shape`.

    Example:

    >>> keras.utils.pad_sequences([[1], [2, 3], [4, 5, 6]])
    array([[0, 0, 1],
           [0, 2, 3],
           [4, 5, 6]], dtype=int32)
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    lengths = []
    item_shape = ()
    found_item_shape = False
    for sequence in sequences:
        try:
            lengths.append(len(sequence))
        except TypeError as error:
            raise ValueError(
                f"`sequences` must be a list of iterables. Found non-iterable: {sequence}"
            ) from error
        # The first non-empty sequence fixes the shape of the items; the others must match it.
        if not found_item_shape and len(sequence):
            item_shape = np.asarray(sequence).shape[1:]
            found_item_shape = True
    if maxlen is None:
        maxlen = np.max(lengths)
    is_string_dtype = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not is_string_dtype:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings."
        )
    output = np.full((len(sequences), maxlen) + item_shape, value, dtype=dtype)
    for position, sequence in enumerate(sequences):
        if not len(sequence):
            continue
        if truncating == "pre":
            kept = sequence[-maxlen:]
        elif truncating == "post":
            kept = sequence[:maxlen]
        else:
            raise ValueError(f'Truncating type "{truncating}" not understood. Use "pre" or "post".')
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != item_shape:
            raise ValueError(
                f"Shape of sample {kept.shape[1:]} of sequence at position {position} is different "
                f"from expected shape {item_shape}"
            )
        if padding == "post":
            output[position, : len(kept)] = kept
        elif padding == "pre":
            output[position, -len(kept):] = kept
        else:
            raise ValueError(f'Padding type "{padding}" not understood. Use "pre" or "post".')
    return output
