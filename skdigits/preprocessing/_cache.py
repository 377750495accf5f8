"""Features computed once per process: an in-memory LRU cache of transforms.

A grid search, its refit and the predictions of several models transform
the same rows with the same transformer again and again. :class:`CachedTransformer`
wraps a transformer so that each distinct transform of the same rows is
computed once per process and then shared, from a :class:`FeatureCache` held
in memory and bounded in bytes.

The cache is in memory only, by design: nothing is written to disk, so no
cached result is ever read back from a run folder (a disk cache such as
:class:`joblib.Memory` reads pickles back, which can run code).
"""

import threading
from collections import OrderedDict
from numbers import Integral

import joblib
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils.validation import check_is_fitted

from .._sklearn_compat import HasMethods, _fit_context

#: The bound of a new process-wide cache: 512 MiB. That holds the HOG
#: features of MNIST's 60,000 training and 10,000 test digits (454 MB in
#: float32); a benchmark run has a cache in each of its processes (itself and
#: one search worker per core), and recomputing an evicted transform is cheap
#: (HOG of 70,000 digits takes about 1.2 s on one core).
DEFAULT_MAX_BYTES = 2**29

#: The bound of a new process-wide cache in a joblib (loky) worker process:
#: 128 MiB. loky replaces a worker whose memory has grown by more than 286
#: MiB since its first task (its guard against leaks, which warns "A worker
#: stopped while some jobs were given to the executor"); a cache of 512 MiB
#: filled by a search's folds set it off, and the new worker then starts
#: Python again and computes its features anew. 128 MiB holds a fold's HOG
#: features on 10,000 rows (the training and held-out rows of a 3-fold
#: search: 65 MB) with room for a fit's own growth. Measured with
#: docs/benchmark.md's kNN search (16 candidates, 3 folds, 10,000 rows,
#: ``n_jobs=2``): 24.5 s, two workers replaced and a peak of 1,664 MiB in
#: all processes with 512 MiB; 20.4 s, none replaced and 1,381 MiB with
#: 128 MiB (256 MiB: two replaced).
WORKER_MAX_BYTES = 2**27

_CACHES = {}
_CACHES_LOCK = threading.Lock()


class FeatureCache:
    """Arrays kept in memory, least recently used first out, bounded in bytes.

    Parameters
    ----------
    max_bytes : int, default=512 MiB
        The most bytes the cached arrays may hold together. Setting the
        attribute later evicts arrays until they fit; 0 keeps nothing.

    Attributes
    ----------
    hits, misses : int
        Look-ups answered from the cache, and those computed.
    nbytes : int
        The bytes the cached arrays hold.

    Examples
    --------
    >>> import numpy as np
    >>> from skdigits.preprocessing import FeatureCache
    >>> cache = FeatureCache(max_bytes=1000)
    >>> a = cache.get_or_compute("a", lambda: np.zeros(100))  # 800 bytes
    >>> a = cache.get_or_compute("a", lambda: np.zeros(100))
    >>> b = cache.get_or_compute("b", lambda: np.ones(100))  # evicts "a"
    >>> cache.hits, cache.misses, len(cache), cache.nbytes
    (1, 2, 1, 800)
    """

    def __init__(self, max_bytes=DEFAULT_MAX_BYTES):
        self._arrays = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.nbytes = 0
        self.max_bytes = max_bytes

    @property
    def max_bytes(self):
        return self._max_bytes

    @max_bytes.setter
    def max_bytes(self, value):
        if not isinstance(value, Integral) or isinstance(value, bool) or value < 0:
            raise ValueError(f"FeatureCache: max_bytes must be an int >= 0, got {value!r}")
        with self._lock:
            self._max_bytes = int(value)
            self._evict()

    def __len__(self):
        return len(self._arrays)

    def __repr__(self):
        return (
            f"FeatureCache(max_bytes={self.max_bytes}): {len(self)} arrays, {self.nbytes} bytes, "
            f"{self.hits} hits, {self.misses} misses"
        )

    def get_or_compute(self, key, compute):
        """The array cached under ``key``, or ``compute()``'s, then cached.

        Parameters
        ----------
        key : hashable
            What identifies the array.
        compute : callable
            Returns the array (an ndarray) when it is not cached.

        Returns
        -------
        array : ndarray
            Read-only: the cached array is shared by every caller.
        """
        with self._lock:
            if key in self._arrays:
                self._arrays.move_to_end(key)
                self.hits += 1
                return self._arrays[key]
            self.misses += 1
        array = compute()
        if not isinstance(array, np.ndarray) or array.nbytes > self.max_bytes:
            return array  # kept out: not an array (e.g. a DataFrame), or too big to cache
        array.flags.writeable = False
        with self._lock:
            if key not in self._arrays:
                self._arrays[key] = array
                self.nbytes += array.nbytes
                self._evict()
        return array

    def clear(self):
        """Drop every array and reset the counts."""
        with self._lock:
            self._arrays.clear()
            self.nbytes = self.hits = self.misses = 0

    def _evict(self):
        while self.nbytes > self._max_bytes:
            _, array = self._arrays.popitem(last=False)
            self.nbytes -= array.nbytes


def get_feature_cache(name="default"):
    """The process-wide :class:`FeatureCache` called ``name``, created on first use.

    Parameters
    ----------
    name : str, default="default"
        The cache's name, as given to :class:`CachedTransformer`'s ``cache``.

    Returns
    -------
    cache : FeatureCache
        Bounded by :data:`DEFAULT_MAX_BYTES` (512 MiB) when new, or by
        :data:`WORKER_MAX_BYTES` (128 MiB) in a joblib worker process; set
        its ``max_bytes`` to change that.

    Examples
    --------
    >>> from skdigits.preprocessing import get_feature_cache
    >>> get_feature_cache() is get_feature_cache("default")
    True
    """
    with _CACHES_LOCK:
        if name not in _CACHES:
            _CACHES[name] = FeatureCache(WORKER_MAX_BYTES if _in_loky_worker() else DEFAULT_MAX_BYTES)
        return _CACHES[name]


