"""Model selection that survives interruptions: searches that record every fit.

:class:`ResumableGridSearchCV` and :class:`ResumableHalvingGridSearchCV`
are scikit-learn's ``GridSearchCV`` and ``HalvingGridSearchCV`` with a
``store`` folder: every (candidate, split) fit and the refit are recorded
there as they complete, and fitting the same search again redoes only what
is missing. :class:`FitStore` and :func:`write_atomic` are the records on
disk.
"""

from ._search import ResumableGridSearchCV, ResumableHalvingGridSearchCV
from ._store import FitStore, write_atomic

__all__ = ["FitStore", "ResumableGridSearchCV", "ResumableHalvingGridSearchCV", "write_atomic"]
