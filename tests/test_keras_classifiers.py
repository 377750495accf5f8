"""The Keras classifiers as scikit-learn users expect them to behave, on MNIST."""

import math
import os
import pickle
import random
import re
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold, check_cv
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from skdigits import KerasClassifier, KerasCNNClassifier, KerasMLPClassifier
from skdigits.datasets import load_mnist

pytestmark = pytest.mark.slow  # Keras trainings on MNIST and fresh processes (deselect with -m 'not slow')


@pytest.fixture(scope="module")
def digits():
    """3,000 real MNIST training images and 1,000 test images, OpenML labels."""
    X_train, y_train = load_mnist(split="train", return_X_y=True)
    X_test, y_test = load_mnist(split="test", return_X_y=True)
    return X_train[:3000], y_train[:3000], X_test[:1000], y_test[:1000]


def tiny_mlp(**params):
    return KerasMLPClassifier(
        **{"hidden_layer_sizes": (32,), "epochs": 3, "batch_size": 32, "random_state": 0, **params}
    )


def tiny_cnn(**params):
    return KerasCNNClassifier(
        **{"filters": (4,), "convs_per_block": 1, "dense_layer_sizes": (), "epochs": 2, "batch_size": 32,
           "random_state": 0, **params}
    )


@pytest.mark.parametrize("make", [tiny_mlp, tiny_cnn])
def test_is_a_classifier_so_cross_validation_stratifies(make, digits):
    _, y, _, _ = digits
    assert is_classifier(make())
    assert isinstance(check_cv(3, y, classifier=is_classifier(make())), StratifiedKFold)


def test_hyperparameters_are_parameters():
    params = KerasMLPClassifier().get_params()
    for name in ["hidden_layer_sizes", "activation", "dropout", "optimizer", "learning_rate",
                 "batch_size", "epochs", "early_stopping", "validation_fraction",
                 "n_iter_no_change", "random_state", "verbose"]:
        assert name in params
    cnn_params = KerasCNNClassifier().get_params()
    for name in ["filters", "kernel_size", "pooling", "batch_normalization", "dropout",
                 "dense_layer_sizes", "augment", "shift_range", "rotation_range", "image_shape"]:
        assert name in cnn_params
    assert KerasCNNClassifier().image_shape == (28, 28, 1)


@pytest.mark.parametrize("make", [tiny_mlp, tiny_cnn])
def test_learns_mnist_from_raw_uint8_and_openml_string_labels(make, digits):
    X, y, X_test, y_test = digits
    clf = make(epochs=4).fit(X, y)
    assert clf.predict(X_test).dtype == y.dtype
    assert set(clf.predict(X_test)) <= set(y)
    assert clf.score(X_test, y_test) > 0.85
    assert clf.predict_proba(X_test).shape == (1000, 10)
    np.testing.assert_allclose(clf.predict_proba(X_test).sum(axis=1), 1, rtol=1e-5)


def test_raw_and_scaled_pixels_train_the_same(digits):
    X, y, X_test, _ = digits
    raw = tiny_mlp().fit(X, y)
    scaled = tiny_mlp().fit(X / 255.0, y)
    np.testing.assert_allclose(raw.predict_proba(X_test), scaled.predict_proba(X_test / 255.0), atol=1e-3)


def test_dataframe_input_keeps_feature_names_and_integer_labels_work(digits):
    X, y, X_test, _ = digits
    names = [f"pixel{i}" for i in range(1, 785)]
    clf = tiny_mlp(epochs=1).fit(pd.DataFrame(X, columns=names), y.astype(int))
    assert list(clf.feature_names_in_) == names
    assert clf.predict(pd.DataFrame(X_test, columns=names)).dtype.kind == "i"


def test_cnn_says_when_columns_cannot_form_the_image():
    X = np.zeros((20, 100), dtype=np.uint8)
    y = np.arange(20) % 2
    with pytest.raises(ValueError, match=r"got X with 100 columns, but image_shape=\(28, 28, 1\) holds "
                       r"28 x 28 x 1 = 784 pixels; set image_shape=.* equal to 100, or image_shape=None"):
        tiny_cnn().fit(X, y)
    assert tiny_cnn(image_shape=(10, 10, 1), epochs=1).fit(X, y).n_features_in_ == 100


@pytest.mark.parametrize("image_shape", [(28, 28, 1.5), (28.0, 28), (0, 28), (28, -28), (28,), (28, 28, 1, 1),
                                         (True, 28), "28x28", 784, np.array([[28, 28]])])
