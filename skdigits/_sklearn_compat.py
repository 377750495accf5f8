"""scikit-learn's private names that skdigits uses, and its version checks, in one place.

scikit-learn may change or remove any of these without deprecation. Each is
imported here, with the versions it is known to work with (the package needs
scikit-learn >= 1.6, see ``pyproject.toml``; tested with 1.9.1), so a new
release breaks one module, and a shim for it goes here (as imbalanced-learn's
``utils/_sklearn_compat.py`` does).
"""

# Each import below is checked with scikit-learn 1.6 to 1.9 (1.6 is the oldest the
# package accepts; 1.9.1 the newest tested). "Used by" names the importer.

# fit's decorator that validates ``_parameter_constraints``. Used by: the searches,
# skdigits.preprocessing's transformers.
from sklearn.base import _fit_context

# A scorer object's base class, keyed by its parameters. Used by: model_selection._keys.
# The scorer of several metrics, unwrapped into ``scorer_`` as GridSearchCV does.
# Used by: model_selection._search.
from sklearn.metrics._scorer import _BaseScorer, _MultimetricScorer

# The searches' base class, whose fit the resumable searches replace, and the
# checked cv. Used by: model_selection._search.
from sklearn.model_selection._search import BaseSearchCV
from sklearn.model_selection._split import check_cv

# One fit and its scores (called with ``score_params``, ``split_progress``,
# ``candidate_progress``, ``return_n_test_samples``, as GridSearchCV calls it in
# 1.6-1.9), and GridSearchCV's handling of failed fits. Used by: model_selection._search.
from sklearn.model_selection._validation import (
    _fit_and_score,
    _insert_error_scores,
    _warn_or_raise_about_fit_failures,
)
from sklearn.utils import _safe_indexing

# Parameter constraints. Used by: model_selection._search, skdigits.preprocessing.
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

# Routed fit parameters checked and indexed as GridSearchCV.fit does (the searches);
# a transformer's output feature names (skdigits.preprocessing).
from sklearn.utils.validation import _check_feature_names_in, _check_method_params


def has_callback_context(estimator):
    """Whether ``estimator`` has scikit-learn's experimental callback context (>= 1.9).

    scikit-learn 1.9 added ``sklearn.callback`` and the searches'
    ``_init_callback_context``; before 1.9 there is none.
    """
    return hasattr(estimator, "_init_callback_context")


__all__ = [
    "BaseSearchCV",
    "HasMethods",
    "Interval",
    "StrOptions",
    "_BaseScorer",
    "_MultimetricScorer",
    "_check_feature_names_in",
    "_check_method_params",
    "_fit_and_score",
    "_fit_context",
    "_insert_error_scores",
    "_safe_indexing",
    "_warn_or_raise_about_fit_failures",
    "check_cv",
    "has_callback_context",
]
