"""Records on disk: atomic, readable per the umask, any picklable value; keys that digest the inputs."""

import os
import subprocess
import sys

import numpy as np
import pytest

from skdigits import get_model
from skdigits.model_selection import FitStore, write_atomic
from skdigits.model_selection._keys import data_digest, digest, fit_key


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


def test_store_round_trip_of_any_picklable_record_and_unreadable_ones(tmp_path):
    store = FitStore(tmp_path)
    assert store.get("abc") is None
    record = {"score": 0.9, "proba": np.eye(3, dtype=np.float32), "estimator": get_model("knn", "quick").pipeline}
    store.put("abc", record)
    got = store.get("abc")
    assert got["score"] == 0.9 and np.array_equal(got["proba"], record["proba"])
    assert type(got["estimator"]) is type(record["estimator"])
    (tmp_path / "abc.pkl").write_bytes(b"\x80\x05trunc")  # truncated: counts as missing
    assert store.get("abc") is None


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
