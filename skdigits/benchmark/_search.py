"""Cross-validated search over a family's grid, resumable fit by fit.

The grid strategy runs what ``GridSearchCV(pipeline, grid,
cv=StratifiedKFold(cv, shuffle=True, random_state=seed))`` runs, but as
separate (candidate, fold) tasks that are recorded on disk as each one
completes, so that an interrupted run resumes where it stopped. The halving
strategy delegates to scikit-learn's ``HalvingGridSearchCV`` and is
recorded once per family.
"""

import base64
import io
import time

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid, StratifiedKFold

from ._store import task_key


def _take(X, rows):
    return X.iloc[rows] if hasattr(X, "iloc") else X[rows]


def encode_array(array):
    """A float32 array as JSON-safe text (base64 of its bytes) with its shape."""
    array = np.ascontiguousarray(array, dtype="<f4")
    return {"shape": list(array.shape), "float32": base64.b64encode(array.tobytes()).decode("ascii")}


def decode_array(record):
    """The array that :func:`encode_array` encoded."""
    values = np.frombuffer(base64.b64decode(record["float32"]), dtype="<f4")
    return values.reshape(record["shape"]).astype(np.float64)


def predict_with_proba(estimator, X):
    """Predictions, and class probabilities where the estimator gives them.

    The predictions are the most probable classes, as every classifier of
    the zoo with ``predict_proba`` predicts, so one pass over ``X`` gives
    both.
    """
    if not hasattr(estimator, "predict_proba"):
        return estimator.predict(X), None
    proba = estimator.predict_proba(X)
    return np.asarray(estimator.classes_)[np.argmax(proba, axis=1)], proba


def _fit_and_score(pipeline, params, X, y, train, test):
    """Fit one candidate on one fold; return its accuracy, times and
    out-of-fold class probabilities (None without ``predict_proba``)."""
    estimator = clone(pipeline).set_params(**params)
    start = time.perf_counter()
    estimator.fit(_take(X, train), _take(y, train))
    fit_time = time.perf_counter() - start
    start = time.perf_counter()
    y_pred, proba = predict_with_proba(estimator, _take(X, test))
    score = float(np.mean(np.asarray(y_pred) == np.asarray(_take(y, test))))
    record = {"score": score, "fit_time": fit_time, "score_time": time.perf_counter() - start}
    if proba is not None:
        record["proba"] = encode_array(proba)
        record["classes"] = [str(c) for c in estimator.classes_]
    return record


def grid_search(spec, X, y, *, cv, seed, n_jobs, store, context, on_task_done):
    """Cross-validate every candidate of ``spec.param_grid``, resuming recorded fits.

    Parameters
    ----------
    spec : ModelSpec
        The family's pipeline and grid.
    X, y : DataFrame or ndarray, Series or ndarray
        The rows to search on.
    cv : int
        Number of stratified folds.
    seed : int
        Seed of the folds' shuffling.
    n_jobs : int
        Parallel fits, with joblib (or its Dask backend, when configured).
    store : FitStore
        Where fits are recorded as they complete.
    context : dict
        What else defines the fits (profile, data fingerprint...), part of
        each fit's key so that changed settings are never mixed.
    on_task_done : callable
        Called with the number of fits done, for progress.

    Returns
    -------
    cv_results : DataFrame
        One row per candidate, with the columns of ``GridSearchCV.cv_results_``
        that concern scores and times.
    n_resumed : int
        Fits read from the store instead of run.
    oof_proba : callable
        ``oof_proba(candidate)`` gives that candidate's out-of-fold class
        probabilities, one row per row of ``X``, and the classes of their
        columns; ``(None, None)`` when the estimator has no
        ``predict_proba``.
    """
    candidates = list(ParameterGrid(spec.param_grid))
    folds = list(StratifiedKFold(cv, shuffle=True, random_state=seed).split(X, y))
    keys = {
        (c, f): task_key(kind="cv", family=spec.family, params=candidates[c], fold=f, cv=cv, seed=seed, **context)
        for c in range(len(candidates))
        for f in range(len(folds))
    }
    results = {task: store.get(spec.family, key) for task, key in keys.items()}
    todo = [task for task, record in results.items() if record is None]
    n_resumed = len(results) - len(todo)
    on_task_done(n_resumed)

    def job(task):
        c, f = task
        train, test = folds[f]
        return task, _fit_and_score(spec.pipeline, candidates[c], X, y, train, test)

    outputs = Parallel(n_jobs=n_jobs, return_as="generator_unordered")(delayed(job)(t) for t in todo)
    for task, record in outputs:
        record["params"] = {k: repr(v) for k, v in candidates[task[0]].items()}
        store.put(spec.family, keys[task], record)
        results[task] = record
        on_task_done(1)

    def oof_proba(candidate):
        return _out_of_fold(results, folds, candidate, len(y))

    return _cv_results(candidates, results, len(folds)), n_resumed, oof_proba


