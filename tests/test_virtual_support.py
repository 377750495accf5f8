"""The virtual support vector method: distortions of the images, and the pipeline refitted on them."""

import warnings

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.svm import SVC

from skdigits._trusted_types import TRUSTED_TYPES
from skdigits.datasets import load_mnist
from skdigits.pipeline import VirtualSupportVectorPipeline
from skdigits.preprocessing import Deskewer, distort_images


@pytest.fixture(scope="module")
def digits():
    """400 training and 200 other rows of MNIST's test file, as OpenML's DataFrame."""
    bunch = load_mnist(split="test", as_frame=True)
    return bunch.data[:400], bunch.target[:400], bunch.data[400:600], bunch.target[400:600]


def _one_pixel(row, col, shape=(5, 5)):
    image = np.zeros(shape, dtype=np.uint8)
    image[row, col] = 200
    return image.reshape(1, -1)


def test_a_positive_angle_turns_the_image_counter_clockwise():
    turned = distort_images(_one_pixel(0, 2), angle=90, image_shape=(5, 5)).reshape(5, 5)
    # The top middle pixel goes to the left middle, as a counter-clockwise quarter turn does on screen.
    assert turned[2, 0] == 200 and turned.sum() == 200


def test_thicker_strokes_cover_the_image_and_thinner_ones_lie_within_it(digits):
    X = digits[0].to_numpy()[:50]
    thicker, thinner = distort_images(X, stroke="thicker"), distort_images(X, stroke="thinner")
    assert (thicker >= X).all() and (thinner <= X).all()
    assert (thicker > 0).sum() > (X > 0).sum() > (thinner > 0).sum()


def test_distortions_keep_the_pixels_scale_and_shape(digits):
    X = digits[0].to_numpy()[:50]
    tilted = distort_images(X, angle=-12, stroke="thinner")
    assert tilted.shape == X.shape and tilted.dtype == np.float32
    assert 0 <= tilted.min() and tilted.max() <= 255


@pytest.mark.parametrize("kwargs, message", [
    ({"angle": float("nan")}, "angle must be a finite number"),
    ({"stroke": "bold"}, "stroke must be one of"),
    ({"image_shape": (20, 20)}, "has 400 pixels"),
])
def test_bad_distortions_are_refused_with_what_to_give(digits, kwargs, message):
    with pytest.raises(ValueError, match=message):
        distort_images(digits[0].to_numpy()[:5], **kwargs)


def test_the_pipeline_refits_on_its_support_vectors_and_one_copy_per_distortion(digits):
    X, y, _, _ = digits
    pipe = VirtualSupportVectorPipeline([("deskew", Deskewer()), ("clf", SVC())]).fit(X, y)
    plain = Pipeline([("deskew", Deskewer()), ("clf", SVC())]).fit(X, y)
    assert pipe.n_support_vectors_ == len(plain.named_steps["clf"].support_)
    assert pipe.n_virtual_ == 6 * pipe.n_support_vectors_  # four angles, thicker and thinner
    assert pipe.named_steps["clf"].shape_fit_[0] == 7 * pipe.n_support_vectors_


def test_virtual_support_vectors_learn_the_rotations_a_plain_svm_misses(digits):
    X, y, X_other, y_other = digits
    X_turned = pd.DataFrame(distort_images(X_other, angle=10), columns=X_other.columns)
    plain = Pipeline([("clf", SVC())]).fit(X, y)
    virtual = VirtualSupportVectorPipeline([("clf", SVC())], angles=[-12, -6, 6, 12], strokes=[]).fit(X, y)
    assert virtual.score(X_turned, y_other) > plain.score(X_turned, y_other)


def test_without_distortions_it_is_the_plain_pipeline_to_the_bit(digits):
    X, y, X_other, _ = digits
    plain = Pipeline([("clf", SVC())]).fit(X, y)
    pipe = VirtualSupportVectorPipeline([("clf", SVC())], angles=[], strokes=[]).fit(X, y)
    assert pipe.n_virtual_ == 0
    np.testing.assert_array_equal(pipe.decision_function(X_other), plain.decision_function(X_other))


def test_a_dataframe_in_fit_keeps_its_column_names_for_predict(digits):
    X, y, X_other, _ = digits
    pipe = VirtualSupportVectorPipeline([("deskew", Deskewer()), ("clf", SVC())], angles=[6], strokes=[])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 'X has feature names, but ... was fitted without' would fail
        pipe.fit(X, y).predict(X_other)
    assert list(pipe.feature_names_in_) == list(X.columns)


def test_a_last_step_without_support_vectors_is_refused_by_name(digits):
    X, y, _, _ = digits
    with pytest.raises(ValueError, match=r"support vectors \(support_\), such as SVC; LogisticRegression"):
        VirtualSupportVectorPipeline([("clf", LogisticRegression(max_iter=50))]).fit(X, y)


@pytest.mark.parametrize("params, message", [
    ({"angles": ["ten"]}, "angles must be finite numbers of degrees"),
    ({"strokes": ["bold"]}, "strokes must name 'thicker' or 'thinner'"),
    ({"image_shape": (20, 20)}, "image_shape=.* does not fit them"),
])
def test_bad_settings_are_refused_before_any_fit(digits, params, message):
    X, y, _, _ = digits
    pipe = VirtualSupportVectorPipeline([("clf", SVC())], **params)
    with pytest.raises(ValueError, match=message):
        pipe.fit(X, y)
    assert not hasattr(pipe.named_steps["clf"], "support_")


def test_it_clones_and_searches_like_a_pipeline(digits):
    X, y, _, _ = digits
    pipe = VirtualSupportVectorPipeline([("clf", SVC())], angles=[-6, 6], strokes=["thinner"])
    copy = clone(pipe)
    assert copy.get_params()["angles"] == [-6, 6] and copy.get_params()["strokes"] == ["thinner"]
    search = GridSearchCV(pipe, {"clf__C": [1.0, 10.0], "strokes": [[], ["thinner"]]}, cv=2).fit(X, y)
    assert isinstance(search.best_estimator_, VirtualSupportVectorPipeline)
    assert search.best_estimator_.n_virtual_ > 0


def test_it_saves_and_loads_with_skdigits_trusted_types_to_the_bit(digits):
    X, y, X_other, _ = digits
    pipe = VirtualSupportVectorPipeline([("deskew", Deskewer()), ("clf", SVC())], angles=[6], strokes=[]).fit(X, y)
    loaded = sio.loads(sio.dumps(pipe), trusted=sorted(TRUSTED_TYPES))
    assert isinstance(loaded, VirtualSupportVectorPipeline) and loaded.angles == [6]
    np.testing.assert_array_equal(loaded.decision_function(X_other), pipe.decision_function(X_other))
