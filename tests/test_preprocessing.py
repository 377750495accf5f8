"""Tests for skdigits.preprocessing: what each transformer does to real MNIST
digits, and its contract as a scikit-learn transformer.

scikit-learn's generic estimator checks for the three transformers are in
tests/test_estimator_checks.py.
"""

import pickle

import numpy as np
import pandas as pd
import pytest
from joblib import parallel_config
from scipy import ndimage
from skimage.feature import hog
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdigits.datasets import load_mnist
from skdigits.preprocessing import (
    CachedTransformer,
    Deskewer,
    FeatureCache,
    GaussianBlur,
    HOGFeatures,
    _hog,
    get_feature_cache,
)
from skdigits.zoo import describe_features
from skdigits.zoo._features import deskewed_hog as deskewed_hog_option

TRANSFORMERS = [Deskewer, GaussianBlur, HOGFeatures]


@pytest.fixture(scope="module")
def digits():
    """The first 1,000 real MNIST test digits, 1,000 x 784 uint8, and labels."""
    X, y = load_mnist(split="test", return_X_y=True)
    return X[:1000], y[:1000]


def moments(images):
    """Reference centre of mass and skew cov(row, col) / var(row), in float64."""
    images = np.asarray(images, dtype=np.float64).reshape(-1, 28, 28)
    rows, cols = np.mgrid[:28, :28]
    mass = images.sum(axis=(1, 2))
    mean_row = (images * rows).sum(axis=(1, 2)) / mass
    mean_col = (images * cols).sum(axis=(1, 2)) / mass
    d_row = rows - mean_row[:, None, None]
    d_col = cols - mean_col[:, None, None]
    var_row = (images * d_row**2).sum(axis=(1, 2)) / mass
    cov = (images * d_row * d_col).sum(axis=(1, 2)) / mass
    return np.stack([mean_row, mean_col], axis=1), cov / var_row


def shear(image, alpha):
    """Shear a 28 x 28 image about its centre: column shift alpha per row."""
    affine = np.array([[1.0, 0.0], [-alpha, 1.0]])
    centre = np.array([14.0, 14.0])
    return ndimage.affine_transform(image, affine, offset=centre - affine @ centre, order=1)


def total_variation(X):
    images = np.asarray(X, dtype=np.float64).reshape(-1, 28, 28)
    return np.abs(np.diff(images, axis=1)).sum() + np.abs(np.diff(images, axis=2)).sum()


# -- Deskewer -------------------------------------------------------------


def test_deskewer_matches_the_scipy_affine_transform_recipe(digits):
    X = digits[0][:100]
    centre, alpha = moments(X)
    upright = Deskewer().fit_transform(X).reshape(-1, 28, 28)
    for image, c, a, out in zip(X.reshape(-1, 28, 28).astype(float), centre, alpha, upright, strict=True):
        affine = np.array([[1.0, 0.0], [a, 1.0]])
        expected = ndimage.affine_transform(
            image, affine, offset=c - affine @ [14.0, 14.0], order=1, mode="grid-constant"
        )
        np.testing.assert_allclose(out, expected, atol=2e-3)


def test_deskewer_makes_real_digits_sheared_by_a_known_amount_upright(digits):
    upright = Deskewer().fit_transform(digits[0][:20]).reshape(-1, 28, 28)
    for alpha in (-0.5, 0.4):
        sheared = np.stack([shear(image, alpha) for image in upright])
        _, skew_before = moments(sheared)
        _, skew_after = moments(Deskewer().fit_transform(sheared.reshape(20, -1)))
        np.testing.assert_allclose(skew_before, alpha, atol=0.05)
        assert np.abs(skew_after).max() < 0.02
        assert np.abs(skew_after).mean() < np.abs(skew_before).mean() / 20


def test_deskewer_reduces_the_mean_skew_of_1000_real_digits_tenfold(digits):
    _, skew_before = moments(digits[0])
    _, skew_after = moments(Deskewer().fit_transform(digits[0]))
    assert np.abs(skew_before).mean() > 0.1
    assert np.abs(skew_after).mean() < np.abs(skew_before).mean() / 10


def test_deskewed_centre_of_mass_is_at_the_image_centre(digits):
    centre, _ = moments(Deskewer().fit_transform(digits[0]))
    np.testing.assert_allclose(centre, 14.0, atol=0.01)


