"""skdigits: benchmark handwritten-digit classifiers the scikit-learn way.

The subpackages follow the flow of a benchmark: :mod:`skdigits.datasets`
(data), :mod:`skdigits.preprocessing` and :mod:`skdigits.decomposition` (features),
:mod:`skdigits.neural_network` (the Keras estimators), :mod:`skdigits.zoo`
(each family's pipeline and grids) and :mod:`skdigits.benchmark` (search and
report). The names most used are re-exported here.

The Keras estimators are imported on first use, so that ``skdigits`` and
``skdigits.datasets`` load without starting TensorFlow.
"""

__version__ = "0.1.0"

import lazy_loader  # noqa: E402

from . import datasets  # noqa: E402
from ._early_stopping import EarlyStoppingClassifier  # noqa: E402
from ._label_encoding import LabelEncodedClassifier  # noqa: E402
from .datasets import load_mnist  # noqa: E402
from .zoo import FAMILIES, PROFILES, ModelSpec, get_model, model_zoo  # noqa: E402

# The Keras estimators, imported on first use (see neural_network).
__getattr__ = lazy_loader.attach(__name__, submod_attrs={
    "neural_network": ["KerasClassifier", "KerasCNNClassifier", "KerasMLPClassifier"],
})[0]

__all__ = [
    "EarlyStoppingClassifier",
    "FAMILIES",
    "KerasCNNClassifier",
    "KerasClassifier",
    "KerasMLPClassifier",
    "LabelEncodedClassifier",
    "ModelSpec",
    "PROFILES",
    "__version__",
    "datasets",
    "get_model",
    "load_mnist",
    "model_zoo",
]


def __dir__():
    return sorted(set(globals()) | set(__all__))
