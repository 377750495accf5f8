"""One family of a run: its resumable search, then its refit and test evaluation.

The search is a :class:`~skdigits.model_selection.ResumableGridSearchCV`
(or the halving variant) on the family's search rows, recording each fit in
the run's folder. The refit is of the best candidate on all training rows;
it is recorded with its test predictions, which are what the run reports.
"""

import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import parallel_config
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold

from ..zoo import describe_features
from ..model_selection import FitStore, ResumableGridSearchCV, ResumableHalvingGridSearchCV
from ..model_selection._keys import digest, fit_key
from ..model_selection._timeout import call_with_timeout
from ._stats import error_interval

SEARCHES = {"grid": ResumableGridSearchCV, "halving": ResumableHalvingGridSearchCV}


@dataclass(frozen=True)
class RunSettings:
    """What every family of a run shares.

    Attributes
    ----------
    cv : int
        Stratified folds.
    search : {'grid', 'halving'}
        The search strategy.
    seed : int
        Seed of the subsets and folds.
    n_jobs : int
        Fits in parallel.
    output_dir : Path
        The run's folder: fits under ``fits/FAMILY``, the pipelines' cache
        under ``cache``.
    fit_timeout : float or None
        Seconds a fit (of the search, or the refit) may run before it is
        stopped; None for no limit.
    repeats : int
        Refits of each family's chosen candidate, with seeds ``seed``,
        ``seed + 1``...
    """

    cv: int
    search: str
    seed: int
    n_jobs: int
    output_dir: Path
    fit_timeout: float | None = None
    repeats: int = 1


@dataclass
class Outcome:
    """What a family's search and refit gave: its table row and records."""

    row: dict
    cv_table: pd.DataFrame
    record: dict
    n_resumed: int


def nested_stratified_rows(y, size, seed):
    """Positions of a stratified subset of ``size`` rows, nested across sizes.

    Each class is shuffled, and rows are taken in the order of their rank
    within their class (relative to the class's size), so every prefix keeps
    the class proportions and a smaller subset is part of a larger one: the
    families that search 10,000 rows search rows that the 20,000-row
    families search too, and their out-of-fold predictions can be compared
    row by row (the ensemble is chosen on them).
    """
    y = np.asarray(y)
    if size is None or size >= len(y):
        return np.arange(len(y))
    rng = np.random.RandomState(seed)
    rank = np.empty(len(y))
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        rank[rng.permutation(members)] = (np.arange(len(members)) + 0.5) / len(members)
    order = np.lexsort((rng.permutation(len(y)), rank))
    return np.sort(order[:size])


def take_rows(X, rows):
    """Rows of an array or DataFrame, by position."""
    return X.iloc[rows] if hasattr(X, "iloc") else X[rows]


def fits_folder(settings, family):
    """Where a family's fits are recorded."""
    return settings.output_dir / "fits" / family


def make_search(spec, settings):
    """The family's resumable search, as a user would write it."""
    options = dict(cv=StratifiedKFold(settings.cv, shuffle=True, random_state=settings.seed),
                   n_jobs=settings.n_jobs, refit=False, error_score="raise", oof_proba=True,
                   store=fits_folder(settings, spec.family), fit_timeout=settings.fit_timeout)
    if settings.search == "halving":
        options["random_state"] = settings.seed
    return SEARCHES[settings.search](spec.pipeline, spec.param_grid, **options)


def predict_with_proba(estimator, X):
    """Predictions, and class probabilities where the estimator gives them (one pass)."""
    if not hasattr(estimator, "predict_proba"):
        return estimator.predict(X), None
    proba = estimator.predict_proba(X)
    return np.asarray(estimator.classes_)[np.argmax(proba, axis=1)], proba


def _scores(estimator, X, proba):
    """The record's class scores: probabilities, or else decision values (to calibrate for the ensemble)."""
    if proba is not None:
        return {"proba": np.asarray(proba, dtype=np.float32)}
    if not hasattr(estimator, "decision_function"):
        return {}
    decision = np.asarray(estimator.decision_function(X), dtype=np.float64)
    return {"decision": decision}


