"""The training rows a run and its families use: stratified subsets, nested across sizes."""

from math import floor, log
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import ParameterGrid


def nested_stratified_rows(y, size, seed):
    """Positions of a stratified subset of ``size`` rows, nested across sizes.

    Each class is shuffled, and rows are taken in the order of their rank
    within their class (relative to the class's size), so every prefix keeps
    the class proportions and a smaller subset is part of a larger one: the
    families that search 10,000 rows search rows that the 20,000-row
    families search too, so a smaller search's rows are a part of a larger
    one's, whatever the sizes the zoo gives its families. (The ensemble is
    chosen on rows of its own, held out of every fit: ``_holdout``.)
    """
    y = np.asarray(y)
    if size is None or size >= len(y):
        return np.arange(len(y))
    return np.sort(_stratified_order(y, seed)[:size])


def _stratified_order(y, seed):
    """Every row's position, in the order :func:`nested_stratified_rows` takes them."""
    rng = np.random.RandomState(seed)
    rank = np.empty(len(y))
    for label in np.unique(y):
        members = np.flatnonzero(y == label)
        rank[rng.permutation(members)] = (np.arange(len(members)) + 0.5) / len(members)
    return np.lexsort((rng.permutation(len(y)), rank))


def rows_for_members(y, members, seed):
    """The fewest rows whose :func:`nested_stratified_rows` subset holds ``members`` rows of every class.

    Every class of ``y`` must have that many.

    Examples
    --------
    >>> import numpy as np
    >>> from skdigits.benchmark._rows import nested_stratified_rows, rows_for_members
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> n = rows_for_members(y, 3, seed=0)
    >>> n, np.bincount(y[nested_stratified_rows(y, n, seed=0)])
    (26, array([23,  3]))
    """
    y = np.asarray(y)
    labels = y[_stratified_order(y, seed)]
    return 1 + max(int(np.flatnonzero(labels == label)[members - 1]) for label in np.unique(y))


def take_rows(X, rows):
    """Rows of an array or DataFrame, by position."""
    return X.iloc[rows] if hasattr(X, "iloc") else X[rows]


#: Parameters whose integer value is the fewest training rows a fit can take (PCA's components, kNN's neighbours).
ROW_BOUNDS = ("n_components", "n_neighbors")


def rows_needed(spec):
    """The fewest training rows every candidate of a family can be fitted on, and why.

    The largest integer ``n_components`` or ``n_neighbors`` among its grid's
    candidates (a step replaced by ``'passthrough'`` does not count): the
    rows PCA, kNN and most of scikit-learn's decompositions and neighbour
    methods need to fit. The names are the whole test, so an estimator of
    yours whose ``n_components`` asks for no rows (NMF's, say) is held to
    it too, which matters only for folds smaller than it.

    Returns
    -------
    rows : int
        At least 1.
    parameter : str or None
        The parameter that sets it, as ``get_params`` names it.

    Examples
    --------
    >>> from skdigits import get_model
    >>> from skdigits.benchmark._rows import rows_needed
    >>> rows_needed(get_model("knn", "quick"))
    (40, 'pca__n_components')
    """
    rows, parameter = 1, None
    for candidate in ParameterGrid(spec.param_grid):
        params = clone(spec.search_pipeline()).set_params(**candidate).get_params(deep=True)
        for name, value in params.items():
            bound = name.rsplit("__", 1)[-1] in ROW_BOUNDS and isinstance(value, Integral)
            if bound and not isinstance(value, bool) and value > rows:
                rows, parameter = int(value), name
    return rows, parameter


def check_rows_suffice(specs, n_rows, cv, search="grid", n_classes=10):
    """Refuse a training set too small for a family's fits, naming the family and the size that would do.

    Each family's search splits ``min(search_size, n_rows)`` rows into
    ``cv`` stratified folds: its smallest training fold must hold the rows
    :func:`rows_needed` asks for (the refit, on every row, then does too).
    A halving search (``search='halving'``) fits every candidate first on
    the fewer rows of its first iteration (:func:`halving_first_rows`),
    and is judged on those.

    Raises
    ------
    ValueError
        Naming the family, the parameter, the rows it has and the
        ``train_size`` (``--train-size``) that gives it enough, or the
        ``search_size`` where that is what limits its search.
    """
    for family, spec in specs.items():
        need, parameter = rows_needed(spec)
        searched = min(spec.search_size or n_rows, n_rows)
        # What the fix names: --train-size, or the ModelSpec's search_size where that limits the search.
        fix = TRAIN_SIZE_FIX if searched == n_rows else SEARCH_SIZE_FIX
        if search == "halving":
            fix += ", search the grid (--search grid)"
        first, scale, where = _first_fits(family, spec, searched, cv, n_classes, search, fix)
        if _smallest_fold(first, cv) >= need:
            continue
        enough = next(n for n in range(need, need * cv + cv) if _smallest_fold(n, cv) >= need)
        raise ValueError(
            f"{searched} training rows are too few for {family}: its {parameter}={need} needs {need} rows to "
            f"fit on, and {where} has {_smallest_fold(first, cv)}; {fix.format(enough * scale)}, "
            f"or leave {family} out"
        )