def test_deskewing_an_upright_centred_digit_changes_it_little(digits):
    upright = Deskewer().fit_transform(digits[0])  # skew ~0, centre of mass (14, 14)
    again = Deskewer().fit_transform(upright)
    change = np.linalg.norm(again - upright, axis=1) / np.linalg.norm(upright, axis=1)
    assert change.mean() < 0.01
    assert change.max() < 0.05


def test_deskewer_keeps_the_pixel_scale_as_float32(digits):
    X = digits[0][:50]
    from_bytes = Deskewer().fit_transform(X)
    from_unit = Deskewer().fit_transform(X / 255.0)
    assert from_bytes.dtype == np.float32
    assert 0 <= from_bytes.min() and 200 < from_bytes.max() <= 255
    np.testing.assert_allclose(from_unit * 255, from_bytes, atol=1e-3)


def test_deskewer_passes_blank_images_through(digits):
    X = np.vstack([np.zeros((2, 784), dtype=np.uint8), digits[0][:3]])
    out = Deskewer().fit_transform(X)
    assert not out[:2].any()
    np.testing.assert_array_equal(out[2:], Deskewer().fit_transform(digits[0][:3]))


def test_deskewer_gives_the_same_images_whatever_the_chunking(digits):
    X = np.tile(digits[0], (5, 1))  # 5,000 rows: two chunks of 4,096 and 904
    out = Deskewer().fit_transform(X)
    np.testing.assert_array_equal(out[4096:], Deskewer().fit_transform(X[4096:]))
    np.testing.assert_array_equal(out[4000:4100], Deskewer().fit_transform(X[4000:4100]))


def test_deskewer_refuses_negative_pixels():
    with pytest.raises(ValueError, match="Negative values in data passed to Deskewer"):
        Deskewer(image_shape=(2, 2)).fit([[0.0, 1.0, -1.0, 0.0]])


# -- GaussianBlur ---------------------------------------------------------


def test_blur_preserves_the_total_intensity_of_real_digits_away_from_borders(digits):
    images = digits[0].reshape(-1, 28, 28)
    clear_of_borders = images[:, 4:-4, 4:-4].sum(axis=(1, 2)) == images.sum(axis=(1, 2))
    X = digits[0][clear_of_borders][:200]  # ink at least 4 sigma from the edges
    assert len(X) == 200
    for sigma in (0.5, 1.0):
        blurred = GaussianBlur(sigma=sigma).fit_transform(X)
        np.testing.assert_allclose(blurred.sum(axis=1), X.sum(axis=1), rtol=1e-3)


def test_bigger_sigma_gives_smoother_images(digits):
    X = digits[0][:200]
    variation = [total_variation(GaussianBlur(sigma=s).fit_transform(X)) for s in (0, 0.5, 1, 2)]
    assert variation == sorted(variation, reverse=True)
    assert variation[-1] < variation[0] / 2


def test_blur_is_scipy_gaussian_filter_of_each_image(digits):
    X = digits[0][:20]
    blurred = GaussianBlur(sigma=1.5).fit_transform(X).reshape(-1, 28, 28)
    for image, out in zip(X.reshape(-1, 28, 28).astype(np.float32), blurred, strict=True):
        np.testing.assert_allclose(out, ndimage.gaussian_filter(image, 1.5, mode="constant"), atol=1e-3)


def test_blur_with_sigma_zero_leaves_images_unchanged(digits):
    out = GaussianBlur(sigma=0).fit_transform(digits[0][:10])
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, digits[0][:10])


# -- HOGFeatures ----------------------------------------------------------


@pytest.mark.parametrize(
    "pixels_per_cell, n_columns",
    [(((4, 4), (7, 7)), 1296 + 324), ((7, 7), 324), (4, 1296), ((4, 7), 6 * 3 * 36), ((4, 7, 14), 1296 + 324 + 36)],
)
def test_hog_gives_the_documented_number_of_columns(digits, pixels_per_cell, n_columns):
    hog_features = HOGFeatures(pixels_per_cell=pixels_per_cell).fit(digits[0][:3])
    assert hog_features.transform(digits[0][:3]).shape == (3, n_columns)
    assert len(hog_features.get_feature_names_out()) == n_columns


def test_hog_is_scikit_image_hog_of_each_image_concatenated(digits):
    X = digits[0][:5]
    out = HOGFeatures().fit_transform(X)
    assert out.dtype == np.float32
    for row, image in zip(out, X.reshape(-1, 28, 28).astype(np.float32), strict=True):
        expected = [hog(image, 9, cells, (2, 2), "L2-Hys") for cells in ((4, 4), (7, 7))]
        np.testing.assert_allclose(row, np.concatenate(expected), atol=1e-6)


