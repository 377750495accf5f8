"""Families overlap on the run's cores (issue 16): a batch's fits in worker processes, never more than the cores."""

import os
import time

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from skdigits.benchmark import run
from skdigits.benchmark._cluster import LocalRunner
from skdigits.benchmark._family import refit_and_predict
from skdigits.neural_network._tf import seeded  # imported with the class, in a worker too: not in the fit's time


class _Sleeper(ClassifierMixin, BaseEstimator):
    """Sleeps ``seconds_per_row`` per training row, within a seeded fit if ``seeded``; logs when, where, how long.

    Each fit appends ``name rows pid start end`` to the file ``log``.
    """

    def __init__(self, log=None, name="", seconds_per_row=0.001, seeded=False, random_state=0):
        self.log = log
        self.name = name
        self.seconds_per_row = seconds_per_row
        self.seeded = seeded
        self.random_state = random_state

    def fit(self, X, y):
        if self.seeded:
            with seeded(self.random_state):
                self._sleep(len(y))
        else:
            self._sleep(len(y))
        self.classes_ = np.unique(y)
        return self

    def _sleep(self, n_rows):
        start = time.time()
        time.sleep(self.seconds_per_row * n_rows)
        self.interval_ = (start, time.time())
        self.pid_ = os.getpid()
        if self.log is not None:
            with open(self.log, "a") as log:
                log.write(f"{self.name} {n_rows} {self.pid_} {start!r} {self.interval_[1]!r}\n")

    def predict(self, X):
        return np.full(len(X), self.classes_[0])

    def predict_proba(self, X):
        return np.full((len(X), len(self.classes_)), 1 / len(self.classes_))


@pytest.mark.slow  # worker processes that import TensorFlow
def test_a_batchs_two_seeded_fits_run_at_once_each_timed_alone():
    # Seeded (network) fits of one process take turns (TensorFlow's seed is the process's): a family's
    # refit and its fit for the ensemble run in worker processes of their own, so they overlap, and each
    # one's fit time is its own, without waiting for the other.
    X, y = np.zeros((1000, 2)), np.tile([0, 1], 500)
    runner = LocalRunner(n_jobs=2)
    assert runner.overlaps
    with runner.batch(n_jobs=2, fit_timeout=None):
        futures = [runner.submit(refit_and_predict, _Sleeper(seeded=True, seconds_per_row=0.003), {}, X, y, X, 1)
                   for _ in range(2)]
        first, second = (future.result() for future in futures)
    (start_1, end_1), (start_2, end_2) = first["model"].interval_, second["model"].interval_
    assert start_1 < end_2 and start_2 < end_1  # at once
    assert len({first["pid"], second["pid"], os.getpid()}) == 3
    assert first["fit_time"] < 4.5 and second["fit_time"] < 4.5  # 3 s each; 6 s for the one that waited


@pytest.mark.slow
def test_a_batchs_task_raises_its_error_here_and_the_workers_live_on():
    X, y = np.zeros((10, 2)), np.tile([0, 1], 5)
    runner = LocalRunner(n_jobs=2)
    with runner.batch(n_jobs=2, fit_timeout=None):
        failing = runner.submit(refit_and_predict, _Sleeper(seconds_per_row=-1), {}, X, y, X, 1)
        working = runner.submit(refit_and_predict, _Sleeper(), {}, X, y, X, 1)
        with pytest.raises(ValueError, match="non-negative"):
            failing.result()
        assert working.result()["y_pred"]


def _intervals(log):
    rows = [line.split() for line in log.read_text().splitlines()]
    return [(name, int(n_rows), float(start), float(end)) for name, n_rows, _, start, end in rows]


@pytest.mark.slow
def test_overlapping_families_never_run_more_fits_at_once_than_cores(tmp_path):
    log = tmp_path / "fits.log"
    # A fit sleeps 5 ms a row: the refit on 300 rows 1.5 s, a fold's fit on 150 or so 0.75 s (a batch task
    # also frees its worker's memory after it, about 0.2 s).
    families = [(name, _Sleeper(str(log), name, 0.005), {"random_state": [0, 1]}) for name in ("first", "second")]
    table = run(families=families, profile="quick", train_size=300, cv=2, n_jobs=2, quiet=True,
                output_dir=tmp_path / "out")
    assert (table["status"] == "ok").all()
    fits = _intervals(log)
    events = sorted([(start, 1) for *_, start, _ in fits] + [(end, -1) for *_, end in fits])
    assert max(np.cumsum([step for _, step in events])) <= 2  # the cores
    [refit] = [(start, end) for name, rows, start, end in fits if name == "first" and rows == 300]
    second_search = [(start, end) for name, rows, start, end in fits if name == "second" and rows < 200]
    assert any(start < refit[1] and refit[0] < end for start, end in second_search)  # the families overlap


def test_searches_take_turns_in_order_even_past_a_family_that_failed_before_its_search():
    runner = LocalRunner(n_jobs=2)
    log = []

    def family(name):
        if name == "fails early":  # before its turn: the next family must still wait for the first's search
            return "failed"
        with runner.turn():
            log.append(f"{name} starts")
            time.sleep(0.5 if name == "first" else 0)
            log.append(f"{name} ends")
        return "ok"

    assert runner.map(family, ["first", "fails early", "third"]) == ["ok", "failed", "ok"]
    assert log == ["first starts", "first ends", "third starts", "third ends"]


def test_a_batch_task_leaves_no_features_cached_in_the_worker_it_shares():
    # A refit's features (the HOG of every training row) would otherwise stay in the
    # worker's memory while the next family's search runs there.
    import numpy as np

    from skdigits.benchmark._cluster import _captured
    from skdigits.preprocessing import get_feature_cache

    def refit_like():
        return get_feature_cache().get_or_compute("rows", lambda: np.ones((100, 10))).sum()

    assert _captured(refit_like) == (True, 1000.0)
    assert len(get_feature_cache()) == 0 and get_feature_cache().nbytes == 0
