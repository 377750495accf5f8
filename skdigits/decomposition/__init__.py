"""Dimensionality reduction of features too large to hold at once.

:class:`BatchedPCA` is the principal component analysis of a transformer's
output (such as fine HOG features), computed a batch of rows at a time.
"""

from ._batched_pca import BatchedPCA

__all__ = ["BatchedPCA"]