@pytest.mark.parametrize("block_norm", ["L2-Hys", "L2", "L1", "L1-sqrt"])
@pytest.mark.parametrize(
    "orientations, pixels_per_cell, cells_per_block",
    [(9, (4, 4), (2, 2)), (9, (7, 7), (2, 2)), (8, (3, 5), (3, 1)), (12, (14, 14), (1, 1)), (6, (6, 6), (3, 3)),
     (4, (1, 1), (2, 2))],
)
def test_batched_hog_matches_scikit_image_on_raw_and_deskewed_digits(
    digits, orientations, pixels_per_cell, cells_per_block, block_norm
):
    X = digits[0][:40]
    settings = dict(orientations=orientations, cells_per_block=cells_per_block, block_norm=block_norm)
    hog_features = HOGFeatures(pixels_per_cell=pixels_per_cell, **settings)
    for images in (X, Deskewer().fit_transform(X)):
        out = hog_features.fit_transform(images)
        expected = [
            hog(image, pixels_per_cell=pixels_per_cell, **settings)
            for image in images.reshape(-1, 28, 28).astype(np.float32)
        ]
        assert out.dtype == np.float32
        np.testing.assert_allclose(out, np.stack(expected), rtol=0, atol=1e-5)


def test_batched_hog_matches_scikit_image_across_chunks(digits, monkeypatch):
    monkeypatch.setattr(_hog, "HOG_CHUNK_SIZE", 7)
    X = digits[0][:20]
    out = HOGFeatures().fit_transform(X)
    for row, image in zip(out, X.reshape(-1, 28, 28).astype(np.float32), strict=True):
        expected = [hog(image, 9, cells, (2, 2), "L2-Hys") for cells in ((4, 4), (7, 7))]
        np.testing.assert_allclose(row, np.concatenate(expected), rtol=0, atol=1e-5)


def scikit_image_bins(g_row, g_col, n_bins):
    """scikit-image's orientation bin of each gradient (float64 orientations), n_bins for none."""
    orientation = np.rad2deg(np.arctan2(np.float64(g_row), np.float64(g_col))) % 180
    bins = np.searchsorted(180.0 / n_bins * np.arange(n_bins + 1), orientation, side="right") - 1
    return np.minimum(bins, n_bins)


@pytest.mark.parametrize("n_bins", [1, 2, 3, 4, 6, 7, 8, 9, 12, 18, 36, 180])
def test_hog_orientation_bins_are_scikit_images_at_the_bin_edges(n_bins):
    # gradients at 0, 45, 90, 135 and 180 degrees, signed zeros and tiny ones, in float32 like the images,
    # and gradients a float32 step either side of each bin edge (and of 180 degrees, which is in no bin)
    values = np.array([0.0, -0.0, 1.0, -1.0, 3.0, -3.0, 1e-30, -1e-30, 255.0, -255.0], dtype=np.float32)
    g_row, g_col = (grid.ravel() for grid in np.meshgrid(values, values))
    edges = np.deg2rad(180.0 / n_bins * np.arange(n_bins + 1))
    on_edges = np.stack([np.sin(edges), np.cos(edges)]).astype(np.float32)
    steps = [np.nextafter(on_edges, direction, dtype=np.float32) for direction in (-np.inf, np.inf)]
    near_edges = np.concatenate([on_edges, *steps, -on_edges, *(-step for step in steps)], axis=1)
    g_row, g_col = np.concatenate([g_row, near_edges[0]]), np.concatenate([g_col, near_edges[1]])
    nonzero = (g_row != 0) | (g_col != 0)
    images = np.zeros((len(g_row), 3, 3), dtype=np.float32)
    images[:, 2, 1], images[:, 1, 2] = g_row, g_col
    gradients = _hog._nonzero_gradients(images)
    np.testing.assert_array_equal(gradients["g_row"], g_row[nonzero])
    bins = _hog._orientation_bins(gradients["g_row"], gradients["g_col"], n_bins)
    np.testing.assert_array_equal(bins, scikit_image_bins(g_row, g_col, n_bins)[nonzero])


def test_hog_matches_scikit_image_on_hundreds_of_raw_and_deskewed_digits():
    X, _ = load_mnist(split="test", return_X_y=True)
    X = X[1000:1300]
    for images in (X, Deskewer().fit_transform(X)):
        out = HOGFeatures().fit_transform(images)
        expected = [
            np.concatenate([hog(image, 9, cells, (2, 2), "L2-Hys") for cells in ((4, 4), (7, 7))])
            for image in images.reshape(-1, 28, 28).astype(np.float32)
        ]
        np.testing.assert_allclose(out, np.stack(expected), rtol=0, atol=1e-5)


