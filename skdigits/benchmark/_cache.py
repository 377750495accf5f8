"""The pipelines' joblib cache: the one place it is set up and taken off.

Families whose pipeline computes features or PCA share a joblib cache under
the run's ``cache`` folder, so those steps run once per fold rather than once
per candidate (and HOG features once per fold for all families). A model as
saved, or as shown, has no cache folder.
"""

from joblib import Memory

from ._pipelines import named_steps

CACHE = "cache"
CACHED_STEPS = {"features", "pca"}


def use_cache(pipeline, output_dir):
    """Give ``pipeline`` the run's cache when it has a cached step (``features`` or ``pca``)."""
    if CACHED_STEPS & set(named_steps(pipeline)):
        pipeline.set_params(memory=Memory(output_dir / CACHE, verbose=0))
    return pipeline


def without_cache(estimator):
    """``estimator`` with no cache folder (set in place), for saving or showing it."""
    if "memory" in estimator.get_params(deep=False):
        estimator.set_params(memory=None)
    return estimator
