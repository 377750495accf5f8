"""Small distortions of digit images: rotations and thicker or thinner strokes."""

from numbers import Real

import numpy as np
from scipy import ndimage
from sklearn.utils.validation import check_array

from ._images import CHUNK_SIZE

#: The stroke changes :func:`distort_images` knows: grey dilation and erosion by 2 x 2 pixels.
STROKES = ("thicker", "thinner")


def distort_images(X, *, angle=0.0, stroke=None, image_shape=(28, 28)):
    """Rotate images, or thicken or thin their strokes, as new rows.

    The transformations that handwriting varies by and that deskewing and
    centring do not undo (a shift would be undone by
    :class:`~skdigits.preprocessing.Deskewer`). Rotations are bilinear
    (:func:`scipy.ndimage.rotate`, zeros outside the image, the image's size
    kept); strokes change by grey dilation or erosion with a 2 x 2 window
    (:func:`scipy.ndimage.grey_dilation`), about one pixel of width.

    Parameters
    ----------
    X : array-like of shape (n_samples, height * width)
        The images, one per row, in row-major order.
    angle : float, default=0.0
        Rotation in degrees, counter-clockwise on the image as displayed
        (row 0 at the top).
    stroke : {'thicker', 'thinner'} or None, default=None
        Dilate (``'thicker'``) or erode (``'thinner'``) the strokes, after
        the rotation.
    image_shape : tuple of 2 ints, default=(28, 28)
        ``(height, width)`` of the images.

    Returns
    -------
    X_distorted : ndarray of shape (n_samples, height * width), dtype float32
        The distorted images, in the scale of ``X``.

    Examples
    --------
    >>> from skdigits.datasets import load_mnist
    >>> from skdigits.preprocessing import distort_images
    >>> X, y = load_mnist(split="test", return_X_y=True)
    >>> X_tilted = distort_images(X[:5], angle=10)
    >>> X_tilted.shape, X_tilted.dtype
    ((5, 784), dtype('float32'))
    >>> bool((distort_images(X[:5], stroke="thicker") >= X[:5]).all())
    True
    """
    if not isinstance(angle, Real) or not np.isfinite(angle):
        raise ValueError(f"angle must be a finite number of degrees, got {angle!r}")
    if stroke is not None and stroke not in STROKES:
        raise ValueError(f"stroke must be one of {STROKES} or None, got {stroke!r}")
    X = check_array(X, dtype="numeric", input_name="X")
    height, width = image_shape
    if height * width != X.shape[1]:
        raise ValueError(f"X has {X.shape[1]} columns, but image_shape={image_shape!r} has {height * width} "
                         "pixels; give the (height, width) of your images")
    out = np.empty(X.shape, dtype=np.float32)
    for start in range(0, len(X), CHUNK_SIZE):
        rows = slice(start, start + CHUNK_SIZE)
        images = np.asarray(X[rows], dtype=np.float32).reshape(-1, height, width)
        out[rows] = _distort(images, angle, stroke).reshape(len(images), -1)
    return out


def _distort(images, angle, stroke):
    """A stack of images rotated by ``angle`` degrees, then dilated or eroded."""
    if angle:
        # Axes (columns, rows): a positive angle turns the digit counter-clockwise as displayed.
        images = ndimage.rotate(images, angle, axes=(2, 1), reshape=False, order=1, mode="constant")
    if stroke == "thicker":
        images = ndimage.grey_dilation(images, size=(1, 2, 2))
    elif stroke == "thinner":
        images = ndimage.grey_erosion(images, size=(1, 2, 2))
    return images
