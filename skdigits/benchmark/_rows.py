"""The training rows a run and its families use: stratified subsets, nested across sizes."""

import numpy as np


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
