"""The rows the ensemble is chosen on: one validation split of the training set, shared by every family.

A stratified, seeded set of validation rows V is held out of the run's
training rows, and a stratified set of fitting rows T is drawn from the
others. Each family's chosen candidate (its search's ``best_params_``) is
fitted on T with the run's seed and predicts V, so every candidate member is
represented by a model trained on the same rows, scored on the same rows
that none of them saw. The fits are recorded like the refits: a resumed run
does not redo them.
"""

import traceback
from dataclasses import dataclass

import numpy as np
from rich.markup import escape
from sklearn.model_selection import train_test_split

from ..model_selection._keys import digest, fit_key
from ._family import refit_and_predict
from ._rows import take_rows
from ._run_folder import write_error

#: Share of the training rows held out as validation rows V (5,000 of MNIST's 60,000).
VALIDATION_SHARE = 1 / 12
#: Share of the training rows the members are fitted on, T (12,000 of 60,000): a fifth of each refit's rows,
#: so about a fifth of its time (less for the SVM, whose fit grows faster than its rows).
FIT_SHARE = 1 / 5


@dataclass
class Holdout:
    """The shared split: positions in the run's training rows, and the rows themselves.

    Attributes
    ----------
    fit_rows, validation_rows : ndarray of int
        Positions of T and V in the run's training set (disjoint, sorted).
    X_fit, y_fit, X_val, y_val : array-like
        Those rows.
    """

    fit_rows: np.ndarray
    validation_rows: np.ndarray
    X_fit: object
    y_fit: object
    X_val: object
    y_val: object

    @property
    def key(self):
        """What identifies the split in a fit's record key."""
        return digest([self.fit_rows, self.validation_rows])


def split_rows(y, seed, validation_share=VALIDATION_SHARE, fit_share=FIT_SHARE):
    """Positions of the fitting rows T and validation rows V: stratified, seeded, disjoint.

    Parameters
    ----------
    y : array-like of shape (n_rows,)
        The run's training labels.
    seed : int
        The run's seed.
    validation_share, fit_share : float
        Shares of the rows in V and in T.

    Returns
    -------
    fit_rows, validation_rows : ndarray of int
        Sorted positions; none in both.

    Examples
    --------
    >>> import numpy as np
    >>> from skdigits.benchmark._holdout import split_rows
    >>> fit, val = split_rows(np.repeat([0, 1], 600), seed=0)
    >>> len(fit), len(val), len(set(fit) & set(val))
    (240, 100, 0)
    """
    y = np.asarray(y)
    n_val, n_fit = round(len(y) * validation_share), round(len(y) * fit_share)
    fit, val = train_test_split(np.arange(len(y)), train_size=n_fit, test_size=n_val, stratify=y,
                                random_state=seed)
    return np.sort(fit), np.sort(val)


def holdout_split(X_train, y_train, seed):
    """The run's :class:`Holdout`, or None when the training set is too small to hold one out."""
    n_classes = len(np.unique(np.asarray(y_train)))
    if round(len(y_train) * VALIDATION_SHARE) < 2 * n_classes:
        return None
    fit, val = split_rows(y_train, seed)
    return Holdout(fit, val, take_rows(X_train, fit), take_rows(y_train, fit),
                   take_rows(X_train, val), take_rows(y_train, val))


def holdout_key(pipeline, params, data_key, holdout):
    """The key of a family's fit on T (predicting V), built like its refit's key."""
    return fit_key(kind="holdout", estimator=digest(pipeline), params=digest(params), data=data_key,
                   split=holdout.key)


def fit_on_holdout(spec, params, holdout, settings, work, data_key, store):
    """Start the family's chosen candidate's fit on T (predicting V), unless recorded; a function to finish it.

    The fit goes through ``work.submit``: beside the family's other refits
    in a batch (see ``LocalRunner.batch``), on a worker with a cluster.

    Returns
    -------
    finish : callable
        ``finish(progress)`` waits for the fit, records it and returns
        ``(record, resumed)``: the record as :func:`refit_and_predict`
        gives it (``proba`` or ``decision`` of V, ``fit_time``...) less the
        model, None when the fit failed (the family then has no vote, its
        own result stands); ``resumed`` 1 when it was read back, 0 when
        fitted now.
    """
    key = holdout_key(spec.pipeline, params, data_key, holdout)
    recorded = store.get(key)
    if recorded is not None:
        return lambda progress: (recorded, 1)
    future = work.submit(refit_and_predict, spec.pipeline, params, holdout.X_fit, holdout.y_fit,
                         holdout.X_val, settings.n_jobs, settings.fit_timeout, None)

    def finish(progress):
        try:
            record = future.result()
        except Exception as exc:  # the family keeps its result, without a vote
            write_error(settings.output_dir, spec.family, traceback.format_exc(), "-holdout")
            progress.warn(f"[yellow]{spec.family}: no vote in the ensemble[/yellow]: "
                          f"{type(exc).__name__}: {escape(str(exc))}")
            return None, 0
        store.put(key, record)
        return record, 0

    return finish
