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


#: Cell sizes (pixels) of the finer HOG features that the SVM searches: 3,924 columns.
FINE_HOG_CELLS = (3, 4, 7)


def deskewed_fine_hog():
    """Finer HOG features (cells of 3, 4 and 7 pixels, 3,924 columns) of the deskewed digit.

    Not cached: the 60,000 training digits' features take 942 MB of float32,
    more than a process's :class:`~skdigits.preprocessing.FeatureCache`
    holds, so they are computed again for each fit and prediction (about 2 s
    for 20,000 digits on one core).
    """
    from ..preprocessing import Deskewer, HOGFeatures

    return Pipeline([("deskew", Deskewer()), ("hog", HOGFeatures(pixels_per_cell=FINE_HOG_CELLS))])


def deskewed_fine_hog_pca(n_components=100, random_state=None):
    """The PCA of :func:`deskewed_fine_hog`, computed in batches.

    Their 3,924 columns are 942 MB of float32 for MNIST's 60,000 training
    digits, too much for the SVM to hold beside another refit, so a
    :class:`~skdigits.decomposition.BatchedPCA` reduces them a batch of rows
    at a time, never holding them whole.
    """
    from ..decomposition import BatchedPCA

    return BatchedPCA(deskewed_fine_hog(), n_components=n_components, random_state=random_state)


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
    >>> from skdigits.decomposition import BatchedPCA
    >>> fine = Pipeline([("deskew", Deskewer()), ("hog", HOGFeatures(pixels_per_cell=(3, 4, 7)))])
    >>> describe_features(BatchedPCA(fine))
    'deskewed + HOG 3+4+7 + PCA'
    """
    if step is None or (isinstance(step, str) and step == RAW_PIXELS):
        return "raw pixels"
    if type(step).__name__ == "CachedTransformer":
        return describe_features(step.transformer)
    if type(step).__name__ == "BatchedPCA":
        return " + ".join(([describe_features(step.transformer)] if step.transformer is not None else []) + ["PCA"])
    if type(step).__name__ == "HOGFeatures":
        return _describe_hog(step)
    steps = step.steps if isinstance(step, Pipeline) else [(None, step)]
    words = {"Deskewer": "deskewed", "GaussianBlur": "blurred"}
    return " + ".join(
        _describe_hog(s) if type(s).__name__ == "HOGFeatures" else words.get(type(s).__name__, type(s).__name__)
        for _, s in steps
    )


def _describe_hog(hog):
    """'HOG' with the default cells, else 'HOG 3+4+7' (square cells) or 'HOG 4x2+7x7'."""
    default = type(hog)().pixels_per_cell
    if hog.pixels_per_cell == default:
        return "HOG"
    sizes = hog._cell_sizes()
    return "HOG " + "+".join(str(r) if r == c else f"{r}x{c}" for r, c in sizes)


def features_grid(*options):
    """The grid dimension ``{"features": [...]}`` over ``options``.

    Each option is a step or a function returning a fresh one, so that no
    two grids share a transformer.
    """
    return {"features": [option() if callable(option) else option for option in options]}


def pipeline(*steps):
    """A pipeline whose first step, ``features``, the grids search over."""
    return Pipeline([("features", RAW_PIXELS), *steps])
