"""The pipelines' joblib cache: the one place it is set up and taken off.

Families whose pipeline computes features or PCA share a joblib cache, so
those steps run once per fold rather than once per candidate. joblib's cache
is pickle, and nothing read back from a run folder may run code, so the cache
lives in a private temporary folder of the run's (made with
:func:`tempfile.mkdtemp`, readable by its owner only, outside the output
folder) and is deleted when the run ends: a run folder never holds it, and a
resumed run starts with an empty cache. The HOG features are also kept in
memory by :class:`~skdigits.preprocessing.CachedTransformer`. A model as
saved, or as shown, has no cache folder.
"""

import contextlib
import tempfile
from pathlib import Path

from joblib import Memory

from ._pipelines import named_steps

CACHED_STEPS = {"features", "pca"}


@contextlib.contextmanager
def run_cache():
    """A private cache folder for one run, outside its output folder, deleted at the end."""
    with tempfile.TemporaryDirectory(prefix="skdigits-cache-", ignore_cleanup_errors=True) as folder:
        yield Path(folder)


def use_cache(pipeline, cache_dir):
    """Give ``pipeline`` the run's cache when it has a cached step (``features`` or ``pca``)."""
    if cache_dir is not None and CACHED_STEPS & set(named_steps(pipeline)):
        pipeline.set_params(memory=Memory(cache_dir, verbose=0))
    return pipeline


def without_cache(estimator):
    """``estimator`` with no cache folder (set in place), for saving or showing it."""
    if "memory" in estimator.get_params(deep=False):
        estimator.set_params(memory=None)
    return estimator


def without_feature_cache(estimator):
    """``estimator`` with every :class:`~skdigits.preprocessing.CachedTransformer` in it computing anew (in place).

    For a refit: it transforms its rows once, and the process-wide cache
    would hold them (the HOG of 60,000 digits: 389 MB) through the test
    predictions and the model's serialization. The features are the same.
    """
    from ..preprocessing import CachedTransformer

    cached = [name for name, value in estimator.get_params(deep=True).items()
              if isinstance(value, CachedTransformer) and value.cache is not None]
    if isinstance(estimator, CachedTransformer):
        estimator.set_params(cache=None)
    estimator.set_params(**{f"{name}__cache": None for name in cached})
    return estimator