def test_hog_is_invariant_to_a_uniform_brightness_scale(digits):
    X = digits[0][:50].astype(np.float32)
    hog_features = HOGFeatures().fit(X)
    np.testing.assert_allclose(hog_features.transform(X / 255), hog_features.transform(X), atol=1e-4)
    np.testing.assert_allclose(hog_features.transform(3 * X), hog_features.transform(X), atol=1e-5)


def test_hog_feature_names_name_the_cell_size(digits):
    names = HOGFeatures().fit(digits[0][:1]).get_feature_names_out()
    assert list(names[:2]) == ["hog4x4_0", "hog4x4_1"]
    assert list(names[1295:1298]) == ["hog4x4_1295", "hog7x7_0", "hog7x7_1"]
    assert len(set(names)) == 1620


def test_hog_n_jobs_gives_the_same_features(digits):
    X = digits[0][:60]
    expected = HOGFeatures().fit_transform(X)
    np.testing.assert_array_equal(HOGFeatures(n_jobs=2).fit_transform(X), expected)


def test_hog_n_jobs_none_follows_joblib_parallel_config(digits, monkeypatch):
    calls, hog_rows = [], _hog.hog_rows

    def counted_hog_rows(X, *args):
        calls.append(len(X))
        return hog_rows(X, *args)

    monkeypatch.setattr(_hog, "hog_rows", counted_hog_rows)
    X = digits[0][:40]
    HOGFeatures().fit_transform(X)
    assert calls == [40]
    calls.clear()
    with parallel_config(backend="threading", n_jobs=2):
        HOGFeatures().fit_transform(X)
    assert len(calls) == 2 and sum(calls) == 40


@pytest.mark.slow  # a logistic regression on 2,000 digits' HOG features: the full suite only
def test_hog_logistic_regression_pipeline_classifies_real_digits():
    X_train, y_train = load_mnist(split="train", return_X_y=True)
    X_test, y_test = load_mnist(split="test", return_X_y=True)
    pipe = make_pipeline(HOGFeatures(), LogisticRegression(max_iter=1000))
    pipe.fit(X_train[:2000], y_train[:2000])
    assert 1 - pipe.score(X_test[:1000], y_test[:1000]) < 0.05


# -- the transformer contract, for all three ------------------------------


@pytest.mark.parametrize("Transformer", TRANSFORMERS)
def test_wrong_column_count_error_names_both_numbers_and_the_fix(Transformer):
    X = np.ones((3, 196))
    with pytest.raises(ValueError, match=r"X with 196 columns, but image_shape=\(28, 28\).*784 pixels"):
        Transformer().fit(X)
    with pytest.raises(ValueError, match=r"Set image_shape=\(height, width\)"):
        Transformer().fit(X)
    assert Transformer(image_shape=(14, 14)).fit(X).image_shape_ == (14, 14)


@pytest.mark.parametrize("Transformer", TRANSFORMERS)
def test_image_shape_none_infers_square_images_or_says_why_not(Transformer):
    assert Transformer(image_shape=None).fit(np.ones((2, 784))).image_shape_ == (28, 28)
    with pytest.raises(ValueError, match="infer square images from X with 50 columns, which is not a perfect square"):
        Transformer(image_shape=None).fit(np.ones((2, 50)))


@pytest.mark.parametrize("Transformer", TRANSFORMERS)
def test_image_shape_minus_one_infers_that_side(Transformer):
    assert Transformer(image_shape=(-1, 28)).fit(np.ones((2, 784))).image_shape_ == (28, 28)
    assert Deskewer(image_shape=(1, -1)).fit(np.ones((2, 7))).image_shape_ == (1, 7)
    with pytest.raises(ValueError, match=r"image_shape=\(-1, 28\) does not fit them \(50 is not a multiple of 28\)"):
        Transformer(image_shape=(-1, 28)).fit(np.ones((2, 50)))


@pytest.mark.parametrize("Transformer", TRANSFORMERS)
@pytest.mark.parametrize("image_shape", [(28,), (0, 28), (28, 28, 1), (-1, -1), (28.0, 28)])
def test_bad_image_shape_is_refused_with_a_clear_error(Transformer, image_shape):
    with pytest.raises(ValueError, match=r"image_shape must be a pair \(height, width\) of positive ints"):
        Transformer(image_shape=image_shape).fit(np.ones((2, 784)))


