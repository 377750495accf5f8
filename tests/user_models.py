"""Users' own models, as ``--model NAME=user_models:FACTORY`` names them (tests only)."""

import os
import time

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from threadpoolctl import threadpool_info

from skdigits import ModelSpec

NOT_A_FACTORY = 42


def scaled_logreg():
    """A plain pipeline, steps named by make_pipeline (no 'features', no 'clf')."""
    pipe = make_pipeline(MinMaxScaler(), PCA(20, random_state=0), LogisticRegression(max_iter=200))
    return ModelSpec("ignored", pipe, {"logisticregression__C": [0.1, 1.0]}, description="PCA + logreg")


def naive_bayes():
    """A plain estimator, no grid."""
    return GaussianNB()


class UnsaveableClassifier(GaussianNB):
    """Gaussian naive Bayes that keeps a generator once fitted: it predicts, but cannot be saved."""

    def fit(self, X, y):
        super().fit(X, y)
        self.pending_ = (c for c in self.classes_)
        return self


def not_an_estimator():
    return "hello"


def build(meta=None):
    """A user's Keras build function: one small hidden layer."""
    import keras

    return keras.Sequential([
        keras.Input((meta["n_features_in_"],)),
        keras.layers.Rescaling(1 / 255),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(meta["n_classes_"], activation="softmax"),
    ])


def tiny_network():
    """The build function as a classifier, 1 epoch."""
    from skdigits import KerasClassifier

    return KerasClassifier(build, loss="sparse_categorical_crossentropy", optimizer="adam",
                           epochs=1, random_state=0)


class SleepyClassifier(ClassifierMixin, BaseEstimator):
    """Predicts the most frequent class, after sleeping ``delay`` seconds in a fit on ``min_rows`` or more."""

    def __init__(self, delay=0.0, min_rows=0):
        self.delay = delay
        self.min_rows = min_rows

    def fit(self, X, y):
        if len(X) >= self.min_rows:
            time.sleep(self.delay)
        self.classes_, counts = np.unique(np.asarray(y), return_counts=True)
        self.majority_ = self.classes_[np.argmax(counts)]
        return self

    def predict(self, X):
        return np.full(len(X), self.majority_)


class BlasThreadsClassifier(ClassifierMixin, BaseEstimator):
    """Predicts the most frequent class; each fit appends its process id and BLAS threads to ``log``."""

    def __init__(self, log=None, tag=0):
        self.log = log
        self.tag = tag

    def fit(self, X, y):
        threads = max(pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas")
        with open(self.log, "a") as log:
            log.write(f"{os.getpid()} {threads}\n")
        self.classes_, counts = np.unique(np.asarray(y), return_counts=True)
        self.majority_ = self.classes_[np.argmax(counts)]
        return self

    def predict(self, X):
        return np.full(len(X), self.majority_)


def slow_classifier():
    """A classifier whose every fit takes 60 s."""
    return SleepyClassifier(delay=60.0)
