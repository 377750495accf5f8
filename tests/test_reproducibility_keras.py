"""Seeded networks learn the same numbers whatever the load and however a search spreads its fits.

TensorFlow's results depend on its number of intra-op threads, so skdigits
fixes it at import (1, or ``SKDIGITS_TF_THREADS``) instead of following the
cores or joblib's ``n_jobs``; see ``benchmarks/bench_keras_determinism.py``.
"""

import json
import os
import random
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV

from skdigits import KerasCNNClassifier, KerasMLPClassifier
from skdigits.datasets import load_mnist

pytestmark = pytest.mark.slow  # processes, clusters or a docs build: deselect with -m 'not slow'


@pytest.fixture(scope="module")
def digits():
    """400 real MNIST training images and 200 test images."""
    X, y = load_mnist(split="train", return_X_y=True)
    X_test, _ = load_mnist(split="test", return_X_y=True)
    return X[:400], y[:400], X_test[:200]


def tiny_mlp(**params):
    return KerasMLPClassifier(**{"hidden_layer_sizes": (32,), "epochs": 2, "batch_size": 32, "random_state": 0,
                                 **params})


def tiny_cnn(**params):
    return KerasCNNClassifier(**{"filters": (8, 16), "dense_layer_sizes": (32,), "epochs": 1, "batch_size": 128,
                                 "random_state": 0, **params})


@contextmanager
def busy_cores(n):
    """``n`` processes spinning on a core each, killed on exit."""
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()


