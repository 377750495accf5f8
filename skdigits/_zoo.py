"""The model zoo: every family's pipeline and parameter grids, in one place.

Each family is a scikit-learn Pipeline that takes the OpenML ``mnist_784``
table as it comes (a DataFrame or array of 784 uint8 pixel columns, labels as
strings or ints), with parameter grids for three profiles:

``quick``
    A training subset and one or two candidates per family, for demos and
    smoke runs.
``standard``
    The full training set; small grids chosen so that all seven families
    search and refit within an hour on two cores. The costliest families
    cross-validate on a stratified subset of the training set
    (``search_size``) and refit the best candidate on all of it.
``full``
    Wider grids, cross-validated on the full training set: for a cluster or
    a long night.
"""

from dataclasses import dataclass, field

from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MaxAbsScaler
from sklearn.svm import SVC

from ._label_encoding import LabelEncodedClassifier

PROFILES = ("quick", "standard", "full")


@dataclass(frozen=True)
class Profile:
    """How much data and cross-validation a profile spends.

    Attributes
    ----------
    name : str
        'quick', 'standard' or 'full'.
    train_size : int or None
        Training rows used (a stratified subset); None for all.
    cv : int
        Folds of the stratified cross-validation.
    """

    name: str
    train_size: int | None
    cv: int


PROFILE_SETTINGS = {
    "quick": Profile("quick", train_size=5000, cv=2),
    "standard": Profile("standard", train_size=None, cv=3),
    "full": Profile("full", train_size=None, cv=5),
}


@dataclass
class ModelSpec:
    """One family of the zoo, for one profile.

    Attributes
    ----------
    family : str
        The family's name, as ``--families`` takes it.
    pipeline : Pipeline
        An unfitted pipeline whose first step is named ``features`` (raw
        pixels, deskewed pixels or HOG features, a grid dimension) and whose
        last step is named ``clf``.
    param_grid : dict or list of dict
        The grid, in ``GridSearchCV``'s format (``features``, ``clf__C``...).
    search_size : int or None
        Training rows the cross-validated search uses (a stratified subset);
        None for all. The best candidate is refitted on all training rows.
    description : str
        One line on what the pipeline does.
    """

    family: str
    pipeline: Pipeline
    param_grid: dict | list = field(default_factory=dict)
    search_size: int | None = None
    description: str = ""


# -- the features every family may search over -------------------------------

#: Raw pixels, as they come.
RAW_PIXELS = "passthrough"


def deskewed():
    """Pixels of the deskewed digit (``Deskewer``)."""
    from .preprocessing import Deskewer

    return Deskewer()


def deskewed_hog():
    """HOG features (two cell sizes, 1,620 columns) of the deskewed digit."""
    from .preprocessing import Deskewer, HOGFeatures

    return Pipeline([("deskew", Deskewer()), ("hog", HOGFeatures())])


def describe_features(step):
    """The words for a ``features`` step: 'raw pixels', 'deskewed'...

    Examples
    --------
    >>> from skdigits._zoo import RAW_PIXELS, deskewed_hog, describe_features
    >>> describe_features(RAW_PIXELS), describe_features(deskewed_hog())
    ('raw pixels', 'deskewed + HOG')
    """
    if step is None or (isinstance(step, str) and step == RAW_PIXELS):
        return "raw pixels"
    steps = step.steps if isinstance(step, Pipeline) else [(None, step)]
    words = {"Deskewer": "deskewed", "HOGFeatures": "HOG", "GaussianBlur": "blurred"}
    return " + ".join(words.get(type(s).__name__, type(s).__name__) for _, s in steps)


def _features_grid(*options):
    return {"features": [option() if callable(option) else option for option in options]}


def _pipeline(*steps):
    """A pipeline whose first step, ``features``, the grids search over."""
    return Pipeline([("features", RAW_PIXELS), *steps])


# -- the families ---------------------------------------------------------------
#
# Every standard grid searches the features (raw pixels, deskewed pixels,
# HOG of the deskewed digit) where they are affordable; the cross-validation
# results, not us, say which one a family gets. The families that can use
# HOG search the same 20,000 rows, so that the HOG features of each fold are
# computed once for all of them (the pipelines share a joblib cache).


