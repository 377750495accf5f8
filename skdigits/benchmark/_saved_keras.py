"""A trained Keras network read back from a run folder, as a classifier."""

import sys

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin


def is_keras(estimator):
    """Whether ``estimator`` is one of skdigits' Keras classifiers (TensorFlow not imported for others)."""
    base = sys.modules.get("skdigits.neural_network._base")
    return base is not None and isinstance(estimator, base.BaseKerasClassifier)


class SavedKerasClassifier(ClassifierMixin, BaseEstimator):
    """A trained Keras network loaded from a run folder, as a classifier.

    Predicts as skdigits' Keras classifiers do: the network's outputs are
    the class probabilities, in the order of ``classes_``.

    Parameters
    ----------
    network : keras.Model
        The trained network.
    classes : ndarray of shape (n_classes,)
        The labels seen in fit.
    """

    def __init__(self, network=None, classes=None):
        self.network = network
        self.classes = classes

    @property
    def classes_(self):
        return np.asarray(self.classes)

    @property
    def model_(self):
        return self.network

    def __sklearn_is_fitted__(self):
        # Trained when loaded; a Pipeline holding it checks this before predicting.
        return self.network is not None

    def fit(self, X, y=None):
        """Not supported: refit the benchmark's estimator instead."""
        raise NotImplementedError("a saved network is for predictions; fit the original estimator")

    def predict_proba(self, X):
        """Class probabilities, columns in the order of ``classes_``."""
        X = np.asarray(X, dtype=np.float32)
        return np.asarray(self.network.predict(X, batch_size=1024, verbose=0), dtype=np.float64)

    def predict(self, X):
        """The label of the most probable class."""
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
