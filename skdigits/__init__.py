"""skdigits: benchmark handwritten-digit classifiers the scikit-learn way.

The Keras estimators are imported on first use, so that ``skdigits`` and
``skdigits.datasets`` load without starting TensorFlow.
"""

__version__ = "0.1.0"

from . import datasets  # noqa: E402
from .datasets import load_mnist  # noqa: E402

_LAZY = {
    "KerasMLPClassifier": "._mlp",
    "KerasCNNClassifier": "._cnn",
}

__all__ = ["KerasCNNClassifier", "KerasMLPClassifier", "__version__", "datasets", "load_mnist"]


def __getattr__(name):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'skdigits' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
