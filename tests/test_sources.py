"""One value names any source: what `--data` of the benchmark accepts."""

import numpy as np
import pandas as pd
import pytest

from skdigits.datasets import load_mnist, load_source, load_train_test, parse_source


def test_parse_source_names_each_loader(idx_folder, tmp_path):
    csv = tmp_path / "train.csv"
    csv.write_text("label,pixel0\n1,0\n")
    assert parse_source(None) == ("mnist", None)
    assert parse_source("mnist") == ("mnist", None)
    assert parse_source("openml:mnist_784") == ("openml", "mnist_784")
    assert parse_source("openml:554") == ("openml", 554)
    assert parse_source(idx_folder) == ("idx", idx_folder)
    assert parse_source(str(csv)) == ("csv", csv)


@pytest.mark.parametrize("bad, message", [
    ("nowhere/at/all", "data source 'nowhere/at/all' not found"),
    ("openml:", "needs a data set name or id"),
])
def test_unknown_source_lists_the_accepted_forms(bad, message):
    with pytest.raises(ValueError, match=message):
        parse_source(bad)


def test_non_csv_file_is_refused(tmp_path):
    path = tmp_path / "digits.parquet"
    path.write_bytes(b"x")
    with pytest.raises(ValueError, match="not a CSV file"):
        parse_source(path)


def test_load_source_default_is_the_shipped_mnist():
    X, y = load_source(split="test", return_X_y=True)
    X_ref, y_ref = load_mnist(split="test", return_X_y=True)
    np.testing.assert_array_equal(X, X_ref)


def test_idx_folder_keeps_its_own_split(idx_folder):
    X_train, X_test, y_train, y_test = load_train_test(idx_folder)
    assert X_train.shape == (30, 20) and X_test.shape == (12, 20)


def test_csv_gets_a_stratified_seeded_holdout(tmp_path):
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.integers(0, 256, size=(70, 4)), columns=[f"pixel{i}" for i in range(4)])
    frame.insert(0, "label", np.arange(70) % 7)
    path = tmp_path / "train.csv"
    frame.to_csv(path, index=False)
    X_train, X_test, y_train, y_test = load_train_test(path, test_size=1 / 7, random_state=3)
    assert X_test.shape == (10, 4)
    # Stratified: each of the 7 classes of 10 rows keeps 1 or 2 test rows.
    _, per_class = np.unique(y_test, return_counts=True)
    assert per_class.size == 7 and set(per_class) <= {1, 2}
    again = load_train_test(path, test_size=1 / 7, random_state=3)
    np.testing.assert_array_equal(X_test, again[1])
    with pytest.raises(ValueError, match="no canonical train/test split"):
        load_source(path, split="test")