@pytest.mark.parametrize(
    "transformer, message",
    [
        (GaussianBlur(sigma=-1), "'sigma' parameter of GaussianBlur must be a float in the range"),
        (HOGFeatures(orientations=0), "'orientations' parameter of HOGFeatures must be an int in the range"),
        (HOGFeatures(block_norm="L3"), "'block_norm' parameter of HOGFeatures must be a str among"),
        (HOGFeatures(n_jobs="two"), "'n_jobs' parameter of HOGFeatures"),
        (HOGFeatures(pixels_per_cell=(0, 4)), r"each cell size of pixels_per_cell must be .*got \(0, 4\)"),
        (HOGFeatures(pixels_per_cell=[(4, 4), (4, 4)]), "pixels_per_cell must give distinct cell sizes"),
        (HOGFeatures(cells_per_block=(2, 2, 2)), "cells_per_block must be an int or a pair of positive ints"),
        (
            HOGFeatures(pixels_per_cell=(16, 16)),
            r"images of 28 x 28 pixels are too small for blocks of 2 x 2 cells of 16 x 16 pixels "
            r"\(at least 32 x 32 pixels\)",
        ),
    ],
)
def test_bad_parameters_are_refused_at_fit_with_a_clear_error(digits, transformer, message):
    with pytest.raises(ValueError, match=message):
        transformer.fit(digits[0][:2])


@pytest.mark.parametrize("Transformer", TRANSFORMERS)
def test_fitted_transformers_pickle_and_clone(Transformer, digits):
    X = digits[0][:5]
    fitted = Transformer().fit(X)
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.transform(X), fitted.transform(X))
    fresh = clone(fitted)
    assert fresh.get_params() == fitted.get_params()
    assert not hasattr(fresh, "n_features_in_")


@pytest.mark.parametrize("Transformer", TRANSFORMERS)
def test_dataframes_in_and_pandas_output(Transformer):
    frame = load_mnist(split="test", as_frame=True).data.iloc[:5]
    transformer = Transformer().set_output(transform="pandas").fit(frame)
    out = transformer.transform(frame)
    assert isinstance(out, pd.DataFrame)
    assert list(transformer.feature_names_in_[:2]) == ["pixel1", "pixel2"]
    assert list(out.columns) == list(transformer.get_feature_names_out())
    if Transformer is not HOGFeatures:
        assert list(out.columns) == list(frame.columns)


def test_transformers_chain_in_a_pipeline(digits):
    X, y = digits
    pipe = make_pipeline(Deskewer(), GaussianBlur(sigma=0.5), HOGFeatures(pixels_per_cell=(7, 7)))
    assert pipe.fit_transform(X[:10], y[:10]).shape == (10, 324)


# -- CachedTransformer and FeatureCache -------------------------------------


@pytest.fixture
def counted_hog(monkeypatch):
    """The number of images HOGFeatures computes, counted in a list."""
    counted, hog_rows = [], _hog.hog_rows

    def counting_hog_rows(X, *args):
        counted.append(len(X))
        return hog_rows(X, *args)

    monkeypatch.setattr(_hog, "hog_rows", counting_hog_rows)
    return counted


@pytest.fixture
def cache_name(request):
    """A process-wide cache of this test's own, empty, dropped at the end."""
    name = f"test:{request.node.name}"
    get_feature_cache(name).clear()
    yield name
    get_feature_cache(name).clear()


def deskewed_hog(cache):
    return CachedTransformer(make_pipeline(Deskewer(), HOGFeatures()), cache=cache)


def test_cached_transform_of_the_same_rows_is_computed_once(digits, counted_hog, cache_name):
    X = digits[0][:30]
    first = deskewed_hog(cache_name).fit_transform(X)
    again = deskewed_hog(cache_name).fit(X[:5]).transform(X.copy())  # another fit, an equal copy of the rows
    assert counted_hog == [30]
    assert again is first and not again.flags.writeable
    cache = get_feature_cache(cache_name)
    assert (cache.hits, cache.misses, len(cache), cache.nbytes) == (1, 1, 1, first.nbytes)


def test_cached_transform_computes_again_for_other_rows_or_parameters(digits, counted_hog, cache_name):
    X = digits[0][:30]
    deskewed_hog(cache_name).fit_transform(X)
    deskewed_hog(cache_name).fit_transform(X[:29])
    deskewed_hog(cache_name).set_params(transformer__hogfeatures__orientations=8).fit_transform(X)
    assert counted_hog == [30, 29, 30]
    assert get_feature_cache(cache_name).hits == 0


