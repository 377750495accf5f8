"""Error-rate intervals and McNemar's test, against values worked by hand."""

import numpy as np
import pytest

from skdigits.benchmark.report._stats import error_interval, mcnemar_table


def test_wilson_interval_of_a_known_case():
    low, high = error_interval(100, 10000)  # 1.00 % error on MNIST's test set
    # By hand: center (p + z²/2n)/(1 + z²/n), half-width z·sqrt(p(1-p)/n + z²/4n²)/(1 + z²/n)
    assert low == pytest.approx(0.008229, abs=1e-6)
    assert high == pytest.approx(0.012147, abs=1e-6)


def test_mcnemar_counts_discordant_pairs_and_uses_the_exact_test():
    a = np.array([True] * 90 + [False] * 10)
    b = np.array([True] * 80 + [False] * 20)
    b[85:95] = ~b[85:95]  # b right on 5 samples a gets wrong
    table = mcnemar_table({"a": a, "b": b})
    row = table.iloc[0]
    only_a, only_b = int(np.sum(a & ~b)), int(np.sum(~a & b))
    assert (row.a_only_correct, row.b_only_correct) == (only_a, only_b)
    from scipy.stats import binom

    expected = min(1.0, 2 * binom.cdf(min(only_a, only_b), only_a + only_b, 0.5))
    assert row.p_value == pytest.approx(expected)


def test_identical_models_are_not_significantly_different():
    same = np.array([True, False, True])
    row = mcnemar_table({"a": same, "b": same.copy()}).iloc[0]
    assert row.p_value == 1.0 and not row.significant


def test_holm_adjusts_for_the_number_of_pairs():
    rng = np.random.default_rng(0)
    truth = rng.random(5000) < 0.9
    good = truth | (rng.random(5000) < 0.5)
    table = mcnemar_table({"a": truth, "b": good, "c": truth.copy()})
    assert (table["p_holm"] >= table["p_value"]).all()
    assert table.set_index(["model_a", "model_b"]).loc[("a", "b"), "significant"]
