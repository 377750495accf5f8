"""Checks of the networks' hyperparameters, made at fit before any work.

Keras would catch some of these values only once it builds the network (with
its own words), and others not at all: a negative learning rate trains
uphill, a dropout of 1 drops every unit. Each check raises a ValueError that
names the parameter, the value given and what it takes.
"""

from numbers import Integral, Real

import numpy as np


def is_int(value):
    """Whether ``value`` is an int (a NumPy one too), not a bool."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def _is_real(value):
    return isinstance(value, Real) and not isinstance(value, bool) and np.isfinite(value)


def check_real(owner, name, value, low, high, *, low_open=False, high_open=False, meaning=""):
    """Raise unless ``value`` is a finite number between ``low`` and ``high`` (each end closed unless open).

    Examples
    --------
    >>> from skdigits.neural_network._params import check_real
    >>> check_real("MLP", "dropout", 1.0, 0, 1, high_open=True, meaning="the fraction of units dropped")
    Traceback (most recent call last):
        ...
    ValueError: MLP: dropout must be a number in [0, 1) (the fraction of units dropped), got 1.0
    """
    inside = _is_real(value) and (low < value if low_open else low <= value)
    inside = inside and (high is None or (value < high if high_open else value <= high))
    if not inside:
        upper = "inf)" if high is None else f"{high}{')' if high_open else ']'}"
        interval = f"{'(' if low_open else '['}{low}, {upper}"
        wanted = "a positive number" if interval == "(0, inf)" else f"a number in {interval}"
        note = f" ({meaning})" if meaning else ""
        raise ValueError(f"{owner}: {name} must be {wanted}{note}, got {value!r}")


def layer_sizes(owner, name, value, *, example="(512, 512)", per="layer"):
    """``value`` as a tuple of positive ints: a tuple, list or array of them, or one int (one layer).

    An int stands for one layer, as in scikit-learn's ``MLPClassifier``; an
    empty tuple for none.

    Examples
    --------
    >>> from skdigits.neural_network._params import layer_sizes
    >>> layer_sizes("MLP", "hidden_layer_sizes", 64), layer_sizes("MLP", "hidden_layer_sizes", [64, 32])
    ((64,), (64, 32))
    >>> layer_sizes("MLP", "hidden_layer_sizes", (64, 0))
    Traceback (most recent call last):
        ...
    ValueError: MLP: hidden_layer_sizes must be positive ints, one per layer, such as (512, 512), got (64, 0)
    """
    sizes = (value,) if is_int(value) else value
    if not isinstance(sizes, (tuple, list, np.ndarray)) or not all(is_int(s) and s >= 1 for s in sizes):
        raise ValueError(
            f"{owner}: {name} must be positive ints, one per {per}, such as {example}, got {value!r}"
        )
    return tuple(int(s) for s in sizes)


def check_positive_int(owner, name, value):
    """Raise unless ``value`` is an int >= 1."""
    if not (is_int(value) and value >= 1):
        raise ValueError(f"{owner}: {name} must be a positive integer, got {value!r}")