def test_cnn_refuses_a_bad_image_shape_before_any_work(image_shape):
    clf = tiny_cnn(image_shape=image_shape)
    X = np.full((20, 784), np.nan)  # data checked after the parameters: NaN would be the first error
    with pytest.raises(ValueError, match=r"KerasCNNClassifier: image_shape must be \(height, width\) or "
                       r"\(height, width, channels\) of positive ints, got .*; set it to your images' shape"):
        clf.fit(X, np.arange(20) % 2)
    assert not hasattr(clf, "model_") and not hasattr(clf, "n_features_in_")


@pytest.mark.parametrize("image_shape, n_features, network_shape", [
    ((28, 28), 784, (28, 28, 1)),  # (height, width): one channel
    ((14, 14, 4), 784, (14, 14, 4)),
    (np.array([7, 112]), 784, (7, 112, 1)),
    (None, 100, (10, 10, 1)),  # inferred: a square when it can be
    (None, 7, (1, 7, 1)),  # else a strip of height 1
])
def test_cnn_reshapes_rows_to_the_image_shape_given_or_inferred(image_shape, n_features, network_shape):
    X, y = np.zeros((20, n_features), dtype=np.uint8), np.arange(20) % 2
    clf = tiny_cnn(image_shape=image_shape).initialize(X, y)  # built, not trained
    assert tuple(clf.model_.get_layer("image").output.shape[1:]) == network_shape


def test_cnn_says_both_numbers_when_a_height_width_shape_does_not_fit():
    X, y = np.zeros((20, 100), dtype=np.uint8), np.arange(20) % 2
    with pytest.raises(ValueError, match=r"100 columns, but image_shape=\(28, 28\) holds 28 x 28 x 1 = 784"):
        tiny_cnn(image_shape=(28, 28)).initialize(X, y)


def test_wrong_column_count_at_predict_is_refused(digits):
    X, y, X_test, _ = digits
    clf = tiny_mlp(epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="X has 783 features, but KerasMLPClassifier is expecting 784"):
        clf.predict(X_test[:, 1:])


def test_nan_is_refused_with_a_clear_error(digits):
    X, y, _, _ = digits
    X = X[:100].astype(float)
    X[3, 3] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        tiny_mlp().fit(X, y[:100])


def test_unknown_parameter_is_refused_at_fit(digits):
    X, y, _, _ = digits
    with pytest.raises(ValueError, match=r"unknown parameters \['hidden_units'\]"):
        KerasMLPClassifier(hidden_units=3).fit(X[:50], y[:50])


@pytest.mark.parametrize("network", [KerasMLPClassifier, KerasCNNClassifier, KerasClassifier])
def test_set_params_with_an_unknown_name_lists_the_valid_ones(network):
    # SciKeras' parameter names were a generator, printed as "<generator object ...>"
    with pytest.raises(ValueError) as refused:
        network().set_params(run_eagerly_please=True)
    message = str(refused.value)
    assert "Invalid parameter 'run_eagerly_please'" in message and "generator" not in message
    assert "Valid parameters are: ['" in message and "'random_state'" in message


def test_routed_and_explicit_optimizer_parameters_reach_keras(digits):
    X, y, _, _ = digits
    clf = tiny_mlp(epochs=1, learning_rate=0.01, learning_rate_schedule="constant", optimizer__beta_1=0.5)
    assert clf.get_params()["optimizer__beta_1"] == 0.5
    clf.fit(X[:500], y[:500])
    assert clf.model_.optimizer.beta_1 == 0.5
    assert float(clf.model_.optimizer.learning_rate) == pytest.approx(0.01)
    clf.set_params(optimizer="sgd")
    with pytest.raises(ValueError, match="not recognized"):
        clf.fit(X[:500], y[:500])  # SGD has no beta_1: Keras's own error


def test_same_random_state_gives_identical_predictions_in_one_process(digits):
    X, y, X_test, _ = digits
    first = tiny_cnn().fit(X, y).predict_proba(X_test)
    second = tiny_cnn().fit(X, y).predict_proba(X_test)
    np.testing.assert_array_equal(first, second)
    other = tiny_cnn(random_state=1).fit(X, y).predict_proba(X_test)
    assert not np.array_equal(first, other)


