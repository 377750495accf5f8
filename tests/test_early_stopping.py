"""EarlyStoppingClassifier: boosting rounds chosen on held-out training rows."""

import numpy as np
import pytest
from sklearn.base import clone
from xgboost import XGBClassifier

from skdigits import EarlyStoppingClassifier, LabelEncodedClassifier
from skdigits.datasets import load_mnist


@pytest.fixture(scope="module")
def digits():
    """1,500 real MNIST training images and 500 test images, OpenML's string labels."""
    X, y = load_mnist(split="train", return_X_y=True)
    X_test, y_test = load_mnist(split="test", return_X_y=True)
    return X[:1500], y[:1500], X_test[:500], y_test[:500]


def booster(**params):
    return XGBClassifier(**{"n_estimators": 300, "early_stopping_rounds": 5, "max_depth": 3, "learning_rate": 0.5,
                            "max_bin": 16, "n_jobs": 1, "random_state": 0, **params})


def test_rounds_stop_where_the_held_out_loss_stops_improving(digits):
    X, y, _, _ = digits
    clf = EarlyStoppingClassifier(booster(), random_state=0).fit(X, y)
    assert 1 <= clf.n_iter_ < 300  # a large learning rate overfits 1,350 rows well before 300 rounds
    curve = clf.estimator_.evals_result()["validation_0"]["mlogloss"]
    assert clf.n_iter_ == int(np.argmin(curve)) + 1 and len(curve) == clf.n_iter_ + 5


def test_predictions_use_the_best_round_and_the_original_labels(digits):
    X, y, X_test, y_test = digits
    clf = EarlyStoppingClassifier(booster(), random_state=0).fit(X, y)
    best = clf.estimator_.predict_proba(X_test, iteration_range=(0, clf.n_iter_))
    np.testing.assert_array_equal(clf.predict_proba(X_test), best)
    assert list(clf.classes_) == [str(d) for d in range(10)]
    assert (clf.predict(X_test) == y_test).mean() > 0.85


def test_the_held_out_rows_are_stratified_and_seeded(digits):
    X, y, _, _ = digits
    clf = EarlyStoppingClassifier(booster(), validation_fraction=0.2, random_state=0)
    labels = np.asarray(y).astype(int)
    _, _, _, y_valid = clf._hold_out(np.asarray(X), labels)
    assert len(y_valid) == 300 and np.ptp(np.bincount(y_valid) / np.bincount(labels)) < 0.02
    again = EarlyStoppingClassifier(booster(), random_state=0).fit(X, y)
    first = EarlyStoppingClassifier(booster(), random_state=0).fit(X, y)
    np.testing.assert_array_equal(first.predict_proba(X[:50]), again.predict_proba(X[:50]))


def test_a_booster_without_early_stopping_rounds_is_refused_with_the_fix():
    with pytest.raises(ValueError, match="no early_stopping_rounds; give it one.*or use LabelEncodedClassifier"):
        EarlyStoppingClassifier(XGBClassifier()).fit(np.zeros((20, 3)), [0, 1] * 10)


def test_eval_set_is_refused_as_the_classifier_chooses_it():
    with pytest.raises(ValueError, match="set validation_fraction instead"):
        EarlyStoppingClassifier(booster()).fit(np.zeros((20, 3)), [0, 1] * 10, eval_set=[])


@pytest.mark.parametrize("fraction", [0, 1, 1.5, -0.1])
def test_a_validation_fraction_outside_zero_one_is_refused(fraction):
    with pytest.raises(ValueError, match="validation_fraction"):
        EarlyStoppingClassifier(booster(), validation_fraction=fraction).fit(np.zeros((20, 3)), [0, 1] * 10)


def test_clone_keeps_the_parameters_and_drops_the_fit(digits):
    X, y, _, _ = digits
    clf = EarlyStoppingClassifier(booster(), validation_fraction=0.2, random_state=3).fit(X[:300], y[:300])
    copy = clone(clf)
    assert copy.get_params()["validation_fraction"] == 0.2 and copy.random_state == 3
    assert not hasattr(copy, "n_iter_")
    assert copy.set_params(estimator__max_depth=2).estimator.max_depth == 2


def test_the_results_table_says_how_many_rounds_early_stopping_kept(digits):
    from sklearn.pipeline import make_pipeline

    from skdigits.benchmark._family import iterations_kept

    X, y, _, _ = digits
    pipe = make_pipeline(EarlyStoppingClassifier(booster(), random_state=0)).fit(X, y)
    assert iterations_kept(pipe) == f"{pipe[-1].n_iter_} of 300 rounds"
    no_early_stopping = LabelEncodedClassifier(booster(early_stopping_rounds=None, n_estimators=20))
    assert iterations_kept(make_pipeline(no_early_stopping).fit(X, y)) == ""
