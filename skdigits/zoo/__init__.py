"""The model zoo: every family's pipeline and parameter grids, in one place.

A family is a :class:`ModelSpec`: a scikit-learn Pipeline whose first step,
``features``, is raw pixels, deskewed pixels or HOG features, and whose last
step, ``clf``, is the classifier; with the parameter grid of each profile.
"""

from ._families import FAMILIES, check_family, get_model, model_zoo
from ._features import RAW_PIXELS, describe_features
from ._spec import PROFILE_SETTINGS, PROFILES, ModelSpec, Profile, check_profile

__all__ = [
    "FAMILIES",
    "PROFILES",
    "PROFILE_SETTINGS",
    "RAW_PIXELS",
    "ModelSpec",
    "Profile",
    "check_family",
    "check_profile",
    "describe_features",
    "get_model",
    "model_zoo",
]
