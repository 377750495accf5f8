"""A run's ensemble fits on the shared split and its refits with more seeds, on real MNIST."""

import pandas as pd
import pytest

from skdigits.benchmark import _holdout, _repeats, run
from skdigits.benchmark.report._build import display_table

pytestmark = pytest.mark.slow  # a real benchmark run with repeats (deselect with -m 'not slow')

TINY = dict(families=["knn", "svm"], profile="quick", train_size=600, cv=2, n_jobs=1, quiet=True, repeats=2)
TIMES = ["fit_time_s", "predict_time_s"]


def _recording(calls, function):
    def recorded(*args):
        calls.append(args)
        return function(*args)

    return recorded


@pytest.fixture(scope="module")
def seeded_run(tmp_path_factory):
    """A run with repeats=2, and the arguments of its fits on the ensemble's rows and of its extra refits."""
    out = tmp_path_factory.mktemp("seeds")
    held, repeated = [], []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_holdout, "refit_and_predict", _recording(held, _holdout.refit_and_predict))
        patch.setattr(_repeats, "refit_and_predict", _recording(repeated, _repeats.refit_and_predict))
        table = run(**TINY, output_dir=out)
    return table, out, held, repeated


def test_every_family_is_fitted_on_the_same_rows_and_predicts_the_same_others(seeded_run):
    _, _, held, _ = seeded_run
    assert len(held) == 2  # knn and svm
    (_, _, X_fit, y_fit, X_val, *_), (_, _, *other) = held
    assert X_fit.index.equals(other[0].index) and X_val.index.equals(other[2].index)
    assert not set(X_fit.index) & set(X_val.index)
    assert (len(X_fit), len(X_val)) == (120, 50)  # a fifth and a twelfth of 600 rows


def test_repeats_refit_each_chosen_candidate_with_the_next_seeds(seeded_run):
    table, _, _, repeated = seeded_run
    assert len(repeated) == 2  # one more seed per family
    for pipeline, *_ in repeated:
        seeds = {v for k, v in pipeline.get_params().items() if k.endswith("random_state")}
        assert seeds == {1}
    ok = table[table["status"] == "ok"]
    assert set(ok["family"]) == {"knn", "svm", "ensemble"} and (ok["n_seeds"] == 2).all()
    assert (ok["test_error_min"] <= ok["test_error_mean"]).all()
    assert (ok["test_error_mean"] <= ok["test_error_max"]).all()
    assert ((ok["test_error"] == ok["test_error_min"]) | (ok["test_error"] == ok["test_error_max"])).all()
    shown = display_table(table)
    assert {"mean (min-max) (%)", "ahead of next beyond spread"} <= set(shown[0])
    assert shown[-1]["ahead of next beyond spread"] == ""


def test_the_svm_votes_and_the_run_says_what_chose_the_ensemble(seeded_run):
    table, _, _, _ = seeded_run
    chosen = table.attrs["meta"]["ensemble"]
    assert (chosen["validation_rows"], chosen["fit_rows"]) == (50, 120)
    assert set(chosen["member_errors"]) == {"knn", "svm"} and set(chosen["calibration"]) == {"svm"}
    assert chosen["vote_error"] >= 0 and chosen["best_member_error"] == min(chosen["member_errors"].values())
    assert table.set_index("family").loc["ensemble", "search_rows"] == 50


def test_a_resumed_run_refits_nothing_on_the_ensembles_rows_nor_for_the_seeds(seeded_run, monkeypatch):
    table, out, _, _ = seeded_run

    def refuse(*args):
        raise AssertionError("fitted again")

    monkeypatch.setattr(_holdout, "refit_and_predict", refuse)
    monkeypatch.setattr(_repeats, "refit_and_predict", refuse)
    again = run(**TINY, output_dir=out)
    pd.testing.assert_frame_equal(table, again)
    assert again.attrs["meta"]["ensemble"] == table.attrs["meta"]["ensemble"]


def test_one_seed_gives_the_single_value_as_its_range(tmp_path):
    table = run(["knn"], profile="quick", train_size=300, cv=2, n_jobs=1, quiet=True, ensemble=False,
                output_dir=tmp_path)
    row = table.iloc[0]
    assert row["n_seeds"] == 1 and row["test_error_min"] == row["test_error_mean"] == row["test_error_max"]
    assert "mean (min-max) (%)" not in display_table(table)[0]


def test_a_family_whose_fit_for_the_ensemble_fails_keeps_its_row_and_says_why_in_its_holdout_file(tmp_path):
    from sklearn.neighbors import KNeighborsClassifier

    # 200 neighbours: the search's folds (300 rows) and the refit (600) have them, the ensemble's 120 rows do not
    wide = ("wide-knn", KNeighborsClassifier(n_neighbors=200))
    with pytest.warns(RuntimeWarning, match="wide-knn: no vote in the ensemble: ValueError"):
        table = run(["logreg", "knn", wide], profile="quick", train_size=600, cv=2, n_jobs=1, quiet=True,
                    output_dir=tmp_path)
    rows = table.set_index("family")
    assert rows.loc["wide-knn", "status"] == "ok" and "wide-knn" not in rows.loc["ensemble", "best_params"]
    assert "Traceback" in (tmp_path / "errors" / "wide-knn-holdout.txt").read_text()