@pytest.mark.slow  # a fresh Python process (or several): the full suite only
def test_same_random_state_gives_identical_predictions_across_processes(digits, tmp_path):
    X, y, X_test, _ = digits
    here = tiny_mlp().fit(X, y).predict_proba(X_test)
    script = textwrap.dedent(
        """
        import sys, numpy as np
        from skdigits import KerasMLPClassifier
        from skdigits.datasets import load_mnist
        X, y = load_mnist(split="train", return_X_y=True)
        X_test, _ = load_mnist(split="test", return_X_y=True)
        clf = KerasMLPClassifier(hidden_layer_sizes=(32,), epochs=3, batch_size=32, random_state=0)
        np.save(sys.argv[1], clf.fit(X[:3000], y[:3000]).predict_proba(X_test[:1000]))
        """
    )
    out = tmp_path / "proba.npy"
    subprocess.run([sys.executable, "-c", script, str(out)], check=True, timeout=300)
    np.testing.assert_array_equal(here, np.load(out))


def global_random_state():
    import tensorflow as tf
    from keras.src.backend.common import global_state
    from tensorflow.python.eager import context
    from tensorflow.python.framework import config

    return (
        random.getstate(),
        np.random.get_state()[1].tolist(),  # noqa: NPY002 (the legacy global state is what must not leak)
        context.global_seed(),
        config.is_op_determinism_enabled(),
        global_state.get_global_attribute("global_random_seed"),
        tf.config.threading.get_intra_op_parallelism_threads(),
    )


def test_fit_and_predict_leak_no_global_random_state(digits):
    X, y, X_test, _ = digits
    random.seed(123)
    np.random.seed(123)  # noqa: NPY002 (the legacy global state is what must not leak)
    before = global_random_state()
    clf = tiny_mlp(epochs=1).fit(X[:500], y[:500])
    clf.predict(X_test)
    assert global_random_state() == before


def test_fit_restores_global_state_when_it_fails(digits):
    X, y, _, _ = digits
    before = global_random_state()
    with pytest.raises(Exception):  # noqa: B017 (whichever error Keras raises; the state is what is tested)
        tiny_mlp(optimizer="no-such-optimizer").fit(X[:100], y[:100])
    assert global_random_state() == before


def test_fitted_estimator_survives_pickle_and_clone(digits):
    X, y, X_test, _ = digits
    clf = tiny_cnn().fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X_test), clf.predict_proba(X_test))
    assert restored.history_ == clf.history_
    fresh = clone(clf)
    assert fresh.get_params() == clf.get_params()
    assert not hasattr(fresh, "model_")


def test_history_gives_training_curves(digits):
    X, y, _, _ = digits
    clf = tiny_mlp(epochs=3).fit(X, y)
    assert len(clf.history_["loss"]) == 3 and len(clf.history_["accuracy"]) == 3
    assert clf.history_["loss"][-1] < clf.history_["loss"][0]


def test_early_stopping_holds_out_validation_data_and_stops(digits):
    X, y, _, _ = digits
    clf = tiny_mlp(epochs=50, early_stopping=True, n_iter_no_change=2, learning_rate=0.05,
                   learning_rate_schedule="constant").fit(X, y)
    n_epochs = len(clf.history_["loss"])
    assert n_epochs < 50
    assert len(clf.history_["val_loss"]) == n_epochs and "val_accuracy" in clf.history_


@pytest.mark.slow  # a fresh Python process (or several): the full suite only
def test_grid_search_with_two_process_workers_in_a_pipeline(digits):
    X, y, X_test, y_test = digits
    pipe = make_pipeline(FunctionTransformer(lambda X: X / 255.0), tiny_mlp(epochs=2))
    search = GridSearchCV(
        pipe, {"kerasmlpclassifier__hidden_layer_sizes": [(16,), (64,)]}, cv=2, n_jobs=2
    )
    search.fit(X[:2000], y[:2000])
    assert search.best_params_["kerasmlpclassifier__hidden_layer_sizes"] == (64,)
    assert search.score(X_test, y_test) > 0.8


QUIET_FIT = """
from skdigits import KerasMLPClassifier
from skdigits.datasets import load_mnist
X, y = load_mnist(split="test", return_X_y=True)
KerasMLPClassifier(hidden_layer_sizes=(8,), epochs=2, verbose={verbose}).fit(X[:500], y[:500]).predict(X[:10])
"""


