"""The types skops may load from skdigits' own files, named in one place.

Run folders (:func:`skdigits.benchmark.load_model`) and the resumable search's
refit records (:class:`skdigits.model_selection.ResumableGridSearchCV`) read
models back with skops, trusting its defaults and ``TRUSTED_TYPES`` only.
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
    "skdigits.pipeline._virtual_support.VirtualSupportVectorPipeline",
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

#: XGBoost's classifier and booster (the zoo's xgboost family): the booster is
#: rebuilt by XGBoost's own parser from the model's bytes
#: (``Booster.__setstate__``), its other attributes by skops' rules.
XGBOOST_TYPES = frozenset({
    "xgboost.core.Booster",
    "xgboost.sklearn.XGBClassifier",
})

#: Every type skdigits' readers trust beyond skops' defaults: what the zoo's
#: own models hold, so that a run's models load whole.
TRUSTED_TYPES = OWN_TYPES | SKLEARN_STATE_TYPES | XGBOOST_TYPES
