"""The types skops may load from skdigits' own files, named in one place.

Run folders (:func:`skdigits.benchmark.load_model`) and the resumable search's
refit records (:class:`skdigits.model_selection.ResumableGridSearchCV`) read
models back with skops, trusting its defaults and these types only.
"""

#: skdigits' own estimators: plain attributes, no code run on load; trusted
#: like scikit-learn's.
OWN_TYPES = frozenset({
    "skdigits.preprocessing._deskew.Deskewer",
    "skdigits.preprocessing._blur.GaussianBlur",
    "skdigits.preprocessing._hog.HOGFeatures",
    "skdigits.preprocessing._cache.CachedTransformer",
    "skdigits.decomposition._batched_pca.BatchedPCA",
    "skdigits._label_encoding.LabelEncodedClassifier",
    "skdigits._early_stopping.EarlyStoppingClassifier",
})

#: The fitted state of scikit-learn's trees and neighbour searches: arrays,
#: checked by scikit-learn when they are loaded.
SKLEARN_STATE_TYPES = frozenset({
    "sklearn.tree._tree.Tree",
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.neighbors._ball_tree.BallTree",
    "sklearn.metrics._dist_metrics.EuclideanDistance64",
    "sklearn.metrics._dist_metrics.ManhattanDistance64",
    "sklearn.metrics._dist_metrics.MinkowskiDistance64",
})