@pytest.mark.slow  # a fresh Python process (or several): the full suite only
def test_quiet_by_default_and_verbose_shows_progress():
    quiet = subprocess.run([sys.executable, "-c", QUIET_FIT.format(verbose=0)],
                           capture_output=True, text=True, timeout=300)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout == "" and quiet.stderr == ""
    loud = subprocess.run([sys.executable, "-c", QUIET_FIT.format(verbose=2)],
                          capture_output=True, text=True, timeout=300)
    assert "Epoch 2/2" in loud.stdout


@pytest.mark.slow  # a fresh Python process (or several): the full suite only
def test_keras_imported_after_a_keras_class_of_skdigits_starts_quietly_as_the_readme_says():
    code = "from skdigits import KerasClassifier\nimport keras\nimport tensorflow\nprint(keras.__name__)"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"})
    assert run.returncode == 0 and run.stdout == "keras\n" and run.stderr == ""


@pytest.mark.slow  # a fresh Python process (or several): the full suite only
def test_quiet_import_when_the_user_turned_tensorflow_logging_off():
    code = "import skdigits.neural_network._tf"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    assert run.returncode == 0 and run.stderr == ""


@pytest.mark.parametrize("how", ["param", "kwarg"])
def test_validation_split_is_refused_at_fit_with_the_alternative_named(digits, how):
    X, y, _, _ = digits
    clf = tiny_mlp(fit__validation_split=0.1) if how == "param" else tiny_mlp()
    kwargs = {} if how == "param" else {"validation_split": 0.1}
    message = r"validation_split is not supported.*early_stopping=True, validation_fraction"
    with pytest.raises(ValueError, match=message):
        clf.fit(X[:100], y[:100], **kwargs)
    assert not hasattr(clf, "model_")


def test_one_cycle_schedule_rises_to_the_peak_then_anneals():
    from skdigits.neural_network import OneCycleSchedule

    schedule = OneCycleSchedule(0.01, total_steps=400)
    rates = [float(schedule(step)) for step in range(0, 600, 10)]
    peak_at = int(np.argmax(rates)) * 10
    assert peak_at == 100 and abs(max(rates) - 0.01) < 1e-9  # a quarter of the steps
    assert all(a <= b for a, b in zip(rates[:10], rates[1:11], strict=True))  # rising
    assert all(a >= b for a, b in zip(rates[10:], rates[11:], strict=False))  # then falling, never rising again
    assert rates[-1] == pytest.approx(0.01 / 1e4)  # later steps (partial_fit) keep the last rate


def test_one_cycle_spans_exactly_the_fit_batches(digits):
    X, y, _, _ = digits
    clf = tiny_cnn(epochs=2, batch_size=100).fit(X, y)
    schedule = clf.model_.optimizer._learning_rate
    assert schedule.total_steps == 2 * 30  # 3,000 rows in batches of 100, twice
    with_holdout = tiny_cnn(epochs=2, batch_size=100, early_stopping=True).fit(X, y)
    assert with_holdout.model_.optimizer._learning_rate.total_steps == 2 * 27  # 10% held out


def test_unknown_learning_rate_schedule_is_named(digits):
    X, y, _, _ = digits
    with pytest.raises(ValueError, match="learning_rate_schedule must be one of 'one-cycle', 'cosine', 'constant'"):
        tiny_cnn(learning_rate_schedule="step").fit(X, y)


@pytest.mark.slow  # a fresh Python process (or several): the full suite only
def test_onednn_kernels_are_on_unless_the_user_chose(tmp_path):
    code = "import os, skdigits.neural_network._tf; print(os.environ['TF_ENABLE_ONEDNN_OPTS'])"
    env = {k: v for k, v in os.environ.items() if k != "TF_ENABLE_ONEDNN_OPTS"}
    on = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert on.stdout.strip() == "1"
    off = subprocess.run([sys.executable, "-c", code], env={**env, "TF_ENABLE_ONEDNN_OPTS": "0"},
                         capture_output=True, text=True, check=True)
    assert off.stdout.strip() == "0"


def test_min_steps_raises_the_epochs_of_a_small_training_set_only(digits):
    X, y, _, _ = digits  # 3,000 rows: 24 batches of 128 per epoch
    small = tiny_mlp(epochs=2, batch_size=128, min_steps=100).fit(X, y)
    assert small.epochs_ == 5 and len(small.history_["loss"]) == 5 == small.n_iter_
    large = tiny_mlp(epochs=2, batch_size=128, min_steps=48).fit(X, y)
    assert large.epochs_ == 2 and len(large.history_["loss"]) == 2


