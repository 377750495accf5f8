"""The ensemble entry and the nested search subsets it is chosen on."""

import numpy as np
import pytest

from skdigits.benchmark._ensemble import greedy_soft_vote, soft_vote_row
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


def _record(rows, oof, test_proba):
    return {"oof_rows": np.asarray(rows), "oof_proba": oof, "oof_classes": ["0", "1"],
            "proba": np.asarray(test_proba, dtype=np.float32), "fit_time": 1.0, "predict_time": 0.5}


def test_ensemble_is_chosen_on_training_rows_never_on_test_labels():
    y_train = np.array(["0", "1"] * 50)
    good_oof = np.eye(2)[(y_train == "1").astype(int)] * 0.8 + 0.1
    bad_oof = 1 - good_oof
    test_proba = np.array([[0.9, 0.1], [0.2, 0.8]])
    refits = {"good": _record(range(100), good_oof, test_proba),
              "bad": _record(range(100), bad_oof, 1 - test_proba)}
    # Whatever the test labels say, the weights come from the training rows.
    for y_test in (np.array(["0", "1"]), np.array(["1", "0"])):
        row, record = soft_vote_row(refits, y_train, y_test)
        assert record["weights"] == {"good": 1.0}
        assert list(record["y_pred"]) == ["0", "1"]
    assert row["family"] == "ensemble" and row["cv_mean"] == 1.0


def test_ensemble_uses_only_rows_every_member_predicted():
    y_train = np.array(["0", "1"] * 50)
    oof = np.eye(2)[(y_train == "1").astype(int)] * 0.8 + 0.1
    partial = np.full_like(oof, np.nan)
    partial[:40] = oof[:40]
    refits = {"a": _record(range(100), oof, np.eye(2)), "b": _record(range(100), partial, np.eye(2))}
    row, _ = soft_vote_row(refits, y_train, np.array(["0", "1"]))
    assert row["search_rows"] == 40


def test_no_ensemble_without_two_members_with_probabilities():
    y_train = np.array(["0", "1"] * 5)
    one = {"a": _record(range(10), np.full((10, 2), 0.5), np.eye(2)), "svm": {"y_pred": ["0", "1"]}}
    assert soft_vote_row(one, y_train, np.array(["0", "1"])) == (None, None)
