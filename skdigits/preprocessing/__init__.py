"""Transformers for images given as table rows, for any scikit-learn pipeline.

Each row of ``X`` is one single-channel image flattened in row-major order
(784 columns for 28 x 28 MNIST digits); ``image_shape=(height, width)`` tells
the transformers how to fold the rows back into images.
"""

from ._blur import GaussianBlur
from ._deskew import Deskewer
from ._hog import HOGFeatures

__all__ = ["Deskewer", "GaussianBlur", "HOGFeatures"]
