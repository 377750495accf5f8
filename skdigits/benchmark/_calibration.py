"""Probabilities for a member without ``predict_proba`` (the SVM), calibrated on held-out training rows.

The member's decision values on the validation rows are calibrated by
temperature scaling (one temperature for all classes, which keeps the
argmax, so the calibrated member's errors are its own) or by Platt's
sigmoid (one per class, then normalised). Stratified cross-validation over
the validation rows chooses between the two by log loss; a sigmoid that
would predict worse than the member itself on those rows is not chosen.
The test set plays no part.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import log_loss
from sklearn.model_selection import StratifiedKFold

#: Calibrations tried, in order of preference on a tie.
METHODS = ("temperature", "sigmoid")
#: Folds over the validation rows that choose between them.
CALIBRATION_FOLDS = 5


class _DecisionValues(ClassifierMixin, BaseEstimator):
    """A classifier whose decision values are its input: calibration on recorded values."""

    def __init__(self, n_classes=2):
        self.n_classes = n_classes

    def fit(self, X, y=None):
        self.classes_ = np.arange(self.n_classes)
        return self

    def decision_function(self, X):
        return np.asarray(X, dtype=np.float64)

    def predict(self, X):
        values = self.decision_function(X)
        return (values > 0).astype(int) if values.ndim == 1 else np.argmax(values, axis=1)


@dataclass
class Calibration:
    """A member's chosen calibration.

    Attributes
    ----------
    method : {'temperature', 'sigmoid'}
        The calibration chosen.
    log_loss : dict of str to float
        Each method's cross-validated log loss on the validation rows.
    validation_proba : ndarray of shape (n_rows, n_classes)
        The chosen method's cross-validated probabilities of the validation
        rows (each row calibrated by a calibrator that did not see it).
    calibrator : CalibratedClassifierCV
        The chosen method fitted on all validation rows; its
        ``predict_proba`` takes decision values.
    """

    method: str
    log_loss: dict
    validation_proba: np.ndarray
    calibrator: CalibratedClassifierCV

    def predict_proba(self, decision):
        """Calibrated probabilities of other rows' decision values (the refit's test rows)."""
        return self.calibrator.predict_proba(np.asarray(decision, dtype=np.float64))


def _calibrated(method, n_classes, n_rows):
    scores = FrozenEstimator(_DecisionValues(n_classes).fit(None))
    # The scores are frozen: one "split" of all rows, not folds that each need every class.
    everything = np.arange(n_rows)
    return CalibratedClassifierCV(scores, method=method, cv=[(everything, everything)])


def calibrate(decision, y_codes, n_classes, seed=0):
    """Choose and fit the calibration of a member's decision values.

    Parameters
    ----------
    decision : ndarray of shape (n_rows, n_classes) or (n_rows,)
        The member's ``decision_function`` on the validation rows.
    y_codes : ndarray of shape (n_rows,)
        Their true classes, as column numbers.
    n_classes : int
        Number of classes.
    seed : int, default=0
        Seed of the folds.

    Returns
    -------
    calibration : Calibration

    Examples
    --------
    >>> import numpy as np
    >>> from skdigits.benchmark._calibration import calibrate
    >>> rng = np.random.RandomState(0)
    >>> y = rng.randint(0, 3, 300)
    >>> decision = rng.normal(size=(300, 3)) + 2 * np.eye(3)[y]
    >>> calibration = calibrate(decision, y, 3)
    >>> calibration.method in ("temperature", "sigmoid")
    True
    >>> bool((calibration.predict_proba(decision).argmax(axis=1) == decision.argmax(axis=1)).mean() > 0.95)
    True
    """
    decision = np.asarray(decision, dtype=np.float64)
    y_codes = np.asarray(y_codes)
    n_folds = min(CALIBRATION_FOLDS, int(np.bincount(y_codes, minlength=n_classes).min()))
    if n_folds < 2:  # a class with one row: no folds to choose with, one temperature fitted on all rows
        calibrator = _calibrated("temperature", n_classes, len(y_codes)).fit(decision, y_codes)
        return Calibration("temperature", {}, calibrator.predict_proba(decision), calibrator)
    folds = StratifiedKFold(n_folds, shuffle=True, random_state=seed)
    proba = {method: np.empty((len(y_codes), n_classes)) for method in METHODS}
    for fit, held in folds.split(decision, y_codes):
        for method in METHODS:
            calibrator = _calibrated(method, n_classes, len(fit)).fit(decision[fit], y_codes[fit])
            proba[method][held] = calibrator.predict_proba(decision[held])
    losses = {method: float(log_loss(y_codes, p, labels=np.arange(n_classes))) for method, p in proba.items()}
    method = min(METHODS, key=lambda m: (losses[m], METHODS.index(m)))
    own_errors = np.sum(_DecisionValues(n_classes).fit(None).predict(decision) != y_codes)
    if method != "temperature" and np.sum(np.argmax(proba[method], axis=1) != y_codes) > own_errors:
        method = "temperature"  # keeps the member's own predictions
    calibrator = _calibrated(method, n_classes, len(y_codes)).fit(decision, y_codes)
    return Calibration(method, losses, proba[method], calibrator)
