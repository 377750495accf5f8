"""--fit-timeout: a fit over its limit is stopped and reported; the others go on."""

import time

import numpy as np
import pandas as pd
import pytest
from user_models import SleepyClassifier

from skdigits.benchmark import main, run

pytestmark = pytest.mark.slow  # processes, clusters or a docs build: deselect with -m 'not slow'

TINY = dict(profile="quick", train_size=200, cv=2, n_jobs=1, quiet=True, ensemble=False)


def test_slow_candidates_are_stopped_ranked_failed_and_redone_with_a_larger_limit(tmp_path):
    grid = {"delay": [0.0, 3.0]}
    start = time.perf_counter()
    table = run([("sleepy", SleepyClassifier(), grid)], **TINY, fit_timeout=1.5, output_dir=tmp_path)
    assert time.perf_counter() - start < 60
    row = table.set_index("family").loc["sleepy"]
    assert row["status"] == "ok" and row["best_params"] == "delay=0.0"
    assert row["error"] == "2 fits stopped at the 1.5 s limit"
    cv = pd.read_csv(tmp_path / "cv_results" / "sleepy.csv")
    assert np.isnan(cv.loc[cv["param_delay"] == 3.0, "mean_test_score"]).all()
    assert cv.loc[cv["param_delay"] == 3.0, "rank_test_score"].item() == 2
    # the stopped fits were not recorded: a larger limit does them, the others are resumed
    table = run([("sleepy", SleepyClassifier(), grid)], **TINY, fit_timeout=20, output_dir=tmp_path)
    assert table.attrs["meta"]["fits_resumed"] == 3  # two fits with delay 0 and the refit
    cv = pd.read_csv(tmp_path / "cv_results" / "sleepy.csv")
    assert not cv["mean_test_score"].isna().any()


def test_a_family_with_no_fit_in_time_is_reported_timed_out_and_exits_3(tmp_path):
    # kNN beside it: quick logreg's fit on HOG features took 7-10 s on a busy machine, past this 5 s limit
    status = main(["--families", "knn", "--model", "slow=user_models:slow_classifier", "--fit-timeout", "5",
                   "--profile", "quick", "--train-size", "200", "--cv", "2", "--n-jobs", "1", "--no-ensemble",
                   "--quiet", "--output", str(tmp_path)])
    assert status == 3
    table = pd.read_csv(tmp_path / "results.csv").set_index("family")
    assert table.loc["knn", "status"] == "ok"
    assert table.loc["slow", "status"] == "timed out"
    assert table.loc["slow", "error"] == "every fit of the search ran past the 5 s limit"


def test_a_refit_over_the_limit_is_reported_timed_out_with_its_search_kept(tmp_path):
    slow_refit = SleepyClassifier(delay=60.0, min_rows=150)  # the folds' fits have 100 rows, the refit 200
    start = time.perf_counter()
    table = run([("sleepy", slow_refit, {"delay": [60.0]})], **TINY, fit_timeout=3, output_dir=tmp_path)
    assert time.perf_counter() - start < 50
    row = table.set_index("family").loc["sleepy"]
    assert row["status"] == "timed out" and row["error"] == "the refit ran past the 3 s limit"
    cv = pd.read_csv(tmp_path / "cv_results" / "sleepy.csv")  # the search's results are kept
    assert cv["mean_test_score"].notna().all()
    assert "timed out" in (tmp_path / "report.html").read_text()


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_a_bad_fit_timeout_exits_2(value, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--fit-timeout", value, "--output", str(tmp_path / "out")])
    assert exit_info.value.code == 2 and "--fit-timeout" in capsys.readouterr().err


def test_the_limit_holds_when_fits_run_in_parallel(tmp_path):
    grid = {"delay": [0.0, 60.0]}
    start = time.perf_counter()
    table = run([("sleepy", SleepyClassifier(), grid)], **{**TINY, "n_jobs": 2}, fit_timeout=2,
                output_dir=tmp_path)
    assert time.perf_counter() - start < 50  # not one 60 s fit waited for
    row = table.set_index("family").loc["sleepy"]
    assert row["status"] == "ok" and row["best_params"] == "delay=0.0"
    assert row["error"] == "2 fits stopped at the 2 s limit"