def test_one_cycle_spans_the_epochs_min_steps_plans(digits):
    X, y, _, _ = digits
    clf = tiny_cnn(epochs=1, batch_size=128, min_steps=60).fit(X, y)
    assert clf.epochs_ == 3 and len(clf.history_["loss"]) == 3
    assert clf.model_.optimizer._learning_rate.total_steps == 3 * 24


def test_early_stopping_keeps_the_epoch_of_the_lowest_held_out_loss(digits):
    X, y, _, _ = digits
    clf = tiny_mlp(epochs=40, early_stopping=True, n_iter_no_change=2, learning_rate=0.05,
                   learning_rate_schedule="constant").fit(X, y)
    val_loss = clf.history_["val_loss"]
    assert clf.n_iter_ == int(np.argmin(val_loss)) + 1 < len(val_loss)


@pytest.mark.parametrize("min_steps", [0, -3, 2.5, True, "10"])
def test_a_bad_min_steps_is_refused_before_any_work(min_steps):
    with pytest.raises(ValueError, match="min_steps must be a positive integer"):
        tiny_mlp(min_steps=min_steps).fit(np.zeros((4, 784)), [0, 1, 0, 1])


@pytest.mark.parametrize("fraction", [0, -0.5, True, "1", None])
def test_a_bad_anneal_fraction_is_refused_before_any_work(fraction):
    with pytest.raises(ValueError, match="anneal_fraction must be a positive number"):
        tiny_mlp(anneal_fraction=fraction).fit(np.zeros((4, 784)), [0, 1, 0, 1])


@pytest.mark.parametrize("make, param, value", [
    (tiny_mlp, "learning_rate", -1e-3), (tiny_mlp, "learning_rate", 0), (tiny_mlp, "learning_rate", "fast"),
    (tiny_mlp, "dropout", 1.0), (tiny_mlp, "dropout", -0.1), (tiny_cnn, "dropout", 1.5),
    (tiny_mlp, "hidden_layer_sizes", (64, 0)), (tiny_mlp, "hidden_layer_sizes", "64"),
    (tiny_mlp, "activation", "relux"),
    (tiny_cnn, "filters", (8, -1)), (tiny_cnn, "dense_layer_sizes", (0,)), (tiny_cnn, "kernel_size", 0),
    (tiny_cnn, "convs_per_block", 1.5), (tiny_cnn, "shift_range", 2.0), (tiny_cnn, "rotation_range", -5),
])
def test_a_bad_layer_or_learning_rate_is_refused_at_fit_naming_it_before_any_work(make, param, value, monkeypatch):
    clf = make(**{param: value})
    monkeypatch.setattr(type(clf), "_initialize", lambda *args, **kwargs: pytest.fail("work started"))
    with pytest.raises(ValueError, match=rf"^{type(clf).__name__}: {param} must .*, got {re.escape(repr(value))}"):
        clf.fit(np.zeros((4, 784)), [0, 1, 0, 1])


def test_an_int_hidden_layer_sizes_is_one_layer_as_in_scikit_learn(digits):
    X, y, _, _ = digits
    clf = tiny_mlp(hidden_layer_sizes=24, epochs=1).fit(X, y)
    assert [layer.units for layer in clf.model_.layers if layer.name.startswith("hidden")] == [24]


@pytest.mark.parametrize("how", ["param", "kwarg"])
def test_validation_data_takes_the_labels_fit_takes_and_early_stopping_watches_it(digits, how):
    X, y, X_val, y_val = digits  # OpenML's string labels, in y and in y_val
    params = {"fit__validation_data": (X_val, y_val)} if how == "param" else {}
    clf = tiny_mlp(epochs=30, early_stopping=True, n_iter_no_change=2, learning_rate=0.05,
                   learning_rate_schedule="constant", **params)
    clf.fit(X, y, **({"validation_data": (X_val, y_val)} if how == "kwarg" else {}))
    assert len(clf.history_["val_loss"]) < 30  # stopped on the given rows
    assert clf.n_iter_ == int(np.argmin(clf.history_["val_loss"])) + 1
    assert len(clf.history_["loss"]) == len(clf.history_["val_loss"])  # all 3,000 rows trained: none held out
    proba = clf.predict_proba(X_val)
    loss = -np.mean(np.log(proba[np.arange(len(y_val)), np.searchsorted(clf.classes_, y_val)]))
    assert loss == pytest.approx(min(clf.history_["val_loss"]), rel=1e-3)


