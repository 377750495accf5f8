"""MNIST from the copy shipped inside skdigits, and any folder of IDX files."""

from pathlib import Path

import numpy as np

from ._base import check_split, make_bunch
from ._errors import DataFileError
from ._idx import read_idx

SHIPPED_DIR = Path(__file__).parent / "data"

# MD5 of each shipped file once gunzipped: the ones published with MNIST.
MNIST_MD5 = {
    "train-images-idx3-ubyte.gz": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte.gz": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte.gz": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte.gz": "27ae3e4e09519cfbb04c329615203637",
}

MNIST_DESCR = """\
MNIST database of handwritten digits, shipped with skdigits.

70,000 grey-level images of 28 x 28 pixels (0-255), labels '0'..'9'; the first
60,000 rows are the canonical training set, the last 10,000 the test set.
Same schema as OpenML's mnist_784 (features pixel1..pixel784, target 'class').

Authors: Yann LeCun, Corinna Cortes, Christopher J. C. Burges.
Licence: Creative Commons Attribution-Share Alike 3.0.
"""

# The spellings of the four files seen in the wild, for each split.
_PREFIXES = {"train": ("train",), "test": ("t10k", "test")}
_KINDS = {"images": 3, "labels": 1}


def _find_idx_file(folder, split, kind):
    """Return the path of ``split``'s ``kind`` file in ``folder``."""
    ndim = _KINDS[kind]
    candidates = [
        folder / f"{prefix}-{kind}{sep}idx{ndim}-ubyte{ext}"
        for prefix in _PREFIXES[split]
        for sep in ("-", ".")
        for ext in (".gz", "")
    ]
    for path in candidates:
        if path.is_file():
            return path
    raise DataFileError(
        candidates[0],
        f"no {split} {kind} file in {folder}",
        f"the folder must hold a file named like {candidates[0].name} "
        f"or {candidates[1].name}",
    )


def _read_split(folder, split, checksums):
    """Read and cross-check one split's images and labels from ``folder``."""
    images_path = _find_idx_file(folder, split, "images")
    labels_path = _find_idx_file(folder, split, "labels")
    images = read_idx(images_path, ndim=3, md5=checksums.get(images_path.name))
    labels = read_idx(labels_path, ndim=1, md5=checksums.get(labels_path.name))
    if images.shape[0] != labels.shape[0]:
        raise DataFileError(
            labels_path,
            f"holds {labels.shape[0]} labels but {images_path.name} holds "
            f"{images.shape[0]} images",
            "images and labels must come from the same data set",
        )
    return images.reshape(images.shape[0], -1), labels


def _load_folder(folder, *, split, as_frame, return_X_y, dtype, checksums, descr):
    check_split(split)
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(
            f"{folder}: no such folder; give a folder holding the four IDX files "
            "(train-images-idx3-ubyte, train-labels-idx1-ubyte, "
            "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, gzipped or not)"
        )
    splits = ("train", "test") if split is None else (split,)
    parts = [_read_split(folder, s, checksums) for s in splits]
    if len(parts) == 1:
        X, labels = parts[0]
    else:
        if parts[0][0].shape[1] != parts[1][0].shape[1]:
            raise DataFileError(
                folder,
                f"training images have {parts[0][0].shape[1]} pixels but test "
                f"images have {parts[1][0].shape[1]}",
                "both splits must come from the same data set",
            )
        X = np.concatenate([p[0] for p in parts])
        labels = np.concatenate([p[1] for p in parts])
    return make_bunch(
        X, labels, as_frame=as_frame, return_X_y=return_X_y, dtype=dtype, descr=descr
    )


def load_mnist(*, split=None, return_X_y=False, as_frame=False, dtype=np.uint8):
    """Load MNIST from the copy shipped inside skdigits; no network needed.

    The result has the schema of ``sklearn.datasets.fetch_openml("mnist_784")``:
    784 features ``pixel1``..``pixel784`` and a target named ``class`` whose
    values are the strings ``'0'``..``'9'``. Rows 0..59,999 are the canonical
    training set and rows 60,000..69,999 the test set. Every file's MD5 is
    checked against the published one.

    Parameters
    ----------
    split : {None, 'train', 'test'}, default=None
        Which rows to load: all 70,000 (training rows first), the 60,000
        training rows or the 10,000 test rows.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        If True, ``data`` is a DataFrame, ``target`` a categorical Series and
        the Bunch also holds ``frame``, both together.
    dtype : dtype, default=np.uint8
        The dtype of the pixels, which keep their 0-255 values. The default
        keeps 70,000 x 784 pixels in 55 MB; float64 would take 440 MB.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With attributes ``data``, ``target``, ``frame`` (None unless
        ``as_frame``), ``feature_names``, ``target_names`` and ``DESCR``.
    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    DataFileError
        If a shipped file is truncated, corrupt or does not have the published
        MD5.

    See Also
    --------
    load_idx : The same from any folder of IDX files.
    load_train_test : The canonical split as ``X_train, X_test, y_train, y_test``.

    Examples
    --------
    >>> from skdigits.datasets import load_mnist
    >>> X, y = load_mnist(return_X_y=True)
    >>> X.shape, X.dtype, y[:3]
    ((70000, 784), dtype('uint8'), array(['5', '0', '4'], dtype=object))
    """
    return _load_folder(
        SHIPPED_DIR,
        split=split,
        as_frame=as_frame,
        return_X_y=return_X_y,
        dtype=dtype,
        checksums=MNIST_MD5,
        descr=MNIST_DESCR,
    )


def load_idx(path, *, split=None, return_X_y=False, as_frame=False, dtype=np.uint8):
    """Load a data set in MNIST's IDX format from a folder.

    The folder holds four files, gzipped or not, named as MNIST's:
    ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
    ``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte`` (a ``.gz``
    suffix, ``.idx3`` for ``-idx3`` and ``test`` for ``t10k`` are accepted).
    Fashion-MNIST, KMNIST and MNIST itself come this way. Images may have any
    size; a 28 x 28 image gives 784 features.

    Parameters
    ----------
    path : str or path-like
        The folder.
    split : {None, 'train', 'test'}, default=None
        Which rows to load: all (training rows first), training or test.
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
        If the folder does not exist.
    DataFileError
        If a file is missing, truncated or corrupt, or images and labels
        differ in number.
    """
    return _load_folder(
        path,
        split=split,
        as_frame=as_frame,
        return_X_y=return_X_y,
        dtype=dtype,
        checksums={},
        descr=f"Images and labels read from the IDX files in {path}.",
    )
