"""What a family of the zoo is (:class:`ModelSpec`) and what each profile spends."""

from dataclasses import dataclass, field

from sklearn.base import clone
from sklearn.pipeline import Pipeline

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
        The family's name, as ``--families`` takes it, or a name of your
        own for a pipeline of yours (a ``KerasClassifier`` of your network,
        say).
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
    search_params : dict
        Parameters set on ``pipeline`` for the search's fits only: a cheaper
        setting that ranks the candidates as the full one would. The refit,
        the ensemble's fit and the refits with more seeds use ``pipeline`` as
        given, so the table's CV accuracy is that of the search's setting.
        The zoo's SVM searches with plain fits and refits the chosen
        candidate with virtual support vectors; its standard random forest
        searches with 100 trees and refits with 200.
    """

    family: str
    pipeline: Pipeline
    param_grid: dict | list = field(default_factory=dict)
    search_size: int | None = None
    description: str = ""
    search_params: dict = field(default_factory=dict)

    def search_pipeline(self):
        """The pipeline the search fits: ``pipeline`` with ``search_params`` set (a clone if any are)."""
        if not self.search_params:
            return self.pipeline
        return clone(self.pipeline).set_params(**self.search_params)


def check_profile(profile):
    """Raise a ValueError naming the profiles if ``profile`` is not one."""
    if profile not in PROFILE_SETTINGS:
        raise ValueError(f"unknown profile {profile!r}; choose from {', '.join(PROFILES)}")
