"""Digits from a CSV in the layout of Kaggle's digit-recognizer competition."""

from pathlib import Path

import numpy as np
import pandas as pd

from ._base import make_bunch
from ._errors import DataFileError

_LABEL = "label"


def load_kaggle_csv(path, *, return_X_y=False, as_frame=False, dtype=np.uint8):
    """Load digits from a CSV laid out as Kaggle's digit-recognizer ``train.csv``.

    The file has a ``label`` column and pixel columns ``pixel0``..``pixel783``
    (any count of pixel columns works). The result has OpenML's schema, as
    :func:`load_mnist`: Kaggle's ``pixel0`` becomes ``pixel1`` and so on.
    The file has no canonical train/test split; the whole file is returned.

    Parameters
    ----------
    path : str or path-like
        The CSV file, optionally compressed (``.csv.gz``, ``.csv.zip``...).
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
    FileNotFoundError
        If the file does not exist.
    DataFileError
        If the file has no ``label`` column (Kaggle's ``test.csv`` is
        unlabelled), unexpected columns, missing values, or pixels that are
        not integers in 0..255.
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"cannot be parsed as CSV ({exc})") from exc
    if frame.empty:
        raise DataFileError(path, "holds no data rows")
    if _LABEL not in frame.columns:
        raise DataFileError(
            path,
            "has no 'label' column",
            "give a labelled file such as Kaggle's train.csv (test.csv has no labels)",
        )
    pixels = frame.drop(columns=_LABEL)
    expected = [f"pixel{i}" for i in range(pixels.shape[1])]
    if list(pixels.columns) != expected:
        unexpected = [c for c in pixels.columns if c not in expected]
        raise DataFileError(
            path,
            f"columns must be 'label' and pixel0..pixel{pixels.shape[1] - 1}"
            + (f"; unexpected: {unexpected[:5]}" if unexpected else ", in order"),
        )
    missing = frame.isna().any(axis=1)
    if missing.any():
        rows = np.flatnonzero(missing.to_numpy())
        raise DataFileError(
            path,
            f"{rows.size} rows have missing values (first data row: {rows[0] + 1})",
            "fill or drop them before loading",
        )
    X = pixels.to_numpy()
    if X.dtype.kind not in "iu" or X.min() < 0 or X.max() > 255:
        raise DataFileError(path, "pixels must be integers in 0..255")
    return make_bunch(
        X.astype(np.uint8),
        frame[_LABEL].to_numpy(),
        as_frame=as_frame,
        return_X_y=return_X_y,
        dtype=dtype,
        descr=f"Digits read from the Kaggle-style CSV {path}.",
    )
