"""The registry of public names: `@keras_export("keras.layers.Dense")` records Keras's canonical name.

The first exported name of an object is its canonical name. Saved files name classes this way
(`module="keras.layers"`, `class_name="Dense"`), and loading resolves names only through this table
and the user's registered custom objects, never by importing a module named in a file.
"""

NAME_TO_OBJECT = {}
OBJECT_TO_NAME = {}


def keras_export(*names):
    """Registers the decorated class or function under the given public `keras.*` names."""
    if not names or not all(isinstance(n, str) and n.startswith("keras") for n in names):
        raise ValueError(f"keras_export expects names starting with 'keras'. Received: {names}")

    def decorator(obj):
        for name in names:
            NAME_TO_OBJECT[name] = obj
        OBJECT_TO_NAME.setdefault(obj, names[0])
        return obj

    return decorator


def get_name_for_object(obj):
    """The canonical public name (`"keras.layers.Dense"`) of `obj`, or None if it is not exported."""
    return OBJECT_TO_NAME.get(obj)


def get_object_for_name(name):
    return NAME_TO_OBJECT.get(name)
