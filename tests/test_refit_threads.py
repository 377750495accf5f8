"""Refits use the run's cores where the result does not depend on them (issue 16), to the bit (issue 14)."""

import threading

import numpy as np
import pytest
from joblib import Parallel, delayed, parallel_config
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_info

from skdigits import get_model
from skdigits.benchmark._cluster import LocalRunner
from skdigits.benchmark._family import one_blas_thread, refit_and_predict
from skdigits.datasets import load_mnist


class _ThreadCounter(ClassifierMixin, BaseEstimator):
    """Records how many jobs a loop that prefers threads (a forest's) gets from joblib's context."""

    def fit(self, X, y):
        self.fit_jobs_ = Parallel(prefer="threads").n_jobs
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        self.predict_jobs_ = Parallel(prefer="threads").n_jobs
        return np.full(len(X), self.classes_[0])


@pytest.fixture(scope="module")
def mnist_rows():
    """10,000 training rows of MNIST to fit (XGBoost splits fewer among its threads), 500 more to predict."""
    bunch = load_mnist(split="train")
    return bunch.data[:10000], bunch.target[:10000], bunch.data[10000:10500]


def test_a_refit_gives_thread_preferring_loops_n_jobs_threads():
    X, y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
    record = refit_and_predict(Pipeline([("clf", _ThreadCounter())]), {}, X, y, X, n_jobs=2)
    assert (record["model"][-1].fit_jobs_, record["model"][-1].predict_jobs_) == (2, 2)


def test_random_forest_refit_on_one_thread_or_two_predicts_the_same_to_the_bit(mnist_rows):
    pipeline = get_model("rf", "quick").pipeline.set_params(clf__n_estimators=20)
    one, two = (refit_and_predict(pipeline, {}, *mnist_rows, n_jobs=n_jobs) for n_jobs in (1, 2))
    assert one["y_pred"] == two["y_pred"]
    np.testing.assert_array_equal(one["proba"], two["proba"])


def _xgboost_refit(mnist_rows, n_jobs):
    pipeline = get_model("xgboost", "quick").pipeline.set_params(clf__estimator__n_estimators=5)
    return refit_and_predict(pipeline, {}, *mnist_rows, n_jobs=n_jobs)["proba"]


def test_xgboost_refit_here_gives_a_one_thread_workers_probabilities_to_the_bit(mnist_rows):
    # Its sums' order depends on its threads: a refit here (every core by
    # XGBoost's default) and in a search's worker (one) would differ.
    here = _xgboost_refit(mnist_rows, -1)
    with parallel_config(backend="loky", inner_max_num_threads=1):
        [in_worker] = Parallel(n_jobs=2)(delayed(_xgboost_refit)(mnist_rows, 1) for _ in range(1))
    np.testing.assert_array_equal(here, in_worker)


def test_a_local_batch_runs_a_familys_refits_at_once():
    both_started = threading.Barrier(2, timeout=30)
    runner = LocalRunner()
    with runner.batch(n_jobs=2, fit_timeout=None):
        futures = [runner.submit(both_started.wait) for _ in range(2)]
        assert sorted(f.result() for f in futures) == [0, 1]  # neither waited for the other to end


def _blas_threads():
    return {info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"}


def test_every_fit_of_a_batch_keeps_one_blas_thread_when_another_ends_first():
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first():
        with one_blas_thread():
            first_in.set()
            second_in.wait(30)
        first_out.set()

    def second():
        first_in.wait(30)
        with one_blas_thread():
            second_in.set()
            first_out.wait(30)
            return _blas_threads()

    runner = LocalRunner()
    with runner.batch(n_jobs=2, fit_timeout=None):
        _, threads = runner.submit(first), runner.submit(second)
        assert threads.result() == {1}


def test_a_refit_transforms_its_rows_once_without_writing_them_to_the_cache_folder(tmp_path):
    # The folder serves a search's candidates sharing a fold's features; a refit's would be a dead copy.
    from joblib import Memory
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression

    X, y = np.random.RandomState(0).rand(40, 6), np.tile([0, 1], 20)
    pipeline = Pipeline([("pca", PCA(2)), ("clf", LogisticRegression())], memory=Memory(tmp_path, verbose=0))
    record = refit_and_predict(pipeline, {}, X, y, X, 1)
    assert len(record["y_pred"]) == 40
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and p.name != ".gitignore"]
    assert pipeline.memory is not None  # the caller's pipeline keeps its folder for its searches