def _in_loky_worker():
    """Whether this process is one of joblib's (loky's) workers, which loky replaces when they grow."""
    import multiprocessing

    from joblib.externals.loky.backend.process import LokyProcess

    return isinstance(multiprocessing.current_process(), LokyProcess)


def clear_feature_caches():
    """Empty every process-wide :class:`FeatureCache` of this process (its arrays and counts).

    Examples
    --------
    >>> import numpy as np
    >>> from skdigits.preprocessing import get_feature_cache
    >>> from skdigits.preprocessing._cache import clear_feature_caches
    >>> _ = get_feature_cache("example").get_or_compute("key", lambda: np.zeros(10))
    >>> clear_feature_caches()
    >>> len(get_feature_cache("example"))
    0
    """
    with _CACHES_LOCK:
        caches = list(_CACHES.values())
    for cache in caches:
        cache.clear()


class CachedTransformer(TransformerMixin, BaseEstimator):
    """A transformer whose transforms are computed once per process.

    ``fit`` fits a clone of ``transformer``. ``transform`` looks its result
    up in the process-wide :class:`FeatureCache` named ``cache``, under a key
    made of a hash of the fitted transformer (its class, parameters and
    fitted attributes) and a hash of ``X``: the same rows transformed by an
    equal fitted transformer are computed once, whichever pipeline, fold or
    model asks. It pays off for stateless transformers such as
    :class:`Deskewer` and :class:`HOGFeatures`, whose fitted state is their
    parameters and the image shape; a transformer whose fit learns from the
    data (PCA) gets a new key after each fit, so it stays correct but is
    recomputed.

    Parameters
    ----------
    transformer : estimator with ``fit`` and ``transform``
        The transformer to cache, e.g. a pipeline of them.
    cache : str or None, default="default"
        The name of the process-wide cache (see :func:`get_feature_cache`),
        or None to compute every transform.

    Attributes
    ----------
    transformer_ : estimator
        The fitted clone of ``transformer``.
    n_features_in_ : int
        The number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` was a DataFrame with string column names.

    See Also
    --------
    FeatureCache : The cache: bounded in bytes, in memory only.

    Notes
    -----
    The cache is in memory, never on disk: nothing is read back from a file.
    Each process has its own caches: joblib's or Dask's worker processes
    compute their own copies. The arrays returned from the cache are
    read-only and shared; hashing ``X`` costs about 0.1 s for the 60,000
    MNIST training images.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from skdigits.datasets import load_mnist
    >>> from skdigits.preprocessing import CachedTransformer, Deskewer, HOGFeatures, get_feature_cache
    >>> X, y = load_mnist(split="test", return_X_y=True)
    >>> features = CachedTransformer(make_pipeline(Deskewer(), HOGFeatures()), cache="doctest")
    >>> features.fit_transform(X[:100]).shape
    (100, 1620)
    >>> _ = features.fit(X[:10]).transform(X[:100])  # a clone, fitted elsewhere, finds it
    >>> cache = get_feature_cache("doctest")
    >>> cache.hits, cache.misses
    (1, 1)
    """

    _parameter_constraints: dict = {
        "transformer": [HasMethods(["fit", "transform"])],
        "cache": [str, None],
    }

    def __init__(self, transformer, *, cache="default"):
        self.transformer = transformer
        self.cache = cache

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y=None, **fit_params):
        """Fit a clone of ``transformer`` on ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The input samples.
        y : array-like of shape (n_samples,) or None, default=None
            Targets, passed on.
        **fit_params : dict
            Passed on to the transformer's ``fit``.

        Returns
        -------
        self : object
            The fitted wrapper.
        """
        self.transformer_ = clone(self.transformer).fit(X, y, **fit_params)
        for name in ("n_features_in_", "feature_names_in_"):
            if hasattr(self.transformer_, name):
                setattr(self, name, getattr(self.transformer_, name))
        self._transformer_key = joblib.hash(self.transformer_)
        return self

    def transform(self, X):
        """The transformer's transform of ``X``, computed once per process.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The input samples.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features_out)
            Read-only when it comes from (or goes to) the cache.
        """
        check_is_fitted(self)
        if self.cache is None:
            return self.transformer_.transform(X)
        key = (self._transformer_key, joblib.hash(X))
        return get_feature_cache(self.cache).get_or_compute(key, lambda: self.transformer_.transform(X))

    def fit_transform(self, X, y=None, **fit_params):
        """Fit, then transform ``X`` through the cache.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The input samples.
        y : array-like of shape (n_samples,) or None, default=None
            Targets, passed on.
        **fit_params : dict
            Passed on to the transformer's ``fit``.

        Returns
        -------
        X_out : ndarray of shape (n_samples, n_features_out)
            As :meth:`transform`.
        """
        return self.fit(X, y, **fit_params).transform(X)

    def get_feature_names_out(self, input_features=None):
        """The transformer's names of the features.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Passed on.

        Returns
        -------
        feature_names_out : ndarray of str objects
        """
        check_is_fitted(self)
        return self.transformer_.get_feature_names_out(input_features)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.transformer.__sklearn_tags__()
        tags.input_tags = inner.input_tags
        tags.transformer_tags = inner.transformer_tags
        return tags
