"""Keys of fits: digests of the real inputs, with ``joblib.hash``.

A fit is named by a digest of everything that defines it: the estimator's
parameters (nested ones included), the candidate's parameters, the data,
the train and test indices, the scorer. The digests are the same in every
process and on every machine (``joblib.hash`` pickles with sorted dict
keys); estimators are described by their class and parameters, never by
their ``repr`` or memory address.
"""

import functools
import sys
import types

import joblib
import numpy as np

from .._sklearn_compat import _BaseScorer


def _is_estimator(value):
    return hasattr(value, "get_params") and not isinstance(value, type)


def _importable(function):
    """Whether ``function`` is what its module's attribute of its qualified name is (a stable identity)."""
    module, name = getattr(function, "__module__", None), getattr(function, "__qualname__", "")
    if module in (None, "__main__") or "<" in name or module not in sys.modules:
        return False
    found = sys.modules[module]
    for part in name.split("."):
        found = getattr(found, part, None)
    return found is function


def _code(code, seen):
    """A code object's value: its bytecode, constants (nested code too), and the names it uses."""
    consts = tuple(_code(c, seen) if isinstance(c, types.CodeType) else canonical(c, seen) for c in code.co_consts)
    return ("code", code.co_code, consts, code.co_names, code.co_varnames, code.co_argcount,
            code.co_kwonlyargcount, code.co_flags)


def _global(value, seen):
    if isinstance(value, types.ModuleType):
        return ("module", value.__name__)
    return canonical(value, seen)


def _function(function, seen):
    """A function: by name when it can be imported by it, else by value (code, defaults, closure, globals)."""
    if _importable(function):
        return ("function", function.__module__, function.__qualname__)
    if id(function) in seen:  # a recursive function: its value is being described already
        return ("recursive", function.__qualname__)
    seen = seen | {id(function)}
    cells = tuple(_cell(c, seen) for c in function.__closure__ or ())
    names = {n: _global(function.__globals__[n], seen) for n in function.__code__.co_names
             if n in function.__globals__}
    return ("function by value", function.__qualname__, _code(function.__code__, seen),
            canonical(function.__defaults__, seen), canonical(function.__kwdefaults__, seen), cells, names)


def _cell(cell, seen):
    try:
        contents = cell.cell_contents
    except ValueError:  # not yet assigned
        return ("empty cell",)
    return canonical(contents, seen)


def _callable(value, seen):
    """Functions, partials, bound methods and scikit-learn scorers, in a form that digests their identity."""
    if isinstance(value, types.FunctionType):
        return _function(value, seen)
    if isinstance(value, functools.partial):
        return ("partial", canonical(value.func, seen), canonical(value.args, seen),
                canonical(value.keywords, seen))
    if isinstance(value, types.MethodType):
        return ("method", canonical(value.__self__, seen), canonical(value.__func__, seen))
    if isinstance(value, _BaseScorer):
        return ("scorer", f"{type(value).__module__}.{type(value).__qualname__}",
                {k: canonical(v, seen) for k, v in vars(value).items()})
    return None


def canonical(value, seen=frozenset()):
    """A form of ``value`` that hashes the same in every process.

    Estimators become their class and their (shallow, recursively
    canonical) parameters; ``memory`` parameters (caches) are left out, as
    they do not change what is fitted. Functions that can be imported by
    their qualified name become that name; others (lambdas, closures,
    nested functions, functions of ``__main__``) become their value: their
    code, constants, defaults, closure and the globals they use, so two
    lambdas with different bodies never share a key. Partials, bound
    methods and scikit-learn scorers are walked; containers too; anything
    else is kept as it is.
    """
    if _is_estimator(value):
        params = value.get_params(deep=False)
        return ("estimator", f"{type(value).__module__}.{type(value).__qualname__}",
                {k: canonical(v, seen) for k, v in params.items() if k != "memory"})
    if isinstance(value, dict):
        return {k: canonical(v, seen) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [canonical(v, seen) for v in value])
    described = _callable(value, seen)
    return value if described is None else described


def digest(value):
    """``joblib.hash`` of :func:`canonical` ``(value)``.

    Raises
    ------
    TypeError
        When ``value`` holds something that can be neither pickled nor
        described by value, so that it has no key that names it.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdigits.model_selection._keys import digest
    >>> digest(LogisticRegression(C=1.0)) == digest(LogisticRegression())
    True
    >>> digest(LogisticRegression(C=2.0)) == digest(LogisticRegression())
    False
    >>> digest(lambda est, X, y: 1.0) == digest(lambda est, X, y: 0.0)
    False
    """
    form = canonical(value)
    try:
        return joblib.hash(form)
    except Exception as exc:
        raise TypeError(
            f"{value!r:.200} cannot be keyed: it holds something that neither pickles nor can be described "
            f"by value ({type(exc).__name__}: {exc}); use a function defined at the top level of an "
            f"importable module, or a picklable object"
        ) from exc


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