@contextmanager
def drawing_from_random_in_another_thread():
    """A thread that draws from Python's and NumPy's global generators until exit, as a Dask worker's
    event loop does (tornado's jittered timers, comm back-off)."""
    stop = threading.Event()

    def draw():
        while not stop.is_set():
            random.random()
            np.random.random()  # noqa: NPY002 - the global generator is the point
            time.sleep(0.0002)

    thread = threading.Thread(target=draw, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@pytest.mark.parametrize("make", [tiny_mlp, tiny_cnn])
@pytest.mark.parametrize("beside", [
    pytest.param(lambda: busy_cores(2), id="two-busy-processes"),
    # Keras draws a seed for every layer without one from Python's global
    # generator; a thread drawing from it during the fit changed the weights.
    pytest.param(drawing_from_random_in_another_thread, id="a-thread-drawing-random-numbers"),
])
def test_a_fit_beside_other_work_gives_the_same_probabilities(digits, make, beside):
    X, y, X_test = digits
    alone = make().fit(X, y).predict_proba(X_test)
    with beside():
        disturbed = make().fit(X, y).predict_proba(X_test)
    np.testing.assert_array_equal(disturbed, alone)


def test_a_seeded_fit_ending_in_another_thread_does_not_unseed_this_one():
    # TensorFlow's global seed is the process's: a fit in another thread
    # restoring it on exit changed the seeds of the ops this fit was creating
    # (here a tf.data shuffle, as the networks' input pipelines use).
    from skdigits.neural_network._tf import seeded, tf

    def order():
        return list(tf.data.Dataset.range(50).shuffle(50, seed=3).as_numpy_iterator())

    with seeded(0):
        alone = order()
    other_in = threading.Event()

    def other_fit():
        with seeded(1):
            other_in.set()
            time.sleep(0.3)  # this fit is under way while the other thread starts

    def this_fit():
        other_in.wait()
        with seeded(0):
            time.sleep(0.6)  # the other fit ends meanwhile, unless fits take turns
            return order()

    other = threading.Thread(target=other_fit)
    other.start()
    try:
        beside = this_fit()
    finally:
        other.join()
    assert beside == alone


def test_keras_draws_its_default_seeds_through_skdigits():
    # If a Keras release moves where it draws default seeds, say so here
    # rather than let threads change seeded fits again.
    from skdigits.neural_network._tf import _isolate_keras_seeds

    assert _isolate_keras_seeds()


def test_a_search_gives_the_same_results_with_one_or_two_workers(digits):
    X, y, X_test = digits
    # The CNN: its convolutions' sums depend on the thread count, the MLP's did not in our measurements.
    grid = {"dropout": [0.0, 0.1]}
    searches = [GridSearchCV(tiny_cnn(), grid, cv=2, n_jobs=n_jobs).fit(X, y) for n_jobs in (1, 2)]
    for key in ("split0_test_score", "split1_test_score", "mean_test_score"):
        np.testing.assert_array_equal(searches[1].cv_results_[key], searches[0].cv_results_[key])
    probas = [search.best_estimator_.predict_proba(X_test) for search in searches]
    np.testing.assert_array_equal(probas[1], probas[0])


def test_joblib_workers_train_on_the_threads_of_this_process(digits):
    from joblib import Parallel, delayed

    from skdigits.neural_network import reproducibility_facts

    def fit_and_report_threads(X, y):
        tiny_mlp(epochs=1).fit(X, y)
        return reproducibility_facts()["tf_intra_op_threads"]

    X, y, _ = digits
    threads = Parallel(n_jobs=2)(delayed(fit_and_report_threads)(X[:200], y[:200]) for _ in range(2))
    assert threads == [reproducibility_facts()["tf_intra_op_threads"]] * 2


def test_reproducibility_facts_record_the_thread_setting():
    from skdigits.neural_network import reproducibility_facts
    from skdigits.neural_network._tf import tf_thread_count

    facts = json.loads(json.dumps(reproducibility_facts()))
    expected = tf_thread_count() or facts["tf_intra_op_threads"]
    assert facts["tf_intra_op_threads"] == facts["tf_inter_op_threads"] == expected
    assert facts["op_determinism"] is True
    assert {"cpu_model", "cpu_isa_flags", "onednn", "onednn_max_cpu_isa", "tensorflow_version"} <= set(facts)


def facts_in_a_fresh_process(**env):
    code = "import json; from skdigits.neural_network import reproducibility_facts as f; print(json.dumps(f()))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **env})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_skdigits_tf_threads_sets_the_pools_and_is_recorded():
    facts = facts_in_a_fresh_process(SKDIGITS_TF_THREADS="2", ONEDNN_MAX_CPU_ISA="AVX2")
    assert (facts["tf_intra_op_threads"], facts["tf_inter_op_threads"]) == (2, 2)
    assert (facts["skdigits_tf_threads"], facts["onednn_max_cpu_isa"]) == ("2", "AVX2")


@pytest.mark.parametrize("value", ["all", "-1", "1.5"])
def test_a_bad_skdigits_tf_threads_is_refused(monkeypatch, value):
    from skdigits.neural_network._tf import tf_thread_count

    monkeypatch.setenv("SKDIGITS_TF_THREADS", value)
    with pytest.raises(ValueError, match=f"SKDIGITS_TF_THREADS='{value}'.*non-negative integer"):
        tf_thread_count()


TENSORFLOW_FIRST = """
import json, os, sys
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
import tensorflow  # before skdigits, as a user's script may: its oneDNN choice is made here
os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1"  # a stale variable, which TensorFlow no longer reads
import numpy as np
from joblib import Parallel, delayed
from skdigits import KerasMLPClassifier
from skdigits.datasets import load_mnist
from skdigits.neural_network import reproducibility_facts

X, y = load_mnist(split="train", return_X_y=True)
X_test, _ = load_mnist(split="test", return_X_y=True)
def proba():
    clf = KerasMLPClassifier(hidden_layer_sizes=(32,), epochs=2, batch_size=32, random_state=0)
    return clf.fit(X[:400], y[:400]).predict_proba(X_test[:200])
here = proba()
in_workers = Parallel(n_jobs=2)(delayed(proba)() for _ in range(2))
print(json.dumps({"variable": os.environ["TF_ENABLE_ONEDNN_OPTS"], "recorded": reproducibility_facts()["onednn"],
                  "workers_agree": all(np.array_equal(here, p) for p in in_workers)}))
"""


def test_tensorflow_imported_first_its_workers_compute_with_its_kernels():
    # TensorFlow reads TF_ENABLE_ONEDNN_OPTS at import: set after it, the variable turned oneDNN on in the
    # joblib workers only, and on a CPU where that changes the bits a one-job run differed from a two-job one.
    done = subprocess.run([sys.executable, "-c", TENSORFLOW_FIRST], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {"variable": "0", "recorded": "0", "workers_agree": True}
