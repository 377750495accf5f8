"""A run's settings and data, each in one object, and the checks of its settings."""

from dataclasses import dataclass
from pathlib import Path

import numpy as np


def check_fit_timeout(fit_timeout):
    """``fit_timeout`` as given, or a ValueError that says what it takes.

    The one check of the time limit: :func:`~skdigits.benchmark.run` and the
    command line's ``--fit-timeout`` both call it.

    Examples
    --------
    >>> check_fit_timeout(30), check_fit_timeout(None)
    (30, None)
    """
    if fit_timeout is not None and (not isinstance(fit_timeout, (int, float, np.number)) or not fit_timeout > 0):
        raise ValueError(f"fit_timeout must be a number of seconds > 0, got {fit_timeout!r}")
    return fit_timeout


@dataclass(frozen=True)
class RunSettings:
    """What every family of a run shares, and what the run records of how it was run.

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
        The run's folder: fits under ``fits/FAMILY``.
    fit_timeout : float or None
        Seconds a fit (of the search, or the refit) may run before it is
        stopped; None for no limit.
    profile : str
        The profile's name.
    families : tuple of str
        The run's entries, in order.
    data : str
        The data source, as given (``'mnist'`` by default).
    ensemble : bool
        Whether the run adds the soft-vote ensemble.
    repeats : int
        Refits of each family's chosen candidate, with seeds ``seed``,
        ``seed + 1``...
    cache_dir : Path or None
        The run's private joblib cache, outside ``output_dir`` (see
        ``_cache``); None for none.
    """

    cv: int
    search: str
    seed: int
    n_jobs: int
    output_dir: Path
    fit_timeout: float | None = None
    profile: str = "standard"
    families: tuple = ()
    data: str = "mnist"
    ensemble: bool = True
    repeats: int = 1
    cache_dir: Path | None = None

    def recorded(self, data):
        """The settings as ``results.json`` records them (``data`` gives the row counts)."""
        return {
            "profile": self.profile, "families": ",".join(self.families), "train_rows": len(data.y_train),
            "test_rows": len(data.y_test), "cv": self.cv, "search": self.search, "n_jobs": self.n_jobs,
            "seed": self.seed, "data": self.data, "ensemble": self.ensemble,
            "repeats": self.repeats,
        }


@dataclass(frozen=True)
class TrainTest:
    """A run's data: the training set (cut to the run's size) and the test set."""

    X_train: object
    X_test: object
    y_train: np.ndarray
    y_test: np.ndarray
