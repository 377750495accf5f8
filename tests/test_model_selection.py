"""ResumableGridSearchCV and ResumableHalvingGridSearchCV: GridSearchCV's results, resumed fit by fit."""

import os
import socket
import subprocess
import sys
import time
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV, StratifiedKFold, cross_val_predict
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MaxAbsScaler

from skdigits.datasets import load_mnist
from skdigits.model_selection import FitStore, ResumableGridSearchCV, ResumableHalvingGridSearchCV
from skdigits.preprocessing import Deskewer

pytestmark = pytest.mark.slow  # searches over real MNIST digits, worker processes (deselect with -m 'not slow')

GRID = {"pca__n_components": [10, 20], "clf__n_neighbors": [3, 5]}
FOLDS = StratifiedKFold(3, shuffle=True, random_state=0)


@pytest.fixture(scope="module")
def digits():
    X, y = load_mnist(split="train", return_X_y=True)
    return X[:600], y[:600]


def knn():
    return Pipeline([("pca", PCA(random_state=0)), ("clf", KNeighborsClassifier())])


def _columns(results):
    return [k for k in results if k.startswith(("split", "mean_test", "std_test", "rank_test", "param"))]


def assert_same_results(ours, theirs):
    assert _columns(ours.cv_results_) == _columns(theirs.cv_results_)
    for column in _columns(theirs.cv_results_):
        a, b = ours.cv_results_[column], theirs.cv_results_[column]
        if column.startswith("param_"):  # masked arrays of objects, as GridSearchCV makes them
            assert isinstance(a, np.ma.MaskedArray)
            assert list(a.mask) == list(b.mask) and list(a.data) == list(b.data), column
        elif column == "params":
            assert a == b
        else:
            np.testing.assert_array_equal(a, b, err_msg=column)


@pytest.mark.parametrize("options", [
    {},
    {"scoring": "balanced_accuracy", "return_train_score": True},
    {"scoring": {"acc": "accuracy", "bal": "balanced_accuracy"}, "refit": "bal"},
])
@pytest.mark.parametrize("oof_proba", [False, True])
def test_scores_ranks_and_best_candidate_equal_gridsearchcvs_on_the_same_folds(digits, tmp_path, options,
                                                                               oof_proba):
    X, y = digits
    theirs = GridSearchCV(knn(), GRID, cv=FOLDS, **options).fit(X, y)
    ours = ResumableGridSearchCV(knn(), GRID, cv=FOLDS, store=tmp_path, oof_proba=oof_proba, **options).fit(X, y)
    assert_same_results(ours, theirs)
    assert ours.best_index_ == theirs.best_index_ and ours.best_params_ == theirs.best_params_
    assert ours.best_score_ == theirs.best_score_
    np.testing.assert_array_equal(ours.predict(X[:50]), theirs.predict(X[:50]))
    assert ours.score(X[:100], y[:100]) == theirs.score(X[:100], y[:100])


def test_drops_into_code_written_for_gridsearchcv(digits, tmp_path):
    def users_experiment(search_class, **extra):  # a user's own code, as written for GridSearchCV
        search = search_class(knn(), GRID, cv=FOLDS, n_jobs=2, **extra)
        search.fit(*digits)
        predictions = search.best_estimator_.predict(digits[0][:20])
        return search.best_params_, predictions, search.cv_results_["rank_test_score"]

    expected = users_experiment(GridSearchCV)
    got = users_experiment(ResumableGridSearchCV, store=tmp_path)
    assert got[0] == expected[0]
    np.testing.assert_array_equal(got[1], expected[1])
    np.testing.assert_array_equal(got[2], expected[2])
    assert clone(ResumableGridSearchCV(knn(), GRID, store=tmp_path)).get_params()["store"] == tmp_path


