"""Records on disk: atomic, readable per the umask, plain data only; keys that digest the inputs."""

import functools
import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, balanced_accuracy_score, make_scorer

from skdigits import get_model
from skdigits.model_selection import FitStore, write_atomic
from skdigits.model_selection._keys import data_digest, digest, fit_key
from skdigits.model_selection._store import UnreadableRecordWarning


def test_write_atomic_replaces_whole_files_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "sub" / "r.json"
    write_atomic(path, "first")
    write_atomic(path, "second")
    assert path.read_text() == "second"
    assert os.listdir(path.parent) == ["r.json"]


def test_write_atomic_keeps_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "r.json"
    write_atomic(path, "complete")
    with pytest.raises(TypeError):
        write_atomic(path, 12345)  # neither str nor bytes: fails mid-write
    assert path.read_text() == "complete"
    assert os.listdir(tmp_path) == ["r.json"]


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_written_files_are_readable_as_the_umask_says(tmp_path, umask):
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "results.csv", "a,b\n")
    finally:
        os.umask(old)
    assert (tmp_path / "results.csv").stat().st_mode & 0o777 == 0o666 & ~umask


class _Planted:
    """Unpickling this runs ``Path.touch`` on a marker: the code a hostile folder would run."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


def test_store_round_trips_plain_data_exactly(tmp_path):
    store = FitStore(tmp_path)
    assert store.get("abc") is None
    record = {"score": np.float64(0.9), "time": 1.5, "n": 7, "error": None, "ok": True, "scores": {"a": 0.5},
              "proba": np.eye(3, dtype=np.float32), "rows": np.arange(4), "labels": np.array(["3", "7"], dtype=object),
              "classes": ["3", "7"], "pair": (1, "x"), "nan": float("nan"), "history": {"loss": [0.5, 0.25]}}
    store.put("abc", record)
    got = store.get("abc")
    assert set(got) == set(record) and np.isnan(got.pop("nan"))
    for name, value in got.items():
        assert type(value) is type(record[name]), name
        if isinstance(value, np.ndarray):
            assert value.dtype == record[name].dtype and np.array_equal(value, record[name]), name
        else:
            assert value == record[name], name


@pytest.mark.parametrize("record", [
    {"estimator": get_model("knn", "quick").pipeline},
    {"labels": np.array([1, "a", None], dtype=object)},
    {1: "not a str key"},
    42,
])
def test_store_refuses_what_is_not_plain_data_when_writing(tmp_path, record):
    with pytest.raises(TypeError, match="dict|plain data|str"):
        FitStore(tmp_path).put("abc", record)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content", ["pickle of 42", "planted pickle", "truncated", "other npz"])
def test_an_unreadable_record_counts_as_missing_with_a_warning_and_never_runs_code(tmp_path, content):
    store = FitStore(tmp_path / "fits")
    store.put("abc", {"score": 0.9})
    marker = tmp_path / "code-ran"
    data = {"pickle of 42": pickle.dumps(42), "planted pickle": pickle.dumps(_Planted(marker)),
            "truncated": store.path("abc").read_bytes()[:40]}.get(content)
    if data is None:
        np.savez(store.path("abc"), record=np.array([1.5]))
    else:
        store.path("abc").write_bytes(data)
    with pytest.warns(UnreadableRecordWarning, match="abc.npz"):
        assert store.get("abc") is None
    assert not marker.exists()


def test_an_old_pickle_record_is_never_loaded_and_counts_as_missing(tmp_path):
    marker = tmp_path / "code-ran"
    (tmp_path / "abc.pkl").write_bytes(pickle.dumps(_Planted(marker)))
    with pytest.warns(UnreadableRecordWarning, match="abc.pkl"):
        assert FitStore(tmp_path).get("abc") is None
    assert not marker.exists() and len(FitStore(tmp_path)) == 0


def test_a_record_of_the_wrong_shape_counts_as_missing(tmp_path):
    store = FitStore(tmp_path)
    store.put("abc", {"score": "high"})
    with pytest.warns(UnreadableRecordWarning, match="wrong shape"):
        assert store.get("abc", validate=lambda r: isinstance(r["score"], float)) is None
    with pytest.warns(UnreadableRecordWarning, match="wrong shape"):
        assert store.get("abc", validate=lambda r: r["missing"]) is None
    assert store.get("abc", validate=lambda r: r["score"] == "high") == {"score": "high"}


def test_a_store_that_is_a_file_is_refused_with_the_fix(tmp_path):
    (tmp_path / "store").write_text("a file")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        FitStore(tmp_path / "store")


@pytest.mark.parametrize("key", ["../x", "a/b", ".hidden", "", 3])
def test_a_key_never_names_a_file_outside_the_store(tmp_path, key):
    with pytest.raises(ValueError, match="key"):
        FitStore(tmp_path).path(key)


def test_lambdas_and_closures_with_different_bodies_get_different_keys():
    def scorer_returning(value):
        return lambda est, X, y: value

    assert digest(lambda est, X, y: 1.0) != digest(lambda est, X, y: 0.0)
    assert digest(lambda est, X, y: 1.0) == digest(lambda est, X, y: 1.0)
    assert digest(scorer_returning(1)) != digest(scorer_returning(2))
    assert digest(functools.partial(scorer_returning(1))) != digest(functools.partial(scorer_returning(2)))
    assert digest(make_scorer(lambda y, p: 1.0)) != digest(make_scorer(lambda y, p: 0.0))
    assert digest(make_scorer(accuracy_score)) == digest(make_scorer(accuracy_score))
    assert digest(make_scorer(accuracy_score)) != digest(make_scorer(balanced_accuracy_score))


def test_what_can_be_neither_pickled_nor_described_is_refused():
    lock = threading.Lock()
    with pytest.raises(TypeError, match="cannot be keyed"):
        digest(lambda est, X, y: lock.locked())


def test_fit_key_depends_on_every_field_not_their_order():
    key = fit_key(kind="cv", params=digest({"clf__C": 1.0}), fold=0)
    assert key == fit_key(fold=0, params=digest({"clf__C": 1.0}), kind="cv")
    assert key != fit_key(kind="cv", params=digest({"clf__C": 1.0}), fold=1)
    assert key != fit_key(kind="cv", params=digest({"clf__C": 10.0}), fold=0)


def test_estimator_digest_sees_nested_parameters_but_not_the_cache():
    pipe = get_model("xgboost").pipeline
    value = digest(pipe)
    assert value == digest(get_model("xgboost").pipeline)
    assert value == digest(pipe.set_params(memory="/tmp/cache"))
    assert value != digest(pipe.set_params(clf__estimator__n_estimators=7))


def test_data_digest_sees_values_and_column_names():
    import pandas as pd

    X = np.arange(12).reshape(4, 3)
    assert data_digest(X) == data_digest(X.copy())
    assert data_digest(X) != data_digest(X[:3])
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    assert data_digest(frame) != data_digest(frame.rename(columns={"a": "z"}))


def test_digests_are_the_same_in_another_process():
    code = ("from skdigits import get_model; from skdigits.model_selection._keys import digest; "
            "print(digest(get_model('logreg').pipeline), digest(get_model('logreg').param_grid))")
    env = {**os.environ, "PYTHONHASHSEED": "7"}
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           timeout=120, env=env)
    spec = get_model("logreg")
    assert other.stdout.split() == [digest(spec.pipeline), digest(spec.param_grid)]
