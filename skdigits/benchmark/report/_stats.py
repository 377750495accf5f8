"""Confidence intervals for error rates, and McNemar's test between models."""

import itertools

import numpy as np
import pandas as pd
from scipy.stats import binomtest


def error_interval(n_errors, n_samples, confidence=0.95):
    """Wilson score interval of an error rate.

    Parameters
    ----------
    n_errors : int
        Misclassified test samples.
    n_samples : int
        Test samples.
    confidence : float, default=0.95
        Confidence level.

    Returns
    -------
    low, high : float
        The interval's bounds, as fractions.
    """
    interval = binomtest(int(n_errors), int(n_samples)).proportion_ci(confidence, method="wilson")
    return float(interval.low), float(interval.high)


def mcnemar_pair(correct_a, correct_b):
    """Exact two-sided McNemar test between two classifiers on the same test set.

    Parameters
    ----------
    correct_a, correct_b : ndarray of bool
        Which test samples each classifier gets right.

    Returns
    -------
    only_a, only_b : int
        Samples only A gets right, and only B.
    p_value : float
        The exact binomial test's p-value (1.0 when the two never disagree).
    """
    only_a = int(np.sum(correct_a & ~correct_b))
    only_b = int(np.sum(~correct_a & correct_b))
    n = only_a + only_b
    return only_a, only_b, float(binomtest(only_a, n, 0.5).pvalue) if n else 1.0


def mcnemar_table(correct, alpha=0.05):
    """Pairwise exact McNemar tests between classifiers on the same test set.

    For models A and B, ``b`` counts test samples A gets right and B wrong,
    ``c`` the reverse. Under the null hypothesis that both have the same
    error rate, ``b`` follows Binomial(b + c, 1/2); the p-value is the exact
    two-sided binomial test's. p-values are adjusted for the number of pairs
    with Holm's step-down method, and a difference is called significant
    when its adjusted p-value is below ``alpha``.

    Parameters
    ----------
    correct : dict of str to ndarray of bool
        For each model, which test samples it classifies correctly.
    alpha : float, default=0.05
        Family-wise significance level.

    Returns
    -------
    table : DataFrame
        One row per pair: ``model_a``, ``model_b``, ``a_only_correct`` (b),
        ``b_only_correct`` (c), ``p_value``, ``p_holm`` and ``significant``.
    """
    rows = []
    for a, b in itertools.combinations(correct, 2):
        only_a, only_b, p = mcnemar_pair(correct[a], correct[b])
        rows.append({"model_a": a, "model_b": b, "a_only_correct": only_a, "b_only_correct": only_b, "p_value": p})
    table = pd.DataFrame(rows, columns=["model_a", "model_b", "a_only_correct", "b_only_correct", "p_value"])
    table["p_holm"] = _holm(table["p_value"].to_numpy())
    table["significant"] = table["p_holm"] < alpha
    return table


def _holm(p_values):
    """Holm-Bonferroni adjusted p-values, in the input's order."""
    m = len(p_values)
    order = np.argsort(p_values)
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted


def ordering_beyond_spread(table):
    """For each row of a sorted table, whether it is ahead of the next row beyond the seeds' spread.

    Parameters
    ----------
    table : DataFrame
        Rows sorted by test error, with ``test_error_min`` and
        ``test_error_max``.

    Returns
    -------
    holds : list of {'yes', 'no', ''}
        'yes' when the row's worst seed is better than the next row's best
        seed, 'no' when the ranges overlap, '' for the last row and rows
        without a range.

    Examples
    --------
    >>> import pandas as pd
    >>> from skdigits.benchmark.report._stats import ordering_beyond_spread
    >>> table = pd.DataFrame({"test_error_min": [0.010, 0.012, 0.020], "test_error_max": [0.011, 0.021, 0.030]})
    >>> ordering_beyond_spread(table)
    ['yes', 'no', '']
    """
    low, high = table["test_error_min"].to_numpy(), table["test_error_max"].to_numpy()
    holds = []
    for i in range(len(table)):
        if i + 1 == len(table) or np.isnan(high[i]) or np.isnan(low[i + 1]):
            holds.append("")
        else:
            holds.append("yes" if high[i] < low[i + 1] else "no")
    return holds
