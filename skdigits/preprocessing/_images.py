"""Images given as table rows: their shape, input validation and chunking.

Shared by the transformers of :mod:`skdigits.preprocessing`. Each row of
``X`` is one single-channel image flattened in row-major order, so an image
shape ``(height, width)`` must have ``height * width`` equal to the number of
columns.
"""

import math
from numbers import Integral

import numpy as np
from sklearn.utils.validation import validate_data

#: Images processed at a time, to bound the memory of intermediate arrays.
CHUNK_SIZE = 4096

IMAGE_SHAPE_HELP = (
    "Set image_shape=(height, width) to the shape of your images, with "
    "height x width equal to the number of columns (one of them may be -1 to "
    "infer it), or image_shape=None for square images"
)


def check_pair(value, name, estimator, *, allow_inferred=False):
    """Return ``value``, an int or a pair of ints, as a tuple of two ints.

    An int ``n`` stands for ``(n, n)``. The ints must be positive; with
    ``allow_inferred`` one of them may be -1.
    """
    if isinstance(value, Integral) and not isinstance(value, bool):
        value = (value, value)
    try:
        pair = tuple(value)
    except TypeError:
        pair = ()
    lowest = -1 if allow_inferred else 1
    valid = (
        len(pair) == 2
        and all(isinstance(v, Integral) and not isinstance(v, bool) for v in pair)
        and all(v >= 1 or v == lowest for v in pair)
        and pair != (-1, -1)
    )
    if not valid:
        what = "an int or a pair of positive ints"
        if allow_inferred:
            what = "a pair (height, width) of positive ints, one of which may be -1"
        raise ValueError(f"{type(estimator).__name__}: {name} must be {what}, got {value!r}")
    return tuple(int(v) for v in pair)


def resolve_image_shape(image_shape, n_features, estimator):
    """Return the ``(height, width)`` of images stored in ``n_features`` columns.

    ``image_shape=None`` infers a square image; a -1 in ``image_shape`` is
    inferred from the other side, as in :func:`numpy.reshape`.
    """
    name = type(estimator).__name__
    if image_shape is None:
        side = math.isqrt(n_features)
        if side * side != n_features:
            raise ValueError(
                f"{name} cannot infer square images from X with {n_features} columns, "
                f"which is not a perfect square. {IMAGE_SHAPE_HELP}."
            )
        return side, side
    height, width = check_pair(image_shape, "image_shape", estimator, allow_inferred=True)
    if height == -1 and n_features % width == 0:
        height = n_features // width
    elif width == -1 and n_features % height == 0:
        width = n_features // height
    if height * width != n_features:
        if -1 in (height, width):
            detail = f"{n_features} is not a multiple of {abs(height * width)}"
        else:
            detail = f"{height} x {width} = {height * width} pixels"
        raise ValueError(
            f"{name} got X with {n_features} columns, but image_shape={image_shape!r} "
            f"does not fit them ({detail}). {IMAGE_SHAPE_HELP}."
        )
    return height, width


def validate_image_rows(estimator, X, *, reset):
    """Validate ``X`` with scikit-learn's rules; in fit, record the image shape.

    ``X`` keeps its numeric dtype (uint8 pixels are converted chunk by chunk
    later, not all at once); NaN, infinities and sparse matrices are refused.
    """
    X = validate_data(estimator, X, reset=reset, dtype="numeric", accept_sparse=False)
    if reset:
        estimator.image_shape_ = resolve_image_shape(estimator.image_shape, X.shape[1], estimator)
    return X


def image_chunks(X, image_shape, chunk_size=CHUNK_SIZE):
    """Yield ``(rows, images)``: a slice of ``X`` and its rows as float32 images."""
    for start in range(0, X.shape[0], chunk_size):
        rows = slice(start, min(start + chunk_size, X.shape[0]))
        yield rows, np.asarray(X[rows], dtype=np.float32).reshape(-1, *image_shape)


def image_transformer_tags(tags):
    """Set the tags shared by the image transformers and return ``tags``."""
    tags.input_tags.allow_nan = False
    tags.input_tags.sparse = False
    tags.transformer_tags.preserves_dtype = ["float32"]
    return tags
