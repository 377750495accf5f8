"""Boosting rounds chosen by early stopping on held-out training rows."""

from numbers import Real

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_random_state

from ._label_encoding import LabelEncodedClassifier
from ._sklearn_compat import HasMethods, Interval, _fit_context


class EarlyStoppingClassifier(LabelEncodedClassifier):
    """Fit a gradient-boosting classifier whose number of rounds the data chooses.

    A stratified ``validation_fraction`` of the training rows is held out;
    the booster fits on the others, watching its loss on the held-out rows
    after each round, and stops when that loss has not improved for the
    booster's ``early_stopping_rounds``. It keeps the best round's model:
    ``n_iter_`` rounds, at most its ``n_estimators``, which acts as a budget.
    Labels may be of any type, as in :class:`LabelEncodedClassifier`.

    The booster must take the validation rows as XGBoost's ``fit`` does
    (``eval_set=[(X_valid, y_valid)]``) and must be given
    ``early_stopping_rounds``.

    Parameters
    ----------
    estimator : classifier
        The booster, such as ``xgboost.XGBClassifier(n_estimators=1000,
        early_stopping_rounds=20)``; it is cloned.
    validation_fraction : float, default=0.1
        The fraction of the training rows held out to choose the rounds.
    random_state : int, RandomState instance or None, default=None
        Seeds the split of the held-out rows.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone, which predicts with its best round.
    classes_ : ndarray of shape (n_classes,)
        The original labels, in the order of ``predict_proba``'s columns.
    n_iter_ : int
        The rounds kept: the round of the best held-out loss.
    n_features_in_ : int
        The number of features seen in ``fit``.

    See Also
    --------
    LabelEncodedClassifier : The same without the held-out rows.

    Examples
    --------
    >>> from xgboost import XGBClassifier
    >>> from skdigits import EarlyStoppingClassifier
    >>> from skdigits.datasets import load_mnist
    >>> X, y = load_mnist(split="test", return_X_y=True)
    >>> booster = XGBClassifier(n_estimators=100, max_depth=3, early_stopping_rounds=5, n_jobs=1, random_state=0)
    >>> clf = EarlyStoppingClassifier(booster, random_state=0).fit(X[:1000], y[:1000])
    >>> 1 <= clf.n_iter_ <= 100
    True
    >>> clf.predict(X[:3]).dtype
    dtype('O')
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "random_state": ["random_state"],
    }

    def __init__(self, estimator, *, validation_fraction=0.1, random_state=None):
        super().__init__(estimator)
        self.validation_fraction = validation_fraction
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **fit_params):
        """Fit the booster on most rows, choosing its rounds on the held-out ones.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The training data.
        y : array-like of shape (n_samples,)
            The labels, of any type.
        **fit_params : dict
            Passed to the booster's ``fit``, besides ``eval_set`` (and
            ``verbose=False`` unless given).

        Returns
        -------
        self : object
            The fitted classifier.
        """
        if self.estimator.get_params().get("early_stopping_rounds") is None:
            raise ValueError(
                f"{type(self.estimator).__name__} has no early_stopping_rounds; give it one, such as "
                "XGBClassifier(n_estimators=1000, early_stopping_rounds=20), or use LabelEncodedClassifier"
            )
        if "eval_set" in fit_params:
            raise ValueError("eval_set is chosen by EarlyStoppingClassifier: set validation_fraction instead")
        super().fit(X, y, **fit_params)
        self.n_iter_ = int(self.estimator_.best_iteration) + 1
        return self

    def _fit_encoded(self, X, y, **fit_params):
        """The booster fitted on most rows, watching its loss on the held-out others."""
        X_fit, X_valid, y_fit, y_valid = self._hold_out(X, y)
        fit_params.setdefault("verbose", False)
        return clone(self.estimator).fit(X_fit, y_fit, eval_set=[(X_valid, y_valid)], **fit_params)

    def _hold_out(self, X, y):
        """The training rows split into fitted and held-out ones, stratified when every class allows it."""
        counts = np.bincount(y)
        n_valid = int(np.ceil(self.validation_fraction * len(y)))
        stratify = y if counts.min() >= 2 and n_valid >= len(counts) else None
        if n_valid >= len(y):
            raise ValueError(f"validation_fraction={self.validation_fraction} leaves no row to fit on "
                             f"({len(y)} rows); give a smaller fraction or more rows")
        return train_test_split(X, y, test_size=n_valid, stratify=stratify,
                                random_state=check_random_state(self.random_state))
