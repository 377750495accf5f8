"""OpenML data sets, through a local stand-in for fetch_openml: no network."""

import numpy as np
import pytest
import sklearn.datasets

from skdigits.datasets import fetch_openml_digits, load_mnist, load_train_test


@pytest.fixture
def openml_calls(monkeypatch):
    """Replace fetch_openml by a stand-in serving MNIST as OpenML does."""
    calls = []
    X, y = load_mnist(return_X_y=True)

    def fake_fetch_openml(name=None, *, data_id=None, data_home=None, return_X_y=False, as_frame="auto",
                          parser="auto", **kw):
        calls.append(dict(name=name, data_id=data_id, data_home=data_home, as_frame=as_frame))
        if name == "tiny" or data_id == 42:
            # liac-arff gives float64 pixels and string labels.
            return X[:20].astype(np.float64), y[:20]
        if name == "mnist_784" or data_id == 554:
            return X, y
        raise ValueError(f"Dataset {name or data_id} not found")  # as fetch_openml

    monkeypatch.setattr(sklearn.datasets, "fetch_openml", fake_fetch_openml)
    return calls


def test_fetch_by_name_goes_through_fetch_openml_and_its_cache(openml_calls, tmp_path):
    bunch = fetch_openml_digits("tiny", data_home=tmp_path, as_frame=True)
    assert openml_calls == [dict(name="tiny", data_id=None, data_home=tmp_path, as_frame=False)]
    assert bunch.data.shape == (20, 784)
    assert (bunch.data.dtypes == np.uint8).all()
    assert bunch.target.name == "class"


def test_fetch_by_id_as_int_or_digits(openml_calls):
    X1, _ = fetch_openml_digits(42, return_X_y=True)
    X2, _ = fetch_openml_digits("42", return_X_y=True)
    assert [c["data_id"] for c in openml_calls] == [42, 42]
    np.testing.assert_array_equal(X1, X2)


def test_mnist_784_split_is_the_canonical_one(openml_calls):
    X, y = fetch_openml_digits("mnist_784", split="test", return_X_y=True)
    np.testing.assert_array_equal(X, load_mnist(split="test", return_X_y=True)[0])


def test_split_of_an_unknown_data_set_is_refused(openml_calls):
    with pytest.raises(ValueError, match="'tiny' has no known train/test split"):
        fetch_openml_digits("tiny", split="train")


def test_load_train_test_from_openml_mnist(openml_calls):
    X_train, X_test, y_train, y_test = load_train_test("openml:554", as_frame=True)
    assert X_train.shape == (60000, 784) and X_test.shape == (10000, 784)
    assert y_test.iloc[0] == "7"


def test_non_pixel_data_is_refused(monkeypatch):
    monkeypatch.setattr(
        sklearn.datasets, "fetch_openml", lambda **kw: (np.array([[0.5, 2.0]]), np.array(["a"]))
    )
    with pytest.raises(ValueError, match="does not hold pixels in 0..255"):
        fetch_openml_digits("iris")
