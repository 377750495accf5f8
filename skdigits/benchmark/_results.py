"""The results table's schema: its columns, and the one builder of its rows.

Every row of a run's table (a family's, the ensemble's, a failure's) is made
here, so the columns and the error's confidence interval are computed once.
"""

import numpy as np

from .report._stats import error_interval

TABLE_COLUMNS = [
    "family",
    "status",
    "test_error",
    "error_ci_low",
    "error_ci_high",
    "cv_mean",
    "cv_std",
    "preprocessing",
    "best_params",
    "grid_edges",
    "iterations",
    "fit_time_s",
    "predict_time_s",
    "n_candidates",
    "search_rows",
    "error",
    "n_seeds",
    "test_error_mean",
    "test_error_min",
    "test_error_max",
]

#: The seed-spread columns: refits of the chosen candidate (``--repeats``), and their test errors.
SPREAD_COLUMNS = TABLE_COLUMNS[-4:]


def result_row(family, y_pred, y_test, *, cv_mean, cv_std, preprocessing, best_params,
               fit_time_s, predict_time_s, n_candidates, search_rows, iterations="", grid_edges="",
               error=""):
    """A row of the results table for an entry that has test predictions.

    Parameters
    ----------
    family : str
        The entry's name.
    y_pred, y_test : array-like
        Its test predictions and the true labels (compared as strings).
    cv_mean, cv_std : float
        Cross-validated accuracy of the chosen candidate (``cv_std`` NaN
        where there is no spread).
    preprocessing, best_params : str
        Display text.
    fit_time_s, predict_time_s : float
        Seconds of the refit and of the test predictions.
    n_candidates, search_rows : int
        Candidates searched, and training rows searched on.
    grid_edges : str, default=""
        The best parameters at an end of the values searched, where the
        optimum may lie beyond the grid ('C=0.3 (lowest of 0.3, 1.0, 3.0)',
        see :func:`skdigits.model_selection.grid_edges`), joined by '; '.
    iterations : str, default=""
        What early stopping kept of the refit's budget ('9 of 15 epochs',
        '412 of 1000 rounds'); empty for other estimators.
    error : str, default=""
        A note (such as fits stopped at the time limit).

    Returns
    -------
    row : dict
        Keyed by :data:`TABLE_COLUMNS`, ``status`` 'ok'.

    Examples
    --------
    >>> row = result_row("knn", ["1", "2"], [1, 3], cv_mean=0.9, cv_std=0.01, preprocessing="",
    ...                  best_params="", fit_time_s=1.0, predict_time_s=0.1, n_candidates=2, search_rows=10)
    >>> row["test_error"], list(row) == TABLE_COLUMNS
    (0.5, True)
    """
    y_pred = np.asarray(y_pred, dtype=object)
    truth = np.asarray(y_test).astype(str)
    n_errors = int(np.sum(y_pred != truth))
    low, high = error_interval(n_errors, len(truth))
    return {
        "family": family,
        "status": "ok",
        "test_error": n_errors / len(truth),
        "error_ci_low": low,
        "error_ci_high": high,
        "cv_mean": cv_mean,
        "cv_std": cv_std,
        "preprocessing": preprocessing,
        "best_params": best_params,
        "grid_edges": grid_edges,
        "iterations": iterations,
        "fit_time_s": fit_time_s,
        "predict_time_s": predict_time_s,
        "n_candidates": n_candidates,
        "search_rows": search_rows,
        "error": error,
        # One seed until the refits with more seeds (``--repeats``) give a spread.
        "n_seeds": 1,
        "test_error_mean": n_errors / len(truth),
        "test_error_min": n_errors / len(truth),
        "test_error_max": n_errors / len(truth),
    }


def failure_row(family, status, error):
    """A row of the results table for an entry without a result ('failed' or 'timed out')."""
    return {"family": family, "status": status, "error": error}