def test_second_fit_reads_every_fit_and_the_refit_from_the_store(digits, tmp_path):
    first = ResumableGridSearchCV(knn(), GRID, cv=FOLDS, store=tmp_path).fit(*digits)
    assert (first.n_fits_run_, first.n_fits_resumed_) == (4 * 3 + 1, 0)
    assert len(FitStore(tmp_path)) == 4 * 3 + 1
    again = ResumableGridSearchCV(knn(), GRID, cv=FOLDS, store=tmp_path).fit(*digits)
    assert (again.n_fits_run_, again.n_fits_resumed_) == (0, 13)
    assert_same_results(again, first)
    np.testing.assert_array_equal(again.predict(digits[0]), first.predict(digits[0]))


def test_progress_counts_every_fit_run_or_resumed(digits, tmp_path):
    for expected_run in (13, 0):  # fitted, then read from the store
        done = []
        search = ResumableGridSearchCV(knn(), GRID, cv=FOLDS, store=tmp_path, progress=done.append).fit(*digits)
        assert search.n_fits_run_ == expected_run
        assert sum(done) == 4 * 3 + 1 and all(n > 0 for n in done)


def test_a_missing_record_is_the_only_fit_redone(digits, tmp_path):
    ResumableGridSearchCV(knn(), GRID, cv=FOLDS, store=tmp_path, refit=False).fit(*digits)
    records = sorted(tmp_path.glob("*.npz"))
    records[3].unlink()
    records[5].write_bytes(b"truncated")  # as if written by something else: redone too
    again = ResumableGridSearchCV(knn(), GRID, cv=FOLDS, store=tmp_path, refit=False).fit(*digits)
    assert (again.n_fits_run_, again.n_fits_resumed_) == (2, 10)
    assert len(again.fit_log_) == 2  # the log holds the fits run, not those read back


def test_the_fit_log_says_when_and_where_each_fit_ran_and_what_it_cost(digits, tmp_path):
    before = time.time()
    search = ResumableGridSearchCV(knn(), GRID, cv=FOLDS, store=tmp_path, refit=False, n_jobs=2).fit(*digits)
    after = time.time()
    log = search.fit_log_
    assert sorted((f["candidate"], f["split"]) for f in log) == [(c, s) for c in range(4) for s in range(3)]
    assert len({f["pid"] for f in log}) == 2 and os.getpid() not in {f["pid"] for f in log}  # two workers
    assert {f["host"] for f in log} == {socket.gethostname()}  # of this machine
    for fit in log:  # within the search's time
        assert before <= fit["started_at"] and fit["started_at"] + fit["fit_time"] + fit["score_time"] <= after
        assert fit["fit_time"] > 0 and fit["score_time"] > 0
    # each candidate's fits are its row of cv_results_
    means = [np.mean([f["fit_time"] for f in log if f["candidate"] == c]) for c in range(4)]
    np.testing.assert_allclose(means, search.cv_results_["mean_fit_time"])
    again = ResumableGridSearchCV(knn(), GRID, cv=FOLDS, store=tmp_path, refit=False).fit(*digits)
    assert again.fit_log_ == []


def test_a_halving_searchs_fit_log_names_the_rows_of_its_cv_results(digits, tmp_path):
    grid = {"clf__n_neighbors": [1, 3, 5, 7, 9, 11], "pca__n_components": [10]}
    search = ResumableHalvingGridSearchCV(knn(), grid, cv=3, factor=2, random_state=0, min_resources=200,
                                          refit=False).fit(*digits)
    rows = sorted({f["candidate"] for f in search.fit_log_})
    assert rows == list(range(len(search.cv_results_["params"])))  # every iteration's candidates, in order
    assert len(search.fit_log_) == 3 * len(rows)


