"""The ``features`` step every family's pipeline starts with, and its grid."""

from sklearn.pipeline import Pipeline

#: Raw pixels, as they come.
RAW_PIXELS = "passthrough"


def deskewed():
    """Pixels of the deskewed digit (``Deskewer``)."""
    from ..preprocessing import Deskewer

    return Deskewer()


def deskewed_hog():
    """HOG features (two cell sizes, 1,620 columns) of the deskewed digit, computed once per process.

    The pipeline is wrapped in a :class:`~skdigits.preprocessing.CachedTransformer`,
    so that the families, folds, refits and predictions that transform the
    same rows share one computation (in memory, in the process-wide cache).
    """
    from ..preprocessing import CachedTransformer, Deskewer, HOGFeatures

    return CachedTransformer(Pipeline([("deskew", Deskewer()), ("hog", HOGFeatures())]))


def hog():
    """HOG features (two cell sizes, 1,620 columns) of the image as given, computed once per process.

    Beside :func:`deskewed_hog`, for images that deskewing does not help
    (upright digits, other shapes): the search chooses.
    """
    from ..preprocessing import CachedTransformer, HOGFeatures

    return CachedTransformer(HOGFeatures())


def describe_features(step):
    """The words for a ``features`` step: 'raw pixels', 'deskewed'...

    Examples
    --------
    >>> from sklearn.pipeline import Pipeline
    >>> from skdigits.preprocessing import CachedTransformer, Deskewer, HOGFeatures
    >>> from skdigits.zoo import RAW_PIXELS, describe_features
    >>> hog = Pipeline([("deskew", Deskewer()), ("hog", HOGFeatures())])
    >>> describe_features(RAW_PIXELS), describe_features(hog), describe_features(CachedTransformer(hog))
    ('raw pixels', 'deskewed + HOG', 'deskewed + HOG')
    >>> describe_features(CachedTransformer(HOGFeatures()))
    'HOG'
    """
    if step is None or (isinstance(step, str) and step == RAW_PIXELS):
        return "raw pixels"
    if type(step).__name__ == "CachedTransformer":
        return describe_features(step.transformer)
    steps = step.steps if isinstance(step, Pipeline) else [(None, step)]
    words = {"Deskewer": "deskewed", "HOGFeatures": "HOG", "GaussianBlur": "blurred"}
    return " + ".join(words.get(type(s).__name__, type(s).__name__) for _, s in steps)


def features_grid(*options):
    """The grid dimension ``{"features": [...]}`` over ``options``.

    Each option is a step or a function returning a fresh one, so that no
    two grids share a transformer.
    """
    return {"features": [option() if callable(option) else option for option in options]}


def pipeline(*steps):
    """A pipeline whose first step, ``features``, the grids search over."""
    return Pipeline([("features", RAW_PIXELS), *steps])
