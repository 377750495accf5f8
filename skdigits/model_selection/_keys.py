"""Keys of fits: digests of the real inputs, with ``joblib.hash``.

A fit is named by a digest of everything that defines it: the estimator's
parameters (nested ones included), the candidate's parameters, the data,
the train and test indices, the scorer. The digests are the same in every
process and on every machine (``joblib.hash`` pickles with sorted dict
keys); estimators are described by their class and parameters, never by
their ``repr`` or memory address.
"""

import joblib
import numpy as np


def _is_estimator(value):
    return hasattr(value, "get_params") and not isinstance(value, type)


def canonical(value):
    """A form of ``value`` that hashes the same in every process.

    Estimators become their class and their (shallow, recursively
    canonical) parameters; ``memory`` parameters (caches) are left out, as
    they do not change what is fitted. Containers are walked; anything else
    is kept as it is.
    """
    if _is_estimator(value):
        params = value.get_params(deep=False)
        return ("estimator", f"{type(value).__module__}.{type(value).__qualname__}",
                {k: canonical(v) for k, v in params.items() if k != "memory"})
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [canonical(v) for v in value])
    return value


def digest(value):
    """``joblib.hash`` of :func:`canonical` ``(value)``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdigits.model_selection._keys import digest
    >>> digest(LogisticRegression(C=1.0)) == digest(LogisticRegression())
    True
    >>> digest(LogisticRegression(C=2.0)) == digest(LogisticRegression())
    False
    """
    try:
        return joblib.hash(canonical(value))
    except Exception:  # unpicklable (a lambda scorer...): its qualified name
        return joblib.hash(f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', repr(value))}")


def data_digest(X):
    """A digest of a data set: its values, and its column names if it has some."""
    if X is None:
        return None
    columns = list(map(str, X.columns)) if hasattr(X, "columns") else None
    values = np.asarray(X) if hasattr(X, "__array__") else X
    return joblib.hash((values, columns))


def fit_key(**fields):
    """The name of one fit, from the digests that define it.

    Examples
    --------
    >>> from skdigits.model_selection._keys import fit_key
    >>> fit_key(kind="cv", fold=0) == fit_key(fold=0, kind="cv")
    True
    >>> fit_key(kind="cv", fold=0) == fit_key(kind="cv", fold=1)
    False
    """
    return digest(fields)
