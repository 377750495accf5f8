"""Fit records on disk: atomic, keyed by everything that defines a fit."""

import os

import pytest

from skdigits import get_model
from skdigits.benchmark._store import FitStore, pipeline_digest, task_key, write_atomic


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


def test_store_round_trip_and_unknown_or_corrupt_records(tmp_path):
    store = FitStore(tmp_path)
    assert store.get("svm", "abc") is None
    store.put("svm", "abc", {"score": 0.9})
    assert store.get("svm", "abc") == {"score": 0.9}
    (tmp_path / "fits" / "svm" / "abc.json").write_text('{"score": 0.')  # not ours: truncated
    assert store.get("svm", "abc") is None


def test_task_key_depends_on_every_field():
    key = task_key(family="svm", params={"clf__C": 1.0}, fold=0)
    assert key == task_key(fold=0, params={"clf__C": 1.0}, family="svm")
    assert key != task_key(family="svm", params={"clf__C": 1.0}, fold=1)
    assert key != task_key(family="svm", params={"clf__C": 10.0}, fold=0)


def test_pipeline_digest_sees_nested_parameters_but_not_the_cache():
    pipe = get_model("xgboost").pipeline
    digest = pipeline_digest(pipe)
    assert digest == pipeline_digest(get_model("xgboost").pipeline)
    assert digest == pipeline_digest(pipe.set_params(memory=str("/tmp/cache")))
    assert digest != pipeline_digest(pipe.set_params(clf__estimator__n_estimators=7))


def test_pipeline_digest_is_the_same_in_another_process():
    import subprocess
    import sys

    code = "from skdigits import get_model; from skdigits.benchmark._store import pipeline_digest; print(pipeline_digest(get_model('logreg').pipeline))"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert other.stdout.strip() == pipeline_digest(get_model("logreg").pipeline)
