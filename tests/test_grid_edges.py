"""grid_edges: a search's best values at an end of the values searched, where the optimum may lie beyond."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import GridSearchCV, HalvingGridSearchCV

from skdigits.model_selection import GridEdge, grid_edges


class PeakedScore(ClassifierMixin, BaseEstimator):
    """Scores best at a=2, b=10 and kind 'x' (0 at the peak, lower away from it; b=None as b=0), whatever the data."""

    def __init__(self, a=0, b=0, kind="x", flag=False, step=None):
        self.a, self.b, self.kind, self.flag, self.step = a, b, kind, flag, step

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def score(self, X, y):
        b = 1 if self.b is None else abs(self.b - 10) / 10
        return -abs(self.a - 2) - b - (self.kind != "x")


X = np.zeros((20, 2))
y = np.arange(20) % 2


def _search(grid, search=GridSearchCV, **options):
    return search(PeakedScore(), grid, cv=2, **options).fit(X, y)


def test_a_value_inside_its_searched_range_is_no_edge_and_one_at_an_end_is():
    edges = grid_edges(_search({"a": [1, 2, 3], "b": [1, 5, 10]}))
    assert edges == [GridEdge("b", 10, "highest", (1, 5, 10))]


def test_the_lowest_value_searched_is_an_edge_on_that_side():
    [edge] = grid_edges(_search({"a": [2, 3, 4]}))
    assert (edge.param, edge.value, edge.side, edge.searched) == ("a", 2, "lowest", (2, 3, 4))


def test_a_parameter_searched_at_one_value_strings_bools_and_none_are_never_edges():
    grid = {"a": [2], "kind": ["x", "y"], "flag": [False, True], "b": [None, 10]}
    assert grid_edges(_search(grid)) == []


def test_in_a_list_of_grids_the_edge_is_judged_within_the_best_candidates_own_grid():
    # Across both grids a=2 lies inside 0..4; in its own grid (kind 'x') it is the lowest of 2 and 3.
    grid = [{"a": [2, 3], "kind": ["x"]}, {"a": [0, 1, 2, 3, 4], "kind": ["y"]}]
    search = _search(grid)
    assert search.best_params_ == {"a": 2, "kind": "x"}
    assert grid_edges(search) == [GridEdge("a", 2, "lowest", (2, 3))]


def test_the_values_searched_are_those_with_every_other_parameter_at_the_best_candidates():
    # b=10 and 20 were searched with a=3 only: at the best candidate's a=2, b=5 is the highest b searched.
    grid = [{"a": [2], "b": [1, 5]}, {"a": [3], "b": [10, 20]}]
    search = _search(grid)
    assert search.best_params_ == {"a": 2, "b": 5}
    assert grid_edges(search) == [GridEdge("b", 5, "highest", (1, 5))]


def test_a_halving_search_counts_every_iterations_candidates_as_searched():
    search = _search({"a": [0, 1, 2]}, HalvingGridSearchCV, min_resources=10, factor=2)
    assert search.n_iterations_ > 1
    assert grid_edges(search) == [GridEdge("a", 2, "highest", (0, 1, 2))]


def test_a_search_without_a_refit_still_has_its_edges():
    assert grid_edges(_search({"a": [2, 3]}, refit=False)) == [GridEdge("a", 2, "lowest", (2, 3))]


def test_an_edge_reads_as_the_short_name_its_value_and_the_values_searched():
    edge = GridEdge("clf__C", 0.3, "lowest", (0.3, 1.0, 3.0))
    assert str(edge) == "C=0.3 (lowest of 0.3, 1.0, 3.0)"


def test_an_unfitted_search_is_refused_with_scikit_learns_error():
    with pytest.raises(NotFittedError):
        grid_edges(GridSearchCV(PeakedScore(), {"a": [1, 2]}))