@pytest.mark.parametrize("change", ["search size", "row", "fold", "pipeline parameter", "scoring"])
def test_fits_on_other_inputs_are_never_reused(digits, tmp_path, change):
    X, y = digits
    ResumableGridSearchCV(knn(), GRID, cv=FOLDS, store=tmp_path, refit=False).fit(X, y)
    estimator, cv, scoring = knn(), FOLDS, None
    if change == "search size":
        X, y = X[:590], y[:590]
    elif change == "row":
        X = X.copy()
        X[17, 300] = 255 - X[17, 300]
    elif change == "fold":
        cv = StratifiedKFold(3, shuffle=True, random_state=1)
    elif change == "pipeline parameter":
        estimator.set_params(clf__weights="distance")
    else:
        scoring = "balanced_accuracy"
    again = ResumableGridSearchCV(estimator, GRID, cv=cv, scoring=scoring, store=tmp_path, refit=False).fit(X, y)
    assert (again.n_fits_run_, again.n_fits_resumed_) == (12, 0)


def test_the_pipelines_cache_folder_is_no_part_of_the_keys(digits, tmp_path):
    ResumableGridSearchCV(knn(), GRID, cv=FOLDS, store=tmp_path / "store", refit=False).fit(*digits)
    cached = knn().set_params(memory=str(tmp_path / "cache"))
    again = ResumableGridSearchCV(cached, GRID, cv=FOLDS, store=tmp_path / "store", refit=False).fit(*digits)
    assert again.n_fits_run_ == 0


@pytest.mark.slow  # a fresh Python process (or several): the full suite only
def test_keys_agree_across_processes(digits, tmp_path):
    ResumableGridSearchCV(knn(), GRID, cv=FOLDS, store=tmp_path, refit=False).fit(*digits)
    code = (
        "from sklearn.model_selection import StratifiedKFold\n"
        "from test_model_selection import GRID, knn\n"
        "from skdigits.datasets import load_mnist\n"
        "from skdigits.model_selection import ResumableGridSearchCV\n"
        "X, y = load_mnist(split='train', return_X_y=True)\n"
        f"s = ResumableGridSearchCV(knn(), GRID, cv=StratifiedKFold(3, shuffle=True, random_state=0), "
        f"store={str(tmp_path)!r}, refit=False).fit(X[:600], y[:600])\n"
        "print(s.n_fits_run_, s.n_fits_resumed_)\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.path.dirname(__file__), os.environ.get("PYTHONPATH", "")]),
           "PYTHONHASHSEED": "123"}
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert other.stdout.split() == ["0", "12"], other.stderr[-2000:]


def test_grids_over_estimators_and_numpy_values_are_recorded_and_resumed(digits, tmp_path):
    pipe = Pipeline([("features", "passthrough"), ("scale", MaxAbsScaler()),
                     ("clf", LogisticRegression(max_iter=200))])
    grid = {"features": ["passthrough", Deskewer()], "clf__C": np.array([0.1, 1.0])}
    first = ResumableGridSearchCV(pipe, grid, cv=2, store=tmp_path).fit(*digits)
    again = ResumableGridSearchCV(clone(pipe), grid, cv=2, store=tmp_path).fit(*digits)
    assert again.n_fits_run_ == 0 and again.best_index_ == first.best_index_