def _fit_timed(estimator, X, y, n_jobs):
    """``estimator`` fitted on ``X, y``, and the seconds the fit took."""
    # Estimators whose n_jobs is None (forests, neighbours) take their
    # parallelism from joblib's context.
    with parallel_config(n_jobs=n_jobs):
        start = time.perf_counter()
        estimator.fit(X, y)
        return estimator, time.perf_counter() - start


def refit_and_predict(pipeline, params, X_train, y_train, X_test, n_jobs, fit_timeout=None):
    """Fit ``pipeline`` with ``params`` on all training rows; predict the test set.

    Runs where it is called: in this process, or as a task on a Dask worker.
    With ``fit_timeout``, the fit (not the prediction) runs in a worker
    process of its own and raises ``FitTimeout`` past the limit. The
    record's ``model`` is the fitted estimator (to save, not to store).
    """
    estimator = clone(pipeline).set_params(**clone(params, safe=False))
    estimator, fit_time = call_with_timeout(fit_timeout, _fit_timed, estimator, X_train, y_train, n_jobs)
    with parallel_config(n_jobs=n_jobs):
        start = time.perf_counter()
        y_pred, proba = predict_with_proba(estimator, X_test)
        predict_time = time.perf_counter() - start
    record = {
        "params": {k: repr(v) for k, v in params.items()},
        "fit_time": fit_time,
        "predict_time": predict_time,
        "y_pred": [str(v) for v in np.asarray(y_pred)],
        "history": getattr(final_step(estimator), "history_", None),
        "pid": os.getpid(),  # where it ran (this process, or a Dask worker)
        "fit_rows": len(y_train),
        "model": estimator,
        **_scores(estimator, X_test, proba),
    }
    if hasattr(estimator, "classes_"):
        record["classes"] = [str(c) for c in estimator.classes_]
    return record


def named_steps(estimator):
    """A Pipeline's steps by name; an empty dict for any other estimator."""
    return dict(getattr(estimator, "named_steps", None) or {})


def final_step(estimator):
    """A Pipeline's last step, or the estimator itself."""
    steps = getattr(estimator, "steps", None)
    return steps[-1][1] if steps else estimator


def refit_key(pipeline, params, data_key):
    """The key of a refit and its test predictions."""
    return fit_key(kind="refit", estimator=digest(pipeline), params=digest(params), data=data_key)


def cv_table(search, settings):
    """The search's ``cv_results_`` as a table; for halving, its last iteration."""
    table = pd.DataFrame(search.cv_results_)
    if settings.search == "halving":
        table = table[table["iter"] == table["iter"].max()].reset_index(drop=True)
        # Ranked among the survivors: earlier iterations scored on fewer rows.
        table["rank_test_score"] = table["mean_test_score"].rank(method="min", ascending=False).astype(int)
    return table


def table_row(spec, search, table, record, y_test, n_search_rows):
    """The family's row of the results table."""
    best = search.best_index_
    y_pred = np.asarray(record["y_pred"], dtype=object)
    truth = np.asarray(y_test).astype(str)
    n_errors = int(np.sum(y_pred != truth))
    low, high = error_interval(n_errors, len(truth))
    params = dict(search.best_params_)
    steps = named_steps(spec.pipeline)
    features = params.pop("features", steps.get("features"))
    return {
        "family": spec.family,
        "status": "ok",
        "test_error": n_errors / len(truth),
        "error_ci_low": low,
        "error_ci_high": high,
        "cv_mean": float(search.cv_results_["mean_test_score"][best]),
        "cv_std": float(search.cv_results_["std_test_score"][best]),
        "preprocessing": describe_features(features) if "features" in steps else "",
        "best_params": ", ".join(f"{k.split('__')[-1]}={v!r}" for k, v in params.items()),
        "fit_time_s": record["fit_time"],
        "predict_time_s": record["predict_time"],
        "n_candidates": len(table),
        "search_rows": n_search_rows,
        "error": "",
    }


def store_of(settings, family):
    """The family's FitStore (its refit is recorded beside its search's fits)."""
    return FitStore(fits_folder(settings, family))
