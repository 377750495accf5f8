"""Best values at the edge of a search's grid: where the optimum may lie beyond what was searched.

A search chooses among the values it is given. When the best candidate's
``C`` is the smallest ``C`` searched, a smaller one may have done better, and
a comparison between families is then only as fair as that grid was wide.
:func:`grid_edges` says, for a fitted search, which numeric parameters of the
best candidate sit at an end of the values searched with the rest of its
parameters held fixed.
"""

from numbers import Real
from typing import NamedTuple

from sklearn.utils.validation import check_is_fitted


class GridEdge(NamedTuple):
    """A best candidate's parameter whose value is an end of the values searched.

    Attributes
    ----------
    param : str
        The parameter's name, as in the grid (``'clf__C'``).
    value : int or float
        The best candidate's value.
    side : {'lowest', 'highest'}
        Which end of the searched values it is.
    searched : tuple
        The values searched for ``param`` among the candidates that share
        every other parameter with the best one, in increasing order.
    """

    param: str
    value: Real
    side: str
    searched: tuple

    def __str__(self):
        name = self.param.rsplit("__", 1)[-1]
        return f"{name}={self.value!r} ({self.side} of {', '.join(map(repr, self.searched))})"


def _is_number(value):
    return isinstance(value, Real) and not isinstance(value, bool)


def _same(a, b):
    """Whether two parameter values are the same (equal numbers or strings, or the same object)."""
    if a is b:
        return True
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # arrays and other values without a truth value
        return False


def _line_through(best, candidates, param):
    """The values of ``param`` among the candidates equal to ``best`` in every other parameter."""
    others = [key for key in best if key != param]
    return [c[param] for c in candidates
            if c.keys() == best.keys() and all(_same(c[key], best[key]) for key in others)]


def grid_edges(search):
    """The best candidate's numeric parameters that are the lowest or highest value searched.

    For each parameter of ``search.best_params_`` whose value is a number
    (not a bool), the candidates that share every other parameter with the
    best one are taken (in a list of grids, those of the best candidate's
    own grid); when they searched two values or more, all of them numbers,
    and the best value is the smallest or the largest, the optimum may lie
    beyond the grid, and an edge is returned. A value inside the searched
    range, or a parameter searched at one value only, is not an edge.

    Parameters
    ----------
    search : fitted GridSearchCV, HalvingGridSearchCV or alike
        Any fitted search with ``cv_results_['params']`` and
        ``best_params_`` (every scikit-learn search with a single metric,
        ``refit=False`` included; for a halving search, every iteration's
        candidates count as searched).

    Returns
    -------
    edges : list of GridEdge
        In the order of ``best_params_``; empty when every numeric
        parameter's best value lies inside its searched range.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV
    >>> from skdigits.model_selection import grid_edges
    >>> X, y = load_iris(return_X_y=True)
    >>> search = GridSearchCV(LogisticRegression(max_iter=1000), {"C": [0.001, 0.01]}).fit(X, y)
    >>> [str(edge) for edge in grid_edges(search)]
    ['C=0.01 (highest of 0.001, 0.01)']
    """
    check_is_fitted(search, "best_params_")
    best = search.best_params_
    candidates = list(search.cv_results_["params"])
    edges = []
    for param, value in best.items():
        line = _line_through(best, candidates, param)
        if not _is_number(value) or not all(map(_is_number, line)):
            continue
        searched = tuple(sorted(set(line)))
        if len(searched) < 2 or searched[0] < value < searched[-1]:
            continue
        edges.append(GridEdge(param, value, "lowest" if value == searched[0] else "highest", searched))
    return edges