def test_failed_fits_score_error_score_and_are_tried_again(digits, tmp_path):
    grid = {"C": [1.0, -1.0]}  # C=-1 fails
    estimator = LogisticRegression(max_iter=200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = GridSearchCV(estimator, grid, cv=FOLDS, error_score=0.0).fit(*digits)
        ours = ResumableGridSearchCV(estimator, grid, cv=FOLDS, error_score=0.0, store=tmp_path).fit(*digits)
        again = ResumableGridSearchCV(estimator, grid, cv=FOLDS, error_score=0.0, store=tmp_path).fit(*digits)
    assert_same_results(ours, theirs)
    assert list(ours.cv_results_["mean_test_score"])[1] == 0.0
    assert again.n_fits_run_ == 3  # the three failed fits, not the recorded ones
    with pytest.raises(Exception, match="C"):
        ResumableGridSearchCV(estimator, grid, cv=FOLDS, error_score="raise", store=tmp_path).fit(*digits)


def test_out_of_fold_probabilities_are_cross_val_predicts(digits, tmp_path):
    X, y = digits
    search = ResumableGridSearchCV(knn(), GRID, cv=FOLDS, store=tmp_path, oof_proba=True).fit(X, y)
    assert search.oof_proba_.shape == (4, len(y), 10)
    assert list(search.oof_classes_) == list(np.unique(y))
    expected = cross_val_predict(knn().set_params(**search.best_params_), X, y, cv=FOLDS, method="predict_proba")
    np.testing.assert_allclose(search.oof_proba_[search.best_index_], expected, atol=1e-6)
    again = ResumableGridSearchCV(knn(), GRID, cv=FOLDS, store=tmp_path, oof_proba=True).fit(X, y)
    np.testing.assert_array_equal(again.oof_proba_, search.oof_proba_)
    assert ResumableGridSearchCV(knn(), GRID, cv=FOLDS).fit(X, y).oof_proba_ is None


class CountingScaler(MaxAbsScaler):
    """MaxAbsScaler that counts the rows it transforms (in this process)."""

    rows_transformed = 0

    def transform(self, X):
        CountingScaler.rows_transformed += len(X)
        return super().transform(X)


def test_out_of_fold_probabilities_cost_no_second_pass_through_the_features(digits):
    X, y = digits
    pipe = Pipeline([("scale", CountingScaler()), ("clf", LogisticRegression(max_iter=50))])
    grid = {"clf__C": [0.1, 1.0]}
    for oof_proba in (False, True):
        CountingScaler.rows_transformed = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # lbfgs stops at max_iter
            ResumableGridSearchCV(pipe, grid, cv=FOLDS, refit=False, oof_proba=oof_proba).fit(X, y)
        # per fit: its training rows once (fit_transform) and its test rows once
        assert CountingScaler.rows_transformed == len(grid["clf__C"]) * FOLDS.get_n_splits() * len(y), oof_proba


@pytest.mark.slow  # a fresh Python process (or several): the full suite only
def test_a_fit_over_fit_timeout_is_stopped_scored_failed_and_not_recorded(digits, tmp_path):
    from user_models import SleepyClassifier

    X, y = digits
    search = ResumableGridSearchCV(SleepyClassifier(), {"delay": [0.0, 30.0]}, cv=FOLDS, store=tmp_path,
                                   fit_timeout=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns of the failed fits
        search.fit(X, y)
    assert search.n_fits_timed_out_ == 3 and search.best_params_ == {"delay": 0.0}
    assert np.isnan(search.cv_results_["mean_test_score"][1])
    assert len(FitStore(tmp_path)) == 3  # the fits in time (skops would not trust this test's refit)
    with pytest.raises(Exception, match="every fit of the search ran past its limit of 2 s"):
        ResumableGridSearchCV(SleepyClassifier(delay=30.0), {}, cv=FOLDS, fit_timeout=2).fit(X, y)


def test_halving_variant_equals_halvinggridsearchcv_and_resumes(digits, tmp_path):
    X, y = digits
    grid = {"clf__n_neighbors": [1, 3, 5, 7, 9, 11], "pca__n_components": [10]}
    options = dict(cv=3, factor=2, random_state=0, min_resources=200)
    theirs = HalvingGridSearchCV(knn(), grid, **options).fit(X, y)
    ours = ResumableHalvingGridSearchCV(knn(), grid, store=tmp_path, **options).fit(X, y)
    assert_same_results(ours, theirs)
    assert ours.best_params_ == theirs.best_params_ and ours.n_resources_ == theirs.n_resources_
    again = ResumableHalvingGridSearchCV(knn(), grid, store=tmp_path, **options).fit(X, y)
    assert again.n_fits_run_ == 0 and again.best_params_ == ours.best_params_


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_records_are_readable_as_the_umask_says(digits, tmp_path, umask):
    old = os.umask(umask)
    try:
        ResumableGridSearchCV(LogisticRegression(max_iter=100), {"C": [1.0]}, cv=2, store=tmp_path).fit(*digits)
    finally:
        os.umask(old)
    modes = {p.stat().st_mode & 0o777 for p in tmp_path.glob("*.npz")}
    assert modes == {0o666 & ~umask}


class _Planted:
    """Unpickling this runs ``Path.touch`` on a marker: the code a hostile store would run."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        from pathlib import Path

        return (Path.touch, (Path(self.marker),))


SMALL_GRID = {"pca__n_components": [10], "clf__n_neighbors": [3]}


def test_resuming_runs_no_code_planted_in_the_store_and_redoes_those_fits(digits, tmp_path):
    import pickle

    store, marker = tmp_path / "store", tmp_path / "code-ran"
    ResumableGridSearchCV(knn(), SMALL_GRID, cv=FOLDS, store=store, refit=False).fit(*digits)
    records = sorted(p for p in store.iterdir() if p.is_file())
    assert len(records) == 3
    for path in records:  # whatever the records' format, a pickle planted in their place
        path.write_bytes(pickle.dumps(_Planted(marker)))
        path.with_suffix(".pkl").write_bytes(pickle.dumps(_Planted(marker)))
    with pytest.warns(UserWarning, match="unreadable record"):
        again = ResumableGridSearchCV(knn(), SMALL_GRID, cv=FOLDS, store=store, refit=False).fit(*digits)
    assert not marker.exists()
    assert (again.n_fits_run_, again.n_fits_resumed_) == (3, 0)


def test_a_record_of_the_wrong_shape_counts_as_missing_and_its_fit_is_redone(digits, tmp_path):
    ResumableGridSearchCV(knn(), SMALL_GRID, cv=FOLDS, store=tmp_path, refit=False).fit(*digits)
    store = FitStore(tmp_path)
    for path in sorted(tmp_path.glob("*.npz"))[:2]:
        store.put(path.stem, {"test_scores": "42"})  # readable, but not a fit's results
    with pytest.warns(UserWarning, match="wrong shape"):
        again = ResumableGridSearchCV(knn(), SMALL_GRID, cv=FOLDS, store=tmp_path, refit=False).fit(*digits)
    assert (again.n_fits_run_, again.n_fits_resumed_) == (2, 1)


def test_a_second_lambda_scorer_fits_instead_of_reusing_the_firsts_scores(digits, tmp_path):
    first = ResumableGridSearchCV(knn(), SMALL_GRID, cv=FOLDS, store=tmp_path, refit=False,
                                  scoring=lambda est, X, y: 1.0).fit(*digits)
    second = ResumableGridSearchCV(knn(), SMALL_GRID, cv=FOLDS, store=tmp_path, refit=False,
                                   scoring=lambda est, X, y: 0.0).fit(*digits)
    assert first.cv_results_["mean_test_score"][0] == 1.0
    assert (second.n_fits_run_, second.n_fits_resumed_) == (3, 0)
    assert second.cv_results_["mean_test_score"][0] == 0.0


def test_a_refit_is_recorded_with_skops_and_never_unpickled(digits, tmp_path):
    grid = {"C": [1.0]}
    first = ResumableGridSearchCV(LogisticRegression(max_iter=100), grid, cv=2, store=tmp_path).fit(*digits)
    again = ResumableGridSearchCV(LogisticRegression(max_iter=100), grid, cv=2, store=tmp_path).fit(*digits)
    assert (again.n_fits_run_, again.n_fits_resumed_) == (0, 3)
    np.testing.assert_array_equal(again.best_estimator_.coef_, first.best_estimator_.coef_)


def test_a_store_that_is_a_file_is_refused_before_any_fit(digits, tmp_path):
    (tmp_path / "store").write_text("a file")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        ResumableGridSearchCV(knn(), SMALL_GRID, cv=FOLDS, store=tmp_path / "store").fit(*digits)


@pytest.mark.parametrize("limit", [float("inf"), float("nan"), 0, -1, "10", True])
def test_a_time_limit_that_is_not_a_finite_number_of_seconds_is_refused_with_the_fix(limit):
    from skdigits.model_selection._timeout import call_with_timeout

    with pytest.raises(ValueError, match="fit_timeout must be a finite number of seconds > 0, or None"):
        call_with_timeout(limit, print)
