"""Gaussian blur of images given as table rows."""

from numbers import Real

import numpy as np
from scipy.ndimage import gaussian_filter
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from .._sklearn_compat import Interval, _fit_context
from ._images import image_chunks, image_transformer_tags, validate_image_rows


class GaussianBlur(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Smooth each image with a Gaussian kernel.

    Each row of ``X`` is one image, flattened in row-major order. Every image
    is convolved with a Gaussian of standard deviation ``sigma`` pixels
    (:func:`scipy.ndimage.gaussian_filter` over the whole stack of images,
    with ``sigma=(0, sigma, sigma)``, 4,096 images at a time), treating the
    world outside the image as zeros. Blurring spreads each stroke over its
    neighbours, so that digits shifted or thickened by a pixel look alike to
    a classifier comparing pixels, such as k-nearest neighbours. The
    transformer is stateless: ``fit`` only validates ``X`` and records its
    shape.

    Parameters
    ----------
    sigma : float, default=1.0
        Standard deviation of the Gaussian, in pixels; 0 leaves the images
        unchanged.
    image_shape : tuple of 2 ints or None, default=(28, 28)
        ``(height, width)`` of the images; ``X`` must have ``height * width``
        columns. One of them may be -1, inferred from the number of columns.
        None infers square images (the number of columns must be a perfect
        square).

    Attributes
    ----------
    image_shape_ : tuple of 2 ints
        The ``(height, width)`` used.
    n_features_in_ : int
        The number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` was a DataFrame with string column names.

    See Also
    --------
    Deskewer : Straighten slanted digits.
    HOGFeatures : Histograms of oriented gradients of the images.

    Notes
    -----
    The output is float32 in the scale of ``X``. The kernel is truncated at
    4 standard deviations. Intensity that the kernel spreads past the edge
    of the image is lost, so the total intensity of an image is kept when
    its strokes lie at least ``4 * sigma`` pixels from the edges.

    Examples
    --------
    >>> from skdigits.datasets import load_mnist
    >>> from skdigits.preprocessing import GaussianBlur
    >>> X, y = load_mnist(split="test", return_X_y=True)
    >>> X_smooth = GaussianBlur(sigma=1.0).fit_transform(X[:100])
    >>> X_smooth.shape, X_smooth.dtype
    ((100, 784), dtype('float32'))
    >>> bool(abs(X_smooth.sum() / X[:100].sum() - 1) < 1e-3)
    True
    """

    _parameter_constraints: dict = {
        "sigma": [Interval(Real, 0, None, closed="left")],
        "image_shape": ["array-like", None],
    }

    def __init__(self, sigma=1.0, *, image_shape=(28, 28)):
        self.sigma = sigma
        self.image_shape = image_shape

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check ``X`` and record its number of columns and image shape.

        Parameters
        ----------
        X : array-like of shape (n_samples, height * width)
            The images, one per row.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The transformer.
        """
        validate_image_rows(self, X, reset=True)
        return self

    def transform(self, X):
        """Blur each image.

        Parameters
        ----------
        X : array-like of shape (n_samples, height * width)
            The images, one per row.

        Returns
        -------
        X_smooth : ndarray of shape (n_samples, height * width), dtype float32
            The blurred images, in the scale of ``X``.
        """
        check_is_fitted(self)
        X = validate_image_rows(self, X, reset=False)
        out = np.empty(X.shape, dtype=np.float32)
        sigma = float(self.sigma)
        for rows, images in image_chunks(X, self.image_shape_):
            blurred = gaussian_filter(images, sigma=(0, sigma, sigma), mode="constant", cval=0.0)
            out[rows] = blurred.reshape(len(images), -1)
        return out

    def __sklearn_tags__(self):
        return image_transformer_tags(super().__sklearn_tags__())
