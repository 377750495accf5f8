"""The MNIST copy shipped inside skdigits, checked against its README."""

import shutil

import numpy as np
import pandas as pd
import pytest

from skdigits.datasets import DataFileError, _mnist, load_mnist, load_train_test

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
DIGITS = [str(d) for d in range(10)]


def counts(y):
    values, n = np.unique(np.asarray(y), return_counts=True)
    assert values.tolist() == DIGITS
    return n.tolist()


@pytest.fixture(scope="module")
def mnist_xy():
    return load_mnist(return_X_y=True)


def test_return_X_y_gives_all_70000_uint8_rows(mnist_xy):
    X, y = mnist_xy
    assert X.shape == (70000, 784)
    assert X.dtype == np.uint8
    assert X.flags.writeable
    assert X.min() == 0 and X.max() == 255
    assert y.shape == (70000,) and y.dtype == object


def test_class_counts_match_the_published_ones(mnist_xy):
    _, y = mnist_xy
    assert counts(y[:60000]) == TRAIN_COUNTS
    assert counts(y[60000:]) == TEST_COUNTS


def test_first_labels_are_mnists_known_first_digits(mnist_xy):
    _, y = mnist_xy
    assert y[:8].tolist() == ["5", "0", "4", "1", "9", "2", "1", "3"]
    assert y[60000:60005].tolist() == ["7", "2", "1", "0", "4"]


@pytest.mark.parametrize(
    "split, n_rows, expected", [("train", 60000, TRAIN_COUNTS), ("test", 10000, TEST_COUNTS)]
)
def test_split_gives_the_canonical_rows(mnist_xy, split, n_rows, expected):
    X, y = load_mnist(split=split, return_X_y=True)
    assert X.shape == (n_rows, 784)
    assert counts(y) == expected
    rows = slice(None, 60000) if split == "train" else slice(60000, None)
    np.testing.assert_array_equal(X, mnist_xy[0][rows])


def test_as_frame_has_the_openml_mnist_784_schema():
    bunch = load_mnist(split="test", as_frame=True)
    assert list(bunch.data.columns) == [f"pixel{i}" for i in range(1, 785)]
    assert bunch.feature_names == list(bunch.data.columns)
    assert bunch.target_names == ["class"]
    assert bunch.target.name == "class"
    assert isinstance(bunch.target.dtype, pd.CategoricalDtype)
    assert list(bunch.target.cat.categories) == DIGITS
    assert (bunch.data.dtypes == np.uint8).all()
    assert bunch.frame.shape == (10000, 785)
    pd.testing.assert_series_equal(bunch.frame["class"], bunch.target)
    assert "LeCun" in bunch.DESCR


def test_bunch_without_frame_holds_arrays():
    bunch = load_mnist(split="test")
    assert isinstance(bunch.data, np.ndarray)
    assert bunch.frame is None


def test_dtype_converts_pixels_without_rescaling():
    X, _ = load_mnist(split="test", return_X_y=True, dtype=np.float32)
    assert X.dtype == np.float32
    assert X.max() == 255.0


def test_load_train_test_is_the_canonical_split():
    X_train, X_test, y_train, y_test = load_train_test()
    assert X_train.shape == (60000, 784) and X_test.shape == (10000, 784)
    assert counts(y_train) == TRAIN_COUNTS and counts(y_test) == TEST_COUNTS


def test_unknown_split_is_refused():
    with pytest.raises(ValueError, match="split='validation' is not supported"):
        load_mnist(split="validation")


@pytest.fixture
def shipped_copy(tmp_path, monkeypatch):
    """A copy of the shipped files that load_mnist reads instead."""
    for name in _mnist.MNIST_MD5:
        shutil.copy(_mnist.SHIPPED_DIR / name, tmp_path / name)
    monkeypatch.setattr(_mnist, "SHIPPED_DIR", tmp_path)
    return tmp_path


def test_shipped_file_with_wrong_md5_is_refused(shipped_copy):
    # A well-formed IDX file whose content differs by one label.
    from conftest import write_idx

    labels = load_mnist(split="test", return_X_y=True)[1].astype(np.uint8)
    labels[0] = (labels[0] + 1) % 10
    write_idx(shipped_copy / "t10k-labels-idx1-ubyte.gz", labels, gzipped=True)
    with pytest.raises(DataFileError, match=r"t10k-labels-idx1-ubyte\.gz: the MD5"):
        load_mnist(split="test")


def test_truncated_shipped_file_is_refused(shipped_copy):
    path = shipped_copy / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:100_000])
    with pytest.raises(DataFileError, match=r"train-images-idx3-ubyte\.gz: the gzip stream"):
        load_mnist()


def test_missing_shipped_file_is_named(shipped_copy):
    (shipped_copy / "t10k-images-idx3-ubyte.gz").unlink()
    with pytest.raises(DataFileError, match="no test images file"):
        load_mnist(split="test")
