"""skdigits: benchmark handwritten-digit classifiers the scikit-learn way."""

__version__ = "0.1.0"

from . import datasets  # noqa: E402
from .datasets import load_mnist  # noqa: E402

__all__ = ["__version__", "datasets", "load_mnist"]
