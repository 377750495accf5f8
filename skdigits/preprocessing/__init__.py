"""Transformers for images given as table rows, for any scikit-learn pipeline.

Each row of ``X`` is one single-channel image flattened in row-major order
(784 columns for 28 x 28 MNIST digits); ``image_shape=(height, width)`` tells
the transformers how to fold the rows back into images.

:class:`CachedTransformer` computes each distinct transform of the same rows
once per process, from an in-memory cache bounded in bytes.
"""

from ._blur import GaussianBlur
from ._cache import CachedTransformer, FeatureCache, get_feature_cache
from ._deskew import Deskewer
from ._distort import distort_images
from ._hog import HOGFeatures

__all__ = ["CachedTransformer", "Deskewer", "FeatureCache", "GaussianBlur", "HOGFeatures", "distort_images",
           "get_feature_cache"]