def check_classes_suffice(specs, y_train, y_data, cv, seed):
    """Refuse search rows without ``cv`` rows of every class, naming the class and the size that would do.

    A family's search splits its rows (:func:`nested_stratified_rows` of
    ``y_train``, the run's training rows) into ``cv`` stratified folds, each
    of which needs a row of every class of the data (``y_data``, the data's
    training labels before the run cut them): with fewer, scikit-learn warns
    and fits some folds on fewer classes, or fails when no class has ``cv``
    rows.

    Raises
    ------
    ValueError
        Naming the class and its rows, and the fix: fewer folds (``--cv``)
        when the data itself holds fewer rows of a class, else the
        ``train_size`` (``--train-size``), or the ``search_size`` where that
        is what limits a family's search, that holds enough.
    """
    y_train, y_data = np.asarray(y_train), np.asarray(y_data)
    classes, in_data = np.unique(y_data, return_counts=True)
    if in_data.min() < cv:
        label, rows = _plain(classes[in_data.argmin()]), int(in_data.min())
        fix = f"use {rows} folds (--cv {rows})" if rows >= 2 else "add rows of that class, or remove its one row"
        raise ValueError(f"class {label!r} has {rows} training row{'s' * (rows != 1)} in the data, fewer than the "
                         f"{cv} folds of cross-validation, each of which needs one; {fix}")
    _refuse_fewer(y_train, classes, cv, "a", lambda: TRAIN_SIZE_FIX.format(rows_for_members(y_data, cv, seed)))
    for family, spec in specs.items():
        searched = y_train[nested_stratified_rows(y_train, spec.search_size, seed)]
        _refuse_fewer(searched, classes, cv, f"{family}'s",
                      lambda family=family: f"{SEARCH_SIZE_FIX.format(rows_for_members(y_train, cv, seed))}, "
                                            f"or leave {family} out")


def _refuse_fewer(y, classes, cv, whose, fix):
    """Refuse rows ``y`` with fewer than ``cv`` rows of one of ``classes``, for ``whose`` search; ``fix()`` says how."""
    counts = np.array([np.count_nonzero(y == label) for label in classes])
    if counts.min() < cv:
        label = _plain(classes[counts.argmin()])
        raise ValueError(f"{len(y)} training rows are too few for {whose} {cv}-fold search: they hold "
                         f"{counts.min()} of class {label!r}, and stratified folds need {cv} of every class; {fix()}")


#: The fixes the rows checks name: the run's training rows, or a family's search rows.
TRAIN_SIZE_FIX = "use train_size (--train-size) {} or more"
SEARCH_SIZE_FIX = "give its ModelSpec a search_size of {} or more"


def _plain(label):
    """A label as Python has it (``'5'``, ``5``), for a message: NumPy's scalars show their type."""
    return label.item() if isinstance(label, np.generic) else label


def _first_fits(family, spec, searched, cv, n_classes, search, fix):
    """The rows of a family's first fits, the factor from them to the rows to ask for, and where they are.

    A grid search's first fits are its folds'; a halving search's, its
    first iteration's, and fewer rows than it starts on are refused here.
    """
    if search != "halving":
        return searched, 1, f"the smallest training fold of its {cv}-fold search"
    least = 2 * cv * n_classes
    if searched < least:
        raise ValueError(
            f"{searched} training rows are too few for {family}'s halving search: it starts on two rows per "
            f"class and fold, {least} for {n_classes} classes and {cv} folds; {fix.format(least)}, or leave "
            f"{family} out"
        )
    n_candidates = len(ParameterGrid(spec.param_grid))
    first = halving_first_rows(searched, n_candidates, cv, n_classes)  # at least searched // scale
    return (first, HALVING_FACTOR ** _halving_steps(n_candidates),
            f"the smallest training fold of its halving search's first {first} rows ({cv} folds)")


#: The benchmark's halving search's ``factor`` (scikit-learn's default, kept by ``make_search``).
HALVING_FACTOR = 3


def _halving_steps(n_candidates):
    """The iterations after the first that a halving search needs to leave fewer than ``factor`` candidates."""
    return floor(log(n_candidates, HALVING_FACTOR))  # scikit-learn's own expression, to the bit


def halving_first_rows(n_rows, n_candidates, cv, n_classes):
    """The rows a halving search's first iteration fits every candidate on.

    As :class:`~sklearn.model_selection.HalvingGridSearchCV` computes its
    ``n_resources_[0]`` for a classifier with ``min_resources='exhaust'``
    and ``factor=3`` (the benchmark's settings): the most rows from which
    the iterations it needs end on ``n_rows``, but at least two per class
    and fold.

    Examples
    --------
    >>> from skdigits.benchmark._rows import halving_first_rows
    >>> halving_first_rows(20000, 16, cv=3, n_classes=10)  # 20000 // 3 ** 2
    2222
    >>> halving_first_rows(500, 16, cv=3, n_classes=10)  # two per class and fold
    60
    """
    return max(2 * cv * n_classes, n_rows // HALVING_FACTOR ** _halving_steps(n_candidates))


def _smallest_fold(n_rows, cv):
    """The rows of the smallest training fold of ``cv``-fold cross-validation on ``n_rows``."""
    return n_rows - -(-n_rows // cv)
