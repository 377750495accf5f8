"""One family of a run: its resumable search, then its refit and test evaluation.

The search is a :class:`~skdigits.model_selection.ResumableGridSearchCV`
(or the halving variant) on the family's search rows, recording each fit in
the run's folder. The refit is of the best candidate on all training rows;
it is recorded with its test predictions, which are what the run reports.

Why the search runs with ``refit=False`` and the refit is done here: the
search sees only the family's search rows (a stratified subset of the
training rows, such as 10,000 of 60,000, see ``_rows``), and its own refit
would be fitted on those rows alone. The benchmark's refit is fitted on all
the run's training rows, predicts the test set, and keeps the model under
``models/``; so its key (:func:`refit_key`) digests the pipeline, the best
parameters and all the data (training and test), not the search's inputs.
Whether it is done is decided in one place, :func:`recorded_refit`.
"""

import time
import traceback
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from joblib import parallel_config
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from .._early_stopping import EarlyStoppingClassifier
from ..model_selection import FitStore, ResumableGridSearchCV, ResumableHalvingGridSearchCV, grid_edges
from ..model_selection._keys import digest, fit_key
from ..model_selection._search import where_it_runs
from ..model_selection._timeout import call_with_timeout
from ..zoo import describe_features
from ._cache import without_cache, without_feature_cache
from ._pipelines import final_step, named_steps
from ._results import result_row
from ._rows import HALVING_FACTOR
from ._run_folder import model_files, saved_key

SEARCHES = {"grid": ResumableGridSearchCV, "halving": ResumableHalvingGridSearchCV}


@dataclass
class Outcome:
    """What a family's search and refit gave: its table row and records."""

    row: dict
    cv_table: pd.DataFrame
    record: dict
    n_resumed: int
    phases: dict = field(default_factory=dict)
    schedule: list = field(default_factory=list)


def phase_times(search, record, held, repeats):
    """Seconds a family spent in each phase of its run, as its fits recorded them.

    ``cv_fits`` and ``cv_scoring`` add up every (candidate, fold) fit's fit
    and score times (features included: a cached step costs its first fit),
    whether it ran now or was read back; ``refit`` and ``predict`` are the
    final fit's; ``ensemble_fit`` the fit on the ensemble's rows, ``repeats``
    the refits with more seeds. The run adds ``wall``: from the start of
    the family's search to the end of its last fit. On two cores or more,
    families overlap (see ``LocalRunner``): one's refits run beside the
    next one's search, so the families' walls add up to more than the run's.
    """
    results, n_splits = search.cv_results_, search.n_splits_

    def total(name):
        return float(np.nansum(results[name]) * n_splits)

    return {
        "cv_fits": round(total("mean_fit_time"), 1),
        "cv_scoring": round(total("mean_score_time"), 1),
        "refit": round(float(record["fit_time"]), 1),
        "predict": round(float(record["predict_time"]), 1),
        "ensemble_fit": round(float(held["fit_time"]), 1) if held else 0.0,
        "repeats": round(sum(float(r["fit_time"]) + float(r["predict_time"]) for r in repeats), 1),
    }


def fit_schedule(family, search, record, held, repeats):
    """When and where each of a family's fits ran, one entry each, started on the wall clock (``time.time()``).

    The search's fits run now (its ``fit_log_``, each with its scoring),
    then the refit, the fit for the ensemble and the refits with more
    seeds, each with its prediction; a record read back keeps the start
    of the run that made it (the run leaves those out, see
    :func:`run_schedule`).
    """
    entries = [{"family": family, "phase": "cv", "host": fit["host"], "pid": fit["pid"],
                "started_at": fit["started_at"], "seconds": fit["fit_time"] + fit["score_time"]}
               for fit in search.fit_log_]
    for phase, records in (("refit", [record]), ("ensemble_fit", [held] if held else []), ("repeats", repeats)):
        entries += [{"family": family, "phase": phase, "host": r.get("host"), "pid": r["pid"],
                     "started_at": r["started_at"],
                     "seconds": float(r["fit_time"]) + float(r["predict_time"])}
                    for r in records if isinstance(r.get("started_at"), float)]
    return entries


