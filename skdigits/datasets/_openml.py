"""Digits from OpenML, through scikit-learn's ``fetch_openml`` and its cache."""

import numpy as np
from sklearn import datasets as sk_datasets

from ._base import check_split, make_bunch

# Data sets whose first rows are a published training set and whose last
# rows are its test set, and where the split falls.
CANONICAL_TRAIN_SIZE = {
    "mnist_784": 60_000,
    554: 60_000,  # mnist_784
    "Fashion-MNIST": 60_000,
    40996: 60_000,  # Fashion-MNIST
}


def fetch_openml_digits(
    name_or_id="mnist_784",
    *,
    split=None,
    data_home=None,
    return_X_y=False,
    as_frame=False,
    dtype=np.uint8,
):
    """Fetch a digits data set from OpenML by name or id.

    This goes through :func:`sklearn.datasets.fetch_openml`, so the data is
    downloaded once and then read from its cache in ``data_home``. The pixels
    are checked (no missing values, integers in 0..255) and returned in the
    schema of :func:`load_mnist`.

    Parameters
    ----------
    name_or_id : str or int, default='mnist_784'
        The OpenML data set's name (its active version) or its integer id.
    split : {None, 'train', 'test'}, default=None
        Which rows to return. Only for data sets with a known canonical split
        (``mnist_784``, ``Fashion-MNIST``): the first 60,000 rows train, the
        rest test.
    data_home : str or path-like, default=None
        The cache folder of ``fetch_openml``; ``~/scikit_learn_data`` if None.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        If True, return pandas objects, as :func:`load_mnist`.
    dtype : dtype, default=np.uint8
        The dtype of the pixels.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch` or tuple
        As :func:`load_mnist`.

    Raises
    ------
    ValueError
        If ``split`` is asked of a data set with no known split, or the
        data set's features are not pixels in 0..255.
    """
    check_split(split)
    if isinstance(name_or_id, (int, np.integer)) or str(name_or_id).isdigit():
        name_or_id = int(name_or_id)
        source = {"data_id": name_or_id}
    else:
        source = {"name": name_or_id}
    if split is not None and name_or_id not in CANONICAL_TRAIN_SIZE:
        raise ValueError(
            f"OpenML data set {name_or_id!r} has no known train/test split; "
            "use split=None and split it yourself, e.g. with "
            "sklearn.model_selection.train_test_split"
        )
    X, y = sk_datasets.fetch_openml(
        **source,
        data_home=data_home,
        return_X_y=True,
        as_frame=False,
        parser="auto",
    )
    X = np.asarray(X)
    if X.ndim != 2 or X.dtype.kind not in "iuf":
        raise ValueError(
            f"OpenML data set {name_or_id!r} does not hold numeric pixels "
            f"(got an array of shape {X.shape} and dtype {X.dtype})"
        )
    if X.dtype.kind == "f" and np.isnan(X).any():
        raise ValueError(f"OpenML data set {name_or_id!r} has missing pixel values")
    if X.min() < 0 or X.max() > 255 or not np.array_equal(X, np.round(X)):
        raise ValueError(
            f"OpenML data set {name_or_id!r} does not hold pixels in 0..255; "
            "skdigits handles images of integer grey levels"
        )
    if split is not None:
        n_train = CANONICAL_TRAIN_SIZE[name_or_id]
        rows = slice(None, n_train) if split == "train" else slice(n_train, None)
        X, y = X[rows], y[rows]
    return make_bunch(
        X.astype(np.uint8),
        np.asarray(y),
        as_frame=as_frame,
        return_X_y=return_X_y,
        dtype=dtype,
        descr=f"OpenML data set {name_or_id!r}, fetched with sklearn.datasets.fetch_openml.",
    )