def _logreg(profile, seed):
    grids = {
        "quick": {**_features_grid(RAW_PIXELS, deskewed_hog), "clf__C": [0.3]},
        "standard": [
            {**_features_grid(RAW_PIXELS, deskewed), "clf__C": [0.3]},
            {**_features_grid(deskewed_hog), "clf__C": [0.3, 1.0, 3.0]},
        ],
        "full": {**_features_grid(RAW_PIXELS, deskewed, deskewed_hog), "clf__C": [0.1, 0.3, 1.0, 3.0, 10.0]},
    }
    # Each column scaled to [-1, 1] by its largest value: pixels / 255, more
    # or less, and HOG features (about 0-0.2 each) alike.
    pipe = _pipeline(
        ("scale", MaxAbsScaler()),
        ("clf", LogisticRegression(max_iter=1000, random_state=seed)),
    )
    search = {"quick": None, "standard": 20000, "full": None}
    return ModelSpec("logreg", pipe, grids[profile], search[profile], "features, scaled by their largest values, multinomial logistic regression (L2)")


def _knn(profile, seed):
    grids = {
        "quick": {**_features_grid(RAW_PIXELS, deskewed), "pca__n_components": [40], "clf__n_neighbors": [4]},
        "standard": {
            **_features_grid(RAW_PIXELS, deskewed, deskewed_hog),
            "pca__n_components": [40, 60],
            "clf__n_neighbors": [3, 6],
        },
        "full": {
            **_features_grid(RAW_PIXELS, deskewed, deskewed_hog),
            "pca__n_components": [30, 40, 60, 80],
            "clf__n_neighbors": [1, 3, 4, 5, 7, 9],
        },
    }
    # PCA on raw pixels: kNN's distances do not depend on the pixels' scale.
    pipe = _pipeline(
        ("pca", PCA(n_components=40, random_state=seed)),
        ("clf", KNeighborsClassifier(n_neighbors=4, weights="distance")),
    )
    search = {"quick": None, "standard": 20000, "full": None}
    return ModelSpec("knn", pipe, grids[profile], search[profile], "features, PCA, distance-weighted kNN")


def _svm(profile, seed):
    grids = {
        "quick": {"clf__C": [10.0]},
        "standard": [
            {**_features_grid(RAW_PIXELS, deskewed), "clf__C": [5.0, 10.0]},
            {**_features_grid(deskewed_hog), "pca__n_components": [50, 100], "clf__C": [5.0, 10.0]},
        ],
        "full": {
            **_features_grid(RAW_PIXELS, deskewed, deskewed_hog),
            "pca__n_components": [35, 50, 100],
            "clf__C": [3.0, 10.0, 30.0],
        },
    }
    # PCA: gamma='scale' adapts the kernel to the features' scale.
    pipe = _pipeline(
        ("pca", PCA(n_components=50, random_state=seed)),
        ("clf", SVC(kernel="rbf", C=10.0, gamma="scale", cache_size=1000, random_state=seed)),
    )
    search = {"quick": None, "standard": 20000, "full": None}
    return ModelSpec("svm", pipe, grids[profile], search[profile], "features, PCA, RBF SVC")


def _random_forest(profile, seed):
    trees = {"quick": 100, "standard": 200, "full": 1000}
    grids = {
        "quick": {"clf__max_features": ["sqrt"]},
        "standard": {**_features_grid(RAW_PIXELS, deskewed, deskewed_hog), "clf__max_features": ["sqrt"]},
        "full": {
            **_features_grid(RAW_PIXELS, deskewed, deskewed_hog),
            "clf__criterion": ["gini", "entropy"],
            "clf__max_features": ["sqrt", "log2", 0.05],
        },
    }
    pipe = _pipeline(("clf", RandomForestClassifier(n_estimators=trees[profile], random_state=seed)))
    search = {"quick": None, "standard": 20000, "full": None}
    return ModelSpec("rf", pipe, grids[profile], search[profile], f"features, random forest of {trees[profile]} trees")


