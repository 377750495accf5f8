"""skdigits.KerasClassifier: a user's own Keras build function, as a scikit-learn classifier.

Contract tests on small synthetic tables (seconds each), one check on real
MNIST. scikit-learn's estimator checks run in tests/test_estimator_checks.py.
"""

import pickle
import subprocess
import sys

import keras  # noqa: E402  (after skdigits, which imports TensorFlow quietly)
import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone, is_classifier
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV, StratifiedKFold, check_cv
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils import get_tags

import skdigits
from skdigits import KerasClassifier, ModelSpec
from skdigits.datasets import load_mnist

pytestmark = pytest.mark.slow  # Keras trainings (deselect with -m 'not slow')


def build_mlp(hidden=16, meta=None):
    """A user's build function: sized from ``meta``, compiled by the wrapper."""
    return keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(meta["n_classes_"], activation="softmax"),
        ]
    )


def build_compiled(meta, compile_kwargs):
    """A build function that compiles the model itself, from the wrapper's arguments."""
    model = build_mlp(8, meta)
    model.compile(**compile_kwargs)
    return model


def wrapped(**params):
    defaults = dict(
        model=build_mlp, loss="sparse_categorical_crossentropy", optimizer="adam",
        optimizer__learning_rate=0.01, epochs=10, batch_size=16, random_state=0,
    )
    return KerasClassifier(**{**defaults, **params})


@pytest.fixture(scope="module")
def blobs():
    """240 rows of 8 features, three classes labelled by strings."""
    X, y = make_classification(
        n_samples=240, n_features=8, n_informative=6, n_redundant=0, n_classes=3,
        class_sep=2.0, random_state=0,
    )
    return X.astype(np.float32), np.array(["zero", "one", "two"], dtype=object)[y]


def test_is_a_classifier_with_its_mixins_in_scikit_learns_order(blobs):
    _, y = blobs
    clf = wrapped()
    assert is_classifier(clf)
    assert isinstance(check_cv(3, y, classifier=is_classifier(clf)), StratifiedKFold)
    tags = get_tags(clf)
    assert tags.estimator_type == "classifier" and tags.classifier_tags.multi_class
    assert tags.target_tags.required and not tags.input_tags.sparse
    mro = type(clf).mro()
    assert mro.index(ClassifierMixin) < mro.index(BaseEstimator)
    assert not any("_more_tags" in vars(klass) for klass in mro)


def test_exported_lazily_from_skdigits_and_neural_network():
    from skdigits.neural_network import KerasClassifier as from_subpackage

    assert skdigits.KerasClassifier is from_subpackage is KerasClassifier


def test_user_build_function_learns_in_a_pipeline(blobs):
    X, y = blobs
    pipe = Pipeline([("scale", StandardScaler()), ("clf", wrapped())]).fit(X, y)
    assert pipe.score(X, y) > 0.9
    assert set(pipe.predict(X)) <= set(y)
    proba = pipe.predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert list(pipe.named_steps["clf"].classes_) == sorted(set(y))


def test_extra_and_routed_parameters_reach_the_build_function(blobs):
    X, y = blobs
    plain = wrapped(hidden=5, epochs=1).fit(X, y)
    routed = wrapped(model__hidden=7, epochs=1).fit(X, y)
    assert plain.model_.layers[0].units == 5
    assert routed.model_.layers[0].units == 7
    assert plain.get_params()["hidden"] == 5


def test_grid_search_over_a_routed_parameter(blobs):
    X, y = blobs
    search = GridSearchCV(wrapped(epochs=5), {"model__hidden": [1, 32]}, cv=2).fit(X, y)
    assert search.best_params_ == {"model__hidden": 32}
    assert search.best_estimator_.model_.layers[0].units == 32
    assert search.best_score_ > 0.8


def test_build_function_may_compile_with_the_wrappers_arguments(blobs):
    X, y = blobs
    clf = wrapped(model=build_compiled, metrics=["accuracy"], epochs=2).fit(X, y)
    assert type(clf.model_.optimizer).__name__ == "Adam"
    assert len(clf.history_["accuracy"]) == 2


def test_clone_and_pickle_round_trips_predict_the_same(blobs):
    X, y = blobs
    clf = wrapped(hidden=8, epochs=3).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    fresh = clone(clf)
    assert fresh.get_params() == clf.get_params() and not hasattr(fresh, "model_")
    np.testing.assert_array_equal(fresh.fit(X, y).predict_proba(X), clf.predict_proba(X))


def test_same_random_state_gives_identical_predictions(blobs):
    X, y = blobs
    first = wrapped(epochs=2).fit(X, y).predict_proba(X)
    second = wrapped(epochs=2).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, wrapped(epochs=2, random_state=1).fit(X, y).predict_proba(X))


def test_class_weight_leaves_the_callers_sample_weight_alone(blobs):
    X, y = blobs
    weights = np.ones(len(y))
    wrapped(class_weight="balanced", epochs=1).fit(X, y, sample_weight=weights)
    np.testing.assert_array_equal(weights, 1.0)


def test_partial_fit_trains_one_more_epoch(blobs):
    X, y = blobs
    clf = wrapped(epochs=2).fit(X, y)
    clf.partial_fit(X, y)
    assert len(clf.history_["loss"]) == 3


def test_parameter_the_build_function_does_not_take_is_named(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="takes no argument 'width'"):
        wrapped(width=3).fit(X, y)


def test_missing_build_function_is_explained(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="needs model="):
        KerasClassifier().fit(X, y)


def test_wrong_column_count_at_predict_is_refused(blobs):
    X, y = blobs
    clf = wrapped(epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="X has 5 features, but KerasClassifier is expecting 8"):
        clf.predict(X[:, :5])


def build_pixels(hidden=32, meta=None):
    return keras.Sequential(
        [
            keras.Input((meta["n_features_in_"],)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(meta["n_classes_"], activation="softmax"),
        ]
    )


def test_user_network_in_a_zoo_model_spec_learns_mnist():
    X, y = load_mnist(split="train", return_X_y=True)
    X_test, y_test = load_mnist(split="test", return_X_y=True)
    clf = KerasClassifier(
        model=build_pixels, loss="sparse_categorical_crossentropy", optimizer="adam",
        optimizer__learning_rate=3e-3, epochs=1, batch_size=32, random_state=0,
    )
    spec = ModelSpec(
        family="mynet",
        pipeline=Pipeline([("features", "passthrough"), ("clf", clf)]),
        param_grid={"clf__model__hidden": [64]},
    )
    search = GridSearchCV(spec.pipeline, spec.param_grid, cv=2).fit(X[:2000], y[:2000])
    assert search.score(X_test[:1000], y_test[:1000]) > 0.8  # chance is 0.1


QUIET_FIT = """
from skdigits import KerasClassifier  # first: it imports TensorFlow quietly
import keras
from sklearn.datasets import make_classification

def build(meta):
    return keras.Sequential([keras.Input((meta["n_features_in_"],)),
                             keras.layers.Dense(meta["n_classes_"], activation="softmax")])

X, y = make_classification(n_samples=100, random_state=0)
KerasClassifier(build, loss="sparse_categorical_crossentropy", epochs=2).fit(X, y).predict(X)
"""


@pytest.mark.slow  # a fresh Python process (or several): the full suite only
def test_quiet_by_default():
    run = subprocess.run([sys.executable, "-c", QUIET_FIT], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "" and run.stderr == ""