def run_schedule(schedules, run_started_at):
    """The fits a run made, from the families' :func:`fit_schedule`: seconds into the run, by start.

    Entries that started before the run (read back from an earlier one)
    are left out. Each is ``family``, ``phase``, ``host``, ``pid``,
    ``start_s`` and ``seconds``, rounded to 0.1 s.
    """
    entries = [{"family": e["family"], "phase": e["phase"], "host": e["host"], "pid": int(e["pid"]),
                "start_s": round(e["started_at"] - run_started_at, 1), "seconds": round(e["seconds"], 1)}
               for schedule in schedules for e in schedule if e["started_at"] >= run_started_at]
    return sorted(entries, key=lambda e: (e["start_s"], e["family"]))


def fits_folder(settings, family):
    """Where a family's fits are recorded."""
    return settings.output_dir / "fits" / family


def make_search(spec, settings, progress=None):
    """The family's resumable search, as a user would write it (``progress``: the search's)."""
    options = dict(cv=StratifiedKFold(settings.cv, shuffle=True, random_state=settings.seed),
                   n_jobs=settings.n_jobs, refit=False, error_score="raise",
                   store=fits_folder(settings, spec.family), fit_timeout=settings.fit_timeout,
                   progress=progress)
    if settings.search == "halving":  # check_rows_suffice knows its first iteration's rows by its factor
        options.update(random_state=settings.seed, factor=HALVING_FACTOR)
    return SEARCHES[settings.search](spec.search_pipeline(), spec.param_grid, **options)


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


def all_cores(n_jobs):
    """A joblib context in which an estimator whose ``n_jobs`` is None uses ``n_jobs`` threads.

    The backend is named: under ``parallel_config(n_jobs=...)`` alone, a
    loop that prefers threads (a forest's trees) falls back to joblib's
    threading backend with one job, so the random forest's refit built its
    trees one after another. Threads, not processes: the refit's data is
    not copied, and it runs the same in a Dask worker (whose processes may
    not have children). Only estimators whose results do not depend on the
    number of threads take ``n_jobs`` from joblib's context (forests, HOG);
    BLAS stays at one thread (:func:`one_blas_thread`).
    """
    return parallel_config(backend="threading", n_jobs=n_jobs)


def _fit_timed(estimator, X, y, n_jobs):
    """``estimator`` fitted on ``X, y``, and the seconds the fit took."""
    # Estimators whose n_jobs is None (forests, neighbours) take their
    # parallelism from joblib's context.
    with all_cores(n_jobs):
        start = time.perf_counter()
        estimator.fit(X, y)
        return estimator, time.perf_counter() - start


def one_blas_thread():
    """A context in which BLAS (NumPy's, SciPy's, scikit-learn's) uses one thread.

    The number of BLAS threads changes the order of a sum, so the last bits of
    a PCA or a logistic regression, and with them a near-tie among a test
    digit's neighbours, depended on where a fit ran (this process with every
    core, a joblib or Dask worker with one). Every fit of a run uses one, so
    the table is the same for any ``n_jobs`` and on a cluster. OpenMP (XGBoost)
    and TensorFlow (one thread, see :func:`skdigits.neural_network.reproducibility_facts`)
    are not limited here.
    """
    return threadpool_limits(limits=BLAS_THREADS, user_api="blas")


#: BLAS threads of every fit and prediction of a run (recorded in ``results.json``).
BLAS_THREADS = 1


def refit_and_predict(pipeline, params, X_train, y_train, X_test, n_jobs, fit_timeout=None, model="estimator"):
    """Fit ``pipeline`` with ``params`` on all training rows; predict the test set.

    Runs where it is called: in this process, or as a task on a Dask worker,
    with one BLAS thread (:func:`one_blas_thread`).
    With ``fit_timeout``, the fit (not the prediction) runs in a worker
    process of its own and raises ``FitTimeout`` past the limit.

    ``model`` says what the record's ``model`` holds: ``'estimator'``, the
    fitted estimator; ``'files'``, its :class:`ModelFiles` for ``models/``,
    made here (so that only bytes travel from a worker: the random forest
    is some 300 MB as a Python object), or None and ``model_error`` the
    traceback when it cannot be saved; None, no model (a fit whose
    predictions are all that is kept).
    """
    with one_blas_thread():
        record = _refit_and_predict(pipeline, params, X_train, y_train, X_test, n_jobs, fit_timeout)
    if model == "files":
        try:
            record["model"] = model_files(record["model"])
        except Exception:  # reported by the caller, not fatal: the predictions stand
            record["model"], record["model_error"] = None, traceback.format_exc()
    elif model is None:
        del record["model"]
    return record


