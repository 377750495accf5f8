"""One way to name where the digits come from, for every loader."""

from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from ._base import check_split
from ._kaggle import load_kaggle_csv
from ._mnist import load_idx, load_mnist
from ._openml import CANONICAL_TRAIN_SIZE, fetch_openml_digits

_OPENML_PREFIX = "openml:"
SOURCE_HELP = (
    "'mnist' (the copy shipped with skdigits), a folder of IDX files, "
    "a Kaggle-style CSV file, or 'openml:NAME' / 'openml:ID'"
)


def parse_source(source):
    """Tell which loader a source specification names.

    Parameters
    ----------
    source : str, path-like or None
        None or ``'mnist'`` for the shipped MNIST; an existing folder of IDX
        files; an existing CSV file in Kaggle's layout; ``'openml:NAME'`` or
        ``'openml:ID'`` for an OpenML data set.

    Returns
    -------
    kind : {'mnist', 'idx', 'csv', 'openml'}
        The loader.
    argument : str, Path, int or None
        What that loader is given: a path, or an OpenML name or id.

    Raises
    ------
    ValueError
        If ``source`` names none of these.
    """
    if source is None or str(source) == "mnist":
        return "mnist", None
    text = str(source)
    if text.startswith(_OPENML_PREFIX):
        name = text[len(_OPENML_PREFIX) :]
        if not name:
            raise ValueError("'openml:' needs a data set name or id, e.g. openml:mnist_784")
        return "openml", int(name) if name.isdigit() else name
    path = Path(text).expanduser()
    if path.is_dir():
        return "idx", path
    if path.is_file():
        if ".csv" in path.suffixes:
            return "csv", path
        raise ValueError(f"{path}: not a CSV file; a file source must be a Kaggle-style CSV")
    raise ValueError(f"data source {text!r} not found; give {SOURCE_HELP}")


def load_source(source=None, *, split=None, return_X_y=False, as_frame=False, dtype=np.uint8):
    """Load digits from any source skdigits reads, named by one value.

    Parameters
    ----------
    source : str, path-like or None, default=None
        Where the digits come from, see :func:`parse_source`: None or
        ``'mnist'``, a folder of IDX files, a Kaggle-style CSV file, or
        ``'openml:NAME'`` / ``'openml:ID'``.
    split : {None, 'train', 'test'}, default=None
        Which rows to load; only for sources with a canonical split
        (not Kaggle CSV files).
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        If True, return pandas objects.
    dtype : dtype, default=np.uint8
        The dtype of the pixels.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch` or tuple
        As :func:`load_mnist`.
    """
    check_split(split)
    kind, argument = parse_source(source)
    options = dict(return_X_y=return_X_y, as_frame=as_frame, dtype=dtype)
    if kind == "mnist":
        return load_mnist(split=split, **options)
    if kind == "idx":
        return load_idx(argument, split=split, **options)
    if kind == "openml":
        return fetch_openml_digits(argument, split=split, **options)
    if split is not None:
        raise ValueError(
            f"{argument}: a CSV file has no canonical train/test split; use split=None "
            "or load_train_test, which holds out a stratified test set"
        )
    return load_kaggle_csv(argument, **options)


def load_train_test(source=None, *, as_frame=False, dtype=np.uint8, test_size=1 / 7, random_state=0):
    """Return ``X_train, X_test, y_train, y_test`` from any source, in one call.

    Sources with a published split (MNIST, IDX folders, OpenML's
    ``mnist_784``) use it: for MNIST, the 60,000 training and 10,000 test
    images. Other sources (a Kaggle CSV, other OpenML data sets) hold out a
    stratified, seeded fraction of their rows as the test set.

    Parameters
    ----------
    source : str, path-like or None, default=None
        Where the digits come from, see :func:`load_source`.
    as_frame : bool, default=False
        If True, X are DataFrames and y categorical Series.
    dtype : dtype, default=np.uint8
        The dtype of the pixels.
    test_size : float, default=1/7
        The fraction held out as test set, for sources with no published
        split (1/7 is MNIST's 10,000 of 70,000).
    random_state : int, default=0
        Seed of that held-out split.

    Returns
    -------
    X_train, X_test, y_train, y_test : ndarrays, or DataFrames and Series

    Examples
    --------
    >>> from skdigits.datasets import load_train_test
    >>> X_train, X_test, y_train, y_test = load_train_test()
    >>> X_train.shape, X_test.shape
    ((60000, 784), (10000, 784))
    """
    options = dict(return_X_y=True, as_frame=as_frame, dtype=dtype)
    kind, argument = parse_source(source)
    if kind in ("mnist", "idx"):
        X_train, y_train = load_source(source, split="train", **options)
        X_test, y_test = load_source(source, split="test", **options)
        return X_train, X_test, y_train, y_test
    X, y = load_source(source, **options)
    if kind == "openml" and argument in CANONICAL_TRAIN_SIZE:
        n_train = CANONICAL_TRAIN_SIZE[argument]
        take = (lambda a, s: a.iloc[s]) if as_frame else (lambda a, s: a[s])
        train, test = slice(None, n_train), slice(n_train, None)
        return take(X, train), take(X, test), take(y, train), take(y, test)
    return train_test_split(X, y, test_size=test_size, stratify=y, random_state=random_state)
