"""A refit keeps no more memory than it needs: no cached features, and its model sent back as files."""

import numpy as np
import pytest
import skops.io as sio
from sklearn.linear_model import LogisticRegression

from skdigits.benchmark._family import one_blas_thread, refit_and_predict
from skdigits.benchmark._run_folder import ModelFiles
from skdigits.datasets import load_mnist
from skdigits.preprocessing import get_feature_cache
from skdigits.preprocessing._cache import clear_feature_caches
from skdigits.zoo._features import deskewed_hog, pipeline


def _digits():
    X, y = load_mnist(split="test", return_X_y=True)
    return X[:400], y[:400], X[400:600]


def _cached_pipeline():
    return pipeline(("clf", LogisticRegression(max_iter=200))).set_params(features=deskewed_hog())


def test_a_refit_leaves_no_features_in_the_process_cache_and_predicts_the_same():
    X, y, X_test = _digits()
    clear_feature_caches()
    record = refit_and_predict(_cached_pipeline(), {}, X, y, X_test, n_jobs=1)
    assert get_feature_cache().nbytes == 0
    with one_blas_thread():  # as every fit of a run
        cached = _cached_pipeline().fit(X, y)
        proba = cached.predict_proba(X_test)
    assert get_feature_cache().nbytes > 0  # the search's pipelines do cache
    np.testing.assert_array_equal(record["proba"], proba.astype(np.float32))
    clear_feature_caches()


def test_a_refit_sends_back_its_model_as_the_files_of_models_or_not_at_all():
    X, y, X_test = _digits()
    files = refit_and_predict(_cached_pipeline(), {}, X, y, X_test, n_jobs=1, model="files")
    assert isinstance(files["model"], ModelFiles) and files["model"].format == "skops"
    content = files["model"].files[".skops"]
    model = sio.loads(content, trusted=sio.get_untrusted_types(data=content))
    assert [str(v) for v in model.predict(X_test)] == files["y_pred"]
    assert "model" not in refit_and_predict(_cached_pipeline(), {}, X, y, X_test, n_jobs=1, model=None)


def test_a_model_rewritten_halfway_names_no_refit(tmp_path, monkeypatch):
    from skdigits.benchmark import _run_folder

    _run_folder.write_model(ModelFiles({".skops": b"first"}, "skops"), tmp_path, "logreg", "key-1")
    assert _run_folder.saved_key(tmp_path, "logreg") == "key-1"

    def full_disk(path, content):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_run_folder, "write_atomic", full_disk)
    with pytest.raises(OSError, match="No space"):
        _run_folder.write_model(ModelFiles({".skops": b"second"}, "skops"), tmp_path, "logreg", "key-2")
    assert _run_folder.saved_key(tmp_path, "logreg") is None  # not key-1 beside files that may be key-2's


def test_a_batch_task_starts_and_ends_with_the_workers_feature_caches_empty():
    from skdigits.benchmark._cluster import _captured

    X, y, X_test = _digits()
    with one_blas_thread():
        _cached_pipeline().fit(X, y)  # a search's fit, leaving its features in this process's cache
    assert get_feature_cache().nbytes > 0
    ok, seen = _captured(lambda: get_feature_cache().nbytes)
    assert ok and seen == 0  # the refit's peak does not carry the search's features
    assert get_feature_cache().nbytes == 0