def _refit_and_predict(pipeline, params, X_train, y_train, X_test, n_jobs, fit_timeout):
    # No joblib cache folder: it serves a search's candidates that share a fold's features, while a
    # refit transforms its rows once (writing them to the folder would cost time and a copy in memory);
    # nor the in-memory feature cache, for the same reason (see without_feature_cache).
    estimator = clone(pipeline).set_params(**clone(params, safe=False))
    estimator = without_feature_cache(without_cache(estimator))
    started_at = time.time()  # the wall clock, comparable across a machine's processes
    estimator, fit_time = call_with_timeout(fit_timeout, _fit_timed, estimator, X_train, y_train, n_jobs)
    with all_cores(n_jobs):
        start = time.perf_counter()
        y_pred, proba = predict_with_proba(estimator, X_test)
        predict_time = time.perf_counter() - start
    record = {
        "params": {k: repr(v) for k, v in params.items()},
        "fit_time": fit_time,
        "predict_time": predict_time,
        "y_pred": [str(v) for v in np.asarray(y_pred)],
        "history": getattr(final_step(estimator), "history_", None),
        "iterations": iterations_kept(estimator),
        **where_it_runs(),  # this process, or a Dask worker
        "started_at": started_at,
        "fit_rows": len(y_train),
        "model": estimator,
        **_scores(estimator, X_test, proba),
    }
    if hasattr(estimator, "classes_"):
        record["classes"] = [str(c) for c in estimator.classes_]
    return record


def iterations_kept(estimator):
    """What early stopping kept of a fitted pipeline's budget: '9 of 15 epochs', '412 of 1000 rounds', or ''.

    For skdigits' Keras networks (``n_iter_`` of ``epochs_``) and
    :class:`~skdigits.EarlyStoppingClassifier` (``n_iter_`` of its booster's
    ``n_estimators``); empty for other estimators.
    """
    step = final_step(estimator)
    n_iter = getattr(step, "n_iter_", None)
    if hasattr(step, "epochs_") and n_iter is not None:
        return f"{n_iter} of {step.epochs_} epochs"
    if isinstance(step, EarlyStoppingClassifier):
        return f"{n_iter} of {step.estimator_.n_estimators} rounds"
    return ""


def recorded_refit(settings, family, key):
    """The family's refit record when its refit under ``key`` is done, else None.

    Done means both: its record (test predictions, timings) is in the
    family's store, and its model is saved under ``models/`` with the same
    key (a run stopped between the two refits again).
    """
    record = store_of(settings, family).get(key)
    if record is None or saved_key(settings.output_dir, family) != key:
        return None
    return record


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
    params = dict(search.best_params_)
    steps = named_steps(spec.pipeline)
    features = params.pop("features", steps.get("features"))
    return result_row(
        spec.family, record["y_pred"], y_test,
        cv_mean=float(search.cv_results_["mean_test_score"][best]),
        cv_std=float(search.cv_results_["std_test_score"][best]),
        preprocessing=describe_features(features) if "features" in steps else "",
        best_params=", ".join(f"{k.split('__')[-1]}={v!r}" for k, v in params.items()),
        grid_edges="; ".join(map(str, grid_edges(search))),
        fit_time_s=record["fit_time"],
        iterations=record.get("iterations") or "",
        predict_time_s=record["predict_time"],
        n_candidates=len(table),
        search_rows=n_search_rows,
    )


def store_of(settings, family):
    """The family's FitStore (its refit is recorded beside its search's fits)."""
    return FitStore(fits_folder(settings, family))
