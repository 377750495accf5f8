"""CSV files in the layout of Kaggle's digit-recognizer competition."""

import numpy as np
import pandas as pd
import pytest
from conftest import write_kaggle_csv

from skdigits.datasets import DataFileError, load_kaggle_csv, load_mnist


@pytest.fixture
def kaggle_csv(tmp_path):
    """The first 50 MNIST test images, written as Kaggle's train.csv."""
    X, y = load_mnist(split="test", return_X_y=True)
    return write_kaggle_csv(tmp_path / "train.csv", X[:50], y[:50])


def test_csv_loads_in_the_openml_schema(kaggle_csv):
    bunch = load_kaggle_csv(kaggle_csv, as_frame=True)
    X_ref, y_ref = load_mnist(split="test", return_X_y=True)
    assert list(bunch.data.columns) == [f"pixel{i}" for i in range(1, 785)]
    assert bunch.target.name == "class"
    np.testing.assert_array_equal(bunch.data.to_numpy(), X_ref[:50])
    assert bunch.target.astype(str).tolist() == y_ref[:50].tolist()
    assert (bunch.data.dtypes == np.uint8).all()


def test_compressed_csv_loads(kaggle_csv, tmp_path):
    gz = tmp_path / "train.csv.gz"
    pd.read_csv(kaggle_csv).to_csv(gz, index=False)
    X, y = load_kaggle_csv(gz, return_X_y=True)
    assert X.shape == (50, 784)


def test_unlabelled_csv_is_refused_with_a_hint(kaggle_csv):
    pd.read_csv(kaggle_csv).drop(columns="label").to_csv(kaggle_csv, index=False)
    with pytest.raises(DataFileError, match="train.csv: has no 'label' column.*test.csv has no labels"):
        load_kaggle_csv(kaggle_csv)


def test_missing_values_are_refused(kaggle_csv):
    frame = pd.read_csv(kaggle_csv).astype(float)
    frame.iloc[3, 100] = np.nan
    frame.to_csv(kaggle_csv, index=False)
    with pytest.raises(DataFileError, match="1 rows have missing values"):
        load_kaggle_csv(kaggle_csv)


def test_out_of_range_pixels_are_refused(kaggle_csv):
    frame = pd.read_csv(kaggle_csv)
    frame.iloc[0, 5] = 300
    frame.to_csv(kaggle_csv, index=False)
    with pytest.raises(DataFileError, match="integers in 0..255"):
        load_kaggle_csv(kaggle_csv)


def test_unexpected_columns_are_named(kaggle_csv):
    frame = pd.read_csv(kaggle_csv).rename(columns={"pixel7": "intensity"})
    frame.to_csv(kaggle_csv, index=False)
    with pytest.raises(DataFileError, match=r"unexpected: \['intensity'\]"):
        load_kaggle_csv(kaggle_csv)


def test_empty_csv_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("label,pixel0\n")
    with pytest.raises(DataFileError, match="holds no data rows"):
        load_kaggle_csv(path)


def test_missing_csv_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        load_kaggle_csv(tmp_path / "train.csv")
