"""The run's seed, set on a pipeline's ``random_state`` parameters."""

from sklearn.base import clone


def reseeded(pipeline, seed, only_unseeded=False):
    """A copy of ``pipeline`` with its ``random_state`` parameters (nested ones included) set to ``seed``.

    With ``only_unseeded``, only those left at None: how the run's seed
    reaches a user's model (and the estimators among its grid's values) as it
    reaches the zoo's, a ``random_state`` the user set being kept. Without
    it, every one: the seed spread's refits with other seeds.

    Examples
    --------
    >>> from sklearn.decomposition import PCA
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from skdigits.benchmark._seeds import reseeded
    >>> pipe = reseeded(make_pipeline(PCA(random_state=0), LogisticRegression(random_state=0)), 7)
    >>> pipe.get_params()["pca__random_state"], pipe.get_params()["logisticregression__random_state"]
    (7, 7)
    >>> pipe = reseeded(make_pipeline(PCA(), LogisticRegression(random_state=0)), 7, only_unseeded=True)
    >>> pipe.get_params()["pca__random_state"], pipe.get_params()["logisticregression__random_state"]
    (7, 0)
    """
    names = [name for name, value in pipeline.get_params(deep=True).items()
             if name.split("__")[-1] == "random_state" and (value is None or not only_unseeded)]
    return clone(pipeline).set_params(**dict.fromkeys(names, seed))