def test_cached_transform_equals_the_uncached_one(digits, cache_name):
    X = digits[0][:50]
    expected = make_pipeline(Deskewer(), HOGFeatures()).fit_transform(X)
    for cache in (cache_name, cache_name, None):
        np.testing.assert_array_equal(deskewed_hog(cache).fit_transform(X), expected)
    assert get_feature_cache(cache_name).hits == 1


def test_cache_none_computes_every_time(digits, counted_hog):
    X = digits[0][:10]
    features = deskewed_hog(None).fit(X)
    features.transform(X), features.transform(X)
    assert counted_hog == [10, 10]


def test_cached_stateful_transformer_is_keyed_by_its_fitted_state(cache_name):
    X = np.arange(12.0).reshape(6, 2)
    scaled = CachedTransformer(StandardScaler(), cache=cache_name)
    np.testing.assert_allclose(scaled.fit(X).transform(X), StandardScaler().fit(X).transform(X))
    np.testing.assert_allclose(scaled.fit(X[:3]).transform(X), StandardScaler().fit(X[:3]).transform(X))
    assert get_feature_cache(cache_name).misses == 2


def test_feature_cache_evicts_the_least_recently_used_beyond_max_bytes():
    cache = FeatureCache(max_bytes=2000)
    for key in "abc":
        cache.get_or_compute(key, lambda: np.zeros(100))  # 800 bytes each: "a" goes
    cache.get_or_compute("b", lambda: np.zeros(100))  # "b" is now the most recent
    cache.get_or_compute("d", lambda: np.zeros(100))  # "c" goes
    assert (len(cache), cache.nbytes, cache.hits, cache.misses) == (2, 1600, 1, 4)
    cache.get_or_compute("a", lambda: np.zeros(100))
    assert cache.misses == 5
    cache.max_bytes = 800
    assert (len(cache), cache.nbytes) == (1, 800)


def test_feature_cache_does_not_keep_an_array_larger_than_max_bytes():
    cache = FeatureCache(max_bytes=100)
    big = cache.get_or_compute("big", lambda: np.zeros(100))
    assert big.flags.writeable and len(cache) == 0 and cache.nbytes == 0


def test_feature_cache_refuses_a_negative_bound():
    with pytest.raises(ValueError, match="max_bytes must be an int >= 0, got -1"):
        FeatureCache(max_bytes=-1)


def _cache_bound():
    from skdigits.preprocessing import get_feature_cache

    return get_feature_cache("bound-test").max_bytes


def test_a_joblib_workers_cache_stays_under_lokys_guard_and_this_process_keeps_the_default():
    from joblib import Parallel, delayed
    from joblib.externals.loky import process_executor

    from skdigits.preprocessing._cache import DEFAULT_MAX_BYTES, WORKER_MAX_BYTES

    in_workers = Parallel(n_jobs=2, backend="loky")(delayed(_cache_bound)() for _ in range(2))
    assert in_workers == [WORKER_MAX_BYTES] * 2
    # loky replaces a worker grown by more than its guard: a full cache leaves room below it for a fit
    assert WORKER_MAX_BYTES <= process_executor._MAX_MEMORY_LEAK_SIZE / 2
    assert _cache_bound() == DEFAULT_MAX_BYTES  # threads of this process, and this process, keep 512 MiB
    assert Parallel(n_jobs=2, backend="threading")(delayed(_cache_bound)() for _ in range(2)) == [DEFAULT_MAX_BYTES] * 2


def test_cached_transformer_clones_and_names_features_as_its_transformer(digits):
    features = clone(deskewed_hog("default"))
    assert features.get_params()["transformer__hogfeatures__pixels_per_cell"] == ((4, 4), (7, 7))
    assert features.get_params()["cache"] == "default"
    features.fit(digits[0][:3])
    np.testing.assert_array_equal(
        features.get_feature_names_out(), features.transformer_.get_feature_names_out()
    )
    assert features.n_features_in_ == 784


def test_zoo_hog_features_are_cached_and_described_as_before():
    step = deskewed_hog_option()
    assert isinstance(step, CachedTransformer) and step.cache == "default"
    assert describe_features(step) == "deskewed + HOG"


@parametrize_with_checks([CachedTransformer(StandardScaler(), cache="checks")])
def test_cached_transformer_passes_scikit_learn_checks(estimator, check):
    check(estimator)