def _xgboost(profile, seed):
    from xgboost import XGBClassifier

    rounds = {"quick": 100, "standard": 300, "full": 1000}
    grids = {
        "quick": {"clf__estimator__max_depth": [6]},
        # HOG's 1,620 columns would double the cost of each round: pixels only.
        "standard": {**_features_grid(RAW_PIXELS, deskewed), "clf__estimator__learning_rate": [0.1]},
        "full": {
            **_features_grid(RAW_PIXELS, deskewed, deskewed_hog),
            "clf__estimator__learning_rate": [0.05, 0.1, 0.2],
            "clf__estimator__max_depth": [6, 8],
            "clf__estimator__colsample_bytree": [0.3, 0.6],
        },
    }
    booster = XGBClassifier(
        n_estimators=rounds[profile],
        max_depth=6,
        learning_rate=0.3,
        colsample_bytree=0.4,
        max_bin=64,
        tree_method="hist",
        random_state=seed,
    )
    pipe = _pipeline(("clf", LabelEncodedClassifier(booster)))
    search = {"quick": None, "standard": 10000, "full": None}
    return ModelSpec(
        "xgboost", pipe, grids[profile], search[profile],
        f"features, gradient-boosted trees ({rounds[profile]} rounds, 64 bins, 40% of columns per tree)",
    )


def _mlp(profile, seed):
    from . import KerasMLPClassifier

    epochs = {"quick": 10, "standard": 15, "full": 40}
    grids = {
        "quick": {"clf__dropout": [0.2]},
        "standard": {**_features_grid(RAW_PIXELS, deskewed, deskewed_hog), "clf__dropout": [0.2]},
        "full": {
            **_features_grid(RAW_PIXELS, deskewed, deskewed_hog),
            "clf__hidden_layer_sizes": [(512, 512), (1024, 1024)],
            "clf__dropout": [0.2, 0.3, 0.4],
        },
    }
    pipe = _pipeline(("clf", KerasMLPClassifier(epochs=epochs[profile], random_state=seed)))
    search = {"quick": None, "standard": 20000, "full": None}
    return ModelSpec("mlp", pipe, grids[profile], search[profile], "features, Keras MLP 512-512 with dropout")


def _cnn(profile, seed):
    from . import KerasCNNClassifier

    epochs = {"quick": 3, "standard": 3, "full": 12}
    grids = {
        "quick": {"clf__dropout": [0.25]},
        "standard": {**_features_grid(RAW_PIXELS, deskewed), "clf__dropout": [0.1]},
        "full": {**_features_grid(RAW_PIXELS, deskewed), "clf__dropout": [0.25, 0.4], "clf__augment": [False, True]},
    }
    pipe = _pipeline(("clf", KerasCNNClassifier(epochs=epochs[profile], random_state=seed)))
    search = {"quick": None, "standard": 10000, "full": None}
    return ModelSpec("cnn", pipe, grids[profile], search[profile], "features, compact Keras CNN, one-cycle schedule")


_BUILDERS = {
    "logreg": _logreg,
    "rf": _random_forest,
    "svm": _svm,
    "knn": _knn,
    "xgboost": _xgboost,
    "mlp": _mlp,
    "cnn": _cnn,
}
FAMILIES = tuple(_BUILDERS)


def check_family(family):
    """Raise a ValueError naming the known families if ``family`` is not one."""
    if family not in _BUILDERS:
        raise ValueError(f"unknown model family {family!r}; choose from {', '.join(FAMILIES)}")


def check_profile(profile):
    """Raise a ValueError naming the profiles if ``profile`` is not one."""
    if profile not in PROFILE_SETTINGS:
        raise ValueError(f"unknown profile {profile!r}; choose from {', '.join(PROFILES)}")


def get_model(family, profile="standard", *, random_state=0):
    """Return a family's pipeline and parameter grid for a profile.

    Parameters
    ----------
    family : {'logreg', 'rf', 'svm', 'knn', 'xgboost', 'mlp', 'cnn'}
        The model family.
    profile : {'quick', 'standard', 'full'}, default='standard'
        Which grid (and, for some families, how many trees, rounds or
        epochs).
    random_state : int, default=0
        Seed of every random step of the pipeline.

    Returns
    -------
    spec : ModelSpec
        With ``pipeline`` (unfitted), ``param_grid``, ``search_size`` and
        ``description``.

    Examples
    --------
    >>> from sklearn.model_selection import GridSearchCV
    >>> from skdigits import get_model
    >>> spec = get_model("knn", "quick")
    >>> search = GridSearchCV(spec.pipeline, spec.param_grid, cv=2)
    >>> sorted(spec.param_grid)
    ['clf__n_neighbors', 'features', 'pca__n_components']
    """
    check_family(family)
    check_profile(profile)
    return _BUILDERS[family](profile, random_state)


def model_zoo(profile="standard", *, random_state=0):
    """Every family's :class:`ModelSpec` for a profile, by family name."""
    return {family: get_model(family, profile, random_state=random_state) for family in FAMILIES}