@pytest.mark.parametrize("bad, message", [
    ("X_val", "must be a tuple \\(X_val, y_val\\).*got ndarray.*early_stopping=True"),
    ("one", "got a tuple of 1"),
    ("narrow", "has 10 features, but KerasMLPClassifier is expecting 784"),
    ("unseen", "labels that fit's y has not: \\['11'\\]"),
])
def test_bad_validation_data_is_refused_with_what_to_give(digits, bad, message):
    X, y, X_val, y_val = digits
    data = {"X_val": X_val, "one": (X_val,), "narrow": (X_val[:, :10], y_val),
            "unseen": (X_val[:5], np.array(["11"] * 5, dtype=object))}[bad]
    with pytest.raises(ValueError, match=message):
        tiny_mlp(epochs=1).fit(X[:300], y[:300], validation_data=data)


def test_auto_early_stopping_holds_out_rows_only_when_min_steps_raises_the_epochs(digits):
    X, y, _, _ = digits  # 3,000 rows: 24 batches of 128 per epoch
    large = tiny_mlp(epochs=2, batch_size=128, min_steps=48, early_stopping="auto").fit(X, y)
    assert "val_loss" not in large.history_ and large.epochs_ == 2  # every row trains, every epoch kept
    small = tiny_mlp(epochs=2, batch_size=128, min_steps=200, early_stopping="auto").fit(X, y)
    assert "val_loss" in small.history_ and small.epochs_ == 10  # 2,700 rows left: 22 batches per epoch
    assert small.n_iter_ == int(np.argmin(small.history_["val_loss"])) + 1


def test_a_bad_early_stopping_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="early_stopping must be True, False or 'auto', got 'yes'"):
        tiny_mlp(early_stopping="yes").fit(np.zeros((4, 784)), [0, 1, 0, 1])


def batch_counter():
    """A Keras callback whose ``batches`` lists the batches of each epoch (to see which rows trained)."""
    import keras

    class BatchCounter(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.batches = []

        def on_epoch_begin(self, epoch, logs=None):
            self.batches.append(0)

        def on_train_batch_end(self, batch, logs=None):
            self.batches[-1] += 1

    return BatchCounter()


@pytest.mark.parametrize("fraction", [1.0, 0.5])
def test_plateau_schedule_trains_on_held_out_rows_until_their_loss_stalls_then_anneals_on_every_row(
    digits, fraction
):
    from skdigits.neural_network._schedules import anneal_epochs, anneal_rate

    X, y, _, _ = digits  # 3,000 rows: 2,700 after the held-out tenth, 85 batches of 32 (94 with every row)
    counter = batch_counter()
    clf = tiny_mlp(epochs=30, learning_rate=0.01, learning_rate_schedule="plateau", n_iter_no_change=2,
                   anneal_fraction=fraction, callbacks=[counter]).fit(X, y)
    stable = len(clf.history_["val_loss"])
    assert clf.n_iter_ - stable == anneal_epochs(stable, 30, fraction) == max(2, math.ceil(fraction * stable))
    assert clf.n_iter_ == len(clf.history_["loss"]) < 30
    assert counter.batches == [85] * stable + [94] * (clf.n_iter_ - stable)
    rate = float(clf.model_.optimizer.learning_rate.numpy())
    assert rate == pytest.approx(anneal_rate(0.01, clf.n_iter_ - 1, stable, clf.n_iter_ - stable))
    assert rate < 0.01 / 4  # annealed from the constant 0.01


def test_plateau_schedule_keeps_room_for_its_anneal_within_the_epochs():
    X, y = np.random.RandomState(0).rand(200, 784), np.tile([0, 1], 100)  # noise: the held-out loss never falls long
    clf = tiny_mlp(epochs=4, learning_rate_schedule="plateau", n_iter_no_change=10).fit(X, y)
    assert len(clf.history_["val_loss"]) == 2 and clf.n_iter_ == clf.epochs_ == 4


def test_plateau_schedule_refuses_early_stopping_with_the_fix_named():
    with pytest.raises(ValueError, match="set early_stopping=False"):
        tiny_mlp(learning_rate_schedule="plateau", early_stopping=True).fit(np.zeros((4, 784)), [0, 1, 0, 1])
