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
