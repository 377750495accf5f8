"""Handwritten digits in the schema of OpenML's ``mnist_784``, from any source.

MNIST ships inside skdigits: :func:`load_mnist` needs no network. The other
loaders read a folder of IDX files, a Kaggle-style CSV or an OpenML data set
and return the same schema: features ``pixel1``..``pixelN``, a target named
``class`` holding the labels as strings.
"""

from ._errors import DataFileError
from ._kaggle import load_kaggle_csv
from ._mnist import load_idx, load_mnist
from ._openml import fetch_openml_digits
from ._source import load_source, load_train_test, parse_source

__all__ = [
    "DataFileError",
    "fetch_openml_digits",
    "load_idx",
    "load_kaggle_csv",
    "load_mnist",
    "load_source",
    "load_train_test",
    "parse_source",
]
