"""Keras networks as scikit-learn classifiers, and their TensorFlow plumbing.

:class:`KerasMLPClassifier` and :class:`KerasCNNClassifier` are skdigits'
own networks; :class:`KerasClassifier` wraps the user's own Keras build
function, as SciKeras' class of that name does, but as a classifier that
current scikit-learn accepts. All of them are seeded, quiet and bounded to
their share of the cores inside joblib workers.

The classes are imported on first use, so that importing this package does
not start TensorFlow.
"""

import importlib

_LAZY = {
    "KerasClassifier": "._classifier",
    "KerasCNNClassifier": "._cnn",
    "KerasMLPClassifier": "._mlp",
    "OneCycleSchedule": "._schedules",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
