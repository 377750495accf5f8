"""A classifier wrapper that lets any classifier take labels of any type."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.preprocessing import LabelEncoder
from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted


def _estimator_has(attr):
    return lambda self: hasattr(self.estimator, attr)


class LabelEncodedClassifier(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Fit a classifier on labels encoded as ``0..n_classes - 1``.

    Some classifiers, XGBoost's among them, refuse labels that are not
    consecutive integers from 0, such as OpenML's ``'0'``..``'9'``. This
    wrapper encodes the labels with :class:`~sklearn.preprocessing.LabelEncoder`
    before fitting and decodes predictions, so the wrapped classifier works on
    any labels.

    Parameters
    ----------
    estimator : classifier
        The classifier to fit on encoded labels; it is cloned.

    Attributes
    ----------
    estimator_ : classifier
        The fitted clone.
    classes_ : ndarray of shape (n_classes,)
        The original labels, in the order of ``predict_proba``'s columns.

    Examples
    --------
    >>> from xgboost import XGBClassifier
    >>> from skdigits.datasets import load_mnist
    >>> X, y = load_mnist(split="test", return_X_y=True)
    >>> clf = LabelEncodedClassifier(XGBClassifier(n_estimators=5, n_jobs=1)).fit(X[:500], y[:500])
    >>> clf.classes_
    array(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], dtype=object)
    >>> clf.predict(X[:3]).dtype
    dtype('O')
    """

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y, **fit_params):
        """Fit the wrapped classifier on ``y`` encoded as integers.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The training data.
        y : array-like of shape (n_samples,)
            The labels, of any type.
        **fit_params : dict
            Passed to the wrapped classifier's ``fit``.

        Returns
        -------
        self : object
            The fitted wrapper.
        """
        check_classification_targets(y)
        encoder = LabelEncoder().fit(y)
        self.classes_ = encoder.classes_
        self.estimator_ = self._fit_encoded(X, encoder.transform(y), **fit_params)
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        return self

    def _fit_encoded(self, X, y, **fit_params):
        """The fitted clone of ``estimator``, given labels encoded as ``0..n_classes - 1``."""
        return clone(self.estimator).fit(X, y, **fit_params)

    def predict(self, X):
        """Predict the original labels of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels of the type seen in ``fit``.
        """
        check_is_fitted(self)
        return self.classes_[np.asarray(self.estimator_.predict(X), dtype=int)]

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """Probability of each class, columns in the order of ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self)
        return self.estimator_.predict_proba(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.sparse = inner.input_tags.sparse
        return tags
