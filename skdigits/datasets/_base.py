"""Turning pixel arrays and labels into what scikit-learn's loaders return.

Every loader in :mod:`skdigits.datasets` ends here, so that all sources give
the schema of OpenML's ``mnist_784``: features ``pixel1``..``pixelN``, a
target named ``class`` holding the labels as strings.
"""

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

TARGET_NAME = "class"
SPLITS = (None, "train", "test")


def feature_names(n_features):
    """Return OpenML's column names ``pixel1``..``pixel{n_features}``."""
    return [f"pixel{i}" for i in range(1, n_features + 1)]


def check_split(split):
    """Raise a clear error for a ``split`` value that is not supported."""
    if split not in SPLITS:
        raise ValueError(
            f"split={split!r} is not supported; use None (all rows), 'train' or 'test'"
        )


def labels_as_strings(labels):
    """Return integer labels as OpenML gives them: strings, one per sample.

    Parameters
    ----------
    labels : ndarray of int
        The labels.

    Returns
    -------
    categories : list of str
        The sorted distinct labels, as strings.
    codes : ndarray of int
        For each sample, its label's position in ``categories``.
    """
    values, codes = np.unique(labels, return_inverse=True)
    return [str(v) for v in values], codes.astype(np.int32)


def make_bunch(X, labels, *, as_frame, return_X_y, dtype, descr):
    """Package pixels and labels the way ``fetch_openml`` does.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        The pixels.
    labels : ndarray of shape (n_samples,)
        The labels, as integers or strings.
    as_frame : bool
        Return pandas objects (a DataFrame and a categorical Series) instead
        of arrays.
    return_X_y : bool
        Return ``(data, target)`` instead of a Bunch.
    dtype : dtype
        The dtype of the pixels in the result.
    descr : str
        The description stored in the Bunch's ``DESCR``.

    Returns
    -------
    data : Bunch or tuple
        See :func:`skdigits.datasets.load_mnist`.
    """
    X = np.asarray(X).astype(dtype, copy=False)
    names = feature_names(X.shape[1])
    categories, codes = labels_as_strings(np.asarray(labels))
    if as_frame:
        data = pd.DataFrame(X, columns=names, copy=False)
        target = pd.Series(
            pd.Categorical.from_codes(codes, categories=categories), name=TARGET_NAME
        )
        frame = data.assign(**{TARGET_NAME: target})
    else:
        data = X
        target = np.asarray(categories, dtype=object)[codes]
        frame = None
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        target=target,
        frame=frame,
        feature_names=names,
        target_names=[TARGET_NAME],
        DESCR=descr,
    )
