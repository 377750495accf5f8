"""BatchedPCA: scikit-learn's PCA of a transformer's output, a batch of rows at a time."""

import numpy as np
import pytest
import skops.io as sio
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.decomposition import PCA
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdigits._trusted_types import OWN_TYPES
from skdigits.datasets import load_mnist
from skdigits.decomposition import BatchedPCA
from skdigits.preprocessing import Deskewer, HOGFeatures


@pytest.fixture(scope="module")
def digits():
    X, y = load_mnist(split="train", return_X_y=True, as_frame=True)
    return X.iloc[:1500], np.asarray(y)[:1500]


def fine_hog():
    return make_pipeline(Deskewer(), HOGFeatures(pixels_per_cell=(3, 4, 7)))


class RecordingTransformer(TransformerMixin, BaseEstimator):
    """Doubles the columns (x, x**2) and records the rows of each transform call."""

    def fit(self, X, y=None):
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def transform(self, X):
        X = np.asarray(X, dtype=np.float64)
        self.calls_ = [*getattr(self, "calls_", []), len(X)]
        return np.hstack([X, X**2])


@pytest.mark.slow  # two eigendecompositions of 3,924 columns: 45 s on an AVX2 CPU
def test_batched_pca_matches_sklearn_pca_on_the_full_hog_features(digits):
    X, _ = digits
    batched = BatchedPCA(fine_hog(), n_components=30, batch_size=256, random_state=0).fit(X)
    features = fine_hog().fit_transform(X).astype(np.float64)
    pca = PCA(n_components=30, svd_solver="covariance_eigh").fit(features)

    np.testing.assert_allclose(batched.mean_, pca.mean_, atol=1e-6)
    np.testing.assert_allclose(batched.explained_variance_, pca.explained_variance_, rtol=1e-5)
    np.testing.assert_allclose(batched.explained_variance_ratio_, pca.explained_variance_ratio_, rtol=1e-5)
    np.testing.assert_allclose(batched.components_, pca.components_, atol=1e-5)
    np.testing.assert_allclose(batched.transform(X[:200]), pca.transform(features[:200]), atol=1e-4)


def test_transform_keeps_the_features_float32_dtype(digits):
    X, _ = digits
    batched = BatchedPCA(fine_hog(), n_components=5, random_state=0).fit(X[:300])
    assert batched.transform(X[:10]).dtype == np.float32


def test_no_transform_call_sees_more_rows_than_a_batch():
    X = np.random.default_rng(0).normal(size=(1000, 6))
    batched = BatchedPCA(RecordingTransformer(), n_components=4, batch_size=128, random_state=0).fit(X)
    assert max(batched.transformer_.calls_) == 128
    assert sum(batched.transformer_.calls_) == len(X)
    whole = BatchedPCA(RecordingTransformer(), n_components=4, batch_size=len(X), random_state=0).fit(X)
    np.testing.assert_allclose(batched.transform(X), whole.transform(X), atol=1e-10)


def test_the_same_seed_gives_the_same_components_to_the_bit(digits):
    X, _ = digits
    first = BatchedPCA(fine_hog(), n_components=20, batch_size=500, random_state=0).fit(X)
    again = clone(first).fit(X)
    np.testing.assert_array_equal(first.components_, again.components_)
    np.testing.assert_array_equal(first.transform(X[:100]), again.transform(X[:100]))


@pytest.mark.parametrize("n_components", [2, 9])
def test_both_eigensolvers_give_pca_components(n_components):
    # 2 of 12 features goes through ARPACK, 9 of 12 through LAPACK's subset eigh.
    X = np.random.default_rng(1).normal(size=(300, 6)) @ np.random.default_rng(2).normal(size=(6, 6))
    batched = BatchedPCA(RecordingTransformer(), n_components=n_components, random_state=0).fit(X)
    pca = PCA(n_components=n_components).fit(np.hstack([X, X**2]))
    np.testing.assert_allclose(batched.explained_variance_, pca.explained_variance_, rtol=1e-8)
    np.testing.assert_allclose(np.abs(batched.components_), np.abs(pca.components_), atol=1e-8)
    largest = np.abs(batched.components_).argmax(axis=1)
    assert (batched.components_[np.arange(n_components), largest] > 0).all()


def test_too_many_components_for_the_features_fails_after_one_batch():
    X = np.random.default_rng(0).normal(size=(1000, 3))
    batched = BatchedPCA(RecordingTransformer(), n_components=7, batch_size=100)
    with pytest.raises(ValueError, match="n_components=7 is more than the transformer's 6 output features"):
        batched.fit(X)


def test_too_many_components_for_the_rows_fails_before_any_transform():
    transformer = RecordingTransformer()
    with pytest.raises(ValueError, match="n_components=20 is more than the 10 rows"):
        BatchedPCA(transformer, n_components=20).fit(np.ones((10, 3)))


def test_a_dataframe_reaches_the_transformer_and_its_names_are_kept(digits):
    X, _ = digits
    batched = BatchedPCA(StandardScaler(), n_components=3, batch_size=100, random_state=0).fit(X[:300])
    assert list(batched.feature_names_in_) == list(X.columns)
    assert list(batched.transformer_.feature_names_in_) == list(X.columns)
    assert list(batched.get_feature_names_out()) == ["batchedpca0", "batchedpca1", "batchedpca2"]


def test_an_empty_dataframe_is_refused_with_a_clear_error(digits):
    X, _ = digits
    batched = BatchedPCA(StandardScaler(), n_components=3, random_state=0).fit(X[:300])
    with pytest.raises(ValueError, match="0 rows"):
        batched.transform(X.iloc[:0])
    with pytest.raises(ValueError, match="0 rows"):
        BatchedPCA(StandardScaler()).fit(X.iloc[:0])


def test_a_fitted_batched_pca_loads_back_with_skops_and_the_run_folders_trusted_types(digits):
    X, _ = digits
    batched = BatchedPCA(fine_hog(), n_components=5, random_state=0).fit(X[:300])
    data = sio.dumps(batched)
    assert set(sio.get_untrusted_types(data=data)) <= OWN_TYPES  # trusted by run folders and the search alike
    loaded = sio.loads(data, trusted=sorted(OWN_TYPES))
    np.testing.assert_array_equal(loaded.transform(X[:20]), batched.transform(X[:20]))


@parametrize_with_checks([
    BatchedPCA(n_components=2, batch_size=7, random_state=0),
    BatchedPCA(StandardScaler(), n_components=2, batch_size=7, random_state=0),
])
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
