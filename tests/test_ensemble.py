"""The ensemble entry: the shared validation split, the SVM's calibration, the selection; the search subsets."""

import numpy as np
import pytest

from skdigits import get_model
from skdigits.benchmark import _ensemble
from skdigits.benchmark._calibration import calibrate
from skdigits.benchmark._ensemble import greedy_soft_vote, select_members, soft_vote_row
from skdigits.benchmark._holdout import split_rows
from skdigits.benchmark._run import nested_stratified_rows
from skdigits.datasets import load_mnist


@pytest.fixture(scope="module")
def labels():
    return load_mnist(split="train", return_X_y=True)[1]


def test_smaller_search_subsets_are_part_of_larger_ones(labels):
    small, large = (set(nested_stratified_rows(labels, n, seed=0)) for n in (10000, 20000))
    assert len(small) == 10000 and len(large) == 20000 and small <= large


def test_search_subsets_keep_the_class_proportions(labels):
    rows = nested_stratified_rows(labels, 5000, seed=3)
    share = np.unique(labels[rows], return_counts=True)[1] / 5000
    expected = np.unique(labels, return_counts=True)[1] / len(labels)
    assert np.abs(share - expected).max() < 0.002


def test_search_subsets_depend_on_the_seed_only(labels):
    same = nested_stratified_rows(labels, 3000, seed=1)
    assert np.array_equal(same, nested_stratified_rows(labels, 3000, seed=1))
    assert not np.array_equal(same, nested_stratified_rows(labels, 3000, seed=2))
    assert np.array_equal(nested_stratified_rows(labels, None, seed=1), np.arange(len(labels)))


def test_greedy_vote_prefers_the_member_that_lowers_out_of_fold_loss():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 3, 300)
    sharp = np.full((300, 3), 0.05)
    sharp[np.arange(300), y] = 0.9
    wrong = np.roll(sharp, 1, axis=1)
    weights = greedy_soft_vote({"sharp": sharp, "wrong": wrong, "flat": np.full((300, 3), 1 / 3)}, y)
    assert weights == {"sharp": 1.0}


def test_greedy_vote_mixes_members_whose_errors_differ():
    y = np.array([0, 1, 0, 1, 0, 1])
    a = np.array([[0.9, 0.1], [0.1, 0.9], [0.9, 0.1], [0.1, 0.9], [0.4, 0.6], [0.1, 0.9]])
    b = np.array([[0.9, 0.1], [0.1, 0.9], [0.9, 0.1], [0.1, 0.9], [0.9, 0.1], [0.6, 0.4]])
    weights = greedy_soft_vote({"a": a, "b": b}, y)
    assert set(weights) == {"a", "b"} and abs(sum(weights.values()) - 1) < 1e-12


def test_selection_takes_the_best_member_alone_when_the_vote_errs_more_on_validation():
    # 'sharp' is right on 90 rows (barely on 30) but sure of the wrong class on 10 (a poor log loss);
    # 'soft' is right on those 10 and wrong on the 30: greedy selection by log loss mixes them, and the
    # mix errs on all 40.
    y = np.zeros(100, dtype=int)
    sharp = np.tile([0.99, 0.01], (100, 1))
    sharp[:10], sharp[10:40] = [1e-6, 1 - 1e-6], [0.52, 0.48]
    soft = np.tile([0.6, 0.4], (100, 1))
    soft[10:40] = [0.3, 0.7]
    assert set(greedy_soft_vote({"sharp": sharp, "soft": soft}, y)) == {"sharp", "soft"}
    weights, errors = select_members({"sharp": sharp, "soft": soft}, y)
    assert errors["vote"] == 0.4 and errors["sharp"] == 0.1
    assert weights == {"sharp": 1.0}


def test_selection_keeps_the_vote_when_it_errs_less_than_every_member():
    y = np.array([0, 1, 0, 1, 0, 1])
    a = np.array([[0.9, 0.1], [0.1, 0.9], [0.9, 0.1], [0.1, 0.9], [0.4, 0.6], [0.1, 0.9]])
    b = np.array([[0.9, 0.1], [0.1, 0.9], [0.9, 0.1], [0.1, 0.9], [0.9, 0.1], [0.6, 0.4]])
    weights, errors = select_members({"a": a, "b": b}, y)
    assert set(weights) == {"a", "b"} and errors["vote"] < min(errors["a"], errors["b"])


def test_a_members_error_on_validation_is_that_of_its_own_predictions_when_given():
    # Both members' argmax err on one row of six, and so does the vote (b, whose log loss is lower); a's own
    # predict (an SVM's one-vs-one vote, say) breaks its near-tie otherwise: right everywhere, it is chosen alone.
    y = np.array([0, 1, 0, 1, 0, 1])
    a = np.array([[0.9, 0.1], [0.1, 0.9], [0.9, 0.1], [0.1, 0.9], [0.49, 0.51], [0.1, 0.9]])
    b = np.array([[0.99, 0.01], [0.01, 0.99], [0.99, 0.01], [0.01, 0.99], [0.45, 0.55], [0.01, 0.99]])
    weights, errors = select_members({"a": a, "b": b}, y)
    assert errors["a"] == errors["b"] == errors["vote"] == 1 / 6 and weights == {"b": 1.0}
    weights, errors = select_members({"a": a, "b": b}, y, predictions={"a": y})
    assert errors["a"] == 0 and errors["b"] == 1 / 6 and weights == {"a": 1.0}


