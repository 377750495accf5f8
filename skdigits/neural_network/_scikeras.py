"""SciKeras' classifier methods, on a class layout current scikit-learn accepts.

SciKeras' ``KerasClassifier`` derives from ``(BaseWrapper, ClassifierMixin)``,
so ``BaseEstimator`` comes before ``ClassifierMixin`` in the method
resolution order of every subclass, and ``BaseWrapper`` defines the pre-1.6
``_more_tags``. scikit-learn >= 1.6 rejects both (``check_mixin_order``,
``check_estimator_tags_renamed``), and no subclass can repair either. So our
classifiers do not subclass SciKeras: :class:`SciKerasMethods` holds its
methods (model building, routed parameters, callbacks, label encoding, warm
starts...), copied from ``BaseWrapper`` and then ``KerasClassifier``, and
:class:`~skdigits.neural_network._base.BaseKerasClassifier` puts it between
``ClassifierMixin`` and ``BaseEstimator``.

Not copied (:data:`NOT_BORROWED`): the constructors, the old tags, SciKeras'
repr, and the methods that call ``super()``, which only run inside their own
classes; the base class re-implements those it needs.
"""

import scikeras  # noqa: F401  (teaches pickle to save Keras models)
from scikeras.wrappers import BaseWrapper
from scikeras.wrappers import KerasClassifier as _SciKerasClassifier

#: Attributes of SciKeras' classes that :class:`SciKerasMethods` leaves out.
NOT_BORROWED = frozenset(
    {
        "__init__",
        "__repr__",
        "_more_tags",  # pre-1.6 tags; __sklearn_tags__ replaces them
        "_tags",
        # These call super(), which needs SciKeras' own classes:
        "set_params",
        "initialize",
        "fit",
        "partial_fit",
    }
)


def _uses_super(value):
    """Whether a class attribute is (or wraps) a function that calls ``super()``."""
    function = getattr(value, "__func__", None) or getattr(value, "fget", None) or value
    code = getattr(function, "__code__", None)
    return code is not None and "__class__" in code.co_freevars


def _borrowed_namespace():
    """SciKeras' classifier attributes that work outside SciKeras' classes."""
    namespace = {}
    for klass in (BaseWrapper, _SciKerasClassifier):
        for name, value in vars(klass).items():
            if name in NOT_BORROWED or (name.startswith("__") and name != "__name__"):
                continue
            if _uses_super(value):
                raise ImportError(
                    f"this version of SciKeras' {klass.__name__}.{name} calls super(); "
                    "skdigits cannot reuse it: add it to NOT_BORROWED and re-implement it"
                )
            namespace[name] = value
    return namespace


SciKerasMethods = type(
    "SciKerasMethods",
    (),
    {
        "__module__": __name__,
        "__doc__": "SciKeras' classifier methods, without its bases: a mixin of our Keras classifiers.",
        **_borrowed_namespace(),
    },
)
