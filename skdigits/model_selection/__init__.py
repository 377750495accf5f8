"""Model selection that survives interruptions: searches that record every fit.

:class:`ResumableGridSearchCV` and :class:`ResumableHalvingGridSearchCV`
are scikit-learn's ``GridSearchCV`` and ``HalvingGridSearchCV`` with a
``store`` folder: every (candidate, split) fit and the refit are recorded
there as they complete, and fitting the same search again redoes only what
is missing. :class:`FitStore` and :func:`write_atomic` are the records on
disk; :class:`FitTimeout` and :class:`SearchTimeout` are raised when fits
run past a search's ``fit_timeout``. :func:`grid_edges` says which of a
fitted search's best values are the lowest or highest searched, where the
optimum may lie beyond the grid.
"""

from ._edges import GridEdge, grid_edges
from ._search import ResumableGridSearchCV, ResumableHalvingGridSearchCV
from ._store import FitStore, write_atomic
from ._timeout import FitTimeout, SearchTimeout

__all__ = [
    "FitStore",
    "FitTimeout",
    "GridEdge",
    "ResumableGridSearchCV",
    "ResumableHalvingGridSearchCV",
    "SearchTimeout",
    "grid_edges",
    "write_atomic",
]