def test_selection_refuses_predictions_of_other_rows_than_the_validation_rows():
    with pytest.raises(ValueError, match="every member must predict the 4 validation rows"):
        select_members({"a": np.full((4, 2), 0.5), "b": np.full((10, 2), 0.5)}, np.array([0, 1, 0, 1]))


def test_fitting_and_validation_rows_are_disjoint_stratified_and_seeded(labels):
    fit, val = split_rows(labels, seed=0)
    assert (len(fit), len(val)) == (12000, 5000) and not set(fit) & set(val)
    share = np.unique(labels[val], return_counts=True)[1] / len(val)
    assert np.abs(share - np.unique(labels, return_counts=True)[1] / len(labels)).max() < 0.001
    same = split_rows(labels, seed=0)
    assert np.array_equal(fit, same[0]) and np.array_equal(val, same[1])
    assert not np.array_equal(val, split_rows(labels, seed=1)[1])


@pytest.fixture(scope="module")
def svm_decisions():
    """The quick SVM fitted on 1,000 MNIST digits: its decision values and predictions of 500 and 2,000 others."""
    X, y = load_mnist(split="train", return_X_y=True)
    X, y = np.asarray(X), np.asarray(y)
    svm = get_model("svm", "quick").pipeline.fit(X[:1000], y[:1000])
    val, other = slice(1000, 1500), slice(1500, 3500)
    codes = np.searchsorted(svm.classes_, y[val])
    return svm.decision_function(X[val]), codes, svm.decision_function(X[other]), np.searchsorted(
        svm.classes_, svm.predict(X[other]))


def test_the_svm_gets_calibrated_probabilities_that_keep_its_predictions(svm_decisions):
    val_decision, val_codes, decision, predicted = svm_decisions
    calibration = calibrate(val_decision, val_codes, 10)
    proba = calibration.predict_proba(decision)
    assert set(calibration.log_loss) == {"temperature", "sigmoid"}
    assert calibration.validation_proba.shape == (500, 10) and np.allclose(proba.sum(axis=1), 1)
    if calibration.method == "temperature":  # one temperature for all classes: the argmax is the SVM's
        assert np.array_equal(proba.argmax(axis=1), decision.argmax(axis=1))
    # SVC.predict counts one-vs-one votes, ties to the first class; the decision values break ties by
    # confidence: they differ on a few rows only.
    assert np.mean(proba.argmax(axis=1) == predicted) > 0.98


def _member(val_scores, test_scores, kind="proba", fit_time=1.0):
    holdout = {kind: np.asarray(val_scores, dtype=float), "classes": ["0", "1"], "fit_time": fit_time, "fit_rows": 8}
    return {kind: np.asarray(test_scores, dtype=float), "classes": ["0", "1"], "holdout": holdout,
            "fit_time": 2.0, "predict_time": 0.5, "y_pred": ["0", "1"]}


def test_ensemble_is_chosen_on_the_validation_rows_never_on_the_test_set(monkeypatch):
    y_val = np.array(["0", "1"] * 20)
    good = np.eye(2)[(y_val == "1").astype(int)] * 0.8 + 0.1
    test_proba = np.array([[0.9, 0.1], [0.2, 0.8]])
    refits = {"good": _member(good, test_proba), "bad": _member(1 - good, 1 - test_proba),
              "svm": _member(2 * good[:, 1] - 1, [-1.0, 1.0], kind="decision")}
    seen = []
    monkeypatch.setattr(_ensemble, "select_members",
                        lambda proba, y, **kw: seen.append((proba, y)) or select_members(proba, y, **kw))
    for y_test in (np.array(["0", "1"]), np.array(["1", "0"])):  # whatever the test labels say
        row, record = soft_vote_row(refits, y_val, y_test)
        assert "bad" not in record["weights"] and record["y_pred"] == ["0", "1"]
    assert all(len(y) == len(y_val) and {len(p) for p in proba.values()} == {len(y_val)} for proba, y in seen)
    assert set(seen[0][0]) == {"good", "bad", "svm"}  # the SVM votes, calibrated
    assert record["validation"]["calibration"]["svm"]["method"] in {"temperature", "sigmoid"}
    assert row["search_rows"] == 40 and "chosen on 40 held-out training rows" in row["best_params"]
    assert "fitted on 8 others" in row["best_params"]


def test_a_member_alone_predicts_the_test_set_as_its_own_row_does():
    y_val = np.array(["0", "1"] * 20)
    sure = 2.0 * (y_val == "1") - 1  # the SVM's decision values: right on every validation row
    noisy = np.where(np.arange(40)[:, None] % 4 == 0, 1 - np.eye(2)[(y_val == "1").astype(int)],
                     np.eye(2)[(y_val == "1").astype(int)]) * 0.8 + 0.1  # wrong on a quarter of them
    svm = _member(sure, [0.2, -0.1], kind="decision")  # the argmax of its test decisions: "1", "0" ...
    svm["y_pred"] = ["0", "1"]  # ... but its one-vs-one vote broke those ties the other way
    row, record = soft_vote_row({"svm": svm, "noisy": _member(noisy, np.eye(2))}, y_val, np.array(["0", "1"]))
    assert record["weights"] == {"svm": 1.0}
    assert record["y_pred"] == ["0", "1"] and row["test_error"] == 0


def test_no_ensemble_without_two_members_that_predicted_the_validation_rows():
    y_val = np.array(["0", "1"] * 5)
    one = {"a": _member(np.full((10, 2), 0.5), np.eye(2)), "b": {**_member(np.full((10, 2), 0.5), np.eye(2)),
                                                                  "holdout": None}}
    assert soft_vote_row(one, y_val, np.array(["0", "1"])) == (None, None)