def _out_of_fold(results, folds, candidate, n_rows):
    """Stitch a candidate's test-fold probabilities into one array over all rows."""
    records = [results[(candidate, f)] for f in range(len(folds))]
    if any("proba" not in r for r in records):
        return None, None
    proba = None
    for (_, test), record in zip(folds, records):
        fold_proba = decode_array(record["proba"])
        if proba is None:
            proba = np.full((n_rows, fold_proba.shape[1]), np.nan)
        proba[test] = fold_proba
    return proba, records[0]["classes"]


def _cv_results(candidates, results, n_folds):
    rows = []
    for c, params in enumerate(candidates):
        scores = [results[(c, f)]["score"] for f in range(n_folds)]
        row = {"params": params, **{f"param_{k}": v for k, v in params.items()}}
        row.update({f"split{f}_test_score": s for f, s in enumerate(scores)})
        row["mean_test_score"] = float(np.mean(scores))
        row["std_test_score"] = float(np.std(scores))
        row["mean_fit_time"] = float(np.mean([results[(c, f)]["fit_time"] for f in range(n_folds)]))
        row["mean_score_time"] = float(np.mean([results[(c, f)]["score_time"] for f in range(n_folds)]))
        rows.append(row)
    table = pd.DataFrame(rows)
    # As GridSearchCV: rank 1 is the best mean score, ties share the lowest rank.
    table["rank_test_score"] = table["mean_test_score"].rank(method="min", ascending=False).astype(int)
    return table


def halving_search(spec, X, y, *, cv, seed, n_jobs, store, context, on_task_done):
    """Successive halving over the grid, with scikit-learn's HalvingGridSearchCV.

    Recorded as one unit once the whole search completes; see
    :func:`grid_search` for the parameters and returns.
    """
    from sklearn.experimental import enable_halving_search_cv  # noqa: F401
    from sklearn.model_selection import HalvingGridSearchCV

    candidates = list(ParameterGrid(spec.param_grid))
    key = task_key(kind="halving", family=spec.family, grid=spec.param_grid, cv=cv, seed=seed, **context)
    record = store.get(spec.family, key)
    n_resumed = 1 if record is not None else 0
    if record is None:
        search = HalvingGridSearchCV(
            spec.pipeline,
            spec.param_grid,
            cv=StratifiedKFold(cv, shuffle=True, random_state=seed),
            random_state=seed,
            n_jobs=n_jobs,
            refit=False,
        ).fit(X, y)
        table = pd.DataFrame(search.cv_results_)
        last = table["iter"] == table["iter"].max()  # the candidates that survived
        table = table[last].reset_index(drop=True)
        # Parameters go to disk as candidate numbers: JSON would turn tuples into lists.
        table["candidate"] = [candidates.index(p) for p in table["params"]]
        table = table.drop(columns="params")
        table["rank_test_score"] = table["mean_test_score"].rank(method="min", ascending=False).astype(int)
        record = {"cv_results": table.to_json(orient="records", default_handler=repr)}
        store.put(spec.family, key, record)
    on_task_done(1)
    table = pd.read_json(io.StringIO(record["cv_results"]), orient="records")
    table.insert(0, "params", [candidates[c] for c in table["candidate"]])
    return table, n_resumed, lambda candidate: (None, None)
